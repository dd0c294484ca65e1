"""tf-idf features of the index (title, abstract, authors), cached in $READROOM_HOME/sanity/features.npz.

The cache is keyed by the index state (newest revision, paper count). A sync leaves it as it was (so that it
imports no scikit-learn); the first load after it catches up: new papers are vectorised with the cached vocabulary
and written to a shard, features-<rev>.npz, beside the main file (which, at 30,000 papers, is 46 MB: not
rewritten for a few rows). A load stacks the main file and its chain of shards: each names the fit of the
vocabulary it was made with and the revision it follows, so a shard from another fit, or one after a gap, is
never stacked; a shard that is unreadable ends the chain there and the papers after it are caught up again.
Past MAX_SHARDS shard files, or when the vocabulary is fitted again, everything is folded into the main file and
the shards removed. The vocabulary is fitted again from scratch only when the index has doubled since the last
fit (new words then matter), when stored papers changed, or when the main file is missing or unreadable.
Arrays only (no pickle), each file written to a temporary name and renamed.
"""

from __future__ import annotations

import json
import os
import re
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
MAX_SHARDS = 8  # shard files beside the main one at most: the next catch-up folds them all into it
_SHARD = re.compile(r"features-(\d+)\.npz")

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
    fit: str = ""  # names this fit of the vocabulary: a shard is stacked only onto the main file of its fit
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
        caught = _catch_up(cached, rev, count, progress)
        _save(caught, cached)
        cached = caught
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
                            cached.idf, np.concatenate([cached.published, [d[2] for d in new]]), rev, cached.fitted_on,
                            cached.fit)
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
                    np.array([d[2] for d in docs], dtype=np.float64), rev, n, os.urandom(8).hex())


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


def shard_path(rev: int) -> Path:
    return cache_path().with_name(f"features-{rev}.npz")


def _shards() -> dict[int, Path]:
    """The shard files beside the main one, by the revision they bring the features to."""
    try:
        names = os.listdir(cache_path().parent)
    except OSError:
        return {}
    return {int(m[1]): cache_path().with_name(name) for name in names if (m := _SHARD.fullmatch(name))}


def _save(features: Features, before: Features | None) -> None:
    """Keep `features` on disk: as a shard of the rows added to `before` when its vocabulary is the one on disk
    and the shards are few, else as the whole main file (the shards then folded in and removed)."""
    if (before is not None and features.fit == before.fit and len(_shards()) < MAX_SHARDS
            and cache_path().is_file()):
        start = len(before.ids)
        meta = {"format": FORMAT, "fit": features.fit, "base": before.rev, "rev": features.rev}
        _write_arrays(shard_path(features.rev), meta, features.x[start:], features.ids[start:],
                      features.published[start:])
        return
    if not _write(features, cache_path()):
        return  # the shards still serve the main file on disk
    for path in _shards().values():  # folded in, or of an older fit
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # not stacked onto the new main file: its revision or its fit does not follow


def _write(features: Features, path: Path) -> bool:
    meta = {"format": FORMAT, "rev": features.rev, "fitted_on": features.fitted_on, "fit": features.fit}
    return _write_arrays(path, meta, features.x, features.ids, features.published, vocab=features.vocab.astype(str),
                  idf=features.idf)


def _write_arrays(path: Path, meta: dict, x, ids: list[str], published, **more) -> bool:
    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        with open(tmp, "wb") as fh:
            np.savez(fh, data=x.data.astype(np.float32), indices=x.indices,  # float32: half the disk
                     indptr=x.indptr, shape=np.array(x.shape), published=published, ids=np.array(ids, dtype=str),
                     meta=np.array(json.dumps(meta)), **more)
        os.replace(tmp, path)
        return True
    except OSError:
        return False  # a cache that cannot be written is rebuilt (or caught up) next time; ranking still works


def _read(path: Path) -> Features | None:
    """The main file with the chain of shards that follows it, stacked; None if the main file is unusable."""
    import numpy as np
    from scipy.sparse import vstack

    main = _read_arrays(path, ("vocab", "idf", "fitted_on"))
    if main is None:
        return None
    meta, x, ids, published, (vocab, idf, fitted_on) = main
    # A main file written before shards names no fit; its revision and size name it well enough.
    fit = str(meta.get("fit") or f"{meta['rev']}-{fitted_on}")
    rev, xs, pubs, seen = int(meta["rev"]), [x], [published], set(ids)
    following = _following(fit)
    while rev in following:
        shard = _read_arrays(following.pop(rev), ())
        if shard is None or shard[1].shape[1] != x.shape[1] or not seen.isdisjoint(shard[2]):
            break  # the papers from here on are caught up again
        shard_meta, shard_x, shard_ids, shard_published, _ = shard
        rev = int(shard_meta["rev"])
        xs.append(shard_x)
        pubs.append(shard_published)
        ids = ids + shard_ids
        seen.update(shard_ids)
    if len(xs) > 1:
        x, published = _svm_ready(vstack(xs, format="csr")), np.concatenate(pubs)
    return Features(ids, x, vocab, idf, published, rev, fitted_on, fit)


def _following(fit: str) -> dict[int, Path]:
    """The shards of this fit by the revision each follows (of two that follow the same, the one that goes on
    further: both hold the same papers first)."""
    import numpy as np

    chain: dict[int, tuple[int, Path]] = {}
    for rev, path in _shards().items():
        try:
            with np.load(path, allow_pickle=False) as f:
                meta = json.loads(str(f["meta"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("fit") != fit:
            continue
        base = meta.get("base")
        if isinstance(base, int) and meta.get("rev") == rev > base and rev > chain.get(base, (-1, path))[0]:
            chain[base] = (rev, path)
    return {base: path for base, (_, path) in chain.items()}


def _read_arrays(path: Path, more: tuple[str, ...]):
    """(meta, x, ids, published, [the `more` arrays]) of one file, or None if it is unreadable or of another
    format; "fitted_on" in `more` is read from the meta."""
    import numpy as np
    from scipy.sparse import csr_matrix

    try:
        with np.load(path, allow_pickle=False) as f:
            meta = json.loads(str(f["meta"]))
            if meta.get("format") != FORMAT:
                return None
            x = _svm_ready(csr_matrix((f["data"], f["indices"], f["indptr"]), shape=tuple(f["shape"])))
            ids, published = f["ids"].tolist(), f["published"]
            if x.shape[0] != len(ids) or len(published) != len(ids):
                return None
            extra = [int(meta[name]) if name == "fitted_on" else f[name] for name in more]
            return meta, x, ids, published, extra
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
