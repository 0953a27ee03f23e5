"""The playground's HTTP routes: its front end, its texts and the headers of every answer.

``GET /`` and ``GET /static/<name>`` serve the front end, only the files shipped in
``redes/playground/static`` (looked up by exact name, so no path can leave that folder);
``GET /words/<lang>.json`` gives the page its texts in a language, from redes' catalogs
(see ``words``); any other path is a plain-text 404. The ``*_FOUND``, ``NOT_FOUND`` and
``NO_LANGUAGE`` answers are what ``GET /openapi.json`` says of them.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ..i18n import PSEUDO, _, available_languages
from .words import PLURALS, WORDS, words

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
         ".png": "image/png", ".ico": "image/x-icon"}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
                               "connect-src 'self'; frame-ancestors 'none'",
}
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


def static_files() -> dict[str, tuple[bytes, str]]:
    """The front end: file name -> (content, media type), read once from the package."""
    files = {}
    for entry in resources.files("redes.playground").joinpath("static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in TYPES:
            files[entry.name] = (entry.read_bytes(), TYPES[suffix])
    return files



def not_found(*_) -> Response:
    """The plain 404 of any path that is not a front-end file (also the 404 handler)."""
    return Response("not found", status_code=404, media_type="text/plain")


def add_security_headers(app: FastAPI) -> None:
    """The middleware that puts ``HEADERS`` on the answers of ``app``."""

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        """Every HTTP answer (files, 404, 405, the schema) carries the same headers."""
        response = await call_next(request)
        response.headers.update(HEADERS)
        return response


def add_front_end(app: FastAPI) -> None:
    """``GET /`` (the page) and ``GET /static/<name>`` (its files), read once from the
    package (``static_files``)."""
    files = static_files()

    def serve_file(name: str) -> Response:
        if name not in files:
            return not_found()
        content, media_type = files[name]
        return Response(content, media_type=media_type, headers={"Cache-Control": "no-cache"})

    def file_response(names) -> dict:
        """The schema's 200 answer: one of these files, with its media type."""
        types = sorted({files[name][1].split(";")[0] for name in names})
        return {"description": "the file", "content": {t: TEXT for t in types}}

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


def add_words(app: FastAPI) -> None:
    """``GET /words/<lang>.json``: the page's texts in a language."""
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
