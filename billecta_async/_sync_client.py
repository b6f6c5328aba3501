"""SyncBillectaClient: the blocking entry point, the async client run on a loop of its own."""

from __future__ import annotations

import functools
import ssl
import threading
import warnings
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING

import aiohttp
from anyio.from_thread import start_blocking_portal
from yarl import URL

from billecta_async._client import BillectaClient
from billecta_async._clock import Clock
from billecta_async._limits import (
    DEFAULT_ERROR_BUDGET,
    DEFAULT_RATE_LIMITS,
    ErrorBudget,
    ErrorBudgetLimits,
    RateLimiter,
    RateLimits,
)
from billecta_async._sync import Runner
from billecta_async._transport import (
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_TIMEOUT,
    PRODUCTION_URL,
    TEST_URL,
    Backoff,
    Format,
)
from billecta_async.sync_resources import SyncSections

if TYPE_CHECKING:
    from billecta_async.redis import RedisShared

__all__ = ["SyncBillectaClient"]


_CLOSE_GRACE = 1.0
"""Seconds ``close()`` lets calls cut off by the closed session end with their own error."""


class SyncBillectaClient(SyncSections):
    """A synchronous client for Billecta's API: every endpoint method of
    :class:`~billecta_async.BillectaClient`, with the same arguments, without ``await``::

        with SyncBillectaClient(secure_token=token, base_url=SyncBillectaClient.TEST_URL) as client:
            created = client.debtors.create(Debtor(creditor_public_id=cid, name="Jenny Doe"))

    It takes the same keyword arguments as ``BillectaClient`` except ``session`` (the client's
    aiohttp session belongs to its own event loop). It starts an event loop in a thread of its
    own (an anyio blocking portal) and runs a ``BillectaClient`` there, so it works in scripts,
    in Django or Flask views and in Jupyter (whether or not the calling thread runs an event
    loop), and one client can be shared by several threads. Listings return a
    :class:`~billecta_async.SyncPaginator` (``.page()``, or iterate for every item), binary
    endpoints a :class:`~billecta_async.SyncBinaryResponse` (``.read()``, ``.stream()``,
    ``.download(path)``). Close it with ``with`` or :meth:`close`, which stops the thread.
    """

    PRODUCTION_URL = PRODUCTION_URL
    TEST_URL = TEST_URL

    def __init__(
        self,
        *,
        secure_token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        base_url: str | URL = PRODUCTION_URL,
        format: Format = "json",
        timeout: float | aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        connector_limit: int = 100,
        connector_limit_per_host: int = 0,
        proxy: str | URL | None = None,
        ssl_context: ssl.SSLContext | None = None,
        user_agent: str | None = None,
        clock: Clock | None = None,
        rate_limits: RateLimits | RateLimiter | None = DEFAULT_RATE_LIMITS,
        error_budget: ErrorBudgetLimits | ErrorBudget | None = DEFAULT_ERROR_BUDGET,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        backoff: Backoff | None = None,
        allow_insecure_tls: bool = False,
        read_timeout: float | None = DEFAULT_READ_TIMEOUT,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        shared: RedisShared | None = None,
    ) -> None:
        self._open(
            functools.partial(
                BillectaClient,
                secure_token=secure_token,
                username=username,
                password=password,
                base_url=base_url,
                format=format,
                timeout=timeout,
                connector_limit=connector_limit,
                connector_limit_per_host=connector_limit_per_host,
                proxy=proxy,
                ssl_context=ssl_context,
                user_agent=user_agent,
                clock=clock,
                rate_limits=rate_limits,
                error_budget=error_budget,
                max_retries=max_retries,
                deadline=deadline,
                backoff=backoff,
                allow_insecure_tls=allow_insecure_tls,
                read_timeout=read_timeout,
                max_response_size=max_response_size,
                shared=shared,
            )
        )

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: object
    ) -> SyncBillectaClient:
        """A client configured from ``BILLECTA_*`` environment variables, as
        :meth:`BillectaClient.from_env <billecta_async.BillectaClient.from_env>` reads them."""
        client = cls.__new__(cls)
        client._open(functools.partial(BillectaClient.from_env, environ, **overrides))
        return client

    def _open(self, factory: Callable[[], BillectaClient]) -> None:
        """Start the loop's thread and build the async client there (so everything it creates
        belongs to that loop). A failure stops the thread again."""
        self._lock = threading.Lock()
        with ExitStack() as stack:
            portal = stack.enter_context(start_blocking_portal())
            self._client: BillectaClient = portal.call(factory)
            self._stack = stack.pop_all()
        self._runner = Runner(portal)
        self._bind_sections(self._client, self._runner)

    @property
    def base_url(self) -> str:
        return self._client.base_url

    @property
    def format(self) -> Format:
        return self._client.format

    @property
    def closed(self) -> bool:
        return self._runner.closed

    def close(self) -> None:
        """Close the client's session and stop its thread (again: nothing happens)."""
        with self._lock:
            if self._runner.closed:
                return
            portal = self._runner.portal
            self._runner.refuse_new()
            try:
                # Calls other threads wait for end as on an async client closed under them: a
                # request in flight raises its attempt's failure, saying whether Billecta may
                # have acted and with the id to resume with; what still waits after a moment
                # (a poll's pause, a backoff) is cancelled and raises RuntimeError.
                portal.call(self._client.aclose)
                self._runner.cancel_all(grace=_CLOSE_GRACE)
            finally:
                self._runner.cancel_all()
                # Streams or iterations left open are cancelled, not waited for.
                portal.call(portal.stop, True)
                self._stack.close()

    def __enter__(self) -> SyncBillectaClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        runner = getattr(self, "_runner", None)
        if runner is not None and not runner.closed:
            warnings.warn(
                "SyncBillectaClient was not closed: use `with SyncBillectaClient(...)` or "
                "`client.close()`",
                ResourceWarning,
                stacklevel=2,
            )

    def __repr__(self) -> str:
        return f"SyncBillectaClient(base_url={self.base_url!r}, format={self.format!r})"
