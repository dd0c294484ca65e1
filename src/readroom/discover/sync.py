"""Bring the index up to date from a listing (newest first), page by page, and carry on after an interruption.

A listing is walked from its top until it reaches a paper the index already had (or papers older than the
time window, or its end). Every page is stored together with where the walk stands, in one transaction, so
Ctrl-C, a network failure or `--max` loses nothing and leaves a resumable state, a list of stretches:

    gaps = [{"start": offset of the next unfetched paper, "total": results the listing held then}, ...,
            {"start": ..., "total": ..., "next": submission date of the paper at start}]   # the floor

The next sync walks the new papers at the top first; when it reaches known papers it jumps to the first gap,
shifted by the papers that appeared since (the listing's total grew by exactly that many), and so on. After a
jump, known papers at the start of the page are the stretch stored before the interruption, not its end.

The floor is where the walk last stopped at its window (or the listing's end): the listing is held from its top
down to there. A sync with a wider window than the floor's date backfills from it, as arXiv-Sanity's fetcher
pages on past papers it holds: it skips held papers instead of stopping at them, until its own window starts.
Without a floor (a listing first synced by an older readroom, or a new set of categories whose papers are
partly held already) it backfills from where it met held papers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from readroom.discover import index
from readroom.records.arxiv import ArxivEntry
from readroom.storage.types_light import parse_utc


@dataclass(frozen=True)
class SyncProgress:
    requests: int  # pages fetched so far
    new: int  # papers stored so far in this sync
    position: int  # offset in the listing of the page just stored
    total: int | None  # papers the listing holds, when it says
    oldest: datetime | None  # submission date of the oldest paper seen: how far back the walk has come
    cutoff: datetime  # the walk stops at papers older than this


@dataclass(frozen=True)
class SyncResult:
    new: int
    requests: int
    complete: bool  # False when --max stopped it: the next sync carries on
    index_size: int
    listed: int | None = None  # papers the listing said it holds, when it says
    # When even the listing's newest paper is older than the window: the oldest submission on its first page
    # (how far back a window must reach to fetch a page of them).
    all_older: datetime | None = None


def sync(listing, *, now: datetime, days: int | None = None, max_new: int | None = None,
         progress: Callable[[SyncProgress], None] | None = None) -> SyncResult:
    """Fetch the papers the index lacks from `listing` (sources.listings.ArxivListing or SanityLiteListing)."""
    from readroom import config

    days = config.load().discover.days if days is None else days
    cutoff = now - timedelta(days=max(0, days))
    saved = index.sync_state(listing.key).gaps
    pending = [g for g in saved if "next" not in g]
    floor = next((g for g in saved if _next(g) is not None), None)  # a damaged one costs a backfill, no more
    position, after_jump, backfill = 0, False, False
    new = requests = 0
    oldest: datetime | None = None
    all_older: datetime | None = None
    while True:
        page = listing.page(position)
        requests += 1
        papers = page.papers
        stored = index.known([p.arxiv_id for p in papers])
        # Where this stretch of the listing ends: at a paper stored before, at the window, at the end.
        consumed, reached_known, reached_window = len(papers), False, False
        leading_known = after_jump
        fresh: list[ArxivEntry] = []
        for i, paper in enumerate(papers):
            held = paper.arxiv_id in stored and stored[paper.arxiv_id] >= paper.version
            if held and not (leading_known or backfill):
                reached_known, consumed = True, i
                break
            if paper.published is not None and paper.published < cutoff:
                reached_window, consumed = True, i
                break
            if held:
                continue
            leading_known = False
            if max_new is not None and new + len(fresh) >= max_new:
                consumed = i
                break
            fresh.append(paper)
            oldest = paper.published if paper.published and (oldest is None or paper.published < oldest) else oldest
        if requests == 1 and reached_window and consumed == 0:
            all_older = min((p.published for p in papers if p.published), default=None)
        at_end = not papers or (page.total is not None and position + len(papers) >= page.total)
        stop = position + consumed
        if reached_window or at_end or backfill:  # the listing is held from its top down to `stop`
            pending = []  # what lies further down is older still
            nxt = next((p.published for p in papers[consumed:consumed + 1]), None) or (
                papers[-1].published if papers else None)
            floor = {"start": stop, "total": page.total if page.total is not None else (stop if at_end else None),
                     "next": (nxt or cutoff).isoformat()}
        ended = reached_known or reached_window or at_end
        # A floor above the window's start, with papers below it: backfill from there.
        deeper = ended and not pending and not reached_window and not at_end and (
            floor is None or (not _empty(floor) and _above(cutoff, _next(floor))))
        stretch = [] if ended or backfill else [{"start": stop, "total": page.total}]
        gaps = [*stretch, *pending, *([floor] if floor else [])]
        complete = ended and not pending and not deeper
        new += index.store_page(listing.key, fresh, gaps, now=now, total=page.total, completed=complete)
        if progress:
            progress(SyncProgress(requests, new, position, page.total, oldest, cutoff))
        if complete:
            break
        if ended and pending:
            gap = pending.pop(0)
            position, after_jump = _shifted(gap, page.total), True
            continue
        if ended:  # deeper
            position, after_jump, backfill = (_shifted(floor, page.total) if floor else stop), True, True
            continue
        if max_new is not None and new >= max_new:
            break
        position, after_jump = stop, False
    return SyncResult(new, requests, complete, index.state()[1], page.total, all_older)


def _shifted(gap: dict, total: int | None) -> int:
    """Where a stretch recorded earlier starts now: papers that appeared at the top since push it down."""
    shift = (total - gap["total"]) if total is not None and gap.get("total") is not None else 0
    return max(0, int(gap["start"]) + shift)


def _next(gap: dict) -> datetime | None:
    try:
        return parse_utc(gap["next"]) if isinstance(gap.get("next"), str) else None
    except ValueError:
        return None


def _above(cutoff: datetime, floor_next: datetime | None) -> bool:
    """The floor's next paper is inside the window (a floor without a date may be: walk on and see)."""
    return floor_next is None or cutoff <= floor_next


def _empty(floor: dict) -> bool:
    """The floor was the listing's end: nothing lies below it."""
    return floor.get("total") is not None and int(floor["start"]) >= int(floor["total"])
