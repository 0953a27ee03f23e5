"""Accuracy of the course's recipes on both engines, from the same initial weights.

Every offline recipe (``redes.recipes.offline_names()``) is trained, for each of a few fixed
seeds, by the NumPy engine and then by Keras starting from the NumPy model's initial
weights. The table gives, per recipe and measure, the target of the recipe (``expected``),
each engine's mean over the seeds (with the lowest and highest run), the difference between
the engines' means and the mean time of one run (data, training and evaluation).

A target must hold on every run. The engines agree when their means differ by at most 1
point of accuracy, or 5% of a mean absolute error. The means are compared, not single runs,
because two runs from the same weights still see the data in a different order and drop
different units: on MNIST-1D that alone moves the test accuracy by about a point.

Usage::

    python benchmarks/bench_accuracy.py                   # every offline recipe, 3 seeds
    python benchmarks/bench_accuracy.py --recipes boston wine --seeds 0
    python benchmarks/bench_accuracy.py --write-docs      # also update docs/benchmarks.md

The exit status is 1 when a target is missed or the engines disagree.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

HEADING = "Accuracy of the course's recipes"
ACCURACY_TOLERANCE = 0.01   # 1 point
MAE_TOLERANCE = 0.05        # 5% of the MAE


def agree(measure: str, a: float, b: float) -> bool:
    """Whether two engines' values of ``measure`` agree within the tolerance."""
    if "mae" in measure:
        return abs(a - b) <= MAE_TOLERANCE * max(abs(a), abs(b))
    return abs(a - b) <= ACCURACY_TOLERANCE + 1e-9


def fmt(measure: str, value) -> str:
    if value is None:
        return "-"
    return f"{value:.2%}" if "accuracy" in measure else f"{value:.3f}"


def target(bound: dict, measure: str) -> str:
    parts = []
    if "min" in bound:
        parts.append(f">= {fmt(measure, bound['min'])}")
    if "max" in bound:
        parts.append(f"<= {fmt(measure, bound['max'])}")
    return " and ".join(parts)


def run(names, engines, seeds, epochs):
    """Train each recipe on each engine and seed; one row per (recipe, measure).

    For every seed the first engine starts from its own initialization and the others from
    the same initial weights. A target must hold for every seed; the engines are compared on
    the mean over the seeds.
    """
    import numpy as np

    from redes import recipes
    from redes.engines.training import train_recipe

    rows, failures = [], []
    for name in names:
        recipe = recipes.get(name)
        measures = {e: [] for e in engines}
        seconds = {e: [] for e in engines}
        skipped = None
        for seed in seeds:
            start = None
            for engine in engines:
                try:
                    result = train_recipe(recipe, engine, seed=seed, epochs=epochs,
                                          initial_weights=start)
                except ValueError as exc:  # e.g. a layer this engine does not have yet
                    skipped = str(exc)
                    break
                start = result.initial_weights
                measures[engine].append(result.measures())
                seconds[engine].append(result.timings["total"])
                shown = {k: round(v, 4) for k, v in result.measures().items()}
                print(f"{name} [{engine}, seed {seed}]: {shown} in "
                      f"{result.timings['total']:.1f}s", flush=True)
            if skipped:
                break
        if skipped:
            print(f"{name}: skipped ({skipped})", flush=True)
            rows.append([name, "-", "-", *(["skipped"] * len(engines)), "-", "-",
                         *(["-"] * len(engines))])
            failures.append(f"{name}: skipped")
            continue
        for measure, bound in recipe["expected"].items():
            values = {e: [m[measure] for m in measures[e]] for e in engines}
            means = [float(np.mean(values[e])) for e in engines]
            met = all(bound.get("min", -np.inf) <= v <= bound.get("max", np.inf)
                      for e in engines for v in values[e])
            same = len(means) < 2 or agree(measure, means[0], means[1])
            diff = "-" if len(means) < 2 else (
                f"{abs(means[0] - means[1]) * 100:.2f} pt" if "accuracy" in measure
                else f"{abs(means[0] - means[1]):.3f}")
            cells = [f"{fmt(measure, m)} ({fmt(measure, min(values[e]))}-"
                     f"{fmt(measure, max(values[e]))})" if len(seeds) > 1 else fmt(measure, m)
                     for e, m in zip(engines, means)]
            rows.append([name, measure, target(bound, measure), *cells, diff,
                         ("yes" if met else "NO") + (" / yes" if same else " / NO"),
                         *(f"{np.mean(seconds[e]):.1f}s" for e in engines)])
            if not met:
                failures.append(f"{name}: {measure} misses {target(bound, measure)}")
            if not same:
                failures.append(f"{name}: engines disagree on {measure}")
    return rows, failures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipes", nargs="*", help="recipe names (default: every offline one)")
    parser.add_argument("--engines", nargs="*", default=["numpy", "keras"])
    parser.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=None, help="override every recipe's epochs")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS threads (default 1: the recipes' matrices are small, and "
                             "more threads only contend on a busy machine); 0 leaves the "
                             "libraries' defaults")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    common.limit_threads(args.threads or None)

    from redes import recipes

    names = args.recipes or recipes.offline_names()
    start = time.perf_counter()
    rows, failures = run(names, args.engines, args.seeds, args.epochs)
    total = time.perf_counter() - start
    headers = ["recipe", "measure", "target", *args.engines,
               "difference", "target met / engines agree",
               *(f"{e} time" for e in args.engines)]
    align = "lll" + "r" * len(args.engines) + "rl" + "r" * len(args.engines)
    print()
    print("\n".join(common.environment()))
    print(common.text_table(headers, rows, align))
    print(f"\ntotal {total:.0f}s; " + ("all targets met, engines agree" if not failures
                                       else "; ".join(failures)))
    if args.write_docs:
        body = "\n".join([
            "`python benchmarks/bench_accuracy.py --write-docs`: every offline recipe trained "
            "by the NumPy engine and by Keras from the same initial weights, for the seeds "
            f"{', '.join(map(str, args.seeds))}. Each cell is the mean over the seeds (lowest "
            "and highest run in parentheses). Accuracies are on the test set; `test_mae` and "
            "`kfold_val_mae` (mean validation MAE of the 4 folds) are in thousands of "
            "dollars. A target must hold on every run; the engines agree when their means "
            "differ by at most 1 point of accuracy or 5% of a MAE. Single runs differ more: "
            "from the same weights the engines still shuffle and drop out differently, "
            "which moves MNIST-1D by up to 2 points and a Boston MAE by up to 0.25. "
            "Times are the mean of one run: data, training (all folds for k-fold) and "
            "evaluation, with one BLAS thread.",
            "",
            "```",
            *common.environment(),
            "```",
            "",
            common.markdown_table(headers, rows, align),
            "",
            f"Total time: {total:.0f} s.",
        ])
        print(f"wrote {common.update_docs_section(HEADING, body)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
