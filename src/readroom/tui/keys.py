"""Every key binding of the app, each with an id; the user remaps them by id in `[keys]` of config.toml.

A user writes, in $READROOM_HOME/config.toml:

    [keys]
    "library.add" = "n"            # one key
    "library.search" = "slash,ctrl+f"  # or several, comma-separated

Textual's keymap (App.set_keymap) swaps the key of the binding with that id wherever it is used.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

APP_BINDINGS = [
    Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
    # ctrl+t, not t: t tags in the card browser and Discover, and a control key also works while typing in a box.
    Binding("ctrl+t", "toggle_theme", "Theme (dark / light, saved)", show=False, id="app.theme"),
    # q steps back one level (the screen's own back or cancel); the library, the top level, binds it to Quit.
    Binding("q", "back", "Back", id="app.back"),
    Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
]

LIBRARY_BINDINGS = [
    Binding("enter", "open_paper", "Open", id="library.open"),
    Binding("a", "add_paper", "Add", id="library.add"),
    Binding("c", "classics", "Classics", id="library.classics"),
    # priority, and the box focused at once: letters typed fast after `/` are the search, not commands (`a` Add)
    Binding("slash", "focus_search", "Search", key_display="/", priority=True, id="library.search"),
    Binding("s", "cycle_sort", "Sort", show=False, id="library.sort"),
    Binding("f", "filter_tag", "Tag", id="library.filter_tag"),
    Binding("p", "filter_status", "Status", show=False, id="library.filter_status"),
    Binding("r", "reload", "Reload", show=False, id="library.reload"),
    Binding("delete", "remove_paper", "Remove", show=False, id="library.remove"),
    Binding("escape", "clear_filters", "Clear filters", show=False, id="library.clear"),
    # Screens of their own; the app runs these actions (ReadroomApp.show_screen).
    Binding("R", "app.review", "Review", id="library.review"),
    Binding("b", "app.cards", "Cards", show=False, id="library.cards"),
    Binding("S", "app.stats", "Stats", show=False, id="library.stats"),
    Binding("d", "app.discover", "Discover", show=False, id="library.discover"),
    Binding("E", "app.export", "Export", show=False, id="library.export"),
    Binding("y", "app.anki_sync", "Sync", show=False, id="library.sync"),  # Anki's key; the header line says so
    Binding("x", "hide_welcome", "Hide the welcome", show=False, id="library.welcome"),  # the note itself says so
    Binding("q", "app.quit", "Quit", id="library.quit"),
]

CLASSICS_BINDINGS = [
    Binding("a", "add_classic", "Add", id="classics.add"),
    Binding("enter", "open_classic", "Open / add", id="classics.open"),
    Binding("escape", "back", "Back", id="classics.back"),
    Binding("c", "back", "Library", show=False, id="classics.library"),
]


@dataclass(frozen=True)
class BindingGroup:
    title: str
    bindings: list[Binding]


def binding_groups() -> list[BindingGroup]:
    """What the help screen lists, in this order. Each screen keeps its keys in its own module; they are
    imported here, when help opens, so that starting the app does not load every screen."""
    from readroom.tui.reader.bindings import READER_BINDINGS
    from readroom.tui.reader.dialogs import CardDialog
    from readroom.tui.reader.figure_cards import FigureCardDialog, OcclusionCanvas, OcclusionEditor
    from readroom.tui.reader.figures import FigureScreen
    from readroom.tui.screens.card_browser import BROWSER_BINDINGS
    from readroom.tui.screens.discover import DISCOVER_BINDINGS
    from readroom.tui.screens.review import LEECH_BINDINGS, REVIEW_BINDINGS
    from readroom.tui.screens.stats import STATS_BINDINGS
    from readroom.tui.widgets.card_editor import CONFIRM_BINDINGS, EDITOR_BINDINGS

    return [
        BindingGroup("Everywhere", [*APP_BINDINGS,
                                    Binding("ctrl+p", "command_palette", "Command palette: every action and paper",
                                            id="app.palette")]),
        BindingGroup("Library", LIBRARY_BINDINGS),
        BindingGroup("Reader", READER_BINDINGS),
        BindingGroup("New card (from the reader)", [b for b in CardDialog.BINDINGS if isinstance(b, Binding)]),
        BindingGroup("Figure (enter on a figure)", [b for b in FigureScreen.BINDINGS if isinstance(b, Binding)]),
        BindingGroup("New figure card (c on a figure)",
                     [b for b in FigureCardDialog.BINDINGS if isinstance(b, Binding)]),
        BindingGroup("Occlusion editor", [b for b in [*OcclusionCanvas.BINDINGS, *OcclusionEditor.BINDINGS]
                                          if isinstance(b, Binding)]),
        BindingGroup("Review", REVIEW_BINDINGS),
        BindingGroup("Leech notice", LEECH_BINDINGS),
        BindingGroup("Card browser", BROWSER_BINDINGS),
        BindingGroup("Card editor", EDITOR_BINDINGS),
        BindingGroup("Confirm", CONFIRM_BINDINGS),
        BindingGroup("Stats", STATS_BINDINGS),
        BindingGroup("Discover", DISCOVER_BINDINGS),
        BindingGroup("Classics catalogue", CLASSICS_BINDINGS),
    ]

