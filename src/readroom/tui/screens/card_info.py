"""Card info (`i` in review), as Anki's: when the card was added and reviewed, its counts, its FSRS memory and
the review log."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from readroom.cards.actions import CardInfo
from readroom.cards.scheduler import RATING_NAMES, STATE_NAMES, format_interval
from readroom.tui.plain import plain

CARD_INFO_BINDINGS = [
    Binding("escape,i,q", "close", "Close", key_display="esc", id="card_info.close"),
]


class CardInfoScreen(ModalScreen[None]):
    BINDINGS = [*CARD_INFO_BINDINGS]
    HELP_TITLE = "Card info"
    DEFAULT_CSS = """
    CardInfoScreen { align: center middle; }
    #card-info-box {
        width: 76; max-width: 95%; height: auto; max-height: 90%;
        padding: 0 1; border: round $primary; background: $panel;
    }
    #card-info-facts, #card-info-log { height: auto; }
    #card-info-scroll { height: auto; max-height: 14; }
    """

    def __init__(self, info: CardInfo, zone: tzinfo) -> None:
        super().__init__()
        self.info, self.zone = info, zone

    def compose(self) -> ComposeResult:
        with Vertical(id="card-info-box"):
            yield Label(plain(f"Card info · {self.info.card.short_id}"), classes="dialog-title")
            yield Static(self._facts(), id="card-info-facts")
            with VerticalScroll(id="card-info-scroll"):
                yield Static(self._log(), id="card-info-log")
            yield Label(Text("esc closes", style="dim"))

    def _when(self, moment: datetime | None) -> str:
        return f"{moment.astimezone(self.zone):%Y-%m-%d %H:%M}" if moment else "-"

    def _facts(self) -> Table:
        info, card = self.info, self.info.card
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        rows: list[tuple[str, str | Text]] = [
            ("Question", plain(" ".join(card.question.split()), no_wrap=True, overflow="ellipsis")),
            ("Added", self._when(info.added)),
            ("First review", self._when(info.first_review)),
            ("Latest review", self._when(info.last_review)),
            ("Due", "new" if card.reps == 0 else self._when(card.due)),
            ("Reviews", str(len(info.reviews))),
            ("Lapses", str(card.lapses)),
            ("State", card.status(card.due)),
            ("Stability", f"{card.memory.stability:.1f} days" if card.memory.stability is not None else "-"),
            ("Difficulty", f"{card.memory.difficulty:.1f} / 10" if card.memory.difficulty is not None else "-"),
            ("Retrievability", f"{info.retrievability:.0%}" if info.retrievability is not None else "-"),
        ]
        for name, value in rows:
            table.add_row(name, value)
        return table

    def _log(self) -> Table | Text:
        if not self.info.reviews:
            return Text("Not reviewed yet.", style="dim")
        table = Table(box=None, padding=(0, 2), show_edge=False, header_style="bold")
        for column in ("Date", "Type", "Rating", "Interval", "Time"):
            table.add_column(column)
        for review in reversed(self.info.reviews):  # newest first, as Anki lists them
            table.add_row(self._when(review.at), STATE_NAMES[review.state_before],
                          RATING_NAMES[review.rating].capitalize(), format_interval(review.interval),
                          f"{review.elapsed.total_seconds():.0f} s")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
