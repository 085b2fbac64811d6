#!/usr/bin/env bash
# Runs the whole benchmark suite (about 15-20 minutes on 2 cores) and writes docs/benchmarks.md.
#
#   benchmarks/run.sh              the published run: 3 forks x 4 iterations of 1 s, every workload and peer
#   benchmarks/run.sh --quick      a smoke run of the same pipeline (1 fork x 2 iterations): numbers not for publishing
#   benchmarks/run.sh --only raw1,latency   some tables only (raw1 raw2 flux1 flux2 producer consumer latency)
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
