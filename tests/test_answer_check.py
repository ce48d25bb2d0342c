"""The answer check's quick way for the usual answer (the type asked for, an ID of that type)
says what the full comparison says, on the answers either side of it."""

from __future__ import annotations

import pytest

from chargeapi._registry import wrong_object

A = "cs_" + "A" * 32
B = "cs_" + "B" * 32
SESSION = "charging_session"


@pytest.mark.parametrize(
    ("body", "object_name", "object_id", "expected"),
    [
        ({"object": SESSION, "id": A}, SESSION, None, None),
        ({"object": SESSION, "id": A}, SESSION, A, None),
        (
            {"object": SESSION, "id": B},
            SESSION,
            A,
            f"the object {B!r}, where the call asked for {A!r}",
        ),
        (
            {"object": SESSION, "id": "drv_1"},
            SESSION,
            None,
            "a driver ID ('drv_1'), where the call asked for a charging_session",
        ),
        ({"object": SESSION, "id": "cs"}, SESSION, None, None),  # no prefix: nothing to compare
        ({"object": SESSION, "id": "zz_1"}, SESSION, None, None),  # an unknown prefix
        ({"object": SESSION, "id": 7}, SESSION, None, None),  # the decoder's to judge
        ({"id": A}, SESSION, None, None),
        (
            {"object": "driver", "id": A},
            SESSION,
            None,
            "a 'driver' object, where the call asked for a charging_session",
        ),
        (
            {"object": None, "id": None},
            SESSION,
            None,
            "an object with no 'object' or 'id', where the call asked for a charging_session",
        ),
        ({"object": None, "id": B}, None, A, f"the object {B!r}, where the call asked for {A!r}"),
        ({"object": None, "id": A}, None, None, None),
        ({"object": "policy", "id": "pol_1"}, "policy", None, None),
        (
            {"object": "policy", "id": "pol_1"},
            "policy",
            "pol_2",
            "the object 'pol_1', where the call asked for 'pol_2'",
        ),
    ],
)
def test_the_answer_check_agrees_with_the_full_comparison(
    body: dict[str, object], object_name: str | None, object_id: str | None, expected: str | None
) -> None:
    assert wrong_object(body, object_name, object_id) == expected
