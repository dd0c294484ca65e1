"""The paper's text: a read-only TextArea that paints find matches and highlights, moves to sections and
highlights, and turns a selection into a highlight or a card (`h`, `c`).

What the user marks is posted (HighlightMade, CardMade) for the screen to store; the text only knows where
things stand in it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Offset
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Document
from textual.widgets.text_area import Selection as TextSelection

from readroom.cards.service import HighlightView
from readroom.tui.reader.dialogs import CardDialog, CardInput, HighlightDialog, HighlightInput
from readroom.tui.reader.document import Anchor, Place, ReaderDocument, Selection

MATCH, HIGHLIGHT = "match", "highlight"


class ReaderText(TextArea):
    """Spans are character ranges of the text, kept per line as (start column, end column, kind).

    They are painted through `get_line`, TextArea's documented hook for extra styling, so selection and
    cursor still draw on top of them.
    """

    class HighlightMade(Message):
        """A passage marked (`h`, or `c` on a selection, then `card` holds the card made from it)."""

        def __init__(self, selection: Selection, context: tuple[str, str], answer: HighlightInput,
                     card: CardInput | None) -> None:
            super().__init__()
            self.selection, self.context, self.answer, self.card = selection, context, answer, card

    class CardMade(Message):
        """A card made from a highlight already stored (`c` with nothing selected)."""

        def __init__(self, highlight: HighlightView, card: CardInput) -> None:
            super().__init__()
            self.highlight, self.card = highlight, card

    @property
    def plain(self) -> Document:
        """The text as the plain Document it is (TextArea types it as DocumentBase, which has no offset lookups)."""
        assert isinstance(self.document, Document)
        return self.document

    def __init__(self, paper_text: ReaderDocument, paper_id: str, pass_no: int, **kwargs) -> None:
        super().__init__(paper_text.text, read_only=True, soft_wrap=True, show_line_numbers=False, show_cursor=True,
                         **kwargs)
        self.paper_text, self.paper_id, self.pass_no = paper_text, paper_id, pass_no
        self.highlights: list[HighlightView] = []
        self._spans: dict[str, dict[int, list[tuple[int, int]]]] = {MATCH: {}, HIGHLIGHT: {}}
        self._styles: dict[str, Style] = {}

    def on_mount(self) -> None:
        self.watch(self.app, "theme", lambda _: self._restyle(), init=True)

    def _restyle(self) -> None:
        # Muted theme colours are made to carry text in both light and dark themes.
        colours = self.app.theme_variables
        self._styles = {
            MATCH: Style.parse(f"bold on {colours.get('warning-muted', 'yellow')}"),
            HIGHLIGHT: Style.parse(f"underline on {colours.get('accent-muted', 'blue')}"),
        }
        self.notify_style_update()
        self.refresh()

    # ------------------------------------------------------------------------------------------ painting

    def set_spans(self, kind: str, ranges: list[tuple[int, int]]) -> None:
        """Paint these character ranges (offsets into the text) as `kind`, replacing that kind's earlier ones."""
        lines: dict[int, list[tuple[int, int]]] = {}
        doc = self.plain
        for start, end in ranges:
            (row, col), (end_row, end_col) = doc.get_location_from_index(start), doc.get_location_from_index(end)
            while row < end_row:  # a range over several lines paints each of them
                lines.setdefault(row, []).append((col, len(doc.get_line(row))))
                row, col = row + 1, 0
            lines.setdefault(row, []).append((col, end_col))
        self._spans[kind] = lines
        self.notify_style_update()  # TextArea caches rendered lines; this clears the cache
        self.refresh()

    def spans(self, kind: str) -> dict[int, list[tuple[int, int]]]:
        return self._spans[kind]

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for kind in (HIGHLIGHT, MATCH):  # a match shows over a highlight
            style = self._styles.get(kind)
            if style is None:
                continue
            for start, end in self._spans[kind].get(line_index, ()):
                line.stylize(style, start, end)
        return line

    def show_highlights(self, highlights: list[HighlightView]) -> None:
        """Paint the paper's highlights where they stand in this pass's text."""
        self.highlights = highlights
        self.set_spans(HIGHLIGHT, [r for h in highlights if (r := self.locate(h))])

    def locate(self, highlight: HighlightView) -> tuple[int, int] | None:
        return self.paper_text.locate(highlight.section, highlight.start, highlight.end, highlight.text)

    # ------------------------------------------------------------------------------------------ moving

    def jump_to(self, anchor: Anchor) -> None:
        self.move_cursor((anchor.line, 0))
        y = self.wrapped_document.location_to_offset((anchor.line, 0)).y
        self.scroll_to(y=y, animate=False, immediate=True)

    def go_to(self, place: Place) -> bool:
        """A card's source: its highlight selected if this pass shows it, else its section or page."""
        highlight = next((h for h in self.highlights if h.id == place.highlight_id), None)
        if highlight is not None and self.locate(highlight) is not None:
            self.select_highlight(highlight)
            return True
        anchor = self.paper_text.anchor_for(place.section, place.page)
        if anchor is not None:
            self.jump_to(anchor)
        return anchor is not None

    def select_highlight(self, highlight: HighlightView) -> None:
        found = self.locate(highlight)
        if found is None:
            self.notify("That passage is not in this pass's text; it shows in pass 2.")
            return
        self.select_range(*found)
        self.focus()

    def select_range(self, start: int, end: int) -> None:
        """Select characters start..end of the text and scroll them to the middle of the view."""
        doc = self.plain
        self.selection = TextSelection(doc.get_location_from_index(start), doc.get_location_from_index(end))
        self.scroll_cursor_visible(center=True)

    def anchor_in_view(self) -> Anchor | None:
        try:
            line = self.wrapped_document.offset_to_location(Offset(0, round(self.scroll_y)))[0]
        except ValueError:
            line = self.cursor_location[0]
        return self.paper_text.anchor_at_line(line)

    def current_page(self) -> int:
        anchor = self.anchor_in_view()
        return anchor.page if anchor else 1

    # ------------------------------------------------------------------------------------------ marking

    def selected_range(self) -> tuple[int, int]:
        """The selection as character offsets into the text, start first (equal when nothing is selected)."""
        doc = self.plain
        start, end = sorted(doc.get_index_from_location(loc) for loc in (self.selection.start, self.selection.end))
        return start, end

    def selection_in_paper(self) -> Selection | None:
        """The text selected, located by section, page and offsets within the section's text."""
        start, end = self.selected_range()
        if start == end:
            return None
        anchor = self.paper_text.anchor_at_offset(start)
        if anchor is None:
            return None
        base = anchor.body_start - anchor.skipped
        return Selection(self.paper_id, self.pass_no, anchor.title, anchor.page,
                         max(0, start - base), max(0, end - base), self.paper_text.text[start:end])

    def highlight_here(self) -> HighlightView | None:
        here = self.plain.get_index_from_location(self.cursor_location)
        return next((h for h in self.highlights if (r := self.locate(h)) and r[0] <= here < r[1]), None)

    def ask_highlight(self) -> None:
        selected = self.selection_in_paper()
        if selected is None:
            self.notify("Select a passage first (shift+arrows or drag with the mouse), then press h.")
            return
        context = self.paper_text.context(*self.selected_range())

        def answered(answer: HighlightInput | None) -> None:
            if answer is not None:
                self.post_message(self.HighlightMade(selected, context, answer, None))

        self.app.push_screen(HighlightDialog(selected.text), answered)

    def ask_card(self, existing: HighlightView | None) -> None:
        """A card from the selection (made a highlight too), else from `existing` (the highlight under the
        cursor or chosen in the list)."""
        selected = self.selection_in_paper()
        if selected is None and existing is None:
            self.notify("Select a passage (or put the cursor in a highlight), then press c for a card.")
            return
        context = self.paper_text.context(*self.selected_range())
        if selected is not None:
            text = selected.text

            def answered(card: CardInput | None) -> None:
                if card is not None:
                    self.post_message(self.HighlightMade(selected, context, HighlightInput(None, None), card))
        else:
            assert existing is not None  # one of the two, checked above
            chosen, text = existing, existing.text

            def answered(card: CardInput | None) -> None:
                if card is not None:
                    self.post_message(self.CardMade(chosen, card))

        self.app.push_screen(CardDialog(" ".join(text.split())), answered)
