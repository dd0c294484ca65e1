"""The library table's data: one row per paper, and the sort/filter/search applied to them in memory.

Kept free of Textual so it is quick to test; 1,000 papers filter in about a millisecond, faster than a
round trip to SQLite, so every keystroke in the search box is answered at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from readroom.library import NO_PDF, matches, search_words
from readroom.reading import ReadingState, has_status, plans
from readroom.records.papers import PaperSummary

SORTS = ("added", "title", "year", "author")  # the order the sort key cycles through


@dataclass(frozen=True)
class PaperRow:
    id: str
    title: str
    first_author: str
    authors_text: str  # all authors, lower-cased, for sorting
    year: int | None
    source: str
    tags: tuple[str, ...]
    added_at: datetime
    status: str  # 'pass 1'..'pass 3', 'parked', 'dropped', 'done'
    state: ReadingState
    progress: str  # 'pass 1 · 3/6', 'no PDF' while one is read without it, or the status once decided
    cards: tuple[int, int, int] | None = None  # new, learning and due cards as Anki counts them; None: no cards
    search_text: str = ""  # title, authors and abstract, as library.search_texts gives it


def build_rows(papers: list[PaperSummary], states: dict[str, ReadingState],
               cards: dict[str, tuple[int, int, int]] | None = None, texts: dict[str, str] | None = None) -> list[PaperRow]:
    """`cards` maps paper id -> (new, learning, due) cards, as cards.per_paper.cards_by_paper gives it; `texts`
    paper id -> what a search looks in, as library.search_texts gives it."""
    rows = []
    cards, texts = cards or {}, texts or {}
    # ReadingState.progress() looks the plans up per call (a stat of config.toml); once is enough for 1,000.
    items = {number: {item.id for item in plan.items} for number, plan in plans().items()}
    for paper in papers:
        state = states.get(paper.id) or ReadingState(paper.id)
        status = state.status
        if state.decision == "reading" and paper.parse_status == NO_PDF:
            progress = "no PDF"  # nothing to read yet: the reader says how to fetch it
        elif state.decision == "reading":
            ids = items[state.pass_no]
            progress = f"{status} · {len(state.ticks.get(state.pass_no, set()) & ids)}/{len(ids)}"
        else:
            progress = status
        rows.append(PaperRow(
            id=paper.id, title=paper.title, first_author=paper.first_author,
            authors_text=" ".join(paper.authors).lower(), year=paper.year, source=paper.source,
            tags=tuple(paper.tags), added_at=paper.added_at, status=status, state=state, progress=progress,
            cards=cards.get(paper.id),
            search_text=texts.get(paper.id) or f"{paper.title} {' '.join(paper.authors)}".casefold(),
        ))
    return rows


def read_rows() -> list[PaperRow]:
    """Every paper in the library as a row, with its reading state, cards and search text: four quick reads."""
    from readroom import clock, library, reading
    from readroom.cards.per_paper import cards_by_paper

    papers = library.list_papers()
    return build_rows(papers, reading.states([p.id for p in papers]), cards_by_paper(clock.now_seconds()),
                      library.search_texts())


@dataclass
class RowFilter:
    search: str = ""
    tag: str | None = None
    status: str | None = None  # one of reading.STATUSES; 'reading' means any pass
    sort: str = "added"
    words: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.words = search_words(self.search)

    def keeps(self, row: PaperRow) -> bool:
        if self.tag and self.tag not in row.tags:
            return False
        if self.status and not has_status(row.state, self.status):
            return False
        return matches(row.search_text, self.words)

    def apply(self, rows: list[PaperRow]) -> list[PaperRow]:
        return sort_rows([r for r in rows if self.keeps(r)], self.sort)


def sort_rows(rows: list[PaperRow], sort: str) -> list[PaperRow]:
    """The same orders as `readroom list --sort`."""
    # Papers added in the same second (one `readroom add a b`) fall back to title order: stable across runs.
    by_added = sorted(sorted(rows, key=lambda r: r.title.casefold()), key=lambda r: r.added_at, reverse=True)
    if sort == "title":
        return sorted(rows, key=lambda r: r.title.casefold())
    if sort == "year":
        return sorted(by_added, key=lambda r: r.year or 0, reverse=True)  # stable: newest added first per year
    if sort == "author":
        return sorted(rows, key=lambda r: r.authors_text.casefold())
    return by_added


def next_sort(sort: str) -> str:
    return SORTS[(SORTS.index(sort) + 1) % len(SORTS)] if sort in SORTS else SORTS[0]


def all_tags(rows: list[PaperRow]) -> list[str]:
    return sorted({tag for row in rows for tag in row.tags})
