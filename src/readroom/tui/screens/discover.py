"""Discover (`d` on the library): recent arXiv papers ranked for you, each with its abstract and the words
that explain its place. `a` adds one (through the app's add worker, as `readroom add`), `t` tags it (adding
it first), `x` dismisses it (a negative for the models), `m` switches the ranking, `/` searches, `s` syncs.

Ranking and syncing run in thread workers, through the same use cases as the CLI (discover/service.py), so the
screen paints at once. The last ranking of each mode is kept (discover/ranking_cache.py) and shown at once; only
when the library or the index changed since is it ranked again, behind "updating…", and the new list swapped in
with the cursor on the same paper.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Input, Label, ProgressBar, Static
from textual.widgets.data_table import ColumnKey

from readroom import clock
from readroom.errors import NotFound, ReadroomError
from readroom.library import AddOptions
from readroom.tui.plain import plain
from readroom.tui.screens.add_request import AddRequest
from readroom.tui.widgets.add_activity import AddActivityLine
from readroom.tui.widgets.key_footer import KeyFooter

DISCOVER_BINDINGS = [
    Binding("a", "add", "Add", id="discover.add"),
    Binding("t", "tag", "Tag", id="discover.tag"),
    Binding("x", "dismiss_paper", "Dismiss", id="discover.dismiss"),
    Binding("m", "cycle_mode", "Mode", id="discover.mode"),
    Binding("slash", "search", "Search", key_display="/", id="discover.search"),
    Binding("s", "sync", "Sync", id="discover.sync"),
    Binding("escape", "back", "Back", show=False, id="discover.back"),
]
LIMIT = 200  # papers listed per ranking: more than anyone scrolls through in one sitting
COLUMNS = (("mark", "", 1), ("score", "Score", 6), ("author", "First author", 14), ("date", "Date", 10))
MIN_TITLE = 16
# What the score column shows in each mode: newest first ranks by age, random by nothing worth a number.
MODEL_MODES = ("foryou", "tag", "similar")  # where a paper's place (top N%) says what the model thinks of it


@dataclass(frozen=True)
class Mode:
    name: str  # foryou / tag / time / random / search
    tag: str | None = None
    query: str | None = None

    @property
    def label(self) -> str:
        return {"foryou": "for you", "time": "newest", "random": "random"}.get(
            self.name, f"tag {self.tag}" if self.name == "tag" else f"search '{self.query}'")


class TextPrompt(ModalScreen[str | None]):
    """One line of input (a tag, search words); Enter gives it, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="discover.prompt_cancel")]

    def __init__(self, title: str, placeholder: str, value: str = "") -> None:
        super().__init__()
        self.title_text, self.placeholder, self.value = title, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label("Enter confirms, Escape cancels.", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class DiscoverScreen(Screen):
    # What the workers report (posted from their threads).
    class Ranked(Message):
        """A ranking to show (or why there is none); `worker` made it, and a newer one may have been asked for."""

        def __init__(self, worker, ranking, tags: list[str], text: str | None = None, failed: bool = False,
                     updating: bool = False) -> None:
            super().__init__()
            self.worker, self.ranking, self.tags = worker, ranking, tags
            self.text, self.failed, self.updating = text, failed, updating

    class RankStep(Message):
        """What a new ranking is busy with (reading the features, choosing C, learning), for the status line."""

        def __init__(self, worker, text: str) -> None:
            super().__init__()
            self.worker, self.text = worker, text

    class MarksRead(Message):
        def __init__(self, in_library: dict[str, str]) -> None:
            super().__init__()
            self.in_library = in_library

    class SyncProgress(Message):
        """How far the sync is. Only the latest counts: a queued one gives way to a newer one."""

        def __init__(self, text: str, done: float, total: float | None) -> None:
            super().__init__()
            self.text, self.done, self.total = text, done, total

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, DiscoverScreen.SyncProgress)

    class SyncDone(Message):
        def __init__(self, text: str, failed: bool) -> None:
            super().__init__()
            self.text, self.failed = text, failed

    BINDINGS = [*DISCOVER_BINDINGS]
    HELP_TITLE = "Discover"
    SUB_TITLE = "discover: new arXiv papers ranked for you"
    AUTO_FOCUS = "#discover-list"
    DEFAULT_CSS = """
    DiscoverScreen #discover-status { height: 1; padding: 0 2; margin-top: 1; color: $text-accent; }
    DiscoverScreen #discover-list { height: 1fr; margin: 0 1; }
    DiscoverScreen #discover-detail { height: 8; margin: 0 1; padding: 0 1; border-top: solid $primary 50%;
                                      color: $foreground; overflow: hidden; }
    DiscoverScreen #sync-line { height: 1; padding: 0 2; background: $boost; }
    DiscoverScreen #sync-text { width: 1fr; color: $text-accent; }
    DiscoverScreen #sync-bar { width: 30; }
    TextPrompt { align: center middle; }
    TextPrompt #prompt-box { width: 70%; max-width: 80; height: auto; padding: 1 2; border: round $primary;
                             background: $panel; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.mode = Mode("foryou")
        self.ranking = None  # the last rank.Ranking shown
        self.papers: list = []  # its recommendations, in table order
        self.tags: list[str] = []  # the library's tags: `m` cycles through a model for each
        self.loaded = False  # the ranking for the current state is shown (not only the one kept from before)
        self.updating = False  # the kept ranking is shown while a new one is made
        self._title_width = 0
        self._last_mode = self.mode  # where Escape from a search returns

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Label("", id="discover-status")
        yield DataTable(id="discover-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="discover-detail")
        with Horizontal(id="sync-line"):
            yield Label("", id="sync-text")
            yield ProgressBar(show_eta=False, id="sync-bar")
        yield AddActivityLine(id="add-activity")
        yield KeyFooter()

    def _library_changed(self, _version: int) -> None:
        self._refresh_marks()

    def on_mount(self) -> None:
        self.query_one("#sync-line").display = False
        self.query_one("#add-activity").display = False
        self._build_columns()
        self.watch(self.app, "library_version", self._library_changed, init=False)
        self.query_one("#discover-list", DataTable).loading = True
        # Paint first, then rank: the worker's numpy and scikit-learn work would hold up the first frame.
        self.call_after_refresh(self.rerank)

    # ----------------------------------------------------------------------------------------- ranking

    def rerank(self) -> None:
        self.loaded = False
        self.query_one("#discover-list", DataTable).loading = True
        self.query_one("#discover-status", Label).update(f"Ranking: {self.mode.label}…")
        self._rank(self.mode)

    def _post_step(self, worker, text: str) -> None:
        """What a ranking is busy with, from its thread to the status line."""
        self.post_message(self.RankStep(worker, text))

    @work(thread=True, exclusive=True, group="discover-rank", exit_on_error=False)
    def _rank(self, mode: Mode) -> None:

        from textual.worker import get_current_worker

        from readroom.discover import rank, service, signals

        worker = get_current_worker()

        def show(*args) -> None:
            self.post_message(self.Ranked(worker, *args))

        try:
            sig = signals.load()
            request = rank.RankRequest(now=clock.now(), mode=mode.name, tag=mode.tag,
                                       query=mode.query, limit=LIMIT)
            # The kept ranking at once; when the library or the index changed since, it is shown while the new
            # one is made, and replaced by it.
            ranking = service.rank(request, sig, stale=lambda kept: show(kept, sig.tags(), None, False, True),
                                   step=lambda text: self._post_step(worker, text))
        except NotFound as exc:  # an empty index: say how to fill it
            show(None, [], exc.message)
            return
        except ReadroomError as exc:
            show(None, [], exc.message, True)
            return
        except Exception as exc:  # a bug must not take the app down
            from readroom.tui.app import describe_unexpected

            show(None, [], describe_unexpected(exc), True)
            return
        show(ranking, sig.tags())
        service.warm_up()  # after a kept ranking, so that switching modes then does not wait for it

    @on(Ranked)
    def _ranked(self, event: Ranked) -> None:
        if not event.worker.is_cancelled:  # else a newer ranking was asked for meanwhile
            self._shown(event.ranking, event.tags, event.text, event.failed, event.updating)

    @on(RankStep)
    def _rank_step(self, event: RankStep) -> None:
        if event.worker.is_cancelled or self.loaded:
            return
        status = self.query_one("#discover-status", Label)
        if self.updating:  # the kept list is shown: keep its line, say what the new ranking is at
            status.update(self._status(None).append(f" ({event.text}…)", "italic"))
        else:
            status.update(plain(f"Ranking: {self.mode.label}… {event.text}…"))

    def _shown(self, ranking, tags: list[str], message: str | None = None, failed: bool = False,
               updating: bool = False) -> None:
        # The new ranking replacing the kept one shown meanwhile keeps the cursor on its paper.
        keep = self.selected() if ranking and self.updating else None
        self.ranking, self.tags, self.loaded, self.updating = ranking, tags, not updating, updating
        self.papers = list(ranking.papers) if ranking else []
        self.query_one("#discover-list", DataTable).loading = False
        if failed and message:
            self.notify(message, severity="error", markup=False)
        self._fill(keep.paper.arxiv_id if keep else None)
        self.query_one("#discover-status", Label).update(self._status(message))

    def _status(self, message: str | None) -> Text:
        if self.ranking is None:
            return plain(message or "Nothing to show.", style="bold")
        r = self.ranking
        # Rows listed of papers held: the library's and dismissed papers are held but not listed.
        text = Text.assemble((f"{Mode(r.mode).label if r.mode != self.mode.name else self.mode.label}", "bold"),
                             f" · {len(self.papers):,} of {r.index_size:,} papers")
        if r.mode == "search":
            text.append(f" · {r.pool:,} match{'es' if r.pool != 1 else ''}")
        if self.updating:  # the kept list, while the new one is made
            text.append(" · updating…", "italic")
        if r.liked:
            text.append(f" · likes {', '.join(r.liked[:4])}")
        if r.note:
            text.append(" · nothing to learn from yet: newest first")
        text.truncate(max(20, self.size.width - 4 or 76), overflow="ellipsis")
        return text

    # ----------------------------------------------------------------------------------------- table

    def _title_width_for(self, width: int) -> int:
        return max(MIN_TITLE, width - sum(w + 2 for _, _, w in COLUMNS) - 2 - 2 - 2)

    def _build_columns(self) -> None:
        table = self.query_one("#discover-list", DataTable)
        self._title_width = self._title_width_for(self.size.width or self.app.size.width)
        table.clear(columns=True)
        table.add_column("", key="mark", width=COLUMNS[0][2])
        table.add_column(self._score_label(), key="score", width=COLUMNS[1][2])
        table.add_column("Title", key="title", width=self._title_width)
        for key, label, width in COLUMNS[2:]:
            table.add_column(label, key=key, width=width)

    def _score_label(self) -> str:
        return self.ranking.score_label if self.ranking else "Score"

    def on_resize(self) -> None:
        if self._title_width_for(self.size.width) != self._title_width:
            self._build_columns()
            self._fill()

    def _fill(self, keep: str | None = None) -> None:
        table = self.query_one("#discover-list", DataTable)
        row = table.cursor_row
        if table.columns[ColumnKey("score")].label.plain != self._score_label():
            self._build_columns()
        table.clear()
        for r in self.papers:
            table.add_row(*self._cells(r), key=r.paper.arxiv_id)
        if keep is not None and keep in table.rows:
            row = table.get_row_index(keep)
        if self.papers:
            table.move_cursor(row=min(max(row, 0), len(self.papers) - 1), animate=False)
        self._show_detail()

    def _cells(self, r) -> tuple:
        date = r.paper.published.strftime("%Y-%m-%d") if r.paper.published else ""  # arXiv's own (UTC) date
        return (Text("✓", style="green") if r.library_id else "", self._score_cell(r),
                plain(r.paper.title, no_wrap=True, overflow="ellipsis"), plain(r.paper.first_author), date)

    def _score_cell(self, r) -> str:
        return f"{self.ranking.shown_score(r.score):>6}" if self.ranking else ""

    def selected(self):
        table = self.query_one("#discover-list", DataTable)
        if not self.papers or not 0 <= table.cursor_row < len(self.papers):
            return None
        return self.papers[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#discover-detail", Static)
        r = self.selected()
        if r is None:
            empty = ("Press s to sync recent arXiv papers." if self.ranking is None
                     else "No papers in this ranking." if not self.ranking.pool
                     else "No papers to show: the matches are in your library or dismissed."
                     if self.ranking.mode == "search" else "No papers to show: all are in your library or dismissed.")
            detail.update(Text(empty, style="dim") if self.loaded else "")
            return
        p = r.paper
        authors = ", ".join(p.authors[:4]) + (" et al." if len(p.authors) > 4 else "")
        facts = [p.arxiv_id, *p.categories[:3]]
        mode = self.ranking.mode if self.ranking else ""
        if mode in MODEL_MODES:
            facts.append(f"top {r.top_percent:.0f}%")
        elif mode == "search":
            facts.append(f"match {r.position:,} of {r.pool:,}")
        if r.library_id:
            facts.append("in your library")
        detail.update(Text.assemble(
            plain(p.title, style="bold"), "\n", plain(authors, style="italic"), "  ", plain(" · ".join(facts), style="dim"),
            "\n", ("Why: ", "bold"), plain(" · ".join(r.words) or "-", style="green"), "\n", plain(p.abstract, keep="\n")))

    # ----------------------------------------------------------------------------------------- actions

    def action_add(self) -> None:
        r = self.selected()
        if r is None:
            return
        if r.library_id:
            self.notify(f"{r.paper.title} is already in your library.", markup=False)
            return
        self.app.add_papers(AddRequest([r.paper.arxiv_id], AddOptions()))  # type: ignore[attr-defined]

    def action_tag(self) -> None:
        r = self.selected()
        if r is None:
            return

        def tagged(tag: str | None) -> None:
            if not tag:
                return
            if r.library_id:
                self._tag_in_library(r.library_id, tag)
            else:  # tags live on library papers: tagging adds it, as arxiv-sanity-lite's tags were its library
                self.app.add_papers(AddRequest([r.paper.arxiv_id], AddOptions(tags=[tag])))  # type: ignore[attr-defined]

        self.app.push_screen(TextPrompt(f"Tag {r.paper.arxiv_id}", "a tag, e.g. robots (adds the paper if needed)"),
                             tagged)

    @work(thread=True, group="discover-write", exit_on_error=False)
    def _tag_in_library(self, paper_id: str, tag: str) -> None:
        from readroom import library

        try:
            paper = library.tag(paper_id, [tag])
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)  # notify posts a message: thread-safe
            return
        self.notify(f"Tagged {paper.title}: {', '.join(paper.tags)}", markup=False)

    def action_dismiss_paper(self) -> None:
        r = self.selected()
        if r is None:
            return
        table = self.query_one("#discover-list", DataTable)
        index = self.papers.index(r)
        self.papers.remove(r)
        table.remove_row(r.paper.arxiv_id)
        if self.papers:
            table.move_cursor(row=min(index, len(self.papers) - 1), animate=False)
        self._show_detail()
        self.query_one("#discover-status", Label).update(self._status(None))
        self._dismiss_in_index(r.paper.arxiv_id, r.paper.title)

    @work(thread=True, group="discover-write", exit_on_error=False)
    def _dismiss_in_index(self, arxiv_id: str, title: str) -> None:

        from readroom.discover import index

        try:
            index.dismiss(arxiv_id, now=clock.now())
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)  # notify posts a message: thread-safe
            return
        self.notify(f"Dismissed {title} (it counts against similar papers).", markup=False)

    def modes(self) -> list[Mode]:
        return [Mode("foryou"), *(Mode("tag", tag=t) for t in self.tags), Mode("time"), Mode("random")]

    def action_cycle_mode(self) -> None:
        modes = self.modes()
        current = self.mode if self.mode in modes else Mode("random")
        self.mode = modes[(modes.index(current) + 1) % len(modes)]
        self._last_mode = self.mode
        self.rerank()

    def action_search(self) -> None:
        def searched(query: str | None) -> None:
            if query is None:
                return
            self.mode = Mode("search", query=query) if query else self._last_mode
            self.rerank()

        self.app.push_screen(TextPrompt("Search the index", "words in titles, abstracts, authors (empty: back)",
                                        self.mode.query or ""), searched)

    def action_back(self) -> None:
        if self.mode.name == "search":
            self.mode = self._last_mode
            self.rerank()
            return
        self.dismiss()

    # ----------------------------------------------------------------------------------------- library marks

    @work(thread=True, exclusive=True, group="discover-marks", exit_on_error=False)
    def _refresh_marks(self) -> None:
        from readroom.discover import signals

        try:
            in_library = signals.load().library_arxiv_ids
        except ReadroomError:
            return
        self.post_message(self.MarksRead(in_library))

    @on(MarksRead)
    def _marked(self, event: MarksRead) -> None:
        in_library = event.in_library
        table = self.query_one("#discover-list", DataTable)
        for r in self.papers:
            now_in = in_library.get(r.paper.arxiv_id)
            if now_in != r.library_id:
                r.library_id = now_in
                table.update_cell(r.paper.arxiv_id, "mark", Text("✓", style="green") if now_in else "")
        self._show_detail()

    # ----------------------------------------------------------------------------------------- sync

    def action_sync(self) -> None:
        line = self.query_one("#sync-line")
        if line.display:
            self.notify("A sync is already running.", markup=False)
            return
        line.display = True
        self.query_one("#sync-text", Label).update("Syncing: asking arXiv…")
        self.query_one("#sync-bar", ProgressBar).update(total=None, progress=0)
        self._sync()

    @work(thread=True, exclusive=True, group="discover-sync", exit_on_error=False)
    def _sync(self) -> None:

        from readroom.discover import service

        last = [0.0]

        def progress(event) -> None:
            if time.monotonic() - last[0] < 0.05:
                return
            last[0] = time.monotonic()
            back = f", back to {event.oldest:%Y-%m-%d}" if event.oldest else ""
            text = f"Syncing: {event.new:,} new papers, {event.requests} requests{back}"
            total = (event.oldest and (clock.now() - event.cutoff).total_seconds()) or None
            done = (clock.now() - event.oldest).total_seconds() if event.oldest else 0
            self.post_message(self.SyncProgress(text, min(done, total or 0), total))

        try:
            result = service.sync(now=clock.now(), progress=progress)
        except ReadroomError as exc:
            self.post_message(self.SyncDone(exc.message, True))
            return
        except Exception as exc:
            from readroom.tui.app import describe_unexpected

            self.post_message(self.SyncDone(describe_unexpected(exc), True))
            return
        message = f"Fetched {result.new:,} new papers; the index holds {result.index_size:,}."
        hint = service.all_older_hint(result, in_app=True)
        self.post_message(self.SyncDone(f"{message}\n{hint}" if hint else message, False))

    @on(SyncProgress)
    def _sync_progress(self, event: SyncProgress) -> None:
        self.query_one("#sync-text", Label).update(plain(event.text))
        self.query_one("#sync-bar", ProgressBar).update(total=event.total, progress=event.done)

    @on(SyncDone)
    def _sync_done(self, event: SyncDone) -> None:
        self.query_one("#sync-line").display = False
        self.notify(event.text, severity="error" if event.failed else "information", markup=False)
        self.rerank()
