#!/usr/bin/env bash
# `npm run setup:peers`: a Python venv in .bench/venv with PyTorch and Keras/TensorFlow for the benchmark's
# peer timings (`npm run bench -- --only ml`). Uses pip's configured index; on this project's machines
# that is local (/opt/wheels and file:///opt/pypi/simple), so it works offline. Nothing in `npm test`
# needs it. Versions: TORCH_VERSION and TENSORFLOW_VERSION override the defaults below.
set -euo pipefail
cd "$(dirname "$0")/.."

TORCH_VERSION="${TORCH_VERSION:-2.13.0+cpu}"
TENSORFLOW_VERSION="${TENSORFLOW_VERSION:-2.21.0}"
VENV=".bench/venv"

fail() {
  echo "setup:peers: $*" >&2
  exit 1
}
command -v python3 >/dev/null || fail "python3 is needed (Debian: apt-get install python3 python3-venv)."
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup:peers: creating $VENV"
  python3 -m venv "$VENV" || fail "could not create $VENV (Debian: apt-get install python3-venv)."
fi
if "$VENV/bin/python" -c "import torch, tensorflow, keras" 2>/dev/null; then
  echo "setup:peers: $VENV already has torch, tensorflow and keras; nothing to do."
  exit 0
fi
echo "setup:peers: installing torch==$TORCH_VERSION and tensorflow-cpu==$TENSORFLOW_VERSION into $VENV (a few minutes)"
"$VENV/bin/python" -m pip install --quiet --retries "${PIP_RETRIES:-1}" --timeout "${PIP_TIMEOUT:-5}" "torch==$TORCH_VERSION" "tensorflow-cpu==$TENSORFLOW_VERSION" numpy ||
  fail "pip could not install the peers; check that your pip index has torch==$TORCH_VERSION and tensorflow-cpu==$TENSORFLOW_VERSION."
"$VENV/bin/python" -c "import torch, tensorflow, keras; print('setup:peers: torch', torch.__version__, '· tensorflow', tensorflow.__version__, '· keras', keras.__version__)"
