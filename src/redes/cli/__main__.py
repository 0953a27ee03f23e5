"""``python -m redes.cli``: the ``redes`` command."""

from redes.cli import main

main()
