"""Flash mentoring: a mentee asks a mentor for one meeting at one of up to three times.

``asking`` sends, accepts a time, declines and withdraws; ``rules`` checks input and timing
(pure functions); ``reminders`` reminds the mentor and both the day before; ``followups``
expires and closes;
``sweep`` is the meeting part of the periodic sweep; ``views`` are the read models; ``home``,
``dashboard`` and ``stats`` are what Home and the admins read; ``invite`` and ``ics`` make the
calendar invitation. The public operations are importable from the package.
"""

from mentoring.meetings.asking import (
    accept_slot,
    check_can_answer,
    check_can_request_meeting,
    decline,
    get_meeting,
    meetings_enabled,
    send_meeting_request,
    withdraw,
)
from mentoring.meetings.views import MeetingView

__all__ = [
    "MeetingView",
    "accept_slot",
    "check_can_answer",
    "check_can_request_meeting",
    "decline",
    "get_meeting",
    "meetings_enabled",
    "send_meeting_request",
    "withdraw",
]
