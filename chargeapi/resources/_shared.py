"""Nested parts that several resources use the same way."""

from __future__ import annotations

from typing import TypedDict

import attrs

from .._models import ChargeObject

__all__ = ["Address", "AddressParams", "DeletedObject", "Location"]


@attrs.frozen(kw_only=True)
class Address(ChargeObject):
    """A postal address; ``country`` is ISO 3166-1 alpha-2 (``"FR"``)."""

    city: str
    """City, district, suburb, town or village."""
    country: str
    """Two-letter country code (ISO 3166-1 alpha-2), e.g. ``"FR"``."""
    line1: str
    """Address line 1: street, PO box or company name."""
    line2: str | None = None
    """Address line 2: apartment, suite, unit or building; None when there is none.

    Nullable though the docs' examples always fill it: not every address has a second line,
    and the address parameters may leave it out."""
    postal_code: str
    """ZIP or postal code."""
    state: str
    """State, county, province or region."""


@attrs.frozen(kw_only=True)
class Location(ChargeObject):
    """GPS coordinates in decimal degrees."""

    latitude: float
    """Latitude in decimal degrees (-90 to 90)."""
    longitude: float
    """Longitude in decimal degrees (-180 to 180)."""


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
    """ID of the deleted object."""
    object: str
    """Type of the deleted object, e.g. ``"policy"``."""
    deleted: bool
    """Always True: the object no longer exists."""
