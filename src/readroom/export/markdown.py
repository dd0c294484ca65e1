"""Your reading notes as Markdown, one file per paper, for Obsidian (or any folder of notes): YAML front matter
(title, authors, year, arxiv, doi, url, tags, status, pass, dates), then the five Cs, each pass's notes and time,
the decisions, the highlights as block quotes with their page, and the cards made from the paper.

Front matter values are written as JSON scalars and flow sequences, which YAML reads as the same values: a title
with ': ', quotes, '#' or a newline stays one string. Text from the paper (title, authors, highlighted passages,
headings) is escaped so Markdown shows it as written; the user's own notes and cards go in as Markdown, as typed.
Terminal controls become visible symbols (terminal.printable), so `cat` on a file cannot drive the terminal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from readroom import paths
from readroom.errors import BadInput
from readroom.export import naming
from readroom.export.selection import CardFilter, ExportNote, PaperInfo
from readroom.reading import PaperReading, decided_words, minutes
from readroom.terminal import excerpt, printable

# Characters YAML may not hold as they are (DEL, C1, surrogates, U+FFFE/F); json.dumps escapes C0 itself.
_YAML_ESCAPES = {c: f"\\u{c:04x}" for c in [*range(0x7F, 0xA0), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]}
# Markdown punctuation that can start markup inline (emphasis, code, links, wikilinks, HTML, math, highlights,
# tables, footnotes); backslash-escaped, which CommonMark and Obsidian show as the character itself.
_INLINE = re.compile(r"([\\`*_\[\]<>|~=$!{}^&#])")  # '#' also starts an Obsidian tag mid-line
_URL = re.compile(r"[^\s<>\\]+")  # a link written as an autolink, <https://...>
_LINE_START = re.compile(r"^(\s*)([+\-]|\d+[.)])", re.MULTILINE)  # a list, where a line begins


@dataclass(frozen=True)
class NotesWritten:
    folder: Path
    new: int
    updated: int
    unchanged: int
    held: str

    @property
    def papers(self) -> int:
        return self.new + self.updated + self.unchanged

    def message(self) -> str:
        counts = ", ".join(f"{n} {word}" for n, word in ((self.new, "new"), (self.updated, "updated"),
                                                           (self.unchanged, "unchanged")) if n)
        return (f"Wrote the reading notes of {self.papers} paper{'s' * (self.papers != 1)} ({self.held}) "
                f"to {self.folder}: {counts}.")

    def to_json(self) -> dict:
        return {"folder": str(self.folder), "papers": self.papers, "new": self.new, "updated": self.updated,
                "unchanged": self.unchanged}


def default_folder() -> Path:
    return paths.exports_dir() / "notes"


def export_notes(selection: CardFilter, folder: Path | None, now: datetime) -> NotesWritten:
    """One Markdown file per selected paper in `folder` (exports/notes/ by default); a file of the same paper is
    replaced. BadInput when the selection holds no paper or the folder is a file."""
    from readroom import library, reading
    from readroom.export.apkg import atomic_write
    from readroom.export.selection import select_notes, select_papers

    chosen = select_papers(selection)
    if not chosen:
        raise BadInput(f"No papers with tag {excerpt(selection.tag)}; `readroom list` shows your papers' tags."
                       if selection.tag else "No papers to export; add some with `readroom add`.")
    folder = default_folder() if folder is None else folder
    if naming.what_is(folder) not in (None, "folder"):
        raise BadInput(f"{excerpt(folder)} is not a folder; the notes export writes one file per paper into one.")
    summaries = {p.id: p for p in library.list_papers()}
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    for paper, name in file_names(chosen):
        summary = summaries[paper.id]
        cards = select_notes(CardFilter(paper=paper.id))
        text = note_file(paper, summary.tags, summary.added_at, reading.paper_reading(paper.id), cards)
        path = folder / name
        before = path.read_text(encoding="utf-8") if naming.what_is(path) == "file" else None
        if before == text:
            counts["unchanged"] += 1
            continue
        atomic_write(path, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8"))
        counts["new" if before is None else "updated"] += 1
    held = selection.describe().replace("all cards", "all papers")
    return NotesWritten(folder, held=held, **counts)


def file_names(papers: list[PaperInfo]) -> list[tuple[PaperInfo, str]]:
    """Each paper with its `<short title>-<key>.md` (export/naming's name for a paper); two names the file system
    would take for one (the same slug, or the same but for case) get the paper's id added."""
    names: list[tuple[PaperInfo, str]] = []
    taken: set[str] = set()
    for paper in papers:
        name = naming.paper_name(paper) or paper.id
        if name.casefold() in taken:
            name = f"{name}-{paper.id}"
        taken.add(name.casefold())
        names.append((paper, name + ".md"))
    return names


# ------------------------------------------------------------------------------------------------- the file


def note_file(paper: PaperInfo, tags: list[str], added: datetime, mine: PaperReading, cards: list[ExportNote]) -> str:
    state = mine.state
    last = state.decisions[-1].at if state.decisions else None
    front = {
        "title": paper.title, "authors": paper.authors, "year": paper.year, "arxiv": paper.arxiv_id,
        "doi": paper.doi, "url": paper.link or None,
        "tags": [t.replace("::", "/") for t in tags],  # Obsidian nests tags with '/', Anki with '::'
        "status": state.status, "pass": state.pass_no, "decision": state.decision,
        "added": _day(added), "decided": _day(last) if last else None, "readroom_id": paper.id,
    }
    lines = ["---", *(f"{key}: {yaml_value(value)}" for key, value in front.items()), "---", "",
             f"# {inline(_one_line(paper.title))}", ""]
    byline = [inline(_one_line(", ".join(paper.authors))), str(paper.year or ""), _link(paper.link)]
    lines += [" · ".join(b for b in byline if b), ""]

    lines += ["## The five Cs", ""]
    lines += [f"- **{n.label}:** {_indented(own(n.text), 2) if n.text.strip() else ''}".rstrip()
              for n in mine.five_cs()]
    for plan in mine.plans.values():
        seconds = state.seconds.get(plan.number, 0.0)
        ticked, total = state.progress(plan.number)
        spent = f"{minutes(seconds)} of {minutes(plan.budget_seconds)}" if seconds else "not read"
        lines += ["", f"## Pass {plan.number}: {plan.name}", "", f"Time: {spent} · checklist {ticked}/{total}"]
        for note in mine.notes(plan.number):
            lines += ["", f"### {inline(note.label)}", "", own(note.text).strip()]
    lines += ["", "## Decisions", ""]
    lines += [f"- {_day(d.at)} · pass {d.pass_no}: {own(decided_words(d))}" for d in state.decisions] or ["None yet."]
    lines += ["", "## Highlights", ""]
    for h in mine.highlights:
        where = ", ".join(x for x in (f"p. {h.page}" if h.page else "", inline(h.section or "")) if x)
        quote = [f"> {line}".rstrip() for line in inline(h.text).splitlines()] or [">"]
        lines += [*quote, *([f"> — {where}"] if where else []), *([f"\n{own(h.note)}"] if h.note else []), ""]
    if not mine.highlights:
        lines += ["None yet.", ""]
    lines += ["## Cards", ""]
    for card in cards:
        if card.kind == "cloze":
            lines.append(f"- {_indented(own(card.front), 2)}")
        else:
            lines += [f"- **Q:** {_indented(own(card.front), 2)}", f"  **A:** {_indented(own(card.back), 2)}"]
    if not cards:
        lines.append("None yet.")
    return "\n".join(lines).rstrip() + "\n"


def yaml_value(value: object) -> str:
    """A front matter value YAML reads back as `value`: JSON's strings, numbers, null and lists are YAML too."""
    return json.dumps(value, ensure_ascii=False).translate(_YAML_ESCAPES)


def inline(text: str) -> str:
    """Text from the paper, shown by Markdown as it is: markup characters escaped, a line that would begin a list
    escaped at its start, controls made visible."""
    escaped = _INLINE.sub(r"\\\1", printable(text, keep="\n\t"))
    return _LINE_START.sub(lambda m: m.group(1) + re.sub(r"([+\-.)])", r"\\\1", m.group(2), count=1), escaped)


def own(text: str) -> str:
    """The user's own words (notes, cards): Markdown as they typed it, with controls made visible."""
    return printable(text, keep="\n\t")


def _indented(text: str, indent: int) -> str:
    """Lines after the first indented, so a note of several lines stays inside its list item."""
    return ("\n" + " " * indent).join(text.strip().splitlines())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _link(url: str) -> str:
    shown = printable(url)
    return "" if not url else f"<{shown}>" if _URL.fullmatch(shown) else inline(url)


def _day(moment: datetime) -> str:
    return moment.astimezone().date().isoformat()
