"""PyTorch peer: the app's model and recipe in PyTorch, one epoch per request (see peer_common.py)."""
import os
import sys

# How OpenMP's threads wait at barriers is left to the caller (bench-engines.ts runs this peer twice):
# - libgomp's default spins about 300,000 times before sleeping: fastest on a quiet machine, and the
#   threads are asleep again within a millisecond of an epoch's end, so they take nothing from the
#   engines timed after it (OMP_WAIT_POLICY=ACTIVE instead spins on between epochs and slowed them);
# - OMP_WAIT_POLICY=PASSIVE sleeps at once: on a shared, loaded machine spinning made an MLP epoch 15×
#   slower (16 s against 1.1 s, measured in one minute).
import torch  # noqa: E402
from torch import nn  # noqa: E402

from peer_common import fail, load, serve  # noqa: E402


def build(recipe):
    """The app's layers as a torch Sequential, channels first; the final softmax folds into the loss."""
    shape = recipe["inputShape"]
    channels = shape[-1] if len(shape) == 3 else None
    flat = None if len(shape) == 3 else shape[0]
    side = shape[0] if len(shape) == 3 else None
    layers = []
    for layer in recipe["layers"]:
        kind, c = layer["className"], layer["config"]
        activation = c.get("activation", "linear")
        if kind == "Conv2D":
            k = c["kernelSize"][0] if isinstance(c["kernelSize"], list) else c["kernelSize"]
            pad = k // 2 if c.get("padding") == "same" else 0
            layers.append(nn.Conv2d(channels, c["filters"], k, padding=pad))
            channels, side = c["filters"], side + 2 * pad - k + 1
        elif kind == "MaxPooling2D":
            p = c["poolSize"][0] if isinstance(c["poolSize"], list) else c["poolSize"]
            layers.append(nn.MaxPool2d(p))
            side //= p
        elif kind == "BatchNormalization":
            # Keras's momentum 0.99 is PyTorch's 0.01; same epsilon.
            norm = nn.BatchNorm2d if flat is None else nn.BatchNorm1d
            layers.append(norm(channels if flat is None else flat, eps=c.get("epsilon", 1e-3), momentum=1 - c.get("momentum", 0.99)))
        elif kind == "Flatten":
            layers.append(nn.Flatten())
            flat = channels * side * side
        elif kind == "Dense":
            layers.append(nn.Linear(flat, c["units"]))
            flat = c["units"]
        elif kind == "Dropout":
            layers.append(nn.Dropout(c["rate"]))
        else:
            fail(f"the PyTorch peer does not know the layer {kind}: add it to scripts/peers/torch_peer.py")
        if activation == "relu":
            layers.append(nn.ReLU())
        elif activation not in ("linear", "softmax", None):
            fail(f"the PyTorch peer does not know the activation {activation}")
    return nn.Sequential(*layers)


def main():
    recipe, images, labels = load(sys.argv)
    torch.manual_seed(1)
    torch.set_num_threads(os.cpu_count())
    shape = recipe["inputShape"]
    x = torch.from_numpy(images).reshape(-1, *shape)
    if len(shape) == 3:
        x = x.permute(0, 3, 1, 2).contiguous()
    y = torch.from_numpy(labels)
    model = build(recipe)
    optimizer = torch.optim.Adam(model.parameters(), lr=recipe["learningRate"])
    loss_fn = nn.CrossEntropyLoss()
    batch = recipe["batchSize"]

    def train_epoch():
        model.train()
        order = torch.randperm(len(y))
        total, correct = 0.0, 0
        for start in range(0, len(y), batch):
            idx = order[start : start + batch]
            xb, yb = x[idx], y[idx]
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
        return total / len(y), correct / len(y)

    waiting = os.environ.get("OMP_WAIT_POLICY", "libgomp default").lower()
    serve({"engine": f"PyTorch {torch.__version__}, OpenMP waiting {waiting}", "threads": torch.get_num_threads()}, train_epoch)


main()
