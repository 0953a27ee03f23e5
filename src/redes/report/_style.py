"""The look shared by every redes figure: readable fonts, light grids, and the Okabe-Ito
palette, whose colours stay distinct for people with colour-vision deficiencies.

Figures are plain ``matplotlib.figure.Figure`` objects drawn by the Agg backend: no window,
no pyplot state, and Jupyter still displays a returned figure.
"""

from __future__ import annotations

import io

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

# Okabe & Ito (2008): blue, orange, bluish green, reddish purple, sky blue, vermillion,
# yellow, black.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
TRAIN, VALIDATION = PALETTE[0], PALETTE[1]
DPI = 120

RC = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "figure.titlesize": 13,
    "figure.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#e3e3e3",
    "grid.linewidth": 0.8,
    "lines.linewidth": 2.0,
    "lines.markersize": 4,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "image.cmap": "Blues",
}

# class 0 blue, undecided white, class 1 orange
DIVERGING = LinearSegmentedColormap.from_list("redes_diverging",
                                              [PALETTE[0], "#ffffff", PALETTE[1]])


def style():
    """A context in which new figures, axes and texts take the redes look."""
    return matplotlib.rc_context(RC)


def new_figure(width: float, height: float, nrows: int = 1, ncols: int = 1, **kwargs):
    """A figure drawn by Agg with ``nrows x ncols`` axes (always a 2D array of axes)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs)
    return fig, axes


def png_bytes(fig, dpi: int = DPI) -> bytes:
    """The figure encoded as PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()
