"""Keeping the library safe: `doctor` (is the database sound, its schema current, every PDF where a paper says,
every card's state the one its review log leads to?), with the repairs that are safe; backups on request; and
restoring one. The service the CLI calls; the SQL lives in storage/maintenance.py and storage/backups.py.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from readroom import paths
from readroom.errors import BadInput, LibraryDamaged, StorageError
from readroom.records.cards import CardState

TEMP_SUFFIX = ".part"  # what downloads, copies and backups write to before the rename


@dataclass
class Check:
    """One line of the doctor's report: a check, how many problems it found, and what each is."""

    name: str
    problems: int = 0
    summary: str = "OK"
    details: list[str] = field(default_factory=list)
    fixable: int = 0  # how many of the problems `--fix` can repair

    @property
    def ok(self) -> bool:
        return self.problems == 0


@dataclass
class Report:
    checks: list[Check]
    fixed: list[str] = field(default_factory=list)  # what --fix did, one line each
    backup: Path | None = None  # the copy --fix made before changing anything

    @property
    def healthy(self) -> bool:
        return all(c.ok for c in self.checks)

    def conclusion(self, fixing: bool) -> str:
        problems, fixable = sum(c.problems for c in self.checks), sum(c.fixable for c in self.checks)
        if not problems:
            return "Your library is healthy."
        if fixable and not fixing:
            return f"{_count(problems, 'problem')}; `readroom doctor --fix` can repair {fixable} (after a backup)."
        return f"{_count(problems, 'problem')} left that doctor cannot repair by itself; see the lines above."

    def to_json(self) -> dict:
        return {"healthy": self.healthy, "database": str(paths.database_path()),
                "checks": [{**asdict(c), "ok": c.ok} for c in self.checks], "fixed": self.fixed,
                "backup": str(self.backup) if self.backup else None}


# --------------------------------------------------------------------------------------------- doctor


def doctor(fix: bool = False) -> Report:
    """Every check, read-only; with `fix`, then the safe repairs (after a backup) and every check again."""
    report = Report(_checks())
    if fix and not report.healthy:
        report.backup, report.fixed = _repair(report)
        report.checks = _checks()
    return report


def _checks() -> list[Check]:
    from readroom.storage import maintenance as store

    db = paths.database_path()
    if not db.is_file():
        return [Check("database", summary=f"OK (none yet at {db}: the first `readroom add` makes it)"),
                _check_temp_files()]
    try:
        with store.inspect(db) as conn:
            checks = [_integrity(store.integrity(conn)), _schema(conn)]
    except LibraryDamaged as exc:
        why = str(exc.__cause__ or exc)
        return [Check("integrity", 1, f"1 problem: the database file is damaged ({why}); {_restore_hint()}", [why]),
                Check("schema", summary="not checked: the database cannot be read"), _check_temp_files()]
    checks.append(_guarded(db, "files", lambda conn: _files(store.paper_files(conn))))
    checks.append(_guarded(db, "cards", lambda conn: _cards(list(store.card_histories(conn)))))
    checks.append(_check_temp_files())
    return checks


def _guarded(db: Path, name: str, check) -> Check:
    """A check on its own connection: one that reads damaged tables is one problem, not the doctor's crash."""
    from readroom.storage import maintenance as store

    try:
        with store.inspect(db) as conn:
            return check(conn)
    except StorageError as exc:
        return Check(name, 1, f"1 problem: could not be read ({exc.__cause__ or exc})", [exc.message])


def _integrity(problems: list[str]) -> Check:
    if not problems:
        return Check("integrity")
    return Check("integrity", len(problems), f"{_count(len(problems), 'problem')} in the database file; "
                 f"{_restore_hint()}", problems)


def _restore_hint() -> str:
    from readroom.storage.backups import newest

    latest = newest()
    if latest is None:
        return f"there is no backup in {paths.backups_dir()} to restore"
    return f"the newest backup is {latest}: `readroom restore {latest}`"


def _schema(conn) -> Check:
    from readroom.storage import maintenance as store
    from readroom.storage.schema import HEAD_REVISION

    revision = store.revision(conn)
    if revision == HEAD_REVISION:
        return Check("schema", summary=f"OK ({revision}, the newest)")
    if revision in store.known_revisions():
        return Check("schema", 1, f"1 problem: at {revision}, behind the newest {HEAD_REVISION} (upgraded, after a "
                                  "backup, by the next change or by --fix)", fixable=1)
    if revision is None:
        return Check("schema", 1, "1 problem: the database has no schema version (alembic_version)")
    return Check("schema", 1, f"1 problem: schema {revision} is unknown to this readroom (written by a newer one?)")


@dataclass
class _FileFindings:
    orphans: list[Path]
    missing: list = field(default_factory=list)  # storage.maintenance.PaperFile
    relinks: dict[str, Path] = field(default_factory=dict)  # paper id -> the orphan holding its PDF


def _scan_files(papers) -> _FileFindings:
    folder = paths.papers_dir()
    referenced = set()
    for paper in papers:
        referenced |= {paper.pdf_path, str(Path(paper.pdf_path).with_suffix(".html"))}
    on_disk = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    findings = _FileFindings([p for p in on_disk if p.name not in referenced and not _is_temp(p)])
    findings.missing = [p for p in papers if not (folder / p.pdf_path).is_file()]
    if findings.missing:
        by_digest = {_sha256(p): p for p in findings.orphans if p.suffix.lower() == ".pdf"}
        for paper in findings.missing:
            if paper.pdf_sha256 in by_digest:
                findings.relinks[paper.paper_id] = by_digest.pop(paper.pdf_sha256)
    return findings


def _files(papers) -> Check:
    found = _scan_files(papers)
    folder = paths.papers_dir()
    details = [f"missing: {folder / p.pdf_path} of {p.paper_id[:8]} “{p.title[:60]}”"
               + (f" (found as {found.relinks[p.paper_id].name})" if p.paper_id in found.relinks else "")
               for p in found.missing]
    orphans = [p for p in found.orphans if p not in found.relinks.values()]  # counted once, as found
    details += [f"orphan: {p} (no paper points at it: `readroom add` it, or delete it)" for p in orphans]
    problems = len(found.missing) + len(orphans)
    if not problems:
        return Check("files", summary=f"OK ({_count(len(papers), 'PDF')}, each where its paper says; no orphans)")
    parts = [_count(len(found.missing), "missing PDF")] if found.missing else []
    parts += [_count(len(orphans), "orphan file")] if orphans else []
    return Check("files", problems, f"{_count(problems, 'problem')}: {', '.join(parts)}", details,
                 fixable=len(found.relinks))


def _check_temp_files() -> Check:
    leftovers = _temp_files()
    if not leftovers:
        return Check("temp files")
    return Check("temp files", len(leftovers),
                 f"{_count(len(leftovers), 'problem')}: {_count(len(leftovers), 'unfinished temporary file')}",
                 [str(p) for p in leftovers], fixable=len(leftovers))


def _temp_files() -> list[Path]:
    """What a killed download, copy or backup left behind (hidden `.part` files)."""
    found: list[Path] = []
    for folder in (paths.papers_dir(), paths.backups_dir(), paths.database_path().parent):
        if folder.is_dir():
            found += [p for p in folder.iterdir() if p.is_file() and _is_temp(p) and p not in found]
    return sorted(found)


def _is_temp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _cards(histories) -> Check:
    wrong = [h for h in histories if _disagreement(h)]
    if not wrong:
        if not histories:
            return Check("cards", summary="OK (no card answered yet)")
        return Check("cards", summary=f"OK ({_count(len(histories), 'answered card')}, each as its review log leads)")
    details = [f"card {h.card_id} ({h.uuid[:8]}): {_disagreement(h)}" for h in wrong]
    return Check("cards", len(wrong), f"{_count(len(wrong), 'problem')}: "
                 f"{_count(len(wrong), 'card')} whose state is not where the review log leads", details,
                 fixable=len(wrong))


def _disagreement(history) -> str | None:
    """How the card's stored state departs from its review log, or None. The log is checked against itself (each
    answer starts where the one before ended) and the card against the log's last answer: exact facts, unlike a
    replay under today's settings, which an `optimize` or a changed retention would set apart."""
    answers = history.answers
    if len(answers) != history.reps:
        return f"{_count(history.reps, 'answer')} counted, {len(answers)} in the review log"
    for earlier, later in zip(answers, answers[1:], strict=False):
        if not _same(earlier.after, later.before) or later.before.last_review != earlier.reviewed_at:
            return f"answer {later.id} starts from a state the answer before it did not leave"
    last = answers[-1]
    if not _same(history.memory, last.after) or history.memory.last_review != last.reviewed_at:
        return "its state is not the one its last answer left"
    return None


def _same(a: CardState, b: CardState) -> bool:
    return (a.state == b.state and a.due == b.due and _close(a.stability, b.stability)
            and _close(a.difficulty, b.difficulty))


def _close(a: float | None, b: float | None) -> bool:
    return a == b or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))


# --------------------------------------------------------------------------------------------- repairs


def _repair(report: Report) -> tuple[Path | None, list[str]]:
    """The safe repairs, after a backup of the database when they change it. Removing temp files, moving PDFs
    back under their paper and rebuilding cards from their logs lose nothing; orphans and missing files without
    a copy are left for the user."""
    from readroom.storage import backups, fast
    from readroom.storage import maintenance as store

    fixed: list[str] = []
    by_name = {c.name: c for c in report.checks}
    for leftover in _temp_files():
        leftover.unlink(missing_ok=True)
        fixed.append(f"removed the unfinished temporary file {leftover}")
    db = paths.database_path()
    changes_db = any(by_name.get(n, Check(n)).fixable for n in ("files", "cards", "schema"))
    if not changes_db or not by_name["integrity"].ok:
        return None, fixed  # a damaged file is restored, not patched
    saved = backups.take(db, "before-doctor-fix")  # no repair without a backup
    fixed.append(f"backed up the database to {saved}")
    if by_name["schema"].fixable:
        from readroom.storage import db as storage_db

        storage_db.engine()  # migrates
        fixed.append("upgraded the schema to the newest")
    with fast.write_db() as conn:
        folder = paths.papers_dir()
        found = _scan_files(store.paper_files(conn))
        for paper in found.missing:
            if paper.paper_id in found.relinks:
                name = found.relinks[paper.paper_id].name
                store.relink(conn, paper.paper_id, name)
                fixed.append(f"pointed {paper.paper_id[:8]} “{paper.title[:60]}” at {folder / name}, its PDF")
        for history in store.card_histories(conn):
            if _disagreement(history):
                fixed.append(_rebuild(conn, history))
    return saved, fixed


def _rebuild(conn, history) -> str:
    from readroom.cards import service as cards
    from readroom.storage import maintenance as store

    steps, lapses = cards.replay(history.uuid, history.answers[0].before,
                                 [(a.rating, a.reviewed_at) for a in history.answers])
    store.rewrite_history(conn, history.card_id, steps[-1][1], len(steps), lapses,
                          [(a.id, before, after) for a, (before, after) in zip(history.answers, steps, strict=True)])
    return f"rebuilt card {history.card_id} ({history.uuid[:8]}) from its {_count(len(steps), 'answer')}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --------------------------------------------------------------------------------------------- backup, restore


def backup_now() -> Path:
    """A backup of the library now (counted in the rotation); StorageError if it is damaged."""
    from readroom.storage import backups

    db = paths.database_path()
    if not db.is_file():
        raise BadInput(f"There is no library database at {db} yet; nothing to back up.")
    return backups.take(db, "manual")


def check_backup(file: str | Path) -> tuple[str, dict[str, int]]:
    """A restorable file's schema revision and counts of papers and cards; BadInput in one line otherwise."""
    from readroom.storage import maintenance as store

    path = Path(file).expanduser()
    if not path.is_file():
        raise BadInput(f"No such file: {path}")
    db = paths.database_path()
    if db.exists() and path.resolve() == db.resolve():
        raise BadInput(f"{path} is the library database itself; pick a backup from {paths.backups_dir()}.")
    return store.check_restorable(path)


def restore(file: str | Path) -> Path | None:
    """Put the backup `file` in place of the library database (checked first); returns where the current one was
    kept. The next change migrates an older schema, after a backup, as usual."""
    from readroom.storage import backups

    check_backup(file)
    return backups.restore(Path(file).expanduser(), paths.database_path())
