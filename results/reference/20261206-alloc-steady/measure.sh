#!/bin/bash
# Issue 14 item 5: bytes allocated per message by the server's threads at steady state (unread lists at their bound),
# three runs on JDK 25 (the launcher's pick) and one on JDK 17.
cd "$(dirname "$0")/../../.."
dir=results/reference/20261206-alloc-steady
for i in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run $dir/alloc-steady.yaml --out $dir/jdk25-$i
done
JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 flock /tmp/switchboard-build.lock ./switchboard run $dir/alloc-steady.yaml \
  --out $dir/jdk17-1
