"""The test clock's units: exact seconds since the Unix epoch, rendered as RFC 3339 UTC with ms.

Time is kept as a `Fraction` so that many small `advance()` calls land on exactly the same
instant (and the same accrued energy) as one big one; floats would drift.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from fractions import Fraction

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
START_AT = datetime(2026, 4, 1, tzinfo=UTC)
START = Fraction(int((START_AT - EPOCH).total_seconds()))


def to_datetime(instant: Fraction) -> datetime:
    """An aware UTC datetime, truncated to the microsecond."""
    return EPOCH + timedelta(microseconds=int(instant * 1_000_000))


def format_timestamp(instant: Fraction) -> str:
    """`2026-04-01T01:09:14.087Z`: the NEW docs' timestamp format (milliseconds, truncated),
    with four year digits before year 1000 too (`0185-...`; strftime's `%Y` drops them)."""
    moment = to_datetime(instant)
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


_YEAR_1 = Fraction(int((datetime(1, 1, 1, tzinfo=UTC) - EPOCH).total_seconds()))
_YEAR_10000 = 253_402_300_800
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d{1,9})?([Zz]|[+-]\d\d:\d\d)"
)


def parse_timestamp(value: object) -> Fraction | None:
    """An RFC 3339 string (NEW) or integer UNIX seconds (OLD) as an exact instant; None if it
    is neither, or if it is not in the years 0001 to 9999 once in UTC (no RFC 3339 string in
    UTC can show it: `0001-01-01T00:07:00+11:10` is in year 0)."""
    if type(value) is int:
        # Years 1970 to 9999: anything else is not a timestamp anyone means.
        return Fraction(value) if 0 <= value < _YEAR_10000 else None
    if not isinstance(value, str):
        return None
    match = _RFC3339.fullmatch(value)
    if match is None:
        return None
    try:
        whole_seconds = value[: match.start(7)] + value[match.end(7) :] if match[7] else value
        moment = datetime.fromisoformat(whole_seconds.upper().replace("Z", "+00:00"))
    except ValueError:
        return None
    whole = Fraction(int((moment - EPOCH).total_seconds()))
    nanos = int((match[7] or ".0")[1:].ljust(9, "0"))
    instant = whole + Fraction(nanos, 10**9)
    return instant if _YEAR_1 <= instant < _YEAR_10000 else None


# The seeded account reaches 60 days back from the start and the clock must stay before year
# 9000 (`Simulator.advance`), so a start is taken from 1971 to 8999.
_EARLIEST = Fraction(int((datetime(1971, 1, 1, tzinfo=UTC) - EPOCH).total_seconds()))
_LATEST = Fraction(int((datetime(9000, 1, 1, tzinfo=UTC) - EPOCH).total_seconds()))


def start_instant(start: object) -> Fraction:
    """`Simulator(start=...)` as an instant: `"now"` (the wall clock, in whole milliseconds, as
    every timestamp the simulator renders), an aware `datetime` or an RFC 3339 string."""
    from chargeapi._exceptions import InvalidParameterError  # noqa: PLC0415 - the SDK's error

    expected = '"now", an aware datetime or an RFC 3339 string such as "2026-04-01T00:00:00Z"'
    if start == "now":
        return Fraction(time.time_ns() // 1_000_000, 1000)
    if isinstance(start, datetime):
        if start.utcoffset() is None:
            raise InvalidParameterError(
                f"start must be an aware datetime (e.g. datetime.now(UTC)), got {start!r}",
                param="start",
            )
        delta = start - EPOCH
        instant = delta.days * 86_400 + delta.seconds + Fraction(delta.microseconds, 10**6)
    elif isinstance(start, str):
        parsed = parse_timestamp(start)
        if parsed is None:
            raise InvalidParameterError(f"start must be {expected}, got {start!r}", param="start")
        instant = parsed
    else:
        raise InvalidParameterError(
            f"start must be {expected}, got {type(start).__name__}", param="start"
        )
    if not _EARLIEST <= instant < _LATEST:
        raise InvalidParameterError(
            f"start must be from 1971 to 8999, got {start!r}", param="start"
        )
    return instant
