"""The test clock's units: exact seconds since the Unix epoch, rendered as RFC 3339 UTC with ms.

Time is kept as a `Fraction` so that many small `advance()` calls land on exactly the same
instant (and the same accrued energy) as one big one; floats would drift.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
START_AT = datetime(2026, 4, 1, tzinfo=UTC)
START = Fraction(int((START_AT - EPOCH).total_seconds()))


def to_datetime(instant: Fraction) -> datetime:
    """An aware UTC datetime, truncated to the microsecond."""
    return EPOCH + timedelta(microseconds=int(instant * 1_000_000))


def format_timestamp(instant: Fraction) -> str:
    """`2026-04-01T01:09:14.087Z`: the NEW docs' timestamp format (milliseconds, truncated)."""
    moment = to_datetime(instant)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"
