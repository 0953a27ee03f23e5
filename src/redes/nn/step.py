"""The training step's workspace: what the layers may do during one step of ``fit``.

A training step runs forward, loss and backward on one batch, and nothing outside the step
holds on to the layers' results meanwhile. So, within the step (``with TrainingStep(...):``)
and only then:

* a layer may write its large results into arrays it keeps from one step to the next
  (``Layer.kept``), as a hand-written training loop does, and ReLU may work in place;
* the output layer whose softmax or sigmoid the loss reads from the logits (the fused
  crossentropy) gives its logits and leaves the activation out;
* a layer may hand work that its next operations do not wait for to the step's helper
  thread (``submit``), when the step has one (``redes.nn.cores``); the step ends only once
  that work is done.

The step names the layers it allows; a layer asks the current step (``current()``).
"""

from __future__ import annotations

_steps: list = []     # the steps under way, innermost last


def current():
    """The training step under way, or ``None`` outside one."""
    return _steps[-1] if _steps else None


class TrainingStep:
    """The training steps of one model, planned once (``fit`` reuses it at every step).

    Args:
        keepers: the layers that may keep their results in arrays of their own (each
            called once in the step: a shared layer needs every call's results).
        logits_layers: for each output, the layer that gives its logits to a fused loss, or
            ``None``.
        regularized: ``(index, weight, regularizer)`` of each trainable weight with a
            penalty, its index in the model's gradients.
        adds_losses: whether a layer may add losses in its call (one written with ops).
        helper: the helper thread (``redes.nn.cores.helper()``), or ``None``.
    """

    def __init__(self, keepers=(), logits_layers=(), regularized=(), adds_losses=True,
                 helper=None):
        self.keepers = {id(layer) for layer in keepers}
        self.logits_layers = list(logits_layers)
        self.logits = {id(layer) for layer in self.logits_layers if layer is not None}
        self.regularized = list(regularized)
        self.adds_losses = adds_losses     # whether a layer's call may add_loss
        self.helper = helper
        self._handed: list = []            # the work handed to the helper in this step

    def submit(self, fn, *args):
        """``fn(*args)`` on the helper thread; a future whose ``result()`` waits for it."""
        future = self.helper.submit(fn, *args)
        self._handed.append(future)
        return future

    def __enter__(self):
        _steps.append(self)
        return self

    def __exit__(self, *exc):
        _steps.remove(self)
        handed, self._handed = self._handed, []
        for future in handed:      # nothing of this step may run on into the next one
            future.exception()     # waits (an error is for the layer that asked for it)
