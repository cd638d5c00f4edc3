#!/bin/bash
# What this session's changes to sharded routing's one-to-one path bought, on the direct transport (one-to-one, journal
# on with durability all, oracle on): 0356085 (before) against f08c845 (no probe of the unread list on add, batched
# acknowledgements, no index deletion in the unread list).
# 1. A CPU profile of each at 400,000 msgs/s offered, twice each (JDK 25): the shards' samples per delivered message.
# 2. `capacity` (the highest offered rate at which delivered/s is at least 90% of what it owed, refused sends
#    included, nothing lost, the drain done), each after 10 s of JVM warm-up, twice each on JDK 25, once each on JDK
#    17, alternating: the server of 0356085 with capacity's two fixes (ec79886, 778ad86) cherry-picked onto it, against
#    778ad86 (f08c845's server).
# Each commit is built in a worktree of its own; a run's JVM warms up for 10 s first (--jvm-warmup) where run takes it.
set -e
repo=$(cd "$(dirname "$0")/../../.." && pwd)
dir=$repo/results/reference/20261206-shard-cost
sb() {
  local commit=$1; shift
  (cd /tmp/wt-$commit && flock /tmp/switchboard-build.lock ./switchboard "$@")
}
if [ "$1" != --capacity-only ]; then
commits="0356085 f08c845"
for commit in $commits; do
  [ -d /tmp/wt-$commit ] || git -C "$repo" worktree add -q --detach /tmp/wt-$commit $commit
done
for i in 1 2; do
  for commit in $commits; do
    sb $commit run scenarios/throughput-ceiling.yaml --variant direct --jvm-warmup 10 --set messages.rate=400000 \
      --profile --out $dir/profile-$commit-jdk25-$i
  done
done
fi
[ -d /tmp/wt-base ] || { git -C "$repo" worktree add -q --detach /tmp/wt-base 0356085 \
  && git -C /tmp/wt-base cherry-pick ec79886 778ad86; }
[ -d /tmp/wt-778ad86 ] || git -C "$repo" worktree add -q --detach /tmp/wt-778ad86 778ad86
commits="base 778ad86"
for i in 1 2; do
  for commit in $commits; do
    sb $commit capacity scenarios/throughput-ceiling.yaml --variant direct --start 200000 --out $dir/capacity-$commit-jdk25-$i
  done
done
export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
for commit in $commits; do
  sb $commit capacity scenarios/throughput-ceiling.yaml --variant direct --start 200000 --out $dir/capacity-$commit-jdk17-1
done
# 3. The step at 350,000 msgs/s that the searches split on, run alone (2 s warm-up, 5 s measured, as a step), twice
#    each on the base, f25f257, 15feda4 and 778ad86, alternating (JDK 25):
#    for c in base 778ad86 f25f257 15feda4; do (cd /tmp/wt-$c && ./switchboard run scenarios/throughput-ceiling.yaml \
#      --variant direct --jvm-warmup 10 --set messages.rate=350000 --set duration=5s --set warmup=2s \
#      --out $dir/step350-$c-$i); done
# 4. The same step on 778ad86 with the shards' idle strategy `sleep` (1 ms sleeps, no spinning) against the default
#    `backoff`, twice each, alternating (JDK 25):
#    for s in sleep backoff; do (cd /tmp/wt-778ad86 && ./switchboard run scenarios/throughput-ceiling.yaml \
#      --variant direct --jvm-warmup 10 --set messages.rate=350000 --set duration=5s --set warmup=2s \
#      --set server.router.idleStrategy=$s --out $dir/idle-$s-$i); done
# 5. Bytes allocated per message by the server's threads at 150,000 msgs/s, unread lists at their bound (the scenario
#    of results/reference/20261206-alloc-steady), once on JDK 17 and once on JDK 25, on 778ad86's parent (77a50a3):
#    JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 ./switchboard run \
#      results/reference/20261206-alloc-steady/alloc-steady.yaml --out $dir/alloc-jdk17-1
#    ./switchboard run results/reference/20261206-alloc-steady/alloc-steady.yaml --out $dir/alloc-jdk25-1
