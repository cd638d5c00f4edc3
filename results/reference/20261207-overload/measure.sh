#!/bin/bash
# Direct past its capacity (build 0afc65a, JDK 25 as the launcher picks it): delivered/s at 500,000, 750,000 and
# 1,000,000 msgs/s offered, two rounds, then one profiled run and one wall-clock profile at 1,000,000.
cd "$(dirname "$0")/../../.."
out=results/reference/20261207-overload
for round in 1 2; do
  for rate in 500000 750000 1000000; do
    flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=$rate --out $out/r$round-$rate > $out/r$round-$rate.txt 2>&1
  done
done
flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
  --set messages.rate=1000000 --profile --out $out/profile-1m > $out/profile-1m.txt 2>&1
# Wall-clock samples of every thread (async-profiler 4.2's library, unpacked from its Maven jar to /tmp/ap), whole run.
JAVA_OPTS="-agentpath:/tmp/ap/linux-x64/libasyncProfiler.so=start,event=wall,interval=2ms,jfr,file=$out/wall-1m.jfr" \
  flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 5 \
  --set messages.rate=1000000 --out /tmp/wall1m > $out/wall-1m.txt 2>&1
# experiments/: alternating runs of a base worktree (/tmp/base) and the working tree, by experiments/ab.sh and abv.sh;
# the README says which commit and change each side had.
