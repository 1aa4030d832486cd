"""The HTTP server's graceful stop (bot.web.HttpServer), ordered by events, not by timing."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterable
from typing import Any

import pytest

from bot.web import HttpServer


def answer_ok(_environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def test_closing_waits_for_a_worker_that_answered_but_has_not_finished(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A worker wakes waitress's loop after answering; the stop must not close the loop first.

    Seen as a flake: ``OSError: Bad file descriptor`` in a worker after ``scheduler`` stopped.
    The worker is held just after the answer (nothing in flight any more) until the stop has
    begun, by either of its first steps: stopping the workers, or closing the loop's trigger.
    """
    http = HttpServer(answer_ok, "127.0.0.1", 0, threads=1).start()
    server = http.server
    answered, stop_began = threading.Event(), threading.Event()

    real_pull = server.pull_trigger

    def pull_trigger() -> None:
        worker = threading.current_thread().name.startswith("waitress")
        if worker and http.in_flight.count == 0 and not answered.is_set():
            answered.set()
            assert stop_began.wait(30), "the stop never began"
        real_pull()

    def began(real: Any, *, then: bool) -> Any:
        def step(*args: Any, **kwargs: Any) -> Any:
            if not then:
                stop_began.set()
            result = real(*args, **kwargs)
            if then:
                stop_began.set()
            return result

        return step

    server.pull_trigger = pull_trigger
    # Stopping the workers waits for the held one: it is let go as that starts. The loop's
    # trigger is closed by then only if the stop goes the wrong way round: let go once closed.
    dispatcher = server.task_dispatcher
    dispatcher.set_thread_count = began(dispatcher.set_thread_count, then=False)
    server.trigger.close = began(server.trigger.close, then=True)

    url = f"http://127.0.0.1:{http.port}/"
    client = threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=30).read())
    client.start()
    assert answered.wait(30), "the request was never answered"
    http.close()
    client.join(30)

    failures = [r for r in caplog.records if r.name.startswith("waitress") and r.exc_info]
    assert failures == []
    assert server.task_dispatcher.threads == set()  # every worker ended
