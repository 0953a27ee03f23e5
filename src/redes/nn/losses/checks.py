"""The checks of a whole target array against a loss and the model's output, before training.

``Loss.validate(y, output_shape)`` runs ``check_numbers`` and then the loss's own
``_check_targets``, which calls the functions here. Each error names ``y``, says what does
not fit and what to do instead (use the sparse loss for integer labels, one-hot encode them,
give the last layer one unit per class...). ``output_shape`` (``out``) has the batch
dimension first: ``(None, 10)``.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _


def shape_str(shape) -> str:
    """A shape as Keras prints it: ``(None, 10)``, ``(3,)``."""
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + (
        ",)" if len(shape) == 1 else ")"
    )


def check_numbers(y) -> np.ndarray:
    """``y`` as an array of finite numbers with at least one axis (one target per sample)."""
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise ValueError(_("y: expected numbers, got an array of dtype {dtype}").format(
            dtype=y.dtype))
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        bad = int(np.count_nonzero(~np.isfinite(y)))
        raise ValueError(_("y: the targets hold {count} NaN or infinite value(s)").format(
            count=bad))
    if y.ndim == 0:
        raise ValueError(_("y: expected one target per sample, got a single number"))
    return y


def check_same_shape(name, y, out, hint="") -> None:
    """One target per output unit; ``(n,)`` targets fit an output ``(None, 1)``."""
    fits = (
        y.shape[1:] == out[1:]
        or (y.ndim == len(out) - 1 and out[-1] == 1 and y.shape[1:] == out[1:-1])
        or (y.ndim == len(out) + 1 and y.shape[-1] == 1 and y.shape[1:-1] == out[1:])
    )
    if not fits:
        raise ValueError(_(
            "y: {name} needs one target per output unit, but targets of shape "
            "{shape} do not fit the model's output of shape {output}{hint}"
        ).format(name=name, shape=shape_str(y.shape), output=shape_str(out), hint=hint))


def one_unit(name: str) -> str:
    """The message for a loss over classes given a model with a single output unit."""
    return _(
        "y: {name} needs one output unit per class; for two classes use a single sigmoid unit "
        "with binary_crossentropy (the model's output has a single unit)"
    ).format(name=name)


def check_binary_targets(name, y, out) -> None:
    """Targets in [0, 1], one per output unit (binary crossentropies)."""
    if out is not None:
        hint = ""
        if out[-1] > 1 and y.ndim == len(out) - 1:
            hint = _(
                "; for integer class labels and a softmax output use "
                "loss='sparse_categorical_crossentropy'"
            )
        check_same_shape(name, y, out, hint)
    lo, hi = np.min(y), np.max(y)
    if lo < 0 or hi > 1:
        raise ValueError(_(
            "y: {name} needs targets in [0, 1], got values from {low} to {high}; for several "
            "classes use a softmax output with sparse_categorical_crossentropy (labels -1/1 "
            "become 0/1 with (y + 1) / 2)"
        ).format(name=name, low=lo, high=hi))


def check_categorical_targets(name, y, out) -> None:
    """One-hot (or probability) targets with one column per class."""
    if out is None:
        return
    if out[-1] == 1:
        raise ValueError(one_unit(name))
    if y.shape[1:] != out[1:]:
        classes = out[-1]
        if y.ndim == len(out) - 1 or (y.ndim == len(out) and y.shape[-1] == 1):
            hint = _(
                "; these look like integer class labels: use "
                "loss='sparse_categorical_crossentropy', or one-hot encode them with "
                "to_categorical(y, {classes})"
            ).format(classes=classes)
        else:
            hint = _(
                "; categorical_crossentropy needs one-hot targets with {classes} "
                "columns (to_categorical), or integer labels with "
                "sparse_categorical_crossentropy"
            ).format(classes=classes)
        raise ValueError(_(
            "y: targets of shape {shape} do not fit the model's output "
            "of shape {output}{hint}"
        ).format(shape=shape_str(y.shape), output=shape_str(out), hint=hint))


def check_sparse_targets(name, y, out, ignore_class=None) -> None:
    """Integer class labels, one per sample, each in [0, classes) (or ``ignore_class``)."""
    if out is not None:
        if out[-1] == 1:
            raise ValueError(one_unit(name))
        if y.shape[1:] == out[1:]:
            raise ValueError(_(
                "y: {name} needs integer class labels of shape "
                "{expected}, but the targets have the shape "
                "of the output {shape} (one-hot?); use "
                "loss='categorical_crossentropy', or turn them into labels with "
                "y.argmax(axis=-1)"
            ).format(name=name, expected=shape_str(y.shape[:1] + out[1:-1]),
                     shape=shape_str(y.shape)))
        labels_shape = y.shape[:-1] if y.ndim == len(out) and y.shape[-1] == 1 else y.shape
        if labels_shape[1:] != out[1:-1]:
            raise ValueError(_(
                "y: {name} needs one integer label per sample, shape "
                "{expected}, got targets of shape "
                "{shape} for an output of shape {output}"
            ).format(name=name, expected=shape_str(y.shape[:1] + out[1:-1]),
                     shape=shape_str(y.shape), output=shape_str(out)))
    if y.dtype.kind == "f":
        frac = y != np.round(y)
        if np.any(frac):
            raise ValueError(_(
                "y: {name} needs integer class labels, got non-integer values "
                "such as {value}"
            ).format(name=name, value=y[frac].flat[0]))
    if out is None or y.size == 0:
        return
    classes = out[-1]
    bad = (y < 0) | (y >= classes)
    if ignore_class is not None:
        bad &= y != ignore_class
    if np.any(bad):
        label = y[bad].flat[0]
        label = int(label) if y.dtype.kind != "b" else label
        raise ValueError(_(
            "y: label {label} is outside [0, {classes}): the model's output has "
            "{classes} units, one per class ({count} label(s) "
            "out of range); give the last layer as many units as there are classes"
        ).format(label=label, classes=classes, count=int(np.count_nonzero(bad))))


def check_hinge_targets(name, y, out) -> None:
    """Labels -1/1 or 0/1 (hinge losses turn 0/1 into -1/1, batch by batch, as Keras)."""
    if out is not None:
        check_same_shape(name, y, out)
    values = np.unique(y)
    if not (set(values.tolist()) <= {-1, 1} or set(values.tolist()) <= {0, 1}):
        raise ValueError(_(
            "y: {name} needs labels -1/1 (or 0/1, which it turns into -1/1), got the values "
            "{values}; for several classes use one-hot targets with categorical_hinge"
        ).format(name=name, values=", ".join(str(v) for v in values[:6])))
