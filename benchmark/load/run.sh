#!/usr/bin/env bash
# End-to-end load: our Volo against CloudWeGo's published Volo, every
# server/client pairing, pool and multiplex. The server runs pinned to one
# core with one worker thread, the client pinned to another; the server's CPU
# time over the measured window is read from /proc. Prints a table of
# medians and the ratios. A fifth pair, floor<-ours, measures the floor: a
# server that only turns request bytes into reply bytes (src/bin/floor-server.rs),
# the least CPU per call any server can spend on this machine's TCP. Settings (environment):
#   DURATION (s, 10)  WARMUP (s, 2)  CONCURRENCY (100)  PAYLOAD (bytes, 1024)
#   RUNS (3)  TRANSPORTS ("pool multiplex")  CLIENT_THREADS (1)
#   SERVER_CORE (0)  CLIENT_CORE (1)  PORT (19090)  RESULTS (a file for the raw rows)
set -euo pipefail

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONCURRENCY=${CONCURRENCY:-100}
PAYLOAD=${PAYLOAD:-1024}
RUNS=${RUNS:-3}
TRANSPORTS=${TRANSPORTS:-pool multiplex}
CLIENT_THREADS=${CLIENT_THREADS:-1}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
PORT=${PORT:-19090}
ADDR=127.0.0.1:$PORT

RESULTS=${RESULTS:-$(mktemp -t load-results.XXXXXX)}

source "$(dirname "$0")/common.sh"

# name, server binary, client binary
pairs=(
  "ours<-ours server client"
  "volo<-volo volo-server volo-client"
  "ours<-volo server volo-client"
  "volo<-ours volo-server client"
  "floor<-ours floor-server client"
)

clk_tck=$(getconf CLK_TCK)

# utime and stime of a process, in clock ticks: "user system".
cpu_ticks() {
  awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$1/stat"
}

# Starts server binary $1 for transport $2 and waits until it listens.
start_server() {
  local log
  log=$(mktemp)
  taskset -c "$SERVER_CORE" "$bin/$1" --addr "$ADDR" --threads 1 --transport "$2" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    if grep -q '^listening on' "$log"; then
      rm -f "$log"
      return 0
    fi
    sleep 0.05
  done
  echo "server $1 did not start:" >&2
  cat "$log" >&2
  exit 1
}

# One measurement: pair name, server, client, transport -> a row in $RESULTS.
measure() {
  local name=$1 server=$2 client=$3 transport=$4 out before after line user sys
  start_server "$server" "$transport"
  out=$(mktemp)
  taskset -c "$CLIENT_CORE" "$bin/$client" --addr "$ADDR" --threads "$CLIENT_THREADS" \
    --concurrency "$CONCURRENCY" --payload "$PAYLOAD" --duration "$DURATION" \
    --warmup "$WARMUP" --transport "$transport" >"$out" &
  local client_pid=$!
  sleep "$WARMUP"
  read -ra before <<<"$(cpu_ticks "$server_pid")"
  sleep "$DURATION"
  read -ra after <<<"$(cpu_ticks "$server_pid")"
  user=$((after[0] - before[0]))
  sys=$((after[1] - before[1]))
  wait "$client_pid"
  stop_server
  line=$(tail -n 1 "$out")
  rm -f "$out"
  echo "$name $transport: $line server_user_ticks=$user server_sys_ticks=$sys" >&2
  # pair transport qps p50 p99 p999 calls errors cpu_us_per_call user_us_per_call
  echo "$line" | awk -v pair="$name" -v tr="$transport" -v user="$user" -v sys="$sys" -v hz="$clk_tck" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    per = v["calls"] > 0 ? 1e6 / hz / v["calls"] : 0
    printf "%s %s %s %s %s %s %s %s %.2f %.2f\n", pair, tr, v["qps"], v["p50_us"], v["p99_us"], v["p999_us"], v["calls"], v["errors"], (user + sys) * per, user * per
  }' >>"$RESULTS"
}

echo "raw rows: $RESULTS" >&2
for run in $(seq "$RUNS"); do
  for transport in $TRANSPORTS; do
    # Pairs alternate within a round (A B C D A B C D ...), so drift in the
    # machine's load spreads over all of them.
    for p in "${pairs[@]}"; do
      read -r name server client <<<"$p"
      echo "run $run/$RUNS: $name over $transport" >&2
      measure "$name" "$server" "$client" "$transport"
    done
  done
done

"$here/table.sh" "$RESULTS"
