"""Cards made from a figure: a figure card (the image and a question on the front, the user's answer on the back)
and an image-occlusion note (one card per hidden area, as Anki's image occlusion since 23.10).

The image is copied into $READROOM_HOME/media/ under a name taken from its content, as Anki names media: a reparse
that redraws the paper's figures/ never changes what a card shows, and two cards of one figure share one file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import datetime
from pathlib import Path

from readroom import paths
from readroom.cards import service
from readroom.errors import BadInput
from readroom.records.cards import CardView
from readroom.terminal import excerpt


def add_figure_card(image: Path, answer: str, *, now: datetime, question: str = "", paper_id: str | None = None,
                    page: int | None = None, section: str | None = None,
                    tags: list[str] | tuple[str, ...] = ()) -> CardView:
    """One card: `image` with `question` (e.g. the caption, or the user's own) on the front, `answer` on the back."""
    kept = keep_image(image)
    return service.add_note("figure", question, answer, now=now, paper_id=paper_id, page=page, section=section,
                            tags=tags, image=kept)[0]


def add_occlusion_cards(image: Path, areas: list[tuple[float, ...]], *, now: datetime, header: str = "",
                        back: str = "", paper_id: str | None = None, page: int | None = None,
                        section: str | None = None, tags: list[str] | tuple[str, ...] = ()) -> list[CardView]:
    """One card per hidden area of `image`: each hides its area (the others shown), as Anki's "hide one, guess one"."""
    kept = keep_image(image)
    return service.add_note("occlude", header, back, now=now, paper_id=paper_id, page=page, section=section,
                            tags=tags, image=kept, areas=areas)


def image_file(card: CardView) -> Path | None:
    """The card's image on disk, or None (not an image card, or its file was removed by hand)."""
    if not card.image:
        return None
    path = paths.home() / card.image
    return path if path.is_file() else None


def keep_image(image: Path) -> str:
    """Copy `image` into media/ (once per content); its path relative to $READROOM_HOME."""
    try:
        data = image.read_bytes()
    except OSError as exc:
        raise BadInput(f"Cannot read the image {excerpt(str(image), 80)}: {exc.strerror or exc}.") from None
    suffix = image.suffix.lower() if image.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp") else ".png"
    name = f"readroom-{hashlib.sha256(data).hexdigest()[:20]}{suffix}"
    folder = paths.media_dir()
    target = folder / name
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        shutil.copyfile(image, part)
        os.replace(part, target)  # whole or absent, never a half-written image a card points at
    return f"{folder.name}/{name}"
