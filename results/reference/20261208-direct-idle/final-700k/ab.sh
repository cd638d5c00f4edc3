#!/bin/bash
# Base (6daf220) and new (479a5d6: the direct loop's idling and one clock read a timed send) alternating, direct at
# 700,000 offered, three pairs on JDK 25 and three on JDK 17, then a profiled pair on JDK 25 (new first). Each run under
# the build lock, one after the other.
out=${1:-/tmp/fin}
base=/tmp/wt-base; new=/tmp/wt-new
run() { local dir=$1 name=$2; shift 2; (cd $dir && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 --set messages.rate=700000 "$@" --out $out/$name > $out/$name.txt 2>&1); }
mkdir -p $out
for jdk in 25 17; do
  for r in 1 2 3; do
    order="base new"; [ $((r % 2)) = 0 ] && order="new base"
    for v in $order; do
      dir=$new; [ $v = base ] && dir=$base
      if [ $jdk = 17 ]; then JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 run $dir jdk$jdk-$v-$r; else run $dir jdk$jdk-$v-$r; fi
    done
  done
done
run $new jdk25-new-profiled --profile
run $base jdk25-base-profiled --profile
echo done > $out/DONE
