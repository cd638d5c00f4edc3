#!/bin/bash
# Issue 14's figure: msgs/s delivered by sharded routing on the direct transport, one-to-one, journal on (durability
# all), oracle on, beside the ceiling in the same run, offered 500,000 and 600,000 msgs/s (past its capacity: what it
# delivers is its capacity). Three runs of each on JDK 25 (the launcher's pick), one of each on JDK 17. Commit c148bf2+.
cd "$(dirname "$0")/../../.."
dir=results/reference/20261206-direct-600k
run() {
  flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant ceiling --variant direct "$@"
}
for i in 1 2 3; do
  run --set messages.rate=500000 --out $dir/jdk25-500k-$i
  run --set messages.rate=600000 --out $dir/jdk25-600k-$i
done
export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
run --set messages.rate=500000 --out $dir/jdk17-500k-1
run --set messages.rate=600000 --out $dir/jdk17-600k-1
