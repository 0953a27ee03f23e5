"""The checks of a sequence input, (batch, timesteps, features), and of its mask, with the
errors a learner can act on. Shared by the recurrent layers, their wrappers and pooling."""

from __future__ import annotations

import numpy as np

from ....i18n import _


def sequence_shape_error(layer, shape) -> ValueError:
    """The error for an input that is not (batch, timesteps, features), with a hint."""
    shape = tuple(shape)
    message = _("x: {layer} {name!r} expects sequences of shape (batch, timesteps, features), "
                "got an array of shape {shape}").format(layer=type(layer).__name__,
                                                        name=layer.name, shape=shape)
    if len(shape) == 2:
        b, t = ("batch" if d is None else d for d in shape)
        message += _(". With one number per time step, add the features axis: x[..., None] "
                     "(shape ({batch}, {steps}, 1)); with token ids, put an Embedding layer "
                     "first, e.g. Embedding(input_dim=vocabulary_size, output_dim=32)").format(
                         batch=b, steps=t)
    return ValueError(message)


def check_mask(mask, x, layer) -> np.ndarray | None:
    """A mask as a boolean (batch, timesteps) array matching ``x``, or a clear error."""
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.ndim == 3 and mask.shape[-1] == 1:
        mask = mask[..., 0]
    if mask.shape != x.shape[:2] or mask.dtype.kind not in "biuf":
        raise ValueError(_(
            "mask: {layer} {name!r} expects a mask of shape (batch, timesteps) = {expected} "
            "(True where a step is real), got {dtype} of shape {shape}"
        ).format(layer=type(layer).__name__, name=layer.name, expected=tuple(x.shape[:2]),
                 dtype=mask.dtype, shape=mask.shape))
    return mask.astype(bool, copy=False)
