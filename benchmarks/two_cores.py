"""What a second core gives the redes engine on the CNN and the LSTM, beside PyTorch.

``bench_cnn.py`` and ``bench_lstm.py`` measure redes with 2 threads as a learner runs it:
OpenBLAS splits each of the CNN's matrix products between the cores, and NumPy runs
everything else on one; the LSTM, a small model, keeps one BLAS thread and hands its weight
gradients to a helper thread on the second core (``redes.nn.cores``). This script asks
how far any use of the second core could take a NumPy engine. In one process, alternating
round after round, it times one epoch of each model for:

1. ``pytorch, 2 threads`` (the reference) and ``pytorch, 1 thread``;
2. ``redes, 2 threads`` and ``redes, 1 thread``: ``fit`` with 2 threads allowed (as above)
   or with 1;
3. ``redes, half batch per thread``: data parallelism on Python threads. Two copies of the
   model, each on its own thread with half of every batch (32 samples) and a one-thread
   BLAS; NumPy releases the interpreter's lock inside each operation, so the two can
   overlap. The copies do not exchange gradients, so this costs less than real data
   parallelism would;
4. ``redes, half batch per process``: the same in two processes of their own (started
   once, each told to run its epoch by a message), so that no lock is shared; they do not
   exchange gradients either;
5. ``redes, ideal two cores``: half the epoch, in batches of 32, on one thread, alone. Two
   cores that each trained half of every batch at one core's full speed, with nothing
   shared and no cost for adding the two halves' gradients, would finish the whole epoch
   in this time: it is the best that splitting each batch between two cores can do, and
   the table gives it as a rate over the whole epoch.

Threads are switched between measurements (``threadpoolctl`` for NumPy's BLAS,
``torch.set_num_threads``), so the process starts with 2 threads in every library.

Usage::

    python benchmarks/two_cores.py                # both models (about 2 minutes)
    python benchmarks/two_cores.py --quick        # smoke run (under a minute)
    python benchmarks/two_cores.py --models lstm  # one of them
    python benchmarks/two_cores.py --write-docs   # also update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_cnn  # noqa: E402
import bench_lstm  # noqa: E402
import common  # noqa: E402

HEADING = "What a second core can give"
MODELS = {"cnn": bench_cnn, "lstm": bench_lstm}
TITLES = {"cnn": "CNN (bench_cnn.py's model)", "lstm": "LSTM (bench_lstm.py's model)"}
SAMPLES = {"cnn": 3_200, "lstm": 1_024}
BATCH = 64
REFERENCE = "pytorch, 2 threads"
IDEAL = "redes, ideal two cores"


def with_threads(n: int, work):
    """``work`` as a function that runs it with ``n`` threads in NumPy's BLAS and in
    PyTorch, then puts 2 back."""
    import torch
    from threadpoolctl import threadpool_limits

    def run():
        torch.set_num_threads(n)
        try:
            with threadpool_limits(limits=n):
                work()
        finally:
            torch.set_num_threads(2)
    return run


def half(module, x, y, part: int):
    """A redes model training on half of ``x`` (part 0 or 1) in batches of half the size."""
    n = len(x) // 2
    return module.Redes(x[part * n:(part + 1) * n], y[part * n:(part + 1) * n], BATCH // 2)


def half_batch_per_thread(module, x, y):
    """Two copies of the redes model, each training on half the samples in batches of half
    the size, on two Python threads at once."""
    copies = [half(module, x, y, part) for part in range(2)]

    def epoch():
        threads = [threading.Thread(target=c.epoch) for c in copies]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return epoch


def process_worker(model: str, samples: int, part: int, conn) -> None:
    """In a process of its own: train half of ``samples`` (part 0 or 1) in batches of half
    the size with a one-thread BLAS, one epoch each time the parent sends a message, until
    the parent closes its end of the pipe."""
    common.limit_threads(1)
    module = MODELS[model]
    runner = half(module, *module.make_data(samples), part)
    while True:
        try:
            conn.recv()
        except EOFError:
            return
        runner.epoch()
        conn.send(True)


def half_batch_per_process(model: str, samples: int):
    """Two processes as in ``process_worker``; the function returned runs one epoch in both
    at once and waits for them (the processes end with this one)."""
    spawn = multiprocessing.get_context("spawn")
    conns = []
    for part in range(2):
        parent, child = spawn.Pipe()
        spawn.Process(target=process_worker, args=(model, samples, part, child),
                      daemon=True).start()
        conns.append(parent)

    def epoch():
        for conn in conns:
            conn.send(True)
        for conn in conns:
            conn.recv()
    return epoch


def contenders(model: str, samples: int) -> dict:
    """``{name: function}``, each function one measured epoch of ``samples`` samples (the
    ideal: half of them, see the module's description)."""
    module = MODELS[model]
    x, y = module.make_data(samples)
    torch = module.Torch(x, y, BATCH)
    redes = module.Redes(x, y, BATCH)
    return {
        REFERENCE: with_threads(2, torch.epoch),
        "pytorch, 1 thread": with_threads(1, torch.epoch),
        "redes, 2 threads": with_threads(2, redes.epoch),
        "redes, 1 thread": with_threads(1, redes.epoch),
        "redes, half batch per thread": with_threads(1, half_batch_per_thread(module, x, y)),
        "redes, half batch per process": half_batch_per_process(model, samples),
        IDEAL: with_threads(1, half(module, x, y, 0).epoch),
    }


def measure(model: str, samples: int, rounds: int) -> dict:
    print(f"\n{TITLES[model]}: {samples:,} samples per epoch, batch {BATCH}, "
          f"{rounds} rounds", flush=True)
    runs = contenders(model, samples)
    for work in runs.values():       # warm-up: thread pools, first allocations
        work()
    times = common.timed_rounds(runs, rounds)
    return {name: {"rate": samples / common.median(t), "spread": common.spread(t),
                   "times": t} for name, t in times.items()}


HEADERS = ["contender", "samples/s (median)", "vs PyTorch, 2 threads", "spread"]


def rows(results: dict) -> list[list[str]]:
    reference = results[REFERENCE]["times"]
    return [[name, f"{r['rate']:,.0f}", f"{common.paired_ratio(r['times'], reference):.2f}x",
             f"{100 * r['spread']:.0f}%"] for name, r in results.items()]


def summary(results: dict) -> str:
    """One sentence: what the second core gave each library, and the ideal's ratio."""
    def gain(lib):
        return common.paired_ratio(results[f"{lib}, 2 threads"]["times"],
                                   results[f"{lib}, 1 thread"]["times"])

    ideal = common.paired_ratio(results[IDEAL]["times"], results[REFERENCE]["times"])
    return (f"The second thread made PyTorch {gain('pytorch'):.2f}x and redes "
            f"{gain('redes'):.2f}x as fast; the ideal split of redes' work between two "
            f"cores would be {ideal:.2f}x PyTorch with 2 threads.")


DOCS_INTRO = """\
With 2 threads, PyTorch runs all of a CNN's or an LSTM's work on both cores; NumPy runs
each elementwise operation on one, and OpenBLAS splits only the products (a small model
such as the LSTM's keeps one BLAS thread, and its recurrent layer hands the weight
gradients of the steps its loop has left behind to a helper thread, `redes.nn.cores`).
This section measures how far other uses of the second core could take the redes engine.
`python benchmarks/two_cores.py` times, in one process and alternating round after round,
one epoch of the models of the CNN and LSTM sections: PyTorch and redes with 2 threads and
with 1; redes as two copies of the model, each training half of every batch (data
parallelism), on two Python threads and in two processes of their own (the copies do not
even add up their gradients, so real data parallelism would cost a little more); and the
ideal split: half the epoch, in batches of 32, on one thread alone, the time two cores
would take if each trained half of every batch at one core's full speed with nothing
shared. Ratios are to PyTorch with 2 threads, each the median of the ratios within a round.
"""


def docs_section(results_by_model: dict, env: list[str], rounds: int) -> str:
    env_lines = "\n".join(f"- {line}" for line in env)
    blocks = "".join(
        f"\n### {TITLES[m]}\n\n{SAMPLES[m]:,} samples per epoch, {rounds} rounds.\n\n"
        f"{common.markdown_table(HEADERS, rows(r), 'lrrr')}\n\n{summary(r)}\n"
        for m, r in results_by_model.items())
    return (f"{DOCS_INTRO}\nCommand: `python benchmarks/two_cores.py`\n\n{env_lines}\n"
            f"{blocks}")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    p.add_argument("--quick", action="store_true", help="smoke run: a quarter of the "
                   "samples, 3 rounds")
    p.add_argument("--rounds", type=int, help="timed rounds (default 7)")
    p.add_argument("--write-docs", action="store_true",
                   help=f"write the results to the section '{HEADING}' of docs/benchmarks.md "
                        "(both models only)")
    args = p.parse_args(argv)
    if args.write_docs and (set(args.models) != set(MODELS) or args.quick):
        p.error("--write-docs: measure both models, without --quick")
    args.rounds = args.rounds or (3 if args.quick else 7)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    common.limit_threads(2)
    common.start_libraries(2, ["pytorch"])
    env = common.environment()
    print("\n".join(env), flush=True)
    results = {}
    for model in args.models:
        samples = SAMPLES[model] // (4 if args.quick else 1)
        results[model] = measure(model, samples, args.rounds)
        print("\n" + common.text_table(HEADERS, rows(results[model]), "lrrr"))
        print(summary(results[model]))
    if args.write_docs:
        path = common.update_docs_section(HEADING, docs_section(results, env, args.rounds))
        print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
