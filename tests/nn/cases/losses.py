"""Gradient-check cases of the losses: the gradient of ``loss.loss_and_grad`` with respect to
``y_pred`` (or to the logits), with and without ``from_logits`` and ``sample_weight``."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from redes.nn import activations, gradcheck

from . import data

N, K = 5, 3                                   # samples, classes
LABELS = np.array([0, 2, 1, 2, 0])
ONE_HOT = np.eye(K)[LABELS]
WEIGHTS = np.array([1.0, 0.5, 2.0, 0.0, 1.5])
LOGITS = data((N, K), seed=11)
PROBS = activations.softmax(LOGITS)           # rows sum to 1, no value near 0 or 1
BINARY = np.array([[0.0, 1.0], [1.0, 1.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
BINARY_LOGITS = data((N, 2), seed=12)
BINARY_PROBS = 0.05 + 0.9 * activations.sigmoid(BINARY_LOGITS)
TARGETS = data((N, 2), seed=13)
# predictions at least 0.1 away from the targets: MAE and Huber have kinks at y_pred == y_true
# (and Huber at |y_pred - y_true| == delta)
PREDICTIONS = TARGETS + data((N, 2), seed=14, low=0.1, high=0.8)


def _loss(class_name, y_true, y_pred, sample_weight=None, logits=False, **kwargs):
    from redes.nn import losses

    loss = getattr(losses, class_name)(**kwargs)
    return gradcheck.check_loss(loss, y_true, y_pred, sample_weight=sample_weight,
                                logits=logits)


def _case(*args, id, **kwargs):
    return pytest.param(functools.partial(_loss, *args, **kwargs), id=id)


CASES = []
for _sw, _tag in ((None, ""), (WEIGHTS, "-sample-weight")):
    CASES += [
        _case("MeanSquaredError", TARGETS, PREDICTIONS, _sw, id=f"loss-mse{_tag}"),
        _case("MeanAbsoluteError", TARGETS, PREDICTIONS, _sw, id=f"loss-mae{_tag}"),
        _case("BinaryCrossentropy", BINARY, BINARY_PROBS, _sw, id=f"loss-bce{_tag}"),
        _case("BinaryCrossentropy", BINARY, BINARY_LOGITS, _sw, from_logits=True,
              id=f"loss-bce-from-logits{_tag}"),
        _case("BinaryCrossentropy", BINARY, BINARY_LOGITS, _sw, logits=True,
              id=f"loss-bce-fused-sigmoid{_tag}"),
        _case("CategoricalCrossentropy", ONE_HOT, PROBS, _sw, id=f"loss-cce{_tag}"),
        _case("CategoricalCrossentropy", ONE_HOT, LOGITS, _sw, from_logits=True,
              id=f"loss-cce-from-logits{_tag}"),
        _case("CategoricalCrossentropy", ONE_HOT, LOGITS, _sw, logits=True,
              id=f"loss-cce-fused-softmax{_tag}"),
        _case("SparseCategoricalCrossentropy", LABELS, PROBS, _sw, id=f"loss-scce{_tag}"),
        _case("SparseCategoricalCrossentropy", LABELS, LOGITS, _sw, from_logits=True,
              id=f"loss-scce-from-logits{_tag}"),
        _case("SparseCategoricalCrossentropy", LABELS, LOGITS, _sw, logits=True,
              id=f"loss-scce-fused-softmax{_tag}"),
    ]

CASES += [
    _case("CategoricalCrossentropy", ONE_HOT, PROBS * 1.7, id="loss-cce-unnormalized-probs"),
    _case("CategoricalCrossentropy", ONE_HOT, LOGITS, from_logits=True, label_smoothing=0.1,
          id="loss-cce-from-logits-label-smoothing"),
    _case("BinaryCrossentropy", BINARY, BINARY_PROBS, label_smoothing=0.2,
          id="loss-bce-label-smoothing"),
    _case("SparseCategoricalCrossentropy", LABELS.reshape(-1, 1), LOGITS, from_logits=True,
          id="loss-scce-labels-n-by-1"),
    _case("SparseCategoricalCrossentropy", LABELS, LOGITS, from_logits=True, ignore_class=2,
          id="loss-scce-ignore-class"),
    _case("MeanSquaredError", TARGETS, PREDICTIONS, WEIGHTS, reduction="sum",
          id="loss-mse-reduction-sum"),
    _case("MeanAbsoluteError", TARGETS, PREDICTIONS, WEIGHTS,
          reduction="mean_with_sample_weight", id="loss-mae-reduction-mean-with-sample-weight"),
    _case("Huber", TARGETS, TARGETS + data((N, 2), seed=15, low=0.1, high=0.7), delta=1.0,
          id="loss-huber-quadratic-part"),
    _case("Huber", TARGETS, TARGETS + data((N, 2), seed=15, low=1.2, high=2.0), WEIGHTS,
          delta=1.0, id="loss-huber-linear-part"),
]

# ---------------------------------------------------------- the losses added as in Keras 3
POSITIVE_TRUE = np.abs(data((N, 2), seed=16))           # counts, rates: > 0
POSITIVE_PRED = np.abs(data((N, 2), seed=17))
TARGET_PROBS = activations.softmax(data((N, K), seed=18))
SIGNS = np.where(BINARY > 0, 1.0, -1.0)
# hinge margins 1 - y * y_pred at least 0.1 away from 0, on both sides of it
MARGIN_PRED = SIGNS * (1 + data((N, 2), seed=19, low=0.1, high=0.8))

CASES += [
    _case("MeanAbsolutePercentageError", TARGETS, PREDICTIONS, WEIGHTS, id="loss-mape"),
    _case("MeanSquaredLogarithmicError", POSITIVE_TRUE, POSITIVE_PRED, WEIGHTS,
          id="loss-msle"),
    _case("LogCosh", TARGETS, PREDICTIONS, id="loss-log-cosh"),
    _case("CosineSimilarity", TARGETS, PREDICTIONS, WEIGHTS, id="loss-cosine-similarity"),
    _case("KLDivergence", TARGET_PROBS, PROBS, id="loss-kl-divergence"),
    _case("Poisson", POSITIVE_TRUE, POSITIVE_PRED, WEIGHTS, id="loss-poisson"),
    _case("Hinge", SIGNS, MARGIN_PRED, WEIGHTS, id="loss-hinge"),
    _case("Hinge", BINARY, MARGIN_PRED, id="loss-hinge-0-1-labels"),
    _case("SquaredHinge", BINARY, MARGIN_PRED, id="loss-squared-hinge"),
    _case("CategoricalHinge", ONE_HOT, LOGITS, WEIGHTS, id="loss-categorical-hinge"),
    _case("BinaryFocalCrossentropy", BINARY, BINARY_PROBS, WEIGHTS, id="loss-bfce"),
    _case("BinaryFocalCrossentropy", BINARY, BINARY_PROBS, apply_class_balancing=True,
          alpha=0.3, gamma=1.5, label_smoothing=0.1, id="loss-bfce-balanced-smoothed"),
    _case("BinaryFocalCrossentropy", BINARY, BINARY_LOGITS, from_logits=True, gamma=3.0,
          id="loss-bfce-from-logits"),
    _case("BinaryFocalCrossentropy", BINARY, BINARY_LOGITS, WEIGHTS, logits=True,
          id="loss-bfce-fused-sigmoid"),
    _case("CategoricalFocalCrossentropy", ONE_HOT, PROBS * 1.3, WEIGHTS, id="loss-cfce"),
    _case("CategoricalFocalCrossentropy", ONE_HOT, LOGITS, from_logits=True, gamma=1.5,
          alpha=[0.2, 0.5, 0.3], label_smoothing=0.1, id="loss-cfce-from-logits"),
]
