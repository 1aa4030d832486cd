"""``/mentor-admin export``: requests and relationships as CSV files, sent to the admin's DM."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from blocks.text import plural, slack_date
from handlers.access import AdminCall
from mentoring.reports.export import CsvTable, export_tables, record_export

log = logging.getLogger(__name__)
# With a byte order mark, Excel opens the file as UTF-8, so names with accents stay intact.
BOM = "\ufeff"
# What to do about the Slack errors an admin can fix.
FIXES = {
    "missing_scope": "The app needs the `files:write` permission: reinstall it with the "
    "current manifest.yml.",
    "not_allowed_token_type": "The app's token cannot upload files: check SLACK_BOT_TOKEN.",
    "file_uploads_disabled": "File uploads are turned off in this workspace's settings.",
    "file_uploads_except_images_disabled": "This workspace only allows image uploads.",
}


def _filename(table: CsvTable, call: AdminCall) -> str:
    stem = table.filename.removesuffix(".csv")
    return f"mentoring-{stem}-{call.svc.now():%Y-%m-%d}.csv"


def send_export(call: AdminCall) -> None:
    """Build both CSV files, upload them to the admin's DM, and confirm (or explain)."""
    now = call.svc.now()
    with call.svc.db.read() as session:
        tables = export_tables(session, call.team)
    requests, relationships, checkins = tables
    try:
        dm = call.client.conversations_open(users=call.user)["channel"]["id"]
        call.client.files_upload_v2(
            channel=dm,
            file_uploads=[
                {"content": BOM + t.text, "filename": name, "title": name}
                for t in tables
                for name in [_filename(t, call)]
            ],
            initial_comment=(
                f"Mentoring program export as of {slack_date(now)}: "
                f"{plural(requests.rows, 'request')}, "
                f"{plural(relationships.rows, 'relationship')} and "
                f"{plural(checkins.rows, 'check-in')}."
            ),
        )
    except SlackClientError as err:
        code = err.response.get("error") if isinstance(err, SlackApiError) else None
        log.warning("export upload failed for %s: %s", call.user, code or err)
        said = f" (Slack said `{code}`)" if code else ""
        fix = FIXES.get(str(code), "Please try again in a minute.")
        call.respond(
            text=f"Sorry, I couldn't send the export to your DM{said}. {fix}",
            response_type="ephemeral",
        )
        return
    with call.svc.db.write() as session:
        record_export(session=session, team_id=call.team, actor=call.user, tables=tables, now=now)
    call.respond(
        text=(
            f"Export sent to your DM: {plural(requests.rows, 'request')}, "
            f"{plural(relationships.rows, 'relationship')} and "
            f"{plural(checkins.rows, 'check-in')}, as three CSV files."
        ),
        response_type="ephemeral",
    )
