"""The ``redes`` command and its subcommands, with their help in the user's language.

Every command imports what it needs when it runs, so ``redes --help`` answers at once
(TensorFlow, in particular, is imported only by commands that use the Keras engine).
The help texts are translated when this module is imported: ``redes.cli.main`` chooses the
language (``--lang``, ``REDES_LANG``, the locale) before it imports it.
"""

from __future__ import annotations

import typer

from redes.i18n import _, available_languages, set_language

from . import course, info, playground, runs, training, tune
from ._framework import Command, Group, install

install()


def _choose_language(lang: str | None) -> None:
    if lang is None:
        return
    try:
        set_language(lang)
    except ValueError:
        raise typer.BadParameter(_("expected one of {options}, got {value!r}").format(
            options=", ".join(available_languages()), value=lang), param_hint="--lang") from None


app = typer.Typer(
    cls=Group,
    help=_("redes: neural networks from scratch in NumPy and with Keras."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    lang: str | None = typer.Option(None, "--lang", metavar="es|en", help=_(
        "Language of the messages (default: REDES_LANG, then the locale: Spanish for es_*, "
        "English otherwise)."), callback=_choose_language, is_eager=True),
):
    """redes: neural networks from scratch in NumPy and with Keras."""



def _commands():
    """``(group, name, function, help)`` of every command, in the order of ``redes --help``."""
    return (
        (app, "info", info.info, _("Versions, the Keras backend and the devices (CPU, GPU) "
                                   "available for training.")),
        (app, "train", training.train, _("Train a recipe and write a run folder (history, "
                                         "model, plots, TensorBoard).")),
        (app, "evaluate", training.evaluate, _("Score a run's saved model on its recipe's "
                                               "test set.")),
        (app, "predict", training.predict, _("Predict with a run's model: raw inputs in (CSV "
                                             "or NPY), predictions out as CSV.")),
        (app, "runs", runs.runs_, _("List the runs: recipe, engine, status, epochs and "
                                    "final metrics.")),
        (app, "compare", runs.compare, _("Overlay the learning curves of several runs on one "
                                         "plot.")),
        (app, "report", runs.report, _("Write one self-contained HTML report with the "
                                       "figures and results of runs.")),
        (app, "recipes", course.recipes, _("List the recipes: the course's lessons, and "
                                           "whether their data is on this machine.")),
        (app, "tour", course.tour, _("Train every offline recipe on the engines (both by "
                                     "default) and write one HTML report.")),
        (app, "tune", tune.tune, _("Search a recipe's hyperparameters with Optuna; write the "
                                   "best one as a recipe JSON. Ctrl+C stops it and keeps the "
                                   "trials that ended.")),
        (app, "board", tune.board, _("TensorBoard on the runs and studies, at "
                                     "http://127.0.0.1:PORT (Ctrl+C stops it).")),
        (app, "playground", playground.playground, _(
            "Play with a network in the browser, like the TensorFlow Playground (Ctrl+C stops "
            "it).")),
        (data_app, "list", course.data_list, _("Every dataset: its task, where it comes "
                                               "from, and whether it loads offline now.")),
        (data_app, "add", course.data_add, _(
            "Register a dataset file you downloaded, so redes finds it offline. The file "
            "replaces an earlier copy only if every recipe on the dataset can load it.")),
    )


data_app = typer.Typer(cls=Group, help=_("Datasets: list them, register a downloaded file."),
                       no_args_is_help=True)
for group, name, function, text in _commands():
    group.command(name, cls=Command, help=text)(function)
app.add_typer(data_app, name="data")
