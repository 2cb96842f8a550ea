#!/usr/bin/env bash
# Runs the codec benchmarks pinned to one core and prints medians and ratios.
#
#   codec/run.sh                 two runs, the second with each group in reverse order
#   RUNS=4 CORE=0 codec/run.sh   four runs (alternating order) on core 0
#   codec/run.sh binary_decode   extra arguments go to criterion (here: a filter)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
workspace="$(dirname "$here")"
runs="${RUNS:-2}"
core="${CORE:-1}"
out="$workspace/target/codec-runs"

command -v taskset >/dev/null || { echo "taskset (util-linux) is needed" >&2; exit 1; }
cd "$workspace"
# Build first, so that compiling does not share the core with measuring.
cargo bench -p codec-bench --bench codec --no-run
mkdir -p "$out"
rm -f "$out"/run-*.json
saved=()
for i in $(seq 1 "$runs"); do
    reverse=$(( (i + 1) % 2 ))
    echo "== run $i of $runs (reverse order: $reverse) =="
    CODEC_BENCH_REVERSE="$reverse" taskset -c "$core" \
        cargo bench -p codec-bench --bench codec -- --noplot "$@"
    python3 "$here/report.py" "$workspace/target/criterion" --save "$out/run-$i.json"
    saved+=("$out/run-$i.json")
done
python3 "$here/report.py" "$workspace/target/criterion" --summary "${saved[@]}"
