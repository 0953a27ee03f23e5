"""Keras' datasets read offline: MNIST, Fashion-MNIST, IMDB, Reuters and Boston housing.

Each loader reads the very files that ``keras.datasets`` downloads and returns what Keras
returns: the same arrays, dtypes (``uint8`` images, ``float64`` Boston features, lists of
word indices) and splits, so ``redes.data.mnist()`` can replace
``keras.datasets.mnist.load_data()`` on a machine without internet. The files are looked
for in the redes data folder and then in Keras' cache (see ``redes.data.storage``):

====================  ==================================================================
dataset               file(s) under ``datasets/``
====================  ==================================================================
``mnist``             ``mnist.npz``
``fashion_mnist``     ``fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz``
``imdb``              ``imdb.npz`` and ``imdb_word_index.json``
``reuters``           ``reuters.npz`` and ``reuters_word_index.json``
``boston_housing``    ``boston_housing.npz`` (else the table shipped with redes)
====================  ==================================================================

A missing file raises ``DatasetNotFoundError``, which says where the file was looked for,
how to register a copy (``redes data add mnist PATH``) and how to fill Keras' cache with
internet. ``download=True`` lets Keras download the file when it is missing.

**Pickle.** The IMDB and Reuters archives store each review or newswire as a Python list of
word indices inside a NumPy object array, which NumPy can only save as a pickle; loading
such a file with ``numpy.load(..., allow_pickle=True)`` would run whatever code a tampered
file contains. redes never does that. It reads those members with an unpickler that only
knows the three NumPy names needed to rebuild an array (the array and dtype classes and the
array-rebuilding function) and refuses every other Python object, then checks that every
element is a sequence of integers. Integers and lists need no code to unpickle, so the real
files load and a malicious one fails with ``DatasetFormatError`` before anything runs. All
other files (MNIST, Boston, and every numeric member) are read with ``allow_pickle=False``;
an object array found there is refused.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from redes._base.files import atomic_path
from redes.i18n import N_, _

from . import boston, storage
from ._checks import check_choice, check_fraction, check_int, check_seed
from .errors import DatasetFormatError, DatasetNotFoundError
from .formats import flatten_sequences, read_idx, read_npz, read_word_index, split_sequences


@dataclass(frozen=True)
class KerasFile:
    """One file of a Keras dataset.

    Attributes:
        dataset: the dataset name, e.g. ``"imdb"``.
        name: the file's path relative to a ``datasets`` folder, as Keras names it.
        keras_function: the ``keras.datasets.<dataset>`` function that downloads it.
        role: ``"data"`` or ``"word_index"``.
    """

    dataset: str
    name: str
    keras_function: str = "load_data"
    role: str = "data"

    @property
    def basename(self) -> str:
        return Path(self.name).name

    @property
    def keras_call(self) -> str:
        return f"keras.datasets.{self.dataset}.{self.keras_function}()"


_FASHION = tuple(
    KerasFile("fashion_mnist", f"fashion-mnist/{part}-ubyte.gz")
    for part in ("train-labels-idx1", "train-images-idx3", "t10k-labels-idx1", "t10k-images-idx3")
)

KERAS_FILES: dict[str, tuple[KerasFile, ...]] = {
    "mnist": (KerasFile("mnist", "mnist.npz"),),
    "fashion_mnist": _FASHION,
    "imdb": (
        KerasFile("imdb", "imdb.npz"),
        KerasFile("imdb", "imdb_word_index.json", "get_word_index", "word_index"),
    ),
    "reuters": (
        KerasFile("reuters", "reuters.npz"),
        KerasFile("reuters", "reuters_word_index.json", "get_word_index", "word_index"),
    ),
    "boston_housing": (KerasFile("boston_housing", "boston_housing.npz"),),
}

TITLES = {
    "mnist": "MNIST",
    "fashion_mnist": "Fashion-MNIST",
    "imdb": "IMDB",
    "reuters": "Reuters",
    "boston_housing": "Boston housing",
}

FASHION_MNIST_CLASSES = (
    N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"),
    N_("Sandal"), N_("Shirt"), N_("Sneaker"), N_("Bag"), N_("Ankle boot"),
)  # fmt: skip

# The 46 Reuters topics, in the order of the labels of keras.datasets.reuters.
REUTERS_TOPICS = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
    "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass",
    "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum",
    "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi", "iron-steel",
    "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas",
    "silver", "wpi", "hog", "lead",
)  # fmt: skip


# ----------------------------------------------------------------------------- locating


def _spec(dataset: str, role: str = "data") -> KerasFile:
    return next(f for f in KERAS_FILES[dataset] if f.role == role)


def _missing_message(kfile: KerasFile) -> str:
    is_folder = kfile.dataset == "fashion_mnist"
    target = "PATH/TO/FOLDER" if is_folder else f"PATH/TO/{kfile.basename}"
    redes_call = (
        f"redes.data.get_word_index({kfile.dataset!r}, download=True)"
        if kfile.role == "word_index"
        else f"redes.data.{kfile.dataset}(download=True)"
    )
    lines = [
        _("The {title} dataset is not on this machine: file {name!r} was not found.").format(
            title=TITLES[kfile.dataset], name=kfile.name),
        _("Looked in:"),
        *(f"  {path}" for path in storage.candidates(kfile.name)),
        _("To fix it, either:"),
        "  " + _("- register a copy you already have:  redes data add {dataset} "
                 "{target}").format(dataset=kfile.dataset, target=target),
        "    " + _("(in Python: redes.data.add({dataset!r}, {target!r}))").format(
            dataset=kfile.dataset, target=target),
    ]
    if is_folder:
        lines.append("    " + _("where the folder holds the four Fashion-MNIST .gz files;"))
    lines += [
        "  " + _('- or, with internet, run  python -c "import keras; {call}"').format(
            call=kfile.keras_call),
        "    " + _("which downloads it into the Keras cache (or call {call}).").format(
            call=redes_call),
        _("Set KERAS_HOME or REDES_HOME to search other folders."),
    ]
    return "\n".join(lines)


def locate(kfile: KerasFile, path=None, download: bool = False) -> Path:
    """The path of one dataset file.

    Args:
        kfile: the file wanted (see ``KERAS_FILES``).
        path: a file to read instead of searching, or a folder holding the file under its
            Keras name. Defaults to ``None`` (search the data folders).
        download: when the file is missing, let Keras download it into its cache.
            Defaults to ``False``.

    Raises:
        DatasetNotFoundError: the file is nowhere to be found.
    """
    if path is not None:
        given = Path(path).expanduser()
        tries = [given / kfile.basename, given / kfile.name] if given.is_dir() else [given]
        for candidate in tries:
            if candidate.is_file():
                return candidate
        raise DatasetNotFoundError(
            _("path: no {title} file {name!r} at {path}").format(
                title=TITLES[kfile.dataset], name=kfile.basename, path=given),
            kfile.dataset,
            kfile.name,
            tries,
        )
    found = storage.find(kfile.name)
    if found is None and download:
        _download(kfile)
        found = storage.find(kfile.name)
    if found is None:
        raise DatasetNotFoundError(
            _missing_message(kfile), kfile.dataset, kfile.name, storage.candidates(kfile.name)
        )
    return found


def _download(kfile: KerasFile) -> None:
    """Let Keras download ``kfile`` into its cache (needs Keras and internet)."""
    try:
        from keras import datasets
    except ImportError as exc:
        raise ImportError(
            _("download=True needs Keras: pip install 'redes[keras]'. Without internet, "
              "register a copy instead: redes data add {dataset} PATH").format(
                dataset=kfile.dataset)
        ) from exc
    try:
        getattr(getattr(datasets, kfile.dataset), kfile.keras_function)()
    except Exception as exc:  # no internet, a proxy, a full disk: all end the same way
        raise DatasetNotFoundError(
            _missing_message(kfile) + "\n"
            + _("The download through Keras failed: {problem}").format(problem=exc),
            kfile.dataset,
            kfile.name,
            storage.candidates(kfile.name),
        ) from exc


def is_available(dataset: str) -> bool:
    """True when every data file of ``dataset`` (not its word index) is on this machine.
    Boston housing is always available: redes ships its table."""
    if dataset == "boston_housing":
        return True
    return all(storage.find(f.name) for f in KERAS_FILES[dataset] if f.role == "data")


# ----------------------------------------------------------------------------- checks


def _require_keys(arrays: dict, keys, path) -> None:
    missing = [k for k in keys if k not in arrays]
    if missing:
        raise DatasetFormatError(
            path,
            _("has no array named {missing}; expected the keys {keys} of the Keras file, "
              "found {found}").format(missing=", ".join(map(repr, missing)),
                                      keys=", ".join(map(repr, keys)), found=sorted(arrays)),
        )


def _check(path, key, array, *, kinds, ndim, tail=None, length=None) -> None:
    """Check an array's dtype kind, number of dimensions, trailing shape and length."""
    if array.dtype.kind not in kinds:
        kind_names = {"u": _("unsigned integer"), "i": _("integer"), "f": _("float")}
        wanted = _(" or ").join(kind_names[k] for k in kinds)
        raise DatasetFormatError(path, _("{key!r} has dtype {dtype}; expected {wanted}").format(
            key=key, dtype=array.dtype, wanted=wanted))
    if array.ndim != ndim or (tail is not None and array.shape[1:] != tail):
        if tail:
            wanted = f"(n, {', '.join(map(str, tail))})"
        else:
            wanted = _("{ndim} dimension(s)").format(ndim=ndim)
        raise DatasetFormatError(path, _("{key!r} has shape {shape}; expected {wanted}").format(
            key=key, shape=array.shape, wanted=wanted))
    if length is not None and len(array) != length:
        raise DatasetFormatError(
            path, _("{key!r} has {count} entries but its inputs have {length}").format(
                key=key, count=len(array), length=length)
        )


def _check_labels(path, key, labels, length, num_classes) -> None:
    _check(path, key, labels, kinds="iu", ndim=1, length=length)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise DatasetFormatError(
            path,
            _("{key!r} holds labels from {low} to {high}; expected 0 to {last}").format(
                key=key, low=labels.min(), high=labels.max(), last=num_classes - 1),
        )


def read_mnist_npz(path):
    """Read and check a Keras ``mnist.npz``: ``uint8`` images ``(n, 28, 28)`` and labels."""
    arrays = read_npz(path)
    _require_keys(arrays, ("x_train", "y_train", "x_test", "y_test"), path)
    out = []
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        _check(path, f"x_{part}", x, kinds="u", ndim=3, tail=(28, 28))
        if x.dtype != np.uint8:
            raise DatasetFormatError(path, _("{key!r} has dtype {dtype}; expected "
                                             "uint8").format(key=f"x_{part}", dtype=x.dtype))
        _check_labels(path, f"y_{part}", y, len(x), 10)
        out.append((x, y))
    return tuple(out)


def read_fashion_files(paths):
    """Read and check the four Fashion-MNIST IDX files (labels, images, labels, images)."""
    out = []
    for labels_path, images_path in (paths[:2], paths[2:]):
        y = read_idx(labels_path, "labels")
        x = read_idx(images_path, "images")
        if x.shape[1:] != (28, 28):
            raise DatasetFormatError(
                images_path, _("holds images of {shape} pixels; expected (28, 28)").format(
                    shape=x.shape[1:])
            )
        if len(x) != len(y):
            raise DatasetFormatError(
                images_path, _("holds {count} images but {name} has {labels}").format(
                    count=len(x), name=Path(labels_path).name, labels=len(y))
            )
        _check_labels(labels_path, "labels", y, len(y), 10)
        out.append((x, y))
    return tuple(out)


def read_boston_npz(path):
    """Read and check a Keras ``boston_housing.npz``: ``x`` (n, 13) and ``y`` (n,) floats."""
    arrays = read_npz(path)
    _require_keys(arrays, ("x", "y"), path)
    x, y = arrays["x"], arrays["y"]
    _check(path, "x", x, kinds="f", ndim=2, tail=(13,))
    _check(path, "y", y, kinds="f", ndim=1, length=len(x))
    for key, array in (("x", x), ("y", y)):
        rows = np.flatnonzero(~np.isfinite(array.reshape(len(array), -1)).all(axis=1))
        if rows.size:
            message = _("{key!r} holds NaN or infinite values ({count} rows, the first is "
                        "row {row}); expected finite numbers")
            raise DatasetFormatError(path, message.format(key=key, count=rows.size,
                                                          row=rows[0]))
    return x, y


def read_sequences_npz(path, dataset: str):
    """Read and check a Keras ``imdb.npz`` or ``reuters.npz`` (see the module docstring).

    Returns:
        A dict from key to value: each sequence member (``x_train``/``x_test`` for IMDB,
        ``x`` for Reuters) becomes ``(flat, lengths)``, the int64 word indices of all
        sequences joined and the length of each; label members stay integer arrays.
    """
    if dataset == "imdb":
        pairs, num_classes = (("x_train", "y_train"), ("x_test", "y_test")), 2
    else:
        pairs, num_classes = (("x", "y"),), len(REUTERS_TOPICS)
    arrays = read_npz(path, sequence_keys=[x for x, _y in pairs])
    _require_keys(arrays, [k for pair in pairs for k in pair], path)
    out = {}
    for x_key, y_key in pairs:
        x = arrays[x_key]
        if x.dtype != object:  # equal-length sequences may be stored as a 2-D int array
            _check(path, x_key, x, kinds="iu", ndim=2)
        try:
            flat, lengths = flatten_sequences(x, x_key)
        except ValueError as exc:
            raise DatasetFormatError(path, str(exc)) from exc
        if flat.size and flat.min() < 0:
            raise DatasetFormatError(path, _("{key!r} holds negative word indices").format(
                key=x_key))
        _check_labels(path, y_key, arrays[y_key], len(lengths), num_classes)
        out[x_key], out[y_key] = (flat, lengths), arrays[y_key]
    return out


# ----------------------------------------------------------------------------- loaders


def mnist(path=None, *, download: bool = False):
    """Load MNIST: 70,000 grayscale 28x28 images of handwritten digits (0-9).

    Same data as ``keras.datasets.mnist.load_data()``, read from ``mnist.npz``.
    License: Yann LeCun and Corinna Cortes hold the copyright of MNIST, a derivative work of
    NIST data, available under CC BY-SA 3.0.

    Args:
        path: an ``mnist.npz`` file, or a folder holding one. Defaults to ``None`` (look in
            the redes data folder, then in Keras' cache).
        download: when the file is missing, let Keras download it (needs internet).
            Defaults to ``False``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``uint8`` images of shape
        ``(60000, 28, 28)`` and ``(10000, 28, 28)`` with values 0-255, and ``uint8`` labels.

    Raises:
        DatasetNotFoundError: the file is missing (the message says how to get it).
        DatasetFormatError: the file is not a Keras MNIST archive.
    """
    return read_mnist_npz(locate(_spec("mnist"), path, download))


def fashion_mnist(path=None, *, download: bool = False):
    """Load Fashion-MNIST: 70,000 grayscale 28x28 images of 10 kinds of clothing.

    Same data as ``keras.datasets.fashion_mnist.load_data()``, read from the four IDX files
    Keras keeps under ``datasets/fashion-mnist/``. Class names: ``FASHION_MNIST_CLASSES``
    (0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker,
    8 Bag, 9 Ankle boot). License: Zalando SE, MIT license.

    Args:
        path: a folder holding the four ``.gz`` files. Defaults to ``None`` (look in the
            redes data folder, then in Keras' cache).
        download: when a file is missing, let Keras download them (needs internet).
            Defaults to ``False``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``uint8`` images of shape
        ``(60000, 28, 28)`` and ``(10000, 28, 28)``, and ``uint8`` labels.

    Raises:
        DatasetNotFoundError: a file is missing (the message says how to get it).
        DatasetFormatError: a file is not a gzip IDX file of the right kind and size.
    """
    paths = [locate(f, path, download) for f in KERAS_FILES["fashion_mnist"]]
    return read_fashion_files(paths)


def _take(flat, lengths, order):
    """Reorder joined sequences: sequence ``order[i]`` becomes sequence ``i``."""
    starts = np.cumsum(lengths) - lengths
    new_lengths = lengths[order]
    new_starts = np.cumsum(new_lengths) - new_lengths
    shift = np.repeat(starts[order] - new_starts, new_lengths)
    return flat[np.arange(len(shift)) + shift], new_lengths


def _sequences(flat, lengths, index_from: int, start_char, maxlen):
    """Shift word indices by ``index_from``, mark starts, and keep sequences < maxlen."""
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


def _vocabulary(flat, lengths, num_words, skip_top: int, oov_char):
    """Replace (or drop, when ``oov_char`` is None) indices outside [skip_top, num_words)."""
    if not num_words:
        num_words = int(flat.max()) if flat.size else 0
    inside = (flat >= skip_top) & (flat < num_words)
    if oov_char is not None:
        return np.where(inside, flat, oov_char), lengths
    owner = np.repeat(np.arange(len(lengths)), lengths)
    return flat[inside], np.bincount(owner[inside], minlength=len(lengths)).astype(np.int64)


def _check_text_args(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from):
    check_int("num_words", num_words, 1, allow_none=True)
    check_int("skip_top", skip_top, 0)
    check_int("maxlen", maxlen, 1, allow_none=True)
    check_seed("seed", seed, allow_none=False)
    check_int("start_char", start_char, 0, allow_none=True)
    check_int("oov_char", oov_char, 0, allow_none=True)
    check_int("index_from", index_from, 0)


def imdb(
    path=None,
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    *,
    download: bool = False,
):
    """Load IMDB: 50,000 movie reviews labelled positive (1) or negative (0).

    Same data and arguments as ``keras.datasets.imdb.load_data()``, read from ``imdb.npz``.
    Each review is a list of word indices, ranked by frequency (4 is the most frequent word
    with the default ``index_from=3``). The training reviews and then the test reviews are
    shuffled with ``numpy.random.RandomState(seed)``. Turn a review back into text with
    ``decode_review``. The file holds pickled lists; see the module docstring for how redes
    reads them safely.

    Args:
        path: an ``imdb.npz`` file, or a folder holding one. Defaults to ``None`` (look in
            the redes data folder, then in Keras' cache).
        num_words: keep only the ``num_words`` most frequent words; rarer words become
            ``oov_char`` (or are dropped when ``oov_char`` is None). Defaults to ``None``
            (keep all; as in Keras, the single highest index then also counts as out of
            vocabulary).
        skip_top: also treat the ``skip_top`` most frequent indices as out of vocabulary.
            Defaults to ``0``.
        maxlen: keep only sequences shorter than ``maxlen`` (counting the start mark);
            longer ones are dropped, not cut. Defaults to ``None`` (keep all).
        seed: seed of the shuffle. Defaults to ``113``.
        start_char: index put at the start of every sequence, or None for no mark.
            Defaults to ``1``.
        oov_char: index that replaces out-of-vocabulary words, or None to drop them.
            Defaults to ``2``.
        index_from: added to every word index, so that 0 (padding), 1 (start) and 2 (out of
            vocabulary) are free. Defaults to ``3``.
        download: when the file is missing, let Keras download it (needs internet).
            Defaults to ``False``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: 1-D object arrays of lists of ints
        (25,000 reviews each without ``maxlen``) and integer labels.

    Raises:
        DatasetNotFoundError: the file is missing (the message says how to get it).
        DatasetFormatError: the file is not a Keras IMDB archive.
        ValueError: a bad argument, or ``maxlen`` leaves no review in a split.
    """
    _check_text_args(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from)
    arrays = read_sequences_npz(locate(_spec("imdb"), path, download), "imdb")
    rng = np.random.RandomState(seed)
    parts = []
    for part in ("train", "test"):
        order = np.arange(len(arrays[f"y_{part}"]))
        rng.shuffle(order)
        flat, lengths = _take(*arrays[f"x_{part}"], order)
        flat, lengths, keep = _sequences(flat, lengths, index_from, start_char, maxlen)
        y = arrays[f"y_{part}"][order]
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
    flat, lengths = _vocabulary(flat, lengths, num_words, skip_top, oov_char)
    xs = split_sequences(flat, lengths)
    return (xs[:n_train], labels[:n_train]), (xs[n_train:], labels[n_train:])


def reuters(
    path=None,
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    *,
    download: bool = False,
):
    """Load Reuters: 11,228 newswires labelled with one of 46 topics.

    Same data and arguments as ``keras.datasets.reuters.load_data()``, read from
    ``reuters.npz``. Each newswire is a list of word indices ranked by frequency; topic names
    are in ``REUTERS_TOPICS`` (``reuters_topics()``). All newswires are shuffled with
    ``numpy.random.RandomState(seed)`` and the first ``int(n * (1 - test_split))`` are the
    training set. Turn a newswire back into text with ``decode_newswire``.

    Args:
        path: a ``reuters.npz`` file, or a folder holding one. Defaults to ``None`` (look in
            the redes data folder, then in Keras' cache).
        num_words: keep only the ``num_words`` most frequent words; rarer words become
            ``oov_char`` (or are dropped when ``oov_char`` is None). Defaults to ``None``
            (keep all; as in Keras, the single highest index then also counts as out of
            vocabulary).
        skip_top: also treat the ``skip_top`` most frequent indices as out of vocabulary.
            Defaults to ``0``.
        maxlen: keep only sequences shorter than ``maxlen`` (counting the start mark);
            longer ones are dropped, not cut. Defaults to ``None`` (keep all).
        test_split: fraction of newswires kept for testing. Defaults to ``0.2``.
        seed: seed of the shuffle. Defaults to ``113``.
        start_char: index put at the start of every sequence, or None for no mark.
            Defaults to ``1``.
        oov_char: index that replaces out-of-vocabulary words, or None to drop them.
            Defaults to ``2``.
        index_from: added to every word index, so that 0 (padding), 1 (start) and 2 (out of
            vocabulary) are free. Defaults to ``3``.
        download: when the file is missing, let Keras download it (needs internet).
            Defaults to ``False``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: 1-D object arrays of lists of ints (8,982
        and 2,246 newswires with the defaults) and integer topic labels 0-45.

    Raises:
        DatasetNotFoundError: the file is missing (the message says how to get it).
        DatasetFormatError: the file is not a Keras Reuters archive.
        ValueError: a bad argument.
    """
    _check_text_args(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from)
    test_split = check_fraction("test_split", test_split)
    arrays = read_sequences_npz(locate(_spec("reuters"), path, download), "reuters")
    order = np.arange(len(arrays["y"]))
    np.random.RandomState(seed).shuffle(order)
    flat, lengths = _take(*arrays["x"], order)
    flat, lengths, keep = _sequences(flat, lengths, index_from, start_char, maxlen)
    labels = arrays["y"][order]
    labels = labels[keep]
    flat, lengths = _vocabulary(flat, lengths, num_words, skip_top, oov_char)
    xs = split_sequences(flat, lengths)
    cut = int(len(xs) * (1 - test_split))
    return (xs[:cut], labels[:cut]), (xs[cut:], labels[cut:])


def reuters_topics() -> tuple[str, ...]:
    """The 46 Reuters topic names; ``reuters_topics()[label]`` names a label."""
    return REUTERS_TOPICS


def boston_housing(
    path=None,
    test_split=0.2,
    seed=113,
    *,
    source: str = "auto",
    drop_b: bool = False,
    raw: bool = False,
    download: bool = False,
):
    """Load Boston housing: 506 suburbs, 13 features, median home value (regression).

    Same rows and split as ``keras.datasets.boston_housing.load_data()``: the rows are
    shuffled with ``numpy.random.RandomState(seed)`` and the first
    ``int(506 * (1 - test_split))`` (404 by default) are the training set. The data come
    from Keras' ``boston_housing.npz`` when it is on this machine and otherwise from the
    table shipped with redes, which holds the same rows, so this always works offline.

    **Ethical warning.** Column ``B`` (index 11) encodes the proportion of Black residents
    of each town, on the authors' assumption that racial self-segregation affects house
    prices. Keras and scikit-learn strongly discourage using this dataset except to study
    ethical problems in data science. See ``redes.data.boston`` for the feature list.

    Args:
        path: a ``boston_housing.npz`` file in Keras' format, or a folder holding one.
            Defaults to ``None``.
        test_split: fraction of rows kept for testing, in [0, 1). Defaults to ``0.2``.
        seed: seed of the shuffle. Defaults to ``113``.
        source: ``"auto"`` (Keras' file if found, else the shipped table), ``"keras"``
            (Keras' file only) or ``"csv"`` (the shipped table only). Defaults to ``"auto"``.
        drop_b: remove column ``B``, leaving 12 features. Defaults to ``False`` (13, as
            Keras).
        raw: return the unshuffled ``(x, y)`` instead of the split. Defaults to ``False``.
        download: with ``source="keras"``, let Keras download a missing file. Defaults to
            ``False``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``float64`` features of shape ``(404, 13)``
        and ``(102, 13)`` and targets in thousands of dollars (``(x, y)`` when ``raw``).

    Raises:
        DatasetNotFoundError: ``source="keras"`` and the file is missing.
        DatasetFormatError: the Keras file is malformed.
    """
    test_split = check_fraction("test_split", test_split)
    seed = check_seed("seed", seed, allow_none=False)
    check_choice("source", source, ("auto", "keras", "csv"))
    kfile = _spec("boston_housing")
    if path is not None or source == "keras":
        x, y = read_boston_npz(locate(kfile, path, download))
    elif source == "auto" and storage.find(kfile.name):
        x, y = read_boston_npz(storage.find(kfile.name))
    else:
        x, y = boston.read_csv()
    if drop_b:
        x = np.delete(x, boston.FEATURE_NAMES.index("B"), axis=1)
    if raw:
        return x, y
    return boston.keras_split(x, y, test_split, seed)


# ----------------------------------------------------------------------------- words


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


# ----------------------------------------------------------------------------- add


def _check_file(kfile: KerasFile, path) -> None:
    """Read ``path`` as ``kfile`` would be read; raise DatasetFormatError if it is wrong."""
    if kfile.role == "word_index":
        read_word_index(path)
    elif kfile.dataset == "mnist":
        read_mnist_npz(path)
    elif kfile.dataset == "boston_housing":
        read_boston_npz(path)
    elif kfile.dataset in ("imdb", "reuters"):
        read_sequences_npz(path, kfile.dataset)
    else:
        y_or_x = "labels" if "labels" in kfile.name else "images"
        read_idx(path, y_or_x)


def _match(kfiles, source: Path) -> KerasFile:
    """Which of a dataset's files a single file ``source`` is."""
    by_name = [f for f in kfiles if f.basename == source.name]
    if by_name:
        return by_name[0]
    by_suffix = [f for f in kfiles if Path(f.name).suffix == source.suffix]
    if len(by_suffix) == 1:
        return by_suffix[0]
    names = ", ".join(f.basename for f in kfiles)
    raise ValueError(
        _("path: cannot tell which {title} file {name!r} is; expected one of {names} "
          "(rename it, or pass the folder that holds them)").format(
            title=TITLES[kfiles[0].dataset], name=source.name, names=names)
    )


def _sources(kfiles, path) -> list[tuple[Path, KerasFile]]:
    """The (file, KerasFile) pairs that one path given to ``add`` stands for."""
    source = Path(path).expanduser()
    if source.is_dir():
        pairs = []
        for kfile in kfiles:
            for candidate in (source / kfile.basename, source / kfile.name):
                if candidate.is_file():
                    pairs.append((candidate, kfile))
                    break
        if not pairs:
            names = ", ".join(f.basename for f in kfiles)
            raise FileNotFoundError(_("path: folder {path} holds none of the files "
                                      "{names}").format(path=source, names=names))
        return pairs
    if source.is_file():
        return [(source, _match(kfiles, source))]
    raise FileNotFoundError(_("path: no file or folder at {path}").format(path=source))


def add(name: str, path, *more_paths, check=None) -> list[Path]:
    """Register a copy of a Keras dataset file so that redes finds it offline.

    The file is checked first (read as its loader would read it), then copied to a
    temporary file in the redes data folder (``$REDES_HOME/datasets``, default
    ``~/.redes/datasets``), given to ``check``, and only then renamed to the name Keras uses:
    an earlier copy is replaced only by a file that passed every check. The same as the command
    ``redes data add NAME PATH [PATH...]``. Only a known dataset name is accepted and the
    copy is always named as Keras names the file, so nothing is written outside the redes
    data folder whatever ``name`` and ``path`` hold.

    Args:
        name: ``"mnist"``, ``"fashion_mnist"``, ``"imdb"``, ``"reuters"`` or
            ``"boston_housing"``.
        path: the file to register (any file name: ``.npz`` data, ``.json`` word index,
            or a Fashion-MNIST ``.gz`` file under its Keras name), or a folder: every file
            of the dataset found in it under its Keras name is registered.
        *more_paths: more files or folders of the same dataset (e.g. ``imdb.npz`` and
            ``imdb_word_index.json``). Every file is checked before any is copied.
        check: a function called with the dataset name while the loaders find the new
            copies instead of the old ones; whatever it raises stops the registration and
            leaves the old copies in place. ``redes data add`` passes one that prepares
            every recipe on the dataset, as training would. Defaults to ``None``.

    Returns:
        The paths of the registered copies.

    Raises:
        ValueError: unknown dataset name, or a file that cannot be matched.
        FileNotFoundError: ``path`` does not exist, or a folder holds none of the files.
        DatasetFormatError: the file is not in the dataset's format (nothing is copied).
        Exception: whatever ``check`` raises (nothing is copied).
    """
    dataset = str(name).strip().lower().replace("-", "_")
    if dataset not in KERAS_FILES:
        raise ValueError(
            _("name: expected one of {options} (the datasets read from files), got "
              "{value!r}").format(options=", ".join(map(repr, KERAS_FILES)), value=name)
        )
    kfiles = KERAS_FILES[dataset]
    pairs = [pair for one in (path, *more_paths) for pair in _sources(kfiles, one)]
    for candidate, kfile in pairs:
        twins = [str(c) for c, other in pairs if other is kfile]
        if len(twins) > 1:
            message = _("path: {count} files given for {name}: {files}; expected one")
            raise ValueError(message.format(count=len(twins), name=kfile.name,
                                            files=", ".join(twins)))
        _check_file(kfile, candidate)
    folder = storage.redes_datasets_dir()
    with ExitStack() as renames:  # each copy is renamed into place when the block succeeds
        staged = {}
        for candidate, kfile in pairs:
            (folder / kfile.name).parent.mkdir(parents=True, exist_ok=True)
            tmp = renames.enter_context(atomic_path(folder / kfile.name))
            staged[kfile.name] = storage.copy_whole(candidate, tmp)
        if check is not None:
            with storage.staged(staged):
                check(dataset)
    return [folder / kfile.name for _source, kfile in pairs]
