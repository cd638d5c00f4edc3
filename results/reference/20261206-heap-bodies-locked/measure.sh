#!/bin/bash
# router.heapBodies waiting vs all under locked routing, in one run, in-process binary at 33,000 msgs/s (about its
# capacity), three runs on JDK 25 (the launcher's pick), then three at 45,000 (past it).
cd "$(dirname "$0")/../../.."
dir=results/reference/20261206-heap-bodies-locked
for i in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run $dir/locked.yaml --out $dir/jdk25-33k-$i
done
for i in 1 2 3; do
  flock /tmp/switchboard-build.lock ./switchboard run $dir/locked.yaml --set messages.rate=45000 --out $dir/jdk25-45k-$i
done
