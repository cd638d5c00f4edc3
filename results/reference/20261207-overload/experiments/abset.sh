#!/bin/bash
# usage: abset.sh outdir rate rounds setA setB : alternating runs of the working tree with two --set values
out=$1; rate=$2; rounds=$3; A=$4; B=$5
mkdir -p $out
for r in $(seq 1 $rounds); do
  for side in A B; do
    set=$A; [ $side = B ] && set=$B
    (cd /work/main && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 \
      --set messages.rate=$rate --set $set --out $out/$side-$r > $out/$side-$r.txt 2>&1)
    printf "%-40s r%s " "$set" $r; grep -E "^direct " $out/$side-$r.txt | awk '{printf "delivered/s %s p99 %s %s refused %s ", $3,$6,$7,$(NF-2)}'; grep -oE "[0-9.]+ µs per message delivered" $out/$side-$r.txt
  done
done
