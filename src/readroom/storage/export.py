"""Export's queries: notes with their cards and papers (two queries, fast at 10,000 cards), papers for BibTeX,
the review log for Anki. Stdlib sqlite3 (fast.read_db); values come back decoded, named as export/selection.py's
records, which are made of them there.
"""

from __future__ import annotations

import json
from pathlib import Path

from readroom.storage.cards import card_memory
from readroom.storage.fast import read_db
from readroom.storage.sql import NOTE_HAS_TAG
from readroom.storage.types_light import parse_utc

_PAPER_COLUMNS = ("id, title, authors, year, arxiv_id, arxiv_version, classic_key, primary_category, doi, url,"
                  " journal_ref, published")


def _paper(row) -> dict:
    return dict(
        id=row["id"], title=row["title"], authors=json.loads(row["authors"] or "[]"), year=row["year"],
        arxiv_id=row["arxiv_id"], arxiv_version=row["arxiv_version"], classic_key=row["classic_key"],
        primary_category=row["primary_category"], doi=row["doi"], url=row["url"], journal_ref=row["journal_ref"],
        published=parse_utc(row["published"]),
    )


def notes_with_cards(*, paper_id: str | None = None,
                     tag: str | None = None) -> tuple[list[dict], dict[str, dict], list[dict]]:
    """(notes, their papers by id, their cards) of one paper's notes, of the notes carrying `tag` or whose paper
    carries it, or of every note; notes in creation order, cards by note and ord."""
    where, params = "", []
    if paper_id:
        where, params = "WHERE n.paper_id = ?", [paper_id]
    elif tag is not None:
        where = (f"WHERE {NOTE_HAS_TAG}"
                 " OR EXISTS (SELECT 1 FROM paper_tag t WHERE t.paper_id = n.paper_id AND t.tag = ?)")
        params = [tag, tag]
    with read_db() as conn:
        if conn is None:
            return [], {}, []
        notes: list[dict] = []
        papers: dict[str, dict] = {}
        rows = conn.execute(
            "SELECT n.id, n.uuid, n.kind, n.front, n.back, n.section, n.page, n.tags, n.updated_at, n.paper_id,"
            " n.image, n.areas, h.pass_no"
            f" FROM note n LEFT JOIN highlight h ON h.id = n.highlight_id {where} ORDER BY n.id", params)
        for r in rows:
            if r["paper_id"] and r["paper_id"] not in papers:
                prow = conn.execute(f"SELECT {_PAPER_COLUMNS} FROM paper WHERE id = ?", (r["paper_id"],)).fetchone()
                papers[r["paper_id"]] = _paper(prow)
            notes.append(dict(
                id=r["id"], uuid=r["uuid"], kind=r["kind"], front=r["front"], back=r["back"], section=r["section"],
                page=r["page"], tags=json.loads(r["tags"] or "[]"), pass_no=r["pass_no"],
                updated_at=parse_utc(r["updated_at"]), paper_id=r["paper_id"], image=r["image"],
                areas=[tuple(area) for area in json.loads(r["areas"] or "[]")]))
        if not notes:
            return [], {}, []
        cards = [dict(id=r["id"], uuid=r["uuid"], note_id=r["note_id"], ord=r["ord"], memory=card_memory(r),
                      reps=r["reps"], lapses=r["lapses"], suspended=bool(r["suspended"]),
                      buried_until=parse_utc(r["buried_until"]), flag=r["flag"])
                 for r in conn.execute(
                     "SELECT id, uuid, note_id, ord, state, step, stability, difficulty, due, last_review, reps,"
                     f" lapses, suspended, buried_until, flag FROM card c WHERE note_id IN (SELECT n.id FROM note n {where})"
                     " ORDER BY note_id, ord", params)]
    return notes, papers, cards


def papers(*, paper_id: str | None = None, tag: str | None = None) -> list[dict]:
    """One paper, those with a paper tag, or the whole library, oldest added first."""
    where, params = "", []
    if paper_id:
        where, params = "WHERE id = ?", [paper_id]
    elif tag is not None:
        where, params = "WHERE id IN (SELECT paper_id FROM paper_tag WHERE tag = ?)", [tag]
    with read_db() as conn:
        if conn is None:
            return []
        # rowid: insertion order, which breaks ties between papers added within one second
        sql = f"SELECT {_PAPER_COLUMNS} FROM paper {where} ORDER BY added_at, rowid"
        return [_paper(r) for r in conn.execute(sql, params)]


# Each answer as a row of Anki's review log, by readroom card id, oldest first: the time in ms since the epoch
# (julianday reads the stored ISO text, offset and all), made unique by taking one past the previous row's when it
# is not after it; Anki's interval (days when a day or more, else negative seconds) and the one before it on the
# card; Anki's kind (learn 0, review 1, relearn 2, from readroom's state before: new 0, learning 1, review 2,
# relearning 3), its starting ease on review kinds, the answer time capped at a minute as Anki caps it.
_REVLOG = """
WITH logged AS (
  SELECT id, card_id, reviewed_at, rating, min(coalesce(elapsed_ms, 0), 60000) AS time,
         CAST(round((julianday(reviewed_at) - 2440587.5) * 86400000) AS INTEGER) AS stamp,
         CASE WHEN interval_days >= 1 THEN CAST(round(interval_days) AS INTEGER)
              ELSE -max(1, CAST(round(interval_days * 86400) AS INTEGER)) END AS ivl,
         CASE state_before WHEN 2 THEN 1 WHEN 3 THEN 2 ELSE 0 END AS kind
  FROM review_log {where}),
numbered AS (
  SELECT *, row_number() OVER (ORDER BY reviewed_at, id) AS k,
         lag(ivl, 1, 0) OVER (PARTITION BY card_id ORDER BY reviewed_at, id) AS last_ivl
  FROM logged)
SELECT k + max(stamp - k) OVER (ORDER BY k ROWS UNBOUNDED PRECEDING) AS id, card_id, rating AS ease, ivl, last_ivl,
       CASE WHEN kind THEN 2500 ELSE 0 END AS factor, time, kind AS type
FROM numbered ORDER BY k"""


# The cards as one JSON parameter (no limit on their number); +card_id: a scan testing each row beats 10,000
# look-ups in the card_id index.
_OF_CARDS = "WHERE +card_id IN (SELECT value FROM json_each(?))"


def review_log(card_ids: list[int]) -> list[tuple[int, int, int, int, int, int, int, int]]:
    """(id, card id, ease, ivl, lastIvl, factor, time, type): Anki's review-log row of every answer to these cards,
    oldest first (see _REVLOG)."""
    if not card_ids:
        return []
    with read_db() as conn:
        if conn is None:
            return []
        return conn.execute(_REVLOG.format(where=_OF_CARDS), (json.dumps(card_ids),)).fetchall()


def stage_review_log(staged: Path, card_ids: list[int]) -> None:
    """review_log's rows of these cards into table `revlog` of a new database file: one statement, which SQLite
    runs without holding Python's lock, so an export builds its notes beside it."""
    with read_db() as conn:
        assert conn is not None  # the export selected notes from it
        conn.execute("ATTACH ? AS stage", (str(staged),))
        conn.execute("PRAGMA stage.journal_mode = OFF")
        conn.execute("PRAGMA stage.synchronous = OFF")
        conn.execute(f"CREATE TABLE stage.revlog AS {_REVLOG.format(where=_OF_CARDS)}", (json.dumps(card_ids),))
