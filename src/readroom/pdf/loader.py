"""Import and open PyMuPDF the cheap way, and turn its failures into messages a user understands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from readroom.errors import PdfUnreadable


def pymupdf() -> Any:
    """The pymupdf module, without the optional layout model.

    PyMuPDF 1.26+/2.x imports `pymupdf.layout` (and through it onnxruntime) when it is installed: 1.1 s and
    ~100 MB more at start-up for a model we do not use. Marking those modules absent keeps `import pymupdf`
    at ~0.25 s; font statistics give us the headings (see parse.py).
    """
    if "pymupdf" not in sys.modules:
        for optional in ("pymupdf.layout", "pymupdf4llm"):
            sys.modules.setdefault(optional, None)  # type: ignore[arg-type]
    import pymupdf as module

    module.TOOLS.mupdf_display_errors(False)  # MuPDF would print repair chatter on stderr; we report ourselves
    module.TOOLS.mupdf_display_warnings(False)
    return module


def open_pdf(path: Path) -> Any:
    """An open pymupdf Document with at least one page, or PdfUnreadable saying why not."""
    fitz = pymupdf()
    if not path.is_file():
        raise PdfUnreadable(f"{path} is missing.")
    try:
        doc = fitz.open(path, filetype="pdf")
    except Exception as exc:  # pymupdf raises FileDataError/RuntimeError with C-level messages
        raise PdfUnreadable(f"{path.name} is not a readable PDF ({_short(exc)}).") from exc
    if doc.needs_pass and not doc.authenticate(""):
        doc.close()
        raise PdfUnreadable(f"{path.name} is encrypted with a password; readroom cannot read its text.")
    if doc.page_count == 0:
        doc.close()
        raise PdfUnreadable(f"{path.name} has no pages.")
    return doc


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return text[:120]
