"""Decode: ChargingSession from a dict and from bytes, against a pydantic v2 model of the same
fields (strict scalars, aware datetimes, an open enum, frozen): the seed session (IDs only), and
an expanded session (station, driver, fleet, payment method and vehicle as nested objects),
whose pydantic twins are derived from the SDK's own models field by field."""

from __future__ import annotations

import enum
import functools
import json
import typing
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import attrs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    create_model,
)

import chargeapi
from chargeapi._convert import from_json, json_fields
from chargeapi._exceptions import loads_json

from ._fixtures import SEED_BYTES
from ._harness import Contender, Group, interleave, loop_call1

DECODE_TARGET, DECODE_BOUND = 1.0, 0.70


class _Status(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


class PydanticSession(BaseModel):
    """The same 19 fields; strict scalars and open enum like the SDK; expandables as IDs."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: StrictStr
    object: Literal["charging_session"] = "charging_session"
    amount_due: StrictInt
    amount_paid: StrictInt
    charging_station: StrictStr
    connector: StrictStr
    country: StrictStr | None
    created: datetime
    currency: StrictStr
    driver: StrictStr
    energy_consumed: StrictInt
    fleet: StrictStr | None
    payment_method: StrictStr
    session_ended: datetime | None
    session_limit: StrictInt | None = None
    session_started: datetime
    status: _Status | str = Field(union_mode="left_to_right")
    updated: datetime
    vehicle: StrictStr


_SCALARS: dict[Any, Any] = {
    str: StrictStr,
    int: StrictInt,
    bool: StrictBool,
    float: StrictFloat,
    datetime: datetime,
    Any: Any,
}
_TAKEN = set(dir(BaseModel))  # pydantic's own names: such a field gets another one, aliased


def _twin_type(tp: Any) -> Any:
    """The pydantic annotation that decodes what the SDK's annotation ``tp`` does."""
    if tp in _SCALARS:
        return _SCALARS[tp]
    if attrs.has(tp):
        return _twin_of(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Literal:
        return tp
    if origin is tuple:
        return tuple[_twin_type(args[0]), ...]  # type: ignore[misc]
    if origin in (dict, Mapping):
        return dict[str, _twin_type(args[1])]  # type: ignore[misc]
    if args:  # a union
        parts = [a for a in args if a is not type(None)]
        if any(isinstance(a, type) and issubclass(a, enum.StrEnum) for a in parts):
            inner: Any = Annotated[typing.Union[tuple(parts)], Field(union_mode="left_to_right")]  # noqa: UP007
        elif any(typing.get_origin(a) is dict for a in parts):  # any API object: as a dict
            inner = dict[str, Any]
        else:
            inner = typing.Union[tuple(_twin_type(a) for a in parts)]  # noqa: UP007
        return inner | None if type(None) in args else inner
    raise TypeError(f"no pydantic twin for {tp!r}")


_TWINS: dict[str, Any] = {}  # by name, for the references between twins


def pydantic_twin(cls: type[Any]) -> type[BaseModel]:
    """A frozen pydantic v2 model with the JSON fields of the SDK model ``cls``, each typed as
    strictly as the SDK decodes it (unknown fields ignored, as pydantic does by default)."""
    name = f"{cls.__name__}Twin"
    found = _TWINS.get(name)
    if isinstance(found, type):
        return found
    _TWINS[name] = None  # on the way: a model that refers back to it gets its name
    fields: dict[str, Any] = {}
    for f in json_fields(cls)[0]:
        attribute = f"{f.name}_" if f.name in _TAKEN else f.name
        default: Any = ...
        if not f.required:
            default = next(a.default for a in attrs.fields(cls) if a.name == f.name)
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()  # pyright: ignore[reportAttributeAccessIssue]
        fields[attribute] = (_twin_type(f.type), Field(default, alias=f.key))
    config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True, defer_build=True)
    twin: type[BaseModel] = create_model(name, __config__=config, **fields)
    _TWINS[name] = twin
    return twin


def _twin_of(cls: type[Any]) -> Any:
    name = f"{cls.__name__}Twin"
    if name in _TWINS and _TWINS[name] is None:
        return name  # a forward reference, resolved by model_rebuild
    return pydantic_twin(cls)


def ready_twin(cls: type[Any]) -> type[BaseModel]:
    """``pydantic_twin(cls)`` with every reference between twins resolved."""
    twin = pydantic_twin(cls)
    for model in _TWINS.values():
        model.model_rebuild(_types_namespace=_TWINS)
    return twin


@functools.cache
def expanded_session() -> bytes:
    """A charging session with every expandable field expanded, as the simulator answers it."""
    from chargeapi.testing import Simulator  # noqa: PLC0415 - only this group needs it

    sim = Simulator(seed=0)
    with sim.client() as client:
        session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
        expand = ["charging_station", "driver", "fleet", "payment_method", "vehicle"]
        answer = chargeapi.ChargingSession.retrieve(session.id, expand=expand, client=client)
    assert answer.last_response is not None
    return json.dumps(json.loads(answer.last_response.content)).encode()


def _from_bytes(content: bytes) -> Any:
    """What a response goes through: the SDK's JSON loads, then the model's decoder."""
    return from_json(chargeapi.ChargingSession, loads_json(content))


def bench_decode(rounds: int, target_ns: int, *, guarded: bool = False) -> list[Group]:
    """Decode from a dict and from bytes, the seed session and an expanded one; ``guarded``:
    only the seed session (the CI guard bounds the dict row; bytes add orjson's loads, which is
    not the SDK's code, and measure noisier)."""
    data = json.loads(SEED_BYTES)
    model = chargeapi.ChargingSession.from_dict(data)
    other = PydanticSession.model_validate(data)
    assert [getattr(model, f) for f in PydanticSession.model_fields] == list(
        other.model_dump().values()
    )
    assert _from_bytes(SEED_BYTES) == model
    groups = [
        _pair("decode (dict -> model)", PydanticSession, data, rounds, target_ns, guarded=True),
        _pair(
            "decode (bytes -> model)", PydanticSession, SEED_BYTES, rounds, target_ns, guarded=True
        ),
    ]
    if guarded:
        return groups
    expanded = expanded_session()
    twin = ready_twin(chargeapi.ChargingSession)
    session = chargeapi.ChargingSession.from_dict(json.loads(expanded))
    assert isinstance(session.charging_station, chargeapi.ChargingStation)
    checked = twin.model_validate_json(expanded)
    assert checked.charging_station.id == session.charging_station.id  # type: ignore[attr-defined]
    groups.append(
        _pair(
            "decode expanded session (dict -> model)", twin, json.loads(expanded), rounds, target_ns
        )
    )
    groups.append(
        _pair("decode expanded session (bytes -> model)", twin, expanded, rounds, target_ns)
    )
    return groups


def _pair(
    title: str,
    rival: type[BaseModel],
    data: Any,
    rounds: int,
    target_ns: int,
    *,
    guarded: bool = False,
) -> Group:
    """The SDK against pydantic on one input: a dict (``from_dict``) or bytes (the response
    path: the SDK's JSON loads, then the decoder)."""
    bound = DECODE_BOUND if guarded and not isinstance(data, bytes) else None
    if isinstance(data, bytes):
        baseline = Contender(
            "pydantic v2 model_validate_json(b)", loop_call1(rival.model_validate_json, data)
        )
        contenders = [
            Contender(
                "SDK response path: loads + decode",
                loop_call1(_from_bytes, data),
                DECODE_TARGET,
                bound,
            ),
            Contender("json.loads(b)  [reference]", loop_call1(json.loads, data)),
        ]
    else:
        baseline = Contender(
            "pydantic v2 model_validate(d)", loop_call1(rival.model_validate, data)
        )
        contenders = [
            Contender(
                "ChargingSession.from_dict(d)",
                loop_call1(chargeapi.ChargingSession.from_dict, data),
                DECODE_TARGET,
                bound,
            )
        ]
    return interleave(title, baseline, contenders, rounds=rounds, target_ns=target_ns)
