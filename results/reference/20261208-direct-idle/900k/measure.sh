#!/bin/bash
# The direct transport past 700,000 offered, 479a5d6: the ceiling and direct variants in one run at 900,000 offered
# (efficiency: direct's delivered/s over the ceiling's), three runs on JDK 25 and three on JDK 17.
out=${1:-/tmp/top}
new=/tmp/wt-new
run() { local name=$1; shift; (cd $new && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant ceiling --variant direct --jvm-warmup 10 --set messages.rate=900000 "$@" --out $out/$name > $out/$name.txt 2>&1); }
mkdir -p $out
for r in 1 2 3; do
  run jdk25-$r
  JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 run jdk17-$r
done
echo done > $out/DONE
