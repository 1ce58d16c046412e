#!/usr/bin/env bash
# Builds the static self-assessment form into bindings/web/dist/:
#   the WASM engine (bindings/wasm/pkg/web: the form's module, the analysis and records
#   modules it loads on demand, the problem messages' catalog messages.json; the JSON Schemas
#   in schemas/), the page (src/), the shipped criteria sets
#   and example assessments, and criteria-list.json listing them.
# Serve it with any static server, e.g. python3 -m http.server -d bindings/web/dist 8000
# Set CHISO_WEB_SKIP_WASM=1 to reuse an existing bindings/wasm/pkg/web.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${CHISO_WEB_SKIP_WASM:-}" = 1 ] && [ -f bindings/wasm/pkg/web/chiso_wasm.js ] \
  && [ -f bindings/wasm/pkg/web/chiso_analysis.js ] && [ -f bindings/wasm/pkg/web/messages.json ] \
  && [ -d bindings/wasm/pkg/schemas ]; then
  echo "reusing bindings/wasm/pkg/web (CHISO_WEB_SKIP_WASM=1)"
else
  bash bindings/wasm/build.sh
fi
dist=bindings/web/dist
rm -rf "$dist"
mkdir -p "$dist"
cp bindings/wasm/pkg/web/* "$dist/"
rm -f "$dist/package.json" "$dist/.gitignore"
# The JSON Schemas, served beside the modules (not embedded in them).
cp -r bindings/wasm/pkg/schemas "$dist/schemas"
cp bindings/web/src/* "$dist/"
node bindings/web/manifest.mjs . "$dist"
echo "built $dist"
