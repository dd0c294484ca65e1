"""The lower part of the side panel: figures, links, highlights, references, then the decision.

Below the fold at first, so LowerPanel is filled after the first frame (a long reference list alone costs
~0.1 s of layout). Each list turns a chosen row into what it stands for: a link opens here; a figure, a
highlight or a reference is posted to the screen, which knows the text and the services.
"""

from __future__ import annotations

from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from readroom.records.papers import PaperDetail
from readroom.tui.plain import plain
from readroom.tui.reader.decision import Decision
from readroom.tui.reader.document import reference_line
from readroom.tui.reader.figures import image_path
from readroom.tui.widgets.figure_image import FigureImage


class FiguresList(OptionList):
    """Each figure's caption ("no image" when none was found); the highlighted one is drawn under the list
    (FigurePreview), enter opens it large."""

    class FigureOpened(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, detail: PaperDetail) -> None:
        super().__init__(*[Option(plain(f"{fig.caption}  (p. {fig.page}{')' if fig.image else ', no image)'}"),
                                  id=f"fig-{i}")
                           for i, fig in enumerate(detail.figures)], id="reader-figures")
        self.figures = detail.figures

    def current(self) -> int | None:
        """The index of the figure the cursor is on, if any."""
        index = self.highlighted
        return index if index is not None and index < len(self.figures) else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.FigureOpened(event.option_index))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        figure = self.figures[event.option_index]
        self.screen.query_one("#reader-figure-image", FigureImage).show(image_path(figure))


class LinksList(OptionList):
    def __init__(self, links: list[str]) -> None:
        super().__init__(*[Option(plain(url), id=f"link-{i}") for i, url in enumerate(links)], id="reader-links")
        self.links = links

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        url = self.links[event.option_index]
        self.app.open_url(url if "://" in url else "https://" + url)
        self.notify(f"Opening {url}", markup=False)


class ReferencesList(OptionList):
    class ReferenceChosen(Message):
        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(self, detail: PaperDetail, marks: list[bool]) -> None:
        super().__init__(*[Option(plain(f"{'✓' if mark else '·'} {reference_line(n, ref.raw)}"), id=f"ref-{n - 1}")
                           for n, (ref, mark) in enumerate(zip(detail.references, marks, strict=False), start=1)],
                         id="reader-references")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.ReferenceChosen(event.option_index))


class HighlightsList(OptionList):
    class HighlightChosen(Message):
        def __init__(self, highlight) -> None:
            super().__init__()
            self.highlight = highlight

    def __init__(self, highlights: list) -> None:
        super().__init__(*_highlight_options(highlights), id="reader-highlights")
        self.highlights = highlights

    def show(self, highlights: list) -> None:
        self.highlights = highlights
        self.set_options(_highlight_options(highlights))

    def current(self):
        """The highlight the cursor is on, if any."""
        index = self.highlighted
        return self.highlights[index] if index is not None and index < len(self.highlights) else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.HighlightChosen(self.highlights[event.option_index]))


def _highlight_options(highlights) -> list[Option]:
    return [Option(plain(f"{h.kind or '·'} p.{h.page or '?'} {' '.join(h.text.split())}"
                         + (f" — {h.note}" if h.note else "")), id=f"hl-{h.id}") for h in highlights]


def highlights_title(highlights) -> str:
    return f"Highlights ({len(highlights)}) · enter: go to · c: card"


class LowerPanel(Vertical):
    """Empty in the first frame; `fill` builds it."""

    def __init__(self) -> None:
        super().__init__(id="reader-later")
        self.filled = False

    async def fill(self, detail: PaperDetail, pass_no: int, links: list[str], highlights: list, marks: list[bool],
                   decision: Decision) -> None:
        widgets = []
        if pass_no >= 2:
            widgets += [Label(f"Figures and tables ({len(detail.figures)}) · enter: view · c: card", classes="panel-title"),
                        FiguresList(detail),
                        FigureImage(image_path(detail.figures[0]) if detail.figures else None,
                                    empty="No image for this figure." if detail.figures else "No figures found.",
                                    id="reader-figure-image"),
                        Label(f"Links in the text ({len(links)})", classes="panel-title"),
                        LinksList(links) if links else Static("No links found.", classes="muted")]
        widgets += [Label(highlights_title(highlights), classes="panel-title", id="highlights-title"),
                    HighlightsList(highlights),
                    Label(f"References ({len(detail.references)}) · ✓ in library · enter: to read",
                          classes="panel-title"),
                    ReferencesList(detail, marks),
                    decision]
        await self.mount_all(widgets)
        self.filled = True

    def show_highlights(self, highlights: list) -> None:
        """A highlight was added; nothing to do before the panel is filled (it reads them then)."""
        if self.filled:
            self.query_one("#highlights-title", Label).update(highlights_title(highlights))
            self.query_one(HighlightsList).show(highlights)
