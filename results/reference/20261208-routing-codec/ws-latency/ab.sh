#!/bin/bash
# base/new alternating: capacity-table's workload, sharded-json over websocket at $RATE offered (12000, then 6000), 10 s.
out=${1:-/tmp/wsab}; mkdir -p $out
y=/work/main/results/reference/20261208-capacity-table/table.yaml
for r in 1 2 3; do
  order="base new"; [ $((r % 2)) = 0 ] && order="new base"
  for v in $order; do
    dir=/tmp/wt-new; [ $v = base ] && dir=/tmp/wt-base
    (cd $dir && flock /tmp/switchboard-build.lock ./switchboard run $y --variant sharded-json --set transport=websocket --set messages.rate=${RATE:-6000} --out $out/$v-$r > $out/$v-$r.txt 2>&1)
  done
done
echo done > $out/DONE
