"""A decoded model is an ordinary attrs object: the same as one built with its constructor,
frozen, comparable, hashable, printable, copyable with ``attrs.evolve`` and picklable (the
decoder fills its slots directly, without the constructor)."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

from chargeapi import ChargingSession, ChargingSessionStatus, ChargingStation

from .conftest import STATION_EXAMPLE, seed_response


def built_by_hand(**changes: Any) -> ChargingSession:
    """The seed session, written out field by field through the constructor."""
    fields: dict[str, Any] = {
        "id": "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY",
        "object": "charging_session",
        "amount_due": 1842,
        "amount_paid": 0,
        "charging_station": "chst_dxNYlw4nSLzUm4GWwPJ5ochwR3myCKsA",
        "connector": "connector_a1",
        "country": "FR",
        "created": datetime(2026, 4, 1, 1, 9, 14, 87000, tzinfo=UTC),
        "currency": "eur",
        "driver": "drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc",
        "energy_consumed": 0,
        "fleet": "flt_VPncsNUF64r6IMozGsQXGXBrA3USpxxb",
        "payment_method": "pm_BEAD5NIY9aCx3nSplzYUe7cxJ6QkI1BD",
        "session_ended": None,
        "session_limit": None,
        "session_started": datetime(2026, 4, 1, 1, 15, 3, 983000, tzinfo=UTC),
        "status": ChargingSessionStatus.ACTIVE,
        "updated": datetime(2026, 4, 1, 1, 18, 50, 258000, tzinfo=UTC),
        "vehicle": "veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3",
    }
    fields.update(changes)
    return ChargingSession(**fields)


def test_a_decoded_model_equals_the_one_its_constructor_builds() -> None:
    decoded = ChargingSession.from_dict(seed_response())
    by_hand = built_by_hand()

    assert decoded == by_hand
    assert hash(decoded) == hash(by_hand)
    assert repr(decoded) == repr(by_hand)
    assert decoded.status is ChargingSessionStatus.ACTIVE
    assert decoded.created.tzinfo is UTC
    assert decoded.last_response is None


def test_a_decoded_model_stays_frozen() -> None:
    session = ChargingSession.from_dict(seed_response())

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        session.currency = "usd"  # type: ignore[misc]
    assert session.currency == "eur"


def test_evolve_on_a_decoded_model_changes_only_what_it_names() -> None:
    session = ChargingSession.from_dict(seed_response())

    later = attrs.evolve(session, amount_due=2000, status=ChargingSessionStatus.COMPLETED)

    assert later == built_by_hand(amount_due=2000, status=ChargingSessionStatus.COMPLETED)
    assert session.amount_due == 1842
    assert later.to_dict()["amount_due"] == 2000


def test_decoded_models_hash_as_dict_keys_and_set_members() -> None:
    one = ChargingSession.from_dict(seed_response())
    two = ChargingSession.from_dict(seed_response())

    assert {one: "a"}[two] == "a"
    assert len({one, two, built_by_hand(amount_due=1)}) == 2


def test_a_decoded_model_pickles_with_its_unknown_fields_and_left_out_defaults() -> None:
    data = seed_response()
    data["loyalty_points"] = {"earned": 12}  # a field this SDK does not know yet
    del data["session_limit"]  # a defaulted field the answer left out
    session = ChargingSession.from_dict(data)

    copied = pickle.loads(pickle.dumps(session))

    assert copied == session
    assert copied.to_dict() == data
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        copied.amount_due = 0  # type: ignore[misc]


def test_a_decoded_nested_model_equals_its_constructed_parts() -> None:
    station = ChargingStation.from_dict(STATION_EXAMPLE)

    rebuilt = attrs.evolve(station)

    assert rebuilt == station
    assert hash(rebuilt) == hash(station)
    assert pickle.loads(pickle.dumps(station)) == station
    assert ChargingStation.from_dict(station.to_dict()) == station


@attrs.frozen(kw_only=True)
class _TaggedStation(ChargingStation):
    """A user's subclass with a field ``__init__`` does not take: JSON never sets it."""

    tag: str = attrs.field(default="local", init=False)


def test_a_subclass_field_init_does_not_take_keeps_its_default_when_decoded() -> None:
    decoded = _TaggedStation.from_dict({**STATION_EXAMPLE, "tag": "from-json"})
    assert decoded.tag == "local"
    assert decoded == attrs.evolve(decoded)
    assert decoded.name == STATION_EXAMPLE["name"]


def test_a_decoded_model_is_exactly_its_class_and_refuses_deletes() -> None:
    session = ChargingSession.from_dict(seed_response())
    station = ChargingSession.from_dict(
        {**seed_response(), "charging_station": STATION_EXAMPLE}
    ).charging_station

    assert type(session) is ChargingSession
    assert type(station) is ChargingStation
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del session.currency  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        object.__getattribute__(station, "__setattr__")("name", "x")
    assert session.currency == "eur"


class _Sealed(ChargingStation):
    """A user's subclass that refuses subclasses of its own."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        raise TypeError("sealed")


def test_a_subclass_that_refuses_subclasses_still_decodes_to_itself() -> None:
    decoded = _Sealed.from_dict(STATION_EXAMPLE)

    assert type(decoded) is _Sealed
    plain = ChargingStation.from_dict(STATION_EXAMPLE)
    fields = attrs.asdict(plain, recurse=False, filter=lambda a, _: a.init)
    assert decoded == _Sealed(**fields)
    assert decoded.to_dict() == STATION_EXAMPLE
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        decoded.name = "x"  # type: ignore[misc]


def test_keys_decode_the_same_whatever_str_objects_they_are() -> None:
    """Decoders look keys up with the str objects JSON decoding gives them; a dict whose keys
    are fresh, equal strings (built here character by character) decodes to the same object."""
    data = seed_response()
    data["loyalty_points"] = 12  # an unknown field, kept
    del data["session_limit"]  # a defaulted field left out
    fresh = {"".join(list(key)): value for key, value in data.items()}
    assert all(a is not b for a, b in zip(fresh, data, strict=True) if len(a) > 1)

    decoded = ChargingSession.from_dict(fresh)

    assert decoded == ChargingSession.from_dict(data)
    assert attrs.evolve(decoded, _unknown={}) == built_by_hand()
    assert decoded.to_dict() == data


_seen_subclasses: list[str] = []


class _Registering(ChargingStation):
    """A user's base that records every subclass made of it (a plugin registry)."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _seen_subclasses.append(cls.__name__)


class _Registered(_Registering):
    __slots__ = ()


def test_decoding_a_subclass_makes_no_subclass_its_user_code_sees() -> None:
    """Decoding calls no ``__init_subclass__`` of the user's: only the classes they wrote are
    in their registry, however often the model is decoded."""
    assert _seen_subclasses == ["_Registered"]

    decoded = _Registered.from_dict(STATION_EXAMPLE)
    again = _Registered.from_dict(STATION_EXAMPLE)

    assert type(decoded) is _Registered
    assert decoded == again
    assert decoded.to_dict() == STATION_EXAMPLE
    assert _seen_subclasses == ["_Registered"]
    assert _Registered.__subclasses__() == []


@attrs.frozen(kw_only=True, cache_hash=True)
class _CachedHash(ChargingStation):
    """A user's subclass whose hash attrs caches in a slot its ``__init__`` resets."""


def test_a_subclass_that_caches_its_hash_hashes_when_decoded() -> None:
    decoded = _CachedHash.from_dict(STATION_EXAMPLE)
    plain = ChargingStation.from_dict(STATION_EXAMPLE)
    fields = attrs.asdict(plain, recurse=False, filter=lambda a, _: a.init)

    assert hash(decoded) == hash(_CachedHash(**fields))
    assert {decoded: 1}[attrs.evolve(decoded)] == 1
