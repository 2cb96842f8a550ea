#!/usr/bin/env bash
# Instruction counts per operation under callgrind: unlike wall-clock
# medians they do not move with the machine's load, so they show small
# differences that a noisy run hides. Needs valgrind.
#
#   codec/callgrind.sh                       every operation, 200 iterations each
#   ITERS=1000 codec/callgrind.sh binary_decode/ours binary_decode/pilota
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
workspace="$(dirname "$here")"
iters="${ITERS:-200}"
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
cd "$workspace"
cargo build --release -p codec-bench --example profile
bin="$workspace/target/release/examples/profile"
out="$workspace/target/callgrind"
mkdir -p "$out"
if [ "$#" -eq 0 ]; then
    mapfile -t ops < <("$bin" 2>&1 | sed -n 's/^  //p')
else
    ops=("$@")
fi
printf '%-30s %12s\n' operation 'instr/op'
for op in "${ops[@]}"; do
    file="$out/${op//\//_}.out"
    valgrind --tool=callgrind --callgrind-out-file="$file" \
        --toggle-collect='profile::measured' "$bin" "$op" "$iters" 2>/dev/null
    total=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$file")
    # The example runs the operation once more before its loop.
    printf '%-30s %12d\n' "$op" $(( total / (iters + 1) ))
done
echo "profiles: $out (callgrind_annotate FILE)"
