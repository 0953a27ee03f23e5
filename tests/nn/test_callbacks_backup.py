"""``BackupAndRestore``: an interrupted training resumes where it stopped and ends as one
that was never interrupted."""

import numpy as np
import pytest

import redes.nn as rn


class Interrupt(rn.callbacks.Callback):
    """Raises at the start of epoch ``at`` (or after batch ``batch`` of it)."""

    def __init__(self, at, batch=None):
        super().__init__()
        self.at, self.batch, self.epoch = at, batch, None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        if epoch == self.at and self.batch is None:
            raise KeyboardInterrupt

    def on_train_batch_end(self, batch, logs=None):
        if self.epoch == self.at and batch == self.batch:
            raise KeyboardInterrupt


def data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x[:, 0] - 2 * x[:, 1] > 0).astype("int64")


def new_model(seed):
    """A model with dropout and Adam (buffers): resuming must restore both randomness
    and the optimizer. A different ``seed`` stands for a new process."""
    rn.utils.set_random_seed(seed)
    model = rn.Sequential([rn.Input(shape=(4,)), rn.layers.Dense(8, activation="relu"),
                           rn.layers.Dropout(0.3), rn.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=rn.optimizers.Adam(0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


FIT = {"epochs": 5, "batch_size": 16, "validation_split": 0.2, "verbose": 0}


def fit_through(model, *callbacks):
    x, y = data()
    return model.fit(x, y, callbacks=list(callbacks), **FIT)


@pytest.fixture(scope="module")
def uninterrupted():
    model = new_model(0)
    history = fit_through(model)
    return model, history


def assert_same_training(model, history, expected_model, expected_history):
    for a, b in zip(model.get_weights(), expected_model.get_weights()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(model.optimizer.get_state(), expected_model.optimizer.get_state()):
        np.testing.assert_array_equal(a, b)
    assert model.optimizer.iterations == expected_model.optimizer.iterations == 5 * 3
    assert history.epoch == expected_history.epoch == [0, 1, 2, 3, 4]
    assert history.history == expected_history.history


def test_an_interrupted_fit_resumes_at_the_epoch_it_stopped(tmp_path, uninterrupted):
    backup = tmp_path / "backup"
    model = new_model(0)
    started = []
    count = rn.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: started.append(
        epoch))
    with pytest.raises(KeyboardInterrupt):
        fit_through(model, rn.callbacks.BackupAndRestore(backup), Interrupt(at=3), count)
    assert (backup / "latest.backup").is_file() and started == [0, 1, 2]

    started.clear()
    restarted = new_model(7)                          # a new process: other weights, seed
    history = fit_through(restarted, rn.callbacks.BackupAndRestore(backup), count)
    assert started == [3, 4]
    assert_same_training(restarted, history, *uninterrupted)
    assert not backup.exists()                        # delete_checkpoint=True


def test_keeps_the_backup_when_asked_and_a_finished_training_does_nothing(tmp_path):
    backup = tmp_path / "backup"
    model = new_model(0)
    fit_through(model, rn.callbacks.BackupAndRestore(backup, delete_checkpoint=False))
    assert (backup / "latest.backup").is_file()
    again = new_model(1)
    history = fit_through(again, rn.callbacks.BackupAndRestore(backup,
                                                                delete_checkpoint=False))
    assert history.epoch == [0, 1, 2, 3, 4]                     # the restored history
    for a, b in zip(again.get_weights(), model.get_weights()):  # no epoch was trained
        np.testing.assert_array_equal(a, b)


def test_save_freq_in_batches_resumes_at_the_start_of_the_epoch(tmp_path):
    backup = tmp_path / "backup"
    model = new_model(0)
    # 3 batches an epoch, a save every 2: the last one after batch 1 of epoch 1 (index 0)
    with pytest.raises(KeyboardInterrupt):
        fit_through(model, rn.callbacks.BackupAndRestore(backup, save_freq=2),
                    Interrupt(at=1, batch=1))
    from redes.nn.saving import read_archive

    meta, _ = read_archive(backup / "latest.backup")
    assert (meta["backup"]["epoch"], meta["backup"]["batch"]) == (1, 1)
    assert model.optimizer.iterations == 5
    restarted = new_model(3)
    history = fit_through(restarted, rn.callbacks.BackupAndRestore(backup, save_freq=2))
    assert history.epoch == [0, 1, 2, 3, 4] and len(history.history["loss"]) == 5
    assert restarted.optimizer.iterations == 4 + 4 * 3       # saved after 4 steps


def test_double_checkpoint_falls_back_to_the_previous_state(tmp_path, uninterrupted):
    backup = tmp_path / "backup"
    with pytest.raises(KeyboardInterrupt):
        fit_through(new_model(0), rn.callbacks.BackupAndRestore(
            backup, double_checkpoint=True), Interrupt(at=3))
    assert (backup / "latest.backup.bkp").is_file()            # the state after epoch 1
    (backup / "latest.backup").write_bytes(b"damaged")
    restarted = new_model(5)
    started = []
    count = rn.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: started.append(
        epoch))
    history = fit_through(restarted, rn.callbacks.BackupAndRestore(backup), count)
    assert started == [2, 3, 4]
    assert_same_training(restarted, history, *uninterrupted)


def test_a_damaged_backup_without_a_previous_one_is_an_error(tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "latest.backup").write_bytes(b"damaged")
    from redes.nn.saving import ModelFileError

    with pytest.raises(ModelFileError, match="latest.backup"):
        fit_through(new_model(0), rn.callbacks.BackupAndRestore(backup))


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="backup_dir: expected the path of a folder"):
        rn.callbacks.BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq: expected 'epoch' or a number of "
                                         "batches >= 1, got 0"):
        rn.callbacks.BackupAndRestore("b", save_freq=0)


def test_a_model_without_input_is_built_by_fit_before_it_is_restored(tmp_path):
    x, y = data()
    backup = tmp_path / "b"
    for interrupt in (Interrupt(at=1), None):
        model = rn.Sequential([rn.layers.Dense(2, activation="softmax")])   # no Input
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        started = []
        count = rn.callbacks.LambdaCallback(
            on_epoch_begin=lambda epoch, logs, started=started: started.append(epoch))
        callbacks = [rn.callbacks.BackupAndRestore(backup), *([interrupt] if interrupt
                                                              else []), count]
        try:
            model.fit(x, y, epochs=3, verbose=0, callbacks=callbacks)
        except KeyboardInterrupt:
            assert started == [0]
    assert started == [1, 2] and model.optimizer.iterations == 3 * 2
