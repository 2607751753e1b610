"""The letter as one standalone HTML page, to read, print or turn into a PDF.

The letter's Markdown is rendered with markdown-it-py (CommonMark, raw HTML off, so anything
that looks like a tag is shown as text) and its footnote plugin, whose footnotes become
endnotes with links back to where they are cited. The page needs nothing else: styles are
inline, fonts are the reader's own, and a Content-Security-Policy forbids fetching anything.
Print styles use margins that suit both A4 and US Letter, and start the annex on a new page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

#: Nothing may be loaded: no scripts, images, fonts, frames or connections; inline styles only.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"

_STYLE = """
:root { color-scheme: light; }
html {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans",
    Arial, sans-serif;
  font-size: 11pt;
  line-height: 1.5;
  color: #1a1a1a;
  background: #fff;
}
body { max-width: 44em; margin: 2.5em auto; padding: 0 1.25em; }
figure.timeline { margin: 2em auto; max-width: 60em; }
figure.timeline svg { width: 100%; height: auto; }
h2 { font-size: 1.3em; margin: 1.8em 0 0.6em; }
h3 { font-size: 1.08em; margin: 1.5em 0 0.5em; }
h2, h3 { line-height: 1.25; break-after: avoid; page-break-after: avoid; }
p, li { orphans: 3; widows: 3; }
li { margin: 0.3em 0; }
ul, ol { padding-left: 1.6em; }
a { color: #1f4e8c; overflow-wrap: anywhere; }
sup { line-height: 0; }
.footnote-ref a { text-decoration: none; padding: 0 0.05em; }
.footnote-ref + .footnote-ref::before { content: ","; }
hr.footnotes-sep { display: none; }
.footnotes { font-size: 0.92em; margin-top: 2em; }
.footnotes li { margin: 0.4em 0; }
.footnotes li p { margin: 0; }
.footnote-backref { text-decoration: none; }
@page { margin: 20mm 20mm 22mm; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; margin: 0; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2.annex { break-before: page; page-break-before: always; margin-top: 0; }
  figure.timeline { break-before: page; page-break-before: always; }
  .footnote-backref { display: none; }
}
"""


def _caption(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    """A footnote mark as its bare number: 1, not [1]."""
    return str(tokens[idx].meta["id"] + 1)


def _backref(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    """A link back to a citation; a note cited several times gets one per citation: ↩ a b c."""
    meta = tokens[idx].meta
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    sub_id = meta["subId"]
    target = f"{ident}:{sub_id}" if sub_id > 0 else ident
    count = env["footnotes"]["list"][meta["id"]].get("count", 1)
    arrow = "\u21a9\ufe0e"  # ↩ as text, not as an emoji
    if count < 2:
        label = arrow
    else:
        letter = chr(ord("a") + sub_id) if sub_id < 26 else str(sub_id + 1)
        label = f"{arrow} {letter}" if sub_id == 0 else letter
    return f' <a href="#fnref{target}" class="footnote-backref">{label}</a>'


def _notes_heading(heading: str) -> Any:
    def block_open(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
        return (
            f'<section class="footnotes">\n<h2 class="notes" id="notes">{html.escape(heading)}</h2>\n'
            '<ol class="footnotes-list">\n'
        )

    return block_open


def _heading_text(inline: Any) -> str:
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def letter_body(markdown_text: str, *, annex_heading: str, notes_heading: str) -> str:
    """The letter's Markdown as HTML, the annex heading marked with ``class="annex"``."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).use(footnote_plugin)
    md.add_render_rule("footnote_caption", _caption)
    md.add_render_rule("footnote_anchor", _backref)
    md.add_render_rule("footnote_block_open", _notes_heading(notes_heading))
    env: dict[str, Any] = {}
    tokens = md.parse(markdown_text, env)
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        is_h2 = token.type == "heading_open" and token.tag == "h2" and following.type == "inline"
        if is_h2 and _heading_text(following) == annex_heading:
            token.attrJoin("class", "annex")
            token.attrSet("id", "annex")
    rendered: str = md.renderer.render(tokens, md.options, env)
    return rendered


def _figure(svg: str) -> str:
    """The timeline inline, without its XML declaration; it loads nothing, as the page may not."""
    if not svg:
        return ""
    inline = svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg
    return f'<figure class="timeline">\n{inline}</figure>\n'


def letter_page(markdown_text: str, *, language: str, title: str, figure: str = "") -> str:
    """A complete HTML5 document of the letter in ``language``, with ``title`` in its head.

    ``figure``, an SVG document (the case's timeline), is shown after the letter.
    """
    from casefile.render import catalogue

    messages = catalogue(language)
    body = letter_body(markdown_text, annex_heading=messages["heading.annex"], notes_heading=messages["heading.notes"])
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="casefile">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{_STYLE}</style>\n"
        "</head>\n"
        "<body>\n"
        '<main class="letter">\n'
        f"{body}"
        "</main>\n"
        f"{_figure(figure)}"
        "</body>\n"
        "</html>\n"
    )
