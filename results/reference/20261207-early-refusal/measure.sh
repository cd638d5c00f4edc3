#!/bin/bash
# Hard mark at 4m (25ff301) against early refusal from 2m to 4m (0fb86f2: the direct variant at 2m) on direct, in alternating pairs at 1,000,000 and 500,000 msgs/s
# offered, the order of each pair switching: BEFORE and AFTER are worktrees of those commits, OUT where runs go.
# JDK 25.0.3 (the launcher's pick). Every build and run holds the build lock.
set -euo pipefail
BEFORE=${BEFORE:-/tmp/dev}
AFTER=${AFTER:-/tmp/new}
OUT=${OUT:-$(cd "$(dirname "$0")" && pwd)}
run() { # label worktree rate
  (cd "$2" && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct \
    --jvm-warmup 10 --set messages.rate="$3" --out "$OUT/$1" > "$OUT/$1.txt" 2>&1)
}
for rate in 1000000 500000; do
  tag=$([ "$rate" = 1000000 ] && echo 1m || echo 500k)
  for pair in 1 2 3; do
    if [ $((pair % 2)) = 1 ]; then
      run "$tag-before-$pair" "$BEFORE" "$rate"; run "$tag-after-$pair" "$AFTER" "$rate"
    else
      run "$tag-after-$pair" "$AFTER" "$rate"; run "$tag-before-$pair" "$BEFORE" "$rate"
    fi
  done
done
