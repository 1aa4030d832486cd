"""A small, stateful fake of Slack for tests and console mode.

- :class:`FakeSlack` serves the Web API over HTTP on loopback; the real
  ``slack_sdk.WebClient(base_url=fake.api_url)`` talks to it.
- :class:`SlackState` is the workspace behind it (members, conversations, messages, views,
  files, the call log, injected faults (errors, delays, holds) and rate limits).
- :class:`Inbound` builds what Slack sends to an app (slash commands, interactions, events),
  signed exactly as Slack signs it; :func:`post` delivers one over HTTP and fails (LateAck)
  when the app answers later than Slack waits.
"""

from fakeslack.errors import AnswerRefused, ApiError, LateAck
from fakeslack.faults import Delay, Fault, Hold, RateLimit, RateLimited, ServerError, SlackError
from fakeslack.inbound import Inbound
from fakeslack.records import (
    CallRecord,
    Conversation,
    Ephemeral,
    Message,
    ResponsePost,
    UploadedFile,
    User,
    ViewRecord,
)
from fakeslack.server import FakeSlack
from fakeslack.signing import Delivery, SignedRequest, deliver, post
from fakeslack.state import SlackState

__all__ = [
    "AnswerRefused",
    "ApiError",
    "CallRecord",
    "Conversation",
    "Delay",
    "Delivery",
    "Ephemeral",
    "FakeSlack",
    "Fault",
    "Hold",
    "Inbound",
    "LateAck",
    "Message",
    "RateLimit",
    "RateLimited",
    "ResponsePost",
    "ServerError",
    "SignedRequest",
    "SlackError",
    "SlackState",
    "UploadedFile",
    "User",
    "ViewRecord",
    "deliver",
    "post",
]
