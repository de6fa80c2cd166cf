"""Keras peer: the app's model and recipe in Keras 3 on TensorFlow, one epoch per request (see peer_common.py)."""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from peer_common import fail, load, serve  # noqa: E402

KNOWN = {"Conv2D", "MaxPooling2D", "BatchNormalization", "Flatten", "Dense", "Dropout"}


def build(recipe):
    """The app's layers as a Keras Sequential, channels last like tfjs."""
    layers = [keras.Input(shape=tuple(recipe["inputShape"]))]
    for layer in recipe["layers"]:
        kind, c = layer["className"], layer["config"]
        if kind not in KNOWN:
            fail(f"the Keras peer does not know the layer {kind}: add it to scripts/peers/keras_peer.py")
        if kind == "Conv2D":
            layers.append(keras.layers.Conv2D(c["filters"], c["kernelSize"], padding=c.get("padding", "valid"), activation=c.get("activation")))
        elif kind == "MaxPooling2D":
            layers.append(keras.layers.MaxPooling2D(c["poolSize"]))
        elif kind == "BatchNormalization":
            layers.append(keras.layers.BatchNormalization(momentum=c.get("momentum", 0.99), epsilon=c.get("epsilon", 1e-3)))
        elif kind == "Flatten":
            layers.append(keras.layers.Flatten())
        elif kind == "Dense":
            layers.append(keras.layers.Dense(c["units"], activation=c.get("activation")))
        elif kind == "Dropout":
            layers.append(keras.layers.Dropout(c["rate"]))
    return keras.Sequential(layers)


def main():
    recipe, images, labels = load(sys.argv)
    keras.utils.set_random_seed(1)
    x = tf.constant(images.reshape(-1, *recipe["inputShape"]))
    y = tf.constant(labels)
    model = build(recipe)
    model.compile(optimizer=keras.optimizers.Adam(recipe["learningRate"]), loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    def train_epoch():
        history = model.fit(x, y, batch_size=recipe["batchSize"], epochs=1, shuffle=True, verbose=0)
        return history.history["loss"][0], history.history["accuracy"][0]

    threads = tf.config.threading.get_intra_op_parallelism_threads() or os.cpu_count()
    serve({"engine": f"Keras {keras.__version__} / TensorFlow {tf.__version__}", "threads": threads}, train_epoch)


main()
