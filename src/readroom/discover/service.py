"""Discover's two use cases, the one code path that both `readroom discover` and the Discover screen call:
rank the index for a mode (from the kept ranking when it still holds), and sync the index. Nothing here imports
numpy or scikit-learn at module level, and a sync imports neither: the next ranking catches the features up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from readroom.discover import index, ranking_cache
from readroom.discover.rank import Ranking, RankRequest
from readroom.discover.signals import Signals
from readroom.discover.sync import SyncProgress, SyncResult


def rank(request: RankRequest, signals: Signals | None = None, *,
         stale: Callable[[Ranking], None] | None = None, step: Callable[[str], None] | None = None) -> Ranking:
    """The ranking for `request`: the kept one when nothing it depends on changed, else ranked now and kept
    for next time. With `stale`, a kept ranking that no longer holds is handed to it first, to show while the
    new one is made; `step` hears what a new ranking is busy with (never called for a kept one)."""
    from readroom.discover import rank as rank_mod
    from readroom.discover import signals as signals_mod

    sig = signals or signals_mod.load()
    cached = ranking_cache.lookup(request, sig, stale_ok=stale is not None)
    if cached is not None and cached.fresh:
        return cached.ranking
    if cached is not None and stale is not None:  # looked up stale only when there is someone to show it to
        stale(cached.ranking)
    if not ranking_cache.cacheable(request):
        return rank_mod.rank(request, signals=sig, step=step)
    state = index.state()  # before ranking: a sync meanwhile makes the entry stale, never wrongly fresh
    wide = replace(request, limit=max(request.limit, ranking_cache.KEEP)) if request.limit else request
    ranking = rank_mod.rank(wide, signals=sig, step=step)
    ranking_cache.store(wide, sig, ranking, state)
    if request.limit:
        ranking.papers = ranking.papers[:request.limit]
    return ranking


def warm_up() -> None:
    """Read the features into memory and import what fitting a model needs (scikit-learn: 2-3 s of a busy 2-core
    machine, most of a first ranking), so that the first ranking made after a kept one was shown (the Discover
    screen's first mode switch) starts at once. Cheap when already done."""
    import importlib

    from readroom.discover import features

    feats = features.refresh()
    if feats is not None:
        feats.vectorize([""])  # its vectorizer, for library papers outside the index
    for name in ("sklearn.svm", "sklearn.metrics"):  # the model's and the choice of C's
        importlib.import_module(name)


def sync(*, now: datetime, days: int | None = None, max_new: int | None = None,
         progress: Callable[[SyncProgress], None] | None = None) -> SyncResult:
    """Fetch what the index lacks from the configured listing (sync.sync); `progress` hears about every page.
    The features are caught up by the next ranking (features.load, on its progress line), not here: importing
    scikit-learn for them (1.2-2.5 s on this 2-core machine) made a one-request sync take 2-4 s, and a
    ranking needs that import anyway, so it costs that ranking nothing it would not pay."""
    from readroom.discover import sync as sync_mod
    from readroom.sources.listings import listing

    with listing() as source:
        return sync_mod.sync(source, now=now, days=days, max_new=max_new, progress=progress)


def all_older_hint(result: SyncResult, days: int | None = None, *, in_app: bool = False) -> str | None:
    """Why a sync fetched nothing when that is because every listed paper is older than the window (`days`, else
    the configured one), and a window that fetches a page of them: as `--days N` on the CLI, as the config.toml
    line in the app (which has no option to type). None when that is not why."""
    if result.all_older is None:
        return None
    import math

    from readroom import clock
    from readroom.config import SYNC_DAYS, load

    days = load().discover.days if days is None else days
    wider = min(SYNC_DAYS.stop - 1, math.ceil((clock.now() - result.all_older).total_seconds() / 86400))
    listed = f"{result.listed:,} listed" if result.listed is not None else "the papers listed"
    how = (f"[discover] days = {wider} in config.toml" if in_app else
           f"`readroom discover sync --days {wider}` (or set [discover] days in config.toml)")
    return f"The {listed} are all older than {days:,} days; try {how}."

