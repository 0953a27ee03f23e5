"""The word indices of IMDB and Reuters: ``get_word_index``, and turning a review or a
newswire back into words (``decode_review``, ``decode_newswire``)."""

from __future__ import annotations

from redes.i18n import _

from .._base.checks import check_choice, check_int
from .formats import flatten_sequences, read_word_index
from .keras_sets import _spec, locate


def get_word_index(dataset: str = "imdb", *, path=None, download: bool = False):
    """The word index of IMDB or Reuters: a dict from word to frequency rank (1 = most
    frequent), as ``keras.datasets.<dataset>.get_word_index()`` returns.

    In the loaded sequences a word of rank ``r`` appears as ``r + index_from`` (``r + 3``
    by default).

    Args:
        dataset: ``"imdb"`` or ``"reuters"``. Defaults to ``"imdb"``.
        path: the JSON file, or a folder holding it. Defaults to ``None`` (look in the
            redes data folder, then in Keras' cache).
        download: when the file is missing, let Keras download it. Defaults to ``False``.

    Raises:
        DatasetNotFoundError: the file is missing (the message says how to get it).
        DatasetFormatError: the file is not a JSON mapping from words to integers.
    """
    check_choice("dataset", dataset, ("imdb", "reuters"))
    return read_word_index(locate(_spec(dataset, "word_index"), path, download))


_REVERSED: dict = {}


def _reversed_index(dataset: str) -> dict[int, str]:
    """rank -> word for the word index on disk, cached while the file is unchanged."""
    found = locate(_spec(dataset, "word_index"))
    stat = found.stat()
    key = (str(found), stat.st_mtime_ns, stat.st_size)
    if _REVERSED.get(dataset, (None,))[0] != key:
        reverse = {rank: word for word, rank in read_word_index(found).items()}
        _REVERSED[dataset] = (key, reverse)
    return _REVERSED[dataset][1]


def _decode(sequence, dataset, word_index, start_char, oov_char, index_from) -> str:
    check_int("index_from", index_from, 0)
    check_int("start_char", start_char, 0, allow_none=True)
    check_int("oov_char", oov_char, 0, allow_none=True)
    if word_index is None:
        reverse = _reversed_index(dataset)
    elif isinstance(word_index, dict):
        reverse = {rank: word for word, rank in word_index.items()}
    else:
        raise ValueError(
            _("word_index: expected a dict from word to rank or None, got {kind}").format(
                kind=type(word_index).__name__)
        )
    try:
        flat, _lengths = flatten_sequences([sequence], "sequence")
    except ValueError as exc:
        raise ValueError(_("sequence: expected a list of word indices ({problem})").format(
            problem=exc)) from None
    words = []
    for index in flat.tolist():
        if index == start_char:
            words.append("[START]")
        elif index == oov_char:
            words.append("[OOV]")
        elif index == 0 and index_from > 0:
            continue  # padding added by pad_sequences
        else:
            words.append(reverse.get(index - index_from, "[?]"))
    return " ".join(words)


def decode_review(sequence, word_index=None, *, start_char=1, oov_char=2, index_from=3) -> str:
    """Turn an IMDB review (a list of word indices) back into text.

    Word indices are shifted back by ``index_from``; the start mark reads ``[START]``, an
    out-of-vocabulary word ``[OOV]``, an unknown index ``[?]``, and padding zeros are
    skipped. Use the same ``start_char``, ``oov_char`` and ``index_from`` as when loading.

    Args:
        sequence: the word indices of one review (a list, or a row of a padded array).
        word_index: a dict from word to rank. Defaults to ``None`` (read IMDB's word index
            file, see ``get_word_index``).
        start_char: the start mark. Defaults to ``1``.
        oov_char: the out-of-vocabulary mark. Defaults to ``2``.
        index_from: the shift of word indices. Defaults to ``3``.

    Returns:
        The words separated by spaces, e.g. ``"[START] this film was just brilliant ..."``.
    """
    return _decode(sequence, "imdb", word_index, start_char, oov_char, index_from)


def decode_newswire(sequence, word_index=None, *, start_char=1, oov_char=2, index_from=3) -> str:
    """Turn a Reuters newswire (a list of word indices) back into text.

    Same rules and arguments as ``decode_review``; ``word_index`` defaults to Reuters' word
    index file.
    """
    return _decode(sequence, "reuters", word_index, start_char, oov_char, index_from)


