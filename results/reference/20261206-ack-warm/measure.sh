#!/bin/bash
# Issue 15 item 5: send→ack p99 at half of the in-process capacity (31,000/s at p99 < 50 ms: 20261206-capacity-table),
# the Chronicle journal with and without its pretoucher vs a memory journal, three runs; every variant warmed 10 s first.
cd "$(dirname "$0")/../../.."
for i in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run results/reference/20261206-ack-warm/ack-pretouch.yaml \
    --set transport=in-process --set messages.rate=15500 --set duration=20s --set warmup=10s \
    --out results/reference/20261206-ack-warm/pretouch$i
done
