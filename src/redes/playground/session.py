"""One playground session: its state, its points, its network and its frames.

The network is a ``redes.nn.Sequential`` of ``Dense`` layers (each followed by a
``Dropout``, a no-op at rate 0) trained with the engine's own losses, regularizers and
optimizers. A frame is what the browser draws after some training:

* the output over a 100 x 100 grid of the square [-6, 6]^2 (the decision surface);
* every neuron's output over the same grid (sent at 50 x 50), all of them from one forward
  pass of the 10 000 grid points through the network;
* the weights (the links of the drawing), the epoch and the train and test loss.

``render`` gives a frame's header and arrays, the maps quantized to one byte per pixel;
``frames`` packs them in binary (whole, or as differences from the previous frame).
"""

from __future__ import annotations

import time

import numpy as np

from redes.nn import Input, Sequential, initializers, optimizers, regularizers
from redes.nn.layers import Dense, Dropout
from redes.nn.variables import arrays

from ..data import playground_sets as datasets
from ..i18n import _
from .frames import MAGIC, decode_frame, encode_frame  # noqa: F401  (their old home)
from .scores import Divergence, frame_scores, predicted_classes
from .state import DATA_FIELDS, DEFAULT, MODEL_FIELDS, StateError, datasets_for, merge

GRID = 100            # decision surface: GRID x GRID pixels
NEURON_STRIDE = 2     # neuron maps: every other pixel of the grid (50 x 50)

def grid_points(size: int = GRID) -> np.ndarray:
    """Pixel centres of the surface, row by row from the top (x2 = +6) to the bottom."""
    step = 2 * datasets.DOMAIN / size
    axis = -datasets.DOMAIN + step * (np.arange(size) + 0.5)
    x1, x2 = np.meshgrid(axis, axis[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1).astype(np.float32)


def make_optimizer(name: str, learning_rate: float):
    """The engine's optimizer for a playground choice."""
    if name == "sgd":
        return optimizers.SGD(learning_rate)
    if name == "momentum":
        return optimizers.SGD(learning_rate, momentum=0.9)
    if name == "rmsprop":
        return optimizers.RMSprop(learning_rate)
    return optimizers.Adam(learning_rate)


def quantize(v: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] as bytes 0..255 (-1 -> 0, 0 -> 128, 1 -> 255); values outside
    are clipped, and NaN (a network that diverged) shows as 1."""
    q = np.multiply(v, 127.5, dtype=np.float32)
    q += 128.0
    np.fmin(q, 255.0, out=q)                     # fmin and fmax, unlike clip, drop NaN
    np.fmax(q, 0.0, out=q)
    return q.astype(np.uint8)


class Penalty(regularizers.L1L2):
    """The L1 and L2 penalty of every kernel, whose rates the user may change while
    training runs; while both rates are 0 it costs nothing."""

    def __call__(self, w):
        return super().__call__(w) if self.l1 or self.l2 else 0.0

    def gradient(self, w):
        return super().gradient(w) if self.l1 or self.l2 else 0.0


def _finite(v):
    return float(v) if v is not None and np.isfinite(v) else None


class Session:
    """The state, data, network and training progress of one browser session."""

    def __init__(self, state: dict | None = None):
        self.state = merge(DEFAULT, state or {})
        self.custom = None            # (X, y, classes) from an uploaded CSV
        self.resets = 0
        self.builds = 0
        self.playing = False
        self.divergence = Divergence()
        self._grid = grid_points()
        self._load_data()
        self._build()

    # ------------------------------------------------------------------ set-up
    def _load_data(self):
        s = self.state
        if s["dataset"] == "custom" and self.custom is not None:
            x, y, self.classes = self.custom
            order = np.random.default_rng(s["seed"]).permutation(len(y))
            x, y = x[order], y[order]
        else:
            if s["dataset"] == "custom":          # a shared link to uploaded points
                s["dataset"] = "circle" if s["problem"] == "classification" else "plane"
            x, y = datasets.make(s["dataset"], s["points"], s["noise"] / 100, s["seed"])
            self.classes = datasets.DATASETS[s["dataset"]][1]
        (self.x_train, self.y_train), (self.x_test, self.y_test) = datasets.split(
            x, y, s["train_ratio"])

    @property
    def outputs(self) -> int:
        """Output units: 1 (sigmoid or linear) or one per class (softmax)."""
        return self.classes if self.classes > 2 else 1

    def _build(self):
        """A fresh network with weights drawn from the seed (and the number of resets)."""
        s = self.state
        seed = (s["seed"] * 7919 + self.resets * 104729) % 2**31
        self.regularizer = Penalty()
        self._set_regularization()
        model = Sequential([Input(shape=(len(s["features"]),))])
        for i, (units, act) in enumerate(zip(s["layers"], s["activations"])):
            model.add(Dense(units, activation=act, kernel_regularizer=self.regularizer,
                            kernel_initializer=initializers.GlorotUniform(seed=seed + i)))
            model.add(Dropout(s["dropout"], seed=seed + 100 + i))
        if s["problem"] == "regression":
            out, loss = "linear", "mse"
        elif self.classes > 2:
            out, loss = "softmax", "sparse_categorical_crossentropy"
        else:
            out, loss = "sigmoid", "binary_crossentropy"
        model.add(Dense(self.outputs, activation=out, kernel_regularizer=self.regularizer,
                        kernel_initializer=initializers.GlorotUniform(seed=seed + 99)))
        model.compile(optimizer=make_optimizer(s["optimizer"], s["learning_rate"]), loss=loss)
        self.model = model
        self.dense = [layer for layer in model.layers if isinstance(layer, Dense)]
        self.dropouts = [layer for layer in model.layers if isinstance(layer, Dropout)]
        self.epoch = 0
        self.steps = 0
        self.builds += 1              # frames of a new network start a new loss curve
        self._rng = np.random.default_rng(seed)
        self._order = np.arange(0)
        self._pos = 0
        self._f_train = datasets.feature_columns(self.x_train, s["features"])
        self._f_test = datasets.feature_columns(self.x_test, s["features"])
        self._f_grid_t = np.ascontiguousarray(
            datasets.feature_columns(self._grid, s["features"]).T)
        targets = (self.y_train, self.y_test)
        if self.outputs == 1:
            targets = tuple(t.reshape(-1, 1).astype(np.float32) for t in targets)
        self._t_train, self._t_test = targets
        self._weights = arrays(model.trainable_weights)
        # The optimizer updates one flat vector holding every weight (the same elementwise
        # rule as weight by weight, with one call instead of one per weight array).
        self._flat = np.concatenate([w.ravel() for w in self._weights])
        self._slices = np.cumsum([0] + [w.size for w in self._weights])

    def _set_regularization(self):
        s = self.state
        self.regularizer.l1 = s["reg_rate"] if s["regularization"] == "l1" else 0.0
        self.regularizer.l2 = s["reg_rate"] if s["regularization"] == "l2" else 0.0

    # ----------------------------------------------------------------- changing
    def apply(self, changes: dict) -> str:
        """Apply checked changes; returns "data", "model" or "live" (what was redone)."""
        new = merge(self.state, changes)
        if new["problem"] != self.state["problem"] and new["dataset"] == "custom":
            self.custom = None                    # uploaded points belong to one problem
            new["dataset"] = datasets_for(new["problem"])[0]
        if new["dataset"] == "custom" and self.custom is None:
            raise StateError(_("dataset: expected points uploaded as a CSV file before "
                               "'custom', got no upload yet"))
        changed = {k for k in new if new[k] != self.state[k]}
        self.state = new
        if changed & DATA_FIELDS:
            self._load_data()
            self._build()
            return "data"
        if changed & MODEL_FIELDS:
            self._build()
            return "model"
        self.model.optimizer.learning_rate = new["learning_rate"]
        self._set_regularization()
        for layer in self.dropouts:
            layer.rate = new["dropout"]
        return "live"

    def upload(self, text: str) -> None:
        """Use the points of a CSV file (``x1,x2,label``) as the dataset "custom"."""
        self.custom = datasets.parse_csv(text, self.state["problem"])
        self.state["dataset"] = "custom"
        self._load_data()
        self._build()

    def set_points(self, train: tuple, test: tuple, classes: int) -> None:
        """Use these points, split as given, as the dataset "custom" (points drawn by hand:
        ``drawing``), with a fresh network."""
        (self.x_train, self.y_train), (self.x_test, self.y_test) = train, test
        self.custom = (np.concatenate([train[0], test[0]]),
                       np.concatenate([train[1], test[1]]), classes)
        self.classes = classes
        self.state["dataset"] = "custom"
        self._build()

    @property
    def weights(self) -> list[np.ndarray]:
        """Every Dense layer's kernel and bias, in order (the arrays the layers compute
        with: to change them, ``set_weights``)."""
        return self._weights

    def set_weights(self, values, index=None) -> None:
        """Write ``values`` into the weights, where training reads them: the layers' arrays
        and the flat copy the optimizer updates. ``values`` is one array per weight, or,
        with ``index`` ``(k, position)``, one number for that position of weight ``k``."""
        if index is not None:
            k, position = index
            self._weights[k][position] = values
            self._flat[self._slices[k] + np.ravel_multi_index(position, self._weights[k].shape)
                       ] = self._weights[k][position]
            return
        for w, v in zip(self._weights, values):
            w[...] = v
        self._flat[...] = np.concatenate([w.ravel() for w in self._weights])

    def reset(self) -> None:
        """New random weights (a different draw each time), epoch 0."""
        self.resets += 1
        self._build()

    def load(self, changes: dict) -> None:
        """Apply ``changes`` and start afresh from the seed's first weights (as a link
        to the same state would), e.g. to load a preset."""
        self.apply(changes)
        self.resets = 0
        self._build()

    # ----------------------------------------------------------------- training
    def train_steps(self, n: int) -> None:
        """``n`` gradient steps on mini-batches of ``batch_size`` points; every point is
        seen once per epoch, in a new random order each epoch."""
        with np.errstate(all="ignore"):          # a diverging network is a lesson too
            self._train_steps(n)

    def next_batch(self, size: int) -> np.ndarray:
        """The indices of the next ``size`` training points: a new random order of all of
        them each epoch, read in turn (the last batch of an epoch may be smaller)."""
        if self._pos >= len(self._order):
            self._order = self._rng.permutation(len(self._t_train))
            self._pos = 0
        idx = self._order[self._pos:self._pos + size]
        self._pos += size
        return idx

    def _train_steps(self, n: int) -> None:
        bs = self.state["batch_size"]
        opt, flat, sl = self.model.optimizer, self._flat, self._slices
        # the plan of these steps, made once for all of them as ``fit`` does: which layers
        # keep their arrays from step to step, which weights have penalties
        plan = self.model._training_step()
        for _step in range(n):
            idx = self.next_batch(bs)
            grads = self._gradients(self._f_train[idx], self._t_train[idx], plan)
            # update: the optimizer moves every weight a little against its gradient
            opt.apply([np.concatenate([g.ravel() for g in grads])], [flat])
            for i, w in enumerate(self._weights):
                w[...] = flat[sl[i]:sl[i + 1]].reshape(w.shape)
            self.steps += 1
            if self._pos >= len(self._order):
                self.epoch += 1

    def _gradients(self, x: np.ndarray, t: np.ndarray, plan) -> list[np.ndarray]:
        """dL/dw of every trainable weight on one batch, penalties included: forward
        through the layers, the loss, then backward (dL/d(logits) straight from the loss
        where it is fused with the last activation). The model is a chain of layers, so
        this walks it directly: the same calls, in the same order, as
        ``compute_loss_and_grads`` makes through the model's graph, and so the same
        numbers, without the graph's bookkeeping (a quarter of a step's time)."""
        model, last = self.model, plan.logits_layers[0]
        # a Dropout of rate 0 passes its input and its gradient on as they are: left out
        layers = [layer for layer in model.layers if layer not in self.dropouts or layer.rate]
        with plan:
            a = x
            for layer in layers:                                    # forward
                if a.dtype != layer.dtype:
                    a = a.astype(layer.dtype)
                a = layer.forward(a, True)
            _loss, (g,) = model._loss([t], [a], None, True, plan.logits_layers)   # loss
            for layer in reversed(layers):                          # backward
                if layer is last:
                    g = layer.backward(g, from_logits=True)
                else:
                    g = layer.backward(g.astype(layer.dtype, copy=False))
                if g is None:                  # the first layer: no dL/d(input) needed
                    break
        grads = [g for layer in self.dense for g in layer.grads]
        for i, w, reg in plan.regularized:
            grads[i] += reg.gradient(w)        # d(penalty)/dw joins d(loss)/dw
        return grads

    @property
    def steps_per_epoch(self) -> int:
        return -(-len(self._t_train) // self.state["batch_size"])

    def train_epochs(self, n: int = 1) -> None:
        """Train until ``n`` more epochs are complete."""
        target = self.epoch + n
        while self.epoch < target:
            self.train_steps(1)

    def advance(self, budget: float = 0.025) -> None:
        """Train for one frame: up to ``speed`` epochs, stopping early (after at least one
        step) when ``budget`` seconds have gone, so frames keep coming on big settings."""
        start = time.perf_counter()
        target = self.steps + self.state["speed"] * self.steps_per_epoch
        stop = self.state["stop_epoch"]
        stopping = self.epoch < stop            # "stop at epoch N": pause exactly there
        if stopping:
            target = min(target, self.steps + self.steps_to_epoch(stop))
        chunk = max(1, min(self.steps_per_epoch, 8))
        while self.steps < target:
            self.train_steps(min(chunk, target - self.steps))
            if time.perf_counter() - start > budget:
                break
        if stopping and self.epoch >= stop:
            self.playing = False

    def steps_to_epoch(self, n: int) -> int:
        """The gradient steps left until epoch ``n`` (> the current one) is complete."""
        bs = self.state["batch_size"]
        left = len(self._order) - self._pos
        now = -(-left // bs) if left > 0 else self.steps_per_epoch
        return now + (n - self.epoch - 1) * self.steps_per_epoch

    # -------------------------------------------------------------- evaluating
    def forward(self, f_t: np.ndarray):
        """The network's outputs for the points whose features are the columns of ``f_t``
        (inference: no dropout). Returns ``(hidden, output)``: each hidden layer's output
        with one column per point (for these narrow layers that layout makes the products
        several times faster), and the output layer's with one row per point."""
        hidden = []
        a = f_t
        for layer in self.dense[:-1]:
            z = layer.kernel.T @ a
            z += layer.bias[:, None]
            a = layer.activation(z)
            hidden.append(a)
        last = self.dense[-1]
        z = a.T @ last.kernel
        z += last.bias
        return hidden, last.activation(z)

    def losses(self) -> dict:
        """Loss (the training objective without penalties) and accuracy on both sets."""
        out = {}
        for name, f, t in (("train", self._f_train, self._t_train),
                           ("test", self._f_test, self._t_test)):
            with np.errstate(all="ignore"):
                p = self.forward(f.T)[1]
                out[f"{name}_loss"] = _finite(self.model.loss(t, p)) if len(t) else None
                if self.classes:
                    guess = predicted_classes(p)
                    truth = t if t.ndim == 1 else t[:, 0]
                    out[f"{name}_accuracy"] = float(np.mean(guess == truth)) if len(t) else None
        return out

    def data_changed(self) -> list[dict]:
        """What tells the page its points changed: the state, then the points."""
        return [{"type": "state", "state": self.state, "changed": "data"}, self.data_message()]

    def data_message(self) -> dict:
        """The points (rounded to 3 decimals) and what they mean, for the browser."""
        def rows(x, y):
            return np.round(np.column_stack([x, y]).astype(np.float64), 3).tolist()
        return {"type": "data", "classes": self.classes, "problem": self.state["problem"],
                "train": rows(self.x_train, self.y_train), "test": rows(self.x_test, self.y_test)}

    # -------------------------------------------------------------------- frames
    def render(self) -> tuple[dict, list[tuple[str, np.ndarray]]]:
        """The frame's header and arrays: surface, neuron maps, weights and biases."""
        with np.errstate(all="ignore"):
            hidden, out = self.forward(self._f_grid_t)
            arrays = []
            if out.shape[1] > 1:                      # softmax: class and confidence
                arrays.append(("surface_class", np.argmax(out, axis=1).astype(np.uint8)
                               .reshape(GRID, GRID)))
                arrays.append(("surface", quantize(2 * out.max(axis=1) - 1)
                               .reshape(GRID, GRID)))
            elif self.classes:
                arrays.append(("surface", quantize(2 * out[:, 0] - 1).reshape(GRID, GRID)))
            else:
                arrays.append(("surface", quantize(out[:, 0]).reshape(GRID, GRID)))
            k = NEURON_STRIDE
            maps = np.concatenate([a.reshape(-1, GRID, GRID)[:, ::k, ::k]
                                   for a in [self._f_grid_t, *hidden]])
            scale = np.fmax(1.0, np.abs(maps).max(axis=(1, 2)))   # one per neuron
            maps /= scale[:, None, None]
            arrays.append(("neurons", quantize(maps)))
            for i, layer in enumerate(self.dense):
                arrays.append((f"w{i}", layer.kernel.astype(np.float32)))
                arrays.append((f"b{i}", layer.bias.astype(np.float32)))
        measures = self.losses()
        header = {"type": "frame", "network": self.builds, "epoch": self.epoch,
                  "steps": self.steps, "playing": self.playing, **measures,
                  **frame_scores(self, measures)}
        return header, arrays

    def frame(self, train: bool = False) -> bytes:
        """The next frame, encoded; with ``train``, after one frame of training."""
        if train:
            self.advance()
        return encode_frame(*self.render())
