#!/usr/bin/env bash
# Sessions held by one `serve` process over real sockets, driven by `run --workers 4` (scenarios/sessions-4-workers.yaml):
# the server's open files (/proc/PID/fd, sampled every 0.2 s over the whole run), its heap after a full GC (jcmd
# GC.run, then GC.heap_info) before the run, with every session held (10 s into the workload, before the storm at
# 20 s) and after the run (sessions closed, accounts and messages still there), and the run's own summary.json.
# Usage: results/reference/20261206-workers/measure.sh [OUT_DIR] (default /tmp/sessions-4-workers); PORT=18080.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out="${1:-/tmp/sessions-4-workers}"
port="${PORT:-18080}"
rm -rf "$out"
mkdir -p "$out"
cd "$root"

./switchboard -Dswitchboard.limits.registrations.perMinute=0 serve --port "$port" --data "$out/data" \
  > "$out/server.log" 2>&1 &
pid=$! # the launcher execs java: this is the server's JVM
trap 'kill "$pid" 2> /dev/null || true' EXIT
until grep -q "switchboard serving" "$out/server.log"; do
  kill -0 "$pid" || { cat "$out/server.log"; exit 1; }
  sleep 0.2
done
jcmd="$(dirname "$(readlink "/proc/$pid/exe")")/jcmd"
"$(dirname "$(readlink "/proc/$pid/exe")")/java" -version > "$out/server-jdk.txt" 2>&1

fds() { ls "/proc/$pid/fd" | wc -l; }
# heap LABEL: used heap after a full GC, in KiB, with the open files at that moment
heap() {
  "$jcmd" "$pid" GC.run > /dev/null
  local used
  used="$("$jcmd" "$pid" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -n 1)"
  echo "$1 heapUsedAfterGcKiB=$used openFiles=$(fds)" | tee -a "$out/server-samples.txt"
}
heap before
grep "open files" "/proc/$pid/limits" | tee -a "$out/server-samples.txt"

( while kill -0 "$pid" 2> /dev/null; do echo "$(date +%s.%N) $(fds)"; sleep 0.2; done ) > "$out/server-fds.txt" &
sampler=$!

./switchboard run scenarios/sessions-4-workers.yaml --target "127.0.0.1:$port" --workers 4 --out "$out/results" \
  > "$out/run.log" 2>&1 &
run=$!
until grep -q "workers ready: start" "$out/run.log"; do
  kill -0 "$run" || { tail -n 40 "$out/run.log"; exit 1; }
  sleep 0.2
done
sleep 10
heap held
code=0
wait "$run" || code=$?
heap after
kill "$sampler" 2> /dev/null || true
echo "max server open files over the run: $(sort -k2 -n "$out/server-fds.txt" | tail -n 1 | cut -d' ' -f2)" \
  | tee -a "$out/server-samples.txt"
echo "run exit $code; run output in $out/run.log"
exit "$code"
