# Sourced by the harness scripts (run.sh, interop.sh, instructions.sh): the
# paths, the release build of both implementations, and stopping the server
# under test when the script ends.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench=$(dirname "$here")
bin=$bench/target/release

(cd "$bench" && cargo build --release -p load -p volo-peer)

server_pid=
stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
trap stop_server EXIT
