"""The playground's 2D problems, drawn in the square [-6, 6] x [-6, 6].

Each generator takes ``(n, noise, rng)`` and returns ``X`` (``float32``, shape ``(n, 2)``)
and ``y``: class labels ``0..K-1`` (``int64``) for classification, targets in [-1, 1]
(``float32``) for regression. ``noise`` goes from 0 to 0.5, as the TensorFlow Playground's
slider (0 to 50 %). The same seed always gives the same points.

A user can also bring their own points as a CSV file (``x1,x2,label``): see ``parse_csv``.
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from ..i18n import _

DOMAIN = 6.0          # points and surfaces live in [-DOMAIN, DOMAIN]^2
MAX_POINTS = 2000     # the most points a session may generate or upload
MAX_CSV_BYTES = 256 * 1024
MAX_CLASSES = 8


class DataError(ValueError):
    """Points the playground cannot use (an uploaded CSV that breaks a rule)."""


def _uniform(rng, n, r):
    return rng.uniform(-r, r, size=(n, 2))


def circle(n, noise, rng):
    """A disc of class 1 (radius 2.5) inside a ring of class 0 (radius 3.5 to 5)."""
    half = n // 2
    r = np.concatenate([rng.uniform(0, 2.5, half), rng.uniform(3.5, 5, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    shifted = x + _uniform(rng, n, 5) * noise          # noise may carry a point across
    y = (np.hypot(shifted[:, 0], shifted[:, 1]) < 2.5).astype(np.int64)
    return x, y


def xor(n, noise, rng):
    """Class 1 where x1 and x2 have the same sign, class 0 where they differ."""
    x = _uniform(rng, n, 5)
    x += np.where(x > 0, 0.3, -0.3)                     # a small gap along the axes
    shifted = x + _uniform(rng, n, 5) * noise
    y = (shifted[:, 0] * shifted[:, 1] >= 0).astype(np.int64)
    return x, y


def gauss(n, noise, rng):
    """Two Gaussian clouds, class 1 around (2, 2) and class 0 around (-2, -2)."""
    sd = math.sqrt(0.5 + 7 * noise)                     # variance 0.5 .. 4
    half = n // 2
    centres = np.concatenate([np.full((half, 2), 2.0), np.full((n - half, 2), -2.0)])
    y = np.concatenate([np.ones(half), np.zeros(n - half)]).astype(np.int64)
    return centres + rng.normal(0, sd, (n, 2)), y


def _spiral(n, noise, rng, arms):
    per = np.array_split(np.arange(n), arms)
    xs, ys = [], []
    for k, idx in enumerate(per):
        t = np.linspace(0, 1, len(idx), endpoint=False)
        r = 5 * t
        angle = 1.75 * 2 * np.pi * t + 2 * np.pi * k / arms
        pts = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
        xs.append(pts + _uniform(rng, len(idx), 1) * noise)
        ys.append(np.full(len(idx), k))
    y = np.concatenate(ys).astype(np.int64)
    if arms == 2:
        y = 1 - y                                       # the arm that starts upwards is class 1
    return np.concatenate(xs), y


def spiral(n, noise, rng):
    """Two interleaved spiral arms, one per class."""
    return _spiral(n, noise, rng, 2)


def spiral3(n, noise, rng):
    """Three interleaved spiral arms: three classes (softmax output)."""
    return _spiral(n, noise, rng, 3)


def moons(n, noise, rng):
    """Two interleaving half moons (as scikit-learn's ``make_moons``, scaled by 2.5)."""
    half = n // 2
    a = rng.uniform(0, np.pi, half)
    b = rng.uniform(0, np.pi, n - half)
    upper = np.stack([np.cos(a), np.sin(a)], axis=1)
    lower = np.stack([1 - np.cos(b), 0.5 - np.sin(b)], axis=1)
    x = (np.concatenate([upper, lower]) - [0.5, 0.25]) * 2.5
    y = np.concatenate([np.zeros(half), np.ones(n - half)]).astype(np.int64)
    return x + rng.normal(0, 1, (n, 2)) * 2 * noise, y


def checkerboard(n, noise, rng):
    """A board of squares of side pi: class 1 where ``sin(x1) sin(x2) > 0``."""
    x = _uniform(rng, n, 5)
    shifted = x + _uniform(rng, n, 5) * noise
    return x, (np.sin(shifted[:, 0]) * np.sin(shifted[:, 1]) > 0).astype(np.int64)


def blobs(n, noise, rng):
    """Four Gaussian clouds, one class each, around (+-3, +-3)."""
    centres = np.array([[3, 3], [-3, 3], [-3, -3], [3, -3]], dtype=np.float64)
    y = np.arange(n) % 4
    sd = 0.6 + 4 * noise
    return centres[y] + rng.normal(0, sd, (n, 2)), y.astype(np.int64)


def plane(n, noise, rng):
    """Regression: the target grows along the diagonal, ``(x1 + x2) / 10``."""
    x = _uniform(rng, n, 6)
    shifted = x + _uniform(rng, n, 6) * noise
    return x, np.clip((shifted[:, 0] + shifted[:, 1]) / 10, -1, 1)


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
                   [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], dtype=np.float64)


def multigauss(n, noise, rng):
    """Regression: six bumps, up (+1) and down (-1), in two rows of three."""
    x = _uniform(rng, n, 6)
    shifted = x + _uniform(rng, n, 6) * noise
    d = np.hypot(shifted[:, None, 0] - _BUMPS[:, 0], shifted[:, None, 1] - _BUMPS[:, 1])
    values = _BUMPS[:, 2] * np.clip(1 - d / 2, 0, 1)   # 1 at a centre, 0 from distance 2 on
    strongest = np.argmax(np.abs(values), axis=1)
    return x, values[np.arange(n), strongest]


def sine(n, noise, rng):
    """Regression on a curve: the target is ``0.8 sin(x1)`` (x2 plays no part)."""
    x = _uniform(rng, n, 6)
    return x, np.clip(0.8 * np.sin(x[:, 0]) + rng.normal(0, 1, n) * noise, -1, 1)


# name -> (problem, number of classes (0 for regression), generator)
DATASETS = {
    "circle": ("classification", 2, circle),
    "xor": ("classification", 2, xor),
    "gauss": ("classification", 2, gauss),
    "spiral": ("classification", 2, spiral),
    "moons": ("classification", 2, moons),
    "checkerboard": ("classification", 2, checkerboard),
    "spiral3": ("classification", 3, spiral3),
    "blobs": ("classification", 4, blobs),
    "plane": ("regression", 0, plane),
    "multigauss": ("regression", 0, multigauss),
    "sine": ("regression", 0, sine),
}


def make(name: str, n: int, noise: float, seed: int):
    """``(X, y)`` for a dataset of ``DATASETS``, shuffled with ``seed``."""
    problem, _classes, generator = DATASETS[name]
    rng = np.random.default_rng(seed)
    x, y = generator(n, noise, rng)
    order = rng.permutation(n)
    dtype = np.int64 if problem == "classification" else np.float32
    return x[order].astype(np.float32), np.asarray(y)[order].astype(dtype)


FEATURES = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1sq": lambda a, b: a * a,
    "x2sq": lambda a, b: b * b,
    "x1x2": lambda a, b: a * b,
    "sinx1": lambda a, b: np.sin(a),
    "sinx2": lambda a, b: np.sin(b),
    "cosx1": lambda a, b: np.cos(a),
    "cosx2": lambda a, b: np.cos(b),
}


def feature_columns(x: np.ndarray, names) -> np.ndarray:
    """The input features ``names`` (keys of ``FEATURES``) of points ``x`` (shape (n, 2)),
    one column each, in the order given."""
    a, b = x[:, 0], x[:, 1]
    return np.stack([FEATURES[f](a, b) for f in names], axis=1).astype(np.float32)


def split(x, y, train_percent: int):
    """The first ``train_percent`` % of the (already shuffled) points train, the rest test."""
    n_train = min(len(y) - 1, max(1, round(len(y) * train_percent / 100)))
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])


def parse_csv(text: str, problem: str):
    """Points from CSV text with columns ``x1,x2,label`` (a header row is optional).

    Rules: at most ``MAX_CSV_BYTES`` bytes and ``MAX_POINTS`` rows, at least 10 rows, every
    value a finite number. For classification the labels are integers (at most
    ``MAX_CLASSES`` different ones, at least 2), renumbered ``0..K-1`` in increasing order;
    for regression the targets are scaled into [-1, 1]. The points are moved and scaled
    (same factor on both axes) to fill [-5, 5], so any units work.

    Returns ``(X, y, classes)``; raises ``DataError`` with the reason otherwise.
    """
    if not isinstance(text, str):
        raise DataError(_("csv: expected the file's text, got {value!r:.40}").format(
            value=text))
    size = len(text.encode("utf-8", "replace"))
    if size > MAX_CSV_BYTES:
        raise DataError(_("csv: expected a file of at most {kb} KB ({limit} bytes), got "
                          "{size} bytes").format(kb=MAX_CSV_BYTES // 1024,
                                                 limit=MAX_CSV_BYTES, size=size))
    rows = []
    for i, row in enumerate(csv.reader(io.StringIO(text))):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise DataError(_("csv: line {line}: expected 3 columns (x1,x2,label), got "
                              "{count}").format(line=i + 1, count=len(row)))
        try:
            values = [float(cell) for cell in row]
        except ValueError:
            if not rows and i == 0:
                continue                                 # a header row
            raise DataError(_("csv: line {line}: expected numbers, got {row!r:.60}").format(
                line=i + 1, row=",".join(row))) from None
        if not all(math.isfinite(v) and abs(v) <= 1e9 for v in values):
            raise DataError(_("csv: line {line}: expected finite numbers from -1e9 to 1e9, "
                              "got {row!r:.60}").format(line=i + 1, row=",".join(row)))
        rows.append(values)
        if len(rows) > MAX_POINTS:
            raise DataError(_("csv: expected at most {limit} rows, got more").format(
                limit=MAX_POINTS))
    if len(rows) < 10:
        raise DataError(_("csv: expected at least 10 rows of points, got {count}").format(
            count=len(rows)))
    data = np.array(rows, dtype=np.float64)
    x, labels = data[:, :2], data[:, 2]
    centre = (x.max(axis=0) + x.min(axis=0)) / 2
    half = max(float(np.max(np.abs(x - centre))), 1e-12)
    x = (x - centre) / half * 5
    if problem == "classification":
        if not np.all(labels == np.round(labels)):
            bad = labels[labels != np.round(labels)][0]
            raise DataError(_("csv: expected integer class labels (0, 1, 2...), got "
                              "{value:g}").format(value=bad))
        values, y = np.unique(labels, return_inverse=True)
        if not 2 <= len(values) <= MAX_CLASSES:
            raise DataError(_("csv: expected 2 to {limit} classes, got {count}").format(
                limit=MAX_CLASSES, count=len(values)))
        return x.astype(np.float32), y.astype(np.int64), len(values)
    scale = max(float(np.max(np.abs(labels))), 1e-12)
    return x.astype(np.float32), (labels / scale).astype(np.float32), 0


def load(dataset="circle", n_samples=500, noise=0.0, seed=0, train_ratio=50,
         features=("x1", "x2"), train=None, test=None):
    """A playground dataset as a ``redes train`` recipe loads it (dataset ``"playground"``):
    ``(x_train, y_train), (x_test, y_test)``, the same points the playground trained on,
    with the chosen input features as columns.

    Args:
        dataset: a name of ``DATASETS``. Defaults to ``"circle"``.
        n_samples: number of points. Defaults to 500.
        noise: from 0 to 0.5. Defaults to 0.
        seed: seed of the points. Defaults to 0.
        train_ratio: percent of the points that train. Defaults to 50.
        features: names among ``FEATURES``. Defaults to ``("x1", "x2")``.
        train, test: rows ``[x1, x2, label]`` given directly (uploaded points); they
            replace the generated ones.
    """
    names = list(features)
    if not names or any(f not in FEATURES for f in names):
        raise ValueError(_("features: expected names among {names}, got {value!r}").format(
            names=", ".join(FEATURES), value=features))
    if train is not None or test is not None:
        parts = []
        for argument, rows in (("train", train), ("test", test)):
            data = np.asarray(rows, dtype=np.float64)
            if data.ndim != 2 or data.shape[1] != 3 or not np.all(np.isfinite(data)):
                raise ValueError(_("{argument}: expected rows of 3 finite numbers x1, x2, "
                                   "label").format(argument=argument))
            parts.append(data)
        return tuple((feature_columns(d[:, :2], names), d[:, 2]) for d in parts)
    if dataset not in DATASETS:
        raise ValueError(_("dataset: expected one of {names}, got {value!r}").format(
            names=", ".join(DATASETS), value=dataset))
    x, y = make(dataset, n_samples, noise, seed)
    (xtr, ytr), (xte, yte) = split(x, y, train_ratio)
    return (feature_columns(xtr, names), ytr), (feature_columns(xte, names), yte)
