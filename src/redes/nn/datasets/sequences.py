"""The word-index sequences of IMDB and Reuters, prepared as Keras prepares them.

``keras.datasets.imdb.load_data`` and ``keras.datasets.reuters.load_data`` take the same
steps, in this order, and so do ``prepare_imdb`` and ``prepare_reuters``:

1. shuffle the sequences (and their labels) with ``numpy.random.RandomState(seed)``
   (IMDB: the training set, then the test set, with the same generator);
2. add ``index_from`` to every word index and put ``start_char`` in front of each sequence;
3. with ``maxlen``, drop (not cut) every sequence of ``maxlen`` or more indices;
4. replace every index outside ``[skip_top, num_words)`` by ``oov_char``, or drop it when
   ``oov_char`` is None. Without ``num_words`` the limit is the largest index found, so, as
   in Keras, that one index counts as out of vocabulary too. The start mark is an index
   like the others: ``skip_top > start_char`` turns it into ``oov_char``.

Keras does this with Python lists, one word at a time. Here all sequences are joined into
one flat array with the length of each (see ``formats.flatten_sequences``), so that every
step is one NumPy operation over all words; only the result is turned back into lists.
"""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_fraction, check_int, check_seed
from ...i18n import _


def check_text_args(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from):
    """Check the arguments IMDB and Reuters share."""
    check_int("num_words", num_words, 1, allow_none=True)
    check_int("skip_top", skip_top, 0)
    check_int("maxlen", maxlen, 1, allow_none=True)
    check_seed("seed", seed, allow_none=False)
    check_int("start_char", start_char, 0, allow_none=True)
    check_int("oov_char", oov_char, 0, allow_none=True)
    check_int("index_from", index_from, 0)


def take(flat, lengths, order):
    """Reorder joined sequences: sequence ``order[i]`` becomes sequence ``i``."""
    starts = np.cumsum(lengths) - lengths
    new_lengths = lengths[order]
    new_starts = np.cumsum(new_lengths) - new_lengths
    shift = np.repeat(starts[order] - new_starts, new_lengths)
    return flat[np.arange(len(shift)) + shift], new_lengths


def mark_and_filter(flat, lengths, index_from: int, start_char, maxlen):
    """Steps 2 and 3: shift word indices, mark starts, keep sequences shorter than maxlen.

    Returns ``(flat, lengths, keep)``, ``keep`` telling which sequences stayed.
    """
    if start_char is not None:
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        flat = np.insert(flat + index_from, starts, start_char)
        lengths = lengths + 1
    elif index_from:
        flat = flat + index_from
    keep = lengths < maxlen if maxlen else np.ones(len(lengths), dtype=bool)
    if not keep.all():
        flat = flat[np.repeat(keep, lengths)]
        lengths = lengths[keep]
    return flat, lengths, keep


def limit_vocabulary(flat, lengths, num_words, skip_top: int, oov_char):
    """Step 4: replace (or drop, when ``oov_char`` is None) indices outside
    ``[skip_top, num_words)``."""
    if not num_words:
        num_words = int(flat.max()) if flat.size else 0
    inside = (flat >= skip_top) & (flat < num_words)
    if oov_char is not None:
        return np.where(inside, flat, oov_char), lengths
    owner = np.repeat(np.arange(len(lengths)), lengths)
    return flat[inside], np.bincount(owner[inside], minlength=len(lengths)).astype(np.int64)


def as_keras_array(flat, lengths) -> np.ndarray:
    """The sequences as Keras returns them: ``numpy.array(list_of_lists, dtype="object")``,
    a 1-D array of Python lists of ints (2-D when every sequence has the same length, as
    NumPy builds it in Keras too)."""
    if not len(lengths):
        return np.array([], dtype="object")
    lists = [part.tolist() for part in np.split(flat, np.cumsum(lengths)[:-1])]
    return np.array(lists, dtype="object")


def _shuffled(rng, sequences, labels):
    order = np.arange(len(labels))
    rng.shuffle(order)
    return (*take(*sequences, order), labels[order])


def prepare_imdb(arrays, num_words, skip_top, maxlen, seed, start_char, oov_char, index_from):
    """IMDB's steps 1-4 on ``arrays`` as ``readers.read_sequences_npz`` returns them.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` as ``keras.datasets.imdb.load_data``.
    """
    rng = np.random.RandomState(seed)
    parts = []
    for part in ("train", "test"):
        flat, lengths, y = _shuffled(rng, arrays[f"x_{part}"], arrays[f"y_{part}"])
        flat, lengths, keep = mark_and_filter(flat, lengths, index_from, start_char, maxlen)
        if not keep.any():
            raise ValueError(
                _("maxlen: no {part} review is shorter than maxlen={maxlen}; increase "
                  "maxlen").format(part=part, maxlen=maxlen)
            )
        parts.append((flat, lengths, y[keep]))
    n_train = len(parts[0][1])
    flat = np.concatenate([parts[0][0], parts[1][0]])
    lengths = np.concatenate([parts[0][1], parts[1][1]])
    labels = np.concatenate([parts[0][2], parts[1][2]])
    flat, lengths = limit_vocabulary(flat, lengths, num_words, skip_top, oov_char)
    n_words = int(lengths[:n_train].sum())
    x_train = as_keras_array(flat[:n_words], lengths[:n_train])
    x_test = as_keras_array(flat[n_words:], lengths[n_train:])
    return (x_train, labels[:n_train]), (x_test, labels[n_train:])


def prepare_reuters(arrays, num_words, skip_top, maxlen, test_split, seed, start_char,
                    oov_char, index_from):
    """Reuters' steps 1-4 on ``arrays`` as ``readers.read_sequences_npz`` returns them,
    then the split: the first ``int(n * (1 - test_split))`` newswires train.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` as ``keras.datasets.reuters.load_data``.
    """
    test_split = check_fraction("test_split", test_split)
    flat, lengths, labels = _shuffled(np.random.RandomState(seed), arrays["x"], arrays["y"])
    flat, lengths, keep = mark_and_filter(flat, lengths, index_from, start_char, maxlen)
    labels = labels[keep]
    if not keep.any():
        raise ValueError(_("maxlen: no newswire is shorter than maxlen={maxlen}; increase "
                           "maxlen").format(maxlen=maxlen))
    flat, lengths = limit_vocabulary(flat, lengths, num_words, skip_top, oov_char)
    cut = int(len(lengths) * (1 - test_split))
    n_words = int(lengths[:cut].sum())
    x_train = as_keras_array(flat[:n_words], lengths[:cut])
    x_test = as_keras_array(flat[n_words:], lengths[cut:])
    return (x_train, labels[:cut]), (x_test, labels[cut:])
