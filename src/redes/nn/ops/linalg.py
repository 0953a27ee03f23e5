"""Products of arrays: ``matmul``, ``dot`` and ``einsum``.

Each output value is a sum of products, so the gradient of one input is the gradient of the
output times the other input, summed over the letters the input does not have. In
``einsum`` notation, for ``C = einsum("ij,jk->ik", A, B)``::

    dL/dA = einsum("ik,jk->ij", G, B)        dL/dB = einsum("ik,ij->jk", G, A)

``einsum_grads`` writes that rule once for any subscripts; ``dot`` uses it too.
"""

from __future__ import annotations

import string

import numpy as np

from ...i18n import _
from .base import Op, unbroadcast
from .common import as_array, input_grad, needs_grad, promote


class Matmul(Op):
    """The matrix product, as ``np.matmul``: the last two axes are matrices and the axes
    before them are broadcast; a 1-D input is a row (first input) or a column (second)."""

    name = "matmul"

    def forward(self, x, y):
        x, y = promote(as_array(x), as_array(y))
        if x.ndim == 0 or y.ndim == 0:
            raise ValueError(_("matmul: inputs must have at least 1 dimension, got shapes "
                               "{x} and {y}").format(x=x.shape, y=y.shape))
        inner_x, inner_y = x.shape[-1], y.shape[-2 if y.ndim > 1 else 0]
        if inner_x != inner_y:
            raise ValueError(_("matmul: shapes {x} and {y} do not match ({a} != {b})").format(
                x=x.shape, y=y.shape, a=inner_x, b=inner_y))
        try:
            return np.asarray(np.matmul(x, y))
        except ValueError:
            raise ValueError(_("matmul: the batch axes of shapes {x} and {y} do not "
                               "broadcast").format(x=x.shape, y=y.shape)) from None

    def backward(self, grad, inputs, out):
        x, y = as_array(inputs[0]), as_array(inputs[1])
        x2 = x if x.ndim > 1 else x[None, :]  # a 1-D x is the row (1, n)
        y2 = y if y.ndim > 1 else y[:, None]  # a 1-D y is the column (n, 1)
        batch = np.broadcast_shapes(x2.shape[:-2], y2.shape[:-2])
        g = grad.reshape(batch + (x2.shape[-2], y2.shape[-1]))
        dx = unbroadcast(g @ np.swapaxes(y2, -1, -2), x2.shape)  # d(xy)/dx: G y^T
        dy = unbroadcast(np.swapaxes(x2, -1, -2) @ g, y2.shape)  # d(xy)/dy: x^T G
        return [input_grad(dx.reshape(x.shape), x), input_grad(dy.reshape(y.shape), y)]


def _dot_subscripts(ndim_x: int, ndim_y: int) -> str:
    """``np.dot`` as einsum: the last axis of x times the second to last of y (its only one
    when y is 1-D), e.g. ``"aZ,Zy->ay"`` for two matrices."""
    x = string.ascii_lowercase[: ndim_x - 1] + "Z"
    if ndim_y == 1:
        return f"{x},Z->{x[:-1]}"
    y = string.ascii_uppercase[: ndim_y - 2] + "Zy"
    return f"{x},{y}->{x[:-1]}{y[:-2]}y"


class Dot(Op):
    """``np.dot``: a product with a scalar, or the sum over the last axis of x and the second
    to last axis of y."""

    name = "dot"

    def forward(self, x, y):
        x, y = promote(x, y)
        if np.ndim(x) == 0 or np.ndim(y) == 0:
            return np.asarray(x * y)  # (np.dot would not keep a Python number weak)
        inner_x, inner_y = x.shape[-1], y.shape[-2 if y.ndim > 1 else 0]
        if inner_x != inner_y:
            raise ValueError(_("dot: shapes {x} and {y} do not match ({a} != {b})").format(
                x=x.shape, y=y.shape, a=inner_x, b=inner_y))
        return np.asarray(np.dot(x, y))

    def backward(self, grad, inputs, out):
        x, y = inputs
        if np.ndim(x) == 0 or np.ndim(y) == 0:  # a product with a scalar
            return [input_grad(grad * y, x), input_grad(grad * x, y)]  # d(xy)/dx = y, d/dy = x
        return einsum_grads(_dot_subscripts(x.ndim, y.ndim), grad, [x, y])


def explicit_subscripts(subscripts: str, ndims: list) -> str:
    """``subscripts`` with ``...`` spelled out in free letters and the output after ``->``
    (NumPy's implicit output: the broadcast axes, then the letters used once, sorted)."""
    subscripts = subscripts.replace(" ", "")
    inputs, arrow, output = subscripts.partition("->")
    inputs = inputs.split(",")
    free = [c for c in string.ascii_letters if c not in subscripts]
    extra = [n - len(s.replace("...", "")) for s, n in zip(inputs, ndims)]
    width = max([k for s, k in zip(inputs, extra) if "..." in s], default=0)
    dots = "".join(free[:width])  # letters for the axes of "...", aligned on the right
    inputs = [s.replace("...", dots[width - k:]) for s, k in zip(inputs, extra)]
    if arrow:
        output = output.replace("...", dots)
    else:
        letters = "".join(inputs)
        output = dots + "".join(sorted(c for c in set(letters) - set(dots)
                                       if letters.count(c) == 1))
    return ",".join(inputs) + "->" + output


def einsum_grads(subscripts: str, grad, operands: list) -> list:
    """dL/d(each operand) of ``np.einsum(subscripts, *operands)``, for explicit subscripts.

    For operand A: dL/dA = einsum(G and the other operands -> A's letters), since every output
    value is a sum of products that hold A once. A letter that only A has (summed in A alone)
    gets ones; a letter A repeats (a diagonal, as in ``"ii->i"``) gets the gradient written on
    the diagonal of zeros.
    """
    inputs, output = subscripts.split("->")
    inputs = inputs.split(",")
    sizes = {c: n for s, a in zip(inputs, operands) for c, n in zip(s, np.shape(a))}
    grads = []
    for i, (sub, a) in enumerate(zip(inputs, operands)):
        if not needs_grad(a):
            grads.append(None)
            continue
        others = [s for j, s in enumerate(inputs) if j != i]
        letters = "".join(dict.fromkeys(sub))  # A's letters, once each
        alone = "".join(c for c in letters if c not in output + "".join(others))
        ones = np.ones([sizes[c] for c in alone], grad.dtype)
        terms = ",".join([output, *others, alone]) + "->" + letters
        partial = np.einsum(terms, grad, *[b for j, b in enumerate(operands) if j != i], ones)
        if letters == sub:
            da = partial
        else:
            da = np.zeros(np.shape(a), partial.dtype)
            np.einsum(f"{sub}->{letters}", da)[...] = partial  # a writable view of the diagonal
        grads.append(input_grad(da, a))
    return grads


class Einsum(Op):
    """``np.einsum(subscripts, *operands)``: products summed over the letters that the output
    does not have (``"ij,jk->ik"`` is a matrix product, ``"ii->i"`` a diagonal)."""

    name = "einsum"

    def forward(self, *operands):
        operands = promote(*[as_array(a) for a in operands])
        count = self.subscripts.partition("->")[0].count(",") + 1
        if count != len(operands):
            raise ValueError(_("einsum: subscripts {subscripts!r} name {count} operands, got "
                               "{given}").format(subscripts=self.subscripts, count=count,
                                                 given=len(operands)))
        explicit = explicit_subscripts(self.subscripts, [a.ndim for a in operands])
        return np.asarray(np.einsum(explicit, *operands))

    def backward(self, grad, inputs, out):
        explicit = explicit_subscripts(self.subscripts, [np.ndim(a) for a in inputs])
        return einsum_grads(explicit, grad, list(inputs))  # dA = einsum(G, others -> A)
