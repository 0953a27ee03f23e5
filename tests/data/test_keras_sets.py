"""Keras' datasets read offline from files in Keras' exact formats."""

from __future__ import annotations

import gzip
import shutil

import numpy as np
import pytest

import redes.data as data
from redes.data import DatasetFormatError, DatasetNotFoundError, keras_sets, storage


def as_lists(x):
    return [list(map(int, s)) for s in x]


# ----------------------------------------------------------------------------- MNIST


def test_mnist_reads_the_keras_cache(homes, kf):
    written = kf.write_mnist(homes.keras / "mnist.npz", n_train=6, n_test=4)
    (x_train, y_train), (x_test, y_test) = data.mnist()
    assert x_train.dtype == np.uint8 and x_train.shape == (6, 28, 28)
    assert y_train.dtype == np.uint8 and x_test.shape == (4, 28, 28)
    np.testing.assert_array_equal(x_train, written["x_train"])
    np.testing.assert_array_equal(y_test, written["y_test"])


def test_mnist_matches_keras_loader(homes, kf, keras_datasets, monkeypatch):
    path = homes.keras / "mnist.npz"
    kf.write_mnist(path, compressed=False)
    monkeypatch.setattr(keras_datasets.mnist, "get_file", lambda *a, **k: str(path))
    ours, theirs = data.mnist(), keras_datasets.mnist.load_data()
    for part in (0, 1):
        for i in (0, 1):
            np.testing.assert_array_equal(ours[part][i], theirs[part][i])
            assert ours[part][i].dtype == theirs[part][i].dtype


def test_mnist_explicit_path_and_folder(homes, kf):
    other = homes.tmp / "downloads"
    written = kf.write_mnist(other / "mnist.npz", n_train=3)
    (x_train, _), _ = data.mnist(path=other / "mnist.npz")
    np.testing.assert_array_equal(x_train, written["x_train"])
    (x_train, _), _ = data.mnist(path=other)
    assert x_train.shape == (3, 28, 28)
    with pytest.raises(DatasetNotFoundError, match="no MNIST file"):
        data.mnist(path=homes.tmp / "nothing.npz")


def test_missing_mnist_says_what_to_do(homes):
    with pytest.raises(DatasetNotFoundError) as info:
        data.mnist()
    err = info.value
    message = str(err)
    assert isinstance(err, FileNotFoundError)
    assert err.dataset == "mnist" and err.filename == "mnist.npz"
    assert err.searched == [homes.redes / "mnist.npz", homes.keras / "mnist.npz"]
    for needed in (
        "'mnist.npz'",
        str(homes.redes / "mnist.npz"),
        str(homes.keras / "mnist.npz"),
        "redes data add mnist PATH/TO/mnist.npz",
        "keras.datasets.mnist.load_data()",
        "download=True",
    ):
        assert needed in message


def test_registered_copy_comes_before_keras_cache(homes, kf):
    kf.write_mnist(homes.keras / "mnist.npz", n_train=2)
    source = homes.tmp / "mnist (1).npz"
    kf.write_mnist(source, n_train=5)
    [copy] = data.add("mnist", source)
    assert copy == homes.redes / "mnist.npz"
    (x_train, _), _ = data.mnist()
    assert x_train.shape == (5, 28, 28)
    assert sorted(p.name for p in homes.redes.iterdir()) == ["mnist.npz"]  # no temp left


def test_download_asks_keras_only_when_missing(homes, kf, monkeypatch):
    calls = []

    def fake_keras_download(kfile):
        calls.append(kfile.keras_call)
        kf.write_mnist(homes.keras / kfile.name, n_train=2)

    monkeypatch.setattr(keras_sets, "_download", fake_keras_download)
    data.mnist(download=True)
    data.mnist(download=True)
    assert calls == ["keras.datasets.mnist.load_data()"]


# ----------------------------------------------------------------------------- Fashion


def test_fashion_mnist_reads_idx_files(homes, kf):
    (x_train, y_train), (x_test, y_test) = kf.write_fashion(homes.keras / "fashion-mnist")
    got = data.fashion_mnist()
    np.testing.assert_array_equal(got[0][0], x_train)
    np.testing.assert_array_equal(got[0][1], y_train)
    np.testing.assert_array_equal(got[1][0], x_test)
    np.testing.assert_array_equal(got[1][1], y_test)
    assert got[0][0].dtype == np.uint8 and got[0][0].flags.writeable
    assert len(data.FASHION_MNIST_CLASSES) == 10


def test_fashion_mnist_matches_keras_loader(homes, kf, keras_datasets, monkeypatch):
    folder = homes.keras / "fashion-mnist"
    kf.write_fashion(folder, n_train=7, n_test=2)
    monkeypatch.setattr(
        keras_datasets.fashion_mnist, "get_file", lambda fname, **k: str(folder / fname)
    )
    ours, theirs = data.fashion_mnist(), keras_datasets.fashion_mnist.load_data()
    for part in (0, 1):
        for i in (0, 1):
            np.testing.assert_array_equal(ours[part][i], theirs[part][i])


def test_fashion_mnist_missing_file_is_named(homes, kf):
    folder = homes.keras / "fashion-mnist"
    kf.write_fashion(folder)
    (folder / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(DatasetNotFoundError) as info:
        data.fashion_mnist()
    message = str(info.value)
    assert "fashion-mnist/t10k-images-idx3-ubyte.gz" in message
    assert "redes data add fashion_mnist PATH/TO/FOLDER" in message
    assert "keras.datasets.fashion_mnist.load_data()" in message


def test_add_fashion_folder(homes, kf):
    source = homes.tmp / "fm"
    expected = kf.write_fashion(source, n_train=4)
    copies = data.add("fashion-mnist", source)
    assert sorted(p.name for p in copies) == sorted(kf.fashion_names)
    assert all(p.parent == homes.redes / "fashion-mnist" for p in copies)
    np.testing.assert_array_equal(data.fashion_mnist()[0][0], expected[0][0])


# ----------------------------------------------------------------------------- IMDB

IMDB_CASES = [
    {},
    {"num_words": 12},
    {"num_words": 12, "skip_top": 6},
    {"maxlen": 8},
    {"maxlen": 8, "num_words": 20, "oov_char": None},
    {"start_char": None},
    {"start_char": None, "index_from": 0},
    {"oov_char": None, "skip_top": 5},
    {"seed": 7, "index_from": 5, "start_char": 3, "oov_char": 4},
]


@pytest.mark.parametrize("kwargs", IMDB_CASES)
def test_imdb_matches_keras_loader(homes, kf, keras_datasets, monkeypatch, kwargs):
    path = homes.keras / "imdb.npz"
    # Keras fails on empty reviews without a start mark (max() of an empty list)
    kf.write_imdb(path, min_len=0 if kwargs.get("start_char", 1) is not None else 1)
    monkeypatch.setattr(keras_datasets.imdb, "get_file", lambda *a, **k: str(path))
    (ox, oy), (otx, oty) = data.imdb(**kwargs)
    (kx, ky), (ktx, kty) = keras_datasets.imdb.load_data(**kwargs)
    assert as_lists(ox) == as_lists(kx)
    assert as_lists(otx) == as_lists(ktx)
    np.testing.assert_array_equal(oy, ky)
    np.testing.assert_array_equal(oty, kty)
    assert ox.dtype == object and ox.ndim == 1


def test_imdb_values_follow_keras_offsets(homes, kf):
    written = kf.write_imdb(homes.keras / "imdb.npz", n_train=5, n_test=3)
    (x_train, y_train), _ = data.imdb(num_words=1000)
    order = np.arange(5)
    np.random.RandomState(113).shuffle(order)
    first = written["x_train"][order[0]]
    assert x_train[0] == [1] + [w + 3 for w in first]
    assert y_train[0] == written["y_train"][order[0]]
    assert all(isinstance(w, int) for w in x_train[0])


def test_imdb_maxlen_that_keeps_nothing(homes, kf):
    kf.write_imdb(homes.keras / "imdb.npz")
    with pytest.raises(ValueError, match="maxlen"):
        data.imdb(maxlen=1)


@pytest.mark.parametrize(
    "kwargs, argument",
    [({"num_words": 0}, "num_words"), ({"skip_top": -1}, "skip_top"), ({"seed": 1.5}, "seed")],
)
def test_imdb_bad_arguments(homes, kwargs, argument):
    with pytest.raises(ValueError, match=f"^{argument}: expected"):
        data.imdb(**kwargs)


def test_imdb_word_index_and_decode(homes, kf):
    kf.write_imdb(homes.keras / "imdb.npz", n_train=4, n_test=2)
    index = kf.write_word_index(homes.keras / "imdb_word_index.json")
    assert data.get_word_index() == index
    assert data.decode_review([0, 0, 1, 4, 5, 2, 999]) == "[START] w1 w2 [OOV] [?]"
    assert data.decode_review(np.array([1, 6]), word_index={"hola": 3}) == "[START] hola"
    (x_train, _), _ = data.imdb(num_words=1000)
    text = data.decode_review(x_train[0])
    assert text.split()[0] == "[START]" and len(text.split()) == len(x_train[0])


def test_missing_word_index(homes):
    with pytest.raises(DatasetNotFoundError) as info:
        data.get_word_index("imdb")
    assert "imdb_word_index.json" in str(info.value)
    assert "keras.datasets.imdb.get_word_index()" in str(info.value)


# ----------------------------------------------------------------------------- Reuters

REUTERS_CASES = [
    {},
    {"num_words": 15, "test_split": 0.3},
    {"maxlen": 9, "skip_top": 4},
    {"oov_char": None, "num_words": 10, "seed": 3},
    {"start_char": None, "index_from": 0, "test_split": 0.0},
]


@pytest.mark.parametrize("kwargs", REUTERS_CASES)
def test_reuters_matches_keras_loader(homes, kf, keras_datasets, monkeypatch, kwargs):
    path = homes.keras / "reuters.npz"
    kf.write_reuters(path, min_len=0 if kwargs.get("start_char", 1) is not None else 1)
    monkeypatch.setattr(keras_datasets.reuters, "get_file", lambda *a, **k: str(path))
    (ox, oy), (otx, oty) = data.reuters(**kwargs)
    (kx, ky), (ktx, kty) = keras_datasets.reuters.load_data(**kwargs)
    assert as_lists(ox) == as_lists(kx) and as_lists(otx) == as_lists(ktx)
    np.testing.assert_array_equal(oy, ky)
    np.testing.assert_array_equal(oty, kty)


def test_reuters_topics_and_decode(homes, kf):
    kf.write_reuters(homes.keras / "reuters.npz")
    kf.write_word_index(homes.keras / "reuters_word_index.json")
    topics = data.reuters_topics()
    assert len(topics) == 46 and topics[3] == "earn" and topics[4] == "acq"
    assert data.decode_newswire([1, 5, 2]) == "[START] w2 [OOV]"
    (_, y_train), _ = data.reuters()
    assert y_train.max() < 46


def test_add_imdb_checks_then_copies_both_files(homes, kf):
    source = homes.tmp / "download"
    source.mkdir()
    kf.write_imdb(source / "imdb.npz")
    kf.write_word_index(source / "my_index.json")
    assert data.add("imdb", source / "imdb.npz") == [homes.redes / "imdb.npz"]
    assert data.add("imdb", source / "my_index.json") == [homes.redes / "imdb_word_index.json"]
    assert data.get_word_index()["w1"] == 1


# ----------------------------------------------------------------------------- add


def test_add_refuses_a_bad_file_and_copies_nothing(homes, kf):
    source = homes.tmp / "mnist.npz"
    kf.write_mnist(source)
    source.write_bytes(source.read_bytes()[:500])
    with pytest.raises(DatasetFormatError, match="mnist.npz"):
        data.add("mnist", source)
    assert not (homes.redes / "mnist.npz").exists()


def test_add_errors_name_the_argument(homes, kf):
    with pytest.raises(ValueError, match="^name: expected one of"):
        data.add("cifar10", homes.tmp)
    with pytest.raises(FileNotFoundError, match="^path: no file or folder"):
        data.add("mnist", homes.tmp / "missing.npz")
    with pytest.raises(FileNotFoundError, match="^path: folder .* holds none"):
        data.add("mnist", homes.tmp)
    kf.write_fashion(homes.tmp / "fm")
    renamed = homes.tmp / "fm" / "images.gz"
    shutil.copy(homes.tmp / "fm" / kf.fashion_names[1], renamed)
    with pytest.raises(ValueError, match="^path: cannot tell"):
        data.add("fashion_mnist", renamed)


def test_add_replaces_an_earlier_copy(homes, kf):
    kf.write_mnist(homes.tmp / "a.npz", n_train=2)
    kf.write_mnist(homes.tmp / "b.npz", n_train=3)
    data.add("mnist", homes.tmp / "a.npz")
    data.add("mnist", homes.tmp / "b.npz")
    assert data.mnist()[0][0].shape == (3, 28, 28)


def test_availability_follows_files(homes, kf):
    assert not keras_sets.is_available("mnist")
    kf.write_mnist(homes.keras / "mnist.npz")
    assert keras_sets.is_available("mnist")
    assert keras_sets.is_available("boston_housing")
    assert storage.find("mnist.npz") == homes.keras / "mnist.npz"


def test_fashion_gz_must_be_gzip(homes, kf):
    folder = homes.keras / "fashion-mnist"
    kf.write_fashion(folder)
    raw = gzip.decompress((folder / kf.fashion_names[0]).read_bytes())
    (folder / kf.fashion_names[0]).write_bytes(raw)  # the IDX bytes without gzip
    with pytest.raises(DatasetFormatError, match="not a readable gzip file"):
        data.fashion_mnist()


def test_failed_download_keeps_the_instructions(homes, keras_datasets, monkeypatch):
    import keras

    def offline(*args, **kwargs):
        raise OSError("URL fetch failure: no internet")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(DatasetNotFoundError) as info:
        data.mnist(download=True)
    message = str(info.value)
    assert "redes data add mnist" in message
    assert "The download through Keras failed: URL fetch failure" in message
