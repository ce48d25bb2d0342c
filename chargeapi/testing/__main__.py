"""`python -m chargeapi.testing`: serve a simulator over HTTP until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import time
from types import FrameType

from chargeapi._exceptions import InvalidParameterError
from chargeapi.testing._delivery import DEFAULT_TIMEOUT, check_timeout
from chargeapi.testing._simulator import DEFAULT_LOG_LIMIT, DEFAULT_START, MAX_LOG_LIMIT, Simulator
from chargeapi.testing._time import start_instant

EXIT_CANNOT_LISTEN = 2


DESCRIPTION = (
    "Serve a seeded ChargeAPI simulator over HTTP (the API and its /_sim/ control API) until "
    "Ctrl-C or SIGTERM."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chargeapi.testing", description=DESCRIPTION)
    add_arguments(parser)
    return run(parser.parse_args(argv))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options (shared with ``chargeapi simulator``)."""
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: %(default)s; keep it on loopback: the simulator "
        "has no real authentication). 0.0.0.0 listens on every interface, for clients in "
        "other containers (with Client(allow_insecure_http=True) there)",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=12111,
        help="port to listen on; 0 picks a free one (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the sample account: the same seed gives the same IDs in every process "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--start",
        type=_start,
        default=DEFAULT_START,
        help='where the clock starts: "now" or an RFC 3339 time; the sample account moves '
        "with it (default: %(default)s)",
    )
    parser.add_argument(
        "--realtime",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the clock follows the wall clock (advance still jumps ahead); the default with "
        "--start now, so webhook receivers on the wall clock accept every delivery",
    )
    parser.add_argument(
        "--webhook-timeout",
        type=_webhook_timeout,
        default=DEFAULT_TIMEOUT,
        help="seconds a webhook receiver has to answer before the delivery counts as failed "
        "and is retried (default: %(default)s)",
    )
    parser.add_argument(
        "--log-limit",
        type=_log_limit,
        default=DEFAULT_LOG_LIMIT,
        help="how many of the latest requests, events and deliveries to keep (default: "
        "%(default)s)",
    )


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, got {text!r}")
    return port


def _start(text: str) -> str:
    try:
        start_instant(text)
    except InvalidParameterError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("start ")) from None
    return text


def _webhook_timeout(text: str) -> float:
    try:
        return check_timeout(float(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a number of seconds in (0, 60], got {text!r}"
        ) from None


def _log_limit(text: str) -> int:
    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LOG_LIMIT:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 1 to {MAX_LOG_LIMIT}, got {text!r}"
        )
    return limit


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 2 when the address cannot be listened on."""
    realtime = args.start == "now" if args.realtime is None else args.realtime
    sim = Simulator(
        seed=args.seed,
        start=args.start,
        realtime=realtime,
        log_limit=args.log_limit,
        webhook_timeout=args.webhook_timeout,
    )
    try:
        server = sim.serve(args.host, args.port)
    except OSError as error:
        reason = "the port is already in use" if error.errno == errno.EADDRINUSE else error
        print(
            f"error: cannot listen on {args.host}:{args.port}: {reason} "
            "(pick another --port, or 0 for any free one)",
            file=sys.stderr,
        )
        return EXIT_CANNOT_LISTEN
    signal.signal(signal.SIGTERM, _interrupt)
    try:  # a signal may arrive anywhere from here on, even while printing
        with server:
            print(banner(server.url, sim.api_key, args.seed, sim), flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    return 0


def banner(url: str, api_key: str, seed: int, sim: Simulator | None = None) -> str:
    """What to print at start: where it listens, the key, the clock, and examples with real
    sample IDs. The first line ends with the URL (scripts read it)."""
    params = Simulator(seed=seed).sample_session_params()  # a fresh twin: same IDs, same seed
    arguments = "".join(f'    {name}="{value}",\n' for name, value in params.items())
    flags = " ".join(f"--{name.replace('_', '-')} {value}" for name, value in params.items())
    clock = ""
    if sim is not None:
        moving = "follows the wall clock" if sim.realtime else "moves only when advanced"
        clock = f"\nClock: {sim.now.isoformat()} ({moving})"
    host = url.removeprefix("http://").rsplit(":", 1)[0]
    if host in ("0.0.0.0", "[::]"):  # noqa: S104 - recognising it, not binding to it
        clock += (
            "\nWARNING: listening on every network interface. The simulator has no real "
            "security: anyone who can reach this port can use and drive it. Keep it on a "
            "private network (a docker-compose or CI network), never a public one. Clients in "
            "other containers use this machine's name or address, e.g. http://simulator:PORT, "
            "with Client(allow_insecure_http=True) or CHARGEAPI_ALLOW_INSECURE_HTTP=1."
        )
    return f"""ChargeAPI simulator listening on {url}
Test API key: {api_key}{clock}

Try it with curl:
curl -H "Authorization: Bearer {api_key}" {url}/v1/charging_stations/{params["charging_station"]}

Or with the SDK (paste into `python -`):
import chargeapi
client = chargeapi.Client("{api_key}", base_url="{url}", strict_responses=True)
session = chargeapi.ChargingSession.create(
{arguments}    client=client,
)
print(session.id, session.status)

Or from the shell:
export CHARGEAPI_API_KEY={api_key} CHARGEAPI_BASE_URL={url}
chargeapi charging-sessions create {flags}

Drive it from your tests (clock, faults, objects: see docs/simulator.md):
from chargeapi.testing import SimulatorControl
SimulatorControl("{url}", "{api_key}").advance(1800)

Ctrl-C (or SIGTERM) stops it."""


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
