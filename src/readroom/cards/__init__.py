"""Highlights -> cards -> the study day.

scheduler.py  FSRS with Anki's defaults and the 4 a.m. study day; the only importer of `fsrs`
service.py    the one service the CLI and the TUI call: highlights, notes, cards, the day's queue, answer, undo
stats.py      the review report and its text charts
per_paper.py  each paper's due cards, for the library table

Their queries are in readroom.storage.cards and readroom.storage.stats; the records they hand out in
readroom.records.cards; Anki's cloze syntax in readroom.cloze.

Nothing is imported here, so importing one module of the package stays light.
"""
