"""The generated organisation every bench uses: mentors, mentees, relationships and requests.

``build(path, size, seed)`` writes a migrated SQLite file holding ``size`` mentors, twice as
many mentees, relationships and requests (see docs/benchmarks.md, "How it is measured").
Rows are bulk-inserted with Core for speed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert

from mentoring.program.settings import DEFAULT_EXPERTISE_TAGS, DEFAULT_FUNCTIONAL_AREAS
from store.db import Database, create_db_engine
from store.enums import RelationshipStatus, RequestKind, RequestStatus
from store.migrate import upgrade
from store.models import Member, MemberTag, Relationship, Request, Workspace

TEAM = "TBENCH"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BATCH = 5_000
MENTEES_PER_MENTOR = 2

AREA_WEIGHTS = (25, 10, 6, 9, 8, 10, 7, 5, 5, 7, 2, 6)  # same order as the default areas
# Tags each area leans towards, so profiles look like people rather than noise.
AREA_TAGS = {
    "Engineering": ("python", "architecture", "frontend", "machine learning"),
    "Product": ("product strategy", "ux research", "leadership"),
    "Design": ("ux research", "frontend", "writing"),
    "Data": ("data", "python", "machine learning"),
    "Marketing": ("marketing", "writing", "public speaking"),
    "Sales": ("sales", "negotiation", "public speaking"),
    "Customer Success": ("negotiation", "writing", "career growth"),
    "Finance": ("finance", "negotiation", "data"),
    "People": ("hiring", "diversity & inclusion", "management"),
    "Operations": ("management", "data", "work-life balance"),
    "Legal": ("negotiation", "writing"),
    "Leadership": ("leadership", "management", "entrepreneurship"),
}
# (timezone, weight, cities, second language)
ZONES = (
    ("America/Los_Angeles", 12, ("San Francisco", "Seattle", "Los Angeles"), "Spanish"),
    ("America/Denver", 3, ("Denver",), "Spanish"),
    ("America/Chicago", 8, ("Chicago", "Austin"), "Spanish"),
    ("America/New_York", 15, ("New York", "Toronto", "Boston"), "Spanish"),
    ("America/Sao_Paulo", 4, ("São Paulo",), "Portuguese"),
    ("Europe/London", 12, ("London", "Dublin"), "French"),
    ("Europe/Berlin", 10, ("Berlin", "Amsterdam", "Munich"), "German"),
    ("Europe/Paris", 5, ("Paris",), "French"),
    ("Europe/Madrid", 3, ("Madrid", "Barcelona"), "Spanish"),
    ("Africa/Lagos", 2, ("Lagos",), "Yoruba"),
    ("Asia/Dubai", 2, ("Dubai",), "Arabic"),
    ("Asia/Kolkata", 8, ("Bangalore", "Pune"), "Hindi"),
    ("Asia/Kathmandu", 1, ("Kathmandu",), "Nepali"),
    ("Asia/Singapore", 5, ("Singapore",), "Mandarin"),
    ("Asia/Shanghai", 3, ("Shanghai",), "Mandarin"),
    ("Asia/Tokyo", 4, ("Tokyo",), "Japanese"),
    ("Australia/Sydney", 4, ("Sydney", "Melbourne"), None),
    ("Pacific/Auckland", 1, ("Auckland",), None),
)
FIRST = "Ada Ben Chen Dana Eli Fatima Gus Hana Ivan Jo Kemi Liam Mei Nina Omar Priya Quinn Raj"
LAST = "Okafor Smith Garcia Müller Tanaka Singh Rossi Kim Dubois Silva Novak Cohen Ahmed Park"
FIRST_NAMES, LAST_NAMES = FIRST.split(), LAST.split()
LEVELS = ("", "Senior ", "Staff ", "Principal ", "Lead ", "Head of ")
GENDERS = (("woman", 45), ("man", 45), ("non-binary", 3), (None, 7))


def _profile(rng: random.Random, tag_count: int) -> dict[str, Any]:
    area = rng.choices(DEFAULT_FUNCTIONAL_AREAS, AREA_WEIGHTS)[0]
    tags: list[str] = []
    while len(tags) < tag_count:
        pool = AREA_TAGS[area] if rng.random() < 0.6 else DEFAULT_EXPERTISE_TAGS
        tag = rng.choice(pool)
        if tag not in tags:
            tags.append(tag)
    tz, _, cities, second = rng.choices(ZONES, [z[1] for z in ZONES])[0]
    languages = ["English"] + ([second] if second and rng.random() < 0.35 else [])
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    title = f"{rng.choice(LEVELS)}{area} {rng.choice(('Manager', 'Specialist', 'Partner'))}"
    return {
        "display_name": name,
        "title": title,
        "functional_area": area,
        "tags": tags,
        "tz": tz,
        "location": rng.choice(cities) if rng.random() < 0.9 else None,
        "languages": languages,
        "gender": rng.choices(GENDERS, [g[1] for g in GENDERS])[0][0],
    }


def _member_rows(rng: random.Random, size: int) -> Iterator[dict[str, Any]]:
    for i in range(1, (1 + MENTEES_PER_MENTOR) * size + 1):
        is_mentor = i <= size
        p = _profile(rng, rng.choices((1, 2, 3, 4, 5), (15, 30, 30, 15, 10))[0])
        expertise = p["tags"] if is_mentor else []
        bio = (
            f"I have worked in {p['functional_area'].lower()} for {rng.randint(2, 25)} years "
            f"and enjoy helping people with {', '.join(p['tags'])}. "
            f"Based in {p['location'] or 'a remote team'}; happy to meet over video."
        )
        paused = None
        if is_mentor and rng.random() < 0.05:
            # Three in five pauses still run; the others ended and must not hide the mentor.
            paused = NOW + timedelta(days=rng.choice((7, 30, 90, -3, -40)))
        yield {
            "id": i,
            "team_id": TEAM,
            "slack_user_id": f"U{'M' if is_mentor else 'E'}{i:07d}",
            "display_name": p["display_name"],
            "email": None,
            "tz": p["tz"],
            "is_mentor": is_mentor,
            "is_mentee": not is_mentor or rng.random() < 0.1,
            "enrolled_at": NOW - timedelta(days=rng.randint(1, 700)),
            "updated_at": NOW,
            "title": p["title"],
            "functional_area": p["functional_area"],
            "expertise": expertise,
            "interests": [] if is_mentor else p["tags"][:3],
            "goals": "",
            "location": p["location"],
            "languages": p["languages"],
            "gender": p["gender"],
            "bio": bio,
            "search_text": " ".join([p["display_name"], p["title"], bio, *expertise]).lower(),
            "mentor_capacity": rng.choices((1, 2, 3, 4, 5), (10, 30, 40, 10, 10))[0],
            "paused_until": paused,
        }


def _insert(conn: Connection, table: Any, rows: Iterator[dict[str, Any]]) -> int:
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            conn.execute(insert(table), batch)
            count, batch = count + len(batch), []
    if batch:
        conn.execute(insert(table), batch)
    return count + len(batch)


def build(path: Path, size: int, seed: int) -> Database:
    """A migrated SQLite file holding an organisation with ``size`` mentors."""
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    rng = random.Random(seed)
    capacities: dict[int, int] = {}
    tags: list[dict[str, Any]] = []

    def members() -> Iterator[dict[str, Any]]:
        for row in _member_rows(rng, size):
            if row["is_mentor"]:
                capacities[row["id"]] = row["mentor_capacity"]
                tags.extend(
                    {"member_id": row["id"], "tag": t.lower(), "team_id": TEAM}
                    for t in row["expertise"]
                )
            yield row

    mentees = list(range(size + 1, (1 + MENTEES_PER_MENTOR) * size + 1))
    rng.shuffle(mentees)
    free_mentees = iter(mentees)

    def relationships() -> Iterator[dict[str, Any]]:
        for mentor_id, capacity in capacities.items():
            active = 0 if rng.random() < 0.45 else rng.randint(1, capacity)
            ended = rng.choices((0, 1, 2), (60, 30, 10))[0]
            for n in range(active + ended):
                status = RelationshipStatus.ACTIVE if n < active else RelationshipStatus.FINISHED
                yield {
                    "team_id": TEAM,
                    "mentor_id": mentor_id,
                    # Active pairs must be unique; a mentee has one active mentor at a time.
                    "mentee_id": next(free_mentees) if n < active else rng.choice(mentees),
                    "status": status,
                    "started_at": NOW - timedelta(days=rng.randint(1, 300)),
                    "ended_at": None if status is RelationshipStatus.ACTIVE else NOW,
                    "hidden_from_profile": False,
                }

    def requests() -> Iterator[dict[str, Any]]:
        for mentor_id in capacities:
            pending = rng.choices((0, 1, 2, 3, 4), (78, 12, 5, 3, 2))[0]
            answered = rng.choices((0, 1, 2), (50, 35, 15))[0]
            for n, mentee_id in enumerate(rng.sample(mentees, pending + answered)):
                status = RequestStatus.PENDING if n < pending else RequestStatus.DECLINED
                yield {
                    "team_id": TEAM,
                    "mentee_id": mentee_id,
                    "mentor_id": mentor_id,
                    "kind": RequestKind.MENTEE_REQUEST,
                    "message": "I would love your help with my next career step, thank you!",
                    "status": status,
                    "created_at": NOW - timedelta(days=rng.randint(0, 60)),
                    "reminder_count": 0,
                }

    with engine.begin() as conn:
        conn.execute(insert(Workspace), [{"team_id": TEAM, "created_at": NOW, "settings": {}}])
        _insert(conn, Member.__table__, members())
        _insert(conn, MemberTag.__table__, iter(tags))
        _insert(conn, Relationship.__table__, relationships())
        _insert(conn, Request.__table__, requests())
    return Database(engine)
