"""Lesson: regression of Boston house prices with k-fold validation.

Predict the median price of homes in a Boston suburb of the 1970s, in thousands of dollars,
from 13 features. With only 404 training rows a single validation set would give a noisy
score, so the course uses k-fold validation: the training rows are cut into 4 folds, 4
models are trained, each validated on one fold, and their scores averaged. Each fold's
features are normalized with the mean and standard deviation of its own training folds;
the test set is never looked at. The network: Dense 64 ReLU, Dense 64 ReLU and one linear
unit, RMSprop on the mean squared error, mean absolute error (MAE) as metric.

The averaged validation MAE per epoch, smoothed, shows where overfitting begins; the final
model is then trained on all the training rows for that many epochs and scored on the test
set.

Column B of this table encodes the proportion of Black residents of each town; it is kept to
reproduce the course, but the dataset should only be used to study such ethical problems
(see ``redes.data.boston``).

Training: RMSprop (learning rate 0.001), batches of 8, 50 epochs per fold and 50 for the
final model. The course trains longer with batches of 16; smaller batches reach the same
error in fewer epochs, which keeps the Keras engine (whose time goes per epoch) fast.

Expected result: a k-fold validation MAE of about 2.35 (thousands of dollars; 2.3-2.5 over
seeds 0-2) and a test MAE of about 2.6-2.7 (2.5-2.9), on both engines.
"""

from redes.i18n import N_

RECIPE = {
    "name": "boston",
    "title": N_("Boston housing: regression with Dense 64-64-1 and 4-fold validation"),
    "lesson": N_(
        "Predict house prices (thousands of dollars) with Dense 64, Dense 64 and a linear "
        "unit trained on the MSE. With 404 rows, 4-fold validation (normalization fitted on "
        "the training folds only) gives a reliable validation MAE and the epoch to stop at; "
        "the final model trains on all training rows and is scored once on the test set."
    ),
    "dataset": {"name": "boston_housing", "kwargs": {}},
    "preprocessing": [["normalize", {}]],
    "task": {"type": "regression", "target": "median home value, thousands of dollars"},
    "model": {
        "layers": [
            ["Dense", {"units": 64, "activation": "relu"}],
            ["Dense", {"units": 64, "activation": "relu"}],
            ["Dense", {"units": 1}],
        ],
        "optimizer": "rmsprop",
        "loss": "mse",
        "metrics": ["mae"],
    },
    "fit": {"epochs": 50, "batch_size": 8},
    "evaluation": {"kfold": 4, "retrain_epochs": 50, "smoothing": 0.9},
    "expected": {"kfold_val_mae": {"max": 2.6}, "test_mae": {"max": 2.9}},
    "plots": ["kfold_curve", "learning_curves"],
    "search_space": {
        "learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
        "units": {"type": "choice", "values": [16, 32, 64, 128]},
        "layers": {"type": "int", "low": 1, "high": 3},
        "dropout": {"type": "uniform", "low": 0.0, "high": 0.3},
        "l2": {"type": "log_uniform", "low": 1e-5, "high": 1e-2},
        "batch_size": {"type": "choice", "values": [8, 16, 32, 64]},
        "optimizer": {"type": "choice", "values": ["rmsprop", "adam"]},
        "epochs": {"type": "int", "low": 20, "high": 200},
    },
}
