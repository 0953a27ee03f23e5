"""The Boston housing table shipped with redes, and Keras' train/test split of it.

The table and the split are the engine's (``redes.nn.datasets.boston_housing``, where the
columns and the source are described); this module adds the options of
``redes.data.boston_housing``: Keras' file or the table, dropping column ``B``, the rows
unsplit.

**Ethical warning.** Column ``B`` is ``1000 (Bk - 0.63)^2`` where ``Bk`` is the proportion
of Black residents of the town. The authors built it on the assumption that racial
self-segregation has an effect on house prices. Keras and scikit-learn strongly discourage
using this dataset except to illustrate ethical problems in data science; the course uses
it because it is the classic first regression problem. Use it knowing this, and consider
dropping column ``B`` (``redes.data.boston_housing(drop_b=True)``).
"""

from __future__ import annotations

import numpy as np

from redes.nn.datasets.boston_housing import (
    CSV_NAME,
    FEATURE_NAMES,
    TARGET_NAME,
    keras_split,
    read_table,
    table_path,
)
from redes.nn.datasets.readers import read_boston_npz

from .._base.checks import check_choice, check_fraction, check_seed
from . import storage
from .keras_sets import _spec, locate

__all__ = [
    "CSV_NAME", "FEATURE_NAMES", "TARGET_NAME", "boston_housing", "csv_path", "keras_split",
    "read_csv",
]  # fmt: skip


def csv_path():
    """The path of the CSV file shipped inside the package."""
    return table_path()


def read_csv():
    """Read the shipped table.

    Returns:
        ``(x, y)``: ``x`` float64 of shape ``(506, 13)`` (columns ``FEATURE_NAMES``) and
        ``y`` float64 of shape ``(506,)`` (MEDV, in $1000s), in the file's row order.
    """
    return read_table(csv_path())


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
    ethical problems in data science. See ``redes.nn.datasets.boston_housing`` for the
    feature list.

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
        x, y = read_csv()
    if drop_b:
        x = np.delete(x, FEATURE_NAMES.index("B"), axis=1)
    if raw:
        return x, y
    return keras_split(x, y, test_split, seed)


