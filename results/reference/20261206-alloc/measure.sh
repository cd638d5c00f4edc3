#!/bin/bash
# Issue 14 item 5: bytes allocated per message on the direct transport (summary.json's allocation), three runs on JDK 25
# (the launcher's pick) and one on JDK 17.
cd "$(dirname "$0")/../../.."
for i in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run results/reference/20261206-alloc/alloc.yaml --out results/reference/20261206-alloc/jdk25-$i
done
JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 flock /tmp/switchboard-build.lock ./switchboard run \
  results/reference/20261206-alloc/alloc.yaml --out results/reference/20261206-alloc/jdk17-1
