"""Several workspaces: OAuth install against the fake's oauth.v2.access; teams never mix.

The real app is wired as ``mentor-match serve`` wires it with SLACK_CLIENT_ID/SECRET set (no bot
token: Bolt authorizes each request from the installation store) and served over HTTP. One
fake Slack mints codes and tokens for two workspaces, and records the token of every call.
"""

from __future__ import annotations

import copy
import html
import http.client
import re
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from pydantic import SecretStr
from sqlalchemy import inspect, select

from blocks.ids import Action, Field
from bot.app import build_app, build_services, slack_client
from bot.clock import Clock
from bot.config import AppConfig
from bot.oauth import BOT_SCOPES, OAuthStores, TeamClients, oauth_settings
from bot.runtime import boot
from bot.sandbox import APP_ID, SIGNING_SECRET, TrackingExecutor
from bot.web import HttpServer, wsgi_app
from fakeslack import FakeSlack, Inbound
from mentoring.program.settings_changes import update_settings
from scheduler.jobs import Jobs
from store.db import Database
from store.enums import OutboxStatus
from store.models import Event, Member, OutboxMessage, Request, Workspace
from tests.conftest import NOW, TEAM
from tests.scenario.harness import Harness, texts
from tests.test_manifest import manifest

BETA = "T0BETA"
BETA_CAST = {"UBEA": ("bea", "Bea Berg", "Europe/London"), "UBOB": ("bob", "Bob Brown", "UTC")}


class OAuthHarness(Harness):
    """The scenario harness, but the app runs in multi-workspace (OAuth) mode."""

    def __init__(self, db: Database, fake: FakeSlack) -> None:  # no Sandbox: no bot token
        self.db, self.fake, self.state = db, fake, fake.state
        self.clock = Clock(NOW)
        self.bind_slack_clock()
        self.config = AppConfig(
            _env_file=None,
            slack_client_id=fake.state.client_id,
            slack_client_secret=SecretStr(fake.state.client_secret),
            slack_signing_secret=SecretStr(SIGNING_SECRET),
            slack_api_url=fake.api_url,
        )
        self.client = slack_client(self.config)
        self.stores = OAuthStores.build(self.config, db.engine)
        self.stores.create_tables()
        installations = self.stores.installations
        self.services = build_services(self.config, db, self.client, installations=installations)
        self.services.clock = self.clock
        self.executor = TrackingExecutor()
        oauth = oauth_settings(self.config, self.stores, self.client)
        self.app = build_app(
            self.config,
            self.services,
            client=self.client,
            listener_executor=self.executor,
            oauth=oauth,
        )
        self.http = HttpServer(wsgi_app(self.app, db), "127.0.0.1", 0, threads=4).start()
        self.url = f"http://127.0.0.1:{self.http.port}"
        self.inbound = Inbound(SIGNING_SECRET, TEAM, APP_ID, state=fake.state)
        self.expected_failures: list[tuple[str, str | None]] = []

    def team(self, team_id: str) -> OAuthHarness:
        """The same app, with Slack's requests coming from workspace ``team_id``."""
        view = copy.copy(self)
        view.inbound = Inbound(SIGNING_SECRET, team_id, APP_ID, state=self.state)
        return view

    def get(self, path: str, cookie: str | None = None) -> tuple[int, dict[str, str], str]:
        """A browser's GET (the installer's), without following redirects."""
        conn = http.client.HTTPConnection("127.0.0.1", self.http.port, timeout=10)
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        return response.status, dict(response.getheaders()), body

    def install(self, team_id: str = TEAM) -> str:
        """Click "Add to Slack", approve in Slack, come back; the bot token stored for the team."""
        status, headers, page = self.get(self.config.slack_install_path)
        assert status == 200, page
        asked = parse_qs(urlsplit(authorize_url(page)).query)
        # The installer approves: Slack grants the scopes asked for, then redirects back.
        scopes = asked["scope"][0].split(",")
        code = self.state.new_oauth_code(scopes=scopes, team_id=team_id, team_name=team_id)
        query = urlencode({"code": code, "state": asked["state"][0]})
        cookie = headers["Set-Cookie"].split(";")[0]
        status, _, page = self.get(f"{self.config.slack_redirect_path}?{query}", cookie)
        assert status == 200, page
        bot = self.stores.installations.find_bot(enterprise_id=None, team_id=team_id)
        assert bot is not None and bot.bot_token
        return bot.bot_token


def authorize_url(page: str) -> str:
    found = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page)
    assert found, page
    return html.unescape(found.group(1))


@pytest.fixture
def oauth(db: Database, fake: FakeSlack) -> Iterator[OAuthHarness]:
    for user_id, (name, real_name, tz) in BETA_CAST.items():
        fake.state.add_user(user_id, name=name, real_name=real_name, display_name=real_name, tz=tz)
    harness = OAuthHarness(db, fake)
    yield harness
    harness.close()
    harness.stores.drop_tables()  # the PostgreSQL test database is shared by the session
    failed = [(c.method, c.error) for c in fake.state.calls() if not c.ok]
    assert failed == harness.expected_failures


def enroll(slack: Harness, user: str, values: dict[str, object]) -> None:
    slack.command(user, "/find-mentor", "profile")
    slack.submit(user, slack.modal(user), values)


def enroll_pair(slack: Harness, mentor: str, mentee: str) -> None:
    area = {Field.FUNCTIONAL_AREA: "Engineering"}
    enroll(slack, mentor, {Field.ROLES: ["mentor"], Field.EXPERTISE: ["leadership"], **area})
    enroll(slack, mentee, {Field.ROLES: ["mentee"], Field.INTERESTS: ["leadership"], **area})


def request(slack: Harness, mentee: str, mentor: str) -> None:
    slack.command(mentee, "/find-mentor")
    slack.click(mentee, Action.REQUEST_MENTOR, value=mentor, view=slack.modal(mentee))
    slack.submit(mentee, slack.modal(mentee), {Field.MESSAGE: "Could you mentor me this year?"})


def tokens_in_dm(slack: Harness, user: str) -> set[str | None]:
    """The tokens of every message posted or updated in the app's DM with ``user``."""
    channels = {user, slack.state.dm_channel(user)}  # a user id posts into their DM
    return {c.token for c in slack.state.calls() if c.params.get("channel") in channels}


def tick(slack: OAuthHarness, days: int) -> None:
    slack.clock.now += timedelta(days=days)
    jobs = Jobs(
        db=slack.db,
        client_for=slack.services.client_for,
        admins=lambda _team: [],
        clock=slack.clock,
    )
    jobs.sweep()
    jobs.deliver()


def test_bot_scopes_are_the_manifests() -> None:
    assert list(BOT_SCOPES) == manifest()["oauth_config"]["scopes"]["bot"]


def test_install_page_links_to_slack_with_a_state(oauth: OAuthHarness) -> None:
    status, headers, page = oauth.get("/slack/install")
    assert status == 200
    query = parse_qs(urlsplit(authorize_url(page)).query)
    assert query["client_id"] == [oauth.state.client_id]
    assert query["scope"] == [",".join(BOT_SCOPES)]
    assert headers["Set-Cookie"].startswith(f"slack-app-oauth-state={query['state'][0]};")


def test_redirect_exchanges_the_code_and_stores_the_installation(oauth: OAuthHarness) -> None:
    token = oauth.install(TEAM)
    assert token.startswith("xoxb-test-t0test-")
    exchange = oauth.calls("oauth.v2.access")
    assert [c.ok for c in exchange] == [True]  # at SLACK_API_URL, with the app's credentials
    installation = oauth.stores.installations.find_installation(enterprise_id=None, team_id=TEAM)
    assert installation is not None and installation.bot_scopes == list(BOT_SCOPES)
    assert {"slack_installations", "slack_bots", "slack_oauth_states"} <= set(
        inspect(oauth.db.engine).get_table_names()
    )


def test_redirect_with_a_forged_state_installs_nothing(oauth: OAuthHarness) -> None:
    code = oauth.state.new_oauth_code()
    status, _, _ = oauth.get(f"/slack/oauth_redirect?code={code}&state=forged")
    assert status == 400  # no cookie from our install page: another browser
    status, _, _ = oauth.get(
        f"/slack/oauth_redirect?code={code}&state=forged", "slack-app-oauth-state=forged"
    )
    assert status == 401  # a state we never issued
    assert oauth.calls("oauth.v2.access") == []
    assert oauth.stores.installations.find_bot(enterprise_id=None, team_id=TEAM) is None


def test_two_workspaces_data_and_tokens_never_mix(oauth: OAuthHarness) -> None:
    alpha_token, beta_token = oauth.install(TEAM), oauth.install(BETA)
    alpha, beta = oauth.team(TEAM), oauth.team(BETA)
    enroll_pair(alpha, "UMAYA", "UERIN")
    enroll_pair(beta, "UBEA", "UBOB")
    with oauth.db.write() as session:  # team B's admins call mentors "guides"
        changes = {"terminology": {"mentor": "guide", "mentee": "learner"}}
        update_settings(session=session, team_id=BETA, actor="UBEA", changes=changes, now=NOW)

    alpha.command("UERIN", "/find-mentor")
    shown = texts(alpha.modal("UERIN"))
    assert "Maya Chen" in shown and "Bea Berg" not in shown and "guide" not in shown
    beta.command("UBOB", "/find-mentor")
    shown = texts(beta.modal("UBOB"))
    assert "Bea Berg" in shown and "Maya Chen" not in shown and "guide" in shown

    request(beta, "UBOB", "UBEA")
    assert "Bob Brown" in texts(oauth.dm("UBEA")[-1])
    assert tokens_in_dm(oauth, "UBEA") == {beta_token}
    assert {c.token for c in oauth.calls("views.open")} == {alpha_token, beta_token}

    with oauth.db.read() as session:
        members = {m.id: (m.slack_user_id, m.team_id) for m in session.scalars(select(Member))}
        requests = session.scalars(select(Request)).all()
        event_teams = set(session.scalars(select(Event.team_id)))
        workspaces = set(session.scalars(select(Workspace.team_id)))
    assert sorted(members.values()) == [
        ("UBEA", BETA),
        ("UBOB", BETA),
        ("UERIN", TEAM),
        ("UMAYA", TEAM),
    ]
    assert [(r.team_id, members[r.mentee_id], members[r.mentor_id]) for r in requests] == [
        (BETA, ("UBOB", BETA), ("UBEA", BETA))
    ]
    assert event_teams == workspaces == {TEAM, BETA}


def test_reminders_use_each_teams_token_and_an_uninstalled_team_fails_readably(
    oauth: OAuthHarness,
) -> None:
    oauth.install(TEAM)
    beta_token = oauth.install(BETA)
    alpha, beta = oauth.team(TEAM), oauth.team(BETA)
    enroll_pair(alpha, "UMAYA", "UERIN")
    enroll_pair(beta, "UBEA", "UBOB")
    request(alpha, "UERIN", "UMAYA")
    request(beta, "UBOB", "UBEA")

    # Team A uninstalls: Bolt's app_uninstalled listener deletes its tokens.
    alpha.send(alpha.inbound.event({"type": "app_uninstalled"}))
    assert oauth.stores.installations.find_bot(enterprise_id=None, team_id=TEAM) is None
    assert isinstance(oauth.services.client_for, TeamClients)
    oauth.services.client_for.forget(TEAM)  # as if its cached client had expired
    oauth.state.reset_calls()

    tick(oauth, days=3)  # Thursday 09:00 in London: inside both mentors' working hours
    reminder = oauth.dm("UBEA")[-1]
    assert "Reminder: Bob Brown is waiting for your answer" in texts(reminder)
    assert {c.token for c in oauth.state.calls() if c.method.startswith("chat.")} == {beta_token}
    with oauth.db.read() as session:
        failed = session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
        ).all()
    assert [row.team_id for row in failed] == [TEAM]
    assert "not installed in workspace T0TEST" in (failed[0].last_error or "")


def test_forged_signature_is_refused_in_oauth_mode(oauth: OAuthHarness) -> None:
    oauth.install(TEAM)
    command = oauth.inbound.command("UERIN", "/find-mentor", "profile")
    assert oauth.send(oauth.inbound.forged(command))[0] == 401
    assert oauth.send(oauth.inbound.stale(command))[0] == 401
    assert oauth.calls("views.open") == []


def test_workspace_without_installation_is_asked_to_install(oauth: OAuthHarness) -> None:
    status, _ = oauth.team(BETA).command("UBOB", "/find-mentor")
    assert status == 200
    assert oauth.calls("views.open") == []
    assert "reinstall this app" in oauth.state.response_posts()[-1].payload["text"]


def test_boot_in_oauth_mode_creates_the_tables_and_installs(db: Database, fake: FakeSlack) -> None:
    config = AppConfig(
        _env_file=None,
        database_url=db.engine.url.render_as_string(hide_password=False),
        slack_client_id=fake.state.client_id,
        slack_client_secret=SecretStr(fake.state.client_secret),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=fake.api_url,
        slack_bot_token=SecretStr("xoxb-test-ignored"),
    )
    runtime = boot(config)
    try:
        assert runtime.app.oauth_flow is not None
        assert runtime.client.token is None
        assert isinstance(runtime.services.client_for, TeamClients)
        assert runtime.jobs().client_for is runtime.services.client_for
        assert "slack_bots" in inspect(runtime.db.engine).get_table_names()
    finally:
        OAuthStores.build(config, runtime.db.engine).drop_tables()
        runtime.db.dispose()


def test_half_an_oauth_configuration_is_refused() -> None:
    config = AppConfig(_env_file=None, slack_client_id="123.456", database_url="sqlite://")
    with pytest.raises(ValueError, match="SLACK_CLIENT_SECRET"):
        boot(config)
