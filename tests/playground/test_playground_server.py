"""The web server through FastAPI's TestClient: files, websocket protocol, isolation."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("fastapi", reason="the playground needs the web extra (fastapi)")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

from fastapi.testclient import TestClient  # noqa: E402
from starlette.websockets import WebSocketDisconnect  # noqa: E402

from redes.playground.server import create_app  # noqa: E402
from redes.playground.session import decode_frame  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(fps=60)) as c:
        yield c


def receive(ws):
    """The next message: a dict for JSON, (header, arrays) for a frame."""
    message = ws.receive()
    if message.get("text") is not None:
        return json.loads(message["text"])
    return decode_frame(message["bytes"])


def until(ws, kind, limit=200):
    """Messages until one of ``kind`` ("frame" or a JSON type); returns it."""
    for _ in range(limit):
        m = receive(ws)
        if kind == "frame" and isinstance(m, tuple):
            return m
        if isinstance(m, dict) and m["type"] == kind:
            return m
    raise AssertionError(f"no {kind} message")


def opened(client):
    ws = client.websocket_connect("/ws")
    ws.__enter__()
    hello = receive(ws)
    assert hello["type"] == "hello"
    assert receive(ws)["type"] == "data"
    assert isinstance(receive(ws), tuple)
    return ws, hello


# ------------------------------------------------------------------ files
def test_index_and_static_files_are_served_with_safe_headers(client):
    r = client.get("/")
    assert r.status_code == 200 and "redes" in r.text
    assert r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    for name, kind in [("app.js", "text/javascript"), ("style.css", "text/css"),
                       ("i18n.js", "text/javascript")]:
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and r.headers["content-type"].startswith(kind)
    # every other answer carries the same headers: 404, 405 and the schema
    for r in (client.get("/nothing"), client.post("/"), client.get("/openapi.json")):
        assert r.status_code in (404, 405, 200), r.status_code
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", [
    "/static/../server.py", "/static/..%2fserver.py", "/static/%2e%2e%2fserver.py",
    "/static/..%5cserver.py", "/static/server.py", "/static/", "/static/nothing.js",
    "/static/%2fetc%2fpasswd", "/etc/passwd", "/../../etc/passwd", "/static/app.js%00",
    "/docs", "/redoc", "/static/app.js/", "/ws",
])
def test_nothing_but_the_front_end_is_served(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "import" not in r.text and "root:" not in r.text


# ------------------------------------------------------------------ protocol
def test_hello_gives_state_options_and_presets(client):
    ws, hello = opened(client)
    try:
        assert hello["state"]["layers"] == [4, 2]
        assert hello["options"]["max_layers"] == 6 and hello["options"]["max_units"] == 8
        assert "spiral" in hello["options"]["presets"]
        assert hello["options"]["datasets"]["regression"] == ["plane", "multigauss", "sine",
                                                              "custom"]
    finally:
        ws.__exit__(None, None, None)


def test_set_play_pause_step_reset(client):
    ws, _ = opened(client)
    try:
        ws.send_json({"type": "set", "changes": {"layers": [8] * 6, "dataset": "spiral"}})
        state = until(ws, "state")
        assert state["state"]["layers"] == [8] * 6 and state["changed"] == "data"
        data = until(ws, "data")
        assert len(data["train"]) == 250 and len(data["test"]) == 250
        header, arrays = until(ws, "frame")
        assert arrays["neurons"].shape == (2 + 48, 50, 50) and header["epoch"] == 0
        ws.send_json({"type": "step"})
        header, _ = until(ws, "frame")
        assert header["epoch"] == 1 and not header["playing"]
        ws.send_json({"type": "play"})
        epochs = [until(ws, "frame")[0]["epoch"] for _ in range(5)]
        assert epochs == sorted(epochs) and epochs[-1] > 1
        ws.send_json({"type": "set", "changes": {"learning_rate": 0.3}})   # while it runs
        assert until(ws, "state")["changed"] == "live"
        ws.send_json({"type": "pause"})
        header, _ = until(ws, "frame")
        while header["playing"]:
            header, _ = until(ws, "frame")
        ws.send_json({"type": "reset"})
        assert until(ws, "frame")[0]["epoch"] == 0
    finally:
        ws.__exit__(None, None, None)


def test_preset_upload_and_export(client):
    ws, _ = opened(client)
    try:
        ws.send_json({"type": "preset", "name": "xor"})
        assert until(ws, "state")["state"]["layers"] == [8]
        rows = "x1,x2,label\n" + "\n".join(f"{i % 9},{i % 4},{i % 3}" for i in range(60))
        ws.send_json({"type": "upload", "csv": rows})
        assert until(ws, "state")["state"]["dataset"] == "custom"
        assert until(ws, "data")["classes"] == 3
        ws.send_json({"type": "export"})
        exported = until(ws, "export")
        assert "keras.Sequential" in exported["keras"]
        assert exported["recipe"]["model"]["layers"][-1] == [
            "Dense", {"units": 3, "activation": "softmax"}]
        assert len(exported["recipe"]["dataset"]["kwargs"]["train"]) == 30
    finally:
        ws.__exit__(None, None, None)


@pytest.mark.parametrize("message", [
    "not json", "[1, 2]", '{"type": 3}', '{"no": "type"}', '{"type": "launch"}',
    '{"type": "set"}', '{"type": "set", "changes": [1]}',
    '{"type": "set", "changes": {"layers": [9, 9]}}',
    '{"type": "set", "changes": {"learning_rate": NaN}}',
    '{"type": "set", "changes": {"learning_rate": Infinity}}',
    '{"type": "set", "changes": {"points": 1e400}}',
    '{"type": "set", "changes": {"seed": 1' + "0" * 5000 + '}}',
    '{"type": "preset", "name": "nope"}', '{"type": "upload", "csv": 5}',
    '{"type": "upload", "csv": "1,2,3"}', "[" * 100_000 + "]" * 100_000,
    '{"type": "set", "changes": {"dataset": "custom"}}',
])
def test_bad_messages_get_an_error_and_the_session_goes_on(client, message):
    ws, hello = opened(client)
    try:
        ws.send_text(message)
        error = until(ws, "error")
        assert error["message"]
        ws.send_json({"type": "ping"})
        assert until(ws, "pong") == {"type": "pong"}
        ws.send_json({"type": "step"})
        assert until(ws, "frame")[0]["epoch"] == 1
    finally:
        ws.__exit__(None, None, None)


def test_binary_messages_are_refused(client):
    ws, _ = opened(client)
    try:
        ws.send_bytes(b"\x00\xff" * 100)
        assert "JSON text" in until(ws, "error")["message"]
    finally:
        ws.__exit__(None, None, None)


def test_sessions_never_see_each_other(client):
    a, _ = opened(client)
    b, _ = opened(client)
    try:
        a.send_json({"type": "set", "changes": {"layers": [1], "dataset": "xor", "seed": 9}})
        assert until(a, "state")["state"]["layers"] == [1]
        b.send_json({"type": "ping"})
        m = receive(b)
        assert m == {"type": "pong"}                     # b got nothing from a
        b.send_json({"type": "step"})
        header, arrays = until(b, "frame")
        assert arrays["neurons"].shape[0] == 2 + 4 + 2   # b still has the default network
    finally:
        a.__exit__(None, None, None)
        b.__exit__(None, None, None)


def test_pages_of_other_sites_cannot_open_a_session(client):
    with pytest.raises(WebSocketDisconnect):
        with client.websocket_connect("/ws", headers={"origin": "http://evil.example"}) as ws:
            ws.receive()
