"""Settings for the whole test suite.

Messages are in English while the tests run, whatever the computer's locale: many tests
match English error texts. A test that checks another language chooses it itself, with
``redes.i18n.set_language("es")`` or ``monkeypatch.setenv("REDES_LANG", "es")``.
"""

import os

import pytest

from redes.i18n import set_language

os.environ["REDES_LANG"] = "en"  # also for code run while collecting, and for subprocesses


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
