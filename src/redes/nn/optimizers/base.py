"""The optimizer base: a small state per weight plus an update rule (as in optax).

One training step, ``apply(grads, variables)``, does what Keras 3 does, in this order:

1. on the first call, ``build(variables)`` makes the optimizer's buffers (momentum,
   moment estimates...), one array of the variable's shape and dtype per buffer and weight;
2. the gradients are clipped (``clipnorm``, ``global_clipnorm`` or ``clipvalue``; see
   ``redes.nn.optimizers.clipping``);
3. weight decay shrinks every weight: ``w -= w * weight_decay * lr``;
4. ``update_step`` moves each weight with the optimizer's own rule;
5. ``iterations`` goes up by one.

The weights are the layers' own arrays and are updated in place. The learning rate is a
number or a schedule of ``iterations`` (see ``redes.nn.optimizers.schedules``) and can be
changed between steps (``optimizer.learning_rate = 0.01``), as callbacks such as
``ReduceLROnPlateau`` do.

``get_state()`` returns everything that changes during training (the step count, the
learning rate and the buffers) as a list of arrays, in the same order as Keras'
``optimizer.variables`` (see ``redes.nn.optimizers.state``); ``set_state`` puts it back, so
that training resumes exactly where it stopped.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend
from ..serialization import snake_case
from ..variables import arrays
from . import schedules
from .arguments import check_keras_arguments, check_number
from .clipping import check_clipping, clip_gradients
from .state import buffers_in_keras_order, scalar, slots_from_keras_order, split_state

# TensorFlow flushes subnormal ("denormal") floats to zero, so Keras never computes on them.
# A buffer that decays step after step (the momentum of a weight whose gradient stays zero,
# such as a dead ReLU unit's) falls below the smallest normal float (1.2e-38 in float32)
# within a few hundred steps, and NumPy would then compute on subnormals, which processors
# handle many times slower: Adam's epochs on an MLP with dead units grew 3x slower. Every
# FLUSH_EVERY steps the buffers' subnormal values, far too small to move any weight, are set
# to zero; a unit that stays dead then costs nothing more.
FLUSH_EVERY = 16

# An update makes a dozen passes over a weight's arrays (weight, gradient, buffers). A large
# weight is updated in pieces of PIECE values (256 KiB in float32), which stay in the
# processor's cache through all the passes: Adam's step on a 784 x 512 kernel took 1.32 ms
# over the whole arrays and 0.99 ms in pieces (smaller pieces cost more calls than they
# save). Every update is elementwise, so the result is the same to the bit.
PIECE = 65_536


class Optimizer:
    """Base class of the optimizers.

    Subclasses name their buffers in ``slot_groups()`` and implement
    ``update_step(grad, variable, lr, slots, scratch)``, which updates ``variable`` and its
    buffers (``slots[name]``, arrays of the variable's shape) in place, computing in
    ``scratch`` (an array of the same shape).

    Args:
        learning_rate: a float or a ``LearningRateSchedule``. Defaults to 0.001.
        weight_decay: if set, every step first shrinks each weight:
            ``w -= w * weight_decay * lr``. Defaults to ``None``.
        clipnorm: if set, the gradient of each weight is scaled down so that its L2 norm is
            at most this value. Defaults to ``None``.
        clipvalue: if set, each gradient element is clipped to
            ``[-clipvalue, clipvalue]``. Defaults to ``None``.
        global_clipnorm: if set, all gradients are scaled down together so that their
            global L2 norm (the norm of all of them concatenated) is at most this value.
            Defaults to ``None``. At most one of the three clipping arguments may be set;
            0 means no clipping, as in Keras.
        name: the optimizer's name. Defaults to the class name in snake case, numbered
            (``adam``, ``adam_1``...).
        use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor,
            gradient_accumulation_steps: Keras arguments accepted at their defaults
            (``False``, 0.99, ``None``, ``None``, ``None``); redes does not implement them.
    """

    def __init__(self, learning_rate=0.001, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None, **kwargs):
        check_keras_arguments(type(self), kwargs)
        self._learning_rate = schedules.check_learning_rate(learning_rate)
        self.weight_decay = check_number("weight_decay", weight_decay, minimum=0, none_ok=True)
        self.clipnorm, self.clipvalue, self.global_clipnorm = check_clipping(
            clipnorm, clipvalue, global_clipnorm)
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(_("name: expected a non-empty string, got {value!r}").format(
                value=name))
        self.name = name or backend.unique_name(snake_case(type(self).__name__))
        self.iterations = 0
        self.built = False
        self.slots: dict[str, list[np.ndarray]] = {}
        self._variables: list[np.ndarray] | None = None
        self._shapes: list[tuple] | None = None
        self._no_decay: set[int] = set()
        self._scratches: dict[int, np.ndarray] = {}
        self._cut: dict[int, tuple] = {}   # see _pieces
        self._overwrite = False     # whether update_step may compute in the gradient

    # ------------------------------------------------------------ learning rate
    @property
    def learning_rate(self) -> float:
        """The learning rate of the next step (a schedule is evaluated at ``iterations``)."""
        lr = self._learning_rate
        return float(lr(self.iterations)) if callable(lr) else lr

    @learning_rate.setter
    def learning_rate(self, value):
        value = schedules.check_learning_rate(value)
        if isinstance(self._learning_rate, schedules.LearningRateSchedule) and not isinstance(
            value, schedules.LearningRateSchedule
        ):
            raise TypeError(_(
                "learning_rate: this optimizer follows the schedule "
                "{schedule}, so its learning rate cannot be set to "
                "a number ({value!r}); create the optimizer with a float learning_rate to "
                "change it during training"
            ).format(schedule=type(self._learning_rate).__name__, value=value))
        self._learning_rate = value

    # ----------------------------------------------------------------- buffers
    def slot_groups(self) -> list[tuple[str, ...]]:
        """The names of the buffers kept per weight, grouped as Keras orders its variables.

        Within a group the buffers of one weight come together (``m0, v0, m1, v1``...);
        groups follow each other (``m0, v0, m1, v1, vhat0, vhat1``).
        """
        return []

    def slot_initial_value(self, name: str) -> float:
        """The value a buffer starts from (zero unless a subclass says otherwise)."""
        return 0.0

    def build(self, variables) -> None:
        """Make the buffers for ``variables`` (the arrays that ``apply`` will update).

        On an optimizer that is already built (or was given a state) it only checks that
        ``variables`` fit the buffers, as Keras keeps existing buffers too.
        """
        variables = arrays(variables)
        if self.built:
            self._check_variables(variables)
            return
        for i, v in enumerate(variables):
            if not isinstance(v, np.ndarray) or v.dtype.kind != "f":
                raise ValueError(_(
                    "variables: expected float NumPy arrays (updated in place), got "
                    "{type} at position {index}"
                ).format(type=type(v).__name__, index=i))
            if not v.flags.writeable:
                raise ValueError(_("variables: the array at position {index} is read-only")
                                 .format(index=i))
        self.slots = {
            name: [np.full_like(v, self.slot_initial_value(name)) for v in variables]
            for group in self.slot_groups() for name in group
        }
        self._variables = variables
        self._shapes = [v.shape for v in variables]
        self.built = True

    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Leave the arrays of ``var_list`` out of weight decay.

        Args:
            var_list: the weights (NumPy arrays, e.g. ``layer.bias``) not to decay.
                Defaults to ``None``.
            var_names: not supported: redes weights are plain arrays without names.
        """
        if var_names:
            raise ValueError(_(
                "var_names: redes weights are NumPy arrays without names; pass the arrays "
                "themselves with var_list (for example var_list=[layer.bias])"
            ))
        self._no_decay = {id(v) for v in (var_list or [])}

    # ----------------------------------------------------------------- updates
    def apply(self, grads, variables=None) -> None:
        """One step: update ``variables`` in place from ``grads`` (lists in the same order).

        A ``None`` gradient leaves its weight untouched. ``variables`` may be left out once
        the optimizer is built, as in Keras.
        """
        grads = list(grads)
        if not grads:
            return
        if variables is None:
            if self._variables is None:
                raise ValueError(_(
                    "variables: give the weights to update (the optimizer is not built yet)"
                ))
            variables = self._variables
        else:
            variables = arrays(variables)
            if not self.built:
                self.build(variables)
            else:
                self._check_variables(variables)
        if len(grads) != len(variables):
            raise ValueError(_(
                "grads: expected one gradient per weight ({expected}), got {count}"
            ).format(expected=len(variables), count=len(grads)))
        grads = [None if g is None else self._check_grad(i, g, v)
                 for i, (g, v) in enumerate(zip(grads, variables))]
        if all(g is None for g in grads):
            raise ValueError(_("grads: no gradient was given for any weight (all are None)"))
        self._step(grads, variables)

    def _step(self, grads, variables, overwrite=False) -> None:
        """``apply`` without its checks, for callers whose gradients are known to fit the
        built optimizer (``Sequential.fit``: one gradient per weight, of its shape and
        dtype). With ``overwrite`` the gradients are the caller's to discard, and an update
        may compute in them instead of in a scratch array (one pass less over memory)."""
        self._overwrite = overwrite
        grads = clip_gradients(grads, self.clipnorm, self.global_clipnorm, self.clipvalue)
        lr = self.learning_rate
        if self.weight_decay:
            self._apply_weight_decay(grads, variables, lr)
        self._before_update_steps()
        for i, (g, v) in enumerate(zip(grads, variables)):
            if g is not None:
                for g_part, v_part, slots, scratch in self._pieces(i, g, v):
                    self.update_step(g_part, v_part, lr, slots, scratch)
        self.iterations += 1
        self._overwrite = False
        if self.iterations % FLUSH_EVERY == 0:
            self._flush_subnormals()

    def _flush_subnormals(self) -> None:
        """Set the buffers' subnormal values to zero (see ``FLUSH_EVERY``)."""
        for buffers in self.slots.values():
            for a in buffers:
                a[np.abs(a) < np.finfo(a.dtype).tiny] = 0

    def apply_gradients(self, grads_and_vars) -> int:
        """Keras' form of ``apply``: an iterable of (gradient, variable) pairs.

        Returns the step count after the update, as Keras does.
        """
        pairs = list(grads_and_vars)
        self.apply([g for g, _var in pairs], [v for _grad, v in pairs])
        return self.iterations

    def update_step(self, grad: np.ndarray, variable: np.ndarray, lr: float, slots: dict,
                    scratch: np.ndarray):
        """Update ``variable`` and its buffers ``slots`` (name -> array) in place from
        ``grad``; ``scratch`` holds temporaries. The arrays may be a piece of a weight."""
        raise NotImplementedError

    def _pieces(self, index, grad, variable):
        """``(grad, variable, slots, scratch)`` of weight ``index``: its whole arrays, or
        for a large weight the same pieces of PIECE values of each (see ``PIECE``). An
        update without buffers (plain SGD) makes two passes and gains nothing from pieces.
        The list is made again only when the arrays change (a model steps with the same
        gradient arrays every time, and ``build``/``set_state`` make a new ``self.slots``)."""
        cached = self._cut.get(index)
        if (cached is not None and cached[0] is grad and cached[1] is variable
                and cached[2] is self.slots):
            return cached[3]
        slots = {name: buffers[index] for name, buffers in self.slots.items()}
        scratch = self._scratch(index, grad)
        arrays = [grad, variable, scratch, *slots.values()]
        if not slots or variable.size <= PIECE or not all(a.flags.c_contiguous for a in arrays):
            pieces = [(grad, variable, slots, scratch)]
        else:
            flat = [a.reshape(-1) for a in arrays]          # views of the same memory
            pieces = []
            for start in range(0, variable.size, PIECE):
                g, v, tmp, *buffers = (a[start:start + PIECE] for a in flat)
                pieces.append((g, v, dict(zip(slots, buffers)), tmp))
        self._cut[index] = (grad, variable, self.slots, pieces)
        return pieces

    def _scratch(self, index: int, like: np.ndarray) -> np.ndarray:
        """An array shaped like ``like`` for the temporaries of weight ``index``'s update,
        made once and reused every step (a step then allocates nothing)."""
        buf = self._scratches.get(index)
        if buf is None or buf.shape != like.shape or buf.dtype != like.dtype:
            buf = self._scratches[index] = np.empty_like(like)
        return buf

    def _before_update_steps(self) -> None:
        """Work done once per step before the weights are updated (Nadam uses it)."""

    def _check_variables(self, variables):
        if len(variables) != len(self._shapes):
            raise ValueError(_(
                "variables: this optimizer was built for {expected} weights, got "
                "{count}; create a new optimizer (compile again) when the set of "
                "trained weights changes"
            ).format(expected=len(self._shapes), count=len(variables)))
        for i, (v, shape) in enumerate(zip(variables, self._shapes)):
            if not isinstance(v, np.ndarray) or v.shape != shape:
                raise ValueError(_(
                    "variables: weight {index} was {shape} when the optimizer was built, got "
                    "{got}; create a new optimizer for new weights"
                ).format(index=i, shape=shape, got=getattr(v, "shape", type(v).__name__)))
        self._variables = variables

    @staticmethod
    def _check_grad(i, grad, variable):
        grad = np.asarray(grad, dtype=variable.dtype)
        if grad.shape != variable.shape:
            raise ValueError(_(
                "grads: the gradient of weight {index} has shape {shape}, expected "
                "{expected} (the weight's shape)"
            ).format(index=i, shape=grad.shape, expected=variable.shape))
        return grad

    def _apply_weight_decay(self, grads, variables, lr):
        """w <- w - w * weight_decay * lr, before the update rule (decoupled weight decay)."""
        decay = self.weight_decay * lr
        for g, v in zip(grads, variables):
            if g is not None and id(v) not in self._no_decay:
                v -= v * decay

    # ------------------------------------------------------------------- state
    def _state_header(self) -> list[np.ndarray]:
        header = [np.asarray(self.iterations, dtype=np.int64)]
        if not isinstance(self._learning_rate, schedules.LearningRateSchedule):
            header.append(np.asarray(self._learning_rate, dtype=np.float64))
        return header

    def _state_extra(self) -> list[np.ndarray]:
        """Per-optimizer values that come after the buffers (Nadam's running product)."""
        return []

    def _set_state_extra(self, extra) -> None:
        pass

    def get_state(self) -> list[np.ndarray]:
        """Copies of the step count, the learning rate (when not a schedule), the buffers
        and any other running value, in the order of Keras' ``optimizer.variables``."""
        buffers = buffers_in_keras_order(self.slot_groups(), self.slots)
        return self._state_header() + buffers + self._state_extra()

    def set_state(self, state) -> None:
        """Load what ``get_state`` returned (possibly by another optimizer of the same class
        and configuration), so that the next step is the one that would have come next."""
        state = [np.asarray(s) for s in state]
        n_header, n_extra = len(self._state_header()), len(self._state_extra())
        groups = self.slot_groups()
        per_weight = sum(len(group) for group in groups)
        header, buffers, extra = split_state(state, type(self).__name__, n_header,
                                             per_weight, n_extra)
        if per_weight:
            slots = slots_from_keras_order(groups, buffers)
            shapes = [a.shape for a in slots[groups[0][0]]]
            if self.built:
                if shapes != self._shapes:
                    raise ValueError(_(
                        "state: buffers for weights of shapes {shapes}, but the optimizer "
                        "was built for {expected}"
                    ).format(shapes=shapes, expected=self._shapes))
                slots = {name: [a.astype(b.dtype, copy=False)  # keep the dtypes of build
                                for a, b in zip(arrays, self.slots[name])]
                         for name, arrays in slots.items()}
            else:
                self._shapes, self._variables, self.built = shapes, None, True
            self.slots = slots
        self.iterations = int(scalar(header[0]))
        if len(header) > 1:
            self._learning_rate = schedules.check_learning_rate(float(scalar(header[1])))
        self._set_state_extra(extra)

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict:
        """The constructor arguments, JSON-ready (a schedule becomes a nested config)."""
        return {
            "name": self.name,
            "learning_rate": schedules.serialize(self._learning_rate),
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "learning_rate" in config:
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r} learning_rate={self._learning_rate!r}>"

