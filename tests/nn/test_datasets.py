"""redes.nn.datasets: keras.datasets offline, equal to Keras on the same tiny files.

Every test runs with KERAS_HOME and REDES_HOME in its own temporary folder. The files are
written in the exact formats Keras downloads; Keras reads them through its own ``get_file``,
which uses a file already in its cache without downloading (its hash check is switched off,
as a tiny file has not the real file's hash, and ``urlretrieve`` fails if ever called).
"""

from __future__ import annotations

import gzip
import json
import pickle
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import redes.data
import redes.nn as nn
from redes.nn import datasets
from redes.nn.datasets import DatasetFormatError, DatasetNotFoundError, locations


@pytest.fixture(scope="module")
def keras_sets():
    """Keras' dataset modules and the two functions of file_utils that are patched."""
    pytest.importorskip("keras")
    from keras.src.backend import config
    from keras.src.datasets import boston_housing, cifar, fashion_mnist, imdb, mnist, reuters
    from keras.src.utils import file_utils

    return SimpleNamespace(mnist=mnist, fashion_mnist=fashion_mnist, imdb=imdb,
                           reuters=reuters, boston_housing=boston_housing, cifar=cifar,
                           config=config, file_utils=file_utils)


@pytest.fixture
def homes(tmp_path, monkeypatch):
    keras_home, redes_home = tmp_path / "keras_home", tmp_path / "redes_home"
    (keras_home / "datasets").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    monkeypatch.setenv("REDES_HOME", str(redes_home))
    return SimpleNamespace(keras=keras_home / "datasets", redes=redes_home / "datasets",
                           keras_home=keras_home, tmp=tmp_path)


@pytest.fixture
def keras(keras_sets, homes, monkeypatch):
    """Keras' loaders reading the temporary KERAS_HOME, never the network."""
    def offline(*args, **kwargs):
        raise AssertionError("Keras tried to download")

    monkeypatch.setattr(keras_sets.config, "_KERAS_DIR", str(homes.keras_home))
    monkeypatch.setattr(keras_sets.file_utils, "validate_file", lambda *a, **k: True)
    monkeypatch.setattr(keras_sets.file_utils, "urlretrieve", offline)
    return keras_sets


# ----------------------------------------------------------------------------- writers


def object_array(sequences):
    out = np.empty(len(sequences), dtype=object)
    out[:] = [list(s) for s in sequences]
    return out


def sequences(rng, n, vocab=30, max_len=12):
    return [rng.integers(1, vocab, size=size).tolist() for size in rng.integers(1, max_len, n)]


def write_imdb(path, seed=0):
    rng = np.random.default_rng(seed)
    np.savez(path, x_train=object_array(sequences(rng, 40)), y_train=rng.integers(0, 2, 40),
             x_test=object_array(sequences(rng, 30)), y_test=rng.integers(0, 2, 30))


def write_reuters(path, seed=1):
    rng = np.random.default_rng(seed)
    np.savez(path, x=object_array(sequences(rng, 50)), y=rng.integers(0, 46, 50))


def idx_bytes(array):
    header = (0x0800 + array.ndim).to_bytes(4, "big")
    return header + b"".join(int(d).to_bytes(4, "big") for d in array.shape) + array.tobytes()


def write_fashion(folder, n_train=64, n_test=16, seed=0):
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = (rng.integers(0, 10, n_train, dtype=np.uint8),
              rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
              rng.integers(0, 10, n_test, dtype=np.uint8),
              rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8))
    for kfile, array in zip(locations.KERAS_FILES["fashion_mnist"], arrays):
        with gzip.open(folder / kfile.basename, "wb") as f:
            f.write(idx_bytes(array))
    return folder


def write_cifar(folder, n=3, seed=0):
    """Six CIFAR batches: dicts with bytes keys, as Python 2 wrote them (pickle protocol 4, as
    protocol 2 from Python 3 spells bytes with _codecs.encode, which both readers refuse)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for kfile in locations.KERAS_FILES["cifar10"]:
        batch = {b"batch_label": b"tiny", b"labels": rng.integers(0, 10, n).tolist(),
                 b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                 b"filenames": [b"x.png"] * n}
        (folder / kfile.basename).write_bytes(pickle.dumps(batch, protocol=4))


def assert_same(ours, theirs):
    """Equal splits: same values, dtypes and shapes (lists compared element by element)."""
    for part in (0, 1):
        for i in (0, 1):
            a, b = ours[part][i], theirs[part][i]
            assert a.dtype == b.dtype and a.shape == b.shape
            if a.dtype == object:
                assert [list(s) for s in a] == [list(s) for s in b]
            else:
                np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- Keras parity


def test_mnist_and_fashion_equal_keras(homes, keras):
    rng = np.random.default_rng(0)
    arrays = {k: rng.integers(0, 256 if k[0] == "x" else 10, shape, dtype=np.uint8)
              for k, shape in [("x_train", (5, 28, 28)), ("y_train", (5,)),
                               ("x_test", (3, 28, 28)), ("y_test", (3,))]}
    np.savez_compressed(homes.keras / "mnist.npz", **arrays)
    assert_same(datasets.mnist.load_data(), keras.mnist.load_data())
    write_fashion(homes.keras / "fashion-mnist", n_train=7, n_test=2)
    assert_same(datasets.fashion_mnist.load_data(), keras.fashion_mnist.load_data())


IMDB_CASES = [
    {},
    {"num_words": 12, "skip_top": 5, "seed": 7},
    {"maxlen": 8, "oov_char": None, "start_char": None},
    {"num_words": 20, "index_from": 0, "start_char": 4, "oov_char": 9, "maxlen": 10},
]


@pytest.mark.parametrize("kwargs", IMDB_CASES)
def test_imdb_equals_keras(homes, keras, kwargs):
    write_imdb(homes.keras / "imdb.npz")
    assert_same(datasets.imdb.load_data(**kwargs), keras.imdb.load_data(**kwargs))


@pytest.mark.parametrize("kwargs", [{}, {"num_words": 15, "maxlen": 9, "test_split": 0.3,
                                         "seed": 3, "oov_char": None, "skip_top": 4}])
def test_reuters_equals_keras(homes, keras, kwargs):
    write_reuters(homes.keras / "reuters.npz")
    assert_same(datasets.reuters.load_data(**kwargs), keras.reuters.load_data(**kwargs))
    assert datasets.reuters.get_label_names() == keras.reuters.get_label_names()


def test_word_indices_equal_keras(homes, keras):
    for name in ("imdb", "reuters"):
        words = {f"w{r}": r for r in range(1, 40)}
        (homes.keras / f"{name}_word_index.json").write_text(json.dumps(words))
        module = getattr(datasets, name)
        assert module.get_word_index() == getattr(keras, name).get_word_index() == words


@pytest.mark.parametrize("test_split, seed", [(0.2, 113), (0.3, 5)])
def test_boston_from_keras_file_and_from_shipped_table_equal_keras(homes, keras, test_split,
                                                                   seed):
    x, y = datasets.boston_housing.read_table()
    theirs_path = homes.tmp / "keras_file" / "boston_housing.npz"
    theirs_path.parent.mkdir()
    np.savez(theirs_path, x=x, y=y)
    ours = datasets.boston_housing.load_data(test_split=test_split, seed=seed)  # the table
    (homes.keras / "boston_housing.npz").write_bytes(theirs_path.read_bytes())
    theirs = keras.boston_housing.load_data(test_split=test_split, seed=seed)
    assert_same(ours, theirs)
    assert_same(datasets.boston_housing.load_data(test_split=test_split, seed=seed), theirs)


def test_boston_default_split_is_the_published_one(homes):
    (x_train, y_train), (x_test, y_test) = datasets.boston_housing.load_data()
    assert x_train.shape == (404, 13) and x_test.shape == (102, 13)
    np.testing.assert_array_equal(y_train[:3], [15.2, 42.3, 50.0])
    np.testing.assert_array_equal(y_train[-3:], [19.4, 19.4, 29.1])


def test_a_registered_boston_file_wins_over_the_table(homes):
    x, y = datasets.boston_housing.read_table()
    source = homes.tmp / "boston_housing.npz"
    np.savez(source, x=x * 2, y=y)
    redes.data.add("boston_housing", source)
    (x_train, _), _ = datasets.boston_housing.load_data(seed=0, test_split=0.0)
    np.testing.assert_array_equal(np.sort(x_train[:, 1]), np.sort(x[:, 1] * 2))


def test_cifar10_equals_keras_batches(homes, keras):
    folder = homes.keras / "cifar-10-batches-py-target" / "cifar-10-batches-py"
    write_cifar(folder)
    (x_train, y_train), (x_test, y_test) = datasets.cifar10.load_data()
    batches = [keras.cifar.load_batch(str(folder / f.basename))
               for f in locations.KERAS_FILES["cifar10"]]
    # Keras' load_data: batches stacked, channels last, labels (n, 1), all uint8
    np.testing.assert_array_equal(
        x_train, np.concatenate([b[0] for b in batches[:5]]).transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(y_train[:, 0], np.concatenate([b[1] for b in batches[:5]]))
    np.testing.assert_array_equal(x_test, batches[5][0].transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(y_test[:, 0], batches[5][1])
    assert x_train.shape == (15, 32, 32, 3) and y_test.shape == (3, 1)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}


# ----------------------------------------------------------------------------- safety, args


def test_cifar_batch_that_names_other_code_is_refused(homes):
    folder = homes.redes / "cifar-10-batches-py"
    write_cifar(folder)
    (folder / "test_batch").write_bytes(pickle.dumps({b"data": print}, protocol=2))
    with pytest.raises(DatasetFormatError, match="refused to load the Python object"):
        datasets.cifar10.load_data()


def test_keras_path_argument_and_bad_arguments(homes):
    write_imdb(homes.keras / "other.npz")
    (x_train, _), _ = datasets.imdb.load_data(path="other.npz")
    assert len(x_train) == 40
    (x_train, _), _ = datasets.imdb.load_data(path=str(homes.keras / "other.npz"))
    assert len(x_train) == 40
    with pytest.raises(ValueError, match="^num_words: expected an integer >= 1 or None"):
        datasets.imdb.load_data(num_words=-1)
    with pytest.raises(ValueError, match="^test_split: expected a number in"):
        datasets.reuters.load_data(test_split=1.0)
    with pytest.raises(TypeError, match="nb_words"):
        datasets.imdb.load_data(nb_words=10)
    with pytest.raises(DatasetNotFoundError, match="'nothing.npz' was not found"):
        datasets.mnist.load_data(path="nothing.npz")


# ----------------------------------------------------------------------------- offline


def test_missing_file_says_where_and_how(homes):
    with pytest.raises(DatasetNotFoundError) as caught:
        datasets.imdb.load_data()
    error = caught.value
    assert isinstance(error, FileNotFoundError) and error.filename == "imdb.npz"
    assert error.searched == [homes.redes / "imdb.npz", homes.keras / "imdb.npz"]
    lines = str(error).splitlines()
    assert lines[0] == "The IMDB dataset is not on this machine: file 'imdb.npz' was not found."
    for needed in (f"  {homes.redes / 'imdb.npz'}", f"  {homes.keras / 'imdb.npz'}",
                   "  - register a copy you already have:  redes data add imdb "
                   "PATH/TO/imdb.npz",
                   "    https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz "
                   "and register it the same way;"):
        assert needed in lines
    assert "download=True" not in str(error)         # the engine never downloads
    assert redes.data.DatasetNotFoundError is DatasetNotFoundError


def test_missing_file_in_spanish(homes, spanish):
    with pytest.raises(DatasetNotFoundError) as caught:
        datasets.fashion_mnist.load_data()
    lines = str(caught.value).splitlines()
    assert lines[0] == ("El conjunto de datos Fashion-MNIST no está en esta computadora: no se "
                        "encontró el archivo 'fashion-mnist/train-labels-idx1-ubyte.gz'.")
    assert "  - o bien, en una computadora con internet, descarga" in lines
    assert ("    https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
            "train-labels-idx1-ubyte.gz y regístralo de la misma forma;") in lines
    assert "    que lo descarga en la caché de Keras." in lines


@pytest.mark.parametrize("load", [datasets.mnist.load_data, datasets.cifar10.load_data,
                                  datasets.reuters.get_word_index])
def test_every_line_of_the_message_is_translated(homes, pseudo, load):
    with pytest.raises(DatasetNotFoundError) as caught:
        load()
    lines = str(caught.value).splitlines()
    prose = [line for line in lines if not line.startswith(f"  {homes.tmp}")]
    assert len(prose) >= 6 and all("⟦" in line and line.endswith("⟧") for line in prose), lines


# ----------------------------------------------------------------------------- the course


COURSE_PROGRAM = """
fashion_mnist = keras.datasets.fashion_mnist
(train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
train_images = train_images / 255.0; test_images = test_images / 255.0
model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)), keras.layers.Dense(128, activation='relu'), keras.layers.Dense(10, activation='softmax')])
model.compile(optimizer=keras.optimizers.Adam(), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(train_images, train_labels, epochs=5)
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
predictions = model.predict(test_images)
"""  # noqa: E501


def test_course_program_runs_on_a_registered_fashion_mnist(homes, capsys):
    from typer.testing import CliRunner

    from redes.cli import app

    folder = write_fashion(homes.tmp / "downloads")
    added = CliRunner().invoke(app, ["data", "add", "fashion_mnist", str(folder)])
    assert added.exit_code == 0, added.output
    assert (homes.redes / "fashion-mnist" / "t10k-images-idx3-ubyte.gz").is_file()
    namespace = {}
    exec("import redes.nn as keras\n" + COURSE_PROGRAM, namespace)
    assert namespace["predictions"].shape == (16, 10)
    assert 0.0 <= namespace["test_acc"] <= 1.0 and np.isfinite(namespace["test_loss"])
    assert namespace["train_images"].max() <= 1.0
    assert "Epoch 5/5" in capsys.readouterr().out


def test_course_program_offline_stops_at_load_data(homes):
    namespace = {}
    with pytest.raises(DatasetNotFoundError, match="redes data add fashion_mnist") as caught:
        exec("import redes.nn as keras\n" + COURSE_PROGRAM, namespace)
    assert "model" not in namespace and "fashion_mnist" in namespace
    assert caught.value.searched[0] == homes.redes / "fashion-mnist/train-labels-idx1-ubyte.gz"


def test_engine_reads_the_registry_that_redes_data_writes(homes):
    assert Path(redes.data.storage.redes_datasets_dir()) == homes.redes
    assert nn.datasets.locations.find is redes.data.storage.find
    # one reader of each format: redes.data uses the engine's
    from redes.data import formats, keras_sets
    assert formats.read_idx is datasets.formats.read_idx
    assert keras_sets.read_sequences_npz is datasets.readers.read_sequences_npz
    assert redes.data.FASHION_MNIST_CLASSES is datasets.fashion_mnist.CLASS_NAMES


def test_keras_returns_a_2d_object_array_when_every_sequence_has_one_length(homes, keras):
    rng = np.random.default_rng(2)
    np.savez(homes.keras / "reuters.npz", x=object_array([[5, 6, 7]] * 6 + [[1] * 9] * 4),
             y=rng.integers(0, 46, 10))
    ours, theirs = (datasets.reuters.load_data(maxlen=5, test_split=0.5),
                    keras.reuters.load_data(maxlen=5, test_split=0.5))
    assert ours[0][0].shape == theirs[0][0].shape == (3, 4)
    assert_same(ours, theirs)
