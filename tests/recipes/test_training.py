"""Training a recipe: data prepared from training statistics only, k-fold, both engines."""

from __future__ import annotations

import math

import numpy as np
import pytest

from redes import recipes
from redes.data import DatasetNotFoundError
from redes.engines import building, fitting
from redes.engines.kfold import smooth
from redes.engines.training import prepare_data, train_recipe
from redes.recipes.preprocessing import Preprocessor

OFFLINE = ["breast_cancer", "wine", "digits", "boston", "gaussian_quantiles", "mnist1d_mlp",
           "mnist1d_cnn"]
NEED_DATA = ["first_network", "fashion_mnist_dense", "fashion_mnist_cnn", "imdb", "reuters"]


# ---------------------------------------------------------------------------- preprocessing
def test_normalization_uses_training_statistics_only():
    data = prepare_data(recipes.get("breast_cancer"))
    raw = data["raw"]
    mean, std = raw["x_train"].mean(axis=0), raw["x_train"].std(axis=0)
    np.testing.assert_allclose(data["x_train"].mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(data["x_train"].std(axis=0), 1, atol=1e-4)
    np.testing.assert_allclose(data["x_test"], (raw["x_test"] - mean) / std, rtol=1e-4,
                               atol=1e-4)
    assert not np.allclose(data["x_test"].mean(axis=0), 0, atol=1e-2)  # test stats unused
    assert data["x_train"].dtype == np.float32 and data["input_shape"] == (30,)
    assert len(data["x_train"]) == 427 and len(data["x_test"]) == 142


def test_validation_samples_are_left_out_of_the_statistics():
    recipe = recipes.apply_overrides(recipes.get("wine"), [
        "fit.validation_split=0", 'fit.validation={"first": 30}'])
    data = prepare_data(recipe)
    rest = data["raw"]["x_train"][30:]
    np.testing.assert_allclose(data["preprocessor"].normalizers[0].mean,
                               rest.astype(np.float64).mean(axis=0))
    assert len(data["x_val"]) == 30 and len(data["x_train"]) == len(rest)
    with pytest.raises(ValueError, match=r"fit\.validation\.first: expected fewer than the "
                                         r"142 training samples of wine, got 500"):
        prepare_data(recipes.apply_overrides(recipe, ["fit.validation.first=500"]))


def test_preprocessing_steps():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    pre = Preprocessor([["scale", {"divide_by": 2}], ["flatten", {}], ["one_hot",
                                                                       {"num_classes": 3}]])
    out, y = pre.fit_transform(x, np.array([2, 0]))
    assert out.shape == (2, 12) and out[1, 0] == 6.0
    np.testing.assert_array_equal(y, [[0, 0, 1], [1, 0, 0]])
    out, _ = Preprocessor([["reshape", {"shape": [12, 1]}]]).fit_transform(x)
    assert out.shape == (2, 12, 1)
    out, _ = Preprocessor([["multi_hot", {"dimension": 5}]]).fit_transform([[1, 3], [4]])
    np.testing.assert_array_equal(out, [[0, 1, 0, 1, 0], [0, 0, 0, 0, 1]])
    with pytest.raises(ValueError, match=r"reshape: samples of shape \(3, 4\) do not fit the "
                                         r"shape \[5\]"):
        Preprocessor([["reshape", {"shape": [5]}]]).fit_transform(x)
    with pytest.raises(ValueError, match=r"step 0 \(scale\): divide_by: expected a number > 0"):
        Preprocessor([["scale", {"divide_by": 0}]])
    with pytest.raises(ValueError, match=r"step 0 \(multi_hot\): expected the arguments "
                                         r"\['dimension'\], got \['size'\]"):
        Preprocessor([["multi_hot", {"size": 3}]])
    with pytest.raises(RuntimeError, match="call fit"):
        Preprocessor([]).transform(x)


# ---------------------------------------------------------------------------- training
@pytest.mark.parametrize("name", OFFLINE)
def test_offline_recipe_trains_end_to_end(name):
    recipe = recipes.get(name)
    epochs = 2
    result = train_recipe(recipe, "numpy", epochs=epochs)
    assert result.recipe["fit"]["epochs"] == epochs
    assert all(len(values) == epochs for values in result.history.values())
    assert "loss" in result.history and math.isfinite(result.test["loss"])
    measures = result.measures()
    assert set(recipe["expected"]) <= set(measures)
    assert all(math.isfinite(v) for v in measures.values())
    assert [w.shape for w in result.initial_weights] == [
        w.shape for w in result.model.get_weights()]
    assert set(result.timings) == {"data", "fit", "evaluate", "total"}
    assert recipes.check_expected(recipe, measures)[0]["value"] is not None
    assert result.to_dict()["measures"] == measures


def test_boston_kfold_uses_four_folds_covering_every_sample_once():
    result = train_recipe(recipes.get("boston"), "numpy", epochs=2)
    kfold = result.kfold
    assert kfold["k"] == 4 and len(kfold["histories"]) == 4 and len(kfold["scores"]) == 4
    folds = [np.asarray(f) for f in kfold["val_indices"]]
    assert sorted(len(f) for f in folds) == [101, 101, 101, 101]
    np.testing.assert_array_equal(np.sort(np.concatenate(folds)), np.arange(404))
    curve = kfold["mean_val_mae"]
    assert len(curve) == 2
    np.testing.assert_allclose(curve, np.mean([h["val_mae"] for h in kfold["histories"]], axis=0))
    assert kfold["smoothed_val_mae"] == smooth(curve, 0.9)
    assert result.measures()["kfold_val_mae"] == pytest.approx(
        np.mean([s["val_mae"] for s in kfold["scores"]]))
    assert set(result.test) == {"loss", "mae"} and "val_mae" not in result.history


def test_smooth_is_the_course_exponential_average():
    assert smooth([1.0, 3.0, 3.0], 0.5) == [1.0, 2.0, 2.5]


def test_callbacks_reach_the_final_fit():
    from redes.nn.callbacks import Callback

    seen = []

    class Record(Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

    train_recipe(recipes.get("wine"), "numpy", epochs=3, callbacks=[Record()])
    assert seen == [0, 1, 2]


@pytest.mark.parametrize("kwargs,message", [
    ({"engine": "torch"}, r"engine: expected one of numpy, keras, got 'torch'"),
    ({"epochs": 0}, r"epochs: expected an integer >= 1 or None, got 0"),
    ({"seed": -1}, r"seed: expected an integer in \[0, 2\*\*32\), got -1"),
    ({"callbacks": "tensorboard"}, r"callbacks: expected a list of callbacks"),
    ({"initial_weights": [np.zeros(3)]}, r"initial_weights: expected arrays of shapes"),
])
def test_bad_arguments_are_named(kwargs, message):
    args = {"engine": "numpy", **kwargs}
    with pytest.raises(ValueError, match=message):
        train_recipe(recipes.get("wine"), **args)


# ---------------------------------------------------------------------------- missing data
@pytest.mark.parametrize("name", NEED_DATA)
def test_recipes_needing_downloads_explain_and_have_an_offline_variant(name):
    recipe = recipes.get(name)
    with pytest.raises(DatasetNotFoundError, match=r"redes data add"):
        prepare_data(recipe)
    offline = recipes.runnable(name)
    assert offline["name"] == recipe["offline_variant"]
    assert offline["task"]["type"] == recipe["task"]["type"]


@pytest.mark.parametrize("name", ["imdb", "reuters", "first_network"])
def test_offline_variant_trains(name):
    result = train_recipe(recipes.runnable(name), "numpy", epochs=1)
    assert 0 <= result.measures()["test_accuracy"] <= 1


# ---------------------------------------------------------------------------- both engines
@pytest.fixture(scope="module")
def keras():
    pytest.importorskip("keras")
    from redes.engines import import_keras

    return import_keras()


@pytest.mark.parametrize("name", recipes.names())
def test_every_recipe_builds_on_both_engines(name, keras):
    recipe = recipes.get(name)
    shape = building.input_shape(recipe)
    keras_model = building.build(recipe, "keras")
    assert tuple(keras_model.input_shape[1:]) == shape
    ours = building.build(recipe, "numpy")
    assert ours.count_params() == keras_model.count_params()
    assert ours.output_shape[1:] == keras_model.output_shape[1:]
    keras_model.set_weights(ours.get_weights())   # same layouts


def test_both_engines_start_from_the_same_weights(keras):
    ours = train_recipe(recipes.get("wine"), "numpy", epochs=2)
    theirs = train_recipe(recipes.get("wine"), "keras", epochs=2,
                          initial_weights=ours.initial_weights)
    for a, b in zip(ours.initial_weights, theirs.initial_weights):
        np.testing.assert_array_equal(a, b)
    assert set(theirs.history) == set(ours.history) == {"loss", "accuracy", "val_loss",
                                                        "val_accuracy"}
    assert abs(theirs.history["loss"][0] - ours.history["loss"][0]) < 0.1
    assert abs(theirs.test["accuracy"] - ours.test["accuracy"]) <= 0.15


def test_keras_reshuffles_every_epoch_and_keeps_keras_validation_split(keras):
    from redes.engines import build_model

    model = build_model("keras", (1,), [("Dense", {"units": 1, "use_bias": False,
                                                   "kernel_initializer": "ones"})],
                        {"class_name": "SGD", "config": {"learning_rate": 0.0}}, "mse")
    batches = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(logs["loss"])

    recipe = {"fit": {"epochs": 2, "batch_size": 1, "validation_split": 0.2}}
    x = np.arange(10, dtype=np.float32)[:, None]
    history = fitting.fit_model(model, recipe, x, np.zeros(10, np.float32), "keras",
                                 epochs=2, callbacks=[Record()])
    assert history["val_loss"] == [72.5, 72.5]   # the last 2 samples: (8**2 + 9**2) / 2
    per_batch = [(k % 8 + 1) * v - (k % 8) * (batches[k - 1] if k % 8 else 0)
                 for k, v in enumerate(batches)]   # running means back to batch losses
    order = np.rint(np.sqrt(np.maximum(per_batch, 0))).astype(int)
    assert sorted(order[:8]) == sorted(order[8:]) == list(range(8))
    assert list(order[:8]) != list(order[8:])


def test_resume_goes_on_training_the_given_model():
    recipe = recipes.apply_overrides(recipes.get("wine"), ["fit.epochs=4"])
    first = train_recipe(recipe, "numpy", epochs=2)
    resumed = train_recipe(recipe, "numpy", model=first.model, initial_epoch=2)
    assert resumed.model is first.model
    assert len(resumed.history["loss"]) == 2
    assert resumed.history["loss"][0] < first.history["loss"][0]
    for a, b in zip(resumed.initial_weights, first.initial_weights):   # the seed's start
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"initial_epoch: expected an integer from 0 to 3 "
                                         r"\(the recipe trains 4 epochs\), got 4"):
        train_recipe(recipe, "numpy", initial_epoch=4)
