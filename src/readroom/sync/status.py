"""The sync state a user sees before syncing: which server, when the last sync was, and what the next one would
send (notes made or edited and answers given since). Cheap enough for every library load: one query, no anki."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from readroom import config
from readroom.errors import BadInput
from readroom.sync import session
from readroom.sync.words import counted


@dataclass(frozen=True)
class SyncStatus:
    server: str  # "" when no server is set
    last_sync: datetime | None
    new_notes: int
    edited_notes: int
    reviews: int

    def to_json(self) -> dict:
        return {"server": self.server, "last_sync": self.last_sync.isoformat() if self.last_sync else None,
                "new_notes": self.new_notes, "edited_notes": self.edited_notes, "reviews": self.reviews}

    def pending(self) -> str:
        """What the next sync sends, in few words ("2 new + 1 edited notes, 5 reviews to send"), or ""."""
        new, edited = self.new_notes, self.edited_notes
        notes = (f"{new} new + {edited} edited notes" if new and edited else
                 counted(new, "new note") or counted(edited, "edited note"))
        shown = [p for p in (notes, counted(self.reviews, "review")) if p]
        return ", ".join(shown) + " to send" if shown else ""

    def line(self, now: datetime, width: int | None = None) -> str:
        """One short line for the library's header: "synced 5 min ago · 3 reviews to send"; the pending changes as
        one total ("12 changes to send") when the details would not fit in `width`."""
        when = f"synced {ago(self.last_sync, now)}" if self.last_sync else "never synced"
        line = f"{when} · {self.pending() or 'nothing to send'}"
        if width is None or len(line) <= width:
            return line
        return f"{when} · {counted(self.new_notes + self.edited_notes + self.reviews, 'change')} to send"

    def message(self, now: datetime) -> str:
        """`readroom sync --status`: the line with the server it talks to."""
        if not self.server:
            return "No sync server is set: set [sync] url and user in config.toml (or READROOM_SYNC_URL and " \
                   "READROOM_SYNC_USER)."
        return f"{self.server}: {self.line(now)}."


def status() -> SyncStatus:
    """The state now; without a server set, nothing is read (there is nothing to sync with)."""
    try:
        server = session.endpoint(config.load().sync)
    except BadInput:
        return SyncStatus("", None, 0, 0, 0)
    from readroom.storage.sync_status import pending_since
    from readroom.sync.service import folder, last_sync

    last = last_sync(folder())
    return SyncStatus(server, last, *pending_since(last))


def ago(moment: datetime, now: datetime) -> str:
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    days = seconds // 86400
    return f"{days} day{'s' if days != 1 else ''} ago"
