#!/usr/bin/env bash
# Installs what the test suite needs beyond the Rust toolchain: the interop peers
# (Apache Thrift's compiler and its Python library). Safe to run repeatedly.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v thrift >/dev/null 2>&1; then
  echo "setup: installing thrift-compiler"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq thrift-compiler >/dev/null
fi

if ! python3 -c "import thrift" >/dev/null 2>&1; then
  echo "setup: installing the thrift Python package"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore thrift
fi

rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
