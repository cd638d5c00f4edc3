#!/usr/bin/env bash
# Sharded vs locked and binary vs JSON at saturation, every variant in one run: in-process at 150,000 msgs/s offered
# and websocket at 60,000, three runs each, alternating transports; JDK 25 (the launcher's pick). Under the build lock.
# Run from the project root.
set -uo pipefail
here=results/reference/20261208-routing-codec
out=${1:-/tmp/rc}
mkdir -p "$out"
for r in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run "$here/routing-codec.yaml" --set transport=in-process \
    --set messages.rate=150000 --jvm-warmup 10 --out "$out/in-process-$r" > "$out/in-process-$r.txt" 2>&1
  flock /tmp/switchboard-build.lock ./switchboard run "$here/routing-codec.yaml" --set transport=websocket \
    --set messages.rate=60000 --jvm-warmup 10 --out "$out/websocket-$r" > "$out/websocket-$r.txt" 2>&1
done
echo done > "$out/DONE"
