"""response_urls work 5 times within 30 minutes, then Slack refuses them."""

from __future__ import annotations

from slack_sdk.webhook import WebhookClient

from fakeslack import FakeSlack, User
from tests.fakeslack.conftest import ManualClock


def test_a_response_url_takes_five_posts_then_answers_used_url(
    fake: FakeSlack, alice: User
) -> None:
    im = fake.state.dm_channel(alice.id)
    hook = WebhookClient(fake.state.new_response_url(im, alice.id))

    statuses = [hook.send(text=f"reply {n}").status_code for n in range(5)]
    sixth = hook.send(text="one too many")

    assert statuses == [200] * 5
    assert (sixth.status_code, sixth.body) == (404, "used_url")
    assert len(fake.state.ephemerals(user=alice.id)) == 5


def test_a_response_url_expires_after_thirty_minutes(
    fake: FakeSlack, clock: ManualClock, alice: User
) -> None:
    im = fake.state.dm_channel(alice.id)
    hook = WebhookClient(fake.state.new_response_url(im, alice.id))
    hook.send(text="at once")
    clock.advance(30 * 60)
    on_time = hook.send(text="just in time")
    clock.advance(1)

    late = hook.send(text="too late")

    assert on_time.status_code == 200
    assert (late.status_code, late.body) == (404, "expired_url")
    assert [e.text for e in fake.state.ephemerals(user=alice.id)] == ["at once", "just in time"]
    assert fake.state.response_posts()[-1].outcome == "rejected"
