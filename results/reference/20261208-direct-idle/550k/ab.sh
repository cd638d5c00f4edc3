#!/bin/bash
# Direct loop idling: base (6daf220, Netty's LocalIoHandler) and new (83e75a7, YieldingIoHandler) alternating, direct at
# 550,000 offered on JDK 25, four pairs, then a profiled pair. Each run under the build lock, one after the other.
out=${1:-/tmp/di}
base=/tmp/wt-base; new=/tmp/wt-new
run() { local dir=$1 name=$2; shift 2; (cd $dir && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 --set messages.rate=550000 "$@" --out $out/$name > $out/$name.txt 2>&1); }
mkdir -p $out
for r in 1 2 3 4; do
  order="base new"; [ $((r % 2)) = 0 ] && order="new base"
  for v in $order; do
    dir=$new; [ $v = base ] && dir=$base
    run $dir $v-$r
  done
done
run $new new-profiled --profile
run $base base-profiled --profile
echo done > $out/DONE
