"""Which names the playground answers to: the ``Host`` check against DNS rebinding.

A web page whose own name is made to point at this computer (DNS rebinding) reaches the
server with that name in its ``Host`` header. ``HostCheck`` lets through only the requests
and websocket handshakes that name the server: one of the names ``allowed_hosts`` gives, as
``parse_host`` makes them comparable.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
from collections.abc import Iterable

from fastapi.responses import Response

from ..i18n import _

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")   # this computer only

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
