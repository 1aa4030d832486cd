"""``mentor-match seed-demo``: a realistic demo program built only with the real operations.

About 40 mentors and 60 mentees (:mod:`bot.demo.people`) live through a few months of
program history: requests sent, answered, withdrawn, expired, closed and cancelled; relationships
started, finished and abandoned. Each story is planned with timestamps in the past and then
replayed in time order through the mentoring operations with those ``now`` values, so every row
is what the app itself would have written: events, outbox rows, counters, partial indexes.

Pending requests are spread so the scheduler has work soon after the demo starts: some are
fresh, some 2-3 days old (the first reminder is near), some 12-13 days old (already reminded
twice, auto-close is near).

Seeding is all or nothing (one transaction) and only fills an empty workspace: run it again and
it sees the demo people there and does nothing; a workspace with other members is refused.

Modules: ``people`` (who is in it), ``texts`` (the invented material), ``timeline`` (steps
planned in the past, replayed through the real operations), ``stories`` (what each mentee lived
through), ``seed`` (``seed_demo`` and what it returns).
"""

from bot.demo.people import DemoPerson
from bot.demo.seed import (
    DEMO_TEAM_ID,
    DemoError,
    DemoProgram,
    demo_program,
    describe,
    seed_demo,
)

__all__ = [
    "DEMO_TEAM_ID",
    "DemoError",
    "DemoPerson",
    "DemoProgram",
    "demo_program",
    "describe",
    "seed_demo",
]
