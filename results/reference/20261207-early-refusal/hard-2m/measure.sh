#!/bin/bash
# The hard mark at 2m against the hard mark at 4m (the tree's, 25ff301), on direct, in alternating pairs at 500,000
# and 1,000,000 msgs/s offered. BEFORE is a worktree of 25ff301; tc-hard2m.yaml is throughput-ceiling.yaml with the
# direct variant's router.outboxHighBytes at 2m. JDK 25.0.3 (the launcher's pick). Every run holds the build lock.
set -euo pipefail
BEFORE=${BEFORE:-/tmp/dev}
OUT=${OUT:-$(cd "$(dirname "$0")" && pwd)}
sed 's/router.outboxHighBytes: 4m}/router.outboxHighBytes: 2m}/' "$BEFORE/scenarios/throughput-ceiling.yaml" \
  > "$BEFORE/scenarios/tc-hard2m.yaml"
run() { # label scenario rate
  (cd "$BEFORE" && flock /tmp/switchboard-build.lock ./switchboard run "$2" --variant direct --jvm-warmup 10 \
    --set messages.rate="$3" --out "$OUT/$1" > "$OUT/$1.txt" 2>&1)
}
for rate in 500000 1000000; do
  tag=$([ "$rate" = 1000000 ] && echo 1m || echo 500k)
  for pair in 1 2; do
    if [ "$pair" = 1 ]; then order="4m 2m"; else order="2m 4m"; fi
    for mark in $order; do
      scenario=$([ "$mark" = 4m ] && echo scenarios/throughput-ceiling.yaml || echo scenarios/tc-hard2m.yaml)
      run "$tag-$mark-$pair" "$scenario" "$rate"
    done
  done
done
