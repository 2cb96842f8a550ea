#!/usr/bin/env bash
# User-space instructions per call of each server, counted by valgrind's
# callgrind: repeatable where CPU time on a shared machine is not. Each server
# runs under callgrind with instrumentation off; our client warms it up, then
# instrumentation is switched on for a measured run and the total is divided
# by the calls the client made. The kernel's work (the TCP stack) is not
# counted: for that read run.sh's CPU columns.
# Settings (environment): SERVERS ("server volo-server floor-server"),
#   TRANSPORT (pool), DURATION (s, 4), CONCURRENCY (100), PAYLOAD (1024),
#   PORT (19290). Needs valgrind.
set -euo pipefail

SERVERS=${SERVERS:-server volo-server floor-server}
TRANSPORT=${TRANSPORT:-pool}
DURATION=${DURATION:-4}
CONCURRENCY=${CONCURRENCY:-100}
PAYLOAD=${PAYLOAD:-1024}
PORT=${PORT:-19290}
ADDR=127.0.0.1:$PORT

source "$(dirname "$0")/common.sh"

work=$(mktemp -d)
trap 'stop_server; rm -rf "$work"' EXIT

client() {
  "$bin/client" --addr "$ADDR" --threads 1 --concurrency "$CONCURRENCY" \
    --payload "$PAYLOAD" --duration "$1" --warmup 0 --transport "$TRANSPORT"
}

for server in $SERVERS; do
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/$server.out" \
    "$bin/$server" --addr "$ADDR" --threads 1 --transport "$TRANSPORT" >"$work/$server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 200); do
    grep -q '^listening on' "$work/$server.log" && break
    sleep 0.1
  done
  client 2 >/dev/null
  callgrind_control -i on "$server_pid" >/dev/null
  line=$(client "$DURATION" | tail -n 1)
  callgrind_control -d "$server_pid" >/dev/null
  stop_server
  calls=$(sed 's/.*calls=\([0-9]*\).*/\1/' <<<"$line")
  # The dump taken while instrumented is the largest file.
  dump=$(ls -S "$work/$server.out"* | head -n 1)
  total=$(callgrind_annotate "$dump" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
  echo "$server $TRANSPORT: calls=$calls instructions=$total per_call=$((total / calls))"
done
