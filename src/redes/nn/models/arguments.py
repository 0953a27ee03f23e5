"""The checks of ``fit``, ``evaluate`` and ``predict`` on their arguments, and small helpers
of the training loop: each names the argument, what was given and what was expected."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..._base.checks import check_positive_int
from ...i18n import _
from .. import losses
from ..layers.embedding import sequences_array


def _refuse_tensorflow_steps(model) -> None:
    """A model that writes its own ``train_step`` (or ``test_step``) does it, in Keras, with
    TensorFlow's tools (tf.GradientTape, optimizer.apply_gradients): redes cannot run it."""
    for cls in type(model).__mro__:
        if cls.__module__.startswith("redes."):
            break
        for step in ("train_step", "test_step"):
            if step in vars(cls):
                raise NotImplementedError(_(
                    "fit: {kind} defines {step}, which in Keras runs TensorFlow code "
                    "(tf.GradientTape, optimizer.apply_gradients); redes.nn trains with its "
                    "own step. Remove {step} and let compile, fit and add_loss do its work, "
                    "or run this model on Keras with TensorFlow"
                ).format(kind=cls.__name__, step=step))


def _prepare_target(loss, y, n, argument, out_shape, dtype):
    """The targets of one output, checked against its loss and shape."""
    y = _numeric(y, argument)
    if len(y) != n:
        raise ValueError(_("{argument}: has {count} samples but x has {n}").format(
            argument=argument, count=len(y), n=n))
    if not isinstance(loss, losses.SparseCategoricalCrossentropy):
        if y.ndim == 1 and len(out_shape) == 2 and out_shape[1] == 1:
            y = y.reshape(-1, 1)
        y = y.astype(dtype, copy=False)
    if hasattr(loss, "validate"):
        loss.validate(y, out_shape)
    return y


def _count(x) -> int:
    """How many samples ``x`` holds (an array, or a list of arrays for several inputs)."""
    return len(x[0]) if isinstance(x, list) else len(x)


def _samples(x, argument: str, call: str) -> int:
    """How many samples ``x`` holds; none is an error, as in Keras."""
    n = _count(x)
    if n == 0:
        raise ValueError(_("{argument}: {call} needs at least one sample, got none").format(
            argument=argument, call=call))
    return n


class _Prepared(NamedTuple):
    """Arrays already checked by the model (the part ``validation_split`` holds out)."""

    x: object
    y: object
    sample_weight: object


def _only_batches(kind, y, sample_weight, validation_split) -> None:
    """An iterable of batches brings its own targets and weights, as in Keras."""
    for argument, value in (("y", y), ("sample_weight", sample_weight)):
        if value is not None:
            raise ValueError(_(
                "{argument}: cannot be given when x is a {kind}: its batches hold the "
                "targets and weights, as (x, y) or (x, y, sample_weight)"
            ).format(argument=argument, kind=kind))
    if validation_split:
        raise ValueError(_(
            "validation_split: only for arrays, not for a {kind}; give validation_data "
            "instead").format(kind=kind))


def _batch_size(batch_size, n, steps) -> int:
    """Keras' batch size for arrays: 32, or as many rows as make ``steps`` batches."""
    if batch_size is None:
        return math.ceil(n / steps) if steps else 32
    return check_positive_int("batch_size", batch_size)


def _learn_steps(cbs, steps) -> None:
    """After an epoch over data of unknown length, the callbacks know its batches, as
    Keras' progress bar learns them."""
    for cb in cbs.callbacks:
        if cb.params.get("steps") is None:
            cb.params["steps"] = steps


def _numeric(value, argument) -> np.ndarray:
    array = sequences_array(value, argument)   # ragged lists: an error naming pad_sequences
    if array.dtype.kind not in "biuf":
        raise ValueError(_(
            "{argument}: expected a numeric array, got dtype {dtype} (strings, objects or "
            "ragged lists cannot be fed to the network)"
        ).format(argument=argument, dtype=array.dtype))
    # every value is finite when the sum is (one pass, no temporary; a sum that overflows
    # only sends finite data to the exact check)
    if (array.dtype.kind == "f" and not np.isfinite(array.sum())
            and not np.all(np.isfinite(array))):
        bad = ~np.isfinite(array)
        first = np.argwhere(bad)[0]
        raise ValueError(_(
            "{argument}: holds {count} NaN or inf values (first at index {index}); clean or "
            "impute them first"
        ).format(argument=argument, count=int(bad.sum()), index=tuple(int(i) for i in first)))
    return array


def _class_weights(class_weight, y, output_shape):
    if not isinstance(class_weight, dict) or not class_weight:
        raise ValueError(_("class_weight: expected a dict {{class: weight}}, got {value!r}")
                         .format(value=class_weight))
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = np.rint(y.reshape(len(y), -1)[:, 0]).astype(np.int64)
    weights = np.ones(len(labels))
    for cls, weight in class_weight.items():
        if isinstance(cls, bool) or not isinstance(cls, (int, np.integer)) or cls < 0:
            raise ValueError(_("class_weight: keys must be class indices >= 0, got {value!r}")
                             .format(value=cls))
        if isinstance(weight, bool) or not isinstance(weight, (int, float, np.number)) \
                or not math.isfinite(weight) or weight < 0:
            raise ValueError(_("class_weight: the weight of class {cls} must be a finite "
                               "number >= 0, got {weight!r}").format(cls=cls, weight=weight))
        weights[labels == cls] = weight     # a class absent from y changes nothing
    return weights


def _optional_positive(value, argument):
    return None if value is None else check_positive_int(argument, value)


def _non_negative_int(value, argument) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(_("{argument}: expected an integer >= 0, got {value!r}").format(
            argument=argument, value=value))
    return int(value)


def _verbosity(verbose) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ValueError(_("verbose: expected 'auto', 0, 1 or 2, got {value!r}").format(
            value=verbose))
    return int(verbose)


