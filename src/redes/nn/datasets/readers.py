"""Readers of the files of Keras' datasets, each checking what it reads.

Every reader returns what ``keras.datasets.<name>.load_data`` reads from the same file (the
same arrays and dtypes) and raises ``DatasetFormatError`` when the file does not hold what
Keras' file holds (missing keys, wrong dtypes or shapes, labels out of range). The bytes
are read by ``formats``, which never unpickles anything but NumPy arrays.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...i18n import _
from .errors import DatasetFormatError
from .formats import flatten_sequences, read_idx, read_npz, read_pickled_batch

# The 46 Reuters topics, in the order of the labels of keras.datasets.reuters.
REUTERS_TOPICS = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
    "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass",
    "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum",
    "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi", "iron-steel",
    "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas",
    "silver", "wpi", "hog", "lead",
)  # fmt: skip



def require_keys(arrays: dict, keys, path) -> None:
    missing = [k for k in keys if k not in arrays]
    if missing:
        raise DatasetFormatError(
            path,
            _("has no array named {missing}; expected the keys {keys} of the Keras file, "
              "found {found}").format(missing=", ".join(map(repr, missing)),
                                      keys=", ".join(map(repr, keys)), found=sorted(arrays)),
        )


def check_array(path, key, array, *, kinds, ndim, tail=None, length=None) -> None:
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


def check_labels(path, key, labels, length, num_classes) -> None:
    check_array(path, key, labels, kinds="iu", ndim=1, length=length)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise DatasetFormatError(
            path,
            _("{key!r} holds labels from {low} to {high}; expected 0 to {last}").format(
                key=key, low=labels.min(), high=labels.max(), last=num_classes - 1),
        )


def read_mnist_npz(path):
    """Read and check a Keras ``mnist.npz``: ``uint8`` images ``(n, 28, 28)`` and labels."""
    arrays = read_npz(path)
    require_keys(arrays, ("x_train", "y_train", "x_test", "y_test"), path)
    out = []
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        check_array(path, f"x_{part}", x, kinds="u", ndim=3, tail=(28, 28))
        if x.dtype != np.uint8:
            raise DatasetFormatError(path, _("{key!r} has dtype {dtype}; expected "
                                             "uint8").format(key=f"x_{part}", dtype=x.dtype))
        check_labels(path, f"y_{part}", y, len(x), 10)
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
        check_labels(labels_path, "labels", y, len(y), 10)
        out.append((x, y))
    return tuple(out)


def read_boston_npz(path):
    """Read and check a Keras ``boston_housing.npz``: ``x`` (n, 13) and ``y`` (n,) floats."""
    arrays = read_npz(path)
    require_keys(arrays, ("x", "y"), path)
    x, y = arrays["x"], arrays["y"]
    check_array(path, "x", x, kinds="f", ndim=2, tail=(13,))
    check_array(path, "y", y, kinds="f", ndim=1, length=len(x))
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
    require_keys(arrays, [k for pair in pairs for k in pair], path)
    out = {}
    for x_key, y_key in pairs:
        x = arrays[x_key]
        if x.dtype != object:  # equal-length sequences may be stored as a 2-D int array
            check_array(path, x_key, x, kinds="iu", ndim=2)
        try:
            flat, lengths = flatten_sequences(x, x_key)
        except ValueError as exc:
            raise DatasetFormatError(path, str(exc)) from exc
        if flat.size and flat.min() < 0:
            raise DatasetFormatError(path, _("{key!r} holds negative word indices").format(
                key=x_key))
        check_labels(path, y_key, arrays[y_key], len(lengths), num_classes)
        out[x_key], out[y_key] = (flat, lengths), arrays[y_key]
    return out



def read_cifar_batch(path, label_key: str = "labels"):
    """Read one CIFAR batch file: ``(images, labels)``, images ``uint8 (n, 3, 32, 32)``.

    As ``keras.src.datasets.cifar.load_batch``: the batch's ``data`` rows (3,072 bytes: the
    red, then green, then blue 32x32 planes) become ``(n, 3, 32, 32)``; the labels are the
    list stored under ``label_key``, here as an integer array.
    """
    batch = read_pickled_batch(path)
    require_keys(batch, ("data", label_key), path)
    data, labels = batch["data"], batch[label_key]
    if not isinstance(data, np.ndarray):
        raise DatasetFormatError(path, _("'data' is a {kind}; expected an array of "
                                         "images").format(kind=type(data).__name__))
    check_array(path, "data", data, kinds="u", ndim=2, tail=(3 * 32 * 32,))
    try:
        labels = np.asarray(labels)
    except ValueError as exc:   # ragged lists cannot become an array
        raise DatasetFormatError(path, str(exc)) from exc
    check_labels(path, label_key, labels, len(data), 10)
    return data.reshape(len(data), 3, 32, 32), labels
