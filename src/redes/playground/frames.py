"""The playground's frames: what the server sends the browser, in binary, after some training.

A frame is a JSON header (epoch, losses, whatever the session puts in it) and named arrays
(the decision surface and neuron maps as 8-bit images, the weights and biases as float32).
It travels in one of two forms, told apart by its first four bytes:

* **full** (``RPG1``, ``encode_frame``): ``RPG1``, the header's length (uint32, little
  endian), the header as JSON with a ``sections`` list (each array's ``name``, ``dtype``
  ``u1`` or ``f4``, ``shape`` and byte ``offset``), then the arrays, each at an offset that
  is a multiple of 4 (so the browser can view them as they are). About 150 KB for a 6 x 8
  network. Every frame stands alone.
* **compact** (``RPG2``, ``FrameEncoder``): the same header (its sections also say
  ``delta``, and ``body`` gives the body's length), then the body of a full frame
  compressed with raw deflate. In the body, an 8-bit array marked ``delta`` holds its
  byte-by-byte difference (mod 256) from the array of the same name in the previous frame:
  while a network learns, most pixels of most maps change little from one frame to the
  next, and a run of zeros deflates to almost nothing. Then every 8-bit array (a
  difference or not) is written along its rows (``along_rows``): each byte minus the one
  to its left, mod 256, since neighbouring pixels change alike. Weights and biases stay
  exact float32. A frame with no ``delta`` section (``key``: true) stands alone: the first
  one, and every array whose shape changed (a new network) is sent whole.

So a compact frame can only be read after the one before it (``FrameDecoder``, and
``static/frames.js`` in the browser); frames are never dropped between the encoder and the
page (the server skips whole frames before encoding them instead).

Measured on the 6 x 8 network of ``benchmarks/bench_playground.py`` (see
``docs/benchmarks.md``): a frame that is 152 KB whole is 60 to 70 KB in the first epochs,
when the network changes fast, 47 KB on average over its first 155 epochs and under 10 KB
once it has learned; the differences along rows make frames about 10 % smaller, and
deflate level 1 with the run-length strategy (``Z_RLE``) gives frames as small as level 6
does in a third of the time (1.4 ms).
"""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np

from ..i18n import _

MAGIC = b"RPG1"             # a full frame
COMPACT = b"RPG2"           # a compact frame: deltas, deflated
LEVEL = 1                   # deflate level (see the module's docstring for the measurements)
DTYPES = {"uint8": "u1", "float32": "f4"}


def _layout(header: dict, arrays, previous: dict | None = None):
    """The header (with ``sections``) and the body's chunks; with ``previous`` (name -> the
    8-bit array of the last frame), 8-bit arrays of the same shape as their previous one
    are written as differences from it."""
    sections, chunks, offset = [], [], 0
    for name, a in arrays:
        a = np.ascontiguousarray(a)
        dtype = DTYPES[a.dtype.name]
        section = {"name": name, "dtype": dtype, "shape": list(a.shape), "offset": offset}
        if previous is not None:
            base = previous.get(name) if dtype == "u1" else None
            section["delta"] = base is not None and base.shape == a.shape
            if section["delta"]:
                a = np.subtract(a, base, dtype=np.uint8)     # wraps around: mod 256
            if dtype == "u1":
                a = along_rows(a)
        sections.append(section)
        raw = a.astype("<" + dtype, copy=False).tobytes()
        chunks.append(raw + b"\0" * (-len(raw) % 4))
        offset += len(chunks[-1])
    return {**header, "sections": sections}, chunks


def along_rows(a: np.ndarray) -> np.ndarray:
    """Each byte minus the one to its left (mod 256), the first of each row as it is: the
    changes of a smooth picture are smooth too, so these are mostly near 0."""
    out = a.copy()
    if a.ndim and a.size:
        np.subtract(a[..., 1:], a[..., :-1], out=out[..., 1:], dtype=np.uint8)
    return out


def summed_along_rows(a: np.ndarray) -> np.ndarray:
    """The inverse of ``along_rows``: running sums along each row (mod 256), one column
    at a time for all the rows at once (three times as fast as ``np.cumsum`` here)."""
    if a.ndim == 0 or a.size == 0:
        return a.copy()
    out = a.reshape(-1, a.shape[-1]).copy()
    for j in range(1, out.shape[1]):
        out[:, j] += out[:, j - 1]
    return out.reshape(a.shape)


def _pack(magic: bytes, header: dict, body: bytes) -> bytes:
    text = json.dumps(header, allow_nan=False).encode()
    text += b" " * (-(len(text) + 8) % 4)
    return magic + struct.pack("<I", len(text)) + text + body


def encode_frame(header: dict, arrays) -> bytes:
    """A full frame (``RPG1``): ``MAGIC``, the header's length (uint32, little endian), the
    header as JSON, then each array at an offset that is a multiple of 4 (so the browser
    can view it as is)."""
    header, chunks = _layout(header, arrays)
    return _pack(MAGIC, header, b"".join(chunks))


def deflate(data: bytes, level: int = LEVEL) -> bytes:
    """Raw deflate (no zlib header: what the browser's ``deflate-raw`` reads)."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -15, 9, zlib.Z_RLE)
    return packer.compress(data) + packer.flush()


class FrameEncoder:
    """The compact frames (``RPG2``) of one session, for one client: each frame's 8-bit
    arrays as differences from the previous frame this encoder gave (the client must get
    every frame it gives, in order).

    Args:
        level: the deflate level, 0 to 9. Default ``LEVEL`` (1).
    """

    def __init__(self, level: int = LEVEL):
        self.level = level
        self.previous: dict[str, np.ndarray] = {}

    def restart(self) -> None:
        """The next frame is a key frame (a new client, say)."""
        self.previous = {}

    def encode(self, header: dict, arrays) -> bytes:
        arrays = list(arrays)
        header, chunks = _layout(header, arrays, self.previous)
        header["key"] = not any(s["delta"] for s in header["sections"])
        body = b"".join(chunks)
        header["body"] = len(body)
        self.previous = {name: np.array(a, copy=True) for name, a in arrays
                         if a.dtype == np.uint8}
        return _pack(COMPACT, header, deflate(body, self.level))


def _split(data: bytes) -> tuple[bytes, dict, int]:
    magic = bytes(data[:4])
    if magic not in (MAGIC, COMPACT) or len(data) < 8:
        raise ValueError(_("frame: not a playground frame"))
    (n,) = struct.unpack("<I", data[4:8])
    return magic, json.loads(bytes(data[8:8 + n])), 8 + n


def _arrays(header: dict, body, base: int = 0) -> dict[str, np.ndarray]:
    arrays = {}
    for s in header["sections"]:
        dtype = np.dtype("<" + s["dtype"])
        count = int(np.prod(s["shape"]))
        arrays[s["name"]] = np.frombuffer(body, dtype, count, base + s["offset"]).reshape(
            s["shape"])
    return arrays


class FrameDecoder:
    """Reads the frames of one stream, full or compact, in order: ``decode(data)`` gives
    ``(header, arrays)`` as the sender rendered them."""

    def __init__(self):
        self.previous: dict[str, np.ndarray] = {}

    def decode(self, data: bytes) -> tuple[dict, dict[str, np.ndarray]]:
        magic, header, start = _split(data)
        if magic == MAGIC:
            arrays = _arrays(header, data, start)
        else:
            body = zlib.decompress(bytes(data[start:]), -15)
            if len(body) != header["body"]:
                raise ValueError(_("frame: expected a body of {expected} bytes, got {count}")
                                 .format(expected=header["body"], count=len(body)))
            arrays = _arrays(header, body)
            for s in header["sections"]:
                if s["dtype"] == "u1":
                    arrays[s["name"]] = summed_along_rows(arrays[s["name"]])
                if s.get("delta"):
                    base = self.previous.get(s["name"])
                    if base is None or list(base.shape) != s["shape"]:
                        raise ValueError(_("frame: {name} is a difference from a frame "
                                           "this decoder has not read").format(name=s["name"]))
                    arrays[s["name"]] = np.add(base, arrays[s["name"]], dtype=np.uint8)
        self.previous = {name: a for name, a in arrays.items() if a.dtype == np.uint8}
        return header, arrays


def decode_frame(data: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """One frame that stands alone (full, or a compact key frame): ``(header, arrays)``;
    the inverse of ``encode_frame`` (``static/frames.js`` does the same in the browser)."""
    return FrameDecoder().decode(data)
