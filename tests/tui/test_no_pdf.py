"""A paper stored without its PDF, in the app: the library's Status column says "no PDF", and `o` in the reader
names the command that fetches it."""

from __future__ import annotations

from textual.widgets import DataTable

from readroom import library
from readroom.tui.app import ReadroomApp
from tui.test_library_screen import SIZE, loaded
from tui.test_reader import Host, notifications, opened


def store_without_pdf() -> str:
    """A paper as `readroom add ID` stores it when its PDF cannot be fetched: metadata only."""
    fields = dict(source="arxiv", arxiv_id="1605.08386", arxiv_version=1, classic_key=None,
                  title="Heat-bath random walks with Markov bases", authors=["Caprice Stanley", "Tobias Windisch"],
                  year=2016, abstract="", primary_category="math.CO", categories=["math.CO"], doi=None, url=None)
    paper_id = library._store(fields, None, None, "404 Not Found", [])
    assert library.show(paper_id).parse_status == library.NO_PDF
    return paper_id


async def test_the_library_marks_a_paper_without_its_pdf():
    store_without_pdf()
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        table = screen.query_one("#papers", DataTable)
        status = [str(c) for c in table.get_row_at(0)][list(table.columns).index("status")]
        assert status == "no PDF"


async def test_o_on_a_paper_without_its_pdf_names_the_fix():
    app = Host(store_without_pdf())
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert ("No PDF stored for this paper: fetch it with `readroom add --pdf ID`.", "error") in notifications(app)
