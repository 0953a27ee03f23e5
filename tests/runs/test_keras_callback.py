"""The run callback records a Keras training the same way as a redes.nn one."""

import numpy as np
import pytest

from redes.runs import Run

pytest.importorskip("keras")


def test_keras_callback_logs_epochs_and_saves_the_model(tmp_path):
    from redes.engines import build_model

    model = build_model("keras", (2,), [("Dense", {"units": 4, "activation": "relu"}),
                                        ("Dense", {"units": 1, "activation": "sigmoid"})],
                        "adam", "binary_crossentropy", ["accuracy"], seed=0)
    rng = np.random.default_rng(0)
    x = rng.random((64, 2)).astype("float32")
    y = (x.sum(axis=1) > 1).astype("float32")
    run = Run.create("toy", "keras", {"task": "binary"}, root=tmp_path)
    callback = run.callback()
    import keras

    assert isinstance(callback, keras.callbacks.Callback)
    history = model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0,
                        callbacks=[callback])
    run.finish(model.evaluate(x, y, verbose=0, return_dict=True))

    again = Run.open(run.path)
    assert again.status == "finished" and again.last_epoch == 2
    assert again.status_info["epochs"] == 2 and again.status_info["model_epoch"] == 2
    for key, values in history.history.items():
        assert again.history[key] == pytest.approx(values, rel=1e-6)
    assert set(again.metrics) == {"loss", "accuracy"}
    assert (run.path / "model.keras").is_file()
    assert not list(run.path.glob(".tmp-*"))
    assert list((run.path / "tensorboard" / "validation").glob("events.out.tfevents.*"))
    loaded = again.load_model()
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5)
