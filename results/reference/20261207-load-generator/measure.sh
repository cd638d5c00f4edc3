#!/bin/bash
# The figures on dfa041f: direct at 500,000 offered, three runs on JDK 25 and three on JDK 17; two runs at
# 1,000,000 offered on JDK 25. Each run under the build lock, one after the other.
out=${1:-/tmp/mres}
cd /tmp/m
for r in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
    --set messages.rate=500000 --out $out/jdk25-500k-$r > $out/jdk25-500k-$r.txt 2>&1
  JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
    --set messages.rate=500000 --out $out/jdk17-500k-$r > $out/jdk17-500k-$r.txt 2>&1
done
for r in 1 2; do
  flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
    --set messages.rate=1000000 --out $out/jdk25-1m-$r > $out/jdk25-1m-$r.txt 2>&1
done
echo done > $out/DONE
