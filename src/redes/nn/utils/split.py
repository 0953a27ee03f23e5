"""``split_dataset``: two datasets from one, as ``keras.utils.split_dataset``."""

from __future__ import annotations

import random

import numpy as np

from ..._base.checks import check_seed
from ...i18n import _
from .dataset import Dataset, _as_arrays, _leaves, _stack, rows


def _size(value, argument: str, total: int):
    """A split size as a count: an int from 1 to total - 1, or a fraction in (0, 1)."""
    if value is None:
        return None
    if isinstance(value, float) and 0 < value < 1:
        return round(value * total)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < total:
        return value
    raise ValueError(_(
        "{argument}: expected a fraction in (0, 1) or a number of samples from 1 to {last}, "
        "got {value!r}").format(argument=argument, last=total - 1, value=value))


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """The samples of ``dataset`` in two datasets: the first ``left_size`` and the last
    ``right_size`` (a count, or a fraction of the samples; one may be ``None``: the rest).

    Args:
        dataset: an array, a tuple (or dict) of arrays with one sample per row, or a
            ``Dataset`` (a batched one is split by samples and batched again).
        left_size, right_size: the sizes of the two parts.
        shuffle: shuffle the samples first (with Python's ``random``, as Keras, so that a
            seed gives Keras' split). Defaults to False.
        seed: seed of the shuffling. Defaults to None.

    Returns:
        Two ``Dataset`` of single samples (of batches, for a batched ``Dataset``).
    """
    seed = check_seed("seed", seed)
    if left_size is None and right_size is None:
        raise ValueError(_("left_size, right_size: give at least one of them"))
    batch_size = None
    if isinstance(dataset, Dataset):
        elements = list(dataset)
        first = _leaves(elements[0])[0] if elements else None
        batched = getattr(dataset, "_batch_size", None)
        if batched:
            batch_size = batched
            elements = [e for batch in elements for e in Dataset.from_tensor_slices(batch)]
        arrays = _stack(elements) if elements else first
    else:
        arrays = _as_arrays(dataset)
    total = len(_leaves(arrays)[0])
    left, right = _size(left_size, "left_size", total), _size(right_size, "right_size", total)
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(_(
            "left_size, right_size: {left} + {right} samples is more than the {total} of the "
            "dataset").format(left=left, right=right, total=total))
    order = list(range(total))
    if shuffle:
        random.Random(random.randint(0, int(1e6)) if seed is None else seed).shuffle(order)
    order = np.array(order)
    parts = []
    for index in (order[:left], order[total - right:]):
        part = Dataset.from_tensor_slices(rows(arrays, index))
        parts.append(part if batch_size is None else part.batch(batch_size))
    return tuple(parts)
