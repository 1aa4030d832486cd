"""Admin counts with requests, offers and admin-routed submissions mixed, by hand-computed figures.

The data set (NOW = Mon Mar 2 2026 09:00 UTC; ``-Nd`` is N days before NOW):

    #   kind        who                        created  outcome
    R1  request     Eve -> Ada                 -10d     accepted -9d (24h)
    R2  request     Gus -> Ada                 -8d      declined -6d, "Other" (48h)
    R3  request     Hal -> Bob                 -3d      pending (72h by NOW)
    O1  offer       Bob offers Ivy             -12d     accepted by Ivy -2d (240h)
    O2  offer       Cat offers Jo              -5d      pending (120h by NOW)
    S1  submission  Jo ranks Ada, Bob          -4d      pending (96h by NOW)
    S2  submission  Gus ranks Bob, Cat         -7d      Cat (rank 2) assigned -5d (48h to match)
    S3  submission  Hal ranks Ada, Cat, Bob    -20d     closed by an admin -18d
    S4  submission  Ivy ranks Ada              -40d     closed automatically -26d
    S5  submission  Eve ranks Bob, Ada         -15d     withdrawn -14d
    S6  submission  Kim ranks Cat              -13d     pending (312h by NOW; auto-closes in 1 day)

Eleven preference rows make six submissions. Requests are R1-R3 and O1-O2, whatever the program
counts; the preferences must change none of the request figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring.core.audit import Notice
from mentoring.core.figures import DurationStats
from mentoring.directory.stats import response_times
from mentoring.home.app_home import admin_summary
from mentoring.program.settings_changes import update_settings
from mentoring.reports.dashboard import StatusFilter, pipeline_page
from mentoring.reports.digest import weekly_digest
from mentoring.reports.health import ReasonCount, program_health
from mentoring.reports.health import trailing_period as period
from mentoring.reports.people import MentorResponse
from mentoring.routing.assignment import withdraw_submission
from mentoring.routing.notices import announce_submission
from mentoring.routing.preferences import submit_preferences
from mentoring.routing.queue import QueueSummary, SubmissionStats, submission_stats
from mentoring.routing.submissions import SubmissionStatus
from mentoring.sweep.sweep import sweep
from scheduler.render.dispatch import render
from store.db import Database
from store.enums import OutboxStatus, RequestKind, RequestStatus
from store.models import OutboxMessage, Request
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.rows import add_request

S = RequestStatus
H = timedelta(hours=1)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@dataclass(frozen=True)
class Program:
    people: dict[str, int]
    requests: dict[str, int]  # R1..O2 -> request id
    submissions: dict[str, int]  # S1..S6 -> rank-1 request id


def _submission(
    s: Session,
    mentee: int,
    mentors: Sequence[int],
    created: datetime,
    status: RequestStatus = S.PENDING,
    answered: datetime | None = None,
    *,
    assigned_rank: int | None = None,
) -> int:
    """A submission's rows as the routing operations leave them; returns the rank-1 id."""
    ids = []
    for rank, mentor in enumerate(mentors, start=1):
        row_status = status
        if assigned_rank is not None:
            row_status = S.ACCEPTED if rank == assigned_rank else S.CANCELLED
        row = add_request(
            s,
            mentee,
            mentor,
            created,
            row_status,
            answered,
            kind=RequestKind.ADMIN_ROUTED,
            reason="No room this quarter",
        )
        row.preference_rank = rank
        ids.append(row.id)
    return ids[0]


@pytest.fixture
def program(db: Database) -> Program:
    f.workspace(db)
    p = {name: f.mentor(db, f"U{name.upper()}", display_name=name).id for name in ("Ada", "Bob")}
    p["Cat"] = f.mentor(db, "UCAT", display_name="Cat").id
    for name in ("Eve", "Gus", "Hal", "Ivy", "Jo", "Kim"):
        p[name] = f.mentee(db, f"U{name.upper()}", display_name=name).id
    offer = RequestKind.MENTOR_OFFER
    with db.write() as s:
        r = {
            "R1": add_request(s, p["Eve"], p["Ada"], ago(10), S.ACCEPTED, ago(9)),
            "R2": add_request(s, p["Gus"], p["Ada"], ago(8), S.DECLINED, ago(6), reason="Other"),
            "R3": add_request(s, p["Hal"], p["Bob"], ago(3)),
            "O1": add_request(s, p["Ivy"], p["Bob"], ago(12), S.ACCEPTED, ago(2), kind=offer),
            "O2": add_request(s, p["Jo"], p["Cat"], ago(5), kind=offer),
        }
        subs = {
            "S1": _submission(s, p["Jo"], [p["Ada"], p["Bob"]], ago(4)),
            "S2": _submission(
                s, p["Gus"], [p["Bob"], p["Cat"]], ago(7), answered=ago(5), assigned_rank=2
            ),
            "S3": _submission(
                s, p["Hal"], [p["Ada"], p["Cat"], p["Bob"]], ago(20), S.CLOSED_BY_ADMIN, ago(18)
            ),
            "S4": _submission(s, p["Ivy"], [p["Ada"]], ago(40), S.EXPIRED, ago(26)),
            "S5": _submission(s, p["Eve"], [p["Bob"], p["Ada"]], ago(15), S.WITHDRAWN, ago(14)),
            "S6": _submission(s, p["Kim"], [p["Cat"]], ago(13)),
        }
        # One notification Slack refused about a request, one about a submission.
        for request_id, notice in (
            (r["R2"].id, Notice.REQUEST_DECLINED),
            (subs["S3"], Notice.MATCH_CLOSED),
        ):
            s.add(
                OutboxMessage(
                    team_id=TEAM,
                    kind=notice.value,
                    request_id=request_id,
                    status=OutboxStatus.FAILED,
                    created_at=ago(6),
                    next_attempt_at=ago(6),
                    last_error="user_not_found",
                )
            )
    return Program(p, {k: v.id for k, v in r.items()}, subs)


def test_the_dashboard_lists_requests_and_offers_and_counts_each_waiting_submission_once(
    db: Database, program: Program
) -> None:
    with db.read() as s:
        pending = pipeline_page(session=s, team_id=TEAM)
        everything = pipeline_page(session=s, team_id=TEAM, status=StatusFilter.ALL)

    assert dict(pending.counts) == {
        StatusFilter.PENDING: 2,  # R3, O2 (not the three waiting preferences of S1 and S6)
        StatusFilter.ACCEPTED: 2,  # R1, O1 (not S2's assigned preference)
        StatusFilter.DECLINED: 1,  # R2
        StatusFilter.EXPIRED: 0,  # (not S4)
        StatusFilter.CLOSED: 0,  # (not S3's three preferences)
        StatusFilter.WITHDRAWN: 0,  # (not S5's two, nor S2's cancelled one)
        StatusFilter.ALL: 5,
    }
    r = program.requests
    assert [row.request.id for row in pending.rows] == [r["O2"], r["R3"]]  # oldest first
    assert [row.request.id for row in everything.rows] == [
        r["O1"],
        r["R1"],
        r["R2"],
        r["O2"],
        r["R3"],
    ]
    assert {row.request.kind for row in everything.rows} == {
        RequestKind.MENTEE_REQUEST,
        RequestKind.MENTOR_OFFER,
    }
    assert all(row.can_close for row in pending.rows)
    assert pending.failed_deliveries == 1  # about R2; the one about S3 is the queue's
    assert pending.queue == QueueSummary(waiting=2, oldest=ago(13), failed_deliveries=1)


def test_home_admin_summary_counts_a_submission_once(db: Database, program: Program) -> None:
    with db.read() as s:
        summary = admin_summary(s, TEAM)
    assert (summary.pending_requests, summary.waiting_submissions) == (2, 2)
    assert (summary.mentors, summary.mentees, summary.failed_notifications) == (3, 6, 2)


def test_the_digest_lists_requests_and_counts_the_queue_apart(
    db: Database, program: Program
) -> None:
    with db.read() as s:
        digest = weekly_digest(session=s, team_id=TEAM, now=NOW)

    assert digest.pending == 2
    r = program.requests
    assert [line.request.id for line in digest.oldest] == [r["O2"], r["R3"]]
    # Closing within 2 days means created more than 12 days ago: no request is; S6 is.
    assert digest.expiring_soon == ()
    assert digest.queue == QueueSummary(waiting=2, oldest=ago(13))
    assert digest.queue_closing_soon == 1


def test_health_request_figures_leave_every_preference_out(db: Database, program: Program) -> None:
    start, end = period(NOW, 30)
    with db.read() as s:
        report = program_health(session=s, team_id=TEAM, start=start, end=end, now=NOW)

    # R1, R2, R3, O1, O2 (S4's expiry on Feb 4 is inside the range, and must not count).
    assert report.total_requests == 5
    assert {k: v for k, v in report.by_status.items() if v} == {
        S.PENDING: 2,
        S.ACCEPTED: 2,
        S.DECLINED: 1,
    }
    # Decided: R1, R2, O1.
    assert (report.acceptance_rate, report.decline_rate, report.expiry_rate) == (2 / 3, 1 / 3, 0)
    # R1 24h, R2 48h, O1 240h: mean 104h, median 48h.
    assert report.answer_time == DurationStats(3, 104 * H, 48 * H)
    # R3 72h, O2 120h.
    assert report.waiting_time == DurationStats(2, 96 * H, 96 * H)
    assert report.pending_now == DurationStats(2, 96 * H, 96 * H)
    assert report.decline_reasons == (ReasonCount("Other", 1),)
    # Only requests mentees sent: Bob's offer (answered by Ivy after 240h) and every preference
    # (S2's assignment of Cat included) say nothing about how a mentor answers. Cat has neither.
    p = program.people
    assert report.mentor_response == (
        MentorResponse(p["Bob"], "UBOB", "Bob", answered=0, pending=1, average=None, median=None),
        MentorResponse(
            p["Ada"], "UADA", "Ada", answered=2, pending=0, average=36 * H, median=36 * H
        ),
    )
    weeks = report.weekly
    assert sum(w.created for w in weeks) == 5
    assert (sum(w.accepted for w in weeks), sum(w.declined for w in weeks)) == (2, 1)
    assert sum(w.expired for w in weeks) == 0


def test_directory_response_times_count_only_what_mentors_answered(
    db: Database, program: Program
) -> None:
    p = program.people
    with db.read() as s:
        times = response_times(session=s, mentor_ids=[p["Ada"], p["Bob"], p["Cat"]])
    # Ada: R1 24h, R2 48h. Bob's only answer is his offer's (Ivy's); Cat's an assignment.
    assert times == {p["Ada"]: 36 * H}


def test_submissions_have_figures_of_their_own(db: Database, program: Program) -> None:
    def stats(days: int) -> SubmissionStats | None:
        start, end = period(NOW, days)
        with db.read() as s:
            return submission_stats(session=s, team_id=TEAM, start=start, end=end, now=NOW)

    month, year = stats(30), stats(365)

    assert month is not None and year is not None
    # S1, S2, S3, S5, S6 (S4 was made 40 days ago).
    assert month.submitted == 5
    assert {k: v for k, v in month.by_status.items() if v} == {
        SubmissionStatus.PENDING: 2,
        SubmissionStatus.ASSIGNED: 1,
        SubmissionStatus.CLOSED: 1,
        SubmissionStatus.WITHDRAWN: 1,
    }
    assert month.time_to_match == DurationStats(1, 48 * H, 48 * H)  # S2
    assert month.waiting_now == DurationStats(2, 204 * H, 204 * H)  # S1 96h, S6 312h
    assert year.submitted == 6
    assert year.by_status[SubmissionStatus.EXPIRED] == 1
    assert year.waiting_now == month.waiting_now  # "now", whatever the period


def test_submission_figures_appear_once_the_program_matches_through_admins(db: Database) -> None:
    f.workspace(db)
    ada, eve = f.mentor(db, "UADA").id, f.mentee(db, "UEVE").id
    start, end = period(NOW, 30)
    with db.write() as s:
        add_request(s, eve, ada, ago(2))
    with db.read() as s:
        assert submission_stats(session=s, team_id=TEAM, start=start, end=end, now=NOW) is None
        assert pipeline_page(session=s, team_id=TEAM).queue is None
    with db.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"matching_mode": "admin_routed"},
            now=NOW,
        )
    with db.read() as s:
        stats = submission_stats(session=s, team_id=TEAM, start=start, end=end, now=NOW)
        queue = pipeline_page(session=s, team_id=TEAM).queue
    assert stats is not None and stats.submitted == 0
    assert stats.time_to_match == DurationStats(0, None, None)
    assert queue == QueueSummary(waiting=0, oldest=None)


def test_waiting_submissions_are_escalated_once_each(db: Database, program: Program) -> None:
    with db.write() as s:
        first = sweep(session=s, team_id=TEAM, now=NOW, admin_user_ids=("UADMIN", "UANN"))
    with db.write() as s:
        again = sweep(session=s, team_id=TEAM, now=NOW + H, admin_user_ids=("UADMIN", "UANN"))

    # Escalation after 10 days: S6 (13 days) only; R3, O2 and S1 are younger.
    assert (first.escalated, again.escalated) == (1, 0)
    with db.read() as s:
        rows = s.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == Notice.ADMIN_ESCALATION.value)
            .order_by(OutboxMessage.id)
        ).all()
        stamped = s.scalars(select(Request.id).where(Request.escalated_at.is_not(None))).all()
        outgoing = render(s, rows[0], NOW)
    assert [
        (r.payload["user"], r.payload["request_ids"], r.payload["submission_ids"]) for r in rows
    ] == [
        ("UADMIN", [], [program.submissions["S6"]]),
        ("UANN", [], [program.submissions["S6"]]),
    ]
    assert stamped == [program.submissions["S6"]]  # its rank-1 row stands for it
    assert outgoing is not None and outgoing.channel == "UADMIN"
    assert outgoing.text == "1 submission waited too long in the matching queue."
    shown = str(outgoing.blocks)
    assert "1 submission waiting to be matched, for 13 days" in shown
    assert "/mentor-admin queue" in shown and "queue.open" in shown

    # Decided before the notice went out: nothing left to say.
    with db.write() as s:
        s.get_one(Request, program.submissions["S6"]).status = S.CLOSED_BY_ADMIN
    with db.read() as s:
        assert render(s, rows[1], NOW + H) is None


@pytest.fixture
def routed(db: Database) -> Database:
    f.workspace(db)
    f.mentor(db, "UADA", display_name="Ada")
    f.mentor(db, "UBOB", display_name="Bob")
    f.mentee(db, "UJO", display_name="Jo <!here>")
    with db.write() as s:
        update_settings(
            session=s,
            team_id=TEAM,
            actor="UADMIN",
            changes={"matching_mode": "admin_routed"},
            now=NOW,
        )
    return db


def _admin_notices(db: Database) -> list[OutboxMessage]:
    with db.read() as s:
        return list(
            s.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.kind == Notice.ADMIN_SUBMISSION.value)
                .order_by(OutboxMessage.id)
            )
        )


def test_admins_are_told_of_a_submission_once_each(routed: Database) -> None:
    db = routed
    with db.write() as s:
        submission = submit_preferences(
            session=s,
            team_id=TEAM,
            mentee_user_id="UJO",
            mentor_user_ids=["UBOB", "UADA"],
            message="I'd love help preparing my first conference talk.",
            now=NOW,
            admin_user_ids=["UADMIN", "UANN", "UADMIN", " "],
        )
    # Told again, with one more admin (a Slack admin found afterwards): only the new one.
    with db.write() as s:
        addressed = announce_submission(
            session=s,
            team_id=TEAM,
            submission_id=submission.id,
            admin_user_ids=["UANN", "USLACK"],
            now=NOW + H,
        )
    notices = _admin_notices(db)
    assert addressed == 2
    assert [(n.payload["user"], n.request_id, n.dedupe_key) for n in notices] == [
        ("UADMIN", submission.id, f"submission:{submission.id}:UADMIN"),
        ("UANN", submission.id, f"submission:{submission.id}:UANN"),
        ("USLACK", submission.id, f"submission:{submission.id}:USLACK"),
    ]

    with db.read() as s:
        outgoing = render(s, notices[0], NOW + H)
    assert outgoing is not None and outgoing.channel == "UADMIN"
    assert outgoing.text == "Jo <!here> is waiting to be matched with a mentor."
    shown = str(outgoing.blocks)
    assert "*Jo &lt;!here&gt;* chose 2 mentors and is waiting to be matched." in shown
    assert "1. *Bob*" in shown and "2. *Ada*" in shown
    assert "In the queue now: 1 submission waiting to be matched, for 1 hour." in shown
    assert "queue.open" in shown

    # Withdrawn before delivery: not announced, and not announced again.
    with db.write() as s:
        withdraw_submission(
            session=s, team_id=TEAM, request_id=submission.id, actor_user_id="UJO", now=NOW + H
        )
    with db.write() as s:
        late = announce_submission(
            session=s,
            team_id=TEAM,
            submission_id=submission.id,
            admin_user_ids=["ULATE"],
            now=NOW + 2 * H,
        )
    with db.read() as s:
        assert render(s, notices[1], NOW + 2 * H) is None
    assert late == 0 and len(_admin_notices(db)) == 3
