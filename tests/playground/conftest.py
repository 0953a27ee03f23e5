"""Shared fixtures: a real playground server (uvicorn) on a free loopback port, and a
headless Chromium (Playwright) with a page of it open.

The browser fixtures skip when Playwright or /usr/bin/chromium is missing (CI installs
both). Screenshots go to tests/playground/artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import types

import pytest
from pages import open_page

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving the playground app in a background thread."""

    def __init__(self, fps: float = 60.0, workers: int = 0):
        uvicorn = pytest.importorskip("uvicorn", reason="the playground needs the web extra")
        pytest.importorskip("fastapi", reason="the playground needs the web extra")
        from redes.playground.server import MAX_MESSAGE_BYTES, create_app

        self.port = free_port()
        self.app = create_app(fps=fps, workers=workers)   # 0: sessions in this process
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="error",
                                ws_max_size=MAX_MESSAGE_BYTES + 1024)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the playground server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def live_server():
    with LiveServer() as server:
        yield server


class ServerProcess:
    """The playground served by ``redes.playground.server.serve`` in its own process, as a
    user runs it (the test's client then does not share the server's interpreter)."""

    def __init__(self, fps: float = 60.0, port: int | None = None, workers: int | None = None):
        pytest.importorskip("uvicorn", reason="the playground needs the web extra")
        self.port = port or free_port()     # a given port: stopped and started again on it
        self.fps = fps
        self.workers = workers              # None: serve's default, one process per core

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def __enter__(self):
        code = ("from redes.playground.server import serve; "
                f"serve(port={self.port}, open_browser=False, fps={self.fps}, "
                f"workers={self.workers})")
        self.process = subprocess.Popen([sys.executable, "-c", code],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.process.kill()
                    raise RuntimeError("the playground server did not start") from None
                time.sleep(0.1)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def servers():
    """The two kinds of server, to start with options of one's own: ``servers.live(workers=1)``
    (``LiveServer``) and ``servers.process(workers=2)`` (``ServerProcess``), each used as a
    context manager (a test module cannot import this conftest by name: tests/ has others)."""
    return types.SimpleNamespace(live=LiveServer, process=ServerProcess, free_port=free_port)


@pytest.fixture
def server_process():
    """The playground in its own process (see ``ServerProcess``)."""
    with ServerProcess() as server:
        yield server


# ------------------------------------------------------------------------------ browser
@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the browser tests need playwright (pip install playwright)")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets Playwright evaluate its waits; test_page_runs_under_its_csp checks
    # the page itself without it.
    page = open_page(browser, live_server.url)
    yield page
    page.context.close()
