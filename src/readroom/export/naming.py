"""What an export's file is called and where it goes: $READROOM_HOME/exports/, named by what it holds and the day
(`readroom-all-2026-12-01.apkg`, `readroom-paper-bert-2026-12-01.apkg`, `readroom-tag-vision-2026-12-01.bib`).
Two different selections never share a name, so replacing a file of the same name replaces the same selection
(which Anki, matching notes by GUID, takes as an update). Exports once went to decks/, the starter decks' word;
`move_old_exports` brings them over."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from datetime import datetime
from pathlib import Path

from readroom import paths
from readroom.errors import BadInput
from readroom.export.selection import CardFilter, PaperInfo
from readroom.terminal import excerpt

SUFFIXES = {"apkg": (".apkg",), "scheduling": (".apkg", ".colpkg"), "bibtex": (".bib",)}
_UNSAFE = re.compile(r"[^\w.-]+")  # \w keeps letters of any script; '/', ':', spaces and the like become '-'


def slug(text: str, limit: int = 40) -> str:
    """`text` as a piece of a file name any file system takes: lowercase, unsafe runs as one '-', clipped at a '-'."""
    name = _UNSAFE.sub("-", text.lower()).strip("-.")
    if len(name) > limit:
        name = name[:limit].rsplit("-", 1)[0] or name[:limit]
    return name


def label(selection: CardFilter) -> str:
    """`all`, `paper-<short title>-<key>` or `tag-<tag>`; a tag the slug changed gets a short hash of itself, so
    `ml::nlp` and `ml-nlp` stay two files."""
    if selection.paper:
        from readroom.export.selection import select_papers

        [paper] = select_papers(selection)
        return f"paper-{paper_name(paper)}"
    if selection.tag:
        from readroom.tags import tag_form

        tag = tag_form(selection.tag)
        name = slug(tag)
        return f"tag-{name}" if name == tag else f"tag-{name}-{hashlib.sha256(tag.encode()).hexdigest()[:6]}"
    return "all"


def paper_name(paper: PaperInfo) -> str:
    """A paper in a file name: `<short title>-<key>` (`bert-1810.04805`), or the key alone when it is the title's
    slug already (`resnet`); papers never share a key, so never a name."""
    from readroom.export.apkg import short_title

    title, key = slug(short_title(paper.title)), slug(paper.key)
    return f"{title}-{key}" if title and key not in title else key


def default_path(selection: CardFilter, kind: str, now: datetime) -> Path:
    """exports/readroom-<label>-YYYY-MM-DD[-scheduling].apkg (local date), or `.bib` for BibTeX."""
    day = now.astimezone().date().isoformat()
    variant = "-scheduling" if kind == "scheduling" else ""
    return paths.exports_dir() / f"readroom-{label(selection)}-{day}{variant}{SUFFIXES[kind][0]}"


def checked_output(path: Path, kind: str) -> Path:
    """A file name the user gave: with no extension it gets the kind's (as a save dialog adds it); a deck with
    another extension is refused, since Anki opens only .apkg and .colpkg and `x.txt.apkg` would surprise as much.
    BibTeX is text and goes wherever it is sent."""
    if kind == "bibtex":
        return path
    if not path.suffix:  # a folder stays as given, for the write to refuse it by its name
        return path if what_is(path) == "folder" else path.with_name(path.name + SUFFIXES[kind][0])
    if path.suffix.lower() not in SUFFIXES[kind]:
        allowed = " or ".join(SUFFIXES[kind])
        raise BadInput(f"{excerpt(path)}: an Anki deck is a {allowed} file; "
                       f"name it {excerpt(path.name)}{SUFFIXES[kind][0]} (or leave the extension off).")
    return path


def what_is(path: Path) -> str | None:
    """"file", "folder", "other" or None (nothing there); a NUL or a name too long for the system is BadInput."""
    paths.refuse_nul(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise paths.name_too_long(path) from None
        return None  # what cannot be looked at is left to the write, which says why
    return "file" if stat.S_ISREG(mode) else "folder" if stat.S_ISDIR(mode) else "other"


def move_old_exports() -> int:
    """Move the exports readroom wrote to $READROOM_HOME/decks/ into exports/ (a name already there is left where
    it is); the old folder goes when empty. Returns how many moved."""
    old, new = paths.home() / "decks", paths.exports_dir()
    try:
        found = [p for p in old.iterdir() if p.name.startswith("readroom-") and p.is_file()
                 and p.suffix in (".apkg", ".colpkg", ".bib")]
    except OSError:  # no old folder (the usual case), or one we cannot read: nothing to move
        return 0
    moved = 0
    for path in found:
        target = new / path.name
        try:
            new.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                os.replace(path, target)
                moved += 1
        except OSError:
            continue  # it stays where it was, still there for the user
    try:
        old.rmdir()
    except OSError:
        pass  # not empty: the user's own files stay
    return moved
