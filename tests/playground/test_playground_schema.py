"""The HTTP side of the playground against its own OpenAPI schema (schemathesis, in-process
through ASGI), and requests that try to leave the static folder."""

from __future__ import annotations

import asyncio
import socket
import sys
from urllib.parse import urlsplit

import pytest

pytest.importorskip("fastapi", reason="the playground needs the web extra (fastapi)")
pytest.importorskip("httpx", reason="schemathesis and FastAPI's TestClient need httpx")
schemathesis = pytest.importorskip("schemathesis", reason="the schema test needs schemathesis")

from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from redes.playground.connection import MESSAGE_TYPES  # noqa: E402
from redes.playground.routes import static_files  # noqa: E402
from redes.playground.server import create_app  # noqa: E402

APP = create_app(fps=60)
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
SHIPPED = static_files()


# ------------------------------------------------------------------ schemathesis
@SCHEMA.parametrize()
@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_every_operation_conforms_to_the_schema(case):
    """All of schemathesis' default checks (no server error, documented status codes,
    content types and bodies, 405 for undocumented methods...) on every operation."""
    case.call_and_validate()


@pytest.mark.parametrize("name", [
    "app.js", "../server.py", "..%2fserver.py", "%2e%2e%2fserver.py", "..\\server.py", "..",
    "/etc/passwd", "%2Fetc%2Fpasswd", "app.js\x00", "app.js%00", "app.js/", "C:\\win.ini",
    "ñandú.js", "x" * 5000,
])
def test_hostile_names_conform_to_the_schema_too(name):
    response = SCHEMA["/static/{name}"]["GET"].Case(path_parameters={"name": name}) \
        .call_and_validate()
    if name == "app.js":
        assert response.content == SHIPPED["app.js"][0]
    elif response.status_code == 200:      # the client itself made "/static/.." into "/"
        assert urlsplit(response.request.url).path == "/"
        assert response.content == SHIPPED["index.html"][0]
    else:
        assert (response.status_code, response.content) == (404, b"not found")


def test_the_schema_describes_the_front_end_and_the_websocket_only():
    schema = APP.openapi()
    assert set(schema["paths"]) == {"/", "/static/{name}", "/words/{lang}.json"}
    assert {m for ops in schema["paths"].values() for m in ops} == {"get"}
    static = schema["paths"]["/static/{name}"]["get"]
    assert set(static["responses"]) == {"200", "404"}          # no 422: any name is valid
    assert set(static["responses"]["200"]["content"]) == {"text/html", "text/css",
                                                          "text/javascript"}
    assert set(static["responses"]["404"]["content"]) == {"text/plain"}
    assert [p["name"] for p in static["parameters"]] == ["name"]
    assert set(schema["paths"]["/"]["get"]["responses"]) == {"200"}
    description = schema["info"]["description"]                 # the websocket's protocol
    assert "/ws" in description and all(f'"{kind}"' in description for kind in MESSAGE_TYPES)
    with TestClient(APP) as client:
        assert client.get("/openapi.json").json() == schema
        for page in ("/docs", "/redoc"):                         # they load a CDN's scripts
            assert client.get(page).status_code == 404


# ------------------------------------------------------------------ leaving the folder
# Paths as the server sees them after percent-decoding (the ASGI ``path``): clients such as
# httpx or a browser drop "../" before sending, so these go to the app directly.
ESCAPES = [
    "/static/../server.py", "/static/../../../../etc/passwd", "/static/..", "/static/.",
    "/static/..\\server.py", "/static/..\\..\\server.py", "/static//etc/passwd",
    "/static/%2e%2e%2fserver.py", "/static/..%2fserver.py", "/static/%252e%252e%252fserver.py",
    "/static/C:\\Windows\\win.ini", "/static/app.js\x00", "/static/app.js\x00.png",
    "/static/\x00", "/static/app.js/", "/static/./app.js", "/static/static/app.js",
    "/static/__init__.py", "/static/server.py", "/static/APP.JS", "/static/app.js ",
    "/../server.py", "/etc/passwd", "/index.html", "/static", "/static/",
]


async def asgi_get(path: str) -> tuple[int, dict, bytes]:
    """One GET of ``path`` straight to the app, as uvicorn would pass it on."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path,
             "raw_path": path.encode("utf-8", "surrogateescape"), "root_path": "",
             "query_string": b"", "headers": [(b"host", b"testserver")],
             "client": ("127.0.0.1", 1), "server": ("testserver", 80)}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await APP(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def file_opens():
    """The files the interpreter opens while the test runs (an audit hook)."""
    opened, on = [], [True]

    def hook(event, args):
        if on[0] and event == "open":
            opened.append(args[0])

    sys.addaudithook(hook)                   # hooks stay for good: this one goes quiet
    yield opened
    on[0] = False


@pytest.mark.parametrize("path", ESCAPES)
def test_paths_that_leave_the_static_folder_get_a_plain_404(path, file_opens):
    status, headers, body = asyncio.run(asgi_get(path))
    assert (status, body) == (404, b"not found")
    assert headers["content-type"].startswith("text/plain")
    assert headers["x-content-type-options"] == "nosniff"
    assert file_opens == []                  # the front end is read once, at start-up


def test_the_shipped_files_are_served_as_they_are_without_opening_any_file(file_opens):
    for name, (content, media_type) in SHIPPED.items():
        status, headers, body = asyncio.run(asgi_get(f"/static/{name}"))
        assert (status, body, headers["content-type"]) == (200, content, media_type)
    assert asyncio.run(asgi_get("/"))[2] == SHIPPED["index.html"][0]
    assert file_opens == []


RAW_TARGETS = [
    "/static/../server.py", "/static/..%2fserver.py", "/static/%2e%2e%2fserver.py",
    "/static/%2E%2E%2F%2E%2E%2Fplayground%2Fserver.py", "/static/..%5cserver.py",
    "/static/%2fetc%2fpasswd", "/static/%2Fetc%2Fpasswd", "/static/app.js%00",
    "/static/app.js%00.html", "/static/%00", "/static/..%00/server.py",
    "/static/%c0%ae%c0%ae%c0%afserver.py", "/static/%ff", "/static/..;/server.py",
    "/static/app.js?../../server.py", "/../../etc/passwd", "//etc/passwd",
]


@pytest.mark.parametrize("target", RAW_TARGETS)
def test_raw_request_lines_to_a_real_server_cannot_leave_the_static_folder(live_server,
                                                                            target):
    """The exact bytes of the request line, through uvicorn's own percent-decoding."""
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .encode())
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    if target.startswith("/static/app.js?"):             # a query string is not the name
        assert head.startswith(b"HTTP/1.1 200") and body == SHIPPED["app.js"][0]
    else:
        assert head.startswith(b"HTTP/1.1 404") and body == b"not found"
