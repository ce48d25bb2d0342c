"""``chargeapi <resource> wait ID --status S --timeout SECONDS``: the resource's ``wait_until``.

Added for every resource whose model has a ``wait_until`` (those with a lifecycle); its statuses
become the ``--status`` choices. Prints the object once its status is one of those given; a
timeout or a terminal status that is not wanted exits with that error's code, the object as
last seen in the error's JSON (``last``).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .. import _exceptions as errors
from .._wait import DEFAULT_INTERVAL


def add_wait(actions: Any, resource: type[Any]) -> None:
    """The ``wait`` action of ``resource``'s command, if it has a lifecycle."""
    waiter = getattr(resource, "wait_until", None)
    lifecycle = getattr(waiter, "__chargeapi_lifecycle__", None)
    if waiter is None or lifecycle is None:
        return
    terminal = ", ".join(s for s in lifecycle.statuses if s in lifecycle.terminal)
    sub = actions.add_parser(
        "wait",
        help="wait until the status is one of --status, then print the object",
        description=(
            f"Retrieve the object every --interval seconds until its status is one of --status, "
            f"then print it. Exits 16 (WaitTimeoutError) once --timeout seconds have passed, and "
            f"17 (UnreachableStatusError) at once on a terminal status ({terminal}) that is not "
            f"wanted; the error's JSON on stderr holds the object as last seen in 'last'."
        ),
    )
    sub.add_argument("id", metavar="ID", help=f"the {resource.__name__}'s ID")
    sub.add_argument(
        "--status",
        action="append",
        required=True,
        choices=lifecycle.statuses,
        help="a status to wait for (repeat to accept any of several)",
    )
    sub.add_argument(
        "--timeout",
        dest="wait_timeout",
        type=float,
        required=True,
        metavar="SECONDS",
        help="how long to wait in all (0: check once)",
    )
    sub.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL,
        metavar="SECONDS",
        help=f"seconds between two retrieves ({DEFAULT_INTERVAL:g})",
    )
    sub.set_defaults(tool=run, waiter=waiter)


def run(args: argparse.Namespace) -> int:
    from ._main import _no_api_key, _print, _report, client_for, usage_error  # noqa: PLC0415 - _main imports this module

    try:
        client = client_for(args)
    except (ValueError, TypeError) as error:
        usage_error(str(error))
    if not (args.api_key or os.environ.get("CHARGEAPI_API_KEY")):
        client.close()
        return _no_api_key()
    try:
        with client:
            result = args.waiter(
                args.id,
                status=args.status,
                timeout=args.wait_timeout,
                interval=args.interval,
                client=client,
            )
    except errors.InvalidParameterError as error:
        usage_error(str(error))
    except errors.ChargeAPIError as error:
        return _report(error)
    except (ValueError, TypeError) as error:  # an ID of the wrong kind, before anything is sent
        usage_error(str(error))
    _print(result, sys.stdout)
    return 0
