"""The bottom of redes, below the engine: plumbing every other package shares.

``files`` is the one atomic writer (every file redes writes goes through it), JSON that
every reader understands, and the checks on processes and temporary files that go with
them. It imports nothing from redes but the translation function.
"""
