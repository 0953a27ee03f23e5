"""Readers for the file formats of Keras' datasets, written so that reading never runs code.

* ``.npz`` archives (MNIST, Boston housing, IMDB, Reuters): every member is read with
  ``allow_pickle=False``. The one exception is the ragged word-index sequences of IMDB and
  Reuters, which NumPy can only store as a pickled object array; see ``read_npz``.
* IDX files compressed with gzip (Fashion-MNIST): the magic number, the sizes in the header
  and the number of bytes are checked before the bytes become an array.
* Word-index JSON files (IMDB, Reuters): a mapping from word to integer rank.

Any problem raises ``DatasetFormatError`` whose message starts with the file's path. Sizes
are checked before data is decompressed: an archive or gzip file that would grow to more
than ``MAX_UNPACK_RATIO`` times its size on disk (a "zip bomb"), or a header that announces
more data than the file holds, is refused before the memory is allocated.
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import math
import os
import pickle
import zipfile
import zlib
from pathlib import Path

import numpy as np

from ...i18n import _
from .errors import DatasetFormatError

# Keras' files shrink 2 to 10 times when compressed; a file that claims to grow far more is
# refused before it is decompressed (the 1 MiB allowance covers tiny files).
MAX_UNPACK_RATIO = 100
_UNPACK_ALLOWANCE = 2**20

# The only globals a pickled NumPy object array refers to: the array class, the dtype class
# and the function that rebuilds an array (spelled ``numpy.core`` before NumPy 2 and
# ``numpy._core`` since). Lists and integers inside the array need no globals at all.
_ARRAY_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }
)


class _ArrayOnlyUnpickler(pickle.Unpickler):
    """An unpickler that can rebuild a NumPy array of lists and nothing else.

    A pickle runs code only through the globals it names (``find_class``) and through
    persistent ids; both are closed here except for the four array-building names above, so
    a tampered file can at worst fail to load.
    """

    def find_class(self, module, name):
        if (module, name) in _ARRAY_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            _("refused to load the Python object {module}.{name}").format(module=module,
                                                                          name=name))

    def persistent_load(self, pid):
        raise pickle.UnpicklingError(_("refused a persistent id"))


def read_npz(path, *, sequence_keys=()) -> dict[str, np.ndarray]:
    """Read every array of an ``.npz`` file without unpickling arbitrary objects.

    Numeric members are read with ``allow_pickle=False``. A member named in
    ``sequence_keys`` may instead be a 1-D object array (the ragged word sequences of the
    Keras IMDB and Reuters files); it is rebuilt by an unpickler that only knows how to make
    NumPy arrays and refuses every other Python object. An object array under any other key
    is refused.

    Args:
        path: the ``.npz`` file.
        sequence_keys: names of members allowed to hold object arrays of sequences.
            Defaults to ``()`` (none).

    Returns:
        A dict from member name (without ``.npy``) to array.

    Raises:
        DatasetFormatError: the file is not a readable archive, a member is not a valid
            ``.npy`` array, or holds pickled objects where numbers are expected.
    """
    path = Path(path)
    arrays = {}
    try:
        with zipfile.ZipFile(path) as archive:
            packed = sum(info.compress_size for info in archive.infolist())
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACK_RATIO * packed + _UNPACK_ALLOWANCE:
                raise DatasetFormatError(
                    path,
                    _("would decompress to {unpacked} bytes from {packed} (more than "
                      "{ratio} times); refused as a possible zip bomb").format(
                        unpacked=unpacked, packed=packed, ratio=MAX_UNPACK_RATIO),
                )
            for info in archive.infolist():
                if not info.filename.endswith(".npy"):
                    continue
                key = info.filename[: -len(".npy")]
                raw = io.BytesIO(archive.read(info))
                arrays[key] = _read_npy(raw, key, path, key in sequence_keys)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise DatasetFormatError(
            path,
            _("is not a readable .npz archive ({problem}). The file may be truncated or "
              "corrupt; copy or download it again.").format(problem=exc),
        ) from exc
    return arrays


def npy_header(stream) -> tuple[tuple, np.dtype]:
    """The shape and dtype a ``.npy`` header announces, read without reading the data (the
    stream is left where the data starts); ``ValueError`` for a header NumPy cannot parse."""
    fmt = np.lib.format
    try:
        version = fmt.read_magic(stream)
        if version == (1, 0):
            shape, _order, dtype = fmt.read_array_header_1_0(stream)
        elif version in ((2, 0), (3, 0)):
            shape, _order, dtype = fmt.read_array_header_2_0(stream)
        else:
            raise ValueError(_("unknown .npy format version {version}").format(
                version=version))
    except ValueError:
        raise
    except Exception as exc:      # NumPy parses the header text: any failure is a bad header
        raise ValueError(str(exc)) from exc
    return shape, dtype


def _npy_header(stream, size: int):
    """The dtype of the ``.npy`` array ``stream`` holds (``size`` bytes in all), its header
    checked against the bytes that follow it before anything is allocated."""
    shape, dtype = npy_header(stream)
    if not dtype.hasobject:
        declared = math.prod(shape) * dtype.itemsize
        held = size - stream.tell()
        if declared != held:
            raise ValueError(_("its header announces shape {shape} of {dtype} ({declared} "
                               "bytes) but it holds {held} bytes of data").format(
                shape=shape, dtype=dtype, declared=declared, held=held))
    return dtype


def read_npy(path) -> np.ndarray:
    """A ``.npy`` file of numbers (never unpickled), its header checked against the file's
    size before the array is allocated.

    Raises:
        DatasetFormatError: not a ``.npy`` file (an ``.npz`` archive, say), a header that
            does not fit the file, or Python objects where numbers are expected.
    """
    path = Path(path)
    with open(path, "rb") as stream:
        if stream.read(4) == b"PK\x03\x04":      # a zip archive: what numpy.savez writes
            raise DatasetFormatError(path, _(
                "is an .npz archive of several arrays, not one .npy array; save one array "
                "with numpy.save(path, array)"))
        stream.seek(0)
        try:
            dtype = _npy_header(stream, os.fstat(stream.fileno()).st_size)
        except ValueError as exc:
            raise DatasetFormatError(path, _("is not a valid .npy array ({problem})").format(
                problem=exc)) from exc
        if dtype.hasobject:
            raise DatasetFormatError(path, _(
                "holds Python objects (dtype=object) where numbers are expected; redes does "
                "not unpickle data"))
        stream.seek(0)
        return np.lib.format.read_array(stream, allow_pickle=False)


def _read_npy(raw: io.BytesIO, key: str, path: Path, allow_sequences: bool) -> np.ndarray:
    """One ``.npy`` member: numbers with pickle disabled, or a restricted object array."""
    try:
        dtype = _npy_header(raw, len(raw.getbuffer()))
        if not dtype.hasobject:
            raw.seek(0)
            return np.lib.format.read_array(raw, allow_pickle=False)
    except Exception as exc:  # NumPy parses the header text; any failure means a bad member
        raise DatasetFormatError(path, _("member {key!r} is not a valid .npy array "
                                         "({problem})").format(key=key, problem=exc)) from exc
    if not allow_sequences:
        raise DatasetFormatError(
            path,
            _("member {key!r} holds pickled Python objects (dtype=object) where a numeric "
              "array is expected; redes does not unpickle data.").format(key=key),
        )
    try:
        array = _ArrayOnlyUnpickler(raw, encoding="latin1").load()
    except Exception as exc:  # a malformed pickle can fail in many ways; all mean "bad file"
        raise DatasetFormatError(
            path, _("member {key!r} is not an array of integer sequences ({problem})").format(
                key=key, problem=exc)
        ) from exc
    if not isinstance(array, np.ndarray) or array.dtype != object or array.ndim != 1:
        raise DatasetFormatError(
            path, _("member {key!r} is not a 1-D object array of integer sequences").format(
                key=key)
        )
    return array


def flatten_sequences(sequences, name: str = "sequences"):
    """Join integer sequences into one flat array plus their lengths.

    Args:
        sequences: a list, tuple or 1-D object array of sequences of integers, or a 2-D
            integer array (each row a sequence).
        name: the argument name used in error messages. Defaults to ``"sequences"``.

    Returns:
        ``(flat, lengths)``: ``flat`` is an int64 array of every value in order, and
        ``lengths[i]`` is the length of sequence ``i``.

    Raises:
        ValueError: an element is not a sequence, or a value is not an integer.
    """
    if isinstance(sequences, np.ndarray) and sequences.dtype != object:
        if sequences.ndim != 2 or sequences.dtype.kind not in "iu":
            raise ValueError(
                _("{name}: expected a list of integer sequences or a 2-D integer array, got "
                  "an array of shape {shape} and dtype {dtype}").format(
                    name=name, shape=sequences.shape, dtype=sequences.dtype)
            )
        lengths = np.full(len(sequences), sequences.shape[1], dtype=np.int64)
        return sequences.astype(np.int64, copy=False).reshape(-1), lengths
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__len__"):
        raise ValueError(_("{name}: expected a list of integer sequences, got "
                           "{value!r:.80}").format(name=name, value=sequences))
    try:
        lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
    except TypeError as exc:
        raise ValueError(
            _("{name}: expected a list of integer sequences, but an element has no length "
              "({problem})").format(name=name, problem=exc)
        ) from exc
    if any(isinstance(s, (str, bytes)) for s in sequences):
        raise ValueError(_("{name}: expected integer sequences, got a string").format(
            name=name))
    values = list(itertools.chain.from_iterable(sequences))
    try:
        flat = np.array(values) if values else np.zeros(0, dtype=np.int64)
    except ValueError:  # ragged values: sequences of sequences
        flat = np.zeros((0, 0))
    if flat.ndim != 1 or flat.dtype.kind not in "iu":
        if flat.ndim != 1:
            problem = _("nested sequences")
        else:
            problem = _("values of dtype {dtype}").format(dtype=flat.dtype)
        raise ValueError(_("{name}: expected sequences of integers, got {problem}").format(
            name=name, problem=problem))
    return flat.astype(np.int64, copy=False), lengths


def split_sequences(flat: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The inverse of ``flatten_sequences``: a 1-D object array of Python lists of ints."""
    out = np.empty(len(lengths), dtype=object)
    for i, part in enumerate(np.split(flat, np.cumsum(lengths)[:-1])):
        out[i] = part.tolist()
    return out


_IDX_MAGIC = {"labels": (0x0801, 1), "images": (0x0803, 3)}


def read_idx(path, kind: str) -> np.ndarray:
    """Read a gzip-compressed IDX file of unsigned bytes (the Fashion-MNIST format).

    An IDX file starts with a 4-byte big-endian magic number: two zero bytes, the type code
    0x08 (unsigned byte) and the number of dimensions (1 for labels, 3 for images). Then
    come one 4-byte big-endian size per dimension and the data, one byte per value.

    Args:
        path: the ``.gz`` file.
        kind: ``"labels"`` (magic 2049, shape ``(n,)``) or ``"images"`` (magic 2051,
            shape ``(n, rows, cols)``).

    Returns:
        A writable ``uint8`` array of the shape given in the header.

    Raises:
        DatasetFormatError: not gzip, wrong magic number, or a size that does not match.
    """
    path = Path(path)
    magic, ndim = _IDX_MAGIC[kind]
    header = 4 + 4 * ndim
    try:
        with gzip.open(path, "rb") as f:
            head = f.read(header)
            if len(head) < header:
                raise DatasetFormatError(
                    path, _("is too short for an IDX header ({count} bytes)").format(
                        count=len(head))
                )
            found = int.from_bytes(head[:4], "big")
            if found != magic:
                raise DatasetFormatError(
                    path,
                    _("has magic number {found} but an IDX {kind} file starts with {magic} "
                      "(0x{magic:08x}); is it the right file?").format(
                        found=found, kind=kind, magic=magic),
                )
            shape = tuple(int.from_bytes(head[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
            expected = math.prod(shape)
            limit = MAX_UNPACK_RATIO * path.stat().st_size + _UNPACK_ALLOWANCE
            if expected > limit:
                raise DatasetFormatError(
                    path,
                    _("header announces shape {shape} ({expected} bytes of data), more than "
                      "{ratio} times the file's size; refused before decompressing").format(
                        shape=shape, expected=expected, ratio=MAX_UNPACK_RATIO),
                )
            raw = f.read(expected + 1)   # one byte more tells a file that is too long
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetFormatError(
            path, _("is not a readable gzip file ({problem}); copy or download it "
                    "again").format(problem=exc)
        ) from exc
    if len(raw) != expected:
        if len(raw) <= expected:
            held = f"{len(raw)}"
        else:
            held = _("more than {expected}").format(expected=expected)
        raise DatasetFormatError(
            path,
            _("header announces shape {shape} ({expected} bytes of data) but the file holds "
              "{held}; it may be truncated").format(shape=shape, expected=expected, held=held),
        )
    return np.frombuffer(raw, dtype=np.uint8).reshape(shape).copy()


def read_word_index(path) -> dict[str, int]:
    """Read a Keras word-index JSON file: ``{"word": rank, ...}`` with ranks >= 1.

    Raises:
        DatasetFormatError: not JSON, or not a mapping from strings to integers.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as f:
            index = json.load(f)
    except RecursionError as exc:
        raise DatasetFormatError(path, _("is not a JSON word index (nested too "
                                         "deeply)")) from exc
    except ValueError as exc:   # not UTF-8, not JSON, or a number too long to convert
        raise DatasetFormatError(path, _("is not a JSON word index ({problem})").format(
            problem=exc)) from exc
    if not isinstance(index, dict):
        raise DatasetFormatError(
            path, _("must hold a JSON object mapping words to ranks, got {kind}").format(
                kind=type(index).__name__)
        )
    for word, rank in index.items():
        if type(rank) is not int or rank < 0:
            raise DatasetFormatError(
                path, _("word {word!r} has rank {rank!r}; ranks must be integers "
                        ">= 0").format(word=word, rank=rank)
            )
    return index


def read_pickled_batch(path) -> dict:
    """Read one CIFAR batch file (a Python pickle of a dict) without running any code.

    The batches of ``cifar-10-batches-py`` were written by Python 2's pickle: a dict whose
    keys are bytes (``b"data"``, ``b"labels"``, ``b"batch_label"``, ``b"filenames"``), with
    the images in a NumPy ``uint8`` array. The unpickler used here knows only the NumPy
    names needed to rebuild that array and refuses every other Python object, as in
    ``read_npz``.

    Returns:
        The dict, its keys decoded to ``str``.

    Raises:
        DatasetFormatError: not a pickle, a pickle naming other Python objects, or not a
            dict.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            batch = _ArrayOnlyUnpickler(f, encoding="bytes").load()
    except OSError:
        raise
    except Exception as exc:  # a malformed pickle can fail in many ways; all mean "bad file"
        raise DatasetFormatError(path, _("is not a CIFAR batch file ({problem})").format(
            problem=exc)) from exc
    if not isinstance(batch, dict):
        raise DatasetFormatError(path, _("is not a CIFAR batch file (it holds a {kind}, not "
                                         "a dict)").format(kind=type(batch).__name__))
    return {(k.decode("utf8") if isinstance(k, bytes) else str(k)): v for k, v in batch.items()}
