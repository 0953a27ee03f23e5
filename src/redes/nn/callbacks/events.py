"""TensorBoard event files, written with TensorBoard's own pieces and without TensorFlow.

An event file is a sequence of records; each holds one ``Event`` protocol buffer (a wall
time, a step and a ``Summary`` of ``(tag, value)`` pairs). The protocol buffers come from
``tensorboard.compat.proto`` and each record is framed, with its CRC-32C checksums, by
``tensorboard.summary.writer.record_writer.RecordWriter``: the ``tensorboard`` package
(the optional extra ``pip install "redes[board]"``), which needs no TensorFlow.

Why not TensorBoard's ``EventFileWriter`` itself: it writes from a background thread and
keeps events in memory for up to two minutes, so a process that is killed loses the last
epochs, may leave half a record at the end of the file, and hears of a full disk only
later. ``EventWriter`` below appends the records of each call in one write that lands
whole or not at all, before returning: the file always ends in a whole record.

Record layout (``RecordWriter``; integers little-endian)::

    uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import socket
import struct
import time
import zlib
from pathlib import Path

import numpy as np

from ..._base.files import DiskFullError, disk_full
from ...i18n import _


def has_tensorboard() -> bool:
    """Whether the ``tensorboard`` package (the extra ``redes[board]``) is installed."""
    return importlib.util.find_spec("tensorboard") is not None


def _protos():
    """``(event_pb2, summary_pb2, tensor_pb2)``, or a clear error without ``tensorboard``."""
    try:
        from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2
    except ImportError as exc:
        raise ImportError(_(
            "TensorBoard event files need the tensorboard package, which is not installed: "
            "pip install \"redes[board]\"")) from exc
    return event_pb2, summary_pb2, tensor_pb2


def record(data: bytes) -> bytes:
    """One record holding ``data`` (a serialized ``Event``), framed by TensorBoard's
    ``RecordWriter``."""
    _protos()
    from tensorboard.summary.writer.record_writer import RecordWriter

    buffer = io.BytesIO()
    RecordWriter(buffer).write(data)
    return buffer.getvalue()


def append_records(path, data: bytes) -> None:
    """Append ``data`` (whole records) to the event file ``path``, creating it, in one write
    that lands whole or not at all: a write cut short by a full disk is taken back, so the
    file never ends in half a record.

    Raises:
        DiskFullError: the disk is full; the file is left as it was.
    """
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        size = os.fstat(fd).st_size
        try:
            written = os.write(fd, data)
        except OSError as exc:
            os.ftruncate(fd, size)
            if disk_full(exc):
                raise DiskFullError(path) from exc
            raise
        if written != len(data):              # the disk filled up during the write
            os.ftruncate(fd, size)
            raise DiskFullError(path)
    finally:
        os.close(fd)


def histogram(values, buckets: int = 30):
    """A ``HistogramProto`` of ``values``: ``buckets`` buckets of equal width from the
    smallest value to the largest (the 30 buckets of ``tf.summary.histogram``)."""
    _event_pb2, summary_pb2, _tensor_pb2 = _protos()
    values = np.asarray(values, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    proto = summary_pb2.HistogramProto(num=values.size)
    if values.size == 0:
        return proto
    low, high = float(values.min()), float(values.max())
    counts, edges = np.histogram(values, bins=buckets if high > low else 1,
                                 range=(low, high) if high > low else (low - 0.5, low + 0.5))
    proto.min, proto.max = low, high
    proto.sum, proto.sum_squares = float(values.sum()), float(values @ values)
    proto.bucket_limit.extend(edges[1:].tolist())     # right edge of each bucket
    proto.bucket.extend(counts.astype(float).tolist())
    return proto


def png(image: np.ndarray) -> bytes:
    """A PNG file of ``image`` (height, width, channels) of uint8: 1 gray, 3 RGB, 4 RGBA."""
    height, width, channels = image.shape
    color = {1: 0, 3: 2, 4: 6}[channels]
    rows = np.concatenate([np.zeros((height, 1), np.uint8),        # filter 0 on each row
                           image.reshape(height, width * channels)], axis=1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes())) + chunk(b"IEND", b""))


class EventWriter:
    """Appends events to one TensorBoard event file in ``logdir``.

    The file is created at the first write, with the ``file_version`` event that starts
    every event file. Each call appends whole records in one write, so a training stopped
    at any moment keeps every event written before, and a full disk leaves the file as it
    was (``DiskFullError``).

    Args:
        logdir: folder of the event file (created if missing), e.g. ``logs/train``.

    Raises:
        ImportError: naming ``pip install "redes[board]"``, without the ``tensorboard``
            package.
    """

    def __init__(self, logdir):
        _protos()
        self.logdir = Path(logdir)
        self.path: Path | None = None

    def _new_path(self) -> Path:
        self.logdir.mkdir(parents=True, exist_ok=True)
        host = socket.gethostname().replace(".", "_") or "host"
        stem = f"events.out.tfevents.{int(time.time())}.{host}.{os.getpid()}"
        n = 0
        while (self.logdir / f"{stem}.{n}.redes").exists():
            n += 1
        return self.logdir / f"{stem}.{n}.redes"

    def write(self, step: int, values: list, wall_time: float | None = None) -> None:
        """Write one event at ``step`` holding ``values`` (``Summary.Value`` protos)."""
        event_pb2, summary_pb2, _tensor_pb2 = _protos()
        if not values:
            return
        event = event_pb2.Event(wall_time=time.time() if wall_time is None else wall_time,
                                step=int(step), summary=summary_pb2.Summary(value=values))
        data = record(event.SerializeToString())
        if self.path is None:
            self.path = self._new_path()
        if not self.path.exists() or self.path.stat().st_size == 0:   # a new file begins
            first = event_pb2.Event(wall_time=time.time(), file_version="brain.Event:2")
            data = record(first.SerializeToString()) + data
        append_records(self.path, data)

    def scalars(self, step: int, values: dict, wall_time: float | None = None) -> None:
        """Write ``{tag: number}`` at ``step`` (``None`` values and the arrays of per-class
        metrics are skipped; NaN is kept, so TensorBoard shows where training diverged)."""
        summary_pb2 = _protos()[1]
        self.write(step, [summary_pb2.Summary.Value(tag=str(tag), simple_value=float(v))
                          for tag, v in values.items() if v is not None and np.ndim(v) == 0],
                   wall_time)

    def histograms(self, step: int, values: dict) -> None:
        """Write ``{tag: array}`` at ``step`` as histograms (Histograms dashboard)."""
        summary_pb2 = _protos()[1]
        self.write(step, [summary_pb2.Summary.Value(tag=str(tag), histo=histogram(v))
                          for tag, v in values.items()])

    def images(self, step: int, values: dict, max_outputs: int = 3) -> None:
        """Write ``{tag: array (n, height, width, channels) of floats}`` at ``step`` as
        ``tf.summary.image`` does: values clipped to [0, 1], up to ``max_outputs`` PNGs."""
        _event_pb2, summary_pb2, tensor_pb2 = _protos()
        out = []
        for tag, batch in values.items():
            batch = np.asarray(batch, dtype=np.float64)[:max_outputs]
            pixels = (np.clip(np.nan_to_num(batch), 0, 1) * 255.5).astype(np.uint8)
            strings = [str(batch.shape[2]).encode(), str(batch.shape[1]).encode(),
                       *(png(image) for image in pixels)]          # width, height, images
            out.append(summary_pb2.Summary.Value(
                tag=str(tag), metadata=_plugin(summary_pb2, "images", b""),
                tensor=tensor_pb2.TensorProto(dtype=7, string_val=strings,   # DT_STRING
                                              tensor_shape=_shape(len(strings)))))
        self.write(step, out)

    def model_config(self, config: dict, step: int = 0) -> None:
        """Write a model's configuration (class and layers, as JSON) under the tag
        ``keras``: what ``keras.callbacks.TensorBoard`` writes for the Graphs dashboard,
        which draws it as the model's conceptual graph, one box per layer."""
        _event_pb2, summary_pb2, tensor_pb2 = _protos()
        text = json.dumps(config, default=str).encode()
        self.write(step, [summary_pb2.Summary.Value(
            tag="keras", metadata=_plugin(summary_pb2, "graph_keras_model", b"1"),
            tensor=tensor_pb2.TensorProto(dtype=7, string_val=[text],
                                          tensor_shape=_shape()))])


def _plugin(summary_pb2, name: str, content: bytes):
    return summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=name, content=content))


def _shape(*dims):
    from tensorboard.compat.proto import tensor_shape_pb2

    return tensor_shape_pb2.TensorShapeProto(
        dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=d) for d in dims])
