#!/bin/bash
# The in-process and loopback figures on 479a5d6 (JDK 25), each twice: in-process binary at 300,000 offered
# (2,000 users), loopback WebSockets binary at 150,000 offered and at 75,000 (200 users: 200 connections).
out=${1:-/tmp/layers}
new=/tmp/wt-new
run() { local name=$1; shift; (cd $new && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --jvm-warmup 10 "$@" --out $out/$name > $out/$name.txt 2>&1); }
mkdir -p $out
for r in 1 2; do
  run inproc-bin-300k-$r --variant inproc-bin --set messages.rate=300000
  run ws-bin-150k-$r --variant ws-bin --set messages.rate=150000 --set users=200
  run ws-bin-75k-$r --variant ws-bin --set messages.rate=75000 --set users=200
done
echo done > $out/DONE
