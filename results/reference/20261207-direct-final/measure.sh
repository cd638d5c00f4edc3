#!/bin/bash
# The issue's figure on 8a0da81: direct at 500,000 msgs/s offered, three runs on each JDK, with the CPU each delivered
# message cost; then profiles at 500,000 of f13b424 (before the lazy unread index and the shared highest-id table) and
# of 8a0da81, alternating, two of each. BEFORE is a checkout of f13b424 (git worktree add ../before f13b424).
set -euo pipefail
cd "$(dirname "$0")/../../.."
before=${BEFORE:?a checkout of f13b424}
out=$PWD/results/reference/20261207-direct-final
for jdk in 25 17; do
  if [[ $jdk == 17 ]]; then export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64; else unset JAVA_HOME; fi
  for run in 1 2 3; do
    ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=500000 --out "$out/jdk$jdk-$run" | tee "$out/jdk$jdk-$run.txt"
  done
done
unset JAVA_HOME
for round in 1 2; do
  for side in before after; do
    dir=.; [[ $side == before ]] && dir=$before
    (cd "$dir" && ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=500000 --profile --out "$out/profile-$side-$round") | tee "$out/profile-$side-$round.txt"
  done
done
