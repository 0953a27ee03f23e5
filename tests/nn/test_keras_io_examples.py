"""Four keras.io examples run on redes, end to end, on small files of the real data's layout
(tests/nn/keras_io/ holds their code; only the downloads and the TensorFlow calls of their data
code are replaced).

The data are small but learnable, so each test also checks that the example learned: the
MNIST images are scikit-learn's digits drawn at 28x28, the reviews say "great" or "awful"
among neutral words, the patients' target follows two of their features, and the weather's
temperature follows a daily cycle.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).parent / "keras_io"


@pytest.fixture
def run_example(tmp_path, monkeypatch):
    """Run an example in an empty working folder with its own Keras and redes homes; returns
    the example's global names."""
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setenv("REDES_HOME", str(tmp_path / "redes_home"))
    monkeypatch.setenv("KERAS_IO_DATA", str(tmp_path / "data"))
    # the examples set KERAS_BACKEND themselves (one to "torch"): restored after the test,
    # so that no later test (nor its subprocesses) inherits it
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")

    def run(name):
        import matplotlib.pyplot as plt

        import redes.nn as keras

        keras.utils.set_random_seed(0)
        try:
            return runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")
        finally:
            plt.close("all")

    return run


def test_simple_mnist_convnet(run_example, tmp_path):
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = np.zeros((len(digits.images), 28, 28), dtype=np.uint8)
    images[:, 2:26, 2:26] = np.kron(digits.images, np.ones((3, 3))) * 255 / 16
    labels = digits.target.astype(np.uint8)
    folder = tmp_path / "keras_home" / "datasets"
    folder.mkdir(parents=True)
    np.savez(folder / "mnist.npz", x_train=images[:256], y_train=labels[:256],
             x_test=images[1500:1600], y_test=labels[1500:1600])

    names = run_example("mnist_convnet")
    assert names["x_train"].shape == (256, 28, 28, 1) and names["y_test"].shape == (100, 10)
    _loss, accuracy = names["score"]
    assert accuracy > 0.5, names["score"]          # ten classes: chance is 0.1


def _reviews(folder: Path, rng, count: int, unsup: bool = False) -> None:
    neutral = "the movie film story actor scene plot was is and a of it this".split()
    for label, word in (("pos", "great"), ("neg", "awful")):
        (folder / label).mkdir(parents=True)
        for i in range(count):
            words = list(rng.choice(neutral, size=rng.integers(8, 30)))
            for _ in range(12):
                words.insert(int(rng.integers(0, len(words))), word)
            text = " ".join(words).capitalize() + ".<br /><br />" + " ".join(neutral[:5]) + "!"
            (folder / label / f"{i}_{7 if label == 'pos' else 2}.txt").write_text(text)
    if unsup:                               # the example keeps only pos and neg (class_names)
        (folder / "unsup").mkdir()
        (folder / "unsup" / "0_0.txt").write_text("neither here nor there")


def test_text_classification_from_scratch(run_example, tmp_path):
    rng = np.random.default_rng(0)
    _reviews(tmp_path / "data" / "aclImdb" / "train", rng, 100, unsup=True)
    _reviews(tmp_path / "data" / "aclImdb" / "test", rng, 20)

    names = run_example("text_classification_from_scratch")
    assert names["raw_train_ds"].cardinality() == 5 and names["raw_val_ds"].cardinality() == 2
    vocabulary = names["vectorize_layer"].get_vocabulary()
    assert vocabulary[:2] == ["", "[UNK]"] and "great" in vocabulary and "br" not in vocabulary
    assert names["model"].history.history["val_accuracy"][-1] > 0.9
    # the example names the classes ["pos", "neg"] for training only: its test set takes the
    # folders' alphabetical order (neg = 0), so a model that learned scores near 0 on it
    _loss, accuracy = names["model"].evaluate(names["test_ds"], verbose=0)
    assert accuracy < 0.1, accuracy
    # the end-to-end model reads raw strings and scores as the model on vectorized text
    _loss, end_to_end = names["end_to_end_model"].evaluate(names["raw_test_ds"], verbose=0)
    assert end_to_end == pytest.approx(accuracy)


def _patients(rng, n: int = 120):
    import pandas as pd

    sex, exang = rng.integers(0, 2, n), rng.integers(0, 2, n)
    thal = rng.choice(["normal", "fixed", "reversible"], n)
    target = ((thal == "reversible") | (exang == 1) & (sex == 1)).astype(int)
    return pd.DataFrame({
        "age": rng.integers(29, 78, n), "sex": sex, "cp": rng.integers(0, 5, n),
        "trestbps": rng.integers(94, 201, n), "chol": rng.integers(126, 565, n),
        "fbs": rng.integers(0, 2, n), "restecg": rng.integers(0, 3, n),
        "thalach": rng.integers(71, 203, n), "exang": exang,
        "oldpeak": np.round(rng.uniform(0, 6.2, n), 1), "slope": rng.integers(1, 4, n),
        "ca": rng.integers(0, 4, n), "thal": thal, "target": target})


def test_structured_data_classification_from_scratch(run_example, tmp_path, monkeypatch):
    path = tmp_path / "heart.csv"
    _patients(np.random.default_rng(0)).to_csv(path, index=False)
    monkeypatch.setenv("HEART_CSV", str(path))

    names = run_example("structured_data_classification_from_scratch")
    model = names["model"]
    # the example gives keras.Model the outputs of its Normalization layers as the numeric
    # features' inputs: Keras, and redes as Keras, take them as inputs of their own, so the
    # raw values go in unnormalized (Keras itself stays near chance on these data then)
    assert [type(t.node.layer).__name__ for t in model.inputs[:6]] == ["Normalization"] * 6
    assert len(model.history.history["val_accuracy"]) == 50
    assert names["predictions"].shape == (1, 1) and 0 <= names["predictions"][0][0] <= 1


def test_timeseries_weather_forecasting(run_example, tmp_path):
    import pandas as pd

    rng = np.random.default_rng(0)
    n = 5400                                  # 37.5 days, one row every 10 minutes
    day = np.sin(np.arange(n) * 2 * np.pi / 144)
    columns = {"Date Time": pd.date_range("2009-01-01 00:10", periods=n, freq="10min")
               .strftime("%d.%m.%Y %H:%M:%S")}
    for i, key in enumerate(["p (mbar)", "T (degC)", "Tpot (K)", "Tdew (degC)", "rh (%)",
                             "VPmax (mbar)", "VPact (mbar)", "VPdef (mbar)", "sh (g/kg)",
                             "H2OC (mmol/mol)", "rho (g/m**3)", "wv (m/s)", "max. wv (m/s)",
                             "wd (deg)"]):
        columns[key] = np.round(10 * i + (i + 1) * day + rng.normal(0, 0.1, n), 2)
    pd.DataFrame(columns).to_csv(tmp_path / "jena_climate_2009_2016.csv", index=False)

    names = run_example("timeseries_weather_forecasting")
    assert names["inputs"].shape[1:] == (120, 7)
    history = names["history"].history
    assert history["val_loss"][-1] < history["val_loss"][0]
    assert (tmp_path / "model_checkpoint.weights.h5").exists()


def test_a_redes_layer_inside_a_tf_data_map_says_what_to_do():
    tf = pytest.importorskip("tensorflow")
    import redes.nn as keras

    layer = keras.layers.Dense(2)
    dataset = tf.data.Dataset.from_tensor_slices(np.ones((4, 3), np.float32)).batch(2)
    with pytest.raises(TypeError, match=r"(?s)layer 'dense\w*' got a symbolic tf\.Tensor.*"
                                        r"tf\.data map"):
        list(dataset.map(layer))
