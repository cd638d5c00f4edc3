#!/bin/bash
# Transparent huge pages on and off (the launcher's default and JAVA_OPTS=-XX:-UseTransparentHugePages), alternating,
# three pairs on each JDK, at 500,000 msgs/s offered on direct (scenarios/throughput-ceiling.yaml); then, with them on,
# a profile at 500,000 and a capacity search on JDK 25.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=results/reference/20261207-huge-pages
for jdk in 25 17; do
  if [[ $jdk == 17 ]]; then export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64; else unset JAVA_HOME; fi
  for run in 1 2 3; do
    for pages in off on; do
      if [[ $pages == off ]]; then export JAVA_OPTS=-XX:-UseTransparentHugePages; else unset JAVA_OPTS; fi
      ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
        --set messages.rate=500000 --out "$out/jdk$jdk-$pages-$run" | tee "$out/jdk$jdk-$pages-$run.txt"
    done
  done
done
unset JAVA_HOME JAVA_OPTS
./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 --set messages.rate=500000 \
  --profile --out "$out/profile" | tee "$out/profile.txt"
./switchboard capacity scenarios/throughput-ceiling.yaml --variant direct --start 300000 --out "$out/capacity" \
  | tee "$out/capacity.txt"
