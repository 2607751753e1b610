"""The fixed sentences of each language (``render/locales/<language>.toml``) and the translator that fills them."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from casefile.letter.grammar import Verbatim
from casefile.letter.markdown import Markdown, escape_inline

LANGUAGES = ("en", "es", "fr")
_HERE = Path(__file__).parent


@functools.cache
def catalogue(language: str) -> Mapping[str, str]:
    """The fixed sentences of one language, as flat ``section.key`` names."""
    path = _HERE / "locales" / f"{language}.toml"
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    flat: dict[str, str] = {}
    for section, entries in document.items():
        for key, text in entries.items():
            if isinstance(text, dict):  # a sentence by plural category: {one = "...", other = "..."}
                flat.update({f"{section}.{key}.{category}": form for category, form in text.items()})
            else:
                flat[f"{section}.{key}"] = text
    return flat


class Translator:
    """``t("section.key", name=value)``: a fixed sentence with user values escaped.

    Values are joined to the words before them as the language does (``del``, ``d'``,
    ``du``) and capitalised when they begin a sentence (:func:`grammar.assemble`). A sentence
    given by plural category (``{one = ..., other = ...}``) is chosen by its ``count`` value;
    ``count`` and ``total`` are written as words up to ten.
    """

    def __init__(self, language: str, defaults: Mapping[str, Markdown] | None = None) -> None:
        self.language = language
        self.messages = catalogue(language)
        self._fixed: dict[str, Markdown] = {}  # sentences without values, made once
        # Values every sentence may use without the template passing them (the country's phrases).
        self.defaults = dict(defaults or {})

    def __call__(self, key: str, **params: Any) -> Markdown:
        if self.defaults and "{" in self.messages.get(key, "{"):
            params = {**self.defaults, **params}
        if not params:
            fixed = self._fixed.get(key)
            if fixed is None:
                fixed = self._fixed[key] = Markdown(self.messages[key].format())
            return fixed
        from casefile.letter.grammar import Count, assemble, plural_category

        escaped: dict[str, Any] = {}
        for name, value in params.items():
            if name in _COUNTS and isinstance(value, int):
                escaped[name] = Count(value, self.language)
            else:
                escaped[name] = value if isinstance(value, Count) else escape_param(value)
        message = self.messages.get(key)
        if message is None:  # by plural category
            category = plural_category(self.language, escaped["count"].value)
            message = self.messages.get(f"{key}.{category}") or self.messages[f"{key}.other"]
        return Markdown(assemble(self.language, message, escaped))


_COUNTS = frozenset({"count", "total"})


def escape_param(value: Any) -> str:
    if isinstance(value, Markdown | Verbatim):
        return value
    return escape_inline(str(value))
