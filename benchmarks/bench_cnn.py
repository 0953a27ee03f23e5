"""CNN training throughput: the redes engine against PyTorch and Keras, and its peak memory.

The network is the course's Fashion-MNIST CNN on 28x28x1 images::

    Conv2D(32, 3x3, relu) -> MaxPooling2D(2x2) -> Conv2D(64, 3x3, relu) -> MaxPooling2D(2x2)
    -> Flatten -> Dense(64, relu) -> Dense(10, softmax)

trained with Adam (Keras' defaults) on sparse categorical crossentropy, batches of 64,
float32, on random data (uniform pixels in [0, 1), random labels).

Three contenders train it in one process:

1. ``redes``: ``redes.nn.Sequential`` and ``model.fit(..., verbose=0)``, what a learner
   writes;
2. ``pytorch``: the same layers in ``torch.nn.Sequential`` (images as (batch, 1, 28, 28),
   PyTorch's own layout), ``CrossEntropyLoss`` on the logits, ``Adam(eps=1e-7)``, batches
   cut by hand, with as many threads as NumPy's BLAS;
3. ``keras``: Keras 3 on TensorFlow, ``model.fit(..., verbose=0)``.

Each contender first trains once untimed (warm-up: thread pools, graph building), then all
are timed round after round, alternating, and the table gives the median throughput in
samples per second and the ratio to PyTorch.

Memory: redes and PyTorch each train one epoch on 10,000 images in a Python process of its
own, which reports its resident size once the libraries, the data and the model are loaded
(VmRSS), and the peak during the epoch (VmHWM, started afresh there): their difference is
the memory the epoch itself takes (Linux).

Last, a separate process measures the share of a redes training step spent in matrix
products (``matmul_share.py``: the step's BLAS calls logged, then replayed alone), with the
same threads; ``--share-only`` measures only that, ``--no-share`` skips it.

Usage::

    python benchmarks/bench_cnn.py               # full run (about 2 minutes)
    python benchmarks/bench_cnn.py --quick       # smoke run (about 30 seconds)
    python benchmarks/bench_cnn.py --threads 1   # every library on one thread
    python benchmarks/bench_cnn.py --write-docs  # also update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import matmul_share  # noqa: E402

HEADING = "CNN training throughput"
GOAL = 1.0          # redes at least as fast as PyTorch, with 1 thread and with 2
CONTENDERS = ("redes", "pytorch", "keras")
SHAPE, CLASSES = (28, 28, 1), 10
MEMORY_SAMPLES = 10_000
MEMORY_LIMIT = 2 * 1024**3
# What the rest of a training step is, measured with
# `python benchmarks/matmul_share.py cnn --breakdown --threads 1` (see docs/benchmarks.md)
REST = """\
What the rest of a step is, measured with `python benchmarks/matmul_share.py cnn
--breakdown --threads 1` (one thread, on an AVX-512 processor, OpenBLAS core type SkylakeX;
load average 0.7; a step of 21.2 ms, 14.4 ms of products, 12.0 ms of them the second
convolution's: its forward product and its two gradients, dL/d[W; b] = [cols 1]^T dL/dz and
dL/dx as nine products, one per kernel offset):

- the first convolution outside its product, 1.2 ms forwards: im2col (the 3x3 patches of
  the one-channel images copied into a 43,264 x 10 matrix, the last column ones, so that
  the product adds the bias) and the ReLU on its 64 x 26 x 26 x 32 output (1.4 million
  values); 0.3 ms backwards, the ReLU's derivative (this layer needs no dL/dx);
- the two max-pooling layers, 1.3 ms forwards and 1.3 ms backwards: the comparisons that
  find each window's largest value and note which of the four it was, then the gradient
  written back to those places; the first pooling, on the first convolution's large
  output, takes three quarters of it;
- the second convolution outside its products, 0.7 ms forwards (im2col into a 7,744 x 289
  matrix, ReLU) and 1.0 ms backwards (ReLU's derivative, and dL/dx summed from the nine
  kernel offsets into strided views of its input);
- Adam's update of the 121,930 weights, 0.4 ms; the softmax fused with the crossentropy,
  0.15 ms; `train_on_batch`'s checks of the batch and the Python around the layers, 0.5 ms.

The convolution and pooling layers keep their large arrays (the patches, z, the outputs,
dL/dx) from one training step to the next: new, they were new memory pages, which the
system hands out zeroed one by one (1,500 to 1,800 page faults a step). On the AVX2
processor of the blocks below (OpenBLAS core type Haswell), in fresh processes, a step took
27.0 ms instead of 30.9 with 1 thread and 20.5 instead of 27.6 with 2 (medians of four
processes each), for 7 MiB more of peak resident memory.

With 2 threads OpenBLAS splits the products between the two cores, but NumPy runs all the
rest, about 7 ms of a step, on one; PyTorch runs every layer on both. On the AVX-512
processor, quiet, that decides the race: in two runs a minute apart PyTorch trained 5,990
images per second with 2 threads and 3,021 with 1 (1.98x), redes 4,030 and 3,203 (1.26x),
and 2-thread runs on a quiet machine gave redes 0.60x to 0.67x PyTorch (PyTorch up to 7,050
images per second). When other work holds the second core, PyTorch's 2-thread runs fell to
3,000 to 5,200 images per second and the ratio rose to between 0.8x and 1.10x.

Parity with 2 threads needs the rest of the step on both cores too, and on the AVX-512
processor more: twice redes' 1-thread speed, a perfect use of the second core, would be
6,406 images per second, still below PyTorch's 7,053. Python threads do not even give the
first part: the ReLUs and the max-pooling layers split in two halves of the batch, one half
on a second thread (NumPy lets go of the interpreter's lock on arrays this large), made an
epoch 0.97x as fast (median of 12 paired rounds). After each product OpenBLAS keeps its
second thread spinning, waiting for the next one, on the core the helper thread needs; with
that wait shortened (`OPENBLAS_THREAD_TIMEOUT=4`, read when NumPy loads) the split epoch
was 1.05x as fast, still far from the 1.5x that parity asks.

Splitting the whole step instead, each core training half of every batch on a copy of the
model of its own (data parallelism), does better, and at times beats PyTorch. In
`benchmarks/two_cores.py` (the section "What a second core can give" below) two copies on
two Python threads, each with a one-thread BLAS, trained 1.15x as fast as PyTorch with 2
threads in the run written there (1.07x to 1.45x in eight other runs), and in two processes
of their own 1.00x (1.08x to 1.51x in five others). In those runs the machine's other work
slowed PyTorch's 2-thread epochs to between 2,800 and 5,100 images per second; on a quiet
machine, where PyTorch reaches 7,050, even the ideal split, twice redes' 1-thread speed,
stays below it. `fit` does not split the work: it would train copies of the model and add
up their gradients at every step, dropout masks and batch-normalization statistics would
come from half batches, and the numbers a seed gives would change with the number of
threads. On the AVX2 processor of the blocks below, one run of `two_cores.py` gave redes
with 2 threads 0.78x PyTorch with 2 threads, two copies on two threads 1.08x, in two
processes 1.11x and the ideal split 1.13x; there `bench_cnn.py --no-memory --no-share
--contenders redes pytorch`, before the layers kept their arrays, gave 1.14x with 1 thread
and 0.81x with 2. PyTorch's 1-thread speed moves most between runs there too: 1,836 images
per second in that run, 2,555 in the block below.

With 1 thread PyTorch's epoch time moves more from run to run than redes' (0.85 to 1.3
seconds for 3,200 images, steady within a run; the rounds the benchmark prints show it):
the 1-thread ratio was 1.04x and 1.32x in two runs on a quiet machine, and between 0.85x
and 1.09x in runs on a busier one. The products alone take 70% of a redes step on one
thread, so the next gain there has to come from the convolution's arithmetic itself (fewer
multiplications for 3x3 kernels, as Winograd's algorithm does), not from the rest. Written
with NumPy, Winograd's F(2x2, 3x3) does not give it: on the AVX2 processor the second
convolution's forward pass took 15.5 ms that way where im2col and one product take 4.4, as
its transforms are elementwise passes over arrays larger than the layer's input, and its 16
products of depth 32 (2.7 ms alone) use the BLAS less well than one of depth 289.
"""


# ------------------------------------------------------------------------------- data
def make_data(samples: int, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.random((samples, *SHAPE), dtype=np.float32)
    y = rng.integers(0, CLASSES, samples)
    return x, y


def build(lib):
    """The CNN, written once for redes.nn and keras (both have the Keras API)."""
    L = lib.layers
    if lib.__name__.startswith("redes"):   # the convolutional layers of redes.nn
        from redes.nn.layers.conv import Conv2D
        from redes.nn.layers.pooling import MaxPooling2D
    else:
        Conv2D, MaxPooling2D = L.Conv2D, L.MaxPooling2D
    return lib.Sequential([
        lib.Input(shape=SHAPE),
        Conv2D(32, (3, 3), activation="relu"),
        MaxPooling2D((2, 2)),
        Conv2D(64, (3, 3), activation="relu"),
        MaxPooling2D((2, 2)),
        L.Flatten(),
        L.Dense(64, activation="relu"),
        L.Dense(CLASSES, activation="softmax"),
    ])


# ------------------------------------------------------------------------------ contenders
class Redes:
    def __init__(self, x, y, batch_size):
        import redes.nn as nn

        self.model = build(nn)
        self.model.compile(optimizer=nn.optimizers.Adam(),
                           loss="sparse_categorical_crossentropy")
        self.x, self.y, self.batch_size = x, y, batch_size

    def epoch(self):
        self.model.fit(self.x, self.y, batch_size=self.batch_size, epochs=1, verbose=0)


class Keras(Redes):
    def __init__(self, x, y, batch_size):
        import keras

        self.model = build(keras)
        self.model.compile(optimizer=keras.optimizers.Adam(),
                           loss="sparse_categorical_crossentropy")
        self.x, self.y, self.batch_size = x, y, batch_size


class Torch:
    def __init__(self, x, y, batch_size, seed=3):
        import torch
        from torch import nn

        self.torch = torch
        self.generator = torch.Generator().manual_seed(seed)
        self.x = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()  # (n, 1, 28, 28)
        self.y = torch.from_numpy(y)
        self.batch_size = batch_size
        self.model = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 5 * 5, 64), nn.ReLU(), nn.Linear(64, CLASSES),
        )
        self.loss = nn.CrossEntropyLoss()
        self.opt = torch.optim.Adam(self.model.parameters(), lr=0.001, eps=1e-7)

    def epoch(self):
        n, b = len(self.x), self.batch_size
        order = self.torch.randperm(n, generator=self.generator)
        for start in range(0, n, b):
            idx = order[start:start + b]
            self.opt.zero_grad(set_to_none=True)
            self.loss(self.model(self.x[idx]), self.y[idx]).backward()
            self.opt.step()


CLASSES_OF = {"redes": Redes, "pytorch": Torch, "keras": Keras}


def share_model(batch_size: int):
    """The redes contender's model and one batch, for ``matmul_share.measure``."""
    x, y = make_data(batch_size)
    return Redes(x, y, batch_size).model, x, y


# ------------------------------------------------------------------------------- memory
def memory_child(samples: int, contender: str) -> None:
    """Run in a fresh process: one epoch of ``contender`` on ``samples`` images; print
    JSON with the resident size after imports, data and model, and its peak during the
    epoch."""
    x, y = make_data(samples, seed=7)
    common.print_epoch_memory(CLASSES_OF[contender](x, y, 64), samples, contender)


# ------------------------------------------------------------------------------ the run
def measure_share(args, threads: int) -> dict | None:
    """The share of redes' training step in matrix products (``matmul_share``)."""
    return matmul_share.for_benchmark(args, threads, {
        f"CNN, batch {args.batch_size}": ("bench_cnn:share_model",
                                          {"batch_size": args.batch_size})})


def run(args) -> dict:
    contenders, env, threads = common.begin(
        args, CONTENDERS,
        (f"CNN on {SHAPE}, batch {args.batch_size}, Adam, float32, "
         f"{args.samples:,} random samples (one epoch) per measurement, "
         f"{args.rounds} rounds"))

    x, y = make_data(args.samples)
    runners, failed = common.warm_up(
        {name: (lambda name=name: CLASSES_OF[name](x, y, args.batch_size)) for name in contenders})
    times = common.timed_rounds({n: r.epoch for n, r in runners.items()}, args.rounds)
    results = {n: {"rate": args.samples / common.median(t), "spread": common.spread(t),
                   "times": t} for n, t in times.items()}
    memory = None if args.no_memory else common.memory_in_own_processes(
        __file__, MEMORY_SAMPLES, "images", args.threads, contenders)
    return {"env": env, "results": results, "failed": failed, "contenders": contenders,
            "memory": memory, "args": args, "threads": threads,
            "share": measure_share(args, threads)}


def goals(outcome) -> list[str]:
    lines = []
    mine, torch = outcome["results"].get("redes"), outcome["results"].get("pytorch")
    if mine and torch:
        r = common.paired_ratio(mine["times"], torch["times"])
        lines.append(f"throughput: redes = {r:.2f}x PyTorch (goal >= {GOAL:.2f}: "
                     f"{'met' if r >= GOAL else 'not met'})")
    memory = outcome["memory"] or {}
    if "redes" in memory:
        peak = memory["redes"]["peak"]
        lines.append(f"memory: peak resident size {peak / 1024**3:.2f} GiB for one epoch of "
                     f"{memory['redes']['samples']:,} images (goal < 2 GiB: "
                     f"{'met' if peak < MEMORY_LIMIT else 'not met'})")
    lines += common.memory_goal(memory)
    return lines


DOCS_INTRO = f"""\
How many training samples per second the redes engine processes on the course's
Fashion-MNIST CNN (`Conv2D(32, 3x3, relu)`, `MaxPooling2D`, `Conv2D(64, 3x3, relu)`,
`MaxPooling2D`, `Flatten`, `Dense(64, relu)`, `Dense(10, softmax)` on 28x28x1 images, Adam,
sparse categorical crossentropy, batch 64, float32), next to PyTorch (the same layers, its
own (batch, 1, 28, 28) layout, the same number of threads) and Keras on TensorFlow,
measured in the same process round after round, alternating between them (median; the
ratio to PyTorch is the median of the ratios measured within each round; spread =
(slowest - fastest) / median). One block below per thread count: `python
benchmarks/bench_cnn.py` gives every library as many threads as NumPy's BLAS uses (2 on
this machine), `--threads 1` one each.

Goals: redes at least as fast as PyTorch ({GOAL:.2f}x) with 1 and with 2 threads; one
epoch on {MEMORY_SAMPLES:,} images takes no more memory than PyTorch's.

{REST}"""


def docs_block(outcome, markdown: str, memory_md: str) -> tuple[str, str]:
    """The title and text of this run's block in docs/benchmarks.md."""
    args = outcome["args"]
    command = "python benchmarks/bench_cnn.py" + (" --quick" if args.quick else "") + (
        f" --threads {args.threads}" if args.threads else "")
    env = "\n".join(f"- {line}" for line in outcome["env"])
    goal_lines = "\n".join(f"- {line}" for line in goals(outcome)) or "- (not measured)"
    share = ("\n" + matmul_share.docs_text(outcome["share"], "model")
             if outcome.get("share") else "")
    memory = common.memory_docs(MEMORY_SAMPLES, "images", memory_md)
    return common.threads_title(outcome["threads"]), f"""\
Command: `{command}`

{args.samples:,} random images per measurement, {args.rounds} rounds.

{env}

{markdown}
{memory}
Goals:

{goal_lines}
{share}"""


def docs_section(outcome, markdown: str, memory_md: str) -> str:
    """The whole section: the introduction, then one block per thread count measured (those
    of other thread counts already in docs/benchmarks.md are kept)."""
    return common.section_by_threads(HEADING, DOCS_INTRO,
                                     *docs_block(outcome, markdown, memory_md))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 640 samples, 3 rounds (about 30 s)")
    p.add_argument("--samples", type=int, help="training samples per measurement "
                   "(default 3,200)")
    p.add_argument("--rounds", type=int, help="timed rounds per contender (default 7)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--threads", type=int,
                   help="threads for every library (default: as many as NumPy's BLAS uses)")
    p.add_argument("--contenders", nargs="+", default=list(CONTENDERS), choices=CONTENDERS,
                   metavar="NAME", help=f"subset of {', '.join(CONTENDERS)}")
    p.add_argument("--no-memory", action="store_true", help="skip the peak-memory run")
    p.add_argument("--no-share", action="store_true",
                   help="skip the share of redes' training step in matrix products")
    p.add_argument("--share-only", action="store_true",
                   help="measure only that share (printed; not written to the docs)")
    p.add_argument("--write-docs", action="store_true",
                   help=f"write the results to the section '{HEADING}' of docs/benchmarks.md")
    p.add_argument("--memory-child", nargs=2, metavar=("SAMPLES", "CONTENDER"),
                   help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.share_only and (args.no_share or args.write_docs):
        p.error("--share-only: not with --no-share or --write-docs")
    args.samples = args.samples or (640 if args.quick else 3_200)
    args.rounds = args.rounds or (3 if args.quick else 7)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.memory_child:
        memory_child(int(args.memory_child[0]), args.memory_child[1])
        return 0
    if args.share_only:
        common.limit_threads(args.threads)
        threads = args.threads or common.numpy_blas()["threads"] or os.cpu_count()
        matmul_share.print_table(measure_share(args, threads), "model")
        return 0
    outcome = run(args)
    rows = common.vs_pytorch_rows(outcome)
    print("\n" + common.text_table(common.VS_PYTORCH_HEADERS, rows, common.VS_PYTORCH_ALIGN))
    markdown = common.markdown_table(common.VS_PYTORCH_HEADERS, rows, common.VS_PYTORCH_ALIGN)
    memory_md = ""
    if outcome["memory"]:
        text, memory_md = common.memory_tables(outcome["memory"])
        print("\n" + text)
    print("\n" + "\n".join(goals(outcome)))
    matmul_share.print_table(outcome["share"], "model")
    print("\nMarkdown (for docs/benchmarks.md):\n")
    print(markdown)
    if memory_md:
        print("\n" + memory_md)
    if args.write_docs:
        path = common.update_docs_section(HEADING, docs_section(outcome, markdown, memory_md))
        print(f"\nwrote the section '{HEADING}' of {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
