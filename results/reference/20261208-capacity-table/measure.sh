#!/usr/bin/env bash
# The capacity table again on the code of this stop: one search per transport (websocket twice), every variant of table.yaml (direct:
# the sharded ones), each step a fresh embedded server, under the build lock. Run from the project root.
# Not -e: a search whose variant holds no rate exits non-zero, and the next search runs anyway.
set -uo pipefail
here=results/reference/20261208-capacity-table
out=${1:-/tmp/cap}
mkdir -p "$out"
run() { flock /tmp/switchboard-build.lock ./switchboard capacity "$@"; }
for search in ${SEARCHES:-websocket in-process direct websocket-2}; do
  case $search in
    websocket*) run "$here/table.yaml" --set transport=websocket --start 4000 --out "$out/$search" > "$out/$search.txt" 2>&1 ;;
    in-process) run "$here/table.yaml" --set transport=in-process --start 8000 --out "$out/$search" > "$out/$search.txt" 2>&1 ;;
    direct) run "$here/table-direct.yaml" --set transport=direct --start 25000 --out "$out/$search" > "$out/$search.txt" 2>&1 ;;
  esac
  echo "$search exit $?" >> "$out/exits.txt"
done
echo done > "$out/DONE"
