#!/bin/bash
# The ceiling's capacity on direct now that the load generator delivers all of 1,000,000 msgs/s: the ceiling alone,
# warmed 10 s, offered 1,300,000 msgs/s, three runs on JDK 25 (the launcher's pick). Commit 1f9b059.
cd "$(dirname "$0")/../../.."
for i in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant ceiling --jvm-warmup 10 \
    --set messages.rate=1300000 --out results/reference/20261206-ceiling-1300k/jdk25-$i
done
