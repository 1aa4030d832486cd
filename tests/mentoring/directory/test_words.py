"""Free-text lookups through the word lists equal ``word in text`` for every text."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mentoring.directory.words import SEPARATOR, WordIndex

PIECES = st.sampled_from([*"abé\x00\x01", " ", "\t", "\n", "\u2003", SEPARATOR])
TEXT = st.lists(PIECES, max_size=12).map("".join)  # the marker between texts, inside one
TEXTS = st.lists(TEXT, min_size=1, max_size=12)
WORDS = st.text(st.sampled_from(list("abé\x00\x01")), min_size=1, max_size=3)


@given(texts=TEXTS, alive=st.lists(st.booleans(), min_size=12, max_size=12), word=WORDS)
def test_a_word_matches_exactly_the_texts_containing_it(
    texts: list[str], alive: list[bool], word: str
) -> None:
    live = np.array(alive[: len(texts)])
    found = WordIndex(texts, live).matching(word, texts, len(texts))
    assert (found & live).tolist() == [a and word in t for t, a in zip(texts, live, strict=True)]


@given(texts=TEXTS, changes=st.lists(st.tuples(st.integers(0, 11), TEXT), max_size=5))
def test_texts_changed_after_the_lists_were_built_are_checked_directly(
    texts: list[str], changes: list[tuple[int, str]]
) -> None:
    live = np.ones(len(texts), bool)
    words = WordIndex(texts, live)
    texts = list(texts)
    for slot, text in changes:
        if slot < len(texts):
            texts[slot] = text
            words.stale.add(slot)
    for word in ("a", "b", "é", "ab", "\x01"):
        found = words.matching(word, texts, len(texts))
        assert found.tolist() == [word in t for t in texts]
