"""The ``redes`` command.

Every command imports what it needs when it runs, so ``redes --help`` answers at once
(TensorFlow, in particular, is imported only by commands that use the Keras engine).
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="redes: neural networks from scratch in NumPy and with Keras.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def devices() -> list[str]:
    """The devices the Keras engine can use, as TensorFlow sees them (CPU, GPU...)."""
    from redes.engines import import_keras

    try:
        import_keras()
    except RuntimeError:
        return []
    import tensorflow as tf

    return [f"{d.device_type}: {d.name}" for d in tf.config.list_physical_devices()]


@app.command()
def info(
    devices_: bool = typer.Option(
        True, "--devices/--no-devices",
        help="List the devices TensorFlow sees (imports TensorFlow, a few seconds).",
    ),
):
    """Versions, the Keras backend and the devices (CPU, GPU) available for training."""
    import os
    import platform

    from rich.console import Console
    from rich.table import Table

    import redes

    table = Table(title="redes", show_header=False)
    table.add_row("redes", redes.__version__)
    table.add_row("python", platform.python_version())
    table.add_row("platform", f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
    for name in ("numpy", "scikit-learn", "matplotlib", "tensorflow", "tensorflow-cpu", "keras",
                 "torch", "optuna", "fastapi"):
        v = _version(name)
        if v:
            table.add_row(name, v)
    table.add_row("NumPy engine", "redes.nn (CPU, NumPy)")
    if _version("keras"):
        table.add_row("Keras backend", os.environ.get("KERAS_BACKEND", "tensorflow"))
    else:
        table.add_row("Keras engine", "not installed: pip install 'redes[keras]'")
    if devices_ and _version("keras"):
        found = devices()
        table.add_row("devices", "\n".join(found) if found else "none found")
        if found and not any("GPU" in d for d in found):
            table.add_row("GPU", "none: the Keras engine runs on the CPU")
    Console().print(table)


def _fail(message: str, code: int = 2):
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(f"[bold red]error:[/bold red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _friendly(fn):
    """Show the messages of bad input (unknown recipe, missing data, bad file) without a
    traceback, and exit with code 2; and those of the machine (a full disk, a folder that
    cannot be written) with code 1."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except (ValueError, FileNotFoundError, RuntimeError) as exc:
            _fail(str(exc))
        except OSError as exc:
            _fail(str(exc), code=1)

    return wrapper


def _load_recipe_arg(recipe: str):
    """A recipe name, or the path of a recipe JSON file (exported by the playground or by
    ``redes tune``)."""
    import json
    from pathlib import Path

    if recipe.endswith(".json"):
        path = Path(recipe)
        if not path.is_file():
            raise FileNotFoundError(f"RECIPE: no such file {recipe}")
        try:
            return json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            raise ValueError(f"RECIPE: {recipe} is not valid JSON ({exc})") from exc
    return recipe


@app.command()
@_friendly
def train(
    recipe: str = typer.Argument(None, help="A recipe name (see `redes recipes`) or a recipe "
                                 "JSON file."),
    engine: str = typer.Option("numpy", "--engine", "-e", help="numpy or keras."),
    epochs: int | None = typer.Option(None, min=1, help="Train this many epochs."),
    set_: list[str] = typer.Option(None, "--set", help="Change a recipe field, e.g. "
                                   "--set fit.batch_size=64 (repeatable)."),
    seed: int = typer.Option(0, min=0, help="Random seed."),
    runs: str | None = typer.Option(None, help="Runs folder (default: $REDES_RUNS or ./runs)."),
    resume: str | None = typer.Option(None, help="Continue this interrupted run (a folder)."),
    verbose: int = typer.Option(1, min=0, max=2, help="0 quiet, 1 progress bar, 2 a line "
                                "per epoch."),
):
    """Train a recipe and write a run directory (history, model, plots, TensorBoard)."""
    from rich.console import Console

    from redes import runner

    console = Console()
    if not resume and recipe is None:
        raise ValueError("RECIPE: give a recipe name, e.g. redes train digits "
                         "(`redes recipes` lists them), or --resume RUN")
    if engine not in ("numpy", "keras"):
        raise ValueError(f"--engine: expected numpy or keras, got {engine!r}")
    try:
        if resume:
            run, result = runner.resume(resume, verbose=verbose)
        else:
            run, result = runner.train(_load_recipe_arg(recipe), engine, seed=seed,
                                       epochs=epochs, overrides=set_ or (), root=runs,
                                       verbose=verbose)
    except runner.Interrupted as stop:
        console.print(f"\n[yellow]interrupted[/yellow]: {stop.run.path} keeps its last "
                      f"finished epoch; continue it with: redes train --resume {stop.run.path}")
        raise typer.Exit(130) from None
    _print_measures(console, run, result)


def _print_measures(console, run, result):
    from rich.table import Table

    table = Table(title=f"{run.title} ({run.engine})")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in {**result.measures(), **{f"test_{k}": v for k, v in result.test.items()}
                       }.items():
        table.add_row(key, f"{value:.4f}")
    console.print(table)
    console.print(f"run: [bold]{run.path}[/bold]")


@app.command()
@_friendly
def evaluate(run: str = typer.Argument(..., help="A run folder.")):
    """Score a run's saved model on its recipe's test set."""
    from rich.console import Console
    from rich.table import Table

    from redes.engines.training import prepare_data
    from redes.runs import Run

    r = Run.open(run)
    model = r.load_model()
    data = prepare_data(r.config["recipe"], r.config.get("seed") or 0)
    logs = model.evaluate(data["x_test"], data["y_test"], verbose=0, return_dict=True)
    table = Table(title=f"{r.name}: test set ({len(data['x_test'])} samples)")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in logs.items():
        table.add_row(key, f"{float(value):.4f}")
    Console().print(table)


@app.command()
@_friendly
def predict(
    run: str = typer.Argument(..., help="A run folder."),
    input: str = typer.Argument(..., help="Inputs: a .csv (one sample per row, no header) or "
                                "a .npy file, before preprocessing."),
    output: str | None = typer.Option(None, "--output", "-o", help="CSV file for the "
                                      "predictions (default: print them)."),
):
    """Predict with a run's model: raw inputs in (CSV or NPY), predictions out as CSV."""
    import sys
    from pathlib import Path

    import numpy as np

    from redes.engines.training import prepare_data
    from redes.runs import Run

    r = Run.open(run)
    path = Path(input)
    if not path.is_file():
        raise FileNotFoundError(f"INPUT: no such file {input}")
    if path.suffix == ".npy":
        try:
            x = np.load(path, allow_pickle=False)
        except ValueError as exc:
            raise ValueError(f"INPUT: {input} is not a plain numeric .npy file ({exc})") from exc
    elif path.suffix == ".csv":
        try:
            x = np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)
        except ValueError as exc:
            raise ValueError(f"INPUT: {input} must hold numbers only, comma-separated "
                             f"({exc})") from exc
    else:
        raise ValueError(f"INPUT: expected a .csv or .npy file, got {input}")
    data = prepare_data(r.config["recipe"], r.config.get("seed") or 0)
    expected = data["raw"]["x_test"].shape[1:]
    if x.shape[1:] != expected:
        if x.ndim == 2 and int(np.prod(expected)) == x.shape[1]:
            x = x.reshape((len(x), *expected))
        else:
            raise ValueError(f"INPUT: expected samples of shape {expected} (one per row), got "
                             f"an array of shape {x.shape}")
    x, _ = data["preprocessor"].transform(x.astype(np.float32))
    y = np.asarray(r.load_model().predict(x, verbose=0)).reshape(len(x), -1)
    header = ",".join(f"output_{i}" for i in range(y.shape[1]))
    if output:
        np.savetxt(output, y, delimiter=",", header=header, comments="", fmt="%.6g")
        typer.echo(f"wrote {len(y)} predictions to {output}")
    else:
        np.savetxt(sys.stdout, y, delimiter=",", header=header, comments="", fmt="%.6g")


@app.command("runs")
@_friendly
def runs_(root: str | None = typer.Option(None, help="Runs folder.")):
    """List the runs: recipe, engine, status, epochs and final metrics."""
    from rich.console import Console
    from rich.table import Table

    from redes.runs import list_runs, runs_root

    rows = list_runs(root)
    table = Table(title=f"runs in {runs_root(root)}")
    for column in ("run", "engine", "status", "epochs", "test metrics", "time"):
        table.add_column(column)
    for row in rows:
        metrics = ", ".join(f"{k} {v:.4g}" for k, v in (row["metrics"] or {}).items()
                            if isinstance(v, (int, float)) and not k.startswith("test_"))
        epochs = f"{row['epochs']}/{row['planned_epochs'] or '?'}"
        seconds = f"{row['seconds']:.1f}s" if row["seconds"] else ""
        table.add_row(row["name"], row["engine"] or "", row["status"], epochs, metrics, seconds)
    Console().print(table if rows else "no runs yet: train one with redes train RECIPE")


@app.command()
@_friendly
def compare(
    runs: list[str] = typer.Argument(..., help="Run folders."),
    metric: str = typer.Option("val_loss", help="The curve to compare."),
    output: str = typer.Option("compare.png", "--output", "-o", help="PNG file to write."),
):
    """Overlay the learning curves of several runs on one plot."""
    from redes.report import figures
    from redes.runs import Run

    opened = [Run.open(path) for path in runs]
    missing = [r.name for r in opened if metric not in r.history]
    if missing:
        raise ValueError(f"--metric: {metric!r} is not in the history of {', '.join(missing)}")
    path = figures.compare({f"{r.name}": r for r in opened}, metric=metric, path=output)
    typer.echo(f"wrote {path}")


@app.command()
@_friendly
def report(
    runs: list[str] = typer.Argument(..., help="Run folders."),
    output: str = typer.Option("report.html", "--output", "-o", help="HTML file to write."),
    title: str = typer.Option("redes report", help="Title of the report."),
):
    """Write one self-contained HTML report with the figures and results of runs."""
    from redes.report import write_report

    typer.echo(f"wrote {write_report(runs, output, title=title)}")


@app.command()
@_friendly
def recipes():
    """List the recipes: the course's lessons, and whether their data is on this machine."""
    from rich.console import Console
    from rich.table import Table

    from redes import recipes as module
    from redes.data import info

    table = Table(title="recipes")
    for column in ("name", "lesson", "data"):
        table.add_column(column)
    for name in module.names():
        recipe = module.get(name)
        offline = info(recipe["dataset"]["name"]).offline
        note = "here" if offline else f"missing (offline: {recipe.get('offline_variant')})"
        table.add_row(name, recipe["title"], note)
    Console().print(table)


data_app = typer.Typer(help="Datasets: list them, register a downloaded file.",
                       no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("list")
@_friendly
def data_list():
    """Every dataset, its task and shapes, and whether it loads offline now."""
    from rich.console import Console
    from rich.table import Table

    from redes.data import available

    table = Table(title="datasets")
    for column in ("name", "task", "source", "offline", "description"):
        table.add_column(column)
    for item in available():
        d = item.to_dict()
        table.add_row(d["name"], d["task"], d["source"], "yes" if d["offline"] else "no",
                      d["description"])
    Console().print(table)


@data_app.command("add")
@_friendly
def data_add(
    name: str = typer.Argument(..., help="mnist, fashion_mnist, imdb, reuters or "
                               "boston_housing."),
    path: list[str] = typer.Argument(..., help="The file(s) Keras downloads for it."),
):
    """Register a dataset file you downloaded, so redes finds it offline."""
    from redes import data

    for written in data.add(name, *path):
        typer.echo(f"saved {written}")


@app.command()
@_friendly
def tour(
    engines: str = typer.Option("numpy,keras", help="Engines to run, comma-separated."),
    epochs: int | None = typer.Option(None, min=1, help="Override every recipe's epochs."),
    seed: int = typer.Option(0, min=0, help="Random seed."),
    runs: str | None = typer.Option(None, help="Runs folder (default: $REDES_RUNS or ./runs)."),
    output: str | None = typer.Option(None, "--output", "-o", help="HTML report (default: "
                                      "tour.html in the runs folder)."),
):
    """Train every offline recipe on both engines and write one HTML report."""
    from redes.tour import run_tour

    chosen = [e.strip() for e in engines.split(",") if e.strip()]
    bad = [e for e in chosen if e not in ("numpy", "keras")]
    if bad or not chosen:
        raise typer.BadParameter(
            f"expected engines among numpy, keras; got {engines!r}", param_hint="--engines"
        )
    run_tour(chosen, epochs=epochs, seed=seed, root=runs, output=output)


@app.command()
@_friendly
def tune(
    recipe: str = typer.Argument(None, help="A recipe name or a recipe JSON file; leave it "
                                 "out to join the study given by --study."),
    trials: int = typer.Option(20, min=1, help="Trials to run (split between the workers)."),
    engine: str = typer.Option("numpy", "--engine", "-e", help="numpy or keras."),
    study: str | None = typer.Option(None, help="Study name (default: RECIPE-ENGINE). The "
                                     "same name continues a study, or joins it from "
                                     "another machine."),
    storage: str | None = typer.Option(None, help="Database URL, e.g. postgresql://user:"
                                       "password@host:5432/db (default: the SQLite file "
                                       "RUNS/tune/STUDY.db)."),
    workers: int = typer.Option(1, min=1, help="Local worker processes sharing the study."),
    pruner: str = typer.Option("median", help="median, hyperband or none."),
    epochs: int | None = typer.Option(None, min=1, help="Train every trial this many "
                                      "epochs (epochs leaves the search space)."),
    timeout: float | None = typer.Option(None, min=0, help="Stop starting trials after "
                                         "this many seconds."),
    seed: int = typer.Option(0, min=0, help="Seed of the sampler and of every trial."),
    runs: str | None = typer.Option(None, help="Runs folder (default: $REDES_RUNS or ./runs)."),
):
    """Search a recipe's hyperparameters with Optuna; write the best one as a recipe JSON."""
    from rich.console import Console

    from redes.tune import run_study

    if pruner not in ("median", "hyperband", "none"):
        raise ValueError(f"--pruner: expected median, hyperband or none, got {pruner!r}")
    if recipe is None and study is None:
        raise ValueError("RECIPE: give a recipe name or JSON file (see `redes recipes`), or "
                         "--study NAME to join an existing study")
    result = run_study(_load_recipe_arg(recipe) if recipe else None, trials, engine=engine,
                       storage=storage, study_name=study, workers=workers, seed=seed,
                       pruner=None if pruner == "none" else pruner, epochs=epochs,
                       timeout=timeout, root=runs)
    console = Console()
    console.print(result.table())
    if result.best_recipe_path:
        console.print(f"best recipe: [bold]{result.best_recipe_path}[/bold] (train it with "
                      f"redes train {result.best_recipe_path})")
    console.print(f"study files: {result.folder}")


@app.command()
@_friendly
def board(
    runs: str | None = typer.Option(None, help="Folder to show (default: $REDES_RUNS or "
                                    "./runs); RUNS/tune/STUDY/tensorboard shows one study's "
                                    "HParams."),
    port: int = typer.Option(6006, min=0, max=65535, help="Port to listen on."),
):
    """TensorBoard on the runs and studies, at http://127.0.0.1:PORT (Ctrl+C stops it)."""
    from redes.tune import board as run_board
    from redes.tune import board_command

    board_command(runs, port=port)              # checks the folder, the port, TensorBoard
    typer.echo(f"TensorBoard on http://127.0.0.1:{port} (Ctrl+C stops it)")
    raise typer.Exit(run_board(runs, port=port))


@app.command()
def playground(
    host: str = typer.Option("127.0.0.1", help="Address to listen on; 127.0.0.1 keeps the "
                             "playground to this computer."),
    port: int = typer.Option(8765, min=1, max=65535, help="Port to listen on."),
    open_browser: bool = typer.Option(True, "--open/--no-open",
                                      help="Open the page in the web browser."),
):
    """Play with a network in the browser, like the TensorFlow Playground (Ctrl+C stops it)."""
    try:
        from redes.playground import serve
    except ImportError as exc:
        typer.echo(f"redes playground: {exc}; install it with: pip install 'redes[web]'",
                   err=True)
        raise typer.Exit(1) from None
    serve(host, port, open_browser)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
