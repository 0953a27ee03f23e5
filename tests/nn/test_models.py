"""Sequential: parity with Keras, saving, determinism and clear errors."""

import io
import json
import os
import zipfile

import numpy as np
import pytest

import redes.nn as rn

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def mlp(lib, n_in=6, hidden=8, out=3, activation="softmax"):
    return lib.Sequential([
        lib.Input(shape=(n_in,)),
        lib.layers.Dense(hidden, activation="tanh"),
        lib.layers.Dense(hidden, activation="relu"),
        lib.layers.Dense(out, activation=activation),
    ])


def data(n=80, n_in=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, n_in)).astype("float32")
    y = rng.integers(0, classes, size=n)
    return x, y


def close(a, b, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def test_forward_and_loss_match_keras(keras):
    x, y = data()
    ours, theirs = mlp(rn), mlp(keras)
    theirs.set_weights(ours.get_weights())
    close(ours.predict(x, verbose=0), theirs.predict(x, verbose=0))
    for model in (ours, theirs):
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    close(ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0))


OPTIMIZERS = [
    ("SGD", {"learning_rate": 0.1}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True}),
    ("RMSprop", {"learning_rate": 0.01}),
    ("Adam", {"learning_rate": 0.01}),
    ("AdamW", {"learning_rate": 0.01}),
    ("Adagrad", {"learning_rate": 0.1}),
]


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=[f"{n}{k}" for n, k in OPTIMIZERS])
def test_five_steps_match_keras(keras, name, kwargs):
    """Same weights, same data, 5 mini-batch steps without shuffling: same weights after."""
    x, y = data()
    onehot = rn.utils.to_categorical(y, 3)
    ours, theirs = mlp(rn), mlp(keras)
    theirs.set_weights(ours.get_weights())
    ours.compile(optimizer=getattr(rn.optimizers, name)(**kwargs),
                 loss="categorical_crossentropy", metrics=["accuracy"])
    theirs.compile(optimizer=getattr(keras.optimizers, name)(**kwargs),
                   loss="categorical_crossentropy", metrics=["accuracy"])
    h1 = ours.fit(x, onehot, batch_size=16, epochs=1, shuffle=False, verbose=0)
    h2 = theirs.fit(x, onehot, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        close(a, b)
    close(h1.history["loss"], h2.history["loss"])
    assert h1.history["accuracy"] == pytest.approx(h2.history["accuracy"], abs=1e-6)


def test_regularized_loss_and_steps_match_keras(keras):
    x, y = data()

    def build(lib):
        return lib.Sequential([
            lib.Input(shape=(6,)),
            lib.layers.Dense(8, activation="relu",
                             kernel_regularizer=lib.regularizers.L2(0.01),
                             bias_regularizer=lib.regularizers.L1(0.01)),
            lib.layers.Dense(1, activation="sigmoid"),
        ])

    ours, theirs = build(rn), build(keras)
    theirs.set_weights(ours.get_weights())
    yb = (y > 0).astype("float32")
    for model, lib in ((ours, rn), (theirs, keras)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss="binary_crossentropy")
    close(ours.evaluate(x, yb, verbose=0), theirs.evaluate(x, yb, verbose=0))
    ours.fit(x, yb, batch_size=16, shuffle=False, verbose=0)
    theirs.fit(x, yb, batch_size=16, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        close(a, b)


def test_summary_parameter_counts_match_keras(keras):
    def build(lib):
        return lib.Sequential([
            lib.Input(shape=(28, 28)),
            lib.layers.Flatten(),
            lib.layers.Dense(512, activation="relu"),
            lib.layers.Dropout(0.5),
            lib.layers.Dense(10, use_bias=False),
            lib.layers.Activation("softmax"),
        ])

    ours, theirs = build(rn), build(keras)
    assert ours.count_params() == theirs.count_params() == 784 * 512 + 512 + 5120
    assert [layer.count_params() for layer in ours.layers] == [
        layer.count_params() for layer in theirs.layers]
    assert [layer.output_shape for layer in ours.layers] == [
        tuple(layer.output.shape) for layer in theirs.layers]
    lines = []
    ours.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Total params: 407,040 (1.55 MB)" in text
    assert f"{ours.layers[1].name} (Dense)" in text and "(None, 512)" in text


def test_validation_split_takes_the_last_samples_before_shuffling(keras):
    x, y = data(n=40)
    ours, theirs = mlp(rn), mlp(keras)
    theirs.set_weights(ours.get_weights())
    # learning rate 0: the weights stay put, so val_loss is the loss of the held-out part
    for model, lib in ((ours, rn), (theirs, keras)):
        model.compile(optimizer=lib.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    h1 = ours.fit(x, y, validation_split=0.25, epochs=1, verbose=0)
    h2 = theirs.fit(x, y, validation_split=0.25, epochs=1, verbose=0)
    held_out = ours.evaluate(x[30:], y[30:], verbose=0)
    assert h1.history["val_loss"][0] == pytest.approx(held_out, rel=1e-6)
    close(h1.history["val_loss"], h2.history["val_loss"])
    close(h1.history["loss"], h2.history["loss"])


def test_same_seed_gives_bit_identical_training():
    x, y = data(n=64)

    def run():
        rn.utils.set_random_seed(7)
        model = rn.Sequential([rn.Input(shape=(6,)), rn.layers.Dense(16, activation="relu"),
                               rn.layers.Dropout(0.3), rn.layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
        return model.get_weights(), history.history["loss"]

    (w1, l1), (w2, l2) = run(), run()
    assert l1 == l2
    for a, b in zip(w1, w2):
        np.testing.assert_array_equal(a, b)


def test_training_reuses_arrays_but_never_those_it_hands_out():
    # during a training step the layers write into arrays they keep from step to step
    # (Layer.kept); what the model hands out (model(x), predict, outputs seen by callbacks)
    # must stay as it was
    x, y = data()
    model = mlp(rn)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    seen = []
    watch = rn.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.append(model(x[:4])))
    before, predicted = model(x[:4]), model.predict(x[:4], verbose=0)
    copies = before.copy(), predicted.copy()
    model.fit(x, y, batch_size=16, epochs=1, verbose=0, callbacks=[watch])
    np.testing.assert_array_equal(before, copies[0])
    np.testing.assert_array_equal(predicted, copies[1])
    assert len(seen) == 5 and not np.array_equal(seen[0], seen[-1])   # the weights moved
    relu = model.layers[1]
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    z = relu.z
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert relu.z is z and relu.y is z    # the same array, and ReLU applied in place


def test_a_layer_can_appear_only_once():
    dense = rn.layers.Dense(4, activation="relu")
    with pytest.raises(ValueError, match="layer: 'dense.*' is already in the model"):
        rn.Sequential([rn.Input(shape=(4,)), dense, dense])


def test_save_and_load_round_trip_and_resume(tmp_path):
    x, y = data(n=64)

    def fresh():
        rn.utils.set_random_seed(3)
        model = mlp(rn)
        model.compile(optimizer=rn.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        return model

    straight = fresh()
    straight.fit(x, y, epochs=4, batch_size=16, shuffle=False, verbose=0)

    first = fresh()
    first.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    path = tmp_path / "model.redes"
    first.save(path)
    loaded = rn.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), first.predict(x, verbose=0))
    loaded.fit(x, y, epochs=4, initial_epoch=2, batch_size=16, shuffle=False, verbose=0)
    for a, b in zip(loaded.get_weights(), straight.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert json.loads(json.dumps(loaded.get_config())) == first.get_config()
    with zipfile.ZipFile(path) as z:
        assert "model.json" in z.namelist()


def test_weights_only_round_trip(tmp_path):
    model = mlp(rn)
    model.save_weights(tmp_path / "w.redes")
    other = mlp(rn)
    other.load_weights(tmp_path / "w.redes")
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------------- errors
def compiled(activation="softmax", out=3, loss="sparse_categorical_crossentropy"):
    model = mlp(rn, out=out, activation=activation)
    model.compile(optimizer="sgd", loss=loss)
    return model


def test_wrong_input_shape_names_x():
    x, y = data(n_in=5)
    with pytest.raises(ValueError, match=r"x: .*\(None, 6\).*\(80, 5\)"):
        compiled().fit(x, y, verbose=0)


def test_non_numeric_and_nan_inputs_are_refused():
    x, y = data()
    with pytest.raises(ValueError, match="x: expected a numeric array"):
        compiled().fit(x.astype(str), y, verbose=0)
    x[3, 2] = np.nan
    with pytest.raises(ValueError, match=r"x: holds 1 NaN or inf values \(first at index \(3, 2\)"):
        compiled().fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="y: has 79 samples but x has 80"):
        compiled().fit(data()[0], y[:-1], verbose=0)


def test_labels_outside_the_classes_are_refused():
    x, y = data()
    y[5] = 3
    with pytest.raises(ValueError, match="y"):
        compiled().fit(x, y, verbose=0)


def test_categorical_crossentropy_on_one_sigmoid_unit_is_refused():
    x, y = data()
    model = compiled(activation="sigmoid", out=1, loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="binary_crossentropy"):
        model.fit(x, (y > 0).astype("float32"), verbose=0)


def test_unknown_names_list_the_known_ones():
    with pytest.raises(ValueError, match="activation: unknown activation 'rel'.*relu"):
        rn.layers.Dense(3, activation="rel")
    with pytest.raises(ValueError, match="optimizer: unknown optimizer 'adamm'.*'sgd'"):
        mlp(rn).compile(optimizer="adamm", loss="mse")
    with pytest.raises(ValueError, match="batch_size: expected a positive integer, got 0"):
        compiled().fit(*data(), batch_size=0, verbose=0)
    with pytest.raises(RuntimeError, match="fit: compile the model first"):
        mlp(rn).fit(*data(), verbose=0)


def test_corrupted_truncated_and_pickled_files_are_refused(tmp_path):
    model = compiled()
    model.fit(*data(), verbose=0)
    good = tmp_path / "good.redes"
    model.save(good)
    raw = good.read_bytes()

    truncated = tmp_path / "truncated.redes"
    truncated.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(rn.models.ModelFileError, match="truncated"):
        rn.models.load_model(truncated)

    garbage = tmp_path / "garbage.redes"
    garbage.write_bytes(b"not a model at all")
    with pytest.raises(rn.models.ModelFileError, match="not a redes model file"):
        rn.models.load_model(garbage)

    pickled = tmp_path / "pickled.redes"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(pickled, "w") as dst:
        for name in src.namelist():
            if name == "weights/0000.npy":
                buf = io.BytesIO()
                np.save(buf, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
                dst.writestr(name, buf.getvalue())
            else:
                dst.writestr(name, src.read(name))
    with pytest.raises(rn.models.ModelFileError, match="pickled objects are refused"):
        rn.models.load_model(pickled)

    bad_json = tmp_path / "bad_json.redes"
    with zipfile.ZipFile(bad_json, "w") as z:
        z.writestr("model.json", "{not json")
    with pytest.raises(rn.models.ModelFileError, match="not valid JSON"):
        rn.models.load_model(bad_json)


def test_diverging_training_stops_and_saves_no_nan(tmp_path, capsys):
    x, y = data(n=256)
    x *= 1000
    model = mlp(rn)
    model.compile(optimizer=rn.optimizers.SGD(100.0), loss="sparse_categorical_crossentropy")
    path = tmp_path / "best.redes"
    history = model.fit(x, y, epochs=20, batch_size=8, verbose=0, callbacks=[
        rn.callbacks.TerminateOnNaN(), rn.callbacks.ModelCheckpoint(path)])
    assert "Invalid loss, terminating training" in capsys.readouterr().out
    assert len(history.epoch) < 20
    assert all(np.all(np.isfinite(w)) for w in model.get_weights())
    model.save(path)  # weights stayed finite, so saving works
    assert all(np.all(np.isfinite(w)) for w in rn.models.load_model(path).get_weights())


def test_save_refuses_non_finite_weights_and_keeps_the_old_file(tmp_path):
    model = compiled()
    path = tmp_path / "model.redes"
    model.save(path)
    before = path.read_bytes()
    model.layers[0].kernel[0, 0] = np.inf
    with pytest.raises(ValueError, match="NaN or inf"):
        model.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.redes"]
