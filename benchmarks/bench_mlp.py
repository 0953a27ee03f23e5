"""MLP training throughput: the redes engine against a bare NumPy loop, PyTorch and Keras.

The network is the course's first one, for MNIST digits: 784 inputs, ``Dense(512, relu)``,
``Dense(10, softmax)``, categorical crossentropy on one-hot targets, batches of 128, float32,
trained with SGD (learning rate 0.01) and with Adam (Keras' defaults). The data is random
(uniform pixels in [0, 1), random labels) with MNIST's shape: 60,000 x 784 by default.

Five contenders train it in one process, one epoch with shuffling per measurement:

1. ``redes``: ``redes.nn.Sequential`` and ``model.fit(..., verbose=0, shuffle=True)``,
   exactly what a learner writes; ``redes functional`` is the same network built with
   ``keras.Model(inputs, outputs)``, which runs the same graph;
2. ``numpy loop``: the same mathematics written by hand as fast as NumPy allows (reused
   buffers, in-place updates, no gradient for the input data); the practical limit of any
   NumPy engine on this machine;
3. ``pytorch``: ``nn.Sequential(Linear, ReLU, Linear)``, ``CrossEntropyLoss`` on the
   logits, ``torch.optim.SGD`` / ``Adam(eps=1e-7)``, batches cut by hand from a
   ``randperm`` per epoch, with as many threads as NumPy's BLAS;
4. ``keras``: Keras 3 on TensorFlow, ``model.fit(..., verbose=0)``; the first call, which
   builds the graph, is the warm-up; then each measurement is the second epoch of a
   ``fit(epochs=2)`` call, timed by a callback, which leaves out the data pipeline that
   every ``fit`` call builds from the NumPy arrays (its cost is printed apart).

Each contender first runs once untimed, then all of them are timed round after round,
alternating, and the table gives the median throughput in samples per second with the
ratios to the NumPy loop and to PyTorch. Before timing, a short check trains the four from
the same weights on the same batches and prints how far their weights end up from each
other, to show they do the same work.

Last, a separate process measures the share of a redes training step spent in matrix
products (``matmul_share.py``: the step's BLAS calls logged, then replayed alone), with the
same threads; ``--share-only`` measures only that, ``--no-share`` skips it.

Usage::

    python benchmarks/bench_mlp.py               # full run (about 3 minutes)
    python benchmarks/bench_mlp.py --quick       # smoke run (about 30 seconds)
    python benchmarks/bench_mlp.py --write-docs  # also update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import matmul_share  # noqa: E402

HEADING = "MLP training throughput"
INPUTS, HIDDEN, CLASSES = 784, 512, 10
OPTIMIZERS = ("sgd", "adam")
# An epoch takes about a second here, and a shared machine has slow spells of seconds, so
# many short rounds give the median of the paired ratios (common.paired_ratio) enough pairs.
ROUNDS, BUDGET = 15, 300.0
QUICK_ROUNDS, QUICK_BUDGET = 3, 15.0
CONTENDERS = ("redes", "redes functional", "numpy loop", "pytorch", "keras")
LEARNING_RATE = {"sgd": 0.01, "adam": 0.001}
BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7   # Keras' Adam defaults


# ---------------------------------------------------------------------------- data, weights
def make_data(samples: int, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.random((samples, INPUTS), dtype=np.float32)
    labels = rng.integers(0, CLASSES, samples)
    y = np.zeros((samples, CLASSES), dtype=np.float32)
    y[np.arange(samples), labels] = 1.0
    return x, y


def glorot_weights(seed: int = 1):
    """Kernels and biases as Keras initializes them (glorot_uniform, zeros), float32."""
    import numpy as np

    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in ((INPUTS, HIDDEN), (HIDDEN, CLASSES)):
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        weights.append(rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32))
        weights.append(np.zeros(fan_out, dtype=np.float32))
    return weights


# ------------------------------------------------------------------------------ contenders
class Redes:
    """The redes NumPy engine, used as a learner uses it."""

    def __init__(self, x, y, optimizer, batch_size, weights=None):
        import redes.nn as keras

        opt = (keras.optimizers.SGD(learning_rate=LEARNING_RATE["sgd"]) if optimizer == "sgd"
               else keras.optimizers.Adam())
        self.model = keras.Sequential([
            keras.Input(shape=(INPUTS,)),
            keras.layers.Dense(HIDDEN, activation="relu"),
            keras.layers.Dense(CLASSES, activation="softmax"),
        ])
        self.model.compile(optimizer=opt, loss="categorical_crossentropy")
        if weights is not None:
            self.model.set_weights(weights)
        self.x, self.y, self.batch_size = x, y, batch_size

    def epoch(self, shuffle=True):
        self.model.fit(self.x, self.y, batch_size=self.batch_size, epochs=1, verbose=0,
                       shuffle=shuffle)

    def get_weights(self):
        return self.model.get_weights()


class RedesFunctional(Redes):
    """The same network built with the Functional API, ``keras.Model(inputs, outputs)``:
    the same graph, so it should train as fast as the ``Sequential`` one."""

    def __init__(self, x, y, optimizer, batch_size, weights=None):
        import redes.nn as keras

        opt = (keras.optimizers.SGD(learning_rate=LEARNING_RATE["sgd"]) if optimizer == "sgd"
               else keras.optimizers.Adam())
        inputs = keras.Input(shape=(INPUTS,))
        hidden = keras.layers.Dense(HIDDEN, activation="relu")(inputs)
        outputs = keras.layers.Dense(CLASSES, activation="softmax")(hidden)
        self.model = keras.Model(inputs, outputs)
        self.model.compile(optimizer=opt, loss="categorical_crossentropy")
        if weights is not None:
            self.model.set_weights(weights)
        self.x, self.y, self.batch_size = x, y, batch_size


class NumpyLoop:
    """The same training written by hand with NumPy, as fast as it allows.

    One step on a batch x (m samples), with one-hot targets y:
        forward:   h = relu(x @ W1 + b1);  p = softmax(h @ W2 + b2)
        loss:      dL/dz2 = (p - y) / m   (crossentropy of a softmax, averaged over the batch)
        backward:  dW2 = h^T dz2;  db2 = sum(dz2);  dh = dz2 W2^T;  dz1 = dh * (h > 0)
                   dW1 = x^T dz1;  db1 = sum(dz1)  (no gradient for the data x itself)
        update:    SGD  w -= lr * g
                   Adam m += (g - m)(1 - beta1);  v += (g^2 - v)(1 - beta2)
                        w -= lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)
                   over pieces of PIECE values that stay in the cache, and every
                   FLUSH_EVERY steps the subnormal values of m and v are set to zero, with
                   redes' own constants (``redes.nn.optimizers.base``)
    Every intermediate lives in a buffer made once; the batch is gathered into a buffer too.
    """

    def __init__(self, x, y, optimizer, batch_size, weights=None, seed=2,
                 epsilon_after_correction=False):
        import numpy as np

        self.np = np
        self.x, self.y, self.batch_size, self.optimizer = x, y, batch_size, optimizer
        self.rng = np.random.default_rng(seed)
        self.params = [w.copy() for w in (weights or glorot_weights())]
        self.grads = [np.empty_like(w) for w in self.params]
        b = batch_size
        self.xb = np.empty((b, INPUTS), np.float32)
        self.yb = np.empty((b, CLASSES), np.float32)
        self.h = np.empty((b, HIDDEN), np.float32)
        self.dh = np.empty((b, HIDDEN), np.float32)
        self.mask = np.empty((b, HIDDEN), bool)
        self.z = np.empty((b, CLASSES), np.float32)
        self.row = np.empty((b, 1), np.float32)
        self.lr = LEARNING_RATE[optimizer]
        self.t = 0
        # PyTorch's Adam adds epsilon to sqrt(v / (1 - beta2^t)) instead of sqrt(v); the
        # check of the contenders uses that form to compare with PyTorch.
        self.epsilon_after_correction = epsilon_after_correction
        if optimizer == "adam":
            self.m = [np.zeros_like(w) for w in self.params]
            self.v = [np.zeros_like(w) for w in self.params]
            self.tmp = [np.empty_like(w) for w in self.params]
            # the update runs over pieces that stay in the cache, as in redes
            from redes.nn.optimizers.base import FLUSH_EVERY, PIECE

            self.flush_every = FLUSH_EVERY
            arrays = zip(self.params, self.grads, self.m, self.v, self.tmp)
            self.pieces = [[a.reshape(-1)[i:i + PIECE] for a in group]
                           for group in arrays for i in range(0, group[0].size, PIECE)]

    def epoch(self, shuffle=True):
        np = self.np
        n, b = len(self.x), self.batch_size
        order = self.rng.permutation(n) if shuffle else np.arange(n)
        w1, b1, w2, b2 = self.params
        gw1, gb1, gw2, gb2 = self.grads
        for start in range(0, n, b):
            idx = order[start:start + b]
            m = len(idx)
            xb = np.take(self.x, idx, axis=0, out=self.xb[:m], mode="clip")
            yb = np.take(self.y, idx, axis=0, out=self.yb[:m], mode="clip")
            h, z, dh, mask, row = self.h[:m], self.z[:m], self.dh[:m], self.mask[:m], self.row[:m]
            # forward
            np.matmul(xb, w1, out=h)
            h += b1
            np.maximum(h, 0, out=h)
            np.matmul(h, w2, out=z)
            z += b2
            # softmax and crossentropy gradient: (p - y) / m
            np.max(z, axis=1, keepdims=True, out=row)
            z -= row
            np.exp(z, out=z)
            np.sum(z, axis=1, keepdims=True, out=row)
            z /= row                      # p = softmax(z)
            z -= yb
            z *= 1.0 / m                  # dL/dz2 = (p - y) / m
            # backward
            np.matmul(h.T, z, out=gw2)
            np.sum(z, axis=0, out=gb2)
            np.matmul(z, w2.T, out=dh)
            np.greater(h, 0, out=mask)
            np.multiply(dh, mask, out=dh)
            np.matmul(xb.T, dh, out=gw1)
            np.sum(dh, axis=0, out=gb1)
            self._update()

    def _update(self):
        np = self.np
        self.t += 1
        if self.optimizer == "sgd":
            for w, g in zip(self.params, self.grads):
                g *= self.lr
                w -= g
            return
        f, t = np.float32, np.float32(self.t)   # Keras computes the step size in float32
        lr_t = float(f(self.lr) * np.sqrt(1 - f(BETA_2) ** t) / (1 - f(BETA_1) ** t))
        eps = EPSILON
        if self.epsilon_after_correction:
            eps = EPSILON * math.sqrt(1 - BETA_2**self.t)
        for w, g, m, v, tmp in self.pieces:
            np.subtract(g, m, out=tmp)
            tmp *= 1 - BETA_1
            m += tmp
            np.multiply(g, g, out=tmp)
            tmp -= v
            tmp *= 1 - BETA_2
            v += tmp
            np.sqrt(v, out=tmp)
            tmp += eps
            np.divide(m, tmp, out=tmp)
            tmp *= lr_t
            w -= tmp
        if self.t % self.flush_every == 0:
            for a in self.m + self.v:
                a[np.abs(a) < np.finfo(a.dtype).tiny] = 0

    def get_weights(self):
        return [w.copy() for w in self.params]


class Torch:
    """PyTorch on the CPU, the usual hand-written training loop."""

    def __init__(self, x, y, optimizer, batch_size, weights=None, seed=3):
        import torch

        self.torch = torch
        self.generator = torch.Generator().manual_seed(seed)
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)
        self.batch_size = batch_size
        self.model = torch.nn.Sequential(
            torch.nn.Linear(INPUTS, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, CLASSES)
        )
        if weights is not None:
            with torch.no_grad():
                for layer, (k, b) in zip((self.model[0], self.model[2]),
                                         (weights[:2], weights[2:])):
                    layer.weight.copy_(torch.from_numpy(k.T))
                    layer.bias.copy_(torch.from_numpy(b))
        self.loss = torch.nn.CrossEntropyLoss()
        params = self.model.parameters()
        self.opt = (torch.optim.SGD(params, lr=LEARNING_RATE["sgd"]) if optimizer == "sgd"
                    else torch.optim.Adam(params, lr=LEARNING_RATE["adam"],
                                          betas=(BETA_1, BETA_2), eps=EPSILON))

    def epoch(self, shuffle=True):
        torch = self.torch
        n, b = len(self.x), self.batch_size
        order = torch.randperm(n, generator=self.generator) if shuffle else torch.arange(n)
        for start in range(0, n, b):
            idx = order[start:start + b]
            xb, yb = self.x[idx], self.y[idx]
            self.opt.zero_grad(set_to_none=True)
            loss = self.loss(self.model(xb), yb)   # one-hot targets as class probabilities
            loss.backward()
            self.opt.step()

    def get_weights(self):
        out = []
        for layer in (self.model[0], self.model[2]):
            out += [layer.weight.detach().numpy().T.copy(), layer.bias.detach().numpy().copy()]
        return out


class Keras:
    """Keras 3 on TensorFlow, as a learner uses it.

    Each ``fit`` call of Keras first sets up (a TensorFlow data pipeline from the NumPy
    arrays, callbacks), which here costs up to half an epoch; a learner calls ``fit`` once for
    many epochs, so a measurement is one ``fit(epochs=2)`` call whose second epoch alone is
    timed (by a callback). ``call_overheads`` keeps the rest of each call's time.
    """

    def __init__(self, x, y, optimizer, batch_size, weights=None):
        import keras

        opt = (keras.optimizers.SGD(learning_rate=LEARNING_RATE["sgd"]) if optimizer == "sgd"
               else keras.optimizers.Adam())
        self.model = keras.Sequential([
            keras.Input(shape=(INPUTS,)),
            keras.layers.Dense(HIDDEN, activation="relu"),
            keras.layers.Dense(CLASSES, activation="softmax"),
        ])
        self.model.compile(optimizer=opt, loss="categorical_crossentropy")
        if weights is not None:
            self.model.set_weights(weights)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.call_overheads = []

        class EpochTimer(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                self.seconds.append(time.perf_counter() - self.start)

        self.timer = EpochTimer()

    def epoch(self, shuffle=True):
        """Train one epoch (as the check needs it)."""
        self.model.fit(self.x, self.y, batch_size=self.batch_size, epochs=1, verbose=0,
                       shuffle=shuffle)

    def timed_epoch(self):
        """``fit(epochs=2)``; returns the seconds of the second epoch."""
        self.timer.seconds = []
        start = time.perf_counter()
        self.model.fit(self.x, self.y, batch_size=self.batch_size, epochs=2, verbose=0,
                       shuffle=True, callbacks=[self.timer])
        total = time.perf_counter() - start
        first, second = self.timer.seconds
        self.call_overheads.append(total - first - second)
        return second

    def get_weights(self):
        return self.model.get_weights()


CLASSES_OF = {"redes": Redes, "redes functional": RedesFunctional, "numpy loop": NumpyLoop,
              "pytorch": Torch, "keras": Keras}


def share_model(batch_size: int, optimizer: str):
    """The redes contender's model and one batch, for ``matmul_share.measure``."""
    x, y = make_data(batch_size)
    return Redes(x, y, optimizer, batch_size).model, x, y


# ------------------------------------------------------------------------------ the run
def check_agreement(contenders, batch_size: int) -> list[str]:
    """Train each contender 4 steps from the same weights on the same batches (no
    shuffling) and report the largest weight difference to the NumPy loop."""
    import numpy as np

    x, y = make_data(4 * batch_size, seed=5)
    start = glorot_weights(seed=6)
    lines = []
    for optimizer in OPTIMIZERS:
        finals = {}
        for name in contenders:
            try:
                runner = CLASSES_OF[name](x, y, optimizer, batch_size, weights=start)
                runner.epoch(shuffle=False)
                finals[name] = runner.get_weights()
            except Exception as exc:  # noqa: BLE001 - report and go on with the others
                finals[name] = exc
        if optimizer == "adam" and "pytorch" in finals:
            loop = NumpyLoop(x, y, optimizer, batch_size, weights=start,
                             epsilon_after_correction=True)
            loop.epoch(shuffle=False)
            torch_ref = loop.get_weights()
        ref = finals.get("numpy loop")
        moved = max(float(np.max(np.abs(a - b))) for a, b in zip(ref, start))
        parts = []
        for name, weights in finals.items():
            if name == "numpy loop":
                continue
            if isinstance(weights, Exception):
                parts.append(f"{name} failed ({type(weights).__name__}: {weights})")
                continue
            other = torch_ref if name == "pytorch" and optimizer == "adam" else ref
            diff = max(float(np.max(np.abs(a - b))) for a, b in zip(weights, other))
            parts.append(f"{name} {diff:.1e}" + ("*" if other is not ref else ""))
        lines.append(f"{optimizer}: weights moved up to {moved:.1e}; largest difference "
                     f"to the numpy loop: " + ", ".join(parts))
    return lines


def run(args) -> dict:
    contenders, env, threads = common.begin(
        args, CONTENDERS,
        (f"MLP {INPUTS}-{HIDDEN}-{CLASSES}, batch {args.batch_size}, float32, "
         f"{args.samples:,} random samples, {_epochs(args.epochs)} per "
         f"measurement, up to {args.rounds} rounds ({args.budget:.0f} s budget)"))

    if args.torch_flush_denormal:
        import torch

        torch.set_flush_denormal(True)
        env.append("Subnormals: flushed to zero by the processor in the main thread "
                   "(torch.set_flush_denormal(True))")
        print(env[-1], flush=True)

    agreement = []
    if "numpy loop" in contenders and not args.no_check:
        agreement = check_agreement(contenders, args.batch_size)
        print("\nSame work (4 steps from the same weights, no shuffling; * = against the "
              "loop with PyTorch's placement of Adam's epsilon):")
        print("\n".join("  " + line for line in agreement), flush=True)

    x, y = make_data(args.samples)
    runners, failed = common.warm_up(
        {(name, optimizer): (lambda name=name, optimizer=optimizer:
                             CLASSES_OF[name](x, y, optimizer, args.batch_size))
         for optimizer in args.optimizers for name in contenders})

    def measure(runner):
        if isinstance(runner, Keras):
            return lambda: sum(runner.timed_epoch() for _ in range(args.epochs))

        def once():
            for _ in range(args.epochs):
                runner.epoch()
        return once

    times = common.timed_rounds({k: measure(r) for k, r in runners.items()}, args.rounds,
                                budget=args.budget)
    work = args.samples * args.epochs
    results = {k: {"rate": work / common.median(t), "best": work / min(t),
                   "spread": common.spread(t), "times": t}
               for k, t in times.items()}
    rounds = min((len(t) for t in times.values()), default=0)
    overheads = [o for r in runners.values() if isinstance(r, Keras) for o in r.call_overheads]
    keras_overhead = common.median(overheads) if overheads else None
    load_after = common.load_average()
    return {"env": env, "agreement": agreement, "results": results, "failed": failed,
            "contenders": contenders, "args": args, "rounds": rounds, "threads": threads,
            "load_after": load_after, "keras_overhead": keras_overhead,
            "share": measure_share(args, threads)}


def measure_share(args, threads: int) -> dict | None:
    """The share of redes' training step in matrix products, per optimizer
    (``matmul_share``)."""
    return matmul_share.for_benchmark(args, threads, {
        optimizer: ("bench_mlp:share_model",
                    {"batch_size": args.batch_size, "optimizer": optimizer})
        for optimizer in args.optimizers})


def table_rows(outcome):
    rows = []
    results = outcome["results"]
    for optimizer in outcome["args"].optimizers:
        refs = [results.get((other, optimizer)) for other, _, _ in GOALS]
        for name in outcome["contenders"]:
            res = results.get((name, optimizer))
            if res is None:
                rows.append([name, optimizer, "unavailable"] + [""] * (len(HEADERS) - 3))
                continue
            rows.append([name, optimizer, f"{res['rate']:,.0f}", f"{res['best']:,.0f}"]
                        + [f"{common.paired_ratio(res['times'], ref['times']):.2f}x"
                           if ref else "n/a" for ref in refs]
                        + [f"{100 * res['spread']:.0f}%"])
    return rows


HEADERS = ["contender", "optimizer", "samples/s (median)", "best round", "vs numpy loop",
           "vs PyTorch", "spread"]
ALIGN = "llrrrrr"
BUSY = 0.5   # a spread above this means the machine was busy during the run
GOALS = (("numpy loop", "the numpy loop", 0.9), ("pytorch", "PyTorch", 1.0))
FUNCTIONAL_GOAL = 0.95   # the Functional API's MLP within 5% of the Sequential one


def goals(outcome) -> list[str]:
    """The verdicts, on the ratios measured round by round (``common.paired_ratio``)."""
    lines = []
    results = outcome["results"]
    for optimizer in outcome["args"].optimizers:
        mine = results.get(("redes", optimizer))
        if not mine:
            continue
        parts = []
        for other, label, target in GOALS:
            ref = results.get((other, optimizer))
            if ref:
                r = common.paired_ratio(mine["times"], ref["times"])
                parts.append(f"{r:.3f}x {label} (goal >= {target:.2f}: "
                             f"{'met' if r >= target else 'not met'})")
        if parts:
            lines.append(f"{optimizer}: redes = " + ", ".join(parts))
        functional = results.get(("redes functional", optimizer))
        if functional:
            r = common.paired_ratio(functional["times"], mine["times"])
            lines.append(f"{optimizer}: redes functional = {r:.3f}x redes Sequential (goal >= "
                         f"{FUNCTIONAL_GOAL:.2f}: {'met' if r >= FUNCTIONAL_GOAL else 'not met'})")
    return lines


def keras_note(outcome) -> str:
    return (f"keras: besides its epochs, each fit call spent {outcome['keras_overhead']:.2f} s "
            "(median) setting up (data pipeline from the NumPy arrays, callbacks); not counted "
            "above.")


def busy_note(outcome) -> str | None:
    spreads = [r["spread"] for r in outcome["results"].values()]
    if not spreads or max(spreads) <= BUSY:
        return None
    text = (f"The machine was busy (spread up to {100 * max(spreads):.0f}%, load average "
            f"{outcome['load_after']} at the end): the figures are noisy; run again on a "
            "quiet machine.")
    if outcome["threads"] > 1:
        text += (" With other work on the same cores, a library with one thread per core "
                 "keeps waiting for its descheduled threads: compare with --threads 1.")
    return text


DOCS_INTRO = """\
How many training samples per second the redes engine processes on the course's first
network (784 inputs, `Dense(512, relu)`, `Dense(10, softmax)`, categorical crossentropy on
one-hot targets, batch 128, float32), with SGD (learning rate 0.01) and Adam (Keras'
defaults), next to three references measured in the same process:

- **redes**: `redes.nn.Sequential` and `model.fit(x, y, batch_size=128, verbose=0,
  shuffle=True)`, what a learner writes;
- **numpy loop**: the same mathematics written by hand as fast as NumPy allows (buffers
  made once, in-place updates, Adam's update over pieces that stay in the cache, no
  gradient for the input data, no loss value computed): the limit for any engine built on
  NumPy on this machine;
- **pytorch**: `nn.Sequential(Linear, ReLU, Linear)`, `CrossEntropyLoss` on the logits,
  `torch.optim.SGD` / `Adam(eps=1e-7)`, a `randperm` per epoch and batches cut by hand,
  with as many threads as NumPy's BLAS;
- **keras**: Keras 3 on TensorFlow, `model.fit(..., verbose=0)`; the first call, which
  builds the graph, is warm-up; then each measurement is the second epoch of a
  `fit(epochs=2)` call, timed by a callback. That leaves out the data pipeline that every
  `fit` call builds from the NumPy arrays (a learner calls `fit` once for many epochs); its
  cost per call is given below each table.

The four do the same work: before timing, each trains 4 steps from the same weights on the
same batches, and the script prints how far its weights end up from the NumPy loop's
(float32 rounding; PyTorch's Adam adds epsilon to the bias-corrected sqrt(v) where Keras adds
it to sqrt(v), so its figure, marked *, compares it with the loop written that way).

Subnormal numbers: on these random labels many ReLU units stop learning, and the Adam
momentum of their weights decays below float32's smallest normal number (1.2e-38) within a
few hundred steps. Processors compute on such subnormal numbers many times slower, so an
epoch would grow slower as training goes on. TensorFlow flushes them to zero; redes sets
them to zero every 16 steps (`redes.nn.optimizers.base.FLUSH_EVERY`), and so does the NumPy
loop; PyTorch keeps them unless a program calls `torch.set_flush_denormal(True)`, which the
tables measure PyTorch without, as it is usually run, except the one made with
`--torch-flush-denormal` (that call sets the processor of the main thread, so the NumPy
contenders' work there is flushed too).

Goals: redes at least 0.9x the NumPy loop and at least as fast as PyTorch. Each table below
comes from one run of the command above it (a run with another thread count adds its own
table). Every round times each contender once, in a shuffled order, so two contenders of
one round run seconds apart; a ratio ("vs numpy loop", "vs PyTorch") is the median over the
rounds of the ratio measured within each round, and the goals are judged on it. The
absolute figures depend on how busy the machine was (see the spread and the load average;
the machine measured here is a 2-core virtual machine whose host also runs other work). On
a machine shared with other work, one thread per library is both faster and steadier than
one thread per core: a library waits at every matrix product for its threads that the
system has put aside.

Each table ends with the share of a redes training step spent in matrix products (see
`benchmarks/matmul_share.py`): the limit of any engine that computes these products with
the same BLAS library. What the rest of a step is, measured with
`python benchmarks/matmul_share.py mlp-sgd mlp-adam --breakdown --threads 1` (one thread,
load average 3): of a step of about 3 ms with SGD, the products take 2.4 ms (the two
128 x 784 x 512 products, x W1 forwards and x^T dL/dz1 backwards, 1.15 ms each; those of
the 512-to-10 layer, 0.1 ms). The other 0.7 ms are SGD's update of the 407,050 weights
(0.27 ms); the softmax fused with the crossentropy (0.1 ms); ReLU and its derivative
inside the Dense layers (under 0.1 ms); and `train_on_batch`'s checks of the batch and the
Python around the layers (0.25 ms; `fit` checks its data once per call). With Adam the
update takes 0.95 ms instead (it reads and writes the weights, m and v, three arrays of
1.6 MB, and every 16 steps sets the subnormal values of m and v to zero), so the share of
the products falls from about 80% to about 60%.
"""


def command_line(args) -> str:
    """The command that repeats this run (only the options that differ from the defaults)."""
    parts = ["python benchmarks/bench_mlp.py"]
    if args.quick:
        parts.append("--quick")
    if args.threads is not None:
        parts.append(f"--threads {args.threads}")
    if args.samples != (15_000 if args.quick else 60_000):
        parts.append(f"--samples {args.samples}")
    if args.rounds != (QUICK_ROUNDS if args.quick else ROUNDS):
        parts.append(f"--rounds {args.rounds}")
    if args.epochs != 1:
        parts.append(f"--epochs {args.epochs}")
    if args.batch_size != 128:
        parts.append(f"--batch-size {args.batch_size}")
    if list(args.contenders) != list(CONTENDERS):
        parts.append("--contenders " + " ".join(f'"{c}"' if " " in c else c
                                                for c in args.contenders))
    if list(args.optimizers) != list(OPTIMIZERS):
        parts.append("--optimizers " + " ".join(args.optimizers))
    if args.torch_flush_denormal:
        parts.append("--torch-flush-denormal")
    return " ".join(parts)


def docs_block(outcome, markdown: str) -> tuple[str, str]:
    """The title and text of this run's table in docs/benchmarks.md."""
    args = outcome["args"]
    threads = outcome["threads"]
    note = busy_note(outcome)
    note = f"\n> {note}\n" if note else ""
    env = "\n".join(f"- {line}" for line in outcome["env"])
    agreement = "\n".join(f"- {line}" for line in outcome["agreement"]) or "- (not run)"
    goal_lines = "\n".join(f"- {line}" for line in goals(outcome)) or "- (not measured)"
    keras = f"- {keras_note(outcome)}\n" if outcome["keras_overhead"] is not None else ""
    share = ("\n" + matmul_share.docs_text(outcome["share"], "optimizer")
             if outcome.get("share") else "")
    title = common.threads_title(threads)
    if args.torch_flush_denormal:
        title += ", subnormals flushed by the processor"
    text = f"""\
Command: `{command_line(args)}`

{args.samples:,} random samples with MNIST's shape, {_epochs(args.epochs)} with shuffling per
measurement, {outcome["rounds"]} rounds alternating between the contenders; spread =
(slowest - fastest) / median over the rounds; load average at the end of the run
{outcome["load_after"]}.

{env}

{markdown}
{note}
{goal_lines}
{keras}
Same work (largest weight difference to the NumPy loop after 4 steps):

{agreement}
{share}"""
    return title, text


def docs_section(outcome, markdown: str) -> str:
    """The whole section: the introduction, then one table per thread count measured (the
    tables of other thread counts already in docs/benchmarks.md are kept)."""
    return common.section_by_threads(HEADING, DOCS_INTRO, *docs_block(outcome, markdown))


def _epochs(n: int) -> str:
    return f"{n} epoch{'s' if n != 1 else ''}"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 15,000 samples, 3 rounds (about 30 s)")
    p.add_argument("--samples", type=int, help="training samples (default 60,000)")
    p.add_argument("--epochs", type=int, default=1, help="epochs per measurement (default 1)")
    p.add_argument("--rounds", type=int, help=f"timed rounds per contender (default {ROUNDS})")
    p.add_argument("--budget", type=float,
                   help="seconds of timed rounds after which no new round starts, once 3 "
                        f"are done (default {BUDGET:.0f}; {QUICK_BUDGET:.0f} with --quick)")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--threads", type=int,
                   help="threads for every library (default: as many as NumPy's BLAS uses)")
    p.add_argument("--contenders", nargs="+", default=list(CONTENDERS), choices=CONTENDERS,
                   metavar="NAME", help=f"subset of {', '.join(CONTENDERS)}")
    p.add_argument("--optimizers", nargs="+", default=list(OPTIMIZERS), choices=OPTIMIZERS)
    p.add_argument("--torch-flush-denormal", action="store_true",
                   help="call torch.set_flush_denormal(True) first; it sets the processor "
                        "of the main thread, so NumPy's work there is flushed too")
    p.add_argument("--no-check", action="store_true",
                   help="skip the check that the contenders compute the same weights")
    p.add_argument("--no-share", action="store_true",
                   help="skip the share of redes' training step in matrix products")
    p.add_argument("--share-only", action="store_true",
                   help="measure only that share (printed; not written to the docs)")
    p.add_argument("--write-docs", action="store_true",
                   help=f"write the results to the section '{HEADING}' of docs/benchmarks.md")
    args = p.parse_args(argv)
    if args.share_only and (args.no_share or args.write_docs):
        p.error("--share-only: not with --no-share or --write-docs")
    args.samples = args.samples or (15_000 if args.quick else 60_000)
    args.rounds = args.rounds or (QUICK_ROUNDS if args.quick else ROUNDS)
    args.budget = args.budget if args.budget is not None else (QUICK_BUDGET if args.quick
                                                               else BUDGET)
    if "numpy loop" not in args.contenders:
        args.no_check = True
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    if args.share_only:
        common.limit_threads(args.threads)
        threads = args.threads or common.numpy_blas()["threads"] or os.cpu_count()
        matmul_share.print_table(measure_share(args, threads), "optimizer")
        return 0
    outcome = run(args)
    rows = table_rows(outcome)
    print()
    print(common.text_table(HEADERS, rows, ALIGN))
    for line in goals(outcome):
        print(line)
    print(f"Rounds: {outcome['rounds']}; load average at the end: {outcome['load_after']}")
    if outcome["keras_overhead"] is not None:
        print(keras_note(outcome))
    note = busy_note(outcome)
    if note:
        print("Note: " + note)
    matmul_share.print_table(outcome["share"], "optimizer")
    markdown = common.markdown_table(HEADERS, rows, ALIGN)
    print("\nMarkdown for docs/benchmarks.md:\n")
    print(markdown)
    if args.write_docs:
        path = common.update_docs_section(HEADING, docs_section(outcome, markdown))
        print(f"\nWrote the section '{HEADING}' of {path}")
    print(f"\nTotal time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
