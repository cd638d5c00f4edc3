#!/bin/bash
# Issue 14: sharded routing on the direct transport at 400,000 msgs/s offered (past its capacity) beside the ceiling,
# after the allocation-free one-to-one path (718264e): the same command as results/reference/20261206-ceiling's
# direct-400k runs. Three runs on JDK 25 (the launcher's pick), one on JDK 17, and one more on JDK 25 with --profile.
cd "$(dirname "$0")/../../.."
dir=results/reference/20261206-direct-400k
run() {
  flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml --variant ceiling --variant direct \
    --set messages.rate=400000 "$@"
}
for i in 1 2 3; do
  run --out $dir/jdk25-$i
done
JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 run --out $dir/jdk17-1
run --profile --out $dir/jdk25-profile
