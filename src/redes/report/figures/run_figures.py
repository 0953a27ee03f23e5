"""The figures that suit a run, written into its ``plots/`` folder."""

from __future__ import annotations

from pathlib import Path

from redes.i18n import _

from .boundary import decision_boundary
from .curves import learning_curves
from .predictions import confusion_matrix, predicted_labels, regression


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
    from redes.runs import Run

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
