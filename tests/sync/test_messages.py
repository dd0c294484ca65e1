"""The sync's one-line outcomes read right in the singular and the plural."""

from __future__ import annotations

from readroom.sync.import_package import ImportReport
from readroom.sync.service import SyncReport


def test_one_of_each_is_said_in_the_singular():
    report = SyncReport(pushed_notes=1, pushed_cards=1, pushed_reviews=1, pulled_reviews=1, pulled_edits=1,
                        edited_both=1, pushed_buries=1, pulled_suspensions=1, pulled_deletions=1)
    assert report.message() == (
        "Synced: sent 1 note, 1 card, 1 review and 1 bury; fetched 1 review, 1 note edit, 1 suspension and "
        "1 deletion made elsewhere. 1 note edited on both sides kept the newer edit.")


def test_several_are_said_in_the_plural_and_none_not_at_all():
    assert SyncReport(pushed_notes=2, pushed_cards=3, pushed_buries=2).message() == (
        "Synced: sent 2 notes, 3 cards and 2 buries.")
    assert SyncReport(pulled_reviews=5, pulled_deletions=2).message() == (
        "Synced: fetched 5 reviews and 2 deletions made elsewhere.")
    assert SyncReport(full="download").message() == (
        "Synced: the whole collection went one way. (The server's collection was downloaded; readroom's decks "
        "merged in.)")


def test_import_anki_counts_read_right():
    assert ImportReport(1, 1, 1).message() == (
        "Found 1 of readroom's notes; brought in 1 new review. 1 card answered in readroom too was rescheduled "
        "from both sides' answers in time order.")
    assert ImportReport(2, 0, 0).message() == "Found 2 of readroom's notes; brought in no new reviews."
    assert ImportReport(3, 4, 2).message().startswith("Found 3 of readroom's notes; brought in 4 new reviews. 2 "
                                                       "cards answered in readroom too were rescheduled")
