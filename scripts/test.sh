#!/usr/bin/env bash
# The whole test suite: native (library, CLI, WASM API), WASM in Node and in headless
# Chromium, the WASM package against the native CLI, and the web form in Chromium.
# Installs what is missing first (scripts/setup.sh). Published reference data are read
# from ../shared/data or $CHISO_REFERENCE_DATA.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== native tests [${SECONDS}s]"
cargo test --locked

echo "== WASM tests (Node and headless Chromium) [${SECONDS}s]"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}" \
  cargo test --locked --target wasm32-unknown-unknown -p chiso-wasm --test node --test browser

echo "== WASM package (size, parity with the native CLI) [${SECONDS}s]"
bash bindings/wasm/build.sh
target_dir="${CARGO_TARGET_DIR:-$(pwd)/target}"
CHISO_BIN="$target_dir/debug/chiso" node --test bindings/wasm/js/

echo "== web form in Chromium [${SECONDS}s]"
CHISO_BIN="$target_dir/debug/chiso" CHISO_WEB_SKIP_WASM=1 bash bindings/web/test.sh
echo "== done [${SECONDS}s]"
