"""The Functional API: layers called on symbolic tensors, keras.Model(inputs, outputs), shared
layers, nested models, feature extraction; parity with Keras 3 on the same weights and data."""

import re

import numpy as np
import pytest
from keras_parity import train_both

import redes.nn as rn

keras = pytest.importorskip("keras")


def _data(shape, n=40, seed=0, classes=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, *shape)).astype("float32")
    y = rng.integers(0, classes, size=n)
    return x, y


# ------------------------------------------------------------------- symbolic tensors
def test_a_layer_called_on_an_input_records_a_node_and_gives_a_symbolic_tensor():
    inputs = rn.Input(shape=(6,), name="features")
    dense = rn.layers.Dense(4, name="hidden")
    out = dense(inputs)
    assert isinstance(out, rn.KerasTensor)
    assert out.shape == (None, 4) and out.dtype == "float32"
    assert dense.input is inputs and dense.output is out
    assert dense.kernel.shape == (6, 4)        # built from the symbolic shape


def test_a_layer_called_on_an_array_runs_at_once():
    x = np.arange(6, dtype="float32").reshape(2, 3)
    dense = rn.layers.Dense(2, kernel_initializer="ones")
    np.testing.assert_allclose(dense(x), x @ np.ones((3, 2)))


def test_functional_model_equals_the_sequential_one_to_the_bit():
    x, y = _data((5,))
    rn.utils.set_random_seed(1)
    seq = rn.Sequential([rn.Input(shape=(5,)), rn.layers.Dense(8, activation="relu"),
                         rn.layers.Dense(3, activation="softmax")])
    inputs = rn.Input(shape=(5,))
    hidden = rn.layers.Dense(8, activation="relu")(inputs)
    fun = rn.Model(inputs, rn.layers.Dense(3, activation="softmax")(hidden))
    fun.set_weights(seq.get_weights())
    for model in (seq, fun):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    h1 = seq.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    h2 = fun.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert h1.history == h2.history
    for a, b in zip(seq.get_weights(), fun.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert [type(layer).__name__ for layer in fun.layers] == ["InputLayer", "Dense", "Dense"]
    assert [type(layer).__name__ for layer in seq.layers] == ["Dense", "Dense"]


# ----------------------------------------------------------------- parity with Keras
def _mlp(lib):
    inputs = lib.Input(shape=(5,))
    x = lib.layers.Dense(8, activation="tanh", name="hidden")(inputs)
    return lib.Model(inputs, lib.layers.Dense(3, activation="softmax", name="out")(x))


def _shared(lib):
    """One Dense layer called twice: one set of weights, the gradients of both calls summed."""
    inputs = lib.Input(shape=(4,))
    twice = lib.layers.Dense(4, activation="tanh", name="twice")
    x = twice(twice(inputs))
    return lib.Model(inputs, lib.layers.Dense(3, activation="softmax")(x))


def _nested(lib):
    inner_in = lib.Input(shape=(5,))
    inner = lib.Model(inner_in, lib.layers.Dense(6, activation="relu")(inner_in), name="block")
    inputs = lib.Input(shape=(5,))
    x = inner(inputs)
    x = lib.layers.Dense(6, activation="sigmoid")(x)
    return lib.Model(inputs, lib.layers.Dense(3, activation="softmax")(x))


def _nested_sequential(lib):
    block = lib.Sequential([lib.Input(shape=(5,)), lib.layers.Dense(7, activation="relu"),
                            lib.layers.Dropout(0.0), lib.layers.Dense(4)], name="block")
    inputs = lib.Input(shape=(5,))
    return lib.Model(inputs, lib.layers.Dense(3, activation="softmax")(block(inputs)))


def _residual(lib):
    """A residual block: the input added back to what two layers made of it."""
    inputs = lib.Input(shape=(6,))
    x = lib.layers.Dense(6, activation="relu")(inputs)
    x = lib.layers.Dense(6)(x)
    x = lib.layers.Activation("relu")(lib.layers.Add()([x, inputs]))
    return lib.Model(inputs, lib.layers.Dense(3, activation="softmax")(x))


def _two_inputs(lib):
    """Two inputs, each through its own layer, joined with Concatenate; one shared layer."""
    a, b = lib.Input(shape=(4,), name="a"), lib.Input(shape=(4,), name="b")
    shared = lib.layers.Dense(5, activation="tanh", name="shared")
    joined = lib.layers.concatenate([shared(a), shared(b), lib.layers.Dense(2)(b)])
    return lib.Model([a, b], lib.layers.Dense(3, activation="softmax")(joined))


def _nested_inside(lib):
    """A nested model fed by a layer: its backward must hand dL/d(its input) on."""
    block = lib.Sequential([lib.Input(shape=(6,)), lib.layers.Dense(5, activation="tanh")],
                           name="block")
    inputs = lib.Input(shape=(5,))
    x = block(lib.layers.Dense(6, activation="relu")(inputs))
    return lib.Model(inputs, lib.layers.Dense(3, activation="softmax")(x))


@pytest.mark.parametrize("make, shape", [(_mlp, (5,)), (_shared, (4,)), (_nested, (5,)),
                                         (_nested_sequential, (5,)), (_residual, (6,)),
                                         (_nested_inside, (5,))],
                         ids=["mlp", "shared-layer", "nested-model", "nested-sequential",
                              "residual-add", "nested-after-a-layer"])
def test_matches_keras_forward_and_after_five_adam_steps(make, shape):
    x, y = _data(shape)
    keras.utils.set_random_seed(3)
    theirs, ours = make(keras), make(rn)
    assert ours.count_params() == theirs.count_params()
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.get_weights()]
    train_both(ours, theirs, x, y)


def test_two_input_model_with_concatenate_and_a_shared_layer_matches_keras():
    rng = np.random.default_rng(5)
    x = [rng.normal(size=(30, 4)).astype("float32"), rng.normal(size=(30, 4)).astype("float32")]
    y = rng.integers(0, 3, size=30)
    keras.utils.set_random_seed(6)
    theirs, ours = _two_inputs(keras), _two_inputs(rn)
    assert [type(la).__name__ for la in ours.layers] == [type(la).__name__ for la in theirs.layers]
    train_both(ours, theirs, x, y)
    by_name = {"a": x[0], "b": x[1]}
    np.testing.assert_allclose(ours.predict(by_name, verbose=0),
                               theirs.predict(by_name, verbose=0), rtol=1e-5, atol=1e-5)


def test_feature_extraction_from_a_trained_cnn_matches_keras():
    x, y = _data((8, 8, 1), n=20)

    def cnn(lib):
        L = lib.layers
        return lib.Sequential([lib.Input(shape=(8, 8, 1)),
                               L.Conv2D(4, 3, activation="relu", name="conv1"),
                               L.Conv2D(6, 3, activation="relu", name="conv2"),
                               L.Flatten(), L.Dense(3, activation="softmax")])

    keras.utils.set_random_seed(4)
    theirs, ours = cnn(keras), cnn(rn)
    train_both(ours, theirs, x, y)
    features = {}
    for name, model, lib in (("keras", theirs, keras), ("redes", ours, rn)):
        extractor = lib.Model(model.inputs, model.get_layer("conv2").output)
        features[name] = extractor.predict(x, verbose=0)
    assert features["redes"].shape == (20, 4, 4, 6)
    np.testing.assert_allclose(features["redes"], features["keras"], rtol=1e-5, atol=1e-6)


def test_model_layers_and_get_layer():
    model = _mlp(rn)
    assert model.get_layer("hidden") is model.layers[1]
    assert model.get_layer(index=2).name == "out"
    with pytest.raises(ValueError, match="name: no layer named 'nope'"):
        model.get_layer("nope")
    assert model.output_shape == (None, 3) and model.input_shape == (None, 5)


# ------------------------------------------------------------------------------ errors
def test_a_layer_called_on_a_tensor_of_the_wrong_size_names_the_layer_and_shapes():
    dense = rn.layers.Dense(2, name="d")
    dense(rn.Input(shape=(3,)))
    with pytest.raises(ValueError, match=r"x: layer 'd' expects inputs of shape \(None, 3\), "
                                         r"got a symbolic tensor of shape \(None, 4\)"):
        dense(rn.Input(shape=(4,)))


def test_outputs_that_need_an_input_the_model_is_not_given():
    a, b = rn.Input(shape=(3,), name="a"), rn.Input(shape=(3,), name="b")
    out = rn.layers.Dense(2)(b)
    with pytest.raises(ValueError, match="outputs: they depend on the Input 'b'"):
        rn.Model(a, out)


def test_two_inputs_with_the_same_name_are_refused():
    a, b = rn.Input(shape=(3,), name="same"), rn.Input(shape=(3,), name="same")
    with pytest.raises(ValueError, match="inputs: two inputs share the name 'same'"):
        rn.Model([a, b], [rn.layers.Dense(1)(a), rn.layers.Dense(1)(b)])


def test_model_needs_symbolic_inputs_and_outputs():
    with pytest.raises(ValueError, match="inputs: expected tensors made by keras.Input"):
        rn.Model(np.zeros((2, 3)), rn.layers.Dense(1)(rn.Input(shape=(3,))))
    with pytest.raises(ValueError, match="inputs, outputs: a functional model needs both"):
        rn.Model(rn.Input(shape=(3,)))


def test_data_of_the_wrong_shape_names_the_input():
    model = _mlp(rn)
    with pytest.raises(ValueError, match=r"x: layer 'hidden' expects inputs of shape "
                                         r"\(None, 5\), got an array of shape \(2, 4\)"):
        model.predict(np.zeros((2, 4)))


def test_a_symbolic_tensor_holds_no_numbers():
    with pytest.raises(TypeError, match="is symbolic: it holds no numbers"):
        np.asarray(rn.Input(shape=(3,), name="t"))


def test_weights_of_a_functional_model_round_trip(
        tmp_path):
    model = _mlp(rn)
    path = tmp_path / "mlp.weights.h5"
    model.save_weights(path)
    again = _mlp(rn)
    again.load_weights(path)
    x, _ = _data((5,))
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


# ----------------------------------------------------------------- several outputs
def _two_outputs(lib):
    """Keras' guide example, smaller: a priority score and a department, from one input."""
    inputs = lib.Input(shape=(6,), name="ticket")
    h = lib.layers.Dense(8, activation="relu")(inputs)
    priority = lib.layers.Dense(1, name="priority")(h)
    department = lib.layers.Dense(3, activation="softmax", name="department")(h)
    return lib.Model(inputs, [priority, department])


@pytest.mark.parametrize("form", ["lists", "dicts"])
def test_two_outputs_with_two_losses_weights_and_metrics_match_keras(form):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(40, 6)).astype("float32")
    y = [rng.normal(size=(40, 1)).astype("float32"), rng.integers(0, 3, size=40)]
    keras.utils.set_random_seed(8)
    theirs, ours = _two_outputs(keras), _two_outputs(rn)
    ours.set_weights(theirs.get_weights())
    if form == "lists":
        kwargs = dict(loss=["mse", "sparse_categorical_crossentropy"], loss_weights=[1.0, 0.2],
                      metrics=[["mae"], ["accuracy"]])
        targets = y
    else:
        kwargs = dict(loss={"priority": "mse", "department": "sparse_categorical_crossentropy"},
                      loss_weights={"priority": 1.0, "department": 0.2},
                      metrics={"department": ["accuracy"], "priority": ["mae"]})
        targets = {"priority": y[0], "department": y[1]}
    histories, scores = {}, {}
    for name, model, lib in (("keras", theirs, keras), ("redes", ours, rn)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), **kwargs)
        # batches of equal size: Keras logs each output's loss as the mean of its batch
        # means, redes as the mean over the samples (the two agree when batches are equal)
        histories[name] = model.fit(x, targets, batch_size=8, epochs=2, shuffle=False,
                                    validation_split=0.2, verbose=0).history
        scores[name] = model.evaluate(x, targets, batch_size=8, verbose=0)
    assert sorted(histories["redes"]) == sorted(histories["keras"])
    for key, values in histories["keras"].items():
        np.testing.assert_allclose(histories["redes"][key], values, rtol=1e-4, err_msg=key)
    np.testing.assert_allclose(scores["redes"], scores["keras"], rtol=1e-4)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):   # Adam: within 1e-5
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    out = ours.predict(x, verbose=0)
    assert isinstance(out, list) and [o.shape for o in out] == [(40, 1), (40, 3)]


def test_one_loss_serves_every_output_and_an_output_without_loss_is_not_trained():
    model = _two_outputs(rn)
    model.compile(optimizer="sgd", loss=["mse", None])
    before = model.get_layer("department").get_weights()
    x = np.ones((4, 6), dtype="float32")
    history = model.fit(x, [np.zeros((4, 1)), None], epochs=1, verbose=0)
    assert sorted(history.history) == ["loss"]
    for a, b in zip(before, model.get_layer("department").get_weights()):
        np.testing.assert_array_equal(a, b)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, [np.zeros((4, 1)), np.zeros((4, 3))], epochs=1, verbose=0)
    assert sorted(history.history) == ["department_loss", "loss", "priority_loss"]


def test_compile_arguments_per_output_are_checked():
    model = _two_outputs(rn)
    with pytest.raises(ValueError, match=r"loss: no output named \['nope'\]"):
        model.compile(loss={"nope": "mse"})
    with pytest.raises(ValueError, match="loss: expected 2 entries, one per output"):
        model.compile(loss=["mse"])
    with pytest.raises(ValueError, match="metrics: the model has 2 outputs"):
        model.compile(loss="mse", metrics=["mae"])
    model.compile(loss="mse")
    with pytest.raises(ValueError, match="y: the model has 2 outputs"):
        model.fit(np.ones((4, 6)), np.ones((4, 1)), verbose=0)


def test_a_learner_can_print_the_graph_and_the_order_of_backpropagation():
    rn.backend.clear_session()        # op names count from the start: "multiply", not "_141"
    inputs = rn.Input(shape=(4,), name="x")
    hidden = rn.layers.Dense(8, activation="relu", name="hidden")(inputs)
    skip = rn.layers.Dense(8, name="skip")(inputs)
    joined = rn.layers.Add(name="join")([hidden, skip]) * 0.5
    model = rn.Model(inputs, rn.layers.Dense(1, name="out")(joined))
    text = str(model.graph())
    assert "4. join (Add) <- hidden, skip -> (None, 8)" in text
    assert text.splitlines()[-1].split(" -> ")[:3] == ["  out", "multiply", "join"]
    assert [layer.name for layer in model.layers] == ["x", "hidden", "skip", "join", "out"]


# ---------------------------------------------------------------------------- saving
def test_a_functional_model_with_ops_shared_layers_and_two_outputs_saves_and_loads(tmp_path):
    ops = rn.ops
    a, b = rn.Input((4,), name="a"), rn.Input((3,), name="b")
    shared = rn.layers.Dense(5, name="shared")
    x = rn.layers.concatenate([shared(a), ops.relu(b[:, :2] * 2.0), shared(a) - 1.0])
    model = rn.Model([a, b], [rn.layers.Dense(1, name="p")(x),
                              rn.layers.Dense(3, activation="softmax", name="d")(x)])
    model.compile(optimizer="adam", loss=["mse", "sparse_categorical_crossentropy"],
                  loss_weights=[1.0, 0.5], metrics=[["mae"], ["accuracy"]])
    rng = np.random.default_rng(0)
    x_data = [rng.random((8, 4), dtype="float32"), rng.random((8, 3), dtype="float32")]
    y_data = [rng.random((8, 1)), rng.integers(0, 3, 8)]
    model.fit(x_data, y_data, epochs=1, verbose=0)
    model.save(tmp_path / "two.redes")
    again = rn.models.load_model(tmp_path / "two.redes")
    for mine, theirs in zip(again.predict(x_data, verbose=0), model.predict(x_data, verbose=0)):
        np.testing.assert_array_equal(mine, theirs)
    assert again.evaluate(x_data, y_data, verbose=0) == model.evaluate(x_data, y_data,
                                                                       verbose=0)
    assert [layer.name for layer in again.layers] == [layer.name for layer in model.layers]


def test_layers_and_losses_of_ones_own_save_with_custom_objects_or_registered(tmp_path):
    @rn.saving.register_keras_serializable(package="Tests")
    class Scale(rn.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.w * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    def halved_mse(y_true, y_pred):
        return rn.ops.mean(rn.ops.square(y_true - y_pred), axis=-1) / 2.0

    inputs = rn.Input((3,))
    model = rn.Model(inputs, rn.layers.Dense(1)(Scale(3.0)(inputs)))
    model.compile(optimizer="sgd", loss=halved_mse)
    x, y = np.ones((4, 3), dtype="float32"), np.zeros((4, 1))
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "custom.redes")
    with pytest.raises(rn.models.ModelFileError, match="halved_mse"):
        rn.models.load_model(tmp_path / "custom.redes")
    again = rn.models.load_model(tmp_path / "custom.redes",
                                 custom_objects={"halved_mse": halved_mse})
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))
    assert again.layers[1].factor == 3.0
    assert again.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0))


def test_a_subclassed_model_without_get_config_says_what_to_add(tmp_path):
    class Free(rn.Model):
        def __init__(self):
            super().__init__()
            self.dense = rn.layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    model = Free()
    model(np.ones((1, 3)))
    with pytest.raises(NotImplementedError, match="define get_config"):
        model.save(tmp_path / "free.redes")
    assert not (tmp_path / "free.redes").exists()
    model.save_weights(tmp_path / "free.weights.h5")
    again = Free()
    again(np.ones((1, 3)))
    again.load_weights(tmp_path / "free.weights.h5")
    np.testing.assert_array_equal(again.get_weights()[0], model.get_weights()[0])


def test_no_layer_computes_the_gradient_of_the_data_itself():
    """dL/dx of the data is never needed: the layers that read the model's inputs skip that
    product (a matrix product as large as the kernel's gradient)."""
    inner = rn.Sequential([rn.Input(shape=(4,)), rn.layers.Dense(3)])
    inputs = rn.Input(shape=(4,))
    first, after = rn.layers.Dense(4), rn.layers.Dense(2)
    model = rn.Model(inputs, after(rn.layers.Add()([inner(inputs), first(inputs)[:, :3]])))
    assert (inner.layers[0].input_grad, first.input_grad, after.input_grad) == (
        False, False, True)
    seq = rn.Sequential([rn.Input(shape=(4,)), rn.layers.Dense(3), rn.layers.Dense(1)])
    assert [layer.input_grad for layer in seq.layers] == [False, True]
    assert model.layers


def _with_ops(lib):
    ops = lib.ops
    inputs = lib.Input(shape=(5,))
    h = lib.layers.Dense(6, activation="tanh")(inputs)
    h = ops.concatenate([h * ops.sigmoid(h), ops.square(inputs) / 5.0], axis=-1)
    return lib.Model(inputs, lib.layers.Dense(3, activation="softmax")(h - ops.mean(h)))


@pytest.mark.parametrize("make", [_mlp, _shared, _nested, _nested_sequential, _nested_inside,
                                  _with_ops],
                         ids=["mlp", "shared", "nested", "nested-sequential",
                              "nested-after-a-layer", "ops"])
def test_backpropagation_through_every_kind_of_graph_passes_a_float64_gradient_check(make):
    rn.backend.set_floatx("float64")
    rn.utils.set_random_seed(0)      # the same weights whichever tests ran before
    try:
        model = make(rn)
        model.compile(loss="sparse_categorical_crossentropy")
        n_in = model.input_shape[-1]
        rng = np.random.default_rng(2)
        result = rn.gradcheck.check_model(model, rng.normal(size=(6, n_in)),
                                          rng.integers(0, 3, size=6))
        assert result.passed, result
    finally:
        rn.backend.set_floatx("float32")


# --------------------------------------------------------------------------- summary
def _summary(model, **kwargs):
    lines = []
    model.summary(print_fn=lambda line, *args, **kw: lines.append(line), **kwargs)
    return "\n".join(lines)


def test_summary_has_keras_columns_rows_and_counts():
    ours, theirs = _two_inputs(rn), _two_inputs(keras)
    text, keras_text = _summary(ours), _summary(theirs)
    for header in ("Layer (type)", "Output Shape", "Param #", "Connected to"):
        assert header in text and header in keras_text
    for label in ("Total params", "Trainable params", "Non-trainable params"):
        ours_line = next(line for line in text.splitlines() if label + ":" in line)
        keras_line = next(line for line in keras_text.splitlines() if label + ":" in line)
        assert ours_line.split(":")[1].split("(")[0] == keras_line.split(":")[1].split("(")[0]
    for call in ("shared[0][0]", "shared[1][0]", "a[0][0]", "b[0][0]"):   # the shared
        assert call in text and call in keras_text                       # layer's two calls


def test_summary_arguments():
    model = _nested(rn)
    text = _summary(model, show_trainable=True, line_length=60)
    assert "Train" in text and re.search(r"│\s+Y\s+│", text)
    assert max(len(line) for line in text.splitlines()[1:-3]) == 60
    block = model.layers[1]
    expanded = _summary(model, expand_nested=True)
    assert f"│    └ {block.layers[1].name} (Dense)" in expanded
    first, last = model.layers[1].name, model.layers[2].name
    ranged = _summary(model, layer_range=[first, last])
    assert model.layers[0].name not in ranged.split("┩")[1].split("└")[0]
    assert first in ranged and last in ranged
    with pytest.raises(ValueError, match="layer_range: expected two layer names"):
        model.summary(layer_range=["nope", last])
    sequential = rn.Sequential([rn.Input(shape=(3,)), rn.layers.Dense(2, name="only")])
    assert "Connected to" not in _summary(sequential)
    top = _summary(model, positions=[10, 30, 40]).splitlines()[1]   # columns end at 10, 30, 40
    assert [len(part) for part in top.strip("┏┓").split("┳")] == [9, 18, 9]


def _image_and_series(lib):
    layers = lib.layers
    image = lib.Input(shape=(32, 32, 3), name="img_input")
    series = lib.Input(shape=(None, 10), name="ts_input")
    x = layers.concatenate([layers.GlobalMaxPooling2D()(layers.Conv2D(3, 3)(image)),
                            layers.GlobalMaxPooling1D()(layers.Conv1D(3, 3)(series))])
    return lib.Model([image, series], [layers.Dense(1, name="score_output")(x),
                                       layers.Dense(5, name="class_output")(x)])


def _convnet(lib):
    layers = lib.layers
    return lib.Sequential([lib.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
                           layers.MaxPooling2D(), layers.Flatten(), layers.Dropout(0.5),
                           layers.Dense(10, activation="softmax")])


@pytest.mark.parametrize("make", [_image_and_series, _convnet, _nested])
@pytest.mark.parametrize("kwargs", [{}, {"show_trainable": True, "expand_nested": True},
                                    {"line_length": 70}])
def test_summary_prints_what_keras_prints(make, kwargs):
    """The same table to the character: widths, wrapping, names cut short with "…"."""
    rn.backend.clear_session()
    keras.backend.clear_session()
    # Keras 3 hands print_fn the whole table at once; redes, a line at a time (as Keras 2)
    assert _summary(make(rn), **kwargs) == _summary(make(keras), **kwargs).rstrip("\n")


def test_a_training_step_lets_only_layers_called_once_keep_their_arrays():
    model = _shared(rn)
    twice = model.get_layer("twice")
    keepers = model._step_layers()
    assert twice not in keepers and len(keepers) == 1
    from redes.nn.step import TrainingStep

    assert not twice.in_training_step and not keepers[0].in_training_step
    with TrainingStep(keepers=keepers, logits_layers=[keepers[0]]):
        assert keepers[0].in_training_step and keepers[0].logits_only
        assert not twice.in_training_step
    assert not keepers[0].in_training_step and not keepers[0].logits_only


def test_activation_functions_on_symbolic_tensors_train_like_the_activation_argument(tmp_path):
    """keras.activations.* called on a tensor of the graph is an op whose derivative is the
    activation's own backward: the model trains as Dense(..., activation=...) does."""
    import redes.nn as keras

    x = np.random.default_rng(1).normal(size=(32, 5)).astype("float32")
    y = np.random.default_rng(2).normal(size=(32, 3)).astype("float32")
    models = []
    for as_function in (True, False):
        keras.utils.set_random_seed(0)
        inputs = keras.Input((5,))
        if as_function:
            outputs = keras.activations.leaky_relu(keras.layers.Dense(3)(inputs))
        else:
            outputs = keras.layers.Dense(3, activation="leaky_relu")(inputs)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, batch_size=8, epochs=2, verbose=0)
        models.append(model)
    for a, b in zip(*(m.get_weights() for m in models)):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    path = tmp_path / "leaky.keras"
    models[0].save(path)
    np.testing.assert_array_equal(keras.models.load_model(path).predict(x, verbose=0),
                                  models[0].predict(x, verbose=0))


def test_eager_results_have_numpy_as_keras_tensors_do():
    """The TensorFlow quickstart's calls: model(x).numpy(), loss_fn(y, p).numpy()."""
    import redes.nn as keras

    model = keras.Sequential([keras.layers.Input((4,)), keras.layers.Dense(3)])
    x = np.ones((2, 4), dtype="float32")
    predictions = model(x[:1]).numpy()
    assert type(predictions) is np.ndarray and predictions.shape == (1, 3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    loss = loss_fn(np.array([1]), predictions)
    assert loss.numpy().shape == () and float(loss) > 0
    assert type(keras.ops.softmax(predictions).numpy()) is np.ndarray
    assert type(keras.layers.Dense(2)(x).numpy()) is np.ndarray


def test_a_frozen_nested_models_penalties_are_left_out_as_in_keras():
    """Keras 3 counts the penalties of trainable weights only: with the nested model frozen,
    evaluate gives 36 (data) + 0.25 * (1 + 1) (the outer kernel's L2) = 36.5, as Keras."""
    inner = rn.Sequential([rn.Input((3,)), rn.layers.Dense(
        2, kernel_regularizer=rn.regularizers.l2(0.5), kernel_initializer="ones")])
    inner.trainable = False
    inputs = rn.Input((3,))
    outputs = rn.layers.Dense(1, kernel_regularizer=rn.regularizers.l2(0.25),
                              kernel_initializer="ones")(inner(inputs))
    model = rn.Model(inputs, outputs)
    model.compile("sgd", "mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 1), "float32")
    assert model.evaluate(x, y, verbose=0) == pytest.approx(36.5)
    assert model.losses == [pytest.approx(0.5)]


def test_a_model_of_one_input_takes_a_dict_keyed_by_its_name():
    inputs = rn.Input((3,), name="features")
    model = rn.Model(inputs, rn.layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    x = np.ones((4, 3), "float32")
    np.testing.assert_array_equal(model.predict({"features": x}, verbose=0),
                                  model.predict(x, verbose=0))
    with pytest.raises(ValueError, match=r"x: no array for the input\(s\) \['features'\]; the "
                                         r"model's inputs are \['features'\]"):
        model.fit({"feature": x}, np.ones((4, 1)), verbose=0)


def test_a_dict_of_inputs_names_the_data_and_a_layer_of_ours_takes_the_dict():
    class Joined(rn.layers.Layer):
        def call(self, inputs):
            return inputs["left"] * 2.0 + inputs["right"]

    inputs = {"left": rn.Input(shape=(2,), name="a"), "right": rn.Input(shape=(2,))}
    joined = Joined()(inputs)
    model = rn.Model(inputs, rn.layers.Dense(1)(joined))
    left, right = np.ones((4, 2), np.float32), np.full((4, 2), 3.0, np.float32)
    np.testing.assert_allclose(model.predict({"left": left, "right": right}, verbose=0),
                               model.predict([left, right], verbose=0))
    np.testing.assert_allclose(Joined()({"left": left, "right": right}), left * 2 + right)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit({"left": left, "right": right}, np.zeros((4, 1)), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
