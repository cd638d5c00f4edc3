#!/bin/bash
# The first comparison, on a build of 6f7b791 (before the launcher knew of huge pages): alternating runs at 500,000
# msgs/s on direct without and with -XX:+UseTransparentHugePages, two pairs on JDK 25 (1, 2), then two on JDK 17 (3, 4).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
out=results/reference/20261207-huge-pages/first-ab
for i in 1 2 3 4; do
  if [[ $i -ge 3 ]]; then export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64; else unset JAVA_HOME; fi
  for m in off on; do
    if [[ $m == on ]]; then o=-XX:+UseTransparentHugePages; else o=; fi
    JAVA_OPTS="$o" ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=500000 --out "$out/$m-$i"
  done
done
