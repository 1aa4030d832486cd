"""Admin-routed matching: the mentee's preferences form and status, the admins' queue."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from blocks.kit import (
    MAX_VIEW_BLOCKS,
    actions,
    button,
    confirm,
    context,
    divider,
    header,
    message_input,
    modal,
    option,
    section,
)
from blocks.requests.cards import profile_summary
from blocks.text import age, escape, mention, plural, quote
from mentoring.asks.followups import MAX_CLOSE_REASON_LENGTH
from mentoring.core.views import MemberView
from mentoring.core.wording import Words
from mentoring.directory.search import MentorMatch
from mentoring.routing.submissions import Preference, Queue, Submission, SubmissionStatus

PREFERENCE_FIELDS = (Field.PREFERENCE_1, Field.PREFERENCE_2, Field.PREFERENCE_3)
_ORDINALS = ("First", "Second", "Third")


def _choice(match: MentorMatch) -> Option:
    slots = f"{match.open_slots} open" if match.open_slots else "full"
    return option(
        f"{match.mentor.display_name} · {match.score.total}% match · {slots}",
        match.mentor.slack_user_id,
    )


def preferences_modal(
    *,
    choices: Sequence[MentorMatch],
    first: str | None,
    min_length: int,
    max_length: int,
    words: Words,
) -> View:
    """Rank up to three mentors and write one message for the program admins."""
    if not choices:
        return modal(
            f"Choose {words.mentors}",
            ViewId.PREFERENCES,
            [
                section(
                    f":hourglass: No {words.mentors} have an open slot right now, so there is "
                    "nobody to choose yet. Please check again in a few days."
                )
            ],
            close="Close",
        )
    options = [_choice(m) for m in choices[:100]]
    by_value = {o.value: o for o in options}
    blocks: list[Block] = [
        section(
            f"Choose up to three {words.mentors} you'd like, in order of preference. The program "
            f"admins read your choices and match you with one of them; the {words.mentors} "
            "only hear about it once you're matched."
        ),
    ]
    for rank, field in enumerate(PREFERENCE_FIELDS, start=1):
        initial = by_value.get(first) if rank == 1 and first else None
        blocks.append(
            InputBlock(
                block_id=field,
                label=f"{_ORDINALS[rank - 1]} choice",
                optional=rank > 1,
                element=StaticSelectElement(
                    action_id=field,
                    placeholder=f"Choose {words.a_mentor}",
                    options=options,
                    initial_option=initial,
                ),
            )
        )
    blocks += [
        message_input(
            f"What you hope to learn and why these {words.mentors}. Your {words.mentor} "
            "reads it too once you're matched.",
            "I'd love help with…",
            min_length=min_length,
            max_length=max_length,
            label="Your message to the admins",
        ),
        context(
            f"Only {words.mentors} with an open slot are listed, best match for you first. "
            f"Type `/find-mentor` to browse them with filters."
        ),
    ]
    return modal(
        f"Choose {words.mentors}",
        ViewId.PREFERENCES,
        blocks,
        submit="Send to admins",
    )


def preferences_sent_modal(submission: Submission, words: Words) -> View:
    """Shown in place of the preferences form once it is saved."""
    return modal(
        "Preferences sent",
        ViewId.PREFERENCES,
        [
            section(
                ":white_check_mark: Your preferences are with the program admins:\n"
                + _ranked(submission.preferences)
            ),
            context(
                "You'll get a direct message once an admin has matched you. You can withdraw "
                "your preferences from the app's Home tab while they wait."
            ),
        ],
        close="Done",
    )


def _ranked(preferences: Sequence[Preference]) -> str:
    return "\n".join(f"{p.rank}. *{escape(p.mentor.display_name)}*" for p in preferences)


_STATUS = {
    SubmissionStatus.PENDING: ":hourglass_flowing_sand: waiting for a program admin",
    SubmissionStatus.ASSIGNED: ":white_check_mark: matched",
    SubmissionStatus.CLOSED: ":lock: closed by a program admin",
    SubmissionStatus.WITHDRAWN: ":leftwards_arrow_with_hook: withdrawn",
    SubmissionStatus.EXPIRED: ":hourglass: closed after waiting too long",
    SubmissionStatus.CANCELLED: ":lock: closed: you found a match another way",
}


def submission_status(submission: Submission, *, now: datetime, words: Words) -> list[Block]:
    """The mentee's view of their latest preferences on App Home."""
    line = f"*My preferred {words.mentors}* · {_STATUS[submission.status]}"
    assigned = submission.assigned
    if assigned is not None:
        line += f" with *{escape(assigned.display_name)}*"
    line += f" · sent {age(submission.created_at, now)} ago\n" + _ranked(submission.preferences)
    if submission.status is SubmissionStatus.CLOSED and submission.close_reason:
        line += f"\n*Reason:* {escape(submission.close_reason)}"
    if submission.status is not SubmissionStatus.PENDING:
        return [section(line)]
    return [
        section(
            line,
            accessory=button(
                "Withdraw",
                Action.WITHDRAW_PREFERENCES,
                str(submission.id),
                confirm=confirm(
                    "Withdraw your preferences?",
                    "The admins will no longer match you from them. You can send new ones.",
                    "Withdraw",
                ),
            ),
        )
    ]


def queue_modal(queue: Queue, *, now: datetime, words: Words, notice: str = "") -> View:
    """Pending submissions, oldest first, each preference with its score, load and Assign."""
    blocks: list[Block] = []
    if notice:
        blocks.append(section(notice))
    blocks.append(
        header(f"{plural(queue.total, words.mentee, words.mentees)} waiting to be matched")
        if queue.total
        else header("Nobody is waiting to be matched")
    )
    if not queue.total:
        blocks.append(
            context(
                f"{words.mentees_title} choose up to three {words.mentors} in order of "
                "preference; their choices appear here."
            )
        )
    for submission in queue.submissions:
        entry = _entry(submission, now, words)
        if len(blocks) + len(entry) > MAX_VIEW_BLOCKS - 1:
            break
        blocks += entry
    shown = sum(1 for b in blocks if b.block_id and b.block_id.startswith("submission-"))
    if queue.total > shown:
        blocks.append(
            context(
                f"{plural(queue.total - shown, 'more submission')} waiting: assign or close "
                "these first."
            )
        )
    return modal("Matching queue", ViewId.QUEUE, blocks, close="Close")


def _entry(submission: Submission, now: datetime, words: Words) -> list[Block]:
    mentee = submission.mentee
    about = " · ".join(filter(None, [mentee.title, mentee.functional_area]))
    wants = f"\nWants to learn: {escape(', '.join(mentee.interests))}" if mentee.interests else ""
    blocks: list[Block] = [
        section(
            f"*{escape(mentee.display_name)}* ({mention(mentee.slack_user_id)})"
            + (f" · {escape(about)}" if about else "")
            + f" · waiting {age(submission.created_at, now)}{wants}\n"
            + quote(submission.message, 1200),
            block_id=f"submission-{submission.id}",
        )
    ]
    for p in submission.preferences:
        blocks.append(_preference(p, mentee.display_name, words))
    blocks += [
        actions(
            button(
                "Close with a reason",
                Action.CLOSE_SUBMISSION,
                str(submission.id),
                style="danger",
            )
        ),
        divider(),
    ]
    return blocks


def _preference(p: Preference, mentee_name: str, words: Words) -> Block:
    m = p.mentor
    load = f"{p.open_slots} of {m.mentor_capacity} slots open" if p.open_slots else "no open slot"
    if p.paused:
        load += " · paused"
    reasons = "; ".join(f.label for f in p.score.factors if f.points and not f.availability)
    text = f"{p.rank}. *{escape(m.display_name)}* · {p.score.total}% match · {load}" + (
        f"\n{escape(reasons)}" if reasons else ""
    )
    if p.open_slots <= 0 or p.paused:
        return section(text)
    return section(
        text,
        accessory=button(
            "Assign",
            Action.ASSIGN,
            str(p.request.id),
            style="primary",
            confirm=confirm(
                f"Assign {m.display_name}?",
                f"{mentee_name} and {m.display_name} start mentoring now and get a group DM. "
                f"The other preferred {words.mentors} are not told anything.",
                "Assign",
            ),
        ),
    )


def close_submission_modal(*, submission: Submission, queue_view_id: str, words: Words) -> View:
    """Ask the admin why the submission is closed; the mentee sees the reason."""
    return modal(
        "Close preferences",
        ViewId.CLOSE_SUBMISSION,
        [
            section(
                f"Closing *{escape(submission.mentee.display_name)}*'s preferences without a "
                f"match. They will see your reason; the {words.mentors} they chose are not told."
            ),
            InputBlock(
                block_id=Field.REASON,
                label="Reason",
                element=PlainTextInputElement(
                    action_id=Field.REASON,
                    multiline=True,
                    max_length=MAX_CLOSE_REASON_LENGTH,
                    placeholder=f"e.g. None of these {words.mentors} has room this quarter.",
                ),
            ),
        ],
        submit="Close them",
        private_metadata=json.dumps({"submission": submission.id, "queue": queue_view_id}),
    )


def _where(conversation_id: str | None) -> str:
    return (
        f"Say hello in your shared conversation: <#{conversation_id}>."
        if conversation_id
        else "You'll find each other in a group DM."
    )


def assigned_notice_for_mentee(
    mentor: MemberView, conversation_id: str | None, words: Words
) -> tuple[str, list[Block]]:
    """To the mentee: an admin matched them with one of their preferred mentors."""
    text = f"A program admin matched you with {mentor.display_name}!"
    return text, [
        section(
            f":tada: A program admin matched you with *{escape(mentor.display_name)}* as your "
            f"{words.mentor}! {_where(conversation_id)}"
        )
    ]


def assigned_notice_for_mentor(
    mentee: MemberView, message: str, conversation_id: str | None, words: Words
) -> tuple[str, list[Block]]:
    """To the mentor: an admin matched them with a mentee who chose them."""
    text = f"A program admin matched you with {mentee.display_name} as your {words.mentee}."
    return text, [
        section(
            f":handshake: A program admin matched you with *{escape(mentee.display_name)}* as "
            f"your {words.mentee}: they chose you. {_where(conversation_id)}"
        ),
        section(profile_summary(mentee, words)),
        section(f"*What they wrote*\n{quote(message, 1500)}"),
    ]


def closed_notice(submission: Submission, words: Words) -> tuple[str, list[Block]]:
    """To the mentee: an admin closed their preferences without a match."""
    text = "A program admin closed your preferences without a match."
    body = ":lock: A program admin closed your preferences without a match:\n" + _ranked(
        submission.preferences
    )
    if submission.close_reason:
        body += f"\n*Reason:* {escape(submission.close_reason)}"
    return text, [
        section(body),
        context(f"You can choose {words.mentors} again from the app's Home tab."),
    ]


def expired_notice(submission: Submission, words: Words) -> tuple[str, list[Block]]:
    """To the mentee: their preferences waited too long and were closed."""
    text = "Your preferences waited too long for a match and were closed."
    return text, [
        section(
            ":hourglass: Your preferences waited a long time without a match, so we closed them "
            "to free you up:\n" + _ranked(submission.preferences)
        ),
        context(
            f"It's not about you: it's a busy time for the program. Choose {words.mentors} "
            "again from the app's Home tab, or ask a program admin."
        ),
    ]
