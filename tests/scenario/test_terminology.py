"""A program that calls its mentors "guides" and its mentees "learners" says so everywhere.

The whole main journey runs through the real app after an admin sets the words in the settings
modal, and every text the app sends to Slack (views it opens, pushes, updates and publishes,
messages it posts and updates, private replies, and its answers to modal submissions) is
collected. None may say "mentor" or "mentee" in any form ("mentors", "Mentee", "mentorship").
What may stay: the slash commands' names (``/find-mentor``, ``/mentor-admin``, fixed in the
app's manifest) and "mentoring", the name of what the program does.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

from blocks.ids import Action, Field, Setting
from tests.scenario.harness import Harness, texts
from tests.scenario.test_reminders import tick

FORBIDDEN = re.compile(r"ment(?:or|ee)", re.IGNORECASE)
ALLOWED = re.compile(r"/find-mentor|/mentor-admin|mentoring", re.IGNORECASE)
MESSAGE = "Hi! I'd love your help moving into engineering management this year."


class Transcript:
    """Every text the app showed anyone, from the fake's call log and the app's answers."""

    def __init__(self, slack: Harness) -> None:
        self.slack = slack
        self.answers: list[dict[str, Any]] = []
        slack.state.reset_calls()
        self.posts_before = len(slack.state.response_posts())
        self.files_before = len(slack.state.files())

    def submit(self, user: str, values: dict[str, Any]) -> dict[str, Any]:
        answer = self.slack.submit(user, self.slack.modal(user), values)
        self.answers.append(answer)
        return answer

    def everything(self) -> list[str]:
        found: list[str] = []
        for call in self.slack.state.calls():
            params = call.params
            if call.method.startswith("views."):
                found.append(texts(params.get("view") or {}))
            elif call.method.startswith("chat."):
                found += [str(params.get("text") or ""), texts(params.get("blocks") or [])]
        for post in self.slack.state.response_posts()[self.posts_before :]:
            found += [str(post.payload.get("text") or ""), texts(post.payload.get("blocks") or [])]
        for answer in self.answers:
            found += [str(e) for e in (answer.get("errors") or {}).values()]
            found.append(texts(answer.get("view") or {}))
        for file in self.slack.state.files()[self.files_before :]:
            found += [file.name, file.title, file.initial_comment or "", *file_lines(file)]
        return [t for t in found if t]


def file_lines(file: Any) -> list[str]:
    """What a person reads in an uploaded file, line by line.

    Left out: a CSV file's header row, which names its columns for spreadsheets and scripts
    (a data format with fixed English names, whatever the program calls its roles), and the
    codes in its ``kind`` column (``mentee_request``, ``mentor_offer``: values of that format
    too); and a calendar file's PRODID and UID, identifiers that calendar programs never show.
    """
    text = (file.content or b"").decode("utf-8-sig")
    if file.name.endswith(".csv"):
        header, *rows = list(csv.reader(io.StringIO(text)))
        codes = {i for i, name in enumerate(header) if name == "kind"}
        return [",".join("" if i in codes else v for i, v in enumerate(row)) for row in rows]
    unfolded = re.sub(r"\r\n[ \t]", "", text)  # iCalendar folds long lines
    return [line for line in unfolded.splitlines() if not line.startswith(("PRODID:", "UID:"))]


def leaks(shown: list[str]) -> list[str]:
    """Every text that still says mentor or mentee outside the allowed names."""
    return [text for text in shown if FORBIDDEN.search(ALLOWED.sub("", text))]


def enroll(t: Transcript, user: str, values: dict[str, Any]) -> dict[str, Any]:
    t.slack.command(user, "/find-mentor", "profile")
    return t.submit(user, values)


def card_of(slack: Harness, user: str, sender: str) -> dict[str, Any]:
    """The newest request card in ``user``'s DM that came from ``sender``."""
    return next(m for m in reversed(slack.dm(user)) if sender in texts(m))


def test_the_whole_journey_speaks_of_guides_and_learners(slack: Harness) -> None:
    slack.command("UADMIN", "/mentor-admin", "settings")
    saved = slack.submit(
        "UADMIN",
        slack.modal("UADMIN"),
        {Setting.MENTOR_WORD: "guide", Setting.MENTEE_WORD: "learner"},
    )
    assert saved["response_action"] == "update"
    t = Transcript(slack)  # from here on, every text is in the program's words

    # Someone new sees the welcome and the enrollment form.
    slack.open_home("USTRANGER")
    slack.command("USTRANGER", "/find-mentor")

    # Enrollment, with an inline error first (a guide needs expertise).
    answer = enroll(t, "UMAYA", {Field.ROLES: ["mentor"], Field.FUNCTIONAL_AREA: "Engineering"})
    assert answer["errors"] == {Field.EXPERTISE: "Guides: pick at least one area of expertise."}
    t.submit(
        "UMAYA",
        {
            Field.ROLES: ["mentor"],
            Field.FUNCTIONAL_AREA: "Engineering",
            Field.EXPERTISE: ["leadership", "management"],
            Field.TITLE: "Director",
        },
    )
    enroll(t, "UOMAR", {Field.ROLES: ["mentor"], Field.EXPERTISE: ["management", "python"]})
    for learner in ("UERIN", "UFINN"):
        enroll(t, learner, {Field.ROLES: ["mentee"], Field.INTERESTS: ["management"]})

    # Find: the directory, a filter, paging controls.
    slack.command("UERIN", "/find-mentor")
    search = slack.modal("UERIN")
    assert search["title"]["text"] == "Find a guide"
    slack.send(
        slack.inbound.block_actions(
            "UERIN",
            [{"action_id": Action.SEARCH_FILTER, "block_id": Field.KEYWORDS}],
            view=slack.state.views_for("UERIN")[-1],
            values={Field.KEYWORDS: {Action.SEARCH_FILTER: "astronaut"}},
        )
    )
    assert "No guides match these filters" in texts(slack.modal("UERIN"))

    # Request, with an inline error first; then a second request that will be cancelled.
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal("UERIN"))
    answer = t.submit("UERIN", {Field.MESSAGE: "too short"})
    assert "say why you chose this guide" in answer["errors"][Field.MESSAGE]
    t.submit("UERIN", {Field.MESSAGE: MESSAGE})
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UOMAR", view=slack.modal("UERIN"))
    t.submit("UERIN", {Field.MESSAGE: MESSAGE})

    # A guide who is no learner tries to ask someone: the domain's error, in the words.
    slack.command("UMAYA", "/find-mentor")
    slack.click("UMAYA", Action.REQUEST_MENTOR, value="UOMAR", view=slack.modal("UMAYA"))
    answer = t.submit("UMAYA", {Field.MESSAGE: MESSAGE})
    assert answer["errors"][Field.MESSAGE] == (
        "Add the learner role to your profile to ask for a guide."
    )

    # App Home of a guide with a request waiting; accept from the DM card.
    assert "As a guide" in texts(slack.open_home("UMAYA"))
    channel = slack.state.dm_channel("UMAYA")
    slack.click(
        "USTRANGER", Action.ACCEPT, message=card_of(slack, "UMAYA", "Erin"), channel=channel
    )
    slack.click("UMAYA", Action.ACCEPT, message=card_of(slack, "UMAYA", "Erin"), channel=channel)
    assert "Cancelled" in texts(card_of(slack, "UOMAR", "Erin"))

    # The learner now has as many guides as allowed: the limit names them.
    slack.command("UERIN", "/find-mentor")
    slack.click("UERIN", Action.REQUEST_MENTOR, value="UOMAR", view=slack.modal("UERIN"))
    answer = t.submit("UERIN", {Field.MESSAGE: MESSAGE})
    assert (
        "You already have as many guides as the program allows" in answer["errors"][Field.MESSAGE]
    )

    # Decline with a reason and alternatives.
    slack.command("UFINN", "/find-mentor")
    slack.click("UFINN", Action.REQUEST_MENTOR, value="UMAYA", view=slack.modal("UFINN"))
    t.submit("UFINN", {Field.MESSAGE: MESSAGE})
    slack.click("UMAYA", Action.DECLINE, message=card_of(slack, "UMAYA", "Finn"), channel=channel)
    assert "your current learners stay" in texts(slack.modal("UMAYA"))
    t.submit("UMAYA", {Field.REASON: "My expertise isn't the right fit", Field.NOTE: "Try Omar!"})
    declined = texts(slack.dm("UFINN")[-1])
    assert "Other guides you could ask" in declined and "Omar Haddad" in declined

    # A request left alone: reminders as the clock advances, escalation, auto-close, digest.
    slack.command("UFINN", "/find-mentor")
    slack.click("UFINN", Action.REQUEST_MENTOR, value="UOMAR", view=slack.modal("UFINN"))
    t.submit("UFINN", {Field.MESSAGE: MESSAGE})
    tick(slack, days=3)
    assert "Reminder: Finn" in texts(slack.dm("UOMAR")[-1])
    tick(slack, days=3)
    tick(slack, days=4, hours=12)
    assert any("waited too long" in texts(m) for m in slack.dm("UADMIN"))
    tick(slack, days=3, hours=12)
    assert "guides get busy" in texts(slack.dm("UFINN")[-1])

    # App Home for each role, the admin's dashboard and the settings modal itself.
    erin_home = slack.open_home("UERIN")
    assert "As a learner" in texts(erin_home)
    slack.open_home("UOMAR")
    slack.open_home("UFINN")
    assert "2 guides · 2 learners" in texts(slack.open_home("UADMIN"))
    slack.command("UADMIN", "/mentor-admin")
    slack.click("UADMIN", Action.OPEN_ADMIN, view=slack.home("UADMIN"))
    slack.command("UADMIN", "/mentor-admin", "help")
    slack.command("UADMIN", "/mentor-admin", "settings")
    assert "Most learners one guide may take" in texts(slack.modal("UADMIN"))

    # Pause as a guide, then finish the relationship from the learner's Home.
    slack.click("UMAYA", Action.PAUSE, view=slack.open_home("UMAYA"))
    t.submit("UMAYA", {Field.PAUSE_UNTIL: "2026-04-20"})
    slack.click("UERIN", Action.FINISH, view=slack.open_home("UERIN"))
    t.submit("UERIN", {Field.NOTE: "Thank you!"})
    assert "marked your mentoring relationship as finished" in texts(slack.dm("UMAYA")[-1])
    slack.advance(timedelta(minutes=1))

    shown = t.everything()
    assert len(shown) > 100
    everything = "\n".join(shown)
    assert "guide" in everything and "learner" in everything
    assert leaks(shown) == []


def test_the_check_finds_every_form_of_the_default_words() -> None:
    shown = ["Find a mentor", "Mentees: 2", "mentorship", "Type `/find-mentor` for mentoring"]
    assert leaks(shown) == shown[:3]
