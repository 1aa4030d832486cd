"""Real ``mentor-match`` processes driven from outside: environment, output, health, signals.

Readiness is always waited for with a generous deadline, never a fixed sleep: the machine
running the tests may be busy. What the process prints is read as it comes (``wait_for``), what
it did in Slack is re-checked after each call the fake answers (``slack_shows``); only what has
no event to wait on (a database row, an HTTP answer, a syscall) is polled (``wait_until``).
"""

from __future__ import annotations

import json
import os
import platform
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from fakeslack import FakeSlack, Hold

BOT_TOKEN = "xoxb-test-process"
APP_TOKEN = "xapp-test-process"
SIGNING_SECRET = "process-signing-secret"
DEADLINE = 60.0  # seconds: generous, for a busy two-core machine
BIN = Path(sys.executable).parent / "mentor-match"
T = TypeVar("T")


def slack_shows(fake: FakeSlack, condition: Callable[[], T], what: str) -> T:
    """Wait until ``condition`` on the fake's state holds (checked after each call it
    answers, no polling); its truthy value."""
    value = fake.state.wait_for(condition, DEADLINE)
    if not value:
        raise AssertionError(f"timed out after {DEADLINE} s waiting for {what}")
    return value


def wait_until(condition: Callable[[], Any], what: str, timeout: float = DEADLINE) -> Any:
    """Poll ``condition`` until it returns something truthy; that value.

    For conditions nothing announces (a database row, an HTTP answer, a syscall): the pause
    between checks decides no order, it only spaces the checks.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)  # polling a condition, not ordering events


class AppProcess:
    """One ``mentor-match`` subprocess, its combined output collected as it comes."""

    def __init__(
        self,
        args: Sequence[str],
        *,
        cwd: Path,
        env: dict[str, str],
        stdin: bool = False,
    ) -> None:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        full_env.update({"PYTHONUNBUFFERED": "1", "LOG_LEVEL": "INFO", **env})
        self.args = list(args)
        self.proc = subprocess.Popen(
            [str(BIN), *args],
            cwd=cwd,
            env=full_env,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._text = ""
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while chunk := os.read(fd, 65536):
            with self._changed:
                self._text += chunk.decode("utf-8", "replace")
                self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return self._text

    def wait_for(self, pattern: str, timeout: float = DEADLINE, after: int = 0) -> re.Match[str]:
        """Wait until the output (from offset ``after``) matches ``pattern``."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = regex.search(self._text, after)
                if found:
                    return found
                if self.proc.poll() is not None and not self._reader.is_alive():
                    raise AssertionError(
                        f"process exited ({self.proc.returncode}) before {pattern!r}:\n{self._text}"
                    )
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {pattern!r} within {timeout} s:\n{self._text}")
                self._changed.wait(min(left, 0.5))

    def wait_reading_stdin(self, timeout: float = DEADLINE) -> None:
        """Wait until the main thread is blocked reading standard input (Linux's view of it).

        A prompt on the screen is not enough: it is written just before the read starts, and
        a signal landing in between would only be seen after the next line arrives.
        """
        read = {"x86_64": "0", "aarch64": "63"}[platform.machine()]
        path = Path(f"/proc/{self.proc.pid}/syscall")

        def reading() -> bool:
            fields = path.read_text().split()
            return fields[:2] == [read, "0x0"]

        wait_until(reading, "the console to wait for a line", timeout)

    def signal(self, sig: signal.Signals = signal.SIGTERM) -> None:
        self.proc.send_signal(sig)

    def write(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def close_stdin(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()

    def wait(self, timeout: float = DEADLINE) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after {timeout} s:\n{self.output}") from None
        self._reader.join(timeout=5)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def http_get(url: str, timeout: float = 10.0) -> tuple[int, dict[str, Any]]:
    """GET a JSON endpoint; its status and body (also for 5xx answers)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback http
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def health(port: int) -> tuple[int, dict[str, Any]]:
    return http_get(f"http://127.0.0.1:{port}/healthz")


def listening_port(process: AppProcess) -> int:
    found = process.wait_for(
        r"listening on http://[\d.]+:(\d+)/|health check at http://[\d.]+:(\d+)/"
    )
    return int(found.group(1) or found.group(2))


def hold(fake: FakeSlack, method: str) -> Hold:
    """Keep the app's next call to ``method`` waiting until the test releases it."""
    held = Hold(timeout=120)
    fake.state.inject(method, held)
    return held
