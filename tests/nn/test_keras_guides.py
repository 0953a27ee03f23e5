"""What Keras' developer guides "The Functional API" and "Training & evaluation with the
built-in methods" do, section by section, on ``import redes.nn as keras``: the same calls
with small random data in place of the datasets. What needs layers that redes does not have
yet is marked with the issue that brings them; TensorFlow-only parts (tf.data, pretrained
downloads) are left out, a small CNN standing in for VGG19. plot_model draws with matplotlib
where Keras needs Graphviz."""

import numpy as np
import pytest

import redes.nn as keras
from redes.nn import layers, ops

rng = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def seeded():
    """Every test starts from the same weights and names: the same training curve and layer
    names each run, whichever tests ran before."""
    keras.utils.set_random_seed(0)
    keras.backend.clear_session()


def mnist_like(n=256):
    x = rng.random((n, 784), dtype=np.float32)
    return x, rng.integers(0, 10, size=n)


# ------------------------------------------------------------------ the Functional API
def test_a_first_functional_model_trains_evaluates_and_round_trips(tmp_path, capsys):
    inputs = keras.Input(shape=(784,))
    assert inputs.shape == (None, 784) and inputs.dtype == "float32"
    dense = layers.Dense(64, activation="relu")
    x = dense(inputs)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")
    model.summary()
    assert "mnist_model" in capsys.readouterr().out
    assert model.count_params() == 784 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10
    keras.utils.plot_model(model, tmp_path / "my_first_model.png")
    figure = keras.utils.plot_model(model, tmp_path / "my_first_model_with_shape_info.png",
                                    show_shapes=True)
    for name in ("my_first_model.png", "my_first_model_with_shape_info.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    boxes, arrows = _boxes_and_arrows(figure)
    assert len(boxes) == 4 and len(arrows) == 3
    assert boxes[1] == "dense (Dense)\nin: (None, 784)  out: (None, 64)"

    x_train, y_train = mnist_like()
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  optimizer=keras.optimizers.RMSprop(), metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.2,
                        verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]
    scores = model.evaluate(x_train, y_train, verbose=2)
    assert len(scores) == 2 and 0 <= scores[1] <= 1

    model.save(tmp_path / "path_to_my_model.keras")
    again = keras.models.load_model(tmp_path / "path_to_my_model.keras")
    np.testing.assert_array_equal(again.predict(x_train[:8], verbose=0),
                                  model.predict(x_train[:8], verbose=0))


def test_one_graph_of_layers_gives_an_encoder():
    encoder_input = keras.Input(shape=(28, 28, 1), name="img")
    x = layers.Conv2D(16, 3, activation="relu")(encoder_input)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    encoder_output = layers.GlobalMaxPooling2D()(x)
    encoder = keras.Model(encoder_input, encoder_output, name="encoder")
    assert encoder.output_shape == (None, 16)
    assert encoder.predict(rng.random((2, 28, 28, 1)), verbose=0).shape == (2, 16)


def test_the_autoencoder_decodes_with_transposed_convolutions():
    encoded = keras.Input(shape=(16,))
    x = layers.Reshape((4, 4, 1))(encoded)
    x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
    x = layers.UpSampling2D(3)(x)
    keras.Model(encoded, x)


def test_models_are_callable_like_layers_and_ensemble():
    def get_model():
        inputs = keras.Input(shape=(12,))
        return keras.Model(inputs, layers.Dense(1)(inputs))

    members = [get_model() for _ in range(3)]
    inputs = keras.Input(shape=(12,))
    outputs = layers.average([member(inputs) for member in members])
    ensemble = keras.Model(inputs=inputs, outputs=outputs)
    x = rng.random((5, 12), dtype=np.float32)
    mean = np.mean([member.predict(x, verbose=0) for member in members], axis=0)
    np.testing.assert_allclose(ensemble.predict(x, verbose=0), mean, rtol=1e-6)


def ticket_model(num_tags=6, num_words=50, num_departments=4):
    title_input = keras.Input(shape=(None,), name="title")     # a sequence of word ids
    body_input = keras.Input(shape=(None,), name="body")
    tags_input = keras.Input(shape=(num_tags,), name="tags")   # a binary vector
    title_features = layers.LSTM(8)(layers.Embedding(num_words, 6)(title_input))
    body_features = layers.LSTM(4)(layers.Embedding(num_words, 6)(body_input))
    x = layers.concatenate([title_features, body_features, tags_input])
    priority_pred = layers.Dense(1, name="priority")(x)
    department_pred = layers.Dense(num_departments, name="department")(x)
    return keras.Model(inputs=[title_input, body_input, tags_input],
                       outputs=[priority_pred, department_pred])


def test_a_model_with_three_inputs_and_two_outputs():
    model = ticket_model()
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss=[keras.losses.BinaryCrossentropy(from_logits=True),
                        keras.losses.CategoricalCrossentropy(from_logits=True)],
                  loss_weights=[1.0, 0.2])
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
                        "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
                  loss_weights={"priority": 1.0, "department": 0.2})
    n = 64
    data = {"title": rng.integers(50, size=(n, 5)), "body": rng.integers(50, size=(n, 12)),
            "tags": rng.integers(2, size=(n, 6)).astype("float32")}
    targets = {"priority": rng.random(size=(n, 1)),
               "department": rng.integers(2, size=(n, 4)).astype("float32")}
    history = model.fit(data, targets, epochs=2, batch_size=32, verbose=0)
    assert sorted(history.history) == ["department_loss", "loss", "priority_loss"]
    assert history.history["loss"][1] < history.history["loss"][0]


def test_a_toy_resnet():
    inputs = keras.Input(shape=(16, 16, 3), name="img")
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    block_1_output = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(block_1_output)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
    block_2_output = layers.add([x, block_1_output])
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(block_2_output)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
    block_3_output = layers.add([x, block_2_output])
    x = layers.Conv2D(16, 3, activation="relu")(block_3_output)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(32, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    model = keras.Model(inputs, layers.Dense(10)(x), name="toy_resnet")

    x_train = rng.random((40, 16, 16, 3), dtype=np.float32)
    y_train = keras.utils.to_categorical(rng.integers(0, 10, size=(40, 1)), 10)
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                  metrics=["acc"])
    history = model.fit(x_train, y_train, batch_size=8, epochs=1, validation_split=0.2,
                        verbose=0)
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]


def test_a_shared_embedding_encodes_two_texts():
    shared_embedding = layers.Embedding(100, 8)
    text_input_a = keras.Input(shape=(None,), dtype="int32")
    text_input_b = keras.Input(shape=(None,), dtype="int32")
    encoded_a = shared_embedding(text_input_a)
    encoded_b = shared_embedding(text_input_b)
    model = keras.Model([text_input_a, text_input_b], layers.add([encoded_a, encoded_b]))
    a, b = rng.integers(100, size=(2, 7)), rng.integers(100, size=(2, 7))
    table = shared_embedding.get_weights()[0]
    np.testing.assert_allclose(model.predict([a, b], verbose=0), table[a] + table[b])


def test_the_activations_of_every_layer_of_a_trained_network():
    cnn = keras.Sequential([keras.Input(shape=(12, 12, 3)),     # stands in for VGG19
                            layers.Conv2D(4, 3, activation="relu"), layers.MaxPooling2D(2),
                            layers.Conv2D(8, 3, activation="relu"), layers.Flatten(),
                            layers.Dense(5)])
    features_list = [layer.output for layer in cnn.layers]
    feat_extraction_model = keras.Model(inputs=cnn.input, outputs=features_list)
    img = rng.random((1, 12, 12, 3)).astype("float32")
    extracted = feat_extraction_model(img)
    assert [f.shape for f in extracted] == [(1, 10, 10, 4), (1, 5, 5, 4), (1, 3, 3, 8),
                                            (1, 72), (1, 5)]
    np.testing.assert_allclose(extracted[-1], cnn.predict(img, verbose=0), rtol=1e-6)


class CustomDense(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                 trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {"units": self.units}


def test_a_custom_layer_in_a_functional_model_and_its_config():
    inputs = keras.Input((4,))
    model = keras.Model(inputs, CustomDense(10)(inputs))
    config = model.get_config()
    new_model = keras.Model.from_config(config, custom_objects={"CustomDense": CustomDense})
    assert new_model.output_shape == (None, 10)
    assert [w.shape for w in new_model.get_weights()] == [(4, 10), (10,)]


def test_mixing_styles_a_custom_rnn_around_a_functional_model():
    units, timesteps, input_dim = 6, 5, 3
    inputs = keras.Input((None, units))
    x = layers.GlobalAveragePooling1D()(inputs)
    classifier = keras.Model(inputs, layers.Dense(1)(x))

    class CustomRNN(layers.Layer):
        def __init__(self):
            super().__init__()
            self.units = units
            self.projection_1 = layers.Dense(units=units, activation="tanh")
            self.projection_2 = layers.Dense(units=units, activation="tanh")
            self.classifier = classifier

        def call(self, inputs):
            outputs = []
            state = ops.zeros(shape=(inputs.shape[0], self.units))
            for t in range(inputs.shape[1]):
                x = inputs[:, t, :]
                h = self.projection_1(x)
                y = h + self.projection_2(state)
                state = y
                outputs.append(y)
            features = ops.stack(outputs, axis=1)
            return self.classifier(features)

    rnn_model = CustomRNN()
    assert rnn_model(np.zeros((1, timesteps, input_dim))).shape == (1, 1)

    batch_inputs = keras.Input(batch_shape=(4, timesteps, input_dim))
    x = layers.Conv1D(units, 3)(batch_inputs)
    model = keras.Model(batch_inputs, CustomRNN()(x))
    model.compile(optimizer="adam", loss="mse")
    data = rng.random((8, timesteps, input_dim), dtype=np.float32)
    history = model.fit(data, np.ones((8, 1)), batch_size=4, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


# ------------------------------------------- training & evaluation with built-in methods
def get_uncompiled_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def get_compiled_model():
    model = get_uncompiled_model()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    return model


def test_fit_with_validation_data_evaluate_and_predict():
    x, y = mnist_like(300)
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.RMSprop(),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[keras.metrics.SparseCategoricalAccuracy()])
    history = model.fit(x[:200], y[:200], batch_size=64, epochs=2,
                        validation_data=(x[200:250], y[200:250]), verbose=0)
    assert sorted(history.history) == ["loss", "sparse_categorical_accuracy", "val_loss",
                                       "val_sparse_categorical_accuracy"]
    assert len(model.evaluate(x[250:], y[250:], batch_size=128, verbose=0)) == 2
    assert model.predict(x[:3], verbose=0).shape == (3, 10)


def test_losses_and_metrics_of_ones_own():
    def custom_mean_squared_error(y_true, y_pred):
        return ops.mean(ops.square(y_true - y_pred), axis=-1)

    class CustomMSE(keras.losses.Loss):
        def __init__(self, regularization_factor=0.1, name="custom_mse"):
            super().__init__(name=name)
            self.regularization_factor = regularization_factor

        def call(self, y_true, y_pred):
            mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
            reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
            return mse + reg * self.regularization_factor

    x, y = mnist_like()
    y_one_hot = ops.one_hot(y, num_classes=10)
    for loss in (custom_mean_squared_error, CustomMSE()):
        model = get_uncompiled_model()
        model.compile(optimizer=keras.optimizers.Adam(), loss=loss)
        history = model.fit(x, y_one_hot, batch_size=64, epochs=3, verbose=0)
        assert history.history["loss"][-1] < history.history["loss"][0]


def test_layers_that_add_losses_and_a_model_compiled_without_one():
    class ActivityRegularizationLayer(layers.Layer):
        def call(self, inputs):
            self.add_loss(ops.sum(inputs) * 0.1)
            return inputs

    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = ActivityRegularizationLayer()(x)
    outputs = layers.Dense(10, name="predictions")(layers.Dense(64, activation="relu")(x))
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x_train, y_train = mnist_like()
    history = model.fit(x_train, y_train, batch_size=64, epochs=1, verbose=0)
    plain = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(
        y_train, model.predict(x_train, verbose=0))
    assert history.history["loss"][0] > plain      # the added loss counts


def test_class_weights_sample_weights_callbacks_and_schedules(tmp_path):
    x, y = mnist_like(256)
    class_weight = {i: 1.0 for i in range(10)}
    class_weight[5] = 2.0
    model = get_compiled_model()
    model.fit(x, y, class_weight=class_weight, batch_size=64, epochs=1, verbose=0)
    sample_weight = np.ones(shape=(len(y),))
    sample_weight[y == 5] = 2.0
    model.fit(x, y, sample_weight=sample_weight, batch_size=64, epochs=1, verbose=0)

    schedule = keras.optimizers.schedules.ExponentialDecay(
        1e-3, decay_steps=100000, decay_rate=0.96, staircase=True)
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=schedule),
                  loss="sparse_categorical_crossentropy")
    seen = []

    class LossHistory(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(logs.get("loss"))

    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=1e-2, patience=2),
        keras.callbacks.ModelCheckpoint(filepath=str(tmp_path / "mymodel_{epoch}.keras"),
                                        save_best_only=True, monitor="val_loss"),
        LossHistory(),
    ]
    history = model.fit(x, y, epochs=3, batch_size=64, callbacks=callbacks,
                        validation_split=0.2, verbose=0)
    assert len(seen) == 4 * len(history.history["loss"])
    assert sorted(p.name for p in tmp_path.iterdir())


def test_weights_only_checkpoints_of_a_functional_model(tmp_path):
    x, y = mnist_like(128)
    model = get_compiled_model()
    path = str(tmp_path / "best.weights.h5")
    model.fit(x, y, epochs=2, batch_size=64, validation_split=0.25, verbose=0,
              callbacks=[keras.callbacks.ModelCheckpoint(path, save_weights_only=True)])
    again = get_compiled_model()
    again.load_weights(path)
    np.testing.assert_array_equal(again.predict(x[:4], verbose=0),
                                  model.predict(x[:4], verbose=0))


def test_an_endpoint_layer_computes_the_loss_and_the_model_compiles_without_one():
    class LogisticEndpoint(layers.Layer):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

        def call(self, targets, logits, sample_weights=None):
            loss = self.loss_fn(targets, logits, sample_weights)
            self.add_loss(loss)
            return ops.softmax(logits)

    inputs = keras.Input(shape=(3,), name="inputs")
    targets = keras.Input(shape=(10,), name="targets")
    logits = layers.Dense(10)(inputs)
    predictions = LogisticEndpoint(name="predictions")(targets, logits)
    model = keras.Model(inputs=[inputs, targets], outputs=predictions)
    model.compile(optimizer="adam")
    data = {"inputs": rng.random((8, 3)), "targets": rng.random((8, 10))}
    history = model.fit(data, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    with pytest.raises(ValueError, match="loss: the model has no loss to train on"):
        plain = keras.Model(inputs, logits)
        plain.compile(optimizer="adam")
        plain.fit(data["inputs"], verbose=0)


def test_a_custom_metric_counts_true_positives():
    class CategoricalTruePositives(keras.metrics.Metric):
        def __init__(self, name="categorical_true_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
            values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
            values = ops.cast(values, "float32")
            if sample_weight is not None:
                sample_weight = ops.cast(sample_weight, "float32")
                values = ops.multiply(values, sample_weight)
            self.true_positives.assign_add(ops.sum(values))

        def result(self):
            return self.true_positives

        def reset_state(self):
            self.true_positives.assign(0.0)

    x, y = mnist_like(192)
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[CategoricalTruePositives()])
    history = model.fit(x, y.reshape(-1, 1), batch_size=64, epochs=3, verbose=0)
    counted = history.history["categorical_true_positives"]
    assert len(counted) == 3 and all(0 <= c <= 192 and c == int(c) for c in counted)
    # the last epoch's count is the number of right answers seen during that epoch
    predicted = np.argmax(model.predict(x, verbose=0), axis=1)
    assert abs(counted[-1] - np.sum(predicted == y)) <= 40


def test_a_validation_holdout_is_the_last_samples():
    x, y = mnist_like(250)
    model = get_compiled_model()
    history = model.fit(x, y, batch_size=64, validation_split=0.2, epochs=1, verbose=0)
    again = get_compiled_model()
    again.set_weights(model.get_weights())
    held_out = again.evaluate(x[200:], y[200:], verbose=0, return_dict=True)
    assert history.history["val_loss"][0] == pytest.approx(held_out["loss"], rel=1e-5)


def image_and_series_model():
    image_input = keras.Input(shape=(32, 32, 3), name="img_input")
    timeseries_input = keras.Input(shape=(None, 10), name="ts_input")
    x1 = layers.Conv2D(3, 3)(image_input)
    x1 = layers.GlobalMaxPooling2D()(x1)
    x2 = layers.Conv1D(3, 3)(timeseries_input)
    x2 = layers.GlobalMaxPooling1D()(x2)
    x = layers.concatenate([x1, x2])
    score_output = layers.Dense(1, name="score_output")(x)
    class_output = layers.Dense(5, name="class_output")(x)
    return keras.Model(inputs=[image_input, timeseries_input],
                       outputs=[score_output, class_output])


def test_passing_data_to_a_model_with_two_inputs_and_two_outputs():
    model = image_and_series_model()
    assert [layer.name for layer in model.layers[2:6]] == [
        "conv2d", "conv1d", "global_max_pooling2d", "global_max_pooling1d"]
    img_data = rng.random((100, 32, 32, 3))
    ts_data = rng.random((100, 20, 10))
    score_targets = rng.random((100, 1))
    class_targets = rng.random((100, 5))
    metrics = {"score_output": [keras.metrics.MeanAbsolutePercentageError(),
                                keras.metrics.MeanAbsoluteError()],
               "class_output": [keras.metrics.CategoricalAccuracy()]}
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss=[keras.losses.MeanSquaredError(), keras.losses.CategoricalCrossentropy()],
                  metrics=[metrics["score_output"], metrics["class_output"]])
    history = model.fit([img_data, ts_data], [score_targets, class_targets], batch_size=32,
                        epochs=1, verbose=0)
    assert list(history.history) == [    # Keras 3 logs these names, sorted
        "class_output_categorical_accuracy", "class_output_loss", "loss", "score_output_loss",
        "score_output_mean_absolute_error", "score_output_mean_absolute_percentage_error"]
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss={"score_output": keras.losses.MeanSquaredError(),
                        "class_output": keras.losses.CategoricalCrossentropy()},
                  metrics=metrics, loss_weights={"score_output": 2.0, "class_output": 1.0})
    logs = model.fit({"img_input": img_data, "ts_input": ts_data},
                     {"score_output": score_targets, "class_output": class_targets},
                     batch_size=32, epochs=1, verbose=0).history
    assert logs["loss"][0] == pytest.approx(2 * logs["score_output_loss"][0]
                                            + logs["class_output_loss"][0], rel=1e-5)
    # an output may be left without a loss: it is predicted, not trained
    for loss in ([None, keras.losses.CategoricalCrossentropy()],
                 {"class_output": keras.losses.CategoricalCrossentropy()}):
        model.compile(optimizer=keras.optimizers.RMSprop(1e-3), loss=loss)
        before = model.get_layer("score_output").get_weights()
        model.fit([img_data, ts_data], [score_targets, class_targets], batch_size=32,
                  epochs=1, verbose=0)
        for old, new in zip(before, model.get_layer("score_output").get_weights()):
            np.testing.assert_array_equal(old, new)


def test_callbacks_of_ones_own_and_checkpoints_that_restore_training(tmp_path, monkeypatch):
    class LossHistory(keras.callbacks.Callback):
        def on_train_begin(self, logs):
            self.per_batch_losses = []

        def on_batch_end(self, batch, logs):
            self.per_batch_losses.append(logs.get("loss"))

    x_train, y_train = mnist_like(320)
    model = get_compiled_model()
    losses = LossHistory()
    model.fit(x_train, y_train, epochs=2, batch_size=64, callbacks=[losses], verbose=0)
    assert len(losses.per_batch_losses) == 10

    monkeypatch.chdir(tmp_path)
    checkpoint_dir = "./ckpt"
    import os
    os.makedirs(checkpoint_dir)

    def make_or_restore_model():
        checkpoints = [checkpoint_dir + "/" + name for name in os.listdir(checkpoint_dir)]
        if checkpoints:
            latest_checkpoint = max(checkpoints, key=os.path.getctime)
            return keras.models.load_model(latest_checkpoint)
        return get_compiled_model()

    model = make_or_restore_model()
    callbacks = [keras.callbacks.ModelCheckpoint(
        filepath=checkpoint_dir + "/model-loss={loss:.2f}.keras", save_freq=4)]
    model.fit(x_train, y_train, epochs=1, callbacks=callbacks, verbose=0)   # 10 batches
    saved = os.listdir(checkpoint_dir)
    assert saved and all(name.startswith("model-loss=") for name in saved)
    restored = make_or_restore_model()
    assert restored.count_params() == model.count_params()
    assert restored.predict(x_train[:2], verbose=0).shape == (2, 10)
    model.fit(x_train, y_train, epochs=1, verbose=0, callbacks=[keras.callbacks.ModelCheckpoint(
        "weights/b{batch}-{epoch}.weights.h5", save_weights_only=True, save_freq=4)])
    assert sorted(os.listdir("weights")) == ["b4-1.weights.h5", "b8-1.weights.h5"]
    with pytest.raises(ValueError, match="filepath: .*names 'val_acc'"):
        model.fit(x_train, y_train, epochs=1, verbose=0, callbacks=[
            keras.callbacks.ModelCheckpoint(checkpoint_dir + "/{val_acc}.keras", save_freq=2)])


@pytest.mark.parametrize("part", ["tensorboard", "py_dataset", "generator"])
def test_datasets_and_tensorboard(part, tmp_path):
    x, y = mnist_like(128)
    model = get_compiled_model()
    if part == "tensorboard":
        model.fit(x, y, epochs=1, verbose=0, callbacks=[keras.callbacks.TensorBoard(
            log_dir=str(tmp_path), histogram_freq=0, embeddings_freq=0, update_freq="epoch")])
    elif part == "py_dataset":
        class ExamplePyDataset(keras.utils.PyDataset):
            def __init__(self, x, y, batch_size, **kwargs):
                super().__init__(**kwargs)
                self.x, self.y, self.batch_size = x, y, batch_size

            def __len__(self):
                return int(np.ceil(len(self.x) / float(self.batch_size)))

            def __getitem__(self, idx):
                batch = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                return self.x[batch], self.y[batch]

        model.fit(ExamplePyDataset(x, y, batch_size=32), epochs=1, verbose=0,
                  validation_data=ExamplePyDataset(x[:64], y[:64], batch_size=32))
    else:
        model.fit(((x[i:i + 32], y[i:i + 32]) for i in range(0, 128, 32)), epochs=1,
                  steps_per_epoch=4, verbose=0)


def test_plot_model_draws_every_call_and_its_arrows(tmp_path):
    model = image_and_series_model()
    figure = keras.utils.plot_model(model, tmp_path / "multi.svg", show_shapes=True,
                                    show_dtype=True, show_layer_activations=True,
                                    show_trainable=True, rankdir="LR")
    boxes, arrows = _boxes_and_arrows(figure)
    assert len(boxes) == len(model.graph().nodes) == 9
    assert len(arrows) == 2 + 2 + 2 + 2       # conv, pooling, concatenate, two heads
    assert "activation: linear" in boxes[1] and "dtype: float32" in boxes[1]
    assert "<svg" in (tmp_path / "multi.svg").read_text()
    with pytest.raises(ValueError, match="rankdir: expected 'TB' or 'LR', got 'BT'"):
        keras.utils.plot_model(model, tmp_path / "m.png", rankdir="BT")
    with pytest.raises(ValueError, match="to_file: expected a file name ending in .png"):
        keras.utils.plot_model(model, tmp_path / "m.txt")


def _boxes_and_arrows(figure):
    """The texts of plot_model's boxes, and its arrows (annotations without text)."""
    texts = figure.axes[0].texts
    return ([t.get_text() for t in texts if t.get_text()],
            [t for t in texts if not t.get_text()])
