#!/usr/bin/env bash
# The websocket runs again at 150,000 msgs/s offered: at 60,000 (measure.sh) sharded binary carried nearly all it
# was offered, so that rate did not reach its capacity. Three runs; JDK 25. Under the build lock. From the project root.
set -uo pipefail
here=results/reference/20261208-routing-codec
out=${1:-/tmp/rc}
mkdir -p "$out"
for r in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run "$here/routing-codec.yaml" --set transport=websocket \
    --set messages.rate=150000 --jvm-warmup 10 --out "$out/websocket-150k-$r" > "$out/websocket-150k-$r.txt" 2>&1
done
echo done > "$out/DONE-150k"
