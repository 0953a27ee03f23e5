"""Elementwise operations: arithmetic, powers, exp and log, and comparisons.

Two inputs are broadcast against each other as in NumPy, so the gradient of each input is
summed back over the axes broadcasting stretched (``input_grad``). The result type follows
Keras: ``int32 + float32`` is ``float32``, and a Python number takes the type of the array
it meets (``float32 * 2`` stays ``float32``).

Where a function has a kink, the gradient is TensorFlow's: ``abs`` has gradient 0 at 0,
``maximum`` and ``minimum`` give a tie to their first input, ``clip`` lets the gradient
through at its bounds, and ``sqrt`` has gradient ``inf`` at 0.
"""

from __future__ import annotations

import numpy as np

from .base import Op
from .common import as_array, input_grad, needs_grad, promote, result_type, to_float


class Add(Op):
    name = "add"

    def forward(self, x, y):
        x, y = promote(x, y)
        return np.asarray(x + y)

    def backward(self, grad, inputs, out):
        x, y = inputs
        return [input_grad(grad, x), input_grad(grad, y)]  # d(x+y)/dx = 1, d(x+y)/dy = 1


class Subtract(Op):
    name = "subtract"

    def forward(self, x, y):
        x, y = promote(x, y)
        return np.asarray(x - y)

    def backward(self, grad, inputs, out):
        x, y = inputs
        return [input_grad(grad, x), input_grad(-grad, y)]  # d(x-y)/dx = 1, d(x-y)/dy = -1


class Multiply(Op):
    name = "multiply"

    def forward(self, x, y):
        x, y = promote(x, y)
        return np.asarray(x * y)

    def backward(self, grad, inputs, out):
        x, y = inputs
        return [input_grad(grad * y, x), input_grad(grad * x, y)]  # d(xy)/dx = y, d(xy)/dy = x


class Divide(Op):
    """``x / y``, always a float (integers become ``backend.floatx()``)."""

    name = "divide"

    def forward(self, x, y):
        x, y = promote(x, y, dtype=result_type(x, y, 1.0))
        return np.asarray(x / y)

    def backward(self, grad, inputs, out):
        x, y = inputs
        dx = grad / y  # d(x/y)/dx = 1/y
        dy = -grad * x / np.square(y)  # d(x/y)/dy = -x/y^2
        return [input_grad(dx, x), input_grad(dy, y)]


class Negative(Op):
    name = "negative"

    def forward(self, x):
        return np.asarray(np.negative(as_array(x)))

    def backward(self, grad, inputs, out):
        return [input_grad(-grad, inputs[0])]  # d(-x)/dx = -1


class Power(Op):
    """``x ** y``; the exponent ``y`` may be an array or a number."""

    name = "power"

    def forward(self, x, y):
        x, y = promote(x, y)
        return np.asarray(np.power(x, y))

    def backward(self, grad, inputs, out):
        x, y = inputs
        with np.errstate(divide="ignore", invalid="ignore"):
            dx = grad * y * np.power(x, y - 1) if needs_grad(x) else None  # d(x^y)/dx = y x^(y-1)
            log_x = np.log(np.where(x > 0, x, 1))  # ln x, and 0 where x <= 0 (as TensorFlow)
            dy = grad * out * log_x  # d(x^y)/dy = x^y ln x
        return [input_grad(dx, x), input_grad(dy, y)]


class Exp(Op):
    name = "exp"

    def forward(self, x):
        return np.asarray(np.exp(to_float(x)))

    def backward(self, grad, inputs, out):
        return [input_grad(grad * out, inputs[0])]  # d(e^x)/dx = e^x


class Log(Op):
    name = "log"

    def forward(self, x):
        return np.asarray(np.log(to_float(x)))

    def backward(self, grad, inputs, out):
        return [input_grad(grad / inputs[0], inputs[0])]  # d(ln x)/dx = 1/x


class Sqrt(Op):
    name = "sqrt"

    def forward(self, x):
        return np.asarray(np.sqrt(to_float(x)))

    def backward(self, grad, inputs, out):
        with np.errstate(divide="ignore", invalid="ignore"):
            return [input_grad(grad * 0.5 / out, inputs[0])]  # d(sqrt x)/dx = 1/(2 sqrt x)


class Square(Op):
    name = "square"

    def forward(self, x):
        x = as_array(x)
        return np.asarray(np.square(x.astype(np.int32) if x.dtype == bool else x))

    def backward(self, grad, inputs, out):
        return [input_grad(grad * 2 * inputs[0], inputs[0])]  # d(x^2)/dx = 2x


class Abs(Op):
    name = "abs"

    def forward(self, x):
        return np.asarray(np.abs(as_array(x)))

    def backward(self, grad, inputs, out):
        return [input_grad(grad * np.sign(inputs[0]), inputs[0])]  # d|x|/dx = sign(x), 0 at 0


class Maximum(Op):
    name = "maximum"

    def forward(self, x, y):
        x, y = promote(x, y)
        return np.asarray(np.maximum(x, y))

    def backward(self, grad, inputs, out):
        x, y = inputs
        first = np.asarray(x >= y)  # a tie goes to x, as in TensorFlow
        dx, dy = grad * first, grad * ~first  # d max(x,y)/dx = [x >= y], d max(x,y)/dy = [x < y]
        return [input_grad(dx, x), input_grad(dy, y)]


class Minimum(Op):
    name = "minimum"

    def forward(self, x, y):
        x, y = promote(x, y)
        return np.asarray(np.minimum(x, y))

    def backward(self, grad, inputs, out):
        x, y = inputs
        first = np.asarray(x <= y)  # a tie goes to x, as in TensorFlow
        dx, dy = grad * first, grad * ~first  # d min(x,y)/dx = [x <= y], d min(x,y)/dy = [x > y]
        return [input_grad(dx, x), input_grad(dy, y)]


class Clip(Op):
    """``x`` limited to ``[x_min, x_max]``, in ``x``'s dtype (booleans become ``int32``)."""

    name = "clip"

    def forward(self, x, x_min, x_max):
        x = as_array(x)
        x = x.astype(np.int32) if x.dtype == bool else x
        return np.asarray(np.minimum(np.maximum(x, x_min), x_max)).astype(x.dtype, copy=False)

    def backward(self, grad, inputs, out):
        x, x_min, x_max = inputs
        inside = (x >= x_min) & (x <= x_max)  # the bounds included, as in TensorFlow
        dx = grad * inside  # d clip/dx = 1 inside [x_min, x_max], 0 outside
        dmin, dmax = grad * (x < x_min), grad * (x > x_max)  # d clip/d x_min = [x < x_min]...
        return [input_grad(dx, x), input_grad(dmin, x_min), input_grad(dmax, x_max)]


class Where(Op):
    """``x1`` where ``condition`` is true, ``x2`` elsewhere."""

    name = "where"

    def forward(self, condition, x1, x2):
        x1, x2 = promote(x1, x2)
        return np.where(as_array(condition).astype(bool), x1, x2)

    def backward(self, grad, inputs, out):
        condition, x1, x2 = inputs
        chosen = np.asarray(condition).astype(bool)
        dx1, dx2 = np.where(chosen, grad, 0), np.where(chosen, 0, grad)  # d/dx1 = [condition]...
        return [None, input_grad(dx1, x1), input_grad(dx2, x2)]


class Compare(Op):
    """An elementwise comparison (``less``, ``equal``...): booleans, without a gradient."""

    name = "compare"
    FUNCTIONS = {"less": np.less, "less_equal": np.less_equal, "greater": np.greater,
                 "greater_equal": np.greater_equal, "equal": np.equal,
                 "not_equal": np.not_equal}

    def forward(self, x, y):
        return np.asarray(self.FUNCTIONS[self.kind](x, y))

    def backward(self, grad, inputs, out):
        return [None, None]   # a step function: no gradient flows through a comparison
