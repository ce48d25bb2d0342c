"""Nested parts that several resources use the same way."""

from __future__ import annotations

import attrs

from .._models import ChargeObject

__all__ = ["Address", "Location"]


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
