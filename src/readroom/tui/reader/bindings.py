"""The reader's keys: bound on its screen, listed by the help screen (tui/keys.py) and the key footer."""

from __future__ import annotations

from textual.binding import Binding

ESCAPE_RULE = "Back one level: from a box, a list or the outline to the text; from the text to the library"

# The footer shows only what fits at 80 columns with the app's `? Help` after it: the rest is in `?`.

READER_BINDINGS = [
    Binding("escape", "back", "Back", tooltip=ESCAPE_RULE, id="reader.back"),
    Binding("q", "back", "Back", show=False, tooltip=ESCAPE_RULE, id="reader.quit"),
    # Priority: the find box takes the focus as `/` arrives, so the keys typed right after it are the word to find
    # (the screen's check_action lets `/` through to a box being typed in).
    Binding("slash", "find", "Find", key_display="/", priority=True, id="reader.find"),
    Binding("n", "find_next", "Next match", show=False, id="reader.find_next"),  # the find bar says n / N
    Binding("N", "find_previous", "Prev match", show=False, id="reader.find_previous"),
    Binding("o", "open_pdf", "Open PDF", show=False, id="reader.open_pdf"),
    Binding("ctrl+b", "toggle_outline", "Outline", show=False, id="reader.toggle_outline"),
    Binding("h", "highlight", "Highlight", id="reader.highlight"),
    Binding("c", "card", "Card", id="reader.card"),
    Binding("k", "focus('reader-checklist')", "Checklist", show=False, id="reader.checklist"),
    # Priority too, and the box focused at once (action_focus): the letters typed fast after `w` are the note.
    Binding("w", "focus('reader-notes')", "Notes", show=False, priority=True, id="reader.notes"),
    Binding("d", "focus('decide-next')", "Decide", id="reader.decide"),
    Binding("backslash", "toggle_panel", "Panel", key_display="\\", id="reader.toggle_panel",
            tooltip="Hide or show the side panel (checklist, notes, decision) to read full width"),
    Binding("r", "focus('reader-references')", "References", show=False, id="reader.references"),
    Binding("f", "focus('reader-figures')", "Figures", show=False, id="reader.figures"),
    Binding("g", "cited_figure", "Figure cited here", show=False, id="reader.cited_figure",
            tooltip="The figure or table the section at the cursor cites (a chooser when it cites several)"),
    Binding("x", "focus('reader-text')", "Text", show=False, id="reader.text"),
    Binding("i", "focus('reader-highlights')", "Highlights", show=False, id="reader.highlights"),
    Binding("left_square_bracket", "view_pass(-1)", "Earlier pass", key_display="[", show=False,
            id="reader.earlier_pass"),
    Binding("right_square_bracket", "view_pass(1)", "Later pass", key_display="]", show=False,
            id="reader.later_pass"),
]
