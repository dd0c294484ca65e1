"""`readroom remove` says what becomes of the paper's cards (kept, or deleted with --with-cards), and the demo paper
comes only on a first start: a library emptied by its user stays empty. Real `readroom` processes on a real
library."""

from __future__ import annotations

import os
import subprocess
import sys

from export.kit import NOW, store_paper
from readroom import library, paths
from readroom.cards import service


def readroom(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True,
                          env=dict(os.environ), stdin=subprocess.DEVNULL, timeout=120)


def paper_with_cards() -> str:
    paper_id = store_paper("Deep Residual Learning for Image Recognition", ["Kaiming He"], 2015,
                           arxiv_id="1512.03385")
    service.add_note("qa", "What do residual layers learn?", "F(x) = H(x) - x", now=NOW, paper_id=paper_id)
    [card] = service.add_note("cloze", "Outputs {{c1::F(x) + x}}", now=NOW, paper_id=paper_id)[:1]
    service.answer(card.id, 3, NOW)
    return paper_id


def test_remove_yes_keeps_the_cards_and_says_so():
    paper_with_cards()
    done = readroom("remove", "1512.03385", "--yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "Removed Deep Residual Learning for Image Recognition; kept its 2 cards (1 review), still reviewed and "
        "exported (`readroom remove --with-cards` deletes a paper's cards with it)")
    assert library.list_papers() == []
    kept = service.list_cards()
    assert len(kept) == 2 and {c.paper_id for c in kept} == {None}


def test_remove_with_cards_deletes_them_too():
    paper_with_cards()
    done = readroom("remove", "1512.03385", "--yes", "--with-cards")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Removed Deep Residual Learning for Image Recognition and its 2 cards (1 review)"
    assert service.list_cards() == [] and service.review_history() == []


def test_remove_of_a_paper_without_cards_says_nothing_of_them():
    store_paper("Attention Is All You Need", ["Ashish Vaswani"], 2017, arxiv_id="1706.03762")
    done = readroom("remove", "1706.03762", "-y")
    assert (done.returncode, done.stdout.strip()) == (0, "Removed Attention Is All You Need")


def test_the_demo_comes_once_and_an_emptied_library_stays_empty():
    first = readroom()  # piped: the library as text, the demo added to the new library
    assert first.returncode == 0, first.stderr
    [demo] = library.list_papers()
    assert demo.tags == [library.DEMO_TAG]
    assert readroom("remove", demo.id, "--yes").returncode == 0
    again = readroom()
    assert again.returncode == 0, again.stderr
    assert library.list_papers() == []
    assert (paths.home() / library.DEMO_OFFERED).is_file()


def test_a_library_from_before_the_marker_with_only_cards_left_gets_no_demo():
    service.add_note("qa", "A card whose paper was removed", "answer", now=NOW)
    assert not (paths.home() / library.DEMO_OFFERED).exists()
    assert readroom().returncode == 0
    assert library.list_papers() == []
    assert library.ensure_demo() is None


def test_a_brand_new_library_still_gets_the_demo():
    outcome = library.ensure_demo()
    assert outcome is not None and outcome.status == "added"
    assert library.ensure_demo() is None  # the library now holds it: nothing added twice
