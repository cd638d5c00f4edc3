#!/usr/bin/env bash
# The capacity table: one search per transport, every variant of table.yaml (direct: the sharded ones), each step a
# fresh embedded server; results/<time>-capacity-table-capacity/ per search. Run from the project root.
set -euo pipefail
here=results/reference/20261206-capacity-table
./switchboard capacity "$here/table.yaml" --set transport=websocket --start 4000
./switchboard capacity "$here/table.yaml" --set transport=in-process --start 8000
./switchboard capacity "$here/table-direct.yaml" --set transport=direct --start 25000
