"""Folders of files as datasets: one subfolder per class, as Keras reads them.

``index_directory`` lists the files and their labels in Keras' order (classes sorted by
name, files by path), shuffles them with Keras' seed (NumPy's ``RandomState``) so that a
seed gives the same training and validation files as Keras, and ``from_files`` makes the
dataset, reading each batch's files only when the batch is asked for.
"""

from __future__ import annotations

import os

import numpy as np

from ..._base.checks import check_choice, check_int, check_seed
from ...i18n import _
from .. import backend
from .dataset import Dataset

LABEL_MODES = ("int", "categorical", "binary", None)


def check_split(validation_split, subset, shuffle, seed) -> None:
    """``validation_split`` and ``subset`` go together, and a shuffled split needs a seed."""
    if validation_split is not None and (
            isinstance(validation_split, bool) or not isinstance(validation_split, (int, float))
            or not 0 < validation_split < 1):
        raise ValueError(_("validation_split: expected a number in (0, 1), got {value!r}")
                         .format(value=validation_split))
    check_choice("subset", subset, ("training", "validation", "both", None))
    if bool(validation_split) != bool(subset):
        raise ValueError(_(
            "subset, validation_split: give both or neither (subset='training', "
            "'validation' or 'both' with validation_split=0.2, say), got subset={subset!r} "
            "and validation_split={value!r}").format(subset=subset, value=validation_split))
    if validation_split and shuffle and seed is None:
        raise ValueError(_(
            "seed: a validation_split of shuffled files needs a seed (the same for the "
            "training and the validation subset), so that no file is in both"))


def _valid_files(directory, follow_links, formats):
    walk = sorted(os.walk(directory, followlinks=follow_links), key=lambda item: item[0])
    for root, _dirs, files in walk:
        for name in sorted(files):
            if name.lower().endswith(formats):
                yield os.path.join(root, name)


def index_directory(directory, labels, formats, class_names, shuffle, seed, follow_links,
                    verbose=True):
    """``(file_paths, labels, class_names)`` of the files of ``directory``, as Keras lists
    them (``labels`` an int32 array, or ``None``)."""
    if not os.path.isdir(directory):
        raise ValueError(_("directory: no folder at {path}").format(path=directory))
    if labels == "inferred":
        subdirs = [d for d in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
        if class_names is not None:
            if not set(class_names) <= set(subdirs):
                raise ValueError(_(
                    "class_names: expected names of subfolders of the directory {names}, "
                    "got {value!r}").format(names=subdirs, value=class_names))
            subdirs = list(class_names)
    else:
        subdirs = [""]
    paths, found = [], []
    for index, subdir in enumerate(subdirs):
        files = list(_valid_files(os.path.join(directory, subdir), follow_links, formats))
        paths += files
        found += [index] * len(files)
    if labels == "inferred":
        labels, class_names = np.array(found, dtype=np.int32), subdirs
    elif labels is not None:
        if len(labels) != len(paths):
            raise ValueError(_(
                "labels: has {count} labels but the directory {path} holds {n} files"
            ).format(count=len(labels), path=directory, n=len(paths)))
        class_names = [str(label) for label in sorted(set(labels))]
        labels = np.asarray(labels, dtype=np.int32)
    if verbose and labels is None:
        print(_("Found {n} files.").format(n=len(paths)))
    elif verbose:
        print(_("Found {n} files belonging to {count} classes.").format(
            n=len(paths), count=len(class_names)))
    if shuffle:
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, class_names


def split(paths, labels, validation_split, subset):
    """The training part (the first files) or the validation part (the last
    ``int(validation_split * n)`` files), as Keras splits them."""
    if not validation_split:
        return paths, labels
    count = int(validation_split * len(paths))
    if subset == "training":
        print(_("Using {n} files for training.").format(n=len(paths) - count))
        part = slice(None, len(paths) - count)
    else:
        print(_("Using {n} files for validation.").format(n=count))
        part = slice(len(paths) - count, None)
    return paths[part], None if labels is None else labels[part]


def encode_labels(labels, label_mode, num_classes):
    """int32 labels as ``label_mode`` wants them: ``"int"`` as they are, ``"binary"`` as
    float32 of shape (n, 1), ``"categorical"`` one-hot float32."""
    if label_mode == "binary":
        return labels.astype(np.float32)[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype=np.float32)[labels]
    return labels


def from_files(files, labels, label_mode, class_names, batch_size, shuffle, seed):
    """The dataset of ``files`` (an object whose ``[rows]`` reads those files) with their
    labels: shuffled with a buffer of 8 batches as Keras does, then batched."""
    columns = files if label_mode is None else (
        files, encode_labels(labels, label_mode, len(class_names)))
    dataset = Dataset._of_rows(columns, lambda: np.arange(len(files)))
    if shuffle:
        dataset = dataset.shuffle(batch_size * 8 if batch_size else 1024, seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    dataset.class_names = class_names
    dataset.file_paths = list(files.paths)
    return dataset


def datasets(make, directory, labels, label_mode, class_names, formats, batch_size, shuffle,
             seed, validation_split, subset, follow_links, verbose=True):
    """What the ``*_dataset_from_directory`` utilities share: the checks, the files in
    Keras' order, the split, and one dataset (two for ``subset="both"``). ``make(paths)``
    gives the object that reads the files."""
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(_(
            "labels: expected 'inferred', None or a list of integer labels (one per file, in "
            "sorted order of the paths), got {value!r}").format(value=labels))
    if class_names is not None and labels != "inferred":
        raise ValueError(_("class_names: only with labels='inferred', got labels={value!r}")
                         .format(value=labels))
    check_choice("label_mode", label_mode, LABEL_MODES)
    batch_size = check_int("batch_size", batch_size, 1, allow_none=True)
    seed = check_seed("seed", seed)
    check_split(validation_split, subset, shuffle, seed)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if seed is None:
        seed = int(backend.rng().integers(1e6))     # follows set_random_seed
    paths, labels, class_names = index_directory(directory, labels, formats, class_names,
                                                 shuffle, seed, follow_links, verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(_(
            "label_mode: 'binary' needs exactly 2 classes, got {count}: {names}").format(
                count=len(class_names), names=class_names))
    subsets = ("training", "validation") if subset == "both" else (subset,)
    out = []
    for part in subsets:
        part_paths, part_labels = split(paths, labels, validation_split, part)
        if not part_paths:
            raise ValueError(_("directory: no files of the formats {formats} in {path}")
                             .format(formats=formats, path=directory))
        out.append(from_files(make(part_paths), part_labels, label_mode, class_names,
                              batch_size, shuffle and not (subset == "both" and
                                                           part == "validation"), seed))
    return out if subset == "both" else out[0]


class TextFiles:
    """The contents of text files as bytes, read when a batch asks for them (as tf.data
    gives strings), cut to ``max_length`` bytes."""

    def __init__(self, paths, max_length=None):
        self.paths, self.max_length = paths, max_length

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index):
        if np.ndim(index) == 0:
            return self._read(self.paths[int(index)])
        texts = np.empty(len(index), dtype=object)
        texts[:] = [self._read(self.paths[int(i)]) for i in index]
        return texts

    def _read(self, path) -> bytes:
        with open(path, "rb") as file:
            text = file.read()
        return text if self.max_length is None else text[:self.max_length]


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None,
                                shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, verbose=True):
    """A dataset of the ``.txt`` files of ``directory``, one subfolder per class, as
    ``keras.utils.text_dataset_from_directory``: batches ``(texts, labels)`` where the texts
    are bytes (as tf.data gives them: ``text.decode()`` makes a str).

    Args:
        directory: the folder; with ``labels="inferred"`` one subfolder per class.
        labels: ``"inferred"`` (from the subfolders), ``None`` (texts only) or a list of
            integer labels, one per file in sorted order of the paths.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or ``None``. Defaults to
            ``"int"``.
        class_names: the subfolders to read, in the order of their labels. Defaults to
            None (all, sorted by name).
        batch_size: texts per batch, or ``None`` for single texts. Defaults to 32.
        max_length: keep at most this many bytes of each text. Defaults to None.
        shuffle: shuffle the files. Defaults to True (False: sorted by path).
        seed: seed of the shuffling; needed with ``validation_split``.
        validation_split: fraction of the files for validation (the last ones after
            shuffling). Defaults to None.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a list of two datasets).
        follow_links: visit subfolders that are symbolic links. Defaults to False.
        verbose: print how many files and classes were found. Defaults to True.

    Returns:
        A ``Dataset`` (two for ``subset="both"``) with ``class_names`` and ``file_paths``.
    """
    max_length = check_int("max_length", max_length, 1, allow_none=True)
    return datasets(lambda paths: TextFiles(paths, max_length), directory, labels,
                    label_mode, class_names, (".txt",), batch_size, shuffle, seed,
                    validation_split, subset, follow_links, verbose)
