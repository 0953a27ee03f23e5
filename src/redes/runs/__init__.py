"""Run directories: what a training run leaves behind (config, history, metrics, model,
TensorBoard events, plots), and how to read and list them.

Example::

    from redes.runs import Run

    with Run.create("digits", "numpy", recipe) as run:
        model.fit(x, y, epochs=20, validation_split=0.2, callbacks=[run.callback()])
        run.finish(model.evaluate(x_test, y_test, return_dict=True))
"""

from redes._base.files import DiskFullError
from redes.i18n import _

from .callbacks import EpochRecorder, make_callback
from .checkpoints import MODEL_FILES
from .folders import runs_root
from .format import FORMAT, STATUSES, RunError
from .run import Run, list_runs
from .tensorboard import EventWriter

__all__ = ["FORMAT", "MODEL_FILES", "STATUSES", "DiskFullError", "EpochRecorder",
           "EventWriter", "Run", "RunError", "list_runs", "make_callback", "runs_root",
           "status_name"]


def status_name(status: str) -> str:
    """A run's status (one of ``STATUSES``, or "unreadable" for a damaged run) as a person
    reads it; the run files keep the English word."""
    names = {"running": _("running"), "finished": _("finished"),
             "interrupted": _("interrupted"), "failed": _("failed"),
             "unreadable": _("unreadable")}
    return names.get(status, status)
