"""Figures to look at results: learning curves, confusion matrix, regression errors,
decision boundaries of 2D classifiers, and the curves of several runs on one plot.

Every figure function returns a matplotlib ``Figure`` (Jupyter shows it when it is the
cell's last value) or, given ``path``, saves it as a PNG atomically and returns the path::

    from redes.report import figures

    figures.learning_curves(history)                            # a Figure, in a notebook
    figures.learning_curves(history, path="plots/curves.png")   # a Path, in a script

A history is what ``fit`` returns (a ``History``), its ``.history`` dict, or a ``Run``.
matplotlib is imported by the functions that draw, not by ``import redes.report``.

One module per kind of figure: ``curves`` (learning curves, runs compared), ``predictions``
(confusion matrix, regression panels), ``boundary`` (decision boundaries of 2D classifiers)
and ``run_figures`` (the plots of a run folder); ``histories`` reads histories and
``saving`` writes PNG files.
"""

from __future__ import annotations

from redes.engines.kfold import smooth as smooth_curve

from .boundary import decision_boundary
from .curves import compare, learning_curves
from .histories import higher_is_better, mean_history
from .predictions import confusion_matrix, predicted_labels, regression
from .run_figures import write_run_figures
from .saving import save_figure

__all__ = [
    "compare",
    "confusion_matrix",
    "decision_boundary",
    "higher_is_better",
    "learning_curves",
    "mean_history",
    "predicted_labels",
    "regression",
    "save_figure",
    "smooth_curve",
    "write_run_figures",
]
