"""Open what we export with the real Anki backend, and read cards as a user would see them."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path


class _Text(HTMLParser):
    """The visible text of rendered card HTML, per element class: <br> is a newline, <style> is not text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[set[str]] = []
        self.parts: dict[str, list[str]] = {}
        self.all: list[str] = []
        self._style = 0

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self._text("\n")
            return
        if tag == "style":
            self._style += 1
        if tag not in ("hr", "img", "input"):
            self.stack.append(set((dict(attrs).get("class") or "").split()))

    def handle_endtag(self, tag):
        if tag == "style":
            self._style -= 1
        if tag not in ("br", "hr", "img", "input") and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._style:
            self._text(data)

    def _text(self, data):
        self.all.append(data)
        for classes in self.stack:
            for name in classes:
                self.parts.setdefault(name, []).append(data)


def visible(html: str, css_class: str | None = None) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.all if css_class is None else parser.parts.get(css_class, []))


@dataclass
class ShownCard:
    note_guid: str
    ord: int
    deck: str
    question: str  # raw rendered HTML
    answer: str
    fields: dict[str, str]
    tags: list[str]
    notetype: str


class AnkiCollection:
    """A fresh Anki collection in a folder, with the backend's own .apkg import."""

    def __init__(self, folder: Path) -> None:
        from anki.collection import Collection

        folder.mkdir(parents=True, exist_ok=True)
        self.col = Collection(str(folder / "collection.anki2"))

    def import_apkg(self, path: Path, *, with_scheduling: bool = False):
        from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions(
            with_scheduling=with_scheduling, merge_notetypes=True))
        return self.col.import_anki_package(request).log

    def note_count(self) -> int:
        return self.col.note_count()

    def deck_names(self) -> set[str]:
        return {d.name for d in self.col.decks.all_names_and_ids()}

    def cards(self) -> list[ShownCard]:
        shown = []
        for cid in sorted(self.col.find_cards("")):
            card = self.col.get_card(cid)
            note = card.note()
            out = card.render_output(reload=True)
            shown.append(ShownCard(
                note_guid=note.guid, ord=card.ord, deck=self.col.decks.name(card.did),
                question=out.question_text, answer=out.answer_text, fields=dict(note.items()), tags=list(note.tags),
                notetype=note.note_type()["name"]))
        return shown

    def by_guid(self, guid: str) -> list[ShownCard]:
        return sorted((c for c in self.cards() if c.note_guid == guid), key=lambda c: c.ord)

    def close(self) -> None:
        self.col.close()
