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

from .checks import check_activation, check_layer, check_loss, check_model, check_regularizer
from .numeric import TINY, relative_error
from .result import GradCheckResult

__all__ = [
    "TINY",
    "GradCheckResult",
    "check_activation",
    "check_layer",
    "check_loss",
    "check_model",
    "check_regularizer",
    "relative_error",
]
