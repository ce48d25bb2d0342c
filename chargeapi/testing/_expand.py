"""`expand=`: replace ID fields with the full objects, following dotted paths.

The table is the docs' "where expansion is available" (section 5); its rows past the CUT
(transaction, vehicle, invoice, vehicle telemetry) expand the references those objects hold,
and `vehicle.fleet` is allowed because the docs' own example expands it. Paths are checked
against the table before any data is touched, so an unsupported path is always a 400
`unsupported_expand_value` with `param: "expand"`, even where the field happens to be null.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from chargeapi.testing._errors import invalid
from chargeapi.testing._seed import JSON, is_object

# object type -> expandable field path -> kind of the object it holds the ID of
EXPANDABLE: dict[str, dict[str, str]] = {
    "account": {"preferences.default_payment_method": "payment_method"},
    "charging_session": {
        "charging_station": "charging_station",
        "driver": "driver",
        "fleet": "fleet",
        "payment_method": "payment_method",
        "vehicle": "vehicle",
    },
    "driver": {"preferences.default_payment_method": "payment_method"},
    "estimation": {"charging_station": "charging_station", "vehicle": "vehicle"},
    "fleet": {"preferences.default_payment_method": "payment_method"},
    "payment_method": {"driver": "driver", "fleet": "fleet"},
    "report": {"account": "account", "fleet": "fleet"},
    "reservation": {
        "charging_station": "charging_station",
        "driver": "driver",
        "payment_method": "payment_method",
        "vehicle": "vehicle",
    },
    # The rows below are past the docs' CUT: the references these objects hold.
    "transaction": {
        "charging_session": "charging_session",
        "driver": "driver",
        "fleet": "fleet",
        "payment_method": "payment_method",
        "vehicle": "vehicle",
    },
    "vehicle": {"fleet": "fleet"},
    "invoice": {"fleet": "fleet", "payment_method": "payment_method"},
    "vehicle_telemetry": {"vehicle": "vehicle"},
}

Step = tuple[str, str]
Lookup = Callable[[str, str], JSON | None]


def plan(object_type: str, path: str) -> list[Step]:
    """The (field, kind) hops of an expand path, or a 400 if the table does not allow it."""
    steps: list[Step] = []
    rest = path
    while rest or not steps:
        fields = EXPANDABLE.get(object_type, {})
        field = next((f for f in fields if rest == f or rest.startswith(f + ".")), None)
        if field is None:
            raise invalid(
                f"Cannot expand {path!r} on a {object_type.replace('_', ' ')}.",
                "expand",
                code="unsupported_expand_value",
            )
        object_type = fields[field]
        steps.append((field, object_type))
        rest = rest[len(field) + 1 :]
    return steps


def expand(obj: JSON, steps: list[Step], lookup: Lookup) -> None:
    """Apply one planned path in place; null or unknown IDs are left as they are."""
    if not steps:
        return
    (field, kind), rest = steps[0], steps[1:]
    *parents, leaf = field.split(".")
    holder: object = obj
    for name in parents:
        holder = holder.get(name) if is_object(holder) else None
    if not is_object(holder):
        return
    value = holder.get(leaf)
    if isinstance(value, str):
        value = holder[leaf] = lookup(kind, value) or value
    if isinstance(value, dict):
        expand(cast("JSON", value), rest, lookup)
