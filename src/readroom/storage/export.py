"""Export's queries: notes with their cards and papers (two queries, fast at 10,000 cards), papers for BibTeX,
the review log for Anki. Stdlib sqlite3 (fast.read_db); values come back decoded, named as export/selection.py's
records, which are made of them there.
"""

from __future__ import annotations

import json

from readroom.storage.cards import stored_memory
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
        cursor = conn.cursor()
        cursor.row_factory = None  # plain tuples, unpacked by position: a tenth of sqlite3.Row's cost by name
        rows = cursor.execute(
            "SELECT n.id, n.uuid, n.kind, n.front, n.back, n.section, n.page, n.tags, n.updated_at, n.paper_id,"
            " n.image, n.areas, h.pass_no"
            f" FROM note n LEFT JOIN highlight h ON h.id = n.highlight_id {where} ORDER BY n.id", params).fetchall()
        for nid, uuid, kind, front, back, section, page, tags, updated_at, paper_id, image, areas, pass_no in rows:
            if paper_id and paper_id not in papers:
                prow = conn.execute(f"SELECT {_PAPER_COLUMNS} FROM paper WHERE id = ?", (paper_id,)).fetchone()
                papers[paper_id] = _paper(prow)
            notes.append(dict(
                id=nid, uuid=uuid, kind=kind, front=front, back=back, section=section, page=page,
                tags=_json_list(tags), pass_no=pass_no, updated_at=parse_utc(updated_at), paper_id=paper_id,
                image=image, areas=[tuple(area) for area in _json_list(areas)]))
        if not notes:
            return [], {}, []
        cards = [dict(id=cid, uuid=uuid, note_id=note_id, ord=ord_,
                      memory=stored_memory(state, step, stability, difficulty, due, last_review),
                      reps=reps, lapses=lapses, suspended=bool(suspended), buried_until=parse_utc(buried_until),
                      flag=flag)
                 for (cid, uuid, note_id, ord_, state, step, stability, difficulty, due, last_review, reps, lapses,
                      suspended, buried_until, flag) in cursor.execute(
                     "SELECT id, uuid, note_id, ord, state, step, stability, difficulty, due, last_review, reps,"
                     f" lapses, suspended, buried_until, flag FROM card c WHERE note_id IN (SELECT n.id FROM note n {where})"
                     " ORDER BY note_id, ord", params)]
    return notes, papers, cards


def _json_list(text: str | None) -> list:
    """A JSON list column; most notes have no tags or areas, whose "[]" needs no parse."""
    return json.loads(text) if text and text != "[]" else []


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


# Each answer's Anki review-log columns, by readroom card id: the time in ms since the epoch (julianday reads the
# stored ISO text, offset and all; ties broken by the row id), Anki's interval (days when a day or more, else
# negative seconds), Anki's kind (learn 0, review 1, relearn 2, from readroom's state before: new 0, learning 1,
# review 2, relearning 3), the answer time capped at a minute as Anki caps it. Ordered by the computed time: one
# sort, which beats both the ordered read through the reviewed_at index (a table look-up per row) and a sort in
# Python; review_log makes the rest of Anki's columns in one pass. (Made in SQLite alone, with window functions
# for the unique ids and previous intervals, the rows took twice as long.)
_REVLOG = """
SELECT CAST(round((julianday(reviewed_at) - 2440587.5) * 86400000) AS INTEGER) AS stamp, card_id, rating,
       CASE WHEN interval_days >= 1 THEN CAST(round(interval_days) AS INTEGER)
            ELSE -max(1, CAST(round(interval_days * 86400) AS INTEGER)) END,
       CASE state_before WHEN 2 THEN 1 WHEN 3 THEN 2 ELSE 0 END, min(coalesce(elapsed_ms, 0), 60000)
FROM review_log WHERE +card_id IN (SELECT value FROM json_each(?)) ORDER BY stamp, id"""
# The cards as one JSON parameter (no limit on their number); +card_id: a scan testing each row beats 10,000
# look-ups in the card_id index.


def review_log(anki_ids: dict[int, int]) -> list[tuple[int, int, int, int, int, int, int, int]]:
    """(id, cid, ease, ivl, lastIvl, factor, time, type): Anki's review-log row of every answer to these cards
    (readroom card id -> the Anki card id the rows carry), oldest first, in one ordered pass: the id is the answer
    time made unique (one past the previous row's when it is not after it), lastIvl the card's previous interval,
    factor Anki's starting ease on review kinds."""
    if not anki_ids:
        return []
    with read_db() as conn:
        if conn is None:
            return []
        cursor = conn.cursor()
        cursor.row_factory = None  # plain tuples, cheaper to make than sqlite3.Row
        answers = cursor.execute(_REVLOG, (json.dumps(list(anki_ids)),))
        rows: list[tuple[int, int, int, int, int, int, int, int]] = []
        add, anki_id = rows.append, anki_ids.__getitem__  # bound once: the loop runs once per answer
        last_ivl: dict[int, int] = {}
        previous = last_ivl.get
        top = -1 << 62
        for stamp, card_id, ease, ivl, kind, spent in answers:
            top = stamp if stamp > top else top + 1
            add((top, anki_id(card_id), ease, ivl, previous(card_id, 0), 2500 if kind else 0, spent, kind))
            last_ivl[card_id] = ivl
    return rows
