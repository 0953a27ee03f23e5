"""The dense building blocks: Input, Dense, Activation, Dropout, Flatten, Reshape."""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import activations, backend, initializers, regularizers
from ..graph import KerasTensor, Node
from ..serialization import register, serialize
from ..step import current as current_step
from .base import Layer, as_shape


@register("layer")
class InputLayer(Layer):
    """The entry of a model: declares the shape and dtype of one sample.

    It makes one symbolic tensor, ``layer.output``, which layers are called on to build a
    graph (``keras.Input`` returns it directly).

    Args:
        shape: shape of one sample, without the batch dimension, e.g. ``(784,)``.
        batch_size: a fixed batch size, or ``None`` (default) for any.
        dtype: type of the data: ``floatx()`` (``"float32"``) by default; ``"int32"`` or
            ``"int64"`` for token ids fed to an ``Embedding``.
        batch_shape: shape with the batch dimension first, instead of ``shape`` and
            ``batch_size``.
        name: the layer's name. Defaults to ``"input_layer"`` (numbered when repeated).
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, batch_shape=None, name=None,
                 **kwargs):
        if batch_shape is not None:
            if shape is not None:
                raise ValueError(_("shape, batch_shape: give one of them, not both"))
            batch_shape = tuple(batch_shape) if isinstance(batch_shape, (list, tuple)) else \
                batch_shape
            if not isinstance(batch_shape, tuple) or not batch_shape:
                raise ValueError(_(
                    "batch_shape: expected a tuple such as (None, 784), got {value!r}"
                ).format(value=batch_shape))
            batch_size, shape = batch_shape[0], batch_shape[1:]
        if shape is None:
            raise ValueError(_("shape: Input needs the shape of one sample, e.g. shape=(784,)"))
        text = isinstance(dtype, str) and dtype in ("string", "str")   # strings: dtype object
        kind = np.dtype(backend.floatx() if dtype is None else object if text else dtype)
        if kind.kind not in "fiubO":
            raise ValueError(_(
                "dtype: expected a float, integer or string type such as 'float32', 'int32' "
                "or 'string', got {value!r}").format(value=dtype))
        super().__init__(name=name, dtype=dtype if kind.kind == "f" else None, **kwargs)
        self.shape = as_shape(shape, "shape")
        if batch_size is not None:
            batch_size = as_shape(batch_size, "batch_size")[0]
        self.batch_size = batch_size
        self.input_dtype = kind
        self.input_shape = self.output_shape = (batch_size, *self.shape)
        self.built = True
        Node(self, None, [KerasTensor(self.output_shape, kind, name=self.name)])

    def call(self, x, training=False):
        return x

    def backward(self, grad):
        return grad

    def get_config(self):
        config = {**super().get_config(), "shape": list(self.shape)}
        if self.input_dtype.kind != "f":
            config["dtype"] = "string" if self.input_dtype.kind == "O" else self.input_dtype.name
        if self.batch_size is not None:
            config["batch_size"] = self.batch_size
        return config


def Input(shape=None, batch_size=None, dtype=None, batch_shape=None, name=None):
    """``keras.Input``: a symbolic tensor of the given sample ``shape`` (batch dimension
    ``None``), to start a model: ``Model(inputs, outputs)`` or ``Sequential([Input(...), ...])``.
    The arguments are those of ``InputLayer``."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype,
                       batch_shape=batch_shape, name=name)
    return layer.output


class _WithActivation(Layer):
    """A layer whose output is ``activation(z)``. It keeps ``z`` (the logits) so that the
    model can compute a crossentropy from logits, which is exact where a saturated softmax or
    sigmoid would give log(0), and whose gradient is simply ``p - y``."""

    @property
    def logits_only(self) -> bool:
        """Whether the training step under way reads this layer's logits (a crossentropy
        fused with its softmax or sigmoid): the layer then returns z, and the activation is
        left out of the step."""
        step = current_step()
        return step is not None and id(self) in step.logits

    def __init__(self, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def activate(self, z, owned=False):
        """``activation(z)``; ``owned`` says that z is a new array of this layer's own."""
        self.z = z
        if self.logits_only:
            self.y = z
        elif self.activation is activations.relu and owned and self.in_training_step:
            # ReLU, the activation of most hidden layers, in place during a training step
            # (one array less to fill); the backward pass then reads relu(z) as z, which is
            # the same to it: relu(z) > 0 exactly where z > 0
            self.y = np.maximum(z, 0, out=z)
        else:
            self.y = self.activation(z)
        return self.y

    def activation_backward(self, grad, from_logits=False):
        """dL/dz from dL/dy, or ``grad`` itself when it already is dL/dz."""
        if from_logits or self.activation is activations.linear:
            return grad
        if self.activation is activations.relu and self.in_training_step:
            # in a training step the gradient handed back is the model's to overwrite
            return np.multiply(grad, self.z > 0, out=grad)
        return self.activation.backward(grad, self.z, self.y)


@register("layer")
class Dense(_WithActivation):
    """A fully connected layer: ``y = activation(x @ kernel + bias)``.

    Args:
        units: number of neurons (size of the last output dimension).
        activation: name or function; ``None`` (default) means linear.
        use_bias: whether to add a bias. Defaults to ``True``.
        kernel_initializer: defaults to ``"glorot_uniform"``.
        bias_initializer: defaults to ``"zeros"``.
        kernel_regularizer, bias_regularizer: penalties added to the loss; default ``None``.

    The kernel has shape ``(input_dim, units)``, as in Keras.
    """

    supports_masking = True

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, **kwargs):
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units < 1:
            raise ValueError(_("units: expected a positive integer, got {value!r}").format(
                value=units))
        super().__init__(activation=activation, **kwargs)
        self.units = int(units)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def build(self, input_shape):
        if input_shape[-1] is None:
            raise ValueError(_("input_shape: Dense needs a known last dimension, got {shape}")
                             .format(shape=input_shape))
        self.kernel = self._add_array("kernel", (input_shape[-1], self.units),
                                      self.kernel_initializer, self.kernel_regularizer)
        self._kernel_grad = np.empty_like(self.kernel)   # reused by every backward pass
        if self.use_bias:
            self.bias = self._add_array("bias", (self.units,), self.bias_initializer,
                                        self.bias_regularizer)
            self._bias_grad = np.empty_like(self.bias)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def call(self, x, training=False):
        self.x = x
        shape, dtype = (*x.shape[:-1], self.units), np.result_type(x, self.kernel)
        z = np.matmul(x, self.kernel, out=self.kept("z", shape, dtype))
        if self.use_bias:
            z += self.bias
        return self.activate(z, owned=True)

    def backward(self, grad, from_logits=False):
        g = self.activation_backward(grad, from_logits)   # dL/dz
        x = self.x
        if x.ndim > 2:   # Dense on (batch, ..., features): fold the middle axes into the batch
            x, g = x.reshape(-1, x.shape[-1]), g.reshape(-1, self.units)
        self.grads = [np.matmul(x.T, g, out=self._kernel_grad)]   # dL/dW = x^T dL/dz
        if self.use_bias:
            self.grads.append(g.sum(axis=0, out=self._bias_grad))   # dL/db = sum of dL/dz
        if not self.input_grad:
            return None
        dx = np.matmul(g, self.kernel.T, out=self.kept("dx", (len(g), x.shape[-1]), g.dtype))
        return dx.reshape(self.x.shape)                   # dL/dx = dL/dz W^T

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize(self.kernel_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
        }


@register("layer")
class Activation(_WithActivation):
    """Applies an activation function: ``y = activation(x)``.

    Args:
        activation: name or function, e.g. ``"relu"``.
    """

    supports_masking = True

    def __init__(self, activation, **kwargs):
        super().__init__(activation=activation, **kwargs)

    def call(self, x, training=False):
        return self.activate(x)

    def backward(self, grad, from_logits=False):
        return self.activation_backward(grad, from_logits)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


@register("layer")
class Dropout(Layer):
    """Sets a fraction ``rate`` of the inputs to 0 during training and scales the rest by
    ``1 / (1 - rate)``, so the expected value is unchanged; does nothing at inference.

    Args:
        rate: fraction of the inputs to drop, in [0, 1).
        seed: seed of the dropout mask; ``None`` (default) uses the engine's generator.
    """

    supports_masking = True

    def __init__(self, rate, seed=None, **kwargs):
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)) \
                or not 0 <= rate < 1:
            raise ValueError(_("rate: expected a number in [0, 1), got {value!r}").format(
                value=rate))
        seed = backend.check_seed(seed)
        super().__init__(**kwargs)
        self.rate = float(rate)
        self.seed = seed
        self._rng = backend.rng(seed) if seed is not None else None

    def call(self, x, training=False):
        if not training or self.rate == 0:
            self.mask = None
            return x
        rng = self._rng or backend.rng()
        # in a training step the draws, the mask and the output go into arrays kept from the
        # step before (``Layer.kept``): new ones that large would be new memory pages
        shape, kept = x.shape, self.kept
        draws = rng.random(shape, dtype=np.float32, out=kept("draws", shape, np.float32))
        keep = np.greater_equal(draws, self.rate, out=kept("keep", shape, np.bool_))
        self.mask = np.multiply(keep, x.dtype.type(1 / (1 - self.rate)),
                                out=kept("mask", shape, x.dtype))
        return np.multiply(x, self.mask, out=kept("y", shape, np.result_type(x, self.mask)))

    def backward(self, grad):
        if self.mask is None:
            return grad
        # dy/dx = mask / (1 - rate); in a training step the gradient handed back is the
        # model's to overwrite
        in_place = self.in_training_step and grad.dtype == np.result_type(grad, self.mask)
        return np.multiply(grad, self.mask, out=grad if in_place else None)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


@register("layer")
class Flatten(Layer):
    """Flattens each sample to one dimension: (batch, d1, d2, ...) -> (batch, d1*d2*...)."""

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else int(np.prod(rest))
        return (input_shape[0], size)

    def call(self, x, training=False):
        self.in_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad):
        return grad.reshape(self.in_shape)


@register("layer")
class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (one entry may be -1).

    Args:
        target_shape: the new shape of one sample, without the batch dimension.
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            shape = tuple(int(d) for d in target_shape)
        except (TypeError, ValueError):
            shape = None
        if not shape or any(d == 0 or d < -1 for d in shape) or shape.count(-1) > 1:
            raise ValueError(_(
                "target_shape: expected a tuple of positive integers (at most one -1), "
                "got {value!r}"
            ).format(value=target_shape))
        self.target_shape = shape

    def compute_output_shape(self, input_shape):
        size = int(np.prod(input_shape[1:]))
        known = int(np.prod([d for d in self.target_shape if d != -1]))
        if -1 in self.target_shape:
            if size % known:
                raise ValueError(_(
                    "target_shape: cannot reshape samples of shape {shape} to {target}"
                ).format(shape=input_shape[1:], target=self.target_shape))
            shape = tuple(size // known if d == -1 else d for d in self.target_shape)
        else:
            shape = self.target_shape
        if int(np.prod(shape)) != size:
            raise ValueError(_(
                "target_shape: samples of shape {shape} ({size} values) cannot become {target}"
            ).format(shape=input_shape[1:], size=size, target=self.target_shape))
        return (input_shape[0], *shape)

    def call(self, x, training=False):
        self.in_shape = x.shape
        return x.reshape((x.shape[0], *self.output_shape[1:]))

    def backward(self, grad):
        return grad.reshape(self.in_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}
