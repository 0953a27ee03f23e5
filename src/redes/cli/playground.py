"""``redes playground``: the browser playground."""

from __future__ import annotations

import typer

from redes.i18n import _

from ._common import fail, install_hint


def playground(
    host: str = typer.Option("127.0.0.1", help=_(
        "Address to listen on; 127.0.0.1 keeps the playground to this computer.")),
    port: int = typer.Option(8765, min=1, max=65535, help=_("Port to listen on.")),
    open_browser: bool = typer.Option(True, "--open/--no-open", help=_(
        "Open the page in the web browser.")),
    allow_host: list[str] = typer.Option(None, "--allow-host", metavar="NAME", help=_(
        "Another name the playground answers to, e.g. aula.local or 192.168.1.5:8765 "
        "(repeatable). Requests naming any other host are refused.")),
    workers: int = typer.Option(None, min=0, max=256, help=_(
        "Processes that run the sessions; default: one per core. 0 runs them in the "
        "server's own process.")),
):
    """Play with a network in the browser."""
    try:
        from redes.playground.hosts import check_listen_host, parse_host
        from redes.playground.server import serve
    except ImportError as exc:
        typer.echo(_("redes playground: {problem}; install it with: {command}").format(
            problem=exc, command=install_hint("web")), err=True)
        raise typer.Exit(1) from None
    try:                # refused before the server starts, which would stop with exit code 3
        check_listen_host(host)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--host") from None
    names = allow_host or []
    for name in names:
        try:
            parse_host(name)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--allow-host") from None
    try:
        given = {} if workers is None else {"workers": workers}     # None: serve's default
        serve(host, port, open_browser, allow_hosts=names, **given)
    except OSError as exc:     # it could not listen: the port is in use, say
        fail(str(exc), code=1)
