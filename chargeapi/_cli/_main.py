"""Parse ``chargeapi <resource> <action> ...``, run the operation, print JSON.

Output is JSON: pretty on a terminal, compact in a pipe; a list streams one object per line (JSON
Lines) across every page. Errors go to stderr as JSON, with the exit codes in ``EXIT_CODES``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, NoReturn, cast

from .. import _exceptions as errors
from .._client import Client
from .._operations import Operation, plural, table
from . import _params, _wait

#: Exit codes by error class (the first matching class in this order wins).
EXIT_CODES: tuple[tuple[type[BaseException], int, str], ...] = (
    (errors.AuthenticationError, 3, "authentication failed (401)"),
    (errors.PermissionDeniedError, 4, "permission denied or blocked by a policy (403)"),
    (errors.NotFoundError, 5, "not found (404)"),
    (errors.ConflictError, 6, "conflict or invalid state (409)"),
    (errors.PaymentRequiredError, 7, "payment authorization failed (402)"),
    (errors.RateLimitError, 8, "rate limited (429), after retries"),
    (errors.InternalServerError, 9, "ChargeAPI server error (5xx), after retries"),
    (errors.BadRequestError, 10, "the API refused the request as sent (400)"),
    (errors.APIStatusError, 11, "another HTTP error status"),
    (errors.APIConnectionError, 12, "no answer (connection error or timeout), after retries"),
    (errors.InvalidResponseError, 13, "the API's answer was not the documented object"),
    (errors.SignatureVerificationError, 14, "a webhook delivery did not verify"),
    (errors.WaitTimeoutError, 16, "wait: the timeout passed before a wanted status"),
    (errors.UnreachableStatusError, 17, "wait: a terminal status that is not wanted"),
    (errors.ChargeAPIError, 1, "any other chargeapi error (e.g. no API key configured)"),
)
USAGE_EXIT = 2  # bad arguments or parameters, found before anything is sent
PARTIAL_FAILURE_EXIT = 15  # a bulk run (--input) in which some lines failed
INTERRUPTED_EXIT = 130  # a bulk run stopped by Ctrl-C (128 + SIGINT, as shells report it)


def command_name(op: Operation) -> str:
    """``charging-sessions``: the object type, plural, as in the docs' URLs."""
    return plural(op.resource.__chargeapi_object__).replace("_", "-")


def _first_line(doc: str | None) -> str:
    return _plain(doc).strip().split("\n\n")[0].replace("\n", " ")


def _plain(doc: str | None) -> str:
    """A docstring for the terminal: ``literal`` markup dropped."""
    return (doc or "").replace("``", "")


class _Parser(argparse.ArgumentParser):
    """Usage errors as JSON on stderr too, like every other error of the command."""

    def error(self, message: str) -> NoReturn:
        usage_error(f"{message} (see: {self.prog} --help)")


_SECRET = re.compile(r"(?:ch_sk_|whsec_)[^\s'\"]*")


def usage_error(message: str) -> NoReturn:
    print(
        json.dumps({"error": redacted({"type": "usage_error", "message": message})}),
        file=sys.stderr,
    )
    raise SystemExit(USAGE_EXIT)


def redacted(error: dict[str, Any]) -> dict[str, Any]:
    """A usage error's fields with any key or webhook secret in its message hidden."""
    # argparse echoes what it could not place ("unrecognized argument: ch_sk_live_..." when the
    # key lands where an ID or a number belongs): never print a key or a webhook secret.
    return {**error, "message": _SECRET.sub("<secret redacted>", error["message"])}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chargeapi",
        description="Call ChargeAPI from the shell. Output is JSON; lists stream JSON Lines.",
        epilog="Exit codes: "
        + "; ".join(f"{code} {text}" for _, code, text in EXIT_CODES)
        + f"; {USAGE_EXIT} bad arguments; {PARTIAL_FAILURE_EXIT} some lines of a bulk run "
        f"(--input) failed; {INTERRUPTED_EXIT} a bulk run was interrupted.",
    )
    parser.add_argument(
        "--api-key",
        help="secret key; prefer $CHARGEAPI_API_KEY: an option's value is visible to other "
        "users of this machine (ps, /proc) and stays in your shell history",
    )
    parser.add_argument("--base-url", help="API origin (default: $CHARGEAPI_BASE_URL or the API)")
    parser.add_argument("--max-retries", type=int, help="extra attempts after the first (2)")
    parser.add_argument("--timeout", type=_seconds, help="seconds per attempt (60)")
    commands = parser.add_subparsers(dest="resource", metavar="<resource>", required=True)
    by_resource: dict[str, list[Operation]] = {}
    for op in table():
        by_resource.setdefault(command_name(op), []).append(op)
    for name, ops in by_resource.items():
        doc = _first_line(ops[0].resource.__doc__)
        sub = commands.add_parser(name, help=doc, description=doc)
        actions = sub.add_subparsers(dest="action", metavar="<action>", required=True)
        for op in ops:
            _add_operation(actions, op)
        _wait.add_wait(actions, ops[0].resource)
    _add_tools(commands)
    return parser


def _add_operation(actions: Any, op: Operation) -> None:
    doc = _plain(inspect.getdoc(op.sync))
    sub = actions.add_parser(
        op.action.replace("_", "-"),
        help=_first_line(doc),
        description=f"{op.method} {op.path}\n\n{doc}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.set_defaults(operation=op)
    hints = op.hints()
    for param in op.signature.parameters.values():
        if param.name == "client" or param.kind is param.VAR_KEYWORD:  # **options: Python only
            continue
        annotation = hints[param.name]
        if param.kind is param.POSITIONAL_OR_KEYWORD:
            # Optional for the parser where --input may give one ID per line instead.
            nargs = "?" if op.method == "POST" else None
            sub.add_argument(
                param.name, metavar="ID", nargs=nargs, help=_params.describe(annotation)
            )
            continue
        flag = "--" + param.name.replace("_", "-")
        required = param.default is inspect.Parameter.empty
        options: dict[str, Any] = {"dest": param.name, "default": None}
        if param.name == "expand":
            options.update(action="append", help="a field path to expand (repeatable)")
        elif _params.is_nested(annotation):
            keys = ", ".join(_params.nested_fields(annotation)) or "any keys"
            options.update(
                type=_params.converter(annotation),
                help=f"JSON object ({keys}); or dotted options: {flag}.<key> VALUE",
            )
        elif _params.is_list(annotation):
            options.update(type=_params.converter(annotation), action="append")
            options["help"] = _params.describe(annotation)
        elif param.name == "idempotency_key":
            options["help"] = "reused on every retry (default: a new UUID per call)"
        else:
            options.update(type=_params.converter(annotation), help=_params.describe(annotation))
        if _params.nullable(annotation) and "type" in options:
            convert = options["type"]
            options["type"] = lambda text, convert=convert: (  # pyright: ignore[reportUnknownLambdaType]
                None if text == "null" else convert(text)
            )
        found = _params.choices(annotation)
        if found:
            options["choices"] = found
        if required:  # not argparse-required: it may come from --data; checked before the call
            options["help"] = (options.get("help", "") + " (required)").strip()
        sub.add_argument(flag, **options)
    sub.add_argument("--data", help="the parameters as a JSON object, or @file.json (- for stdin)")
    if op.returns.startswith("Page["):
        sub.add_argument("--limit-items", type=_positive_int, help="stop after N items (all pages)")
        _add_list_output(sub)
    if op.method == "POST":
        _add_bulk(sub)


def _add_list_output(sub: argparse.ArgumentParser) -> None:
    group = sub.add_argument_group("output")
    shape = group.add_mutually_exclusive_group()
    shape.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        default="jsonl",
        help="jsonl: one JSON object per line (default); csv: a header row, then one row per "
        "object, nested fields as dotted columns, arrays and objects as JSON in their cell",
    )
    shape.add_argument("--ids", action="store_true", help="print only the IDs, one per line")
    group.add_argument(
        "--fields",
        type=_field_list,
        help="with --format csv: the columns, comma-separated (e.g. id,status,amount_due)",
    )


def _add_bulk(sub: argparse.ArgumentParser) -> None:
    group = sub.add_argument_group(
        "bulk runs",
        textwrap.fill(  # the action's help keeps descriptions as written: wrap this one here
            "One call per line of a JSON Lines file: each line holds the parameters as a JSON "
            "object (or a bare ID, for an action on an ID); flags are shared by every line. "
            'Output is one JSON line per input line, {"line": N, "result": ...} or {"line": N, '
            '"error": ...}; a summary line goes to stderr. Each line\'s Idempotency-Key derives '
            "from the run id, its number and its parameters, so running the same input again "
            "does nothing twice.",
            width=78,
        ),
    )
    group.add_argument(
        "--input", metavar="FILE", help="JSON Lines, one call per line (- for stdin)"
    )
    group.add_argument(
        "--concurrency",
        type=_concurrency,
        default=4,
        metavar="N",
        help="calls in flight at once (4; up to 100)",
    )
    group.add_argument("--rate", type=_rate, metavar="N", help="at most N calls started per second")
    group.add_argument("--ordered", action="store_true", help="output in input order")
    group.add_argument(
        "--resume",
        metavar="OUTPUT",
        help="a previous run's output: skip the lines it shows succeeded",
    )
    group.add_argument(
        "--run-id", help="names the run in the keys (default: a hash of the input's content)"
    )
    group.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="no progress line (shown only when stderr is a terminal)",
    )


def _add_tools(commands: Any) -> None:
    from ._simulator import add_commands  # noqa: PLC0415 - with the simulator's own options

    add_commands(commands, _run_simulator)
    hooks = commands.add_parser("webhooks", help="check webhook deliveries")
    verify = hooks.add_subparsers(dest="action", metavar="<action>", required=True).add_parser(
        "verify",
        help="verify a captured delivery (its raw body on stdin) and print its event",
        description="Verify a captured delivery: the raw body on stdin, the Charge-Signature "
        "header's value in --header. Prints the event as JSON, or exits 14 saying which check "
        "failed. The secret may also come from $CHARGEAPI_WEBHOOK_SECRET (comma-separated).",
    )
    verify.add_argument("--secret", action="append", help="whsec_... (repeat while rotating)")
    verify.add_argument("--header", required=True, help="the Charge-Signature header's value")
    verify.add_argument("--tolerance", type=_seconds, default=300, help="seconds either way (300)")
    verify.set_defaults(tool=_verify_webhook)
    completion = commands.add_parser("completion", help="print a shell completion script")
    completion.add_argument("shell", choices=("bash", "zsh"))
    completion.set_defaults(tool=_print_completion)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    tool = getattr(args, "tool", None)
    if tool is not None:
        if extra:  # only operations take dotted options: anything left over is a mistake
            usage_error(f"unrecognized arguments: {' '.join(extra)}")
        code: int = tool(args)
        return code
    op: Operation = args.operation
    if getattr(args, "input", None) is not None:
        return _run_bulk(op, args, extra)
    try:
        call_args, kwargs = _call_arguments(op, args, _dotted(op, extra))
        columns = _csv_columns(op, args)
        client = client_for(args)
    except (ValueError, TypeError, OSError) as error:
        usage_error(str(error))
    if not (args.api_key or os.environ.get("CHARGEAPI_API_KEY")):
        client.close()
        return _no_api_key()
    try:
        with client:
            result = op.sync(*call_args, client=client, **kwargs)
            if hasattr(result, "next_page_url"):
                _print_page(result, args, columns, sys.stdout)
            else:
                _print(result, sys.stdout)
    except errors.InvalidParameterError as error:  # refused before anything was sent
        usage_error(str(error))
    except errors.ChargeAPIError as error:
        return _report(error)
    except (ValueError, TypeError) as error:
        usage_error(str(error))
    except BrokenPipeError:
        # The reader stopped early (``| head -1``): like --limit-items, not an error. Point
        # stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):  # NaN fails this too
        raise argparse.ArgumentTypeError(
            f"must be a number of seconds of at least 0, got {_params.excerpt(text)}"
        )
    return value


def _concurrency(text: str) -> int:
    value = _positive_int(text)
    if value > 100:
        raise argparse.ArgumentTypeError(f"must be from 1 to 100, got {_params.excerpt(text)}")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(
            f"must be a number of calls per second above 0, got {_params.excerpt(text)}"
        )
    return value


def _field_list(text: str) -> list[str]:
    fields = [f.strip() for f in text.split(",")]
    if not all(fields):
        raise argparse.ArgumentTypeError(
            f"expected field names separated by commas, got {_params.excerpt(text)}"
        )
    return fields


def _run_bulk(op: Operation, args: argparse.Namespace, extra: list[str]) -> int:
    try:
        shared = _bulk_arguments(op, args, _dotted(op, extra))
    except (ValueError, TypeError, OSError) as error:
        usage_error(str(error))
    if not (args.api_key or os.environ.get("CHARGEAPI_API_KEY")):
        return _no_api_key()
    from . import _bulk  # noqa: PLC0415 - only bulk runs load it (and asyncio)

    return _bulk.main(op, args, shared)


def _no_api_key() -> int:
    report = {
        "error": {
            "type": "ChargeAPIError",
            "message": "No API key: pass --api-key or export CHARGEAPI_API_KEY "
            "(test keys start with ch_sk_test_; the simulator's is ch_sk_test_simulator).",
        }
    }
    print(json.dumps(report), file=sys.stderr)
    return 1


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of at least 1, got {_params.excerpt(text)}"
        )
    return value


def _dotted(op: Operation, extra: list[str]) -> dict[str, Any]:
    """``--rules.max-price-per-kwh 25`` options (argparse leaves them over) as nested values."""
    hints = op.hints()
    values: dict[str, Any] = {}
    items = iter(extra)
    for item in items:
        flag, _, inline = item.partition("=")
        if not flag.startswith("--") or "." not in flag:
            raise ValueError(f"unrecognized argument: {_params.excerpt(item)}")
        top, *path = flag[2:].replace("-", "_").split(".")
        if top not in hints or not _params.is_nested(hints[top]):
            raise ValueError(f"{flag} is not a nested parameter of {op.action}")
        text = inline if inline or "=" in item else next(items, None)
        if text is None:
            raise ValueError(f"{flag} needs a value")
        try:
            _params.set_dotted(values.setdefault(top, {}), path, text, hints[top])
        except ValueError as error:
            raise ValueError(f"{flag}: {error}") from None
    return values


def _shared_arguments(
    op: Operation, args: argparse.Namespace, dotted: dict[str, Any]
) -> dict[str, Any]:
    """The keyword parameters from flags, ``--data`` and dotted options (a flag wins)."""
    data = _load_data(args.data) if args.data else {}
    kwargs: dict[str, Any] = {}
    for param in op.signature.parameters.values():
        if param.name == "client" or param.kind in (param.POSITIONAL_OR_KEYWORD, param.VAR_KEYWORD):
            continue
        value = getattr(args, param.name, None)
        if value is not None:
            kwargs[param.name] = value  # a flag wins over the same key in --data
            data.pop(param.name, None)
        elif param.name in data:
            kwargs[param.name] = data.pop(param.name)
    if data:
        raise ValueError(
            f"--data has keys that are no parameters of {op.action}: {', '.join(data)}"
        )
    for name, value in dotted.items():
        base = kwargs.get(name)
        given = cast("dict[str, Any]", base) if isinstance(base, dict) else {}
        kwargs[name] = _params.merge(dict(given), value)
    return kwargs


def _call_arguments(
    op: Operation, args: argparse.Namespace, dotted: dict[str, Any]
) -> tuple[list[Any], dict[str, Any]]:
    kwargs = _shared_arguments(op, args, dotted)
    positional = [
        getattr(args, p.name)
        for p in op.signature.parameters.values()
        if p.kind is p.POSITIONAL_OR_KEYWORD
    ]
    missing = ["ID" for value in positional if value is None] + [
        "--" + p.name.replace("_", "-")
        for p in op.signature.parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind is p.KEYWORD_ONLY
        and p.name not in kwargs
    ]
    if missing:
        raise ValueError(f"the following arguments are required: {', '.join(missing)}")
    return positional, kwargs


def _bulk_arguments(
    op: Operation, args: argparse.Namespace, dotted: dict[str, Any]
) -> dict[str, Any]:
    """The parameters every line of a bulk run shares (the flags)."""
    for param in op.signature.parameters.values():
        if param.kind is param.POSITIONAL_OR_KEYWORD and getattr(args, param.name) is not None:
            raise ValueError("with --input, give the IDs in the input, one per line")
    if args.idempotency_key is not None:
        raise ValueError(
            "with --input, each line gets its own Idempotency-Key (from the run id, its number "
            "and its parameters); to choose one, give idempotency_key in the line"
        )
    if args.data == "@-" and args.input == "-":
        raise ValueError("--data @- and --input - cannot both read stdin")
    return _shared_arguments(op, args, dotted)


def _csv_columns(op: Operation, args: argparse.Namespace) -> list[str]:
    """A list's CSV columns (``--fields``, else the model's), checked before the call."""
    if not op.returns.startswith("Page["):
        return []
    if args.fields is not None and args.format != "csv":
        raise ValueError("--fields needs --format csv")
    if args.format != "csv":
        return []
    from . import _csv  # noqa: PLC0415 - only CSV output loads it

    known = _csv.columns(op.resource)
    if args.fields is None:
        return known
    _csv.check_fields(args.fields, known)
    fields: list[str] = args.fields
    return fields


def _load_data(text: str) -> dict[str, Any]:
    if text == "@-":
        raw = sys.stdin.read()
    elif text.startswith("@"):
        raw = Path(text[1:]).read_text()
    else:
        raw = text
    try:
        value = _params.converter(dict[str, Any])(raw)
    except ValueError as error:
        raise ValueError(f"--data: {error}") from None
    result: dict[str, Any] = value
    return result


def client_for(args: argparse.Namespace, **extra: Any) -> Client:
    """A Client from the connection options (``--api-key``, ``--base-url`` ...)."""
    options: dict[str, Any] = {"api_key": args.api_key, "base_url": args.base_url, **extra}
    if args.max_retries is not None:
        options["max_retries"] = args.max_retries
    if args.timeout is not None:
        options["timeout"] = args.timeout
    return Client(**options)


def _print(result: Any, out: IO[str]) -> None:
    json.dump(result.to_dict(), out, indent=2 if out.isatty() else None)
    out.write("\n")


def _print_page(page: Any, args: argparse.Namespace, columns: list[str], out: IO[str]) -> None:
    """Every item of every page (fetched while printing), in the chosen format."""
    limit: int | None = args.limit_items
    if args.format == "csv":
        from . import _csv  # noqa: PLC0415 - see _csv_columns

        _csv.write(page, columns, out, limit)
        return
    for count, item in enumerate(page, 1):
        out.write((item.id if args.ids else json.dumps(item.to_dict())) + "\n")
        out.flush()
        if limit is not None and count >= limit:
            break


def _report(error: errors.ChargeAPIError) -> int:
    print(json.dumps(error_report(error)), file=sys.stderr)
    return next(code for cls, code, _ in EXIT_CODES if isinstance(error, cls))


def error_report(error: errors.ChargeAPIError) -> dict[str, Any]:
    """The CLI's JSON for an error: the API's error object, the request id to quote, the
    Idempotency-Key of a POST and whether the outcome is unknown."""
    body: dict[str, Any] = {"type": type(error).__name__, "message": error.message}
    if isinstance(error, errors.APIStatusError):
        body.update(
            status=error.status_code,
            api_type=error.type,
            code=error.code,
            param=error.param,
            doc_url=error.doc_url,
        )
    report = {
        "error": body,
        "request_id": getattr(error, "request_id", None),
        "idempotency_key": error.idempotency_key,
        "outcome_unknown": getattr(error, "outcome_unknown", False),
    }
    if isinstance(error, errors.WaitError):
        report["last"] = error.last.to_dict()  # the object as last seen
    return report


def _run_simulator(args: argparse.Namespace) -> int:
    if args.control is not None:
        from ._simulator import control  # noqa: PLC0415 - only for this command

        return control(args, usage_error)
    from ..testing.__main__ import run  # noqa: PLC0415 - only for this command

    return run(args)


def _verify_webhook(args: argparse.Namespace) -> int:
    from .._webhook import Webhook  # noqa: PLC0415 - only for this command

    secrets = args.secret or [
        s.strip() for s in os.environ.get("CHARGEAPI_WEBHOOK_SECRET", "").split(",") if s.strip()
    ]
    if not secrets:
        usage_error("pass --secret or set CHARGEAPI_WEBHOOK_SECRET")
    try:
        event = Webhook.construct_event(
            sys.stdin.buffer.read(), args.header, secrets, args.tolerance
        )
    except errors.InvalidParameterError as error:
        usage_error(str(error))
    except errors.ChargeAPIError as error:
        return _report(error)
    except (ValueError, TypeError) as error:  # signed, but not an Event (or not JSON at all)
        return _report(errors.ChargeAPIError(str(error)))
    _print(event, sys.stdout)
    return 0


def _print_completion(args: argparse.Namespace) -> int:
    from ._completion import script  # noqa: PLC0415 - only for this command

    print(script(args.shell, build_parser()))
    return 0
