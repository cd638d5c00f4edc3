#!/bin/bash
# usage: abv.sh outdir variant rate rounds basedir newdir [extra args] -- alternates base and new runs of one variant (order flips per round)
out=$1; variant=$2; rate=$3; rounds=$4; base=$5; new=$6; shift 6
mkdir -p $out
for r in $(seq 1 $rounds); do
  order="base new"; [ $((r % 2)) = 0 ] && order="new base"
  for v in $order; do
    dir=$new; [ $v = base ] && dir=$base
    (cd $dir && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant $variant --jvm-warmup 10 \
      --set messages.rate=$rate "$@" --out $out/$v-$r > $out/$v-$r.txt 2>&1)
  done
done
echo done > $out/DONE
