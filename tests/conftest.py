"""Settings for the whole test suite.

Messages are in English while the tests run, whatever the computer's locale: many tests
match English error texts. A test that checks another language chooses it itself, with
``redes.i18n.set_language("es")`` or ``monkeypatch.setenv("REDES_LANG", "es")``.

Every test also starts from the same random state, so that its numbers do not depend on the
tests run before it; a test that needs other numbers seeds them itself.
"""

import os
import sys

import pytest

from redes.i18n import set_language
from redes.nn import backend

os.environ["REDES_LANG"] = "en"  # also for code run while collecting, and for subprocesses


@pytest.fixture(autouse=True)
def same_random_start():
    """Every test starts from the same random state, whichever tests ran before it in its
    process (pytest-xdist runs many tests in each worker): redes' generator, Python's and
    NumPy's global ones, and those of Keras and PyTorch once they are loaded. Keras draws the
    starting weights of a model built without a seed from its own generator, which it seeds
    from Python's when it creates it."""
    backend.set_random_seed(0)
    keras = sys.modules.get("keras")
    if keras is not None and hasattr(keras, "utils"):
        keras.utils.set_random_seed(0)
    torch = sys.modules.get("torch")
    if torch is not None and hasattr(torch, "manual_seed"):
        torch.manual_seed(0)


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """REDES_LANG=en during each test, and no language left chosen after it."""
    monkeypatch.setenv("REDES_LANG", "en")
    yield
    set_language(None)


@pytest.fixture
def spanish():
    """Messages in Spanish during the test (``english_messages`` resets the language)."""
    set_language("es")


@pytest.fixture
def pseudo():
    """Messages in the pseudo-language, every translated text as ⟦...⟧, during the test."""
    set_language("pseudo")
