"""Card text as Anki field HTML: shown exactly as written, with `$...$` math handed to Anki's MathJax.

Anki reads a field three times: as HTML (so `<`, `>`, `&` and quotes become entities), with its cloze parser (which
takes any `{{cN::`, `::` and `}}` in the raw field for cloze syntax, even inside math) and for its own media and
LaTeX tags (`[sound:...]`, `[latex]`, `[$]`). So `{`, `}` and `[` always travel as character references: the
browser shows them as written, while Anki's parsers never see them. In a cloze Text field the only real `{{cN::`,
`::` and `}}` are the ones we write from readroom's own parse (cloze.py), and a `:` inside an answer or hint
is a reference too, so it cannot split a hint off. MathJax reads the rendered text, where the references are plain
characters again, so `$\\frac{a}{b}$` still typesets.

Control characters other than tab and newline are dropped (Anki separates fields with \\x1f); newlines become
`<br>`.
"""

from __future__ import annotations

import re

from readroom import cloze
from readroom.tags import tag_form

# Pandoc's rule for inline math: no space just inside the dollars, no digit right after the closing one, so
# "from $5 to $10" stays text. `$$...$$` is display math. A backslash escapes a dollar.
_MATH = re.compile(
    r"(?<!\\)\$\$(?!\$)(?P<display>(?:\\.|[^$\\])+?)\$\$"
    r"|(?<![\\$])\$(?![\s$])(?P<inline>(?:\\.|[^$\\\n])+?)(?<!\s)\$(?![\d$])",
    re.S,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ENTITIES = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    "{": "&#123;", "}": "&#125;", "[": "&#91;", "\n": "<br>",
}
_ENTITIES_IN_CLOZE = {**_ENTITIES, ":": "&#58;"}
_TABLE = str.maketrans(_ENTITIES)
_TABLE_IN_CLOZE = str.maketrans(_ENTITIES_IN_CLOZE)


def clean(text: str) -> str:
    """Newlines normalised, control characters (other than tab and newline) dropped."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def mathjax(text: str) -> str:
    """`$x$` -> `\\(x\\)`, `$$x$$` -> `\\[x\\]`; the plain-text form of what the field shows (tests use it)."""
    return _MATH.sub(lambda m: rf"\({m['inline']}\)" if m["inline"] is not None else rf"\[{m['display']}\]", text)


def field_html(text: str | None, *, in_cloze: bool = False) -> str:
    """One field's HTML: escaped, with math delimiters for MathJax."""
    if not text:
        return ""
    table = _TABLE_IN_CLOZE if in_cloze else _TABLE
    if not text.isprintable():  # a tab, newline or control character (or an unprintable letter): cleaned first
        text = clean(text)
    if "$" not in text:  # no math, as in most fields: the regex's scan saved
        return text.translate(table)
    out: list[str] = []
    last = 0
    for match in _MATH.finditer(text):
        out.append(text[last:match.start()].translate(table))
        if match["inline"] is not None:
            out.append(r"\(" + match["inline"].translate(table) + r"\)")
        else:
            out.append(r"\[" + match["display"].translate(table) + r"\]")
        last = match.end()
    out.append(text[last:].translate(table))
    return "".join(out)


def cloze_html(text: str) -> str:
    """A cloze Text field: readroom's deletions as Anki cloze syntax, everything else escaped."""
    out: list[str] = []
    for segment in cloze.parse(text):
        if isinstance(segment, str):
            out.append(field_html(segment))
            continue
        # An empty hint shows as "[]" in Anki but as "[...]" in readroom: leave it out.
        hint = "::" + field_html(segment.hint, in_cloze=True) if segment.hint else ""
        out.append(f"{{{{c{segment.number}::{field_html(segment.answer, in_cloze=True)}{hint}}}}}")
    return "".join(out)


def tag(text: str) -> str:
    """An Anki tag: readroom's tag rule (no spaces: Anki splits tags on them), no control characters. Tags stored
    before notes followed the rule are put in its form here."""
    return tag_form(clean(text))
