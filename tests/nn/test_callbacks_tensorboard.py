"""``redes.nn.callbacks.TensorBoard`` writes what Keras' writes, read back by TensorBoard's
own reader (``EventAccumulator``), and compared with the files of
``keras.callbacks.TensorBoard`` for the same model."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import redes.nn as rn

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
pytest.importorskip("tensorboard")

# TensorBoard imports TensorFlow when it is installed (seconds); a module named
# tensorboard.compat.notf makes it use its own stub, which reads event files just as well.
READER = textwrap.dedent("""
    import json, sys, types
    sys.modules["tensorboard.compat.notf"] = types.ModuleType("tensorboard.compat.notf")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.util import tensor_util
    out = {}
    for folder in sys.argv[1:]:
        acc = EventAccumulator(folder, size_guidance={"scalars": 0, "histograms": 0,
                                                      "tensors": 0})
        acc.Reload()
        tags = acc.Tags()
        scalars = {t: [[e.step, e.value] for e in acc.Scalars(t)] for t in tags["scalars"]}
        histograms = {t: [[e.step, e.histogram_value.num, e.histogram_value.min,
                           e.histogram_value.max, e.histogram_value.sum]
                          for e in acc.Histograms(t)] for t in tags["histograms"]}
        other = {}
        for t in tags["tensors"]:          # what tf.summary writes (Keras) is all tensors
            plugin = acc.SummaryMetadata(t).plugin_data.plugin_name
            events = acc.Tensors(t)
            if plugin == "scalars":
                scalars[t] = [[e.step, float(tensor_util.make_ndarray(e.tensor_proto))]
                              for e in events]
            elif plugin == "histograms":
                histograms[t] = [[e.step] for e in events]
            else:
                other[t] = [plugin, [e.step for e in events],
                            [len(e.tensor_proto.string_val) for e in events]]
                if plugin == "graph_keras_model":
                    other[t].append(json.loads(events[0].tensor_proto.string_val[0]))
        out[folder] = {"scalars": scalars, "histograms": histograms, "other": other}
    print(json.dumps(out))
    print("tensorflow" in sys.modules)
""")


def read_back(*folders):
    out = subprocess.run([sys.executable, "-c", READER, *map(str, folders)],
                         capture_output=True, text=True, check=True, timeout=120)
    found, tf_imported = out.stdout.strip().splitlines()
    assert tf_imported == "False"
    return json.loads(found)


def data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int64")
    return x, y


def small_model(lib):
    model = lib.Sequential([lib.Input(shape=(4,)), lib.layers.Dense(5, activation="relu"),
                            lib.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=lib.optimizers.Adam(0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    """One training written with histograms, images, steps per second and batch scalars
    every 2 batches: ``(log_dir, history, model, what EventAccumulator reads)``."""
    log_dir = tmp_path_factory.mktemp("ours")
    rn.utils.set_random_seed(0)
    model = small_model(rn)
    x, y = data()
    board = rn.callbacks.TensorBoard(log_dir, histogram_freq=2, write_images=True,
                                     write_steps_per_second=True, update_freq=2)
    history = model.fit(x, y, batch_size=16, epochs=3, validation_split=0.25, verbose=0,
                        callbacks=[board])
    return log_dir, history.history, model, read_back(log_dir / "train",
                                                      log_dir / "validation")


def test_scalars_equal_the_history_in_train_and_validation(ours):
    log_dir, history, _, got = ours
    train, val = log_dir / "train", log_dir / "validation"
    scalars = got[str(train)]["scalars"]
    for name in ("loss", "accuracy"):
        assert [p[0] for p in scalars[f"epoch_{name}"]] == [0, 1, 2]
        assert [p[1] for p in scalars[f"epoch_{name}"]] == pytest.approx(history[name],
                                                                          rel=1e-6)
        val_points = got[str(val)]["scalars"][f"epoch_{name}"]
        assert [p[1] for p in val_points] == pytest.approx(history[f"val_{name}"], rel=1e-6)
    assert [p[1] for p in scalars["epoch_learning_rate"]] == pytest.approx([0.01] * 3)
    assert all(p[1] > 0 for p in scalars["epoch_steps_per_second"])
    # 36 training samples in batches of 16: 3 batches an epoch, 9 in all; every 2nd kept
    assert [p[0] for p in scalars["batch_loss"]] == [2, 4, 6, 8]
    assert [p[0] for p in scalars["batch_steps_per_second"]] == [2, 4, 6, 8]
    # the validation pass at the optimizer's step count, as Keras' on_test_end writes it
    evaluation = got[str(val)]["scalars"]["evaluation_loss_vs_iterations"]
    assert [p[0] for p in evaluation] == [3, 6, 9]
    assert [p[1] for p in evaluation] == pytest.approx(history["val_loss"], rel=1e-6)


def test_histograms_images_and_model_config(ours):
    log_dir, _, model, got = ours
    got = got[str(log_dir / "train")]
    histograms = got["histograms"]
    assert set(histograms) == {f"{model.name}/{w.path}/histogram" for w in model.weights}
    first = model.layers[0]
    kernel = histograms[f"{model.name}/{first.name}/kernel/histogram"]
    assert [h[0] for h in kernel] == [0, 2]                 # epochs 0 and 2 (every 2)
    w = first.kernel.astype(np.float64)
    assert kernel[-1][1:] == pytest.approx([w.size, w.min(), w.max(), w.sum()], rel=1e-5,
                                           abs=1e-6)
    other = got["other"]
    # a (4, 5) kernel is one image; a bias one row: one PNG each (width, height, png)
    assert other[f"{model.name}/{first.name}/kernel/image"][:3] == ["images", [0, 2], [3, 3]]
    plugin, steps, _, config = other["keras"]
    assert plugin == "graph_keras_model" and steps == [0]
    assert config["class_name"] == "Sequential"
    assert [layer["config"]["name"] for layer in config["config"]["layers"]][1:] == [
        layer.name for layer in model.layers]


def test_the_graphs_dashboard_draws_one_node_per_layer():
    from tensorboard.plugins.graph import keras_util

    model = small_model(rn)
    config = {"class_name": "Sequential", "config": model.get_config()}
    names = [node.name for node in keras_util.keras_model_to_graph_def(config).node]
    assert names[-2:] == [f"{model.name}/{layer.name}" for layer in model.layers]


def test_same_folders_and_scalar_tags_as_keras(keras, tmp_path):
    x, y = data()
    folders, generic = {}, {}
    for name, lib in (("ours", rn), ("keras", keras)):
        lib.utils.set_random_seed(0)
        model = small_model(lib)
        board = lib.callbacks.TensorBoard(log_dir=str(tmp_path / name), histogram_freq=1,
                                          update_freq="batch")
        model.fit(x, y, batch_size=16, epochs=2, validation_split=0.25, verbose=0,
                  callbacks=[board])
        folders[name] = sorted(p.name for p in (tmp_path / name).iterdir())
        # names count up per library (dense_4 here may be dense_2 there): by position
        generic[name] = {model.name: "M", **{layer.name: f"L{i}"
                                             for i, layer in enumerate(model.layers)}}
    assert folders["ours"] == folders["keras"] == ["train", "validation"]
    got = read_back(*(tmp_path / lib / split for lib in ("ours", "keras")
                      for split in folders["ours"]))
    for split in folders["ours"]:
        ours, theirs = got[str(tmp_path / "ours" / split)], got[str(tmp_path / "keras" / split)]
        assert set(ours["scalars"]) == set(theirs["scalars"]), split
        for tag, points in theirs["scalars"].items():           # the same steps
            assert [p[0] for p in ours["scalars"][tag]] == [p[0] for p in points], tag
    train = {lib: got[str(tmp_path / lib / "train")] for lib in ("ours", "keras")}
    assert train["ours"]["other"]["keras"][0] == train["keras"]["other"]["keras"][0] == (
        "graph_keras_model")
    histograms = {lib: {"/".join(generic[lib].get(part, part) for part in tag.split("/"))
                        for tag in train[lib]["histograms"]} for lib in train}
    assert histograms["ours"] == histograms["keras"]
    assert "M/L0/kernel/histogram" in histograms["ours"]


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="update_freq: expected 'epoch', 'batch' or an "
                                         "integer >= 1, got 'step'"):
        rn.callbacks.TensorBoard(update_freq="step")
    with pytest.raises(ValueError, match="histogram_freq: expected an integer >= 0, got -1"):
        rn.callbacks.TensorBoard(histogram_freq=-1)
    with pytest.raises(ValueError, match="profile_batch: expected 0"):
        rn.callbacks.TensorBoard(profile_batch=2)
    board = rn.callbacks.TensorBoard(update_freq="batch")
    assert board.update_freq == 1 and board.log_dir == "logs"


def test_without_tensorboard_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboard.compat.proto", None)
    with pytest.raises(ImportError, match=r'pip install "redes\[board\]"'):
        rn.callbacks.TensorBoard()
