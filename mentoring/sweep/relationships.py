"""The sweep's steps after the match: check-ins asked, terms asked and finished, and the one
reminder of the closure survey. Each step is bulk and guarded (see its module), so the sweep
stays idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.program.settings import ProgramSettings
from mentoring.relationships.checkin_sweep import ask_checkins
from mentoring.relationships.closure import remind_due
from mentoring.relationships.terms import sweep_terms


@dataclass(frozen=True, slots=True)
class RelationshipSweep:
    """What one sweep did for relationships."""

    checkins: int = 0  # check-ins asked
    terms_asked: int = 0  # pairs asked to extend or finish
    terms_finished: int = 0  # relationships finished at the end of their term
    feedback_reminded: int = 0  # people reminded of the closure survey (once each)

    def __add__(self, other: RelationshipSweep) -> RelationshipSweep:
        return RelationshipSweep(
            self.checkins + other.checkins,
            self.terms_asked + other.terms_asked,
            self.terms_finished + other.terms_finished,
            self.feedback_reminded + other.feedback_reminded,
        )


def sweep_relationships(
    session: Session, team_id: str, settings: ProgramSettings, now: datetime
) -> RelationshipSweep:
    """Terms first (a relationship finished today gets no check-in), then check-ins, reminders."""
    terms = sweep_terms(session, team_id, settings, now)
    return RelationshipSweep(
        checkins=ask_checkins(session, team_id, settings, now),
        terms_asked=terms.asked,
        terms_finished=terms.finished,
        feedback_reminded=remind_due(session, team_id, now),
    )
