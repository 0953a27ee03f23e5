"""The playground's web server: FastAPI + uvicorn, one websocket per browser tab.

``GET /`` and ``GET /static/<name>`` serve the front end, only the files shipped in
``redes/playground/static`` (looked up by exact name, so no path can leave that folder);
``GET /words/<lang>.json`` gives the page its texts in a language, from redes' catalogs
(see ``words``); any other path is a plain-text 404. ``GET /openapi.json`` describes these
routes and (``PROTOCOL``) the training stream of the websocket ``/ws``. Each session has its
own ``Session``: tabs never see each other. Sessions run in worker processes (``workers``:
one per core with ``serve``), or in threads of this process (``create_app(workers=0)``).

Every HTTP request and websocket handshake must name the server in its ``Host`` header (see
``HostCheck``): a web page whose own name is made to point at this computer (DNS rebinding)
reaches the server with that name, and is refused.

Here the app is put together: the HTTP routes are in ``routes``, the ``Host`` check in
``hosts``, a session's messages and frames in ``connection``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import Iterable

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from redes import __version__

from ..i18n import _
from .connection import MAX_MESSAGE_BYTES, Connection
from .hosts import LOOPBACK_HOSTS, HostCheck, allowed_hosts, parse_host
from .pool import RemoteConnection, WorkerPool
from .routes import add_front_end, add_security_headers, add_words, not_found

MAX_SESSIONS = 64

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
* `{{"type": "ping"}}`: answered by `{{"type": "pong"}}`;
* `{{"type": "compact"}}`: send compact frames (`RPG2`, below) from now on, starting with
  a key frame;
* `{{"type": "weight", "layer": L, "i": I, "j": J, "value": V}}` and
  `{{"type": "bias", "layer": L, "j": J, "value": V}}`: set one weight or bias by hand;
* `{{"type": "point", "x1": ..., "x2": ..., "label": ...}}` and `{{"type": "clear_points"}}`:
  draw one's own points;
* `{{"type": "restore", "state": {{...}}, "epoch": N, "weights": [...], ...}}`: take back a
  session after the connection was lost (its settings, weights and epoch).

**Server to browser**: `hello` (state and options) on connecting, `state` (after a change,
with what `changed`: `data`, `model` or `live`), `data` (the points), `export`, `pong`,
and binary frames. A full frame is `RPG1`, a little-endian uint32 header length, a JSON
header (epoch, losses, `sections`: each array's `name`, `dtype` `u1` or `f4`, `shape` and
byte `offset`), then the arrays, each at an offset that is a multiple of 4 (decision
surface and neuron maps as 8-bit images, weights `w{{i}}` of shape [in, out] and biases
`b{{i}}` as float32). A compact frame (after `compact`) is `RPG2`, the header's length, the
JSON header (whose sections also say `delta`, and `body` the body's length), then the body
of a full frame compressed with raw deflate, where each 8-bit array marked `delta` holds
its byte-by-byte difference (mod 256) from the same array of the previous frame, and every
8-bit array is written along its rows (each byte minus the one to its left, mod 256); a
frame without deltas (`key`) stands alone. Frames are never dropped once sent, so each compact
frame applies to the one before it.

A message that breaks a rule gets `{{"type": "error", "request": ..., "message": ...}}`,
whose message names the field, what was given and what was expected; it changes nothing
and the session goes on. A message may hold up to {MAX_MESSAGE_BYTES // 1024} KB (a much
larger one closes the websocket), the server up to {MAX_SESSIONS} sessions, and a page from
another web site may not open one (its `Origin` must be the server itself). While playing,
a session sends up to `fps` frames per second, fewer when the server is busy (sessions
share it evenly) or the page reads slowly: a late frame is skipped, never queued.

Every request and websocket handshake must name the server in its `Host` header (one of
its names or addresses, on its port): any other gets a plain-text 400, and a websocket is
closed before it opens.
"""
def create_app(fps: float = 60.0, hosts: Iterable[str] = LOOPBACK_HOSTS, workers: int = 0,
               compact: bool = True) -> FastAPI:
    """The playground's app.

    Args:
        fps: the most frames per second each session sends. Default 60.
        hosts: the names it answers to in the ``Host`` header (see ``HostCheck`` and
            ``allowed_hosts``). Default: ``localhost``, ``127.0.0.1`` and ``::1``.
        workers: how many worker processes run the sessions (see ``workers``), started
            with the app and stopped with it; 0 runs them in this process, each in a
            thread (tests, embedding). Default 0 (``serve`` uses one per core).
        compact: whether pages may ask for compact frames (see ``frames``). Default True;
            False (with ``workers=0``) is the playground as it was before them, which
            ``benchmarks/bench_playground.py`` compares against.

    Raises:
        ValueError: a name of ``hosts`` is not a name or an address (see ``parse_host``).
    """
    pool = WorkerPool(workers, fps, compact) if workers > 0 else None

    @contextlib.asynccontextmanager
    async def lifespan(app):
        if pool is not None:
            await pool.start()
        try:
            yield
        finally:
            if pool is not None:
                await asyncio.to_thread(pool.stop)

    app = FastAPI(title="redes playground", version=__version__, description=PROTOCOL,
                  docs_url=None, redoc_url=None,     # those pages load scripts from a CDN
                  redirect_slashes=False,            # a path is a file's, exactly, or 404
                  lifespan=lifespan)
    app.state.connections = set()
    app.state.pool = pool
    app.add_exception_handler(404, not_found)    # any other path: the same plain 404
    # added before the headers' middleware, so that the headers wrap its answers too
    app.add_middleware(HostCheck, hosts=frozenset(parse_host(name) for name in hosts))
    add_security_headers(app)
    add_front_end(app)
    add_words(app)
    add_sessions(app, fps, compact)
    return app


def add_sessions(app: FastAPI, fps: float, compact: bool = True) -> None:
    """The websocket ``/ws``: one session per browser tab, up to ``MAX_SESSIONS``, in a
    worker process (``RemoteConnection``) or in this one (``Connection``); the open ones
    are in ``app.state.connections``."""

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
        pool = app.state.pool
        connection = RemoteConnection(ws, pool) if pool else Connection(ws, fps, compact)
        app.state.connections.add(connection)
        try:
            await connection.run()
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            app.state.connections.discard(connection)


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True,
          fps: float = 60.0, allow_hosts: Iterable[str] = (), workers: int | None = None,
          compact: bool = True) -> None:
    """Run the playground at ``http://host:port/`` until Ctrl+C.

    Args:
        host: the address to listen on. Default ``127.0.0.1``: this computer only;
            ``0.0.0.0`` lets the other computers of the network in (a classroom).
        port: the port to listen on. Default 8765.
        open_browser: open the page in the web browser. Default True.
        fps: the most frames per second each session sends. Default 60.
        allow_hosts: more names the playground answers to, besides those of this computer
            (see ``allowed_hosts``), each ``name`` or ``name:port``. Default none.
        workers: how many worker processes run the sessions; 0 runs them in the server's
            own process. Default None: one per core (``os.cpu_count()``).
        compact: whether pages may ask for compact frames, which are deflated already, so
            the websocket's own compression (permessage-deflate) is declined. Default
            True; False (with ``workers=0``) is the playground as it was before them (see
            ``create_app``), websocket compression included.

    Raises:
        ValueError: a name of ``allow_hosts`` is not a name or an address.
        OSError: the server could not start listening (the port is in use, say).
    """
    import threading
    import webbrowser

    import uvicorn

    hosts = allowed_hosts(host, allow_hosts)
    if workers is None:
        workers = os.cpu_count() or 1
    app = create_app(fps, hosts, workers, compact)
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
        # Compact frames are deflated already: the websocket's own compression
        # (permessage-deflate, which browsers ask for) would deflate them again for nothing,
        # in this one process, for every session (see docs/benchmarks.md).
        uvicorn.run(app, host=host, port=port, log_level="warning",
                    ws_max_size=MAX_MESSAGE_BYTES + 1024, ws_per_message_deflate=not compact)
    except SystemExit as exc:     # uvicorn's startup failure (3): the port is taken, say
        if exc.code in (None, 0):
            raise
        raise OSError(_("the playground could not listen on {url} (see the message above); "
                        "if the port is in use, choose another with --port").format(url=url)
                      ) from None
