#!/usr/bin/env bash
# Builds the form (WASM engine included) and runs its browser tests in the system
# Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) with Node's test runner.
# Needs `npm install` at the repository root (playwright-core; no browser is downloaded).
# Artifacts (screenshots, the keystroke benchmark) go to bindings/web/tests/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash bindings/web/build.sh
# The tests compare every displayed figure with the native CLI built from the same sources
# ($CHISO_BIN when the caller has just built it, else a release build here).
if [ -z "${CHISO_BIN:-}" ]; then
  cargo build -q --release -p chiso-cli
fi
node --test --test-reporter=spec bindings/web/tests/
