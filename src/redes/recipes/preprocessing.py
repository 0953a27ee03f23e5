"""The preprocessing steps a recipe may name, fitted on training data only.

Each step is ``[name, {arguments}]``; the steps run in order:

* ``["normalize", {}]``: feature-wise ``(x - mean) / std`` with the mean and standard
  deviation of the training inputs (in k-fold validation, of the training folds only).
* ``["scale", {"divide_by": 255}]``: ``x / divide_by`` (pixels to [0, 1]).
* ``["flatten", {}]``: each sample to one vector, ``(n, 28, 28) -> (n, 784)``.
* ``["reshape", {"shape": [40, 1]}]``: each sample to ``shape`` (e.g. add the channel axis a
  convolution needs).
* ``["multi_hot", {"dimension": 10000}]``: word-index sequences to 0/1 vectors.
* ``["one_hot", {"num_classes": 46}]``: integer labels to one-hot targets (acts on ``y``).

Example:
    >>> pre = Preprocessor([["normalize", {}]]).fit(x_train, y_train)
    >>> x_train, y_train = pre.transform(x_train, y_train)
    >>> x_test, y_test = pre.transform(x_test, y_test)
"""

from __future__ import annotations

import numpy as np

from ..i18n import _

STEPS = {
    "normalize": (),
    "scale": ("divide_by",),
    "flatten": (),
    "reshape": ("shape",),
    "multi_hot": ("dimension",),
    "one_hot": ("num_classes",),
}


def check_steps(steps) -> list:
    """Check a list of steps; raise ValueError naming the bad step."""
    if not isinstance(steps, list):
        raise ValueError(_("expected a list of [step, {{arguments}}], got {value!r:.80}").format(
            value=steps))
    for i, step in enumerate(steps):
        ok = (isinstance(step, (list, tuple)) and len(step) == 2 and isinstance(step[0], str)
              and isinstance(step[1], dict))
        if not ok:
            raise ValueError(_("step {index}: expected [name, {{arguments}}], got "
                               "{value!r:.80}").format(index=i, value=step))
        name, kwargs = step
        if name not in STEPS:
            raise ValueError(_("step {index}: unknown step {name!r}; expected one of "
                               "{options}").format(index=i, name=name, options=list(STEPS)))
        missing = [a for a in STEPS[name] if a not in kwargs]
        extra = [a for a in kwargs if a not in STEPS[name]]
        if missing or extra:
            raise ValueError(_("step {index} ({name}): expected the arguments {expected}, "
                               "got {given}").format(index=i, name=name,
                                                     expected=list(STEPS[name]),
                                                     given=sorted(kwargs)))
        if name == "scale" and not (isinstance(kwargs["divide_by"], (int, float))
                                    and kwargs["divide_by"] > 0):
            raise ValueError(_("step {index} (scale): divide_by: expected a number > 0, got "
                               "{value!r}").format(index=i, value=kwargs["divide_by"]))
        for arg in ("dimension", "num_classes"):
            value = kwargs.get(arg, 1)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(_("step {index} ({name}): {arg}: expected an integer >= 1, "
                                   "got {value!r}").format(index=i, name=name, arg=arg,
                                                           value=value))
        if name == "reshape":
            shape = kwargs["shape"]
            if not (isinstance(shape, list) and shape and all(
                    isinstance(s, int) and (s >= 1 or s == -1) for s in shape)):
                raise ValueError(_("step {index} (reshape): shape: expected a list of sizes "
                                   "such as [28, 28, 1], got {value!r}").format(index=i,
                                                                                value=shape))
    return steps


class Preprocessor:
    """The preprocessing steps of a recipe, with what ``normalize`` learned from training data.

    Args:
        steps: a list of ``[name, {arguments}]`` (see the module docstring).
    """

    def __init__(self, steps):
        self.steps = [(name, dict(kwargs)) for name, kwargs in check_steps(list(steps))]
        self.normalizers: dict[int, object] = {}
        self.fitted = False

    def fit(self, x, y=None) -> Preprocessor:
        """Learn the statistics of the stateful steps (``normalize``) from training data."""
        from redes.data import Normalizer

        self.normalizers = {}
        last = max((i for i, (name, _kwargs) in enumerate(self.steps) if name == "normalize"),
                   default=-1)
        for i, (name, kwargs) in enumerate(self.steps[:last + 1]):  # steps up to the last fit
            if name == "normalize":
                self.normalizers[i] = Normalizer().fit(x)
            x = self._step_x(i, name, kwargs, x)
        self.fitted = True
        return self

    def _step_x(self, i, name, kwargs, x):
        from redes.data import multi_hot

        if name == "normalize":
            return self.normalizers[i].transform(x)
        if name == "scale":
            return (np.asarray(x, dtype=np.float32) / np.float32(kwargs["divide_by"]))
        if name == "flatten":
            x = np.asarray(x)
            return x.reshape(len(x), -1)
        if name == "reshape":
            x = np.asarray(x)
            try:
                return x.reshape(len(x), *kwargs["shape"])
            except ValueError:
                raise ValueError(_("preprocessing: reshape: samples of shape {shape} do "
                                   "not fit the shape {target}").format(
                    shape=x.shape[1:], target=kwargs["shape"])) from None
        if name == "multi_hot":
            return multi_hot(x, dimension=kwargs["dimension"])
        return x  # one_hot acts on the targets

    def transform(self, x, y=None):
        """``(x, y)`` after every step (``y`` is passed through unless there is a one_hot)."""
        from redes.data import to_categorical

        if not self.fitted:
            raise RuntimeError(_("Preprocessor: call fit(x_train, y_train) before transform"))
        for i, (name, kwargs) in enumerate(self.steps):
            x = self._step_x(i, name, kwargs, x)
            if name == "one_hot" and y is not None:
                y = to_categorical(y, kwargs["num_classes"])
        x = np.asarray(x)
        if x.dtype.kind in "biuf" and x.dtype != np.float32:
            x = x.astype(np.float32)
        return x, y

    def fit_transform(self, x, y=None):
        """``fit(x, y)`` then ``transform(x, y)``."""
        return self.fit(x, y).transform(x, y)

    def get_config(self) -> dict:
        """A JSON-ready dict: the steps and the statistics learned by ``normalize``."""
        return {"steps": [[name, kwargs] for name, kwargs in self.steps],
                "normalizers": {str(i): n.get_config() for i, n in self.normalizers.items()}}
