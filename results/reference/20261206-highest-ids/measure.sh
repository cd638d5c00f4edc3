#!/bin/bash
# The oracle's and the client inbox's highest ids in an array by pair of devices (HighestIds) instead of a hash map:
# the ceiling and sharded routing on direct, at 1,000,000 msgs/s offered (past both capacities: the ceiling is bound
# by the load generator's thread there) and at 400,000. Run it from the root of a checkout of the commit to measure
# (the launcher builds that checkout), with LABEL naming it and OUT the directory for the results: before, main at
# b4a695c, 1,000,000 only (results/reference/20261206-direct-400k has its 400,000 runs); after, the HighestIds commit.
# JDK 25, the launcher's pick.
out=${OUT:-results/reference/20261206-highest-ids}
for i in 1 2; do
  flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant ceiling --variant direct \
    --set messages.rate=1000000 --out $out/$LABEL-1m-$i
done
[ "$LABEL" = before ] && exit 0
for i in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant ceiling --variant direct \
    --set messages.rate=400000 --out $out/$LABEL-400k-$i
done
