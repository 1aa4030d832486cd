"""The App Home sections of flash mentoring and the program's resources."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import Block

from blocks.ids import Action
from blocks.kit import actions, button, confirm, divider, header, section
from blocks.meetings.forms import STATUS_LINES, proposed_time_line
from blocks.profiles import profile_button
from blocks.text import age, escape, mention, slack_datetime
from mentoring.core.views import MemberView
from mentoring.core.wording import Words
from mentoring.meetings.home import MeetingLine
from mentoring.program.settings import Resource
from store.enums import RequestStatus


def meetings_to_answer(lines: Sequence[MeetingLine], me: MemberView, now: datetime) -> list[Block]:
    """Meeting requests waiting for my answer, with a button per proposed time still ahead."""
    if not lines:
        return []
    blocks: list[Block] = [divider(), header("Meeting requests for you")]
    for line in lines:
        meeting, other = line.meeting, line.other
        blocks.append(
            section(
                f"*{escape(other.display_name)}* ({mention(other.slack_user_id)}) · "
                f"sent {age(meeting.created_at, now)} ago\n*Topic:* {escape(meeting.topic)} · "
                f"{meeting.duration_minutes} minutes"
            )
        )
        # One block per time: action_ids must be unique within a block.
        blocks += [
            section(
                proposed_time_line(i + 1, t, me.tz),
                accessory=button("Accept", Action.MEETING_ACCEPT, f"{meeting.id}:{i}"),
            )
            for i, t in meeting.open_times(now)
        ]
        blocks.append(
            actions(
                button("Decline", Action.MEETING_DECLINE, str(meeting.id)),
                profile_button(other.slack_user_id),
            )
        )
    return blocks


def upcoming_meetings(lines: Sequence[MeetingLine], me: MemberView) -> list[Block]:
    """Accepted meetings still ahead, soonest first."""
    if not lines:
        return []
    blocks: list[Block] = [divider(), header("Upcoming meetings")]
    for line in lines:
        meeting, other = line.meeting, line.other
        assert meeting.meeting_at is not None  # noqa: S101 - upcoming means accepted
        where = f" · <#{meeting.conversation_id}>" if meeting.conversation_id else ""
        blocks.append(
            section(
                f"{slack_datetime(meeting.meeting_at, me.tz)} with "
                f"*{escape(other.display_name)}*{where}\n*Topic:* {escape(meeting.topic)} · "
                f"{meeting.duration_minutes} minutes",
                accessory=profile_button(other.slack_user_id),
            )
        )
    return blocks


def sent_meetings(lines: Sequence[MeetingLine], now: datetime) -> list[Block]:
    """My meeting requests as a mentee: pending ones can be withdrawn."""
    if not lines:
        return []
    blocks: list[Block] = [section("*My meeting requests*")]
    for line in lines:
        meeting, other = line.meeting, line.other
        status = STATUS_LINES[meeting.status]
        if meeting.status is RequestStatus.DECLINED and meeting.decline_reason:
            status += f": {escape(meeting.decline_reason)}"
        text = (
            f"*{escape(other.display_name)}* · _{escape(meeting.topic)}_ · {status} · "
            f"sent {age(meeting.created_at, now)} ago"
        )
        if meeting.status is not RequestStatus.PENDING:
            blocks.append(section(text, accessory=profile_button(other.slack_user_id)))
            continue
        withdraw = button(
            "Withdraw",
            Action.MEETING_WITHDRAW,
            str(meeting.id),
            confirm=confirm(
                "Withdraw meeting request?",
                f"{other.display_name} will see that you withdrew it.",
                "Withdraw",
            ),
        )
        blocks += [section(text), actions(withdraw, profile_button(other.slack_user_id))]
    return blocks


def how_it_works(
    resources: Sequence[Resource], member: MemberView | None, words: Words
) -> list[Block]:
    """ "How mentoring works": what to do while waiting, and the admins' resources."""
    tips: list[str] = []
    if member is not None and member.is_mentor:
        tips.append(
            f":seedling: *While you wait for requests:* keep your profile's expertise and bio "
            f"current so the right {words.mentees} find you, and pause new requests from here "
            "when you're busy."
        )
    if member is not None and member.is_mentee:
        tips.append(
            f":seedling: *While you wait for an answer:* {words.mentors} usually answer within a "
            "few days. Note what you'd like to get out of mentoring"
            + (", and read the guides below." if resources else ".")
        )
    if not tips and not resources:
        return []
    blocks: list[Block] = [divider(), header("How mentoring works")]
    blocks += [section(tip) for tip in tips]
    for resource in resources:
        text = f"*{escape(resource.title)}*"
        if resource.description:
            text += f"\n{escape(resource.description)}"
        blocks.append(
            section(
                text,
                accessory=button("Open", Action.OPEN_RESOURCE, url=resource.url),
            )
        )
    return blocks
