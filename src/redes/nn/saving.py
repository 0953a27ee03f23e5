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

import math

import numpy as np

from ..i18n import _
from . import losses, models, optimizers
from . import metrics as metrics_module
from .archive import ModelFileError, _describe, ordered, read_archive  # noqa: F401
from .layers.base import Layer
from .serialization import (  # noqa: F401 - keras.saving's names
    custom_object_scope,
    deserialize,
    lookup,
    register_keras_serializable,
)


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
