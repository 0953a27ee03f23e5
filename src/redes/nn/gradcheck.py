"""Numerical gradient checking: does backpropagation compute the right derivatives?

Backpropagation gives the derivative of the loss with respect to every input and weight
(the *analytic* gradient, from the formulas written in each ``backward``). A gradient check
compares it with a *numerical* gradient, computed straight from the definition of the
derivative by nudging one number at a time by a small step ``h``::

    dL/dw  ~  (L(w + h) - L(w - h)) / (2 h)          (central difference)

The central difference is accurate to order h^2 (the one-sided ``(L(w + h) - L(w)) / h``
only to order h). With ``h = 1e-5`` in float64 a correct gradient agrees to about 1e-9 or
better, while a wrong formula (a missing transpose, a forgotten factor 2, a sign) gives
errors near 1. Each tensor gets its *maximum relative error*, over its elements::

    error = |a - n| / max(|a| + |n|, tiny)

with ``a`` the analytic and ``n`` the numerical value. ``tiny`` (1e-8 by default) keeps the
ratio finite where both are 0: below it, differences are measured in units of ``tiny``.

Three things make a check trustworthy:

- **float64**. float32 keeps about 7 digits; after dividing by 2h its rounding alone gives
  errors near 1e-3. ``check_layer`` runs a float64 copy of a float32 layer for you.
- **No kinks.** ``relu`` has no derivative at 0, ``|w|`` neither; keep the inputs further
  than ``h`` from such points, or a correct gradient looks wrong.
- **Frozen randomness.** A dropout mask must be the same in every forward pass of the
  check. Before each pass, every random generator the layer holds (the layers it wraps
  and the engine's global one too) is rewound to where it was when the check started.

A layer has no loss of its own, so ``check_layer`` gives it one: ``L = sum(r * layer(x))``
with ``r`` fixed random numbers. Then dL/d(output) is exactly ``r``, the upstream gradient
fed to ``layer.backward``, and a random ``r`` exercises every entry of the layer's Jacobian.

Example::

    import numpy as np
    from redes.nn import gradcheck, layers

    x = np.random.default_rng(0).normal(size=(4, 3))
    result = gradcheck.check_layer(layers.Dense(2, activation="tanh", dtype="float64"), x)
    print(result)           # a table: one line per tensor, with its max relative error
    assert result.passed    # every error below the tolerance (1e-6 in float64)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from redes.i18n import _

from . import activations, backend
from .variables import arrays

TINY = 1e-8


def relative_error(analytic, numeric, tiny: float = TINY) -> np.ndarray:
    """Element by element ``|a - n| / max(|a| + |n|, tiny)``, a number in [0, 1]
    (up to the ``tiny`` floor).

    Args:
        analytic: the gradient from backpropagation.
        numeric: the gradient from central differences (same shape).
        tiny: the floor of the denominator. Defaults to ``1e-8``.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(_("analytic: shape {shape} differs from the numeric shape {numeric}")
                         .format(shape=a.shape, numeric=n.shape))
    return np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), tiny)


@dataclass
class GradCheckResult:
    """The outcome of a gradient check.

    Attributes:
        what: what was checked, e.g. ``"Dense 'dense'"``.
        errors: the max relative error of each tensor, by name (``"input"``,
            ``"dense/kernel"``...).
        analytic, numeric: the two gradients of each tensor (at the checked elements).
        tolerance: the error below which the check passes.
        dtype: the float type the check ran in.
        step: the step ``h`` of the central differences.
        notes: warnings worth reading (float32 weights, elements skipped...).
    """

    what: str
    errors: dict[str, float]
    analytic: dict[str, np.ndarray]
    numeric: dict[str, np.ndarray]
    tolerance: float
    dtype: str
    step: float
    notes: list[str] = field(default_factory=list)

    @property
    def max_error(self) -> float:
        """The largest error over all tensors (0.0 when nothing was checked)."""
        return max(self.errors.values(), default=0.0)

    @property
    def passed(self) -> bool:
        """Whether something was checked and every error is below the tolerance."""
        return bool(self.errors) and all(e < self.tolerance for e in self.errors.values())

    def as_dict(self) -> dict:
        """The JSON-ready summary: errors, tolerance, dtype, step, notes and the verdict."""
        return {"what": self.what, "errors": dict(self.errors), "max_error": self.max_error,
                "tolerance": self.tolerance, "dtype": self.dtype, "step": self.step,
                "passed": self.passed, "notes": list(self.notes)}

    def verdict(self) -> str:
        """One line for a person, in the current language: ``passed: max relative error
        3.1e-11, tolerance 1e-06`` (or ``FAILED: ...``)."""
        if self.passed:
            line = _("passed: max relative error {error}, tolerance {tolerance}")
        else:
            line = _("FAILED: max relative error {error}, tolerance {tolerance}")
        return line.format(error=f"{self.max_error:.2e}", tolerance=f"{self.tolerance:.0e}")

    def __str__(self) -> str:
        """The report of the check, in the current language: one line per tensor with its
        max relative error, the verdict, then the notes."""
        tensor, shape_header = _("tensor"), _("shape")
        ok, wrong = _("ok"), _("WRONG?")
        width = max([len(tensor), *map(len, self.errors)])
        shape_width = max(12, len(shape_header))
        title = _("gradient check of {what} ({dtype}, h={step})").format(
            what=self.what, dtype=self.dtype, step=f"{self.step:g}")
        lines = [title, f"  {tensor:<{width}}  {shape_header:<{shape_width}}  "
                        + _("max relative error")]
        for name, err in self.errors.items():
            shape = str(tuple(self.analytic[name].shape))
            mark = ok if err < self.tolerance else wrong
            lines.append(f"  {name:<{width}}  {shape:<{shape_width}}  {err:.2e}  {mark}")
        lines.append(self.verdict())
        lines += [_("note: {note}").format(note=note) for note in self.notes]
        return "\n".join(lines)


# ------------------------------------------------------------------------ the machinery
class _FrozenRandomness:
    """Rewinds random generators to the states they had when this object was made."""

    def __init__(self, objects=()):
        gens = [backend.rng()]
        for obj in objects:
            gens += _generators(obj)
        self.saved = [(g, g.bit_generator.state) for g in gens]

    def rewind(self) -> None:
        for g, state in self.saved:
            g.bit_generator.state = state


def _generators(layer) -> list[np.random.Generator]:
    """The random generators a layer holds, and those of the layers inside it (the
    recurrent layers of a ``Bidirectional``, the layer of a ``TimeDistributed``)."""
    gens = [v for v in vars(layer).values() if isinstance(v, np.random.Generator)]
    for inner in layer.inner_layers() if hasattr(layer, "inner_layers") else []:
        gens += _generators(inner)
    return gens


def _defaults(dtype, step, tolerance) -> tuple[float, float]:
    """The step and the tolerance: given ones, or the defaults of the float type."""
    exact = np.dtype(dtype) == np.float64
    if step is None:
        step = 1e-5 if exact else 1e-3
    if tolerance is None:
        tolerance = 1e-6 if exact else 1e-2
    return float(step), float(tolerance)


def _positions(shape, max_checks, rng):
    """The indices to nudge: all of them, or ``max_checks`` chosen at random."""
    size = int(np.prod(shape))
    flat = np.arange(size)
    if max_checks is not None and max_checks < size:
        flat = np.sort(rng.choice(size, size=max_checks, replace=False))
    return [np.unravel_index(i, shape) for i in flat]


def _numeric(t: np.ndarray, evaluate, change, step: float, positions) -> np.ndarray:
    """Central differences of a loss with respect to the array ``t``, nudged in place.

    ``evaluate()`` runs the computation and returns what ``change(plus, minus)`` needs to
    give L(t + h) - L(t - h). The actual step is read back from ``t``, so that rounding of
    ``t +- h`` to t's float type does not bias the quotient.
    """
    out = np.empty(len(positions), dtype=np.float64)
    for k, idx in enumerate(positions):
        value = t[idx]
        t[idx] = value + step
        high, plus = t[idx], evaluate()
        t[idx] = value - step
        low, minus = t[idx], evaluate()
        t[idx] = value
        out[k] = change(plus, minus) / (float(high) - float(low))
    return out


def _compare(names, tensors, analytic, evaluate, change, step, max_checks, seed):
    """Numerical gradients of each tensor, and the errors against ``analytic``."""
    rng = np.random.default_rng(seed)
    errors, kept_a, kept_n = {}, {}, {}
    for name, t, a in zip(names, tensors, analytic):
        if a is None:
            raise ValueError(_("{name}: backward returned no gradient for it").format(
                name=name))
        a = np.asarray(a, dtype=np.float64)
        if a.shape != t.shape:
            raise ValueError(_("{name}: the analytic gradient has shape {shape}, the tensor "
                               "{tensor}").format(name=name, shape=a.shape, tensor=t.shape))
        if t.size == 0:
            continue
        positions = _positions(t.shape, max_checks, rng)
        n = _numeric(t, evaluate, change, step, positions)
        picked = np.array([a[idx] for idx in positions])
        errors[name] = float(np.max(relative_error(picked, n)))
        if len(positions) == t.size:
            kept_a[name], kept_n[name] = a, n.reshape(t.shape)
        else:
            kept_a[name], kept_n[name] = picked, n
    return errors, kept_a, kept_n


def _check_args(step, tolerance, max_checks):
    if step is not None and (isinstance(step, bool) or not step > 0):
        raise ValueError(_("step: expected a positive number, got {value!r}").format(
            value=step))
    if tolerance is not None and (isinstance(tolerance, bool) or not tolerance > 0):
        raise ValueError(_("tolerance: expected a positive number, got {value!r}").format(
            value=tolerance))
    if max_checks is not None and (
        isinstance(max_checks, bool) or not isinstance(max_checks, (int, np.integer))
        or max_checks < 1
    ):
        raise ValueError(_("max_checks: expected None or a positive integer, got {value!r}")
                         .format(value=max_checks))


def _float_array(value, argument, dtype=np.float64) -> np.ndarray:
    try:
        arr = np.array(value, dtype=dtype)  # a copy: the check nudges it in place
    except (TypeError, ValueError):
        raise ValueError(_("{argument}: expected an array of numbers, got {value!r}").format(
            argument=argument, value=value)) from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(_("{argument}: holds NaN or inf values").format(argument=argument))
    return arr


def _trainable_names(layer) -> list[str]:
    """``layer/weight`` names of the layer's trainable weights, in their order."""
    pairs = zip(getattr(layer, "_weight_names", []), getattr(layer, "_weight_trainable", []))
    names = [f"{layer.name}/{n}" for n, t in pairs if t] if layer.trainable else []
    if len(names) != len(layer.trainable_weights):
        names = [f"{layer.name}/weight_{i}" for i in range(len(layer.trainable_weights))]
    return names


def _float64_twin(layer, x_shape, notes):
    """The layer itself when it is float64; else a float64 copy with the same weights."""
    if layer.dtype == np.float64:
        return layer
    try:
        twin = type(layer).from_config({**layer.get_config(), "dtype": "float64"})
        if layer.built:
            twin.build_for(layer.input_shape)
            twin.set_weights(layer.get_weights())
        twin.build_for(x_shape)
    except Exception as err:  # a layer whose config does not rebuild it: check as it is
        notes.append(_("could not make a float64 copy of the layer ({error}); checking in "
                       "{dtype}, where rounding alone gives errors near 1e-3").format(
            error=err, dtype=layer.dtype.name))
        return layer
    notes.append(_("the layer is {dtype}: checked on a float64 copy with the same weights")
                 .format(dtype=layer.dtype.name))
    return twin


# ------------------------------------------------------------------------- the checks
def check_layer(layer, x, training=False, regularization=True, check_input=True, step=None,
                tolerance=None, max_checks=None, seed=0) -> GradCheckResult:
    """Check a layer's ``backward``: the gradients of its input and trainable weights.

    The loss is ``L = sum(r * layer(x, training)) + penalties`` with ``r`` fixed random
    normal numbers (so dL/d(output) = r) and the penalties of the layer's regularizers.

    Args:
        layer: the layer (built or not). A float32 layer is checked on a float64 copy.
        x: a batch of inputs. Keep it away from kinks (e.g. relu's 0).
        training: the ``training`` flag of the forward passes. Defaults to ``False``.
        regularization: add the weights' penalties to L (and their gradients, as the model
            does). Defaults to ``True``.
        check_input: check dL/dx too; turn it off for inputs that are not differentiable
            (integer indices). Defaults to ``True``.
        step: the step ``h``. Defaults to ``None``: 1e-5 in float64, 1e-3 otherwise.
        tolerance: the passing error. Defaults to ``None``: 1e-6 in float64, 1e-2 otherwise.
        max_checks: nudge at most this many random elements of each tensor; ``None``
            (default) nudges them all (two forward passes per element).
        seed: seed of ``r`` and of the elements picked. Defaults to ``0``.

    Returns:
        A ``GradCheckResult`` with the tensors ``"input"`` and ``"<layer>/<weight>"``.
    """
    _check_args(step, tolerance, max_checks)
    notes: list[str] = []
    layer = _float64_twin(layer, np.shape(x), notes)
    x = _float_array(x, "x", layer.dtype)
    step, tolerance = _defaults(layer.dtype, step, tolerance)
    frozen = _FrozenRandomness([layer])
    needs_input_grad, layer.input_grad = layer.input_grad, bool(check_input)

    def penalty() -> float:
        if not regularization:
            return 0.0
        return float(sum(reg(w) for w, reg in zip(arrays(layer.trainable_weights),
                                                  layer.regularizers)
                         if reg is not None))

    def evaluate():
        frozen.rewind()
        return np.array(layer(x, training=training), dtype=np.float64), penalty()

    try:
        y, _penalty = evaluate()
        r = np.random.default_rng(seed).standard_normal(y.shape)
        x_grad = layer.backward(r.astype(layer.dtype))          # dL/dx, given dL/dy = r
        weights = arrays(layer.trainable_weights)
        # a frozen layer (trainable=False) may still compute gradients nobody uses
        grads = [np.array(g, dtype=np.float64) for g in layer.grads] if weights else []
        if len(grads) != len(weights):
            raise ValueError(_("layer: backward left {n} gradients in layer.grads for "
                               "{weights} trainable weights").format(n=len(grads),
                                                                     weights=len(weights)))
        if regularization:
            for i, (w, reg) in enumerate(zip(weights, layer.regularizers)):
                if reg is not None:
                    grads[i] += reg.gradient(w)                 # d(penalty)/dw
        names, tensors = _trainable_names(layer), list(weights)
        if check_input:
            names, tensors = ["input", *names], [x, *tensors]
            grads = [None if x_grad is None else np.array(x_grad, dtype=np.float64), *grads]

        def change(plus, minus):
            return float(np.sum(r * (plus[0] - minus[0]))) + (plus[1] - minus[1])

        errors, a, n = _compare(names, tensors, grads, evaluate, change, step, max_checks, seed)
        evaluate()  # leave the layer holding the forward pass of the unchanged inputs
    finally:
        layer.input_grad = needs_input_grad
    what = f"{type(layer).__name__} {layer.name!r}"
    return GradCheckResult(what, errors, a, n, tolerance, layer.dtype.name, step, notes)


def check_activation(activation, x, step=None, tolerance=None, seed=0,
                     **params) -> GradCheckResult:
    """Check an activation's ``backward`` with ``L = sum(r * f(x, **params))``.

    Args:
        activation: a name (``"relu"``) or an activation function.
        x: the inputs, checked in float64. Keep them away from kinks.
        step: the step ``h``. Defaults to ``None`` (1e-5).
        tolerance: the passing error. Defaults to ``None`` (1e-6).
        seed: seed of ``r``. Defaults to ``0``.
        **params: the activation's parameters, e.g. ``negative_slope=0.1``.
    """
    _check_args(step, tolerance, None)
    fn = activations.get(activation)
    x = _float_array(x, "x")
    step, tolerance = _defaults(x.dtype, step, tolerance)
    y = fn(x, **params)
    r = np.random.default_rng(seed).standard_normal(y.shape)
    x_grad = fn.backward(r, x, y, **params)                 # dL/dx, given dL/dy = r

    def evaluate():
        return np.array(fn(x, **params), dtype=np.float64)

    def change(plus, minus):
        return float(np.sum(r * (plus - minus)))

    errors, a, n = _compare(["input"], [x], [x_grad], evaluate, change, step, None, seed)
    what = fn.__name__ + (f" {params}" if params else "")
    return GradCheckResult(what, errors, a, n, tolerance, "float64", step)


def check_loss(loss, y_true, y_pred, sample_weight=None, logits=False, step=None,
               tolerance=None) -> GradCheckResult:
    """Check ``loss.loss_and_grad``: the gradient of the loss with respect to ``y_pred``.

    Args:
        loss: a loss name or object (from ``redes.nn.losses``).
        y_true: the targets (integer labels for the sparse crossentropy).
        y_pred: the predictions, checked in float64. Keep them away from kinks (MAE at
            ``y_pred == y_true``) and from the clipping at 0 and 1 of probabilities.
        sample_weight: one weight per sample, or ``None`` (default).
        logits: pass ``logits=True`` to ``loss_and_grad`` (the predictions are the logits
            of the activation the loss fuses with). Defaults to ``False``.
        step: the step ``h``. Defaults to ``None`` (1e-5).
        tolerance: the passing error. Defaults to ``None`` (1e-6).
    """
    from . import losses

    _check_args(step, tolerance, None)
    loss = losses.get(loss)
    y_pred = _float_array(y_pred, "y_pred")
    y_true = np.asarray(y_true)
    if y_true.dtype.kind == "f":
        y_true = y_true.astype(np.float64)
    if sample_weight is not None:
        sample_weight = _float_array(sample_weight, "sample_weight")
    step, tolerance = _defaults(y_pred.dtype, step, tolerance)
    _value, grad = loss.loss_and_grad(y_true, y_pred, sample_weight, logits=logits)

    def evaluate():
        return loss.loss_and_grad(y_true, y_pred, sample_weight, logits=logits)[0]

    errors, a, n = _compare(["y_pred"], [y_pred], [grad], evaluate, lambda p, m: p - m, step,
                            None, 0)
    what = f"{type(loss).__name__}" + (" (logits)" if logits else "")
    return GradCheckResult(what, errors, a, n, tolerance, "float64", step)


def check_regularizer(regularizer, w, step=None, tolerance=None) -> GradCheckResult:
    """Check a regularizer's ``gradient`` against its penalty ``regularizer(w)``.

    Args:
        regularizer: a name (``"l2"``), config or regularizer object.
        w: a weight array, checked in float64. For L1 keep it away from 0.
        step: the step ``h``. Defaults to ``None`` (1e-5).
        tolerance: the passing error. Defaults to ``None`` (1e-6).
    """
    from . import regularizers

    _check_args(step, tolerance, None)
    reg = regularizers.get(regularizer)
    if reg is None:
        raise ValueError(_("regularizer: expected a regularizer, got None"))
    w = _float_array(w, "w")
    step, tolerance = _defaults(w.dtype, step, tolerance)
    errors, a, n = _compare(["weight"], [w], [reg.gradient(w)], lambda: reg(w),
                            lambda p, m: p - m, step, None, 0)
    return GradCheckResult(repr(reg), errors, a, n, tolerance, "float64", step)


def check_model(model, x, y, sample_weight=None, training=True, step=None, tolerance=None,
                max_checks=None, seed=0) -> GradCheckResult:
    """Check a whole compiled model: the gradients of its loss (regularization included)
    with respect to every trainable weight, from ``model.compute_loss_and_grads``.

    Args:
        model: a compiled model whose layers are float64 (``dtype="float64"``); with
            float32 layers the check still runs, with a looser tolerance.
        x: a batch of inputs.
        y: the targets of the batch.
        sample_weight: one weight per sample, or ``None`` (default).
        training: the ``training`` flag (dropout masks are frozen). Defaults to ``True``.
        step: the step ``h``. Defaults to ``None``: 1e-5 in float64, 1e-3 otherwise.
        tolerance: the passing error. Defaults to ``None``: 1e-6 in float64, 1e-2 otherwise.
        max_checks: nudge at most this many random elements of each weight; ``None``
            (default) nudges them all.
        seed: seed of the elements picked. Defaults to ``0``.
    """
    _check_args(step, tolerance, max_checks)
    layers = list(getattr(model, "layers", []))
    dtype = layers[0].dtype if layers else np.dtype(backend.floatx())
    x = _float_array(x, "x", dtype)
    if not model.built:
        model.build(x.shape)
    weights = arrays(model.trainable_weights)
    notes = []
    if any(w.dtype != np.float64 for w in weights):
        notes.append(_("some weights are not float64: rounding alone gives errors near "
                       "1e-3; build the layers with dtype='float64' for a sharp check"))
        dtype = np.float32
    step, tolerance = _defaults(dtype, step, tolerance)
    names_by_id = {id(w): name for layer in layers
                   for w, name in zip(arrays(layer.trainable_weights), _trainable_names(layer))}
    names = [names_by_id.get(id(w), f"weight_{i}") for i, w in enumerate(weights)]
    frozen = _FrozenRandomness(layers)

    def evaluate():
        frozen.rewind()
        return model.compute_loss_and_grads(x, y, sample_weight, training=training)[0]

    frozen.rewind()
    _loss, grads = model.compute_loss_and_grads(x, y, sample_weight, training=training)
    grads = [np.array(g, dtype=np.float64) for g in grads]
    if len(grads) != len(weights):
        raise ValueError(_("model: compute_loss_and_grads gave {n} gradients for {weights} "
                           "trainable weights").format(n=len(grads), weights=len(weights)))
    errors, a, n = _compare(names, weights, grads, evaluate, lambda p, m: p - m, step,
                            max_checks, seed)
    what = f"{type(model).__name__} {getattr(model, 'name', '')!r}"
    return GradCheckResult(what, errors, a, n, tolerance, np.dtype(dtype).name, step, notes)
