"""Shared test fixtures."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import ClientResponse
from aioresponses import aioresponses

from billecta_async.testing import BillectaEmulator

# The fixtures users get (billecta_emulator, billecta_client); also loaded by the installed
# entry point, under the same name, so it is registered once. _redis: a real Redis for the
# tests of billecta_async.redis (redis_url, prefix, private_redis, processes).
pytest_plugins = ["billecta_async.testing.pytest_plugin", "_redis"]

_NEEDS_STREAM_WRITER = "stream_writer" in inspect.signature(ClientResponse.__init__).parameters


class CompatResponse(ClientResponse):
    """aiohttp 3.14 (a security release) added a required ``stream_writer`` argument that
    aioresponses 0.7.9 does not pass (pnuckowski/aioresponses#289, open). With no request
    writer, aiohttp only reads ``stream_writer.output_size``; this supplies it. Remove once
    aioresponses ships the fix.
    """

    def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
        if _NEEDS_STREAM_WRITER:
            kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


class MockHttp:
    """aioresponses with the aiohttp 3.14 bridge applied to every mocked answer."""

    def __init__(self, mocked: aioresponses) -> None:
        self.mocked = mocked

    def add(self, url: Any, method: str = "GET", **kwargs: Any) -> None:
        kwargs.setdefault("response_class", CompatResponse)
        callback = kwargs.get("callback")
        if callback is not None:

            def bridged(*args: Any, **request: Any) -> Any:
                result = callback(*args, **request)
                if getattr(result, "response_class", None) is None:
                    result.response_class = CompatResponse
                return result

            kwargs["callback"] = bridged
        self.mocked.add(url, method=method, **kwargs)

    @property
    def requests(self) -> dict[Any, Any]:
        return self.mocked.requests


@pytest.fixture
def mock_http() -> Iterator[MockHttp]:
    """Intercepts every aiohttp request of the test (none reaches the network)."""
    with aioresponses() as mocked:
        yield MockHttp(mocked)


@pytest.fixture
def creditor(billecta_emulator: BillectaEmulator) -> str:
    """The public id of the emulator's creditor."""
    return billecta_emulator.creditor_public_id
