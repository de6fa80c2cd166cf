"""
What both peers share: the recipe the benchmark sends, the training images loaded once into memory, and
the line protocol. The benchmark (scripts/bench-engines.ts) starts a peer with

    python <peer>.py RECIPE.json FASHION_MNIST_DIR [LIMIT]

The peer loads the training images, builds the app's model from the recipe, prints one JSON line
{"ready": true, ...}, then trains one epoch for each "epoch" line it reads on stdin, answering
{"seconds": s, "loss": l, "accuracy": a}, until "quit" or the end of stdin.

The recipe is the app's own model, described by tfjs-layers (class name and config of every layer), with
the batch size and learning rate of the app's defaults: if the app's model changes, the peers change
with it, and a layer they do not know is an error naming it.
"""
import gzip
import json
import os
import sys
import time

import numpy as np


def fail(message):
    print(json.dumps({"error": message}), flush=True)
    sys.exit(1)


def read_idx(path):
    """An IDX file (gzip'd or not) as a numpy array of its shape."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(argv):
    """The recipe and the training images as float32 in [0, 1] with int64 labels, from the command line."""
    if len(argv) < 3:
        fail("usage: <peer>.py RECIPE.json FASHION_MNIST_DIR [LIMIT]")
    with open(argv[1]) as f:
        recipe = json.load(f)
    folder = argv[2]
    limit = int(argv[3]) if len(argv) > 3 else None

    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        fail(f"{folder} has no {stem}(.gz): point the benchmark at the Fashion-MNIST IDX files.")

    images = read_idx(find("train-images-idx3-ubyte"))[:limit]
    labels = read_idx(find("train-labels-idx1-ubyte"))[:limit]
    return recipe, images.astype(np.float32) / 255.0, labels.astype(np.int64)


def serve(describe, train_epoch):
    """The line protocol: announce, then one epoch per "epoch" line."""
    print(json.dumps({"ready": True, **describe}), flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        if command != "epoch":
            fail(f"unknown command {command!r}")
        started = time.perf_counter()
        loss, accuracy = train_epoch()
        print(json.dumps({"seconds": time.perf_counter() - started, "loss": loss, "accuracy": accuracy}), flush=True)
