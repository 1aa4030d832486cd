"""Program health metrics over a fixed data set, checked against hand-computed figures.

The data set (February 2026, team T0TEST; request numbers are referred to in the comments):

    R#   mentee -> mentor  kind    created      outcome                     took
    R1   m1 -> Ada         request Feb 2 10:00  accepted Feb 3 10:00        24h
    R2   m2 -> Ada         request Feb 3 09:00  declined Feb 5 09:00 (time) 48h
    R3   m3 -> Bob         request Feb 10 12:00 accepted Feb 10 18:00        6h
    R4   m4 -> Bob         request Feb 11 00:00 declined Feb 12 00:00 (time) 24h
    R5   m5 -> Bob         request Feb 17 00:00 declined Feb 17 12:00 (fit)  12h
    R6   m6 -> Cy          request Feb 2 12:00  expired Feb 16 12:00
    R7   m1 -> Cy          request Feb 24 09:00 pending                     144h by NOW
    R8   m2 -> Bob         request Feb 27 09:00 pending                      72h by NOW
    R9   m3 -> Ada         request Feb 25 00:00 withdrawn Feb 26
    R10  Ada offers m4     offer   Feb 18 00:00 accepted Feb 18 08:00        8h
    R11  m5 -> Ada         request Jan 30       declined Feb 2 12:00 (other: before the range)
    R12  m5 -> Cy          request Feb 20 00:00 closed by admin Feb 21
    R13  m6 -> Ada         request Feb 23 00:00 declined Feb 23 06:00 (none) 6h
    R14  m6 -> Bob         request Feb 28 00:00 accepted Mar 2 00:00         48h
    R15  Bob offers m8     offer   Feb 28 09:00 pending                      48h by NOW
    R16  m6 -> Bob         request Mar 2 00:00  pending (at `end`: outside the range)

Range: [Feb 2, Mar 2) = ISO weeks 6-9 of 2026; NOW = Mar 2 09:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentoring.core.errors import InvalidInput, NotFound
from mentoring.core.figures import DurationStats
from mentoring.reports.health import (
    HealthReport,
    ReasonCount,
    WeekTrend,
    program_health,
    trailing_period,
)
from mentoring.reports.people import MenteeRow, MentorLoad, MentorResponse
from store.db import Database
from store.enums import RequestKind, RequestStatus
from store.models import Member
from tests import factories as f
from tests.conftest import NOW, TEAM
from tests.rows import add_relationship, add_request

OTHER_TEAM = "T0OTHER"
START = datetime(2026, 2, 2, tzinfo=UTC)
END = datetime(2026, 3, 2, tzinfo=UTC)
TIME = "I don't have time right now"
FIT = "My expertise isn't the right fit"
GUS_ENROLLED = datetime(2026, 1, 1, tzinfo=UTC)


def feb(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 2, day, hour, tzinfo=UTC)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


@pytest.fixture
def seeded(db: Database) -> dict[str, int]:
    """The data set in the module docstring, plus another team's look-alike data."""
    f.workspace(db)
    f.workspace(db, OTHER_TEAM)
    ids = {
        "ada": f.mentor(db, "UADA", display_name="Ada", mentor_capacity=2).id,
        "bob": f.mentor(db, "UBOB", display_name="Bob", mentor_capacity=4).id,
        "cy": f.mentor(db, "UCY", display_name="Cy", mentor_capacity=1).id,
    }
    for n in range(1, 7):
        ids[f"m{n}"] = f.mentee(db, f"UM{n}").id
    ids["gus"] = f.mentee(db, "UGUS", display_name="Gus").id  # m7: nothing at all
    ids["fay"] = f.mentee(db, "UFAY", display_name="Fay").id  # m8: only received an offer
    ids["m9"] = f.mentee(db, "UM9").id  # a mentor assigned without any request
    xena = f.mentor(db, "UX", OTHER_TEAM, display_name="Xena", mentor_capacity=1).id
    yan = f.mentee(db, "UY", OTHER_TEAM).id
    f.mentee(db, "UZ", OTHER_TEAM, display_name="Zed")

    a, b, c = ids["ada"], ids["bob"], ids["cy"]
    acc, dec, st = RequestStatus.ACCEPTED, RequestStatus.DECLINED, RequestStatus
    offer = RequestKind.MENTOR_OFFER
    with db.write() as s:
        s.get_one(Member, ids["gus"]).enrolled_at = GUS_ENROLLED
        r1 = add_request(s, ids["m1"], a, feb(2, 10), acc, feb(3, 10))
        add_request(s, ids["m2"], a, feb(3, 9), dec, feb(5, 9), reason=TIME)
        r3 = add_request(s, ids["m3"], b, feb(10, 12), acc, feb(10, 18))
        add_request(s, ids["m4"], b, feb(11), dec, feb(12), reason=TIME)
        add_request(s, ids["m5"], b, feb(17), dec, feb(17, 12), reason=FIT)
        add_request(s, ids["m6"], c, feb(2, 12), st.EXPIRED, feb(16, 12))
        add_request(s, ids["m1"], c, feb(24, 9))
        add_request(s, ids["m2"], b, feb(27, 9))
        add_request(s, ids["m3"], a, feb(25), st.WITHDRAWN, feb(26))
        r10 = add_request(s, ids["m4"], a, feb(18), acc, feb(18, 8), kind=offer)
        jan30 = datetime(2026, 1, 30, tzinfo=UTC)
        add_request(s, ids["m5"], a, jan30, dec, feb(2, 12), reason="Other")
        add_request(s, ids["m5"], c, feb(20), st.CLOSED_BY_ADMIN, feb(21))
        add_request(s, ids["m6"], a, feb(23), dec, feb(23, 6))
        r14 = add_request(s, ids["m6"], b, feb(28), acc, END)
        add_request(s, ids["fay"], b, feb(28, 9), kind=offer)
        add_request(s, ids["m6"], b, END)

        add_relationship(s, a, ids["m1"], feb(3, 10), r1)
        add_relationship(s, a, ids["m4"], feb(18, 8), r10)
        add_relationship(s, b, ids["m3"], feb(10, 18), r3)
        add_relationship(s, b, ids["m6"], END, r14)
        add_relationship(s, b, ids["m9"], datetime(2026, 1, 10, tzinfo=UTC))
        # Finished: if it counted, Bob (capacity 4) would look full.
        add_relationship(
            s,
            b,
            ids["m2"],
            datetime(2026, 1, 5, tzinfo=UTC),
            ended=datetime(2026, 1, 20, tzinfo=UTC),
        )
        add_relationship(s, c, ids["m5"], datetime(2026, 1, 12, tzinfo=UTC))

        # The other team: figures that would show up anywhere above if the team were ignored.
        other = OTHER_TEAM
        add_request(s, yan, xena, feb(10), acc, feb(11), team_id=other)
        add_request(s, yan, xena, feb(12), dec, feb(13), reason="Busy elsewhere", team_id=other)
        add_request(s, yan, xena, feb(20), team_id=other)
        add_relationship(s, xena, yan, feb(11), team_id=other)
    return ids


def report(
    db: Database,
    start: datetime = START,
    end: datetime = END,
    now: datetime = NOW,
    team_id: str = TEAM,
) -> HealthReport:
    with db.read() as session:
        return program_health(session=session, team_id=team_id, start=start, end=end, now=now)


def test_counts_and_rates(seeded: dict[str, int], db: Database) -> None:
    r = report(db)

    # R1-R10, R12-R15: R11 was created before the range, R16 at its (exclusive) end.
    assert r.total_requests == 14
    assert dict(r.by_status) == {
        RequestStatus.PENDING: 3,  # R7, R8, R15
        RequestStatus.ACCEPTED: 4,  # R1, R3, R10, R14
        RequestStatus.DECLINED: 4,  # R2, R4, R5, R13
        RequestStatus.WITHDRAWN: 1,  # R9
        RequestStatus.EXPIRED: 1,  # R6
        RequestStatus.CLOSED_BY_ADMIN: 1,  # R12
        RequestStatus.CANCELLED: 0,
    }
    # Decided = 4 accepted + 4 declined + 1 expired + 1 closed = 10.
    assert r.acceptance_rate == pytest.approx(0.4)
    assert r.decline_rate == pytest.approx(0.4)
    assert r.expiry_rate == pytest.approx(0.1)


def test_answer_and_waiting_times(seeded: dict[str, int], db: Database) -> None:
    r = report(db)

    # Accepted or declined, any kind: 6 6 8 12 | 24 24 48 48 -> sum 176 / 8, median (12+24)/2.
    assert r.answer_time == DurationStats(count=8, average=hours(22), median=hours(18))
    # Pending R7 144h, R8 72h, R15 48h -> sum 264 / 3, median 72.
    assert r.waiting_time == DurationStats(count=3, average=hours(88), median=hours(72))


def test_waiting_times_are_measured_up_to_now(seeded: dict[str, int], db: Database) -> None:
    r = report(db, now=NOW + timedelta(days=1))

    # 168h, 96h, 72h: the same requests, a day older; answered ones do not move.
    assert r.waiting_time == DurationStats(count=3, average=hours(112), median=hours(96))
    assert r.answer_time.average == hours(22)


def test_pending_now_counts_every_pending_request_whatever_the_range(
    seeded: dict[str, int], db: Database
) -> None:
    # R7 144h, R8 72h, R15 48h, and R16 (created at `end`, Mar 2 00:00) 9h; the other team's
    # pending request is not ours. Sum 273 / 4; even count: median (48 + 72) / 2.
    expected = DurationStats(count=4, average=hours(68.25), median=hours(60))
    assert report(db).pending_now == expected
    # A range with no requests at all still shows the backlog.
    long_ago = datetime(2025, 1, 6, tzinfo=UTC)
    empty = report(db, start=long_ago, end=long_ago + timedelta(days=14))
    assert empty.pending_now == expected


def test_trailing_period_includes_now(seeded: dict[str, int], db: Database) -> None:
    start, end = trailing_period(NOW, 7)
    assert (start, end) == (
        NOW - timedelta(days=7) + timedelta(microseconds=1),
        NOW + timedelta(microseconds=1),
    )
    with db.write() as s:
        add_request(s, seeded["m4"], seeded["cy"], NOW)  # created at this very instant
    r = report(db, start=start, end=end)

    # Created after Feb 23 09:00: R7, R8, R9, R14, R15, R16 and the one above; R13 (Feb 23
    # 00:00) is just outside.
    assert r.total_requests == 7
    assert r.by_status[RequestStatus.PENDING] == 5  # R7, R8, R15, R16, the new one
    assert r.acceptance_rate == 1.0  # R14 is the only decided one (R9 was withdrawn)


@pytest.mark.parametrize("days", [0, 14, -7])
def test_trailing_period_offers_only_the_listed_periods(days: int) -> None:
    with pytest.raises(InvalidInput, match="7, 30, 90, 365"):
        trailing_period(NOW, days)


def test_decline_reasons(seeded: dict[str, int], db: Database) -> None:
    # R11's "Other" is before the range; the other team's reason is not ours.
    assert report(db).decline_reasons == (
        ReasonCount(reason=TIME, count=2),  # R2, R4
        ReasonCount(reason=FIT, count=1),  # R5
        ReasonCount(reason=None, count=1),  # R13
    )


def test_mentor_response_slowest_first(seeded: dict[str, int], db: Database) -> None:
    ids = seeded
    assert report(db).mentor_response == (
        # Nothing answered (R6 expired and R12 closed do not count), R7 pending: slowest.
        MentorResponse(ids["cy"], "UCY", "Cy", answered=0, pending=1, average=None, median=None),
        # R1 24h, R2 48h, R13 6h: mean 26h, odd count median 24h. R10 is Ada's own offer.
        MentorResponse(ids["ada"], "UADA", "Ada", 3, 0, average=hours(26), median=hours(24)),
        # R3 6h, R5 12h, R4 24h, R14 48h: mean 22.5h, even count median (12+24)/2. Pending R8
        # (R15 is Bob's offer, R16 is outside the range).
        MentorResponse(ids["bob"], "UBOB", "Bob", 4, 1, average=hours(22.5), median=hours(18)),
    )


def test_mentors_at_capacity(seeded: dict[str, int], db: Database) -> None:
    # Ada 2/2 (m1, m4), Cy 1/1 (m5); Bob has 3 active of 4 (his finished one does not count).
    assert report(db).mentors_at_capacity == (
        MentorLoad(seeded["ada"], "UADA", "Ada", active=2, capacity=2),
        MentorLoad(seeded["cy"], "UCY", "Cy", active=1, capacity=1),
    )


def test_mentees_without_request_or_mentor(seeded: dict[str, int], db: Database) -> None:
    r = report(db)
    gus = MenteeRow(seeded["gus"], "UGUS", "Gus", GUS_ENROLLED)
    fay = MenteeRow(seeded["fay"], "UFAY", "Fay", NOW)

    # Gus enrolled first; Fay only received an offer, which is not a request she sent. m9 never
    # asked but has a mentor; the other team's Zed is not ours.
    assert r.mentees_without_request == (gus, fay)
    # m2's only relationship is finished. Same enrolment time as Fay: by name.
    assert r.mentees_without_mentor == (gus, fay, MenteeRow(seeded["m2"], "UM2", "Mentee UM2", NOW))


def test_weekly_trend_counts_events_by_week(seeded: dict[str, int], db: Database) -> None:
    assert report(db).weekly == (
        # Declined: R2 and R11 (created before the range, declined inside it).
        WeekTrend(2026, 6, date(2026, 2, 2), created=3, accepted=1, declined=2, expired=0),
        WeekTrend(2026, 7, date(2026, 2, 9), created=2, accepted=1, declined=1, expired=0),
        WeekTrend(2026, 8, date(2026, 2, 16), created=3, accepted=1, declined=1, expired=1),
        # R14 was accepted at `end`: after the range.
        WeekTrend(2026, 9, date(2026, 2, 23), created=6, accepted=0, declined=1, expired=0),
    )


def test_partial_weeks_count_only_inside_the_range(seeded: dict[str, int], db: Database) -> None:
    # Wednesday to Wednesday: three weeks, the first and last cut short.
    r = report(db, start=feb(4), end=feb(18))

    assert r.total_requests == 3  # R3, R4, R5
    assert r.weekly == (
        WeekTrend(2026, 6, date(2026, 2, 2), created=0, accepted=0, declined=1, expired=0),
        WeekTrend(2026, 7, date(2026, 2, 9), created=2, accepted=1, declined=1, expired=0),
        WeekTrend(2026, 8, date(2026, 2, 16), created=1, accepted=0, declined=1, expired=1),
    )


def test_empty_range(seeded: dict[str, int], db: Database) -> None:
    r = report(db, start=datetime(2025, 1, 6, tzinfo=UTC), end=datetime(2025, 1, 20, tzinfo=UTC))

    assert r.total_requests == 0
    assert set(r.by_status.values()) == {0}
    assert (r.acceptance_rate, r.decline_rate, r.expiry_rate) == (None, None, None)
    assert r.answer_time == r.waiting_time == DurationStats(count=0, average=None, median=None)
    assert r.decline_reasons == ()
    assert r.mentor_response == ()
    assert [(w.iso_week, w.created, w.accepted, w.declined, w.expired) for w in r.weekly] == [
        (2, 0, 0, 0, 0),
        (3, 0, 0, 0, 0),
    ]
    # Member lists are the state now, whatever the range.
    assert len(r.mentors_at_capacity) == 2
    assert len(r.mentees_without_mentor) == 3


def test_ties_in_response_time_are_ordered_by_name(db: Database) -> None:
    f.workspace(db)
    zoe = f.mentor(db, "UZOE", display_name="Zoe").id
    abe = f.mentor(db, "UABE", display_name="Abe").id
    max_ = f.mentor(db, "UMAX", display_name="Max").id
    mentee = f.mentee(db, "UM1").id
    with db.write() as s:
        for mentor, took in ((zoe, 10), (abe, 10), (max_, 5)):
            add_request(s, mentee, mentor, feb(2), RequestStatus.DECLINED, feb(2) + hours(took))

    assert [m.display_name for m in report(db).mentor_response] == ["Abe", "Zoe", "Max"]


def test_duration_stats() -> None:
    assert DurationStats.of([]) == DurationStats(0, None, None)
    assert DurationStats.of([hours(3)]) == DurationStats(1, hours(3), hours(3))
    assert DurationStats.of([hours(11), hours(1), hours(10), hours(2)]) == DurationStats(
        4, hours(6), hours(6)
    )
    assert DurationStats.of([hours(1), hours(2), hours(9)]) == DurationStats(3, hours(4), hours(2))


@pytest.mark.parametrize(
    ("start", "end", "now", "message"),
    [
        (START.replace(tzinfo=None), END, NOW, "need a timezone"),
        (START, END.replace(tzinfo=None), NOW, "need a timezone"),
        (START, END, NOW.replace(tzinfo=None), "needs a timezone"),
        (START, START, NOW, "before its end"),
        (END, START, NOW, "before its end"),
        (END - timedelta(days=732), END, NOW, "two years at most"),
    ],
    ids=["naive-start", "naive-end", "naive-now", "empty", "reversed", "too-long"],
)
def test_invalid_ranges(
    db: Database, start: datetime, end: datetime, now: datetime, message: str
) -> None:
    f.workspace(db)
    with pytest.raises(InvalidInput, match=message):
        report(db, start=start, end=end, now=now)


def test_two_years_is_allowed(db: Database) -> None:
    f.workspace(db)
    r = report(db, start=END - timedelta(days=731))
    assert r.total_requests == 0
    assert len(r.weekly) == 105


def test_unknown_workspace(db: Database) -> None:
    with pytest.raises(NotFound):
        report(db, team_id="T0NOPE")


def test_weeks_are_utc_whatever_the_zone_of_the_range(seeded: dict[str, int], db: Database) -> None:
    new_york = ZoneInfo("America/New_York")
    # The same instants written in New York time (START is Sunday evening there).
    local = report(db, start=START.astimezone(new_york), end=END.astimezone(new_york))

    assert local.total_requests == 14
    assert local.weekly == report(db).weekly
