#!/bin/bash
# The shards' idle strategy on direct at 500,000 msgs/s offered (scenarios/throughput-ceiling.yaml as of 9f225e0, whose
# direct variant used the default, backoff): backoff, yield and sleep in two rounds, then backoff and sleep in three
# more; then the ceiling variant at 1,200,000 with backoff and sleep, two rounds. JDK 25, one build.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=results/reference/20261207-idle-strategy
run() { # variant rate idle name
  ./switchboard run scenarios/throughput-ceiling.yaml --variant "$1" --jvm-warmup 10 --set messages.rate="$2" \
    --set server.router.idleStrategy="$3" --out "$out/$4"
}
for round in 1 2; do for idle in backoff yield sleep; do run direct 500000 $idle $idle-$round; done; done
for round in 3 4 5; do for idle in backoff sleep; do run direct 500000 $idle $idle-$round; done; done
for round in 1 2; do for idle in backoff sleep; do run ceiling 1200000 $idle ceiling-$idle-$round; done; done
# Between these, sleep-figure-runs/ ran the variant with router.idleStrategy: sleep in its file (uncommitted), three
# runs per JDK: ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 --set
# messages.rate=500000, JDK 25 then JDK 17 (JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64).
# Then four more pairs, sleep first in each (the --set decides the strategy either way).
for round in 6 7 8 9; do for idle in sleep backoff; do run direct 500000 $idle $idle-$round; done; done
