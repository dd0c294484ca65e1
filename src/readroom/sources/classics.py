"""The classics catalogue: well-known papers that `readroom add NAME` fetches by name.

The catalogue ships as data/classics.toml. This module only reads and checks it (stdlib
only, no network), so the CLI can resolve a name instantly.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from readroom import paths
from readroom.errors import ReadroomError

CATALOGUE_NAME = "classics.toml"

TOPICS = frozenset({
    "vision", "detection", "generative", "nlp", "sequence", "optimization", "regularization",
    "reinforcement", "representation", "scaling", "multimodal", "training",
})
MAX_WHY = 140

_REQUIRED = ("key", "title", "authors", "year", "topic", "why")
_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ARXIV = re.compile(r"\d{4}\.\d{4,5}")
_SEPARATORS = re.compile(r"[-_\s]+")


@dataclass(frozen=True)
class Classic:
    key: str
    title: str
    authors: tuple[str, ...]
    year: int
    topic: str
    why: str
    arxiv: str | None
    pdf_url: str | None
    seed: bool
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The key, then the aliases: every name that finds this entry."""
        return (self.key, *self.aliases)


def normalize_name(name: str) -> str:
    """The form names are compared in: lowercase, without '-', '_' or whitespace."""
    return _SEPARATORS.sub("", name).lower()


def load_classics(path: Path | None = None) -> list[Classic]:
    """Every entry of the catalogue, in file order. Raises ReadroomError if the file is broken.

    Without `path`, reads the shipped catalogue once and caches it; with `path`, reads that file afresh.
    """
    if path is None:
        return list(_shipped())
    return list(_read(Path(path)))


def find_classic(name: str, classics: list[Classic] | None = None) -> Classic | None:
    """The entry whose key or alias is `name`, ignoring case, '-', '_' and spaces; else None."""
    wanted = normalize_name(name)
    if not wanted:
        return None
    if classics is None:
        return _shipped_index().get(wanted)
    for classic in classics:
        if any(normalize_name(n) == wanted for n in classic.names):
            return classic
    return None


@lru_cache(maxsize=1)
def _shipped() -> tuple[Classic, ...]:
    return _read(paths.shipped_data_dir() / CATALOGUE_NAME)


@lru_cache(maxsize=1)
def _shipped_index() -> dict[str, Classic]:
    return {normalize_name(n): c for c in _shipped() for n in c.names}


def _cache_clear() -> None:
    _shipped.cache_clear()
    _shipped_index.cache_clear()


load_classics.cache_clear = _cache_clear  # type: ignore[attr-defined]


def _read(path: Path) -> tuple[Classic, ...]:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ReadroomError(f"The classics catalogue {path} is missing.") from None
    except OSError as exc:
        raise ReadroomError(f"Cannot read the classics catalogue {path}: {exc.strerror or exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ReadroomError(f"The classics catalogue {path} is not valid TOML: {exc}.") from None

    entries = data.get("paper", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ReadroomError(f"The classics catalogue {path} must hold [[paper]] tables.")

    classics: list[Classic] = []
    owners: dict[str, tuple[int, str, bool]] = {}  # normalized name -> (entry number, its key, is that key)
    for number, entry in enumerate(entries, start=1):
        classic = _entry(entry, number, path)
        for name in classic.names:
            norm = normalize_name(name)
            if norm in owners:
                other_number, other_key, was_key = owners[norm]
                label = _label(path, number, classic.key)
                what = f"key '{name}'" if name == classic.key else f"alias '{name}'"
                if other_number == number:
                    raise ReadroomError(f"{label}: {what} repeats another of its own names.")
                if name == classic.key and was_key:
                    raise ReadroomError(f"{label}: duplicate key, already used by entry {other_number}.")
                raise ReadroomError(
                    f"{label}: {what} clashes with {'the key' if was_key else 'an alias'} of entry {other_number} "
                    f"('{other_key}')."
                )
            owners[norm] = (number, classic.key, name == classic.key)
        classics.append(classic)
    return tuple(classics)


def _label(path: Path, number: int, key: Any) -> str:
    name = f" ('{key}')" if isinstance(key, str) and key else ""
    return f"{path.name}: entry {number}{name}"


def _is_new_arxiv_id(value: Any) -> bool:
    """YYMM.NNNN (to Dec 2014) or YYMM.NNNNN (from Jan 2015), no version."""
    if not isinstance(value, str) or not _ARXIV.fullmatch(value):
        return False
    yymm, num = value.split(".")
    return 1 <= int(yymm[2:]) <= 12 and len(num) == (5 if int(yymm) >= 1501 else 4)


def _entry(entry: dict[str, Any], number: int, path: Path) -> Classic:
    label = _label(path, number, entry.get("key"))

    def fail(reason: str) -> ReadroomError:
        return ReadroomError(f"{label}: {reason}")

    missing = [f for f in _REQUIRED if f not in entry]
    if missing:
        raise fail(f"missing required field{'s' if len(missing) > 1 else ''} {', '.join(missing)}.")
    unknown = set(entry) - {*_REQUIRED, "arxiv", "pdf_url", "seed", "aliases"}
    if unknown:
        raise fail(f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(sorted(unknown))}.")

    key = entry["key"]
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise fail("key must be lowercase letters, digits and single '-', e.g. 'fast-rcnn'.")
    for field in ("title", "why", "topic"):
        if not isinstance(entry[field], str) or not entry[field].strip():
            raise fail(f"{field} must be a non-empty string.")
    authors = entry["authors"]
    if not isinstance(authors, list) or not authors or not all(isinstance(a, str) and a.strip() for a in authors):
        raise fail("authors must be a non-empty list of names.")
    year = entry["year"]
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
        raise fail("year must be a four-digit integer.")
    if entry["topic"] not in TOPICS:
        raise fail(f"topic '{entry['topic']}' is not one of {', '.join(sorted(TOPICS))}.")
    why = entry["why"]
    if "\n" in why or len(why) > MAX_WHY:
        raise fail(f"why must be one line of at most {MAX_WHY} characters.")

    arxiv = entry.get("arxiv")
    pdf_url = entry.get("pdf_url")
    if arxiv is None and pdf_url is None:
        raise fail("give either arxiv or pdf_url.")
    if arxiv is not None and not _is_new_arxiv_id(arxiv):
        raise fail(f"arxiv {arxiv!r} is not a new-style arXiv id without version, e.g. '1512.03385'.")
    if pdf_url is not None and (
        not isinstance(pdf_url, str) or not pdf_url.startswith("https://") or not pdf_url.endswith(".pdf")
    ):
        raise fail(f"pdf_url {pdf_url!r} must be an https link ending in .pdf.")

    seed = entry.get("seed", False)
    if not isinstance(seed, bool):
        raise fail("seed must be true or false.")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and normalize_name(a) for a in aliases):
        raise fail("aliases must be a list of non-empty names.")

    return Classic(
        key=key,
        title=entry["title"].strip(),
        authors=tuple(a.strip() for a in authors),
        year=year,
        topic=entry["topic"],
        why=why.strip(),
        arxiv=arxiv,
        pdf_url=pdf_url,
        seed=seed,
        aliases=tuple(aliases),
    )
