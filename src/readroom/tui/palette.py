"""The command palette's papers: type part of a title, press Enter, and the paper opens in the reader."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
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
            yield DiscoveryHit(Content(f"Open: {printable(title)}"), partial(self._open, paper_id),
                               help="Open this paper in the reader")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for paper_id, title in self.titles.items():
            text = f"Open: {printable(title)}"
            if (score := matcher.match(text)) > 0:
                # highlight() parses its candidate as markup: a title with brackets is shown plain, unhighlighted
                shown = Content(text) if "[" in text else matcher.highlight(text)
                yield Hit(score, shown, partial(self._open, paper_id), text=text, help="Open this paper in the reader")
