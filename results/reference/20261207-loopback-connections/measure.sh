#!/bin/bash
# Loopback WebSockets (ws-bin) with 200 users instead of 2,000: the same traffic over a tenth of the connections.
# The first five runs came first, one after the other (23:25-23:32 UTC): 150,000 offered with 200, 2,000 and 200
# users, in-process binary at 200,000 offered with 200 users, and 75,000 offered with 200 users. Then the loop below.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../../.."
run() { # name, JAVA_HOME or "", rate, users, variant, more arguments
  local jh=$2
  if [ -n "$jh" ]; then export JAVA_HOME=$jh; else unset JAVA_HOME; fi
  ./switchboard run scenarios/throughput-ceiling.yaml --variant "${5:-ws-bin}" --jvm-warmup 10 --set messages.rate=$3 \
    --set users=$4 "${@:6}" --out "$here/$1" > "$here/$1.txt" 2>&1
}
JDK17=/usr/lib/jvm/java-17-openjdk-amd64
run jdk17-150k-200users-1 $JDK17 150000 200
run jdk25-150k-200users-3 "" 150000 200
run jdk17-150k-200users-2 $JDK17 150000 200
run jdk17-150k-2000users-1 $JDK17 150000 2000
run jdk17-150k-200users-3 $JDK17 150000 200
run jdk25-75k-200users-2 "" 75000 200
run jdk17-75k-200users-1 $JDK17 75000 200
run jdk25-75k-200users-3 "" 75000 200
run jdk17-75k-200users-2 $JDK17 75000 200
# Then two tries at the latency at 75,000 offered (JDK 25, 200 users): one I/O thread, and shards that sleep when idle.
run jdk25-75k-200users-ioThreads1 "" 75000 200 ws-bin --set server.transport.ioThreads=1
run jdk25-75k-200users-idle-sleep "" 75000 200 ws-bin --set server.router.idleStrategy=sleep
run jdk25-75k-200users-shards1 "" 75000 200 ws-bin --set server.router.shards=1
# Then lower rates, JDK 25, 200 users: 20,000 and 40,000 offered, and 20,000 again with a profile.
run jdk25-20k-200users "" 20000 200
run jdk25-40k-200users "" 40000 200
run jdk25-20k-200users-profiled "" 20000 200 ws-bin --profile
