"""Ranking on a generated index with known topics: the tagged topic rises, the words that explain it are that
topic's, feedback from the library (dropped, dismissed, read deeply) moves the ranking, and the band slices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from discover.corpus import GENERIC, NEWEST, TOPICS, add_library_paper, make_papers, seed_index
from readroom.discover import features, index, rank, signals
from readroom.errors import BadInput, NotFound

NOW = NEWEST + timedelta(hours=1)


@pytest.fixture
def corpus():
    papers = make_papers(400)
    seed_index(papers)
    return papers


def ranked(**kwargs) -> rank.Ranking:
    kwargs.setdefault("limit", None)
    return rank.rank(rank.RankRequest(now=NOW, **kwargs))


def topic_of(corpus) -> dict[str, str]:
    return {p.arxiv_id: p.topic for p in corpus}


def topic_words(topic: str) -> set[str]:
    return set(TOPICS[topic].split())


def test_a_tag_model_ranks_papers_of_the_tagged_topic_first(corpus):
    robots = [p for p in corpus if p.topic == "robotics"][:6]
    for p in robots:
        add_library_paper(p, tags=("robots",))
    result = ranked(mode="tag", tag="robots")
    topics = [topic_of(corpus)[r.paper.arxiv_id] for r in result.papers]
    n_robotics = sum(p.topic == "robotics" for p in corpus) - len(robots)
    assert topics[:n_robotics] == ["robotics"] * n_robotics  # every robotics paper above every other paper
    assert result.positives == 6 and result.pool == 400
    assert not {r.paper.arxiv_id for r in result.papers} & {p.arxiv_id for p in robots}  # library skipped
    # The words explaining each recommendation are the topic's, never another topic's.
    for r in result.papers[:20]:
        assert r.words, r
        for term in r.words:
            assert set(term.split()) <= topic_words("robotics") | set(GENERIC), (term, r.paper.title)
    liked = {w for term in result.liked for w in term.split()}
    assert liked <= topic_words("robotics") | set(GENERIC) and liked & topic_words("robotics")
    assert result.disliked and not any(set(t.split()) <= topic_words("robotics") for t in result.disliked)


def test_library_papers_outside_the_index_teach_the_model_too(corpus):
    # Classics and older papers are not in a two-week index; their abstracts still count.
    for p in make_papers(5, seed=99, first_number=10000, topics=("audio",)):
        add_library_paper(p, tags=("speech",))
    result = ranked(mode="foryou", limit=30)
    assert {topic_of(corpus)[r.paper.arxiv_id] for r in result.papers} == {"audio"}
    assert result.positives == 5


def test_dropped_papers_count_against_their_topic(corpus):
    vision = [p for p in corpus if p.topic == "vision"][:4]
    language = [p for p in corpus if p.topic == "language"][:4]
    for p in vision:
        add_library_paper(p)
    ids = [add_library_paper(p) for p in language]
    top = {topic_of(corpus)[r.paper.arxiv_id] for r in ranked(mode="foryou", limit=60).papers}
    assert top == {"vision", "language"}
    from readroom import reading

    for paper_id in ids:
        reading.decide(paper_id, "drop", "not my field")
    result = ranked(mode="foryou", limit=60)
    assert {topic_of(corpus)[r.paper.arxiv_id] for r in result.papers} == {"vision"}
    assert result.negatives == 4


def test_dismissed_papers_are_hidden_and_count_as_negatives(corpus):
    for p in [p for p in corpus if p.topic == "graphs"][:3]:
        add_library_paper(p, tags=("gnn",))
    first = ranked(mode="tag", tag="gnn", limit=5).papers[0]
    index.dismiss(first.paper.arxiv_id, now=NOW)
    result = ranked(mode="tag", tag="gnn")
    assert first.paper.arxiv_id not in {r.paper.arxiv_id for r in result.papers}
    assert result.negatives == 1
    index.dismiss(first.paper.arxiv_id, now=NOW, undo=True)
    assert first.paper.arxiv_id in {r.paper.arxiv_id for r in ranked(mode="tag", tag="gnn").papers}


def test_papers_read_deeply_or_carded_weigh_more(corpus):
    p = corpus[0]
    paper_id = add_library_paper(p, pass_no=2)
    add_library_paper(corpus[1])
    weights = {lp.arxiv_id: lp.weight for lp in signals.load().papers}
    assert weights == {p.arxiv_id: signals.STRONG, corpus[1].arxiv_id: 1.0}
    from readroom.storage import db
    from readroom.storage.models import Note

    with db.session() as s:
        s.add(Note(uuid="n1", kind="qa", front="Q", back="A", paper_id=paper_id, created_at=NOW, updated_at=NOW))
    assert next(lp for lp in signals.load().papers if lp.id == paper_id).carded


def test_similar_to_one_paper(corpus):
    seed = next(p for p in corpus if p.topic == "audio")
    result = ranked(mode="similar", similar=seed.arxiv_id, limit=40)
    assert seed.arxiv_id not in {r.paper.arxiv_id for r in result.papers}
    assert {topic_of(corpus)[r.paper.arxiv_id] for r in result.papers} == {"audio"}


def test_similar_to_a_library_paper_outside_the_index(corpus):
    outside = make_papers(1, seed=5, first_number=20000, topics=("graphs",))[0]
    paper_id = add_library_paper(outside)
    result = ranked(mode="similar", similar=paper_id[:8], limit=30)
    assert {topic_of(corpus)[r.paper.arxiv_id] for r in result.papers} == {"graphs"}
    with pytest.raises(NotFound):
        ranked(mode="similar", similar="no-such-paper")


def test_search_scores_query_words_against_the_tfidf(corpus):
    result = ranked(mode="search", query="quadruped gripper", limit=20)
    assert result.papers and {topic_of(corpus)[r.paper.arxiv_id] for r in result.papers} == {"robotics"}
    assert all(r.score > 0 for r in result.papers)
    assert set(result.papers[0].words) <= {"quadruped", "gripper", "quadruped gripper", "gripper quadruped"}
    assert ranked(mode="search", query="zzzqqq").papers == []


def test_search_finds_words_the_vocabulary_lacks(corpus):
    seed_index(make_papers(1, seed=3, first_number=30000))  # one more paper ...
    from discover.corpus import listed
    from readroom.discover.index import store_page

    odd = make_papers(1, seed=4, first_number=40000)[0]
    odd.authors = ["Zebulon Quuxley"]  # ... and one whose author appears nowhere else (below min_df)
    store_page("test", [listed(odd)], [], now=NOW, total=None)
    result = ranked(mode="search", query="Quuxley")
    assert [r.paper.arxiv_id for r in result.papers] == [odd.arxiv_id]


def test_time_mode_is_newest_first_and_days_filters(corpus):
    result = ranked(mode="time", days=1)
    dates = [r.paper.published for r in result.papers]
    assert dates == sorted(dates, reverse=True)
    assert all(d >= NOW - timedelta(days=1) for d in dates)
    assert len(dates) == sum(p.published >= NOW - timedelta(days=1) for p in corpus)


def test_an_empty_library_ranks_by_time_and_says_why(corpus):
    result = ranked(mode="foryou", limit=3)
    assert result.mode == "time" and "Nothing in your library" in result.note
    with pytest.raises(BadInput, match="No paper in your library is tagged 'nope'"):
        ranked(mode="tag", tag="nope")


def test_random_mode_is_a_shuffle(corpus):
    a = [r.paper.arxiv_id for r in ranked(mode="random", seed=1).papers]
    b = [r.paper.arxiv_id for r in ranked(mode="random", seed=2).papers]
    assert sorted(a) == sorted(b) == sorted(p.arxiv_id for p in corpus) and a != b


def test_the_band_keeps_the_right_slice_of_the_ranking(corpus):
    for p in [p for p in corpus if p.topic == "vision"][:5]:
        add_library_paper(p, tags=("cv",))
    everything = ranked(mode="tag", tag="cv", include_library=True)
    band = ranked(mode="tag", tag="cv", include_library=True, band=(15, 40))
    assert [r.position for r in band.papers] == list(range(61, 161))  # 400 papers: places 61..160
    assert [r.paper.arxiv_id for r in band.papers] == [r.paper.arxiv_id for r in everything.papers[60:160]]
    assert all(15 < r.top_percent <= 40 for r in band.papers)


def test_an_empty_index_asks_for_a_sync():
    with pytest.raises(NotFound, match="run `readroom discover sync`"):
        ranked(mode="time")


# --------------------------------------------------------------------------------------------- features cache


def test_features_are_cached_on_disk_and_caught_up_after_a_sync(corpus, monkeypatch):
    first = features.load()
    assert features.cache_path().is_file() and first.x.shape[0] == 400
    features._memo.clear()
    with monkeypatch.context() as m:
        m.setattr(features, "_fit", lambda *a: pytest.fail("refitted although the cache was current"))
        again = features.load()
        assert again.ids == first.ids and (again.x != first.x).nnz == 0
        seed_index(make_papers(50, seed=11, first_number=95000, newest=NEWEST + timedelta(days=1)))
        grown = features.load()  # 50 new papers: vectorised with the cached vocabulary, appended
        assert grown.x.shape[0] == 450 and list(grown.vocab) == list(first.vocab) and grown.fitted_on == 400
    seed_index(make_papers(500, seed=12, first_number=96000, newest=NEWEST + timedelta(days=2)))
    refit = features.load()  # the index more than doubled: the vocabulary is fitted again
    assert refit.x.shape[0] == 950 and refit.fitted_on == 950


def test_a_damaged_cache_is_rebuilt(corpus):
    features.load()
    features._memo.clear()
    features.cache_path().write_bytes(b"not an npz file")
    assert features.load().x.shape[0] == 400


# --------------------------------------------------------------------------------------------- band (pure)


@given(st.integers(0, 5000), st.lists(st.floats(0, 100, allow_nan=False), min_size=3, max_size=3))
def test_adjacent_bands_split_the_ranking_with_nothing_lost_or_doubled(n, cuts):
    a, b, c = sorted(cuts)
    lo1, hi1 = rank.band_slice(n, a, b)
    lo2, hi2 = rank.band_slice(n, b, c)
    lo, hi = rank.band_slice(n, a, c)
    assert (lo1, hi2) == (lo, hi) and hi1 == lo2
    assert 0 <= lo <= hi <= n
    assert abs((hi1 - lo1) - n * (b - a) / 100) < 1 + 1e-6


@given(st.integers(1, 5000))
def test_the_whole_band_is_the_whole_list(n):
    assert rank.band_slice(n, 0, 100) == (0, n)


@pytest.mark.parametrize("text,expected", [("15-40", (15, 40)), ("0-100", (0, 100)), ("2.5–10%", (2.5, 10))])
def test_band_parsing(text, expected):
    assert rank.parse_band(text) == expected


@pytest.mark.parametrize("text", ["40-15", "15", "10-101", "a-b", "15-15"])
def test_bad_bands_are_refused(text):
    with pytest.raises(BadInput, match="is not a band"):
        rank.parse_band(text)
