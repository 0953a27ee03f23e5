"""``redes train``, ``redes evaluate`` and ``redes predict``: a recipe into a run, and a
run's model on its test set or on new inputs."""

from __future__ import annotations

import typer

from redes.i18n import _

from ._common import (
    RUNS_HELP,
    folder_of,
    friendly,
    interrupted,
    load_recipe_arg,
    recipe_message,
)


def _resolve_recipe_args(recipe: str, overrides, epochs) -> dict:
    """The recipe that ``redes train RECIPE --set ... --epochs N`` trains; its errors name
    RECIPE or --set."""
    from redes import recipes, training_runs

    try:
        resolved = training_runs.resolve_recipe(load_recipe_arg(recipe))
    except recipes.RecipeError as exc:
        raise ValueError(f"RECIPE: {recipe_message(exc)}") from None
    try:
        return training_runs.resolve_recipe(resolved, overrides, epochs)
    except recipes.RecipeError as exc:
        raise ValueError(f"--set: {recipe_message(exc)}") from None


@friendly(path="--resume", run="--resume", model="--resume", epochs="--epochs",
          name="RECIPE", recipe="RECIPE", seed="--seed", engine="--engine", overrides="--set")
def train(
    recipe: str = typer.Argument(None, metavar="RECIPE", help=_(
        "A recipe name (see `redes recipes`) or a recipe JSON file.")),
    engine: str | None = typer.Option(None, "--engine", "-e", help=_(
        "numpy or keras (default: numpy).")),
    epochs: int | None = typer.Option(None, min=1, help=_(
        "Train this many epochs. With --resume: train the run up to this many epochs in all "
        "(more than it planned, to extend it).")),
    set_: list[str] = typer.Option(None, "--set", help=_(
        "Change a recipe field, e.g. --set fit.batch_size=64 (repeatable).")),
    seed: int | None = typer.Option(None, min=0, help=_("Random seed (default: 0).")),
    runs: str | None = typer.Option(None, help=RUNS_HELP),
    resume: str | None = typer.Option(None, help=_(
        "Continue this interrupted run (a folder) with its own recipe, engine and seed.")),
    verbose: int = typer.Option(1, min=0, max=2, help=_(
        "0 quiet, 1 progress bar, 2 a line per epoch.")),
):
    """Train a recipe and write a run folder."""
    from rich.console import Console

    from redes import training_runs
    from redes.data import DatasetNotFoundError

    if not resume and recipe is None:
        raise ValueError(_("RECIPE: give a recipe name, e.g. redes train digits (`redes "
                           "recipes` lists them), or --resume RUN"))
    if engine not in (None, "numpy", "keras"):
        raise ValueError(_("--engine: expected numpy or keras, got {value!r}").format(
            value=engine))
    try:
        if resume:
            given = None if recipe is None else load_recipe_arg(recipe)
            run, result = training_runs.resume(resume, verbose=verbose, epochs=epochs,
                                               recipe=given, engine=engine, seed=seed,
                                               overrides=set_ or (), root=runs)
        else:
            resolved = _resolve_recipe_args(recipe, set_ or (), epochs)
            try:
                run, result = training_runs.train(resolved, engine or "numpy", seed=seed or 0,
                                           root=runs, verbose=verbose)
            except DatasetNotFoundError as exc:
                variant = resolved.get("offline_variant")
                if not variant:
                    raise
                raise FileNotFoundError(_("{problem}\nWithout it, the recipe {variant} trains "
                                          "a similar problem offline: redes train "
                                          "{variant}").format(problem=exc, variant=variant)
                                        ) from None
    except training_runs.Interrupted as stop:
        interrupted(_("{path} keeps its last finished epoch; continue it with: redes train "
                      "--resume {path}").format(path=stop.run.path))
        raise typer.Exit(130) from None
    _print_measures(Console(), run, result)


def _print_measures(console, run, result):
    from rich.markup import escape
    from rich.table import Table

    console.print(f"[bold]{escape(run.title)}[/bold] ({run.engine})")
    table = Table()
    table.add_column(_("measure"))
    table.add_column(_("value"), justify="right")
    for key, value in {**result.measures(), **{f"test_{k}": v for k, v in result.test.items()}
                       }.items():
        table.add_row(key, f"{value:.4f}")
    console.print(table)
    console.print(_("run: [bold]{path}[/bold]").format(path=escape(str(run.path))),
                  soft_wrap=True)


@friendly(path="RUN", model="RUN")
def evaluate(run: str = typer.Argument(..., metavar="RUN", help=_("A run folder."))):
    """Score a run's saved model on its recipe's test set."""
    from rich.console import Console
    from rich.table import Table

    from redes import training_runs

    r, logs, count = training_runs.evaluate(run)
    console = Console()
    console.print(_("[bold]{name}[/bold] on its test set ({count} samples)").format(
        name=r.name, count=count))
    table = Table()
    table.add_column(_("metric"))
    table.add_column(_("value"), justify="right")
    for key, value in logs.items():
        table.add_row(key, f"{value:.4f}")
    console.print(table)


@friendly(path="RUN", model="RUN", inputs="INPUT")
def predict(
    run: str = typer.Argument(..., metavar="RUN", help=_("A run folder.")),
    input: str = typer.Argument(..., metavar="INPUT", help=_(
        "Inputs: a .csv (one sample per row, no header) or a .npy file, before "
        "preprocessing.")),
    output: str | None = typer.Option(None, "--output", "-o", help=_(
        "CSV file for the predictions (default: print them).")),
):
    """Predict with a run's model: raw inputs in (CSV or NPY), predictions out as CSV."""
    import sys
    from pathlib import Path

    import numpy as np

    from redes import training_runs

    y = training_runs.predict(run, input)
    header = ",".join(f"output_{i}" for i in range(y.shape[1]))
    if output:       # written whole, then renamed over the old file: a kill loses nothing
        import io

        from redes._base.files import write_text

        text = io.StringIO()
        np.savetxt(text, y, delimiter=",", header=header, comments="", fmt="%.6g")
        folder_of(output)
        write_text(Path(output), text.getvalue())
        typer.echo(_("wrote {count} predictions to {path}").format(count=len(y), path=output))
    else:
        np.savetxt(sys.stdout, y, delimiter=",", header=header, comments="", fmt="%.6g")
