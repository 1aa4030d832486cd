"""The health report's "Relationships" section."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from blocks.kit import context, header, section
from blocks.reports.health import duration_text, percent
from mentoring.core.wording import Words
from mentoring.relationships.stats import RelationshipHealth


def relationship_blocks(stats: RelationshipHealth, words: Words) -> list[Block]:
    """Every relationship figure of the period, and what each is over."""
    rating = "–" if stats.average_rating is None else f"{stats.average_rating:.1f} / 5"
    length = "–" if stats.median_length is None else duration_text(stats.median_length)
    return [
        header("Relationships"),
        section(
            f"*{stats.active}* active now · *{stats.started}* started · *{stats.ended}* ended "
            f"(median length {length})\n"
            f"*Check-ins:* {stats.checkins_asked} asked · "
            f"{percent(stats.checkin_response_rate)} of answers given · "
            f"{percent(stats.checkin_met_rate)} of answered ones met\n"
            f"*At risk:* {stats.at_risk} now · {stats.flagged} flagged in the period\n"
            f"*Completion:* {percent(stats.completion_rate)} of ended ones finished as planned\n"
            f"*Feedback:* {stats.feedback_answers} answers · average rating {rating} · goals "
            f"met fully {stats.goals_fully}, partly {stats.goals_partly}, not "
            f"{stats.goals_not}\n"
            f"*Match rate:* {percent(stats.match_rate)} of {stats.match_cohort} "
            f"{words.mentees} had {words.a_mentor} within 30 days of joining"
        ),
        context(
            f"Match rate: {words.mentees} whose first 30 days ended in this period. Programs "
            "aim for over 70%. `/mentor-admin relationships` lists the pairs at risk."
        ),
    ]
