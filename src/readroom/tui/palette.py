"""The command palette's papers: type part of a title, press Enter, and the paper opens in the reader.

They come after the actions (what one can do, then what one can open): the
palette sorts by score, so a paper's is made negative, below every action's (0 with nothing typed, above 0 for
a match), keeping the better matches among papers first."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content

from readroom.errors import ReadroomError
from readroom.terminal import printable


class PaperCommands(Provider):
    async def startup(self) -> None:
        # The library screen keeps id -> title; read it again in a thread only if nothing is loaded yet.
        self.titles: dict[str, str] = dict(getattr(self.app, "papers_by_id", {}) or {})
        if not self.titles:
            from readroom import library

            try:
                papers = await asyncio.to_thread(library.list_papers)
            except ReadroomError:
                papers = []
            self.titles = {p.id: p.title for p in papers}

    def _open(self, paper_id: str) -> None:
        self.app.open_paper(paper_id)  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for paper_id, title in list(self.titles.items())[:20]:
            text = f"Open: {printable(title)}"
            yield Hit(-1.0, Content(text), partial(self._open, paper_id), text=text, help="Open this paper in the reader")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for paper_id, title in self.titles.items():
            text = f"Open: {printable(title)}"
            if (score := matcher.match(text)) > 0:
                # highlight() parses its candidate as markup: a title with brackets is shown plain, unhighlighted
                shown = Content(text) if "[" in text else matcher.highlight(text)
                yield Hit(-1.0 / (1.0 + score), shown, partial(self._open, paper_id), text=text,
                          help="Open this paper in the reader")
