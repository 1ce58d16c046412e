#!/usr/bin/env bash
# Installs what the whole test suite needs, skipping what is already there:
# the wasm32 Rust target, wasm-bindgen-cli at the exact version in Cargo.lock,
# Debian's chromium + chromium-driver (browser tests), and the npm tools in
# package-lock.json (playwright-core drives the system Chromium; binaryen's wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown >/dev/null
rustup component add rustfmt clippy >/dev/null 2>&1 || true

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  echo "== installing wasm-bindgen-cli $want (found: ${have:-none})"
  # Not --locked: its lockfile wants crates the registry mirror lacks (see toolchain notes).
  cargo install wasm-bindgen-cli --version "=$want"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "== installing chromium and chromium-driver"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
  echo "== installing npm tools"
  npm ci --no-audit --no-fund
fi

# Python peers (polars, pandas): the SIPAS aggregates and the records benchmark are
# compared with an independent polars computation.
if ! python3 -c 'import polars, pandas' 2>/dev/null; then
  echo "== installing polars and pandas (pip)"
  python3 -m pip install --quiet --disable-pip-version-check polars pandas
fi
