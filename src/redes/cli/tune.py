"""``redes tune`` and ``redes board``: a hyperparameter search with Optuna, and TensorBoard
on the runs and studies."""

from __future__ import annotations

import typer

from redes.i18n import _

from ._common import RUNS_HELP, friendly, install_hint, interrupted, load_recipe_arg


@friendly(recipe="RECIPE", name="RECIPE", trials="--trials", engine="--engine",
          study_name="--study", storage="--storage", workers="--workers", pruner="--pruner",
          epochs="--epochs", timeout="--timeout", seed="--seed")
def tune(
    recipe: str = typer.Argument(None, metavar="RECIPE", help=_(
        "A recipe name or a recipe JSON file; leave it out to join the study given by "
        "--study.")),
    trials: int = typer.Option(20, min=1, help=_(
        "Trials to run (split between the workers).")),
    engine: str = typer.Option("numpy", "--engine", "-e", help=_("numpy or keras.")),
    study: str | None = typer.Option(None, help=_(
        "Study name (default: RECIPE-ENGINE). The same name continues a study, or joins it "
        "from another machine.")),
    storage: str | None = typer.Option(None, help=_(
        "Database URL, e.g. postgresql://user:password@host:5432/db (default: the SQLite "
        "file RUNS/tune/STUDY.db).")),
    workers: int = typer.Option(1, min=1, help=_("Local worker processes sharing the study.")),
    pruner: str = typer.Option("median", help=_(
        "median, hyperband or none. The median pruner waits for a few completed trials (at "
        "most 5) and never stops a trial in its first epochs.")),
    epochs: int | None = typer.Option(None, min=1, help=_(
        "Train every trial this many epochs (epochs leaves the search space).")),
    timeout: float | None = typer.Option(None, min=0, help=_(
        "Stop starting trials after this many seconds.")),
    seed: int = typer.Option(0, min=0, help=_("Seed of the sampler and of every trial.")),
    runs: str | None = typer.Option(None, help=RUNS_HELP),
):
    """Search a recipe's hyperparameters with Optuna."""
    import importlib.util

    if importlib.util.find_spec("optuna") is None:
        raise RuntimeError(_("redes tune needs Optuna: {command}").format(
            command=install_hint("tune")))
    from redes.tune import run_study
    from redes.tune.storage import mask
    from redes.tune.study import Interrupted

    if pruner not in ("median", "hyperband", "none"):
        raise ValueError(_("--pruner: expected median, hyperband or none, got {value!r}").format(
            value=pruner))
    if recipe is None and study is None:
        raise ValueError(_("RECIPE: give a recipe name or JSON file (see `redes recipes`), or "
                           "--study NAME to join an existing study"))
    try:
        result = run_study(load_recipe_arg(recipe) if recipe else None, trials,
                           engine=engine, storage=storage, study_name=study, workers=workers,
                           seed=seed, pruner=None if pruner == "none" else pruner,
                           epochs=epochs, timeout=timeout, root=runs)
    except Interrupted as stop:
        options = (("--storage", storage and mask(storage), None), ("--runs", runs, None),
                   ("--pruner", pruner, "median"), ("--workers", workers, 1))
        _say_how_to_continue(stop, options)
        raise typer.Exit(130) from None
    except KeyboardInterrupt:          # before the study was open: nothing ran
        interrupted(_("before the first trial"))
        raise typer.Exit(130) from None
    _show(result)


def _show(result) -> None:
    """The study's summary, its best trials, the best recipe and where the files are."""
    from rich.console import Console

    console = Console()
    console.print(result.summary(), soft_wrap=True)
    console.print(result.table())
    if result.best_recipe_path:
        console.print(_("best recipe: [bold]{path}[/bold] (train it with redes train "
                        "{path})").format(path=result.best_recipe_path), soft_wrap=True)
    console.print(_("study files: {folder}").format(folder=result.folder), soft_wrap=True)


def _say_how_to_continue(stop, options) -> None:
    """After Ctrl+C: how many trials ended, where the study is, and the command that goes on
    with it (``options``: ``(option, value, default)``, those given other than the default)."""
    import shlex

    name = stop.result.study_name
    command = ["redes", "tune", "--study", name, "--trials",
               str(max(1, stop.trials - stop.finished))]
    for option, value, default in options:
        if value != default:
            command += [option, str(value)]
    interrupted(_("{finished} of {trials} trials finished; the study {name} is saved in "
                  "{where}; continue it with: {command}").format(
        finished=stop.finished, trials=stop.trials, name=name,
        where=stop.result.storage.removeprefix("sqlite:///"), command=shlex.join(command)))


@friendly(port="--port", board="")
def board(
    runs: str | None = typer.Option(None, help=_(
        "Folder to show (default: $REDES_RUNS or ./runs); RUNS/tune/STUDY/tensorboard shows "
        "one study's HParams.")),
    port: int = typer.Option(6006, min=0, max=65535, help=_("Port to listen on.")),
):
    """TensorBoard on the runs and studies."""
    from redes.tune import board as run_board
    from redes.tune import board_command

    board_command(runs, port=port)              # checks the folder, the port, TensorBoard
    typer.echo(_("TensorBoard on http://127.0.0.1:{port} (Ctrl+C stops it)").format(port=port))
    raise typer.Exit(run_board(runs, port=port))
