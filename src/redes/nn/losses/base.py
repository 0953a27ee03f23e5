"""The base class of losses: the per-sample values, their weights and their reduction.

A loss gives one value per sample (``_per_sample``), each weighted by its sample weight,
then reduced to one number (``reduction``). ``loss_and_grad`` returns that number and its
gradient with respect to ``y_pred`` in one pass.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend
from ..graph import KerasTensor, Tape
from ..serialization import Configurable, snake_case
from ..variables import eager
from . import checks

_REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def align_ranks(y_true, y_pred):
    """Make ``y_true`` and ``y_pred`` the same rank when they differ by a last axis of size 1.

    ``(n,)`` targets next to ``(n, 1)`` outputs become ``(n, 1)``, as in Keras.
    """
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        if y_pred.ndim == 1:
            y_pred = y_pred[:, None]
        else:
            y_true = y_true[..., 0]
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        if y_true.ndim == 1:
            y_true = y_true[:, None]
        else:
            y_pred = y_pred[..., 0]
    return y_true, y_pred


class Loss(Configurable):
    """Base class of losses.

    Subclasses implement ``_per_sample(y_true, y_pred, logits, need_grad)``, which returns
    the loss of each sample (shape ``y_pred.shape[:-1]``) and, when ``need_grad``, the
    gradient of the *sum* of those losses with respect to ``y_pred`` (or to the logits when
    ``logits`` is true).

    Args:
        name: the loss's name. Defaults to the class name in snake case.
        reduction: how the per-sample losses become one number. ``"sum_over_batch_size"``
            (the default) and ``"mean"`` divide the weighted sum by the number of samples,
            ``"mean_with_sample_weight"`` by the sum of the sample weights, ``"sum"`` keeps
            the sum, and ``"none"`` or ``None`` return the per-sample losses.
        dtype: float type of the computation. Defaults to ``None``: the float type of
            ``y_pred`` (``backend.floatx()`` when ``y_pred`` is not a float array).
    """

    from_logits = False

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(_("name: expected a non-empty string, got {value!r}").format(
                value=name))
        if reduction not in _REDUCTIONS:
            raise ValueError(_("reduction: expected one of {options}, got {value!r}").format(
                options=", ".join(map(repr, _REDUCTIONS)), value=reduction))
        self.name = name or snake_case(type(self).__name__)
        self.reduction = reduction
        self.dtype = None if dtype is None else backend.standardize_dtype(dtype).name

    # --------------------------------------------------------------- computing
    def __call__(self, y_true, y_pred, sample_weight=None):
        """The reduced loss as a float (an array of per-sample losses for reduction none).
        On tensors inside a layer's ``call`` (``add_loss(self.loss_fn(targets, logits))``)
        it is an op, whose derivative is this loss's gradient."""
        if isinstance(y_pred, KerasTensor) or isinstance(y_true, KerasTensor):
            from ..ops.base import apply
            from ..ops.nn import LossOp

            args = (y_true, y_pred) if sample_weight is None else (y_true, y_pred,
                                                                   sample_weight)
            return apply(LossOp(loss=self), *args)
        return eager(self.loss_and_grad(y_true, y_pred, sample_weight, need_grad=False)[0])

    def fuses_with(self, activation) -> bool:
        """Whether, after ``activation``, the loss can be computed from the logits."""
        return False

    def loss_and_grad(self, y_true, y_pred, sample_weight=None, logits=False, need_grad=True):
        """The loss and its gradient with respect to ``y_pred`` (the logits if ``logits``).

        Returns ``(loss, grad)``: ``loss`` is a float (the per-sample array for reduction
        ``"none"``, whose gradient is then that of their sum) and ``grad`` has the shape
        of ``y_pred`` (``None`` when ``need_grad`` is false).
        """
        y_pred = np.asarray(y_pred)
        dt = self._compute_dtype(y_pred)
        y_pred = y_pred.astype(dt, copy=False)
        pred_shape = y_pred.shape
        y_true, y_pred = self._prepare(y_true, y_pred)

        values, grad = self._per_sample(y_true, y_pred, logits or self.from_logits, need_grad)
        weights = self._weights(sample_weight, self._valid_mask(y_true), values.shape, dt)
        if weights is not None:
            values = values * weights
        if self.reduction in ("none", None):
            scale = weights
            loss = values
        else:
            loss_sum = float(np.sum(values, dtype=np.float64))
            divisor = self._divisor(values, weights)
            loss = loss_sum / divisor if divisor else 0.0
            inv = 1.0 / divisor if divisor else 0.0
            scale = inv if weights is None else weights * dt.type(inv)
        if need_grad:
            if scale is not None:
                grad *= scale[..., None] if np.ndim(scale) else dt.type(scale)
            grad = grad.reshape(pred_shape)
        return loss, grad if need_grad else None

    def _compute_dtype(self, y_pred):
        if self.dtype is not None:
            return np.dtype(self.dtype)
        return y_pred.dtype if y_pred.dtype.kind == "f" else np.dtype(backend.floatx())

    def _prepare(self, y_true, y_pred):
        """Targets as floats of the shape of ``y_pred``.

        As in Keras, a 1-D ``y_pred`` is a single sample: its loss is the mean over it.
        """
        if type(self)._per_sample is Loss._per_sample:   # a loss written with call
            return np.asarray(y_true), y_pred                # reads the targets as they are
        y_true = np.asarray(y_true, dtype=y_pred.dtype)
        y_true, y_pred = align_ranks(y_true, y_pred)
        if y_true.shape != y_pred.shape:
            raise ValueError(_(
                "y_true: {name} expects targets of the shape of y_pred "
                "{expected}, got {shape}"
            ).format(name=self.name, expected=y_pred.shape, shape=y_true.shape))
        return y_true, y_pred

    def _valid_mask(self, y_true):
        """Which samples count (all unless a loss ignores some labels)."""
        return None

    def _weights(self, sample_weight, mask, shape, dt):
        """The weight of each per-sample loss (``None`` when all weigh 1)."""
        weights = None
        if mask is not None:
            valid = int(np.count_nonzero(mask))
            # As Keras: masked-out samples weigh 0, the others total/valid for the averages.
            scale = mask.size / valid if valid and self.reduction in (
                "sum_over_batch_size", "mean") else 1.0
            weights = mask.astype(dt) * dt.type(scale)
        if sample_weight is None:
            return weights
        sw = np.asarray(sample_weight, dtype=dt)
        if sw.ndim == len(shape) + 1 and sw.shape[-1] == 1:
            sw = sw[..., 0]
        if not shape and sw.size != 1:
            raise ValueError(_(
                "sample_weight: a 1-D y_pred is a single sample, so it takes a single "
                "weight, got shape {shape}; give y_pred the shape (n, 1) to weigh each "
                "of its values"
            ).format(shape=sw.shape))
        sw = sw.reshape(()) if not shape else sw
        if sw.ndim and sw.shape != shape[: sw.ndim]:
            raise ValueError(_(
                "sample_weight: expected one weight per sample, shape {expected}, "
                "got shape {shape}"
            ).format(expected=shape[:1], shape=sw.shape))
        sw = np.broadcast_to(sw.reshape(sw.shape + (1,) * (len(shape) - sw.ndim)), shape)
        return sw if weights is None else sw * weights

    def _divisor(self, values, weights):
        if self.reduction == "sum":
            return 1.0
        if self.reduction == "mean_with_sample_weight" and weights is not None:
            return float(np.sum(weights, dtype=np.float64))
        return float(values.size)

    def call(self, y_true, y_pred):
        """A loss of your own (as in Keras): the loss of each sample, written with
        ``keras.ops``; its gradient comes from the ops it runs."""
        raise NotImplementedError(_(
            "loss: {name} defines neither call(y_true, y_pred) nor _per_sample").format(
                name=type(self).__name__))

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        """The loss of each sample and d(their sum)/d(y_pred), from ``call`` run on a tape
        (the values of a sample are averaged when ``call`` returns one per value)."""
        tape = Tape(training=True)
        with tape:
            values = np.asarray(tape.finish(self.call(y_true, tape.watch(y_pred))),
                                dtype=y_pred.dtype)
        per_sample = y_pred.shape[:-1]
        if values.shape == per_sample:
            seed = np.ones_like(values)
        elif values.ndim > len(per_sample) and values.shape[:len(per_sample)] == per_sample:
            extra = tuple(range(len(per_sample), values.ndim))   # the values of a sample
            seed = np.full_like(values, 1.0 / np.prod([values.shape[i] for i in extra]))
            values = values.mean(axis=extra)                      # their mean
        elif values.ndim == 0:        # one number for the batch: it stands for each sample
            seed = np.asarray(float(np.prod(per_sample)), dtype=y_pred.dtype)
            values = np.broadcast_to(values, per_sample)
        else:
            raise ValueError(_(
                "loss: {name} returned values of shape {shape}; expected one per sample, "
                "shape {expected}").format(name=self.name, shape=values.shape,
                                           expected=per_sample))
        if not need_grad or not isinstance(tape.outputs[0], KerasTensor):
            return values, (np.zeros_like(y_pred) if need_grad else None)
        return values, tape.backward(seed)   # d(sum of the losses)/d(y_pred)

    # -------------------------------------------------------------- validation
    def validate(self, y, output_shape=None) -> None:
        """Check a whole target array ``y`` against the model's ``output_shape``.

        Raises a ``ValueError`` that names ``y`` and says what is wrong and what to do.
        ``output_shape`` has the batch dimension first (``(None, 10)``); ``None`` skips the
        shape checks. The checks themselves are in ``losses.checks``.
        """
        y = checks.check_numbers(y)
        self._check_targets(y, None if output_shape is None else tuple(output_shape))

    def _check_targets(self, y, out):
        """The checks of this loss's targets (by default: one target per output unit)."""
        if out is not None:
            checks.check_same_shape(self.name, y, out)

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction, "dtype": self.dtype}

