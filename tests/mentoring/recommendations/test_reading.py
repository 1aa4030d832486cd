"""How a push reads profiles: JSON lists decoded once per distinct text, and shared."""

from __future__ import annotations

from mentoring.recommendations.reading import json_lists


def test_json_lists_decode_stored_text_into_one_shared_tuple_per_list() -> None:
    listed = json_lists()

    first = listed('["python", "go"]')
    again = listed('["python", "go"]')
    spaced = listed('["python","go"]')  # other text, the same list

    assert first == ("python", "go")
    assert again is first and spaced is first


def test_json_lists_take_lists_a_driver_already_decoded() -> None:
    listed = json_lists()

    from_text = listed('["English"]')
    from_driver = listed(["English"])

    assert from_driver == ("English",)
    assert from_driver is from_text
