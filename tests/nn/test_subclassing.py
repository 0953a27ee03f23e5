"""Layers and models written by subclassing, with keras.ops: their backward comes from the
ops their call ran (the tape). Code as Keras' guide "Making new layers and models via
subclassing" writes it, run on both engines with the same weights and data."""

import numpy as np
import pytest
from keras_parity import train_both

import redes.nn as rn

keras = pytest.importorskip("keras")


def guide_layers(lib):
    """The guide's Linear and MLPBlock, written exactly as the guide writes them."""
    ops = lib.ops

    class Linear(lib.layers.Layer):
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

    class MLPBlock(lib.layers.Layer):
        def __init__(self):
            super().__init__()
            self.linear_1 = Linear(32)
            self.linear_2 = Linear(32)
            self.linear_3 = Linear(1)

        def call(self, inputs):
            x = self.linear_1(inputs)
            x = lib.activations.relu(x)
            x = self.linear_2(x)
            x = ops.relu(x)
            return self.linear_3(x)

    return Linear, MLPBlock


def test_the_guides_layers_track_their_weights_as_in_keras():
    for lib in (keras, rn):
        Linear, MLPBlock = guide_layers(lib)
        linear = Linear(4)
        assert linear(np.ones((2, 2), dtype="float32")).shape == (2, 4)
        assert len(linear.weights) == 2
        mlp = MLPBlock()
        assert tuple(mlp(np.ones((3, 64), dtype="float32")).shape) == (3, 1)
        assert len(mlp.weights) == 6 and len(mlp.trainable_weights) == 6


def test_mlp_block_in_a_functional_model_matches_keras():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 16)).astype("float32")
    y = rng.normal(size=(40, 1)).astype("float32")
    models = {}
    keras.utils.set_random_seed(0)
    for lib in (keras, rn):
        _, MLPBlock = guide_layers(lib)
        inputs = lib.Input(shape=(16,))
        models[lib] = lib.Model(inputs, MLPBlock()(inputs))
    assert models[rn].count_params() == models[keras].count_params()
    train_both(models[rn], models[keras], x, y, loss="mse")


def test_ops_and_operators_in_a_functional_model_match_keras():
    def make(lib):
        ops = lib.ops
        inputs = lib.Input(shape=(6,))
        h = lib.layers.Dense(8)(inputs)
        h = ops.tanh(h) * 2.0 + ops.square(h) / 10.0 - 1.0
        h = ops.concatenate([h, ops.exp(-ops.abs(inputs))], axis=-1)
        h = h[:, 1:] ** 2
        h = ops.maximum(h, 0.5) @ ops.ones((13, 4)) / 13.0
        out = lib.layers.Dense(3, activation="softmax")(ops.log(h + 1.0))
        return lib.Model(inputs, out)

    rng = np.random.default_rng(1)
    x = rng.normal(size=(30, 6)).astype("float32")
    y = rng.integers(0, 3, size=30)
    keras.utils.set_random_seed(2)
    train_both(make(rn), make(keras), x, y, loss="sparse_categorical_crossentropy")


def test_automatic_backward_equals_the_hand_written_one_in_float64():
    rn.backend.set_floatx("float64")
    try:
        Linear, _ = guide_layers(rn)

        class Hidden(rn.layers.Layer):
            """Dense(8, relu) written with ops."""

            def __init__(self):
                super().__init__()
                self.linear = Linear(8)

            def call(self, inputs):
                return rn.ops.relu(self.linear(inputs))

        rng = np.random.default_rng(3)
        x, y = rng.normal(size=(20, 5)), rng.integers(0, 3, size=20)
        grads = {}
        for name, hidden in (("ops", Hidden()), ("dense", rn.layers.Dense(8, "relu"))):
            inputs = rn.Input(shape=(5,))
            model = rn.Model(inputs, rn.layers.Dense(3, activation="softmax")(hidden(inputs)))
            model.set_weights([w.astype("float64") for w in grads.get("weights", [])]
                              or model.get_weights())
            grads.setdefault("weights", model.get_weights())
            model.compile(loss="sparse_categorical_crossentropy")
            grads[name] = model.compute_loss_and_grads(x, y)
        assert grads["ops"][0] == pytest.approx(grads["dense"][0], rel=1e-12)
        for a, b in zip(grads["ops"][1], grads["dense"][1]):
            assert a.dtype == np.float64
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    finally:
        rn.backend.set_floatx("float32")


def _subclassed(lib):
    class Classifier(lib.Model):
        def __init__(self):
            super().__init__()
            self.hidden = lib.layers.Dense(12, activation="relu")
            self.out = lib.layers.Dense(3, activation="softmax")

        def call(self, inputs, training=False):
            x = self.hidden(inputs)
            if x.shape[-1] > 4:                      # Python control flow on shapes
                x = x + lib.ops.relu(inputs @ lib.ops.ones((5, 12)) * 0.1)
            return self.out(x)

    return Classifier()


def test_a_subclassed_model_trains_as_in_keras():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(40, 5)).astype("float32")
    y = rng.integers(0, 3, size=40)
    keras.utils.set_random_seed(5)
    theirs, ours = _subclassed(keras), _subclassed(rn)
    theirs(x[:1]), ours(x[:1])
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    train_both(ours, theirs, x, y, loss="sparse_categorical_crossentropy")
    assert ours.name == "classifier"


def test_add_weight_checks_its_shape():
    class Bad(rn.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(None, 3))

        def call(self, inputs):
            return inputs

    with pytest.raises(ValueError, match=r"shape: layer 'bad\w*': add_weight needs"):
        Bad()(np.ones((2, 3)))


def test_a_variable_reads_assigns_and_shows_through_the_layer():
    Linear, _ = guide_layers(rn)
    layer = Linear(2)
    layer(np.ones((1, 3), dtype="float32"))
    layer.w.assign(np.zeros((3, 2)))
    layer.b.assign_add(np.ones(2))
    np.testing.assert_array_equal(layer(np.ones((1, 3), dtype="float32")),
                                  layer.b.numpy()[None, :])
    np.testing.assert_array_equal(layer.get_weights()[0], np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"value: variable .* has shape \(2,\)"):
        layer.b.assign(np.ones(3))


def _constrained(lib, constraint):
    class Constrained(lib.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 3), initializer="ones",
                                     constraint=constraint)

        def call(self, inputs):
            return lib.ops.matmul(inputs, self.w)

    return Constrained()


@pytest.mark.parametrize("name, make", [
    ("max_norm", lambda lib: lib.constraints.MaxNorm(0.5)),
    ("non_neg", lambda lib: lib.constraints.NonNeg()),
    ("unit_norm", lambda lib: lib.constraints.UnitNorm()),
])
def test_constraints_hold_after_every_update_as_in_keras(name, make):
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(16, 4)).astype("float32"), rng.normal(size=(16, 3))
    weights = {}
    for lib in (keras, rn):
        inputs = lib.Input(shape=(4,))
        model = lib.Model(inputs, _constrained(lib, make(lib))(inputs))
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        weights[lib] = model.get_weights()[0]
    np.testing.assert_allclose(weights[rn], weights[keras], rtol=1e-5, atol=1e-6)


def guide_vae(lib):
    """The guide's variational autoencoder, its random noise given as a second input (so
    that both engines see the same numbers); otherwise written as the guide writes it."""
    layers, ops = lib.layers, lib.ops

    class Sampling(layers.Layer):
        """Uses (z_mean, z_log_var, epsilon) to sample z, the vector encoding a digit."""

        def call(self, inputs):
            z_mean, z_log_var, epsilon = inputs
            return z_mean + ops.exp(0.5 * z_log_var) * epsilon

    class Encoder(layers.Layer):
        """Maps MNIST digits to a triplet (z_mean, z_log_var, z)."""

        def __init__(self, latent_dim=32, intermediate_dim=64, name="encoder", **kwargs):
            super().__init__(name=name, **kwargs)
            self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
            self.dense_mean = layers.Dense(latent_dim)
            self.dense_log_var = layers.Dense(latent_dim)
            self.sampling = Sampling()

        def call(self, inputs):
            inputs, epsilon = inputs
            x = self.dense_proj(inputs)
            z_mean = self.dense_mean(x)
            z_log_var = self.dense_log_var(x)
            z = self.sampling((z_mean, z_log_var, epsilon))
            return z_mean, z_log_var, z

    class Decoder(layers.Layer):
        """Converts z, the encoded digit vector, back into a readable digit."""

        def __init__(self, original_dim, intermediate_dim=64, name="decoder", **kwargs):
            super().__init__(name=name, **kwargs)
            self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
            self.dense_output = layers.Dense(original_dim, activation="sigmoid")

        def call(self, inputs):
            x = self.dense_proj(inputs)
            return self.dense_output(x)

    class VariationalAutoEncoder(lib.Model):
        """Combines the encoder and decoder into an end-to-end model for training."""

        def __init__(self, original_dim, intermediate_dim=64, latent_dim=32,
                     name="autoencoder", **kwargs):
            super().__init__(name=name, **kwargs)
            self.original_dim = original_dim
            self.encoder = Encoder(latent_dim=latent_dim, intermediate_dim=intermediate_dim)
            self.decoder = Decoder(original_dim, intermediate_dim=intermediate_dim)

        def call(self, inputs):
            z_mean, z_log_var, z = self.encoder(inputs)
            reconstructed = self.decoder(z)
            # Add KL divergence regularization loss.
            kl_loss = -0.5 * ops.mean(z_log_var - ops.square(z_mean) - ops.exp(z_log_var) + 1)
            self.add_loss(kl_loss)
            return reconstructed

    return VariationalAutoEncoder(original_dim=20, intermediate_dim=16, latent_dim=4)


def test_the_guides_variational_autoencoder_trains_as_in_keras():
    rng = np.random.default_rng(9)
    x = rng.uniform(size=(40, 20)).astype("float32")
    epsilon = rng.normal(size=(40, 4)).astype("float32")
    keras.utils.set_random_seed(10)
    theirs, ours = guide_vae(keras), guide_vae(rn)
    theirs([x[:2], epsilon[:2]]), ours([x[:2], epsilon[:2]])
    ours.set_weights(theirs.get_weights())
    assert ours.count_params() == theirs.count_params()
    histories = {}
    for model, lib in ((ours, rn), (theirs, keras)):
        model.compile(optimizer=lib.optimizers.Adam(learning_rate=1e-2),
                      loss=lib.losses.MeanSquaredError())
        histories[lib] = model.fit([x, epsilon], x, epochs=1, batch_size=8, shuffle=False,
                                   verbose=0).history
    np.testing.assert_allclose(histories[rn]["loss"], histories[keras]["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):   # Adam: within 1e-5
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    assert len(ours.losses) == 1 and ours.losses[0] > 0     # the KL term of the last batch


def test_a_custom_loss_function_and_metric_subclass_as_in_the_training_guide():
    def custom_mean_squared_error(y_true, y_pred, lib):
        return lib.ops.mean(lib.ops.square(y_true - y_pred), axis=-1)

    def make_metric(lib):
        class CategoricalTruePositives(lib.metrics.Metric):
            def __init__(self, name="categorical_true_positives", **kwargs):
                super().__init__(name=name, **kwargs)
                self.true_positives = self.add_variable(shape=(), name="ctp",
                                                        initializer="zeros")

            def update_state(self, y_true, y_pred, sample_weight=None):
                y_pred = lib.ops.reshape(lib.ops.argmax(y_pred, axis=1), (-1, 1))
                values = lib.ops.cast(y_true, "int32") == lib.ops.cast(y_pred, "int32")
                values = lib.ops.cast(values, "float32")
                self.true_positives.assign_add(lib.ops.sum(values))

            def result(self):
                return self.true_positives

            def reset_state(self):
                self.true_positives.assign(0.0)

        return CategoricalTruePositives()

    rng = np.random.default_rng(11)
    x = rng.normal(size=(32, 6)).astype("float32")
    labels = rng.integers(0, 3, size=(32, 1))
    onehot = np.eye(3, dtype="float32")[labels[:, 0]]
    results = {}
    keras.utils.set_random_seed(12)
    models = {}
    for lib in (keras, rn):
        inputs = lib.Input(shape=(6,))
        models[lib] = lib.Model(inputs, lib.layers.Dense(3, activation="softmax")(inputs))
    models[rn].set_weights(models[keras].get_weights())
    for lib, model in models.items():
        model.compile(optimizer=lib.optimizers.Adam(0.01),
                      loss=lambda t, p, lib=lib: custom_mean_squared_error(t, p, lib))
        model.fit(x, onehot, batch_size=8, epochs=1, shuffle=False, verbose=0)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=[make_metric(lib)])
        results[lib] = model.evaluate(x, labels, verbose=0, return_dict=True)
    for a, b in zip(models[rn].get_weights(), models[keras].get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert results[rn]["categorical_true_positives"] == pytest.approx(
        results[keras]["categorical_true_positives"])


def test_lambda_layers_get_their_gradient_from_the_ops_they_run():
    inputs = rn.Input((3,))
    doubled = rn.layers.Lambda(lambda t, k: rn.ops.square(t) * k, arguments={"k": 2.0})(inputs)
    model = rn.Model(inputs, rn.layers.Dense(1, kernel_initializer="ones")(doubled))
    model.compile(loss="mse")
    x = np.array([[1.0, 2.0, 3.0]], dtype="float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), [[28.0]])
    loss, grads = model.compute_loss_and_grads(x, np.zeros((1, 1)))
    np.testing.assert_allclose(grads[0][:, 0], 2 * 28.0 * 2 * x[0] ** 2)   # dL/dW = 2(y) z


def test_clone_model_gives_the_same_architecture_with_new_weights():
    inputs = rn.Input((4,))
    model = rn.Model(inputs, rn.layers.Dense(2)(rn.layers.Dense(3)(inputs)))
    clone = rn.models.clone_model(model)
    assert [w.shape for w in clone.get_weights()] == [w.shape for w in model.get_weights()]
    assert not np.array_equal(clone.get_weights()[0], model.get_weights()[0])


def test_a_train_step_written_for_tensorflow_gets_a_clear_error():
    class Custom(rn.Model):
        def train_step(self, data):
            raise AssertionError("never called")

    inputs = rn.Input((2,))
    model = Custom(inputs, rn.layers.Dense(1)(inputs))
    model.compile(loss="mse")
    with pytest.raises(NotImplementedError, match="Custom defines train_step.*TensorFlow"):
        model.fit(np.ones((2, 2)), np.ones((2, 1)), verbose=0)


def test_an_integer_input_feeds_an_embedding():
    inputs = rn.Input(shape=(5,), dtype="int32")
    x = rn.layers.Embedding(10, 3)(inputs)
    model = rn.Model(inputs, rn.layers.Dense(1)(rn.layers.Flatten()(x)))
    model.compile(optimizer="sgd", loss="mse")
    ids = np.arange(10).reshape(2, 5)
    model.fit(ids, np.ones((2, 1)), verbose=0)
    assert model.predict(ids, verbose=0).shape == (2, 1)


def test_a_non_trainable_weight_updated_in_call_as_in_the_guide():
    class ComputeSum(rn.layers.Layer):
        def __init__(self, input_dim):
            super().__init__()
            self.total = self.add_weight(initializer="zeros", shape=(input_dim,),
                                         trainable=False)

        def call(self, inputs):
            self.total.assign_add(rn.ops.sum(inputs, axis=0))
            return self.total

    my_sum = ComputeSum(2)
    x = rn.ops.ones((2, 2))
    my_sum(x)
    np.testing.assert_array_equal(my_sum(x), [4.0, 4.0])
    assert len(my_sum.weights) == 1 and my_sum.trainable_weights == []
    assert len(my_sum.non_trainable_weights) == 1


def test_ops_on_shapes_that_do_not_broadcast_name_the_op_and_the_shapes():
    with pytest.raises(ValueError, match=r"add: .*\(given shapes \[\(2, 3\), \(4, 5\)\]\)"):
        rn.ops.add(np.ones((2, 3)), np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"multiply: .*\(given shapes \[\(None, 3\), "
                                         r"\(None, 4\)\]\)"):
        rn.Input((3,)) * rn.Input((4,))


def test_the_guides_training_argument_random_layers_and_a_resnet_like_model():
    ops, layers = rn.ops, rn.layers

    class CustomDropout(layers.Layer):
        def __init__(self, rate, **kwargs):
            super().__init__(**kwargs)
            self.rate = rate
            self.seed_generator = rn.random.SeedGenerator(1337)

        def call(self, inputs, training=None):
            if training:
                return rn.random.dropout(inputs, rate=self.rate, seed=self.seed_generator)
            return inputs

    class Sampling(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seed_generator = rn.random.SeedGenerator(1337)

        def call(self, inputs):
            z_mean, z_log_var = inputs
            batch, dim = ops.shape(z_mean)[0], ops.shape(z_mean)[1]
            epsilon = rn.random.normal(shape=(batch, dim), seed=self.seed_generator)
            return z_mean + ops.exp(0.5 * z_log_var) * epsilon

    class ResNetLike(rn.Model):
        def __init__(self, num_classes=3):
            super().__init__()
            self.block_1 = layers.Dense(8, activation="relu")
            self.block_2 = layers.Dense(8, activation="relu")
            self.dropout = CustomDropout(0.5)
            self.classifier = layers.Dense(num_classes)

        def call(self, inputs, training=False):
            x = self.block_1(inputs)
            x = self.block_2(x) + x
            return self.classifier(self.dropout(x, training=training))

    dropout = CustomDropout(0.5)
    x = np.ones((100, 10), dtype="float32")
    np.testing.assert_array_equal(dropout(x), x)                 # inference: unchanged
    dropped = dropout(x, training=True)
    assert set(np.unique(dropped)) == {0.0, 2.0}                 # kept values scaled by 2

    z_mean, z_log_var = rn.Input((4,)), rn.Input((4,))
    sampler = rn.Model([z_mean, z_log_var], Sampling()([z_mean, z_log_var]))
    draws = sampler.predict([np.zeros((500, 4)), np.zeros((500, 4))], verbose=0)
    assert draws.shape == (500, 4) and abs(draws.std() - 1.0) < 0.1

    rn.utils.set_random_seed(13)
    model = ResNetLike()
    model.compile(optimizer="adam",
                  loss=rn.losses.SparseCategoricalCrossentropy(from_logits=True))
    rng = np.random.default_rng(13)
    x, y = rng.random((40, 5)), rng.integers(0, 3, 40)
    model(x[:1])
    before = model.evaluate(x, y, verbose=0)                # inference: no dropout
    model.fit(x, y, epochs=30, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before
    assert model.count_params() == 6 * 8 + 9 * 8 + 9 * 3


# ------------------------------------------------ the guide's cells, one by one, on redes
def test_the_guides_first_layers_their_weights_and_their_losses():
    ops = rn.ops

    class Linear(rn.layers.Layer):
        def __init__(self, units=32, input_dim=32):
            super().__init__()
            self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal",
                                     trainable=True)
            self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)

        def call(self, inputs):
            return ops.matmul(inputs, self.w) + self.b

    x = ops.ones((2, 2))
    linear_layer = Linear(4, 2)
    y = linear_layer(x)
    np.testing.assert_allclose(y.numpy(), np.ones((2, 2)) @ linear_layer.w.numpy(), rtol=1e-6)

    class ComputeSum(rn.layers.Layer):
        def __init__(self, input_dim):
            super().__init__()
            self.total = self.add_weight(initializer="zeros", shape=(input_dim,),
                                         trainable=False)

        def call(self, inputs):
            self.total.assign_add(ops.sum(inputs, axis=0))
            return self.total

    my_sum = ComputeSum(2)
    assert my_sum(x).numpy().tolist() == [2.0, 2.0]
    assert my_sum(x).numpy().tolist() == [4.0, 4.0]
    assert (len(my_sum.weights), len(my_sum.non_trainable_weights)) == (1, 1)
    assert my_sum.trainable_weights == []

    Linear, MLPBlock = guide_layers(rn)
    mlp = MLPBlock()
    mlp(ops.ones(shape=(3, 64)))
    assert (len(mlp.weights), len(mlp.trainable_weights)) == (6, 6)

    class ActivityRegularizationLayer(rn.layers.Layer):
        def __init__(self, rate=1e-2):
            super().__init__()
            self.rate = rate

        def call(self, inputs):
            self.add_loss(self.rate * ops.mean(inputs))
            return inputs

    class OuterLayer(rn.layers.Layer):
        def __init__(self):
            super().__init__()
            self.activity_reg = ActivityRegularizationLayer(1e-2)

        def call(self, inputs):
            return self.activity_reg(inputs)

    layer = OuterLayer()
    assert len(layer.losses) == 0
    _ = layer(ops.zeros((1, 1)))
    assert len(layer.losses) == 1
    _ = layer(ops.zeros((1, 1)))
    assert len(layer.losses) == 1      # reset at each call

    class OuterLayerWithKernelRegularizer(rn.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = rn.layers.Dense(32, kernel_regularizer=rn.regularizers.l2(1e-3))

        def call(self, inputs):
            return self.dense(inputs)

    layer = OuterLayerWithKernelRegularizer()
    _ = layer(ops.zeros((1, 1)))
    assert layer.losses == [pytest.approx(1e-3 * float(np.sum(layer.dense.kernel ** 2)))]

    inputs = rn.Input(shape=(3,))
    outputs = ActivityRegularizationLayer()(inputs)
    model = rn.Model(inputs, outputs)
    data = np.random.default_rng(0).random((2, 3))
    model.compile(optimizer="adam", loss="mse")
    with_mse = model.fit(data, data[::-1], verbose=0).history["loss"][0]
    model.compile(optimizer="adam")
    alone = model.fit(data, data[::-1], verbose=0).history["loss"][0]
    assert alone == pytest.approx(1e-2 * data.mean(), rel=1e-5)
    assert with_mse == pytest.approx(alone + np.mean((data - data[::-1]) ** 2), rel=1e-5)


def test_the_guides_configs_round_trip():
    ops = rn.ops

    class Linear(rn.layers.Layer):
        def __init__(self, units=32, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                     initializer="random_normal", trainable=True)
            self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                     trainable=True)

        def call(self, inputs):
            return ops.matmul(inputs, self.w) + self.b

        def get_config(self):
            config = super().get_config()
            config.update({"units": self.units})
            return config

    layer = Linear(64, name="linear_64")
    config = layer.get_config()
    assert config["units"] == 64 and config["name"] == "linear_64"
    new_layer = Linear.from_config(config)
    assert (new_layer.units, new_layer.name) == (64, "linear_64")


def test_the_weights_list_holds_the_variables_add_weight_returned():
    class Linear(rn.layers.Layer):
        def __init__(self, units=32, input_dim=32):
            super().__init__()
            self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal")
            self.b = self.add_weight(shape=(units,), initializer="zeros", name="bias")

    linear_layer = Linear(4, 2)
    assert linear_layer.weights == [linear_layer.w, linear_layer.b]
    assert linear_layer.trainable_variables == [linear_layer.w, linear_layer.b]
    assert (linear_layer.b.name, linear_layer.b.path) == ("bias", f"{linear_layer.name}/bias")
    # a model's weights are Variables too: names, shapes and values as Keras code reads them
    model = rn.Sequential([rn.Input((3,)), rn.layers.Dense(2, name="out")])
    assert [(w.path, w.shape) for w in model.weights] == [("out/kernel", (3, 2)),
                                                          ("out/bias", (2,))]
    model.weights[1].assign([1.0, 2.0])
    np.testing.assert_array_equal(model.predict(np.zeros((1, 3)), verbose=0), [[1.0, 2.0]])
    optimizer = rn.optimizers.SGD(learning_rate=0.5)
    optimizer.apply_gradients(zip([np.zeros((3, 2)), np.ones(2)], model.trainable_variables))
    np.testing.assert_array_equal(model.weights[1].numpy(), [0.5, 1.5])
