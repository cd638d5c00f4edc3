#!/bin/bash
# Loopback WebSockets, binary, 200 users (200 connections), 479a5d6 on JDK 25: the server's I/O loops at the default
# (one a core: 2) and at 1, alternating, three runs each at 150,000 offered and three at 75,000.
out=${1:-/tmp/loopback}
new=/tmp/wt-new
run() { local name=$1; shift; (cd $new && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --jvm-warmup 10 --variant ws-bin --set users=200 "$@" --out $out/$name > $out/$name.txt 2>&1); }
mkdir -p $out
for r in 1 2 3; do
  for rate in 150000 75000; do
    order="io2 io1"; [ $((r % 2)) = 0 ] && order="io1 io2"
    for v in $order; do
      if [ $v = io1 ]; then run $v-$rate-$r --set messages.rate=$rate --set server.transport.ioThreads=1; else run $v-$rate-$r --set messages.rate=$rate; fi
    done
  done
done
echo done > $out/DONE
