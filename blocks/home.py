"""The App Home tab: what a member needs to act on, then everything else."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from blocks.ids import Action
from blocks.kit import MAX_VIEW_BLOCKS, actions, button, confirm, context, divider, header, section
from blocks.meetings.home import how_it_works, meetings_to_answer, sent_meetings, upcoming_meetings
from blocks.profiles import profile_button
from blocks.relationships.goals import goals_blocks
from blocks.routing.preferences import submission_status
from blocks.text import age, escape, mention, plural, slack_date
from mentoring.core.wording import Words
from mentoring.home.app_home import HomeData, RelationshipLine, RequestLine
from mentoring.meetings.home import MeetingsHome
from mentoring.program.settings import MatchingMode
from mentoring.routing.submissions import SubmissionStatus
from store.enums import RequestKind, RequestStatus

T = TypeVar("T")

STATUS_WORDS = {
    RequestStatus.PENDING: ":hourglass_flowing_sand: waiting",
    RequestStatus.ACCEPTED: ":white_check_mark: accepted",
    RequestStatus.DECLINED: ":no_entry_sign: declined",
    RequestStatus.WITHDRAWN: ":leftwards_arrow_with_hook: withdrawn",
    RequestStatus.EXPIRED: ":hourglass: closed after waiting too long",
    RequestStatus.CLOSED_BY_ADMIN: ":lock: closed by an admin",
    RequestStatus.CANCELLED: ":lock: cancelled",
}


# Long lists show their first items and say how many more there are, so that the buttons
# after them (pause, find, the admin's dashboard) always fit in Slack's 100 blocks.
LIST_LIMIT = 8


def home_view(
    data: HomeData, *, now: datetime, words: Words, meetings: MeetingsHome | None = None
) -> View:
    """The whole Home tab for one member (or a welcome for someone not enrolled yet)."""
    meetings = meetings or MeetingsHome(data.settings.flash_mentoring_enabled, (), (), ())
    head: list[Block] = (
        _welcome(words) if data.member is None else _member_sections(data, meetings, now, words)
    )
    tail = how_it_works(data.settings.resources, data.member, words) + _admin_section(data, words)
    if len(head) + len(tail) > MAX_VIEW_BLOCKS:
        # The member's own lists give way; the guide and the admin tools stay reachable.
        head = [*head[: MAX_VIEW_BLOCKS - len(tail) - 1], context("More items are not shown.")]
    return View(type="home", blocks=[*head, *tail])


def _listed(items: Sequence[T], render: Callable[[T], list[Block]], more: str) -> list[Block]:
    """The first :data:`LIST_LIMIT` items, then how many more there are and where to find them."""
    blocks = [block for item in items[:LIST_LIMIT] for block in render(item)]
    if len(items) > LIST_LIMIT:
        blocks.append(context(f"…and {len(items) - LIST_LIMIT} more {more}"))
    return blocks


def _admin_section(data: HomeData, words: Words) -> list[Block]:
    blocks: list[Block] = []
    if data.admin is not None:
        a = data.admin
        blocks += [
            divider(),
            header("Program admin"),
            section(
                f"{plural(a.pending_requests, 'request')} pending · "
                + (
                    f"{plural(a.waiting_submissions, 'submission')} waiting to be matched · "
                    if a.waiting_submissions
                    else ""
                )
                + f"{plural(a.active_relationships, 'active pair')} · "
                f"{plural(a.mentors, words.mentor, words.mentors)} · "
                f"{plural(a.mentees, words.mentee, words.mentees)}"
                + (
                    f"\n:warning: {plural(a.failed_notifications, 'notification')} could not be "
                    "delivered."
                    if a.failed_notifications
                    else ""
                ),
                accessory=button("Open dashboard", Action.OPEN_ADMIN),
            ),
            context("Or type `/mentor-admin` anywhere."),
        ]
    return blocks


def _welcome(words: Words) -> list[Block]:
    return [
        header("Welcome to the mentoring program"),
        section(
            f"Find {words.a_mentor} who has walked the path you're on, or share what you know as "
            f"{words.a_mentor}. It all happens here in Slack."
        ),
        actions(
            button("Join the program", Action.OPEN_PROFILE, style="primary"),
        ),
        context(
            f"Already know who you're looking for? Type `/find-mentor` to browse {words.mentors}."
        ),
    ]


def _member_sections(
    data: HomeData, meetings: MeetingsHome, now: datetime, words: Words
) -> list[Block]:
    member = data.member
    assert member is not None  # noqa: S101 - checked by the caller
    roles = [
        r for r, on in ((words.mentor, member.is_mentor), (words.mentee, member.is_mentee)) if on
    ]
    blocks: list[Block] = [
        header(f"Hi {member.display_name}"),
        section(
            f"You're in the program as {' and '.join(roles)}.",
            accessory=button("Edit profile", Action.OPEN_PROFILE),
        ),
    ]
    if data.waiting_for_me:
        blocks += [divider(), header("Waiting for your answer")]
        blocks += _listed(
            data.waiting_for_me,
            lambda line: _incoming(line, now, words),
            "waiting: each has its card in your messages with the app.",
        )
    blocks += meetings_to_answer(meetings.to_answer, member, now)
    blocks += upcoming_meetings(meetings.upcoming, member)
    if member.is_mentor:
        blocks += _mentor_section(data, now, words)
    if member.is_mentee:
        blocks += _mentee_section(data, meetings, now, words)
    return blocks


def _incoming(line: RequestLine, now: datetime, words: Words) -> list[Block]:
    req = line.request
    offer = f" offers to be your {words.mentor}" if req.kind is RequestKind.MENTOR_OFFER else ""
    return [
        section(
            f"*{escape(line.other.display_name)}* ({mention(line.other.slack_user_id)}){offer} · "
            f"sent {age(req.created_at, now)} ago\n>{escape(req.message[:200])}"
        ),
        actions(
            button("Accept", Action.ACCEPT, str(req.id), style="primary"),
            button("Decline", Action.DECLINE, str(req.id)),
            profile_button(line.other.slack_user_id),
        ),
    ]


def _mentor_section(data: HomeData, now: datetime, words: Words) -> list[Block]:
    member = data.member
    assert member is not None  # noqa: S101
    taken = len(data.as_mentor)
    blocks: list[Block] = [
        divider(),
        header(f"As {words.a_mentor}"),
        section(f"{words.mentees_title}: *{taken} of {member.mentor_capacity}*"),
    ]
    blocks += _listed(
        data.as_mentor,
        lambda line: _relationship(line, now, words),
        f"{words.mentees}: each has your shared conversation.",
    )
    offers = [s for s in data.sent if s.request.kind is RequestKind.MENTOR_OFFER]
    if offers:
        blocks.append(section("*My offers*"))
        blocks += _listed(offers, lambda sent: _sent(sent, now), "offers.")
    if data.settings.mentor_offers_enabled:
        blocks.append(
            actions(
                button(f"Offer to be someone's {words.mentor}", Action.OPEN_OFFERS, style="primary")
            )
        )
    if member.is_paused(now):
        assert member.paused_until is not None  # noqa: S101
        blocks.append(
            section(
                f":double_vertical_bar: New requests are paused until "
                f"{slack_date(member.paused_until)}.",
                accessory=button("Resume now", Action.RESUME),
            )
        )
    else:
        blocks.append(
            actions(button("Pause new requests", Action.PAUSE)),
        )
    return blocks


def _mentee_section(
    data: HomeData, meetings: MeetingsHome, now: datetime, words: Words
) -> list[Block]:
    blocks: list[Block] = [divider(), header(f"As {words.a_mentee}")]
    for pair in data.as_mentee:
        blocks += _relationship(pair, now, words)
    routed = data.settings.matching_mode is MatchingMode.ADMIN_ROUTED
    if data.submission is not None:
        blocks += submission_status(data.submission, now=now, words=words)
    requests = [s for s in data.sent if s.request.kind is RequestKind.MENTEE_REQUEST]
    if requests:
        blocks.append(section("*My requests*"))
        blocks += _listed(requests, lambda sent: _sent(sent, now), "requests.")
    blocks += sent_meetings(meetings.sent, now)
    if data.recommendations:
        title = (
            f"*{words.mentors_title} recommended for you by the program*"
            if data.recommended_by_admin
            else f"*Recommended {words.mentors}*"
        )
        blocks.append(section(title))
        for match in data.recommendations:
            reasons = "; ".join(match.score.reasons[:2])
            mentor_id = match.mentor.slack_user_id
            buttons = [button("Choose" if routed else "Request", Action.REQUEST_MENTOR, mentor_id)]
            if meetings.enabled:
                buttons.append(button("Request meeting", Action.REQUEST_MEETING, mentor_id))
            buttons.append(profile_button(mentor_id))
            blocks += [
                section(
                    f"*{escape(match.mentor.display_name)}* · {match.score.total}% match"
                    + (f"\n{escape(reasons)}" if reasons else "")
                ),
                actions(*buttons),
            ]
    buttons = [button(f"Find {words.a_mentor}", Action.OPEN_SEARCH, style="primary")]
    waiting = data.submission is not None and data.submission.status is SubmissionStatus.PENDING
    looking = len(data.as_mentee) < data.settings.max_active_relationships_per_mentee
    if routed and looking and not waiting:
        buttons.insert(0, button(f"Choose your {words.mentors}", Action.OPEN_PREFERENCES))
    blocks.append(actions(*buttons))
    return blocks


def _sent(line: RequestLine, now: datetime) -> list[Block]:
    req = line.request
    text = (
        f"*{escape(line.other.display_name)}* · {STATUS_WORDS[req.status]} · "
        f"sent {age(req.created_at, now)} ago"
    )
    if req.status is RequestStatus.DECLINED and req.decline_reason:
        text += f"\nReason: {escape(req.decline_reason)}"
    profile = profile_button(line.other.slack_user_id)
    if req.status is not RequestStatus.PENDING:
        return [section(text, accessory=profile)]
    withdraw = button(
        "Withdraw",
        Action.WITHDRAW,
        str(req.id),
        confirm=confirm(
            "Withdraw request?",
            f"{line.other.display_name} will be told you withdrew it.",
            "Withdraw",
        ),
    )
    return [section(text), actions(withdraw, profile)]


def _relationship(line: RelationshipLine, now: datetime, words: Words) -> list[Block]:
    rel, other = line.relationship, line.other
    where = f" · <#{rel.conversation_id}>" if rel.conversation_id else ""
    hidden = " · hidden from profiles" if rel.hidden_from_profile else ""
    hide = (
        button("Show on profile", Action.SHOW, str(rel.id))
        if rel.hidden_from_profile
        else button("Hide from profile", Action.HIDE, str(rel.id))
    )
    ends = f" · until {slack_date(rel.term_ends_at)}" if rel.term_ends_at else ""
    return [
        section(
            f"*{escape(other.display_name)}* ({mention(other.slack_user_id)}) · since "
            f"{slack_date(rel.started_at)} ({age(rel.started_at, now)}){ends}{where}{hidden}"
        ),
        *goals_blocks(rel.id, line.goals, words, live=True),
        actions(
            button("Finish", Action.FINISH, str(rel.id), style="primary"),
            button("End early", Action.ABANDON, str(rel.id), style="danger"),
            hide,
            profile_button(other.slack_user_id),
        ),
    ]
