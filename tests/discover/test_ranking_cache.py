"""The kept rankings: a kept list is the list a fresh ranking gives, and any change it depends on (a sync, a tag,
a dismissal, reading progress) makes it stale; the CLI answers from it without ranking again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from discover.corpus import NEWEST, add_library_paper, make_papers, seed_index
from readroom import cli, library
from readroom.discover import index, rank, ranking_cache, service, signals

NOW = NEWEST + timedelta(hours=1)


@pytest.fixture
def corpus():
    papers = make_papers(300)
    seed_index(papers)
    for p in [p for p in papers if p.topic == "robotics"][:4]:
        add_library_paper(p, tags=("robots",))
    return papers


def request(**kwargs) -> rank.RankRequest:
    kwargs.setdefault("limit", 30)
    return rank.RankRequest(now=kwargs.pop("now", NOW), **kwargs)


def fresh(req: rank.RankRequest) -> dict:
    return rank.rank(req).to_json()


@pytest.mark.parametrize("how", [dict(mode="foryou"), dict(mode="tag", tag="robots"), dict(mode="time"),
                                 dict(mode="search", query="robot grasping"), dict(mode="foryou", band=(10, 60)),
                                 dict(mode="foryou", include_library=True)])
def test_a_kept_ranking_is_the_ranking(corpus, how):
    first = service.rank(request(**how))
    assert first.papers
    kept = ranking_cache.lookup(request(**how), signals.load())
    assert kept is not None and kept.fresh
    assert kept.ranking.to_json() == first.to_json() == fresh(request(**how))
    # Shorter lists are its prefix; "newest first" scores are ages, so they follow the clock.
    later = request(**how, limit=5, now=NOW + timedelta(days=2))
    assert service.rank(later).to_json() == fresh(later)


def test_what_the_ranking_depends_on_makes_it_stale(corpus):
    req = request(mode="foryou")
    service.rank(req)

    def is_fresh() -> bool:
        kept = ranking_cache.lookup(req, signals.load(), stale_ok=True)
        assert kept is not None  # a stale list is still there to show while ranking again
        return kept.fresh

    assert is_fresh()
    top = service.rank(req).papers[0].paper.arxiv_id
    index.dismiss(top, now=NOW)
    assert not is_fresh()
    again = service.rank(req)
    assert top not in [r.paper.arxiv_id for r in again.papers] and again.to_json() == fresh(req)
    assert is_fresh()
    library.tag(library.list_papers()[0].id, ["another"])
    assert not is_fresh()
    service.rank(req)
    seed_index(make_papers(10, seed=11, first_number=95000))  # a sync
    assert not is_fresh()
    service.rank(req)
    add_library_paper(make_papers(1, seed=12, first_number=10)[0], decision="dropped")
    assert not is_fresh()


def test_random_and_windowed_rankings_are_not_kept(corpus):
    for req in (request(mode="random"), request(mode="foryou", days=3)):
        service.rank(req)
        assert ranking_cache.lookup(req, signals.load(), stale_ok=True) is None


def test_a_longer_list_than_kept_is_ranked_again(corpus):
    service.rank(request(mode="time", limit=10))  # kept: the first KEEP (200) of 300
    assert ranking_cache.lookup(request(mode="time", limit=200), signals.load()) is not None
    assert ranking_cache.lookup(request(mode="time", limit=250), signals.load()) is None
    assert ranking_cache.lookup(request(mode="time", limit=None), signals.load()) is None


def test_a_damaged_cache_is_ignored(corpus):
    ranking_cache.cache_path().parent.mkdir(parents=True, exist_ok=True)
    ranking_cache.cache_path().write_text("{not json", encoding="utf-8")
    assert service.rank(request(mode="foryou")).to_json() == fresh(request(mode="foryou"))


def test_the_cli_lists_the_kept_ranking_without_ranking_again(corpus, capsys, monkeypatch):
    assert cli.main(["sanity", "list", "--json", "--limit", "5"]) == 0
    first = capsys.readouterr().out

    def no_ranking(*args, **kwargs):
        raise AssertionError("ranked again")

    monkeypatch.setattr(rank, "rank", no_ranking)
    assert cli.main(["sanity", "list", "--json", "--limit", "5"]) == 0
    assert capsys.readouterr().out == first
