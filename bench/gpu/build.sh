#!/bin/bash
# Prepares what bench/gpu/run-on-device.sh needs on a machine with no node_modules, in the
# ignored folder .device/gpu/bundle (carried to the device with `carry`):
#   webgpu-node-throughput.mjs  bench/gpu/webgpu-node-throughput.ts bundled by esbuild (tfjs included)
#   profile-step.mjs            bench/gpu/profile-step.ts, likewise (what bounds one training step)
#   dawn.node.xz                Dawn's Node bindings for linux-x64, from the npm package webgpu@0.6.2
#   profile-step-before.mjs     with BEFORE=<commit>: the profiler as it was at that commit, so that
#                               run-on-device.sh measures a change against its baseline in one run
# plus .gl/*.deb (the Vulkan loader and glvnd, see /work/.library/device/README.md) if missing,
# and .device/gpu/scaling (bench/gpu/scaling-bundle.sh: the CPU scaling bench without node_modules).
# Installs webgpu into .device/gpu/node_modules (never into the project) the first time.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=.device/gpu/bundle
mkdir -p "$B"
[ -f .device/gpu/node_modules/webgpu/dist/linux-x64/dawn.node ] || npm install --prefix .device/gpu --no-save webgpu@0.6.2
bundle() { # entry (a .ts file), output file
  node_modules/.bin/esbuild "$1" --bundle --platform=node --format=esm --target=node20 \
    --main-fields=module,main --minify --keep-names --log-level=warning --outfile="$2" \
    --banner:js="import { createRequire } from 'module'; const require = createRequire(import.meta.url); const __dirname = new URL('.', import.meta.url).pathname; const __filename = new URL(import.meta.url).pathname;"
}
for entry in webgpu-node-throughput profile-step; do bundle bench/gpu/$entry.ts "$B/$entry.mjs"; done
rm -f "$B/profile-step-before.mjs"
if [ -n "${BEFORE:-}" ]; then
  W=$(mktemp -d)/before
  git worktree add -q --detach "$W" "$BEFORE"
  ln -s "$PWD/node_modules" "$W/node_modules"
  (cd "$W" && bundle bench/gpu/profile-step.ts "$OLDPWD/$B/profile-step-before.mjs")
  git worktree remove --force "$W"
fi
bash bench/gpu/scaling-bundle.sh
[ -f "$B/dawn.node.xz" ] && [ "$B/dawn.node.xz" -nt .device/gpu/node_modules/webgpu/dist/linux-x64/dawn.node ] ||
  xz -T2 -9 -c .device/gpu/node_modules/webgpu/dist/linux-x64/dawn.node > "$B/dawn.node.xz"
if ! ls .gl/libvulkan1_*.deb >/dev/null 2>&1; then
  grep -qx '/.gl/' .git/info/exclude || echo /.gl/ >> .git/info/exclude
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update >/dev/null && (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
[ -f .device/node.xz ] || xz -T2 -6 -c "$(command -v node)" > .device/node.xz # Node for a machine without one (>= 20)
du -sh "$B"/* .device/node.xz .gl
