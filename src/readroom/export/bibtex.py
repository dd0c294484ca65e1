"""BibTeX for papers, pure Python. arXiv papers come out as arXiv's own "Export BibTeX citation" writes them:

    @misc{he2015deep,
          title={Deep Residual Learning for Image Recognition},
          author={Kaiming He and Xiangyu Zhang and Shaoqing Ren and Jian Sun},
          year={2015},
          eprint={1512.03385},
          archivePrefix={arXiv},
          primaryClass={cs.CV},
          url={https://arxiv.org/abs/1512.03385},
    }

Citation keys are first author's last name, year and first significant title word, in ASCII. They are worked out
over the whole library, so exporting one paper or all gives it the same key: where two papers share a key, the one
added first keeps it and later ones get a, b, c, ... (adding a paper never changes an older paper's key).
"""

from __future__ import annotations

import re
import unicodedata

from readroom.export.selection import CardFilter, PaperInfo, select_papers
from readroom.records.papers import is_group, surname

_LATEX = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_TABLE = str.maketrans(_LATEX)
# Controls other than whitespace (ESC, BEL, DEL, C1) would drive a terminal that shows the .bib file: dropped.
_LATEX_TABLE.update(dict.fromkeys((c for c in [*range(0x20), *range(0x7F, 0xA0)] if not chr(c).isspace()), None))
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe",
                       "đ": "d", "Đ": "D", "ı": "i", "þ": "th"})
_STOPWORDS = frozenset("a an the on of in for to and with from by at is are as towards toward via".split())
_WORD = re.compile(r"[a-z0-9]+")


_LIGATURE = re.compile(r"([-`'?!])(?=[-`'])")  # "--" prints as an en dash, "``" as a quote, "?`" as "¿"


def escape(text: str) -> str:
    """LaTeX's special characters written so they print as themselves; other Unicode stays (biber reads UTF-8),
    controls go. Sequences that TeX fonts turn into dashes or quotes are split with an empty group."""
    return " ".join(_LIGATURE.sub(r"\1{}", text.translate(_LATEX_TABLE)).split())


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode().lower()


def _author(name: str) -> str:
    """A group's name in braces, so BibTeX takes it whole instead of as "team, The readroom"."""
    return f"{{{escape(name)}}}" if is_group(name) else escape(name)


def base_key(paper: PaperInfo) -> str:
    """firstauthorlastnameYEARfirstword, e.g. he2015deep."""
    first = paper.authors[0] if paper.authors else ""
    words = _WORD.findall(ascii_fold(surname(first)))
    # a group by its first significant word ("The readroom team" -> readroom), a person by the whole surname
    last = next((w for w in words if w not in _STOPWORDS), "") if is_group(first) else "".join(words)
    title_words = [w for w in _WORD.findall(ascii_fold(paper.title)) if w not in _STOPWORDS]
    return f"{last or 'anon'}{paper.year or ''}{title_words[0] if title_words else ''}"


def citation_keys(papers: list[PaperInfo]) -> dict[str, str]:
    """paper id -> key, for papers in the order they were added; a repeated key gets a, b, ..., z, aa, ab ..."""
    keys: dict[str, str] = {}
    taken: dict[str, int] = {}
    used: set[str] = set()
    for paper in papers:
        base = base_key(paper)
        n = taken.get(base, 0)
        key = base if n == 0 else base + _suffix(n)
        while key in used:  # "smith2020a" can be both a base key and a suffixed one
            n += 1
            key = base + _suffix(n)
        taken[base] = n + 1
        used.add(key)
        keys[paper.id] = key
    return keys


def _suffix(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def entry(paper: PaperInfo, key: str) -> str:
    fields = [("title", escape(paper.title)), ("author", " and ".join(_author(a) for a in paper.authors))]
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.arxiv_id:
        fields.append(("eprint", paper.arxiv_id))
        fields.append(("archivePrefix", "arXiv"))
        if paper.primary_category:
            fields.append(("primaryClass", paper.primary_category))
        fields.append(("url", f"https://arxiv.org/abs/{paper.arxiv_id}"))
    else:
        if paper.doi:
            fields.append(("doi", escape(paper.doi)))
        if paper.journal_ref:
            fields.append(("howpublished", escape(paper.journal_ref)))
        if paper.link:
            fields.append(("url", escape(paper.link)))
    body = "".join(f"      {name}={{{value}}},\n" for name, value in fields if value)
    return f"@misc{{{key},\n{body}}}\n"


def bibtex(selection: CardFilter) -> tuple[str, int]:
    """The entries for the selected papers (keys from the whole library), and how many there are."""
    chosen = select_papers(selection)
    everyone = chosen if not (selection.paper or selection.tag) else select_papers(CardFilter())
    keys = citation_keys(everyone)
    return "\n".join(entry(p, keys[p.id]) for p in chosen), len(chosen)
