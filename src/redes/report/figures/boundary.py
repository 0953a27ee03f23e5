"""The decision boundary of a 2D classifier: what it predicts everywhere in the plane, with
the data on top."""

from __future__ import annotations

import numpy as np

from redes.i18n import _

from .predictions import _class_names, _labels
from .saving import _finish


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
    from .._style import DIVERGING, MARKERS, PALETTE, new_figure, style

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
