"""Training one Keras model on several devices, and in mixed precision.

``keras_strategy("mirrored")`` gives a context in which a Keras model is built and trained
with ``tf.distribute.MirroredStrategy``: one copy of the model per GPU, each batch split
between them, gradients summed across them. On a machine without a GPU it mirrors over
2 logical CPU devices instead (useful to try data parallelism on a laptop, not faster)::

    from redes.tune.scaling import keras_strategy
    from redes.engines.training import train_recipe

    with keras_strategy("mirrored") as strategy:       # before anything else uses TensorFlow
        print(strategy.num_replicas_in_sync)           # 2 on a CPU-only machine
        result = train_recipe(recipe, "keras")

The batch size of the recipe is the global batch: each of ``n`` replicas gets
``batch_size / n`` samples per step.

Constraint: the logical CPU devices must be configured before TensorFlow initializes its
devices, i.e. before the first tensor, model or ``list_logical_devices`` call of the
process. Call ``keras_strategy`` first (or in a fresh process); later it raises a clear
error instead of silently using one device.

``mixed_precision=True`` computes in float16 with float32 weights
(``mixed_float16``), which speeds up GPUs with tensor cores. On a CPU it is slower and
less precise, so it is refused with a warning and the model stays in float32.
"""

from __future__ import annotations

import contextlib
import warnings

from redes.i18n import _

DISTRIBUTE = ("mirrored", None)


def configure_cpu_devices(n: int = 2) -> None:
    """Split the CPU into ``n`` logical devices (must run before TensorFlow uses devices).

    Args:
        n: the number of logical CPU devices. Defaults to ``2``.

    Raises:
        RuntimeError: TensorFlow already initialized its devices with fewer CPU devices.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(_("{name}: expected an integer >= {minimum}, got {value!r}").format(
            name="n", minimum=1, value=n))
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _device in range(n)])
    except RuntimeError:
        if len(tf.config.list_logical_devices("CPU")) >= n:
            return
        raise RuntimeError(
            _("keras_strategy: TensorFlow already initialized its devices, so the CPU cannot "
              "be split into {n} logical devices any more; call keras_strategy before any "
              "other TensorFlow or Keras code of this process (or run it in a fresh "
              "process)").format(n=n)
        ) from None


@contextlib.contextmanager
def keras_strategy(distribute: str | None = "mirrored", mixed_precision: bool = False):
    """A context for building and training a Keras model on several devices.

    Inside it, Keras models are created under ``strategy.scope()``; ``train_recipe(recipe,
    "keras")`` and ``model.fit`` then train on every device. Leaving it restores the
    previous mixed-precision policy.

    Args:
        distribute: ``"mirrored"``: ``tf.distribute.MirroredStrategy`` over the GPUs
            TensorFlow sees, or over 2 logical CPU devices when there is none; ``None``: the
            default strategy (one device). Defaults to ``"mirrored"``.
        mixed_precision: compute in float16 with float32 weights (Keras ``mixed_float16``
            policy). Only on GPU: on a CPU it warns and keeps float32. Defaults to ``False``.

    Yields:
        The ``tf.distribute.Strategy`` (``strategy.num_replicas_in_sync`` devices).

    Raises:
        ValueError: a bad ``distribute`` or ``mixed_precision``.
        RuntimeError: TensorFlow is missing, or its devices were initialized before the CPU
            could be split (see the module docstring).
    """
    if distribute not in DISTRIBUTE:
        raise ValueError(_("distribute: expected 'mirrored' or None, got {value!r}").format(
            value=distribute))
    if not isinstance(mixed_precision, bool):
        raise ValueError(_("mixed_precision: expected True or False, got {value!r}").format(
            value=mixed_precision))
    from redes.engines import import_keras

    keras = import_keras()
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if distribute == "mirrored":
        if gpus:
            strategy = tf.distribute.MirroredStrategy()
        else:
            configure_cpu_devices(2)
            devices = [d.name for d in tf.config.list_logical_devices("CPU")[:2]]
            strategy = tf.distribute.MirroredStrategy(
                devices=devices, cross_device_ops=tf.distribute.ReductionToOneDevice())
    else:
        strategy = tf.distribute.get_strategy()
    previous = keras.mixed_precision.global_policy().name
    if mixed_precision and not gpus:
        warnings.warn(_("mixed_precision: no GPU found; float16 on a CPU is slower and less "
                        "precise, so the model stays in float32"), RuntimeWarning, stacklevel=3)
    elif mixed_precision:
        keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        with strategy.scope():
            yield strategy
    finally:
        keras.mixed_precision.set_global_policy(previous)
