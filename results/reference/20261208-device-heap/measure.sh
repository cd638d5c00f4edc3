#!/bin/bash
# Issue 14's heap per online device again on this stop's code: ../20261206-device-heap/device-heap.yaml (1,000,000
# users with two devices each, all online, direct transport), one run on JDK 25 and one on JDK 17, -Xmx16g.
cd "$(dirname "$0")/../../.."
y=results/reference/20261206-device-heap/device-heap.yaml
out=${1:-/tmp/dh}
JAVA_OPTS=-Xmx16g flock /tmp/switchboard-build.lock ./switchboard run $y --out $out/jdk25-1 > $out/jdk25-1.txt 2>&1
JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 JAVA_OPTS=-Xmx16g flock /tmp/switchboard-build.lock ./switchboard run $y \
  --out $out/jdk17-1 > $out/jdk17-1.txt 2>&1
