"""/mentor-admin export: three CSV files in the admin's DM whose rows are the database's."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from blocks.ids import Action, Field
from fakeslack import SlackError
from store.models import Event, Relationship, Request
from tests.scenario.harness import Harness
from tests.scenario.test_journey import MESSAGE, enroll, enroll_cast, request_maya


def rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_export_uploads_both_files_to_the_admins_dm(slack: Harness) -> None:
    enroll_cast(slack)
    enroll(slack, "UFINN", {Field.ROLES: ["mentee"], Field.INTERESTS: ["data"]})
    request_maya(slack)
    slack.click("UMAYA", Action.ACCEPT, message=slack.dm("UMAYA")[-1])
    slack.command("UFINN", "/find-mentor")
    slack.click("UFINN", Action.REQUEST_MENTOR, value="UOMAR", view=slack.modal("UFINN"))
    slack.submit("UFINN", slack.modal("UFINN"), {Field.MESSAGE: "=cmd|' /C calc'!A0 " + MESSAGE})

    slack.command("UADMIN", "/mentor-admin", "export")

    assert slack.told("UADMIN") == [
        "Export sent to your DM: 2 requests, 1 relationship and 0 check-ins, as three CSV files."
    ]
    files = {f.name: f for f in slack.state.files()}
    assert set(files) == {
        "mentoring-requests-2026-03-02.csv",
        "mentoring-relationships-2026-03-02.csv",
        "mentoring-checkins-2026-03-02.csv",
    }
    dm = slack.state.dm_channel("UADMIN")
    assert all(f.completed and f.channels == [dm] for f in files.values())
    [message] = slack.dm("UADMIN")
    assert message["text"].startswith("Mentoring program export as of <!date^")
    assert message["text"].endswith(": 2 requests, 1 relationship and 0 check-ins.")
    assert {f["name"] for f in message["files"]} == set(files)

    exported = rows(files["mentoring-requests-2026-03-02.csv"].content or b"")
    relationships = rows(files["mentoring-relationships-2026-03-02.csv"].content or b"")
    with slack.db.read() as s:
        requests = s.scalars(select(Request).order_by(Request.id)).all()
        [relationship] = s.scalars(select(Relationship)).all()
        event = s.scalars(select(Event).where(Event.action == "program.exported")).one()
    assert [
        (r["id"], r["mentee_user_id"], r["mentor_user_id"], r["status"], r["message"])
        for r in exported
    ] == [
        (str(r.id), mentee, mentor, r.status.value, message)
        for r, mentee, mentor, message in zip(
            requests,
            ["UERIN", "UFINN"],
            ["UMAYA", "UOMAR"],
            [MESSAGE, "'=cmd|' /C calc'!A0 " + MESSAGE],  # a formula is never run
            strict=True,
        )
    ]
    assert exported[1]["mentee"] == "Finn <!channel> Ito"  # CSV is not mrkdwn: kept as written
    assert [
        (r["id"], r["mentor_user_id"], r["mentee_user_id"], r["status"]) for r in relationships
    ] == [(str(relationship.id), "UMAYA", "UERIN", "active")]
    assert (event.actor, event.after) == (
        "UADMIN",
        {"requests.csv": 2, "relationships.csv": 1, "checkins.csv": 0},
    )


def test_a_failed_upload_is_explained_and_not_logged_as_an_export(slack: Harness) -> None:
    enroll_cast(slack)
    slack.state.inject("files.getUploadURLExternal", SlackError("missing_scope"))
    slack.expected_failures = [("files.getUploadURLExternal", "missing_scope")]

    slack.command("UADMIN", "/mentor-admin", "export")

    assert slack.told("UADMIN") == [
        "Sorry, I couldn't send the export to your DM (Slack said `missing_scope`). The app needs "
        "the `files:write` permission: reinstall it with the current manifest.yml."
    ]
    assert slack.dm("UADMIN") == []
    with slack.db.read() as s:
        assert s.scalars(select(Event).where(Event.action == "program.exported")).all() == []
