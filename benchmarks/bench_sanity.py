"""Discover at realistic sizes: requests to sync 1,000 new papers (goal <= 10), ranking 30,000 papers by a tag
model (goal with features in memory <= 0.4 s), the Discover screen opening (goal < 0.5 s), `readroom sanity list`,
and the average precision of each SVM C on a topic-labelled corpus (why discover/svm_c.py's default is what it is).

    python benchmarks/bench_sanity.py [--reuse HOME]  (HOME: a home seeded by an earlier run; skips sync and seeding)
    python benchmarks/bench_sanity.py --c [N]         (only the C comparison, on N papers: 5,000 unless given)
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import statistics
import sys
import time
from datetime import timedelta

from _common import ROOT, fresh_home

sys.path.insert(0, str(ROOT / "tests"))

from discover.corpus import NEWEST, GenPaper, Listing, add_library_paper, make_papers, seed_index

INDEX_SIZE = 30_000


def realistic(papers: list[GenPaper], seed: int = 1) -> list[GenPaper]:
    """Abstracts of ~150 words over a Zipf-like vocabulary of 12,000 words, so the tf-idf has arXiv's scale."""
    rng = random.Random(seed)
    syllables = ["ka", "to", "ri", "men", "sol", "var", "pe", "lu", "dra", "quo", "zen", "fi", "mar", "te", "nox"]
    vocab = list({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(14_000)})[:12_000]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    for p in papers:
        filler = rng.choices(vocab, weights=weights, k=110)
        p.abstract = p.abstract + " " + " ".join(filler)
    return papers


def topic_labelled(n: int, seed: int) -> list[GenPaper]:
    """Papers whose topic is a faint signal: ~150 words, one in ten from the paper's topic, one in thirty from
    another topic, the rest Zipf-like filler, so topics overlap as arXiv's do and C makes a difference."""
    from discover.corpus import TOPICS

    rng = random.Random(seed)
    papers = realistic(make_papers(n, seed=seed), seed=seed)
    topics = {t: words.split() for t, words in TOPICS.items()}
    for p in papers:
        filler = p.abstract.split()[45:]
        other = rng.choice([t for t in topics if t != p.topic])
        words = [rng.choice(topics[p.topic]) if r < 0.1 else rng.choice(topics[other]) if r < 0.133
                 else rng.choice(filler) for r in (rng.random() for _ in range(150))]
        p.abstract, p.title = " ".join(words), " ".join(rng.sample(filler, 6))
    return papers


def bench_c(n: int = 5000, counts: tuple[int, ...] = (3, 10, 30), seeds: tuple[int, ...] = (1, 2)) -> None:
    """For each topic and seed: a few papers of the topic are the user's, the model ranks the rest; the average
    precision of the topic's other papers in that ranking, per C (fitted as rank.py fits, on svm_c's training
    sample; above svm_c.FIT_NEGATIVES papers also on all rows, for comparison); and what the cross-validation picks."""
    import numpy as np
    from sklearn.metrics import average_precision_score

    from readroom.discover import features, svm_c

    tried = sorted({0.001, *svm_c.GRID})
    corpora = []
    for seed in seeds:
        papers = topic_labelled(n, seed)
        docs = [(p.arxiv_id, f"{p.title} {p.abstract}", p.published.timestamp(), 0) for p in papers]
        corpora.append((seed, papers, features._fit(docs, 0)))
    print(f"SVM C on a topic-labelled corpus ({n:,} papers, 5 topics x {len(seeds)} seeds): average precision of "
          "the topic's other papers in the ranking")
    for count in counts:
        precision: dict[float, list[float]] = {c: [] for c in tried}
        everything: dict[float, list[float]] = {c: [] for c in tried}
        seconds: dict[str, list[float]] = {"sample": [], "all": []}
        picked: list[float] = []
        for seed, papers, feats in corpora:
            rng = random.Random(seed)
            for topic in sorted({p.topic for p in papers}):
                topic_rows = [i for i, p in enumerate(papers) if p.topic == topic]
                y = np.zeros(n, dtype=np.int8)
                y[rng.sample(topic_rows, count)] = 1
                truth, rest = np.isin(np.arange(n), topic_rows), y == 0
                rows, xs, ys, ws = svm_c.training_sample(feats.x, y, np.ones(n))
                for c in tried:
                    for kind, fit_on, into in (("sample", (xs, ys, ws), precision), ("all", (feats.x, y, np.ones(n)),
                                                                                     everything)):
                        if kind == "all" and len(rows) == n:
                            continue
                        start = time.process_time()
                        scores = svm_c.model(c).fit(fit_on[0], fit_on[1], sample_weight=fit_on[2]) \
                            .decision_function(feats.x)
                        seconds[kind].append(time.process_time() - start)
                        into[c].append(average_precision_score(truth[rest], scores[rest]))
                picked.append(svm_c.choose(feats, xs, ys, ws, rows=rows))
        cv = f"cross-validation picked {', '.join(f'{c:g}: {picked.count(c)}' for c in svm_c.GRID)}" \
            if count >= svm_c.MIN_POSITIVES else f"(below {svm_c.MIN_POSITIVES}: the default, no cross-validation)"
        print(f"  {count:>2} positives: " + ", ".join(f"C={c:g} {statistics.mean(v):.3f}" + ("*" if c == svm_c.DEFAULT_C
              else "") for c, v in precision.items()) + f"; {cv}")
        if seconds["all"]:
            print(f"      on all {n:,} rows: " + ", ".join(f"C={c:g} {statistics.mean(v):.3f}" for c, v in
                                                   everything.items()) + f"; a fit + score takes "
                  f"{statistics.mean(seconds['sample']):.2f} s on the sample, {statistics.mean(seconds['all']):.2f} s"
                  " on all rows (CPU)")


def bench_sync() -> None:
    from pytest_httpserver import HTTPServer

    from readroom import config
    from readroom.discover import sync
    from readroom.sources.listings import ArxivListing

    fresh_home()
    old = make_papers(500, first_number=50000, newest=NEWEST - timedelta(days=4))
    new = make_papers(1000, seed=3, first_number=60000)
    seed_index(old)
    served = Listing(new + old)
    server = HTTPServer()
    server.start()
    try:
        server.expect_request(re.compile(r"^/api/query")).respond_with_handler(served.api)
        os.environ.update(READROOM_ARXIV_API=server.url_for("/api/query"), READROOM_ARXIV_DELAY="0")
        config.reload()
        start = time.perf_counter()
        with ArxivListing() as source:
            result = sync.sync(source, now=NEWEST + timedelta(hours=1), days=30)
        elapsed = time.perf_counter() - start
    finally:
        server.stop()
    print(f"sync: {result.new:,} new papers in {result.requests} requests "
          f"(page size {config.load().discover.page_size}; goal <= 10), {elapsed:.2f} s on loopback "
          f"(+ {config.DEFAULTS.network.arxiv_delay:g} s pacing per request against arXiv)")


def seed_ranking_home() -> None:
    from readroom.discover import features

    fresh_home()
    start = time.perf_counter()
    papers = realistic(make_papers(INDEX_SIZE, step_minutes=1))
    seed_index(papers, page=1000)
    for p in [p for p in papers if p.topic == "robotics"][:25]:
        add_library_paper(p, tags=("robots",))
    for p in make_papers(15, seed=5, first_number=10000, topics=("vision",)):
        add_library_paper(p, tags=("robots",), in_index_id=False)  # older papers outside the index
    print(f"seeded {INDEX_SIZE:,} papers in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    feats = features.load()
    print(f"features: {feats.x.shape[0]:,} x {feats.x.shape[1]:,} tf-idf fitted and cached in "
          f"{time.perf_counter() - start:.1f} s ({features.cache_path().stat().st_size / 1e6:.0f} MB on disk)")


def bench_rank() -> None:
    from datetime import datetime, timezone

    from readroom.discover import features, rank

    def once(cold: bool) -> tuple[float, float]:
        if cold:
            features._memo.clear()  # a new process: the cache comes from disk
        start, cpu = time.perf_counter(), time.process_time()
        result = rank.rank(rank.RankRequest(now=datetime.now(timezone.utc), mode="tag", tag="robots", limit=50))
        elapsed = time.perf_counter() - start, time.process_time() - cpu
        assert result.papers and result.pool == INDEX_SIZE
        return elapsed

    cold = [once(True) for _ in range(3)]
    warm = [once(False) for _ in range(5)]
    load = os.getloadavg()[0]
    print(f"rank {INDEX_SIZE:,} papers by a tag model: {statistics.median(t for t, _ in cold):.2f} s from the disk "
          f"cache (the cross-validation of C included), {statistics.median(t for t, _ in warm):.2f} s with features "
          f"in memory (median of {len(warm)}, best {min(t for t, _ in warm):.2f} s, "
          f"{statistics.median(c for _, c in warm):.2f} s of CPU; goal <= 0.4 s; load average {load:.1f} on "
          f"{os.cpu_count()} cores)")


def bench_screen(opens: int = 3) -> None:
    """Push Discover from the library: the first time (nothing kept: ranked in the worker), then again with
    nothing changed (the kept ranking), then after a library change (the kept list at once, re-ranked behind it)."""
    from readroom import library
    from readroom.discover import features
    from readroom.tui.app import ReadroomApp
    from readroom.tui.screens.discover import DiscoverScreen

    painted: list[float] = []
    rerank = DiscoverScreen.rerank

    def first_rank(screen) -> None:  # the screen ranks right after its first frame is on screen
        painted.append(time.perf_counter())
        rerank(screen)

    DiscoverScreen.rerank = first_rank
    listed: list[tuple[float, bool]] = []  # (when painted, whether it was the up-to-date ranking)
    shown_list = DiscoverScreen._shown

    def list_painted(screen, ranking, *args) -> None:  # the first frame with a ranked list (kept or new) is drawn
        shown_list(screen, ranking, *args)
        if ranking is not None and ranking.papers:
            final = screen.loaded
            screen.call_after_refresh(lambda: listed.append((time.perf_counter(), final)))

    DiscoverScreen._shown = list_painted

    async def run() -> list[tuple[float, float, float]]:
        features._memo.clear()
        app = ReadroomApp()
        timings = []
        async with app.run_test(size=(120, 40)) as pilot:
            while not (type(app.screen).__name__ == "LibraryScreen" and app.screen.loaded):
                await pilot.pause(0.01)
            for i in range(opens + 1 + 1):
                if i == opens + 1:  # the library changed: tagging a paper changes what "for you" learns from
                    library.tag(library.list_papers()[0].id, [f"bench-{time.time_ns()}"])
                painted.clear()
                listed.clear()
                start = time.perf_counter()
                await pilot.press("d")
                while not any(final for _, final in listed):
                    await pilot.pause(0.005)
                timings.append((painted[0] - start, listed[0][0] - start, listed[-1][0] - start))
                await pilot.press("escape")
                await pilot.pause(0.05)
        return timings

    timings = asyncio.run(run())
    first, kept, changed = timings[0], timings[1:-1], timings[-1]
    print(f"Discover screen, first open (nothing kept): on screen after {first[0] * 1000:.0f} ms, ranked list of "
          f"{INDEX_SIZE:,} papers after {first[2]:.2f} s (in a worker, behind a loading indicator)")
    print(f"Discover screen, opened again: ranked list on screen after "
          f"{statistics.median(t[1] for t in kept) * 1000:.0f} ms (median of {len(kept)}; goal < 0.5 s)")
    print(f"Discover screen, after a library change: the kept list after {changed[1] * 1000:.0f} ms, "
          f"the new ranking swapped in after {changed[2]:.2f} s")


def bench_list(repeat: int = 3) -> None:
    """`readroom sanity list` in a fresh process: once to rank and keep it, then answered from what was kept."""
    from _common import time_command
    from readroom.discover import ranking_cache

    ranking_cache.cache_path().unlink(missing_ok=True)
    first, _ = time_command(["sanity", "list"], repeat=1)
    median, best = time_command(["sanity", "list"], repeat=repeat)
    print(f"`readroom sanity list`: {first:.2f} s ranking, then {median:.2f} s (median of {repeat}, best {best:.2f})"
          " with nothing changed")


if __name__ == "__main__":
    if "--c" in sys.argv:
        fresh_home()
        after = sys.argv[sys.argv.index("--c") + 1:]
        bench_c(int(after[0]) if after and after[0].isdigit() else 5000)
        sys.exit()
    if "--reuse" in sys.argv:
        os.environ["READROOM_HOME"] = sys.argv[sys.argv.index("--reuse") + 1]
    else:
        bench_sync()
        seed_ranking_home()
    bench_rank()
    bench_screen()
    bench_list()
    bench_c()
