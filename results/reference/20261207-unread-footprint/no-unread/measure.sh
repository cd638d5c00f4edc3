#!/bin/bash
# alternating: same build, unread tracking on (base) and off (new, -Dexp.noUnread=true), 500k offered, 3 pairs
out=/tmp/nou-ab; mkdir -p $out; cd /tmp/nou
for r in 1 2 3; do
  order="base new"; [ $((r % 2)) = 0 ] && order="new base"
  for v in $order; do
    opts=""; [ $v = new ] && opts="-Dexp.noUnread=true"
    JAVA_OPTS="$opts" flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=500000 --out $out/$v-$r > $out/$v-$r.txt 2>&1
  done
done
echo done > $out/DONE
