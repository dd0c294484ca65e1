"""The last ranking of each mode, kept in $READROOM_HOME/sanity/rankings.json, so that Discover and
`readroom discover list` show it at once instead of loading 46 MB of features, importing scikit-learn and fitting
an SVM (~1-2 s at 30,000 papers) every time.

An entry holds the ordered arXiv ids with their scores, places and explaining words, and is keyed by what the
ranking depends on: the index state (newest revision, paper count), the library's signals (papers, their
texts, tags, reading progress, cards, dismissals) and the request. Paper metadata is read again from the index
when an entry is used. Nothing here imports numpy or scikit-learn.

Random rankings are never kept (they are meant to differ each time), nor rankings windowed by `--days` (the
window moves with the clock). "Newest first" scores are ages, so they are recomputed for `now` when read.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from readroom import paths
from readroom.discover import index
from readroom.discover.rank import Ranking, RankRequest, Recommendation
from readroom.discover.signals import Signals

FORMAT = 1  # bump when ranking changes in a way old entries would hide
KEEP = 200  # papers kept per entry: the Discover screen's list; shorter requests take a prefix
MAX_ENTRIES = 24  # searches each make one; the least recently stored go first


@dataclass
class Cached:
    ranking: Ranking
    fresh: bool  # False: the library or the index changed since; rank again and show that


def cache_path() -> Path:
    return paths.home() / "sanity" / "rankings.json"


def cacheable(request: RankRequest) -> bool:
    return request.mode != "random" and request.days is None


def slot(request: RankRequest) -> str:
    """Which list this is (the entry it replaces): the mode and what it is about, not the state it came from."""
    return json.dumps([request.mode, request.tag, request.similar, request.query, request.band,
                       request.include_library])


def key(request: RankRequest, sig: Signals, state: tuple[int, int] | None = None) -> str:
    """What the ranking depends on, hashed: a different key means the list may differ."""
    rev, count = state if state is not None else index.state()
    digest = hashlib.sha256(json.dumps([FORMAT, rev, count, slot(request)]).encode())
    for p in sorted(sig.papers, key=lambda p: p.id):
        digest.update(json.dumps([p.id, p.arxiv_id, p.text, sorted(p.tags), p.pass_no, p.decision, p.carded]).encode())
    digest.update(json.dumps(sorted(sig.dismissed)).encode())
    return digest.hexdigest()


def lookup(request: RankRequest, sig: Signals, *, stale_ok: bool = False) -> Cached | None:
    """The kept ranking for this request: fresh if its key still holds, else (with stale_ok) the last one."""
    if not cacheable(request):
        return None
    entry = _read().get(slot(request))
    if not entry or not _long_enough(entry, request.limit):
        return None
    fresh = entry["key"] == key(request, sig)
    if not fresh and not stale_ok:
        return None
    ranking = _ranking(entry, request, sig)
    return Cached(ranking, fresh) if ranking is not None else None


def _long_enough(entry: dict, limit: int | None) -> bool:
    """Whether the entry holds the first `limit` papers (all of them when None) of the ranking."""
    kept = entry["limit"]
    return kept is None or len(entry["papers"]) < kept or (limit is not None and limit <= kept)


def store(request: RankRequest, sig: Signals, ranking: Ranking, state: tuple[int, int] | None = None) -> None:
    """Keep `ranking` (made with limit >= KEEP, or the whole list) for the next lookup; never fails."""
    if not cacheable(request):
        return
    entries = _read()
    entries.pop(slot(request), None)
    entries[slot(request)] = {
        "key": key(request, sig, state), "limit": request.limit,
        "mode": ranking.mode, "description": ranking.description, "pool": ranking.pool,
        "index_size": ranking.index_size, "positives": ranking.positives, "negatives": ranking.negatives,
        "liked": ranking.liked, "disliked": ranking.disliked, "note": ranking.note,
        "papers": [[r.paper.arxiv_id, r.score, r.position, r.words] for r in ranking.papers]}
    while len(entries) > MAX_ENTRIES:
        entries.pop(next(iter(entries)))
    _write(entries)


def _ranking(entry: dict, request: RankRequest, sig: Signals) -> Ranking | None:
    rows = entry["papers"][:request.limit] if request.limit else entry["papers"]
    metadata = index.papers([r[0] for r in rows])
    in_library = sig.library_arxiv_ids
    papers = []
    for arxiv_id, score, position, words in rows:
        paper = metadata.get(arxiv_id)
        if paper is None or arxiv_id in sig.dismissed:  # gone from the index, or dismissed since (stale entries)
            continue
        if entry["mode"] == "time" and paper.published is not None:
            score = _age_score(paper.published, request.now)
        papers.append(Recommendation(paper, score, position, entry["pool"], words, in_library.get(arxiv_id)))
    return Ranking(entry["mode"], entry["description"], papers, entry["pool"], entry["index_size"],
                   entry["positives"], entry["negatives"], entry["liked"], entry["disliked"], entry["note"])


def _age_score(published: datetime, now: datetime) -> float:
    # As rank._by_time computes it (float64 timestamps, minus the age in days).
    return (published.timestamp() - now.timestamp()) / 86400


def _read() -> dict[str, dict]:
    try:
        data = json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
        return {}
    return data["entries"]


def _write(entries: dict[str, dict]) -> None:
    path = cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{id(entries)}.part")
        tmp.write_text(json.dumps({"format": FORMAT, "entries": entries}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs a ranking next time
