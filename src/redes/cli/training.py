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
    from redes import recipes, runner

    try:
        resolved = runner.resolve_recipe(load_recipe_arg(recipe))
    except recipes.RecipeError as exc:
        raise ValueError(f"RECIPE: {recipe_message(exc)}") from None
    try:
        return runner.resolve_recipe(resolved, overrides, epochs)
    except recipes.RecipeError as exc:
        raise ValueError(f"--set: {recipe_message(exc)}") from None


def _differences(a, b, where="") -> list[str]:
    """The dotted keys (``fit.batch_size``) whose values differ between two recipes."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in {**a, **b} for d in _differences(a.get(k), b.get(k),
                                                            f"{where}{k}.")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y,
                                                                             f"{where}{i}.")]
    return [] if a == b else [where.rstrip(".")]


def _check_resume_args(path, recipe, engine, seed, overrides, runs) -> None:
    """Refuse a RECIPE, --engine, --seed, --set or --runs given with ``--resume RUN`` that
    differs from what the run recorded: a run goes on as it started, in its own folder
    (equal values are fine)."""
    from redes import recipes
    from redes.runs import Run, runs_root

    run = Run.open(path)
    recorded = run.config["recipe"]
    if runs is not None and runs_root(runs).resolve() != run.path.resolve().parent:
        raise ValueError(_("--runs: {name} is in {folder}, not in {runs}; a resumed run stays "
                           "in its folder: leave --runs out").format(
            name=run.name, folder=run.path.parent, runs=runs))

    def refuse(option, why, new_run):
        raise ValueError(_("{option}: {why}; a run goes on as it started: leave {option} out "
                           "to continue {name}, or start a new run with redes train "
                           "{new_run}").format(option=option, why=why, name=run.name,
                                               new_run=new_run))

    if recipe is not None:
        given = load_recipe_arg(recipe)
        name = given if isinstance(given, str) else (given.get("name")
                                                     if isinstance(given, dict) else None)
        if name != run.recipe:
            refuse("RECIPE", _("{run} trains the recipe {recipe!r}, not {name!r}").format(
                run=run.name, recipe=run.recipe, name=name), recipe)
        if isinstance(given, dict):
            ignore = ("fit.epochs", "evaluation.retrain_epochs")   # --epochs changes them
            differ = [k for k in _differences(recorded, given) if k not in ignore]
            if differ:
                refuse("RECIPE", _("{file} differs from the recipe {run} was trained with (in "
                                   "{keys})").format(file=recipe, run=run.name,
                                                     keys=", ".join(differ[:5])), recipe)
    if engine is not None and engine != run.engine:
        refuse("--engine", _("{run} trains on {engine}, not {given}").format(
            run=run.name, engine=run.engine, given=engine), f"{run.recipe} --engine {engine}")
    recorded_seed = run.config.get("seed") or 0
    if seed is not None and seed != recorded_seed:
        refuse("--seed", _("{run} was started with seed {seed}, not {given}").format(
            run=run.name, seed=recorded_seed, given=seed), f"{run.recipe} --seed {seed}")
    if overrides:
        try:
            changed = recipes.apply_overrides(recorded, list(overrides))
        except recipes.RecipeError as exc:
            raise ValueError(f"--set: {recipe_message(exc)}") from None
        differ = _differences(recorded, changed)
        if differ:
            key = differ[0]
            value = recorded
            for part in key.split("."):
                value = value[int(part)] if isinstance(value, list) else value.get(part)
            hint = (_(" (--epochs N with --resume trains it up to N epochs in all)")
                    if key in ("fit.epochs", "evaluation.retrain_epochs") else "")
            refuse("--set", _("{run} was trained with {key}={value!r}{hint}").format(
                run=run.name, key=key, value=value, hint=hint),
                f"{run.recipe} " + " ".join(f"--set {o}" for o in overrides))


@friendly(path="--resume", run="--resume", model="--resume", epochs="--epochs",
          name="RECIPE", seed="--seed", engine="--engine")
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

    from redes import runner
    from redes.data import DatasetNotFoundError

    if not resume and recipe is None:
        raise ValueError(_("RECIPE: give a recipe name, e.g. redes train digits (`redes "
                           "recipes` lists them), or --resume RUN"))
    if engine not in (None, "numpy", "keras"):
        raise ValueError(_("--engine: expected numpy or keras, got {value!r}").format(
            value=engine))
    try:
        if resume:
            _check_resume_args(resume, recipe, engine, seed, set_, runs)
            run, result = runner.resume(resume, verbose=verbose, epochs=epochs)
        else:
            resolved = _resolve_recipe_args(recipe, set_ or (), epochs)
            try:
                run, result = runner.train(resolved, engine or "numpy", seed=seed or 0,
                                           root=runs, verbose=verbose)
            except DatasetNotFoundError as exc:
                variant = resolved.get("offline_variant")
                if not variant:
                    raise
                raise FileNotFoundError(_("{problem}\nWithout it, the recipe {variant} trains "
                                          "a similar problem offline: redes train "
                                          "{variant}").format(problem=exc, variant=variant)
                                        ) from None
    except runner.Interrupted as stop:
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

    from redes.engines.training import prepare_data
    from redes.runs import Run

    r = Run.open(run)
    model = r.load_model()
    data = prepare_data(r.config["recipe"], r.config.get("seed") or 0)
    logs = model.evaluate(data["x_test"], data["y_test"], verbose=0, return_dict=True)
    console = Console()
    console.print(_("[bold]{name}[/bold] on its test set ({count} samples)").format(
        name=r.name, count=len(data["x_test"])))
    table = Table()
    table.add_column(_("metric"))
    table.add_column(_("value"), justify="right")
    for key, value in logs.items():
        table.add_row(key, f"{float(value):.4f}")
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

    from redes import runner

    y = runner.predict(run, input)
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
