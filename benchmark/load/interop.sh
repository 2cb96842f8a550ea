#!/usr/bin/env bash
# Wire interop with CloudWeGo's published Volo over TTHeader, both
# directions and both transports: each client's `--check` sets a persistent
# and a transient metainfo value, the server echoes what it received and
# sets a backward value, and the client checks both, then a call answered
# with a business status. Exits non-zero on the
# first failure. PORT (19190) picks the port on 127.0.0.1.
set -euo pipefail

PORT=${PORT:-19190}
ADDR=127.0.0.1:$PORT
source "$(dirname "$0")/common.sh"

status=0
for transport in pool multiplex; do
  for pair in "server volo-client" "volo-server client" "server client" "volo-server volo-client"; do
    read -r server client <<<"$pair"
    log=$(mktemp)
    "$bin/$server" --addr "$ADDR" --transport "$transport" >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
      grep -q '^listening on' "$log" && break
      sleep 0.05
    done
    if "$bin/$client" --addr "$ADDR" --transport "$transport" --check; then
      echo "PASS $server <- $client ($transport)"
    else
      echo "FAIL $server <- $client ($transport)"
      cat "$log"
      status=1
    fi
    rm -f "$log"
    stop_server
  done
done
exit $status
