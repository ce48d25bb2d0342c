"""The endpoints: one handler per operation of the SDK's table, keyed by (resource, action).

`HANDLERS[("Reservation", "confirm")]` answers `POST /v1/reservations/{reservation}/confirm`;
the router (`_routes.py`) reads the paths from `chargeapi._operations.table()`, so no route
is written twice. Each module holds related resources and says where the docs are silent.
"""

from __future__ import annotations

from chargeapi.testing._endpoints import account, charging, fleets, payments, reservations
from chargeapi.testing._endpoints._common import Call, Endpoint
from chargeapi.testing._endpoints.account import report_file

HANDLERS: dict[tuple[str, str], Endpoint] = {
    **charging.HANDLERS,
    **fleets.HANDLERS,
    **payments.HANDLERS,
    **reservations.HANDLERS,
    **account.HANDLERS,
}

__all__ = ["HANDLERS", "Call", "Endpoint", "report_file"]
