"""`readroom import-annotations` as a use case: the highlights a user made in a PDF viewer become readroom
highlights (pdf/annotations.py reads them; the cards service stores them, skipping what was imported before)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from readroom import paths
from readroom.errors import BadInput, NotFound
from readroom.terminal import excerpt


@dataclass(frozen=True)
class AnnotationImport:
    pdf: Path
    found: int  # marks in the PDF
    added: list  # the new highlights (cards.service.HighlightView)
    skipped: int  # imported before

    @property
    def empty(self) -> int:
        """Marks with no text under them (a highlight drawn over a figure, say)."""
        return self.found - len(self.added) - self.skipped


def import_annotations(paper_ref: str, pdf: str | None, *, now: datetime) -> AnnotationImport:
    """Read the marks from the paper's stored PDF, or from `pdf` (a copy the user annotated), and store them."""
    from readroom import library
    from readroom.cards import service
    from readroom.pdf.annotations import read_annotations

    detail = library.show(paper_ref)
    if pdf:
        path = Path(pdf).expanduser()
        try:
            paths.check_regular(path, "a PDF file")
        except OSError:
            raise BadInput(f"{excerpt(path)} is not a file; give the PDF you annotated.") from None
    elif detail.pdf_path:
        path = Path(detail.pdf_path)
    else:
        raise NotFound(f"{detail.title} has no stored PDF; pass the annotated file with --pdf FILE.")
    found = read_annotations(path, [(s.title, s.page) for s in detail.sections])
    added, skipped = service.import_pdf_highlights(detail.id, found, now=now)
    return AnnotationImport(path, len(found), added, skipped)
