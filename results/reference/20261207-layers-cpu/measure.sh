#!/bin/bash
# Every variant of scenarios/throughput-ceiling.yaml in one run at 100,000 msgs/s offered (below every socket
# variant's capacity is not possible on 2 cores; this is the rate the earlier layer tables used), each after 10 s of JVM
# warm-up: delivered/s and the CPU each delivered message cost, per layer.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./switchboard run scenarios/throughput-ceiling.yaml --jvm-warmup 10 --set messages.rate=100000 \
  --out results/reference/20261207-layers-cpu | tee results/reference/20261207-layers-cpu/run.txt
