"""Where ``fit``, ``evaluate`` and ``predict`` take their batches from, as Keras 3 does.

Two kinds of source give the same thing, one batch ``(x, y, sample_weight)`` at a time:

* ``ArrayBatches``: arrays already checked by the model, cut into batches of ``batch_size``
  rows (in a new random order each epoch when ``shuffle``);
* ``IterableBatches``: something that yields whole batches: a Python generator, a
  ``PyDataset`` (``__len__`` and ``__getitem__``), redes' own ``Dataset``, a
  ``tf.data.Dataset`` or a PyTorch ``DataLoader``. Their tensors become NumPy arrays with
  ``np.asarray``; TensorFlow and PyTorch are never imported here.

``Epochs`` then applies Keras' rule for ``steps_per_epoch``: without it, every epoch is one
whole pass; with it, each epoch takes that many batches and the next epoch goes on where the
last one stopped, starting a new pass only when the data is used up.
"""

from __future__ import annotations

import math
import types
import warnings

import numpy as np

from ...i18n import _
from .. import backend


def _from_module(data, module: str, names: tuple) -> bool:
    """True when ``data`` is an instance of a class ``names`` of the package ``module``
    (checked by name, so that the package is not imported)."""
    return any(c.__module__.startswith(module) and c.__name__ in names
               for c in type(data).__mro__)


def kind_of(data) -> str | None:
    """Which kind of batch source ``data`` is, or ``None`` for arrays."""
    if isinstance(data, (np.ndarray, list, dict, tuple)) or data is None:
        return None
    if isinstance(data, types.GeneratorType) or (
            hasattr(data, "__next__") and hasattr(data, "__iter__")):
        return "generator"
    if _from_module(data, "tensorflow.python.data", ("DatasetV2", "DatasetV1")):
        return "tf.data.Dataset"
    if _from_module(data, "torch.utils.data", ("DataLoader",)):
        return "DataLoader"
    if any(c.__name__ == "PyDataset" for c in type(data).__mro__):
        return "PyDataset"
    if any(c.__name__ == "Dataset" and c.__module__.startswith("redes.nn")
           for c in type(data).__mro__):
        return "Dataset"
    return None


def _numpy(value):
    """A batch's tensors (TensorFlow, PyTorch, lists) as NumPy arrays, keeping the nesting
    of tuples, lists and dicts."""
    if value is None or isinstance(value, np.ndarray):
        return value
    if isinstance(value, dict):
        return {key: _numpy(v) for key, v in value.items()}
    if isinstance(value, (tuple, list)) and value and not np.isscalar(value[0]):
        return type(value)(_numpy(v) for v in value)
    return np.asarray(value)


def unpack(batch, kind: str) -> tuple:
    """One batch as ``(x, y, sample_weight)``, the missing ones ``None``: a tuple (or list) of
    1 to 3 entries is unpacked as Keras does; anything else is ``x`` alone."""
    if isinstance(batch, list):
        batch = tuple(batch)
    if not isinstance(batch, tuple):
        return _numpy(batch), None, None
    if not 1 <= len(batch) <= 3:
        raise ValueError(_(
            "x: each batch of a {kind} must be (x,), (x, y) or (x, y, sample_weight), got a "
            "tuple of {count} elements (put several inputs in a list or a dict inside it)"
        ).format(kind=kind, count=len(batch)))
    x, y, sw = (*batch, None, None)[:3]
    return _numpy(x), _numpy(y), _numpy(sw)


class ArrayBatches:
    """Arrays checked by the model, given ``batch_size`` rows at a time."""

    prepared = True     # the trainer checked these arrays already

    def __init__(self, x, y, sample_weight, batch_size, shuffle, count):
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.batch_size, self.shuffle, self.count = batch_size, shuffle, count
        self.num_batches = math.ceil(count / batch_size)

    def __iter__(self):
        # a new order each pass, drawn when its first batch is asked for; each batch
        # gathers its rows (no copy of the whole set)
        order = backend.rng().permutation(self.count) if self.shuffle else None
        for step in range(self.num_batches):
            batch = slice(step * self.batch_size, (step + 1) * self.batch_size)
            if order is None:
                sw = None if self.sample_weight is None else self.sample_weight[batch]
                yield rows(self.x, batch), rows(self.y, batch), sw
            else:
                index = order[batch]
                sw = None if self.sample_weight is None else self.sample_weight.take(index)
                yield take(self.x, index), take(self.y, index), sw

    def on_epoch_end(self) -> None:
        pass


class IterableBatches:
    """Batches that a generator, a ``PyDataset`` or a dataset yields, as NumPy arrays."""

    prepared = False    # the trainer checks each batch as it comes

    def __init__(self, data, kind: str, shuffle: bool = False):
        self.data, self.kind = data, kind
        self.shuffle = shuffle and kind == "PyDataset"   # Keras shuffles batch order there
        self.num_batches = self._length()

    def _length(self) -> int | None:
        if self.kind == "generator":
            return None
        if self.kind == "tf.data.Dataset":
            n = int(self.data.cardinality())      # -1 infinite, -2 unknown
            return n if n >= 0 else None
        if self.kind == "PyDataset":
            return self.data.num_batches
        try:
            return len(self.data)
        except TypeError:                          # an endless Dataset (repeat())
            return None

    def __iter__(self):
        if self.kind == "PyDataset":
            if self.num_batches is None:
                batches = (self.data[i] for i in iter(int, 1))
            else:
                order = np.arange(self.num_batches)
                if self.shuffle:
                    order = backend.rng().permutation(self.num_batches)
                batches = (self.data[int(i)] for i in order)
        else:
            batches = iter(self.data)      # a generator gives itself: it goes on
        for batch in batches:
            yield unpack(batch, self.kind)

    def on_epoch_end(self) -> None:
        if self.kind == "PyDataset":
            self.data.on_epoch_end()


class Epochs:
    """Keras' rule for ``steps_per_epoch`` over a source of batches.

    ``epoch()`` yields ``(step, batch)`` for one epoch. When a source runs out before
    ``steps`` batches, a warning says so (an epoch that gets no batch at all, a generator
    used up, ends the training).
    """

    def __init__(self, source, steps=None):
        self.source, self.steps = source, steps
        self._iterator, self._seen = None, 0
        self._known = source.num_batches

    def reset(self) -> None:
        """Start again from a new pass, as ``fit`` does once and ``evaluate`` every time."""
        self._iterator, self._seen = None, 0
        self._known = self.source.num_batches
        self.source.on_epoch_end()       # as Keras: a PyDataset hears it before the start

    @property
    def num_batches(self):
        """Batches per epoch (``None`` while unknown: a generator before its end)."""
        return self.steps or self._known

    def epoch(self):
        total = self.steps or self._known
        if self._iterator is None or self.steps is None:
            self._iterator, self._seen = iter(self.source), 0
        step = 0
        while total is None or step < total:
            if self._known and self._seen >= self._known:
                _ran_out()
                break
            try:
                batch = next(self._iterator)
            except StopIteration:
                if self._known is None:
                    self._known = self._seen
                self._iterator = None
                if self.steps is not None or step == 0:
                    _ran_out()
                break
            self._seen += 1
            yield step, batch
            step += 1
        if self._known and self._seen >= self._known:
            self._iterator = None        # the next epoch starts a new pass
        self.source.on_epoch_end()


def _ran_out() -> None:
    warnings.warn(_(
        "Your input ran out of data; interrupting training. Make sure that your dataset or "
        "generator can generate at least steps_per_epoch * epochs batches. You may need to "
        "use the .repeat() function when building your dataset."
    ), stacklevel=4)


def rows(x, index):
    """``x[index]``, for each array of a list (inputs or targets; ``None`` stays)."""
    if x is None:
        return None
    if isinstance(x, list):
        return [None if a is None else a[index] for a in x]
    return x[index]


def take(x, index):
    """The samples ``index`` of ``x`` (of each array of a list; ``None`` stays)."""
    if x is None:
        return None
    if isinstance(x, list):
        return [None if a is None else a.take(index, axis=0, mode="clip") for a in x]
    return x.take(index, axis=0, mode="clip")
