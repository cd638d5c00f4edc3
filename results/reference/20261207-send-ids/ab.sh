#!/bin/bash
# usage: ab3.sh outdir rate rounds basedir newdir [extra args] -- alternates base and new direct runs (order flips per round)
out=$1; rate=$2; rounds=$3; base=$4; new=$5; shift 5
mkdir -p $out
for r in $(seq 1 $rounds); do
  order="base new"; [ $((r % 2)) = 0 ] && order="new base"
  for v in $order; do
    dir=$new; [ $v = base ] && dir=$base
    (cd $dir && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=$rate "$@" --out $out/$v-$r > $out/$v-$r.txt 2>&1)
  done
done
echo done > $out/DONE
