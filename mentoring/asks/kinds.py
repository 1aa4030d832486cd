"""The kinds of ask, as data: who asks whom, what each is called, and what each side is told.

Four kinds share one lifecycle (:mod:`mentoring.asks.lifecycle`): a mentee's request to a mentor,
a mentor's offer to a mentee, a mentee's one-time meeting request, and a preference of an
admin-routed submission (which an admin decides, not a member). What differs between them is
written here once, as an :class:`AskKind` each, and read by the shared code: the words, the
event names, the notices and the dedupe keys. The rules that really are a kind's own (capacity
for requests and offers, proposed times for meetings, ranked choices for submissions) live in
the kind's package as small policies on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from mentoring.core.audit import Notice
from store.enums import RequestKind, RequestStatus
from store.models import MeetingRequest, Request

# A row of any kind: requests, offers and preferences share a table, meetings have their own
# with the same lifecycle columns.
AskRow = Request | MeetingRequest


class Side(StrEnum):
    """One of the two people of an ask."""

    MENTEE = "mentee"
    MENTOR = "mentor"


@dataclass(frozen=True, slots=True)
class AskNotices:
    """What each side is told as an ask moves.

    ``received`` hands it to whoever answers (their card, with its buttons); ``updated`` redraws
    that card in place once it is answered or closed, so no live button points at something
    closed. ``None`` means nobody is told (a preference's mentor was never asked, so never
    hears of it).
    """

    received: Notice | None
    declined_to_asker: Notice | None
    withdrawn_to_answerer: Notice | None
    updated: Notice | None
    reminder: Notice | None
    expired_to_asker: Notice | None
    expired_to_answerer: Notice | None
    closed_to_asker: Notice | None
    closed_to_answerer: Notice | None


@dataclass(frozen=True, slots=True)
class AskKind:
    """One kind of ask.

    Attributes:
        code: A short stable name ("request", "offer", "preference", "meeting").
        noun: What a person calls it ("request", "offer", "meeting request", "preference").
        subject: The audit log's subject type, and the first word of its event actions.
        asker: Who sends it.
        answerer: Who answers it (for a preference: the mentor it names, who is never asked).
        status_words: "This <noun> was already <words>." for each state after pending.
        notices: What each side is told on expiry and on an admin's close, and the reminder.
        dedupe_prefix: Put before the outbox dedupe keys of its notices ("meeting-"), so two
            kinds' keys for the same id never collide.
        decided_by_admins: Program admins decide it (assign or close), not the answerer.
    """

    code: str
    noun: str
    subject: str
    asker: Side
    answerer: Side
    status_words: Mapping[RequestStatus, str]
    notices: AskNotices
    dedupe_prefix: str = ""
    decided_by_admins: bool = False

    def asker_id(self, row: AskRow) -> int:
        """The member who sent ``row``."""
        return row.mentee_id if self.asker is Side.MENTEE else row.mentor_id

    def answerer_id(self, row: AskRow) -> int:
        """The member who answers ``row``."""
        return row.mentee_id if self.answerer is Side.MENTEE else row.mentor_id

    def key(self, event: str, row_id: int, detail: object) -> str:
        """The outbox dedupe key of one notice about one ask (``event`` like "expired")."""
        return f"{self.dedupe_prefix}{event}:{row_id}:{detail}"


STATUS_WORDS: Mapping[RequestStatus, str] = MappingProxyType(
    {
        RequestStatus.ACCEPTED: "accepted",
        RequestStatus.DECLINED: "declined",
        RequestStatus.WITHDRAWN: "withdrawn",
        RequestStatus.EXPIRED: "closed automatically after waiting too long",
        RequestStatus.CLOSED_BY_ADMIN: "closed by a program admin",
        RequestStatus.CANCELLED: "cancelled because the {mentee} found {a_mentor}",
    }
)

_REQUEST_NOTICES = AskNotices(
    received=Notice.REQUEST_RECEIVED,
    declined_to_asker=Notice.REQUEST_DECLINED,
    withdrawn_to_answerer=Notice.REQUEST_WITHDRAWN,
    updated=Notice.REQUEST_UPDATED,
    reminder=Notice.REQUEST_REMINDER,
    expired_to_asker=Notice.REQUEST_EXPIRED,
    expired_to_answerer=Notice.REQUEST_EXPIRED,
    closed_to_asker=Notice.REQUEST_CLOSED,
    closed_to_answerer=Notice.REQUEST_CLOSED,
)

REQUEST = AskKind(
    code="request",
    noun="request",
    subject="request",
    asker=Side.MENTEE,
    answerer=Side.MENTOR,
    status_words=STATUS_WORDS,
    notices=_REQUEST_NOTICES,
)
OFFER = AskKind(
    code="offer",
    noun="offer",
    subject="request",
    asker=Side.MENTOR,
    answerer=Side.MENTEE,
    # Said to the mentee who answers an offer (it is cancelled for more than one reason).
    status_words=MappingProxyType(
        {
            **STATUS_WORDS,
            RequestStatus.CLOSED_BY_ADMIN: "withdrawn by a program admin",
            RequestStatus.CANCELLED: "cancelled",
        }
    ),
    notices=_REQUEST_NOTICES,
)
PREFERENCE = AskKind(
    code="preference",
    noun="request",
    subject="request",
    asker=Side.MENTEE,
    answerer=Side.MENTOR,
    status_words=STATUS_WORDS,
    # Told once per submission, to the mentee, by the routing package (not per preference).
    notices=AskNotices(None, None, None, None, None, None, None, None, None),
    decided_by_admins=True,
)
MEETING = AskKind(
    code="meeting",
    noun="meeting request",
    subject="meeting",
    asker=Side.MENTEE,
    answerer=Side.MENTOR,
    status_words=MappingProxyType(
        {**STATUS_WORDS, RequestStatus.EXPIRED: "closed because every proposed time has passed"}
    ),
    notices=AskNotices(
        received=Notice.MEETING_RECEIVED,
        declined_to_asker=Notice.MEETING_DECLINED,
        withdrawn_to_answerer=Notice.MEETING_UPDATED,
        updated=Notice.MEETING_UPDATED,
        reminder=Notice.MEETING_REMINDER,
        expired_to_asker=Notice.MEETING_EXPIRED,
        expired_to_answerer=Notice.MEETING_UPDATED,
        closed_to_asker=Notice.MEETING_CLOSED,
        closed_to_answerer=Notice.MEETING_UPDATED,
    ),
    dedupe_prefix="meeting-",
)

_BY_REQUEST_KIND: Mapping[RequestKind, AskKind] = MappingProxyType(
    {
        RequestKind.MENTEE_REQUEST: REQUEST,
        RequestKind.MENTOR_OFFER: OFFER,
        RequestKind.ADMIN_ROUTED: PREFERENCE,
    }
)


def kind_of(row: AskRow) -> AskKind:
    """The kind of an ask row."""
    if isinstance(row, MeetingRequest):
        return MEETING
    return _BY_REQUEST_KIND[row.kind]
