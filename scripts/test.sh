#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, and every test of the workspace
# (unit, integration, doc tests, compile-fail snapshots, the IDL corpus, interop with
# Apache Thrift's Python library).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

# The hostile-client tests hold a thousand idle connections open at once.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked
