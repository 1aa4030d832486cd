"""JSON list columns read as text: decoded as the JSON type decodes them, each list once."""

from __future__ import annotations

import functools

from store.types import json_list


def test_a_json_list_read_as_text_is_a_tuple_and_null_is_empty() -> None:
    assert json_list('["python", "go"]') == ("python", "go")
    assert json_list(None) == json_list("") == json_list("null") == ()


def test_a_read_decoding_through_a_cache_shares_one_tuple_per_stored_list() -> None:
    listed = functools.cache(json_list)

    first = listed('["python", "go"]')
    again = listed('["python", "go"]')

    assert again is first
