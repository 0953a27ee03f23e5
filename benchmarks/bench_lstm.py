"""LSTM training throughput: the redes engine against PyTorch and Keras, in one process.

The network reads sequences of 100 steps with 32 features each: ``LSTM(64)`` (its last
output), then ``Dense(1, sigmoid)``, binary crossentropy, Adam (Keras' defaults), batches of
64, float32. The data is random (normal features, random 0/1 labels), 1,024 sequences by
default, so one measurement (one epoch with shuffling) is 16 training steps.

Three contenders train it:

1. ``redes``: ``redes.nn.Sequential`` and ``model.fit(..., verbose=0, shuffle=True)``,
   exactly what a learner writes (forward loop over time, backpropagation through time);
2. ``pytorch``: ``nn.LSTM(batch_first=True)`` and ``nn.Linear`` on its last output,
   ``BCEWithLogitsLoss``, ``torch.optim.Adam(eps=1e-7)``, batches cut by hand from a
   ``randperm`` per epoch;
3. ``keras``: Keras 3 on TensorFlow, ``model.fit(..., verbose=0)``; the first call, which
   builds the graph, is the warm-up and is not timed.

Every library gets the same number of threads (``--threads``, default 1: on a machine
shared with other work, several BLAS threads fighting for the cores make the small
per-step matrix products of an RNN many times slower). Each contender runs once untimed,
then all are timed round after round, alternating, and the table gives the median
throughput in samples per second and the ratios to PyTorch. Before timing, a short check
trains the three from the same weights on the same batches and prints how far their weights
end up from each other, to show they do the same work.

Memory: redes and PyTorch each train one epoch on 4,096 sequences in a Python process of
their own, which reports its resident size once the libraries, the data and the model are
loaded, and the peak during the epoch: their difference is the memory the epoch takes
(``--no-memory`` skips it).

Last, a separate process measures the share of a redes training step spent in matrix
products (``matmul_share.py``: the step's BLAS calls logged, then replayed alone), with the
same threads; ``--share-only`` measures only that, ``--no-share`` skips it.

Usage::

    python benchmarks/bench_lstm.py               # full run (about 2 minutes)
    python benchmarks/bench_lstm.py --quick       # smoke run (about 30 seconds)
    python benchmarks/bench_lstm.py --threads 2   # another thread count for every library
    python benchmarks/bench_lstm.py --write-docs  # also update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import matmul_share  # noqa: E402

HEADING = "LSTM training throughput"
GOAL = 1.0          # redes at least as fast as PyTorch, with 1 thread and with 2
MEMORY_SAMPLES = 4_096   # sequences of the epoch whose memory is measured
STEPS, FEATURES, UNITS = 100, 32, 64
CONTENDERS = ("redes", "pytorch", "keras")
LEARNING_RATE, BETA_1, BETA_2, EPSILON = 0.001, 0.9, 0.999, 1e-7   # Keras' Adam defaults
SGD_RATE = 0.5   # for the check that the contenders compute the same gradients
# What the rest of a training step is, measured with
# `python benchmarks/matmul_share.py lstm --breakdown --threads 1` (see docs/benchmarks.md)
REST = """\
What the rest of a step is, measured with `python benchmarks/matmul_share.py lstm
--breakdown --threads 1` (one thread, on the AVX2 processor of the blocks below, OpenBLAS's
core type Haswell; load average 0.5; a step of 29.5 ms, 11.8 ms of products): the loop over
the 100 time steps around its small products, about 11 ms forwards and 8 ms backwards.
Forwards, each step's product gives the four gates' pre-activations, written straight into
the gates' place; the three sigmoid gates take an exponential, an addition and a reciprocal
(the sigmoid is 1 / (1 + exp(-z)), and the gates' columns of the weights are negated once
per batch, so that the product gives -z where a sigmoid follows), a tanh activates the
fourth block, then the step computes the cell c = f c_prev + i g, its tanh and h = o
tanh(c), and copies h into the next step's inputs: ten elementwise operations on blocks of
4,096 to 12,288 numbers. NumPy's cost per call is a good part of that time, and the
activations most of the rest: on this processor NumPy's float32 tanh takes about 4 ns a
number and its exp about 1.6, where a multiplication takes 0.2, so the exponentials and the
two tanh take about 4.4 ms of the forward loop (on an AVX-512 processor, where NumPy
computes both with wider instructions, the whole forward loop outside its products took 3.0
ms). Backwards, each block's dL/dz is dL/dh or dL/dc times a factor the forward pass has
fixed (dz_i = dc g i', and so on); the factors of all 100 steps are computed first, eight
operations on arrays of 1.6 million numbers (about 2.5 ms; computed in chunks of 2 to 16
steps, small enough for the processor's cache, they made the step 2-6% slower), and the
loop then does five operations per step. The Dense layer, the loss, Adam's update of the
24,897 weights and `train_on_batch`'s checks take 1.3 ms together.

Three changes of layout made the step 9% faster (on an AVX-512 processor, the code before
them and this one, timed alternately in one process, 12 rounds of 16 steps: 17.4 and 15.9
ms), with bit for bit the same weights. The loop's large arrays (states, cells, gates, the
factors) are kept from one training step to the next: new arrays of that size were new
memory pages, which the system hands out zeroed, one page at a time (about 230 page faults
per step). The gates are activated in place: the derivatives of the sigmoid and of tanh
come from their outputs (y (1 - y), 1 - y^2), so the backward pass needs no
pre-activations, one array of 1.6 million numbers less to write and to read again. And one
tanh activated the four blocks (the sigmoid as 0.5 + 0.5 tanh(z / 2)); the exponential
above has replaced it since: on the AVX2 processor of the blocks below a tanh costs more
than twice an exponential, and the sigmoid as 1 / (1 + exp(-z)) made the step 1.03x to
1.07x as fast (four in-process runs of 10 to 20 alternating rounds), the GRU's sigmoids 25%
faster, with no change of the step beyond the noise.

The products are 830 BLAS calls, near the processor's peak already. Each step's
pre-activations are one product, [x_t, 1, h_{t-1}] @ [W_k; b_k; U_k]: the inputs, a column
of ones and the previous state side by side, so that the product also adds the bias and no
pass adds x_t W to h_{t-1} U. NumPy's matmul on stacked matrices calls the BLAS once per
matrix, so that is four products a step (64 x 97 by 97 x 64, one per gate block), 400 in
all, and the gradient of h backwards 400 more (64 x 64 by 64 x 64); the gradients of the
kernel, the bias and the recurrent kernel together are summed over the time steps and the
batch chunk by chunk of 16 steps (1,024 rows), one product per gate block and chunk, 28 in
all (about 4 ms together). Fewer, larger products are not faster here: on one thread, one
(256 x 97) by (97 x 64) product for the four blocks of a step takes 34 microseconds where
four 64 x 97 x 64 products take 29, and one (64 x 256) by (256 x 64) product backwards 23.5
where four products and their sum take 23 (OpenBLAS computes products this small without
packing them, at the processor's peak).

With 2 threads, PyTorch runs the whole LSTM, its elementwise work included, on both cores
(oneDNN's compiled LSTM). redes splits the work differently. `fit` trains this model on one
BLAS thread, as it does every small model (parameters times batch size below 2^22, here
24,897 x 64), whose products are too small to share between threads; when more threads are
allowed it takes the second one as a helper thread (`redes.nn.cores`), to which the LSTM
hands whole pieces of work that its loop does not wait for: during the forward loop, the
backward pass's factors of each 16 steps the loop has done; during the loop back through
time, the weight gradients of each 16 steps it has left behind, while the loop goes on (it
sums the first 16 itself at the end, while the helper finishes the others). NumPy lets go
of the interpreter's lock while it computes on arrays this large, so that work runs on the
second core. GRU and SimpleRNN hand over their weight gradients the same way. The chunks
and the order of the sums are the same with one thread, so the weights do not depend on the
number of threads. On an AVX-512 processor, timed alternately in one process (10 rounds of
12 `train_on_batch` steps, 2 threads allowed), the LSTM step took 14.6 ms with the helper
where the code before took 17.7 on one thread (1.24x), the GRU's 14.6 where it took 18.4
(1.24x; 1.29x and 1.14x in a second run of 16 rounds); SimpleRNN, whose loop is short
beside its sums, 1.02x. With one thread the change costs nothing measurable (0.99x to 1.02x
in two such runs). On the AVX2 processor of the blocks below the helper gives less, 1.08x
(27.4 ms a step against 30.0 on one thread, 12 rounds): there the forward loop took 17.4 to
18.3 ms with the helper computing factors beside it and 14.4 to 15.1 ms without, about as
much as the 2.5 ms of factors it takes off the loop back through time. Computing the
factors on the helper during that loop instead, ahead of it from the last chunk back, gave
0.95x and 1.03x of that in two runs of 40 and 10 rounds.

The helper does not reach the 2-thread goal: the loop itself, its small products and its
ten and five elementwise operations a step, stays on one core (about 5.5 ms forwards and
3.3 backwards on an AVX-512 processor), and each time the helper takes the interpreter's
lock to start an operation the loop waits a few microseconds for it back (about 1 ms a step
in all). Python threads cannot split the loop itself: on blocks of 4,096 numbers passing
the lock back and forth costs more than the second core saves (the forward loop on two
threads, each with half the batch, took 6.95 ms where one thread took 5.62 ms).

Data parallelism comes closer, in processes. In `benchmarks/two_cores.py` (the section
"What a second core can give" below), two copies of the model, each training half of every
batch in a process of its own (no lock shared), trained 5,124 sequences per second, 1.04x
PyTorch with 2 threads in the run written there (1.25x in the run before); but PyTorch was
slow in both runs (5,286 and 4,733, where quieter runs give it 6,100 to 6,400). On two
Python threads it was 0.79x. The ideal split, half the epoch alone on one core, was 5,914
sequences per second in that run (6,566 in the one before): in batches of 32 the Python
around the 100 time steps weighs more, and a step takes 10 ms where a batch of 64 takes 17.
So the 2-thread goal needs either training in several processes, which `fit` does not do
(copies of the model in processes of their own, gradients added up at every step, results
that change with the number of processes), or the loop's elementwise work on both cores,
which takes compiled code. On the AVX2 processor of the blocks above, one run of
`two_cores.py` gave redes with 2 threads 0.77x PyTorch with 2 threads, two processes 0.89x,
and even the ideal split only 0.97x.
"""


# ---------------------------------------------------------------------------- data, weights
def make_data(samples: int, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((samples, STEPS, FEATURES), dtype=np.float32)
    y = rng.integers(0, 2, samples).astype(np.float32)
    return x, y


def keras_like_weights(seed: int = 1):
    """LSTM and Dense weights in Keras' layout and with its initializers: glorot_uniform
    kernels, an orthogonal recurrent kernel, zero biases with the forget gate's set to 1."""
    import numpy as np

    rng = np.random.default_rng(seed)

    def glorot(fan_in, fan_out):
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)

    q, r = np.linalg.qr(rng.standard_normal((4 * UNITS, UNITS)))
    recurrent = (q * np.sign(np.diag(r))).T.astype(np.float32)       # (units, 4 units)
    bias = np.zeros(4 * UNITS, np.float32)
    bias[UNITS:2 * UNITS] = 1.0
    return [glorot(FEATURES, 4 * UNITS), recurrent, bias, glorot(UNITS, 1),
            np.zeros(1, np.float32)]


# ------------------------------------------------------------------------------ contenders
class Redes:
    """The redes NumPy engine, used as a learner uses it."""

    def __init__(self, x, y, batch_size, weights=None, optimizer="adam"):
        import redes.nn as keras
        from redes.nn.layers.rnn import LSTM

        self.model = keras.Sequential([keras.Input(shape=(STEPS, FEATURES)), LSTM(UNITS),
                                       keras.layers.Dense(1, activation="sigmoid")])
        opt = (keras.optimizers.Adam(LEARNING_RATE) if optimizer == "adam"
               else keras.optimizers.SGD(SGD_RATE))
        self.model.compile(optimizer=opt, loss="binary_crossentropy")
        if weights is not None:
            self.model.set_weights(weights)
        self.x, self.y, self.batch_size = x, y, batch_size

    def epoch(self, shuffle=True):
        self.model.fit(self.x, self.y, batch_size=self.batch_size, epochs=1, verbose=0,
                       shuffle=shuffle)

    def get_weights(self):
        return self.model.get_weights()


class Torch:
    """PyTorch on the CPU: ``nn.LSTM`` and the usual hand-written training loop.

    PyTorch keeps the LSTM weights transposed, (4 units, features), with the same gate
    order as Keras (i, f, g, o) and two biases (input and recurrent) that add up; the
    recurrent one is kept at 0 and frozen, so the model is Keras' (one bias).
    """

    def __init__(self, x, y, batch_size, weights=None, optimizer="adam", seed=3):
        import torch

        self.torch = torch
        self.generator = torch.Generator().manual_seed(seed)
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y).reshape(-1, 1)
        self.batch_size = batch_size
        self.lstm = torch.nn.LSTM(FEATURES, UNITS, batch_first=True)
        self.head = torch.nn.Linear(UNITS, 1)
        if weights is not None:
            kernel, recurrent, bias, dense_kernel, dense_bias = weights
            with torch.no_grad():
                self.lstm.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
                self.lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent.T))
                self.lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
                self.lstm.bias_hh_l0.zero_()
                self.head.weight.copy_(torch.from_numpy(dense_kernel.T))
                self.head.bias.copy_(torch.from_numpy(dense_bias))
        # one bias, as in Keras: the recurrent bias stays 0 (else the sum of the two biases
        # would move twice as fast as Keras' single bias)
        with torch.no_grad():
            self.lstm.bias_hh_l0.zero_()
        self.lstm.bias_hh_l0.requires_grad_(False)
        self.loss = torch.nn.BCEWithLogitsLoss()
        params = [p for p in (*self.lstm.parameters(), *self.head.parameters())
                  if p.requires_grad]
        self.opt = (torch.optim.Adam(params, lr=LEARNING_RATE, betas=(BETA_1, BETA_2),
                                     eps=EPSILON) if optimizer == "adam"
                    else torch.optim.SGD(params, lr=SGD_RATE))

    def epoch(self, shuffle=True):
        torch = self.torch
        n, b = len(self.x), self.batch_size
        order = torch.randperm(n, generator=self.generator) if shuffle else torch.arange(n)
        for start in range(0, n, b):
            idx = order[start:start + b]
            xb, yb = self.x[idx], self.y[idx]
            self.opt.zero_grad(set_to_none=True)
            outputs, _ = self.lstm(xb)
            loss = self.loss(self.head(outputs[:, -1]), yb)
            loss.backward()
            self.opt.step()

    def get_weights(self):
        lstm, head = self.lstm, self.head
        bias = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().numpy().copy()
        return [lstm.weight_ih_l0.detach().numpy().T.copy(),
                lstm.weight_hh_l0.detach().numpy().T.copy(), bias,
                head.weight.detach().numpy().T.copy(), head.bias.detach().numpy().copy()]


class Keras:
    """Keras 3 on TensorFlow, as a learner uses it."""

    def __init__(self, x, y, batch_size, weights=None, optimizer="adam"):
        import keras

        self.model = keras.Sequential([keras.Input(shape=(STEPS, FEATURES)),
                                       keras.layers.LSTM(UNITS),
                                       keras.layers.Dense(1, activation="sigmoid")])
        opt = (keras.optimizers.Adam(LEARNING_RATE) if optimizer == "adam"
               else keras.optimizers.SGD(SGD_RATE))
        self.model.compile(optimizer=opt, loss="binary_crossentropy")
        if weights is not None:
            self.model.set_weights(weights)
        self.x, self.y, self.batch_size = x, y, batch_size

    def epoch(self, shuffle=True):
        self.model.fit(self.x, self.y, batch_size=self.batch_size, epochs=1, verbose=0,
                       shuffle=shuffle)

    def get_weights(self):
        return self.model.get_weights()


CLASSES_OF = {"redes": Redes, "pytorch": Torch, "keras": Keras}


def share_model(batch_size: int):
    """The redes contender's model (with the weights it is timed with) and one batch, for
    ``matmul_share.measure``."""
    x, y = make_data(batch_size)
    return Redes(x, y, batch_size, weights=keras_like_weights()).model, x, y


# ------------------------------------------------------------------------------ the run
def check_agreement(contenders, batch_size: int) -> list[str]:
    """Train each contender 3 SGD steps from the same weights on the same batches (no
    shuffling) and report the largest weight difference to redes. (SGD moves each weight
    by its gradient, so this compares the gradients; PyTorch's Adam puts epsilon elsewhere
    than Keras', which alone changes the steps of weights with tiny gradients.)"""
    import numpy as np

    x, y = make_data(3 * batch_size, seed=5)
    start = keras_like_weights(seed=6)
    finals = {}
    for name in contenders:
        try:
            runner = CLASSES_OF[name](x, y, batch_size, weights=start, optimizer="sgd")
            runner.epoch(shuffle=False)
            finals[name] = runner.get_weights()
        except Exception as exc:  # noqa: BLE001 - report and go on with the others
            finals[name] = exc
    ref = finals.get("redes")
    if ref is None or isinstance(ref, Exception):
        return [f"redes failed: {ref}"]
    moved = max(float(np.max(np.abs(a - b))) for a, b in zip(ref, start))
    parts = []
    for name, weights in finals.items():
        if name == "redes":
            continue
        if isinstance(weights, Exception):
            parts.append(f"{name} failed ({type(weights).__name__}: {weights})")
            continue
        diff = max(float(np.max(np.abs(a - b))) for a, b in zip(weights, ref))
        parts.append(f"{name} {diff:.1e}")
    return [f"weights moved up to {moved:.1e}; largest difference to redes: "
            + ", ".join(parts)]


def memory_child(samples: int, contender: str) -> None:
    """Run in a fresh process: one epoch of ``contender`` on ``samples`` sequences; print
    JSON with the resident size after imports, data and model, and its peak during the
    epoch."""
    x, y = make_data(samples, seed=7)
    common.print_epoch_memory(CLASSES_OF[contender](x, y, 64), samples, contender)


def measure_share(args) -> dict | None:
    """The share of redes' training step in matrix products (``matmul_share``)."""
    return matmul_share.for_benchmark(args, args.threads, {
        f"LSTM({UNITS}), batch {args.batch_size}": ("bench_lstm:share_model",
                                                    {"batch_size": args.batch_size})})


def run(args) -> dict:
    contenders, env, _ = common.begin(
        args, CONTENDERS,
        (f"LSTM({UNITS}) on {STEPS} steps x {FEATURES} features, Dense(1, "
         f"sigmoid), Adam, batch {args.batch_size}, float32, {args.samples:,} "
         f"random sequences per measurement, {args.rounds} rounds"))

    agreement = []
    if not args.no_check:
        agreement = check_agreement(contenders, args.batch_size)
        print(f"\nSame work (3 SGD steps, learning rate {SGD_RATE}, from the same weights, "
              "no shuffling):")
        print("\n".join("  " + line for line in agreement), flush=True)

    x, y = make_data(args.samples)
    runners, failed = common.warm_up(
        {name: (lambda name=name: CLASSES_OF[name](x, y, args.batch_size,
                                                   weights=keras_like_weights()))
         for name in contenders})
    times = common.timed_rounds({k: r.epoch for k, r in runners.items()}, args.rounds)
    results = {k: {"rate": args.samples / common.median(t), "spread": common.spread(t),
                   "times": t} for k, t in times.items()}
    memory = None if args.no_memory else common.memory_in_own_processes(
        __file__, MEMORY_SAMPLES, "sequences", args.threads, contenders)
    return {"env": env, "agreement": agreement, "results": results, "failed": failed,
            "contenders": contenders, "args": args, "memory": memory,
            "share": measure_share(args)}


def goals(outcome) -> list[str]:
    mine, torch = outcome["results"].get("redes"), outcome["results"].get("pytorch")
    if not mine or not torch:
        return []
    r = common.paired_ratio(mine["times"], torch["times"])
    return [f"redes = {r:.2f}x PyTorch (goal >= {GOAL:.2f}: "
            f"{'met' if r >= GOAL else 'not met'})", *common.memory_goal(outcome["memory"] or {})]


DOCS_INTRO = f"""\
How many training sequences per second the redes engine processes with an LSTM
(`LSTM({UNITS})` on sequences of {STEPS} steps x {FEATURES} features, then `Dense(1, sigmoid)`,
binary crossentropy, Adam, batch 64, float32), next to PyTorch (`nn.LSTM`, a hand-written
loop) and Keras 3 on TensorFlow (`model.fit`), measured in the same process round after
round, alternating between them, with the same number of threads each (median; the ratio to
PyTorch is the median of the ratios measured within each round; spread = (slowest -
fastest) / median). redes runs the loop over time in Python (small matrix products and
elementwise operations on (batch, units) blocks, vectorized over the batch); PyTorch runs
the whole layer in oneDNN's compiled LSTM, TensorFlow in its own compiled loop. One block
below per thread count: `python benchmarks/bench_lstm.py` (1 thread each, the default) and
`--threads 2`.

Goals: redes at least as fast as PyTorch ({GOAL:.2f}x) with 1 and with 2 threads; one epoch
on {MEMORY_SAMPLES:,} sequences takes no more memory than PyTorch's.

{REST}"""


def docs_block(outcome, markdown: str, memory_md: str) -> tuple[str, str]:
    """The title and text of this run's block in docs/benchmarks.md."""
    args = outcome["args"]
    command = "python benchmarks/bench_lstm.py" + (" --quick" if args.quick else "") + (
        f" --threads {args.threads}" if args.threads != 1 else "")
    env = "\n".join(f"- {line}" for line in outcome["env"])
    agreement = "\n".join(f"- {line}" for line in outcome["agreement"]) or "- (not run)"
    goal_lines = "\n".join(f"- {line}" for line in goals(outcome)) or "- (not measured)"
    share = ("\n" + matmul_share.docs_text(outcome["share"], "model")
             if outcome.get("share") else "")
    memory = common.memory_docs(MEMORY_SAMPLES, "sequences", memory_md)
    return common.threads_title(args.threads), f"""\
Command: `{command}`

{args.samples:,} random sequences per measurement (one epoch with shuffling), {args.rounds}
rounds.

{env}

{markdown}
{memory}
Goals:

{goal_lines}

The three do the same work: trained for 3 SGD steps (learning rate {SGD_RATE}) from the same
weights on the same batches, their weights agree to float32 rounding:

{agreement}
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
                   help="smoke run: 512 sequences, 3 rounds (about 30 s)")
    p.add_argument("--samples", type=int, help="sequences per measurement (default 1,024)")
    p.add_argument("--rounds", type=int, help="timed rounds per contender (default 7)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--threads", type=int, default=1,
                   help="threads for every library (default 1)")
    p.add_argument("--contenders", nargs="+", default=list(CONTENDERS), choices=CONTENDERS,
                   metavar="NAME", help=f"subset of {', '.join(CONTENDERS)}")
    p.add_argument("--no-check", action="store_true",
                   help="skip the check that the contenders compute the same weights")
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
    if args.threads < 1:
        p.error(f"--threads: expected a positive integer, got {args.threads}")
    args.samples = args.samples or (512 if args.quick else 1024)
    args.rounds = args.rounds or (3 if args.quick else 7)
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.memory_child:
        memory_child(int(args.memory_child[0]), args.memory_child[1])
        return
    if args.share_only:
        common.limit_threads(args.threads)
        matmul_share.print_table(measure_share(args), "model")
        return
    outcome = run(args)
    rows = common.vs_pytorch_rows(outcome)
    print("\n" + common.text_table(common.VS_PYTORCH_HEADERS, rows, common.VS_PYTORCH_ALIGN))
    markdown = common.markdown_table(common.VS_PYTORCH_HEADERS, rows, common.VS_PYTORCH_ALIGN)
    print("\nMarkdown:\n\n" + markdown)
    memory_md = ""
    if outcome["memory"]:
        text, memory_md = common.memory_tables(outcome["memory"])
        print("\n" + text + "\n\n" + memory_md)
    for line in goals(outcome):
        print(line)
    matmul_share.print_table(outcome["share"], "model")
    if args.write_docs:
        path = common.update_docs_section(HEADING, docs_section(outcome, markdown, memory_md))
        print(f"\nwrote the section '{HEADING}' of {path}")


if __name__ == "__main__":
    main()
