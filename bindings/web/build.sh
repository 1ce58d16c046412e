#!/usr/bin/env bash
# Builds the static self-assessment form into bindings/web/dist/:
#   the WASM engine (bindings/wasm/pkg/web), the page (src/), the shipped criteria sets
#   and example assessments, and criteria-list.json listing them.
# Serve it with any static server, e.g. python3 -m http.server -d bindings/web/dist 8000
# Set CHISO_WEB_SKIP_WASM=1 to reuse an existing bindings/wasm/pkg/web.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${CHISO_WEB_SKIP_WASM:-}" = 1 ] && [ -f bindings/wasm/pkg/web/chiso_wasm.js ]; then
  echo "reusing bindings/wasm/pkg/web (CHISO_WEB_SKIP_WASM=1)"
else
  bash bindings/wasm/build.sh
fi
dist=bindings/web/dist
rm -rf "$dist"
mkdir -p "$dist"
cp bindings/wasm/pkg/web/* "$dist/"
rm -f "$dist/package.json" "$dist/.gitignore"
cp bindings/web/src/* "$dist/"
node bindings/web/manifest.mjs . "$dist"
echo "built $dist"
