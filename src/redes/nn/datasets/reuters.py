"""Reuters: 11,228 newswires labelled with one of 46 topics, as ``keras.datasets.reuters``.

Each newswire is a list of word indices ranked by frequency, as in IMDB;
``get_word_index()`` maps each word to its rank and ``get_label_names()`` names the topics.
The file stores pickled lists, read without running code (see ``redes.nn.datasets.imdb``).
"""

from __future__ import annotations

from ..._base.checks import check_fraction
from .formats import read_word_index
from .locations import locate, spec
from .readers import REUTERS_TOPICS, read_sequences_npz
from .sequences import check_text_args, prepare_reuters

__all__ = ["get_label_names", "get_word_index", "load_data"]


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
):
    """Load the Reuters newswires, without downloading; same arguments and results as Keras.

    All newswires are shuffled with ``numpy.random.RandomState(seed)``, then prepared as in
    ``redes.nn.datasets.imdb.load_data`` (``index_from``, ``start_char``, ``maxlen``,
    ``num_words``, ``skip_top``, ``oov_char``), and the first ``int(n * (1 - test_split))``
    are the training set. The file is looked for in the redes data folder
    (``redes data add reuters FILE``) and then in Keras' cache.

    Args:
        path: the file's name in those folders. Defaults to ``"reuters.npz"``. An existing
            file may also be given by its full path.
        num_words: keep the ``num_words`` most frequent words. Defaults to ``None`` (all).
        skip_top: treat the ``skip_top`` most frequent indices as out of vocabulary.
            Defaults to ``0``.
        maxlen: keep only newswires shorter than ``maxlen`` indices. Defaults to ``None``.
        test_split: fraction of newswires kept for testing, in [0, 1). Defaults to ``0.2``.
        seed: seed of the shuffle. Defaults to ``113``.
        start_char: index put in front of every newswire, or None. Defaults to ``1``.
        oov_char: index of out-of-vocabulary words, or None to drop them. Defaults to ``2``.
        index_from: added to every word index. Defaults to ``3``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints (8,982 and
        2,246 newswires with the defaults) and integer topic labels 0-45.

    Raises:
        DatasetNotFoundError: the file is missing; the message says how to get it.
        DatasetFormatError: the file is not Keras' Reuters archive.
        ValueError: a bad argument, or ``maxlen`` leaves no newswire.
    """
    check_text_args(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from)
    test_split = check_fraction("test_split", test_split)
    arrays = read_sequences_npz(locate(spec("reuters"), path), "reuters")
    return prepare_reuters(arrays, num_words, skip_top, maxlen, test_split, seed, start_char,
                           oov_char, index_from)


def get_word_index(path="reuters_word_index.json"):
    """The Reuters word index, without downloading: a dict from word to frequency rank
    (1 = most frequent), as ``keras.datasets.reuters.get_word_index()``.

    Args:
        path: the file's name in the data folders. Defaults to
            ``"reuters_word_index.json"``.

    Raises:
        DatasetNotFoundError: the file is missing; the message says how to get it.
        DatasetFormatError: the file is not a JSON mapping from words to integers.
    """
    return read_word_index(locate(spec("reuters", "word_index"), path))


def get_label_names():
    """The 46 topic names, in label order: ``get_label_names()[3]`` is ``"earn"``."""
    return REUTERS_TOPICS
