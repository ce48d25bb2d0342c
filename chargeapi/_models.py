"""ChargeObject: the base of every model. Models hold data only; ``_convert`` owns the JSON."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any, Self

import attrs

from ._convert import InvalidData, from_json, to_json, unknown_fields_default

__all__ = ["ChargeObject"]


@attrs.frozen(kw_only=True)
class ChargeObject:
    """A frozen, slotted snapshot of a ChargeAPI object (or of one of its nested parts).

    Fields the SDK does not know yet are kept aside, so ``to_dict()`` returns them unchanged.
    """

    _unknown: Mapping[str, Any] = attrs.field(
        factory=unknown_fields_default, repr=False, hash=False, alias="_unknown"
    )
    # JSON names of defaulted fields the decoded input did not have (``to_dict`` leaves them out
    # again); not part of equality: it describes the payload, not the object.
    _absent: frozenset[str] = attrs.field(
        default=frozenset(), repr=False, eq=False, hash=False, alias="_absent"
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Decode a JSON object (as ``json.loads`` returns it) into this model.

        Raises ValueError saying which field is wrong, and TypeError if ``data`` is no mapping.
        """
        if type(data) is not dict:
            if not isinstance(data, Mapping):
                raise TypeError(f"data must be a dict, got {type(data).__name__}")
            data = dict(data)
        try:
            return from_json(cls, data)
        except InvalidData as error:
            raise InvalidData(f"data is not a valid {cls.__name__}: {error}") from None

    def __reduce__(self) -> tuple[Any, ...]:
        # attrs pickles slotted classes field by field, and the read-only mappingproxy of
        # unknown fields cannot pickle: send it as a dict and wrap it again on the way in.
        values = {a.name: getattr(self, a.name) for a in attrs.fields(type(self))}
        values["_unknown"] = dict(values["_unknown"])
        return (_unpickle, (type(self), values))

    def to_dict(self) -> dict[str, Any]:
        """The JSON-shaped dict of this object; ``from_dict(obj.to_dict()) == obj``."""
        return to_json(self)


def _unpickle(cls: type[ChargeObject], values: dict[str, Any]) -> ChargeObject:
    obj = object.__new__(cls)
    unknown = values.pop("_unknown")
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    object.__setattr__(
        obj, "_unknown", types.MappingProxyType(unknown) if unknown else unknown_fields_default()
    )
    return obj
