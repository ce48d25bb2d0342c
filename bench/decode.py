"""Decode: ChargingSession from a dict and from bytes, against a pydantic v2 model of the same
fields (strict scalars, aware datetimes, an open enum, frozen)."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

import chargeapi
from chargeapi._convert import from_json
from chargeapi._exceptions import loads_json

from ._fixtures import SEED_BYTES
from ._harness import Contender, Group, interleave, loop_call1

DECODE_TARGET, DECODE_BOUND = 1.25, 2.0


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


def _from_bytes(content: bytes) -> Any:
    """What a response goes through: the SDK's JSON loads, then the model's decoder."""
    return from_json(chargeapi.ChargingSession, loads_json(content))


def bench_decode(rounds: int, target_ns: int, *, with_bytes: bool = True) -> list[Group]:
    data = json.loads(SEED_BYTES)
    model = chargeapi.ChargingSession.from_dict(data)
    other = PydanticSession.model_validate(data)
    assert [getattr(model, f) for f in PydanticSession.model_fields] == list(
        other.model_dump().values()
    )
    assert _from_bytes(SEED_BYTES) == model
    groups = [
        interleave(
            "decode (dict -> model)",
            Contender(
                "pydantic v2 model_validate(d)", loop_call1(PydanticSession.model_validate, data)
            ),
            [
                Contender(
                    "ChargingSession.from_dict(d)",
                    loop_call1(chargeapi.ChargingSession.from_dict, data),
                    DECODE_TARGET,
                    DECODE_BOUND,
                ),
            ],
            rounds=rounds,
            target_ns=target_ns,
        )
    ]
    if with_bytes:
        groups.append(
            interleave(
                "decode (bytes -> model)",
                Contender(
                    "pydantic v2 model_validate_json(b)",
                    loop_call1(PydanticSession.model_validate_json, SEED_BYTES),
                ),
                [
                    Contender(
                        "SDK response path: loads + decode",
                        loop_call1(_from_bytes, SEED_BYTES),
                        DECODE_TARGET,
                    ),
                    Contender("json.loads(b)  [reference]", loop_call1(json.loads, SEED_BYTES)),
                ],
                rounds=rounds,
                target_ns=target_ns,
            )
        )
    return groups
