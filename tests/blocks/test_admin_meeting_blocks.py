"""Meeting rows on the admin dashboard and the close form: escaping, times, buttons, limits."""

from __future__ import annotations

from datetime import timedelta

from blocks.ids import Action, Field
from blocks.reports.meeting_rows import meeting_close_modal, meeting_closed_note, meeting_row_blocks
from fakeslack.blockkit import view_problems
from mentoring.reports.meeting_rows import MeetingRow
from store.enums import RequestStatus
from tests.blocks.test_meeting_blocks import MENTEE, MENTOR, TIMES, WORDS, dicts, meeting, mrkdwn
from tests.conftest import NOW


def row(status: RequestStatus = RequestStatus.PENDING, **kw: object) -> MeetingRow:
    return MeetingRow(meeting(status, **kw), MENTEE, MENTOR, failed_deliveries=0)


def test_a_pending_row_escapes_user_text_and_marks_passed_times() -> None:
    blocks = dicts(meeting_row_blocks(row(), now=NOW))
    text = mrkdwn(blocks)
    assert "<!channel>" not in text and "<!here>" not in text and "<@U123>" not in text
    assert "*Eve &lt;!here&gt;* → *Max* · _one-time meeting, 45 min_" in text
    assert "*Topic:* Promotions &amp; &lt;!channel&gt;" in text
    first, second = (int(t.timestamp()) for t in TIMES[:2])
    assert (
        f"*Proposed:* <!date^{first}^" in text and "|Mon 2 Mar 2026, 08:00 UTC> _(passed)_" in text
    )
    assert f"<!date^{second}^{{date_long_pretty}} at {{time}}|Thu 5 Mar 2026, 10:00 UTC>" in text
    assert "Waiting 3 hours · 0 reminders" in text
    assert ">Hi &lt;@U123&gt;, could we talk?" in text
    assert [e["action_id"] for e in blocks[1]["elements"]] == [
        Action.ADMIN_MEETING_REMIND,
        Action.ADMIN_MEETING_CLOSE,
    ]
    assert {e["value"] for e in blocks[1]["elements"]} == {"9"}


def test_nothing_to_remind_once_every_time_passed_and_no_buttons_once_answered() -> None:
    late = NOW + timedelta(days=5)
    blocks = dicts(meeting_row_blocks(row(), now=late))
    assert [e["action_id"] for e in blocks[1]["elements"]] == [Action.ADMIN_MEETING_CLOSE]
    assert mrkdwn(blocks).count("_(passed)_") == 3

    accepted = row(RequestStatus.ACCEPTED, answered_at=NOW, meeting_at=TIMES[1])
    blocks = dicts(meeting_row_blocks(accepted, now=late))
    assert len(blocks) == 1
    text = mrkdwn(blocks)
    assert f"*Meeting:* <!date^{int(TIMES[1].timestamp())}^" in text and "Proposed" not in text
    assert "*Accepted* after 3 hours · sent 5 days ago" in text

    closed = row(RequestStatus.CLOSED_BY_ADMIN, answered_at=NOW, close_reason="Away <!here>")
    text = mrkdwn(dicts(meeting_row_blocks(closed, now=late)))
    assert "*Closed by an admin* after 3 hours · sent 5 days ago · _Away &lt;!here&gt;_" in text
    assert "_(passed)_" not in text  # only a pending request's times are marked

    failed = MeetingRow(meeting(), MENTEE, MENTOR, failed_deliveries=1)
    assert ":warning: 1 notification about this meeting request could not be delivered" in (
        mrkdwn(dicts(meeting_row_blocks(failed, now=NOW)))
    )


def test_the_close_form_names_the_roles_in_the_programs_words_and_fits_slack() -> None:
    view = meeting_close_modal(row(), private_metadata='{"meeting": 9}', words=WORDS).to_dict()
    assert view_problems(view) == []
    reason = next(b for b in view["blocks"] if b.get("block_id") == Field.REASON)
    assert reason["label"]["text"] == "Reason (the explorer reads it)"
    assert reason["element"]["max_length"] == 500
    text = mrkdwn(view["blocks"])
    assert "Close the meeting request from *Eve &lt;!here&gt;* to *Max*?" in text
    assert "the guide can no longer accept a time" in text
    assert view["private_metadata"] == '{"meeting": 9}'
    assert "the explorer sees your reason" in meeting_closed_note(row(), WORDS)
