#!/bin/bash
# Netty's leak detector at its default level (simple, as every run had it before) against off (the measuring
# commands' default now), alternating, on one build: the whole pipeline in-process and over loopback WebSockets,
# binary codec, sharded routing, durability all, offered past capacity, with a CPU profile of each.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=results/reference/20261206-leak-detection
for round in 1 2; do
  for level in simple disabled; do
    for variant in inproc-bin ws-bin; do
      ./switchboard -Dio.netty.leakDetection.level=$level run scenarios/throughput-ceiling.yaml --variant $variant \
        --jvm-warmup 10 --set messages.rate=100000 --profile --out "$out/$level-$round" \
        | tee "$out/$level-$round-$variant.txt"
    done
  done
done
