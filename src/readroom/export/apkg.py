"""Anki decks (.apkg): deck `readroom`, a subdeck per paper, and note types of our own, as genanki makes them (its
schema, collection row, deck and note-type JSON), the notes' and cards' rows written in bulk (package_rows).

Identity is what makes a re-import update rather than duplicate:
- a note's GUID is the readroom note's UUID. The note, not the card: in Anki as in readroom a cloze note holds
  all its cards (c1, c2, ... are cards of ONE note), and Anki matches notes by GUID. A card UUID would split a
  cloze into several Anki notes, each generating every cN card again; the note UUID survives edits, and a cloze
  number added later arrives as a new card of the same Anki note.
- a note's modification time is the note's `updated_at`, so Anki's default "update if newer" takes an edit made
  in readroom, and keeps an edit made in Anki after the last export.
- figure notes carry their image as package media (`<img src="readroom-<sha>.png">`, named by content as Anki
  names media); occlusion notes take a copy of Anki's own image-occlusion note type (its fields, templates and
  `originalStockKind`), so Anki desktop and AnkiDroid draw the masks and open them in their occlusion editor.
- model ids are constants and deck ids are derived from deck names (never random); the note types carry a fixed
  modification time that changes only when their templates do, so exporting again never overwrites styling a
  user changed in Anki.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from readroom import gc_pause, paths
from readroom.errors import DISK_FULL_ERRNOS, BadInput, DiskFull, StorageError
from readroom.export import anki_text
from readroom.export.naming import slug
from readroom.export.selection import CardFilter, ExportNote, PaperInfo, select_notes
from readroom.terminal import excerpt

ROOT_DECK = "readroom"
QA_MODEL_ID = 1_719_203_311
CLOZE_MODEL_ID = 1_719_203_312
FIGURE_MODEL_ID = 1_719_203_313
OCCLUSION_MODEL_ID = 1_719_203_314
IMAGE_OCCLUSION_KIND = 6  # Anki's OriginalStockKind.IMAGE_OCCLUSION: what makes Anki treat the type as its own IO
CLOZE_KINDS = ("cloze", "occlude")  # Anki cloze note types: card N is Anki's card N - 1
MODELS_CHANGED = 1_760_000_000  # bump (to the time of the change) whenever a template or the CSS changes
SOURCE_FIELDS = ("Source", "Section", "Page", "Link")

_CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 20px; line-height: 1.4; text-align: left;
        color: black; background-color: white; }
.field { white-space: pre-wrap; }
.cloze { font-weight: bold; color: #1565c0; }
.nightMode .cloze { color: #90caf9; }
.extra { margin-top: 1em; color: #555; }
.source { margin-top: 1.5em; font-size: 14px; color: #777; }
"""
_SOURCE = ('<div class="source"><span class="paper">{{Source}}</span>{{#Section}} · <span class="section">'
           '{{Section}}</span>{{/Section}}{{#Page}} · p. <span class="page">{{Page}}</span>{{/Page}}'
           '{{#Link}} · <a href="{{Link}}">{{Link}}</a>{{/Link}}</div>')
QA_TEMPLATE = {
    "name": "Card 1",
    "qfmt": '<div class="field front">{{Front}}</div>',
    "afmt": '{{FrontSide}}<hr id="answer"><div class="field back">{{Back}}</div>' + _SOURCE,
}
CLOZE_TEMPLATE = {
    "name": "Cloze",
    "qfmt": '<div class="field text">{{cloze:Text}}</div>',
    "afmt": '<div class="field text">{{cloze:Text}}</div>'
            '{{#Extra}}<div class="field extra">{{Extra}}</div>{{/Extra}}' + _SOURCE,
}
FIGURE_TEMPLATE = {
    "name": "Figure",
    "qfmt": '<div class="figure">{{Image}}</div>{{#Question}}<div class="field front">{{Question}}</div>{{/Question}}',
    "afmt": '{{FrontSide}}<hr id="answer"><div class="field back">{{Answer}}</div>' + _SOURCE,
}
_FIGURE_CSS = _CSS + ".figure img { max-width: 100%; height: auto; }\n"
# Anki's stock "Image Occlusion" note type (rslib/src/image_occlusion/notetype.rs, Anki 23.10 to 26.09), as
# `Collection.add_image_occlusion_notetype()` makes it; the masks are drawn by the reviewer's
# anki.imageOcclusion.setup() from the hidden {{cloze:Occlusion}}.
_IO_FRONT = """\
{{#Header}}<div>{{Header}}</div>{{/Header}}
<div style="display: none">{{cloze:Occlusion}}</div>
<div id="err"></div>
<div id="image-occlusion-container">
    {{Image}}
    <canvas id="image-occlusion-canvas"></canvas>
</div>
<script>
try {
    anki.imageOcclusion.setup();
} catch (exc) {
    document.getElementById("err").innerHTML = `Error loading image occlusion. Is your Anki version up to date?<br><br>${exc}`;
}
</script>
"""
OCCLUSION_TEMPLATE = {
    "name": "Image Occlusion",
    "qfmt": _IO_FRONT,
    "afmt": _IO_FRONT + '\n<div><button id="toggle">Toggle Masks</button></div>\n'
                        '{{#Back Extra}}<div>{{Back Extra}}</div>{{/Back Extra}}\n',
}
OCCLUSION_FIELDS = ("Occlusion", "Image", "Header", "Back Extra", "Comments")
_OCCLUSION_CSS = """\
#image-occlusion-canvas {
    --inactive-shape-color: #ffeba2;
    --active-shape-color: #ff8e8e;
    --inactive-shape-border: 1px #212121;
    --active-shape-border: 1px #212121;
    --highlight-shape-color: #ff8e8e00;
    --highlight-shape-border: 1px #ff8e8e;
}

.card {
    font-family: arial;
    font-size: 20px;
    text-align: center;
    color: black;
    background-color: white;
}
"""


def deck_id(name: str) -> int:
    """A stable id from the deck's name, in the range genanki suggests (2^30 .. 2^31)."""
    digest = hashlib.sha256(f"readroom deck:{name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def short_title(title: str, limit: int = 60) -> str:
    """A deck name for a paper: the name before a colon ("BERT: Pre-training ..." -> "BERT"), clipped at a word."""
    title = " ".join(anki_text.clean(title).replace("::", ":").replace('"', "").split())
    head = title.split(":", 1)[0].strip()
    if 3 <= len(head) < len(title):
        title = head
    if len(title) > limit:
        title = title[:limit].rsplit(" ", 1)[0].rstrip(",;.-") + "…"
    return title or "untitled"


def deck_names(papers: Iterable[PaperInfo]) -> dict[str, str]:
    """paper id -> `readroom::<short title>`; two papers with one short title get their year or id added."""
    papers = sorted({p.id: p for p in papers}.values(), key=lambda p: p.id)
    base = {p.id: short_title(p.title) for p in papers}
    counts: dict[str, int] = {}
    for name in base.values():
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    names = {}
    for p in papers:
        name = base[p.id]
        if counts[name.lower()] > 1:
            name = f"{name} ({p.year or p.id[:8]})" if p.year else f"{name} ({p.id[:8]})"
        names[p.id] = f"{ROOT_DECK}::{name}"
    return names


def paper_tag(paper: PaperInfo) -> str:
    """`paper::<short name>`: a classic's key (`paper::resnet`), else a slug of the short title (`paper::bert`).
    It depends on the paper alone, so every export tags a paper's notes alike; Anki replaces a note's tags when an
    export updates it, so notes exported with the older `paper::<arXiv id>` tags take these on re-import."""
    return f"paper::{anki_text.tag(paper.classic_key or slug(short_title(paper.title)) or paper.id[:8])}"


class SharedParts:
    """What many notes share, made once per export rather than per note (10,000 notes of 200 papers repeat them): a
    paper's title and link HTML and its tag, by paper id; a section's HTML; a note tag's Anki form."""

    def __init__(self) -> None:
        self._papers: dict[str, tuple[str, str, str]] = {}
        self._sections: dict[str, str] = {}
        self._tags: dict[str, str] = {}

    def paper(self, paper: PaperInfo | None) -> tuple[str, str, str]:
        """(title HTML, link HTML, `paper::` tag); empty for a note of no paper."""
        if paper is None:
            return "", "", ""
        parts = self._papers.get(paper.id)
        if parts is None:
            parts = self._papers[paper.id] = (anki_text.field_html(paper.title), anki_text.field_html(paper.link),
                                              paper_tag(paper))
        return parts

    def section(self, section: str | None) -> str:
        if not section:
            return ""
        html = self._sections.get(section)
        if html is None:
            html = self._sections[section] = anki_text.field_html(section)
        return html

    def tag(self, tag: str) -> str:
        form = self._tags.get(tag)
        if form is None:
            form = self._tags[tag] = anki_text.tag(tag)
        return form


def note_tags(note: ExportNote, shared: SharedParts | None = None) -> list[str]:
    """The note's own tags, plus `readroom`, `paper::<short name>` and `pass::<n>` (Anki tags cannot hold
    spaces)."""
    shared = shared or SharedParts()
    tags = [shared.tag(t) for t in note.tags]
    tags.append(ROOT_DECK)
    if note.paper:
        tags.append(shared.paper(note.paper)[2])
    if note.pass_no:
        tags.append(f"pass::{note.pass_no}")
    return sorted({t for t in tags if t})


def note_fields(note: ExportNote, shared: SharedParts | None = None) -> list[str]:
    shared = shared or SharedParts()
    title, link, _tag = shared.paper(note.paper)
    source = [title, shared.section(note.section), str(note.page) if note.page is not None else "", link]
    if note.kind == "cloze":
        return [anki_text.cloze_html(note.front), anki_text.field_html(note.back), *source]
    if note.kind == "figure":
        return [image_html(note), anki_text.field_html(note.front), anki_text.field_html(note.back), *source]
    if note.kind == "occlude":
        # Anki's IO note has no source fields: the paper, section, page and link go in its Comments
        where = " · ".join(filter(None, [source[0], source[1], f"p. {source[2]}" if source[2] else "", source[3]]))
        return [occlusion_field(note.areas), image_html(note), anki_text.field_html(note.front),
                anki_text.field_html(note.back), where]
    return [anki_text.field_html(note.front), anki_text.field_html(note.back), *source]


def image_html(note: ExportNote) -> str:
    """The note's image as Anki refers to media: by the file's name in the collection's media folder."""
    return f'<img src="{media_name(note.image)}">' if note.image else ""


def media_name(image: str) -> str:
    """`media/readroom-<sha>.png` -> `readroom-<sha>.png` (cards/figures.keep_image names kept images so)."""
    return Path(image).name


def occlusion_field(areas: list[tuple[float, ...]]) -> str:
    """Anki's Occlusion field: area N is cloze cN, a rectangle in fractions of the image; `oi=1` is "hide all,
    guess one" off, i.e. the other areas shown while one is asked."""
    def number(value: float) -> str:
        return f"{value:.4f}".rstrip("0").rstrip(".") or "0"

    return "".join(f"{{{{c{n}::image-occlusion:rect:left={number(left)}:top={number(top)}:width={number(width)}"
                   f":height={number(height)}:oi=1}}}}"
                   for n, (left, top, width, height) in enumerate(areas, start=1))


def media_files(notes: Iterable[ExportNote]) -> list[str]:
    """The image files the notes show, once each, those still on disk (a hand-removed one exports as missing media,
    which Anki's Check Media reports)."""
    home = paths.home()
    found = {media_name(n.image): home / n.image for n in notes if n.image}
    return [str(path) for _name, path in sorted(found.items()) if path.is_file()]


def anki_ord(note: ExportNote, ord_: int) -> int:
    """Anki numbers a note's cards from 0: cloze c1 (occlusion area 1) is card 0; a Q&A or figure note has the one
    card 0."""
    return max(0, ord_ - 1) if note.kind in CLOZE_KINDS else 0


def export_apkg(selection: CardFilter, path: Path, now: datetime) -> tuple[Path, int, int]:
    """Write the selected notes as an .apkg; returns (path, notes, cards). Raises BadInput when nothing matches."""
    with gc_pause.held():
        notes = select_notes(selection)
        if not notes:
            raise BadInput(f"No cards to export ({selection.describe()}); make some with `readroom card add`.")
        write_apkg(notes, path, now)
    return path, len(notes), sum(len(n.cards) for n in notes)


def write_apkg(notes: list[ExportNote], path: Path, now: datetime) -> None:
    atomic_write(path, lambda tmp: write_package(notes, tmp, now))


@dataclass
class PlannedNote:
    """One Anki note as a package holds it (package_rows writes its row)."""

    guid: str
    model: Any  # genanki.Model
    fields: list[str]
    tags: list[str]
    modified: int
    due: int  # new cards come in readroom's order
    cards: list[tuple[int, int, int]]  # (Anki ord, flag, readroom card id)


@dataclass
class PackagePlan:
    decks: list[Any]  # genanki.Deck, for its JSON; `notes` holds their notes, by deck id
    notes: dict[int, list[PlannedNote]]
    media_files: list[str]


def plan_package(notes: list[ExportNote]) -> PackagePlan:
    """The decks and notes of a package of these notes: a deck per paper, readroom's note types."""
    import genanki

    models = _note_types()
    names = deck_names(n.paper for n in notes if n.paper)
    decks: dict[str, genanki.Deck] = {ROOT_DECK: genanki.Deck(deck_id(ROOT_DECK), ROOT_DECK)}
    planned: dict[int, list[PlannedNote]] = {decks[ROOT_DECK].deck_id: []}
    shared = SharedParts()
    for position, note in enumerate(notes):
        name = names[note.paper.id] if note.paper else ROOT_DECK
        deck = decks.get(name)
        if deck is None:
            deck = decks[name] = genanki.Deck(deck_id(name), name)
            planned[deck.deck_id] = []
        planned[deck.deck_id].append(PlannedNote(
            note.uuid, models.get(note.kind, models["qa"]), note_fields(note, shared), note_tags(note, shared),
            int(note.updated_at.timestamp()), position,
            [(anki_ord(note, card.ord), card.flag, card.id) for card in note.cards]))
    return PackagePlan(list(decks.values()), planned, media_files(notes))


def package_card_ids(notes: list[ExportNote], stamp: float) -> dict[int, int]:
    """readroom card id -> the package's Anki card id: counted from the export's time in ms, as genanki counts
    them, in readroom's order (package_rows counts note ids so too). Known before anything is built, so an export
    with scheduling puts its review log in Anki's terms beside the building."""
    first = int(stamp * 1000)
    return {card.id: first + k for k, card in enumerate(card for note in notes for card in note.cards)}


def package_rows(plan: PackagePlan, conn, stamp: float, anki_ids: dict[int, int],
                 schedules: dict[int, tuple] | None = None) -> tuple[list[tuple], list[tuple]]:
    """What genanki's Package.write_to_db writes, in bulk: genanki writes its schema and default collection row,
    the decks and note types go in at once, and the notes' and cards' rows (every column, in order) are returned
    for storage.anki_file.add_rows. A card is new, as genanki writes it, or has its schedule of `schedules` (by
    Anki card id: type, queue, due, ivl, factor, reps, lapses, left, data, mod, id). genanki writes a row at a
    time and rewrites its decks and note types once per deck: a third of an export."""
    import genanki

    from readroom.storage import anki_file

    first_id = int(stamp * 1000)
    genanki.Package([]).write_to_db(conn.cursor(), stamp, itertools.count(first_id))
    model_decks: dict[int, tuple] = {}
    note_rows: list[tuple] = []
    card_rows: list[tuple] = []
    for deck in plan.decks:
        deck_id = deck.deck_id
        for note in plan.notes[deck_id]:
            # a note type's deck is the last one holding its notes, as genanki writes it
            model_decks[note.model.model_id] = (note.model, deck_id)
            nid, mod = first_id + note.due, note.modified or int(stamp)
            note_rows.append((nid, note.guid, note.model.model_id, mod, -1, " " + " ".join(note.tags) + " ",
                              "\x1f".join(note.fields), note.fields[note.model.sort_field_index], 0, 0, ""))
            for ord_, flag, card_id in note.cards:
                cid = anki_ids[card_id]
                if schedules is None:
                    card_rows.append((cid, nid, deck_id, ord_, mod, -1, 0, 0, note.due, 0, 0, 0, 0, 0, 0, 0, flag, ""))
                    continue
                kind, queue, due, ivl, factor, reps, lapses, left, data, card_mod, _cid = schedules[cid]
                card_rows.append((cid, nid, deck_id, ord_, card_mod, -1, kind, queue, due, ivl, factor, reps, lapses,
                                  left, 0, 0, flag, data))
    models = {str(model_id): model.to_json(stamp, deck_id) for model_id, (model, deck_id) in model_decks.items()}
    anki_file.add_decks(conn, models, {str(deck.deck_id): deck.to_json() for deck in plan.decks})
    return note_rows, card_rows


def zip_package(collection: Path, out: Path, media_files: list[str]) -> None:
    """The collection file and its media zipped as genanki zips an .apkg (stored: compressing makes the file
    smaller, not the export faster): media entry "N", named in the "media" map."""
    with zipfile.ZipFile(out, "w") as package:
        package.write(collection, "collection.anki2")
        media = {}
        for number, path in enumerate(media_files):
            package.write(path, str(number))
            media[str(number)] = Path(path).name
        package.writestr("media", json.dumps(media))


def write_package(notes: list[ExportNote], out: Path, now: datetime) -> None:
    """A plain .apkg of these notes at `out` (new cards, in readroom's order)."""
    from readroom.storage import anki_file

    plan = plan_package(notes)
    stamp = now.timestamp()
    with tempfile.TemporaryDirectory(prefix="readroom-apkg-") as work:
        collection = Path(work) / "collection.anki2"
        with anki_file.scratch_collection(collection) as conn:
            anki_file.add_rows(conn, *package_rows(plan, conn, stamp, package_card_ids(notes, stamp)))
        zip_package(collection, out, plan.media_files)


def atomic_write(path: Path, write) -> None:
    """`write(tmp)` fills a temporary file beside `path`, which then replaces `path` in one step; Ctrl-C or SIGTERM
    removes it."""
    paths.refuse_nul(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        is_dir = path.is_dir()
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise paths.name_too_long(path) from None
        raise StorageError(f"Cannot create {excerpt(path.parent)}: {exc.strerror or exc}.") from exc
    if is_dir:
        raise BadInput(f"{excerpt(path)} is a folder; give a file name.")
    from readroom.sources.partfiles import part_path, sweep

    sweep(path.parent, path.name)  # what a killed export of this file left behind
    tmp = part_path(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:  # also a name that fits, but not with the temporary one's 15 more bytes
            raise paths.name_too_long(path) from None
        if exc.errno in DISK_FULL_ERRNOS:
            raise DiskFull(path) from exc
        raise StorageError(f"Cannot write {excerpt(path)}: {exc.strerror or exc}.") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def _note_types():
    """Our note types, by note kind, made on first use (genanki is imported only when exporting)."""
    import genanki

    class Model(genanki.Model):
        stock_kind = 0

        def to_json(self, timestamp, deck_id):
            data = super().to_json(timestamp, deck_id)
            data["mod"] = MODELS_CHANGED
            if self.stock_kind:
                data["originalStockKind"] = self.stock_kind
            return data

    fields = [{"name": name} for name in SOURCE_FIELDS]
    qa = Model(QA_MODEL_ID, "readroom Q&A", fields=[{"name": "Front"}, {"name": "Back"}, *fields],
               templates=[dict(QA_TEMPLATE)], css=_CSS)
    cloze = Model(CLOZE_MODEL_ID, "readroom cloze", fields=[{"name": "Text"}, {"name": "Extra"}, *fields],
                  templates=[dict(CLOZE_TEMPLATE)], css=_CSS, model_type=genanki.Model.CLOZE)
    figure = Model(FIGURE_MODEL_ID, "readroom figure",
                   fields=[{"name": "Image"}, {"name": "Question"}, {"name": "Answer"}, *fields],
                   templates=[dict(FIGURE_TEMPLATE)], css=_FIGURE_CSS)
    occlusion = Model(OCCLUSION_MODEL_ID, "readroom image occlusion",
                      fields=[{"name": name} for name in OCCLUSION_FIELDS], templates=[dict(OCCLUSION_TEMPLATE)],
                      css=_OCCLUSION_CSS, model_type=genanki.Model.CLOZE)
    occlusion.stock_kind = IMAGE_OCCLUSION_KIND
    return {"qa": qa, "cloze": cloze, "figure": figure, "occlude": occlusion}
