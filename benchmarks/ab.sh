#!/usr/bin/env bash
# A/B of two builds of the benchmarks jar in interleaved forks: every round runs each jar once (one fresh JVM fork
# per benchmark and parameter), A first in odd rounds and B first in even ones, and keeps each run's JSON.
#
#   benchmarks/ab.sh A.jar B.jar ROUNDS OUTDIR -- JMH-ARGS...
#   e.g. benchmarks/ab.sh /tmp/wt-before/benchmarks/target/benchmarks.jar \
#          /tmp/wt-after/benchmarks/target/benchmarks.jar 4 /tmp/ab -- \
#          'ProducerCost.reserveCommit' -p impl=ringbuf,ringbuf-claim -wi 2 -w 1 -i 3 -r 1 -prof gc
#
# Then `python3 benchmarks/ab-summary.py OUTDIR` prints the median ratio B/A per benchmark and parameter, its
# min - max over rounds, and B/op. Build each jar in a throwaway worktree (`git worktree add`, then
# `mvn -B -q -pl benchmarks -am package -DskipTests`; never install).
set -euo pipefail
a=$1 b=$2 rounds=$3 out=$4
shift 4
[[ "${1:-}" == "--" ]] && shift
mkdir -p "$out"
uptime | tee "$out/load-start.txt"
for ((round = 1; round <= rounds; round++)); do
  if ((round % 2 == 1)); then order="A B"; else order="B A"; fi
  for side in $order; do
    jar=$a; [[ $side == B ]] && jar=$b
    echo "round $round $side: $(uptime)"
    java -jar "$jar" -f 1 -foe true -rf json -rff "$out/round$round-$side.json" "$@" > "$out/round$round-$side.log" 2>&1
  done
done
uptime | tee "$out/load-end.txt"
