"""The two engines behind one interface: ``numpy`` (redes.nn) and ``keras`` (TensorFlow).

A model is described as data (layers, optimizer, loss, metrics) and either engine builds it
from the same description, so every result can be compared across engines.
"""

from __future__ import annotations

import contextlib
import os
import sys

ENGINES = ("numpy", "keras")


@contextlib.contextmanager
def _quiet_native_stderr():
    """Hide what TensorFlow's C++ core prints on import (oneDNN and absl notices)."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def import_keras():
    """Import Keras (TensorFlow backend) quietly, or say how to install it."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        with _quiet_native_stderr():
            import keras
            import tensorflow  # loads the native core while stderr is hidden
        tensorflow.get_logger().setLevel("ERROR")   # no retracing notices in the middle of output
    except ImportError as exc:
        raise RuntimeError(
            "engine: the Keras engine needs TensorFlow and Keras: pip install 'redes[keras]'"
        ) from exc
    return keras


def library(engine: str):
    """The module that plays the role of ``keras`` for ``engine``."""
    if engine == "numpy":
        import redes.nn as lib
    elif engine == "keras":
        lib = import_keras()
    else:
        raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    return lib


def build_model(engine: str, input_shape, layers, optimizer, loss, metrics=None, seed=0):
    """A compiled Sequential model of ``engine`` from a description.

    Args:
        engine: "numpy" or "keras".
        input_shape: shape of one sample, e.g. ``(64,)``.
        layers: list of ``(class_name, kwargs)``, e.g. ``[("Dense", {"units": 10})]``.
        optimizer: a name or ``{"class_name": ..., "config": {...}}``.
        loss: a loss name.
        metrics: list of metric names.
        seed: seed set before the weights are made.

    Raises:
        RecipeError: a layer that is not one a recipe can name (``redes.recipes.spec.
            layer_arguments()``, and a layer of ``engine``), an argument it does not take, or
            a value that is not JSON data; the message names ``model.layers.<i>``.
    """
    from redes.recipes.spec import check_layers

    lib = library(engine)
    check_layers(layers, within=lib.layers)   # what a recipe's validation checks, again here
    lib.utils.set_random_seed(seed)
    model = lib.Sequential(
        [lib.Input(shape=tuple(input_shape))]
        + [getattr(lib.layers, name)(**dict(kwargs)) for name, kwargs in layers]
    )
    model.compile(optimizer=lib.optimizers.get(optimizer), loss=loss, metrics=metrics or None)
    return model
