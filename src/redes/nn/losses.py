"""Loss functions, with Keras' names, defaults and batch averaging.

A loss object is called like Keras' (``loss(y_true, y_pred, sample_weight=None)`` returns a
float). For training, ``loss_and_grad`` returns the loss and its gradient with respect to
``y_pred`` in one pass.

Each loss first gives one value per sample (averaged over the last axis where the targets
have several columns, as Keras does), then reduces them. The default reduction,
``"sum_over_batch_size"``, is Keras' one: the weighted sum of the per-sample losses divided
by the number of samples (not by the sum of the weights)::

    loss = sum_i(w_i * l_i) / n

A crossentropy computed on probabilities that came straight out of a softmax (or sigmoid)
is computed from the logits instead, as Keras does: ``fuses_with(activation)`` says when,
and ``loss_and_grad(..., logits=True)`` then takes the logits and returns dL/dlogits.

``validate(y, output_shape)`` checks a whole target array once, before training, and says
in plain words what does not fit (labels out of range, one-hot targets given to the sparse
loss, NaN...).

The plain functions (``mean_squared_error``, ``binary_crossentropy``...) return one loss per
sample, like the functions of ``keras.losses``.
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from . import activations, backend
from .graph import KerasTensor, Tape
from .serialization import deserialize, lookup, register, snake_case
from .variables import eager

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


def _shape_str(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + (
        ",)" if len(shape) == 1 else ")"
    )


class Loss:
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
            from .ops.base import apply
            from .ops.nn import LossOp

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
        shape checks.
        """
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
        out = None if output_shape is None else tuple(output_shape)
        self._check_targets(y, out)

    def _check_targets(self, y, out):
        if out is not None:
            self._check_same_shape(y, out)

    def _check_same_shape(self, y, out, hint=""):
        fits = (
            y.shape[1:] == out[1:]
            or (y.ndim == len(out) - 1 and out[-1] == 1 and y.shape[1:] == out[1:-1])
            or (y.ndim == len(out) + 1 and y.shape[-1] == 1 and y.shape[1:-1] == out[1:])
        )
        if not fits:
            raise ValueError(_(
                "y: {name} needs one target per output unit, but targets of shape "
                "{shape} do not fit the model's output of shape {output}{hint}"
            ).format(name=self.name, shape=_shape_str(y.shape), output=_shape_str(out),
                     hint=hint))

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _check_axis(axis):
    if axis != -1:
        raise ValueError(_("axis: only -1 (the last axis) is supported, got {value!r}").format(
            value=axis))
    return -1


def _check_smoothing(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not (
        0 <= value <= 1
    ):
        raise ValueError(_("label_smoothing: expected a number in [0, 1], got {value!r}")
                         .format(value=value))
    return float(value)


def _clip_probs(p):
    """Probabilities clipped to [eps, 1 - eps] (Keras' epsilon 1e-7), and where unclipped."""
    lo, hi = p.dtype.type(backend.epsilon()), p.dtype.type(1.0 - backend.epsilon())
    return np.clip(p, lo, hi), (p >= lo) & (p <= hi)


def _row_sums(a):
    """Sums along the last axis, as a product with a vector of ones: on the few columns of a
    classifier's output several times faster than np.sum, which is made for long rows."""
    return a @ np.ones(a.shape[-1], a.dtype)


def _softmax_parts(z):
    """z - max(z), its exp and the sum of that exp along the last axis: the one exp that both
    log(softmax(z)) = (z - max) - log(sum) and softmax(z) = exp / sum are made from."""
    zs = z - z.max(axis=-1, keepdims=True)
    e = np.exp(zs)
    return zs, e, _row_sums(e)[..., None]


# ------------------------------------------------------------------ regression losses
@register("loss", "mse", "mean_squared_error")
class MeanSquaredError(Loss):
    """The mean of the squared errors over the last axis: mean((y_true - y_pred)^2).

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"mean_squared_error"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        diff = y_pred - y_true
        values = np.mean(np.square(diff), axis=-1)
        if need_grad:
            diff *= diff.dtype.type(2.0 / diff.shape[-1])  # d/dy_pred = 2 (y_pred - y_true) / d
        return values, diff if need_grad else None


@register("loss", "mae", "mean_absolute_error")
class MeanAbsoluteError(Loss):
    """The mean of the absolute errors over the last axis: mean(|y_true - y_pred|).

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"mean_absolute_error"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        diff = y_pred - y_true
        values = np.mean(np.abs(diff), axis=-1)
        if not need_grad:
            return values, None
        grad = np.sign(diff)  # d/dy_pred = sign(y_pred - y_true) / d  (0 where equal)
        grad *= grad.dtype.type(1.0 / diff.shape[-1])
        return values, grad


@register("loss", "huber", "huber_loss")
class Huber(Loss):
    """Squared error for small errors, absolute error for large ones, averaged over the
    last axis: 0.5 e^2 where |e| <= delta, else delta (|e| - 0.5 delta).

    Args:
        delta: where the loss turns from quadratic to linear. Defaults to 1.0.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"huber_loss"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(name, reduction, dtype)
        if isinstance(delta, bool) or not isinstance(delta, (int, float, np.number)) or not (
            delta > 0
        ):
            raise ValueError(_("delta: expected a positive number, got {value!r}").format(
                value=delta))
        self.delta = float(delta)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        e = y_pred - y_true
        d = e.dtype.type(self.delta)
        small = np.abs(e) <= d
        values = np.mean(np.where(small, 0.5 * e * e, d * np.abs(e) - 0.5 * d * d), axis=-1)
        if not need_grad:
            return values, None
        grad = np.where(small, e, d * np.sign(e))  # d/de = e if |e| <= delta else delta sign(e)
        grad *= e.dtype.type(1.0 / e.shape[-1])
        return values, grad

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}


# --------------------------------------------------------------- crossentropy losses
@register("loss", "bce", "binary_crossentropy")
class BinaryCrossentropy(Loss):
    """-(y log p + (1 - y) log(1 - p)), averaged over the last axis; targets in [0, 1].

    From probabilities, ``p`` is clipped to [1e-7, 1 - 1e-7] as in Keras, so saturated
    outputs (exactly 0.0 or 1.0) give a large but finite loss. From logits ``z`` the loss
    is computed in the stable form max(z, 0) - z y + log(1 + exp(-|z|)).

    Args:
        from_logits: whether ``y_pred`` are logits rather than probabilities. Default False.
        label_smoothing: in [0, 1]; targets become y (1 - s) + 0.5 s. Default 0.0.
        axis: the axis averaged over; only -1 is supported. Default -1.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"binary_crossentropy"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self.from_logits = bool(from_logits)
        self.label_smoothing = _check_smoothing(label_smoothing)
        self.axis = _check_axis(axis)

    def fuses_with(self, activation):
        return not self.from_logits and activation is activations.sigmoid

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        y = y_true
        if self.label_smoothing:
            s = self.label_smoothing
            y = y * y.dtype.type(1.0 - s) + y.dtype.type(0.5 * s)
        inv_d = y_pred.dtype.type(1.0 / y_pred.shape[-1])
        if logits:
            z = y_pred
            e = np.exp(-np.abs(z))  # the only exp: used by the loss and by the sigmoid
            values = np.mean(np.maximum(z, 0) - z * y + np.log1p(e), axis=-1)
            if not need_grad:
                return values, None
            sig = np.where(z >= 0, 1, e) / (1 + e)
            sig -= y  # d/dz = sigmoid(z) - y
            sig *= inv_d
            return values, sig
        p, inside = _clip_probs(y_pred)
        values = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p), axis=-1)
        if not need_grad:
            return values, None
        grad = (1 - y) / (1 - p) - y / p  # d/dp = -y/p + (1-y)/(1-p), 0 where p was clipped
        grad *= inside
        grad *= inv_d
        return values, grad

    def _check_targets(self, y, out):
        if out is not None:
            hint = ""
            if out[-1] > 1 and y.ndim == len(out) - 1:
                hint = _(
                    "; for integer class labels and a softmax output use "
                    "loss='sparse_categorical_crossentropy'"
                )
            self._check_same_shape(y, out, hint)
        lo, hi = np.min(y), np.max(y)
        if lo < 0 or hi > 1:
            raise ValueError(_(
                "y: binary_crossentropy needs targets in [0, 1], got values from {low} to "
                "{high}; for several classes use a softmax output with "
                "sparse_categorical_crossentropy (labels -1/1 become 0/1 with (y + 1) / 2)"
            ).format(low=lo, high=hi))

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


def _one_unit(name: str) -> str:
    return _(
        "y: {name} needs one output unit per class; for two classes use a single sigmoid unit "
        "with binary_crossentropy (the model's output has a single unit)"
    ).format(name=name)


@register("loss", "categorical_crossentropy")
class CategoricalCrossentropy(Loss):
    """-sum(y_true * log(p)) over the classes (last axis); ``y_true`` one-hot.

    From probabilities, each row is first divided by its sum and then clipped to
    [1e-7, 1 - 1e-7], as in Keras. From logits the log-softmax is used directly.

    Args:
        from_logits: whether ``y_pred`` are logits rather than probabilities. Default False.
        label_smoothing: in [0, 1]; targets become y (1 - s) + s / classes. Default 0.0.
        axis: the class axis; only -1 is supported. Default -1.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"categorical_crossentropy"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self.from_logits = bool(from_logits)
        self.label_smoothing = _check_smoothing(label_smoothing)
        self.axis = _check_axis(axis)

    def fuses_with(self, activation):
        return not self.from_logits and activation is activations.softmax

    def loss_and_grad(self, y_true, y_pred, sample_weight=None, logits=False, need_grad=True):
        # A training step's usual case (a batch of logits, targets of their shape and type,
        # no weights, the mean over the batch) goes straight to _per_sample and the mean,
        # without the general path's conversions and checks: a small batch spends most of
        # its loss time in such calls. The numbers are those of the general path.
        z, y = y_pred, y_true
        if (need_grad and (logits or self.from_logits) and sample_weight is None
                and self.dtype is None and self.reduction in ("sum_over_batch_size", "mean")
                and isinstance(z, np.ndarray) and z.ndim == 2 and len(z) and z.dtype.kind == "f"
                and isinstance(y, np.ndarray) and y.dtype == z.dtype and y.shape == z.shape):
            values, grad = self._per_sample(y, z, True, True)
            n = len(z)
            grad *= z.dtype.type(1 / n)
            return float(np.sum(values, dtype=np.float64)) / n, grad
        return super().loss_and_grad(y_true, y_pred, sample_weight, logits, need_grad)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        y = y_true
        if self.label_smoothing:
            s = self.label_smoothing
            y = y * y.dtype.type(1.0 - s) + y.dtype.type(s / y.shape[-1])
        if logits:
            zs, p, total = _softmax_parts(y_pred)
            y_sum = _row_sums(y)[..., None]
            # -sum(y log softmax(z)) = sum(y) log(total) - sum(y (z - max))
            values = (y_sum * np.log(total))[..., 0] - _row_sums(y * zs)
            if not need_grad:
                return values, None
            p *= y_sum / total
            p -= y  # d/dz = softmax(z) * sum(y) - y
            return values, p
        total = np.sum(y_pred, axis=-1, keepdims=True)
        q, inside = _clip_probs(y_pred / total)
        values = -np.sum(y * np.log(q), axis=-1)
        if not need_grad:
            return values, None
        # with q = p / sum(p) and g = dL/dq = -y/q (0 where clipped):
        # dL/dp_j = (g_j - sum_i g_i q_i) / sum(p)
        g = -y / q
        g *= inside
        g -= np.sum(g * q, axis=-1, keepdims=True)
        g /= total
        return values, g

    def _check_targets(self, y, out):
        if out is None:
            return
        if out[-1] == 1:
            raise ValueError(_one_unit(self.name))
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
            ).format(shape=_shape_str(y.shape), output=_shape_str(out), hint=hint))

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


@register("loss", "sparse_categorical_crossentropy")
class SparseCategoricalCrossentropy(Loss):
    """-log(p[label]) with integer labels of shape (n,) or (n, 1).

    From probabilities, ``p`` is clipped to [1e-7, 1 - 1e-7] and the loss is
    -log(p[label] / sum(p)), as in Keras. From logits: logsumexp(z) - z[label].

    Args:
        from_logits: whether ``y_pred`` are logits rather than probabilities. Default False.
        ignore_class: a label whose samples do not count (their weight is 0 and the average
            is taken over the other samples). Default ``None``.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        axis: the class axis; only -1 is supported. Default -1.
        name: the loss's name. Defaults to ``"sparse_categorical_crossentropy"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        if ignore_class is not None and (
            isinstance(ignore_class, bool) or not isinstance(ignore_class, (int, np.integer))
        ):
            raise ValueError(_("ignore_class: expected an integer or None, got {value!r}")
                             .format(value=ignore_class))
        self.from_logits = bool(from_logits)
        self.ignore_class = None if ignore_class is None else int(ignore_class)
        self.axis = _check_axis(axis)

    def fuses_with(self, activation):
        return not self.from_logits and activation is activations.softmax

    def _prepare(self, y_true, y_pred):
        labels = np.asarray(y_true)
        if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
            labels = labels[..., 0]
        if labels.shape != y_pred.shape[:-1]:
            raise ValueError(_(
                "y_true: {name} expects integer labels of shape {expected} "
                "(one per sample), got {shape}"
            ).format(name=self.name, expected=y_pred.shape[:-1], shape=labels.shape))
        return labels.astype(np.intp, copy=False), y_pred

    def _valid_mask(self, labels):
        return None if self.ignore_class is None else labels != self.ignore_class

    def _per_sample(self, labels, y_pred, logits, need_grad):
        if self.ignore_class is not None:
            labels = np.where(labels == self.ignore_class, 0, labels)
        classes = y_pred.shape[-1]
        if labels.size and (labels.min() < 0 or labels.max() >= classes):
            bad = labels[(labels < 0) | (labels >= classes)].flat[0]
            raise ValueError(_(
                "y_true: label {label} is outside [0, {classes}): y_pred has {classes} "
                "columns, one per class"
            ).format(label=bad, classes=classes))
        # work on (samples, classes) views so that one fancy index reaches every label
        z, labels_flat = y_pred.reshape(-1, classes), labels.reshape(-1)
        rows = np.arange(labels_flat.size)
        if logits:
            zs, grad, total = _softmax_parts(z)
            values = np.log(total[:, 0]) - zs[rows, labels_flat]
            if need_grad:
                grad /= total
                grad[rows, labels_flat] -= 1  # d/dz = softmax(z) - onehot(label)
        else:
            q, inside = _clip_probs(z)
            total = np.sum(q, axis=-1)
            q_label = q[rows, labels_flat]
            values = np.log(total) - np.log(q_label)
            if need_grad:
                # d/dp_j = 1/sum(q) - [j = label] / q_label, 0 where p was clipped
                grad = np.repeat((1 / total)[:, None], classes, axis=1)
                grad[rows, labels_flat] -= 1 / q_label
                grad *= inside
        values = values.reshape(labels.shape)
        return values, grad.reshape(y_pred.shape) if need_grad else None

    def _check_targets(self, y, out):
        if out is not None:
            if out[-1] == 1:
                raise ValueError(_one_unit(self.name))
            if y.shape[1:] == out[1:]:
                raise ValueError(_(
                    "y: {name} needs integer class labels of shape "
                    "{expected}, but the targets have the shape "
                    "of the output {shape} (one-hot?); use "
                    "loss='categorical_crossentropy', or turn them into labels with "
                    "y.argmax(axis=-1)"
                ).format(name=self.name, expected=_shape_str(y.shape[:1] + out[1:-1]),
                         shape=_shape_str(y.shape)))
            labels_shape = y.shape[:-1] if y.ndim == len(out) and y.shape[-1] == 1 else y.shape
            if labels_shape[1:] != out[1:-1]:
                raise ValueError(_(
                    "y: {name} needs one integer label per sample, shape "
                    "{expected}, got targets of shape "
                    "{shape} for an output of shape {output}"
                ).format(name=self.name, expected=_shape_str(y.shape[:1] + out[1:-1]),
                         shape=_shape_str(y.shape), output=_shape_str(out)))
        if y.dtype.kind == "f":
            frac = y != np.round(y)
            if np.any(frac):
                raise ValueError(_(
                    "y: {name} needs integer class labels, got non-integer values "
                    "such as {value}"
                ).format(name=self.name, value=y[frac].flat[0]))
        if out is None or y.size == 0:
            return
        classes = out[-1]
        bad = (y < 0) | (y >= classes)
        if self.ignore_class is not None:
            bad &= y != self.ignore_class
        if np.any(bad):
            label = y[bad].flat[0]
            label = int(label) if y.dtype.kind != "b" else label
            raise ValueError(_(
                "y: label {label} is outside [0, {classes}): the model's output has "
                "{classes} units, one per class ({count} label(s) "
                "out of range); give the last layer as many units as there are classes"
            ).format(label=label, classes=classes, count=int(np.count_nonzero(bad))))

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "ignore_class": self.ignore_class, "axis": self.axis}


# ------------------------------------------------------------------ plain functions
def mean_squared_error(y_true, y_pred):
    """mean((y_true - y_pred)^2) over the last axis: one loss per sample."""
    return MeanSquaredError(reduction=None)(y_true, y_pred)


def mean_absolute_error(y_true, y_pred):
    """mean(|y_true - y_pred|) over the last axis: one loss per sample."""
    return MeanAbsoluteError(reduction=None)(y_true, y_pred)


def huber(y_true, y_pred, delta=1.0):
    """The Huber loss of each sample (see ``Huber``). ``delta`` defaults to 1.0."""
    return Huber(delta=delta, reduction=None)(y_true, y_pred)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """The binary crossentropy of each sample (see ``BinaryCrossentropy``)."""
    return BinaryCrossentropy(from_logits, label_smoothing, axis, reduction=None)(
        y_true, y_pred)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """The categorical crossentropy of each sample (see ``CategoricalCrossentropy``)."""
    return CategoricalCrossentropy(from_logits, label_smoothing, axis, reduction=None)(
        y_true, y_pred)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """The sparse categorical crossentropy of each sample, 0 for an ignored class."""
    values = SparseCategoricalCrossentropy(from_logits, ignore_class, reduction=None,
                                           axis=axis)(y_true, y_pred)
    return values


_FUNCTIONS = {
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
    huber: Huber,
    binary_crossentropy: BinaryCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
}


# ------------------------------------------------------------------ lookup, config
@register("loss")
class LossFunctionWrapper(Loss):
    """A loss written as a function ``fn(y_true, y_pred)`` with ``keras.ops``, as Keras
    takes it: the function runs on a tape, whose backward pass gives dL/d(y_pred).

    The function returns one loss per sample (or per value: the values of each sample are
    then averaged, as Keras' reduction does).

    Args:
        fn: the function.
        name: the loss's name. Defaults to the function's name.
        reduction, dtype: as for every ``Loss``.
    """

    def __init__(self, fn, name=None, reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction,
                         dtype=dtype)
        self.fn = fn

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred)

    def get_config(self):
        return {"fn": getattr(self.fn, "__name__", None), "name": self.name,
                "reduction": self.reduction, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        name = config.pop("fn", None)
        fn = lookup("loss", name, "loss") if isinstance(name, str) else None
        return cls(fn, **config)


def get(identifier):
    """A loss object from a name (``"mse"``, ``"binary_crossentropy"``...), a config dict,
    a ``Loss`` class or object, or one of this module's functions. ``None`` gives ``None``.
    """
    if identifier is None or isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    for fn, cls in _FUNCTIONS.items():
        if identifier is fn:
            return cls()
    if isinstance(identifier, str):
        return deserialize("loss", identifier, "loss")()
    if isinstance(identifier, dict):
        return deserialize("loss", identifier, "loss")
    if callable(identifier):
        return LossFunctionWrapper(identifier)
    raise ValueError(_(
        "loss: expected a loss name such as 'categorical_crossentropy' or a Loss object, "
        "got {value!r}"
    ).format(value=identifier))


def serialize(loss) -> dict:
    """``{"class_name": ..., "config": ...}`` of a loss object."""
    return {"class_name": type(loss).__name__, "config": loss.get_config()}


__all__ = [
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "Huber",
    "Loss",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "SparseCategoricalCrossentropy",
    "binary_crossentropy",
    "categorical_crossentropy",
    "get",
    "huber",
    "mean_absolute_error",
    "mean_squared_error",
    "serialize",
    "sparse_categorical_crossentropy",
]
