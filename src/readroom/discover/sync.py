"""Bring the index up to date from a listing (newest first), page by page, and carry on after an interruption.

A listing is walked from its top until it reaches a paper the index already had (or papers older than the
time window, or its end). Every page is stored together with where the walk stands, in one transaction, so
Ctrl-C, a network failure or `--max` loses nothing and leaves a resumable state:

    gaps = [{"start": offset of the next unfetched paper, "total": results the listing held then}, ...]

The next sync walks the new papers at the top first; when it reaches known papers it jumps to the first gap,
shifted by the papers that appeared since (the listing's total grew by exactly that many), and so on. After a
jump, known papers at the start of the page are the stretch stored before the interruption, not its end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from readroom.discover import index
from readroom.records.arxiv import ArxivEntry


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


def sync(listing, *, now: datetime, days: int | None = None, max_new: int | None = None,
         progress: Callable[[SyncProgress], None] | None = None) -> SyncResult:
    """Fetch the papers the index lacks from `listing` (sources.listings.ArxivListing or SanityLiteListing)."""
    from readroom import config

    days = config.load().discover.days if days is None else days
    cutoff = now - timedelta(days=max(0, days))
    pending = list(index.sync_state(listing.key).gaps)
    position, after_jump = 0, False
    new = requests = 0
    oldest: datetime | None = None
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
            if paper.arxiv_id in stored and stored[paper.arxiv_id] >= paper.version:
                if leading_known:
                    continue
                reached_known, consumed = True, i
                break
            leading_known = False
            if paper.published is not None and paper.published < cutoff:
                reached_window, consumed = True, i
                break
            if max_new is not None and new + len(fresh) >= max_new:
                consumed = i
                break
            fresh.append(paper)
            oldest = paper.published if paper.published and (oldest is None or paper.published < oldest) else oldest
        at_end = not papers or (page.total is not None and position + len(papers) >= page.total)
        ended = reached_known or reached_window or at_end
        if reached_window or at_end:
            pending = []  # what lies further down is older still
        gaps = pending if ended else [{"start": position + consumed, "total": page.total}, *pending]
        complete = ended and not pending
        new += index.store_page(listing.key, fresh, gaps, now=now, total=page.total, completed=complete)
        if progress:
            progress(SyncProgress(requests, new, position, page.total, oldest, cutoff))
        if complete:
            break
        if ended:
            gap = pending.pop(0)
            shift = (page.total - gap["total"]) if page.total is not None and gap.get("total") is not None else 0
            position, after_jump = max(0, int(gap["start"]) + shift), True
            continue
        if max_new is not None and new >= max_new:
            break
        position, after_jump = position + consumed, False
    return SyncResult(new, requests, complete, index.state()[1])
