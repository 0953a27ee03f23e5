"""IMDB: 50,000 movie reviews labelled positive or negative, as ``keras.datasets.imdb``.

Each review is a list of word indices, words ranked by how often they occur (with the
default ``index_from=3`` the most frequent word is 4; 0 pads, 1 marks the start and 2 an
out-of-vocabulary word). ``get_word_index()`` maps each word to its rank.

The file stores the reviews as pickled Python lists; they are read with an unpickler that
can only rebuild NumPy arrays (see ``redes.nn.datasets.formats``), so a tampered file cannot
run code.
"""

from __future__ import annotations

from ...i18n import _
from .formats import read_word_index
from .locations import locate, spec
from .readers import read_sequences_npz
from .sequences import check_text_args, prepare_imdb

__all__ = ["get_word_index", "load_data"]


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    **kwargs,
):
    """Load the IMDB reviews, without downloading; same arguments and results as Keras.

    The steps are Keras' (see ``redes.nn.datasets.sequences``): the training reviews and
    then the test reviews are shuffled with ``numpy.random.RandomState(seed)``, indices are
    shifted by ``index_from`` and marked with ``start_char``, reviews of ``maxlen`` indices
    or more are dropped, and indices outside ``[skip_top, num_words)`` become ``oov_char``.
    The file is looked for in the redes data folder (``redes data add imdb FILE``) and then
    in Keras' cache (``$KERAS_HOME/datasets``, default ``~/.keras/datasets``).

    Args:
        path: the file's name in those folders. Defaults to ``"imdb.npz"``. An existing
            file may also be given by its full path.
        num_words: keep the ``num_words`` most frequent words; rarer ones become
            ``oov_char``. Defaults to ``None`` (keep all; as in Keras, the single highest
            index then also counts as out of vocabulary).
        skip_top: also treat the ``skip_top`` most frequent indices as out of vocabulary.
            Defaults to ``0``.
        maxlen: keep only reviews shorter than ``maxlen`` indices (the start mark counts);
            longer ones are dropped, not cut. Defaults to ``None`` (keep all).
        seed: seed of the shuffle. Defaults to ``113``.
        start_char: index put in front of every review, or None for no mark. Defaults to
            ``1``.
        oov_char: index that replaces out-of-vocabulary words, or None to drop them.
            Defaults to ``2``.
        index_from: added to every word index. Defaults to ``3``.
        **kwargs: accepted for Keras' signature; any argument given here is refused.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints (25,000
        reviews each without ``maxlen``) and integer labels 0 (negative) or 1 (positive).

    Raises:
        DatasetNotFoundError: the file is missing; the message says how to get it.
        DatasetFormatError: the file is not Keras' IMDB archive.
        ValueError: a bad argument, or ``maxlen`` leaves no review in a split.
    """
    if kwargs:
        raise TypeError(_("load_data: unexpected keyword argument(s) {names}").format(
            names=", ".join(map(repr, sorted(kwargs)))))
    check_text_args(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from)
    arrays = read_sequences_npz(locate(spec("imdb"), path), "imdb")
    return prepare_imdb(arrays, num_words, skip_top, maxlen, seed, start_char, oov_char,
                        index_from)


def get_word_index(path="imdb_word_index.json"):
    """The IMDB word index, without downloading: a dict from word to frequency rank
    (1 = most frequent), as ``keras.datasets.imdb.get_word_index()``.

    In the loaded reviews a word of rank ``r`` is ``r + index_from`` (``r + 3`` by
    default). Example, turning a review back into words::

        index = {rank + 3: word for word, rank in get_word_index().items()}
        " ".join(index.get(i, "?") for i in x_train[0][1:])

    Args:
        path: the file's name in the data folders. Defaults to ``"imdb_word_index.json"``.

    Raises:
        DatasetNotFoundError: the file is missing; the message says how to get it.
        DatasetFormatError: the file is not a JSON mapping from words to integers.
    """
    return read_word_index(locate(spec("imdb", "word_index"), path))
