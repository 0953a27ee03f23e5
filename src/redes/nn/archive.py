"""The archive a model file is: writing it atomically and reading it as untrusted data.

``Model.save``, ``save_weights`` and ``BackupAndRestore`` write one; ``load_model``
(``redes.nn.saving``) and ``load_weights`` read one. A model file is a zip archive (stored,
not compressed) of ``model.json`` and ``.npy`` arrays, nothing pickled; a file that is not
exactly what redes writes raises ``ModelFileError`` naming the file, what was found and what
was expected.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
import zlib

import numpy as np

from ..i18n import _
from .datasets.formats import npy_header

FORMAT = "redes-model"
FORMAT_VERSION = 1
_MAX_CONFIG_BYTES = 16 * 2**20
_MAX_UNPACK_RATIO = 100   # model.save stores arrays uncompressed; zip tools shrink them far less


class ModelFileError(ValueError):
    """A model file that cannot be read: not a redes model, truncated, or unsafe."""


def write_archive(filepath, meta: dict, arrays: dict) -> None:
    """Write the zip of ``model.json`` and arrays through a temporary file renamed over
    ``filepath`` (``redes._base.files.atomic_write``): a save killed at any moment, or
    stopped by a full disk (``DiskFullError``), leaves the previous file whole. Temporary
    files of killed saves are removed by the next save in the same folder."""
    from redes._base.files import atomic_write

    filepath = os.fspath(filepath)
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        raise FileNotFoundError(_("filepath: the folder {folder} does not exist").format(
            folder=folder))
    with atomic_write(filepath) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as z:
        z.writestr("model.json", json.dumps(meta, indent=1))
        for name, array in arrays.items():
            with z.open(name, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asarray(array, order="C"),
                                          allow_pickle=False)


def read_archive(filepath):
    """``(meta, arrays)``: the parsed model.json and every ``.npy`` member, read as data only.

    The archive's directory is checked before anything is decompressed (member names,
    duplicates, encryption, declared sizes), and each array's header before its data.
    """
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(_("filepath: no such file {path}").format(path=filepath))
    if os.path.isdir(filepath):
        raise ModelFileError(_("{path}: is a folder; expected a model file saved by "
                               "model.save").format(path=filepath))
    if not os.path.isfile(filepath):
        raise ModelFileError(_("{path}: is not a regular file").format(path=filepath))
    size = os.path.getsize(filepath)
    if size == 0:
        raise ModelFileError(_("{path}: is empty (0 bytes); not a redes model file").format(
            path=filepath))
    try:
        with zipfile.ZipFile(filepath) as z:
            infos = z.infolist()
            _check_members(infos, size, filepath)
            meta = _read_meta(z, filepath)
            arrays = {info.filename: _read_npy(z, info, filepath) for info in infos
                      if info.filename.endswith(".npy")}
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError) as exc:   # zipfile's "not supported", too
        raise ModelFileError(
            _("{path}: not a redes model file, or truncated/corrupted ({error})").format(
                path=filepath, error=_describe(exc))
        ) from exc
    return meta, arrays


# the zip flags a plain archive may carry: the compressor's options (bits 1 and 2), sizes
# after the data (bit 3), UTF-8 names (bit 11)
_ZIP_FLAGS = 0x0006 | 0x0008 | 0x0800


def _check_members(infos, size: int, filepath) -> None:
    """Refuse, from the archive's directory alone, every member ``model.save`` never writes."""
    seen = set()
    for info in infos:
        name = info.filename
        if name.startswith("/") or "\\" in name or ".." in name.split("/") or ":" in name:
            raise ModelFileError(_(
                "{path}: unsafe member name {name!r} (absolute path, '..' or backslash); "
                "a redes model holds only model.json, weights/NNNN.npy and optimizer/NNNN.npy"
            ).format(path=filepath, name=name))
        folder, _slash, base = name.partition("/")
        expected = name == "model.json" or (
            folder in ("weights", "optimizer")
            and (base == "" or (base.endswith(".npy") and base[:-4].isdigit()
                                and base[:-4].isascii() and len(base) >= 8)))
        if not expected:
            raise ModelFileError(_(
                "{path}: unexpected member {name!r}; a redes model holds only "
                "model.json, weights/NNNN.npy and optimizer/NNNN.npy"
            ).format(path=filepath, name=name))
        if name in seen:
            raise ModelFileError(_("{path}: member {name!r} appears twice in the archive")
                                 .format(path=filepath, name=name))
        seen.add(name)
        if info.flag_bits & 0x1:
            raise ModelFileError(_("{path}: member {name!r} is encrypted").format(
                path=filepath, name=name))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError(_(
                "{path}: member {name!r} uses compression method {method}; "
                "expected stored (as model.save writes) or deflated"
            ).format(path=filepath, name=name, method=info.compress_type))
        if info.flag_bits & ~_ZIP_FLAGS:
            raise ModelFileError(_(
                "{path}: member {name!r} asks for zip features a redes model never uses "
                "(flags {flags:#06x}); expected plain stored or deflated members").format(
                    path=filepath, name=name, flags=info.flag_bits))
    if "model.json" not in seen:
        raise ModelFileError(_("{path}: not a redes model file (no model.json)").format(
            path=filepath))
    packed = sum(info.compress_size for info in infos)
    unpacked = sum(info.file_size for info in infos)
    if packed > size:
        raise ModelFileError(_(
            "{path}: its members declare {packed} bytes but the file has {size}; "
            "the file is truncated or corrupted"
        ).format(path=filepath, packed=packed, size=size))
    if unpacked > _MAX_UNPACK_RATIO * packed + 2**20:
        raise ModelFileError(_(
            "{path}: its members would decompress to {unpacked} bytes from {packed} "
            "(more than {ratio} times); refused as a possible zip bomb"
        ).format(path=filepath, unpacked=unpacked, packed=packed, ratio=_MAX_UNPACK_RATIO))


def _read_meta(z: zipfile.ZipFile, filepath) -> dict:
    """The parsed model.json, refused when too large, not JSON, or not a redes model."""
    info = z.getinfo("model.json")
    if info.file_size > _MAX_CONFIG_BYTES:
        raise ModelFileError(_(
            "{path}: model.json has {size} bytes; expected at most {limit}"
        ).format(path=filepath, size=info.file_size, limit=_MAX_CONFIG_BYTES))
    try:
        meta = json.loads(z.read(info).decode("utf-8"))
    except RecursionError as exc:
        raise ModelFileError(_("{path}: model.json is nested too deeply").format(
            path=filepath)) from exc
    except ValueError as exc:   # not UTF-8, not JSON, or a number too long to convert
        raise ModelFileError(_("{path}: model.json is not valid JSON ({error})").format(
            path=filepath, error=exc)) from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(
            _("{path}: not a redes model file (model.json has no \"format\": {format!r})")
            .format(path=filepath, format=FORMAT))
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(_(
            "{path}: model.json has format_version {version!r}; this "
            "redes reads version {expected} (was the file saved by a newer redes?)"
        ).format(path=filepath, version=meta.get("format_version"), expected=FORMAT_VERSION))
    return meta


def _read_npy(z: zipfile.ZipFile, info: zipfile.ZipInfo, filepath) -> np.ndarray:
    """One ``.npy`` member: its header is checked against the member's size before any data
    is read, so a header declaring a huge shape allocates nothing."""
    name = info.filename
    with z.open(info) as member:
        try:
            shape, dtype = npy_header(member)
        except ValueError as exc:
            raise ModelFileError(
                _("{path}: member {name} is not a .npy array ({error})").format(
                    path=filepath, name=name, error=_describe(exc))) from exc
        if dtype.hasobject:
            raise ModelFileError(_(
                "{path}: member {name} holds Python objects (dtype {dtype}); pickled "
                "objects are refused, a model file holds only numbers"
            ).format(path=filepath, name=name, dtype=dtype))
        if dtype.kind not in "biufc" or dtype.itemsize == 0:
            raise ModelFileError(
                _("{path}: member {name} has dtype {dtype}; expected numbers").format(
                    path=filepath, name=name, dtype=dtype))
        declared = math.prod(shape) * dtype.itemsize
        held = info.file_size - member.tell()
        if declared != held:
            raise ModelFileError(_(
                "{path}: member {name} declares shape {shape} of {dtype} ({declared} "
                "bytes) but holds {held} bytes of data"
            ).format(path=filepath, name=name, shape=shape, dtype=dtype, declared=declared,
                     held=held))
        member.seek(0)
        return np.lib.format.read_array(member, allow_pickle=False)


def ordered(arrays: dict, prefix: str, count, filepath) -> list:
    """The arrays ``prefix/0000.npy``, ``prefix/0001.npy``... that model.json counts."""
    held = sum(name.startswith(f"{prefix}/") for name in arrays)
    if type(count) is not int or count < 0:
        raise ModelFileError(_(
            "{path}: model.json gives {count!r} as the number of {prefix} arrays; "
            "expected an integer >= 0").format(path=filepath, count=count, prefix=prefix))
    if count != held:
        raise ModelFileError(_(
            "{path}: model.json counts {count} {prefix} arrays but the file holds {held}"
            " (file truncated or edited?)").format(path=filepath, count=count, prefix=prefix,
                                                   held=held))
    names = [f"{prefix}/{i:04d}.npy" for i in range(count)]
    missing = [n for n in names if n not in arrays]
    if missing:
        raise ModelFileError(_("{path}: missing {member} (file truncated or edited?)").format(
            path=filepath, member=missing[0]))
    out = [arrays[n] for n in names]
    for name, a in zip(names, out):
        if a.dtype.kind not in "fiu":
            raise ModelFileError(
                _("{path}: {member} has dtype {dtype}; expected float or integer numbers")
                .format(path=filepath, member=name, dtype=a.dtype))
    return out


def _describe(exc: BaseException) -> str:
    """An exception as ``message``, with its type when the message alone is unclear."""
    text = str(exc)
    if isinstance(exc, ValueError) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
