"""TensorBoard event files written without TensorFlow.

An event file is a sequence of TFRecords; each record holds one ``Event`` protocol buffer.
A scalar is an ``Event`` with a wall time, a step and a ``Summary`` holding ``(tag, value)``
pairs. The few protobuf fields needed are encoded here by hand, so both engines write the
same files and ``tensorboard --logdir runs`` shows the curves of every run, NumPy or Keras.

Record layout (all integers little-endian)::

    uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)
"""

from __future__ import annotations

import os
import socket
import struct
import time
from pathlib import Path


def _crc32c_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1   # Castagnoli polynomial
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli) of ``data``, the checksum TFRecord uses."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _masked_crc(data: bytes) -> int:
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def tfrecord(data: bytes) -> bytes:
    """One TFRecord holding ``data``."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", _masked_crc(length)) + data
            + struct.pack("<I", _masked_crc(data)))


# ---------------------------------------------------------------- protobuf
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field_bytes(number: int, payload: bytes) -> bytes:       # wire type 2: length-delimited
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _event(wall_time: float, step: int, file_version: str | None = None,
           scalars: dict | None = None) -> bytes:
    """An ``Event``: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string),
    summary = 5 (``Summary``: value = 1, each ``Value`` with tag = 1, simple_value = 2)."""
    out = _varint(1 << 3 | 1) + struct.pack("<d", wall_time) + _varint(2 << 3) + _varint(step)
    if file_version is not None:
        out += _field_bytes(3, file_version.encode())
    if scalars:
        values = b"".join(
            _field_bytes(1, _field_bytes(1, tag.encode()) + _varint(2 << 3 | 5)
                         + struct.pack("<f", value))
            for tag, value in scalars.items()
        )
        out += _field_bytes(5, values)
    return out


def append_records(path, data: bytes) -> None:
    """Append ``data`` (whole records) to the event file ``path``, creating it, in one write
    that lands whole or not at all: a write cut short by a full disk is taken back, so the
    file never ends in half a record.

    Raises:
        DiskFullError: the disk is full; the file is left as it was.
    """
    from redes._base.files import DiskFullError, disk_full

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


class EventWriter:
    """Appends scalars to one TensorBoard event file in ``logdir``.

    The file is created at the first write. Each call appends whole records in one write,
    so a run stopped at any moment keeps every epoch written before, and a full disk leaves
    the file as it was (``DiskFullError``).

    Args:
        logdir: folder of the event file (created if missing), e.g. ``run/tensorboard/train``.
    """

    def __init__(self, logdir):
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

    def scalars(self, step: int, values: dict, wall_time: float | None = None) -> None:
        """Write ``{tag: number}`` at ``step`` (``None`` values are skipped; NaN is kept, so
        TensorBoard shows where training diverged)."""
        values = {str(tag): float(v) for tag, v in values.items() if v is not None}
        if not values:
            return
        record = tfrecord(_event(time.time() if wall_time is None else wall_time,
                                 int(step), scalars=values))
        if self.path is None:
            self.path = self._new_path()
        if not self.path.exists() or self.path.stat().st_size == 0:   # a new file begins
            record = tfrecord(_event(time.time(), 0, file_version="brain.Event:2")) + record
        append_records(self.path, record)
