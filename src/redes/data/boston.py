"""The Boston housing table shipped with redes, and Keras' train/test split of it.

The table has 506 rows: 13 features of suburbs of Boston in the 1970s and the median value
of owner-occupied homes (MEDV, in thousands of dollars). Source: Harrison, D. and
Rubinfeld, D.L., "Hedonic prices and the demand for clean air", J. Environ. Economics &
Management 5 (1978) 81-102. It holds the same rows, in the same order, as the
``boston_housing.npz`` file that ``keras.datasets.boston_housing`` downloads.

**Ethical warning.** Column ``B`` is ``1000 (Bk - 0.63)^2`` where ``Bk`` is the proportion
of Black residents of the town. The authors built it on the assumption that racial
self-segregation has an effect on house prices. Keras and scikit-learn strongly discourage
using this dataset except to illustrate ethical problems in data science; the course uses
it because it is the classic first regression problem. Use it knowing this, and consider
dropping column ``B`` (``redes.data.boston_housing(drop_b=True)``).

Features: CRIM per capita crime rate; ZN proportion of residential land zoned for lots over
25,000 sq.ft.; INDUS proportion of non-retail business acres; CHAS 1 if the tract bounds
the Charles River; NOX nitric oxides concentration (parts per 10 million); RM average
number of rooms per dwelling; AGE proportion of owner-occupied units built before 1940;
DIS weighted distance to five Boston employment centres; RAD index of accessibility to
radial highways; TAX property-tax rate per $10,000; PTRATIO pupil-teacher ratio; B (see the
warning above); LSTAT % lower status of the population.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from ..i18n import _

FEATURE_NAMES = (
    "CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE",
    "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT",
)  # fmt: skip
TARGET_NAME = "MEDV"
CSV_NAME = "boston_house_prices.csv"


def csv_path():
    """The path of the CSV file shipped inside the package."""
    return resources.files("redes.data").joinpath("files", CSV_NAME)


def read_csv():
    """Read the shipped table.

    Returns:
        ``(x, y)``: ``x`` float64 of shape ``(506, 13)`` (columns ``FEATURE_NAMES``) and
        ``y`` float64 of shape ``(506,)`` (MEDV, in $1000s), in the file's row order.
    """
    with resources.as_file(csv_path()) as path, open(path, encoding="utf-8") as f:
        header = [name.strip().strip('"') for name in f.readline().split(",")]
        table = np.loadtxt(f, delimiter=",", dtype=np.float64, ndmin=2)
    expected = [*FEATURE_NAMES, TARGET_NAME]
    if header != expected or table.shape != (506, 14):
        raise RuntimeError(
            _("the shipped {name} is damaged (header {header}, shape {shape}); "
              "reinstall redes").format(name=CSV_NAME, header=header, shape=table.shape)
        )
    return table[:, :13].copy(), table[:, 13].copy()


def keras_split(x, y, test_split: float = 0.2, seed: int = 113):
    """Shuffle and split rows exactly as ``keras.datasets.boston_housing.load_data`` does.

    The row indices are shuffled in place by ``numpy.random.RandomState(seed)``; the first
    ``int(n * (1 - test_split))`` shuffled rows are the training set, the rest the test set.

    Args:
        x: features, one row per sample.
        y: targets, one per row.
        test_split: fraction of rows kept for testing. Defaults to ``0.2``.
        seed: seed of the shuffle. Defaults to ``113``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``.
    """
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])
