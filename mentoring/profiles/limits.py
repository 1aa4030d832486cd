"""How much a profile holds, defined once: the domain validates with these and the profile
form (``blocks.profiles``) sizes its inputs with them, so a profile the program accepted always
fits back into the form that edits it (Slack refuses an ``initial_value`` longer than its
input's ``max_length``).
"""

from __future__ import annotations

from mentoring.program.settings import MAX_ENTRY_LENGTH

TITLE = 150
FUNCTIONAL_AREA = MAX_ENTRY_LENGTH  # an entry of the program's taxonomy
TAGS = 10  # expertise, and interests: how many one profile picks
TAG = MAX_ENTRY_LENGTH
GOALS = 1000
LOCATION = 120
LANGUAGES = 10
LANGUAGE = 40
LANGUAGE_SEPARATOR = ", "  # how the form shows the list, one text input
# The form's one text input holds the longest list the domain accepts, as the form shows it.
LANGUAGES_TEXT = LANGUAGES * LANGUAGE + (LANGUAGES - 1) * len(LANGUAGE_SEPARATOR)
GENDER = 60
BIO = 1500
