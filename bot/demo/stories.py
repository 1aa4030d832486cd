"""The demo's stories: what each mentee lived through before the demo starts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from bot.demo.people import PersonPlan
from bot.demo.timeline import Planned, Timeline

# Each story plans one mentee's past; ``n`` counts the mentees who lived it before.

Story = Callable[[Timeline, PersonPlan, int], None]


def _idle(t: Timeline, mentee: PersonPlan, n: int) -> None:
    """Enrolled, has not asked anyone yet."""


def _fresh(t: Timeline, mentee: PersonPlan, n: int) -> None:
    for _ in range(2 if n % 3 == 0 else 1):
        t.send(mentee, t.ago(0.05, 0.8), slot=False)


def _reminder_soon(t: Timeline, mentee: PersonPlan, n: int) -> None:
    mentor = t.guide if n == 0 else None  # something waiting in the guide mentor's inbox
    t.send(mentee, t.ago(2.2, 2.85), slot=False, mentor=mentor)


def _closing_soon(t: Timeline, mentee: PersonPlan, n: int) -> None:
    t.send(mentee, t.ago(12.1, 12.9), slot=False)
    if n == 0:
        t.send(mentee, t.ago(11.0, 11.9), slot=False)


def _active(t: Timeline, mentee: PersonPlan, n: int, start: tuple[float, float] = (10, 70)) -> None:
    sent = t.ago(*start)
    request = t.send(mentee, sent, slot=True, mentor=t.guide if n == 0 else None)
    t.accept(request, sent + t.hours(3, 72))


def _declined_then_active(t: Timeline, mentee: PersonPlan, n: int) -> None:
    sent = t.ago(35, 70)
    t.decline(t.send(mentee, sent, slot=False), sent + t.hours(6, 60))
    again = sent + t.days(3, 6)
    t.accept(t.send(mentee, again, slot=True), again + t.hours(4, 48))


def _others_cancelled(t: Timeline, mentee: PersonPlan, n: int) -> None:
    """Asked two or three mentors; one accepted, which cancelled the others."""
    sent = t.ago(15, 40)
    count = 3 if n % 2 == 0 else 2
    chosen = t.rng.randrange(count)
    requests = [
        t.send(mentee, sent + t.hours(i * 2, i * 10), slot=i == chosen) for i in range(count)
    ]
    accepted_at = sent + t.days(2, 4)
    for i, request in enumerate(requests):
        if i == chosen:
            t.accept(request, accepted_at)
        else:
            request.ends_at = accepted_at  # the acceptance cancels it


def _started(t: Timeline, mentee: PersonPlan, start: tuple[float, float]) -> Planned:
    sent = t.ago(*start)
    request = t.send(mentee, sent, slot=True)
    t.accept(request, sent + t.hours(5, 60))
    return request


def _finished(t: Timeline, mentee: PersonPlan, n: int) -> None:
    t.end(_started(t, mentee, (120, 170)), t.ago(12, 45), finished=True)
    if n % 3 == 1:
        t.send(mentee, t.ago(0.2, 5), slot=False)
    elif n % 3 == 2:
        _active(t, mentee, -1, start=(5, 10))


def _abandoned(t: Timeline, mentee: PersonPlan, n: int) -> None:
    t.end(_started(t, mentee, (70, 100)), t.ago(20, 40), finished=False)
    if n == 0:
        t.send(mentee, t.ago(2.1, 2.8), slot=False)


def _declined(t: Timeline, mentee: PersonPlan, n: int) -> None:
    sent = t.ago(25, 40)
    for _ in range(2 if n % 2 == 0 else 1):
        t.decline(t.send(mentee, sent, slot=False), sent + t.hours(8, 96))
        sent += t.days(5, 8)


def _withdrawn(t: Timeline, mentee: PersonPlan, n: int) -> None:
    sent = t.ago(8, 20)
    t.close(t.send(mentee, sent, slot=False), sent + t.hours(12, 72), "withdraw")
    if n != 1:
        t.send(mentee, t.ago(0.3, 4.5), slot=False)


def _expired(t: Timeline, mentee: PersonPlan, n: int) -> None:
    sent = t.ago(18, 45)
    waited = timedelta(days=t.settings.auto_close_after_days) + t.hours(0.02, 0.2)
    t.close(t.send(mentee, sent, slot=False), sent + waited, "expire")
    if n == 0:
        t.send(mentee, t.ago(0.5, 1.5), slot=False)


def _closed(t: Timeline, mentee: PersonPlan, n: int) -> None:
    sent = t.ago(15, 30)
    t.close(t.send(mentee, sent, slot=False), sent + t.days(3, 8), "close")


def _paused(t: Timeline, mentee: PersonPlan, n: int) -> None:
    """Asked a mentor who had no time, declined and paused new requests for some weeks."""
    sent = t.ago(3, 10)
    request = t.send(mentee, sent, slot=False, mentor=t.pausing[n])
    t.decline(request, sent + t.hours(4, 40), pause_days=t.rng.uniform(14, 45))


# Each story and how many mentees live it.
STORIES: tuple[tuple[Story, int], ...] = (
    (_idle, 6),
    (_fresh, 5),
    (_reminder_soon, 5),
    (_closing_soon, 4),
    (_active, 8),
    (_declined_then_active, 4),
    (_others_cancelled, 4),
    (_finished, 6),
    (_abandoned, 3),
    (_declined, 4),
    (_withdrawn, 3),
    (_expired, 3),
    (_closed, 2),
    (_paused, 2),
)


def plan_stories(t: Timeline, mentees: list[PersonPlan]) -> None:
    """Plan every mentee's story but the guide's, drawing mentors and moments from ``t``."""
    others = mentees[1:]  # the guide mentee has no story: the console user writes it
    t.rng.shuffle(others)
    stories = [story for story, count in STORIES for _ in range(count)]
    if len(stories) != len(others):
        raise ValueError("STORIES must give every mentee but the guide exactly one story")
    seen: Counter[Story] = Counter()
    for story, mentee in zip(stories, others, strict=True):
        story(t, mentee, seen[story])
        seen[story] += 1
