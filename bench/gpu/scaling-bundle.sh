#!/bin/bash
# Prepares `npm run bench:scaling` (bench/cpu-scaling.ts) for a many-core machine with no
# node_modules, npm or datasets, in the ignored folder .device/gpu/scaling:
#   cpu-scaling.mjs        bench/cpu-scaling.ts bundled by esbuild (run it with --synthetic)
#   copy-worker-entry.mjs  src/node/copy-worker.ts, what src/node/copy-workers.ts starts next to it
#   chunk-*.mjs            what the two share (tfjs)
#   *.wasm                 the wasm backend's binaries (SIMD and plain), which it loads from
#                          the bundle's folder (__dirname) in Node
# The folder runs from anywhere: node .device/gpu/scaling/cpu-scaling.mjs --synthetic --out FILE.
# A machine without Node (>= 20) also needs .device/node.xz (bench/gpu/build.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/../.."
S=.device/gpu/scaling
rm -rf "$S"
mkdir -p "$S"
node_modules/.bin/esbuild cpu-scaling=bench/cpu-scaling.ts copy-worker-entry=src/node/copy-worker.ts \
  --bundle --splitting --platform=node --format=esm --target=node20 --main-fields=module,main --minify \
  --keep-names --log-level=warning --outdir="$S" --out-extension:.js=.mjs \
  --banner:js="import { createRequire } from 'module'; const require = createRequire(import.meta.url); const __dirname = new URL('.', import.meta.url).pathname; const __filename = new URL(import.meta.url).pathname;"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm{,-simd}.wasm "$S"
du -sh "$S"
