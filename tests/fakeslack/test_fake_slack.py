"""The fake Slack Web API answers the real slack_sdk.WebClient the way Slack does."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_sdk import WebClient

from fakeslack import Delay, FakeSlack, ServerError, SlackError, User
from tests.fakeslack.conftest import ManualClock
from tests.fakeslack.helpers import error_of, modal, section


def test_post_message_to_a_user_id_lands_in_their_im(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    response = client.chat_postMessage(channel=alice.id, text="Welcome", blocks=[section("Hi")])

    im = fake.state.dm_channel(alice.id)
    assert response["channel"] == im
    assert im.startswith("D")
    stored = fake.state.last_message(im)
    assert stored is not None
    assert stored.ts == response["ts"]
    assert stored.text == "Welcome"
    assert stored.user == fake.state.bot_user_id
    assert stored.bot_id == fake.state.bot_id
    assert response["message"]["blocks"][0]["block_id"]  # Slack fills in missing block_ids
    opened = client.conversations_open(users=alice.id)
    assert opened["channel"]["id"] == im
    assert opened["already_open"] is True


def test_message_ts_are_unique_and_increasing_even_within_one_microsecond(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    fake.state.set_rate_limit("chat.postMessage", None)  # five in one instant: over a burst
    stamps = [client.chat_postMessage(channel=alice.id, text=str(i))["ts"] for i in range(5)]

    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 5
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)


def test_update_of_a_missing_message_is_message_not_found(client: WebClient, alice: User) -> None:
    posted = client.chat_postMessage(channel=alice.id, text="Request sent")

    err = error_of(lambda: client.chat_update(channel=posted["channel"], ts="1.000001", text="x"))
    assert err.response["error"] == "message_not_found"
    updated = client.chat_update(channel=posted["channel"], ts=posted["ts"], text="Accepted")
    assert updated["message"]["text"] == "Accepted"
    assert "edited" in updated["message"]


def test_concurrent_posts_from_many_threads_all_land_once(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    fake.state.set_rate_limit("chat.postMessage", None)  # 40 at once: far over a burst

    def post_some(n: int) -> list[str]:
        return [client.chat_postMessage(channel=alice.id, text=f"{n}-{i}")["ts"] for i in range(10)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        stamps = [ts for batch in pool.map(post_some, range(4)) for ts in batch]

    stored = fake.state.messages(fake.state.dm_channel(alice.id))
    assert len(set(stamps)) == 40
    assert sorted(stamps, key=float) == [m.ts for m in stored]


def test_conversations_open_gives_the_same_mpim_for_the_same_people(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    bob = fake.state.add_user(name="bob")

    first = client.conversations_open(users=f"{alice.id},{bob.id}")["channel"]["id"]
    again = client.conversations_open(users=f"{bob.id},{alice.id}")["channel"]["id"]

    assert first == again
    assert first.startswith("G")
    assert error_of(lambda: client.conversations_open(users="U404")).response["error"] == (
        "user_not_found"
    )


def test_conversations_open_takes_8_user_ids_as_given_and_refuses_9(
    fake: FakeSlack, client: WebClient
) -> None:
    people = [fake.state.add_user(name=f"person{n}").id for n in range(8)]

    opened = client.conversations_open(users=",".join(people))
    err = error_of(
        lambda: client.conversations_open(users=",".join([*people, fake.state.bot_user_id]))
    )

    assert opened["channel"]["id"].startswith("G")
    assert err.response["error"] == "too_many_users"  # the bot's own id counts too


def test_ephemeral_needs_the_user_in_the_channel(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    channel = fake.state.add_channel("mentoring", members=[])

    err = error_of(lambda: client.chat_postEphemeral(channel=channel.id, user=alice.id, text="x"))
    assert err.response["error"] == "user_not_in_channel"
    sent = client.chat_postEphemeral(channel=alice.id, user=alice.id, text="Only you")
    (note,) = fake.state.ephemerals(user=alice.id)
    assert note.ts == sent["message_ts"]
    assert note.text == "Only you"


def test_users_info_has_profile_and_a_daylight_saving_aware_offset(
    client: WebClient, alice: User
) -> None:
    user = client.users_info(user=alice.id)["user"]

    assert user["tz"] == "Europe/London"
    assert user["tz_offset"] == 3600
    assert user["profile"]["email"] == "alice@example.test"
    assert user["profile"]["image_72"]
    err = error_of(lambda: client.users_lookupByEmail(email="nobody@example.test"))
    assert err.response["error"] == "users_not_found"


def test_trigger_ids_are_single_use(fake: FakeSlack, client: WebClient, alice: User) -> None:
    trigger = fake.state.new_trigger_id(alice.id)

    view = client.views_open(trigger_id=trigger, view=modal())["view"]
    assert view["id"] == view["root_view_id"]
    assert view["state"] == {"values": {}}
    assert [v.id for v in fake.state.views_for(alice.id)] == [view["id"]]
    err = error_of(lambda: client.views_open(trigger_id=trigger, view=modal()))
    assert err.response["error"] == "exchanged_trigger_id"
    err = error_of(lambda: client.views_open(trigger_id="1.2.unknown", view=modal()))
    assert err.response["error"] == "invalid_trigger_id"


def test_trigger_ids_expire_after_three_seconds(
    fake: FakeSlack, client: WebClient, clock: ManualClock, alice: User
) -> None:
    late = fake.state.new_trigger_id(alice.id)
    on_time = fake.state.new_trigger_id(alice.id)
    clock.advance(2.9)
    client.views_open(trigger_id=on_time, view=modal())
    clock.advance(0.2)

    err = error_of(lambda: client.views_open(trigger_id=late, view=modal()))
    assert err.response["error"] == "expired_trigger_id"


def test_trigger_expiry_can_be_switched_off(
    fake: FakeSlack, client: WebClient, clock: ManualClock, alice: User
) -> None:
    fake.state.expire_triggers = False
    trigger = fake.state.new_trigger_id(alice.id)
    clock.advance(3600)

    assert client.views_open(trigger_id=trigger, view=modal())["ok"]


def test_views_push_stacks_up_to_three(fake: FakeSlack, client: WebClient, alice: User) -> None:
    state = fake.state

    def click_in(view: dict[str, Any]) -> str:
        return state.new_trigger_id(alice.id, source="modal", view_id=view["id"])

    root = client.views_open(trigger_id=state.new_trigger_id(alice.id), view=modal())["view"]
    second = client.views_push(trigger_id=click_in(root), view=modal("Two"))
    third = client.views_push(trigger_id=click_in(second["view"]), view=modal("Three"))

    assert second["view"]["root_view_id"] == root["id"]
    assert third["view"]["previous_view_id"] == second["view"]["id"]
    assert [v.definition["title"]["text"] for v in state.views_for(alice.id)] == [
        "Find a mentor",
        "Two",
        "Three",
    ]
    err = error_of(lambda: client.views_push(trigger_id=click_in(third["view"]), view=modal("4")))
    assert err.response["error"] == "push_limit_reached"


def test_views_update_refuses_a_stale_hash(fake: FakeSlack, client: WebClient, alice: User) -> None:
    trigger = fake.state.new_trigger_id(alice.id)
    opened = client.views_open(trigger_id=trigger, view=modal(external_id="req-7"))["view"]

    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Sent"))
    assert updated["view"]["id"] == opened["id"]
    assert updated["view"]["hash"] != opened["hash"]
    err = error_of(
        lambda: client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal())
    )
    assert err.response["error"] == "hash_conflict"
    by_external = client.views_update(external_id="req-7", view=modal("Again"))
    assert by_external["view"]["id"] == opened["id"]
    missing = error_of(lambda: client.views_update(view_id="V404", view=modal()))
    assert missing.response["error"] == "not_found"


def test_publish_home_keeps_one_view_per_user(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    home = {"type": "home", "blocks": [section("Your requests")]}

    first = client.views_publish(user_id=alice.id, view=home)["view"]
    second = client.views_publish(user_id=alice.id, view=home, hash=first["hash"])["view"]

    assert first["id"] == second["id"]
    assert first["type"] == "home"
    published = fake.state.home(alice.id)
    assert published is not None
    assert published.hash == second["hash"]
    err = error_of(lambda: client.views_publish(user_id=alice.id, view=home, hash=first["hash"]))
    assert err.response["error"] == "hash_conflict"


def test_server_errors_and_slack_errors_surface(
    fake: FakeSlack, client: WebClient, alice: User
) -> None:
    fake.state.inject("users.info", ServerError(503), SlackError("user_not_visible"), Delay(0))

    unavailable = error_of(lambda: client.users_info(user=alice.id))
    refused = error_of(lambda: client.users_info(user=alice.id))

    assert unavailable.response.status_code == 503
    assert refused.response.status_code == 200
    assert refused.response["error"] == "user_not_visible"
    assert client.users_info(user=alice.id)["user"]["id"] == alice.id  # Delay(0) then normal


def test_files_upload_v2_round_trip(fake: FakeSlack, client: WebClient, alice: User) -> None:
    im = fake.state.dm_channel(alice.id)

    response = client.files_upload_v2(
        channel=im, content="name,score\nalice,3\n", filename="report.csv", title="Report"
    )

    (stored,) = fake.state.files()
    assert response["file"]["id"] == stored.id
    assert stored.title == "Report"
    assert stored.content == b"name,score\nalice,3\n"
    assert stored.channels == [im]
    assert [c.method for c in fake.state.calls()][-2:] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


def test_oauth_v2_access_exchanges_a_code_once(fake: FakeSlack) -> None:
    code = fake.state.new_oauth_code("U0INSTALLER")
    anonymous = WebClient(base_url=fake.api_url)
    secret = fake.state.client_secret

    granted = anonymous.oauth_v2_access(client_id="test-client-id", client_secret=secret, code=code)

    assert granted["access_token"].startswith("xoxb-test-")
    assert granted["token_type"] == "bot"
    assert granted["team"] == {"id": "T0TEST", "name": "Mentor Match Test"}
    assert granted["enterprise"] is None
    assert granted["authed_user"]["id"] == "U0INSTALLER"
    assert WebClient(token=granted["access_token"], base_url=fake.api_url).auth_test()["ok"]
    again = error_of(
        lambda: anonymous.oauth_v2_access(
            client_id="test-client-id", client_secret=secret, code=code
        )
    )
    assert again.response["error"] == "invalid_code"


def test_auth(fake: FakeSlack) -> None:
    bot = fake.client().auth_test()
    assert bot["user_id"] == fake.state.bot_user_id
    assert bot["bot_id"] == fake.state.bot_id
    assert bot.headers["X-OAuth-Scopes"].split(",") == fake.state.scopes

    bad = error_of(lambda: WebClient(token="xoxb-real-looking", base_url=fake.api_url).auth_test())
    none = error_of(lambda: WebClient(base_url=fake.api_url).auth_test())
    unknown = error_of(lambda: fake.client().api_call("chat.teleport"))

    assert bad.response["error"] == "invalid_auth"
    assert none.response["error"] == "not_authed"
    assert unknown.response["error"] == "unknown_method"
