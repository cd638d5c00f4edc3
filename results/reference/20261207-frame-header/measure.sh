#!/bin/bash
# The commands behind this directory, in the order they ran (2026-12-07, 22:19-23:04 UTC, JDK 25.0.3, 2 vCPU).
# Builds under comparison sit in worktrees: /tmp/base = f981f6e (before), /tmp/new = c13de81, /tmp/new2 = 78ed97f,
# /tmp/split = c13de81 plus the experiment (in-process clients on a loop of their own; not landed).
set -euo pipefail
# Alternating pairs, order flipped each round (ab.sh): in-process binary at 150,000 offered, past its capacity.
./ab.sh ab-c13de81 inproc-bin 150000 4 /tmp/base /tmp/new
./ab.sh ab-split-experiment inproc-bin 150000 3 /tmp/new /tmp/split
./ab.sh ab-78ed97f inproc-bin 150000 3 /tmp/base /tmp/new2
# Loopback WebSockets, binary, at 100,000 offered.
./ab.sh ab-78ed97f-ws ws-bin 100000 3 /tmp/base /tmp/new2
# Profiles (async-profiler 4.2, itimer and allocation): the first of f981f6e and of c13de81, a ws-bin of c13de81, then
# f981f6e and 78ed97f alternating twice (profiles/pair1-*, pair2-*), and one of each variant on 78ed97f.
for dir in /tmp/base /tmp/new2 /tmp/base /tmp/new2; do
  (cd "$dir" && ./switchboard run scenarios/throughput-ceiling.yaml --variant inproc-bin --jvm-warmup 10 \
    --set messages.rate=150000 --profile --out "$OLDPWD/profiles/$(basename "$dir")")
done
# Every layer in one run, 100,000 offered, on 78ed97f.
(cd /tmp/new2 && ./switchboard run scenarios/throughput-ceiling.yaml --jvm-warmup 10 --set messages.rate=100000 \
  --out "$OLDPWD/layers-78ed97f") | tee layers-78ed97f.txt
# Last (00:00-00:06 UTC, a03dd8d, the code of 78ed97f): in-process binary at 150,000 offered, JDK 17 and 25 alternating.
for r in 1 2 3; do
  for j in 17 25; do
    if [ $j = 17 ]; then export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64; else unset JAVA_HOME; fi
    ./switchboard run scenarios/throughput-ceiling.yaml --variant inproc-bin --jvm-warmup 10 \
      --set messages.rate=150000 --out "$OLDPWD/inproc-final/jdk$j-$r" > "$OLDPWD/inproc-final/jdk$j-$r.txt" 2>&1
  done
done
