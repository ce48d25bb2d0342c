"""``chargeapi simulator``: serve the simulator, or drive a running one from the shell.

``chargeapi simulator [--port ...]`` serves it (the options of ``python -m chargeapi.testing``);
``chargeapi simulator advance 600`` (``now``, ``reset``, ``fail-next``, ``drop-next``,
``delay-next``, ``chaos``) calls the control API of the simulator at ``--url`` (else
``--base-url``, else ``$CHARGEAPI_BASE_URL``) with its key (``--api-key``, else
``$CHARGEAPI_API_KEY``, else ``ch_sk_test_simulator``), and prints the control API's JSON answer.
Failures print JSON to stderr with the exit codes of API errors of the same status.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from .. import _exceptions as errors

#: command -> (control route, HTTP method), in the order ``--help`` lists them
ROUTES: dict[str, tuple[str, str]] = {
    "advance": ("advance", "POST"),
    "now": ("now", "GET"),
    "reset": ("reset", "POST"),
    "fail-next": ("fail_next", "POST"),
    "drop-next": ("drop_next", "POST"),
    "delay-next": ("delay_next", "POST"),
    "chaos": ("chaos", "POST"),
}
_SERVING = ("host", "port", "seed", "start", "realtime", "webhook_timeout", "log_limit")


def add_commands(commands: Any, tool: Callable[[argparse.Namespace], int]) -> None:
    """The ``simulator`` command: serving options, and one sub-command per control action."""
    from ..testing.__main__ import DESCRIPTION, add_arguments  # noqa: PLC0415 - the sim's own

    sim = commands.add_parser(
        "simulator",
        help="run the built-in ChargeAPI simulator, or drive a running one",
        description=f"{DESCRIPTION} With a command, drive a running simulator instead (its URL "
        "in --url or $CHARGEAPI_BASE_URL) and print the control API's JSON answer.",
    )
    add_arguments(sim)
    sim.set_defaults(tool=tool, serving={name: sim.get_default(name) for name in _SERVING})
    actions = sim.add_subparsers(dest="control", metavar="<command>")
    url_help = "the simulator's URL (default: --base-url, then $CHARGEAPI_BASE_URL)"

    def command(name: str, help: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(name, help=help, description=help)
        parser.add_argument("--url", help=url_help)
        return parser

    advance = command("advance", "move the clock forward; prints the new time")
    advance.add_argument("seconds", type=_number, help="seconds (a number, e.g. 600 or 0.5)")
    command("now", "print the simulator's clock")
    command("reset", "back to the freshly seeded account; prints the clock")
    fail = command(
        "fail-next",
        "the next request(s) answer an error status with the documented error body, without "
        "taking effect; prints the fault queued",
    )
    fail.add_argument(
        "status",
        nargs="?",
        type=int,
        help="HTTP status, 400-599 (default: the one the API pairs with --code: 404 for "
        "*_not_found, 409 for *_conflict, 429 for rate_limit_exceeded, ...)",
    )
    fail.add_argument("--code", help="the error body's code, e.g. charging_session_conflict")
    fail.add_argument("--message", help="the error body's message")
    fail.add_argument("--retry-after", type=_seconds_or_text, help="seconds, or an HTTP date")
    _times_and_route(fail)
    drop = command("drop-next", "the next request(s) lose their connection without an answer")
    drop.add_argument(
        "--after-processing",
        action="store_true",
        help="the request takes effect first; only the answer is lost",
    )
    _times_and_route(drop)
    delay = command("delay-next", "the next request(s) are answered late")
    delay.add_argument("seconds", type=_number, help="seconds late (0 to 3600)")
    _times_and_route(delay)
    chaos = command(
        "chaos",
        "from now on, random faults at these rates (probabilities per request, at most 1 "
        "together); no rates turns chaos off; prints the chaos in force",
    )
    # (not dest "seed": that is the serving option's, on the parent parser)
    chaos.add_argument("--seed", type=int, dest="chaos_seed", help="seed of the draws (default 0)")
    for rate in ("server-errors", "rate-limits", "drops", "drops-after-processing", "delays"):
        chaos.add_argument(f"--{rate}", type=_number, help="a probability from 0 to 1")
    chaos.add_argument("--retry-after", type=_seconds_or_text, help="for the 429s (default 0)")
    chaos.add_argument("--delay-seconds", type=_number, help="for the delays (default 1)")
    chaos.add_argument("--route", help="only requests to this route, e.g. 'GET /v1/drivers'")


def _times_and_route(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--times", type=int, help="how many requests it applies to (default 1)")
    parser.add_argument(
        "--route",
        help="only requests to this route, e.g. 'POST /v1/charging_sessions' ({id} or * "
        "matches any one path segment)",
    )


def _number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    return int(number) if number.is_integer() and "." not in text and "e" not in text else number


def _seconds_or_text(text: str) -> float | str:
    try:
        return _number(text)
    except argparse.ArgumentTypeError:
        return text  # an HTTP date; the simulator checks it


def status_for(code: str) -> int:
    """The HTTP status the API pairs with an error code (the API reference, section 0)."""
    if code == "rate_limit_exceeded":
        return 429
    if code == "payment_authorization_failed":
        return 402
    if code == "policy_blocked":
        return 403
    if code.endswith("_not_found"):
        return 404
    if code.endswith(("_conflict", "_invalid_state")):
        return 409
    return 400


def _body(args: argparse.Namespace) -> dict[str, Any]:
    """The control request's JSON body: the command's options that were given."""
    names = {
        "advance": ("seconds",),
        "fail-next": ("status", "code", "message", "retry_after", "times", "route"),
        "drop-next": ("after_processing", "times", "route"),
        "delay-next": ("seconds", "times", "route"),
        "chaos": (
            "chaos_seed",
            "server_errors",
            "rate_limits",
            "retry_after",
            "drops",
            "drops_after_processing",
            "delays",
            "delay_seconds",
            "route",
        ),
    }.get(args.control, ())
    given = {name: getattr(args, name) for name in names}
    body = {
        name.removeprefix("chaos_"): value
        for name, value in given.items()
        if value is not None and value is not False  # (0 is a value: `advance 0`)
    }
    if args.control == "fail-next" and "status" not in body:
        if args.code is None:
            raise ValueError("fail-next needs a STATUS (e.g. 503) or a --code to derive it from")
        body["status"] = status_for(args.code)
    return body


def control(args: argparse.Namespace, usage_error: Callable[[str], NoReturn]) -> int:
    """Run one control command against a running simulator; returns the exit code."""
    from ..testing._remote import SimulatorControl, SimulatorControlError  # noqa: PLC0415

    for name, default in args.serving.items():
        if getattr(args, name) != default:
            option = "--" + name.replace("_", "-")
            usage_error(f"{option} is an option for serving a simulator, not for {args.control}")
    url = args.url or args.base_url or os.environ.get("CHARGEAPI_BASE_URL")
    if not url:
        usage_error(
            "name the running simulator: --url http://127.0.0.1:12111 (or set CHARGEAPI_BASE_URL)"
        )
    key = args.api_key or os.environ.get("CHARGEAPI_API_KEY") or "ch_sk_test_simulator"
    route, method = ROUTES[args.control]
    try:
        body = _body(args)
        client = SimulatorControl(url, key, timeout=args.timeout or 10.0)
    except (ValueError, TypeError) as error:
        usage_error(str(error))
    with client:
        try:
            answer = client._call(method, route, body if method == "POST" else None)
        except ValueError as error:  # the simulator refused the values: a 400
            return _failed(str(error), 400)
        except SimulatorControlError as error:
            return _failed(str(error), error.status_code)
    json.dump(answer, sys.stdout, indent=2 if sys.stdout.isatty() else None)
    sys.stdout.write("\n")
    return 0


def _failed(message: str, status: int | None) -> int:
    """Print the failure as JSON; the exit code of an API error with the same status."""
    from ._main import EXIT_CODES  # noqa: PLC0415 - import cycle

    kind = errors.APIConnectionError if status is None else errors.error_class_for(status)
    report = {"type": "SimulatorControlError", "message": message, "status": status}
    print(json.dumps({"error": report}), file=sys.stderr)
    return next(code for cls, code, _ in EXIT_CODES if issubclass(kind, cls))
