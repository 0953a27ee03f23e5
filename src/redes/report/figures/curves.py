"""Curves per epoch: the learning curves of one history (training against validation), and
one metric of several runs on one plot."""

from __future__ import annotations

import math

import numpy as np

from redes.engines.kfold import smooth as smooth_curve
from redes.i18n import N_, _, translated

from .histories import _as_history, _best, _epochs
from .saving import _finish

_NOT_CURVES = ("epoch", "learning_rate", "lr")
_UPPER = ("mae", "mse", "rmse", "mape", "msle", "auc")


# the metrics Keras logs under a word, said in the reader's language
_WORDS = {"loss": N_("loss"), "accuracy": N_("accuracy"), "precision": N_("precision"),
          "recall": N_("recall")}


def _pretty(metric: str) -> str:
    name = metric.removeprefix("val_")
    if name in _WORDS:
        return translated(_WORDS[name])
    return name.upper() if name in _UPPER else name.replace("_", " ")


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
    from .._style import TRAIN, VALIDATION, new_figure, style

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
    from .._style import MARKERS, PALETTE, new_figure, style

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
