"""The local emulator served standalone until Ctrl+C or SIGTERM (``billecta emulator``).

For non-Python tools and manual ``curl`` calls: it prints its base URL, its test credentials and
its creditor's id as ``BILLECTA_*`` lines.
"""

from __future__ import annotations

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

from billecta_async._cli._main import CommandError, ExitCode
from billecta_async._clock import Clock, ScaledClock, SystemClock
from billecta_async._version import __version__
from billecta_async.testing import BillectaEmulator

log = logging.getLogger("billecta_async.testing.emulator")

Format = Literal["json", "xml"]
MIME: dict[Format, str] = {"json": "application/json", "xml": "application/xml"}


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
