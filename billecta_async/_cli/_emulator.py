"""``billecta emulator``: the local emulator served standalone until Ctrl+C or SIGTERM.

For non-Python tools and manual ``curl`` calls: it prints its base URL, its test credentials and
its creditor's id as ``BILLECTA_*`` lines.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import logging
import shlex
import signal
import sys
import time
from typing import Any, Literal, TextIO

from aiohttp import web
from multidict import CIMultiDict

from billecta_async._cli._main import CommandError, ExitCode, add_verbose, exit_codes_help, positive
from billecta_async._clock import Clock, ScaledClock, SystemClock
from billecta_async._version import __version__
from billecta_async.testing import BillectaEmulator

log = logging.getLogger("billecta_async.testing.emulator")

Format = Literal["json", "xml"]
MIME: dict[Format, str] = {"json": "application/json", "xml": "application/xml"}

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
    try:
        return asyncio.run(serve(args.host, args.port, args.format, args.speed))
    except KeyboardInterrupt:  # where signal handlers are not available (Windows)
        print("stopped", flush=True)
        return ExitCode.OK


def _names_a_format(header: str | None) -> bool:
    text = (header or "").lower()
    return "json" in text or "xml" in text


class StandaloneEmulator(BillectaEmulator):
    """The emulator with a format for requests that name none, and a line per request."""

    def __init__(self, *, default_format: Format = "xml", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.default_format = default_format

    def build_app(self) -> web.Application:
        app = super().build_app()
        app.middlewares.append(self._each_request)
        return app

    @web.middleware
    async def _each_request(self, request: web.Request, handler: Any) -> web.StreamResponse:
        headers: CIMultiDict[str] | None = None
        for name in ("Accept", "Content-Type"):
            if self.default_format != "xml" and not _names_a_format(request.headers.get(name)):
                headers = headers if headers is not None else CIMultiDict(request.headers)
                headers[name] = MIME[self.default_format]
        if headers is not None:
            request = request.clone(headers=headers)
        # The path template, never the filled-in path or query (ids, person numbers).
        path = (
            request.match_info.route.resource.canonical
            if request.match_info.route.resource
            else "?"
        )
        started = time.perf_counter()
        try:
            response: web.StreamResponse = await handler(request)
        except asyncio.CancelledError:
            log.info("%s %s -> no answer (connection closed)", request.method, path)
            raise
        log.info(
            "%s %s -> %d in %.1f ms",
            request.method,
            path,
            response.status,
            (time.perf_counter() - started) * 1000,
        )
        return response


def banner(emulator: BillectaEmulator, default_format: Format, speed: float) -> str:
    """What ``billecta emulator`` prints once it listens."""
    token = base64.b64encode(emulator.secure_token.encode()).decode()
    values = {
        "BILLECTA_BASE_URL": emulator.url,
        "BILLECTA_SECURE_TOKEN": emulator.secure_token,
        "BILLECTA_USERNAME": emulator.username,
        "BILLECTA_PASSWORD": emulator.password,
        "BILLECTA_CREDITOR_PUBLIC_ID": emulator.creditor_public_id,
        "BILLECTA_FORMAT": default_format,
    }
    curl = shlex.join(
        [
            "curl",
            "-H",
            f"Authorization: SecureToken {token}",
            "-H",
            f"Accept: {MIME[default_format]}",
            f"{emulator.url}/v1/creditors/creditor/{emulator.creditor_public_id}",
        ]
    )
    return "\n".join(
        [
            f"billecta-async {__version__}: the local Billecta emulator listens at {emulator.url}",
            f"  clock x{speed:g}; a request naming no format gets {default_format}",
            "Its own test credentials, made up at start (a local test server: not secrets):",
            *(f"export {name}={shlex.quote(value)}" for name, value in values.items()),
            "Try:",
            f"  {curl}",
            "Ctrl+C or SIGTERM stops it.",
        ]
    )


async def serve(
    host: str,
    port: int,
    default_format: Format = "xml",
    speed: float = 1.0,
    *,
    out: TextIO | None = None,
) -> int:
    """Serve the emulator until SIGINT or SIGTERM, then stop it cleanly."""
    out = out if out is not None else sys.stdout
    clock: Clock = SystemClock() if speed == 1 else ScaledClock(speed)
    emulator = StandaloneEmulator(default_format=default_format, clock=clock, host=host, port=port)
    try:
        await emulator.start()
    except OSError as exc:
        raise CommandError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    handled: list[signal.Signals] = []
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
            except (NotImplementedError, RuntimeError):  # Windows, or not the main thread
                continue
            handled.append(signum)
        print(banner(emulator, default_format, speed), file=out, flush=True)
        await stop.wait()
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
        await emulator.stop()
    print("stopped", file=out, flush=True)
    return ExitCode.OK
