"""`readroom optimize` as a use case: fit FSRS to the user's own review history and keep the parameters, which
the scheduler then reads (config.PARAMETERS_FILE beside config.toml)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from readroom.errors import ReadroomError


@dataclass(frozen=True)
class OptimizeOutcome:
    reviews: int  # answers in the history
    needed: int  # more answers needed before a fit is worth it (0 when it ran)
    optimizer_installed: bool
    saved_to: Path | None = None
    parameters: int = 0


def optimize(on_start=None) -> OptimizeOutcome:
    """Fit and save the parameters, or say what is missing. Too little history is a normal state (a nightly script
    should not fail on it); a fit that could run but for the missing optional extra is an error."""
    from readroom import config, paths
    from readroom.cards import scheduler, service

    history = service.review_history()
    needed = max(0, service.MIN_REVIEWS_TO_OPTIMIZE - len(history))
    installed = scheduler.optimizer_available()
    if needed:
        return OptimizeOutcome(len(history), needed, installed)
    if not installed:
        raise ReadroomError("The FSRS optimizer is not installed (it needs torch): "
                            "pip install 'readroom[optimizer]', then run `readroom optimize` again.")
    if on_start:
        on_start(len(history))
    weights = scheduler.fit_parameters(history)
    target = paths.home() / config.PARAMETERS_FILE
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(json.dumps(weights), encoding="utf-8")
    tmp.replace(target)  # never a half-written parameters file
    return OptimizeOutcome(len(history), 0, True, target, len(weights))
