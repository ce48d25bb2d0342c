"""`expand=`: replace ID fields with the full objects, following dotted paths.

The table is the docs' "where expansion is available" (section 5) for the kinds the simulator
serves; `vehicle.fleet` is allowed because the docs' own example expands it. Paths are checked
against the table before any data is touched, so an unsupported path is always a 400
`unsupported_expand_value` with `param: "expand"`, even where the field happens to be null.
"""

from __future__ import annotations

from collections.abc import Callable

from chargeapi.testing._errors import invalid
from chargeapi.testing._seed import JSON

# object type -> expandable field path -> kind of the object it holds the ID of
EXPANDABLE: dict[str, dict[str, str]] = {
    "charging_session": {
        "charging_station": "charging_station",
        "driver": "driver",
        "fleet": "fleet",
        "payment_method": "payment_method",
        "vehicle": "vehicle",
    },
    "driver": {"preferences.default_payment_method": "payment_method"},
    "fleet": {"preferences.default_payment_method": "payment_method"},
    "payment_method": {"driver": "driver", "fleet": "fleet"},
    "vehicle": {"fleet": "fleet"},
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
    holder = obj
    for name in parents:
        holder = holder[name]
    value = holder[leaf]
    if isinstance(value, str):
        value = holder[leaf] = lookup(kind, value) or value
    if isinstance(value, dict):
        expand(value, rest, lookup)
