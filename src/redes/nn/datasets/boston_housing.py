"""Boston housing: 506 suburbs of Boston in the 1970s, 13 features and the median home value,
as ``keras.datasets.boston_housing``.

Source: Harrison, D. and Rubinfeld, D.L., "Hedonic prices and the demand for clean air",
J. Environ. Economics & Management 5 (1978) 81-102.

**Ethical warning.** Column ``B`` (index 11) is ``1000 (Bk - 0.63)^2`` where ``Bk`` is the
proportion of Black residents of the town; the authors built it on the assumption that
racial self-segregation affects house prices. Keras and scikit-learn strongly discourage
using this dataset except to study ethical problems in data science. The course uses it as
the classic first regression problem; use it knowing this.

Features, in column order (``FEATURE_NAMES``): CRIM per capita crime rate; ZN proportion
of residential land zoned for lots over 25,000 sq.ft.; INDUS proportion of non-retail
business acres; CHAS 1 if the tract bounds the Charles River; NOX nitric oxides
concentration (parts per 10 million); RM average number of rooms per dwelling; AGE
proportion of owner-occupied units built before 1940; DIS weighted distance to five Boston
employment centres; RAD index of accessibility to radial highways; TAX property-tax rate
per $10,000; PTRATIO pupil-teacher ratio; B (see the warning); LSTAT % lower status of the
population. The target is MEDV, the median value of owner-occupied homes in $1000s.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from ..._base.checks import check_fraction, check_seed
from ...i18n import _
from .locations import find, locate, spec
from .readers import read_boston_npz

__all__ = ["FEATURE_NAMES", "load_data"]

FEATURE_NAMES = (
    "CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE",
    "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT",
)  # fmt: skip
TARGET_NAME = "MEDV"
CSV_NAME = "boston_house_prices.csv"


def table_path():
    """The table shipped with redes (package data of the ``redes`` distribution)."""
    return resources.files("redes").joinpath("data", "files", CSV_NAME)


def read_table(path=None):
    """Read the shipped table (or a CSV file with its header and 506 rows).

    Returns:
        ``(x, y)``: ``x`` float64 of shape ``(506, 13)`` (columns ``FEATURE_NAMES``) and
        ``y`` float64 of shape ``(506,)`` (MEDV, in $1000s), in the file's row order.
    """
    with resources.as_file(table_path() if path is None else path) as real, \
            open(real, encoding="utf-8") as f:
        header = [name.strip().strip('"') for name in f.readline().split(",")]
        table = np.loadtxt(f, delimiter=",", dtype=np.float64, ndmin=2)
    expected = [*FEATURE_NAMES, TARGET_NAME]
    if header != expected or table.shape != (506, 14):
        raise RuntimeError(
            _("the shipped {name} is damaged (header {header}, shape {shape}); "
              "reinstall redes").format(name=CSV_NAME, header=header, shape=table.shape)
        )
    return table[:, :13].copy(), table[:, 13].copy()


def keras_split(x, y, test_split=0.2, seed=113):
    """Shuffle and split rows as ``keras.datasets.boston_housing.load_data`` does.

    The row indices are shuffled by ``numpy.random.RandomState(seed)``; the first
    ``int(n * (1 - test_split))`` shuffled rows are the training set, the rest the test set.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``.
    """
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Load the Boston housing prices, without downloading; same results as Keras.

    The rows are shuffled with ``numpy.random.RandomState(seed)`` and the first
    ``int(506 * (1 - test_split))`` (404 by default) are the training set.

    Where the rows come from: Keras' ``boston_housing.npz`` when it is in the redes data
    folder or in Keras' cache, else the table shipped with redes. The two give the same
    arrays: the table holds the same 506 rows, in the same order, with the same decimal
    numbers as Keras' file (both are the StatLib copy of Harrison and Rubinfeld's table);
    reading a decimal gives the one float64 nearest to it, so every value is the same float64
    as in Keras' ``float64`` arrays. The tests check the split against the targets
    published for Keras' default split (in "Deep Learning with Python", ``y_train`` starts
    ``15.2, 42.3, 50.0`` and ends ``19.4, 19.4, 29.1``).
    Read the ethical warning in this module's docstring.

    Args:
        path: the file's name in the data folders. Defaults to ``"boston_housing.npz"``.
            Another name, or a full path, must exist: only the default falls back to the
            shipped table.
        test_split: fraction of rows kept for testing, in [0, 1). Defaults to ``0.2``.
        seed: seed of the shuffle. Defaults to ``113``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``float64`` features of shape ``(404, 13)``
        and ``(102, 13)``, and ``float64`` targets in thousands of dollars.

    Raises:
        DatasetNotFoundError: ``path`` is not the default and that file is missing.
        DatasetFormatError: the file is not Keras' Boston housing archive.
    """
    test_split = check_fraction("test_split", test_split)
    seed = check_seed("seed", seed, allow_none=False)
    kfile = spec("boston_housing")
    if path in (None, kfile.name) and find(kfile.name) is None:
        x, y = read_table()
    else:
        x, y = read_boston_npz(locate(kfile, path))
    return keras_split(x, y, test_split, seed)
