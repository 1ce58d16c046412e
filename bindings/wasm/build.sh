#!/usr/bin/env bash
# Builds the WASM package into bindings/wasm/pkg/:
#   pkg/web   ES module for browsers, bundlers and <script type="module">
#   pkg/node  CommonJS module for Node.js
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli at the crate's exact
# version, and `npm install` at the repository root (for binaryen's wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
cargo build --profile wasm --target wasm32-unknown-unknown -p chiso-wasm --locked
raw="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm/chiso_wasm.wasm"
opt="$root/node_modules/.bin/wasm-opt"
for target in web nodejs; do
  out=bindings/wasm/pkg/${target/nodejs/node}
  rm -rf "$out"
  wasm-bindgen "$raw" --out-dir "$out" --target "$target"
  if [ -x "$opt" ]; then
    "$opt" -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$out/chiso_wasm_bg.wasm" -o "$out/chiso_wasm_bg.wasm"
  else
    echo "warning: $opt not found (run npm install at the repository root); the module is not size-optimised" >&2
  fi
done
[ "$(ls bindings/wasm/pkg/node)" ] && echo '{"type":"commonjs"}' > bindings/wasm/pkg/node/package.json
size=$(wc -c < bindings/wasm/pkg/web/chiso_wasm_bg.wasm)
gz=$(gzip -9 -c bindings/wasm/pkg/web/chiso_wasm_bg.wasm | wc -c)
echo "chiso_wasm_bg.wasm: $size bytes ($((size / 1024)) KiB), gzip -9: $gz bytes ($((gz / 1024)) KiB)"
