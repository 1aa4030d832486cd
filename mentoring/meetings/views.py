"""Read models of flash mentoring: a meeting request as a plain frozen value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from store.enums import RequestStatus
from store.models import MeetingRequest


def parse_time(raw: str) -> datetime:
    """A stored proposed time (ISO 8601) as an aware UTC datetime."""
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:  # stored values are always UTC; be lenient with old rows
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def store_time(moment: datetime) -> str:
    """A proposed time as stored: ISO 8601 in UTC, to the minute."""
    return moment.astimezone(UTC).replace(second=0, microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class MeetingView:
    id: int
    team_id: str
    mentee_id: int
    mentor_id: int
    topic: str
    message: str
    proposed_times: tuple[datetime, ...]
    duration_minutes: int
    status: RequestStatus
    created_at: datetime
    answered_at: datetime | None
    meeting_at: datetime | None
    decline_reason: str | None
    decline_note: str | None
    reminder_count: int
    conversation_id: str | None
    slack_channel: str | None
    slack_ts: str | None
    close_reason: str | None = None  # an admin's reason, which the mentee reads
    last_reminded_at: datetime | None = None

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def meeting_end(self) -> datetime | None:
        return self.meeting_at + self.duration if self.meeting_at else None

    def open_times(self, now: datetime) -> tuple[tuple[int, datetime], ...]:
        """The proposed times still ahead, with their index (what an accept button names)."""
        return tuple((i, t) for i, t in enumerate(self.proposed_times) if t > now)

    @classmethod
    def of(cls, m: MeetingRequest) -> MeetingView:
        return cls(
            id=m.id,
            team_id=m.team_id,
            mentee_id=m.mentee_id,
            mentor_id=m.mentor_id,
            topic=m.topic,
            message=m.message,
            proposed_times=tuple(parse_time(t) for t in m.proposed_times),
            duration_minutes=m.duration_minutes,
            status=m.status,
            created_at=m.created_at,
            answered_at=m.answered_at,
            meeting_at=m.meeting_at,
            decline_reason=m.decline_reason,
            decline_note=m.decline_note,
            reminder_count=m.reminder_count,
            conversation_id=m.conversation_id,
            slack_channel=m.slack_channel,
            slack_ts=m.slack_ts,
            close_reason=m.close_reason,
            last_reminded_at=m.last_reminded_at,
        )
