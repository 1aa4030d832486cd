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
    # Admin-routed matching
    OPEN_PREFERENCES = "preferences.open"  # a mentee's "Choose your mentors"
    WITHDRAW_PREFERENCES = "preferences.withdraw"  # value: submission id
    ASSIGN = "queue.assign"  # value: request id of the preference to assign
    CLOSE_SUBMISSION = "queue.close"  # value: submission id
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
    # Admin-routed preferences; the names match the domain's error fields.
    PREFERENCE_1 = "preference_1"
    PREFERENCE_2 = "preference_2"
    PREFERENCE_3 = "preference_3"
    PER_MENTEE = "per_mentee"
