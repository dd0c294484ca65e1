"""The reader's database writes, off the UI thread and in the order they were made.

One worker thread rather than a Textual worker per write: a tick followed by an untick, or two autosaves of
the same note, must land in order, and the first highlight or card write pays for importing SQLModel (~0.7 s).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from readroom import reading
from readroom.cards import service as cards
from readroom.errors import ReadroomError
from readroom.structure import Caption
from readroom.tui.reader.dialogs import CardInput, HighlightInput
from readroom.tui.reader.document import Selection
from readroom.tui.reader.figure_cards import FigureCardInput

log = logging.getLogger(__name__)


class WriteQueue:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader-writes")
        self._app = None  # told of failed writes: the write thread has no active app of its own
        self._last: Future | None = None

    def submit(self, write: Callable[..., object], *args, then: Callable[[Any], object] | None = None) -> Future:
        def run():
            try:
                result = write(*args)
            except ReadroomError as exc:
                self._failed(exc.message)
                return None
            except Exception as exc:  # a bug must not take the reader down with the user's notes
                log.exception("reader write failed")
                self._failed(f"Could not save: {exc}")
                return None
            if then is not None:
                then(result)
            return result

        self._last = self._pool.submit(run)
        return self._last

    def start(self, app) -> None:
        """Report failures to `app`, and import the storage layer now, so the first highlight is not the one
        that waits for it."""
        self._app = app
        self._pool.submit(reading.warm)

    def _failed(self, message: str) -> None:
        # On the write thread: the app's notify posts a message, so this does not block it. Told to the app,
        # not the screen, since a write on leaving fails while the screen is closing.
        if self._app is not None:
            self._app.notify(message, severity="error", timeout=8)

    def wait(self, timeout: float | None = 10.0) -> None:
        """Block until every write so far is done (on leaving: nothing may be lost)."""
        if self._last is not None:
            try:
                self._last.result(timeout)
            except Exception:  # errors were reported by run(); a timeout leaves the thread to finish
                pass

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def save_highlight(paper_id: str, selected: Selection, context: tuple[str, str], answer: HighlightInput,
                   card: CardInput | None, now) -> tuple[cards.HighlightView, list[cards.CardView]]:
    """A highlight of the selection, and the cards made from it if a card was asked for."""
    before, after = context
    highlight = cards.create_highlight(
        paper_id, selected.text, now=now, page=selected.page, pass_no=selected.pass_no,
        section=selected.section_title, start=selected.start, end=selected.end, before=before, after=after,
        kind=answer.kind, note=answer.note)
    return highlight, add_card(highlight, card, now) if card else []


def add_card(highlight: cards.HighlightView, card: CardInput, now) -> list[cards.CardView]:
    return cards.add_note(card.kind, card.front, card.back, now=now, paper_id=highlight.paper_id,
                          highlight_id=highlight.id, section=highlight.section, page=highlight.page, tags=card.tags)


def add_figure_cards(paper_id: str, figure: Caption, image: Path, card: FigureCardInput, now,
                     section: str | None) -> list[cards.CardView]:
    """A figure card, or one occlusion card per hidden area, of the figure's image."""
    from readroom.cards import figures

    if card.kind == "occlude":
        return figures.add_occlusion_cards(image, card.areas, header=card.question, back=card.answer, now=now,
                                           paper_id=paper_id, page=figure.page, section=section, tags=card.tags)
    return [figures.add_figure_card(image, card.answer, question=card.question, now=now, paper_id=paper_id,
                                    page=figure.page, section=section, tags=card.tags)]
