#!/bin/bash
# usage: ab.sh outdir rate rounds : alternating base (/tmp/base) and new (/work/main) runs of direct at rate
out=$1; rate=$2; rounds=${3:-2}
mkdir -p $out
for r in $(seq 1 $rounds); do
  for side in base new; do
    dir=/work/main; [ $side = base ] && dir=/tmp/base
    (cd $dir && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=$rate --out $out/$side-$rate-$r > $out/$side-$rate-$r.txt 2>&1)
    printf "%-5s %8s r%s " $side $rate $r; grep -E "^direct " $out/$side-$rate-$r.txt | awk '{print "delivered/s",$3,"p99",$6,$7,"refused",$(NF-2)}'
  done
done
