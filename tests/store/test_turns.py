"""This process's SQLite writers take turns in the order they asked (store.turns).

Every wait here is on an event or on the queue's own condition: nothing sleeps to order
threads.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from store.db import Database
from store.turns import Turns

WAIT_S = 10.0


def test_waiting_writers_get_their_turn_in_the_order_they_asked() -> None:
    turns = Turns()
    order: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        with turns.turn(WAIT_S):
            holding.set()
            release.wait(WAIT_S)
            order.append("first")

    def later(name: str) -> None:
        with turns.turn(WAIT_S):
            order.append(name)

    threads = [threading.Thread(target=first)]
    threads[0].start()
    assert holding.wait(WAIT_S)
    for queued, name in enumerate(["second", "third", "fourth"], start=1):
        threads.append(threading.Thread(target=later, args=(name,)))
        threads[-1].start()
        assert turns.wait_for_queue(queued, WAIT_S)  # each queued before the next asks
    release.set()
    for thread in threads:
        thread.join(WAIT_S)
    assert order == ["first", "second", "third", "fourth"]


def test_the_holder_asking_again_is_refused_at_once() -> None:
    turns = Turns()
    with (
        turns.turn(WAIT_S),
        pytest.raises(RuntimeError, match="open in this thread"),
        turns.turn(WAIT_S),
    ):
        pass
    with turns.turn(WAIT_S):  # and the turn was given back
        pass


def test_a_writer_that_gives_up_leaves_the_queue_to_the_others() -> None:
    turns = Turns()
    order: list[str] = []
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with turns.turn(WAIT_S):
            holding.set()
            release.wait(WAIT_S)

    def impatient() -> None:
        try:
            with turns.turn(0.0):
                order.append("impatient")
        except TimeoutError as error:
            errors.append(error)

    def patient() -> None:
        with turns.turn(WAIT_S):
            order.append("patient")

    holder = threading.Thread(target=first)
    holder.start()
    assert holding.wait(WAIT_S)
    impatient_thread = threading.Thread(target=impatient)
    impatient_thread.start()
    impatient_thread.join(WAIT_S)
    patient_thread = threading.Thread(target=patient)
    patient_thread.start()
    assert turns.wait_for_queue(1, WAIT_S)
    release.set()
    for thread in (holder, patient_thread):
        thread.join(WAIT_S)
    assert order == ["patient"]
    assert len(errors) == 1 and "no turn to write" in str(errors[0])


def test_databases_on_one_file_share_their_turns_and_memory_databases_do_not(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    one, two = Database.from_url(url), Database.from_url(url)
    other = Database.from_url(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    memory_one, memory_two = Database.from_url("sqlite://"), Database.from_url("sqlite://")
    try:
        assert one.turns is not None and one.turns is two.turns
        assert other.turns is not one.turns
        assert memory_one.turns is not memory_two.turns
    finally:
        for database in (one, two, other, memory_one, memory_two):
            database.dispose()


def test_a_write_waits_for_the_turn_of_a_write_on_another_engine(tmp_path: Path) -> None:
    """Two engines on one file: the second writer is queued by Turns, not by SQLite's polling."""
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    one, two = Database.from_url(url), Database.from_url(url)
    try:
        with one.write() as session:
            session.execute(text("CREATE TABLE t (n INTEGER)"))
        holding, release = threading.Event(), threading.Event()

        def hold() -> None:
            with one.write() as session:
                session.execute(text("INSERT INTO t VALUES (1)"))
                holding.set()
                release.wait(WAIT_S)

        def write_after() -> None:
            with two.write() as session:
                session.execute(text("INSERT INTO t SELECT count(*) + 1 FROM t"))

        holder, writer = threading.Thread(target=hold), threading.Thread(target=write_after)
        holder.start()
        assert holding.wait(WAIT_S)
        writer.start()
        assert two.turns is not None and two.turns.wait_for_queue(1, WAIT_S)
        release.set()
        for thread in (holder, writer):
            thread.join(WAIT_S)
        with two.read() as session:
            assert session.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]
    finally:
        one.dispose()
        two.dispose()
