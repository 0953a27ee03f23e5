"""fit, evaluate and predict on iterables of batches: generators, PyDataset, redes' Dataset,
tf.data.Dataset and PyTorch's DataLoader give the history of the same batches as arrays,
and the history of Keras on the same batches from the same weights."""

import warnings

import numpy as np
import pytest

import redes.nn as rn

rng = np.random.default_rng(0)
X = rng.random((100, 4), dtype=np.float32)
Y = rng.integers(0, 3, 100)
XV, YV = X[:20], Y[:20]


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def model(lib=rn):
    lib.utils.set_random_seed(0)
    m = lib.Sequential([lib.Input((4,)), lib.layers.Dense(5, activation="relu"),
                        lib.layers.Dense(3, activation="softmax")])
    m.compile(lib.optimizers.Adam(0.05), "sparse_categorical_crossentropy",
              metrics=["accuracy"])
    return m


def batches(epochs=1, sw=None):
    """The batches of 32 rows that fit(X, Y, batch_size=32, shuffle=False) takes."""
    for _epoch in range(epochs):
        for i in range(0, 100, 32):
            yield (X[i:i + 32], Y[i:i + 32]) if sw is None else (
                X[i:i + 32], Y[i:i + 32], sw[i:i + 32])


class Batches(rn.utils.PyDataset):
    def __init__(self, x=X, y=Y, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.asked, self.ends = x, y, [], 0

    def __len__(self):
        return int(np.ceil(len(self.x) / 32))

    def __getitem__(self, index):
        self.asked.append(index)
        return self.x[index * 32:(index + 1) * 32], self.y[index * 32:(index + 1) * 32]

    def on_epoch_end(self):
        self.ends += 1


def arrays_history(**kwargs):
    return model().fit(X, Y, batch_size=32, epochs=2, shuffle=False, verbose=0,
                       validation_data=(XV, YV), **kwargs).history


def assert_same(history, expected, rtol=1e-6):
    assert history.keys() == expected.keys()
    for key in expected:
        np.testing.assert_allclose(history[key], expected[key], rtol=rtol, err_msg=key)


def tf_dataset():
    tf = pytest.importorskip("tensorflow")
    return tf.data.Dataset.from_tensor_slices((X, Y)).batch(32)


def torch_loader():
    torch = pytest.importorskip("torch")
    data = torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(Y))
    return torch.utils.data.DataLoader(data, batch_size=32, shuffle=False)


@pytest.mark.parametrize("kind", ["generator", "py_dataset", "dataset", "tf.data",
                                  "torch"])
def test_every_iterable_gives_the_history_of_the_same_batches_as_arrays(kind):
    expected = arrays_history()
    data, steps = {
        "generator": lambda: (batches(epochs=2), 4),
        "py_dataset": lambda: (Batches(), None),
        "dataset": lambda: (rn.utils.Dataset.from_tensor_slices((X, Y)).batch(32), None),
        "tf.data": lambda: (tf_dataset(), None),
        "torch": lambda: (torch_loader(), None),
    }[kind]()
    validation = rn.utils.Dataset.from_tensor_slices((XV, YV)).batch(32)
    history = model().fit(data, epochs=2, steps_per_epoch=steps, shuffle=False, verbose=0,
                          validation_data=validation).history
    assert_same(history, expected)


def test_sample_weights_and_class_weights_in_batches_count_as_with_arrays():
    sw = np.linspace(0.5, 2, 100).astype(np.float32)
    assert_same(model().fit(batches(2, sw), epochs=2, steps_per_epoch=4, verbose=0,
                            validation_data=(XV, YV)).history,
                arrays_history(sample_weight=sw))
    class_weight = {0: 1.0, 1: 2.0, 2: 0.5}
    assert_same(model().fit(Batches(), epochs=2, shuffle=False, verbose=0,
                            class_weight=class_weight, validation_data=(XV, YV)).history,
                arrays_history(class_weight=class_weight))


def test_a_generator_and_tf_data_give_the_history_of_keras(keras):
    tf = pytest.importorskip("tensorflow")
    for data in (lambda: batches(epochs=2), lambda: tf.data.Dataset.from_tensor_slices(
            (X, Y)).batch(32)):
        theirs = model(keras)
        ours = model()
        ours.set_weights(theirs.get_weights())
        steps = 4 if not hasattr(data(), "cardinality") else None
        expected = theirs.fit(data(), epochs=2, steps_per_epoch=steps, verbose=0,
                              shuffle=False, validation_data=(XV, YV)).history
        assert_same(ours.fit(data(), epochs=2, steps_per_epoch=steps, verbose=0,
                             validation_data=(XV, YV)).history, expected, rtol=1e-5)


def test_steps_per_epoch_goes_on_where_the_last_epoch_stopped():
    data = Batches()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model().fit(data, epochs=3, steps_per_epoch=3, shuffle=False, verbose=0)
    # as Keras: 3 batches, then the last one of the pass (the pass ends: a warning), then
    # a new pass
    assert data.asked == [0, 1, 2, 3, 0, 1, 2]
    assert len(history.history["loss"]) == 3
    assert data.ends == 1 + 3          # before the start, and after each epoch, as Keras


def test_fit_shuffles_the_batches_of_a_py_dataset_and_keeps_a_dataset_order():
    assert rn.utils.Sequence is rn.utils.PyDataset          # Keras' older name
    data = Batches()
    rn.utils.set_random_seed(1)
    model().fit(data, epochs=3, verbose=0)
    epochs = [data.asked[i:i + 4] for i in range(0, 12, 4)]
    assert all(sorted(e) == [0, 1, 2, 3] for e in epochs)
    assert epochs != [[0, 1, 2, 3]] * 3


def test_a_generator_used_up_ends_the_training_with_a_warning():
    with pytest.warns(UserWarning, match="steps_per_epoch \\* epochs"):
        history = model().fit(batches(epochs=1), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 1


def test_unknown_length_is_learned_for_the_progress_line(capsys):
    model().fit(batches(epochs=1), epochs=1, verbose=2)
    model().fit(Batches(), epochs=1, steps_per_epoch=2, verbose=2)
    lines = [line for line in capsys.readouterr().out.splitlines() if "loss" in line]
    assert [line.split(" ")[0] for line in lines] == ["4/4", "2/2"]


def test_evaluate_and_predict_take_iterables_and_steps():
    m = model()
    expected = m.evaluate(X, Y, batch_size=32, verbose=0)
    assert m.evaluate(Batches(), verbose=0) == pytest.approx(expected, rel=1e-6)
    assert m.evaluate(batches(), verbose=0) == pytest.approx(expected, rel=1e-6)
    first_two = m.evaluate(X[:64], Y[:64], verbose=0)
    assert m.evaluate(Batches(), steps=2, verbose=0) == pytest.approx(first_two, rel=1e-6)
    out = m.predict(X, verbose=0)
    np.testing.assert_allclose(m.predict((X[i:i + 32] for i in range(0, 100, 32)),
                                         verbose=0), out, rtol=1e-6)
    np.testing.assert_allclose(m.predict(Batches(), verbose=0), out, rtol=1e-6)
    np.testing.assert_allclose(m.predict(Batches(), steps=1, verbose=0), out[:32], rtol=1e-6)


def test_arguments_that_an_iterable_brings_itself_are_refused():
    m = model()
    with pytest.raises(ValueError, match="y: cannot be given when x is a PyDataset"):
        m.fit(Batches(), Y, verbose=0)
    with pytest.raises(ValueError, match="validation_split: only for arrays, not for a "
                                         "generator"):
        m.fit(batches(), validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match="steps_per_epoch: expected a positive integer"):
        m.fit(batches(), steps_per_epoch=0, verbose=0)
    with pytest.raises(ValueError, match="x: each batch of a generator must be"):
        m.fit(iter([(X, Y, None, None)]), verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m.fit(X, Y, epochs=1, steps_per_epoch=2, verbose=0)   # arrays: 2 batches of 50


def test_validation_data_overrides_validation_split_as_in_keras():
    assert_same(arrays_history(validation_split=0.5), arrays_history())
