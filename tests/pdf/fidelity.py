"""How close a parsed paper comes to the structure read off its pages (../shared/fixtures/papers/truth.json).

Pure functions of one truth entry and the parser's output, shared by benchmarks/bench_fidelity.py and tests.
Text is compared by `key`: NFKC (no ligatures), casefolded, letters and digits only, so that whitespace, line-end
hyphens, punctuation and quote styles do not count.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readroom.structure import ParsedPaper

ABSTRACT_CHARS = 60  # how much of the truth's first sentence the parsed abstract must start with
# One leading section number: "1", "1.", "2.3", "A", "A.1", "I.", "Appendix A", "Appendix A:".
_NUMBERING = re.compile(r"^(?:(?i:appendix)\s+)?(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z](?:\.\d{1,2})*\.?|[IVX]{1,5}\.)[:.]?\s+")


def key(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def heading_keys(title: str) -> set[str]:
    """The keys a heading may match: as printed and without its number. Both, because a letter can be a word:
    "3. A TOUR OF MEGASTORE" and "A Proofs" (appendix A) look the same at the start."""
    return {k for k in (key(title), key(_NUMBERING.sub("", title.strip(" #*_"), count=1))) if k}


def match_headings(titles: list[str], truth: list[str], taken: set[int] | None = None) -> list[int | None]:
    """For each parsed title in order, the index of the first truth heading it matches that no earlier one took."""
    taken = set() if taken is None else taken
    truth_keys = [key(t) for t in truth]
    found: list[int | None] = []
    for title in titles:
        keys = heading_keys(title)
        hit = next((i for i, k in enumerate(truth_keys) if i not in taken and k in keys), None)
        if hit is not None:
            taken.add(hit)
        found.append(hit)
    return found


def title_right(truth: dict, title: str | None) -> bool:
    printed = [truth["title"]] + ([f"{truth['title']} {truth['subtitle']}"] if truth.get("subtitle") else [])
    return title is not None and key(title) in {key(t) for t in printed}


def abstract_right(truth: dict, abstract: str | None) -> bool:
    return abstract is not None and key(abstract).startswith(key(truth["abstract_starts_with"])[:ABSTRACT_CHARS])


def score_headings(truth: dict, headings: list[tuple[int, str]]) -> dict:
    """Top-level recall and precision (over parsed level-1 headings), the share of found subsections that are at
    level 2, and the junk: parsed level-1/2 headings that are no heading of the truth at all. Parsed level 3 and
    deeper is never junk, as the truth lists those levels only by example."""
    top = [s["title"] for s in truth["sections"]]
    subs = [sub["title"] for s in truth["sections"] for sub in s.get("subsections", [])]
    level1 = [t for level, t in headings if level == 1]
    top_hits = match_headings(level1, top)
    top_found = sum(i is not None for i in top_hits)
    taken: set[int] = set()
    subs_at_2 = sum(i is not None for i in match_headings([t for level, t in headings if level == 2], subs, taken))
    # A subsection found at another level: a level-1 heading no top-level section took, or level 3 and deeper.
    elsewhere = [t for t, hit in zip(level1, top_hits, strict=True) if hit is None]
    elsewhere += [t for level, t in headings if level > 2]
    subs_elsewhere = sum(i is not None for i in match_headings(elsewhere, subs, taken))
    known = set().union(*(heading_keys(t) for t in top + subs + truth.get("front_matter_headings", [])
                          + truth.get("level3_examples", [])))
    junk = [t for level, t in headings if level <= 2 and not heading_keys(t) & known]
    return {
        "top_recall": top_found / len(top) if top else None,
        "top_precision": top_found / len(level1) if level1 else None,
        "subsections_found": (subs_at_2 + subs_elsewhere, len(subs)),
        "levels_right": subs_at_2 / (subs_at_2 + subs_elsewhere) if subs_at_2 + subs_elsewhere else None,
        "junk": junk,
    }


def score_paper(truth: dict, paper: ParsedPaper) -> dict:
    kinds = [c.kind for c in paper.figures]
    return {
        "title_right": title_right(truth, paper.title),
        "abstract_right": abstract_right(truth, paper.abstract),
        **score_headings(truth, [(s.level, s.title) for s in paper.sections]),
        "references": (len(paper.references), truth["references"]),
        "figure_captions": (kinds.count("figure"), truth["figure_captions"]),
        "table_captions": (kinds.count("table"), truth["table_captions"]),
    }
