"""Report (``rpt_``): a summary of charging activity, usage or costs, generated asynchronously.

A new report is ``pending``; poll ``retrieve`` until it has ``succeeded`` (then ``url`` points
to the file) or listen for the ``report.succeeded`` webhook.

Where the docs are silent: ``parameters`` needs ``type``, ``period_start`` and ``period_end`` (the
docs' example sends these); ``parameters.type`` and ``group_by`` are plain strings because their
lists of values are cut (``charging_summary``, ``vehicle`` are examples). ``account`` and
``fleet`` are expandable (the docs' expand table). Create's top-level ``fleet`` comes from the
older docs generation (the newer one does not contradict it); leave it out for the whole account.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, TypedDict, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from .._params import Timestamp
from .._wait import Lifecycle
from ._ids import Expand, FleetID, Limit, ReportID, VehicleID
from .fleet import Fleet

if TYPE_CHECKING:
    from .account import Account

__all__ = [
    "Report",
    "ReportFilters",
    "ReportFiltersParams",
    "ReportParameters",
    "ReportParametersParams",
    "ReportStatus",
]

_Status = Literal["pending", "processing", "succeeded", "failed"]


class ReportStatus(StrEnum):
    """Where a report's generation is."""

    PENDING = "pending"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ReportFiltersParams(TypedDict, total=False):
    """``parameters.filters``: restrict the report to these vehicles."""

    vehicle: Sequence[VehicleID]


class _ReportParametersRequired(TypedDict):
    type: str
    period_start: Timestamp
    period_end: Timestamp


class ReportParametersParams(_ReportParametersRequired, total=False):
    """``parameters=``: ``type`` such as ``charging_summary``, ``period_start`` (inclusive) to
    ``period_end`` (exclusive), optional ``group_by`` (``vehicle``) and ``filters``."""

    group_by: str
    filters: ReportFiltersParams


@operation("POST", "/v1/reports")
def _create(
    *,
    parameters: ReportParametersParams,
    fleet: FleetID | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Report]:
    """Start generating a report (``pending``); leave out ``fleet`` to cover the whole account."""
    return Call(locals())


@operation("GET", "/v1/reports/{report}")
def _retrieve(
    id: ReportID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Report]:
    """Retrieve a report; ``expand`` any of ``account``, ``fleet``."""
    return Call(locals())


@operation("GET", "/v1/reports")
def _list(
    *,
    status: _Status | None = None,
    limit: Limit | None = None,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[Report]:
    """List reports, newest first; iterate the result for every page."""
    return ListCall(locals())


@attrs.frozen(kw_only=True)
class ReportFilters(ChargeObject):
    """What the report is restricted to."""

    vehicle: tuple[str, ...]
    """IDs of the vehicles covered (empty: all)."""


@attrs.frozen(kw_only=True)
class ReportParameters(ChargeObject):
    """What the report covers; ``period_end`` is exclusive."""

    filters: ReportFilters
    """What the report is restricted to."""
    group_by: str
    """The field rows are grouped by, e.g. ``"vehicle"``."""
    period_end: datetime
    """End of the period (exclusive)."""
    period_start: datetime
    """Start of the period (inclusive)."""
    type: str
    """The kind of report, e.g. ``"charging_summary"``."""


# The methods, derived once; the class aliases them (pyright --verifytypes needs
# a plain name there, not a call).
_create_sync = sync(_create)
_create_async = asynchronous(_create)
_retrieve_sync = on_object(sync(_retrieve))
_retrieve_async = on_object(asynchronous(_retrieve))
_list_sync = sync(_list)
_list_async = asynchronous(_list)


# wait_until: nothing follows a terminal status (the docs' lifecycle), so it ends a wait.
_wait_until_sync, _wait_until_async = Lifecycle[_Status](
    _Status, terminal=("succeeded", "failed")
).waiters(_retrieve)


@resource("report")
@attrs.frozen(kw_only=True)
class Report(ChargeObject):
    """A report; ``type`` is the file format (``csv``), ``size`` in bytes, ``url`` set once it
    has succeeded."""

    id: str
    """Unique identifier (``rpt_...``)."""
    object: Literal["report"] = "report"
    """Always ``"report"``."""
    account: str | Account
    """The account: its ID, or the object when expanded."""
    created: datetime
    """When the report was requested (aware UTC)."""
    fleet: str | Fleet | None = None
    """The fleet it covers (ID, or object when expanded), or None for the whole account: set
    only "if applicable"."""
    parameters: ReportParameters
    """What the report covers."""
    size: int
    """The file's size in bytes (0 until it has succeeded)."""
    status: ReportStatus | str
    """``pending``, ``processing``, ``succeeded`` or ``failed``."""
    succeeded_at: datetime | None = None
    """When it succeeded, or None until then."""
    type: str
    """The file format, e.g. ``"csv"``."""
    url: str | None = None
    """Where to download the file once it has succeeded; None before (the docs' create
    answer shows ``url: null``)."""

    create = _create_sync
    create_async = _create_async
    retrieve = _retrieve_sync
    retrieve_async = _retrieve_async
    refresh = _retrieve_sync
    refresh_async = _retrieve_async
    list = _list_sync
    list_async = _list_async
    wait_until = _wait_until_sync
    wait_until_async = _wait_until_async
