"""The Host check against DNS rebinding, at the protocol level: raw HTTP requests and
websocket handshakes with a forged ``Host`` header, sent to a real server.

A web page whose own name is made to resolve to 127.0.0.1 reaches the playground with that
name in its ``Host`` header (and, for a websocket, an ``Origin`` that matches it): every
such request must be refused before the page or a session is given out.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest

uvicorn = pytest.importorskip("uvicorn", reason="the playground needs the web extra")
pytest.importorskip("fastapi", reason="the playground needs the web extra")

from typer.testing import CliRunner  # noqa: E402

from redes.cli import app as cli  # noqa: E402
from redes.playground import server  # noqa: E402

FORGED = ["evil.example:{port}", "evil.example", "127.0.0.1.evil.example:{port}",
          "localhost.evil.example:{port}", "localhost.:{port}", "localhost:{other}",
          "127.0.0.1:{other}", "[::2]:{port}", "0.0.0.0:{port}", "localhost:{port}@evil.example",
          "localhost:0", "localhost:99999", "[localhost]:{port}", "[::1:{port}"]


def http(port: int, host: str | None, target: str = "/", method: str = "GET",
         version: str = "1.1", headers: tuple = ()) -> tuple[int, str, bytes]:
    """One raw request to 127.0.0.1:``port`` whose Host header is ``host`` (None: no Host
    header); its status, its head in lower case and its body."""
    lines = [f"{method} {target} HTTP/{version}", *([f"Host: {host}"] if host is not None
                                                    else []), *headers, "Connection: close"]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), head.decode("latin-1").lower(), body


def handshake(port: int, host: str, origin: str | None = None) -> tuple[int, bytes]:
    """A websocket handshake on ``/ws`` naming ``host``: the answer's status, and what the
    server sends after its head within a second (a session's first message, if it opened)."""
    lines = ["GET /ws HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13",
             *([f"Origin: {origin}"] if origin else [])]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := s.recv(65536)):
            answer += chunk
        head, _, after = answer.partition(b"\r\n\r\n")
        s.settimeout(1)
        with contextlib.suppress(TimeoutError, ConnectionError):
            after += s.recv(65536)
    return int(head.split()[1]), after


@contextlib.contextmanager
def serving(app):
    """``app`` served by uvicorn on a free loopback port, in a thread; yields the port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                            log_level="error"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        running.should_exit = True
        thread.join(10)


def served_by_serve(monkeypatch, **kwargs):
    """The app ``server.serve(**kwargs)`` would run (uvicorn.run is caught), and what it
    printed is left in capsys."""
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app,
                                                                              **options))
    server.serve(open_browser=False, **kwargs)
    return started["app"]


def refused(status: int, head: str, body: bytes) -> bool:
    """A plain-text 400 that names the Host header, with the usual safe headers."""
    return (status == 400 and body.startswith(b"Host header: expected")
            and "content-type: text/plain" in head and "x-content-type-options: nosniff" in head
            and b"<html" not in body.lower())


# ------------------------------------------------------------------ HTTP
@pytest.mark.parametrize("forged", FORGED)
def test_requests_naming_another_host_are_refused(live_server, forged):
    host = forged.format(port=live_server.port, other=live_server.port + 1)
    assert refused(*http(live_server.port, host))


@pytest.mark.parametrize("method, target", [
    ("GET", "/static/app.js"), ("GET", "/openapi.json"), ("GET", "/nothing"), ("POST", "/"),
    ("HEAD", "/"), ("OPTIONS", "/"), ("GET", "/ws"), ("GET", "/static/../server.py"),
])
def test_every_request_is_checked_not_only_the_page(live_server, method, target):
    status, head, body = http(live_server.port, f"evil.example:{live_server.port}", target,
                              method)
    assert status == 400 and "x-content-type-options: nosniff" in head
    assert b"redes" not in body and b"openapi" not in body


def test_a_request_without_exactly_one_host_header_is_refused(live_server):
    port = live_server.port
    assert refused(*http(port, None, version="1.0"))
    # two of them: uvicorn's parser or the check refuses it
    status, _, body = http(port, f"127.0.0.1:{port}", headers=(f"Host: evil.example:{port}",))
    assert status == 400 and b"redes" not in body


def test_only_the_loopback_names_on_the_servers_port_are_accepted(live_server):
    port = live_server.port
    for host in [f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}",
                 f"[::1]:{port}", f"[0:0::1]:{port}", "127.0.0.1", "localhost"]:
        status, _, body = http(port, host)
        assert status == 200 and b"redes" in body, host
    assert refused(*http(port, f"localhost:{port + 1}"))


# ------------------------------------------------------------------ websocket
@pytest.mark.parametrize("origin", [True, False], ids=["rebound-origin", "no-origin"])
def test_a_websocket_naming_another_host_is_closed_before_any_message(live_server, origin):
    port = live_server.port
    host = f"evil.example:{port}"
    status, after = handshake(port, host, f"http://{host}" if origin else None)
    assert status in (400, 403) and b"hello" not in after
    # the same handshake naming the server opens a session at once
    status, after = handshake(port, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}")
    assert status == 101 and b"hello" in after


# ------------------------------------------------------------------ more names
def test_allow_host_adds_names_with_or_without_a_port(monkeypatch, capsys):
    app = served_by_serve(monkeypatch, allow_hosts=["aula.example", "proxy.example:9000"])
    assert "aula.example" in capsys.readouterr().out
    with serving(app) as port:
        for host in [f"aula.example:{port}", "AULA.example", "proxy.example:9000",
                     f"localhost:{port}"]:
            status, _, body = http(port, host)
            assert status == 200 and b"redes" in body, host
        for host in [f"proxy.example:{port}", f"evil.example:{port}", "aula.example:9000"]:
            assert refused(*http(port, host)), host
        host = f"aula.example:{port}"
        assert handshake(port, host, f"http://{host}")[0] == 101
        assert handshake(port, f"evil.example:{port}", f"http://evil.example:{port}")[0] != 101


def test_a_classroom_server_answers_to_this_computers_names(monkeypatch):
    with monkeypatch.context() as m:        # only while serve looks the names up
        m.setattr(socket, "gethostname", lambda: "aula-7")
        m.setattr(socket, "getfqdn", lambda *_: "aula-7.escuela.example")
        m.setattr(socket, "getaddrinfo", lambda name, *_: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 0))])
        app = served_by_serve(monkeypatch, host="0.0.0.0")
    with serving(app) as port:               # on loopback: the test touches no network
        for host in ["aula-7", "aula-7.escuela.example", "10.1.2.3", "0.0.0.0", "localhost"]:
            assert http(port, f"{host}:{port}")[0] == 200, host
        assert refused(*http(port, f"evil.example:{port}"))
    with serving(server.create_app()) as port:  # a server on 127.0.0.1 does not
        assert refused(*http(port, f"aula-7:{port}"))


def test_redes_playground_passes_allow_host_and_refuses_a_bad_one(monkeypatch):
    calls = []
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: calls.append(kwargs))
    runner = CliRunner()
    result = runner.invoke(cli, ["playground", "--no-open", "--allow-host", "aula.local",
                                 "--allow-host", "192.168.1.5:8765"])
    assert result.exit_code == 0, result.output
    assert calls == [{"allow_hosts": ["aula.local", "192.168.1.5:8765"]}]
    result = runner.invoke(cli, ["playground", "--no-open", "--allow-host", "aula local"])
    assert result.exit_code == 2 and calls[1:] == []
    assert "--allow-host" in result.output and "'aula local'" in result.output
