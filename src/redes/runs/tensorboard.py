"""TensorBoard event files of a run, written by the engine's writer.

Both engines' runs get the same files (``tensorboard/train`` and ``tensorboard/validation``
with Keras' tags), so ``tensorboard --logdir runs`` shows the curves of every run, NumPy or
Keras. The writer is ``redes.nn.callbacks.events.EventWriter`` (the one of
``redes.nn.callbacks.TensorBoard``), built on the ``tensorboard`` package, the extra
``pip install "redes[board]"``. Without it a run writes no event files (its history.json
and history.csv hold the same numbers).

``redes.nn`` is imported on first use, so importing ``redes.runs`` stays fast.
"""

from __future__ import annotations

from pathlib import Path


def has_tensorboard() -> bool:
    """Whether the ``tensorboard`` package is installed."""
    import importlib.util

    return importlib.util.find_spec("tensorboard") is not None


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli) of ``data``, the checksum of event-file records (TensorBoard's
    own function)."""
    from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import crc32c as tb_crc32c

    return tb_crc32c(data)


def tfrecord(data: bytes) -> bytes:
    """One record holding ``data`` (see ``redes.nn.callbacks.events.record``)."""
    from redes.nn.callbacks.events import record

    return record(data)


def append_records(path, data: bytes) -> None:
    """Append whole records to an event file in one write that lands whole or not at all
    (see ``redes.nn.callbacks.events.append_records``)."""
    from redes.nn.callbacks.events import append_records as append

    append(path, data)


class EventWriter:
    """Appends scalars to one TensorBoard event file in ``logdir``, with the engine's writer
    (``redes.nn.callbacks.events.EventWriter``), or writes nothing without the
    ``tensorboard`` package.

    Args:
        logdir: folder of the event file (created if missing), e.g. ``run/tensorboard/train``.
    """

    def __init__(self, logdir):
        self.logdir = Path(logdir)
        self._writer = None

    @property
    def path(self) -> Path | None:
        """The event file, once written."""
        return None if self._writer is None else self._writer.path

    def scalars(self, step: int, values: dict, wall_time: float | None = None) -> None:
        """Write ``{tag: number}`` at ``step`` (``None`` values are skipped; NaN is kept).

        Raises:
            DiskFullError: the disk is full; the file is left as it was.
        """
        if self._writer is None:
            if not has_tensorboard():
                return
            from redes.nn.callbacks.events import EventWriter as Writer

            self._writer = Writer(self.logdir)
        self._writer.scalars(step, values, wall_time)
