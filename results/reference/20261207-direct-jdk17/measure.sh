#!/bin/bash
# The issue's figure on JDK 17, three runs: sharded routing on direct at 500,000 msgs/s offered, this stop's tree
# (server code of 3cdf323). Run from the repository's root; every run holds the build lock.
set -euo pipefail
OUT=${OUT:-$(cd "$(dirname "$0")" && pwd)}
for i in 1 2 3; do
  JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 flock /tmp/switchboard-build.lock ./switchboard run \
    scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 --set messages.rate=500000 \
    --out "$OUT/jdk17-$i" > "$OUT/jdk17-$i.txt" 2>&1
done
