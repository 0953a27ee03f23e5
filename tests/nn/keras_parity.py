"""Parity helpers of the tests: the same model in redes and in Keras, the same weights, then
a few Adam steps on the same batches (the Functional API and subclassing tests); a metric of
both libraries after the same batches (the metrics tests)."""

from __future__ import annotations

import numpy as np

import redes.nn as rn


def train_both(ours, theirs, x, y, loss="sparse_categorical_crossentropy", steps=5):
    """Forward outputs within 1e-5 (relative), then weights within 1e-5 after ``steps``
    Adam steps, and the outputs again."""
    import keras

    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    for model, lib in ((ours, rn), (theirs, keras)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss=loss)
        model.fit(x, y, batch_size=len(y) // steps, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)


def metric_results(keras, name, kwargs, batches):
    """The results of redes' metric ``name`` and of Keras' after the same batches of
    ``(y_true, y_pred, sample_weight)``."""
    ours, theirs = getattr(rn.metrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    for y_true, y_pred, sw in batches:
        ours.update_state(y_true, y_pred, sample_weight=sw)
        theirs.update_state(y_true, y_pred, sample_weight=sw)
    return ours.result(), np.asarray(theirs.result())
