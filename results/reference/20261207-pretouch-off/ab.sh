#!/bin/bash
# usage: abset.sh outdir rate rounds dir "new args" -- alternates runs of one build without and with extra --set args
out=$1; rate=$2; rounds=$3; dir=$4; newargs=$5
mkdir -p $out
for r in $(seq 1 $rounds); do
  order="base new"; [ $((r % 2)) = 0 ] && order="new base"
  for v in $order; do
    extra=""; [ $v = new ] && extra="$newargs"
    (cd $dir && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=$rate $extra --out $out/$v-$r > $out/$v-$r.txt 2>&1)
  done
done
echo done > $out/DONE
