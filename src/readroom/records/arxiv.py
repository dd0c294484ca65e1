"""An arXiv paper's metadata, as the API, the listings and the Discover index all give it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from readroom.records.papers import first_author


@dataclass(frozen=True)
class ArxivEntry:
    """One arXiv paper's metadata, from the arXiv API (`readroom add`), a listing or the Discover index. Each
    source sets what it knows: only the API gives comment, journal_ref and doi."""

    arxiv_id: str  # without version
    version: int
    title: str
    authors: list[str]
    abstract: str
    categories: list[str] = field(default_factory=list)
    primary_category: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None

    @property
    def first_author(self) -> str:
        return first_author(self.authors)
