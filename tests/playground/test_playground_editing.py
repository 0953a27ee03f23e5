"""Editing a weight or a bias by hand (``redes.playground.editing``): the checks of the
messages ``weight`` and ``bias``, the edit reaching the training step, and in a real
browser, a link's tooltip and editor and a node's bias marker."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from pages import shot

from redes.playground.messages import carry_out
from redes.playground.session import Session
from redes.playground.state import StateError


def weights_of(session):
    return [w.copy() for w in session._weights], session._flat.copy()


@pytest.mark.parametrize("msg, error", [
    ({"layer": 3, "i": 0, "j": 0, "value": 1}, "layer: expected an integer from 0 to 2, got 3"),
    ({"layer": -1, "i": 0, "j": 0, "value": 1}, "layer: expected an integer from 0 to 2, got -1"),
    ({"layer": True, "i": 0, "j": 0, "value": 1},
     "layer: expected an integer from 0 to 2, got True"),
    ({"layer": 1.0, "i": 0, "j": 0, "value": 1}, "layer: expected an integer from 0 to 2, got 1.0"),
    ({"i": 0, "j": 0, "value": 1}, "layer: expected an integer from 0 to 2, got nothing"),
    ({"layer": 0, "i": 2, "j": 0, "value": 1}, "i: expected an integer from 0 to 1, got 2"),
    ({"layer": 1, "i": 4, "j": 0, "value": 1}, "i: expected an integer from 0 to 3, got 4"),
    ({"layer": 2, "i": 0, "j": 1, "value": 1}, "j: expected an integer from 0 to 0, got 1"),
    ({"layer": 0, "i": 0, "j": "1", "value": 1}, "j: expected an integer from 0 to 3, got '1'"),
    ({"layer": 0, "i": [0], "j": 0, "value": 1},
     "i: expected an integer from 0 to 1, got a list"),
    ({"layer": 0, "i": 0, "j": 0, "value": 100.5},
     "value: expected a number from -100.0 to 100.0, got 100.5"),
    ({"layer": 0, "i": 0, "j": 0, "value": float("nan")},
     "value: expected a number from -100.0 to 100.0, got nan"),
    ({"layer": 0, "i": 0, "j": 0, "value": "2"},
     "value: expected a number from -100.0 to 100.0, got '2'"),
    ({"layer": 0, "i": 0, "j": 0, "value": False},
     "value: expected a number from -100.0 to 100.0, got False"),
    ({"layer": 0, "i": 0, "j": 0}, "value: expected a number from -100.0 to 100.0, got nothing"),
])
def test_a_weight_message_that_breaks_a_rule_is_refused_and_changes_nothing(msg, error):
    session = Session()                                  # layers 4, 2: kernels 2x4, 4x2, 2x1
    before, flat = weights_of(session)
    state = copy.deepcopy(session.state)
    with pytest.raises(StateError) as refused:
        carry_out(session, {"type": "weight", **msg})
    assert str(refused.value) == error
    assert all(np.array_equal(a, b) for a, b in zip(before, session._weights))
    assert np.array_equal(flat, session._flat) and session.state == state


def test_a_bias_message_is_checked_against_the_current_network():
    session = Session({"layers": [3], "activations": ["relu"], "dataset": "spiral3"})
    with pytest.raises(StateError, match=r"^j: expected an integer from 0 to 2, got 3$"):
        carry_out(session, {"type": "bias", "layer": 0, "j": 3, "value": 1})
    with pytest.raises(StateError, match=r"^layer: expected an integer from 0 to 1, got 2$"):
        carry_out(session, {"type": "bias", "layer": 2, "j": 0, "value": 1})
    assert carry_out(session, {"type": "bias", "layer": 1, "j": 2, "value": -100}) == ([], True)
    assert session.dense[1].bias[2] == -100.0


def test_edits_reach_the_frame_and_the_next_training_step():
    edited, truth, untouched = Session(), Session(), Session()
    assert carry_out(edited, {"type": "weight", "layer": 1, "i": 2, "j": 0, "value": 1.5}) \
        == ([], True)
    assert carry_out(edited, {"type": "bias", "layer": 0, "j": 3, "value": -0.25}) == ([], True)
    kernel, bias = edited.dense[1].kernel, edited.dense[0].bias
    assert kernel[2, 0] == 1.5 and bias[3] == -0.25
    # the flat copy the optimizer updates holds the same values as the layers
    assert np.array_equal(edited._flat, np.concatenate([w.ravel() for w in edited._weights]))
    arrays = dict(edited.render()[1])                     # what the next frame shows
    assert arrays["w1"][2, 0] == np.float32(1.5) and arrays["b0"][3] == np.float32(-0.25)

    # the same edit made by hand in a twin session, both in the layers and the flat copy
    truth.dense[1].kernel[2, 0] = 1.5
    truth.dense[0].bias[3] = -0.25
    truth._flat[:] = np.concatenate([w.ravel() for w in truth._weights])
    for s in (edited, truth, untouched):
        s.train_steps(3)
    for a, b, c in zip(edited._weights, truth._weights, untouched._weights):
        assert np.array_equal(a, b)
        assert a.shape == c.shape
    step = edited.dense[1].kernel[2, 0]
    assert step != 1.5 and abs(step - 1.5) < 0.05         # moved a little from the edit
    assert abs(untouched.dense[1].kernel[2, 0] - 1.5) > 0.1


# ------------------------------------------------------------------ in the browser
# A point on the link (layer, i, j) where that link is the topmost, in the page's pixels.
POINT_ON_LINK = """([layer, i, j]) => {
  const link = net.links.find((l) => l.layer === layer && l.i === i && l.j === j);
  const box = $("links").getBoundingClientRect(), length = link.hit.getTotalLength();
  for (const f of [0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.1, 0.9]) {
    const p = link.hit.getPointAtLength(f * length), x = box.left + p.x, y = box.top + p.y;
    if (document.elementFromPoint(x, y) === link.hit) return { x, y };
  }
  return null;
}"""


def test_a_link_shows_its_weight_and_a_click_edits_it_and_a_bias_too(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    assert page.locator("#add-layer").get_attribute("aria-label") == "Agregar una capa oculta"
    assert page.locator("#remove-layer").get_attribute("aria-label") == \
        "Quitar la última capa oculta"
    assert page.locator(".col-head.layer >> nth=1 >> button >> nth=0").get_attribute(
        "aria-label") == "Agregar una neurona a la capa 2"
    assert page.locator(".col-head.layer >> nth=0 >> button >> nth=1").get_attribute(
        "aria-label") == "Quitar una neurona de la capa 1"

    def weight(layer, i, j):
        return page.evaluate(f"(() => {{ const w = window.playground.arrays.w{layer}; "
                             f"return w.data[{i} * w.shape[1] + {j}]; }})()")

    # pointing at the link from neuron 3 of layer 1 to neuron 2 of layer 2 shows its weight
    point = page.evaluate(POINT_ON_LINK, [1, 2, 1])
    assert point is not None
    page.mouse.move(point["x"], point["y"])
    tip = page.locator("#net-tip")
    expect(tip).to_be_visible()
    value = weight(1, 2, 1)
    assert tip.inner_text().splitlines() == [f"Peso: {value:.3f}",
                                             "de Neurona 3, capa 1 a Neurona 2, capa 2"]
    # a click opens the editor with the value; Escape leaves everything as it was
    page.mouse.click(point["x"], point["y"])
    editor = page.locator("#net-editor")
    expect(editor).to_be_visible()
    assert editor.locator("label").inner_text() == "Peso de Neurona 3, capa 1 a Neurona 2, capa 2"
    assert float(editor.locator("input").input_value()) == round(value, 3)
    editor.locator("input").fill("7")
    editor.locator("input").press("Escape")
    expect(editor).to_be_hidden()
    # out of range: the editor stays, nothing is sent; then Enter sends the new value
    frames = page.evaluate("window.playground.frames")
    page.mouse.click(point["x"], point["y"])
    editor.locator("input").fill("250")
    editor.locator("input").press("Enter")
    expect(editor).to_be_visible()
    shot(page, "edit-weight.png")
    editor.locator("input").fill("1.375")
    editor.locator("input").press("Enter")
    expect(editor).to_be_hidden()
    page.wait_for_function("window.playground.arrays.w1.data[2 * 2 + 1] === 1.375")
    assert page.evaluate("window.playground.frames") > frames
    assert page.evaluate("window.playground.errors") == []            # 250 was never sent
    assert weight(1, 2, 1) == 1.375 and abs(value - 1.375) > 1e-3
    page.mouse.move(point["x"], point["y"] + 1)
    expect(tip).to_contain_text("Peso: 1.375")
    link_width = page.evaluate("net.links.find((l) => l.layer === 1 && l.i === 2 && l.j === 1)"
                               ".el.getAttribute('stroke-width')")
    assert float(link_width) == pytest.approx(min(8, 0.4 + 1.375 * 2.5), abs=0.01)

    # the bias of neuron 4 of layer 1: its marker shows it, a click edits it
    marker = page.locator(".bias[data-layer='0'][data-j='3']")
    marker.hover()
    shot(page, "bias-tooltip.png")
    bias = page.evaluate("window.playground.arrays.b0.data[3]")
    assert tip.inner_text().splitlines() == [f"Sesgo: {bias:.3f}", "Neurona 4, capa 1"]
    marker.click()
    assert editor.locator("label").inner_text() == "Sesgo de Neurona 4, capa 1"
    editor.locator("input").fill("-2.5")
    editor.locator("input").press("Enter")
    page.wait_for_function("window.playground.arrays.b0.data[3] === -2.5")
    # the marker: orange for a negative bias, and filled the more the larger it is
    style = marker.evaluate("(el) => [el.style.backgroundImage, el.style.backgroundSize]")
    orange = "rgb(245, 148, 37)"                # the palette (app.js LUT) at tanh(-2.5) = -0.987
    assert style == [f"linear-gradient({orange}, {orange})", "99% 99%"], style
    # the next epoch trains from the edited values
    page.click("#step")
    page.wait_for_function("window.playground.header.epoch === 1")
    moved = weight(1, 2, 1)
    assert moved != 1.375 and abs(moved - 1.375) < 0.5
    assert abs(page.evaluate("window.playground.arrays.b0.data[3]") + 2.5) < 0.5
    assert page.problems == []
