"""The SVMs of the tag, "for you" and similar modes: what they are fitted on, and their C, chosen by a small
cross-validation on the user's own labels when there are enough of them, else DEFAULT_C.

Every model is fitted on every positive, every weighted negative (dropped, dismissed) and plain negatives sampled
down to FIT_NEGATIVES, then scores the whole index. With balanced class weights the hinge loss sums to C x rows,
so on all of a 30,000-paper index a C regularises six times less than on 5,000 papers, and the C that ranks best
shifts with the index size. A fixed-size sample keeps a C meaning the same at any size and fits in a sixth of the
time (`benchmarks/bench_sanity.py --c 30000`: a fit and score 0.03-0.04 s of CPU against 0.23-0.32 s; average
precision at C=0.003 with 3 / 10 / 30 positives 0.68 / 0.93 / 0.98 on the sample against 0.59 / 0.88 / 0.97 on
all rows; scaling C up by the rows left out instead reproduces the all-rows fit within 0.003). Up to 5,000 papers
the sample is the whole index.

DEFAULT_C is 0.003, by measurement: on the topic-labelled corpus of benchmarks/bench_sanity.py (which prints the
average precision of each C in GRID) it ranks the topic's other papers best with 3, 10 and 30 positives alike (AP
0.71 / 0.93 / 0.98, against 0.66 / 0.91 / 0.98 for 0.01, arxiv-sanity-lite's default, and 0.57 / 0.84 / 0.96 for
0.03, readroom's before): with few positives, a model held close to their common words beats one that learns
their quirks. A smaller C also converges in fewer liblinear iterations (a faster ranking). C=0.001 ranks a little
better still on that corpus (0.72 / 0.93 / 0.99 at 5,000 papers, 0.70 / 0.93 / 0.98 at 30,000), a lead under
MARGIN, which the cross-validation below takes for noise; and there the topic's words are the only signal, which
favours an ever smaller C more than arXiv's abstracts would. So 0.003 stays.

With MIN_POSITIVES or more positives, each C in GRID is fitted FOLDS times, on the labelled rows minus one fold,
and scored by the average precision of that fold; DEFAULT_C stays unless another C beats its mean by MARGIN.
(Unlabelled papers count as negatives, so a held-out positive competes with unlabelled papers on its topic too:
the precisions are low and close, and a small lead is noise, not a better C.) The plain negatives are sampled
down to NEGATIVES, so that the twelve fits stay cheap, and each fit's C is scaled by the rows it
lacks against the model's own fit, so that it regularises as that fit would. The choice is kept on the Features
object under a hash of the labels: it runs again only when the labels change.
"""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from readroom.discover.features import Features

GRID = (0.003, 0.01, 0.03, 0.1)
DEFAULT_C = 0.003
MIN_POSITIVES = 5
FOLDS = 3
NEGATIVES = 3000
FIT_NEGATIVES = 5000  # plain negatives a model is fitted on (see above)
MARGIN = 0.02  # of average precision
TOL = 1e-2  # liblinear's stopping tolerance; at 30,000 papers the top 200 are those of 1e-4, in half the iterations


def model(c: float):
    from sklearn.svm import LinearSVC

    # The dual solver is ~2x faster here than the primal "auto" picks (30,000 papers: 0.5 s against 1.1 s).
    return LinearSVC(class_weight="balanced", C=c, dual=True, tol=TOL, max_iter=10_000, random_state=0)


def training_sample(x, y: np.ndarray, weight: np.ndarray, extra=None, negatives: int | None = None):
    """(rows, x, y, weight) of the rows a model is fitted on: x is the index's matrix, `extra` more rows after it
    (library papers outside the index, always kept: each is a positive or a weighted negative); y (1 positive,
    0 negative) and weight (each row's sample weight) cover both; `negatives` (FIT_NEGATIVES unless given) is how
    many negatives to keep. Row-sampling keeps x as liblinear takes it."""
    from scipy.sparse import vstack

    rows = sample(y, weight, FIT_NEGATIVES if negatives is None else negatives)
    n = x.shape[0]
    xs = x[rows[rows < n]]
    if extra is not None:
        xs = vstack([xs, extra[rows[rows >= n] - n]], format="csr")
    return rows, xs, y[rows], weight[rows]


def choose(feats: Features, x, y: np.ndarray, weight: np.ndarray, step: Callable[[str], None] | None = None,
           rows: np.ndarray | None = None) -> float:
    """The C for these labels (y: 1 positive, 0 negative, one per row of x; weight: each row's sample weight);
    x, y and weight are a training_sample, `rows` its rows (part of what the choice is kept under)."""
    positives = int(y.sum())
    if positives < MIN_POSITIVES:
        return DEFAULT_C
    where = rows.tobytes() if rows is not None else b""
    key = hashlib.sha256(y.tobytes() + weight.tobytes() + where).hexdigest()
    if key not in feats.chosen_c:
        if step:
            step(f"choosing C on your {positives:,} papers")
        feats.chosen_c.clear()  # one entry per labelling in use is plenty: tag and "for you" alternate rarely
        feats.chosen_c[key] = _cross_validate(x, y, weight)
    return feats.chosen_c[key]


def _cross_validate(x, y: np.ndarray, weight: np.ndarray) -> float:
    import numpy as np
    from sklearn.metrics import average_precision_score

    rows = sample(y, weight, NEGATIVES)
    xs, ys, ws = x[rows], y[rows], weight[rows]
    test_folds = folds(ys, FOLDS)
    precision: dict[float, float] = {}
    for c in GRID:
        scores = []
        for test in test_folds:
            train = np.setdiff1d(np.arange(len(ys)), test, assume_unique=True)
            fitted = model(c * len(y) / len(train)).fit(xs[train], ys[train], sample_weight=ws[train])
            scores.append(average_precision_score(ys[test], fitted.decision_function(xs[test])))
        precision[c] = float(np.mean(scores))
    return pick(precision)


def pick(precision: dict[float, float]) -> float:
    """DEFAULT_C, unless a C beats it by more than MARGIN: then the best (of equals, the one nearest DEFAULT_C)."""
    best = max(precision.values())
    if best <= precision.get(DEFAULT_C, -math.inf) + MARGIN:
        return DEFAULT_C
    return min((c for c, ap in precision.items() if ap == best), key=lambda c: abs(math.log(c / DEFAULT_C)))


def sample(y: np.ndarray, weight: np.ndarray, negatives: int, seed: int = 0) -> np.ndarray:
    """Rows to cross-validate on, sorted: every positive, every weighted negative (dropped, dismissed), and
    plain negatives drawn at random up to `negatives` in all."""
    import numpy as np

    plain = np.flatnonzero((y == 0) & (weight == 1))
    keep = np.flatnonzero((y == 1) | (weight != 1))
    room = max(0, negatives - int((y[keep] == 0).sum()))
    if len(plain) > room:
        plain = np.random.default_rng(seed).choice(plain, room, replace=False)
    return np.sort(np.concatenate([keep, plain]))


def folds(y: np.ndarray, k: int, seed: int = 0) -> list[np.ndarray]:
    """k test folds that split the rows of y, each class dealt out in turn after a seeded shuffle, so every
    fold holds a positive (when there are k) and their counts differ by at most one."""
    import numpy as np

    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(y), dtype=np.intp)
    for label in (1, 0):
        members = rng.permutation(np.flatnonzero(y == label))
        fold_of[members] = np.arange(len(members)) % k
    return [np.flatnonzero(fold_of == i) for i in range(k)]
