"""``timeseries_dataset_from_array``: sliding windows over a series, as Keras makes them."""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_int, check_seed
from ...i18n import _
from .. import backend
from .dataset import Dataset


class _Windows:
    """The windows of a series without copying them all: row ``i`` is
    ``data[starts[i] + offsets]``, gathered only when a batch asks for it."""

    def __init__(self, data, starts, offsets):
        self.data, self.starts, self.offsets = data, starts, offsets

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index):
        starts = self.starts[index]
        if self.offsets is None:               # the targets: one value per window
            return self.data[starts]
        return self.data[np.add.outer(starts, self.offsets)]


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """Windows of ``sequence_length`` time steps over ``data``, as
    ``keras.utils.timeseries_dataset_from_array``.

    Window ``i`` starts at the time step ``start_index + i * sequence_stride`` and takes every
    ``sampling_rate``-th step from there; its target is ``targets[start_index + i *
    sequence_stride]`` (so to predict the step after a window, pass ``targets=data[n:]``
    with ``n = sequence_length * sampling_rate``).

    Example:
        >>> ds = timeseries_dataset_from_array(np.arange(10), None, sequence_length=3,
        ...                                    batch_size=4)
        >>> next(iter(ds))
        array([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]])

    Args:
        data: an array of time steps on axis 0.
        targets: one target per time step, or ``None`` (the dataset gives windows only).
        sequence_length: time steps per window.
        sequence_stride: steps between the starts of two windows. Defaults to 1.
        sampling_rate: steps between two time steps taken in a window. Defaults to 1.
        batch_size: windows per batch, or ``None`` for single windows. Defaults to 128.
        shuffle: give the windows in random order. Defaults to False.
        seed: seed of the shuffling. Defaults to None.
        start_index, end_index: only the steps ``data[start_index:end_index]`` are used.
            Default to None (all of them).

    Returns:
        A ``Dataset`` of batches ``(windows, targets)``, or of windows alone.
    """
    data = np.asarray(data)
    if data.ndim == 0 or len(data) == 0:
        raise ValueError(_("data: expected an array of time steps on axis 0, got shape "
                           "{shape}").format(shape=data.shape))
    n = len(data)
    sequence_length = check_int("sequence_length", sequence_length, 1)
    sequence_stride = _below(check_int("sequence_stride", sequence_stride, 1),
                             "sequence_stride", n)
    sampling_rate = _below(check_int("sampling_rate", sampling_rate, 1), "sampling_rate", n)
    batch_size = check_int("batch_size", batch_size, 1, allow_none=True)
    seed = check_seed("seed", seed)
    start = _below(check_int("start_index", start_index, 0, allow_none=True) or 0,
                   "start_index", n)
    end = n if end_index is None else _below(
        check_int("end_index", end_index, start + 1), "end_index", n)
    count = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        count = min(count, len(targets))
    starts = np.arange(0, max(count, 0), sequence_stride)
    if shuffle:
        # the order Keras draws (NumPy's RandomState), then a shuffle buffer as tf.data's
        if seed is None:
            seed = int(backend.rng().integers(1e6))     # follows set_random_seed
        np.random.RandomState(seed).shuffle(starts)
    windows = _Windows(data[start:end], starts, np.arange(sequence_length) * sampling_rate)
    columns = windows if targets is None else (
        windows, _Windows(targets[start:end], starts, None))
    dataset = Dataset._of_rows(columns, lambda: np.arange(len(starts)))
    if shuffle:
        dataset = dataset.shuffle(1024 if batch_size is None else batch_size * 8, seed=seed)
    return dataset if batch_size is None else dataset.batch(batch_size)


def _below(value: int, argument: str, n: int) -> int:
    if value >= n:
        raise ValueError(_(
            "{argument}: must be lower than the length of the data ({n}), got {value}"
        ).format(argument=argument, n=n, value=value))
    return value
