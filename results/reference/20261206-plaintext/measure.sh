#!/bin/bash
# The plaintext written by copying its filler and digested a word at a time (Plaintext) instead of byte by byte:
# the ceiling and sharded routing on direct, at 1,000,000 msgs/s offered (past both capacities: the ceiling is bound
# by the load generator's thread there) and at 400,000. Run it from the root of a checkout of the commit to measure
# (the launcher builds that checkout), with LABEL naming it and OUT the directory for the results. Before is main at
# c148bf2, whose runs are results/reference/20261206-highest-ids's "after"; this directory has the Plaintext commit's.
# JDK 25, the launcher's pick.
out=${OUT:-results/reference/20261206-plaintext}
for i in 1 2; do
  flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant ceiling --variant direct \
    --set messages.rate=1000000 --out $out/$LABEL-1m-$i
done
for i in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant ceiling --variant direct \
    --set messages.rate=400000 --out $out/$LABEL-400k-$i
done
