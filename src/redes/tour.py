"""``redes tour``: every offline recipe of the course, trained on both engines, in one report.

Each recipe is trained first by the NumPy engine and then by Keras starting from the same
weights, so the two columns of results differ only by how each engine computes. Every
training writes a run directory; the tour ends with one HTML report of all of them.
"""

from __future__ import annotations

import time
from pathlib import Path

from .i18n import _, translated


def _headline(result) -> str:
    """The recipe's main result as text: accuracy for classifiers, MAE for regression."""
    measures = result.measures()
    for key in ("test_accuracy", "kfold_val_mae", "test_mae"):
        if key in measures:
            value = measures[key]
            return f"{value:.2%}" if "accuracy" in key else f"MAE {value:.2f}"
    return _("loss {value:.4f}").format(value=result.test.get("loss", float("nan")))


def run_tour(engines=("numpy", "keras"), epochs=None, seed=0, root=None, output=None,
             names=None) -> dict:
    """Train the offline recipes on ``engines`` and write the HTML report.

    Args:
        engines: engines to run, in order; the first one's initial weights are reused.
        epochs: train every recipe this many epochs instead of its own. Defaults to None.
        seed: random seed. Defaults to 0.
        root: runs folder. Defaults to ``$REDES_RUNS`` or ``./runs``.
        output: the HTML report. Defaults to ``tour.html`` in the runs folder.
        names: recipes to run. Defaults to every offline recipe whose data can be made on
            this machine (the others are named, with what to install).

    Returns:
        ``{"results": {(recipe, engine): TrainResult}, "runs": [Run...], "report": Path}``.
    """
    from rich.console import Console
    from rich.table import Table

    from . import recipes, training_runs
    from .data import info
    from .report import write_report
    from .runs import runs_root

    console = Console()
    if names is None:
        names = []
        for name in recipes.offline_names():
            dataset = recipes.get(name)["dataset"]["name"]
            if info(dataset).offline:
                names.append(name)
            else:   # MNIST-1D without the mnist1d package, say
                console.print(_("[yellow]{name} skipped[/yellow]: its dataset {dataset!r} "
                                "cannot be made on this machine (see redes data list; pip "
                                "install -e '.\\[data]' brings MNIST-1D)").format(
                                    name=name, dataset=dataset))
    results, runs = {}, []
    started = time.perf_counter()
    for i, name in enumerate(names, 1):
        recipe = recipes.get(name)
        console.print(f"[bold]{i}/{len(names)} {translated(recipe['title'])}[/bold]")
        start_weights = None
        for engine in engines:
            with console.status(_("  {name}: training on {engine}...").format(name=name,
                                                                               engine=engine)):
                run, result = training_runs.train(recipe, engine, seed=seed, epochs=epochs,
                                           root=root, verbose=0, initial_weights=start_weights)
            start_weights = result.initial_weights
            results[(name, engine)] = result
            runs.append(run)
            console.print(f"  {engine:6s} {_headline(result):>12s}  "
                          f"({result.timings['total']:.1f}s)")

    if len(engines) > 1:
        console.print(_("[bold]redes tour[/bold]: the same recipes on {engines}, from the same "
                        "initial weights").format(engines=_(" and ").join(engines)))
    else:
        console.print(_("[bold]redes tour[/bold]: the recipes on the {engine} engine").format(
            engine=engines[0]))
    table = Table()
    table.add_column(_("recipe"))
    for engine in engines:
        table.add_column(engine, justify="right")
    for name in names:
        table.add_row(name, *(f"{_headline(results[(name, e)])} "
                              f"({results[(name, e)].timings['total']:.0f}s)" for e in engines))
    console.print(table)
    output = Path(output) if output else runs_root(root) / "tour.html"
    report = write_report(runs, output, title="redes tour")
    console.print(_("report: [bold]{report}[/bold] (open it in a browser); {seconds:.0f}s in "
                    "all").format(report=report, seconds=time.perf_counter() - started))
    return {"results": results, "runs": runs, "report": report}
