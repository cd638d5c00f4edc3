#!/bin/bash
# Sharded routing on the direct transport, one-to-one, journal on (durability all), oracle on, offered 500,000 msgs/s
# (past its capacity: what it delivers is its capacity), at three commits: 0356085 (before), f25f257 (no probe of the
# unread list on add) and 692da43 (a ring per shard in each outbox). Three runs each on JDK 25 (the launcher's pick),
# one each on JDK 17. Each commit is built in a worktree of its own; a run's JVM warms up for 10 s first.
set -e
repo=$(cd "$(dirname "$0")/../../.." && pwd)
dir=$repo/results/reference/20261206-outbox-rings
for commit in 0356085 f25f257 692da43; do
  wt=/tmp/wt-$commit
  [ -d $wt ] || git -C "$repo" worktree add -q --detach $wt $commit
done
run() {
  local commit=$1 out=$2
  (cd /tmp/wt-$commit && flock /tmp/switchboard-build.lock ./switchboard run scenarios/throughput-ceiling.yaml \
    --variant direct --jvm-warmup 10 --set messages.rate=500000 --out $dir/$out)
}
for i in 1 2 3; do
  for commit in 0356085 f25f257 692da43; do run $commit $commit-jdk25-$i; done
done
export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
for commit in 0356085 f25f257 692da43; do run $commit $commit-jdk17-1; done
