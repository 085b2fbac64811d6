#!/usr/bin/env bash
# Runs the benchmark suite in paired, interleaved rounds (about 25 minutes on 2 cores) and writes docs/benchmarks.md.
# Each round gives every implementation of a table one fresh JVM fork, in a shuffled order; the report compares
# ringbuf with each peer within the round (median ratio, min - max over rounds, rounds led; "met" = 3 of 4).
#
#   benchmarks/run.sh              the published run: 4 rounds, 2 warmup + 3 measurement iterations of 1 s per fork
#   benchmarks/run.sh --quick      a smoke run of the same pipeline (2 rounds, 1 + 1 iterations): not for publishing
#   benchmarks/run.sh --rounds 6   more rounds
#   benchmarks/run.sh --only raw1,latency   some tables only (raw1 raw2 flux1 flux2 producer consumer latency)
#
# To compare two builds (before/after a change) in interleaved forks, see benchmarks/ab.sh.
#
# Needs Java 17+ and Maven. Run it on a machine that is otherwise idle: the report records the load average.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f benchmarks/target/benchmarks.jar || "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -pl benchmarks -am -DskipTests package
fi

mkdir -p benchmarks/target/results
log=benchmarks/target/results/run.log
echo "benchmarks/run.sh $*: log in $log"
java -version 2>&1 | tee "$log"
java -cp benchmarks/target/benchmarks.jar dev.ringbuf.benchmarks.suite.Suite \
  --out docs/benchmarks.md --work benchmarks/target/results --command "benchmarks/run.sh $*" "$@" 2>&1 | tee -a "$log"
