"""The paper library: add, find, list, show, tag, remove, reparse. The one service the CLI and the TUI call.

Heavy parts (SQLModel, httpx, arxiv, PyMuPDF) are imported inside the functions that need them, so that
reading commands start fast.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from readroom import clock, paths
from readroom.errors import BadInput, DownloadError, NetworkError, NotFound, PdfUnreadable, ReadroomError
from readroom.records.papers import YEARS, AddOutcome, PaperDetail, PaperSummary
from readroom.sources.classics import Classic, find_classic
from readroom.sources.ids import ArxivRef, ClassicName, Doi, Identifier, LocalPdf, PdfUrl, parse_identifier
from readroom.storage import papers
from readroom.structure import ParsedPaper
from readroom.tags import normalize_tag, normalize_tags
from readroom.terminal import excerpt

if TYPE_CHECKING:  # annotations only: `readroom list` need not import the arXiv record or httpx
    from readroom.records.arxiv import ArxivEntry
    from readroom.sources.crossref import CrossrefWork
    from readroom.sources.saved_pdf import DownloadedPdf

log = logging.getLogger(__name__)

DEMO_PDF = "demo/three-pass-reading.pdf"
DEMO_TAG = "demo"
WELCOME_HIDDEN = "welcome-hidden"  # a file in $READROOM_HOME: the app's welcome was dismissed, for good
DEMO_OFFERED = "demo-offered"  # a file in $READROOM_HOME: the demo paper was added once, never again
_DEMO_OFFERED_WHY = "The demo paper was offered once; delete this file to have it added to an empty library again."
NO_PDF = "no_pdf"  # the parse status of a paper stored from its metadata alone (its PDF could not be fetched)
ADD_THE_FILE = "add the PDF file with `readroom add path/to/paper.pdf`"  # for a paper with no address to fetch from


class AddProgress:
    """What `add` reports while it works; the CLI draws bars, the TUI posts messages. Defaults do nothing."""

    def step(self, query: str, text: str) -> None:
        pass

    def download(self, done: int, total: int | None) -> None:
        pass

    def parse(self, done: int, total: int) -> None:
        pass


@dataclass
class AddOptions:
    update: bool = False
    title: str | None = None
    authors: list[str] | None = None
    year: int | None = None
    tags: list[str] = field(default_factory=list)
    pdf: bool = False  # fetch the PDF of papers held without one (`readroom add --pdf ID`)

    def __post_init__(self) -> None:  # both faces build one from what the user typed
        if self.year is not None and self.year not in YEARS:
            raise BadInput(f"A year is from {YEARS.start} to {YEARS.stop - 1}, not {excerpt(self.year)}.")


# --------------------------------------------------------------------------------------------- reading


def list_papers(*, tag: str | None = None, search: str | None = None, sort: str = "added",
                source: str | None = None) -> list[PaperSummary]:
    if sort not in papers.SORTS:
        raise BadInput(f"Cannot sort by '{excerpt(sort)}'; choose one of {', '.join(papers.SORTS)}.")
    listed = papers.list_papers(tag=normalize_tag(tag) if tag else None, sort=sort, source=source)
    if not search_words(search or ""):
        return listed
    texts, words = search_texts(), search_words(search or "")
    return [p for p in listed if matches(texts.get(p.id, ""), words)]


# The one search rule, for `readroom list --search` and the library screen's search box alike: every word of the
# query appears, case-insensitively, in the paper's title, authors or abstract.


def search_words(query: str) -> list[str]:
    return query.casefold().split()


def search_texts() -> dict[str, str]:
    """paper id -> the text a search looks in."""
    return {paper_id: " ".join([title, *authors, abstract]).casefold()
            for paper_id, (title, authors, abstract) in papers.search_fields().items()}


def matches(text: str, words: list[str]) -> bool:
    return all(word in text for word in words)


def resolve(ref: str) -> str:
    """The id of the paper `ref` names: its id or a unique prefix of it, its arXiv id, its DOI (any form `add`
    takes), or its classic key."""
    from readroom.sources.ids import doi_in

    ref = ref.strip()
    matches = papers.matching_ids(ref, _arxiv_id_or_none(ref), doi_in(ref))
    if matches is None:
        raise NotFound(f"No paper matches '{excerpt(ref)}': your library is empty. Add one with `readroom add`.")
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise BadInput(f"'{excerpt(ref)}' matches several papers; give more characters of the id.")
    raise NotFound(f"No paper matches '{excerpt(ref)}' in your library; see `readroom list`.")


def _arxiv_id_or_none(ref: str) -> str | None:
    from readroom.sources.ids import parse_arxiv_id

    try:
        parsed = parse_arxiv_id(ref)
    except BadInput:
        return None
    return parsed.id if parsed else None


def show(ref: str) -> PaperDetail:
    detail = papers.paper_detail(resolve(ref))
    if detail.pdf_path:
        detail.pdf_path = str(paths.papers_dir() / detail.pdf_path)
    _find_images(detail)
    return detail


def structure_warning(detail: PaperDetail) -> str | None:
    """One line saying the parse is thin (fewer than two sections, or no abstract) and offering the PDF, or how to
    fetch the PDF of a paper stored without one, for `show` and the reader alike; None when the structure looks
    whole or the paper was not parsed."""
    if detail.parse_status == NO_PDF:
        if not (detail.arxiv_id or detail.classic_key or detail.url):  # a DOI Crossref lists no PDF for
            return f"Stored without its PDF; {ADD_THE_FILE}."
        ref = detail.arxiv_id or detail.classic_key or detail.short_id
        return f"Stored without its PDF; fetch it with `readroom add --pdf {ref}`, or `readroom add` the PDF file."
    if detail.parse_status != "parsed":
        return None
    few = len(detail.sections) < 2
    if few and not detail.abstract:
        found = f"Few sections ({len(detail.sections)}) and no abstract were found in this PDF"
    elif few:
        found = f"Few sections were found in this PDF ({len(detail.sections)})"
    elif not detail.abstract:
        found = "No abstract was found in this PDF"
    else:
        return None
    where = f", or open {detail.pdf_path}" if detail.pdf_path else ""
    return f"{found}; read it in the PDF: `o` in the reader{where}."


# --------------------------------------------------------------------------------------------- adding


def add(queries: list[str], options: AddOptions | None = None, progress: AddProgress | None = None) -> list[AddOutcome]:
    """Add each query (arXiv id, URL, DOI, file, classic name); one outcome per query, in order.

    A failure of one query does not stop the others. arXiv metadata for all of them comes in one request.
    """
    options = options or AddOptions()
    progress = progress or AddProgress()
    from readroom.sources.partfiles import sweep

    sweep(paths.papers_dir())  # what a killed add left behind
    plans: list[tuple[str, Identifier | Classic]] = []
    outcomes: dict[int, AddOutcome] = {}
    for index, query in enumerate(queries):
        try:
            if options.pdf and (held := _held_or_none(query)):
                outcomes[index] = fetch_pdf(query, held, progress)
                plans.append((query, None))  # type: ignore[arg-type]
                continue
            plans.append((query, _plan(query)))
        except ReadroomError as exc:
            outcomes[index] = AddOutcome(query, "failed", exc.message, exit_code=exc.exit_code)
            plans.append((query, None))  # type: ignore[arg-type]
    arxiv_refs = [ref for _, target in plans if (ref := _arxiv_ref(target))]
    metadata, metadata_error = _fetch_metadata(arxiv_refs, progress)
    for index, (query, target) in enumerate(plans):
        if index in outcomes:
            continue
        try:
            outcomes[index] = _add_one(query, target, options, progress, metadata, metadata_error)
        except ReadroomError as exc:
            log.debug("adding %s failed", query, exc_info=True)  # --debug shows where
            outcomes[index] = AddOutcome(query, "failed", exc.message, exit_code=exc.exit_code)
    return [outcomes[i] for i in range(len(queries))]


def _held_or_none(query: str) -> str | None:
    try:
        return resolve(query)
    except (NotFound, BadInput):
        return None


def _plan(query: str) -> Identifier | Classic:
    ident = parse_identifier(query)
    if isinstance(ident, ClassicName):
        classic = find_classic(ident.name)
        if classic is None:
            raise BadInput(
                f"'{excerpt(query)}' is not an arXiv id, DOI, URL, PDF file or classic paper name "
                "(see `readroom classics`)."
            )
        return classic
    return ident


def _arxiv_ref(target: Identifier | Classic | None) -> ArxivRef | None:
    if isinstance(target, ArxivRef):
        return target
    if isinstance(target, Classic) and target.arxiv:
        return ArxivRef(target.arxiv)
    return None


def _fetch_metadata(refs: list[ArxivRef], progress: AddProgress) -> tuple[dict[str, ArxivEntry], ReadroomError | None]:
    if not refs:
        return {}, None
    from readroom.sources.arxiv import ArxivSource

    progress.step(", ".join(str(r) for r in refs), "asking arXiv")
    try:
        return ArxivSource().fetch(refs), None
    except ReadroomError as exc:  # papers already stored are still reported; the rest fail with this
        return {}, exc


def _add_one(query: str, target: Identifier | Classic, options: AddOptions, progress: AddProgress,
             metadata: dict[str, ArxivEntry], metadata_error: ReadroomError | None) -> AddOutcome:
    if ref := _arxiv_ref(target):
        classic = target if isinstance(target, Classic) else None
        return _add_arxiv(query, ref, classic, options, progress, metadata.get(ref.id), metadata_error)
    if isinstance(target, Classic):
        assert target.pdf_url is not None  # the catalogue gives each classic an arXiv id or a pdf_url
        return _add_from_url(query, target.pdf_url, options, progress, classic=target)
    if isinstance(target, PdfUrl):
        return _add_from_url(query, target.url, options, progress)
    if isinstance(target, Doi):
        return _add_doi(query, target.doi, options, progress)
    assert isinstance(target, LocalPdf)
    return _add_local(query, target.path, options, progress)


def _add_arxiv(query: str, ref: ArxivRef, classic: Classic | None, options: AddOptions, progress: AddProgress,
               meta: ArxivEntry | None, metadata_error: ReadroomError | None) -> AddOutcome:
    existing = papers.find(arxiv_id=ref.id)
    if existing and not options.update:
        return AddOutcome(query, "exists", _exists_message(existing, meta), existing)
    if metadata_error is not None:
        raise metadata_error
    if meta is None:
        raise NotFound(f"arXiv does not know {ref.id}; check the id.")
    version = ref.version or meta.version
    if version > meta.version:
        raise NotFound(f"arXiv has {ref.id} only up to v{meta.version}, not v{version}.")
    if existing and (existing.arxiv_version or 0) >= version:
        newest = f"{existing.title} is already in your library at v{existing.arxiv_version}, the newest."
        return AddOutcome(query, "exists", newest, existing)

    from readroom.sources.arxiv import pdf_url
    from readroom.sources.saved_pdf import safe_filename

    fields = _arxiv_fields(meta, version, classic)
    with _new_pdf(safe_filename(f"{ref.id}v{version}")) as staged:
        progress.step(query, f"downloading {ref.id}v{version}")
        try:
            downloaded = _download(pdf_url(ref, version), staged.path, progress)
        except (NetworkError, DownloadError) as exc:
            if existing:  # an update keeps the version held
                raise
            return _without_pdf(query, fields, options, exc.message, _fetch_later(ref.id), f" ({ref.id}v{version})")
        progress.step(query, "reading arXiv's HTML")
        from readroom.sources.arxiv_html import fetch_html

        parsed, warning = _parse(staged.path, progress, query, fetch_html(ref.id, version))
        if existing:
            old_file = existing_pdf(existing.id)
            _store(fields, downloaded, parsed, warning, options.tags, staged=staged, replace_id=existing.id)
            if old_file and old_file != staged.final:
                old_file.unlink(missing_ok=True)
                old_file.with_suffix(".html").unlink(missing_ok=True)
            return _outcome(query, "updated", f"Updated to v{version}: {meta.title}", existing.id, warning)
        try:
            paper_id = _store(fields, downloaded, parsed, warning, options.tags, staged=staged, unique_on=("arxiv_id",))
        except papers.AlreadyStored as held:  # another readroom added it meanwhile
            existing = list_by_ids([held.paper_id])[0]
            return AddOutcome(query, "exists", _exists_message(existing, meta), existing)
    return _outcome(query, "added", f"Added {meta.title} ({ref.id}v{version})", paper_id, warning)


def _without_pdf(query: str, fields: dict, options: AddOptions, why: str, later: str, label: str = "",
                 paper_id: str | None = None) -> AddOutcome:
    """Store the paper from its metadata when its PDF cannot be fetched: the paper is added (exit 0) and one line
    says why and what to do `later`."""
    unique_on = next(((c,) for c in ("arxiv_id", "classic_key", "doi") if fields.get(c)), ())
    try:
        paper_id = _store(fields, None, None, why, options.tags, paper_id=paper_id, unique_on=unique_on)
    except papers.AlreadyStored as held:  # another readroom added it meanwhile
        return _held_outcome(query, held)
    warning = f"stored without its PDF ({why.rstrip('.')}); {later}"
    return _outcome(query, "added", f"Added {fields['title']}{label}", paper_id, warning)


def _fetch_later(ref: str) -> str:
    return f"fetch it later with `readroom add --pdf {ref}`"


def fetch_pdf(query: str, paper_id: str, progress: AddProgress | None = None) -> AddOutcome:
    """Fetch the PDF of a paper held without one, and parse its structure (`readroom add --pdf ID`)."""
    from readroom.sources.arxiv import pdf_url
    from readroom.sources.saved_pdf import safe_filename

    progress = progress or AddProgress()
    detail = papers.paper_detail(paper_id)
    summary = list_by_ids([paper_id])[0]
    if detail.pdf_path:
        return AddOutcome(query, "exists", f"{detail.title} already has its PDF (id {summary.short_id}); nothing "
                                           "changed.", summary)
    if detail.arxiv_id and detail.arxiv_version:
        ref = ArxivRef(detail.arxiv_id, detail.arxiv_version)
        url, stem = pdf_url(ref, detail.arxiv_version), str(ref)
    elif detail.url:
        url, stem = detail.url, f"{detail.classic_key or 'paper'}-{paper_id[:8]}"
    else:
        raise NotFound(f"{detail.title} has no address to fetch its PDF from; `readroom add` the file instead.")
    progress.step(query, f"downloading {stem}")
    return _give_pdf(query, summary, safe_filename(stem), lambda dest: _download(url, dest, progress), progress,
                     f"Fetched the PDF of {detail.title}")


def _give_pdf(query: str, paper: PaperSummary, filename: str, obtain: Callable[[Path], DownloadedPdf],
              progress: AddProgress, done: str) -> AddOutcome:
    """Put the PDF `obtain` writes at the path it is given in place as the PDF of a paper held without one, parsed
    (arXiv's HTML first, as at an add), in one transaction with its structure."""
    with _new_pdf(filename) as staged:
        pdf = obtain(staged.path)
        parsed, warning = _parse(staged.path, progress, query, _arxiv_html(paper, progress, query))
        _store({}, pdf, parsed, warning, [], staged=staged, replace_id=paper.id)
    found = f"{len(parsed.sections)} sections, {len(parsed.figures)} figures and tables" if parsed else "unparsed"
    return _outcome(query, "updated", f"{done}: {found}", paper.id, warning)


def _arxiv_fields(meta: ArxivEntry, version: int, classic: Classic | None = None) -> dict:
    """The paper's columns as arXiv describes version `version` of it."""
    return dict(
        source="classic" if classic else "arxiv",
        arxiv_id=meta.arxiv_id, arxiv_version=version, latest_version=meta.version, doi=meta.doi,
        classic_key=classic.key if classic else None, url=None, title=meta.title, authors=meta.authors,
        abstract=meta.abstract, categories=meta.categories, primary_category=meta.primary_category,
        published=meta.published, updated=meta.updated,
        year=meta.published.year if meta.published else None, comment=meta.comment, journal_ref=meta.journal_ref,
    )


def _exists_message(existing: PaperSummary, meta: ArxivEntry | None) -> str:
    message = f"{existing.title} is already in your library (id {existing.short_id}); nothing changed."
    if meta and existing.arxiv_version and meta.version > existing.arxiv_version:
        message += (f" arXiv now has v{meta.version} (you have v{existing.arxiv_version}); "
                    f"`readroom add {existing.arxiv_id} --update` fetches it.")
    return message


def _add_from_url(query: str, url: str, options: AddOptions, progress: AddProgress,
                  classic: Classic | None = None) -> AddOutcome:
    from readroom.sources.saved_pdf import safe_filename

    existing = papers.find(classic_key=classic.key) if classic else papers.find(url=url)
    if existing:
        held = f"{existing.title} is already in your library (id {existing.short_id}); nothing changed."
        return AddOutcome(query, "exists", held, existing)
    paper_id = str(uuid.uuid4())
    stem = classic.key if classic else Path(url.split("?")[0].rstrip("/")).stem or "paper"
    with _new_pdf(safe_filename(f"{stem}-{paper_id[:8]}")) as staged:
        progress.step(query, f"downloading {url}")
        try:
            downloaded = _download(url, staged.path, progress)
        except (NetworkError, DownloadError) as exc:
            if classic is None:  # a bare URL has nothing to store without its PDF
                raise
            fields = dict(source="classic", url=url, title=options.title or classic.title, abstract="",
                          authors=options.authors or list(classic.authors), year=options.year or classic.year,
                          classic_key=classic.key)
            return _without_pdf(query, fields, options, exc.message, _fetch_later(classic.key))
        if same := papers.find(sha256=downloaded.sha256):
            return _same_pdf(query, same)
        parsed, warning = _parse(staged.path, progress, query)
        fields = _fields_from_pdf(parsed, options, fallback_title=stem)
        if classic:
            fields.update(title=options.title or classic.title, authors=options.authors or list(classic.authors),
                          year=options.year or classic.year, classic_key=classic.key)
        fields.update(source="classic" if classic else "url", url=url)
        try:
            _store(fields, downloaded, parsed, warning, options.tags, staged=staged, paper_id=paper_id,
                   unique_on=("classic_key", "url", "pdf_sha256"))
        except papers.AlreadyStored as held:  # another readroom added it meanwhile
            return _held_outcome(query, held)
    return _outcome(query, "added", f"Added {fields['title']}", paper_id, warning)


def _add_doi(query: str, doi: str, options: AddOptions, progress: AddProgress) -> AddOutcome:
    """A paper from Crossref's record of its DOI, with the PDF Crossref links to if there is one; else stored from
    the record alone (the user adds the file later, and it attaches by the DOI on its first page)."""
    from readroom.sources.crossref import CrossrefSource
    from readroom.sources.saved_pdf import safe_filename

    if existing := papers.find(doi=doi):
        held = f"{existing.title} is already in your library (id {existing.short_id}); nothing changed."
        return AddOutcome(query, "exists", held, existing)
    progress.step(query, "asking Crossref")
    work = CrossrefSource().fetch(doi)
    if work is None:
        raise NotFound(f"Crossref does not know DOI {excerpt(doi)}; check the DOI.")
    paper_id = str(uuid.uuid4())
    fields = _doi_fields(work, None, options)
    label = f" (DOI {work.doi})"
    if work.pdf_url is None:
        return _without_pdf(query, fields, options, "Crossref lists no PDF for it", ADD_THE_FILE, label, paper_id)
    fields.update(url=work.pdf_url)
    with _new_pdf(safe_filename(f"{work.doi}-{paper_id[:8]}")) as staged:
        progress.step(query, f"downloading {work.pdf_url}")
        try:
            downloaded = _download(work.pdf_url, staged.path, progress)
        except (NetworkError, DownloadError) as exc:
            return _without_pdf(query, fields, options, exc.message,
                                f"{_fetch_later(paper_id[:8])}, or {ADD_THE_FILE}", label, paper_id)
        if same := papers.find(sha256=downloaded.sha256):
            return _same_pdf(query, same)
        parsed, warning = _parse(staged.path, progress, query)
        fields = _doi_fields(work, parsed, options) | {"url": work.pdf_url}
        try:
            _store(fields, downloaded, parsed, warning, options.tags, staged=staged, paper_id=paper_id,
                   unique_on=("doi", "pdf_sha256"))
        except papers.AlreadyStored as held:  # another readroom added it meanwhile
            return _held_outcome(query, held)
    return _outcome(query, "added", f"Added {work.title}{label}", paper_id, warning)


def _doi_fields(work: CrossrefWork, parsed: ParsedPaper | None, options: AddOptions) -> dict:
    """The paper's columns from Crossref's record (what the user typed wins; the PDF's own abstract when Crossref
    has none)."""
    return dict(
        source="doi", doi=work.doi, url=None, title=options.title or work.title,
        authors=options.authors or work.authors or (parsed.authors if parsed else []),
        year=options.year or work.year or (parsed.year if parsed else None), journal_ref=work.venue,
        abstract=work.abstract or (parsed.abstract if parsed else None) or "",
    )


def _add_local(query: str, path: Path, options: AddOptions, progress: AddProgress) -> AddOutcome:
    from readroom.sources.saved_pdf import DownloadedPdf, safe_filename

    sha256, size = _hash_local(path)
    if same := papers.find(sha256=sha256):
        return _same_pdf(query, same)
    printed = _printed_paper(query, path, options, progress)
    ref, doi, meta, work, lookup_warning = printed.ref, printed.doi, printed.meta, printed.work, printed.warning
    if held := _held_printed(printed):
        if held.parse_status != NO_PDF:
            return AddOutcome(query, "exists", _exists_message(held, None), held)

        def copied(dest: Path) -> DownloadedPdf:  # the PDF the user downloaded for a paper held without one
            progress.step(query, f"copying {path.name}")
            _copy_atomically(path, dest)
            return DownloadedPdf(dest, sha256, size)

        stem = f"{held.arxiv_id}v{held.arxiv_version}" if held.arxiv_id else f"{path.stem}-{held.short_id}"
        return _give_pdf(query, held, safe_filename(stem), copied, progress,
                         f"This PDF is now the PDF of {held.title}")
    paper_id = str(uuid.uuid4())
    version = min(ref.version or meta.version, meta.version) if ref and meta else None
    stem = f"{ref.id}v{version}" if ref and version else f"{path.stem}-{paper_id[:8]}"
    with _new_pdf(safe_filename(stem)) as staged:
        progress.step(query, f"copying {path.name}")
        _copy_atomically(path, staged.path)
        html = None
        if ref and meta and version:
            from readroom.sources.arxiv_html import fetch_html

            progress.step(query, "reading arXiv's HTML")
            html = fetch_html(ref.id, version)
        parsed, warning = _parse(staged.path, progress, query, html)
        if meta and version:
            fields = _arxiv_fields(meta, version)
            message = f"Added {meta.title} ({meta.arxiv_id}v{version}, the arXiv id on its first page)"
        elif work:
            fields = _doi_fields(work, parsed, options)
            message = f"Added {work.title} (DOI {work.doi}, printed on its first page)"
        else:
            fields = _fields_from_pdf(parsed, options, fallback_title=path.stem)
            fields.update(source="local", url=None, doi=doi)
            message = f"Added {fields['title']}"
        try:
            _store(fields, DownloadedPdf(staged.path, sha256, size), parsed, warning, options.tags, staged=staged,
                   paper_id=paper_id, unique_on=("arxiv_id", "doi", "pdf_sha256"))
        except papers.AlreadyStored as clash:  # another readroom added it meanwhile
            return _held_outcome(query, clash)
    outcome = _outcome(query, "added", message, paper_id, warning)
    outcome.warning = "; ".join(w for w in (lookup_warning, warning) if w) or None
    return outcome


@dataclass
class _Printed:
    """What page 1 of a local PDF names: its arXiv id and DOI, and the record looked up for one of them."""

    ref: ArxivRef | None
    doi: str | None
    meta: ArxivEntry | None = None  # arXiv's record of `ref`
    work: CrossrefWork | None = None  # Crossref's record of `doi` (a DOI not arXiv's)
    warning: str | None = None  # why the look-up failed


def _printed_paper(query: str, path: Path, options: AddOptions, progress: AddProgress) -> _Printed:
    """The arXiv id and DOI page 1 prints, and arXiv's record of that id, else Crossref's of that DOI (none when
    the paper is held, the user typed the metadata, or the look-up failed: then a warning says so, and the PDF is
    added from its own pages)."""
    from readroom.pdf.front_matter import first_page_text
    from readroom.sources.ids import printed_ids

    printed = _Printed(*printed_ids(first_page_text(path)))
    if (printed.ref is None and printed.doi is None) or _held_printed(printed) or options.title or options.authors \
            or options.year:
        return printed
    ref, doi = printed.ref, printed.doi
    what = f"arXiv {ref}" if ref else f"DOI {excerpt(doi)}"
    progress.step(query, f"asking {'arXiv' if ref else 'Crossref'} about {what}, printed on its first page")
    try:
        if ref:
            from readroom.sources.arxiv import ArxivSource

            printed.meta = ArxivSource().fetch([ref]).get(ref.id)
        else:
            from readroom.sources.crossref import CrossrefSource

            assert doi is not None  # no id and no DOI returned above
            printed.work = CrossrefSource().fetch(doi)
    except ReadroomError as exc:
        printed.warning = f"{what} is printed on its first page but could not be looked up ({exc.message})"
        return printed
    if printed.meta is None and printed.work is None:
        printed.warning = f"{what} is printed on its first page, but {'arXiv' if ref else 'Crossref'} does not know it"
    return printed


def _held_printed(printed: _Printed) -> PaperSummary | None:
    """The paper held under the arXiv id page 1 prints, or else under its DOI, unless a record was looked up."""
    if printed.meta or printed.work:
        return None
    if printed.ref:
        return papers.find(arxiv_id=printed.ref.id)
    return papers.find(doi=printed.doi) if printed.doi else None


def _same_pdf(query: str, same: PaperSummary) -> AddOutcome:
    held = f"This PDF is already in your library as {same.title} (id {same.short_id}); nothing changed."
    return AddOutcome(query, "exists", held, same)


def _held_outcome(query: str, held: papers.AlreadyStored) -> AddOutcome:
    existing = list_by_ids([held.paper_id])[0]
    if held.column == "pdf_sha256":
        return _same_pdf(query, existing)
    message = f"{existing.title} is already in your library (id {existing.short_id}); nothing changed."
    return AddOutcome(query, "exists", message, existing)


def _hash_local(path: Path) -> tuple[str, int]:
    try:
        with paths.open_regular(path, "a PDF file") as fh:
            head = fh.read(1024)
            if b"%PDF" not in head:
                raise BadInput(f"{excerpt(path)} is not a PDF file.")
            digest = hashlib.sha256(head)
            size = len(head)
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except (FileNotFoundError, NotADirectoryError):
        raise BadInput(f"No such file: {excerpt(path)}") from None
    except PermissionError:
        raise BadInput(f"Cannot read {excerpt(path)}: permission denied.") from None
    except OSError as exc:
        raise BadInput(f"Cannot read {excerpt(path)}: {exc.strerror or exc}.") from None
    return digest.hexdigest(), size


def _copy_atomically(src: Path, dest: Path) -> None:
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            from readroom.storage.errors import os_storage_error

            raise os_storage_error(exc, dest) from exc
        raise


def _fields_from_pdf(parsed: ParsedPaper | None, options: AddOptions, fallback_title: str) -> dict:
    return dict(
        title=options.title or (parsed.title if parsed else None) or fallback_title,
        authors=options.authors or (parsed.authors if parsed else []),
        year=options.year or (parsed.year if parsed else None),
        abstract=(parsed.abstract if parsed else None) or "",
    )


# A PDF being added lives under a hidden name with the adding process's id until its row commits.
_STAGED = re.compile(r"^\.{1,2}adding-(\d+)-")


class _StagedPdf:
    """Where an add writes the PDF (and arXiv's HTML beside it) while it works; `place` moves them to their own
    names inside the transaction that stores the paper's row."""

    def __init__(self, folder: Path, filename: str) -> None:
        self.final = folder / filename
        self.path = folder / f".adding-{os.getpid()}-{uuid.uuid4().hex[:8]}-{filename}"
        self.placed: list[Path] = []  # files this add moved in, to take back if the commit fails

    def pairs(self) -> list[tuple[Path, Path]]:
        return [(self.path, self.final), (self.path.with_suffix(".html"), self.final.with_suffix(".html"))]

    def place(self) -> None:
        for staged, final in self.pairs():
            if staged.exists():
                existed = final.exists()
                os.replace(staged, final)
                if not existed:
                    self.placed.append(final)


@contextmanager
def _new_pdf(filename: str) -> Iterator[_StagedPdf]:
    """A staged PDF under papers/; whatever happens, nothing staged stays, and a file moved into place goes again
    if its row did not commit. Only this add's own files are ever removed (another readroom adding the same paper
    writes under its own hidden name), and files left by an add that was killed are swept first."""
    folder = paths.papers_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _sweep_killed_adds(folder)
    except OSError as exc:
        from readroom.storage.errors import os_storage_error

        raise os_storage_error(exc, folder) from exc
    staged = _StagedPdf(folder, filename)
    try:
        yield staged
    except BaseException:
        for path in staged.placed:
            path.unlink(missing_ok=True)
        raise
    finally:
        for path, _final in staged.pairs():
            path.unlink(missing_ok=True)


def _sweep_killed_adds(folder: Path) -> None:
    for path in folder.iterdir():
        if (m := _STAGED.match(path.name)) and not _alive(int(m[1])):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process, or a platform that cannot tell: keep its files
    return True


def _download(url: str, dest: Path, progress: AddProgress):
    from readroom.sources.download import download_pdf

    return download_pdf(url, dest, progress=progress.download)


def _parse(path: Path, progress: AddProgress, query: str,
           html: bytes | None = None) -> tuple[ParsedPaper | None, str | None]:
    """The structure from the best source there is: arXiv's HTML (`html`, LaTeXML) when it holds the paper, else
    the PDF's outline or layout; or None and a warning: an unreadable PDF never costs the user the paper. HTML that
    was used is kept beside the PDF, so `reparse` reads it again without the network."""
    from readroom.pdf.parse import parse_pdf

    progress.step(query, "parsing")
    try:
        parsed, warning = parse_pdf(path, progress=progress.parse), None
    except PdfUnreadable as exc:
        parsed, warning = None, exc.message
    except Exception as exc:  # a parser bug must not lose the download; --debug shows the traceback
        log.debug("parser failed on %s", path, exc_info=True)
        parsed, warning = None, f"The PDF could not be parsed ({exc.__class__.__name__}); the paper is kept unparsed."
    if html is not None and (from_html := _structure_from_html(html, path, parsed)) is not None:
        _keep_html(path, html)
        return from_html, None
    return parsed, warning


def _arxiv_html(paper: PaperSummary, progress: AddProgress, query: str) -> bytes | None:
    if not paper.arxiv_id or not paper.arxiv_version:
        return None
    from readroom.sources.arxiv_html import fetch_html

    progress.step(query, "reading arXiv's HTML")
    return fetch_html(paper.arxiv_id, paper.arxiv_version)


def _structure_from_html(page: bytes, pdf: Path, from_pdf: ParsedPaper | None) -> ParsedPaper | None:
    """The paper as arXiv's HTML has it, with pages found in the PDF; None when the page holds no paper (then the
    PDF is the source, quietly)."""
    from readroom.pdf.pages import heading_pages
    from readroom.sources.arxiv_html import NotLatexml, parse_arxiv_html

    try:
        html = parse_arxiv_html(page)
    except NotLatexml as exc:
        log.info("arXiv's HTML was not used: %s", exc.message)
        return None
    if sum(s.level == 1 for s in html.sections) < 2:
        return None
    try:
        for section, number in zip(html.sections, heading_pages(pdf, [s.title for s in html.sections]), strict=True):
            section.page = number
        for caption, number in zip(html.figures, heading_pages(pdf, [c.caption for c in html.figures]), strict=True):
            caption.page = number
    except PdfUnreadable:
        pass  # no pages then; the structure is still the author's
    html.page_count = from_pdf.page_count if from_pdf else 0
    html.structure_source = "html"
    return html


def _keep_html(pdf: Path, page: bytes) -> None:
    target = pdf.with_suffix(".html")
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.write_bytes(page)
        tmp.replace(target)
    except OSError as exc:  # the structure is stored either way; only a later offline reparse would miss it
        log.info("could not keep %s: %s", target, exc)
        tmp.unlink(missing_ok=True)


def _outcome(query: str, status: str, message: str, paper_id: str, warning: str | None) -> AddOutcome:
    return AddOutcome(query, status, message, list_by_ids([paper_id])[0], warning)


# --------------------------------------------------------------------------------------------- writing


def _store(fields: dict, pdf, parsed: ParsedPaper | None, warning: str | None, tags: list[str], *,
           staged: _StagedPdf | None = None, paper_id: str | None = None, replace_id: str | None = None,
           unique_on: tuple[str, ...] = ()) -> str:
    """Write the paper and its structure in one transaction, moving its staged PDF into place within it."""
    row = dict(fields)
    row.update(
        pdf_path=(staged.final.name if staged else pdf.path.name) if pdf else None,
        pdf_sha256=pdf.sha256 if pdf else None, pdf_size=pdf.size if pdf else None,
        page_count=parsed.page_count if parsed else None,
        structure_source=parsed.structure_source if parsed else None,
        parse_status="parsed" if parsed else "unparsed" if pdf else NO_PDF, parse_error=warning,
    )
    paper_id = replace_id or paper_id or str(uuid.uuid4())
    papers.store(row, parsed, normalize_tags(tags), paper_id=paper_id, added_at=clock.now_seconds(),
                 replace=replace_id is not None, unique_on=unique_on, before_commit=staged.place if staged else None)
    if staged:
        staged.placed.clear()  # committed: the files are the paper's now
    if staged or pdf:  # a paper stored from its metadata alone has no figures to render
        _shelve_figures(paper_id, staged.final if staged else pdf.path, parsed)
    return paper_id


def reparse(ref: str, progress: AddProgress | None = None) -> AddOutcome:
    """Parse the stored PDF again and replace the stored structure."""
    progress = progress or AddProgress()
    paper_id = resolve(ref)
    pdf = existing_pdf(paper_id)
    if pdf is None:
        raise NotFound(f"{ref} was stored without its PDF; `readroom add --pdf {ref}` fetches and parses it.")
    if not pdf.is_file():
        raise NotFound(f"The PDF of {ref} is missing from {paths.papers_dir()}; remove the paper and add it again.")
    kept = pdf.with_suffix(".html")
    page: bytes | None
    if kept.is_file():
        page = kept.read_bytes()
    else:  # added before readroom read arXiv's HTML (or while arXiv had none): ask again
        page = _arxiv_html(list_by_ids([paper_id])[0], progress, ref)
    parsed, warning = _parse(pdf, progress, ref, page)
    papers.replace_structure(paper_id, parsed, warning)
    _shelve_figures(paper_id, pdf, parsed)
    status = (f"{len(parsed.sections)} sections, {len(parsed.figures)} figures and tables, "
              f"{len(parsed.references)} references") if parsed else "unparsed"
    return _outcome(ref, "updated", f"Parsed again: {status}", paper_id, warning)


def _shelve_figures(paper_id: str, pdf: Path, parsed: ParsedPaper | None) -> None:
    """Render the paper's figures and tables into figures/<paper id>/, replacing what a former parse left there.
    After the commit, and never fatal: a paper without figure images is still the paper (reparse tries again).
    The images come from the PDF's regions whatever the structure's source (arXiv's HTML has its own <img>s, not
    used yet)."""
    from readroom.pdf.figures import extract_figures

    folder = paths.figures_dir() / paper_id
    fresh = folder.with_name(f".new-{uuid.uuid4().hex[:8]}-{paper_id}")
    stale = folder.with_name(f".old-{uuid.uuid4().hex[:8]}-{paper_id}")
    try:
        if parsed and parsed.figures:
            extract_figures(pdf, parsed.figures, fresh)
        if folder.exists():
            os.replace(folder, stale)
        if fresh.exists():
            os.replace(fresh, folder)
    except Exception as exc:  # a parser bug or a full disk costs the images only; --debug shows where
        log.debug("figures of %s were not rendered", pdf, exc_info=True)
        log.info("the figures of %s were not rendered: %s", pdf.name, exc)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(stale, ignore_errors=True)


def _find_images(detail: PaperDetail) -> None:
    """Each figure's stored PNG, where its parse found a region."""
    from readroom.pdf.figures import image_name

    folder = paths.figures_dir() / detail.id
    for index, caption in enumerate(detail.figures):
        image = folder / image_name(index, caption)
        caption.image = str(image) if image.is_file() else None


def remove(ref: str, *, with_cards: bool = False) -> PaperSummary:
    """Delete the paper, its structure and tags (one transaction), then its PDF. Its cards stay, of no paper, with
    their reviews (the user's work, as a removed Anki deck's cards would not be), unless `with_cards`."""
    paper_id = resolve(ref)
    summary = list_by_ids([paper_id])[0]
    pdf = existing_pdf(paper_id)
    papers.delete_paper(paper_id, with_cards=with_cards)
    if pdf is not None:
        pdf.unlink(missing_ok=True)  # after the commit: a failure here leaves a stray file, never a broken row
        pdf.with_suffix(".html").unlink(missing_ok=True)
    shutil.rmtree(paths.figures_dir() / paper_id, ignore_errors=True)
    return summary


def cards_of(paper_id: str) -> str:
    """The paper's cards as `remove` speaks of them: "12 cards (30 reviews)", "1 card (no reviews)", "" for none."""
    cards, reviews = papers.card_counts(paper_id)
    if not cards:
        return ""
    done = f"{reviews} review{'s' if reviews != 1 else ''}" if reviews else "no reviews"
    return f"{cards} card{'s' if cards != 1 else ''} ({done})"


def tag(ref: str, tags: list[str], *, remove_tags: bool = False) -> PaperSummary:
    paper_id = resolve(ref)
    clean = normalize_tags(tags)
    if remove_tags:
        papers.remove_tags(paper_id, clean)
    else:
        papers.add_tags(paper_id, clean)
    return list_by_ids([paper_id])[0]


def list_by_ids(ids: list[str]) -> list[PaperSummary]:
    return papers.list_papers(ids=ids)


def existing_pdf(paper_id: str) -> Path | None:
    name = papers.pdf_name(paper_id)
    return paths.papers_dir() / name if name else None



def upgrade_if_behind() -> None:
    """Before the reading room opens: a library behind the current schema is upgraded now, while the terminal still
    shows the progress line (inside the app it would be hidden), and the app opens on the upgraded library."""
    from readroom.storage import fast

    fast.upgrade_if_behind()


# --------------------------------------------------------------------------------------------- demo & classics


def ensure_demo(progress: AddProgress | None = None) -> AddOutcome | None:
    """On a first start, add the bundled demo paper so there is something to open without network. Only once:
    the DEMO_OFFERED file remembers it, so a library emptied by the user stays empty. A library begun before that
    file existed counts as offered when it holds papers or cards (all that removing its papers leaves)."""
    marker = paths.home() / DEMO_OFFERED
    if marker.exists():
        return None
    if list_papers() or papers.has_cards():
        with contextlib.suppress(OSError):  # unwritable: the next start looks again, and finds the same
            _mark(marker, _DEMO_OFFERED_WHY)
        return None
    demo = paths.shipped_data_dir() / DEMO_PDF
    if not demo.is_file():
        return None
    outcome = add([str(demo)], AddOptions(tags=[DEMO_TAG]), progress)[0]
    if outcome.status != "failed":  # a failed add is tried again on the next start
        with contextlib.suppress(OSError):
            _mark(marker, _DEMO_OFFERED_WHY)
    return outcome


def welcome_hidden() -> bool:
    return (paths.home() / WELCOME_HIDDEN).exists()


def hide_welcome() -> None:
    """Remember that the welcome was dismissed (the app shows it while the library holds only the demo)."""
    path = paths.home() / WELCOME_HIDDEN
    try:
        _mark(path, "The reading room's welcome was dismissed; delete this file to see it again.")
    except OSError as exc:
        raise BadInput(f"Cannot write {excerpt(path)}: {exc.strerror or exc}.") from None


def _mark(path: Path, why: str) -> None:
    """A marker file in $READROOM_HOME, saying in itself what it is for."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(why + "\n", encoding="utf-8")


@dataclass
class ClassicStatus:
    classic: Classic
    paper: PaperSummary | None


def classics_status() -> list[ClassicStatus]:
    from readroom.sources.classics import load_classics

    held = list_papers()
    by_arxiv = {p.arxiv_id: p for p in held if p.arxiv_id}
    by_key = {p.classic_key: p for p in held if p.classic_key}
    return [ClassicStatus(c, by_key.get(c.key) or (by_arxiv.get(c.arxiv) if c.arxiv else None))
            for c in load_classics()]

