"""Where each pixel of a transformed image comes from: the arithmetic shared by the image
layers (Resizing, CenterCrop, RandomRotation, RandomZoom, RandomTranslation).

Every geometric change of an image reads each output pixel from a point of the input image,
in general between pixels. "nearest" takes the closest input pixel; "bilinear" mixes the
four around the point, each weighted by how close it is. So an output pixel is a weighted sum
of input pixels, ``y = S x``, with a sparse matrix ``S`` (one or four entries per row) that
depends on the geometry only, never on the pixel values. Its backward pass is therefore the
transpose: ``dL/dx = S^T dL/dy``, each output pixel's gradient sent back to the input pixels
it was read from, with the same weights.

* ``affine_transform`` follows ``keras.ops.image.affine_transform`` (TensorFlow's
  ``ImageProjectiveTransformV3``): a transform ``[a0, a1, a2, b0, b1, b2, c0, c1]`` reads
  output pixel (x, y) from input point ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``,
  ``k = c0 x + c1 y + 1``. A point outside the image is brought back by ``fill_mode``
  ("reflect", "wrap", "nearest") or, with "constant", reads ``fill_value``. The coordinates are
  computed in float32, as TensorFlow does, so that the same pixels are chosen.
* ``resize_matrix`` is the (new size, old size) matrix of ``tf.image.resize`` along one axis
  (half-pixel centres, no antialiasing; "bilinear", "nearest", "bicubic", "area"): resizing
  is ``y = A_h x A_w^T`` per image and channel.
"""

from __future__ import annotations

import numpy as np

F32 = np.float32


def _reflect(c, n: int):
    """Reflect [abcd] to [dcba|abcd|dcba] (TensorFlow's FILL_REFLECT, in float32)."""
    if n <= 1:
        return np.zeros_like(c)
    period = 2 * n
    low = period * np.trunc(-c / F32(period)) + c            # into (-2n, 0]
    low = np.where(low < -n, low + period, -low - 1)
    high = c - period * np.trunc(c / F32(period))            # into [0, 2n)
    high = np.where(high >= n, period - high - 1, high)
    out = np.where(c < 0, low, np.where(c > n - 1, high, c))
    return np.clip(out, 0, n - 1).astype(F32)


def _wrap(c, n: int):
    """Wrap [abcd] to [abcd|abcd|abcd] (TensorFlow's FILL_WRAP, its arithmetic as written)."""
    if n <= 1:
        return np.zeros_like(c)
    size = F32(n - 1)
    low = c + n * (np.trunc(-c / size) + 1)
    high = c - n * np.trunc(c / size)
    out = np.where(c < 0, low, np.where(c > n - 1, high, c))
    return np.clip(out, 0, n - 1).astype(F32)


def map_coordinates(c, n: int, fill_mode: str):
    """Input coordinates ``c`` along an axis of ``n`` pixels, brought inside by ``fill_mode``
    ("constant" leaves them: the pixels read outside give ``fill_value``)."""
    if fill_mode == "reflect":
        return _reflect(c, n)
    if fill_mode == "wrap":
        return _wrap(c, n)
    if fill_mode == "nearest":
        return np.clip(c, 0, n - 1)
    return c


def _round_half_away(v):
    """C's ``round``: halves go away from zero (NumPy's ``round`` sends them to even)."""
    a = np.abs(v)
    whole = np.floor(a)
    return np.copysign(whole + (a - whole >= 0.5), v)


class Sampling:
    """The sparse matrix ``S`` of ``y = S x`` over a batch of images (B, H, W, C) -> (B, h, w,
    C): for each of its corners (1 for "nearest", 4 for "bilinear"), the flat index of the
    input pixel ``(b * H + i) * W + j`` read by every output pixel and its weight (0 for a
    corner outside the image), and ``outside``: the total weight of the corners outside, which
    read ``fill_value``."""

    def __init__(self, index, weight, outside, input_shape):
        self.index, self.weight = index, weight          # each (corners, B, h, w)
        self.outside = outside                           # (B, h, w)
        self.input_shape = tuple(input_shape)            # (B, H, W)

    def apply(self, images, fill_value=0.0):
        """y = S x (+ fill_value times the weight of the corners outside the image)."""
        b, h, w, c = images.shape
        flat = images.reshape(b * h * w, c)
        weight = self.weight.astype(images.dtype, copy=False)
        out = weight[0, ..., None] * flat[self.index[0]]
        for k in range(1, len(self.index)):
            out += weight[k, ..., None] * flat[self.index[k]]
        if fill_value:
            out += (F32(fill_value) * self.outside).astype(images.dtype)[..., None]
        return out

    def transpose(self, grad):
        """dL/dx = S^T dL/dy: each output pixel's gradient goes back to the input pixels it
        read, times the same weights (the fill value does not depend on x). The sums over
        the output pixels that read the same input pixel are ``np.bincount``'s, per channel."""
        b, h, w = self.input_shape
        index = self.index.reshape(-1)
        weight = self.weight.reshape(len(self.index), -1).astype(grad.dtype, copy=False)
        g = grad.reshape(-1, grad.shape[-1])
        dx = np.empty((b * h * w, g.shape[1]), dtype=grad.dtype)
        for c in range(g.shape[1]):
            dx[:, c] = np.bincount(index, (weight * g[:, c]).reshape(-1), minlength=len(dx))
        return dx.reshape(b, h, w, -1)


def _axis_corners(v, n: int, nearest: bool):
    """Along one axis of ``n`` pixels: the pixels read around coordinates ``v`` and their
    weights: the nearest one, or the two around it (weights 1 - t and t); a pixel outside
    the image gets weight 0 there (``inside``) and is clipped, only to keep the index valid."""
    if nearest:
        pixels, weights = [_round_half_away(v)], [np.ones_like(v)]
    else:
        low = np.floor(v)
        pixels, weights = [low, low + 1], [low + 1 - v, v - low]
    return [(np.minimum(np.maximum(p, 0), n - 1).astype(np.int32), wt, (p >= 0) & (p < n))
            for p, wt in zip(pixels, weights)]


def sample_at(y, x, input_shape, interpolation: str) -> Sampling:
    """The ``Sampling`` that reads, for every output pixel, the input point (y[b, i, j],
    x[b, i, j]) (float32 coordinates, already brought inside by the fill mode)."""
    batch, height, width = input_shape
    nearest = interpolation == "nearest"
    first = (np.arange(batch, dtype=np.int64) * (height * width)).reshape(-1, 1, 1)
    rows, cols = _axis_corners(y, height, nearest), _axis_corners(x, width, nearest)
    index = np.empty((len(rows) * len(cols), *y.shape), dtype=np.int64)
    weight = np.empty(index.shape, dtype=F32)
    outside = np.zeros(y.shape, dtype=F32)
    k = 0
    for row, wy, in_y in rows:
        for col, wx, in_x in cols:
            corner = wy * wx                    # bilinear: (1 - ty or ty) * (1 - tx or tx)
            inside = in_y & in_x
            np.add(first, row * width + col, out=index[k])
            np.multiply(corner, inside, out=weight[k])
            outside += corner - weight[k]
            k += 1
    return Sampling(index, weight, outside, input_shape)


def affine_sampling(transforms, input_shape, interpolation="bilinear",
                    fill_mode="constant") -> Sampling:
    """The ``Sampling`` of ``affine_transform`` for images of ``input_shape`` (B, H, W) and
    ``transforms`` of shape (B, 8) or (8,) (one for every image)."""
    batch, height, width = input_shape
    t = np.broadcast_to(np.asarray(transforms, dtype=F32).reshape(-1, 8), (batch, 8))
    t = [t[:, k].reshape(-1, 1, 1) for k in range(8)]
    ys, xs = np.meshgrid(np.arange(height, dtype=F32), np.arange(width, dtype=F32),
                         indexing="ij")
    k = t[6] * xs + t[7] * ys + F32(1)
    safe = np.where(k == 0, F32(1), k)
    x = (t[0] * xs + t[1] * ys + t[2]) / safe
    y = (t[3] * xs + t[4] * ys + t[5]) / safe
    x = np.where(k == 0, F32(-2), map_coordinates(x, width, fill_mode))   # k = 0: fill
    y = np.where(k == 0, F32(-2), map_coordinates(y, height, fill_mode))
    return sample_at(y, x, input_shape, interpolation)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0.0):
    """``keras.ops.image.affine_transform`` for channels-last images (B, H, W, C) or one
    image (H, W, C); see the module's docstring for the transform's meaning."""
    single = images.ndim == 3
    batch = images[None] if single else images
    sampling = affine_sampling(transform, batch.shape[:3], interpolation, fill_mode)
    out = sampling.apply(batch, fill_value)
    return out[0] if single else out


def _keys_cubic(d):
    """Keys' cubic convolution kernel (a = -0.5) at distances ``d``: the weight of a pixel
    ``d`` away in bicubic interpolation."""
    d = np.abs(d)
    near = (1.5 * d - 2.5) * d * d + 1                     # |d| <= 1
    far = ((-0.5 * d + 2.5) * d - 4) * d + 2                # 1 < |d| < 2
    return np.where(d <= 1, near, np.where(d < 2, far, 0.0))


def _bicubic(source, n_in, a):
    """Bicubic rows as TensorFlow computes them: the four pixels around each source position,
    the fraction quantized to 1/1024 (TensorFlow's table of weights); pixels outside the
    image get weight 0 and the others are rescaled to sum to 1."""
    base = np.floor(source)
    t = np.rint((source - base) * F32(1024)).astype(np.float64) / 1024
    taps = [(base - 1, t + 1), (base, t), (base + 1, 1 - t), (base + 2, 2 - t)]
    weights = np.stack([np.where((p >= 0) & (p < n_in), _keys_cubic(d), 0.0) for p, d in taps])
    weights /= weights.sum(axis=0)
    rows = np.arange(len(source))
    for (p, _d), w in zip(taps, weights):
        np.add.at(a, (rows, np.clip(p, 0, n_in - 1).astype(np.int64)), w)


def _area(n_in, n_out, scale, a):
    """Area rows: new pixel i averages the old pixels under [i * scale, (i + 1) * scale),
    each weighted by how much of it lies there (TensorFlow's ResizeArea)."""
    start = np.arange(n_out, dtype=F32) * scale
    end = np.arange(1, n_out + 1, dtype=F32) * scale
    start, end = start.astype(np.float64)[:, None], end.astype(np.float64)[:, None]
    pixel = np.arange(n_in)
    a += np.clip(np.minimum(pixel + 1, end) - np.maximum(pixel, start), 0, None)
    a[:, -1] += np.clip(end[:, 0] - np.maximum(n_in, start[:, 0]), 0, None)  # rounding past
    first = np.floor(start[:, 0])                                              # the end
    inside = (first < start[:, 0]) & (first + 1 > end[:, 0])     # all within one old pixel:
    a[inside, np.minimum(first[inside], n_in - 1).astype(np.int64)] = scale   # as TensorFlow
    a /= float(scale)


def resize_matrix(n_in: int, n_out: int, interpolation: str, dtype=F32) -> np.ndarray:
    """The (n_out, n_in) weights of ``tf.image.resize`` along one axis (half-pixel centres):
    new pixel i stands at old position ``(i + 0.5) * n_in / n_out - 0.5``; "bilinear" mixes
    the two old pixels around it (clamped at the ends), "nearest" takes the one it falls in,
    "bicubic" mixes four, "area" averages those it covers."""
    scale = F32(n_in) / F32(n_out)
    rows = np.arange(n_out)
    a = np.zeros((n_out, n_in), dtype=np.float64)
    source = (rows.astype(F32) + F32(0.5)) * scale - F32(0.5)
    if interpolation == "nearest":
        nearest = np.floor((rows.astype(F32) + F32(0.5)) * scale).astype(np.int64)
        a[rows, np.clip(nearest, 0, n_in - 1)] = 1
    elif interpolation == "bicubic":
        _bicubic(source, n_in, a)
    elif interpolation == "area":
        _area(n_in, n_out, scale, a)
    else:
        low = np.floor(source)
        t = (source - low).astype(np.float64)           # 0 at the lower pixel, 1 at the upper
        below = np.clip(low, 0, n_in - 1).astype(np.int64)
        above = np.clip(np.ceil(source), 0, n_in - 1).astype(np.int64)
        np.add.at(a, (rows, below), 1 - t)
        np.add.at(a, (rows, above), t)
    return a.astype(dtype)
