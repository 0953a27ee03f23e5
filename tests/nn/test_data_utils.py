"""The data utilities of redes.nn.utils against Keras' own on small generated files: the same
batches, labels, class names and splits; the Dataset's methods against tf.data."""

import os
import sys
import tarfile

import numpy as np
import pytest

import redes.nn as rn

Image = pytest.importorskip("PIL.Image")
rng = np.random.default_rng(0)


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tf(keras):
    return pytest.importorskip("tensorflow")


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    """3 classes of 4 PNG (one in a subfolder) and 2 JPEG images of various sizes, and a
    grayscale folder."""
    root = tmp_path_factory.mktemp("images")
    for name in ("cats", "dogs", "eels"):
        os.makedirs(root / "rgb" / name / "sub")
        for i in range(6):
            h, w = rng.integers(5, 20, 2)
            pixels = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
            where = root / "rgb" / name / ("sub" if i == 3 else "")
            Image.fromarray(pixels).save(where / (f"{i}.png" if i < 4 else f"{i}.jpg"))
        os.makedirs(root / "gray" / name)
        for i in range(3):
            Image.fromarray(rng.integers(0, 256, (9, 7), dtype=np.uint8)).save(
                root / "gray" / name / f"{i}.png")
    (root / "rgb" / "notes.txt").write_text("not a class")
    return root


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    root = tmp_path_factory.mktemp("texts")
    for name in ("neg", "pos"):
        os.makedirs(root / name)
        for i in range(5):
            (root / name / f"{i}.txt").write_text(f"{name} review {i} " + "é" * i)
        (root / name / "skip.md").write_text("not a text")
    return root


def flat(element) -> list:
    """The arrays of an element, nested tuples flattened."""
    if isinstance(element, tuple):
        return [a for part in element for a in flat(part)]
    return [np.asarray(element)]


def as_numpy(batches):
    return [tuple(flat(b)) if isinstance(b, tuple) else np.asarray(b) for b in batches]


def assert_batches_equal(ours, theirs, atol=0):
    ours, theirs = as_numpy(ours), as_numpy(theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert type(a) is type(b) and len(flat(a)) == len(flat(b))
        for x, y in zip(a, b) if isinstance(a, tuple) else [(a, b)]:
            assert x.dtype == y.dtype and x.shape == y.shape
            if x.dtype == object:
                assert list(x) == list(y)
            else:
                np.testing.assert_allclose(x, y, atol=atol, rtol=0)


@pytest.mark.parametrize("options", [
    dict(image_size=(8, 12), batch_size=5, label_mode="categorical", sub="rgb"),
    dict(image_size=(30, 7), batch_size=4, color_mode="rgba", sub="gray"),
    dict(image_size=(4, 9), batch_size=4, crop_to_aspect_ratio=True, sub="rgb"),
    dict(image_size=(6, 6), batch_size=3, label_mode="int", color_mode="grayscale",
         class_names=["eels", "cats"], sub="gray"),
    dict(image_size=(5, 9), batch_size=None, label_mode=None, sub="gray"),
])
def test_image_dataset_without_shuffle_gives_keras_batches(keras, images, options):
    folder = images / options.pop("sub")
    ours = rn.utils.image_dataset_from_directory(folder, shuffle=False, verbose=False,
                                                 **options)
    theirs = keras.utils.image_dataset_from_directory(folder, shuffle=False, verbose=False,
                                                      **options)
    assert ours.class_names == theirs.class_names and ours.file_paths == theirs.file_paths
    assert_batches_equal(ours, theirs, atol=8)
    # the same pixels exactly, but for JPEG files: Pillow decodes them with libjpeg's
    # accurate inverse DCT, TensorFlow with its fast one (a few levels apart)
    png = np.array([path.endswith(".png") for path in ours.file_paths])
    assert png.sum() >= 6

    def images_of(ds):
        parts = [b[0] if isinstance(b, tuple) else b for b in as_numpy(ds)]
        return np.stack(parts) if options["batch_size"] is None else np.concatenate(parts)
    np.testing.assert_array_equal(images_of(ours)[png], images_of(theirs)[png])
    assert_batches_equal(ours, theirs, atol=8)


def test_image_dataset_binary_labels_and_their_checks(keras, images):
    options = dict(image_size=(4, 4), shuffle=False, label_mode="binary",
                   class_names=["cats", "dogs"], verbose=False)
    assert_batches_equal(
        [b[1] for b in rn.utils.image_dataset_from_directory(images / "rgb", **options)],
        [b[1] for b in keras.utils.image_dataset_from_directory(images / "rgb", **options)])
    with pytest.raises(ValueError, match="label_mode: 'binary' needs exactly 2 classes"):
        rn.utils.image_dataset_from_directory(images / "rgb", label_mode="binary")
    with pytest.raises(ValueError, match="seed: a validation_split of shuffled files"):
        rn.utils.image_dataset_from_directory(images / "rgb", validation_split=0.2,
                                              subset="training")
    with pytest.raises(ValueError, match="class_names: expected names of subfolders"):
        rn.utils.image_dataset_from_directory(images / "rgb", class_names=["cows"])


def test_a_seed_gives_keras_split_and_each_file_once_per_epoch(keras, images, capsys):
    options = dict(validation_split=0.25, subset="both", seed=7, image_size=(4, 4),
                   batch_size=4)
    ours = rn.utils.image_dataset_from_directory(images / "rgb", **options)
    theirs = keras.utils.image_dataset_from_directory(images / "rgb", **options)
    assert "Found 18 files belonging to 3 classes." in capsys.readouterr().out
    for a, b in zip(ours, theirs):
        assert a.file_paths == b.file_paths
    train, val = ours
    assert len(train.file_paths) == 14 and len(val.file_paths) == 4
    assert_batches_equal(val, theirs[1], atol=8)           # validation is not shuffled
    epochs = [np.concatenate([labels for _x, labels in train]) for _ in range(2)]
    expected = np.sort([["cats", "dogs", "eels"].index(p.split(os.sep)[-2 if "sub" not in p
                                                               else -3])
                        for p in train.file_paths])
    assert all(np.array_equal(np.sort(e), expected) for e in epochs)
    order = [[tuple(x.ravel()[:3]) for x, _y in train] for _ in range(2)]
    assert order[0] != order[1]                            # a new order each epoch


def test_follow_links_visits_linked_subfolders_as_keras(keras, texts, tmp_path):
    os.symlink(texts / "pos", texts / "neg" / "linked")
    try:
        for follow in (False, True):
            options = dict(shuffle=False, follow_links=follow, verbose=False)
            ours = rn.utils.text_dataset_from_directory(texts, **options)
            theirs = keras.utils.text_dataset_from_directory(texts, **options)
            assert len(ours.file_paths) == (10 if not follow else 15)
            assert_batches_equal(ours, [(x.numpy(), y.numpy()) for x, y in theirs])
    finally:
        os.remove(texts / "neg" / "linked")


def test_text_dataset_gives_keras_batches(keras, texts):
    for options in (dict(batch_size=3, max_length=9), dict(batch_size=4,
                                                           label_mode="categorical"),
                    dict(validation_split=0.4, subset="validation", seed=3)):
        shuffle = options.pop("shuffle", "seed" in options)
        ours = rn.utils.text_dataset_from_directory(texts, shuffle=shuffle, verbose=False,
                                                    **options)
        theirs = keras.utils.text_dataset_from_directory(texts, shuffle=shuffle,
                                                         verbose=False, **options)
        assert ours.class_names == theirs.class_names == ["neg", "pos"]
        theirs = [(x.numpy(), y.numpy()) for x, y in theirs]
        if shuffle:     # the same files, each epoch in a new order
            ours = [tuple(np.concatenate(part) for part in zip(*ours))]
            theirs = [tuple(np.concatenate(part) for part in zip(*theirs))]
            order = [np.argsort(texts_) for texts_, _labels in ours + theirs]
            ours, theirs = [tuple(p[order[0]] for p in ours[0])], [
                tuple(p[order[1]] for p in theirs[0])]
        assert_batches_equal(ours, theirs)


@pytest.mark.parametrize("options", [
    dict(sequence_length=3, batch_size=4),
    dict(sequence_length=4, sequence_stride=2, sampling_rate=2, batch_size=3,
         start_index=2, end_index=40),
    dict(sequence_length=5, batch_size=None, targets=True),
])
def test_timeseries_windows_are_keras_windows(keras, options):
    data = np.arange(60, dtype=np.float32).reshape(30, 2)
    targets = np.arange(100, 130) if options.pop("targets", False) else None
    if targets is None and "start_index" in options:
        data = np.arange(50)
    ours = rn.utils.timeseries_dataset_from_array(data, targets, **options)
    theirs = keras.utils.timeseries_dataset_from_array(data, targets, **options)
    assert_batches_equal(ours, [b for b in theirs.as_numpy_iterator()])


def test_shuffled_windows_each_come_once_per_epoch():
    ds = rn.utils.timeseries_dataset_from_array(np.arange(40), np.arange(40), 5,
                                                batch_size=4, shuffle=True, seed=1)
    epochs = [np.concatenate([t for _x, t in ds]) for _ in range(2)]
    assert all(sorted(e) == list(range(36)) for e in epochs) and len(ds) == 9
    assert not np.array_equal(*epochs)
    for windows, starts in ds:
        np.testing.assert_array_equal(windows, starts[:, None] + np.arange(5))


def test_dataset_methods_give_what_tf_data_gives(tf):
    x, y = np.arange(20, dtype=np.float32).reshape(10, 2), np.arange(10)
    ours = rn.utils.Dataset.from_tensor_slices((x, y))
    theirs = tf.data.Dataset.from_tensor_slices((x, y))
    for chain in (lambda d: d.batch(3), lambda d: d.batch(3, drop_remainder=True),
                  lambda d: d.map(lambda a, b: (a * 2, b + 1)).batch(4).unbatch().take(7),
                  lambda d: d.skip(3).repeat(2).batch(4).cache().prefetch(2),
                  lambda d: d.batch(4).map(lambda a, b: a).take(2),
                  lambda d: d.filter(lambda a, b: b % 3 == 0),
                  lambda d: d.take(3).concatenate(d.skip(8)).enumerate(2),
                  lambda d: type(d).zip((d.take(4), d.map(lambda a, b: b))).batch(3)):
        assert_batches_equal(list(chain(ours).as_numpy_iterator()),
                             list(chain(theirs).as_numpy_iterator()))
    assert len(ours.batch(3)) == len(theirs.batch(3)) == 4
    assert ours.repeat().cardinality() == -1 and ours.filter(bool).cardinality() == -2
    with pytest.raises(TypeError, match="infinite"):
        len(ours.repeat())


def test_dataset_shuffle_is_a_permutation_repeatable_with_a_seed():
    ds = rn.utils.Dataset.from_tensor_slices(np.arange(50))
    for shuffled in (ds.shuffle(50, seed=3), ds.shuffle(8, seed=3),
                     ds.map(lambda v: v).shuffle(8, seed=3)):
        first, second = list(shuffled), list(shuffled)
        assert sorted(first) == list(range(50)) and first != second
    assert list(ds.shuffle(8, seed=3)) == list(ds.shuffle(8, seed=3))
    fixed = ds.shuffle(8, seed=3, reshuffle_each_iteration=False)
    assert list(fixed) == list(fixed)
    # a buffer of 8 gives the 1st element from the first 8 only, as tf.data
    assert all(next(iter(ds.shuffle(8))) < 8 for _ in range(5))


def test_a_redes_layer_in_a_tf_data_map_says_what_to_do(tf):
    layer = rn.layers.Rescaling(1 / 255) if hasattr(rn.layers, "Rescaling") else \
        rn.layers.Dense(2)
    with pytest.raises(TypeError, match="called inside a tf.data map.*keras.ops"):
        tf.data.Dataset.from_tensor_slices(np.ones((4, 3), np.float32)).map(layer)


def test_split_dataset_gives_keras_split(keras):
    x, y = np.arange(40, dtype=np.float32).reshape(20, 2), np.arange(20)
    for options in (dict(left_size=0.7), dict(right_size=5, shuffle=True, seed=4)):
        ours = rn.utils.split_dataset((x, y), **options)
        theirs = keras.utils.split_dataset((x, y), **options)
        for a, b in zip(ours, theirs):
            assert_batches_equal(list(a), list(b.as_numpy_iterator()))
    left, right = rn.utils.split_dataset(rn.utils.Dataset.from_tensor_slices(x).batch(4),
                                         left_size=12)
    assert [len(b) for b in left] == [4, 4, 4] and [len(b) for b in right] == [4, 4]
    with pytest.raises(ValueError, match="left_size: expected a fraction in \\(0, 1\\)"):
        rn.utils.split_dataset(x, left_size=1.5)


def test_image_arrays_and_files_as_keras(keras, images, tmp_path):
    path = images / "rgb" / "cats" / "0.png"
    for options in ({}, dict(color_mode="grayscale", target_size=(5, 8)),
                    dict(target_size=(6, 6), keep_aspect_ratio=True, interpolation="bilinear"),
                    dict(color_mode="rgba")):
        ours = rn.utils.img_to_array(rn.utils.load_img(path, **options))
        theirs = keras.utils.img_to_array(keras.utils.load_img(path, **options))
        np.testing.assert_array_equal(ours, theirs)
    x = rng.random((6, 5, 3)).astype(np.float32)
    np.testing.assert_array_equal(np.asarray(rn.utils.array_to_img(x)),
                                  np.asarray(keras.utils.array_to_img(x)))
    rn.utils.save_img(tmp_path / "a.png", x)
    keras.utils.save_img(tmp_path / "b.png", x)
    assert np.array_equal(np.asarray(Image.open(tmp_path / "a.png")),
                          np.asarray(Image.open(tmp_path / "b.png")))


def test_without_pillow_the_message_says_how_to_install_it(monkeypatch, images):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        rn.utils.load_img(images / "rgb" / "cats" / "0.png")


def test_get_file_reads_keras_cache_and_never_downloads(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    url = "https://example.org/data/flowers.tgz"
    with pytest.raises(FileNotFoundError) as error:
        rn.utils.get_file(origin=url, extract=True)
    assert url in str(error.value)
    assert str(tmp_path / "datasets" / "flowers.tgz") in str(error.value)
    os.makedirs(tmp_path / "datasets" / "src")
    (tmp_path / "datasets" / "src" / "a.txt").write_text("hello")
    with tarfile.open(tmp_path / "datasets" / "flowers.tgz", "w:gz") as tar:
        tar.add(tmp_path / "datasets" / "src" / "a.txt", arcname="flowers/a.txt")
    assert rn.utils.get_file(origin=url) == str(tmp_path / "datasets" / "flowers.tgz")
    folder = rn.utils.get_file("flowers.tgz", url, extract=True)
    assert folder == str(tmp_path / "datasets" / "flowers_extracted")
    assert (tmp_path / "datasets" / "flowers_extracted" / "flowers" / "a.txt").read_text() \
        == "hello"
    with pytest.raises(ValueError, match="file_hash: .* does not have the expected hash"):
        rn.utils.get_file(origin=url, file_hash="0" * 64)


def test_pad_sequences_and_to_categorical_live_in_the_engine():
    import redes.data

    assert redes.data.pad_sequences is rn.utils.pad_sequences
    assert redes.data.to_categorical is rn.utils.to_categorical
    np.testing.assert_array_equal(rn.utils.pad_sequences([[1], [2, 3]], maxlen=3),
                                  [[0, 0, 1], [0, 2, 3]])


def test_plot_model_needs_neither_pydot_nor_graphviz(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pydot", None)
    monkeypatch.setenv("PATH", "")                    # no `dot` program either
    model = rn.Sequential([rn.Input((3,)), rn.layers.Dense(2)])
    rn.utils.plot_model(model, tmp_path / "model.png")
    assert (tmp_path / "model.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
