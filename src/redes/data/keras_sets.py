"""Keras' datasets read offline: MNIST, Fashion-MNIST, IMDB, Reuters and Boston housing.

The files, their readers and the steps that prepare IMDB and Reuters live in the engine,
``redes.nn.datasets`` (``keras.datasets`` offline); this module gives them the shape of the
rest of ``redes.data``: a loader per dataset that also takes a ``path`` to a file or folder
and, with ``download=True``, lets Keras download a missing file. Each loader returns what
Keras returns: the same arrays, dtypes (``uint8`` images, ``float64`` Boston features,
lists of word indices) and splits. The files are looked for in the redes data folder and
then in Keras' cache (see ``redes.nn.datasets.locations``):

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
internet. Reading never runs code from a file (see ``redes.nn.datasets.formats``).
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from redes._base.files import atomic_path
from redes.i18n import _
from redes.nn.datasets import locations, sequences
from redes.nn.datasets.fashion_mnist import CLASS_NAMES as FASHION_MNIST_CLASSES
from redes.nn.datasets.locations import TITLES, KerasFile
from redes.nn.datasets.readers import (
    REUTERS_TOPICS,
    read_boston_npz,
    read_fashion_files,
    read_mnist_npz,
    read_sequences_npz,
)

from .._base.checks import check_fraction
from . import storage
from .errors import DatasetNotFoundError
from .formats import read_idx, read_word_index

__all__ = [
    "FASHION_MNIST_CLASSES", "KERAS_FILES", "REUTERS_TOPICS", "TITLES", "KerasFile", "add",
    "fashion_mnist", "imdb", "is_available", "locate", "mnist", "read_boston_npz",
    "read_fashion_files", "read_mnist_npz", "read_sequences_npz", "reuters", "reuters_topics",
]  # fmt: skip

# The datasets ``add`` registers (CIFAR-10 is read from Keras' cache only).
KERAS_FILES: dict[str, tuple[KerasFile, ...]] = {
    name: files for name, files in locations.KERAS_FILES.items() if name != "cifar10"
}


# ----------------------------------------------------------------------------- locating


def _spec(dataset: str, role: str = "data") -> KerasFile:
    return locations.spec(dataset, role)


def _not_found(kfile: KerasFile) -> DatasetNotFoundError:
    redes_call = (
        f"redes.data.get_word_index({kfile.dataset!r}, download=True)"
        if kfile.role == "word_index"
        else f"redes.data.{kfile.dataset}(download=True)"
    )
    line = _("which downloads it into the Keras cache (or call {call}).").format(
        call=redes_call)
    return locations.not_found(kfile, line)


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
        raise _not_found(kfile)
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
        error = _not_found(kfile)
        raise DatasetNotFoundError(
            str(error) + "\n" + _("The download through Keras failed: {problem}").format(
                problem=exc),
            kfile.dataset,
            kfile.name,
            error.searched,
        ) from exc


def is_available(dataset: str) -> bool:
    """True when every data file of ``dataset`` (not its word index) is on this machine.
    Boston housing is always available: redes ships its table."""
    if dataset == "boston_housing":
        return True
    return all(storage.find(f.name) for f in KERAS_FILES[dataset] if f.role == "data")


# ----------------------------------------------------------------------------- loaders


def mnist(path=None, *, download: bool = False):
    """Load MNIST: 70,000 grayscale 28x28 images of handwritten digits (0-9).

    Same data as ``keras.datasets.mnist.load_data()`` (and ``redes.nn.datasets.mnist``),
    read from ``mnist.npz``. License: Yann LeCun and Corinna Cortes hold the copyright of
    MNIST, a derivative work of NIST data, available under CC BY-SA 3.0.

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


def imdb(path=None, num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1,
         oov_char=2, index_from=3, *, download: bool = False):
    """Load IMDB: 50,000 movie reviews labelled positive (1) or negative (0).

    Same data, arguments and steps as ``keras.datasets.imdb.load_data()``: read the
    arguments' description in ``redes.nn.datasets.imdb.load_data``. Turn a review back into
    text with ``decode_review``.

    Args:
        path: an ``imdb.npz`` file, or a folder holding one. Defaults to ``None`` (look in
            the redes data folder, then in Keras' cache).
        num_words, skip_top, maxlen, seed, start_char, oov_char, index_from: as in Keras;
            defaults ``None``, ``0``, ``None``, ``113``, ``1``, ``2``, ``3``.
        download: when the file is missing, let Keras download it (needs internet).
            Defaults to ``False``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints (25,000
        reviews each without ``maxlen``) and integer labels.

    Raises:
        DatasetNotFoundError: the file is missing (the message says how to get it).
        DatasetFormatError: the file is not a Keras IMDB archive.
        ValueError: a bad argument, or ``maxlen`` leaves no review in a split.
    """
    sequences.check_text_args(num_words, skip_top, maxlen, seed, start_char, oov_char,
                              index_from)
    arrays = read_sequences_npz(locate(_spec("imdb"), path, download), "imdb")
    return sequences.prepare_imdb(arrays, num_words, skip_top, maxlen, seed, start_char,
                                  oov_char, index_from)


def reuters(path=None, num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113,
            start_char=1, oov_char=2, index_from=3, *, download: bool = False):
    """Load Reuters: 11,228 newswires labelled with one of 46 topics.

    Same data, arguments and steps as ``keras.datasets.reuters.load_data()``: read the
    arguments' description in ``redes.nn.datasets.reuters.load_data``. Topic names are in
    ``REUTERS_TOPICS`` (``reuters_topics()``); turn a newswire back into text with
    ``decode_newswire``.

    Args:
        path: a ``reuters.npz`` file, or a folder holding one. Defaults to ``None`` (look in
            the redes data folder, then in Keras' cache).
        num_words, skip_top, maxlen, test_split, seed, start_char, oov_char, index_from: as
            in Keras; defaults ``None``, ``0``, ``None``, ``0.2``, ``113``, ``1``, ``2``,
            ``3``.
        download: when the file is missing, let Keras download it (needs internet).
            Defaults to ``False``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints (8,982
        and 2,246 newswires with the defaults) and integer topic labels 0-45.

    Raises:
        DatasetNotFoundError: the file is missing (the message says how to get it).
        DatasetFormatError: the file is not a Keras Reuters archive.
        ValueError: a bad argument.
    """
    sequences.check_text_args(num_words, skip_top, maxlen, seed, start_char, oov_char,
                              index_from)
    test_split = check_fraction("test_split", test_split)
    arrays = read_sequences_npz(locate(_spec("reuters"), path, download), "reuters")
    return sequences.prepare_reuters(arrays, num_words, skip_top, maxlen, test_split, seed,
                                     start_char, oov_char, index_from)


def reuters_topics() -> tuple[str, ...]:
    """The 46 Reuters topic names; ``reuters_topics()[label]`` names a label."""
    return REUTERS_TOPICS


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
