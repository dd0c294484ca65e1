"""Starter decks: flashcards the team wrote, shipped as TOML in decks/ (see decks/README.md for the format).

Loading one adds its cards to the user's collection with deterministic UUIDs (uuid5 of the deck name and the
card's id), so a second load adds nothing. A card already loaded is left exactly as it is: its text may have
been edited by the user and its review history is theirs, so a newer shipped text never overwrites it. The only
change a second load makes is to link cards to a paper added to the library since (Note.paper_id stays NULL
until the classic is in the library).
"""

from __future__ import annotations

import re
import tomllib
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from readroom import paths
from readroom.cards import cloze
from readroom.errors import BadInput, NotFound

NAMESPACE = uuid.UUID("5f0c3a52-8a4e-4d0e-9b53-6d2c1f3e7a10")  # readroom starter decks
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class DeckCard:
    id: str
    kind: str  # qa / cloze
    front: str  # the question, or the cloze text
    back: str  # the answer, or the cloze's extra text
    paper: str | None  # a classic's key (data/classics.toml)
    section: str | None
    tags: tuple[str, ...] = ()

    def numbers(self) -> list[int]:
        return cloze.card_numbers(self.front) if self.kind == "cloze" else [0]


@dataclass
class Deck:
    name: str
    title: str
    description: str
    path: Path
    cards: list[DeckCard] = field(default_factory=list)

    def note_uuid(self, card: DeckCard) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{self.name}/{card.id}"))

    def card_uuid(self, card: DeckCard, number: int) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{self.name}/{card.id}/{number}"))


@dataclass(frozen=True)
class DeckStatus:
    name: str
    title: str
    cards: int  # notes in the deck (a cloze with two deletions counts once)
    loaded: int  # how many of them are in the user's collection

    def to_json(self) -> dict:
        return {"name": self.name, "title": self.title, "cards": self.cards, "loaded": self.loaded}


@dataclass(frozen=True)
class LoadResult:
    name: str
    added: int  # notes
    cards_added: int
    already: int
    linked: int  # notes newly linked to a library paper


# --------------------------------------------------------------------------------------------- reading decks


def deck_files(folder: Path | None = None) -> list[Path]:
    folder = folder or paths.shipped_decks_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def read_deck(path: Path) -> Deck:
    """A deck file, checked: every card needs a unique id, a kind, text, and a cloze needs a deletion."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"Cannot read deck {path}: {exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"Deck {path.name} is not valid TOML: {exc}.") from None
    name = data.get("name") or path.stem
    deck = Deck(name=name, title=str(data.get("title", name)), description=str(data.get("description", "")),
                path=path)
    seen: set[str] = set()
    for i, raw in enumerate(data.get("card", []), 1):
        deck.cards.append(_card(raw, f"{path.name}, card {i}", seen))
    return deck


def _card(raw: dict, where: str, seen: set[str]) -> DeckCard:
    card_id = str(raw.get("id", ""))
    if not _ID.fullmatch(card_id):
        raise BadInput(f"{where}: id {card_id!r} must be lowercase letters, digits and '-'.")
    if card_id in seen:
        raise BadInput(f"{where}: id {card_id!r} is used twice.")
    seen.add(card_id)
    kind = raw.get("kind", "cloze" if "text" in raw else "qa")
    if kind == "qa":
        front, back = raw.get("front", ""), raw.get("back", "")
        if not front.strip() or not back.strip():
            raise BadInput(f"{where} ({card_id}): a qa card needs front and back.")
    elif kind == "cloze":
        front, back = raw.get("text", ""), raw.get("extra", "")
        if not cloze.is_cloze(front):
            raise BadInput(f"{where} ({card_id}): a cloze needs a deletion like {{{{c1::answer}}}}.")
    else:
        raise BadInput(f"{where} ({card_id}): kind must be qa or cloze, not {kind!r}.")
    return DeckCard(id=card_id, kind=kind, front=front, back=back, paper=raw.get("paper"), section=raw.get("section"),
                    tags=tuple(str(t) for t in raw.get("tags", ())))


def find_deck(name: str) -> Deck:
    for path in deck_files():
        if path.stem == name:
            return read_deck(path)
    known = ", ".join(p.stem for p in deck_files()) or "none"
    raise NotFound(f"No starter deck named '{name}'; shipped decks: {known}.")


def list_decks() -> list[DeckStatus]:
    """Each shipped deck with its size and how much of it is loaded."""
    statuses = []
    for path in deck_files():
        deck = read_deck(path)
        loaded = _loaded_uuids([deck.note_uuid(c) for c in deck.cards])
        statuses.append(DeckStatus(deck.name, deck.title, len(deck.cards), len(loaded)))
    return statuses


def _loaded_uuids(uuids: list[str]) -> set[str]:
    from readroom.storage.fast import read_db

    with read_db() as conn:
        if conn is None:
            return set()
        found: set[str] = set()
        for start in range(0, len(uuids), 900):  # SQLite's limit on bound parameters
            chunk = uuids[start:start + 900]
            found.update(r[0] for r in conn.execute(
                f"SELECT uuid FROM note WHERE uuid IN ({','.join('?' * len(chunk))})", chunk))
        return found


# --------------------------------------------------------------------------------------------- loading


def load(name_or_deck: str | Deck, now: datetime) -> LoadResult:
    """Add the deck's cards that are not loaded yet, in one transaction; link loaded ones to papers now present."""
    from sqlalchemy import insert, update

    from readroom.cards.scheduler import NEW, utc_seconds
    from readroom.storage import db
    from readroom.storage.models import Card, Note, Paper

    deck = name_or_deck if isinstance(name_or_deck, Deck) else find_deck(name_or_deck)
    now = utc_seconds(now)
    with db.session() as s:
        papers = _paper_ids(s, Paper, {c.paper for c in deck.cards if c.paper})
        uuids = {deck.note_uuid(c): c for c in deck.cards}
        existing = {u: (i, p) for u, i, p in _notes_by_uuid(s, (Note.uuid, Note.id, Note.paper_id), list(uuids))}
        linked = 0
        for note_uuid, (note_id, paper_id) in existing.items():
            card = uuids[note_uuid]
            if paper_id is None and card.paper in papers:
                s.execute(update(Note).where(Note.id == note_id).values(paper_id=papers[card.paper]))
                linked += 1
        new = [c for u, c in uuids.items() if u not in existing]
        if new:
            s.execute(insert(Note), [dict(
                uuid=deck.note_uuid(c), kind=c.kind, front=c.front, back=c.back, paper_id=papers.get(c.paper),
                section=c.section, tags=sorted({deck.name, *(t.strip().lower() for t in c.tags), *_paper_tag(c)}),
                created_at=now, updated_at=now) for c in new])
            ids = dict(_notes_by_uuid(s, (Note.uuid, Note.id), [deck.note_uuid(c) for c in new]))
            # New cards are due at load time, in deck order (the queue sorts new cards by due, then id).
            rows = [dict(uuid=deck.card_uuid(c, n), note_id=ids[deck.note_uuid(c)], ord=n, state=NEW, due=now,
                         created_at=now, reps=0, lapses=0, suspended=False, leech=False)
                    for c in new for n in c.numbers()]
            s.execute(insert(Card), rows)
        cards_added = sum(len(c.numbers()) for c in new)
    return LoadResult(deck.name, len(new), cards_added, len(existing), linked)


def _notes_by_uuid(s, columns: tuple, uuids: list[str]) -> list[tuple]:
    """Rows of `columns` for the notes with these UUIDs, asked in chunks under SQLite's parameter limit."""
    from sqlalchemy import select

    from readroom.storage.models import Note

    rows: list[tuple] = []
    for start in range(0, len(uuids), 900):
        rows.extend(tuple(r) for r in s.execute(select(*columns).where(Note.uuid.in_(uuids[start:start + 900]))))
    return rows


def _paper_tag(card: DeckCard) -> tuple[str, ...]:
    return (card.paper,) if card.paper else ()


def _paper_ids(s, Paper, keys: set[str]) -> dict[str, str]:
    """classic key -> library paper id, for the classics in the library (added by name or by arXiv id)."""
    from sqlalchemy import or_, select

    from readroom.sources.classics import find_classic

    if not keys:
        return {}
    arxiv = {}
    for key in keys:
        classic = find_classic(key)
        if classic and classic.arxiv:
            arxiv[classic.arxiv] = key
    found: dict[str, str] = {}
    rows = s.execute(select(Paper.id, Paper.classic_key, Paper.arxiv_id).where(
        or_(Paper.classic_key.in_(keys), Paper.arxiv_id.in_(list(arxiv)))))
    for paper_id, classic_key, arxiv_id in rows:
        key = classic_key if classic_key in keys else arxiv.get(arxiv_id)
        if key:
            found.setdefault(key, paper_id)
    return found
