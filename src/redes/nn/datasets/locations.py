"""Where the files of Keras' datasets are looked for, and what to say when they are missing.

redes never downloads. A file is looked for, in this order:

1. in the redes data folder, ``$REDES_HOME/datasets`` (``~/.redes/datasets`` when
   ``REDES_HOME`` is not set), which holds the files registered with
   ``redes data add NAME FILE`` (and the arrays ``redes.data`` generates and caches);
2. in the Keras cache, ``$KERAS_HOME/datasets`` (``~/.keras/datasets`` when ``KERAS_HOME``
   is not set), which ``keras.datasets.*.load_data()`` fills on a machine with internet.
   As in Keras, when that folder is not writable Keras' cache is ``/tmp/.keras/datasets``.

Both variables are read at every call, so changing them at run time takes effect at once.
A missing file raises ``DatasetNotFoundError``: the message names the file, every place it
was looked for, the command that registers a copy and the address Keras downloads it from.
"""

from __future__ import annotations

import dataclasses
import os
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from ...i18n import _
from .errors import DatasetNotFoundError

# Where keras.datasets downloads its files from.
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
CIFAR10_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"


@dataclasses.dataclass(frozen=True)
class KerasFile:
    """One file of a Keras dataset.

    Attributes:
        dataset: the dataset name, e.g. ``"imdb"``.
        name: the file's path relative to a ``datasets`` folder, as Keras names it.
        keras_function: the ``keras.datasets.<dataset>`` function that downloads it.
            Defaults to ``"load_data"``.
        role: ``"data"`` or ``"word_index"``. Defaults to ``"data"``.
        url: where Keras downloads it from. Defaults to ``KERAS_ORIGIN`` + its base name.
    """

    dataset: str
    name: str
    keras_function: str = "load_data"
    role: str = "data"
    url: str = ""

    @property
    def basename(self) -> str:
        return Path(self.name).name

    @property
    def keras_call(self) -> str:
        return f"keras.datasets.{self.dataset}.{self.keras_function}()"

    @property
    def origin(self) -> str:
        return self.url or KERAS_ORIGIN + self.basename


_FASHION = tuple(
    KerasFile("fashion_mnist", f"fashion-mnist/{part}-ubyte.gz")
    for part in ("train-labels-idx1", "train-images-idx3", "t10k-labels-idx1", "t10k-images-idx3")
)
_CIFAR10 = tuple(
    KerasFile("cifar10", f"cifar-10-batches-py/{batch}", url=CIFAR10_ORIGIN)
    for batch in (*(f"data_batch_{i}" for i in range(1, 6)), "test_batch")
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
    "cifar10": _CIFAR10,
}

TITLES = {
    "mnist": "MNIST",
    "fashion_mnist": "Fashion-MNIST",
    "imdb": "IMDB",
    "reuters": "Reuters",
    "boston_housing": "Boston housing",
    "cifar10": "CIFAR-10",
}

# Keras 3 extracts the CIFAR-10 archive into "cifar-10-batches-py-target/"; Keras 2 (and
# tf.keras) into the datasets folder itself. Both layouts are searched in Keras' cache.
_KERAS_LAYOUTS = {
    "cifar-10-batches-py/": ("cifar-10-batches-py-target/cifar-10-batches-py/",
                             "cifar-10-batches-py/"),
}


def spec(dataset: str, role: str = "data") -> KerasFile:
    """The first file of ``dataset`` with that role (``"data"`` or ``"word_index"``)."""
    return next(f for f in KERAS_FILES[dataset] if f.role == role)


# ----------------------------------------------------------------------------- folders


def redes_home() -> Path:
    """The redes folder: ``$REDES_HOME``, or ``~/.redes`` when it is not set."""
    env = os.environ.get("REDES_HOME")
    return Path(env).expanduser() if env else Path.home() / ".redes"


def keras_home() -> Path:
    """Keras' folder: ``$KERAS_HOME``, or ``~/.keras`` (``/tmp/.keras`` if ``~`` is read-only)."""
    env = os.environ.get("KERAS_HOME")
    if env:
        return Path(env).expanduser()
    home = Path.home()
    return (home if os.access(home, os.W_OK) else Path("/tmp")) / ".keras"


def redes_datasets_dir() -> Path:
    """``$REDES_HOME/datasets``: registered files and generated caches."""
    return redes_home() / "datasets"


def keras_dataset_dirs() -> list[Path]:
    """The folders of Keras' cache, in search order."""
    dirs = [keras_home() / "datasets"]
    # keras.utils.get_file falls back to /tmp/.keras when the Keras home is not writable.
    if keras_home().is_dir() and not os.access(keras_home(), os.W_OK):
        dirs.append(Path("/tmp/.keras/datasets"))
    return dirs


def dataset_dirs() -> list[Path]:
    """Every folder searched for dataset files, in search order."""
    return [redes_datasets_dir(), *keras_dataset_dirs()]


def _keras_names(filename: str) -> tuple[str, ...]:
    for prefix, layouts in _KERAS_LAYOUTS.items():
        if filename.startswith(prefix):
            return tuple(layout + filename[len(prefix):] for layout in layouts)
    return (filename,)


def candidates(filename: str) -> list[Path]:
    """The full paths where ``filename`` (e.g. ``"fashion-mnist/t10k-labels-idx1-ubyte.gz"``)
    is looked for, in search order."""
    keras = [folder / name for folder in keras_dataset_dirs() for name in _keras_names(filename)]
    return [redes_datasets_dir() / filename, *keras]


# files being registered, read before they replace the copies in the data folder
_STAGED: ContextVar[tuple] = ContextVar("staged", default=())


@contextmanager
def staged(files: dict):
    """Within the block, ``find(name)`` returns ``files[name]`` (a path) before searching the
    folders: ``redes.data.add`` loads new copies this way before they replace old ones."""
    token = _STAGED.set((*_STAGED.get(), *files.items()))
    try:
        yield
    finally:
        _STAGED.reset(token)


def find(filename: str) -> Path | None:
    """The file being registered under ``filename`` (see ``staged``), else the first existing
    file among ``candidates(filename)``, else ``None``."""
    staged_here = dict(_STAGED.get())
    if filename in staged_here:
        return Path(staged_here[filename])
    for path in candidates(filename):
        if path.is_file():
            return path
    return None


# ----------------------------------------------------------------------------- missing


def _how_to_get(kfile: KerasFile) -> list[str]:
    """The lines of the message that say how to put the file on this machine."""
    if kfile.dataset == "cifar10":
        return [
            "  " + _("- on a computer with internet, download"),
            "    " + _("{url}, extract it and copy its folder cifar-10-batches-py into "
                       "{folder};").format(url=kfile.origin, folder=redes_datasets_dir()),
        ]
    is_folder = kfile.dataset == "fashion_mnist"
    target = "PATH/TO/FOLDER" if is_folder else f"PATH/TO/{kfile.basename}"
    lines = [
        "  " + _("- register a copy you already have:  redes data add {dataset} "
                 "{target}").format(dataset=kfile.dataset, target=target),
        "    " + _("(in Python: redes.data.add({dataset!r}, {target!r}))").format(
            dataset=kfile.dataset, target=target),
    ]
    if is_folder:
        lines.append("    " + _("where the folder holds the four Fashion-MNIST .gz files;"))
    lines += ["  " + _("- or, on a computer with internet, download"),
              "    " + _("{url} and register it the same way;").format(url=kfile.origin)]
    return lines


def missing_message(kfile: KerasFile, searched, keras_line: str | None = None) -> str:
    """The message of ``DatasetNotFoundError`` for ``kfile``, looked for at ``searched``.

    ``keras_line`` replaces the line after the Keras command (``redes.data`` adds there that
    its loaders can also download).
    """
    if keras_line is None:
        keras_line = _("which downloads it into the Keras cache.")
    return "\n".join([
        _("The {title} dataset is not on this machine: file {name!r} was not found.").format(
            title=TITLES[kfile.dataset], name=kfile.name),
        _("Looked in:"),
        *(f"  {path}" for path in searched),
        _("To fix it, either:"),
        *_how_to_get(kfile),
        "  " + _('- or, with internet, run  python -c "import keras; {call}"').format(
            call=kfile.keras_call),
        "    " + keras_line,
        _("Set KERAS_HOME or REDES_HOME to search other folders."),
    ])


def not_found(kfile: KerasFile, keras_line: str | None = None) -> DatasetNotFoundError:
    """The error for a file that ``find`` did not find."""
    searched = candidates(kfile.name)
    return DatasetNotFoundError(missing_message(kfile, searched, keras_line), kfile.dataset,
                                kfile.name, searched)


def locate(kfile: KerasFile, path=None) -> Path:
    """The path of one dataset file; never downloads.

    Args:
        kfile: the file wanted (see ``KERAS_FILES``).
        path: as the ``path`` of Keras' ``load_data``: a file name looked for in the data
            folders instead of ``kfile``'s own name. An existing file given by its full path
            is read as it is (Keras refuses paths; redes takes them). Defaults to ``None``
            (``kfile``'s name).

    Raises:
        DatasetNotFoundError: the file is nowhere to be found.
        ValueError: ``path`` is not a file name.
    """
    if path is not None:
        if not isinstance(path, (str, os.PathLike)) or not str(path):
            raise ValueError(_("path: expected a file name such as {name!r}, got "
                               "{value!r}").format(name=kfile.basename, value=path))
        given = Path(path).expanduser()
        if given.is_file() and (given.is_absolute() or len(given.parts) > 1):
            return given
        if str(path) != kfile.name:
            kfile = dataclasses.replace(kfile, name=str(path), url=kfile.origin)
    found = find(kfile.name)
    if found is None:
        raise not_found(kfile)
    return found
