"""K-fold validation of a recipe, as in the course's Boston housing lesson: one model per
fold, validated on its fold, and the validation curve averaged over the folds and smoothed
to choose the number of epochs."""

from __future__ import annotations

import math
import time

import numpy as np

from redes.i18n import _

from .building import _model
from .fitting import _evaluate, fit_model


def smooth(points, factor: float = 0.9) -> list[float]:
    """Exponential moving average of a curve, as in the course's Boston housing lesson::

        smoothed[0] = points[0]
        smoothed[i] = factor * smoothed[i - 1] + (1 - factor) * points[i]

    Args:
        points: a sequence of numbers (NaN or None values keep the previous smoothed value).
        factor: weight of the past, in [0, 1). 0 leaves the curve as it is. Defaults to 0.9.
    """
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) \
            or not 0 <= factor < 1:
        raise ValueError(_("factor: expected a number in [0, 1), got {value!r}").format(
            value=factor))
    out, previous = [], math.nan
    for point in points:
        value = math.nan if point is None else float(point)
        if math.isnan(previous):
            previous = value
        elif not math.isnan(value):
            previous = factor * previous + (1 - factor) * value
        out.append(previous)
    return out


def train_folds(recipe, engine, raw, seed, start, epochs, verbose, timings):
    """Train one model per fold (preprocessing fitted on its training folds); their
    histories, validation scores and averaged validation curve."""
    from redes import data
    from redes.recipes.preprocessing import Preprocessor

    evaluation = recipe["evaluation"]
    k = evaluation["kfold"]
    x, y = raw["x_train"], raw["y_train"]
    histories, scores, folds = [], [], []
    for train_idx, val_idx in data.kfold(len(x), k):
        pre = Preprocessor(recipe["preprocessing"]).fit(x[train_idx], y[train_idx])
        x_tr, y_tr = pre.transform(x[train_idx], y[train_idx])
        x_val, y_val = pre.transform(x[val_idx], y[val_idx])
        model = _model(recipe, engine, x_tr.shape[1:], seed, start)
        t0 = time.perf_counter()
        histories.append(fit_model(model, recipe, x_tr, y_tr, engine, epochs=epochs, seed=seed,
                                   verbose=verbose, validation_data=(x_val, y_val)))
        timings["fit"] += time.perf_counter() - t0
        score = _evaluate(model, x_val, y_val, recipe["fit"]["batch_size"])
        scores.append({f"val_{key}": value for key, value in score.items()})
        folds.append(val_idx.tolist())
    out = {"k": k, "histories": histories, "scores": scores, "val_indices": folds}
    key = next((m for m in ("val_mae", "val_accuracy", "val_loss") if m in histories[0]), None)
    mean = np.mean([h[key] for h in histories], axis=0).tolist()
    smoothed = smooth(mean, evaluation.get("smoothing", 0.9))
    best = int(np.argmin(smoothed) if key != "val_accuracy" else np.argmax(smoothed)) + 1
    out.update({"curve_metric": key, f"mean_{key}": mean, f"smoothed_{key}": smoothed,
                "best_epoch": best})
    return out
