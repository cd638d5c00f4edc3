#!/bin/bash
# Sharded routing on the direct transport at 500,000 msgs/s offered (scenarios/throughput-ceiling.yaml's direct
# variant, which raises router.outboxHighBytes to 4m), three runs on each JDK; then both outbox marks in one run
# (mark.yaml) at 400,000 and 500,000; then a profile at 500,000; then a capacity search.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=results/reference/20261206-direct-500k
for jdk in 25 17; do
  for run in 1 2 3; do
    if [[ $jdk == 17 ]]; then export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64; else unset JAVA_HOME; fi
    ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=500000 --out "$out/jdk$jdk-$run" | tee "$out/jdk$jdk-$run.txt"
  done
done
unset JAVA_HOME
for rate in 400000 500000; do
  ./switchboard run "$out/mark.yaml" --jvm-warmup 10 --set messages.rate=$rate --out "$out/mark-$rate" \
    | tee "$out/mark-$rate.txt"
done
./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 --set messages.rate=500000 \
  --profile --out "$out/profile" | tee "$out/profile.txt"
./switchboard capacity scenarios/throughput-ceiling.yaml --variant direct --start 200000 --out "$out/capacity" \
  | tee "$out/capacity.txt"
