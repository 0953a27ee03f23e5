"""Hyperparameter search over a recipe's ``search_space`` with Optuna (``redes tune``).

Example::

    >>> from redes.tune import run_study
    >>> result = run_study("boston", trials=30)          # SQLite in runs/tune/boston-numpy.db
    >>> result.best["value"], result.best["params"]
    >>> result.best_recipe_path                           # redes train <that file>

Several processes can share one study: ``workers=4`` starts 4 local processes, and
``storage="postgresql://user:password@host/db"`` lets processes on other machines join the
same ``study_name``. Trials write TensorBoard scalars and HParams data, which
``redes.tune.board()`` shows. ``keras_strategy`` (in ``redes.tune.scaling``) spreads one
Keras training over several GPUs or CPU devices.

Optuna (and TensorFlow) are imported only when a function here runs.
"""

from __future__ import annotations

from .results import FIGURE_CAPTIONS, StudyResult
from .scaling import keras_strategy
from .space import TuneError, check_space, objective_of, suggest, trial_recipe
from .study import figures, load, run_study
from .tracking import board, board_command

__all__ = ["FIGURE_CAPTIONS", "StudyResult", "TuneError", "board", "board_command",
           "check_space", "figures", "keras_strategy", "load", "objective_of", "run_study",
           "suggest", "trial_recipe"]
