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

from readroom import cloze, paths
from readroom.errors import BadInput, NotFound
from readroom.storage import decks as stored
from readroom.tags import normalize_tags
from readroom.terminal import excerpt

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
    raise NotFound(f"No starter deck named '{excerpt(name)}'; shipped decks: {known}.")


def list_decks() -> list[DeckStatus]:
    """Each shipped deck with its size and how much of it is loaded."""
    statuses = []
    for path in deck_files():
        deck = read_deck(path)
        loaded = stored.loaded_uuids([deck.note_uuid(c) for c in deck.cards])
        statuses.append(DeckStatus(deck.name, deck.title, len(deck.cards), len(loaded)))
    return statuses


# --------------------------------------------------------------------------------------------- loading


def load(name_or_deck: str | Deck, now: datetime) -> LoadResult:
    """Add the deck's cards that are not loaded yet, in one transaction; link loaded ones to papers now present."""
    from readroom.cards.scheduler import NEW, utc_seconds
    from readroom.sources.classics import find_classic

    deck = name_or_deck if isinstance(name_or_deck, Deck) else find_deck(name_or_deck)
    classic_of_arxiv = {}
    for key in {c.paper for c in deck.cards if c.paper}:
        classic = find_classic(key)
        if classic and classic.arxiv:
            classic_of_arxiv[classic.arxiv] = key
    notes = [stored.DeckNote(
        uuid=deck.note_uuid(c), kind=c.kind, front=c.front, back=c.back, classic=c.paper, section=c.section,
        tags=normalize_tags([deck.name, *c.tags, *_paper_tag(c)]),
        # New cards are due at load time, in deck order (the queue sorts new cards by due, then id).
        cards=[(deck.card_uuid(c, n), n) for n in c.numbers()]) for c in deck.cards]
    done = stored.load(notes, classic_of_arxiv, utc_seconds(now), card_state=NEW)
    return LoadResult(deck.name, done.added, done.cards_added, done.already, done.linked)


def _paper_tag(card: DeckCard) -> tuple[str, ...]:
    return (card.paper,) if card.paper else ()
