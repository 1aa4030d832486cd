"""SQLAlchemy 2 typed models. Every row carries the Slack team id of its workspace.

One module per part of the program; everything is importable from ``store.models``.
"""

from store.models.asks import AskColumns, AskMessage, MeetingRequest, Recommendation, Request
from store.models.base import Base
from store.models.log import DirectoryChange, DirectoryHorizon, Event, JobRun, OutboxMessage
from store.models.program import Member, MemberTag, Workspace
from store.models.relationships import CheckIn, Feedback, Goal, Relationship

__all__ = [
    "AskColumns",
    "AskMessage",
    "Base",
    "CheckIn",
    "DirectoryChange",
    "DirectoryHorizon",
    "Event",
    "Feedback",
    "Goal",
    "JobRun",
    "MeetingRequest",
    "Member",
    "MemberTag",
    "OutboxMessage",
    "Recommendation",
    "Relationship",
    "Request",
    "Workspace",
]
