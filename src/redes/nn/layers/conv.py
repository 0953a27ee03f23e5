"""Convolution layers: Conv2D and Conv1D (channels_last), written with im2col.

A convolution slides a small kernel over the image. At every output pixel it takes the
window of the input under the kernel, (kh, kw, channels) numbers, and multiplies it with the
kernel, (kh, kw, channels, filters) numbers, giving ``filters`` numbers. im2col ("image to
columns") copies every window into one row of a matrix, so that the whole layer becomes one
matrix product::

    cols   (batch * oh * ow, kh * kw * channels)   every window, one per row
    kernel (kh * kw * channels, filters)           the kernel, flattened
    z = cols @ kernel + bias                       (batch * oh * ow, filters)

With a bias, cols gets a last column of ones and the kernel a last row, the bias: the
product [cols 1] @ [kernel; bias] = cols @ kernel + bias then adds the bias too, with no pass
of its own over z, and backwards [cols 1]^T dL/dz gives dL/dbias (the sum of dL/dz over
every pixel) as its last row.

The backward pass is the same story read backwards: dL/dkernel = cols^T dL/dz, and the
input's gradient dL/dcols = dL/dz kernel^T is added back onto the pixels each window came
from (col2im), computed one kernel offset at a time: offset (i, j) of every window gets
dL/dz W[i, j]^T, (batch * oh * ow, channels), added onto the pixels it saw.

Conv1D is Conv2D on images of height 1: (batch, steps, channels) is seen as
(batch, 1, steps, channels) and its kernel (k, in, out) as (1, k, in, out).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..._base.checks import check_positive_int
from ...i18n import _
from .. import activations, initializers, regularizers
from ..serialization import register, serialize
from .core import _WithActivation

# --------------------------------------------------------------------------- arguments


def int_tuple(value, rank: int, argument: str) -> tuple[int, ...]:
    """``3`` -> ``(3, 3)``; a sequence must hold ``rank`` positive integers."""
    values = (value,) * rank if isinstance(value, (int, np.integer)) else value
    try:
        values = tuple(values)
    except TypeError:
        values = None
    if values is None or len(values) != rank or not all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v > 0 for v in values
    ):
        raise ValueError(_(
            "{argument}: expected a positive integer or a tuple of {rank} positive integers, "
            "got {value!r}"
        ).format(argument=argument, rank=rank, value=value))
    return tuple(int(v) for v in values)


def padding_arg(padding, allowed=("valid", "same")) -> str:
    """``"valid"`` or ``"same"`` (any case), as Keras accepts them."""
    value = padding.lower() if isinstance(padding, str) else padding
    if value not in allowed:
        raise ValueError(_("padding: expected one of {options}, got {value!r}").format(
            options=", ".join(repr(a) for a in allowed), value=padding))
    return value


def data_format_arg(data_format) -> str:
    """Only ``channels_last`` (Keras' default): images are (batch, height, width, channels)."""
    value = data_format.lower() if isinstance(data_format, str) else data_format
    if value in (None, "channels_last"):
        return "channels_last"
    if value == "channels_first":
        raise ValueError(_(
            "data_format: redes supports only 'channels_last', inputs shaped (batch, height, "
            "width, channels), the Keras default; got 'channels_first'. Move the channel axis "
            "of your data last with np.moveaxis(x, 1, -1) and drop data_format."
        ))
    raise ValueError(_("data_format: expected 'channels_last' or None, got {value!r}").format(
        value=data_format))


def pad_amounts(size: int, k: int, s: int, padding: str) -> tuple[int, int]:
    """Zeros added (before, after) one spatial axis of length ``size``.

    "same" pads so that the output has ceil(size / s) positions; an odd total goes one more
    at the end (bottom, right), as in Keras and TensorFlow. "causal" (Conv1D) pads k - 1 at
    the start, so that output t only sees inputs up to t.
    """
    if padding == "same":
        total = max((-(-size // s) - 1) * s + k - size, 0)
        return total // 2, total - total // 2
    if padding == "causal":
        return k - 1, 0
    return 0, 0


def out_length(size: int, k: int, s: int, pads: tuple[int, int]) -> int:
    """Number of window positions along one axis: (size + pads - k) // s + 1."""
    return (size + pads[0] + pads[1] - k) // s + 1


def pad_image(x: np.ndarray, pads, value=0.0) -> np.ndarray:
    """``x`` (n, H, W, c) with ``pads`` ((top, bottom), (left, right)) added; no copy if none."""
    (top, bottom), (left, right) = pads
    if top == bottom == left == right == 0:
        return x
    n, h, w, c = x.shape
    out = np.full((n, h + top + bottom, w + left + right, c), value, dtype=x.dtype)
    out[:, top:top + h, left:left + w, :] = x
    return out


def crop_image(x: np.ndarray, pads) -> np.ndarray:
    """The inverse of ``pad_image``: drop the padded border again."""
    (top, bottom), (left, right) = pads
    return x[:, top:x.shape[1] - bottom, left:x.shape[2] - right, :]


def windows(xp: np.ndarray, kernel_size, strides, out_size) -> np.ndarray:
    """A view (n, oh, ow, kh, kw, c) of every window of ``xp`` (n, H, W, c); no copy.

    ``windows(...)[b, i, j]`` is the patch under the kernel at output pixel (i, j).
    """
    n, _height, _width, c = xp.shape
    (kh, kw), (sh, sw), (oh, ow) = kernel_size, strides, out_size
    s0, s1, s2, s3 = xp.strides
    return as_strided(xp, (n, oh, ow, kh, kw, c), (s0, s1 * sh, s2 * sw, s1, s2, s3),
                      writeable=False)


def offset_view(xp: np.ndarray, i: int, j: int, strides, out_size) -> np.ndarray:
    """The pixels that kernel offset (i, j) sees at every output position: (n, oh, ow, c)."""
    (sh, sw), (oh, ow) = strides, out_size
    return xp[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :]


def looks_channels_first(shape) -> bool:
    """(n, 1 or 3, 28, 28) rather than (n, 28, 28, 1 or 3)."""
    return len(shape) == 4 and shape[1] in (1, 2, 3, 4) and (shape[-1] or 0) > 4


def channels_first_hint() -> str:
    """The end of a message about an input that looks channels-first, in the current language."""
    return _(
        "; it looks channels-first (batch, channels, height, width), but redes expects "
        "channels-last (batch, height, width, channels): use np.moveaxis(x, 1, -1)"
    )


class SpatialInputMixin:
    """Input checks shared by the convolution and pooling layers (rank 1 or 2)."""

    rank = 2

    def _layout(self) -> str:
        return "(batch, steps, channels)" if self.rank == 1 else "(batch, height, width, channels)"

    def check_rank(self, shape, argument: str) -> None:
        if len(shape) == self.rank + 2:
            return
        hint = ""
        if len(shape) == self.rank + 1:
            hint = _("; for a single channel add a channel axis with x[..., None]")
        if self.rank == 2 and len(shape) == 3:
            hint += _(", or for sequences (batch, steps, channels) use a 1D layer (e.g. Conv1D)")
        elif self.rank == 1 and len(shape) == 4:
            hint = _("; for images use a 2D layer (e.g. Conv2D)")
        elif self.rank == 2 and len(shape) == 2:
            hint = _("; to turn flat vectors back into images use "
                     "x.reshape(-1, height, width, channels), e.g. x.reshape(-1, 28, 28, 1)")
        raise ValueError(_(
            "{argument}: {layer} expects {rank}D inputs {layout}, got shape {shape}{hint}"
        ).format(argument=argument, layer=type(self).__name__, rank=self.rank + 2,
                 layout=self._layout(), shape=tuple(shape), hint=hint))

    def set_window(self, kernel_size, strides, padding, data_format, dilation_rate,
                   paddings=("valid", "same")) -> None:
        """Check and keep a convolution window's arguments (``kernel_size``, ``strides``,
        ``padding``, ``data_format``), with ``_k2`` and ``_s2`` their image form (1D layers
        are images of height 1). Only a dilation of 1 is supported."""
        if int_tuple(dilation_rate, self.rank, "dilation_rate") != (1,) * self.rank:
            raise ValueError(_("dilation_rate: redes supports only 1, got {value!r}").format(
                value=dilation_rate))
        self.kernel_size = int_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = int_tuple(strides, self.rank, "strides")
        self.padding = padding_arg(padding, paddings)
        self.data_format = data_format_arg(data_format)
        self._k2 = self.kernel_size if self.rank == 2 else (1, *self.kernel_size)
        self._s2 = self.strides if self.rank == 2 else (1, *self.strides)

    def known_channels(self, input_shape) -> int:
        """The number of channels (the last axis) of ``input_shape``, whose rank is checked;
        a convolution needs it known to shape its kernel."""
        self.check_rank(input_shape, "input_shape")
        if input_shape[-1] is None:
            raise ValueError(_(
                "input_shape: {layer} needs a known number of channels (the last axis), "
                "got {shape}"
            ).format(layer=type(self).__name__, shape=input_shape))
        return input_shape[-1]

    def check_input(self, x):
        self.check_rank(x.shape, "x")
        expected = self.input_shape
        if expected is not None and x.shape[-1] != expected[-1] and looks_channels_first(
                x.shape) and x.shape[1] == expected[-1]:
            raise ValueError(_(
                "x: layer {name!r} expects inputs of shape {expected}, got an array "
                "of shape {shape}{hint}"
            ).format(name=self.name, expected=expected, shape=tuple(x.shape),
                     hint=channels_first_hint()))
        super().check_input(x)

    def spatial_check(self, input_shape, window, pads, argument="kernel_size"):
        """Refuse windows larger than the (padded) input along any spatial axis."""
        sizes = tuple(input_shape[1:-1])
        for d, k, (p0, p1) in zip(sizes, window, pads):
            if d is not None and d + p0 + p1 < k:
                hint = channels_first_hint() if looks_channels_first(input_shape) else _(
                    "; use padding='same' or a smaller window")
                raise ValueError(_(
                    "{argument}: {window} is larger than the input {sizes} of {layer} {name!r} "
                    "(input shape {shape}, padding={padding!r}){hint}"
                ).format(argument=argument, window=window if self.rank == 2 else window[0],
                         sizes=sizes if self.rank == 2 else sizes[0], layer=type(self).__name__,
                         name=self.name, shape=tuple(input_shape), padding=self.padding,
                         hint=hint))

    def pads_for(self, input_shape, window, strides):
        """(before, after) zeros for each spatial axis of ``input_shape``."""
        return tuple((0, 0) if d is None else pad_amounts(d, k, s, self.padding)
                     for d, k, s in zip(input_shape[1:-1], window, strides))

    def out_sizes(self, input_shape, window, strides):
        pads = self.pads_for(input_shape, window, strides)
        return tuple(None if d is None else out_length(d, k, s, p)
                     for d, k, s, p in zip(input_shape[1:-1], window, strides, pads))

    def as_image(self, x):
        """(n, steps, c) -> (n, 1, steps, c) for the 1D layers; images pass as they are."""
        return x[:, None] if self.rank == 1 else x

    def image_pads(self, pads):
        """The padding of the image form: 1D layers add none along the height."""
        return ((0, 0), *pads) if self.rank == 1 else pads

    def from_image(self, y):
        return y[:, 0] if self.rank == 1 else y


# ------------------------------------------------------------------------- layers


class _Conv(SpatialInputMixin, _WithActivation):
    """Shared by Conv1D and Conv2D; works on images (1D inputs are images of height 1)."""

    paddings = ("valid", "same")

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, **kwargs):
        self.filters = check_positive_int("filters", filters)
        if groups != 1:
            raise ValueError(_("groups: redes supports only 1, got {value!r}").format(
                value=groups))
        super().__init__(activation=activation, **kwargs)
        self.set_window(kernel_size, strides, padding, data_format, dilation_rate,
                        self.paddings)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def build(self, input_shape):
        channels = self.known_channels(input_shape)
        self.spatial_check(input_shape, self.kernel_size,
                           self.pads_for(input_shape, self.kernel_size, self.strides))
        self.kernel = self._add_array("kernel", (*self.kernel_size, channels, self.filters),
                                      self.kernel_initializer, self.kernel_regularizer)
        if self.use_bias:
            self.bias = self._add_array("bias", (self.filters,), self.bias_initializer,
                                        self.bias_regularizer)

    def compute_output_shape(self, input_shape):
        out = self.out_sizes(input_shape, self.kernel_size, self.strides)
        return (input_shape[0], *out, self.filters)

    def call(self, x, training=False):
        pads = self.image_pads(self.pads_for(x.shape, self.kernel_size, self.strides))
        out_size = (1, *self.out_sizes(x.shape, self.kernel_size, self.strides))[-2:]
        xp = pad_image(self.as_image(x), pads)
        patches = windows(xp, self._k2, self._s2, out_size)     # (n, oh, ow, kh, kw, c), a view
        # im2col: one row per output pixel, kh * kw * c columns, and a column of ones for
        # the bias
        k = self.kernel[..., 0].size
        rows = patches.shape[0] * patches.shape[1] * patches.shape[2]
        # in a training step the patches and z go into arrays kept from the step before:
        # arrays this large, new, would be new memory pages, handed out zeroed one by one
        cols = self.kept_or_new("cols", (rows, k + self.use_bias), xp.dtype)
        cols[:, :k].reshape(patches.shape)[...] = patches
        weights = self.kernel.reshape(k, self.filters)
        if self.use_bias:
            cols[:, k] = 1
            weights = np.vstack([weights, self.bias])          # [kernel; bias]
        # the whole layer, one product: z = [cols 1] @ [kernel; bias]
        z = np.matmul(cols, weights, out=self.kept("z", (rows, self.filters),
                                                   np.result_type(cols, weights)))
        self.cols, self.x_shape, self.pads, self.out_size = cols, xp.shape, pads, out_size
        z = z.reshape(x.shape[0], *out_size[2 - self.rank:], self.filters)
        return self.activate(z, owned=True)

    def backward(self, grad, from_logits=False):
        g = self.activation_backward(grad, from_logits)            # dL/dz
        g = g.reshape(-1, self.filters)
        d_weights = self.cols.T @ g                    # dL/d[W; b] = [cols 1]^T dL/dz
        if self.in_training_step:
            # a training step runs one backward pass: the patches and the pre-activations
            # served it only, and letting them go now leaves their memory to the layers
            # still to come backwards
            self.cols = self.z = self.y = None
        self.grads = [d_weights[:self.kernel[..., 0].size].reshape(self.kernel.shape)]
        if self.use_bias:
            self.grads.append(d_weights[-1])           # dL/db = sum of dL/dz, every pixel
        if not self.input_grad:
            return None
        # dL/dx, one kernel offset (i, j) at a time: the pixels that offset saw at every
        # output position get dL/dz W[i, j]^T (col2im without building dL/dcols, which
        # would be kh * kw times the size of the input and read back with large strides)
        n, oh, ow = self.x_shape[0], *self.out_size
        w = self.kernel.reshape(*self._k2, -1, self.filters)
        dx = self.kept_or_new("dx", self.x_shape, g.dtype)
        dx.fill(0)
        for i in range(self._k2[0]):
            for j in range(self._k2[1]):
                dx_ij = (g @ w[i, j].T).reshape(n, oh, ow, -1)   # dL/dz W[i, j]^T
                offset_view(dx, i, j, self._s2, self.out_size)[...] += dx_ij
        return self.from_image(crop_image(dx, self.pads))

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": [1] * self.rank,
            "groups": 1,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize(self.kernel_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
        }


@register("layer", "Convolution2D")
class Conv2D(_Conv):
    """2D convolution over images: ``y = activation(conv(x, kernel) + bias)``.

    Inputs are (batch, height, width, channels); outputs (batch, new_height, new_width,
    filters). The kernel has shape (kh, kw, in_channels, filters), as in Keras.

    Args:
        filters: number of filters (channels of the output).
        kernel_size: int or tuple (kh, kw), the window's size.
        strides: int or tuple (sh, sw), the step between windows. Defaults to 1.
        padding: ``"valid"`` (default, no padding: the output shrinks by kernel_size - 1)
            or ``"same"`` (zeros around the input so that the output has
            ceil(size / strides) pixels; an odd padding goes one more at the bottom/right).
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
        dilation_rate: only 1 (the default) is supported.
        groups: only 1 (the default) is supported.
        activation: name or function; ``None`` (default) means linear.
        use_bias: whether to add a bias per filter. Defaults to ``True``.
        kernel_initializer: defaults to ``"glorot_uniform"`` (fans kh*kw*in and kh*kw*out).
        bias_initializer: defaults to ``"zeros"``.
        kernel_regularizer, bias_regularizer: penalties added to the loss; default ``None``.
    """

    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, **kwargs)


@register("layer", "Convolution1D")
class Conv1D(_Conv):
    """1D convolution over sequences: ``y = activation(conv(x, kernel) + bias)``.

    Inputs are (batch, steps, channels); outputs (batch, new_steps, filters). The kernel has
    shape (kernel_size, in_channels, filters), as in Keras.

    Args:
        filters: number of filters (channels of the output).
        kernel_size: int (or a 1-tuple), the window's length.
        strides: int, the step between windows. Defaults to 1.
        padding: ``"valid"`` (default), ``"same"`` (output has ceil(steps / strides)
            positions) or ``"causal"`` (kernel_size - 1 zeros at the start only, so that
            output t depends on inputs up to t).
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
        dilation_rate: only 1 (the default) is supported.
        groups: only 1 (the default) is supported.
        activation: name or function; ``None`` (default) means linear.
        use_bias: whether to add a bias per filter. Defaults to ``True``.
        kernel_initializer: defaults to ``"glorot_uniform"``.
        bias_initializer: defaults to ``"zeros"``.
        kernel_regularizer, bias_regularizer: penalties added to the loss; default ``None``.
    """

    rank = 1
    paddings = ("valid", "same", "causal")

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, **kwargs)


# the other names Keras gives them
Convolution1D, Convolution2D = Conv1D, Conv2D
