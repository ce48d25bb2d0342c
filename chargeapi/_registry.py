"""One registry of object types: ``object`` name <-> ID prefix <-> model class.

The decoder (which class is ``{"object": "charging_session", ...}``?), the ID checks
(``driver=`` must start with ``drv_``) and expandable fields all ask this module, so a new
resource is one ``@register`` line away from being understood everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

__all__ = ["PREFIXES", "class_for", "register", "wrong_object"]

#: Documented ID prefix of every object type (NEW IDs are prefix + 32 alphanumerics).
PREFIXES: Mapping[str, str] = {
    "account": "acct_",
    "charging_session": "cs_",
    "charging_station": "chst_",
    "driver": "drv_",
    "estimation": "est_",
    "event": "evt_",
    "fleet": "flt_",
    "invoice": "inv_",
    "payment_method": "pm_",
    "policy": "pol_",
    "report": "rpt_",
    "reservation": "res_",
    "transaction": "txn_",
    "vehicle": "veh_",
    "vehicle_telemetry": "vtel_",
    "webhook_endpoint": "wh_",
}
_OBJECT_BY_PREFIX = {prefix: name for name, prefix in PREFIXES.items()}

_CLASSES: dict[str, type[Any]] = {}

C = TypeVar("C", bound=type[Any])


def register(object_name: str) -> Callable[[C], C]:
    """Class decorator: the model that decodes objects whose ``object`` is ``object_name``."""
    if object_name not in PREFIXES:
        raise ValueError(f"unknown object type {object_name!r}: add its prefix to PREFIXES")

    def decorate(cls: C) -> C:
        _CLASSES[object_name] = cls
        return cls

    return decorate


def object_name_for(data: Mapping[str, Any]) -> str | None:
    """The object type of a JSON object: its ``object`` field, else its ID's prefix."""
    name = data.get("object")
    if isinstance(name, str):
        return name
    object_id = data.get("id")
    return object_name_of_id(object_id) if isinstance(object_id, str) else None


def object_name_of_id(object_id: str) -> str | None:
    """The object type an ID's prefix names (``cs_...``: ``charging_session``), if any."""
    underscore = object_id.find("_")
    return _OBJECT_BY_PREFIX.get(object_id[: underscore + 1]) if underscore > 0 else None


def wrong_object(data: object, object_name: str | None, object_id: str | None = None) -> str | None:
    """Why an answer is not the object the call asked for (another type, another ID than the one
    the call named, or nothing that says what it is), or None when it may be. Only what the
    answer says is compared: a field it leaves out or of the wrong kind is the decoder's to
    judge, as long as ``object`` or ``id`` ties it to the call."""
    if not isinstance(data, dict):
        return None
    fields = cast("dict[str, Any]", data)
    found, found_id = fields.get("object"), fields.get("id")
    # The usual answer, at once: the type asked for, and an ID of that type (every prefix ends
    # at its only underscore, so it names no other type) that is the one named, if any.
    if (
        object_name is not None
        and found == object_name
        and type(found_id) is str
        and found_id.startswith(PREFIXES.get(object_name, "\0"))
        and (object_id is None or found_id == object_id)
    ):
        return None
    if object_name is not None:
        if not isinstance(found, str) and not isinstance(found_id, str):
            return f"an object with no 'object' or 'id', where the call asked for a {object_name}"
        if isinstance(found, str) and found != object_name:
            return f"a {found[:64]!r} object, where the call asked for a {object_name}"
        if isinstance(found_id, str):
            kind = object_name_of_id(found_id)
            if kind is not None and kind != object_name:
                return f"a {kind} ID ({found_id[:64]!r}), where the call asked for a {object_name}"
    if object_id is not None and isinstance(found_id, str) and found_id != object_id:
        return f"the object {found_id[:64]!r}, where the call asked for {object_id!r}"
    return None


def class_for(data: Mapping[str, Any]) -> type[Any] | None:
    """The registered model for a JSON object, or None when the SDK has no model for it."""
    name = object_name_for(data)
    return _CLASSES.get(name) if name is not None else None
