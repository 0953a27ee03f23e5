"""The playground in a real browser (headless Chromium driven by Playwright).

Skipped when Playwright or /usr/bin/chromium is missing (CI installs both). Screenshots go
to tests/playground/artifacts/ (ignored by git).
"""

from __future__ import annotations

import pytest
from pages import header, shot, state

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the browser tests need playwright (pip install playwright)")


def test_spiral_with_its_preset_learns_pauses_steps_and_exports(page):
    page.click("button.dataset[data-name=spiral]")
    page.wait_for_function("window.playground?.state?.dataset === 'spiral'")
    page.click("#add-layer")
    page.wait_for_function("window.playground?.state?.layers.length === 3")
    page.click("#add-layer")
    page.wait_for_function("window.playground?.state?.layers.length === 4")
    assert page.locator(".col-head.layer").count() == 4
    assert page.locator(".node.hidden").count() == 4 + 2 + 2 + 2

    page.select_option("#preset", "spiral")
    page.wait_for_function("window.playground?.state?.layers.join() === '8,8,6'")
    page.wait_for_function("window.playground.header.epoch === 0")
    page.click("#play")
    page.wait_for_function(
        "window.playground.header.test_loss !== null && window.playground.header.test_loss < 0.1",
        timeout=60_000)
    reached = header(page)["epoch"]
    assert reached <= 300, f"the spiral preset needed {reached} epochs"
    page.click("#play")                                            # pause
    page.wait_for_function("window.playground.header.playing === false")
    paused = header(page)["epoch"]
    page.wait_for_timeout(300)
    assert header(page)["epoch"] == paused
    page.click("#step")
    page.wait_for_function(f"window.playground.header.epoch === {paused + 1}")
    assert page.locator("#epoch").inner_text() == str(paused + 1).zfill(6)
    assert float(page.locator("#test_loss").inner_text()) < 0.2
    assert len(page.evaluate("window.playground.curve")) > 3
    shot(page, "spiral.png")

    page.click("#export")
    page.wait_for_selector("#export-dialog[open]")
    code = page.locator("#keras-code").input_value()
    assert "keras.Sequential" in code and "layers.Dense(8, activation='tanh')" in code
    assert '"Dense"' in page.locator("#recipe-code").input_value()
    with page.expect_download() as download:
        page.click("#download-keras")
    assert download.value.suggested_filename == "red_playground.py"
    shot(page, "export.png")
    assert page.problems == []


def test_controls_change_the_state_and_the_url_shares_it(page, live_server, browser):
    page.click(".node.input >> nth=2")                             # x1 squared
    page.wait_for_function("window.playground?.state?.features.includes('x1sq')")
    page.select_option("#learning_rate", "0.3")
    page.wait_for_function("window.playground?.state?.learning_rate === 0.3")
    page.select_option("#problem", "regression")
    page.wait_for_function("window.playground?.state?.dataset === 'plane'")
    page.click("button.dataset[data-name=multigauss]")
    page.wait_for_function("window.playground?.state?.dataset === 'multigauss'")
    page.click(".col-head.layer >> nth=0 >> button >> nth=0")      # one more neuron
    page.wait_for_function("window.playground?.state?.layers[0] === 5")
    page.click("#regenerate")
    page.wait_for_function("window.playground?.state?.seed !== 1")
    page.check("#show_test")
    page.wait_for_function("window.playground?.state?.show_test === true")
    hash_ = page.evaluate("location.hash")
    assert "dataset=multigauss" in hash_ and "layers=5%2C2" in hash_

    other = browser.new_page(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    other.goto(live_server.url + hash_)
    other.wait_for_function("window.playground?.state?.dataset === 'multigauss'")
    shared = other.evaluate("window.playground.state")
    assert shared == state(page)
    other.close()
    shot(page, "regression.png")
    assert page.problems == []


def test_english_multiclass_and_csv_upload(page, tmp_path):
    # the words come from the catalogs (GET /words/<lang>.json): Spanish first, then English
    expect = sync_api.expect
    expect(page.locator("#reset")).to_have_attribute("title", "Reiniciar los pesos")
    expect(page.locator("#layer-count")).to_have_text("2 capas ocultas")
    expect(page.locator(".col-head.layer >> nth=0")).to_contain_text("4 neuronas")
    page.select_option("#lang", "en")
    expect(page.locator("#play")).to_have_attribute("title", "Run / pause")
    expect(page.locator("#reset")).to_have_attribute("title", "Reset the weights")
    expect(page.locator("#layer-count")).to_have_text("2 hidden layers")
    expect(page.locator(".col-head.layer >> nth=0")).to_contain_text("4 neurons")
    assert "Test loss" in page.locator(".losses").inner_text()
    assert "lang=en" in page.evaluate("location.hash")
    assert page.evaluate("localStorage.getItem('redes-lang')") == "en"
    page.select_option("#preset", "spiral3")
    page.wait_for_function("window.playground?.state?.dataset === 'spiral3'")
    page.wait_for_function("window.playground.arrays && window.playground.arrays.surface_class")
    assert page.locator(".node.output").count() == 3
    page.click("#play")
    page.wait_for_function("window.playground.header.epoch >= 10", timeout=30_000)
    page.click("#play")
    shot(page, "spiral3-en.png")

    csv = tmp_path / "points.csv"
    csv.write_text("x1,x2,label\n" + "\n".join(
        f"{(i % 10) - 5},{(i // 10) - 5},{int((i % 10) > 4)}" for i in range(100)))
    page.set_input_files("#upload", str(csv))
    page.wait_for_function("window.playground?.state?.dataset === 'custom'")
    assert page.locator("#dataset-name").inner_text() == "My data (CSV)"
    assert page.locator("button.dataset.selected").get_attribute("title") == "My data (CSV)"
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,nan\n" * 20)
    page.set_input_files("#upload", str(bad))
    page.wait_for_selector("#toast:not([hidden])")
    assert "line 1: expected finite numbers" in page.locator("#toast").inner_text()
    assert page.evaluate("window.playground.state.dataset") == "custom"
    assert page.problems == []


def test_page_runs_under_its_content_security_policy(browser, live_server):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.goto(live_server.url)
    sync_api.expect(page.locator("#test_loss")).not_to_have_text("–")
    page.click("#step")
    sync_api.expect(page.locator("#epoch")).to_have_text("000001")
    assert page.locator(".node.hidden").count() == 6
    page.close()
    assert problems == []


def test_words_in_the_language_of_the_url(browser, live_server):
    """``#lang=pseudo`` brackets every word the page shows; a language without a catalog
    says so and leaves the page in Spanish."""
    page = browser.new_page(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page.goto(live_server.url + "#lang=pseudo")
    page.wait_for_function("window.playground.frames > 0")
    texts = page.evaluate("""[...document.querySelectorAll('[data-i18n]')].map(e => e.textContent)
        .concat([...document.querySelectorAll('[data-i18n-title]')].map(e => e.title))
        .concat([...document.querySelectorAll('#optimizer option, #problem option')]
                .map(e => e.textContent))""")
    assert len(texts) > 40
    assert [text for text in texts if not (text.startswith("⟦") and text.endswith("⟧"))] == []
    assert page.locator("#layer-count").inner_text() == "⟦2 hidden layers⟧"
    assert page.locator("#dataset-name").inner_text() == "⟦Circle⟧"
    assert page.locator("#lang").input_value() == "pseudo"
    page.close()

    page = browser.new_page(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page.goto(live_server.url + "#lang=xx")
    page.wait_for_function("window.playground.frames > 0")
    assert page.evaluate("window.playground.lang") == "es"
    assert page.locator("#reset").get_attribute("title") == "Reiniciar los pesos"
    assert "Could not load the texts (xx: HTTP 404" in page.locator("#toast").inner_text()
    page.close()
