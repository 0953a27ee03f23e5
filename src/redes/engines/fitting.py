"""Fitting a model as its recipe says (batch size, shuffling, validation) on either engine,
and scoring it."""

from __future__ import annotations

import math


def _history(history) -> dict:
    return {k: [float(v) for v in values] for k, values in history.history.items()}


def _evaluate(model, x, y, batch_size) -> dict:
    logs = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    return {k: float(v) for k, v in logs.items()}


def fit_model(model, recipe: dict, x, y, engine: str, *, epochs: int | None = None, seed: int = 0,
              callbacks=None, verbose=0, validation_data=None, initial_epoch: int = 0) -> dict:
    """``model.fit`` as the recipe says: its batch size, shuffling and validation.

    On the Keras engine the shuffled training data goes through a tf.data pipeline seeded
    with ``seed``: Keras shuffles plain arrays with the same permutation in every epoch once
    the global seed is set, while the NumPy engine (and the course) reshuffle each epoch.
    ``validation_split`` then keeps Keras' meaning: the last fraction, before shuffling.

    Args:
        model: a compiled model of ``engine``.
        recipe: the recipe whose ``fit`` section applies.
        x, y: preprocessed training data.
        engine: ``"numpy"`` or ``"keras"``.
        epochs: defaults to ``None`` (``recipe["fit"]["epochs"]``).
        seed: seed of the Keras shuffle. Defaults to ``0``.
        callbacks: callbacks of ``engine``. Defaults to ``None``.
        verbose: 0, 1 or 2. Defaults to ``0``.
        validation_data: ``(x_val, y_val)``, used instead of the recipe's validation split.
            Defaults to ``None``.
        initial_epoch: epoch to start at (to resume). Defaults to ``0``.

    Returns:
        The history, ``{metric: [value per epoch]}``.
    """
    fit = recipe["fit"]
    kwargs = {"epochs": fit["epochs"] if epochs is None else epochs, "verbose": verbose,
              "callbacks": callbacks, "initial_epoch": initial_epoch}
    split = 0.0 if validation_data is not None else fit.get("validation_split", 0.0)
    if engine == "keras" and fit.get("shuffle", True):
        if split:  # the last fraction, before any shuffling, as validation_split takes it
            cut = int(math.floor(len(x) * (1.0 - split)))
            validation_data, x, y = (x[cut:], y[cut:]), x[:cut], y[:cut]
        x, y = _shuffled_batches(x, y, fit["batch_size"], seed), None
        kwargs.update(shuffle=False, validation_batch_size=fit["batch_size"])
    else:
        kwargs.update(batch_size=fit["batch_size"], shuffle=fit.get("shuffle", True),
                      validation_split=split)
    if validation_data is not None:
        kwargs["validation_data"] = validation_data
    return _history(model.fit(x, y, **kwargs))


def _shuffled_batches(x, y, batch_size, seed):
    """A tf.data pipeline of ``(x, y)`` batches, reshuffled in every epoch from ``seed``."""
    import tensorflow as tf

    return (tf.data.Dataset.from_tensor_slices((x, y))
            .shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
            .batch(batch_size))
