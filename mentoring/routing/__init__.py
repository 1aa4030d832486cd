"""Admin-routed matching: mentees submit ranked preferred mentors, an admin assigns one.

``preferences`` is the mentee's side (submitting, withdrawing), ``submissions`` reads them,
``assignment`` decides (assign, close, auto-close), ``queue`` counts the admins' queue and
``notices`` tells the admins a submission arrived. The public operations are importable from
the package.
"""

from mentoring.routing.assignment import (
    assign,
    close_submission,
    withdraw_submission,
)
from mentoring.routing.preferences import (
    MAX_PREFERENCES,
    check_can_submit,
    choices_for,
    submit_preferences,
)
from mentoring.routing.submissions import (
    Assignment,
    Preference,
    Queue,
    Submission,
    SubmissionStatus,
    get_submission,
    latest_submission,
    pending_queue,
)

__all__ = [
    "MAX_PREFERENCES",
    "Assignment",
    "Preference",
    "Queue",
    "Submission",
    "SubmissionStatus",
    "assign",
    "check_can_submit",
    "choices_for",
    "close_submission",
    "get_submission",
    "latest_submission",
    "pending_queue",
    "submit_preferences",
    "withdraw_submission",
]
