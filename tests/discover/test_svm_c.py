"""The SVM's C: cross-validated on the user's labels when there are enough, kept until the labels change, else
the default; and the matrix handed to liblinear is the one it uses as is (no copy per fit)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from discover.corpus import NEWEST, add_library_paper, make_papers, seed_index
from readroom.discover import features, rank, svm_c

NOW = NEWEST + timedelta(hours=1)
labels = st.lists(st.sampled_from([0, 1]), min_size=1, max_size=300).map(lambda v: np.array(v, dtype=np.int8))


@pytest.fixture
def corpus():
    papers = make_papers(300)
    seed_index(papers)
    return papers


def liblinear_ready(x) -> bool:
    from sklearn.utils import check_array

    return check_array(x, accept_sparse="csr", dtype=np.float64, accept_large_sparse=False) is x


def test_liblinear_takes_the_features_as_they_are_fitted_read_and_caught_up(corpus):
    fitted = features.load()
    assert fitted.x.dtype == np.float64 and fitted.x.has_sorted_indices and liblinear_ready(fitted.x)
    features._memo.clear()
    read = features.load()  # from the disk cache (float32 there)
    assert liblinear_ready(read.x) and abs(read.x - fitted.x).max() < 1e-6
    seed_index(make_papers(20, seed=11, first_number=95000, newest=NEWEST + timedelta(days=1)))
    grown = features.load()
    assert grown.x.shape[0] == 320 and liblinear_ready(grown.x) and grown.x.has_sorted_indices
    assert liblinear_ready(grown.vectorize(["robot gripper torque", "speech"]))


def cv_calls(monkeypatch) -> list[float]:
    calls: list[float] = []
    real = svm_c._cross_validate

    def counted(*args):
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(svm_c, "_cross_validate", counted)
    return calls


def test_enough_positives_choose_c_by_cross_validation_once_per_labelling(corpus, monkeypatch):
    calls = cv_calls(monkeypatch)
    robots = [p for p in corpus if p.topic == "robotics"]
    for p in robots[:svm_c.MIN_POSITIVES - 1]:
        add_library_paper(p, tags=("robots",))
    rank.rank(rank.RankRequest(now=NOW, mode="tag", tag="robots"))
    assert calls == []  # too few positives to hold some out: the default
    add_library_paper(robots[svm_c.MIN_POSITIVES], tags=("robots",))
    first = rank.rank(rank.RankRequest(now=NOW, mode="tag", tag="robots"))
    again = rank.rank(rank.RankRequest(now=NOW, mode="tag", tag="robots"))
    assert len(calls) == 1 and calls[0] in svm_c.GRID  # kept with the features while the labels hold
    assert [r.paper.arxiv_id for r in again.papers] == [r.paper.arxiv_id for r in first.papers]
    add_library_paper(robots[svm_c.MIN_POSITIVES + 1], tags=("robots",))
    rank.rank(rank.RankRequest(now=NOW, mode="tag", tag="robots"))
    assert len(calls) == 2


@given(labels, st.integers(2, 5))
def test_folds_split_the_rows_and_share_out_the_positives(y, k):
    folds = svm_c.folds(y, k)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(y)))
    positives = [int(y[f].sum()) for f in folds]
    assert max(positives) - min(positives) <= 1
    if y.sum() >= k:
        assert min(positives) >= 1


@given(labels, st.integers(0, 100), st.data())
def test_the_sample_keeps_every_positive_and_weighted_negative(y, negatives, data):
    weight = np.array(data.draw(st.lists(st.sampled_from([1.0, 2.0]), min_size=len(y), max_size=len(y))))
    rows = svm_c.sample(y, weight, negatives)
    assert list(rows) == sorted(set(rows.tolist()))
    must = set(np.flatnonzero((y == 1) | (weight != 1)).tolist())
    assert must <= set(rows.tolist())
    plain_negatives = int(((y[rows] == 0) & (weight[rows] == 1)).sum())
    weighted_negatives = int(((y == 0) & (weight != 1)).sum())
    assert plain_negatives == min(int(((y == 0) & (weight == 1)).sum()), max(0, negatives - weighted_negatives))


@given(st.lists(st.floats(0, 1), min_size=len(svm_c.GRID), max_size=len(svm_c.GRID)))
def test_the_default_stays_unless_another_c_clearly_ranks_better(precisions):
    precision = dict(zip(svm_c.GRID, precisions, strict=True))
    chosen = svm_c.pick(precision)
    if max(precisions) > precision[svm_c.DEFAULT_C] + svm_c.MARGIN:
        assert precision[chosen] == max(precisions)
    else:
        assert chosen == svm_c.DEFAULT_C


def test_a_new_ranking_says_what_it_is_busy_with_and_a_kept_one_says_nothing(corpus):
    from readroom.discover import service

    for p in [p for p in corpus if p.topic == "audio"][:svm_c.MIN_POSITIVES]:
        add_library_paper(p, tags=("speech",))
    steps: list[str] = []
    service.rank(rank.RankRequest(now=NOW, mode="tag", tag="speech"), step=steps.append)
    assert steps == ["computing features of 300 papers", "choosing C on your 5 papers", "learning from 5 papers"]
    steps.clear()
    service.rank(rank.RankRequest(now=NOW, mode="tag", tag="speech"), step=steps.append)
    assert steps == []  # the kept ranking: at once
    features._memo.clear()  # a new process
    service.rank(rank.RankRequest(now=NOW, mode="time"), step=steps.append)
    assert steps == ["reading the features of 300 papers"]


@given(labels, st.integers(0, 40), st.integers(0, 5), st.data())
def test_the_training_sample_is_the_rows_it_names_extra_rows_included_and_the_same_every_time(y, negatives, n_extra,
                                                                                              data):
    from scipy.sparse import random as sparse_random

    n_extra = min(n_extra, len(y) - 1)
    weight = np.array(data.draw(st.lists(st.sampled_from([1.0, 2.0]), min_size=len(y), max_size=len(y))))
    weight[len(y) - n_extra:] = np.where(y[len(y) - n_extra:] == 1, 1.0, 2.0)  # as rank.py: each a label that counts
    full = sparse_random(len(y), 30, density=0.2, format="csr", random_state=data.draw(st.integers(0, 99)))
    x, extra = full[:len(y) - n_extra], full[len(y) - n_extra:] if n_extra else None
    rows, xs, ys, ws = svm_c.training_sample(x, y, weight, extra, negatives)
    assert rows.tolist() == svm_c.sample(y, weight, negatives).tolist()  # every positive and weighted negative
    assert set(range(len(y) - n_extra, len(y))) <= set(rows.tolist())  # library papers outside the index: all
    assert (xs != full[rows]).nnz == 0 and ys.tolist() == y[rows].tolist() and ws.tolist() == weight[rows].tolist()
    again = svm_c.training_sample(x, y, weight, extra, negatives)
    assert again[0].tolist() == rows.tolist() and (again[1] != xs).nnz == 0


def test_a_model_fitted_on_a_sample_of_the_negatives_still_ranks_the_topic_first_the_same_each_time(corpus,
                                                                                                    monkeypatch):
    monkeypatch.setattr(svm_c, "FIT_NEGATIVES", 60)  # of 300 papers: most negatives left out of the fit
    fitted: list[int] = []
    real = svm_c.model

    def counted(c):
        m = real(c)
        fit = m.fit
        m.fit = lambda x, y, sample_weight: fitted.append(x.shape[0]) or fit(x, y, sample_weight=sample_weight)
        return m

    monkeypatch.setattr(svm_c, "model", counted)
    robots = [p for p in corpus if p.topic == "robotics"]
    for p in robots[:3]:
        add_library_paper(p, tags=("robots",))
    for p in make_papers(2, seed=5, first_number=10000, topics=("robotics",)):
        add_library_paper(p, tags=("robots",), in_index_id=False)  # outside the index: in the fit all the same
    first = rank.rank(rank.RankRequest(now=NOW, mode="tag", tag="robots", limit=None))
    # The model: every positive and 60 negatives (the cross-validation before it: folds of those); the whole index scored.
    assert fitted[-1] == 5 + 60 and len(fitted) == 1 + len(svm_c.GRID) * svm_c.FOLDS and max(fitted[:-1]) < 65
    assert first.pool == 300 and first.positives == 5
    topics = {p.arxiv_id: p.topic for p in corpus}
    rest = len(robots) - 3
    assert [topics[r.paper.arxiv_id] for r in first.papers[:rest]] == ["robotics"] * rest
    again = rank.rank(rank.RankRequest(now=NOW, mode="tag", tag="robots", limit=None))
    assert [(r.paper.arxiv_id, r.score) for r in again.papers] == [(r.paper.arxiv_id, r.score) for r in first.papers]


def test_after_a_warm_up_the_first_new_ranking_of_a_process_reads_nothing_more(corpus):
    from readroom.discover import service

    for p in [p for p in corpus if p.topic == "audio"][:svm_c.MIN_POSITIVES]:
        add_library_paper(p, tags=("speech",))
    add_library_paper(next(p for p in corpus if p.topic == "vision"), tags=("eyes",))
    service.rank(rank.RankRequest(now=NOW, mode="foryou"))  # kept, as the Discover screen shows it at once
    features._memo.clear()  # a new process
    service.warm_up()
    steps: list[str] = []
    service.rank(rank.RankRequest(now=NOW, mode="tag", tag="speech"), step=steps.append)
    assert steps == ["choosing C on your 5 papers", "learning from 5 papers"]  # no "reading the features"
