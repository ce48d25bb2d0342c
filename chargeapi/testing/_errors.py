"""The documented flat error object, raised as `ApiError` anywhere and rendered in one place.

Where the docs are silent: the visible (alphabetical, CUT) code enum has no generic code for a
missing or malformed parameter, routing or method errors, so those carry `code: null` and
`doc_url` points at the errors page itself; `doc_url` is `.../errors#<code>` whenever there is a
code. Faults scripted with `fail_next` use `api_error` for 5xx (Stripe's type for server-side
failures) and `rate_limit_exceeded` for 429.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from chargeapi.testing._seed import JSON

DOCS_ERRORS_URL = "https://docs.chargeapi.co/errors"


@dataclass
class ApiError(Exception):
    """An error response: HTTP status plus the body's type, code, message and param."""

    status: int
    type: str
    code: str | None
    message: str
    param: str | None = None
    headers: dict[str, str] = field(default_factory=dict[str, str])

    def body(self, request_id: str) -> JSON:
        return {
            "object": "error",
            "type": self.type,
            "code": self.code,
            "message": self.message,
            "param": self.param,
            "request": request_id,
            "status": self.status,
            "doc_url": DOCS_ERRORS_URL if self.code is None else f"{DOCS_ERRORS_URL}#{self.code}",
        }


def invalid(message: str, param: str | None = None, *, code: str | None = None) -> ApiError:
    """400: the request could not be completed as sent."""
    return ApiError(400, "invalid_request_error", code, message, param)


def not_found(kind: str, param: str, object_id: str) -> ApiError:
    """404 with the documented `<kind>_not_found` code, e.g. `driver_not_found`."""
    label = kind.replace("_", " ").capitalize()
    return ApiError(
        404,
        "invalid_request_error",
        f"{kind}_not_found",
        f"{label} not found: {object_id!r}.",
        param,
    )


def conflict(code: str, message: str, param: str | None = None) -> ApiError:
    return ApiError(409, "invalid_request_error", code, message, param)


def scripted(status: int, code: str | None = None, message: str | None = None) -> ApiError:
    """The error a `fail_next(status, code=..., message=...)` fault answers with; without a
    code, 429 is `rate_limit_exceeded` and the rest have none."""
    if status == 429:
        error = ApiError(
            429,
            "invalid_request_error",
            "rate_limit_exceeded",
            "Too many requests hit the API too quickly (simulated).",
        )
    elif status == 401:
        error = ApiError(401, "authentication_error", None, "Invalid API key (simulated).")
    elif status >= 500:
        error = ApiError(
            status, "api_error", None, "Something went wrong on Charge's end (simulated)."
        )
    else:
        error = ApiError(
            status, "invalid_request_error", None, f"Simulated failure with status {status}."
        )
    if code is not None:
        error.code = code
    if message is not None:
        error.message = message
    return error


def shown(value: object) -> str:
    """A refused value for a message: a huge int by its size (`str()` refuses past 4,300
    digits), a long text cut short."""
    if isinstance(value, int) and value.bit_length() > 100:
        return f"an int of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
