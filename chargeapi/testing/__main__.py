"""`python -m chargeapi.testing`: serve a simulator over HTTP until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import time
from types import FrameType

from chargeapi.testing._simulator import Simulator

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
        "has no real authentication)",
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


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, got {text!r}")
    return port


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 2 when the address cannot be listened on."""
    sim = Simulator(seed=args.seed)
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
            print(banner(server.url, sim.api_key, args.seed), flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    return 0


def banner(url: str, api_key: str, seed: int) -> str:
    """What to print at start: where it listens, the key, and examples with real sample IDs."""
    params = Simulator(seed=seed).sample_session_params()  # a fresh twin: same IDs, same seed
    arguments = "".join(f'    {name}="{value}",\n' for name, value in params.items())
    flags = " ".join(f"--{name.replace('_', '-')} {value}" for name, value in params.items())
    return f"""ChargeAPI simulator listening on {url}
Test API key: {api_key}

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
