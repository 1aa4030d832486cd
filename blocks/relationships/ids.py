"""The action_ids, callback_ids and block_ids of the relationship features, defined once for
blocks/relationships and handlers/relationships (finish, end early and hide live in blocks.ids
with the rest of the older ones)."""

from __future__ import annotations

from enum import StrEnum


class RelAction(StrEnum):
    EDIT_GOALS = "relationship.goals"  # value: relationship id; opens the goals form
    GOAL_DONE = "relationship.goal_done"  # value: goal id
    CHECKIN_YES = "checkin.yes"  # value: check-in id
    CHECKIN_NOT_YET = "checkin.not_yet"  # value: check-in id
    CHECKIN_HELP = "checkin.help"  # value: check-in id; opens the note form
    CHECKIN_RATE = "checkin.rate"  # a select; each option's value: "<check-in id>:<1-5>"
    TERM_EXTEND = "term.extend"  # value: "<relationship id>:<end as epoch seconds>"
    TERM_FINISH = "term.finish"  # value: "<relationship id>:<end as epoch seconds>"
    FEEDBACK = "feedback.open"  # value: relationship id; opens the closure survey
    ADMIN_NUDGE = "admin.relationship.nudge"  # value: relationship id
    ADMIN_END = "admin.relationship.end"  # value: relationship id; pushes the reason form
    WELCOME_JOIN = "welcome.join"  # a newcomer's "Create my profile"


class RelView(StrEnum):
    GOALS = "relationship.goals"
    CHECKIN_HELP = "checkin.help"
    FEEDBACK = "feedback"
    OVERSIGHT = "admin.relationships"
    ADMIN_END = "admin.relationship.end"


class RelField(StrEnum):
    """block_ids of input blocks; each input's action_id is the same string."""

    GOAL_1 = "goal_1"
    GOAL_2 = "goal_2"
    GOAL_3 = "goal_3"
    NOTE = "note"
    RATING = "rating"
    OUTCOME = "outcome"
    REASON = "reason"


GOAL_FIELDS = (RelField.GOAL_1, RelField.GOAL_2, RelField.GOAL_3)
