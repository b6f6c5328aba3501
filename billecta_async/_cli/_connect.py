"""The client a command works with: signed in from ``BILLECTA_*`` variables, or to a fresh
embedded emulator; with the command line's ``--timeout`` and ``--deadline``.

``billecta demo`` and ``billecta call`` share it, so both read the same variables the same way.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any

import aiohttp

from billecta_async import BillectaClient
from billecta_async._cli import _environment
from billecta_async._cli._main import CommandError, ExitCode, positive
from billecta_async._exceptions import ParameterError, mask_personal_numbers
from billecta_async._params import converter

if TYPE_CHECKING:
    from billecta_async.testing import BillectaEmulator

#: Seconds the CLI waits for one attempt's answer, and for a whole call (retries included),
#: unless told otherwise: a server that never answers is given up on within a minute.
DEFAULT_TIMEOUT = 20.0
DEFAULT_DEADLINE = 60.0


def add_timing_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """``--timeout`` (per attempt) and ``--deadline`` (per call, retries included).

    ``suppress``: no defaults, for a parser whose values are merged into another's."""
    parser.add_argument(
        "--timeout",
        type=positive("seconds"),
        default=argparse.SUPPRESS if suppress else DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"seconds to wait for each attempt's answer (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--deadline",
        type=positive("seconds"),
        default=argparse.SUPPRESS if suppress else None,
        metavar="SECONDS",
        help="seconds for a whole call, retries included (default BILLECTA_DEADLINE, or "
        f"{DEFAULT_DEADLINE:g})",
    )


def has_credentials(environ: Mapping[str, str]) -> bool:
    """Whether ``environ`` holds credentials (a SecureToken or a username)."""
    return any(environ.get(name) for name in _environment.CREDENTIAL_NAMES)


def overrides(
    environ: Mapping[str, str],
    *,
    timeout: float,
    deadline: float | None,
    default_deadline: float = DEFAULT_DEADLINE,
) -> dict[str, Any]:
    """The client settings the command line's options give: ``timeout`` per attempt;
    ``deadline`` per call, else ``BILLECTA_DEADLINE``, else ``default_deadline``."""
    settings: dict[str, Any] = {
        "timeout": aiohttp.ClientTimeout(total=timeout, sock_connect=min(timeout, 10.0))
    }
    if deadline is not None:
        settings["deadline"] = deadline
    elif not environ.get("BILLECTA_DEADLINE"):
        settings["deadline"] = default_deadline
    return settings


#: The client settings ``BillectaClient.from_env`` takes from a variable: a bad value's error,
#: which names the setting, is told as the variable's.
SETTING_VARIABLES = {
    "base_url": "BILLECTA_BASE_URL",
    "format": "BILLECTA_FORMAT",
    "max_retries": "BILLECTA_MAX_RETRIES",
    "deadline": "BILLECTA_DEADLINE",
}


def client(environ: Mapping[str, str], **settings: Any) -> BillectaClient:
    """``BillectaClient.from_env``; a bad or missing ``BILLECTA_*`` value is a usage error,
    whose one line names the variable."""
    try:
        return BillectaClient.from_env(environ, **settings)
    except ValueError as exc:
        message = str(exc)
        for setting, variable in SETTING_VARIABLES.items():
            if (
                message.startswith(f"{setting} must ")
                and setting not in settings
                and environ.get(variable)
            ):
                message = f"{variable}: {message}"
        raise CommandError(message, ExitCode.USAGE) from None


def checked_creditor(value: str, source: str) -> str:
    """A creditor's public id from ``source`` (a variable, an option) checked as a GUID before
    anything is sent; a usage error naming ``source`` if it is not one."""
    try:
        checked = converter("guid")(value, source)
    except ParameterError as exc:
        raise CommandError(
            f"{source}: {exc.reason} (got {mask_personal_numbers(repr(value))})", ExitCode.USAGE
        ) from None
    assert checked is not None
    return checked


async def emulator_client(
    stack: AsyncExitStack, environ: Mapping[str, str], **settings: Any
) -> tuple[BillectaClient, BillectaEmulator]:
    """A fresh embedded emulator (stopped when ``stack`` closes) and a client signed in to it.

    The variables other than the credentials and URL (format, retries, deadline) apply to it
    too."""
    from billecta_async.testing import BillectaEmulator

    emulator = await stack.enter_async_context(BillectaEmulator())
    signed_in = {
        **environ,
        "BILLECTA_SECURE_TOKEN": emulator.secure_token,
        "BILLECTA_BASE_URL": emulator.url,
    }
    connected = await stack.enter_async_context(client(signed_in, clock=emulator.clock, **settings))
    return connected, emulator
