"""The two engines behind one interface: ``numpy`` (redes.nn) and ``keras`` (TensorFlow).

A model is described as data (layers, optimizer, loss, metrics) and either engine builds it
from the same description, so every result can be compared across engines.
"""

from __future__ import annotations

import contextlib
import os
import sys

from ..i18n import _

ENGINES = ("numpy", "keras")
NATIVE_STDERR = 2   # the file descriptor TensorFlow's C++ core writes its notices to


def _flush_python_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass


@contextlib.contextmanager
def _quiet_native_stderr():
    """Hide what TensorFlow's C++ core prints on import (oneDNN and absl notices).

    The notices go to file descriptor 2 itself, not through ``sys.stderr``, so fd 2 is the
    one pointed at os.devnull. (In Jupyter, ``sys.stderr.fileno()`` is a copy of the
    kernel's terminal while fd 2 is the pipe that ipykernel forwards to the notebook: hiding
    the first left the notices in the notebook, twice.) Errors raised by the import still
    reach the caller as exceptions.
    """
    _flush_python_streams()
    try:
        saved = os.dup(NATIVE_STDERR)
    except OSError:          # no fd 2 at all (pythonw, some services): nothing to hide
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), NATIVE_STDERR)
            try:
                yield
            finally:
                _flush_python_streams()
                os.dup2(saved, NATIVE_STDERR)
    finally:
        os.close(saved)


def import_keras():
    """Import Keras (TensorFlow backend) quietly, or say how to install it.

    TensorFlow's start-up notices (oneDNN, CPU instructions, absl, CUDA factories) are
    hidden: ``TF_CPP_MIN_LOG_LEVEL`` is set to ``3`` (C++ lines off but fatal ones: a CUDA
    build without a GPU would print a "failed call to cuInit" error line in every notebook)
    unless the user has set it, before TensorFlow is first imported, and the import
    itself runs with the native stderr pointed at os.devnull, since TensorFlow prints the
    oneDNN notice whatever the log level. ``TF_ENABLE_ONEDNN_OPTS`` is left as it is: it
    changes the numbers, not only the messages.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        with _quiet_native_stderr():
            import keras
            import tensorflow  # loads the native core while stderr is hidden
        tensorflow.get_logger().setLevel("ERROR")   # no retracing notices in the middle of output
    except ImportError as exc:
        raise RuntimeError(_("engine: the Keras engine needs TensorFlow and Keras: pip install "
                             "'redes[keras]'")) from exc
    return keras


def library(engine: str):
    """The module that plays the role of ``keras`` for ``engine``."""
    if engine == "numpy":
        import redes.nn as lib
    elif engine == "keras":
        lib = import_keras()
    else:
        raise ValueError(_("engine: expected one of {options}, got {value!r}").format(
            options=", ".join(ENGINES), value=engine))
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
        RecipeError: a layer that is not one a recipe can name (``redes.recipes.model.
            layer_arguments()``, and a layer of ``engine``), an argument it does not take, or
            a value that is not JSON data; the message names ``model.layers.<i>``.
    """
    from redes.recipes.model import check_layers

    lib = library(engine)
    check_layers(layers, within=lib.layers)   # what a recipe's validation checks, again here
    lib.utils.set_random_seed(seed)
    model = lib.Sequential(
        [lib.Input(shape=tuple(input_shape))]
        + [getattr(lib.layers, name)(**dict(kwargs)) for name, kwargs in layers]
    )
    model.compile(optimizer=lib.optimizers.get(optimizer), loss=loss, metrics=metrics or None)
    return model
