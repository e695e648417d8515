#!/bin/bash
# Issue 5's GPU comparison in one script: our training on TensorFlow.js's webgpu backend on the
# real GPU, and bench/pytorch_reference.py on CUDA, written to ONE JSON, $OUT/gpu-bench.json
# (OUT defaults to ./gpu-bench-out), with the device names and the ratios ours / PyTorch.
#
#   bench/gpu/build.sh            # here, once: bundle + dawn.node.xz into .device/gpu/bundle
#   OUT=/tmp/x bench/gpu/run-on-device.sh
#   # on the lent GPU machine (device tool): carry .device/gpu/bundle, .device/node.xz and .gl
#
# Two ways to reach WebGPU, each run where it can:
#  - Browser: where Chromium and node_modules exist, `npm run bench:browser` unchanged, with
#    CHROMIUM_PATH pointing at bench/gpu/chromium-gpu.sh (the GPU flags; the real binary is
#    $CHROMIUM_REAL, else `chromium` on PATH), after browser-gpu-info.ts has recorded which
#    adapter Chromium got. Its models are the browser bench's (LeNet; ResNet-20 width 4, batch 32).
#  - Node + Dawn: where .device/gpu/bundle exists (no Chromium, no node_modules needed): Dawn's
#    Node bindings (npm `webgpu`, dawn.node) give Node a navigator.gpu on Vulkan, and
#    bench/gpu/webgpu-node-throughput.ts measures LeNet-300-100 (batch 60, Adam) and ResNet-20
#    width 16 (batch 128, SGD) with src/core. Node is `node` if >= 20, else .device/node.xz.
#    The Vulkan loader comes from .gl/libvulkan1_*.deb when the system has none (unpacked under
#    /tmp, not over /; build.sh fetches it with glvnd), and the NVIDIA ICD from /usr/local/nvidia.
# PyTorch: python3 bench/pytorch_reference.py (CUDA when available), more steps than its CPU
# defaults, and once on the CPU (all cores) for scale ($PYTHON if set, else python3).
# CPU scaling: where .device/gpu/scaling exists (bench/gpu/scaling-bundle.sh; build.sh runs it),
# bench/cpu-scaling.ts on synthetic data over 1, 2, 4, 8, 16 copy workers, last, with the GPU
# idle, into $OUT/bench-scaling.json (SCALING_ARGS, e.g. "--quick", go to it).
# QUICK=1 shortens everything; SKIP_BROWSER=1 skips the Chromium path; SKIP_TORCH_CPU=1 skips
# PyTorch on the CPU; PROFILE_ROUNDS=1 profiles before and after once instead of twice;
# PROFILE_ARGS (e.g. "--no-ways") go to the profiler; PROFILE_ONLY=1 runs only
# bench/gpu/profile-step.ts (what bounds one step) on the GPU, into $OUT/profile-webgpu.json; DAWN_ARGS (e.g.
# "--seconds 3") and DAWN_FLAGS (flags for dawn.node's create) go to the Node + Dawn run.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-$ROOT/gpu-bench-out}
mkdir -p "$OUT"
T=$(mktemp -d)
log() { echo "[run-on-device $(date +%T)] $*"; }
QUICK=${QUICK:-}
PY=${PYTHON:-python3} # the python3 with torch
PROFILE_ROUNDS=${PROFILE_ROUNDS:-2} # rounds of before/after profiles (1 or 2)
if [ -n "$QUICK" ]; then STEPS=(200 20 50 2); else STEPS=(2000 200 300 5); fi # torch: cuda lenet, resnet; cpu lenet, resnet

main() {
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$T/nvidia-smi.txt" 2>/dev/null || echo "no nvidia-smi" > "$T/nvidia-smi.txt"
log "GPU: $(cat "$T/nvidia-smi.txt"); $(nproc) cores; $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p')"

NODE=
if command -v node >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
  NODE=$(command -v node)
elif [ -f .device/node.xz ]; then
  xz -dc .device/node.xz > "$T/node" && chmod +x "$T/node" && NODE=$T/node
fi
log "node: ${NODE:-none} $([ -n "$NODE" ] && "$NODE" --version)"

# --- Browser path -------------------------------------------------------------------------
CHROMIUM_REAL=${CHROMIUM_REAL:-${CHROMIUM_PATH:-$(command -v chromium || command -v chromium-browser || true)}}
echo '{"skipped": "SKIP_BROWSER set, or no Chromium on PATH, or no node_modules / node"}' > "$T/browser.json"
echo '{"skipped": "see browser"}' > "$T/browser-gpu-info.json"
if [ -z "${SKIP_BROWSER:-}" ] && [ -n "$CHROMIUM_REAL" ] && [ -x "$CHROMIUM_REAL" ] && [ -d node_modules/playwright-core ] && [ -n "$NODE" ]; then
  export CHROMIUM_REAL CHROMIUM_PATH=$ROOT/bench/gpu/chromium-gpu.sh PATH="$(dirname "$NODE"):$PATH"
  log "browser: $CHROMIUM_REAL with GPU flags (bench/gpu/chromium-gpu.sh)"
  timeout 120 node_modules/.bin/tsx bench/gpu/browser-gpu-info.ts "$T/browser-gpu-info.json" ||
    echo '{"error": "browser-gpu-info.ts failed, see gpu-bench.log"}' > "$T/browser-gpu-info.json"
  timeout "${BROWSER_TIMEOUT:-1500}" npm run bench:browser -- "$T/browser.json" ||
    echo '{"error": "npm run bench:browser failed, see gpu-bench.log"}' > "$T/browser.json"
fi

# --- Node + Dawn path ---------------------------------------------------------------------
B=.device/gpu/bundle
echo '{"skipped": "no .device/gpu/bundle (run bench/gpu/build.sh) or no node"}' > "$T/webgpu-node.json"
if [ -f "$B/webgpu-node-throughput.mjs" ] && [ -f "$B/dawn.node.xz" ] && [ -n "$NODE" ]; then
  xz -dc "$B/dawn.node.xz" > "$T/dawn.node"
  if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
    # libvulkan1, plus glvnd (libGLdispatch…) that NVIDIA's ICD, libGLX_nvidia.so.0, loads.
    for f in .gl/*.deb; do [ -f "$f" ] && dpkg -x "$f" "$T/gl"; done
    export LD_LIBRARY_PATH=$T/gl/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    log "Vulkan loader: none on the system; using .gl ($(ls "$T/gl/usr/lib/x86_64-linux-gnu" 2>/dev/null | tr '\n' ' '))"
  fi
  NV_ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f $NV_ICD ]; then
    export VK_DRIVER_FILES=$NV_ICD
  fi
  log "VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"
  [ -n "${PROFILE_ONLY:-}" ] || DAWN_NODE=$T/dawn.node timeout "${DAWN_TIMEOUT:-300}" "$NODE" "$B/webgpu-node-throughput.mjs" --out "$T/webgpu-node.json" ${QUICK:+--quick} ${DAWN_ARGS:-} ||
    log "webgpu-node-throughput exited with $?"
  # What bounds one step: kernels, GPU time per shader program (timestamp queries), dispatches, uploads, readbacks.
  # With $B/profile-step-before.mjs (the same profiler bundled from an earlier commit), both run in
  # turn, twice, so a change is measured against its baseline in the same run.
  for round in 1 ${PROFILE_ROUNDS/#1/}; do
    for which in before ""; do
      [ -z "$which" ] || [ -f "$B/profile-step-$which.mjs" ] || continue
      name=profile-webgpu${which:+-$which}${round/#1/}
      DAWN_NODE=$T/dawn.node timeout "${PROFILE_TIMEOUT:-240}" "$NODE" "$B/profile-step${which:+-$which}.mjs" --backend webgpu --out "$T/$name.json" ${QUICK:+--quick} ${PROFILE_ARGS:-} ||
        log "profile-step${which:+-$which} exited with $?"
      [ -f "$T/$name.json" ] && cp "$T/$name.json" "$OUT/$name.json"
    done
    [ -f "$B/profile-step-before.mjs" ] || break
  done
  if grep -q '"available": false' "$T/webgpu-node.json"; then
    log "no adapter: the Vulkan loader's view (VK_LOADER_DEBUG=error,warn,driver), last lines"
    ldd "$(ldconfig -p | sed -n 's/.*libGLX_nvidia.so.0 .*=> //p' | head -1)" 2>&1 | grep -i 'not found' || true
    VK_LOADER_DEBUG=error,warn,driver DAWN_NODE=$T/dawn.node timeout 60 "$NODE" -e 'process.env.DAWN_NODE && require(process.env.DAWN_NODE).create([]).requestAdapter().then((a) => console.log("adapter:", a && a.info.description))' 2>&1 | grep -v -E '^    at|In following locations|Searching for|icd\.d$|Found no files' | tail -n 40
  fi
fi

# --- PyTorch ------------------------------------------------------------------------------
torch_run() { # name, timeout, args...
  local name=$1 limit=$2
  shift 2
  log "pytorch $name: $*"
  if ! timeout "$limit" "$PY" bench/pytorch_reference.py "$@" > "$T/$name.out" 2> "$T/$name.err"; then
    python3 -c 'import json,sys; print(json.dumps({"error": open(sys.argv[1]).read()[-600:]}))' "$T/$name.err" > "$T/$name.out"
  fi
  tail -n 1 "$T/$name.out" > "$T/$name.json"
  cat "$T/$name.json"
}
if [ -n "${PROFILE_ONLY:-}" ]; then
  echo '{"skipped": "PROFILE_ONLY"}' > "$T/torch-cuda.json"
elif "$PY" -c 'import torch; raise SystemExit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  torch_run torch-cuda 240 --device cuda --lenet-steps "${STEPS[0]}" --resnet-steps "${STEPS[1]}"
else
  echo '{"skipped": "no CUDA (or no torch) for python3"}' > "$T/torch-cuda.json"
fi
if [ -n "${PROFILE_ONLY:-}${SKIP_TORCH_CPU:-}" ]; then echo '{"skipped": "PROFILE_ONLY or SKIP_TORCH_CPU"}' > "$T/torch-cpu.json"
else torch_run torch-cpu 180 --device cpu --threads "$(nproc)" --lenet-steps "${STEPS[2]}" --resnet-steps "${STEPS[3]}"; fi

# --- CPU scaling: copy workers on this machine's cores (wasm), last, with the GPU idle -----
echo '{"skipped": "no .device/gpu/scaling (bench/gpu/scaling-bundle.sh) or no node, or PROFILE_ONLY"}' > "$T/scaling.json"
if [ -z "${PROFILE_ONLY:-}" ] && [ -f .device/gpu/scaling/cpu-scaling.mjs ] && [ -n "$NODE" ]; then
  log "cpu scaling: $(nproc) cores"
  timeout "${SCALING_TIMEOUT:-200}" "$NODE" .device/gpu/scaling/cpu-scaling.mjs --synthetic ${SCALING_ARGS:-} --out "$T/scaling.json" ||
    log "cpu-scaling exited with $?"
  cp "$T/scaling.json" "$OUT/bench-scaling.json" 2>/dev/null
fi

# --- One JSON -----------------------------------------------------------------------------
python3 - "$T" "$OUT/gpu-bench.json" <<'EOF'
import json, os, platform, sys, datetime
t, out = sys.argv[1], sys.argv[2]
def load(name):
    try:
        with open(os.path.join(t, name)) as f:
            return json.load(f)
    except Exception as e:  # noqa: BLE001
        return {"error": f"could not read {name}: {e}"}
def rate(d, *keys):
    for k in keys:
        d = d.get(k) if isinstance(d, dict) else None
    return d if isinstance(d, (int, float)) else None
def ratio(a, b):
    return round(a / b, 4) if a and b else None
nv = open(os.path.join(t, "nvidia-smi.txt")).read().strip()
wn, cuda, cpu, br = load("webgpu-node.json"), load("torch-cuda.json"), load("torch-cpu.json"), load("browser.json")
ours = {k: rate(v, "examplesPerSecond") for k, v in ((wn.get("ours") or {}) if isinstance(wn, dict) else {}).items()}
ours = {k: v for k, v in ours.items() if v is not None}
tc = {"lenet": rate(cuda, "lenet_examples_per_s"), "resnet20": rate(cuda, "resnet20_examples_per_s")}
tp = {"lenet": rate(cpu, "lenet_examples_per_s"), "resnet20": rate(cpu, "resnet20_examples_per_s")}
summary = {
    "examplesPerSecond": {
        "oursWebgpuNodeDawn": ours,
        "pytorchCuda": tc,
        "pytorchCpuAllCores": tp,
    },
    # Each of our measurements over PyTorch CUDA's (and CPU's) for the same network, where PyTorch has it.
    "ratios": {
        f"{k}_over_pytorch_{dev}": ratio(v, ref[model])
        for k, v in ours.items()
        for model in ("lenet", "resnet20")
        if k.startswith(model)
        for dev, ref in (("cuda", tc), ("cpu", tp))
        if ref.get(model)
    },
}
if isinstance(br, dict) and isinstance(br.get("rows"), list):
    summary["browser"] = [
        {k: r.get(k) for k in ("model", "backend", "chosen", "examplesPerSecond", "note")} for r in br["rows"]
    ]
result = {
    "format": "lmc-lab/gpu-bench",
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
    "machine": {"gpu": nv, "cores": os.cpu_count(), "cpu": platform.processor() or platform.machine()},
    "devices": {
        "webgpuAdapter": (wn.get("webgpu") or {}).get("adapter") if isinstance(wn, dict) else None,
        "webgpuIsRealGpu": (wn.get("webgpu") or {}).get("realGpu") if isinstance(wn, dict) else None,
        "pytorchCuda": cuda.get("device"),
        "pytorchCpu": cpu.get("device"),
        "browserAdapter": load("browser-gpu-info.json"),
    },
    "summary": summary,
    "notes": [
        "ours: src/core measureStepsPerSecond, each step's loss read back to the CPU (a GPU sync per step), synthetic data in the real shapes, batches built on the CPU and uploaded each step as the app does; *AsTrained: the app's training loop, a loss read every 100 ms; *PairSideBySide: a pair's two copies trained side by side as one wide network (as the app trains pairs on webgpu), both copies' examples counted",
        "PyTorch: bench/pytorch_reference.py, data on the GPU, one sync at the end of the timed loop",
        "webgpu via Node + Dawn (dawn.node from npm webgpu 0.6.2, Vulkan): the WGSL kernels Chromium would run, without the browser",
    ],
    "webgpuNode": wn,
    "profileWebgpu": load("profile-webgpu.json"),
    "cpuScaling": load("scaling.json"),
    "pytorch": {"cuda": cuda, "cpu": cpu},
    "browser": br,
}
with open(out, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print(json.dumps(summary, indent=2))
EOF
log "written $OUT/gpu-bench.json"
}
main 2>&1 | tee "$OUT/gpu-bench.log"
