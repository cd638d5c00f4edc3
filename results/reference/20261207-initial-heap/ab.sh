#!/bin/bash
# usage: abenv.sh outdir rate rounds dir "JAVA_OPTS for new" -- same build, alternating base (no JAVA_OPTS) and new
out=$1; rate=$2; rounds=$3; dir=$4; opts=$5
mkdir -p $out
for r in $(seq 1 $rounds); do
  order="base new"; [ $((r % 2)) = 0 ] && order="new base"
  for v in $order; do
    o=""; [ $v = new ] && o="$opts"
    (cd $dir && JAVA_OPTS="$o" flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=$rate --out $out/$v-$r > $out/$v-$r.txt 2>&1)
  done
done
echo done > $out/DONE
