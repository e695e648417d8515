#!/bin/bash
# Chromium with the GPU enabled, for CHROMIUM_PATH: e2e/browser.ts (used by `npm run bench:browser`)
# launches $CHROMIUM_PATH with Playwright's flags, so this wrapper adds the GPU flags without
# changing the benchmark. The real binary is $CHROMIUM_REAL (default /usr/bin/chromium).
#   CHROMIUM_PATH=$PWD/bench/gpu/chromium-gpu.sh npm run bench:browser -- out.json
# Linux needs Vulkan for WebGPU; ANGLE on Vulkan gives WebGL the GPU too. Playwright passes its
# own --enable-features list, and Chromium keeps only the last one, so ours is merged into it.
# $CHROMIUM_GPU_FLAGS adds more (e.g. --use-angle=gl-egl where Vulkan is missing).
REAL=${CHROMIUM_REAL:-/usr/bin/chromium}
FEATURES=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan
args=()
merged=0
for a in "$@"; do
  case $a in
    --enable-features=*) args+=("$a,$FEATURES"); merged=1 ;;
    *) args+=("$a") ;;
  esac
done
[ $merged = 1 ] || args+=("--enable-features=$FEATURES")
# shellcheck disable=SC2086
exec "$REAL" "${args[@]}" --enable-unsafe-webgpu --ignore-gpu-blocklist --enable-gpu --use-angle=vulkan --disable-vulkan-surface ${CHROMIUM_GPU_FLAGS:-}
