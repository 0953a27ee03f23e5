"""Hyperparameter search on Boston housing: does ``redes tune`` beat the course's choice,
does its best configuration reproduce, and how much work does pruning save?

Steps (NumPy engine, 4-fold validation as in the course, every score is the k-fold mean
validation MAE, the measure ``redes train`` reports as ``kfold_val_mae``):

1. the course's hand-picked recipe (``redes.recipes.get("boston")``: Dense 64-64, RMSprop),
   for each of the seeds;
2. a study of ``--trials`` trials (TPE, seed 0) **with** median pruning, and the same study
   **without** pruning; their best scores, wall times and the epochs they trained. As
   ``redes tune`` does by default, each study's first trial is the course's configuration
   (moved into the search space: the lowest L2 of the range stands for no L2);
3. the best configuration of the pruned study written as a recipe and retrained with
   ``train_recipe`` for each seed: with seed 0 (the seed of the trials) it must give the
   study's score again; the other seeds show the noise of a score.

Checks (exit status 1 when one fails): the study's best score beats the hand-picked
recipe's (same seed, same folds); the retrained score with seed 0 equals the study's
(1e-6); pruning trains at most 70% of the epochs of the study without pruning; the two best
scores differ by less than the noise (twice the standard deviation over the seeds of the
retrained configuration, at least 0.1). The means over the seeds are printed too: a best
score picked among many trials is a little optimistic, and the other seeds show by how
much.

Usage::

    python benchmarks/bench_tune.py                  # 30 trials: 11 minutes on 2 busy cores
    python benchmarks/bench_tune.py --trials 10      # smoke run
    python benchmarks/bench_tune.py --write-docs     # also update docs/benchmarks.md
    python benchmarks/bench_tune.py --from-results /tmp/bench-tune-*/results.json --write-docs
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

HEADING = "Hyperparameter search"


def kfold_mae(recipe, seed):
    from redes.engines.training import train_recipe

    return train_recipe(recipe, "numpy", seed=seed).measures()["kfold_val_mae"]


def study(trials, pruner, root, name):
    from redes.tune import run_study

    start = time.perf_counter()
    result = run_study("boston", trials=trials, pruner=pruner, study_name=name, root=root,
                       progress=False, plots=pruner is not None)
    return result, time.perf_counter() - start


def measure(trials, seeds) -> dict:
    """Run the course's recipe, both studies and the retraining; every number, as JSON."""
    from redes import recipes
    from redes.tune.trial import score

    root = Path(tempfile.mkdtemp(prefix="bench-tune-"))
    out = {"trials": trials, "seeds": seeds, "environment": common.environment(),
           "folder": str(root)}
    print("\n".join(out["environment"]))
    t_start = time.perf_counter()
    course = recipes.get("boston")
    objective = {"name": "kfold_val_mae", "monitor": "val_mae", "direction": "minimize"}
    t0 = time.perf_counter()
    out["course"] = {"describe": _describe(course),
                     "scores": [score(course, "numpy", s, objective) for s in seeds]}
    out["course"]["seconds"] = (time.perf_counter() - t0) / len(seeds)
    print(f"course recipe: kfold_val_mae {out['course']['scores']}")
    for name, pruner in (("pruned", "median"), ("full", None)):
        result, seconds = study(trials, pruner, root, name)
        out[name] = {"best": result.best, "epochs": result.epochs_trained(),
                     "counts": result.counts(), "seconds": seconds}
        print(f"study {name}: best {result.best['value']:.4f} in {seconds:.0f} s, "
              f"{result.epochs_trained()} epochs, {result.counts()}")
        if name == "pruned":
            best_recipe = result.best_recipe
    out["retrained"] = [kfold_mae(best_recipe, s) for s in seeds]
    print(f"best configuration retrained with train_recipe: {out['retrained']}")
    out["seconds"] = time.perf_counter() - t_start
    out["load_average"] = common.load_average()
    (root / "results.json").write_text(json.dumps(out, indent=2))
    return out


def checks(r) -> dict:
    noise = max(0.1, 2 * statistics.pstdev(r["retrained"]))
    best, full = r["pruned"]["best"]["value"], r["full"]["best"]["value"]
    return {
        "the study's best beats the course's recipe (seed 0)": best < r["course"]["scores"][0],
        "retrained with the trials' seed, the best score comes back (1e-6)":
            abs(r["retrained"][0] - best) <= 1e-6 * best,
        "pruning saves at least 30% of the epochs": _saved(r) >= 0.30,
        f"pruned and unpruned best scores agree within the noise ({noise:.3f})":
            abs(best - full) <= noise,
    }


def _saved(r) -> float:
    return 1 - r["pruned"]["epochs"] / r["full"]["epochs"]


def _mean_std(values) -> str:
    return (f"{statistics.mean(values):.3f} ± {statistics.pstdev(values):.3f}"
            if len(values) > 1 else f"{values[0]:.3f}")


def table(r):
    pruned, full, course = r["pruned"], r["full"], r["course"]
    headers = ["", "epochs trained", "kfold_val_mae (seed 0)", "mean ± std over seeds",
               "epochs saved", "wall time"]
    rows = [
        [f"course recipe ({course['describe']})", "-", f"{course['scores'][0]:.3f}",
         _mean_std(course["scores"]), "-", f"{course['seconds']:.0f} s"],
        [f"study, median pruning ({pruned['counts'].get('PRUNED', 0)} of {r['trials']} "
         "pruned)", f"{pruned['epochs']:,}", f"{pruned['best']['value']:.3f}",
         _mean_std(r["retrained"]), f"{_saved(r):.0%}", f"{pruned['seconds']:.0f} s"],
        ["study, no pruning", f"{full['epochs']:,}", f"{full['best']['value']:.3f}", "-", "-",
         f"{full['seconds']:.0f} s"],
    ]
    return headers, rows


def docs_body(r) -> str:
    headers, rows = table(r)
    params = ", ".join(f"{k}={_short(v)}" for k, v in r["pruned"]["best"]["params"].items())
    seeds = ", ".join(map(str, r["seeds"]))
    fill = functools.partial(textwrap.fill, width=92)
    return "\n".join([
        fill(f"`python benchmarks/bench_tune.py`: Boston housing (4-fold validation, NumPy "
             f"engine), {r['trials']} trials per study, TPE sampler with seed 0, the recipe's "
             "search space (learning rate, units, layers, dropout, L2, batch size, optimizer, "
             "epochs 20-200); trial 0 of each study is the course's configuration. Scores are "
             "the k-fold mean validation MAE (thousands of dollars, lower is better); the "
             "mean ± std column trains the configuration again with `train_recipe` for the "
             f"seeds {seeds}. The whole run took {r['seconds'] / 60:.0f} minutes; load "
             f"average at its end {r['load_average']} (other work shared the cores)."),
        "",
        *[f"- {line}" for line in r["environment"]],
        "",
        common.markdown_table(headers, rows, "lrrrrr"),
        "",
        fill(f"Best configuration (study with pruning): {params}."),
        "",
        *[f"- {'ok' if ok else 'FAILED'}: {check}" for check, ok in checks(r).items()],
        "",
        fill("Pruning acts on the first fold's validation MAE per epoch (median pruner, from "
             "the 6th trial on, not in the first 20 epochs); a pruned trial skips the rest of "
             "its first fold and the three other folds. The two studies sample different "
             "points after the first pruned trial, so their best configurations differ; "
             "their scores agree within the noise."),
        "",
        fill(f"Reading: a study's best score is the best of {r['trials']} draws on one seed, "
             f"so it is optimistic. Trained with the seeds {seeds}, the best configuration "
             f"averages {_mean_std(r['retrained'])} against {_mean_std(r['course']['scores'])}"
             " for the course's recipe: on Boston's 404 training rows the seed alone moves a "
             "k-fold MAE by about 0.1, as much as the difference between good "
             "configurations, so compare configurations over several seeds before trusting "
             "a small gain."),
    ])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=30, help="trials per study (30)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2],
                        help="training seeds of the baseline and of the retrained best "
                             "configuration (0 1 2); the first is the trials' seed")
    parser.add_argument("--write-docs", action="store_true",
                        help="update the section of docs/benchmarks.md")
    parser.add_argument("--from-results", metavar="JSON",
                        help="report the results.json of an earlier run instead of measuring")
    args = parser.parse_args(argv)

    if args.from_results:
        r = json.loads(Path(args.from_results).read_text())
    else:
        r = measure(args.trials, args.seeds)
    headers, rows = table(r)
    print()
    print(common.text_table(headers, rows, "lrrrrr"))
    print(f"\nbest configuration: {r['pruned']['best']['params']}")
    results = checks(r)
    for check, ok in results.items():
        print(f"  [{'ok' if ok else 'FAILED'}] {check}")
    print(f"\nstudies, plots, best recipe and results.json in {r['folder']}")
    if args.write_docs:
        print(f"wrote {common.update_docs_section(HEADING, docs_body(r))}")
    return 0 if all(results.values()) else 1


def _describe(recipe) -> str:
    dense = [kw["units"] for cls, kw in recipe["model"]["layers"][:-1] if cls == "Dense"]
    optimizer = recipe["model"]["optimizer"]
    name = optimizer if isinstance(optimizer, str) else optimizer["class_name"]
    return (f"{'-'.join(map(str, dense))}, {name}, batch {recipe['fit']['batch_size']}, "
            f"{recipe['fit']['epochs']} epochs")


def _short(value):
    return f"{value:.3g}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    sys.exit(main())
