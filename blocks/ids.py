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
    SEARCH_PAGE_BACK = "search.page.back"  # value: page number
    SEARCH_PAGE_NEXT = "search.page.next"  # value: page number
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
    # /mentor-admin dashboard and health report
    ADMIN_STATUS = "admin.status"  # status filter select
    ADMIN_ORDER = "admin.order"  # oldest / newest first select
    ADMIN_PAGE_BACK = "admin.page.back"  # value: page number
    ADMIN_PAGE_NEXT = "admin.page.next"  # value: page number
    ADMIN_REMIND = "admin.remind"  # value: request id
    ADMIN_CLOSE = "admin.close"  # value: request id; pushes the close modal
    ADMIN_HEALTH_PERIOD = "admin.health.period"  # period select
    ADMIN_KIND = "admin.kind"  # mentoring requests / meeting requests select
    ADMIN_MEETING_REMIND = "admin.meeting.remind"  # value: meeting request id
    ADMIN_MEETING_CLOSE = "admin.meeting.close"  # value: meeting request id; pushes a modal
    # Profiles and program resources
    VIEW_PROFILE = "profile.view"  # value: the person's Slack user id
    OPEN_RESOURCE = "resource.open"  # a link button to one of the program's resources
    # Flash mentoring (one-time meetings)
    REQUEST_MEETING = "meeting.open"  # value: mentor's Slack user id
    MEETING_ACCEPT = "meeting.accept"  # value: "<meeting id>:<proposed time index>"
    MEETING_DECLINE = "meeting.decline"  # value: meeting id
    MEETING_WITHDRAW = "meeting.withdraw"  # value: meeting id
    # Admin-routed matching
    OPEN_PREFERENCES = "preferences.open"  # a mentee's "Choose your mentors"
    WITHDRAW_PREFERENCES = "preferences.withdraw"  # value: submission id
    ASSIGN = "queue.assign"  # value: request id of the preference to assign
    CLOSE_SUBMISSION = "queue.close"  # value: submission id
    OPEN_QUEUE = "queue.open"  # the admins' matching queue, from a notice or the dashboard
    # Mentor offers
    OPEN_OFFERS = "offers.open"
    OFFERS_FILTER = "offers.filter"
    OFFERS_PAGE = "offers.page"  # value: page number
    OFFER_MENTEE = "offers.offer"  # value: mentee's Slack user id


class View(StrEnum):
    PROFILE = "profile"
    SEARCH = "search"
    REQUEST = "request"
    DECLINE = "decline"
    END_RELATIONSHIP = "relationship.end"
    PAUSE = "pause"
    ADMIN_DASHBOARD = "admin.dashboard"
    ADMIN_CLOSE = "admin.close_request"
    ADMIN_CLOSE_MEETING = "admin.close_meeting"
    ADMIN_HEALTH = "admin.health"
    ADMIN_NOTICE = "admin.notice"
    MEMBER_PROFILE = "profile.view"
    MEETING = "meeting"
    MEETING_DECLINE = "meeting.decline"
    SETTINGS = "admin.settings"
    PREFERENCES = "preferences"
    QUEUE = "queue"
    CLOSE_SUBMISSION = "queue.close"
    RECOMMEND = "recommend"
    OFFERS = "offers"
    OFFER = "offer"


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
    TOPIC = "topic"
    DURATION = "duration"
    SLOT_1_DATE = "slot_1_date"
    SLOT_1_TIME = "slot_1_time"
    SLOT_2_DATE = "slot_2_date"
    SLOT_2_TIME = "slot_2_time"
    SLOT_3_DATE = "slot_3_date"
    SLOT_3_TIME = "slot_3_time"
    # Admin-routed preferences; the names match the domain's error fields.
    PREFERENCE_1 = "preference_1"
    PREFERENCE_2 = "preference_2"
    PREFERENCE_3 = "preference_3"
    PER_MENTEE = "per_mentee"


# The date and time inputs of each proposed meeting time, in order.
SLOT_FIELDS = (
    (Field.SLOT_1_DATE, Field.SLOT_1_TIME),
    (Field.SLOT_2_DATE, Field.SLOT_2_TIME),
    (Field.SLOT_3_DATE, Field.SLOT_3_TIME),
)


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
    CHECKIN_EVERY = "checkin_every_days"
    TERM_DAYS = "relationship_term_days"
    EXTENSION_DAYS = "relationship_extension_days"
    RATINGS_PUBLIC = "ratings_public"
    WELCOME_NEWCOMERS = "welcome_newcomers"
