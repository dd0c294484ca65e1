"""tf-idf features of the index (title, abstract, authors), cached in $READROOM_HOME/sanity/features.npz.

The cache is keyed by the index state (newest revision, paper count). A sync leaves it as it was (so that it
imports no scikit-learn); the first load after it catches up: new papers are vectorised with the cached vocabulary
and appended. The vocabulary is fitted again from scratch only when the index has doubled since the last fit (new
words then matter), when stored papers changed, or when the cache is missing or unreadable.
Arrays only (no pickle), written to a temporary name and renamed.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readroom import paths
from readroom.discover import index
from readroom.errors import NotFound

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

FORMAT = 1  # bump when what is stored changes: older caches are rebuilt
MAX_FEATURES = 20_000
TOKEN_PATTERN = r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b"  # words, not numbers (arxiv-sanity-lite's choice)
REFIT_GROWTH = 2.0  # fit the vocabulary again once the index is this many times the size it was fitted on

_memo: dict[str, Features] = {}
_loading = threading.Lock()  # a warm-up thread and a ranking thread share one read of the cache, not two


@dataclass
class Features:
    ids: list[str]
    x: csr_matrix  # one l2-normalised row per paper, in the form LinearSVC takes as is (see _svm_ready)
    vocab: np.ndarray  # the word (or two-word phrase) of each column
    idf: np.ndarray
    published: np.ndarray  # POSIX timestamps, one per row
    rev: int
    fitted_on: int  # papers in the index when the vocabulary was fitted
    row: dict[str, int] = field(default_factory=dict)
    chosen_c: dict[str, float] = field(default_factory=dict)  # svm_c.choose's choices, by labels
    _fitted: Any = field(default=None, repr=False)  # the vectorizer of vocab and idf, made on first use

    def __post_init__(self) -> None:
        self.row = {arxiv_id: i for i, arxiv_id in enumerate(self.ids)}

    def vectorize(self, texts: list[str]) -> csr_matrix:
        """Rows for texts outside the index (library papers, a search query), in the same space."""
        if self._fitted is None:  # its vocabulary dict takes ~20 ms at 20,000 words: once, not every ranking
            self._fitted = _vectorizer(vocabulary={word: i for i, word in enumerate(self.vocab)})
            self._fitted.idf_ = self.idf
        return _svm_ready(self._fitted.transform(texts))


def cache_path() -> Path:
    return paths.home() / "sanity" / "features.npz"


def load(progress: Callable[[str], None] | None = None) -> Features:
    """Features for the whole index, up to date; built (or caught up) first when the index changed."""
    with _loading:
        return _load(progress)


def _load(progress: Callable[[str], None] | None) -> Features:
    rev, count = index.state()
    key = str(cache_path())
    cached = _memo.get(key)
    if cached is not None and cached.rev == rev and len(cached.ids) == count:
        return cached
    if count == 0:
        raise NotFound("The Discover index is empty; run `readroom discover sync` to fetch recent arXiv papers.")
    if cached is None and progress and cache_path().is_file():
        progress(f"reading the features of {count:,} papers")
    cached = cached or _read(cache_path())
    if cached is None or cached.rev != rev or len(cached.ids) != count:
        cached = _catch_up(cached, rev, count, progress)
        _write(cached, cache_path())
    _memo.clear()
    _memo[key] = cached
    return cached


def refresh(progress: Callable[[str], None] | None = None) -> Features | None:
    """Bring the cache up to date now (a warm-up, ahead of a ranking), so that ranking starts from it; None if
    the index is empty."""
    try:
        return load(progress)
    except NotFound:
        return None


def _catch_up(cached: Features | None, rev: int, count: int, progress) -> Features:
    import numpy as np
    from scipy.sparse import vstack

    if cached is not None and count < cached.fitted_on * REFIT_GROWTH:
        new = index.documents(since_rev=cached.rev)
        if new and len(cached.ids) + len(new) == count and not any(d[0] in cached.row for d in new):
            if progress:
                progress(f"adding {len(new):,} papers to the features")
            rows = cached.vectorize([d[1] for d in new])
            return Features(cached.ids + [d[0] for d in new], _svm_ready(vstack([cached.x, rows])), cached.vocab,
                            cached.idf, np.concatenate([cached.published, [d[2] for d in new]]), rev, cached.fitted_on)
    docs = index.documents()
    if progress:
        progress(f"computing features of {len(docs):,} papers")
    return _fit(docs, rev)


def _fit(docs: list[tuple[str, str, float, int]], rev: int) -> Features:
    import numpy as np

    n = len(docs)
    # Document-frequency bounds as arxiv-sanity-lite's (min 5, max half), loosened for a small index.
    min_df = 5 if n >= 2000 else 2 if n >= 50 else 1
    max_df = 0.5 if n >= 50 else 1.0
    vectorizer = _vectorizer(max_features=MAX_FEATURES, min_df=min_df, max_df=max_df)
    try:
        x = vectorizer.fit_transform([d[1] for d in docs])
    except ValueError:  # no word survives the bounds (a handful of near-empty abstracts)
        vectorizer = _vectorizer(max_features=MAX_FEATURES)
        x = vectorizer.fit_transform([d[1] or "empty" for d in docs])
    return Features([d[0] for d in docs], _svm_ready(x), vectorizer.get_feature_names_out(), vectorizer.idf_,
                    np.array([d[2] for d in docs], dtype=np.float64), rev, n)


def _svm_ready(x) -> csr_matrix:
    """x as liblinear takes it: float64 CSR, indices sorted and without duplicates. Handed anything else,
    LinearSVC converts (and, for unsorted indices, sorts) a copy on every fit: ~45% of a ranking."""
    import numpy as np

    x = x.tocsr()
    x.sum_duplicates()  # sorts the indices in place; nothing to do when they already are
    return x.astype(np.float64, copy=False)


def _vectorizer(**options):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(strip_accents="unicode", lowercase=True, analyzer="word", stop_words="english",
                           token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), norm="l2", use_idf=True,
                           smooth_idf=True, sublinear_tf=True, dtype=np.float32, **options)


def _write(features: Features, path: Path) -> None:
    import numpy as np

    meta = json.dumps({"format": FORMAT, "rev": features.rev, "fitted_on": features.fitted_on})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        with open(tmp, "wb") as fh:
            np.savez(fh, data=features.x.data.astype(np.float32), indices=features.x.indices,  # float32: half the disk
                     indptr=features.x.indptr, shape=np.array(features.x.shape), vocab=features.vocab.astype(str),
                     idf=features.idf, published=features.published, ids=np.array(features.ids, dtype=str), meta=np.array(meta))
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written is rebuilt next time; ranking still works


def _read(path: Path) -> Features | None:
    import numpy as np
    from scipy.sparse import csr_matrix

    try:
        with np.load(path, allow_pickle=False) as f:
            meta = json.loads(str(f["meta"]))
            if meta.get("format") != FORMAT:
                return None
            x = _svm_ready(csr_matrix((f["data"], f["indices"], f["indptr"]), shape=tuple(f["shape"])))
            return Features(f["ids"].tolist(), x, f["vocab"], f["idf"], f["published"], int(meta["rev"]),
                            int(meta["fitted_on"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
