"""``PyDataset``: batches written by hand, one ``__getitem__`` per batch, as in Keras."""

from __future__ import annotations

import itertools


class PyDataset:
    """The base class of a dataset that gives whole batches by index, as
    ``keras.utils.PyDataset``. A subclass defines ``__len__`` (the number of batches) and
    ``__getitem__(index)`` (the batch ``(x, y)`` or ``(x, y, sample_weight)``), and may
    define ``on_epoch_end`` (e.g. to shuffle its samples). ``fit`` asks for the batches in a
    new order each epoch when ``shuffle=True`` (its default), as Keras does::

        class Batches(keras.utils.PyDataset):
            def __init__(self, x, y, batch_size, **kwargs):
                super().__init__(**kwargs)
                self.x, self.y, self.batch_size = x, y, batch_size

            def __len__(self):
                return math.ceil(len(self.x) / self.batch_size)

            def __getitem__(self, idx):
                rows = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                return self.x[rows], self.y[rows]

    Args:
        workers: accepted for Keras code; the batches are made one after another here.
            Defaults to 1.
        use_multiprocessing: accepted for Keras code. Defaults to False.
        max_queue_size: accepted for Keras code. Defaults to 10.
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __getitem__(self, index):
        """The batch at position ``index``."""
        raise NotImplementedError

    @property
    def num_batches(self):
        """The number of batches (``len(self)``), or ``None`` for an endless dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        return None

    def on_epoch_begin(self):
        """Called at the start of every epoch."""

    def on_epoch_end(self):
        """Called at the end of every epoch."""

    def __iter__(self):
        indices = range(self.num_batches) if self.num_batches is not None else itertools.count()
        for index in indices:
            yield self[index]
