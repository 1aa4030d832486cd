"""Pushed recommendations: the admin's push form and report, and the mentee's direct message."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, InputBlock, StaticSelectElement
from slack_sdk.models.views import View

from blocks.ids import Action, Field
from blocks.ids import View as ViewId
from blocks.kit import button, context, header, modal, option, section
from blocks.text import escape, plural
from mentoring.core.wording import Words
from mentoring.recommendations.plan import MAX_PER_MENTEE
from mentoring.recommendations.service import PushReport, Recommended

DEFAULT_PER_MENTEE = 3


def recommend_modal(*, functional_areas: Sequence[str], words: Words) -> View:
    """How many mentors per mentee, and which mentees."""
    counts = [option(str(n), str(n)) for n in range(1, MAX_PER_MENTEE + 1)]
    blocks: list[Block] = [
        section(
            f"Recommend {words.mentors} to every {words.mentee} who doesn't have "
            f"{words.a_mentor} yet. Each gets a direct message listing their {words.mentors}; "
            "this replaces the recommendations they had."
        ),
        InputBlock(
            block_id=Field.PER_MENTEE,
            label=f"{words.mentors_title} per {words.mentee}",
            element=StaticSelectElement(
                action_id=Field.PER_MENTEE,
                options=counts,
                initial_option=counts[DEFAULT_PER_MENTEE - 1],
            ),
        ),
        InputBlock(
            block_id=Field.FUNCTIONAL_AREA,
            label=f"Only {words.mentees} in this functional area",
            optional=True,
            hint=f"Leave empty for every {words.mentee} without {words.a_mentor}.",
            element=StaticSelectElement(
                action_id=Field.FUNCTIONAL_AREA,
                placeholder="All areas",
                options=[option(a, a) for a in functional_areas[:100]],
            ),
        ),
        context(
            f"Best matches first, spread so that no {words.mentor} is recommended far beyond "
            "their open slots."
        ),
    ]
    return modal("Recommend", ViewId.RECOMMEND, blocks, submit="Push")


def working_modal(words: Words) -> View:
    """Shown while the push is computed; the report follows in a direct message."""
    return modal(
        "Recommend",
        ViewId.RECOMMEND,
        [
            section(
                f":hourglass_flowing_sand: Matching {words.mentees} with {words.mentors}. "
                "I'll send you the result in a direct message in a moment."
            )
        ],
        close="Close",
    )


def push_report(report: PushReport, words: Words) -> tuple[str, list[Block]]:
    """What the push did: who got how many, and how the load spread over mentors."""

    def mentees(count: int) -> str:
        return plural(count, words.mentee, words.mentees)

    scope = (
        f"{words.mentees} in {escape(report.functional_area)}"
        if report.functional_area
        else f"{words.mentees} without {words.a_mentor}"
    )
    if not report.mentees_recommended:
        if not report.mentees_considered:
            why = f"there are no {scope}"
        elif report.mentees_changed:
            why = f"the {words.mentees} or their {words.mentors} changed while it ran; try again"
        else:
            why = f"no {words.mentor} has an open slot"
        return f"No recommendations were sent: {why}.", [
            section(f":information_source: No recommendations were sent: {why}.")
        ]
    lines = [
        f":white_check_mark: *{mentees(report.mentees_recommended)}* got "
        f"{plural(report.recommendations, 'recommendation')} (up to {report.per_mentee} each); "
        f"{report.mentees_considered} {scope} were considered."
    ]
    if report.mentees_short:
        lines.append(
            f"{mentees(report.mentees_short)} got fewer than {report.per_mentee}: "
            f"not enough {words.mentors} with open slots."
        )
    if report.mentees_changed:
        lines.append(
            f"{mentees(report.mentees_changed)} changed while the push ran (matched, "
            f"recommended again, or their {words.mentors} became unavailable) and "
            f"{_keep(report.mentees_changed)} what they had."
        )
    missed = report.mentees_considered - report.mentees_recommended - report.mentees_changed
    if missed > 0:
        lines.append(f"{mentees(missed)} got none and {_keep(missed)} what they had.")
    spread = (
        f"*Load:* {report.mentors_used} of "
        f"{plural(report.mentors_available, words.mentor, words.mentors)} with "
        f"open slots recommended; at most {plural(report.max_per_mentor, 'time')} each."
    )
    busiest = "\n".join(
        f"• {escape(b.mentor.display_name)}: recommended to "
        f"{mentees(b.recommended_to)} · {plural(b.open_slots, 'open slot')}"
        for b in report.busiest
    )
    text = (
        f"Recommendations sent to {mentees(report.mentees_recommended)}; "
        f"at most {report.max_per_mentor} per {words.mentor}."
    )
    return text, [
        header("Recommendations sent"),
        section("\n".join(lines)),
        section(spread + ("\n" + busiest if busiest else "")),
        context(f"Each {words.mentee} gets a direct message and sees them on Home."),
    ]


def _keep(count: int) -> str:
    return "keeps" if count == 1 else "keep"


def recommendations_notice(
    recommended: Sequence[Recommended], *, words: Words, choose: bool
) -> tuple[str, list[Block]]:
    """The mentee's direct message listing the mentors recommended to them.

    ``choose``: the program matches through its admins, so the button adds the mentor to the
    mentee's preferences instead of sending a request.
    """
    text = (
        f"The program recommends {plural(len(recommended), words.mentor, words.mentors)} for you."
    )
    blocks: list[Block] = [
        header(f"{words.mentors_title} recommended for you"),
        section(
            f"A program admin picked these {words.mentors} for you, best match first. "
            + (
                "Choose the ones you'd like, in order, and the admins will match you."
                if choose
                else "Send a request to the one you'd like to work with."
            )
        ),
    ]
    for rec in recommended:
        blocks.append(recommended_line(rec, words=words, choose=choose))
    blocks.append(context("They are also on the app's Home tab."))
    return text, blocks


def recommended_line(rec: Recommended, *, words: Words, choose: bool) -> Block:
    m = rec.mentor
    about = " · ".join(filter(None, [m.title, m.functional_area]))
    reasons = "; ".join(f.label for f in rec.score.factors if f.points and not f.availability)
    slots = plural(rec.open_slots, "open slot") if rec.open_slots else "no open slot right now"
    return section(
        f"*{escape(m.display_name)}*"
        + (f" · {escape(about)}" if about else "")
        + f"\n{rec.score.total}% match"
        + (f": {escape(reasons)}" if reasons else "")
        + f" · {slots}",
        accessory=button("Choose" if choose else "Request", Action.REQUEST_MENTOR, m.slack_user_id),
    )
