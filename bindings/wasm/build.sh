#!/usr/bin/env bash
# Builds the WASM package into bindings/wasm/pkg/, two modules in each folder:
#   chiso_wasm     the engine the form loads first (Engine, Session, schemas; feature `form`)
#   chiso_records  dossier records (QĐ 766) and SIPAS answer sheets, loaded on demand
#                  (feature `records`)
#   pkg/web   ES modules for browsers, bundlers and <script type="module">
#   pkg/node  CommonJS modules for Node.js
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli at the crate's exact
# version, and `npm install` at the repository root (for binaryen's wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
raw="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm/chiso_wasm.wasm"
opt="$root/node_modules/.bin/wasm-opt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for module in chiso_wasm:form chiso_records:records; do
  name=${module%%:*}
  feature=${module##*:}
  cargo build --profile wasm --target wasm32-unknown-unknown -p chiso-wasm --locked \
    --no-default-features --features "$feature"
  cp "$raw" "$tmp/$name.wasm"
done
for target in web nodejs; do
  out=bindings/wasm/pkg/${target/nodejs/node}
  rm -rf "$out"
  for name in chiso_wasm chiso_records; do
    wasm-bindgen "$tmp/$name.wasm" --out-dir "$out" --target "$target"
    if [ -x "$opt" ]; then
      "$opt" -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
    else
      echo "warning: $opt not found (run npm install at the repository root); the module is not size-optimised" >&2
    fi
  done
done
[ "$(ls bindings/wasm/pkg/node)" ] && echo '{"type":"commonjs"}' > bindings/wasm/pkg/node/package.json
for name in chiso_wasm chiso_records; do
  f=bindings/wasm/pkg/web/${name}_bg.wasm
  size=$(wc -c < "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  echo "${name}_bg.wasm: $size bytes ($((size / 1024)) KiB), gzip -9: $gz bytes ($((gz / 1024)) KiB)"
done
