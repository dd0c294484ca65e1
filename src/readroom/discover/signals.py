"""What the library says about the user's taste: tagged and added papers (positives), how far each was
read and whether it was carded (stronger positives), dropped and dismissed papers (negatives)."""

from __future__ import annotations

from dataclasses import dataclass, field

from readroom.discover import index

DEMO_TAG = "demo"  # the bundled demo paper says nothing about the user
STRONG = 2.0  # weight of a paper read to pass 2+, finished, or made into cards
NEGATIVE = 2.0  # weight of a dropped or dismissed paper


@dataclass
class LibraryPaper:
    id: str
    arxiv_id: str | None
    text: str  # title, abstract, authors: what it is vectorised from when the index lacks it
    tags: list[str] = field(default_factory=list)
    pass_no: int = 1
    decision: str = "reading"
    carded: bool = False

    @property
    def weight(self) -> float:
        return STRONG if self.pass_no >= 2 or self.decision == "done" or self.carded else 1.0


@dataclass
class Signals:
    papers: list[LibraryPaper]
    dismissed: set[str]

    @property
    def library_arxiv_ids(self) -> dict[str, str]:
        """arXiv id -> library paper id."""
        return {p.arxiv_id: p.id for p in self.papers if p.arxiv_id}

    def positives(self, tag: str | None) -> list[LibraryPaper]:
        """Papers with `tag`, or every paper the user kept (not the demo) when no tag is given; never dropped ones."""
        keep = [p for p in self.papers if p.decision != "dropped"]
        if tag is not None:
            return [p for p in keep if tag in p.tags]
        return [p for p in keep if DEMO_TAG not in p.tags]

    def dropped(self) -> list[LibraryPaper]:
        return [p for p in self.papers if p.decision == "dropped"]

    def tags(self) -> list[str]:
        return sorted({t for p in self.papers for t in p.tags if t != DEMO_TAG})


def load() -> Signals:
    from readroom.storage.discover import library_taste

    rows, tags, readings, carded = library_taste()
    papers = {pid: LibraryPaper(pid, arxiv_id, index.document(title, authors, abstract))
              for pid, arxiv_id, title, authors, abstract in rows}
    for pid, tag in tags:
        if pid in papers:
            papers[pid].tags.append(tag)
    for pid, pass_no, decision in readings:
        if pid in papers:
            papers[pid].pass_no, papers[pid].decision = pass_no, decision
    for pid in carded:
        if pid in papers:
            papers[pid].carded = True
    return Signals(list(papers.values()), index.dismissed())
