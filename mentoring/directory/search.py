"""The mentor directory: filtered search ranked by match score, and recommendations.

The operations validate, build the filters and read models. Searches and recommendations
rank from the workspace's in-memory index (mentoring.directory.index, kept exact by the
database's change log; mentoring.directory.scan ranks).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from sqlalchemy import ColumnElement, Select, bindparam, or_, select, true
from sqlalchemy.orm import Session

from mentoring.core.errors import InvalidInput, NotEnrolled
from mentoring.core.fields import OptionalText
from mentoring.core.members import get_members, require_member_view
from mentoring.core.prebuilt import run
from mentoring.core.views import MemberView
from mentoring.directory.fit import mentor_profile_of
from mentoring.directory.index import index_for
from mentoring.directory.matching import MatchScore, Scorer, SeekerProfile
from mentoring.directory.scan import Query, fair_top, rank_mentors
from mentoring.directory.zones import zone_groups
from mentoring.program.settings import (
    MAX_ENTRY_LENGTH,
    DirectoryMode,
    ProgramSettings,
    get_settings,
)
from mentoring.program.taxonomy import canonical_values
from store.enums import RelationshipStatus, RequestStatus
from store.models import Member, MemberTag, Recommendation, Relationship, Request

MAX_PAGE_SIZE = 50
# The longest text each directory filter takes (the search form's inputs are sized with them).
KEYWORDS_FILTER = 100
LOCATION_FILTER = 120
GENDER_FILTER = 60
EXPERTISE_FILTER = 10  # tags picked at once
MAX_RECOMMENDATIONS = 10

Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ENTRY_LENGTH)
]


class DirectoryFilters(BaseModel):
    """What a person can narrow the directory by. Empty filters show every available mentor.

    ``location`` matches a part of the mentor's location ("london" finds "London, UK");
    ``gender`` matches the whole self-described value, ignoring case; ``text`` finds mentors
    whose name, title, bio or expertise contain every word of it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    functional_area: OptionalText = Field(default=None, max_length=MAX_ENTRY_LENGTH)
    expertise: tuple[Tag, ...] = Field(default=(), max_length=EXPERTISE_FILTER)
    gender: OptionalText = Field(default=None, max_length=GENDER_FILTER)
    location: OptionalText = Field(default=None, max_length=LOCATION_FILTER)
    max_tz_hours: int | None = Field(default=None, ge=0, le=24)
    only_open: bool = True
    text: OptionalText = Field(default=None, max_length=KEYWORDS_FILTER)


_FILTER_LABELS = {
    "functional_area": "Functional area",
    "expertise": "Expertise",
    "gender": "Gender",
    "location": "Location",
    "max_tz_hours": "Timezone window (hours)",
    "only_open": "Only {mentors} with open slots",
    "text": "Search text",
}


def parse_filters(data: Mapping[str, object]) -> DirectoryFilters:
    """Validate raw filter input, raising InvalidInput naming the first bad field."""
    try:
        return DirectoryFilters.model_validate(dict(data))
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else None
        label = _FILTER_LABELS.get(field or "", field or "Filters")
        message = error["msg"].removeprefix("Value error, ")
        raise InvalidInput(label + ": {problem}", field=field, problem=message) from exc


@dataclass(frozen=True, slots=True)
class MentorMatch:
    """A mentor as the directory shows them: profile, score with reasons, and availability."""

    mentor: MemberView
    score: MatchScore
    active_mentees: int
    open_slots: int
    pending_requests: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of directory results; ``total`` counts every match across all pages."""

    results: tuple[MentorMatch, ...]
    total: int
    page: int
    page_size: int
    has_more: bool
    # True when the directory shows this mentee only the mentors recommended to them.
    recommended_only: bool = False


def _base(team_id: str, exclude_id: int, now: datetime) -> list[ColumnElement[bool]]:
    return [
        Member.team_id == team_id,
        Member.is_mentor == true(),
        Member.id != exclude_id,
        or_(Member.paused_until.is_(None), Member.paused_until <= now),
    ]


def _with_any_tag(team_id: str, tags: Iterable[str]) -> ColumnElement[bool]:
    # member_tags holds lower-cased tags under a (team_id, tag, member_id) index: an index-only
    # any-of lookup instead of reading every mentor's JSON list.
    lowered = sorted({t.lower() for t in tags})
    return Member.id.in_(
        select(MemberTag.member_id).where(MemberTag.team_id == team_id, MemberTag.tag.in_(lowered))
    )


def recommended_ids(mentee_id: int) -> Select[int]:
    """The mentor ids currently recommended to a mentee (an admin's latest push), as a subquery."""
    return select(Recommendation.mentor_id).where(
        Recommendation.mentee_id == mentee_id, Recommendation.superseded_at.is_(None)
    )


def _seeker(member: MemberView) -> SeekerProfile:
    return SeekerProfile(
        interests=tuple(member.interests),
        functional_area=member.functional_area,
        tz=member.tz,
        languages=tuple(member.languages),
        location=member.location,
    )


def _check_paging(page: int, page_size: int) -> None:
    if page < 1:
        raise InvalidInput("Page numbers start at 1.", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(
            "Show between 1 and {max} {mentors} per page.", field="page_size", max=MAX_PAGE_SIZE
        )


def _taxonomy_filters(
    filters: DirectoryFilters, settings: ProgramSettings
) -> tuple[str | None, list[str]]:
    area = None
    if filters.functional_area:
        area = canonical_values(
            [filters.functional_area],
            settings.functional_areas,
            "functional_area",
            "Functional area",
        )[0]
    tags = canonical_values(
        list(filters.expertise), settings.expertise_tags, "expertise", "Expertise"
    )
    return area, tags


def _matches(
    session: Session, team_id: str, rows: Sequence[tuple[int, int, int, int]], scorer: Scorer
) -> tuple[MentorMatch, ...]:
    """The page's mentors from (member id, active mentees, capacity, pending requests)."""
    views = get_members(session=session, team_id=team_id, ids=[row[0] for row in rows])
    matches = []
    for member_id, active, capacity, pending in rows:
        view = views.get(member_id)
        if view is None:  # removed since this session's snapshot was taken
            continue
        slots = max(0, capacity - active)
        matches.append(
            MentorMatch(
                mentor=view,
                score=scorer.explain(mentor_profile_of(view, slots)),
                active_mentees=active,
                open_slots=slots,
                pending_requests=pending,
            )
        )
    return tuple(matches)


def search_mentors(
    *,
    session: Session,
    team_id: str,
    searcher_user_id: str,
    filters: DirectoryFilters,
    now: datetime,
    page: int = 1,
    page_size: int = 10,
) -> SearchPage:
    """Search the workspace's mentors, best match first.

    Paused mentors, the searcher, and (while ``filters.only_open``) mentors at capacity are
    left out. Ties in score are broken by display name, then member id, so paging never
    shows a mentor twice or skips one.

    Args:
        session: an open session (nothing is written).
        team_id: the workspace.
        searcher_user_id: Slack user id of the member searching; any enrolled member may
            search, and their interests, functional area, timezone, languages and location
            shape the score.
        filters: validated filters (see :func:`parse_filters`).
        now: the current time (pauses and timezone offsets are taken at this instant).
        page: 1-based page number.
        page_size: mentors per page, 1 to 50.

    Returns:
        The requested page with the total number of matches.

    Raises:
        NotFound: the workspace is not set up.
        InvalidInput: unknown functional area or expertise tag, or a bad page or page size.
        NotEnrolled: the searcher has not joined the program.
    """
    settings = get_settings(session=session, team_id=team_id)
    _check_paging(page, page_size)
    area, tags = _taxonomy_filters(filters, settings)
    searcher = require_member_view(session=session, team_id=team_id, slack_user_id=searcher_user_id)
    scorer = Scorer(_seeker(searcher), now=now, wanted_tags=tags)

    restricted = _recommended_only(settings, searcher)
    near = None
    if filters.max_tz_hours is not None:
        window = filters.max_tz_hours * 60
        # Offsets are taken at now (DST-aware); every zone a profile can hold is listed.
        near = {
            zone
            for offset, zones in zone_groups(now).items()
            if (gap := scorer.gap_to_offset(offset)) is not None and gap <= window
            for zone in zones
        }
    query = Query(
        exclude_id=searcher.id,
        area=area,
        tags=tags,
        near_zones=near,
        gender=filters.gender,
        location=filters.location,
        words=tuple(dict.fromkeys(filters.text.lower().split())) if filters.text else (),
        only_ids=set(session.scalars(recommended_ids(searcher.id))) if restricted else None,
        only_open=filters.only_open,
    )
    start = (page - 1) * page_size
    index = index_for(session, team_id)
    with index.lock:
        index.refresh(session)
        hits, total = rank_mentors(index, query, scorer, now, start + page_size)
    rows = [(h.id, h.active, h.capacity, h.pending) for h in hits[start:]]
    return SearchPage(
        results=_matches(session, team_id, rows, scorer),
        total=total,
        page=page,
        page_size=page_size,
        has_more=start + page_size < total,
        recommended_only=restricted,
    )


def _recommended_only(settings: ProgramSettings, searcher: MemberView) -> bool:
    """Whether the searcher sees only the mentors an admin recommended to them."""
    return settings.directory_mode is DirectoryMode.RECOMMENDATIONS_ONLY and searcher.is_mentee


# The mentors a mentee works with or has asked (recommendations leave them out): built once
# (mentoring.core.prebuilt), as recommendations run for every expiry and decline notice.
_CURRENT_OR_ASKED = (
    select(Relationship.mentor_id)
    .where(
        Relationship.mentee_id == bindparam("mentee_id"),
        Relationship.status == RelationshipStatus.ACTIVE,
    )
    .union_all(
        select(Request.mentor_id).where(
            Request.mentee_id == bindparam("mentee_id"), Request.status == RequestStatus.PENDING
        )
    )
)


def recommend_mentors(
    *, session: Session, team_id: str, mentee_user_id: str, now: datetime, limit: int = 3
) -> tuple[MentorMatch, ...]:
    """The mentors a mentee should look at first, fairly spread over the mentors.

    Only mentors with an open slot are recommended, never the mentee's current mentors or
    mentors they already asked. Mentors who share an interest or the functional area with the
    mentee are considered; everyone available is, when fewer of those than ``limit`` exist.

    Candidates are ranked by ``score.total - fairness_penalty(...)`` (see
    :func:`mentoring.directory.matching.fairness_penalty`): a mentor close to capacity or with
    unanswered
    requests piling up drops behind an otherwise equal mentor, so recommendations do not send
    every mentee to the same few people. The returned ``score`` is the plain match score; the
    penalty only decides the order. Ties go to the higher score, then name, then member id.

    Args:
        session: an open session (nothing is written).
        team_id: the workspace.
        mentee_user_id: Slack user id of the mentee.
        now: the current time.
        limit: how many mentors to return, 1 to 10.

    Raises:
        NotFound: the workspace is not set up.
        InvalidInput: ``limit`` out of range.
        NotEnrolled: the person is not enrolled as a mentee.
    """
    settings = get_settings(session=session, team_id=team_id)
    if not 1 <= limit <= MAX_RECOMMENDATIONS:
        raise InvalidInput(
            f"Ask for between 1 and {MAX_RECOMMENDATIONS} recommendations.", field="limit"
        )
    mentee = require_member_view(session=session, team_id=team_id, slack_user_id=mentee_user_id)
    if not mentee.is_mentee:
        raise NotEnrolled(
            "Recommendations are for {mentees}: add the {mentee} role to your profile."
        )
    scorer = Scorer(_seeker(mentee), now=now)

    only = None
    if _recommended_only(settings, mentee):
        only = set(session.scalars(recommended_ids(mentee.id)))
    left_out = set(run(session, _CURRENT_OR_ASKED, {"mentee_id": mentee.id}).scalars())
    query = Query(exclude_id=mentee.id, only_ids=only, left_out=left_out)
    index = index_for(session, team_id)
    with index.lock:
        index.refresh(session)
        relevant = (mentee.interests, mentee.functional_area)
        chosen = fair_top(index, query, scorer, now, limit, relevant=relevant)
    rows = [(c.id, c.active, c.capacity, c.pending) for c in chosen]
    return _matches(session, team_id, rows, scorer)
