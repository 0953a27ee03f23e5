"""Figures to look at results: learning curves, confusion matrix, regression errors,
decision boundaries of 2D classifiers, and the curves of several runs on one plot.

Every figure function returns a matplotlib ``Figure`` (Jupyter shows it when it is the
cell's last value) or, given ``path``, saves it as a PNG atomically and returns the path::

    from redes.report import figures

    figures.learning_curves(history)                            # a Figure, in a notebook
    figures.learning_curves(history, path="plots/curves.png")   # a Path, in a script

A history is what ``fit`` returns (a ``History``), its ``.history`` dict, or a ``Run``.
matplotlib is imported by the functions that draw, not by ``import redes.report``.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from redes.engines.training import smooth as smooth_curve
from redes.i18n import _, translated

_NOT_CURVES = ("epoch", "learning_rate", "lr")
_HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1", "r2")
_UPPER = ("mae", "mse", "rmse", "mape", "msle", "auc")


# -------------------------------------------------------------------- helpers
def higher_is_better(metric: str) -> bool:
    """Whether larger values of ``metric`` are better (accuracy, AUC...) or worse (loss,
    MAE...), with the rule Keras' callbacks use in mode "auto"."""
    name = str(metric).removeprefix("val_")
    return any(word in name for word in _HIGHER_IS_BETTER)


def mean_history(histories) -> dict:
    """The per-epoch mean of several histories with the same keys, e.g. the folds of a
    k-fold validation (the Boston lesson averages the validation MAE of its folds).

    Args:
        histories: a list of histories (dicts, ``History`` objects or runs).

    Returns:
        A history dict ``{"loss": [...], ...}`` over the epochs every history has.
    """
    if not isinstance(histories, (list, tuple)) or not histories:
        raise ValueError(_("histories: expected a non-empty list of histories, got "
                           "{value}").format(value=f"{histories!r:.80}"))
    tables = [_as_history(h, f"histories[{i}]") for i, h in enumerate(histories)]
    keys = [k for k in tables[0] if k != "epoch"]
    for i, table in enumerate(tables[1:], 1):
        if sorted(k for k in table if k != "epoch") != sorted(keys):
            raise ValueError(_("histories[{i}]: has keys {keys}, expected the keys of "
                               "histories[0]: {expected}").format(
                i=i, keys=sorted(table), expected=sorted(tables[0])))
    n = min(len(table[keys[0]]) for table in tables) if keys else 0
    with np.errstate(all="ignore"):
        return {k: np.nanmean([t[k][:n] for t in tables], axis=0).tolist() for k in keys}


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


def save_figure(fig, path, dpi=None) -> Path:
    """Save ``fig`` as a PNG at ``path`` atomically (creating the folder) and return the
    path. The figure is closed for drawing afterwards only by dropping it."""
    from redes._base.files import write_bytes

    from ._style import DPI, png_bytes

    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise ValueError(_("path: expected a file path ending in .png, got {value!r}").format(
            value=path))
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise ValueError(_("path: expected a file name ending in .png, got {value!r}").format(
            value=str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_bytes(path, png_bytes(fig, dpi or DPI))


def _finish(fig, path):
    return fig if path is None else save_figure(fig, path)


def _floats(values, where) -> np.ndarray:
    try:
        array = np.array([np.nan if v is None else v for v in values], dtype=float)
    except (TypeError, ValueError):
        raise ValueError(_("{where}: expected a list of numbers").format(where=where)) \
            from None
    if array.ndim != 1:
        raise ValueError(_("{where}: expected a flat list of numbers, got shape {shape}")
                         .format(where=where, shape=array.shape))
    return array


def _as_history(history, where="history") -> dict:
    table = getattr(history, "history", history)
    if not isinstance(table, dict):
        raise ValueError(_("{where}: expected a History, its .history dict or a Run, got "
                           "{type}").format(where=where, type=type(history).__name__))
    out = {str(k): _floats(v, f"{where}[{k!r}]") for k, v in table.items()}
    lengths = {len(v) for v in out.values()}
    if len(lengths) > 1:
        raise ValueError(_("{where}: every list must have one value per epoch, got lengths "
                           "{lengths}").format(where=where, lengths=sorted(lengths)))
    return out


def _epochs(table) -> np.ndarray:
    if "epoch" in table:
        return table["epoch"]
    n = len(next(iter(table.values()))) if table else 0
    return np.arange(1, n + 1, dtype=float)


def _pretty(metric: str) -> str:
    name = metric.removeprefix("val_")
    return name.upper() if name in _UPPER else name.replace("_", " ")


def _best(values, metric):
    """(index, value) of the best finite value, or None."""
    if not np.isfinite(values).any():
        return None
    clean = np.where(np.isfinite(values), values, -np.inf if higher_is_better(metric)
                     else np.inf)
    i = int(np.argmax(clean) if higher_is_better(metric) else np.argmin(clean))
    return i, float(values[i])


def _integer_epochs(ax, x) -> None:
    """Whole epochs on the x axis, over every epoch (also those without a value)."""
    from matplotlib.ticker import MaxNLocator

    first, last = float(np.nanmin(x)), float(np.nanmax(x))
    pad = max(0.5, 0.02 * (last - first))
    ax.set_xlim(first - pad, last + pad)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("epoch"))


def _legend(ax) -> None:
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best")


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


# ------------------------------------------------------------------ figures
def learning_curves(history, metrics=None, smooth=None, title=None, path=None):
    """Loss and each metric per epoch, training against validation, one panel each.

    The best validation epoch is marked and given in the legend. Validation curves that
    rise while training curves keep falling are the sign of overfitting.

    Args:
        history: a ``History``, its ``.history`` dict or a ``Run``.
        metrics: names to plot, e.g. ``["loss", "accuracy"]``. Defaults to every logged one.
        smooth: a factor in [0, 1) to draw smoothed curves over faint raw ones (see
            ``smooth_curve``). Defaults to None (raw curves only).
        title: the figure's title. Defaults to none.
        path: where to save the PNG. Defaults to None: return the Figure.
    """
    from ._style import TRAIN, VALIDATION, new_figure, style

    table = _as_history(history)
    x = _epochs(table)
    if not len(x):
        raise ValueError(_("history: has no epochs to plot yet"))
    available = [k for k in table if k not in _NOT_CURVES and not k.startswith("val_")]
    available += [k[4:] for k in table if k.startswith("val_") and k[4:] not in available]
    if metrics is None:
        metrics = available
    elif isinstance(metrics, str) or not all(m in available for m in metrics) or not metrics:
        raise ValueError(_("metrics: expected a list of names among {available}, got "
                           "{value!r}").format(available=available, value=metrics))
    if not metrics:
        raise ValueError(_("history: holds no metric to plot"))
    ncols = min(len(metrics), 3)
    nrows = math.ceil(len(metrics) / ncols)
    with style():
        width = 5.0 * ncols if ncols > 1 else 6.8
        fig, axes = new_figure(width, 3.8 * nrows + (0.4 if title else 0), nrows, ncols)
        for ax in axes.flat[len(metrics):]:
            ax.set_visible(False)
        for ax, metric in zip(axes.flat, metrics):
            for key, label, colour, dash in ((metric, _("training"), TRAIN, "-"),
                                             (f"val_{metric}", _("validation"), VALIDATION,
                                              "--")):
                if key not in table:
                    continue
                _curve(ax, x, table[key], key, label, colour, dash, smooth)
            ax.set_title(_pretty(metric))
            ax.set_ylabel(_pretty(metric))
            _integer_epochs(ax, x)
            _legend(ax)
        if title:
            fig.suptitle(title)
    return _finish(fig, path)


def _curve(ax, x, y, key, label, colour, dash, smooth) -> None:
    """One curve, raw or smoothed, with its best point marked when it is a validation one."""
    if not np.isfinite(y).any():
        return
    marker = "o" if len(x) <= 30 else None
    if smooth is not None:
        ax.plot(x, y, color=colour, linestyle=dash, alpha=0.3, linewidth=1.2)
        y = np.asarray(smooth_curve(y, smooth))
        label = _("{label} (smoothed)").format(label=label)
        marker = None
    best = _best(y, key) if key.startswith("val_") else None
    if best is not None:
        label = _("{label}, best {value} at epoch {epoch}").format(
            label=label, value=f"{best[1]:.4g}", epoch=f"{x[best[0]]:.0f}")
    ax.plot(x, y, color=colour, linestyle=dash, marker=marker, label=label)
    if best is not None:
        ax.plot([x[best[0]]], [best[1]], marker="*", markersize=13, color=colour,
                markeredgecolor="black", markeredgewidth=0.7, linestyle="none", zorder=5)


def compare(histories, metric="val_loss", smooth=None, title=None, path=None):
    """Several runs' curves of one metric on one plot, e.g. validation loss of models
    with and without dropout, or of the NumPy and Keras engines.

    Args:
        histories: ``{label: history}``, each history a ``History``, dict or ``Run``.
        metric: the logged key to draw. Defaults to "val_loss".
        smooth: a factor in [0, 1) to smooth the curves (see ``smooth_curve``).
        title: the figure's title. Defaults to "<metric> by run".
        path: where to save the PNG. Defaults to None: return the Figure.
    """
    from ._style import MARKERS, PALETTE, new_figure, style

    if not isinstance(histories, dict) or not histories:
        raise ValueError(_("histories: expected a non-empty dict {{label: history}}, got "
                           "{value}").format(value=f"{histories!r:.80}"))
    if not isinstance(metric, str) or not metric:
        raise ValueError(_("metric: expected a logged name such as 'val_loss', got {value!r}")
                         .format(value=metric))
    tables = {}
    for label, history in histories.items():
        table = _as_history(history, f"histories[{label!r}]")
        if metric not in table:
            raise ValueError(_("metric: {metric!r} is not in the history of {label!r}; it "
                               "logged {keys}").format(metric=metric, label=label,
                                                       keys=sorted(table)))
        tables[str(label)] = table
    with style():
        fig, axes = new_figure(7.2, 4.4)
        ax = axes[0, 0]
        for i, (label, table) in enumerate(tables.items()):
            x, y = _epochs(table), table[metric]
            colour = PALETTE[i % len(PALETTE)]
            dash = ["-", "--", ":", "-."][i // len(PALETTE) % 4]
            if smooth is not None:
                ax.plot(x, y, color=colour, alpha=0.25, linewidth=1.0, linestyle=dash)
                y = np.asarray(smooth_curve(y, smooth))
            best = _best(y, metric)
            if best is not None:
                label = _("{label} (best {value} at {epoch})").format(
                    label=label, value=f"{best[1]:.4g}", epoch=f"{x[best[0]]:.0f}")
                ax.plot([x[best[0]]], [best[1]], marker=MARKERS[i % len(MARKERS)],
                        markersize=8, color=colour, markeredgecolor="black",
                        markeredgewidth=0.6, linestyle="none", zorder=5)
            ax.plot(x, y, color=colour, linestyle=dash, label=label)
        name = _pretty(metric)
        if metric.startswith("val_"):
            name = _("validation {metric}").format(metric=name)
        ax.set_ylabel(name)
        if not title:
            title = _("{metric} by run").format(metric=name)
            if smooth:
                title = _("{label} (smoothed)").format(label=title)
        ax.set_title(title)
        _integer_epochs(ax, np.concatenate([_epochs(t) for t in tables.values()]))
        _legend(ax)
    return _finish(fig, path)


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
    from ._style import new_figure, style

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
    from ._style import PALETTE, new_figure, style

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


def decision_boundary(predict, x, y, grid=200, class_names=None, title=None, path=None):
    """What a 2D classifier predicts everywhere in the plane, with the data on top.

    For two classes the background is the probability of class 1 (blue for class 0,
    orange for class 1, white where the model hesitates) and a black line marks 0.5. For
    more classes each region takes its class colour, paler where the model is less sure.

    Args:
        predict: a function from points of shape (m, 2) to probabilities of shape (m,),
            (m, 1) or (m, classes), e.g. ``lambda g: model.predict(g, verbose=0)``.
        x: the points, shape (n, 2).
        y: their labels (n,) or one-hot rows.
        grid: points per axis of the grid (an int, 10 to 1000), or ``(xs, ys)``, two
            increasing 1D arrays. Defaults to 200, over the data's range plus 10%.
        class_names: names of the classes. Defaults to "0", "1", ...
        title: the figure's title. Defaults to "Decision boundary".
        path: where to save the PNG. Defaults to None: return the Figure.
    """
    from ._style import DIVERGING, MARKERS, PALETTE, new_figure, style

    if not callable(predict):
        raise ValueError(_("predict: expected a function of the points, got {value}").format(
            value=f"{predict!r:.80}"))
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != 2 or not len(x):
        raise ValueError(_("x: expected points of shape (n, 2), got shape {shape}").format(
            shape=x.shape))
    labels = _labels(y, "y")
    if len(labels) != len(x):
        raise ValueError(_("y: has {n} labels but x has {points} points").format(
            n=len(labels), points=len(x)))
    xs, ys = _grid(grid, x)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)
    probs = np.asarray(predict(points), dtype=float)
    if probs.ndim == 2 and probs.shape[1] == 1:
        probs = probs[:, 0]
    if probs.shape[:1] != (len(points),) or probs.ndim not in (1, 2):
        raise ValueError(_("predict: returned shape {shape} for {n} points; expected (m,), "
                           "(m, 1) or (m, classes)").format(shape=probs.shape, n=len(points)))
    if probs.ndim == 2 and probs.shape[1] == 2:
        probs = probs[:, 1]
    k = max(int(labels.max()) + 1, 2 if probs.ndim == 1 else probs.shape[1])
    names = _class_names(class_names, k)
    with style():
        fig, axes = new_figure(7.0, 5.6)
        ax = axes[0, 0]
        ax.grid(False)
        if probs.ndim == 1:
            surface = probs.reshape(gx.shape)
            mesh = ax.pcolormesh(xs, ys, surface, cmap=DIVERGING, vmin=0, vmax=1,
                                 shading="auto", alpha=0.55, rasterized=True)
            ax.contour(xs, ys, surface, levels=[0.5], colors="black", linewidths=1.3)
            bar = fig.colorbar(mesh, ax=ax, shrink=0.85)
            bar.set_label(_("probability of class {name}").format(name=names[1]))
        else:
            _class_regions(ax, xs, ys, probs.reshape(*gx.shape, -1), PALETTE)
        size = 30 if len(x) <= 500 else 14
        for c in range(k):
            mask = labels == c
            if mask.any():
                ax.scatter(x[mask, 0], x[mask, 1], s=size, marker=MARKERS[c % len(MARKERS)],
                           color=PALETTE[c % len(PALETTE)], edgecolors="black",
                           linewidths=0.6, label=names[c], zorder=3)
        ax.set_xlim(xs[0], xs[-1])
        ax.set_ylim(ys[0], ys[-1])
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.set_title(title or _("Decision boundary"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0 if probs.ndim == 2 else 0.0, 1.0),
                  frameon=True, framealpha=0.85, title=_("class"))
    return _finish(fig, path)


def _grid(grid, x):
    if isinstance(grid, (int, np.integer)) and not isinstance(grid, bool):
        if not 10 <= grid <= 1000:
            raise ValueError(_("grid: expected 10 to 1000 points per axis, got {value}")
                             .format(value=grid))
        lo, hi = x.min(axis=0), x.max(axis=0)
        pad = np.where(hi > lo, 0.1 * (hi - lo), 1.0)
        return (np.linspace(lo[0] - pad[0], hi[0] + pad[0], int(grid)),
                np.linspace(lo[1] - pad[1], hi[1] + pad[1], int(grid)))
    if isinstance(grid, (tuple, list)) and len(grid) == 2:
        axes = [np.asarray(g, dtype=float) for g in grid]
        if all(a.ndim == 1 and len(a) >= 2 and np.all(np.diff(a) > 0) for a in axes):
            return axes[0], axes[1]
    raise ValueError(_("grid: expected an int or (xs, ys), two increasing 1D arrays, got "
                       "{value}").format(value=f"{grid!r:.80}"))


def _class_regions(ax, xs, ys, probs, palette) -> None:
    """Colour each grid point by its predicted class, paler where the model is unsure."""
    from matplotlib.colors import to_rgb

    k = probs.shape[-1]
    winner = probs.argmax(axis=-1)
    confidence = (probs.max(axis=-1) - 1 / k) / (1 - 1 / k)
    colours = np.array([to_rgb(palette[c % len(palette)]) for c in range(k)])
    weight = (0.12 + 0.38 * np.clip(confidence, 0, 1))[..., None]
    image = (1 - weight) + weight * colours[winner]
    ax.imshow(image, origin="lower", aspect="auto", interpolation="nearest",
              extent=(xs[0], xs[-1], ys[0], ys[-1]))
    ax.contour(xs, ys, winner, levels=np.arange(k - 1) + 0.5, colors="#333333",
               linewidths=0.9)


# ------------------------------------------------------------------ for runs
def write_run_figures(run, task=None, y_true=None, y_pred=None, class_names=None,
                      predict=None, x=None) -> list[Path]:
    """Write the figures that suit a run into its ``plots/`` folder.

    Always the learning curves (once an epoch is logged); with test labels and
    predictions, a confusion matrix (classification) or the regression panels; with
    ``predict`` and 2D points ``x``, the decision boundary.

    Args:
        run: a ``redes.runs.Run`` or the path of a run directory.
        task: "binary", "multiclass" or "regression"; defaults to the recipe's ``task``.
        y_true: test targets.
        y_pred: the model's test outputs (probabilities are turned into labels).
        class_names: names of the classes for the confusion matrix and the boundary.
        predict: function for ``decision_boundary``.
        x: 2D test points for ``decision_boundary`` (labels: ``y_true``).

    Returns:
        The paths written.
    """
    from ..runs import Run

    if not isinstance(run, Run):
        run = Run.open(run)
    if task is None:
        recipe = run.config.get("recipe")
        task = recipe.get("task") if isinstance(recipe, dict) else None
    paths = []
    plots = run.plots_dir
    if run.last_epoch:
        paths.append(learning_curves(run, title=f"{run.title} ({run.engine})",
                                     path=plots / "learning_curves.png"))
    if y_true is not None and y_pred is not None:
        if task in ("binary", "multiclass"):
            paths.append(confusion_matrix(y_true, predicted_labels(y_pred), class_names,
                                          path=plots / "confusion_matrix.png"))
        elif task == "regression":
            paths.append(regression(y_true, y_pred, path=plots / "regression.png"))
        else:
            raise ValueError(_("task: expected 'binary', 'multiclass' or 'regression', got "
                               "{value!r}").format(value=task))
    if predict is not None and x is not None and y_true is not None:
        paths.append(decision_boundary(predict, x, y_true, class_names=class_names,
                                       path=plots / "decision_boundary.png"))
    return paths
