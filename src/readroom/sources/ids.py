"""Recognise what the user typed after `readroom add`: an arXiv id in any form, a DOI, a URL, a file, a name.

Pure functions, no network and no heavy imports, so the CLI can reject bad input instantly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from readroom.errors import BadInput
from readroom.structure import Reference
from readroom.terminal import excerpt

ARXIV_DOI_PREFIX = "10.48550/arxiv."

# New-style ids: YYMM.NNNN (Apr 2007 - Dec 2014) or YYMM.NNNNN (from Jan 2015).
_NEW_ID = re.compile(r"(?P<yymm>\d{4})\.(?P<num>\d{4,5})(?:v(?P<version>\d+))?")
# Old-style ids: archive(.SUBJECT-CLASS)/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136.
_OLD_ID = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.(?P<subject>[A-Z]{2}))?/(?P<num>\d{7})(?:v(?P<version>\d+))?"
)
_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org", "browse.arxiv.org"}
_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)


@dataclass(frozen=True)
class ArxivRef:
    id: str  # canonical, without version: "1512.03385", "hep-th/9901001"
    version: int | None = None

    def __str__(self) -> str:
        return f"{self.id}v{self.version}" if self.version else self.id


@dataclass(frozen=True)
class LocalPdf:
    path: Path


@dataclass(frozen=True)
class PdfUrl:
    url: str


@dataclass(frozen=True)
class ClassicName:
    name: str


@dataclass(frozen=True)
class Doi:
    doi: str  # not arXiv's: looked up at Crossref


Identifier = ArxivRef | LocalPdf | PdfUrl | ClassicName | Doi


def parse_arxiv_id(text: str) -> ArxivRef | None:
    """The arXiv id in `text` if all of it is one (new or old style, optional version), else None.

    Raises BadInput for strings that look like an arXiv id but cannot be one (e.g. `1512.0338`).
    """
    text = text.strip()
    if text.lower().startswith("arxiv:"):
        text = text[len("arxiv:"):]
    if m := _NEW_ID.fullmatch(text):
        return _checked_new_id(m, text)
    if m := _OLD_ID.fullmatch(text):
        version = int(m["version"]) if m["version"] else None
        # The subject class (".GT") is not part of the identifier; the API knows math/0309136.
        return ArxivRef(f"{m['archive']}/{m['num']}", _positive(version, text))
    if re.fullmatch(r"\d{4}\.\d+(v\d+)?", text):
        raise BadInput(f"'{excerpt(text)}' is not a valid arXiv id: the part after the dot has 4 or 5 digits, e.g. 1512.03385.")
    return None


def _checked_new_id(m: re.Match[str], text: str) -> ArxivRef:
    yymm, num = m["yymm"], m["num"]
    month = int(yymm[2:])
    if not 1 <= month <= 12:
        raise BadInput(f"'{excerpt(text)}' is not a valid arXiv id: {yymm} is not a year and month (YYMM).")
    expected = 5 if int(yymm) >= 1501 else 4
    if len(num) != expected:
        example = "1512.03385" if expected == 5 else "1311.2901"
        raise BadInput(
            f"'{excerpt(text)}' is not a valid arXiv id: ids from {'2015 on' if expected == 5 else 'before 2015'} "
            f"have {expected} digits after the dot, e.g. {example}."
        )
    version = int(m["version"]) if m["version"] else None
    return ArxivRef(f"{yymm}.{num}", _positive(version, text))


def _positive(version: int | None, text: str) -> int | None:
    if version == 0:
        raise BadInput(f"'{excerpt(text)}' is not a valid arXiv id: versions start at v1.")
    return version


def arxiv_from_url(url: str) -> ArxivRef | None:
    """The arXiv id in an arxiv.org abs/pdf/html URL, or None when the URL is not arXiv's."""
    parts = urlsplit(url)
    if parts.hostname not in _ARXIV_HOSTS:
        return None
    path = unquote(parts.path).strip("/")
    kind, _, rest = path.partition("/")
    if kind not in {"abs", "pdf", "html", "format"} or not rest:
        raise BadInput(f"'{excerpt(url)}' is an arXiv address but not of a paper; give its abs or pdf link.")
    rest = rest.removesuffix(".pdf").rstrip("/")
    ref = parse_arxiv_id(rest)
    if ref is None:
        raise BadInput(f"'{excerpt(url)}' does not hold an arXiv id readroom recognises.")
    return ref


def arxiv_from_doi(doi: str) -> ArxivRef | None:
    """The arXiv id behind an arXiv DOI (10.48550/arXiv.1512.03385), else None."""
    if doi.lower().startswith(ARXIV_DOI_PREFIX):
        return parse_arxiv_id(doi[len(ARXIV_DOI_PREFIX):])
    return None


def parse_identifier(text: str) -> Identifier:
    """Classify one argument of `readroom add`. Raises BadInput with a one-line reason."""
    text = text.strip()
    if not text:
        raise BadInput("An empty argument is not a paper; give an arXiv id, URL, PDF file or classic name.")
    if ref := parse_arxiv_id(text):
        return ref
    lowered = text.lower()
    doi = doi_in(text)
    if doi is not None:
        return arxiv_from_doi(doi) or Doi(doi)
    if lowered.startswith(("http://", "https://")):
        return arxiv_from_url(text) or PdfUrl(text)
    path = _expand(text)
    if path.suffix.lower() == ".pdf" or "/" in text or "\\" in text or _exists(path):
        return LocalPdf(path)
    return ClassicName(text)


def _expand(text: str) -> Path:
    try:
        return Path(text).expanduser()
    except RuntimeError:  # "~someone" with no such user: take the text literally
        return Path(text)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long to be a file's: a classic name, or nothing
        return False


def doi_in(text: str) -> str | None:
    """The DOI if `text` is a bare DOI, `doi:` DOI or a doi.org link."""
    candidate = text
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"):
        if candidate.lower().startswith(prefix):
            candidate = candidate[len(prefix):]
            break
    if _DOI.fullmatch(candidate):
        return unquote(candidate)
    return None


def arxiv_ids_in(text: str) -> list[str]:
    """Every arXiv id mentioned in free text (a reference entry), without versions, in order."""
    found: list[str] = []
    for m in re.finditer(
        r"(?:arxiv(?:\.org)?[:\s./,]*(?:abs/|pdf/)?\s*)(\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
        text,
        re.IGNORECASE,
    ):
        try:
            ref = parse_arxiv_id(m[1])
        except BadInput:
            continue
        if ref and ref.id not in found:
            found.append(ref.id)
    return found


_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
# arXiv's margin stamp on page 1: "arXiv:1512.03385v1 [cs.CV] 10 Dec 2015".
_STAMP = re.compile(r"arXiv:\s*(\S+?v\d+)\s*\[[\w.-]+\]")
_PRINTED_ARXIV = re.compile(r"arXiv:\s*(\d{4}\.\d{4,5}(?:v\d+)?|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)",
                            re.IGNORECASE)

# Where a reference list starts: its heading, or its first entry when it has none (REVTeX).
_REFERENCES_HEADING = re.compile(r"^\s*(?:(?:\d+\.?\s*|[IVX]+\.\s*)?(?:references|bibliography)\s*$|\[1\]\s)",
                                 re.IGNORECASE | re.MULTILINE)


def printed_ids(text: str) -> tuple[ArxivRef | None, str | None]:
    """The paper's own arXiv id and DOI as page 1 prints them (`text`): arXiv's margin stamp, else the one arXiv id
    the page names before any reference list; the one DOI it names. A page naming several is citing others: then
    none (an arXiv DOI gives its arXiv id)."""
    text = _REFERENCES_HEADING.split(text, maxsplit=1)[0]  # a one-page paper's own list cites others
    stamp = _STAMP.search(text)
    candidates = [stamp[1]] if stamp else list(dict.fromkeys(m[1] for m in _PRINTED_ARXIV.finditer(text)))
    ref = _valid_arxiv(candidates[0]) if len(candidates) == 1 else None
    dois = list(dict.fromkeys(m[1].rstrip(".,;)]}") for m in _DOI.finditer(text)))
    doi = dois[0] if len(dois) == 1 else None
    if ref is None and doi is not None:
        try:
            ref = arxiv_from_doi(doi)
        except BadInput:
            ref = None
    return ref, doi


def _valid_arxiv(text: str) -> ArxivRef | None:
    try:
        return parse_arxiv_id(text)
    except BadInput:
        return None


def reference_of(raw: str) -> Reference:
    """A reference entry with the arXiv id and DOI it cites, if any (an arXiv DOI counts as its arXiv id)."""
    ids = arxiv_ids_in(raw)
    doi = _DOI.search(raw)
    doi_text = doi[1].rstrip(".,;)]}") if doi else None
    if doi_text and doi_text.lower().startswith("10.48550/arxiv.") and not ids:
        ids = arxiv_ids_in("arXiv:" + doi_text.split(".", 2)[-1])
    return Reference(raw=raw, arxiv_id=ids[0] if ids else None, doi=doi_text)
