"""Papers for export tests, written through the library service into a real SQLite library."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def store_paper(title: str, authors: list[str], year: int, *, arxiv_id: str | None = None,
                classic_key: str | None = None, primary_category: str | None = None, tags: tuple[str, ...] = (),
                doi: str | None = None, url: str | None = None) -> str:
    """A paper row as `readroom add` stores it (no PDF file needed for exports)."""
    from readroom import library
    from readroom.sources.download import DownloadedPdf

    paper_id = str(uuid.uuid4())
    fields = dict(source="arxiv" if arxiv_id else "url", arxiv_id=arxiv_id, arxiv_version=1 if arxiv_id else None,
                  classic_key=classic_key, title=title, authors=authors, year=year, abstract="",
                  primary_category=primary_category, categories=[primary_category] if primary_category else [],
                  doi=doi, url=url)
    library._store(fields, DownloadedPdf(Path(f"{paper_id}.pdf"), paper_id.replace("-", "") * 2, 1000), None, None,
                   list(tags), paper_id=paper_id)
    return paper_id
