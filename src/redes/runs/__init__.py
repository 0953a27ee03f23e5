"""Run directories: what a training run leaves behind (config, history, metrics, model,
TensorBoard events, plots), and how to read and list them.

Example::

    from redes.runs import Run

    with Run.create("digits", "numpy", recipe) as run:
        model.fit(x, y, epochs=20, validation_split=0.2, callbacks=[run.callback()])
        run.finish(model.evaluate(x_test, y_test, return_dict=True))
"""

from redes._base.files import DiskFullError

from .callbacks import EpochRecorder, make_callback
from .run import FORMAT, MODEL_FILES, STATUSES, Run, RunError, list_runs, runs_root
from .tensorboard import EventWriter

__all__ = ["FORMAT", "MODEL_FILES", "STATUSES", "DiskFullError", "EpochRecorder",
           "EventWriter", "Run", "RunError", "list_runs", "make_callback", "runs_root"]
