#!/bin/bash
# Huge pages off and on, alternating, four pairs at 500,000 msgs/s offered on direct, JDK 25, one build (8a0da81, whose
# launcher does not pass the flag): the CPU each delivered message cost (cpu.processMicrosPerMessage) and delivered/s.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
out=$PWD/results/reference/20261207-huge-pages/ab-500k
for round in 1 2 3 4; do
  for pages in off on; do
    if [[ $pages == on ]]; then export JAVA_OPTS=-XX:+UseTransparentHugePages; else unset JAVA_OPTS; fi
    ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=500000 --out "$out/$pages-$round" | tee "$out/$pages-$round.txt"
  done
done
