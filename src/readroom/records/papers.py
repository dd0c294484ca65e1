"""Papers in the library: a summary for lists, the detail for `show` and the reader, the outcome of an add."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from readroom.structure import Caption, Reference, Section

YEARS = range(1000, 10000)  # a paper's year has four digits: BibTeX, the lists and the sort read it so


# A word that makes a name a group's, which has no surname to take (Zotero's single-field author): "The readroom
# team", "ATLAS Collaboration", "Google Research".
_GROUP_WORDS = frozenset("team group collaboration consortium project committee lab labs laboratory institute "
                         "university research inc ltd llc corporation foundation association society organization "
                         "organisation center centre".split())


def is_group(name: str) -> bool:
    words = [w.strip(".,") for w in name.lower().split()]
    return len(words) > 1 and (words[0] == "the" or any(w in _GROUP_WORDS for w in words))


def surname(name: str) -> str:
    """What a list and a citation key call an author by: "He" for "Kaiming He" or "He, Kaiming"; a group goes by
    its whole name less a leading "The", as catalogues file it ("readroom team": not "team", and whole in the
    library's 13-column First author, where "The readroom…" said nothing)."""
    name = " ".join(name.split())
    if is_group(name):
        article, _, rest = name.partition(" ")
        return rest if article.lower() == "the" else name
    if "," in name:
        return name.split(",")[0].strip() or name
    return name.rsplit(" ", 1)[-1]


def first_author(authors: list[str]) -> str:
    """The first author's last name, with "et al." when there are more: how lists name a paper."""
    if not authors:
        return ""
    return (surname(authors[0]) or authors[0]) + (" et al." if len(authors) > 1 else "")


@dataclass
class PaperSummary:
    id: str
    source: str
    title: str
    authors: list[str]
    year: int | None
    arxiv_id: str | None
    arxiv_version: int | None
    classic_key: str | None
    added_at: datetime
    parse_status: str
    tags: list[str] = field(default_factory=list)

    @property
    def short_id(self) -> str:
        return self.id[:8]

    @property
    def first_author(self) -> str:
        return first_author(self.authors)

    def to_json(self) -> dict:
        data = asdict(self)
        data["added_at"] = self.added_at.isoformat()
        return data


@dataclass
class PaperDetail(PaperSummary):
    abstract: str = ""
    doi: str | None = None
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    primary_category: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    comment: str | None = None
    journal_ref: str | None = None
    latest_version: int | None = None
    pdf_path: str | None = None  # absolute path of the stored PDF
    pdf_sha256: str | None = None
    pdf_size: int | None = None
    page_count: int | None = None
    parse_error: str | None = None
    structure_source: str | None = None  # "outline" or "layout" for a parsed paper (see ParsedPaper)
    sections: list[Section] = field(default_factory=list)
    figures: list[Caption] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    def to_json(self, *, with_text: bool = False) -> dict:
        data = super().to_json()
        for key in ("published", "updated"):
            data[key] = getattr(self, key).isoformat() if getattr(self, key) else None
        if not with_text:
            for section in data["sections"]:
                section.pop("text", None)
        return data


@dataclass
class AddOutcome:
    """What happened to one argument of `readroom add`."""

    query: str
    status: str  # added / exists / updated / failed
    message: str
    paper: PaperSummary | None = None
    warning: str | None = None  # e.g. the PDF could not be parsed, but the paper was kept
    exit_code: int = 0  # the failure's exit code, for the CLI
