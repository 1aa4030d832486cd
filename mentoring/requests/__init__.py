"""Requests: a mentee asks a mentor, and the mentor (or, for an offer, the mentee) answers.

``sending`` sends and withdraws, ``answers`` accepts (the relationship starts) and declines,
``followups`` reminds, expires and lets an admin close. The public operations are importable
from the package.
"""

from mentoring.requests.answers import AcceptResult, accept, check_can_answer, decline
from mentoring.requests.followups import close_by_admin, expire, remind
from mentoring.requests.sending import get_request, send_request, withdraw

__all__ = [
    "AcceptResult",
    "accept",
    "check_can_answer",
    "close_by_admin",
    "decline",
    "expire",
    "get_request",
    "remind",
    "send_request",
    "withdraw",
]
