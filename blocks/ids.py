"""Every action_id, callback_id and block_id, defined once for blocks/ and handlers/."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    # App Home and profile
    OPEN_PROFILE = "profile.open"
    PAUSE = "mentor.pause"
    RESUME = "mentor.resume"
    OPEN_SEARCH = "search.open"
    OPEN_ADMIN = "admin.open"
    # Search modal
    SEARCH_FILTER = "search.filter"  # any filter element; dispatch_action re-runs the search
    SEARCH_PAGE = "search.page"
    REQUEST_MENTOR = "request.open"  # value: mentor's Slack user id
    MESSAGE_MENTOR = "mentor.message"  # a link button into a DM
    # Request lifecycle
    ACCEPT = "request.accept"  # value: request id
    DECLINE = "request.decline"  # value: request id
    WITHDRAW = "request.withdraw"  # value: request id
    # Relationships
    FINISH = "relationship.finish"  # value: relationship id
    ABANDON = "relationship.abandon"  # value: relationship id
    HIDE = "relationship.hide"  # value: relationship id
    SHOW = "relationship.show"  # value: relationship id


class View(StrEnum):
    PROFILE = "profile"
    SEARCH = "search"
    REQUEST = "request"
    DECLINE = "decline"
    END_RELATIONSHIP = "relationship.end"
    PAUSE = "pause"
    SETTINGS = "admin.settings"


class Field(StrEnum):
    """block_ids of input blocks; each input's action_id is the same string."""

    ROLES = "roles"
    TITLE = "title"
    FUNCTIONAL_AREA = "functional_area"
    EXPERTISE = "expertise"
    INTERESTS = "interests"
    GOALS = "goals"
    LOCATION = "location"
    LANGUAGES = "languages"
    GENDER = "gender"
    BIO = "bio"
    CAPACITY = "mentor_capacity"
    KEYWORDS = "keywords"
    ONLY_OPEN = "only_open"
    MESSAGE = "message"
    REASON = "reason"
    NOTE = "note"
    PAUSE_UNTIL = "pause_until"


class Setting(StrEnum):
    """block_ids of the settings modal (each input's action_id is the same string).

    Each is the name of the program setting it changes (``terminology.*`` for the role words),
    so a problem the domain reports about a setting lands next to its input.
    """

    MAX_PENDING_REQUESTS = "max_pending_requests_per_mentee"
    MAX_ACTIVE = "max_active_relationships_per_mentee"
    MESSAGE_MIN = "message_min_length"
    MESSAGE_MAX = "message_max_length"
    DEFAULT_CAPACITY = "default_mentor_capacity"
    MAX_CAPACITY = "max_mentor_capacity"
    REMIND_AFTER = "remind_after_days"
    REMIND_EVERY = "remind_every_days"
    MAX_REMINDERS = "max_reminders"
    AUTO_CLOSE = "auto_close_after_days"
    ESCALATE = "escalate_after_days"
    HOURS_START = "working_hours_start"
    HOURS_END = "working_hours_end"
    WEEKLY_DIGEST = "weekly_digest"
    DIRECTORY_MODE = "directory_mode"
    MATCHING_MODE = "matching_mode"
    MENTOR_OFFERS = "mentor_offers_enabled"
    FLASH_MENTORING = "flash_mentoring_enabled"
    MAX_PENDING_MEETINGS = "max_pending_meetings_per_mentee"
    MENTOR_WORD = "terminology.mentor"
    MENTEE_WORD = "terminology.mentee"
    DECLINE_REASONS = "decline_reasons"
    FUNCTIONAL_AREAS = "functional_areas"
    EXPERTISE_TAGS = "expertise_tags"
    RESOURCES = "resources"
    ADMINS_FROM_SLACK = "admins_from_slack"
