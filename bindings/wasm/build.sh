#!/usr/bin/env bash
# Builds the WASM package into bindings/wasm/pkg/, three modules in each folder:
#   chiso_wasm      the engine the form loads first (Engine: load, nodes, validate, score,
#                   session; Session; feature `form`), at most FORM_LIMIT after wasm-opt
#                   (js/size.test.mjs fails above; issue 13's target is 400 KiB)
#   chiso_analysis  what-if, plan, headroom, scenarios, sensitivity, explain, loaded on
#                   demand (feature `analysis`)
#   chiso_records   dossier records (QĐ 766) and SIPAS answer sheets, loaded on demand
#                   (feature `records`)
#   pkg/web      ES modules for browsers, bundlers and <script type="module">
#   pkg/node     CommonJS modules for Node.js
#   pkg/schemas  the JSON Schemas (criteria/schema/*.schema.json, minified), served beside
#                the modules instead of embedded in them
#   pkg/{web,node}/messages.json  the problem messages' catalog (src/diagnostics/messages.json,
#                minified), which the form's module does not embed (js/chiso.js hands it over)
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli at the crate's exact
# version, and `npm install` at the repository root (for binaryen's wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
raw="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm/chiso_wasm.wasm"
opt="$root/node_modules/.bin/wasm-opt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for module in chiso_wasm:form,lean chiso_analysis:analysis chiso_records:records; do
  name=${module%%:*}
  feature=${module##*:}
  cargo build --profile wasm --target wasm32-unknown-unknown -p chiso-wasm --locked \
    --no-default-features --features "$feature"
  cp "$raw" "$tmp/$name.wasm"
done
names="chiso_wasm chiso_analysis chiso_records"
for target in web nodejs; do
  out=bindings/wasm/pkg/${target/nodejs/node}
  rm -rf "$out"
  for name in $names; do
    wasm-bindgen "$tmp/$name.wasm" --out-dir "$out" --target "$target"
    # wasm-bindgen writes the same module for both targets (only the JS glue differs):
    # optimise it once and reuse it for the second target when the bytes match.
    if [ "$target" = web ]; then
      cp "$out/${name}_bg.wasm" "$tmp/$name.bindgen.wasm"
    elif [ -x "$opt" ] && cmp -s "$out/${name}_bg.wasm" "$tmp/$name.bindgen.wasm"; then
      cp "bindings/wasm/pkg/web/${name}_bg.wasm" "$out/${name}_bg.wasm"
      continue
    fi
    if [ -x "$opt" ]; then
      # --low-memory-unused (4.5 KB less in the form's module): the linker puts the stack
      # first (1 MiB growing down to 0), so the low 1 KiB is touched only by a stack about
      # to overflow; wasm-opt may then fold constant offsets into loads and stores.
      # The form's module, whose bytes delay the first paint, also goes through flatten and
      # rereloop (the control flow rebuilt by binaryen's relooper), merged look-alike
      # functions and a second -Oz: 10.4 KB less, re-scoring as fast (js/bench.mjs).
      passes=(-Oz)
      [ "$name" = chiso_wasm ] && passes=(--flatten --rereloop --merge-similar-functions -Oz -Oz)
      "$opt" "${passes[@]}" --low-memory-unused --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
    else
      echo "warning: $opt not found (run npm install at the repository root); the module is not size-optimised" >&2
    fi
  done
done
[ "$(ls bindings/wasm/pkg/node)" ] && echo '{"type":"commonjs"}' > bindings/wasm/pkg/node/package.json
node -e '
  const fs = require("fs");
  const [src, ...outs] = process.argv.slice(1);
  const text = JSON.stringify(JSON.parse(fs.readFileSync(src, "utf8")));
  for (const out of outs) fs.writeFileSync(`${out}/messages.json`, text);
' src/diagnostics/messages.json bindings/wasm/pkg/web bindings/wasm/pkg/node
rm -rf bindings/wasm/pkg/schemas
mkdir -p bindings/wasm/pkg/schemas
node -e '
  const fs = require("fs");
  const [src, out] = process.argv.slice(1);
  for (const f of fs.readdirSync(src).filter((f) => f.endsWith(".schema.json")).sort())
    fs.writeFileSync(`${out}/${f}`, JSON.stringify(JSON.parse(fs.readFileSync(`${src}/${f}`, "utf8"))));
' criteria/schema bindings/wasm/pkg/schemas
for name in $names; do
  f=bindings/wasm/pkg/web/${name}_bg.wasm
  size=$(wc -c < "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  echo "${name}_bg.wasm: $size bytes ($((size / 1024)) KiB), gzip -9: $gz bytes ($((gz / 1024)) KiB)"
done
f=bindings/wasm/pkg/web/messages.json
echo "messages.json: $(wc -c < "$f") bytes, gzip -9: $(gzip -9 -c "$f" | wc -c) bytes"
echo "schemas: $(ls bindings/wasm/pkg/schemas | wc -l) files in bindings/wasm/pkg/schemas ($(cat bindings/wasm/pkg/schemas/* | wc -c) bytes)"
