"""Free-text search over the in-memory directory index without reading every profile.

``search_text`` holds a mentor's name, title, bio and expertise, lower-cased; a search word
matches when it is a substring of it (SQL's ``LIKE '%word%'``). A search word has no
whitespace (it comes from ``str.split()``), so it is a substring of a text exactly when it is
a substring of one of the text's own ``str.split()`` tokens. So the distinct tokens of every
text are listed once, with the mentors holding each; a word is looked up among the tokens
(thousands) instead of the texts (up to 100,000 of some 200 characters each).

Texts that changed since the lists were built are checked directly, and the lists are built
again only after many changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

SEPARATOR = "\x00\x01"  # between texts when splitting them all at once
REBUILD_AFTER = 2_000
CHUNK = 4_096  # texts split at a time


def _one_by_one(
    texts: Sequence[str], live: NDArray[np.int64], vocabulary: dict[str, int]
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    token_sets = [set(texts[slot].split()) for slot in live.tolist()]
    ids = [vocabulary.setdefault(t, len(vocabulary)) for tokens in token_sets for t in tokens]
    owners = np.repeat(live, [len(tokens) for tokens in token_sets])
    return np.array(ids, np.int32), owners.astype(np.int32)


class WordIndex:
    """Which slots' texts contain a word; exact for every slot, stale ones checked directly."""

    def __init__(self, texts: Sequence[str], alive: NDArray[np.bool_]) -> None:
        live = np.flatnonzero(alive)
        vocabulary: dict[str, int] = {SEPARATOR: 0}
        chunks = [
            self._chunk(texts, live[start : start + CHUNK], vocabulary)
            for start in range(0, len(live), CHUNK)
        ]
        token_ids = np.concatenate([ids for ids, _ in chunks] or [np.zeros(0, np.int32)])
        owners = np.concatenate([slots for _, slots in chunks] or [np.zeros(0, np.int32)])
        del chunks
        counts = np.bincount(token_ids, minlength=len(vocabulary))
        # One in-place sort of (token, owner) packed in 64 bits: less memory than argsort.
        pairs = (token_ids.astype(np.int64) << 32) | owners.astype(np.int64)
        del token_ids, owners
        pairs.sort()
        self.vocabulary = vocabulary
        self.postings = (pairs & 0xFFFFFFFF).astype(np.int32)
        self.offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.stale: set[int] = set()  # slots whose text changed after the lists were built

    @staticmethod
    def _chunk(
        texts: Sequence[str], live: NDArray[np.int64], vocabulary: dict[str, int]
    ) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
        """Token ids and their slots for some texts: one split of them all, with a marker
        token between texts, runs in C (splitting 100,000 texts one by one costs seconds);
        a few thousand texts at a time keep the token strings from filling memory."""
        tokens = f" {SEPARATOR} ".join(texts[slot] for slot in live.tolist()).split()
        for token in set(tokens).difference(vocabulary):
            vocabulary[token] = len(vocabulary)
        token_ids = np.fromiter(map(vocabulary.__getitem__, tokens), np.int32, len(tokens))
        marks = token_ids == 0
        if int(marks.sum()) != max(len(live) - 1, 0):  # a text holds the marker itself
            return _one_by_one(texts, live, vocabulary)
        owners = live[np.cumsum(marks)].astype(np.int32)
        return token_ids[~marks], owners[~marks]

    @property
    def worn(self) -> bool:
        return len(self.stale) > REBUILD_AFTER

    def matching(self, word: str, texts: Sequence[str], size: int) -> NDArray[np.bool_]:
        """A mask over ``size`` slots: True where the slot's text contains ``word``."""
        found = np.zeros(size, bool)
        for token, token_id in self.vocabulary.items():
            if word in token:
                found[self.postings[self.offsets[token_id] : self.offsets[token_id + 1]]] = True
        for slot in self.stale:
            if slot < size:
                found[slot] = word in texts[slot]
        return found
