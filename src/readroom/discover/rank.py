"""Rank the index for this user, as arxiv-sanity-lite does (time, random, search, tag SVM, similar paper) and a
little better: the SVM also learns from library papers outside the index (vectorised from their metadata),
weighs papers read deeply or carded more, and counts dropped and dismissed papers as negatives.

Every recommendation carries the words that pushed it up: its tf-idf value times the model's weight.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from readroom.discover import index
from readroom.discover.signals import NEGATIVE, LibraryPaper, Signals
from readroom.errors import BadInput, NotFound
from readroom.records.arxiv import ArxivEntry
from readroom.tags import normalize_tag
from readroom.terminal import excerpt

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from readroom.discover.features import Features

MODES = ("foryou", "tag", "similar", "search", "time", "random")
WORDS_PER_PAPER = 5
MODEL_WORDS = 8


@dataclass
class RankRequest:
    now: datetime
    mode: str = "foryou"  # one of MODES; "foryou" falls back to time when the library has nothing to learn from
    tag: str | None = None
    similar: str | None = None  # a library id, arXiv id or classic name
    query: str | None = None
    days: int | None = None  # only papers submitted in the last N days
    band: tuple[float, float] | None = None  # keep the top A-B percent of the scored papers
    limit: int | None = 50
    include_library: bool = False  # papers already in the library are skipped unless this is set
    seed: int | None = None  # for random mode


@dataclass
class Recommendation:
    paper: ArxivEntry
    score: float
    position: int  # 1-based place among the scored papers (before skipping library and dismissed ones)
    pool: int
    words: list[str]
    library_id: str | None = None

    @property
    def top_percent(self) -> float:
        return 100.0 * self.position / max(1, self.pool)

    def to_json(self) -> dict:
        return {**_paper_json(self.paper), "score": round(self.score, 4), "position": self.position,
                "top_percent": round(self.top_percent, 2), "words": self.words, "library_id": self.library_id}


def _paper_json(paper: ArxivEntry) -> dict:
    """What `discover list --json` shows of a paper: the fields the index reads back."""
    return {"arxiv_id": paper.arxiv_id, "version": paper.version, "title": paper.title,
            "authors": list(paper.authors), "abstract": paper.abstract, "categories": list(paper.categories),
            "primary_category": paper.primary_category,
            "published": paper.published.isoformat() if paper.published else None}


@dataclass
class Ranking:
    mode: str
    description: str  # one line: what the list is ranked by
    papers: list[Recommendation]
    pool: int  # papers scored (in the time window)
    index_size: int
    positives: int = 0
    negatives: int = 0
    liked: list[str] = field(default_factory=list)  # the model's strongest positive words
    disliked: list[str] = field(default_factory=list)
    note: str | None = None  # e.g. why "for you" fell back to time

    @property
    def score_label(self) -> str:
        """The heading of the score column: what a score means in this mode."""
        return {"time": "Age", "random": ""}.get(self.mode, "Score")

    def shown_score(self, score: float) -> str:
        """A paper's score as a reader takes it: its age for newest (whose score is minus the age in days), nothing
        for random (the order is the point), the model's score elsewhere."""
        if self.mode == "random":
            return ""
        if self.mode == "time":
            hours = max(0, round(-score * 24))
            return f"{hours}h" if hours < 48 else f"{round(hours / 24):,}d"
        return f"{score:.2f}"

    def to_json(self) -> dict:
        return {"mode": self.mode, "description": self.description, "pool": self.pool,
                "index_size": self.index_size, "positives": self.positives, "negatives": self.negatives,
                "liked": self.liked, "disliked": self.disliked, "note": self.note,
                "papers": [p.to_json() for p in self.papers]}


# --------------------------------------------------------------------------------------------- band


def parse_band(text: str) -> tuple[float, float]:
    """`15-40` -> (15.0, 40.0): the top 15 to 40 percent."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[-–:]\s*(\d+(?:\.\d+)?)\s*%?\s*", text or "")
    if not m or not 0 <= float(m[1]) < float(m[2]) <= 100:
        raise BadInput(f"'{excerpt(text)}' is not a band; give two percentages A-B with 0 <= A < B <= 100, e.g. 15-40.")
    return float(m[1]), float(m[2])


def band_slice(n: int, low: float, high: float) -> tuple[int, int]:
    """Positions [start, stop) of the top low..high percent of n ranked items. Adjacent bands share their
    boundary, so 0-15, 15-40 and 40-100 split the list with nothing lost and nothing twice."""
    def edge(percent: float) -> int:
        return min(n, max(0, math.ceil(n * percent / 100 - 1e-9)))

    return edge(low), edge(high)


# --------------------------------------------------------------------------------------------- ranking


def rank(request: RankRequest, features: Features | None = None, signals: Signals | None = None,
         step: Callable[[str], None] | None = None) -> Ranking:
    """The ranking for `request`; `step` hears what takes long (reading the features, choosing C, fitting)."""
    import numpy as np

    from readroom.discover import features as features_mod
    from readroom.discover import signals as signals_mod

    if request.mode not in MODES:
        raise BadInput(f"Unknown ranking '{excerpt(request.mode)}'; choose one of {', '.join(MODES)}.")
    step = step or (lambda _text: None)
    feats = features or features_mod.load(step)
    sig = signals or signals_mod.load()
    scored = _score(request, feats, sig, step)
    pool = np.ones(len(feats.ids), dtype=bool)
    if request.days is not None:
        pool &= feats.published >= request.now.timestamp() - request.days * 86400
    if scored.only_positive:
        pool &= scored.scores > 0
    candidates = np.flatnonzero(pool)
    # Highest score first; ties (time, equal scores) newest first.
    order = candidates[np.lexsort((-feats.published[candidates], -scored.scores[candidates]))]
    start, stop = band_slice(len(order), *request.band) if request.band else (0, len(order))
    in_library = sig.library_arxiv_ids
    picked: list[tuple[int, int]] = []
    for place in range(start, stop):
        row = int(order[place])
        arxiv_id = feats.ids[row]
        if arxiv_id in sig.dismissed or arxiv_id in scored.exclude:
            continue
        if arxiv_id in in_library and not request.include_library:
            continue
        picked.append((place, row))
        if request.limit and len(picked) >= request.limit:
            break
    metadata = index.papers([feats.ids[row] for _, row in picked])
    papers = [Recommendation(metadata[feats.ids[row]], float(scored.scores[row]), place + 1, len(order),
                             scored.words(row), in_library.get(feats.ids[row]))
              for place, row in picked if feats.ids[row] in metadata]
    description = scored.description
    if request.days is not None:
        description += f", last {request.days} days"
    if request.band:
        description += f", top {request.band[0]:g}-{request.band[1]:g}%"
    return Ranking(scored.mode, description, papers, len(order), len(feats.ids), scored.positives,
                   scored.negatives, scored.liked, scored.disliked, scored.note)


@dataclass
class _Scored:
    mode: str
    description: str
    scores: np.ndarray
    words: Callable[[int], list[str]]  # row -> explaining words
    only_positive: bool = False  # search: papers that match nothing are not in the list
    positives: int = 0
    negatives: int = 0
    liked: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)
    exclude: set[str] = field(default_factory=set)
    note: str | None = None


def _score(request: RankRequest, feats: Features, sig: Signals, step: Callable[[str], None]) -> _Scored:
    import numpy as np

    mode = request.mode
    if mode == "search":
        return _search(request.query or "", feats)
    if mode == "similar":
        return _similar(request.similar or "", feats, sig, step)
    if mode in ("tag", "foryou"):
        tag = None
        if mode == "tag":
            tag = normalize_tag(request.tag or "")
        positives = sig.positives(tag)
        if not positives:
            if tag is not None:
                known = ", ".join(sig.tags()) or "none yet"
                raise BadInput(f"No paper in your library is tagged '{tag}' (your tags: {known}); "
                               f"`readroom tag ID {tag}` tags one.")
            scored = _by_time(request.now, feats)
            scored.note = ("Nothing in your library to learn from yet, so these are the newest papers; "
                           "add or tag papers (`readroom add ID`) and Discover ranks for you.")
            return scored
        label = f"your tag '{tag}'" if tag else "your library"
        return _svm(feats, positives, sig, f"Ranked for you by {label}", "tag" if tag else "foryou", step)
    if mode == "random":
        rng = np.random.default_rng(request.seed if request.seed is not None else random.randrange(2**32))
        return _Scored("random", "In random order", rng.random(len(feats.ids)), _about(feats))
    return _by_time(request.now, feats)


def _by_time(now: datetime, feats: Features) -> _Scored:
    # Score = minus the age in days: the newest first, and a number a reader can make sense of.
    return _Scored("time", "Newest first", (feats.published - now.timestamp()) / 86400, _about(feats))


def _about(feats: Features):
    """Words a paper is most about (its highest tf-idf values): the explanation when no model ranks."""
    def words(row: int) -> list[str]:
        indices, data = _row(feats.x, row)
        return _distinct(feats.vocab[indices[i]] for i in _top(data, 3 * WORDS_PER_PAPER))

    return words


def _explained_by(feats: Features, weights):
    """Words that pushed a paper up: tf-idf value x model weight, the largest positive contributions."""
    def words(row: int) -> list[str]:
        indices, data = _row(feats.x, row)
        contribution = data * weights[indices]
        top = [i for i in _top(contribution, 3 * WORDS_PER_PAPER) if contribution[i] > 0]
        return _distinct(feats.vocab[indices[i]] for i in top)

    return words


def _row(x, row: int):
    """The columns and values of one row of a CSR matrix: views, not the copy x[row] makes (~0.3 ms, 200 a list)."""
    start, stop = x.indptr[row], x.indptr[row + 1]
    return x.indices[start:stop], x.data[start:stop]


def _distinct(terms, k: int = WORDS_PER_PAPER) -> list[str]:
    """The first k terms that add a word: after 'robot grasping', neither 'robot' nor 'grasping' again."""
    chosen: list[str] = []
    seen: set[str] = set()
    for term in map(str, terms):
        words = set(term.split())
        if words <= seen:
            continue
        chosen.append(term)
        seen |= words
        if len(chosen) == k:
            break
    return chosen


def _top(values, k: int):
    import numpy as np

    if len(values) <= k:
        return np.argsort(-values, kind="stable")
    part = np.argpartition(-values, k)[:k]
    return part[np.argsort(-values[part], kind="stable")]


def _search(query: str, feats: Features) -> _Scored:
    import numpy as np

    words = query.split()
    if not words:
        raise BadInput("Give words to search for, e.g. --search 'diffusion policy'.")
    q = feats.vectorize([query])
    scores = np.asarray((feats.x @ q.T).todense()).ravel().astype(np.float64)
    # Words the vocabulary lacks (a rare author name, a new acronym) still find papers, by plain matching.
    vocab = set(feats.vocab[q.indices].tolist()) if q.nnz else set()
    missing = [w for w in words if w.lower() not in vocab]
    if missing:
        for arxiv_id, hits in index.matching(missing).items():
            row = feats.row.get(arxiv_id)
            if row is not None:
                scores[row] += 0.01 * hits
    qvec = np.zeros(len(feats.vocab), dtype=np.float32)
    qvec[q.indices] = q.data
    return _Scored("search", f"Matching '{query}'", scores, _explained_by(feats, qvec), only_positive=True)


def _similar(ref: str, feats: Features, sig: Signals, step: Callable[[str], None]) -> _Scored:
    from readroom.sources.ids import parse_arxiv_id

    ref = ref.strip()
    if not ref:
        raise BadInput("Give the paper to find similar ones to: a library id, an arXiv id or a classic name.")
    try:
        parsed = parse_arxiv_id(ref)
    except BadInput:
        parsed = None
    target: LibraryPaper | None = None
    arxiv_id = parsed.id if parsed else None
    if arxiv_id is None or arxiv_id not in feats.row:
        from readroom import library

        paper_id = library.resolve(ref)  # NotFound with a clear line when nothing matches
        target = next((p for p in sig.papers if p.id == paper_id), None)
        if target is None:
            raise NotFound(f"No paper matches '{excerpt(ref)}'.")
        arxiv_id = target.arxiv_id
    if target is None:
        target = LibraryPaper(id="", arxiv_id=arxiv_id, text="")
    scored = _svm(feats, [target], sig, f"Similar to {ref}", "similar", step, use_feedback=False)
    if arxiv_id:
        scored.exclude = {arxiv_id}
    return scored


def _svm(feats: Features, positives: list[LibraryPaper], sig: Signals, description: str, mode: str,
         step: Callable[[str], None], use_feedback: bool = True) -> _Scored:
    import numpy as np

    from readroom.discover import svm_c

    n = len(feats.ids)
    y = np.zeros(n, dtype=np.int8)
    weight = np.ones(n, dtype=np.float64)
    extra_texts, extra_y, extra_w = [], [], []

    def mark(paper: LibraryPaper, label: int, w: float) -> None:
        row = feats.row.get(paper.arxiv_id) if paper.arxiv_id else None
        if row is not None:
            weight[row] = max(weight[row], w) if y[row] == label else w
            y[row] = label
        elif paper.text.strip():
            extra_texts.append(paper.text)
            extra_y.append(label)
            extra_w.append(w)

    negatives = 0
    if use_feedback:
        for paper in sig.dropped():
            mark(paper, 0, NEGATIVE)
            negatives += 1
        for arxiv_id in sig.dismissed:
            if arxiv_id in feats.row:
                weight[feats.row[arxiv_id]] = NEGATIVE
                negatives += 1
    for paper in positives:
        mark(paper, 1, paper.weight)
    extra = None
    if extra_texts:
        vectors = feats.vectorize(extra_texts)
        keep = np.flatnonzero(vectors.getnnz(axis=1) > 0)  # a paper with no known word teaches nothing
        extra = vectors[keep]
        y = np.concatenate([y, np.array(extra_y, dtype=np.int8)[keep]])
        weight = np.concatenate([weight, np.array(extra_w)[keep]])
    if not y.any():
        raise NotFound("None of those papers shares a word with the index; sync more papers or add abstracts.")
    if y.all():
        raise NotFound("Every paper in the index is a positive: there is nothing to rank against; sync more papers.")
    rows, xs, ys, ws = svm_c.training_sample(feats.x, y, weight, extra)
    c = svm_c.choose(feats, xs, ys, ws, step, rows)
    step(f"learning from {int(y.sum()):,} papers")
    model = svm_c.model(c).fit(xs, ys, sample_weight=ws)
    scores = model.decision_function(feats.x).astype(np.float64)
    coef = model.coef_.ravel()
    liked = [str(feats.vocab[i]) for i in _top(coef, MODEL_WORDS) if coef[i] > 0]
    disliked = [str(feats.vocab[i]) for i in _top(-coef, MODEL_WORDS) if coef[i] < 0]
    return _Scored(mode, description, scores, _explained_by(feats, coef), positives=int(y.sum()),
                   negatives=negatives, liked=liked, disliked=disliked)
