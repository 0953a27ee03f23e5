// The playground's words. The page has no texts of its own: it asks the server for them,
// GET /words/<lang>.json, which takes them from redes' message catalogs
// (src/redes/i18n/locale/<lang>/LC_MESSAGES/redes.po, the English texts in
// src/redes/playground/words.py). A language with a catalog is a language of the page.
//
// The answer is {key: text}, and for a text with a count {key: {one: ..., other: ...}}, with
// "{n}" where the count goes: `t(key)` gives a text, `plural(key, n)` a counted one.
//
// If the words cannot be loaded, the page says so (a toast, in both languages: it has no
// words to say it with) and shows the keys in their place: a silent fallback would hide a
// server or a catalog that is broken.
"use strict";

const DEFAULT_LANG = "es";
const WORDS_FAILED = "No se pudieron cargar los textos · Could not load the texts";
const words = { table: null, cache: {} };   // the words in use; lang -> a fetch's promise

// The words of `lang`, fetched once per language (a failed fetch is tried again next time).
// Rejects with an Error saying why: no catalog for `lang` (the server's 404), or no server.
function fetchWords(lang) {
  if (!words.cache[lang]) {
    words.cache[lang] = fetch(`/words/${encodeURIComponent(lang)}.json`).then(async (r) => {
      if (r.ok) return r.json();
      const body = await r.json().catch(() => ({}));
      throw new Error(`HTTP ${r.status}${body.error ? ": " + body.error : ""}`);
    });
    words.cache[lang].catch(() => { delete words.cache[lang]; });
  }
  return words.cache[lang];
}

// The text of `key` in the language in use; the key itself when there is none.
function t(key) {
  const v = words.table ? words.table[key] : undefined;
  return typeof v === "string" ? v : key;
}

// The text of `key` for a count `n`: the form "one" for 1, "other" for any other count (the
// plural rule of English and Spanish), with the count in place of "{n}".
function plural(key, n) {
  const v = words.table ? words.table[key] : undefined;
  if (!v || typeof v !== "object") return `${n} ${key}`;
  return (n === 1 ? v.one : v.other).replaceAll("{n}", String(n));
}
