"""A model's test predictions against the truth: class labels from outputs, the confusion
matrix of a classifier and the two panels of a regression."""

from __future__ import annotations

import numpy as np

from redes.i18n import _, translated

from .saving import _finish


def predicted_labels(output, threshold=0.5) -> np.ndarray:
    """Class labels from a classifier's outputs: the arg-max of each row for several
    classes, ``output > threshold`` for one sigmoid output.

    Args:
        output: ``model.predict(x)``, of shape (n,), (n, 1) or (n, classes).
        threshold: decision threshold of a single probability. Defaults to 0.5.
    """
    output = np.asarray(output)
    if output.ndim == 2 and output.shape[1] > 1:
        return np.argmax(output, axis=1)
    if output.ndim == 2 and output.shape[1] == 1:
        output = output[:, 0]
    if output.ndim != 1:
        raise ValueError(_("output: expected shape (n,), (n, 1) or (n, classes), got "
                           "{shape}").format(shape=output.shape))
    return (output > threshold).astype(np.int64)


def _labels(y, where) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    y = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
    if y.ndim != 1 or y.dtype.kind not in "biuf":
        raise ValueError(_("{where}: expected class labels of shape (n,) or one-hot rows, "
                           "got shape {shape} and dtype {dtype}").format(
            where=where, shape=y.shape, dtype=y.dtype))
    if y.dtype.kind == "f" and (not np.all(np.isfinite(y)) or np.any(y != np.round(y))):
        raise ValueError(_("{where}: expected whole class labels, got fractions such as "
                           "{example}; for probabilities use predicted_labels(output)").format(
            where=where, example=y[y != np.round(y)][:1]))
    if y.size and y.min() < 0:
        raise ValueError(_("{where}: class labels must be >= 0, got {value}").format(
            where=where, value=y.min()))
    return y.astype(np.int64)


def _class_names(class_names, k) -> list[str]:
    """The names shown for classes 0 to k - 1 (or more): numbers, or the given names in the
    current language (a recipe's class names are English data, marked with ``N_``)."""
    if class_names is None:
        return [str(i) for i in range(k)]
    if isinstance(class_names, str) or not hasattr(class_names, "__len__"):
        raise ValueError(_("class_names: expected a list of names, got {value!r}").format(
            value=class_names))
    if len(class_names) < k:
        raise ValueError(_("class_names: {given} names given, but the labels go up to class "
                           "{last} ({k} classes)").format(given=len(class_names), last=k - 1,
                                                          k=k))
    return [translated(str(name)) for name in class_names]


def confusion_matrix(y_true, y_pred, class_names=None, title=None, path=None):
    """Counts of (true class, predicted class) pairs, coloured by the fraction of each true
    class (rows sum to 100%), so small classes are as visible as large ones.

    Args:
        y_true: true labels (n,) or one-hot rows (n, classes).
        y_pred: predicted labels (n,) or rows of scores (arg-max is taken); for one sigmoid
            output use ``predicted_labels(output)``.
        class_names: names of the classes, in label order. Defaults to "0", "1", ...
        title: the figure's title. Defaults to "Confusion matrix (accuracy ...)".
        path: where to save the PNG. Defaults to None: return the Figure.
    """
    from .._style import new_figure, style

    t, p = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if len(t) != len(p):
        raise ValueError(_("y_pred: has {n} labels but y_true has {expected}").format(
            n=len(p), expected=len(t)))
    if not len(t):
        raise ValueError(_("y_true: expected at least one sample"))
    k = int(max(t.max(), p.max())) + 1
    names = _class_names(class_names, k)
    k = len(names)
    counts = np.bincount(t * k + p, minlength=k * k).reshape(k, k)
    rows = counts.sum(axis=1, keepdims=True)
    fractions = np.divide(counts, rows, out=np.zeros(counts.shape), where=rows > 0)
    side = float(np.clip(0.42 * k + 3.0, 4.8, 13.0))
    with style():
        fig, axes = new_figure(side + 1.2, side)
        ax = axes[0, 0]
        ax.grid(False)
        image = ax.imshow(fractions, cmap="Blues", vmin=0, vmax=1, interpolation="nearest")
        bar = fig.colorbar(image, ax=ax, shrink=0.8)
        bar.set_label(_("fraction of the true class"))
        if k <= 25:
            size = 11 if k <= 6 else 9 if k <= 12 else 7
            for i in range(k):
                for j in range(k):
                    text = f"{counts[i, j]}"
                    if k <= 12 and counts[i, j]:
                        text += f"\n{fractions[i, j]:.0%}"
                    ax.text(j, i, text, ha="center", va="center", fontsize=size,
                            color="white" if fractions[i, j] > 0.55 else "#222222")
        ticks = np.arange(k)
        rotate = k * max(len(n) for n in names) > 40
        ax.set_xticks(ticks, names, rotation=45 if rotate else 0,
                      ha="right" if rotate else "center", fontsize=9 if k > 12 else None)
        ax.set_yticks(ticks, names, fontsize=9 if k > 12 else None)
        ax.set_xlabel(_("predicted class"))
        ax.set_ylabel(_("true class"))
        ax.spines[:].set_visible(False)
        accuracy = float(np.trace(counts) / counts.sum())
        ax.set_title(title or _("Confusion matrix (accuracy {accuracy}, n = {n})").format(
            accuracy=f"{accuracy:.1%}", n=len(t)))
    return _finish(fig, path)


def regression(y_true, y_pred, title=None, unit=None, path=None):
    """Two panels for a regression: predicted against true values (perfect predictions lie
    on the diagonal), and the residuals (true - predicted) against the predictions.

    Args:
        y_true: true targets, shape (n,) or (n, 1).
        y_pred: predictions, same length.
        title: the figure's title. Defaults to "Predictions".
        unit: the targets' unit for the axis labels, e.g. "k$". Defaults to none.
        path: where to save the PNG. Defaults to None: return the Figure.
    """
    from .._style import PALETTE, new_figure, style

    t = _target(y_true, "y_true")
    p = _target(y_pred, "y_pred")
    if len(t) != len(p):
        raise ValueError(_("y_pred: has {n} values but y_true has {expected}").format(
            n=len(p), expected=len(t)))
    if len(t) < 2:
        raise ValueError(_("y_true: expected at least 2 samples, got {n}").format(n=len(t)))
    residual = t - p
    mae = float(np.mean(np.abs(residual)))
    rmse = float(np.sqrt(np.mean(residual ** 2)))
    spread = float(np.sum((t - t.mean()) ** 2))
    r2 = 1 - float(np.sum(residual ** 2)) / spread if spread > 0 else float("nan")
    suffix = f" ({unit})" if unit else ""
    alpha = 0.75 if len(t) <= 500 else 0.35
    with style():
        fig, axes = new_figure(11.0, 4.6, 1, 2)
        ax = axes[0, 0]
        lo, hi = float(min(t.min(), p.min())), float(max(t.max(), p.max()))
        pad = 0.04 * (hi - lo or 1.0)
        ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="#555555", linestyle="--",
                linewidth=1.2, label=_("perfect prediction"))
        ax.scatter(t, p, s=22, color=PALETTE[0], alpha=alpha, edgecolors="white",
                   linewidths=0.4)
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(lo - pad, hi + pad)
        ax.set_aspect("equal")
        ax.set_xlabel(_("true value") + suffix)
        ax.set_ylabel(_("predicted value") + suffix)
        ax.set_title(_("Predicted vs true"))
        ax.text(0.03, 0.97, f"MAE {mae:.4g}\nRMSE {rmse:.4g}\nR² {r2:.3f}",
                transform=ax.transAxes, va="top", ha="left", fontsize=10,
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#cccccc"})
        ax.legend(loc="lower right")
        ax = axes[0, 1]
        ax.axhline(0, color="#555555", linestyle="--", linewidth=1.2)
        ax.scatter(p, residual, s=22, color=PALETTE[5], alpha=alpha, edgecolors="white",
                   linewidths=0.4)
        ax.set_xlabel(_("predicted value") + suffix)
        ax.set_ylabel(_("residual: true − predicted") + suffix)
        ax.set_title(_("Residuals"))
        fig.suptitle(title or _("Predictions"))
    return _finish(fig, path)


def _target(y, where) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or y.dtype.kind not in "biuf":
        raise ValueError(_("{where}: expected one number per sample, shape (n,) or (n, 1), "
                           "got shape {shape} and dtype {dtype}").format(
            where=where, shape=y.shape, dtype=y.dtype))
    y = y.astype(float)
    if not np.all(np.isfinite(y)):
        raise ValueError(_("{where}: holds NaN or inf values").format(where=where))
    return y
