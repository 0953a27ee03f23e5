"""How well a playground network does, frame by frame, beyond its loss.

``frame_scores`` gives what a frame's header carries besides the losses:

* classification: ``confusion``, the confusion matrix of the test points, ``k x k``
  integers, rows the true class and columns the predicted one (a single sigmoid output
  predicts class 1 when it is above 0.5, a softmax the class of its largest output);
* regression: ``r2_train`` and ``r2_test``, the coefficient of determination
  ``R² = 1 - Σ(y - p)² / Σ(y - ȳ)²`` on each set (``None`` when a set has fewer than two
  points, all of the same target, or the network outputs NaN or has diverged);
* ``diverged``: whether training has blown up (``Divergence``), so the page can say why
  the surface went flat instead of showing a "–".
"""

from __future__ import annotations

import math

import numpy as np

from ..data import playground_sets as datasets

DIVERGED_LOSS = 1e6     # a loss above this has left any sensible range
GROWTH = 100            # ... as has one this many times its best of the same network


def confusion_matrix(truth, guess, k: int) -> list[list[int]]:
    """``k x k`` counts: ``[i][j]`` is the number of points of class ``i`` predicted ``j``."""
    truth = np.asarray(truth, dtype=np.int64).ravel()
    guess = np.asarray(guess, dtype=np.int64).ravel()
    counts = np.bincount(truth * k + guess, minlength=k * k)
    return counts.reshape(k, k).tolist()


def r2_score(y, p) -> float | None:
    """``1 - Σ(y - p)² / Σ(y - ȳ)²`` (1 is perfect, 0 is no better than the mean, below 0
    is worse); ``None`` when it is not defined or not finite."""
    y = np.asarray(y, dtype=np.float64).ravel()
    p = np.asarray(p, dtype=np.float64).ravel()
    if len(y) < 2:
        return None
    total = float(np.sum((y - y.mean()) ** 2))
    with np.errstate(all="ignore"):
        value = 1.0 - float(np.sum((y - p) ** 2)) / total if total > 0 else math.nan
    return value if math.isfinite(value) else None


def predicted_classes(p: np.ndarray) -> np.ndarray:
    """The class each row of a network's output predicts."""
    if p.shape[1] > 1:
        return np.argmax(p, axis=1)
    return (p[:, 0] > 0.5).astype(np.int64)


class Divergence:
    """Tells whether the training loss of one network has blown up: not finite (the
    frame's loss is ``None``), above ``DIVERGED_LOSS``, or ``GROWTH`` times its best value
    since that network was built (and above 1, so tiny losses that wobble do not count).
    ``network`` is the session's count of networks built, so a new one starts afresh."""

    def __init__(self):
        self.network = None
        self.best = math.inf

    def check(self, network: int, loss: float | None, points: int) -> bool:
        if network != self.network:
            self.network, self.best = network, math.inf
        if not points:                        # nothing to train on, nothing to blow up
            return False
        if loss is None or not math.isfinite(loss) or loss > DIVERGED_LOSS:
            return True
        self.best = min(self.best, loss)
        return loss > GROWTH * self.best and loss > 1.0


def frame_scores(session, measures: dict) -> dict:
    """The scores of ``session``'s network for its frame header (see the module's
    docstring); ``measures`` is ``session.losses()``, already computed."""
    out = {"diverged": session.divergence.check(session.builds, measures.get("train_loss"),
                                                len(session.y_train))}
    sets = [("test", session.x_test, session.y_test)]
    if not session.classes:
        sets.append(("train", session.x_train, session.y_train))
    for name, x, y in sets:
        f = datasets.feature_columns(x, session.state["features"]) if len(y) else None
        with np.errstate(all="ignore"):
            p = session.forward(f.T)[1] if f is not None else np.zeros((0, session.outputs))
        if session.classes:
            out["confusion"] = confusion_matrix(y, predicted_classes(p), session.classes)
        else:                                 # a diverged network's R² says nothing
            out[f"r2_{name}"] = None if out["diverged"] else r2_score(y, p)
    return out
