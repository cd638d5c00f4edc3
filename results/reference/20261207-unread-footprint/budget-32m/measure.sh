#!/bin/bash
out=/tmp/ub-ab; mkdir -p $out; cd /tmp/m
for r in 1 2; do
  order="base new"; [ $((r % 2)) = 0 ] && order="new base"
  for v in $order; do
    extra=""; [ $v = new ] && extra="--set server.router.maxUnreadBytes=32m"
    flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=500000 $extra --out $out/$v-$r > $out/$v-$r.txt 2>&1
  done
done
echo done > $out/DONE
