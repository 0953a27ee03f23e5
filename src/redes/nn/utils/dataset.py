"""``Dataset``: data in memory, with the methods beginner code chains on a ``tf.data.Dataset``.

A dataset is a recipe for a sequence of *elements*: an element is an array, or a tuple (or
dict) of arrays such as ``(image, label)``. Each method returns a new dataset and changes
nothing in place, as in tf.data::

    ds = Dataset.from_tensor_slices((x, y)).shuffle(1000, seed=0).batch(32).prefetch(1)
    model.fit(ds, epochs=3)

Each pass over a dataset (one ``for`` loop, one epoch of ``fit``) runs the recipe again, so
``shuffle`` gives a new order every epoch. A dataset made of arrays keeps them whole and
moves row indices around (shuffle, take, skip, repeat, then batch gathers rows at once), so
that no step loops over samples in Python; ``map``, ``filter`` and ``unbatch`` work element
by element.
"""

from __future__ import annotations

import math

import numpy as np

from ..._base.checks import check_int, check_seed
from ...i18n import _
from .. import backend

INFINITE, UNKNOWN = -1, -2      # tf.data's cardinalities


class EagerArray(np.ndarray):
    """A NumPy array that also answers ``.numpy()``, as the tensors a ``tf.data.Dataset``
    yields do: what a loop over a ``Dataset`` gets, so that code written for TensorFlow
    (``images[i].numpy()``) runs unchanged. Everything else is NumPy's."""

    def numpy(self) -> np.ndarray:
        """The values as a plain NumPy array."""
        return self.view(np.ndarray)


def _eager(structure):
    """Every array of a (nested) tuple, list or dict as an ``EagerArray``."""
    if isinstance(structure, dict):
        return {key: _eager(value) for key, value in structure.items()}
    if isinstance(structure, (tuple, list)):
        return type(structure)(_eager(value) for value in structure)
    return np.asarray(structure).view(EagerArray)


def rows(structure, index):
    """The rows ``index`` of every array of a (nested) tuple, list or dict of arrays."""
    if isinstance(structure, dict):
        return {key: rows(value, index) for key, value in structure.items()}
    if isinstance(structure, (tuple, list)):
        return type(structure)(rows(value, index) for value in structure)
    return structure[index]


def _leaves(structure) -> list:
    if isinstance(structure, dict):
        return [leaf for value in structure.values() for leaf in _leaves(value)]
    if isinstance(structure, (tuple, list)):
        return [leaf for value in structure for leaf in _leaves(value)]
    return [structure]


def _as_arrays(structure):
    """Tuples and dicts keep their parts; anything else (a list too, as in tf.data) becomes
    one array."""
    if isinstance(structure, dict):
        return {key: _as_arrays(value) for key, value in structure.items()}
    if isinstance(structure, tuple):
        return tuple(_as_arrays(value) for value in structure)
    return np.asarray(structure)


def _stack(elements: list):
    """One batch from a list of elements of one structure: each array gains axis 0."""
    first = elements[0]
    if isinstance(first, dict):
        return {key: _stack([e[key] for e in elements]) for key in first}
    if isinstance(first, (tuple, list)):
        return type(first)(_stack([e[i] for e in elements]) for i in range(len(first)))
    return np.stack([np.asarray(e) for e in elements])


def _buffer_shuffle(items, buffer_size: int, rng):
    """tf.data's shuffle: keep ``buffer_size`` items, give a random one of them and put the
    next item in its place; at the end give the rest in random order."""
    buffer = []
    for item in items:
        if len(buffer) < buffer_size:
            buffer.append(item)
            continue
        j = int(rng.integers(buffer_size))
        yield buffer[j]
        buffer[j] = item
    for j in rng.permutation(len(buffer)):
        yield buffer[j]


class Dataset:
    """A sequence of elements (arrays, or tuples or dicts of arrays) kept in memory, with
    the methods of ``tf.data.Dataset`` that beginner code uses. Make one with
    ``Dataset.from_tensor_slices`` or with the utilities (``image_dataset_from_directory``,
    ``timeseries_dataset_from_array``...); ``fit``, ``evaluate`` and ``predict`` take it as
    ``x``.

    Attributes:
        class_names: the names of the classes, where the utility that made it knows them.
    """

    def __init__(self, make, length, arrays=None, order=None):
        self._make = make            # () -> iterator over the elements of one pass
        self._length = length        # a count, INFINITE or UNKNOWN
        self._arrays = arrays        # a dataset of rows keeps its arrays...
        self._order = order          # ...and () -> the row indices of one pass
        self.class_names = None
        self._batch_size = None      # set by batch(): split_dataset batches its parts again

    # ---------------------------------------------------------------- making one
    @staticmethod
    def from_tensor_slices(tensors) -> Dataset:
        """One element per row of ``tensors`` (an array, or a tuple, list or dict of
        arrays with the same number of rows)."""
        arrays = _as_arrays(tensors)
        sizes = {len(leaf) if leaf.ndim else None for leaf in _leaves(arrays)}
        if None in sizes or len(sizes) != 1:
            raise ValueError(_(
                "tensors: expected arrays with the same number of rows (axis 0), got "
                "shapes {shapes}").format(shapes=[leaf.shape for leaf in _leaves(arrays)]))
        n = sizes.pop()
        return Dataset._of_rows(arrays, lambda: np.arange(n))

    @staticmethod
    def _of_rows(arrays, order) -> Dataset:
        def make():
            return (rows(arrays, int(i)) for i in order())
        return Dataset(make, len(order()), arrays, order)

    def _derived(self, make, length) -> Dataset:
        out = Dataset(make, length)
        out.class_names, out._batch_size = self.class_names, self._batch_size
        return out

    def _reordered(self, order, length=None) -> Dataset:
        """The same rows in another order (the fast path of datasets of rows)."""
        out = Dataset._of_rows(self._arrays, order) if length is None else Dataset(
            lambda: (rows(self._arrays, int(i)) for i in order()), length,
            self._arrays, order)
        out.class_names = self.class_names
        return out

    # ---------------------------------------------------------------- the methods
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """``map_func`` applied to each element (to its parts as arguments, when the
        element is a tuple: ``ds.map(lambda x, y: (x / 255, y))``)."""
        if not callable(map_func):
            raise TypeError(_("map_func: expected a function, got {value!r}").format(
                value=map_func))

        def apply(element):
            out = map_func(*element) if isinstance(element, tuple) else map_func(element)
            return _as_arrays(out)
        return self._derived(lambda: (apply(e) for e in self), self._length)

    def filter(self, predicate, name=None):
        """The elements for which ``predicate`` is true."""
        def keep(element):
            return bool(predicate(*element) if isinstance(element, tuple)
                        else predicate(element))
        return self._derived(lambda: (e for e in self if keep(e)), UNKNOWN)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Groups of ``batch_size`` consecutive elements, each part stacked on a new axis 0
        (the last group may be smaller, unless ``drop_remainder``)."""
        batch_size = check_int("batch_size", batch_size, 1)
        length = self._length
        if length >= 0:
            length = length // batch_size if drop_remainder else math.ceil(length / batch_size)
        if self._arrays is not None:          # gather the rows of each batch at once
            def make():
                order = self._order()
                stop = len(order) - len(order) % batch_size if drop_remainder else len(order)
                return (rows(self._arrays, order[i:i + batch_size])
                        for i in range(0, stop, batch_size))
            return self._batched(make, length, batch_size)

        def chunks():
            group = []
            for element in self:
                group.append(element)
                if len(group) == batch_size:
                    yield _stack(group)
                    group = []
            if group and not drop_remainder:
                yield _stack(group)
        return self._batched(chunks, length, batch_size)

    def _batched(self, make, length, batch_size) -> Dataset:
        out = self._derived(make, length)
        out._batch_size = batch_size
        return out

    def unbatch(self, name=None):
        """The rows of each element, one by one (the reverse of ``batch``)."""
        def split():
            for element in self:
                for i in range(len(_leaves(element)[0])):
                    yield rows(element, i)
        out = self._derived(split, UNKNOWN)
        out._batch_size = None
        return out

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """The elements in random order, drawn from a buffer of ``buffer_size`` of them as
        tf.data does (a buffer as large as the dataset shuffles it fully). A new order each
        pass unless ``reshuffle_each_iteration=False``; ``seed`` makes it repeatable."""
        buffer_size = check_int("buffer_size", buffer_size, 1)
        seed = check_seed("seed", seed)
        if seed is None:
            seed = int(backend.rng().integers(2**32))   # follows set_random_seed
        generator = np.random.default_rng(seed)

        def rng():
            return generator if reshuffle_each_iteration else np.random.default_rng(seed)
        if self._arrays is not None:
            def order():
                indices = self._order()
                if buffer_size >= len(indices):
                    return indices[rng().permutation(len(indices))]
                return np.fromiter(_buffer_shuffle(indices, buffer_size, rng()), np.int64,
                                   len(indices))
            return self._reordered(order, self._length)
        return self._derived(lambda: _buffer_shuffle(self, buffer_size, rng()), self._length)

    def take(self, count, name=None):
        """The first ``count`` elements (all of them for ``count=-1``)."""
        count = check_int("count", count, -1)
        if count == -1:
            return self
        length = count if self._length == INFINITE else (
            min(count, self._length) if self._length >= 0 else UNKNOWN)
        if self._arrays is not None:
            return self._reordered(lambda: self._order()[:count], length)
        return self._derived(lambda: (e for e, _i in zip(self, range(count))), length)

    def skip(self, count, name=None):
        """All but the first ``count`` elements."""
        count = check_int("count", count, 0)
        length = max(self._length - count, 0) if self._length >= 0 else self._length
        if self._arrays is not None:
            return self._reordered(lambda: self._order()[count:], length)

        def rest():
            iterator = iter(self)
            for _i in zip(range(count), iterator):
                pass
            yield from iterator
        return self._derived(rest, length)

    def repeat(self, count=None, name=None):
        """The elements ``count`` times over (forever with ``None`` or -1), each pass in a
        new order after a ``shuffle``."""
        count = check_int("count", -1 if count is None else count, -1)
        if count == -1:
            length = INFINITE if self._length != 0 else 0
        else:
            length = self._length * count if self._length >= 0 else self._length
        if self._arrays is not None and count != -1:
            return self._reordered(
                lambda: np.concatenate([self._order() for _i in range(count)]), length)

        def again():
            passes = 0
            while count == -1 or passes < count:
                yield from self
                passes += 1
                if self._length == 0:
                    return
        return self._derived(again, length)

    def concatenate(self, dataset, name=None):
        """The elements of this dataset, then those of ``dataset``."""
        _check_dataset("dataset", dataset)
        lengths = (self._length, dataset._length)
        length = sum(lengths) if min(lengths) >= 0 else min(lengths)

        def both():
            yield from self
            yield from dataset
        return self._derived(both, length)

    @staticmethod
    def zip(*datasets, name=None) -> Dataset:
        """Elements ``(a, b, ...)``, one from each dataset, until the shortest ends."""
        if len(datasets) == 1 and isinstance(datasets[0], tuple):
            datasets = datasets[0]
        for i, dataset in enumerate(datasets):
            _check_dataset(f"datasets[{i}]", dataset)
        lengths = [d._length for d in datasets]
        known = [n for n in lengths if n >= 0]
        length = min(known) if known else (UNKNOWN if UNKNOWN in lengths else INFINITE)
        return Dataset(lambda: zip(*datasets), length)

    def enumerate(self, start=0, name=None):
        """Elements ``(index, element)``, counting from ``start``."""
        return self._derived(lambda: ((np.int64(i), e) for i, e in enumerate(self, start)),
                             self._length)

    def cache(self, filename="", name=None):
        """The same dataset (it is in memory already); accepted for tf.data code."""
        return self

    def prefetch(self, buffer_size=None, name=None):
        """The same dataset (no background work here); accepted for tf.data code."""
        return self

    # ---------------------------------------------------------------- reading it
    def __iter__(self):
        return map(_eager, self._make())

    def as_numpy_iterator(self):
        """An iterator over the elements as plain NumPy arrays."""
        return iter(self._make())

    def cardinality(self) -> int:
        """The number of elements: -1 when endless (``repeat()``), -2 when unknown
        (after ``filter`` or ``unbatch``)."""
        return self._length

    def __len__(self) -> int:
        if self._length == INFINITE:
            raise TypeError(_("The dataset is infinite."))
        if self._length == UNKNOWN:
            raise TypeError(_("The dataset length is unknown."))
        return self._length

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        length = {INFINITE: "infinite", UNKNOWN: "unknown"}.get(self._length, self._length)
        return f"<Dataset cardinality={length}>"


def _check_dataset(argument: str, value) -> None:
    if not isinstance(value, Dataset):
        raise TypeError(_("{argument}: expected a redes.nn.utils.Dataset, got {type}").format(
            argument=argument, type=type(value).__name__))
