"""users.list in the fake Slack: every member, page by page, as the real slack_sdk reads it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from fakeslack import FakeSlack, SlackState


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    state = SlackState()
    for n in range(5):
        state.add_user(f"UPEOPLE{n}", name=f"person{n}", is_admin=n == 3)
    with FakeSlack(state) as server:
        yield server


def test_pages_follow_the_cursor_until_it_is_empty(fake: FakeSlack) -> None:
    client = WebClient(token="xoxb-test-bot", base_url=fake.api_url)
    everyone = [u.id for u in fake.state.users()]
    seen: list[str] = []
    cursors: list[str] = []
    cursor = None
    while True:
        page = client.users_list(limit=2, cursor=cursor)
        seen += [m["id"] for m in page["members"]]
        cursor = page["response_metadata"]["next_cursor"]
        cursors.append(cursor)
        if not cursor:
            break

    assert seen == everyone and len(seen) == 6  # the bot user and five people, in order
    assert len(cursors) == 3 and cursors[-1] == ""
    admins = [m["id"] for m in client.users_list()["members"] if m["is_admin"]]
    assert admins == ["UPEOPLE3"]


def test_an_unreadable_cursor_is_refused(fake: FakeSlack) -> None:
    client = WebClient(token="xoxb-test-bot", base_url=fake.api_url)
    with pytest.raises(SlackApiError) as caught:
        client.users_list(cursor="not-a-cursor")
    assert caught.value.response["error"] == "invalid_cursor"
