"""The training step's workspace: what the layers may do during one step of ``fit``.

A training step runs forward, loss and backward on one batch, and nothing outside the step
holds on to the layers' results meanwhile. So, within the step (``with TrainingStep(...):``)
and only then:

* a layer may write its large results into arrays it keeps from one step to the next
  (``Layer.kept``), as a hand-written training loop does, and ReLU may work in place;
* the output layer whose softmax or sigmoid the loss reads from the logits (the fused
  crossentropy) gives its logits and leaves the activation out.

The step names the layers it allows; a layer asks the current step (``current()``).
"""

from __future__ import annotations

_steps: list = []     # the steps under way, innermost last


def current():
    """The training step under way, or ``None`` outside one."""
    return _steps[-1] if _steps else None


class TrainingStep:
    """One training step.

    Args:
        keepers: the layers that may keep their results in arrays of their own (each
            called once in the step: a shared layer needs every call's results).
        logits: the output layers that give their logits to a fused loss.
    """

    def __init__(self, keepers=(), logits=()):
        self.keepers = {id(layer) for layer in keepers}
        self.logits = {id(layer) for layer in logits}

    def __enter__(self):
        _steps.append(self)
        return self

    def __exit__(self, *exc):
        _steps.remove(self)
