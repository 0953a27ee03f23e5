"""The playground's web server: FastAPI + uvicorn, one websocket per browser tab.

``GET /`` and ``GET /static/<name>`` serve the front end, only the files shipped in
``redes/playground/static`` (looked up by exact name, so no path can leave that folder);
``GET /words/<lang>.json`` gives the page its texts in a language, from redes' catalogs
(see ``words``); any other path is a plain-text 404. ``GET /openapi.json`` describes these
routes and (``PROTOCOL``) the training stream of the websocket ``/ws``. Each session has its
own ``Session``: tabs never see each other. Training runs in a worker thread.

Every HTTP request and websocket handshake must name the server in its ``Host`` header (see
``HostCheck``): a web page whose own name is made to point at this computer (DNS rebinding)
reaches the server with that name, and is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import json
import logging
import re
import socket
import time
from collections.abc import Iterable
from importlib import resources

from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse, Response

from redes import __version__

from ..data import playground_sets as datasets
from ..i18n import PSEUDO, _, available_languages, language
from . import export, presets, state
from .session import Session
from .words import PLURALS, WORDS, words

log = logging.getLogger("redes.playground")

MAX_MESSAGE_BYTES = 512 * 1024      # a CSV upload of MAX_CSV_BYTES fits, JSON-escaped
MAX_SESSIONS = 64
QUEUE_SIZE = 64                     # messages waiting for the session; more are refused
MESSAGE_TYPES = ("set", "play", "pause", "step", "reset", "preset", "upload", "export",
                 "lang", "ping")
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
         ".png": "image/png", ".ico": "image/x-icon"}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
                               "connect-src 'self'; frame-ancestors 'none'",
}
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")   # this computer only
_CLOSED = object()
TEXT = {"schema": {"type": "string"}}          # a body the schema describes as text
NOT_FOUND = {"description": "no front-end file of that name", "content": {"text/plain": TEXT}}
WORDS_FOUND = {"description": "every text of the page in that language: key -> text, and for "
                              "a text with a count, key -> its forms for 1 (`one`) and for "
                              "other counts (`other`), with `{n}` in them for the count",
               "content": {"application/json": {"schema": {
                   "type": "object", "required": sorted([*WORDS, *PLURALS]),
                   "additionalProperties": {"anyOf": [
                       {"type": "string"},
                       {"type": "object", "required": ["one", "other"],
                        "additionalProperties": False,
                        "properties": {"one": {"type": "string"},
                                       "other": {"type": "string"}}}]}}}}}
NO_LANGUAGE = {"description": "no catalog for that language (JSON: the reason and the "
                              "languages there are), or a path that names none (plain text)",
               "content": {"application/json": {"schema": {
                   "type": "object", "required": ["error", "languages"],
                   "properties": {"error": {"type": "string"},
                                  "languages": {"type": "array", "items": {"type": "string"}}}}},
                   "text/plain": TEXT}}

PROTOCOL = f"""\
A neural network learning in the browser. `GET /` is the page, `GET /static/{{name}}` its
files, `GET /words/{{lang}}.json` its texts in a language (`en`, `es`, any language redes has
a catalog for, or `pseudo`, which brackets every text). Training runs over the websocket
**`/ws`**, which OpenAPI cannot describe:

**Browser to server**: JSON text messages, each an object with a `type`:

* `{{"type": "set", "changes": {{...}}}}`: change settings (the keys of `state` in `hello`);
* `{{"type": "play"}}`, `"pause"`, `"step"` (one epoch), `"reset"` (new weights);
* `{{"type": "preset", "name": "spiral"}}`: load settings known to solve a dataset;
* `{{"type": "upload", "csv": "x1,x2,label\\n..."}}`: use one's own points;
* `{{"type": "export"}}`: get the network as a Keras script and a `redes train` recipe;
* `{{"type": "lang", "lang": "es"}}`: the language of this page's messages (errors), which
  is the server's until the page says;
* `{{"type": "ping"}}`: answered by `{{"type": "pong"}}`.

**Server to browser**: `hello` (state and options) on connecting, `state` (after a change,
with what `changed`: `data`, `model` or `live`), `data` (the points), `export`, `pong`,
and binary frames: `RPG1`, a little-endian uint32 header length, a JSON header (epoch,
losses, array sections), then the arrays (decision surface, neuron maps, weights).

A message that breaks a rule gets `{{"type": "error", "request": ..., "message": ...}}`,
whose message names the field, what was given and what was expected; it changes nothing
and the session goes on. A message may hold up to {MAX_MESSAGE_BYTES // 1024} KB (a much
larger one closes the websocket), the server up to {MAX_SESSIONS} sessions, and a page from
another web site may not open one (its `Origin` must be the server itself). While playing,
a session sends up to `fps` frames per second.

Every request and websocket handshake must name the server in its `Host` header (one of
its names or addresses, on its port): any other gets a plain-text 400, and a websocket is
closed before it opens.
"""


def static_files() -> dict[str, tuple[bytes, str]]:
    """The front end: file name -> (content, media type), read once from the package."""
    files = {}
    for entry in resources.files("redes.playground").joinpath("static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in TYPES:
            files[entry.name] = (entry.read_bytes(), TYPES[suffix])
    return files


@functools.cache
def options() -> dict:
    """What the browser may choose from (the same lists the server checks against)."""
    return {
        "features": list(state.FEATURES), "activations": list(state.ACTIVATIONS),
        "optimizers": list(state.OPTIMIZERS), "regularizations": list(state.REGULARIZATIONS),
        "problems": list(state.PROBLEMS),
        "datasets": {p: state.datasets_for(p) for p in state.PROBLEMS},
        "classes": {name: k for name, (_, k, _) in datasets.DATASETS.items()},
        "max_layers": state.MAX_LAYERS, "max_units": state.MAX_UNITS,
        "max_points": datasets.MAX_POINTS, "max_csv_bytes": datasets.MAX_CSV_BYTES,
        "presets": {name: {"state": presets.preset_state(name), "goal": p["goal"],
                           "epochs": p["epochs"]} for name, p in presets.PRESETS.items()},
        "default": state.DEFAULT,
        "thumbnails": thumbnails(),
        "languages": list(available_languages()),     # the page's words: /words/<lang>.json
    }


def thumbnails(n: int = 160) -> dict:
    """A few noise-free points of each dataset, for the dataset buttons' pictures."""
    out = {}
    for name in datasets.DATASETS:
        x, y = datasets.make(name, n, 0.0, seed=0)
        out[name] = [[round(float(a), 2), round(float(b), 2), round(float(c), 2)]
                     for (a, b), c in zip(x, y)]
    return out


# ------------------------------------------------------------------ the Host check
_HOST = re.compile(r"(?:\[(?P<ipv6>[^\]]+)\]|(?P<name>[A-Za-z0-9._-]+))"   # [IPv6] or name
                   r"(?::(?P<port>[0-9]{1,5}))?")


def parse_host(value: str) -> tuple[str, int | None]:
    """A host as a ``Host`` header gives it, ``name[:port]``, split and made comparable.

    Names are compared in lower case, IP addresses in their canonical form: ``LocalHost``,
    ``[0:0::1]`` and ``[::ffff:127.0.0.1]`` are ``localhost``, ``::1`` and ``127.0.0.1``.

    Args:
        value: ``localhost:8765``, ``[::1]:8765``, ``aula.local``, ``192.168.1.5``, or an
            IPv6 address without brackets (``::1``, as ``--host`` takes it).

    Returns:
        ``(name, port)``; the port is ``None`` when ``value`` has none.

    Raises:
        ValueError: ``value`` is not a name or an address with an optional port.
    """
    match = _HOST.fullmatch(value)
    if match is None and value.count(":") > 1:             # an IPv6 address, no brackets
        match = _HOST.fullmatch(f"[{value}]")
    try:
        if match is None or (match["port"] and not 0 < int(match["port"]) < 65536):
            raise ValueError(value)
        name = _canonical(match["ipv6"] or match["name"], bracketed=bool(match["ipv6"]))
    except ValueError:
        raise ValueError(_("expected a host name or address with an optional :port (e.g. "
                           "aula.local or 192.168.1.5:8765), got {value!r}")
                         .format(value=value[:100])) from None
    return name, int(match["port"]) if match["port"] else None


def _canonical(name: str, bracketed: bool) -> str:
    """``name`` in lower case, or an IP address in its canonical form (IPv4 for an
    IPv4-mapped IPv6 address); ValueError if in brackets and not an address."""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        if bracketed:
            raise
        return name.lower()
    return str(getattr(address, "ipv4_mapped", None) or address)


def machine_names() -> list[str]:
    """This computer's names and addresses, as other computers on its network reach it.

    Its host name and fully qualified name (``socket.gethostname``, ``socket.getfqdn``), the
    addresses they resolve to, and the address of each interface that leads outside (a UDP
    socket is routed towards a documentation address; no packet is sent). A name or an
    address that cannot be found is left out.
    """
    names = [socket.gethostname(), socket.getfqdn()]
    addresses = []
    for name in names:
        with contextlib.suppress(OSError, UnicodeError):
            addresses += [str(info[4][0]) for info in socket.getaddrinfo(name, None)]
    for family, outside in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((outside, 9))
            addresses.append(probe.getsockname()[0])
    return [name for name in dict.fromkeys(names + addresses) if _is_host(name)]


def _is_host(value: str) -> bool:
    try:
        parse_host(value)
    except ValueError:
        return False
    return True


def check_listen_host(host: str) -> None:
    """Refuse an address the server could not listen on, before it starts.

    Args:
        host: the address ``serve`` listens on (``--host``): a name or an IP address, an
            IPv6 address without brackets (``::1``), and no port.

    Raises:
        ValueError: ``host`` is not a name or an address, holds a port or brackets, or names
            no address of this computer's network (it does not resolve).
    """
    try:
        malformed = parse_host(host)[1] is not None or host.startswith("[")
    except ValueError:
        malformed = True
    if malformed:
        raise ValueError(_("expected an address to listen on, such as 127.0.0.1, ::1 or "
                           "0.0.0.0, or a name of this computer, without a port (that is "
                           "--port), got {value!r}").format(value=host[:100]))
    try:
        socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise ValueError(_("cannot listen on {value!r}: no address found for it "
                           "({reason})").format(value=host[:100], reason=reason)) from None


def allowed_hosts(host: str = "127.0.0.1", extra: Iterable[str] = ()) -> list[str]:
    """The names a playground listening on ``host`` answers to, in its ``Host`` headers.

    Args:
        host: the address it listens on. Default ``127.0.0.1``: this computer only, reached
            as ``localhost``, ``127.0.0.1`` or ``[::1]``. Any other address (``0.0.0.0`` for a
            classroom) adds itself and this computer's names and addresses
            (``machine_names``).
        extra: more names, each ``name`` or ``name:port`` (``redes playground --allow-host``).

    Returns:
        The names without duplicates, the loopback ones first.

    Raises:
        ValueError: a name of ``extra`` is not a name or an address (see ``parse_host``).
    """
    extra = list(extra)
    for name in extra:
        parse_host(name)                         # a bad name fails before any lookup
    names = [*LOOPBACK_HOSTS, *extra]
    if host not in LOOPBACK_HOSTS:
        names += [host, *machine_names()] if _is_host(host) else machine_names()
    return list(dict.fromkeys(names))


class HostCheck:
    """ASGI middleware: only requests whose ``Host`` header names this server get through.

    A web page whose own name is made to resolve to this computer (DNS rebinding) reaches
    the server with that name in its ``Host`` header, so every HTTP request and websocket
    handshake naming another host is refused: HTTP with a plain-text 400, a websocket
    closed before it is accepted (the browser sees a 403 and no message).

    Args:
        app: the ASGI app behind the check.
        hosts: the names and addresses it answers to, as ``parse_host`` gives them:
            ``(name, port)``. A name without a port is accepted on the port the request
            came in on, or with no port at all. The address the request came in on is
            always accepted: it is an IP address, which no rebound name can be.
    """

    def __init__(self, app, hosts: frozenset[tuple[str, int | None]]):
        self.app = app
        self.hosts = hosts

    def allows(self, scope) -> bool:
        """Whether the request of ``scope`` has one ``Host`` header naming this server."""
        values = [value for key, value in scope["headers"] if key == b"host"]
        if len(values) != 1:
            return False
        here, here_port = scope.get("server") or (None, None)   # where it came in
        try:
            name, port = parse_host(values[0].decode("latin-1"))
            if (name, port) in self.hosts:
                return True
            return port in (None, here_port) and (
                (name, None) in self.hosts or here is not None and name == parse_host(here)[0])
        except ValueError:
            return False

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or self.allows(scope):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":          # closed before accepted: a 403
            await send({"type": "websocket.close", "code": 1008})
        else:
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            message = _("Host header: expected a name of the computer running this playground "
                        "(with its port), got {host}; to reach it by that name, start it with "
                        "--allow-host NAME").format(host=repr(host[:100]) if host else _("nothing"))
            response = Response(message + "\n", status_code=400, media_type="text/plain")
            await response(scope, receive, send)


class NotFiniteError(ValueError):
    """NaN or Infinity in a message: JSON has no such numbers, and no setting takes them."""


def _no_constant(name):
    raise NotFiniteError(_("expected finite numbers, got {value}").format(value=name))


def parse_message(raw) -> dict:
    """A browser message as a dict with a string ``type``; ValueError otherwise."""
    if not isinstance(raw, str):
        raise ValueError(_("expected a JSON text message, got {kind} data").format(
            kind=type(raw).__name__))
    if len(raw) > MAX_MESSAGE_BYTES:
        raise ValueError(_("expected a message of at most {limit} characters, got "
                           "{count}").format(limit=MAX_MESSAGE_BYTES, count=len(raw)))
    try:
        msg = json.loads(raw, parse_constant=_no_constant)
    except NotFiniteError:
        raise
    except json.JSONDecodeError as exc:
        raise ValueError(_("expected a JSON object, got text that is not JSON ({problem} at "
                           "character {position})").format(problem=exc.msg, position=exc.pos)
                         ) from None
    except (ValueError, RecursionError):     # a number of thousands of digits, deep nesting
        raise ValueError(_("expected a JSON object, got JSON with a number too long or "
                           "nested too deeply")) from None
    if not isinstance(msg, dict):
        raise ValueError(_("expected a JSON object, got {kind}").format(kind=_json_kind(msg)))
    if not isinstance(msg.get("type"), str):
        raise _unknown_type(msg.get("type"))
    return msg


def _unknown_type(kind) -> ValueError:
    return ValueError(_("type: expected one of {options}, got {value}").format(
        options=", ".join(MESSAGE_TYPES), value=_json_kind(kind)))


def _json_kind(value) -> str:
    """What a JSON value is, for error messages: ``a list``, ``nothing``, ``7``..."""
    if value is None:
        return _("nothing")
    if isinstance(value, (list, dict)):
        return _("a list") if isinstance(value, list) else _("an object")
    return f"{value!r:.40}"


class Connection:
    """One websocket: reads messages into a queue and runs its session's loop."""

    def __init__(self, ws: WebSocket, fps: float):
        self.ws = ws
        self.session = Session()
        self.interval = 1 / fps
        self.queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self.frames = 0
        self.dropped = 0
        self.lang = None        # the page's language ("lang" message); None: the server's

    async def send(self, message: dict):
        await self.ws.send_text(json.dumps(message, allow_nan=False))

    async def read(self):
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                raw = message.get("text")
                if raw is None:
                    raw = message.get("bytes")
                try:
                    self.queue.put_nowait(raw)
                except asyncio.QueueFull:
                    self.dropped += 1            # reported by the session's loop
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            try:
                self.queue.put_nowait(_CLOSED)
            except asyncio.QueueFull:
                self.queue.get_nowait()
                self.queue.put_nowait(_CLOSED)

    async def run(self):
        reader = asyncio.create_task(self.read())
        try:
            await self.send({"type": "hello", "state": self.session.state, "options": options()})
            await self.send(self.session.data_message())
            await self.send_frame()
            next_frame = time.monotonic()
            while True:
                timeout = max(0.0, next_frame - time.monotonic()) if self.session.playing \
                    else None
                # a frame already due: take what has arrived without waiting (wait_for with
                # a timeout of 0 would cancel the get before it runs, and a session whose
                # frames take longer than the interval would never read pause or upload)
                try:
                    if timeout == 0:
                        raw = self.queue.get_nowait()
                    else:
                        raw = await asyncio.wait_for(self.queue.get(), timeout)
                except (TimeoutError, asyncio.QueueEmpty):
                    raw = None
                dirty = trained = False
                handled = 0
                while raw is not None:        # what has arrived, a bounded number at a time
                    if raw is _CLOSED:
                        return
                    dirty |= await self.handle(raw)
                    handled += 1
                    raw = None if self.queue.empty() or handled >= QUEUE_SIZE \
                        else self.queue.get_nowait()
                if self.dropped:
                    with self.language():
                        message = _("too many messages at once: {count} ignored").format(
                            count=self.dropped)
                    await self.send({"type": "error", "message": message})
                    self.dropped = 0
                now = time.monotonic()
                if self.session.playing and now >= next_frame:
                    # keep the pace on average; after a long stall start afresh
                    next_frame = max(next_frame + self.interval, now - 2 * self.interval)
                    trained = True
                if dirty or trained:
                    await self.send_frame(train=trained)
        finally:
            reader.cancel()

    async def send_frame(self, train: bool = False):
        frame = await asyncio.to_thread(self.session.frame, train)
        await self.ws.send_bytes(frame)
        self.frames += 1

    def language(self):
        """The page's language for the messages built in the block (the server's when the
        page has not said)."""
        return language(self.lang) if self.lang else contextlib.nullcontext()

    async def handle(self, raw) -> bool:
        """Carry out one message, in the page's language; returns whether the picture
        changed."""
        kind = None
        with self.language():
            try:
                msg = parse_message(raw)
                kind = msg["type"]
                return await self.dispatch(kind, msg)
            except ValueError as exc:           # a message that breaks a rule: the reason
                await self.send({"type": "error", "request": kind, "message": str(exc)[:300]})
            except Exception:                    # a bug must not end the session
                log.exception("playground: message %r failed", kind)
                await self.send({"type": "error", "request": kind,
                                 "message": _("internal error")})
        return False

    async def dispatch(self, kind: str, msg: dict) -> bool:
        session = self.session
        if kind == "set":
            what = session.apply(msg.get("changes"))
            await self.send({"type": "state", "state": session.state, "changed": what})
            if what == "data":
                await self.send(session.data_message())
            return what != "live" or not session.playing
        if kind == "preset":
            name = msg.get("name")
            if not isinstance(name, str) or name not in presets.PRESETS:
                raise ValueError(_("name: expected one of {options}, got {value}").format(
                    options=", ".join(presets.PRESETS), value=_json_kind(name)))
            session.load(presets.preset_state(name))
            await self.send({"type": "state", "state": session.state, "changed": "data"})
            await self.send(session.data_message())
            return True
        if kind in ("play", "pause"):
            session.playing = kind == "play"
            return True
        if kind == "step":
            session.playing = False
            await asyncio.to_thread(session.train_epochs, 1)
            return True
        if kind == "reset":
            session.reset()
            return True
        if kind == "upload":
            text = msg.get("csv")
            session.upload(text)
            await self.send({"type": "state", "state": session.state, "changed": "data"})
            await self.send(session.data_message())
            return True
        if kind == "export":
            await self.send({"type": "export", "keras": export.keras_script(session),
                             "recipe": export.recipe(session)})
            return False
        if kind == "lang":
            lang = msg.get("lang")
            if lang not in (*available_languages(), PSEUDO):
                raise ValueError(_("lang: expected one of {options}, got {value}").format(
                    options=", ".join((*available_languages(), PSEUDO)),
                    value=_json_kind(lang)))
            self.lang = lang
            return False
        if kind == "ping":
            await self.send({"type": "pong"})
            return False
        raise _unknown_type(kind)


def create_app(fps: float = 60.0, hosts: Iterable[str] = LOOPBACK_HOSTS) -> FastAPI:
    """The playground's app.

    Args:
        fps: the most frames per second each session sends. Default 60.
        hosts: the names it answers to in the ``Host`` header (see ``HostCheck`` and
            ``allowed_hosts``). Default: ``localhost``, ``127.0.0.1`` and ``::1``.

    Raises:
        ValueError: a name of ``hosts`` is not a name or an address (see ``parse_host``).
    """
    app = FastAPI(title="redes playground", version=__version__, description=PROTOCOL,
                  docs_url=None, redoc_url=None,     # those pages load scripts from a CDN
                  redirect_slashes=False)            # a path is a file's, exactly, or 404
    files = static_files()
    app.state.connections = set()

    def not_found(*_) -> Response:
        return Response("not found", status_code=404, media_type="text/plain")

    def serve_file(name: str) -> Response:
        if name not in files:
            return not_found()
        content, media_type = files[name]
        return Response(content, media_type=media_type, headers={"Cache-Control": "no-cache"})

    def file_response(names) -> dict:
        """The schema's 200 answer: one of these files, with its media type."""
        types = sorted({files[name][1].split(";")[0] for name in names})
        return {"description": "the file", "content": {t: TEXT for t in types}}

    app.add_exception_handler(404, not_found)    # any other path: the same plain 404
    # added before the headers' middleware, so that the headers wrap its answers too
    app.add_middleware(HostCheck, hosts=frozenset(parse_host(name) for name in hosts))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        """Every HTTP answer (files, 404, 405, the schema) carries the same headers."""
        response = await call_next(request)
        response.headers.update(HEADERS)
        return response

    @app.get("/", response_class=Response, responses={200: file_response(["index.html"])},
             summary="The playground's page")
    def index():
        return serve_file("index.html")

    # The name is read from the path rather than declared as an argument: any text is a
    # name (the unknown ones get 404), so the schema must not promise a 422.
    @app.get("/static/{name}", response_class=Response, summary="A file of the front end",
             responses={200: file_response(files), 404: NOT_FOUND},
             openapi_extra={"parameters": [{"name": "name", "in": "path", "required": True,
                                            "description": "a file name, e.g. app.js",
                                            "schema": {"type": "string",
                                                       "examples": sorted(files)}}]})
    def static(request: Request):
        return serve_file(request.path_params["name"])

    languages = (*available_languages(), PSEUDO)

    # The page's texts, from the catalogs (redes.playground.words), in the language the page
    # chose: not the server's own language, which its messages (errors, exports) follow.
    @app.get("/words/{lang}.json", response_class=Response, summary="The page's texts",
             responses={200: WORDS_FOUND, 404: NO_LANGUAGE},
             openapi_extra={"parameters": [{"name": "lang", "in": "path", "required": True,
                                            "description": "a language code, e.g. es",
                                            "schema": {"type": "string",
                                                       "examples": list(languages)}}]})
    def words_in(request: Request):
        lang = request.path_params["lang"]
        if lang not in languages:
            options = ", ".join(repr(code) for code in languages)
            error = _("lang: expected one of {options}, got {value!r}").format(
                options=options, value=lang[:100])
            return JSONResponse({"error": error, "languages": list(languages)}, status_code=404)
        return JSONResponse(words(lang), headers={"Cache-Control": "no-cache"})

    @app.websocket("/ws")
    async def websocket(ws: WebSocket):
        origin = ws.headers.get("origin")
        host = ws.headers.get("host", "")
        if origin is not None and origin.split("://", 1)[-1] != host:
            await ws.close(code=1008)        # another web site's page may not drive it
            return
        await ws.accept()
        if len(app.state.connections) >= MAX_SESSIONS:
            await ws.send_text(json.dumps({"type": "error", "message": _(
                "the playground is full: too many sessions, try again later")}))
            await ws.close(code=1013)
            return
        connection = Connection(ws, fps)
        app.state.connections.add(connection)
        try:
            await connection.run()
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            app.state.connections.discard(connection)

    return app


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True,
          fps: float = 60.0, allow_hosts: Iterable[str] = ()) -> None:
    """Run the playground at ``http://host:port/`` until Ctrl+C.

    Args:
        host: the address to listen on. Default ``127.0.0.1``: this computer only;
            ``0.0.0.0`` lets the other computers of the network in (a classroom).
        port: the port to listen on. Default 8765.
        open_browser: open the page in the web browser. Default True.
        fps: the most frames per second each session sends. Default 60.
        allow_hosts: more names the playground answers to, besides those of this computer
            (see ``allowed_hosts``), each ``name`` or ``name:port``. Default none.

    Raises:
        ValueError: a name of ``allow_hosts`` is not a name or an address.
        OSError: the server could not start listening (the port is in use, say).
    """
    import threading
    import webbrowser

    import uvicorn

    hosts = allowed_hosts(host, allow_hosts)
    app = create_app(fps, hosts)
    address = f"[{host}]" if ":" in host else host      # an IPv6 address in brackets
    url = f"http://{address}:{port}/"
    print(_("redes playground: {url}  (Ctrl+C to stop)").format(url=url))
    if host not in LOOPBACK_HOSTS:
        print(_("warning: listening on {host}, so other computers that reach it can use the "
                "playground (and its CPU); 127.0.0.1 keeps it to this computer")
              .format(host=host))
    if len(hosts) > len(LOOPBACK_HOSTS):
        print(_("it answers to the names {names} (to add one: --allow-host NAME)")
              .format(names=", ".join(hosts)))
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning",
                    ws_max_size=MAX_MESSAGE_BYTES + 1024)
    except SystemExit as exc:     # uvicorn's startup failure (3): the port is taken, say
        if exc.code in (None, 0):
            raise
        raise OSError(_("the playground could not listen on {url} (see the message above); "
                        "if the port is in use, choose another with --port").format(url=url)
                      ) from None
