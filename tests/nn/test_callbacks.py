"""Callbacks behave as Keras' do, on models trained by the NumPy engine."""

import csv
import io
import sys

import numpy as np
import pytest

import redes.nn as rn


def regression(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=n)).astype("float32")
    return x, y


def model(lr=0.05):
    rn.utils.set_random_seed(0)
    m = rn.Sequential([rn.Input(shape=(3,)), rn.layers.Dense(8, activation="tanh"),
                       rn.layers.Dense(1)])
    m.compile(optimizer=rn.optimizers.SGD(lr), loss="mse", metrics=["mae"])
    return m


def test_history_records_every_epoch():
    x, y = regression()
    h = model().fit(x, y, epochs=4, validation_split=0.25, verbose=0)
    assert h.epoch == [0, 1, 2, 3]
    assert set(h.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert all(len(v) == 4 for v in h.history.values())
    assert h.history["loss"][-1] < h.history["loss"][0]


def test_early_stopping_stops_and_restores_the_best_weights():
    x, y = regression()
    m = model(lr=0.0)  # nothing improves: stops after `patience` epochs
    stopper = rn.callbacks.EarlyStopping(monitor="loss", patience=2)
    h = m.fit(x, y, epochs=50, verbose=0, callbacks=[stopper])
    assert len(h.epoch) == 3 and stopper.stopped_epoch == 2

    m = model(lr=0.05)
    seen = []
    keep = rn.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(
        (logs["val_loss"], m.get_weights())))
    stopper = rn.callbacks.EarlyStopping(patience=100, restore_best_weights=True)
    m.fit(x, y, epochs=8, validation_split=0.25, verbose=0, callbacks=[keep, stopper])
    best_loss, best_weights = min(seen, key=lambda item: item[0])
    for a, b in zip(m.get_weights(), best_weights):
        np.testing.assert_array_equal(a, b)
    assert stopper.best == best_loss


def test_early_stopping_mode_auto_maximizes_accuracies():
    assert rn.callbacks.EarlyStopping(monitor="val_accuracy")._direction() == "max"
    assert rn.callbacks.EarlyStopping(monitor="val_loss")._direction() == "min"
    with pytest.raises(ValueError, match="mode: expected 'auto', 'min' or 'max'"):
        rn.callbacks.EarlyStopping(mode="up")


def test_model_checkpoint_saves_only_improvements(tmp_path):
    x, y = regression()
    saved = []
    m = model()
    original_save = m.save
    m.save = lambda path: (saved.append(path), original_save(path))
    cp = rn.callbacks.ModelCheckpoint(str(tmp_path / "m-{epoch:02d}.redes"), monitor="loss",
                                      save_best_only=True)
    h = m.fit(x, y, epochs=5, verbose=0, callbacks=[cp])
    losses = h.history["loss"]
    improved = [i for i, v in enumerate(losses) if v < min(losses[:i], default=np.inf)]
    assert [p.split("-")[-1] for p in saved] == [f"{i + 1:02d}.redes" for i in improved]
    loaded = rn.models.load_model(saved[-1])
    assert loaded.count_params() == m.count_params()


def test_reduce_lr_on_plateau_multiplies_the_learning_rate():
    x, y = regression()
    m = model(lr=0.0)
    cb = rn.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_lr=0.0)
    m.optimizer.learning_rate = 0.0
    h = m.fit(x, y, epochs=3, verbose=0, callbacks=[cb])
    assert "learning_rate" in h.history

    m = model(lr=1e-9)  # tiny steps: no improvement above min_delta
    cb = rn.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, min_delta=1.0)
    m.fit(x, y, epochs=5, verbose=0, callbacks=[cb])
    # epoch 0 sets the reference; epochs 1-2 wait, reduce; epochs 3-4 wait, reduce
    assert m.optimizer.learning_rate == pytest.approx(1e-9 * 0.25)


def test_learning_rate_scheduler_sets_the_rate_each_epoch():
    x, y = regression()
    m = model()
    cb = rn.callbacks.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))
    h = m.fit(x, y, epochs=3, verbose=0, callbacks=[cb])
    assert h.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.1 / 3])


def test_csv_logger_writes_one_row_per_epoch(tmp_path):
    x, y = regression()
    path = tmp_path / "log.csv"
    model().fit(x, y, epochs=3, verbose=0, callbacks=[rn.callbacks.CSVLogger(path)])
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["epoch", "loss", "mae"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "2"]
    model().fit(x, y, epochs=2, verbose=0, callbacks=[rn.callbacks.CSVLogger(path, append=True)])
    assert len(list(csv.reader(path.open()))) == 6


def test_progress_output_like_keras(capsys):
    x, y = regression()
    model().fit(x, y, epochs=2, batch_size=16, verbose=2)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Epoch 1/2"
    assert out[1].startswith("4/4 - ") and "loss: " in out[1] and "mae: " in out[1]
    model().fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert capsys.readouterr().out == ""
    stream = io.StringIO()
    bar = rn.callbacks.ProgbarLogger(stream=stream)
    bar.set_params({"epochs": 1, "steps": 4, "verbose": 1})
    bar.on_epoch_begin(0)
    bar.on_epoch_end(0, {"loss": 0.5})
    assert "4/4 ━━━━━━━━━━━━━━━━━━━━" in stream.getvalue() and "loss: 0.5000" in stream.getvalue()


def test_callbacks_must_be_callback_objects():
    x, y = regression()
    with pytest.raises(TypeError, match="callbacks: expected redes.nn.callbacks.Callback"):
        model().fit(x, y, verbose=0, callbacks=[print])


def test_a_progbar_logger_given_to_fit_replaces_the_default_one(monkeypatch):
    x, y = regression()
    stream = io.StringIO()
    bar = rn.callbacks.ProgbarLogger(count_mode="steps", stream=stream)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    model().fit(x, y, epochs=2, batch_size=16, verbose=2, callbacks=[bar])
    lines = stream.getvalue().splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    assert lines[1].startswith("4/4 - ") and "loss: " in lines[1]
    assert sys.stdout.getvalue() == ""                     # no second bar
    stream.truncate(0)
    model().fit(x, y, epochs=1, verbose=0, callbacks=[bar])  # Keras: verbose=0 is silent
    assert stream.getvalue() == ""
    unknown = io.StringIO()
    bar = rn.callbacks.ProgbarLogger(stream=unknown)
    bar.set_params({"epochs": 1, "steps": None, "verbose": 1})
    bar.on_epoch_begin(0)
    bar.interactive = True
    bar._bar(3, None, {"loss": 0.5}, "\r", "")             # data of unknown length
    assert unknown.getvalue().startswith("Epoch 1/1\n\r3/Unknown ")
    with pytest.raises(ValueError, match="count_mode: expected 'steps'.*got 'samples'"):
        rn.callbacks.ProgbarLogger(count_mode="samples")


def test_the_package_keeps_every_public_name():
    names = {"BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping",
             "History", "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint",
             "ProgbarLogger", "ReduceLROnPlateau", "TensorBoard", "TerminateOnNaN"}
    assert set(rn.callbacks.__all__) == names
    assert all(isinstance(getattr(rn.callbacks, n), type) for n in names)
