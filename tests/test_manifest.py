"""manifest.yml is valid, and asks for exactly what the code uses."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT.parent / "shared" / "slack" / "check-manifest"
SOURCE_DIRS = ("bot", "handlers", "scheduler", "blocks", "mentoring")
# The bot scope each Web API method the product calls needs (Slack's method reference).
METHOD_SCOPES = {
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "conversations_open": "im:write",  # one user; with several users, mpim:write
    "users_info": "users:read",
    "users_list": "users:read",
    "users_lookupByEmail": "users:read.email",
    "files_upload_v2": "files:write",
    "views_open": None,
    "views_push": None,
    "views_update": None,
    "views_publish": None,
    "auth_test": None,
}


def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def source() -> str:
    """The product's code; the console is left out (it reads the fake Slack's own state)."""
    files = [p for d in SOURCE_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    return "\n".join(p.read_text() for p in files if "console" not in p.parts)


def test_manifest_is_valid_against_slacks_schema() -> None:
    result = subprocess.run(
        [sys.executable, str(CHECKER), str(ROOT / "manifest.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_commands_match_the_listeners() -> None:
    in_code = set(re.findall(r'app\.command\("(/[a-z-]+)"\)', source()))
    in_manifest = {c["command"] for c in manifest()["features"]["slash_commands"]}
    assert in_code == in_manifest == {"/find-mentor", "/mentor-admin"}


def test_events_match_the_listeners() -> None:
    in_code = set(re.findall(r'app\.event\("([a-z_]+)"\)', source()))
    assert in_code == set(manifest()["settings"]["event_subscriptions"]["bot_events"])


def test_scopes_are_exactly_those_the_code_needs() -> None:
    code = source()
    called = set(
        re.findall(r"\.(chat_\w+|conversations_\w+|users_\w+|views_\w+|files_\w+)\(", code)
    )
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add the scopes of {unknown} to METHOD_SCOPES"
    needed = {METHOD_SCOPES[m] for m in called} - {None}
    needed.add("commands")  # slash commands
    if "open_with" in code:  # group DMs for pairs: conversations.open with several users
        needed.add("mpim:write")
    assert set(manifest()["oauth_config"]["scopes"]["bot"]) == needed
