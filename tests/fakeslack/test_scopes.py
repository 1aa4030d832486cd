"""The token holds exactly the manifest's scopes; a method needing another is missing_scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from slack_sdk import WebClient

from fakeslack import FakeSlack, SlackState, User
from fakeslack.policy import MANIFEST, POLICIES, manifest_scopes
from fakeslack.state import DEFAULT_SCOPES
from tests.fakeslack.conftest import ManualClock
from tests.fakeslack.helpers import error_of


def test_the_state_loads_the_bot_scopes_of_the_repositorys_manifest() -> None:
    state = SlackState.from_manifest()

    assert state.scopes == list(manifest_scopes(MANIFEST))
    assert "chat:write" in state.scopes
    assert "team:read" not in state.scopes
    assert set(DEFAULT_SCOPES) == set(state.scopes)  # the plain default matches it too


def test_the_home_tab_is_on_as_the_repositorys_manifest_turns_it_on(
    client: WebClient, alice: User
) -> None:
    assert SlackState.from_manifest().home_tab is True
    assert SlackState().home_tab is True  # the plain default matches it
    assert client.views_publish(user_id=alice.id, view={"type": "home", "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}]})["ok"]  # fmt: skip


def test_views_publish_without_a_home_tab_is_not_enabled(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.yml"
    manifest.write_text("oauth_config:\n  scopes:\n    bot: [chat:write]\n")
    state = SlackState.from_manifest(manifest)
    alice = state.add_user(name="alice")

    with FakeSlack(state) as fake:
        err = error_of(
            lambda: fake.client().views_publish(
                user_id=alice.id, view={"type": "home", "blocks": [{"type": "divider"}]}
            )
        )

    assert state.home_tab is False
    assert err.response["error"] == "not_enabled"
    assert state.home_views == {}


def test_a_manifest_without_bot_scopes_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "manifest.yml"
    empty.write_text("display_information:\n  name: Nothing\n")

    with pytest.raises(ValueError, match="no bot scopes"):
        SlackState.from_manifest(empty)


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("users.info", {"user": "U0BOT"}),
        ("users.list", {}),
        ("users.lookupByEmail", {"email": "a@example.test"}),
        ("team.info", {}),
        ("chat.postMessage", {"channel": "U0BOT", "text": "x"}),
        ("files.getUploadURLExternal", {"filename": "a.csv", "length": 3}),
    ],
)
def test_a_method_needing_a_scope_the_token_lacks_answers_missing_scope(
    clock: ManualClock, method: str, args: dict[str, object]
) -> None:
    with FakeSlack(SlackState(clock=clock, scopes=["commands"])) as narrow:
        err = error_of(lambda: narrow.client().api_call(method, json=args))

    assert err.response["error"] == "missing_scope"
    assert err.response["needed"] == ",".join(POLICIES[method].scopes)
    assert err.response["provided"] == "commands"


def test_the_manifests_scopes_cover_what_the_app_calls_but_not_team_info(
    clock: ManualClock,
) -> None:
    with FakeSlack(SlackState.from_manifest(clock=clock)) as fake:
        alice = fake.state.add_user(name="alice", email="alice@example.test")
        client = fake.client()
        assert client.users_info(user=alice.id)["ok"]
        assert client.users_lookupByEmail(email="alice@example.test")["ok"]
        assert client.chat_postMessage(channel=alice.id, text="hi")["ok"]
        err = error_of(client.team_info)

    assert err.response["error"] == "missing_scope"
    assert err.response["needed"] == "team:read"


def test_conversations_open_needs_im_write_for_a_dm_and_mpim_write_for_a_group(
    clock: ManualClock,
) -> None:
    with FakeSlack(SlackState(clock=clock, scopes=["chat:write", "im:write"])) as fake:
        alice, bob = fake.state.add_user(name="alice"), fake.state.add_user(name="bob")
        client = fake.client()
        dm = client.conversations_open(users=alice.id)
        group = error_of(lambda: client.conversations_open(users=f"{alice.id},{bob.id}"))
        info = error_of(lambda: client.conversations_info(channel=dm["channel"]["id"]))

    assert dm["ok"]
    assert (group.response["error"], group.response["needed"]) == ("missing_scope", "mpim:write")
    assert (info.response["error"], info.response["needed"]) == ("missing_scope", "im:read")


def test_a_token_from_an_install_holds_what_the_install_granted(
    fake: FakeSlack, alice: User
) -> None:
    code = fake.state.new_oauth_code(scopes=["chat:write"])
    granted = WebClient(base_url=fake.api_url).oauth_v2_access(
        client_id=fake.state.client_id, client_secret=fake.state.client_secret, code=code
    )
    installed = WebClient(token=granted["access_token"], base_url=fake.api_url)

    posted = installed.chat_postMessage(channel=alice.id, text="hello")
    err = error_of(lambda: installed.users_info(user=alice.id))

    assert posted.headers["X-OAuth-Scopes"] == "chat:write"
    assert (err.response["error"], err.response["provided"]) == ("missing_scope", "chat:write")
