"""LOG_FORMAT=json: one JSON object per line, for log collectors."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from bot.config import AppConfig
from bot.runtime import JsonFormatter, configure_logging


@contextmanager
def bare_root() -> Iterator[logging.Logger]:
    """The root logger without handlers (as at process start), restored afterwards.

    Entered inside the test: pytest adds its capturing handlers around each test phase.
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers = []
    try:
        yield root
    finally:
        root.handlers, root.level = handlers, level


def emit(logger_name: str, *, exc: bool = False) -> dict[str, object]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        if exc:
            try:
                raise ValueError("boom")
            except ValueError:
                logger.exception("delivery failed for %s", "U123")
        else:
            logger.warning("sent %s of %s", 3, 4)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1  # a traceback stays inside its line
    entry: dict[str, object] = json.loads(lines[0])
    return entry


def test_a_record_is_one_json_object_with_the_message_formatted() -> None:
    entry = emit("mentor_match.test")
    assert entry.keys() == {"time", "level", "logger", "message"}
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "WARNING",
        "mentor_match.test",
        "sent 3 of 4",
    )
    stamp = datetime.fromisoformat(str(entry["time"]))
    assert stamp.utcoffset() == timedelta(0)  # UTC


def test_an_exception_travels_as_exc_info() -> None:
    entry = emit("mentor_match.test.exc", exc=True)
    assert entry["level"] == "ERROR"
    assert entry["message"] == "delivery failed for U123"
    assert "Traceback" in str(entry["exc_info"]) and "ValueError: boom" in str(entry["exc_info"])


def test_configure_logging_json_installs_the_formatter() -> None:
    with bare_root() as root:
        configure_logging(AppConfig(_env_file=None, log_format="JSON", log_level="debug"))
        level, formatters = root.level, [type(h.formatter) for h in root.handlers]
    assert level == logging.DEBUG
    assert formatters == [JsonFormatter]


def test_configure_logging_text_stays_the_default() -> None:
    config = AppConfig(_env_file=None)
    assert config.log_format == "text"
    with bare_root() as root:
        configure_logging(config)
        formatter = root.handlers[0].formatter
    assert not isinstance(formatter, JsonFormatter)
    assert (
        formatter is not None
        and formatter._fmt == "%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
