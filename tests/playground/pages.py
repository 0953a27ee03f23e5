"""Helpers of the browser tests: open a page of the playground, read it, take pictures.

Screenshots go to tests/playground/artifacts/ (ignored by git).
"""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).parent / "artifacts"


def open_page(browser, url, viewport=(1366, 768), **options):
    """A new page of ``url`` in its own context, with the first frame drawn; its
    ``problems`` collect the page's errors. Requests that leave 127.0.0.1 are refused."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  accept_downloads=True, bypass_csp=True, **options)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else route.abort())
    page.goto(url)
    page.wait_for_function("window.playground.frames > 0")
    return page


def state(page):
    return page.evaluate("window.playground.state")


def header(page):
    return page.evaluate("window.playground.header")


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
