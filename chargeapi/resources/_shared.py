"""Nested parts that several resources use the same way."""

from __future__ import annotations

from typing import TypedDict

import attrs

from .._models import ChargeObject

__all__ = ["Address", "AddressParams", "DeletedObject", "Location"]


@attrs.frozen(kw_only=True)
class Address(ChargeObject):
    """A postal address; ``country`` is ISO 3166-1 alpha-2 (``"FR"``)."""

    city: str | None = None
    country: str | None = None
    line1: str | None = None
    line2: str | None = None
    postal_code: str | None = None
    state: str | None = None


@attrs.frozen(kw_only=True)
class Location(ChargeObject):
    """GPS coordinates in decimal degrees."""

    latitude: float
    longitude: float


class AddressParams(TypedDict, total=False):
    """An address as a parameter (fleet ``address``, payment method ``billing_details.address``)."""

    city: str
    country: str
    line1: str
    line2: str
    postal_code: str
    state: str


@attrs.frozen(kw_only=True)
class DeletedObject(ChargeObject):
    """What a delete returns: the ID and type of the object that no longer exists.

    ``{"id": "pol_...", "object": "policy", "deleted": true}``; ``object`` names the type of the
    deleted object, so this model is shared by every delete instead of registered for one type.
    """

    id: str
    object: str
    deleted: bool
