"""The playground's layout from a phone to a wide screen, in a real browser (headless
Chromium driven by Playwright), with the heaviest network: 6 hidden layers of 8 neurons, all
9 inputs, and 3 output classes.

At each size: the page is never wider than the screen (the drawing scrolls in its own box),
no two nodes, labels, headers or bias markers overlap, every control can be scrolled to and
is the element at its own centre (nothing covers it), and "show test data" toggles. Leaving
a node always brings the output back to the surface (the stale surface). Screenshots go to
tests/playground/artifacts/layout-*.png.
"""

from __future__ import annotations

import pytest
from pages import ARTIFACTS, open_page, shot, state

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the browser tests need playwright (pip install playwright)")

HEAVY = ("#dataset=spiral3&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2,cosx1,cosx2"
         "&layers=8,8,8,8,8,8&activations=" + ",".join(["tanh"] * 6))

# Boxes of what must not overlap, and the controls not reachable at their centre.
CHECK = """() => {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const meet = (a, b) => a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 &&
                         a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5;
  const items = [...document.querySelectorAll(
      "#nodes .node, #nodes .feature-label, #nodes .col-head, #nodes .bias")]
    .map((el) => [el.className + " " + (el.textContent || el.title || "").slice(0, 12), box(el)]);
  const overlaps = [];
  for (let a = 0; a < items.length; a++)
    for (let b = a + 1; b < items.length; b++)
      if (meet(items[a][1], items[b][1])) overlaps.push(items[a][0] + " / " + items[b][0]);
  const controls = [...document.querySelectorAll(
      "#top button, #top select, #top input, #data button, #data select, #data input, " +
      "#network button, #network select, #output button, #output select, #output input, " +
      "#datasets button")]
    .filter((el) => el.type !== "file" && el.getClientRects().length && !el.closest("[hidden]"));
  const covered = [];
  for (const el of controls) {
    el.scrollIntoView({ block: "center", inline: "center" });
    const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    const label = el.closest("label");
    const ok = x >= 0 && y >= 0 && x <= innerWidth && y <= innerHeight && hit &&
               (hit === el || el.contains(hit) || (label && label.contains(hit)));
    if (!ok) covered.push((el.id || el.className || el.tagName) + " under " +
                          (hit ? hit.id || hit.className || hit.tagName : "nothing"));
  }
  window.scrollTo(0, 0);
  return { width: document.documentElement.scrollWidth, inner: innerWidth,
           nodes: document.querySelectorAll("#nodes .node").length,
           controls: controls.length, overlaps, covered };
}"""


def heavy_page(browser, live_server, size, **options):
    page = open_page(browser, live_server.url + HEAVY, viewport=size, **options)
    page.wait_for_function("window.playground?.state?.layers.length === 6 && "
                           "window.playground.arrays?.w6?.shape.join() === '8,3' && "
                           "document.querySelectorAll('#nodes .node.hidden').length === 48")
    return page


def check_layout(page, name):
    report = page.evaluate(CHECK)
    shot(page, f"layout-{name}.png")
    page.screenshot(path=str(ARTIFACTS / f"layout-{name}-full.png"), full_page=True)
    assert report["width"] <= report["inner"], report
    assert report["nodes"] == 9 + 48 + 3
    assert report["overlaps"] == [], report["overlaps"][:10]
    assert report["covered"] == [], report["covered"]
    assert report["controls"] > 40
    return report


def toggles_test_data(page, tap):
    before = state(page)["show_test"]
    page.locator("#show_test").scroll_into_view_if_needed()
    (page.tap if tap else page.click)("#show_test")
    page.wait_for_function(f"window.playground.state.show_test === {str(not before).lower()}")


def test_phone_390_by_844_touch(browser, live_server):
    page = heavy_page(browser, live_server, (390, 844), has_touch=True, is_mobile=True,
                      device_scale_factor=2)
    try:
        check_layout(page, "390x844")
        toggles_test_data(page, tap=True)
        # a tap on a neuron shows its map large; a second tap, or a tap elsewhere, the output
        node = page.locator(".node.hidden >> nth=9")
        node.scroll_into_view_if_needed()
        node.tap()
        page.wait_for_function("window.playground.hover === 9 + 9")   # after the 9 inputs
        node.tap()
        page.wait_for_function("window.playground.hover === null")
        node.tap()
        page.wait_for_function("window.playground.hover === 18")
        page.tap("#output h2")
        page.wait_for_function("window.playground.hover === null")
        # a tap on a bias marker opens its editor, inside the screen
        marker = page.locator(".bias[data-layer='1'][data-j='0']")
        marker.scroll_into_view_if_needed()
        marker.tap()
        editor = page.locator("#net-editor")
        sync_api.expect(editor.locator("label")).to_have_text("Sesgo de Neurona 1, capa 2")
        box = editor.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        shot(page, "layout-390x844-editor.png")
        page.tap("#net-editor .cancel")
        sync_api.expect(editor).to_be_hidden()
        assert page.problems == []
    finally:
        page.context.close()


def test_tablet_768_by_1024(browser, live_server):
    page = heavy_page(browser, live_server, (768, 1024))
    try:
        check_layout(page, "768x1024")
        toggles_test_data(page, tap=False)
        assert page.problems == []
    finally:
        page.context.close()


def test_wide_1440_by_900_and_the_surface_never_stays_stale(browser, live_server):
    page = heavy_page(browser, live_server, (1440, 900))
    try:
        report = check_layout(page, "1440x900")
        # wide enough for the whole drawing: no sideways scrolling in its box either
        assert page.evaluate("$('net').scrollWidth <= $('net').clientWidth"), report
        toggles_test_data(page, tap=False)
        node = page.locator(".node.hidden >> nth=3").bounding_box()
        far = page.locator("#output h2").bounding_box()
        page.mouse.move(node["x"] + 10, node["y"] + 10)
        page.wait_for_function("window.playground.hover === 12")
        page.mouse.move(far["x"], far["y"], steps=1)                  # a fast move away
        page.wait_for_function("window.playground.hover === null")
        page.mouse.move(node["x"] + 10, node["y"] + 10)
        page.wait_for_function("window.playground.hover === 12")
        page.evaluate("set({layers: [8, 8, 8, 8, 8]})")              # rebuilt under the pointer
        page.wait_for_function("window.playground.state.layers.length === 5")
        assert page.evaluate("window.playground.hover") is None
        assert page.problems == []
    finally:
        page.context.close()
