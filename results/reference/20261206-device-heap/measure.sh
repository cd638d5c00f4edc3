#!/bin/bash
# Issue 14: heap per online device on the direct transport, 2,000,000 devices online in one JVM with -Xmx16g; three
# runs on JDK 25 (the launcher's pick) and three on JDK 17. summary.json's `heap` has the heap after full GCs at the
# run's start (HeapCensus); per device = (initialOnline - serverStarted) / 2,000,000, everything the population costs
# on both sides.
cd "$(dirname "$0")/../../.."
for i in 1 2 3; do
  JAVA_OPTS=-Xmx16g flock /tmp/switchboard-build.lock ./switchboard run \
    results/reference/20261206-device-heap/device-heap.yaml --out results/reference/20261206-device-heap/jdk25-$i
done
for i in 1 2 3; do
  JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 JAVA_OPTS=-Xmx16g flock /tmp/switchboard-build.lock ./switchboard run \
    results/reference/20261206-device-heap/device-heap.yaml --out results/reference/20261206-device-heap/jdk17-$i
done
