"""The gradient checks of a layer, an activation, a loss, a regularizer and a whole model.

Each check builds a loss whose derivative the engine computes (for a layer
``L = sum(r * layer(x))``), nudges every input or weight with ``numeric.compare`` and returns
a ``GradCheckResult``.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import activations, backend
from ..variables import arrays
from .numeric import FrozenRandomness, check_args, compare, defaults, float_array
from .result import GradCheckResult


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
    check_args(step, tolerance, max_checks)
    notes: list[str] = []
    layer = _float64_twin(layer, np.shape(x), notes)
    x = float_array(x, "x", layer.dtype)
    step, tolerance = defaults(layer.dtype, step, tolerance)
    frozen = FrozenRandomness([layer])
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

        errors, a, n = compare(names, tensors, grads, evaluate, change, step, max_checks, seed)
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
    check_args(step, tolerance, None)
    fn = activations.get(activation)
    x = float_array(x, "x")
    step, tolerance = defaults(x.dtype, step, tolerance)
    y = fn(x, **params)
    r = np.random.default_rng(seed).standard_normal(y.shape)
    x_grad = fn.backward(r, x, y, **params)                 # dL/dx, given dL/dy = r

    def evaluate():
        return np.array(fn(x, **params), dtype=np.float64)

    def change(plus, minus):
        return float(np.sum(r * (plus - minus)))

    errors, a, n = compare(["input"], [x], [x_grad], evaluate, change, step, None, seed)
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
    from .. import losses

    check_args(step, tolerance, None)
    loss = losses.get(loss)
    y_pred = float_array(y_pred, "y_pred")
    y_true = np.asarray(y_true)
    if y_true.dtype.kind == "f":
        y_true = y_true.astype(np.float64)
    if sample_weight is not None:
        sample_weight = float_array(sample_weight, "sample_weight")
    step, tolerance = defaults(y_pred.dtype, step, tolerance)
    _value, grad = loss.loss_and_grad(y_true, y_pred, sample_weight, logits=logits)

    def evaluate():
        return loss.loss_and_grad(y_true, y_pred, sample_weight, logits=logits)[0]

    errors, a, n = compare(["y_pred"], [y_pred], [grad], evaluate, lambda p, m: p - m, step,
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
    from .. import regularizers

    check_args(step, tolerance, None)
    reg = regularizers.get(regularizer)
    if reg is None:
        raise ValueError(_("regularizer: expected a regularizer, got None"))
    w = float_array(w, "w")
    step, tolerance = defaults(w.dtype, step, tolerance)
    errors, a, n = compare(["weight"], [w], [reg.gradient(w)], lambda: reg(w),
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
    check_args(step, tolerance, max_checks)
    layers = list(getattr(model, "layers", []))
    dtype = layers[0].dtype if layers else np.dtype(backend.floatx())
    x = float_array(x, "x", dtype)
    if not model.built:
        model.build(x.shape)
    weights = arrays(model.trainable_weights)
    notes = []
    if any(w.dtype != np.float64 for w in weights):
        notes.append(_("some weights are not float64: rounding alone gives errors near "
                       "1e-3; build the layers with dtype='float64' for a sharp check"))
        dtype = np.float32
    step, tolerance = defaults(dtype, step, tolerance)
    names_by_id = {id(w): name for layer in layers
                   for w, name in zip(arrays(layer.trainable_weights), _trainable_names(layer))}
    names = [names_by_id.get(id(w), f"weight_{i}") for i, w in enumerate(weights)]
    frozen = FrozenRandomness(layers)

    def evaluate():
        frozen.rewind()
        return model.compute_loss_and_grads(x, y, sample_weight, training=training)[0]

    frozen.rewind()
    _loss, grads = model.compute_loss_and_grads(x, y, sample_weight, training=training)
    grads = [np.array(g, dtype=np.float64) for g in grads]
    if len(grads) != len(weights):
        raise ValueError(_("model: compute_loss_and_grads gave {n} gradients for {weights} "
                           "trainable weights").format(n=len(grads), weights=len(weights)))
    errors, a, n = compare(names, weights, grads, evaluate, lambda p, m: p - m, step,
                            max_checks, seed)
    what = f"{type(model).__name__} {getattr(model, 'name', '')!r}"
    return GradCheckResult(what, errors, a, n, tolerance, np.dtype(dtype).name, step, notes)
