#!/bin/bash
# CPU per delivered message at 400,000 msgs/s offered on direct (below capacity, so every run delivers what it is
# offered and the CPU figures compare), alternating: f13b424 (before the lazy unread index) with huge pages, 725429a
# (after) with huge pages, 725429a without them; three rounds on JDK 25, then 725429a with and without on JDK 17.
# BEFORE is a checkout of f13b424 beside this one (git worktree add ../before f13b424).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
before=${BEFORE:?a checkout of f13b424}
out=$PWD/results/reference/20261207-huge-pages/ab-400k
run() { # name dir [java opts]
  (cd "$2" && JAVA_OPTS="${3:-}" ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
    --set messages.rate=400000 --out "$out/$1") | tee "$out/$1.txt"
}
for round in 1 2 3; do
  run "jdk25-before-on-$round" "$before"
  run "jdk25-after-on-$round" .
  run "jdk25-after-off-$round" . -XX:-UseTransparentHugePages
done
export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
for round in 1 2 3; do
  run "jdk17-after-on-$round" .
  run "jdk17-after-off-$round" . -XX:-UseTransparentHugePages
done
