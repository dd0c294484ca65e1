"""A figure seen large, and the figures the text cites ("Figure 3", "Fig. 3", "Table 2") to go to with `g`.

A key rather than links in the text: the paper's text is one read-only TextArea, where a link would need the
mouse or a cursor walk onto it; `g` from wherever one reads opens the figure the section cites (a chooser when it
cites several), and escape comes back to the same line.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from readroom.structure import Caption
from readroom.tui.plain import plain
from readroom.tui.widgets.figure_image import FigureImage
from readroom.tui.widgets.key_footer import KeyFooter

# "Figure 3", "Fig. 3", "Figs. 3", "Table 2", "Tab. 2"; the number may carry a letter or a dot ("3a", "A.1").
_CITE = re.compile(r"\b(Fig(?:ure)?s?|Tab(?:le)?s?)\.?\s*~?((?:[A-Z]\.)?\d+)", re.IGNORECASE)


def _key(kind_word: str, number: str) -> tuple[str, str]:
    return ("table" if kind_word.lower().startswith("tab") else "figure", number.lower())


def cited_figures(text: str, figures: list[Caption]) -> list[int]:
    """Indexes into `figures` of those `text` cites, in the order first cited."""
    by_label: dict[tuple[str, str], int] = {}
    for index, figure in enumerate(figures):
        if match := _CITE.match(figure.label.strip()):
            by_label.setdefault(_key(*match.groups()), index)
    cited: list[int] = []
    for match in _CITE.finditer(text):
        found = by_label.get(_key(*match.groups()))
        if found is not None and found not in cited:
            cited.append(found)
    return cited


def image_path(figure: Caption) -> Path | None:
    return Path(figure.image) if figure.image and Path(figure.image).is_file() else None


class FigureScreen(Screen[str | None]):
    """One figure, as large as the terminal allows, its caption under it; dismissed with what to do next."""

    HELP_TITLE = "Figure"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="figure.back"),
        Binding("q", "dismiss(None)", "Back", show=False, id="figure.quit"),
        Binding("o", "dismiss('pdf')", "Open PDF at its page", id="figure.open_pdf"),
        Binding("c", "dismiss('card')", "Card", id="figure.card"),
        Binding("t", "dismiss('text')", "In the text", id="figure.text"),
    ]
    DEFAULT_CSS = """
    FigureScreen #figure-large { height: 1fr; padding: 0 1; }
    FigureScreen #figure-caption { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, figure: Caption) -> None:
        super().__init__()
        self.figure = figure

    def compose(self) -> ComposeResult:
        yield FigureImage(image_path(self.figure), id="figure-large")
        yield Static(plain(f"{self.figure.caption}  (p. {self.figure.page})"), id="figure-caption")
        yield KeyFooter()


class FigureChooser(ModalScreen[int | None]):
    """The figures a section cites: enter opens one, escape goes back to the text."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="figure_chooser.back")]
    DEFAULT_CSS = """
    FigureChooser { align: center middle; }
    FigureChooser > #figure-chooser-box { width: 70; max-width: 95%; height: auto; max-height: 80%;
                                          border: round $accent; background: $surface; padding: 0 1; }
    FigureChooser OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, section: str, figures: list[Caption], indexes: list[int]) -> None:
        super().__init__()
        self.section, self.figures, self.indexes = section, figures, indexes

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical(id="figure-chooser-box"):
            yield Label(plain(f"Cited in {self.section}: enter to view, escape to go back"))
            yield OptionList(*[Option(plain(f"{self.figures[i].caption}  (p. {self.figures[i].page})"))
                               for i in self.indexes], id="figure-chooser")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.indexes[event.option_index])
