#!/bin/bash
# usage: abv.sh outdir variant rate rounds
out=$1; variant=$2; rate=$3; rounds=${4:-2}
mkdir -p $out
for r in $(seq 1 $rounds); do
  for side in base new; do
    dir=/work/main; [ $side = base ] && dir=/tmp/base
    (cd $dir && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant $variant --jvm-warmup 10 \
      --set messages.rate=$rate --out $out/$side-$variant-$rate-$r > $out/$side-$variant-$rate-$r.txt 2>&1)
    printf "%-5s %-8s %8s r%s " $side $variant $rate $r; grep -E "^$variant " $out/$side-$variant-$rate-$r.txt | awk '{print "delivered/s",$3,"p50",$4,$5,"p99",$6,$7,"refused",$(NF-2)}'
  done
done
