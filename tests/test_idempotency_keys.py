"""``chargeapi.idempotency_key_for``: deterministic keys, reproducible from the documented
derivation (UUIDv5 of the RFC 8785 canonical JSON of ``[namespace, *parts]``)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

import chargeapi
from chargeapi.testing import Simulator

# The documented namespace UUID, and how it is made.
NAMESPACE = uuid.UUID("116181bc-c1bf-5dde-99d0-2c27d00e1d0a")


def documented(canonical: str) -> str:
    """The key the docs promise for this canonical JSON text (written out by hand)."""
    return str(uuid.uuid5(NAMESPACE, canonical))


def test_the_namespace_uuid_is_the_documented_one() -> None:
    assert uuid.uuid5(uuid.NAMESPACE_URL, "https://docs.chargeapi.co/idempotency") == NAMESPACE


def test_the_key_is_the_uuid5_of_the_canonical_json_array() -> None:
    key = chargeapi.idempotency_key_for("onboarding", 7, {"b": 1, "a": [True, None]})
    assert key == documented('["onboarding",7,{"a":[true,null],"b":1}]')
    assert key == "695b852c-8427-5a04-9b06-b125eb11421e"
    assert uuid.UUID(key).version == 5


@pytest.mark.parametrize(
    ("part", "canonical"),
    [
        (1.0, "1"),
        (1.5, "1.5"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (0.1 + 0.2, "0.30000000000000004"),
        (2**64, "18446744073709551616"),
        ('é\n"\\', '"é\\n\\"\\\\"'),
        ("\u2028\x7f\x01", '"\u2028\x7f\\u0001"'),
        # keys sorted by UTF-16 code units: U+1F600 (D83D DE00) before U+FFFF
        ({"\uffff": 1, "\U0001f600": 2, "a": 3}, '{"a":3,"\U0001f600":2,"\uffff":1}'),
        ((1, [2, ()]), "[1,[2,[]]]"),
    ],
)
def test_values_are_written_as_rfc_8785_does(part: Any, canonical: str) -> None:
    assert chargeapi.idempotency_key_for("n", part) == documented(f'["n",{canonical}]')


def test_equal_parameters_give_equal_keys_and_any_change_another_key() -> None:
    key = chargeapi.idempotency_key_for
    base = key("fleet-import", 3, {"name": "Lea", "email": "lea@example.com", "limits": [1, 2]})
    assert base == key(
        "fleet-import", 3, {"limits": (1, 2), "email": "lea@example.com", "name": "Lea"}
    )
    assert base == key(
        "fleet-import", 3.0, {"name": "Lea", "email": "lea@example.com", "limits": [1.0, 2]}
    )
    different = [
        key("fleet-import", 4, {"name": "Lea", "email": "lea@example.com", "limits": [1, 2]}),
        key("fleet-import", 3, {"name": "Lea ", "email": "lea@example.com", "limits": [1, 2]}),
        key("fleet-import", 3, {"name": "Lea", "email": "lea@example.com", "limits": [2, 1]}),
        key("fleet-export", 3, {"name": "Lea", "email": "lea@example.com", "limits": [1, 2]}),
        key("fleet-import", "3", {"name": "Lea", "email": "lea@example.com", "limits": [1, 2]}),
        key("fleet-import", 3, {"name": "Lea", "email": "lea@example.com", "limits": [True, 2]}),
        key("fleet-import", 3, {"name": "Lea", "email": "lea@example.com"}),
        key("fleet-import", 3),
    ]
    assert len({base, *different}) == len(different) + 1


@pytest.mark.parametrize(
    ("namespace", "parts", "param"),
    [
        ("", (), "namespace"),
        (5, (), "namespace"),
        ("n", (datetime(2026, 4, 1, tzinfo=UTC),), "parts[0]"),
        ("n", (1, {"a": {1: "x"}}), "parts[1].a"),
        ("n", ({"a": [1, float("nan")]},), "parts[0].a[1]"),
        ("n", (float("inf"),), "parts[0]"),
        ("n", ("\ud800",), "parts[0]"),
        ("n", ({1, 2},), "parts[0]"),
    ],
)
def test_what_is_no_json_value_is_refused_naming_where(
    namespace: Any, parts: tuple[Any, ...], param: str
) -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as raised:
        chargeapi.idempotency_key_for(namespace, *parts)
    assert raised.value.param == param


def test_a_cycle_is_refused_not_a_recursion_error() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(chargeapi.InvalidParameterError, match="nested more than"):
        chargeapi.idempotency_key_for("n", loop)


def test_a_job_run_twice_with_the_derived_key_creates_once() -> None:
    """A retried job (a Celery task after a worker died) derives the same key: the second
    run replays the first answer instead of creating a second driver."""
    sim = Simulator(seed=0)
    params = {"name": "Row Seven", "email": "row7@example.com"}
    with sim.client() as client:
        before = len(list(chargeapi.Driver.list(limit=100, client=client)))
        runs = [
            chargeapi.Driver.create(
                **params,
                idempotency_key=chargeapi.idempotency_key_for("import", 7, params),
                client=client,
            )
            for _ in range(2)
        ]
        after = len(list(chargeapi.Driver.list(limit=100, client=client)))
    assert runs[0] == runs[1]
    assert runs[1].last_response is not None
    assert runs[1].last_response.idempotent_replayed
    assert after == before + 1
    posts = [r for r in sim.requests if r.method == "POST"]
    assert [r.headers["Idempotency-Key"] for r in posts] == [
        documented('["import",7,{"email":"row7@example.com","name":"Row Seven"}]')
    ] * 2


def test_it_is_exported_lazily() -> None:
    assert "idempotency_key_for" in chargeapi.__all__
    code = "import sys, chargeapi; print('chargeapi._idempotency' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
