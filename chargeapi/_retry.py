"""When to try a request again, and how long to wait first. Pure: no I/O, no sleeping.

Retried: no answer at all (connection errors, timeouts) and 408, 429, 500, 502, 503, 504.
Never retried: every other status. 409 in particular is a business conflict (a busy connector),
not a transient fault. Retrying a POST is safe because every attempt of one call carries the same
Idempotency-Key (see ``_request.prepare``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import NamedTuple

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None.

    ``now`` is the wall clock (UNIX seconds) an HTTP date is measured against. A date in the
    past means "now" (0). Anything unparsable is ignored (None), so the backoff applies.
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
            if when.tzinfo is None:  # RFC 9110 dates are GMT; a naive parse means no zone given
                return None
            return max(0.0, when.timestamp() - now)
        except (TypeError, ValueError, IndexError, OverflowError):  # a year of 17 digits ...
            return None
    # float() accepts "nan" and "inf": neither is a delay we can honour.
    return seconds if 0.0 <= seconds < float("inf") else None


class ServerAskedDelay(float):
    """A delay the server asked for (Retry-After), not a backoff: a ``sleep`` passed to the
    Client can tell the two apart, e.g. to pause every worker of a bulk run, not just one."""

    __slots__ = ()


class RetryPolicy(NamedTuple):
    """How many extra attempts, and the delay before each.

    Backoff is ``initial_delay`` doubling up to ``max_delay``, minus up to 25 % jitter so that
    many clients failing together do not retry in lockstep. A Retry-After header overrides the
    backoff and is obeyed exactly (``Retry-After: 0`` retries at once), capped at
    ``max_retry_after`` seconds.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    random: Callable[[], float] = random.random  # jitter source, injectable for tests
    wall_clock: Callable[[], float] = time.time  # what an HTTP-date Retry-After is measured against

    def delay(
        self, retries_done: int, status: int | None, headers: Mapping[str, str] | None = None
    ) -> float | None:
        """Seconds to wait before the next attempt, or None to stop.

        ``status`` is None when no HTTP answer came back (connection error or timeout).
        """
        if retries_done >= self.max_retries:
            return None
        if status is not None and status not in RETRY_STATUSES:
            return None
        if headers is not None:
            asked = parse_retry_after(headers.get("retry-after"), self.wall_clock())
            if asked is not None:
                return ServerAskedDelay(min(asked, self.max_retry_after))
        backoff: float = min(self.initial_delay * 2.0**retries_done, self.max_delay)
        return backoff * (1.0 - 0.25 * self.random())
