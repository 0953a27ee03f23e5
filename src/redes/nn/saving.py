"""The model file: what ``Sequential.save`` writes and ``load_model`` reads.

A model file is a zip archive (stored, not compressed) of

* ``model.json``: the format and its version, the model's config (``get_config``), its
  compile settings, and how many weight and optimizer arrays follow;
* ``weights/NNNN.npy``: the weights, in the order of ``model.get_weights()``;
* ``optimizer/NNNN.npy``: the optimizer's state (``optimizer.get_state()``), if saved.

Nothing in it is pickled, and the reader treats every byte as untrusted data: a file that
is not exactly what ``save`` writes raises ``ModelFileError`` naming the file, what was
found and what was expected. Files are written through a temporary file renamed over the
target, so a save that is killed or meets a full disk leaves the previous file whole.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
import zlib

import numpy as np

from ..i18n import _
from . import losses, models, optimizers
from . import metrics as metrics_module
from .datasets.formats import npy_header
from .layers.base import Layer
from .serialization import (  # noqa: F401 - keras.saving's names
    custom_object_scope,
    deserialize,
    lookup,
    register_keras_serializable,
)

FORMAT = "redes-model"
FORMAT_VERSION = 1
_MAX_CONFIG_BYTES = 16 * 2**20
_MAX_UNPACK_RATIO = 100   # model.save stores arrays uncompressed; zip tools shrink them far less


class ModelFileError(ValueError):
    """A model file that cannot be read: not a redes model, truncated, or unsafe."""


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a model saved with ``model.save``, ready to predict or to resume training.

    The file is read as data only: nothing is unpickled, nothing is extracted to disk, and a
    file that is not exactly what ``model.save`` writes raises ``ModelFileError`` (a
    ``ValueError``) naming the file, what was found and what was expected. In particular:

    * members other than ``model.json``, ``weights/NNNN.npy`` and ``optimizer/NNNN.npy``
      (paths with ``..``, absolute paths, backslashes), duplicated members, encrypted
      members and archives that would decompress to over 100 times their size are refused
      before anything is decompressed;
    * every array is checked against its ``.npy`` header (shape, dtype, size) before it is
      read, and object arrays (pickles) are refused;
    * the layers are built within the number of weight values the file holds, so a
      ``model.json`` that declares huge layers is refused before their weights are made;
    * each weight must have the shape and float type of its layer and hold finite values:
      NaN and inf weights are refused (``model.save`` never writes them), where Keras would
      load them and predict NaN.

    Layers, losses and metrics of your own are found by the name they were saved with:
    give them in ``custom_objects`` (a dict of name to class or function) or decorate them
    with ``keras.saving.register_keras_serializable()``. ``safe_mode`` is accepted for
    Keras' signature: nothing in the file is ever run as code.

    A missing path raises ``FileNotFoundError``.
    """
    with custom_object_scope(custom_objects):
        return _load(filepath, compile)


def _load(filepath, compile):
    meta, arrays = read_archive(filepath)
    model_config = meta.get("model")
    if not isinstance(model_config, dict) or not isinstance(model_config.get("class_name"), str):
        raise ModelFileError(_("{path}: model.json does not describe a model").format(
            path=filepath))
    weights = ordered(arrays, "weights", meta.get("weights"), filepath)
    model = _build_model(model_config, [sum(w.size for w in weights)], filepath)
    _check_weights(model, weights, filepath)
    model.set_weights(weights)
    compile_config = meta.get("compile")
    if compile and compile_config:
        try:
            model.compile(
                optimizer=optimizers.get(compile_config["optimizer"]),
                loss=_losses_from(compile_config["loss"]),
                loss_weights=compile_config.get("loss_weights"),
                metrics=compile_config.get("metrics") or None,
                weighted_metrics=compile_config.get("weighted_metrics") or None,
            )
            for head in model._heads:   # unknown metric names fail now
                for metric in head.metric_ids + head.weighted_ids:
                    metrics_module.get(metric, loss=head.loss, output_shape=None)
        except Exception as exc:   # data from the file that does not make objects: a bad file
            raise ModelFileError(
                _("{path}: invalid compile configuration in model.json: {error}").format(
                    path=filepath, error=_describe(exc))
            ) from exc
        state = ordered(arrays, "optimizer", meta.get("optimizer_state", 0), filepath)
        if state:
            bad = [i for i, s in enumerate(state) if s.dtype.kind == "f" and
                   not np.all(np.isfinite(s))]
            if bad:
                raise ModelFileError(
                    _("{path}: optimizer/{index:04d}.npy holds NaN or inf values").format(
                        path=filepath, index=bad[0]))
            try:
                model.optimizer.build(model.trainable_weights)
                model.optimizer.set_state(state)
            except (ValueError, TypeError, IndexError) as exc:
                raise ModelFileError(
                    _("{path}: the optimizer state does not fit the model: {error}").format(
                        path=filepath, error=exc)) from exc
    return model


# ------------------------------------------------------------------ file format
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


def _losses_from(config):
    """The loss (or the list of losses, one per output) of a compile configuration."""
    if isinstance(config, list):
        return [None if c is None else losses.get(c) for c in config]
    return losses.get(config)


_MODEL_KINDS = ("Sequential", "Model", "Functional")


def _build_model(model_config, left: list, filepath):
    """The model that ``model_config`` describes, built within ``left[0]`` weight values.

    Every layer's ``_add_array`` is wrapped, for the time of the build, by a check that the
    weights made so far fit in the values the file holds, so a config declaring huge layers
    is refused before their arrays are allocated. A model nested in the layers is built the
    same way, from the same count of values left.
    """
    kind, config = model_config.get("class_name"), model_config.get("config")
    try:
        if not isinstance(config, dict):
            raise ValueError(_("expected a dict of the model's configuration"))
        name = config.get("name")
        if name is not None and not isinstance(name, str):
            raise ValueError(_("name: expected a string, got {value!r}").format(value=name))
        if kind in _MODEL_KINDS:
            if not isinstance(config.get("layers"), list):
                raise ValueError(_("expected a dict with a 'layers' list"))
            layers = [_layer_within(c, left, filepath) for c in config["layers"]]
            if kind == "Sequential":
                model = models.Sequential(layers, name=name)
            else:
                model = models.Model.from_config(config, layers=layers)
        else:                 # a subclassed model of the user's: built on zeros
            cls = lookup("layer", kind, "model")
            model = cls.from_config(dict(config))
            _limit_weights(model, left, filepath)
            shapes = model_config.get("build_shapes")
            if shapes is not None:
                model(_zeros(shapes))
        for layer in _all_layers([model, *model.layers]):
            layer.__dict__.pop("_add_array", None)
    except ModelFileError:
        raise
    except Exception as exc:   # data from the file that does not make a model: a bad file
        raise ModelFileError(
            _("{path}: invalid model configuration in model.json: {error}").format(
                path=filepath, error=_describe(exc))
        ) from exc
    if not model.built:
        raise ModelFileError(_("{path}: model.json gives no input shape for the model")
                             .format(path=filepath))
    return model


def _layer_within(config, left: list, filepath):
    """A layer of a model's config, whose weights must fit in the ``left[0]`` values."""
    if isinstance(config, dict) and config.get("class_name") in _MODEL_KINDS:
        return _build_model(config, left, filepath)
    layer = deserialize("layer", config, "layers")
    _limit_weights(layer, left, filepath)
    return layer


def _zeros(shapes):
    """Zeros of the saved input shapes (batch size 1), to build a subclassed model."""
    if isinstance(shapes, dict):
        return {k: _zeros(v) for k, v in shapes.items()}
    if shapes and isinstance(shapes[0], list):
        return [_zeros(v) for v in shapes]
    return np.zeros([1 if d is None else int(d) for d in shapes], dtype="float32")


def _all_layers(layers, seen=None):
    """The layers and, recursively, the layers inside wrappers and the sublayers kept in
    attributes (layers and models of the user's), each once."""
    seen = set() if seen is None else seen
    for layer in layers:
        if isinstance(layer, Layer) and id(layer) not in seen:
            seen.add(id(layer))
            yield layer
            inner = getattr(layer, "inner_layers", None)
            if inner is not None:
                yield from _all_layers(inner(), seen)
            yield from _all_layers(layer._all_sublayers(), seen)


def _limit_weights(layer, left: list, filepath) -> None:
    """Make ``layer`` (and the layers it wraps) refuse to make weights past ``left[0]``
    values, for the time of the build; ``_build_model`` removes the check afterwards."""
    for sub in _all_layers([layer]):
        def add_weight(name, shape, *args, _sub=sub, _add=sub._add_array, **kwargs):
            shape = tuple(shape)
            if not all(isinstance(d, (int, np.integer)) and d >= 0 for d in shape):
                raise ModelFileError(_(
                    "{path}: layer {layer!r} would need weight {name} of shape "
                    "{shape}; model.json is inconsistent").format(
                        path=filepath, layer=_sub.name, name=name, shape=shape))
            left[0] -= math.prod(int(d) for d in shape)
            if left[0] < 0:
                raise ModelFileError(_(
                    "{path}: layer {layer!r} of model.json needs a weight {name} "
                    "of shape {shape}, more values than the file's weights hold").format(
                        path=filepath, layer=_sub.name, name=name, shape=shape))
            return _add(name, shape, *args, **kwargs)

        sub._add_array = add_weight


def _check_weights(model, weights: list, filepath) -> None:
    """Each array must have the shape and float type of its weight and hold finite values."""
    slots = [(*label.rsplit("/", 1), w)
             for label, w in zip(model._weight_labels(), [v.value for v in model.weights])]
    if len(slots) != len(weights):
        raise ModelFileError(_(
            "{path}: the layers of model.json have {expected} weight arrays but the "
            "file holds {held}").format(path=filepath, expected=len(slots), held=len(weights)))
    for i, ((layer, name, expected), array) in enumerate(zip(slots, weights)):
        member = f"weights/{i:04d}.npy"
        if array.shape != expected.shape or array.dtype.kind != "f" or \
                array.dtype.itemsize != expected.dtype.itemsize:
            raise ModelFileError(_(
                "{path}: {member} holds {dtype} {shape}; expected "
                "{expected_dtype} {expected_shape} for {layer}/{name}").format(
                    path=filepath, member=member, dtype=array.dtype, shape=array.shape,
                    expected_dtype=expected.dtype, expected_shape=expected.shape, layer=layer,
                    name=name))
        if not np.all(np.isfinite(array)):
            raise ModelFileError(_(
                "{path}: {member} ({layer}/{name}) holds NaN or inf values; "
                "redes refuses them, as model.save does").format(
                    path=filepath, member=member, layer=layer, name=name))


def _describe(exc: BaseException) -> str:
    """An exception as ``message``, with its type when the message alone is unclear."""
    text = str(exc)
    if isinstance(exc, ValueError) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
