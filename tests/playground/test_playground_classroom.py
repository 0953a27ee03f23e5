"""The classroom: links that hide controls, and guided challenges whose goals are reachable
and checked alike by the server's definitions (challenges.py) and the page (classroom.js)."""

from __future__ import annotations

import itertools

import pytest

from redes.playground import challenges
from redes.playground.challenges import CHALLENGES, checks, met, start_state
from redes.playground.session import Session
from redes.playground.state import DEFAULT, merge
from redes.playground.words import WORDS


def epochs_to_goal(name: str, seed: int) -> int | None:
    """Epochs the challenge's solution takes to meet its goal (checked every epoch)."""
    c = CHALLENGES[name]
    session = Session({**start_state(name), **c["solution"], "seed": seed})
    while session.epoch < c["epochs"]:
        session.train_epochs(1)
        if met(name, session.state, session.losses()):
            return session.epoch
    return None


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("name", list(CHALLENGES))
def test_each_challenge_is_solved_by_its_solution(name, seed):
    assert epochs_to_goal(name, seed) is not None, f"{name}: goal not met in time"


@pytest.mark.parametrize("name", list(CHALLENGES))
def test_a_challenge_is_not_solved_by_where_it_starts(name):
    session = Session(start_state(name))
    session.train_epochs(2)
    assert not met(name, session.state, session.losses())
    # its start is a valid state, its texts exist in both languages' catalogs
    assert merge(DEFAULT, start_state(name)) == Session(start_state(name)).state
    for part in ("title", "task", "hint"):
        assert f"challenge_{name}_{part}" in WORDS


def test_checks_name_each_condition():
    state = merge(DEFAULT, {**start_state("xor_smallest"), "layers": [3]})
    assert checks("xor_smallest", state, {"test_accuracy": 0.95}) == {
        "data": True, "features": True, "neurons": True, "score": True}
    assert checks("xor_smallest", {**state, "noise": 5}, {"test_accuracy": 0.95})["data"] is False
    assert checks("xor_smallest", {**state, "layers": [3, 2]}, {})["neurons"] is False
    assert checks("xor_smallest", state, {"test_accuracy": None})["score"] is False
    assert checks("circle_one_layer", {**state, "dataset": "circle", "layers": []},
                  {"test_loss": 0.05})["layers"] is False
    assert set(challenges.options()) == set(CHALLENGES)


def cases():
    """States and scores near each goal's rules: (name, state, scores)."""
    out = []
    for name, c in CHALLENGES.items():
        start = start_state(name)
        goal = c["goal"]
        limit = goal.get("below", goal.get("at_least"))
        states = [start, {**start, **c["solution"]}, {**start, "noise": 10},
                  {**start, "features": ["x1", "x2", "x1x2"]}, {**start, "features": ["x2", "x1"]},
                  {**start, "layers": []}, {**start, "layers": [4]}, {**start, "layers": [2, 2]},
                  {**start, "dataset": "spiral" if start["dataset"] != "spiral" else "xor"}]
        scores = [{}, {goal["metric"]: None}, {goal["metric"]: limit},
                  {goal["metric"]: limit * 0.99}, {goal["metric"]: min(1.0, limit * 1.01)}]
        for s, score in itertools.product(states, scores):
            out.append((name, merge(DEFAULT, s), score))
    return out


# ------------------------------------------------------------------------- in a browser
VISIBLE = """(names) => Object.fromEntries(names.map((name) => [name, HIDE[name].every(
  (sel) => [...document.querySelectorAll(sel)].every((el) => (el.closest('label') || el)
    .checkVisibility()))]))"""


def test_hide_links_and_challenges_in_the_page(browser, live_server):
    pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
    from pages import open_page, shot

    hidden = ["optimizer", "seed", "upload", "export", "datasets", "layers"]
    page = open_page(browser, live_server.url + "#hide=optimizer,seed,upload,export,"
                     "datasets,layers,bogus&lang=en&learning_rate=0.1")
    page.wait_for_function("window.playground.state.learning_rate === 0.1")
    names = page.evaluate("Object.keys(HIDE)")
    seen = page.evaluate(VISIBLE, [n for n in names if n not in ("features", "layers")])
    assert sorted(n for n, v in seen.items() if not v) == sorted(set(hidden) - {"layers"})
    assert not page.locator("#add-layer").is_visible()
    assert page.locator(".node.input").first.evaluate("e => getComputedStyle(e).cursor") \
        == "pointer"                                           # features: not hidden
    assert "bogus" in page.evaluate("window.playground.errors.join()")
    page.select_option("#dropout", "0.1")                     # the hash keeps hide
    page.wait_for_function("location.hash.includes('dropout=0.1')")
    assert "hide=optimizer%2Cseed%2Cupload%2Cexport%2Cdatasets%2Clayers" in \
        page.evaluate("location.hash")

    # the page's goal checks are challenges.checks, case by case
    all_cases = cases()
    got = page.evaluate("(cases) => cases.map(([name, state, scores]) => challengeChecks("
                        "window.playground.options.challenges[name], state, scores))", all_cases)
    assert got == [checks(*case) for case in all_cases]

    # a challenge from the menu: its panel, solved by its solution, in English then Spanish
    page.click("#challenges-open")
    page.click(".challenge-item[data-name=gauss_one_neuron]")
    page.wait_for_function("window.playground.state.dataset === 'gauss'")
    assert page.locator("#challenge-title").inner_text() == "One neuron is enough"
    assert not page.locator("#problem").is_visible() and page.locator("#reset").is_visible()
    assert page.locator("#challenge-status").inner_text() == ""
    page.evaluate("send({type: 'set', changes: {layers: [], activations: [], "
                  "optimizer: 'adam'}})")
    page.wait_for_function("window.playground.state.layers.length === 0")
    page.click("#play")
    page.wait_for_function("window.playgroundClassroom.solvedAt !== null", timeout=20_000)
    page.click("#play")
    assert page.locator("#challenge-status").inner_text().startswith("Solved at epoch ")
    assert page.locator("#challenge-checks li.ok").count() == 3
    assert "challenge=gauss_one_neuron" in page.evaluate("location.hash")
    shot(page, "challenge_solved_en.png")
    page.select_option("#lang", "es")
    page.wait_for_function("document.documentElement.lang === 'es'")
    assert page.locator("#challenge-title").inner_text() == "Una neurona alcanza"
    assert page.locator("#challenge-status").inner_text().startswith("¡Resuelto en la época ")
    page.click("#challenge-close")
    assert page.locator("#challenge-panel").is_hidden()
    assert page.locator("#problem").is_visible()               # the challenge's hides go
    assert not page.locator("#optimizer").is_visible()         # the link's stay
    assert "challenge=" not in page.evaluate("location.hash")
    assert page.problems == []
    page.context.close()

    # a challenge's link in Spanish: its settings and its panel from the start
    page = open_page(browser, live_server.url + "#challenge=spiral_x1x2&lang=es")
    page.wait_for_function("window.playground.state.dataset === 'spiral'")
    assert page.locator("#challenge-title").inner_text() == "La espiral solo con x1 y x2"
    assert page.locator(".node.input").first.evaluate("e => getComputedStyle(e).pointerEvents") \
        == "none"                                              # features hidden
    assert page.locator("#challenge-checks li").count() == 3
    shot(page, "challenge_es.png")
    assert page.problems == []
    page.context.close()
