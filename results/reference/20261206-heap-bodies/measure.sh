#!/bin/bash
# router.heapBodies waiting vs all (and the ceiling) in one run: bytes allocated per message at 150,000 msgs/s, which
# every variant keeps up with, and msgs/s delivered at 400,000 offered, past sharded routing's capacity. Three runs of
# each on JDK 25 (the launcher's pick), one of each on JDK 17.
cd "$(dirname "$0")/../../.."
dir=results/reference/20261206-heap-bodies
for i in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run $dir/heap-bodies.yaml --out $dir/jdk25-150k-$i
  flock /tmp/switchboard-build.lock ./switchboard run $dir/heap-bodies.yaml --set messages.rate=400000 --out $dir/jdk25-400k-$i
done
export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
flock /tmp/switchboard-build.lock ./switchboard run $dir/heap-bodies.yaml --out $dir/jdk17-150k-1
flock /tmp/switchboard-build.lock ./switchboard run $dir/heap-bodies.yaml --set messages.rate=400000 --out $dir/jdk17-400k-1
