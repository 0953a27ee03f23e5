"""The playground page's words come from redes' catalogs: ``GET /words/<lang>.json``.

``redes.playground.words`` marks every text of the page in English (``WORDS``, ``PLURALS``),
the extractor puts them in the catalogs, and the route answers them in the language asked
for, without changing the language of redes. These tests check the route's contract (every
key, the catalog's exact translations, the plural forms, the languages refused, the Host
check), and that the page's own files name only keys that exist.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from redes import i18n
from redes.data import playground_sets as datasets
from redes.i18n import extract, get_language, ngettext_in, set_language, translated_in
from redes.i18n.po import make_catalog, parse_po
from redes.playground import presets, state
from redes.playground import words as words_module
from redes.playground.words import PLURALS, WORDS, words

pytest.importorskip("fastapi", reason="the playground needs the web extra (fastapi)")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

from fastapi.testclient import TestClient  # noqa: E402

from redes.playground.server import create_app  # noqa: E402

STATIC = Path(words_module.__file__).parent / "static"
KEYS = set(WORDS) | set(PLURALS)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(fps=60)) as c:
        yield c


@pytest.fixture(scope="module")
def spanish_catalog():
    return make_catalog(parse_po(Path(i18n.catalog_path("es")).read_text(encoding="utf-8")))


def get_words(client, lang: str) -> dict:
    r = client.get(f"/words/{lang}.json")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-content-type-options"] == "nosniff"        # the usual headers
    return r.json()


# ------------------------------------------------------------------ the route
@pytest.mark.parametrize("lang", ["es", "en", "pseudo"])
def test_the_route_gives_every_key(client, lang):
    answer = get_words(client, lang)
    assert set(answer) == KEYS
    assert all(isinstance(answer[key], str) and answer[key] for key in WORDS)
    assert all(set(answer[key]) == {"one", "other"} for key in PLURALS)
    assert answer == words(lang)


def test_english_words_are_the_marked_texts(client):
    answer = get_words(client, "en")
    assert {key: answer[key] for key in WORDS} == WORDS
    assert answer["reset"] == "Reset the weights" and answer["play"] == "Run / pause"
    assert answer["hidden_layers"] == {"one": "{n} hidden layer", "other": "{n} hidden layers"}


def test_spanish_words_are_the_catalogs(client, spanish_catalog):
    answer = get_words(client, "es")
    for key, english in WORDS.items():
        assert answer[key] == spanish_catalog.gettext(english), key
    for key, (singular, plural) in PLURALS.items():
        assert answer[key] == {"one": spanish_catalog.ngettext(singular, plural, 1),
                               "other": spanish_catalog.ngettext(singular, plural, 2)}, key
    assert answer["reset"] == "Reiniciar los pesos"
    assert answer["play"] == "Entrenar / pausar"
    assert answer["which_dataset"] == "¿Qué conjunto de datos?"
    assert answer["hover_hint"] == "Pasa el puntero por una neurona para ver su salida en grande."
    assert answer["spiral3"] == "Espiral de 3 clases"
    assert answer["legend_value"] == "naranja: negativo · azul: positivo"
    assert answer["out_node"] == answer["output"] == "Salida"
    assert answer["sgd"] == "SGD" and answer["preset_none"] == "—"


def test_plural_forms(client):
    answer = get_words(client, "es")
    assert answer["hidden_layers"] == {"one": "{n} capa oculta", "other": "{n} capas ocultas"}
    assert answer["neurons"] == {"one": "{n} neurona", "other": "{n} neuronas"}

    def fill(key, n):          # what the page does (plural() in static/i18n.js)
        return (answer[key]["one"] if n == 1 else answer[key]["other"]).replace("{n}", str(n))

    assert [fill("neurons", n) for n in (1, 2, 8)] == ["1 neurona", "2 neuronas", "8 neuronas"]
    assert [fill("hidden_layers", n) for n in (0, 1, 6)] == [
        "0 capas ocultas", "1 capa oculta", "6 capas ocultas"]


def test_pseudo_brackets_every_word(client):
    answer = get_words(client, "pseudo")
    texts = [answer[key] for key in WORDS] + [answer[key][form] for key in PLURALS
                                              for form in ("one", "other")]
    assert all(text.startswith("⟦") and text.endswith("⟧") for text in texts), texts
    assert answer["reset"] == "⟦Reset the weights⟧"
    assert answer["neurons"] == {"one": "⟦{n} neuron⟧", "other": "⟦{n} neurons⟧"}


@pytest.mark.parametrize("lang", ["fr", "ES", "es_MX", "es.json", "espa%C3%B1ol", "x" * 500])
def test_a_language_without_a_catalog_is_refused(client, lang):
    r = client.get(f"/words/{lang}.json")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-content-type-options"] == "nosniff"
    body = r.json()
    assert body["languages"] == ["en", "es", "pseudo"]
    assert body["error"].startswith("lang: expected one of 'en', 'es', 'pseudo', got '")
    assert len(body["error"]) < 200                         # a long name is cut short


@pytest.mark.parametrize("path", ["/words/.json", "/words/es", "/words/", "/words/es/en.json",
                                  "/words/..%2Fes.json", "/words/es.json/"])
def test_paths_that_name_no_language_get_the_plain_404(client, path):
    r = client.get(path)
    assert (r.status_code, r.text) == (404, "not found")


def test_the_route_follows_the_page_not_the_language_of_redes(client):
    set_language("es")
    try:
        assert get_words(client, "en")["reset"] == "Reset the weights"
        assert get_language() == "es"
        set_language("en")
        assert get_words(client, "es")["reset"] == "Reiniciar los pesos"
        assert get_language() == "en"
        # the refusal itself is in the language of redes, as the server's other messages
        set_language("es")
        assert client.get("/words/fr.json").json()["error"].startswith(
            "lang: se esperaba uno de 'en', 'es', 'pseudo'")
    finally:
        set_language(None)


def test_the_schema_describes_the_route(client):
    schema = client.get("/openapi.json").json()
    route = schema["paths"]["/words/{lang}.json"]["get"]
    assert set(route["responses"]) == {"200", "404"}                 # no 422
    assert [p["name"] for p in route["parameters"]] == ["lang"]
    assert set(route["responses"]["200"]["content"]) == {"application/json"}
    assert set(route["responses"]["200"]["content"]["application/json"]["schema"]["required"]) \
        == KEYS
    assert set(route["responses"]["404"]["content"]) == {"application/json", "text/plain"}
    assert "/words/{lang}.json" in schema["info"]["description"]


def test_hello_lists_the_languages(client):
    with client.websocket_connect("/ws") as ws:
        hello = ws.receive_json()
    assert hello["type"] == "hello" and hello["options"]["languages"] == ["en", "es"]


def _error_after(ws, message) -> str | None:
    """Send ``message`` and return the text of the error it gets, or None if it was carried
    out (a ``state`` answer); frames and data are skipped."""
    ws.send_text(message)
    while True:
        answer = ws.receive()
        kind = json.loads(answer["text"])["type"] if answer.get("text") else None
        if kind == "error":
            return json.loads(answer["text"])["message"]
        if kind == "state":
            return None


def test_each_page_gets_the_errors_in_its_own_language(client, monkeypatch):
    monkeypatch.setenv("REDES_LANG", "en")           # the server's own language
    with client.websocket_connect("/ws") as es, client.websocket_connect("/ws") as en:
        for ws in (es, en):
            ws.receive_json()                         # hello
        es.send_text(json.dumps({"type": "lang", "lang": "es"}))
        assert _error_after(es, '{"type": "fly"}').startswith(
            "type: se esperaba uno de set, play")
        assert _error_after(en, '{"type": "fly"}').startswith("type: expected one of set, play")
        assert _error_after(es, json.dumps({"type": "set", "changes": {"noise": "loud"}})) \
            .startswith("noise: se esperaba")         # the session's checks too
        assert _error_after(es, '{"type": "lang", "lang": "fr"}') == (
            "lang: se esperaba uno de en, es, pseudo, se recibió 'fr'")
        es.send_text(json.dumps({"type": "lang", "lang": "pseudo"}))
        assert _error_after(es, "[1]") == "⟦expected a JSON object, got ⟦a list⟧⟧"
    from redes.i18n import get_language

    assert get_language() == "en"                     # the server's language is unchanged


# ------------------------------------------------------------------ the Host check
def raw_get(port: int, host: str, target: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                  .encode("latin-1"))
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize("target", ["/words/es.json", "/words/en.json", "/words/fr.json"])
def test_the_host_check_applies_to_the_route(live_server, target):
    port = live_server.port
    for forged in (f"evil.example:{port}", "evil.example", f"localhost:{port + 1}"):
        status, body = raw_get(port, forged, target)
        assert status == 400 and body.startswith(b"Host header: expected"), forged
        assert b"Reiniciar" not in body and b"languages" not in body
    status, body = raw_get(port, f"127.0.0.1:{port}", target)
    assert status == (404 if "fr" in target else 200)


# ------------------------------------------------------------------ words.py and the page
def test_every_word_is_marked_for_the_extractor():
    source = Path(words_module.__file__).read_text(encoding="utf-8")
    found, warnings = extract.scan_source(source, "words.py")
    assert not warnings
    singles = {entry.msgid for entry in found if entry.msgid_plural is None}
    plurals = {(entry.msgid, entry.msgid_plural) for entry in found if entry.msgid_plural}
    assert set(WORDS.values()) <= singles
    assert set(PLURALS.values()) == plurals              # _marked() and PLURALS agree


def test_words_do_not_change_the_language_and_refuse_unknown_ones():
    set_language("en")
    try:
        assert words("es")["close"] == "Cerrar" and get_language() == "en"
        assert translated_in("es", "Close") == "Cerrar"
        assert translated_in("en", "Close") == "Close"
        assert translated_in("pseudo", "Close") == "⟦Close⟧"
        assert translated_in("es", "a text no catalog has") == "a text no catalog has"
        assert ngettext_in("es", "{n} neuron", "{n} neurons", 3) == "{n} neuronas"
        assert ngettext_in("en", "{n} neuron", "{n} neurons", 1) == "{n} neuron"
        assert ngettext_in("pseudo", "{n} neuron", "{n} neurons", 0) == "⟦{n} neurons⟧"
        for bad in ("fr", "ES", ""):
            with pytest.raises(ValueError, match="^lang: expected one of 'en', 'es', 'pseudo'"):
                words(bad)
            with pytest.raises(ValueError):
                ngettext_in(bad, "{n} neuron", "{n} neurons", 1)
        assert get_language() == "en"
    finally:
        set_language(None)


def test_every_option_the_page_names_has_a_word():
    names = [*state.OPTIMIZERS, *state.PROBLEMS, *datasets.DATASETS, *presets.PRESETS,
             "custom", "none"]
    assert [name for name in names if name not in WORDS] == []


def test_the_page_names_only_words_that_exist():
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    script = "\n".join(p.read_text(encoding="utf-8") for p in sorted(STATIC.glob("*.js")))
    used = set(re.findall(r'data-i18n(?:-title)?="([^"]+)"', page))
    used |= set(re.findall(r'\bt\("([^"]+)"\)', script))
    counted = set(re.findall(r'\bplural\("([^"]+)"', script))
    assert len(used) > 40 and counted == set(PLURALS)
    assert used - set(WORDS) == set()


def test_the_front_end_has_no_dictionaries_of_its_own():
    for name in ("i18n.js", "app.js"):
        text = (STATIC / name).read_text(encoding="utf-8")
        assert "I18N" not in text and "Reiniciar" not in text and "Reset the weights" not in text
