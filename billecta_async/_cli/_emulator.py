"""``billecta emulator``: its options and help (the serving is in :mod:`._standalone`)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from billecta_async._cli._main import ExitCode, add_verbose, exit_codes_help, positive

DESCRIPTION = """\
Serve the local Billecta emulator (billecta_async.testing.BillectaEmulator) until Ctrl+C or
SIGTERM, for non-Python tools and manual curl calls. It prints its base URL, the credentials
of its one API user and the id of the creditor that user owns, as BILLECTA_* lines ready for a
shell or for BillectaClient.from_env.

It is an in-memory test server: the credentials it prints are its own, made up at start, not
secrets; everything it holds is lost when it stops.

It answers JSON or XML as a request's Accept header says, and reads a body as its
Content-Type says; --format sets the format for a request that names neither (xml by default,
as Billecta does). --speed runs its clock faster: with --speed 100, the ten seconds a BankID
authentication takes last a tenth of one. -v shows each request it answers."""

ENVIRONMENT = (
    "environment variables:\n"
    "  none read; it prints BILLECTA_BASE_URL, BILLECTA_SECURE_TOKEN, BILLECTA_USERNAME,\n"
    "  BILLECTA_PASSWORD, BILLECTA_CREDITOR_PUBLIC_ID and BILLECTA_FORMAT for its clients"
)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, not {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, not {port}")
    return port


def add_parser(commands: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        "emulator",
        help="serve the local emulator until interrupted, printing its URL and credentials",
        description=DESCRIPTION,
        epilog=ENVIRONMENT + "\n\n" + exit_codes_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=_port, default=0, help="port to listen on (default 0: a free port)"
    )
    parser.add_argument(
        "--format",
        choices=("xml", "json"),
        default="xml",
        help="format for a request whose headers name none (default xml, as Billecta)",
    )
    parser.add_argument(
        "--speed",
        type=positive("a factor"),
        default=1.0,
        metavar="FACTOR",
        help="how many times faster than real time its clock runs (default 1)",
    )
    add_verbose(parser, "show each request it answers (method, path template, status), on stderr")
    parser.set_defaults(run=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    from billecta_async._cli._standalone import serve  # the emulator, only when it runs

    try:
        return asyncio.run(serve(args.host, args.port, args.format, args.speed))
    except KeyboardInterrupt:  # where signal handlers are not available (Windows)
        print("stopped", flush=True)
        return ExitCode.OK
