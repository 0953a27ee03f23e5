"""A lost connection: the page says so at once, waits with its controls disabled, reconnects
by itself and sends its session back (``restore``), which goes on where it stopped."""

from __future__ import annotations

import copy
import os
import re
import signal
import time

import numpy as np
import pytest

from redes.playground.messages import carry_out
from redes.playground.restore import restore
from redes.playground.session import Session, decode_frame
from redes.playground.state import StateError


def trained(**changes) -> Session:
    session = Session({"layers": [3, 2], "optimizer": "adam", **changes})
    session.train_epochs(4)
    return session


def message(session: Session, **changes) -> dict:
    """What the page sends back: its state, epoch and last frame's weights."""
    _, arrays = decode_frame(session.frame())
    weights = []
    for i in range(len(session.dense)):
        weights += [arrays[f"w{i}"].ravel().tolist(), arrays[f"b{i}"].ravel().tolist()]
    return {"type": "restore", "state": copy.deepcopy(session.state), "epoch": session.epoch,
            "weights": weights, "playing": False, **changes}


def test_restore_gives_back_the_same_network_and_it_trains_on():
    old = trained(seed=5, learning_rate=0.01, regularization="l2", reg_rate=0.001)
    fresh = Session()
    replies, changed = carry_out(fresh, message(old, playing=True))
    assert changed and replies[0] == {"type": "state", "state": old.state,
                                      "changed": "restore"}
    assert replies[1]["train"] == old.data_message()["train"]
    assert (fresh.epoch, fresh.steps, fresh.playing) == (4, 4 * old.steps_per_epoch, True)
    for a, b in zip(fresh._weights, old._weights):
        assert a.dtype == np.float32 and np.array_equal(a, b)
    assert np.array_equal(fresh._flat, old._flat)        # what the optimizer updates
    assert fresh.losses() == old.losses()
    fresh.train_epochs(1)
    assert fresh.epoch == 5 and not np.array_equal(fresh._flat, old._flat)


def test_restore_of_uploaded_points_keeps_their_split():
    old = Session({"train_ratio": 70})
    rows = "\n".join(f"{a},{b},{int(a * b > 0)}" for a in range(-3, 4) for b in range(-3, 4))
    old.upload(rows)
    old.train_epochs(2)
    data = old.data_message()
    fresh = Session()
    points = {"train": data["train"], "test": data["test"], "classes": 2}
    restore(fresh, message(old, points=points))
    assert fresh.state["dataset"] == "custom" and fresh.custom is not None
    assert fresh.data_message()["train"] == data["train"]
    assert fresh.data_message()["test"] == data["test"]
    assert abs(fresh.losses()["test_loss"] - old.losses()["test_loss"]) < 1e-3
    with pytest.raises(ValueError, match=r"^points: expected the points in use"):
        restore(Session(), message(old))
    for bad, pattern in [({"classes": 1}, "classes 2 .. 8 for classification, got 1"),
                         ({"classes": 3, "test": [[0, 0, 3]]}, "test as a list of rows"),
                         ({"train": [[7, 0, 1]]}, "train as a list of rows"),
                         ({"train": []}, "from 1 to 2000 training and test points")]:
        with pytest.raises(ValueError, match="^points: expected " + re.escape(pattern)):
            restore(Session(), message(old, points={**points, **bad}))


def test_restore_of_points_drawn_by_hand():
    """A few points drawn on an empty plane, none of them for testing, regression."""
    old = Session({"problem": "regression", "layers": [2]})
    rows = [[1.5, -2.0, 0.5], [-3.0, 4.0, -1.0], [0.25, 0.0, 0.0]]
    old.set_points((np.array([r[:2] for r in rows], np.float32),
                    np.array([r[2] for r in rows], np.float32)),
                   (np.zeros((0, 2), np.float32), np.zeros(0, np.float32)), 0)
    old.train_epochs(3)
    fresh = Session()
    points = {"train": rows, "test": [], "classes": 0}
    restore(fresh, message(old, points=points))
    assert fresh.data_message()["train"] == rows and fresh.data_message()["test"] == []
    assert fresh.losses() == old.losses() and fresh.epoch == 3


@pytest.mark.parametrize(("change", "pattern"), [
    ({"state": None}, r"^state: expected an object of settings, got nothing"),
    ({"state": {"layers": [9]}}, r"^layers: expected a list of at most 6 layer sizes"),
    ({"state": {"layers": [2], "colour": 1}}, r"^state: expected settings among .*got 'colour'"),
    ({"state": {"dataset": "mnist"}}, r"^dataset: expected one of .*got 'mnist'"),
    ({"epoch": -1}, r"^epoch: expected an integer from 0 to 1000000000, got -1"),
    ({"epoch": 2.5}, r"^epoch: expected an integer"),
    ({"playing": "yes"}, r"^playing: expected true or false, got 'yes'"),
    ({"weights": None}, r"^weights: expected 6 arrays \(a kernel and a bias for each layer\), "
                        r"got nothing"),
    ({"weights": [[0.0]] * 7}, r"^weights: expected 6 arrays .*got 7"),
    ({"weights": [[0.0] * 5, [0.0] * 3, [], [], [], []]},
     r"^weights\[0\]: expected 6 numbers \(shape 2 x 3\), got 5"),
])
def test_a_wrong_restore_names_its_field_and_changes_nothing(change, pattern):
    old = trained()
    session = trained(seed=9)
    before = copy.deepcopy(session.state), session._flat.copy(), session.epoch
    with pytest.raises(ValueError, match=pattern):
        restore(session, {**message(old), **change})
    assert (session.state, session.epoch) == (before[0], before[2])
    assert np.array_equal(session._flat, before[1])


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 1e39, True, "1", None])
def test_every_weight_must_be_a_finite_float32(bad):
    old = trained()
    msg = message(old)
    msg["weights"][2][1] = bad
    with pytest.raises(ValueError, match=r"^weights\[2\]: expected finite numbers, got "):
        restore(Session(), msg)
    with pytest.raises(StateError):          # a bad state is a StateError (as in "set")
        restore(Session(), {**msg, "state": {"noise": 99}})


# ------------------------------------------------------------------------- in a browser
WEIGHTS = """() => { const a = window.playground.arrays, out = [];
  for (let i = 0; a['w' + i]; i++) {
    out.push(Array.from(a['w' + i].data), Array.from(a['b' + i].data));
  }
  return out; }"""


def test_the_page_survives_a_server_restart(browser, servers):
    pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
    from pages import header, open_page, shot, state

    server = servers.process(port=servers.free_port(), workers=1)  # as served: a worker
    with server:
        page = open_page(browser, f"http://127.0.0.1:{server.port}/#dataset=xor&layers=3"
                         "&optimizer=adam&learning_rate=0.1&seed=7&speed=2")
        page.wait_for_function("window.playground.state.dataset === 'xor' && "
                               "window.playground.header.network > 1")
        page.click("#play")
        page.wait_for_function("window.playground.header.epoch >= 6")
        page.click("#play")
        page.wait_for_function("window.playground.header.playing === false")
        page.wait_for_timeout(100)
        before = state(page), header(page), page.evaluate(WEIGHTS)
        curve = page.evaluate("window.playground.curve.length")
        assert not page.locator("#link-banner").is_visible()
        os.kill(server.process.pid, signal.SIGSTOP)         # a server that says nothing
        start = time.monotonic()
        page.wait_for_selector("#link-banner", state="visible", timeout=9000)
        assert time.monotonic() - start < 8                 # ping after 2 s, given up at 6 s
        os.kill(server.process.pid, signal.SIGCONT)
        page.wait_for_selector("#link-banner", state="hidden", timeout=10_000)
        page.wait_for_function("window.playgroundLink.restoring === false")
        assert "Reconectado" in page.locator("#toast").inner_text()
        assert page.evaluate(WEIGHTS) == before[2] and header(page)["epoch"] == before[1]["epoch"]
        server.process.kill()                               # the server is gone
        server.process.wait(10)
        start = time.monotonic()
        page.wait_for_selector("#link-banner", state="visible", timeout=2000)
        assert time.monotonic() - start < 2
        assert "Intentando reconectar" in page.locator("#link-banner").inner_text()
        for control in ("#play", "#step", "#reset", "#learning_rate", "#add-layer", "#seed",
                        "#export", ".layer-activation"):
            assert page.locator(control).first.is_disabled(), control
        assert page.evaluate("document.body.classList.contains('offline')")
        shot(page, "reconnect_banner.png")
    with server:                                            # the same port, a new process
        page.wait_for_selector("#link-banner", state="hidden", timeout=10_000)
        page.wait_for_function("window.playgroundLink.restoring === false && "
                               "window.playground.header.playing === false")
        assert page.evaluate("window.playgroundLink.retries") >= 2
        assert state(page) == before[0]
        now = header(page)
        assert (now["epoch"], now["steps"], now["train_loss"], now["test_loss"]) == (
            before[1]["epoch"], before[1]["epoch"] * 25, before[1]["train_loss"],
            before[1]["test_loss"])
        assert page.evaluate(WEIGHTS) == before[2]          # float32, bit for bit
        assert page.evaluate("window.playground.curve.length") == curve
        assert not page.locator("#play").is_disabled()
        assert page.locator("#reg_rate").is_disabled()      # regularization "none": still
        page.click("#step")
        page.wait_for_function(f"window.playground.header.epoch === {before[1]['epoch'] + 1}")
        assert page.evaluate(WEIGHTS) != before[2]
        refused = "ERR_CONNECTION_REFUSED"                  # the failed attempts, expected
        assert [p for p in page.problems if refused not in p] == []
        page.context.close()


def test_uploaded_points_come_back_with_the_session(page, tmp_path):
    """A connection given up by the page (as after a silence) on the same server: its
    uploaded points, their split, and its network are restored."""
    from pages import header, state

    csv = tmp_path / "points.csv"
    csv.write_text("x1,x2,label\n" + "\n".join(
        f"{a},{b},{(a + b) % 3}" for a in range(-4, 5) for b in range(-4, 5)))
    page.set_input_files("#upload", str(csv))
    page.wait_for_function("window.playground.state.dataset === 'custom' && "
                           "window.playground.data.classes === 3")
    page.click("#step")
    page.click("#step")
    page.wait_for_function("window.playground.header.epoch === 2")
    data = page.evaluate("window.playground.data")
    before = state(page), header(page), page.evaluate(WEIGHTS)
    page.evaluate("lost()")
    page.wait_for_function("window.playgroundLink.retries === 1 && "
                           "window.playgroundLink.restoring === false")
    assert page.evaluate("window.playground.data") == data
    assert state(page) == before[0] and header(page)["epoch"] == 2
    assert page.evaluate(WEIGHTS) == before[2]
    assert abs(header(page)["test_loss"] - before[1]["test_loss"]) < 1e-3   # points rounded
    assert page.problems == []
