"""Malformed, truncated and malicious files raise a clear error naming the file."""

from __future__ import annotations

import gzip
import io
import json
import pickle
import zipfile

import numpy as np
import pytest

import redes.data as data
from redes.data import DatasetFormatError
from redes.data.formats import flatten_sequences, read_idx, read_npz

CALLS = []


def _record_call(*args):
    """Stands for any code a tampered pickle would run; a test checks it never runs."""
    CALLS.append(args)
    return [1, 2, 3]


class Gadget:
    def __reduce__(self):
        return (_record_call, ("pwned",))


def npy_member(array_header_dtype: str, payload: bytes, shape=(2,)) -> bytes:
    """A raw .npy stream (format 1.0) with the given header and payload."""
    buf = io.BytesIO()
    header = {"descr": array_header_dtype, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue() + payload


def write_zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, raw in members.items():
            archive.writestr(name, raw)


# ----------------------------------------------------------------------------- npz


def test_truncated_npz(homes, kf):
    path = homes.keras / "mnist.npz"
    kf.write_mnist(path)
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(DatasetFormatError, match="not a readable .npz archive") as info:
        data.mnist()
    assert info.value.path == path and str(path) in str(info.value)


def test_not_an_archive(homes):
    (homes.keras / "mnist.npz").write_bytes(b"<html>404 Not Found</html>")
    with pytest.raises(DatasetFormatError, match="mnist.npz: is not a readable .npz"):
        data.mnist()


def test_wrong_keys(homes):
    np.savez(homes.keras / "mnist.npz", images=np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(DatasetFormatError, match="has no array named 'x_train'"):
        data.mnist()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"x_train": np.zeros((3, 28, 28), np.float32)}, "'x_train' has dtype float32"),
        ({"x_train": np.zeros((3, 27, 28), np.uint8)}, r"'x_train' has shape \(3, 27, 28\)"),
        ({"y_train": np.zeros(2, np.uint8)}, "'y_train' has 2 entries but its inputs have 3"),
        ({"y_test": np.array([1, 12], np.uint8)}, "labels from 1 to 12; expected 0 to 9"),
        ({"y_test": np.array([0.0, 1.0])}, "'y_test' has dtype float64"),
    ],
)
def test_wrong_dtypes_and_shapes(homes, change, message):
    arrays = {
        "x_train": np.zeros((3, 28, 28), np.uint8),
        "y_train": np.zeros(3, np.uint8),
        "x_test": np.zeros((2, 28, 28), np.uint8),
        "y_test": np.zeros(2, np.uint8),
    }
    arrays.update(change)
    np.savez(homes.keras / "mnist.npz", **arrays)
    with pytest.raises(DatasetFormatError, match=message):
        data.mnist()


def test_object_array_refused_where_numbers_expected(homes, kf):
    np.savez(
        homes.keras / "mnist.npz",
        x_train=kf.object_array([[1], [2]]),
        y_train=np.zeros(2, np.uint8),
        x_test=np.zeros((1, 28, 28), np.uint8),
        y_test=np.zeros(1, np.uint8),
    )
    with pytest.raises(DatasetFormatError, match="'x_train' holds pickled Python objects"):
        data.mnist()


def test_malicious_pickle_never_runs(homes):
    CALLS.clear()
    payload = pickle.dumps(np.array([Gadget(), Gadget()], dtype=object), protocol=4)
    members = {
        "x_train.npy": npy_member("|O", payload),
        "y_train.npy": npy_member("<i8", np.zeros(2, np.int64).tobytes()),
        "x_test.npy": npy_member("|O", payload),
        "y_test.npy": npy_member("<i8", np.zeros(2, np.int64).tobytes()),
    }
    write_zip(homes.keras / "imdb.npz", members)
    with pytest.raises(DatasetFormatError, match="refused to load the Python object"):
        data.imdb()
    assert CALLS == []
    assert pickle.loads(pickle.dumps(Gadget())) == [1, 2, 3] and CALLS  # the gadget is real


def test_object_array_that_is_not_an_array(homes):
    payload = pickle.dumps([[1, 2], [3]], protocol=4)  # a bare list, not an ndarray
    members = {"x.npy": npy_member("|O", payload), "y.npy": npy_member("<i8", b"\0" * 16)}
    write_zip(homes.keras / "reuters.npz", members)
    with pytest.raises(DatasetFormatError, match="not a 1-D object array"):
        data.reuters()


def test_sequences_of_strings_are_refused(homes, kf):
    x = np.empty(2, dtype=object)
    x[0], x[1] = "abc", [1]
    np.savez(homes.keras / "reuters.npz", x=x, y=np.zeros(2, int))
    with pytest.raises(DatasetFormatError, match="reuters.npz: x: expected integer sequences"):
        data.reuters()


def test_old_numpy_spelling_is_read(homes, kf):
    """Files pickled by NumPy 1.x name numpy.core.multiarray; they load the same."""
    sequences = kf.object_array([[1, 2, 3], [4, 5]])
    payload = pickle.dumps(sequences, protocol=3)
    payload = payload.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    assert b"numpy.core.multiarray" in payload
    members = {"x.npy": npy_member("|O", payload), "y.npy": npy_member("<i8", b"\0" * 16)}
    write_zip(homes.tmp / "old.npz", members)
    arrays = read_npz(homes.tmp / "old.npz", sequence_keys=["x"])
    assert [list(s) for s in arrays["x"]] == [[1, 2, 3], [4, 5]]


def test_bad_npy_header(homes):
    write_zip(homes.keras / "boston_housing.npz", {"x.npy": b"NOTNUMPY", "y.npy": b""})
    with pytest.raises(DatasetFormatError, match="member 'x' is not a valid .npy array"):
        data.boston_housing(source="keras")


def test_boston_npz_shape_checked(homes):
    np.savez(homes.keras / "boston_housing.npz", x=np.zeros((5, 12)), y=np.zeros(5))
    with pytest.raises(DatasetFormatError, match=r"'x' has shape \(5, 12\); expected \(n, 13\)"):
        data.boston_housing()


# ----------------------------------------------------------------------------- IDX


def test_idx_wrong_magic(homes, kf):
    path = homes.tmp / "labels.gz"
    with gzip.open(path, "wb") as f:
        f.write(kf.idx_bytes(np.zeros((2, 28, 28), np.uint8)))  # images, read as labels
    with pytest.raises(DatasetFormatError, match="magic number 2051 but an IDX labels file"):
        read_idx(path, "labels")


def test_idx_truncated(homes, kf):
    path = homes.tmp / "images.gz"
    with gzip.open(path, "wb") as f:
        f.write(kf.idx_bytes(np.zeros((3, 28, 28), np.uint8))[:-10])
    with pytest.raises(DatasetFormatError, match=r"shape \(3, 28, 28\).*may be truncated"):
        read_idx(path, "images")


def test_idx_header_and_values(homes, kf):
    path = homes.tmp / "labels.gz"
    with gzip.open(path, "wb") as f:
        f.write(kf.idx_bytes(np.array([7, 0, 9], np.uint8)))
    assert gzip.decompress(path.read_bytes())[:8] == bytes([0, 0, 8, 1, 0, 0, 0, 3])
    np.testing.assert_array_equal(read_idx(path, "labels"), [7, 0, 9])


def test_fashion_images_and_labels_must_agree(homes, kf):
    folder = homes.keras / "fashion-mnist"
    kf.write_fashion(folder, n_train=5)
    with gzip.open(folder / kf.fashion_names[0], "wb") as f:
        f.write(kf.idx_bytes(np.zeros(4, np.uint8)))
    with pytest.raises(DatasetFormatError, match="holds 5 images but train-labels"):
        data.fashion_mnist()


# ----------------------------------------------------------------------------- JSON


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "is not a JSON word index"),
        ("[1, 2]", "must hold a JSON object"),
        (json.dumps({"the": "1"}), "word 'the' has rank '1'"),
        (json.dumps({"the": True}), "word 'the' has rank True"),
    ],
)
def test_bad_word_index(homes, text, message):
    (homes.keras / "imdb_word_index.json").write_text(text, encoding="utf-8")
    with pytest.raises(DatasetFormatError, match=message):
        data.get_word_index("imdb")


# ----------------------------------------------------------------------------- sequences


def test_flatten_sequences():
    flat, lengths = flatten_sequences([[1, 2], [], np.array([3, 4, 5])])
    assert flat.tolist() == [1, 2, 3, 4, 5] and lengths.tolist() == [2, 0, 3]
    flat, lengths = flatten_sequences(np.array([[1, 2], [3, 4]]))
    assert flat.tolist() == [1, 2, 3, 4] and lengths.tolist() == [2, 2]
    for bad in ([[1.5, 2]], [[1], [[2, 3], [4]]], [[1], b"ab"], [1, 2], "text"):
        with pytest.raises(ValueError, match="^sequences: expected"):
            flatten_sequences(bad)
