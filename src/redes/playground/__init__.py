"""The redes playground: a network learning in the browser, as in the TensorFlow Playground.

Pick a 2D dataset, the input features, the layers and their activations, the optimizer
and the regularization, press play and watch the decision surface, every neuron and the
loss curves change as the NumPy engine (``redes.nn``) trains. Then export the network as
a Keras script or a ``redes train`` recipe.

Run it with ``redes playground`` or::

    from redes.playground import serve
    serve()                     # http://127.0.0.1:8765/

The server needs the ``web`` extra (``pip install 'redes[web]'``); importing this package
does not import it.
"""

from __future__ import annotations

from ..i18n import _

__all__ = ["serve"]


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True) -> None:
    """Start the playground's web server at ``http://host:port/`` (Ctrl+C stops it)."""
    try:
        from .server import serve as run
    except ImportError as exc:
        raise ImportError(_("the playground needs FastAPI and uvicorn: "
                            "pip install 'redes[web]'")) from exc
    run(host=host, port=port, open_browser=open_browser)
