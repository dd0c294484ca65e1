"""The features of papers a sync adds go to a small shard file beside features.npz (46 MB at 30,000 papers), not
into a rewrite of it; a load stacks them. Rankings from the stacked features are the ones a single matrix gives;
a damaged shard costs a catch-up, not a wrong ranking; past MAX_SHARDS they are folded into the main file."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import pytest

from discover.corpus import NEWEST, add_library_paper, make_papers, seed_index
from readroom import cli
from readroom.discover import features, index, rank

NOW = NEWEST + timedelta(days=30)


@pytest.fixture
def corpus():
    papers = make_papers(400)
    seed_index(papers)
    for p in [p for p in papers if p.topic == "robotics"][:6]:
        add_library_paper(p, tags=("robots",))
    return papers


def small_sync(i: int) -> None:
    """A sync that brings 7 new papers, as `readroom discover sync` stores them."""
    seed_index(make_papers(7, seed=100 + i, first_number=95000 + 10 * i, newest=NEWEST + timedelta(days=1 + i)))


def from_disk() -> features.Features:
    """The features as a new process loads them."""
    features._memo.clear()
    return features.load()


def shards() -> list[str]:
    return sorted(p.name for p in features.cache_path().parent.glob("features-*.npz"))


def stamp() -> tuple[bytes, int]:
    return features.cache_path().read_bytes(), features.cache_path().stat().st_mtime_ns


def one_matrix(feats: features.Features) -> features.Features:
    """What a full rebuild with the same vocabulary holds: every paper of the index vectorised at once (through
    float32, as the cache keeps values)."""
    docs = index.documents()
    x = feats.vectorize([d[1] for d in docs])
    x.data = x.data.astype(np.float32).astype(np.float64)
    return features.Features([d[0] for d in docs], x, feats.vocab, feats.idf,
                             np.array([d[2] for d in docs]), feats.rev, feats.fitted_on, feats.fit)


def top(feats: features.Features, n: int = 60) -> tuple[list[str], list[float]]:
    ranking = rank.rank(rank.RankRequest(now=NOW, mode="tag", tag="robots", limit=n), features=feats)
    return [r.paper.arxiv_id for r in ranking.papers], [r.score for r in ranking.papers]


def test_a_sync_adds_a_shard_and_leaves_the_main_file_as_it_was(listing, capsys):
    for paper in listing.papers[:3]:
        add_library_paper(paper, tags=("robots",))
    assert cli.main(["discover", "sync", "--max", "50"]) == 0
    assert cli.main(["discover", "list", "--json"]) == 0  # fits the features: the main file
    capsys.readouterr()
    before = stamp()
    assert shards() == []
    assert cli.main(["discover", "sync", "--max", "20"]) == 0  # fewer than fitted on: no refit
    capsys.readouterr()
    features._memo.clear()  # the next `discover list` is a new process
    assert cli.main(["discover", "list", "--json", "--limit", "1000"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert ranked["index_size"] == 70 and {p["arxiv_id"] for p in ranked["papers"]} == {
        p.arxiv_id for p in listing.papers[3:70]}
    assert stamp() == before  # not a byte of it rewritten
    assert len(shards()) == 1
    assert len(from_disk().ids) == 70


def test_rankings_from_many_small_syncs_are_those_of_one_matrix(corpus, monkeypatch):
    first = from_disk()
    main = stamp()
    monkeypatch.setattr(features, "_fit", lambda *a: pytest.fail("refitted although only a few papers came"))
    for i in range(5):
        small_sync(i)
        from_disk()  # a new process ranks: it catches the features up
    assert stamp() == main and len(shards()) == 5
    monkeypatch.setattr(features, "_catch_up", lambda *a: pytest.fail("caught up although the shards hold all"))
    stacked = from_disk()
    assert list(stacked.vocab) == list(first.vocab) and len(stacked.ids) == 435
    reference = one_matrix(stacked)
    assert stacked.ids == reference.ids
    assert stacked.x.has_sorted_indices and stacked.x.dtype == np.float64
    ids, scores = top(stacked)
    want_ids, want_scores = top(reference)
    assert ids == want_ids and scores == pytest.approx(want_scores, abs=1e-9)
    assert {p.arxiv_id for p in make_papers(7, seed=100, first_number=95000)} & set(stacked.ids)


def test_a_damaged_shard_is_caught_up_again_and_the_ranking_stays_right(corpus, monkeypatch):
    from_disk()
    for i in range(3):
        small_sync(i)
        from_disk()
    names = shards()
    assert len(names) == 3
    monkeypatch.setattr(features, "_fit", lambda *a: pytest.fail("refitted for a damaged shard"))
    damaged = sorted(features.cache_path().parent.glob("features-*.npz"), key=lambda p: int(p.stem[9:]))[1]
    damaged.write_bytes(b"not an npz file")
    added: list[str] = []
    features._memo.clear()
    caught = features.load(added.append)  # the second and third syncs' papers are vectorised again
    assert "adding 14 papers to the features" in added
    assert len(caught.ids) == 421
    ids, scores = top(caught)
    want_ids, want_scores = top(one_matrix(caught))
    assert ids == want_ids and scores == pytest.approx(want_scores, abs=1e-9)
    again = from_disk()  # and the catch-up was kept: nothing to redo
    assert again.ids == caught.ids and (again.x != caught.x).nnz == 0


def test_a_shard_of_another_fit_of_the_vocabulary_is_not_stacked(corpus):
    fitted = from_disk()
    small_sync(0)
    new = index.documents(since_rev=fitted.rev)
    alien = features.Features([d[0] for d in new], fitted.vectorize([d[1] for d in new])[:, ::-1].tocsr(),
                              fitted.vocab, fitted.idf, np.array([d[2] for d in new]), index.state()[0],
                              fitted.fitted_on, "another-fit")
    features._write_arrays(features.shard_path(alien.rev), {"format": features.FORMAT, "fit": "another-fit",
                           "base": fitted.rev, "rev": alien.rev}, alien.x, alien.ids, alien.published)
    loaded = from_disk()
    assert loaded.ids == one_matrix(loaded).ids
    assert abs(loaded.x - one_matrix(loaded).x).max() < 1e-6  # its own rows, not the alien ones


def test_past_max_shards_everything_is_folded_into_the_main_file(corpus, monkeypatch):
    from_disk()
    main = stamp()
    for i in range(features.MAX_SHARDS):
        small_sync(i)
        from_disk()
    assert len(shards()) == features.MAX_SHARDS and stamp() == main
    small_sync(features.MAX_SHARDS)
    folded = from_disk()
    assert shards() == [] and stamp() != main
    monkeypatch.setattr(features, "_catch_up", lambda *a: pytest.fail("caught up although all was folded"))
    again = from_disk()
    assert len(again.ids) == 400 + 7 * (features.MAX_SHARDS + 1) and again.ids == folded.ids
    assert again.fitted_on == 400 and list(again.vocab) == list(folded.vocab)


def test_a_refit_removes_the_shards(corpus):
    from_disk()
    small_sync(0)
    from_disk()
    assert len(shards()) == 1
    seed_index(make_papers(500, seed=12, first_number=96000, newest=NEWEST + timedelta(days=20)))
    refit = from_disk()  # the index more than doubled: the vocabulary is fitted again
    assert refit.fitted_on == 907 and shards() == []
    assert from_disk().ids == refit.ids


def test_a_main_file_from_before_shards_takes_them_without_a_refit(corpus, monkeypatch):
    fitted = from_disk()
    meta = {"format": features.FORMAT, "rev": fitted.rev, "fitted_on": fitted.fitted_on}  # as written before
    features._write_arrays(features.cache_path(), meta, fitted.x, fitted.ids, fitted.published,
                           vocab=fitted.vocab.astype(str), idf=fitted.idf)
    monkeypatch.setattr(features, "_fit", lambda *a: pytest.fail("refitted a cache from before shards"))
    small_sync(0)
    caught = from_disk()
    assert len(shards()) == 1
    monkeypatch.setattr(features, "_catch_up", lambda *a: pytest.fail("the shard was not stacked"))
    assert from_disk().ids == caught.ids == one_matrix(caught).ids
