"""pytest fixtures for code that calls Billecta: a running emulator and a client bound to it.

Installed with billecta-async as a pytest plugin (entry point ``pytest11``); it needs
pytest-asyncio. The fixtures:

* ``billecta_clock``: the emulator's and client's clock, a ``ScaledClock(50)`` (BankID's ten
  seconds take 0.2 s); override it to change the pace;
* ``billecta_emulator``: a :class:`~billecta_async.testing.BillectaEmulator` on 127.0.0.1,
  fresh for each test;
* ``billecta_format``: ``"json"``; parametrize it to run a test in both formats::

      @pytest.mark.parametrize("billecta_format", ["json", "xml"])
      async def test_create_debtor(billecta_client, billecta_emulator): ...

* ``billecta_client``: a :class:`~billecta_async.BillectaClient` signed in to the emulator.

Registering the plugin costs a pytest run next to nothing: the emulator, the client and
aiohttp are imported by the fixtures, only when a test uses one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Literal

import pytest

if TYPE_CHECKING:
    from billecta_async._client import BillectaClient
    from billecta_async._clock import Clock
    from billecta_async.testing.emulator import BillectaEmulator

try:
    import pytest_asyncio

    HAVE_PYTEST_ASYNCIO = True
except ImportError:  # pragma: no cover - the fixtures need pytest-asyncio
    HAVE_PYTEST_ASYNCIO = False

__all__ = ["billecta_client", "billecta_clock", "billecta_emulator", "billecta_format"]


@pytest.fixture
def billecta_clock() -> Clock:
    """Time for the emulator and the client: 50 times faster than real time."""
    from billecta_async._clock import ScaledClock

    return ScaledClock(50)


@pytest.fixture
def billecta_format() -> Literal["json", "xml"]:
    """The format ``billecta_client`` speaks; parametrize to test both."""
    return "json"


if HAVE_PYTEST_ASYNCIO:

    @pytest_asyncio.fixture
    async def billecta_emulator(billecta_clock: Clock) -> AsyncIterator[BillectaEmulator]:
        """A fresh local Billecta emulator, running for the duration of the test."""
        from billecta_async.testing.emulator import BillectaEmulator

        async with BillectaEmulator(clock=billecta_clock) as emulator:
            yield emulator

    @pytest_asyncio.fixture
    async def billecta_client(
        billecta_emulator: BillectaEmulator, billecta_format: Literal["json", "xml"]
    ) -> AsyncIterator[BillectaClient]:
        """A client signed in to ``billecta_emulator``, speaking ``billecta_format``."""
        async with billecta_emulator.client(billecta_format) as client:
            yield client

else:  # pragma: no cover

    @pytest.fixture
    def billecta_emulator() -> Any:
        pytest.fail(
            "the billecta_emulator fixture needs pytest-asyncio (pip install pytest-asyncio)"
        )

    @pytest.fixture
    def billecta_client() -> Any:
        pytest.fail("the billecta_client fixture needs pytest-asyncio (pip install pytest-asyncio)")
