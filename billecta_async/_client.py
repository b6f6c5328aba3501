"""BillectaClient: the async entry point, one attribute per section of Billecta's API."""

from __future__ import annotations

import os
import ssl
import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING

import aiohttp
from yarl import URL

from billecta_async._clock import Clock
from billecta_async._exceptions import ParameterError
from billecta_async._limits import (
    DEFAULT_ERROR_BUDGET,
    DEFAULT_RATE_LIMITS,
    ErrorBudget,
    ErrorBudgetLimits,
    InMemoryErrorBudget,
    InMemoryRateLimiter,
    RateLimiter,
    RateLimits,
)
from billecta_async._transport import (
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_TIMEOUT,
    PRODUCTION_URL,
    TEST_URL,
    Backoff,
    BasicAuth,
    Format,
    SecureTokenAuth,
    Transport,
    check_timeout,
)
from billecta_async.resources import Sections

if TYPE_CHECKING:
    from billecta_async.redis import RedisErrorBudget, RedisRateLimiter, RedisShared

__all__ = ["BillectaClient"]

_ENVIRONMENTS = {"production": PRODUCTION_URL, "test": TEST_URL}


class BillectaClient(Sections):
    """An async client for Billecta's API.

    Use it as an async context manager (or call :meth:`aclose`)::

        async with BillectaClient(secure_token=token, base_url=BillectaClient.TEST_URL) as client:
            created = await client.debtors.create(Debtor(creditor_public_id=cid, name="Jenny Doe"))

    Authenticate with a SecureToken (``secure_token=``) or a username and password. The client
    speaks JSON by default or XML (``format="xml"``). It owns a pooled aiohttp session unless you
    pass ``session=``, which it then uses but never closes. A client belongs to the event loop
    of its first call: using it on another loop raises ``RuntimeError`` (one client per loop).
    ``clock`` is the time source for every wait the client makes (real time by default; tests
    and the emulator share a :class:`~billecta_async.ScaledClock`).

    TLS: without ``ssl_context`` the client uses one default context per process (the system's
    CA certificates). Yours must require TLS 1.2+ and verify certificates and host names;
    ``allow_insecure_tls=True`` accepts one that does not (a local test server only; a warning
    is logged). A failed handshake or certificate raises :class:`~billecta_async.TLSError`,
    never retried.

    Time and size: ``timeout`` (seconds or an ``aiohttp.ClientTimeout``; default 60 s for a
    whole exchange, 10 s to connect) bounds every call, and for a streamed answer the wait for
    its headers; ``read_timeout`` (default 30 s) bounds each gap in a streamed body.
    ``max_response_size`` (bytes, default 100 MiB) bounds an answer read whole, counted after
    decompression: past it, :class:`~billecta_async.ResponseTooLargeError`. Error answers are
    read up to 64 KiB.

    Reliability (see the README's "Reliability" section):

    - ``rate_limits``: a :class:`~billecta_async.RateLimits` (default: Billecta's documented
      per-endpoint limits, nothing else limited), a :class:`~billecta_async.RateLimiter` to
      share between clients, or ``None`` for no client-side limits.
    - ``error_budget``: an :class:`~billecta_async.ErrorBudgetLimits` (default: 50 errors per
      60 s, 10 of them kept from retries), an :class:`~billecta_async.ErrorBudget` to share, or
      ``None`` to not track errors.
    - ``max_retries`` (default 2; 0 turns retries off) and ``deadline`` (seconds for a whole
      call, attempts and waits included; default ``None``), both overridable per call;
      ``backoff`` sets the waits between attempts (:class:`~billecta_async.Backoff`).
    - Every error raised out of a call carries its ``unique_api_call_id``, ``attempts`` and
      ``maybe_processed``, and says how to resume (see :class:`~billecta_async.BillectaError`).
    - ``shared``: a :class:`~billecta_async.redis.RedisShared` keeps the rate limits and the
      error budget in Redis, shared by every process signed in as the same Billecta user
      (``rate_limits`` and ``error_budget`` then say which limits; a limiter or budget object
      passed there is used as it is). Closing the client closes what it bound.
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
        session: aiohttp.ClientSession | None = None,
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
        if secure_token is not None and (username is not None or password is not None):
            raise ValueError("give either secure_token or username and password, not both")
        auth: SecureTokenAuth | BasicAuth
        if secure_token is not None:
            auth = SecureTokenAuth(secure_token)
        elif username is not None and password is not None:
            auth = BasicAuth(username, password)
        else:
            raise ValueError("credentials missing: give secure_token, or username and password")
        if rate_limits is not None and not isinstance(rate_limits, (RateLimits, RateLimiter)):
            raise TypeError(
                "rate_limits must be RateLimits, a RateLimiter or None, not "
                f"{type(rate_limits).__name__}"
            )
        if error_budget is not None and not isinstance(
            error_budget, (ErrorBudgetLimits, ErrorBudget)
        ):
            raise TypeError(
                "error_budget must be ErrorBudgetLimits, an ErrorBudget or None, not "
                f"{type(error_budget).__name__}"
            )
        if not isinstance(timeout, aiohttp.ClientTimeout):
            try:
                timeout = aiohttp.ClientTimeout(total=check_timeout(timeout))
            except ParameterError:
                raise ValueError(
                    "timeout must be a finite number of seconds > 0 or an aiohttp.ClientTimeout "
                    f"(got {timeout!r})"
                ) from None
        limiter: RateLimiter | None = None
        budget: ErrorBudget | None = None
        self._bound: list[RedisRateLimiter | RedisErrorBudget] = []  # closed with the client
        if isinstance(base_url, URL):  # aiohttp's own URL type, as aiohttp takes it
            base_url = str(base_url)
        if shared is not None:
            # The Billecta user (the store keeps only a keyed hash of this, never the text).
            kind, who = ("token", secure_token) if secure_token is not None else ("user", username)
            user = f"{base_url.rstrip('/')}\n{kind}:{who}"
            if isinstance(rate_limits, RateLimits):
                limiter = shared.rate_limiter(user, rate_limits, clock=clock)
                self._bound.append(limiter)
            if isinstance(error_budget, ErrorBudgetLimits):
                budget = shared.error_budget(user, error_budget, clock=clock)
                self._bound.append(budget)
        if limiter is None:
            limiter = (
                InMemoryRateLimiter(rate_limits, clock=clock)
                if isinstance(rate_limits, RateLimits)
                else rate_limits
            )
        if budget is None:
            budget = (
                InMemoryErrorBudget(error_budget, clock=clock)
                if isinstance(error_budget, ErrorBudgetLimits)
                else error_budget
            )
        self._transport = Transport(
            auth=auth,
            base_url=base_url,
            format=format,
            session=session,
            timeout=timeout,
            connector_limit=connector_limit,
            connector_limit_per_host=connector_limit_per_host,
            proxy=proxy,
            ssl_context=ssl_context,
            user_agent=user_agent,
            clock=clock,
            rate_limiter=limiter,
            error_budget=budget,
            max_retries=max_retries,
            deadline=deadline,
            backoff=backoff,
            allow_insecure_tls=allow_insecure_tls,
            read_timeout=read_timeout,
            max_response_size=max_response_size,
        )
        self._bind_sections(self._transport)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: object
    ) -> BillectaClient:
        """A client configured from ``BILLECTA_*`` environment variables.

        ``BILLECTA_SECURE_TOKEN``, or ``BILLECTA_USERNAME`` and ``BILLECTA_PASSWORD``;
        ``BILLECTA_BASE_URL`` or ``BILLECTA_ENVIRONMENT`` (``production`` or ``test``; default
        production); ``BILLECTA_FORMAT`` (``json`` or ``xml``); ``BILLECTA_MAX_RETRIES`` and
        ``BILLECTA_DEADLINE`` (seconds); ``BILLECTA_REDIS_URL`` (rate limits and error budget
        shared through that Redis, see :class:`~billecta_async.redis.RedisShared`; needs the
        ``redis`` extra). Keyword arguments override them.
        """
        env = os.environ if environ is None else environ
        kwargs: dict[str, object] = {}
        if env.get("BILLECTA_SECURE_TOKEN"):
            kwargs["secure_token"] = env["BILLECTA_SECURE_TOKEN"]
        elif env.get("BILLECTA_USERNAME") or env.get("BILLECTA_PASSWORD"):
            kwargs["username"] = env.get("BILLECTA_USERNAME")
            kwargs["password"] = env.get("BILLECTA_PASSWORD")
        if env.get("BILLECTA_BASE_URL"):
            kwargs["base_url"] = env["BILLECTA_BASE_URL"]
        elif env.get("BILLECTA_ENVIRONMENT"):
            name = env["BILLECTA_ENVIRONMENT"].strip().lower()
            if name not in _ENVIRONMENTS:
                raise ValueError(
                    f"BILLECTA_ENVIRONMENT must be 'production' or 'test', not {name!r}"
                )
            kwargs["base_url"] = _ENVIRONMENTS[name]
        if env.get("BILLECTA_FORMAT"):
            kwargs["format"] = env["BILLECTA_FORMAT"].strip().lower()
        for name, key, convert in (
            ("BILLECTA_MAX_RETRIES", "max_retries", int),
            ("BILLECTA_DEADLINE", "deadline", float),
        ):
            if env.get(name):
                try:
                    kwargs[key] = convert(env[name].strip())
                except ValueError:
                    raise ValueError(f"{name} must be a number, not {env[name]!r}") from None
        kwargs.update(overrides)
        if "secure_token" not in kwargs and "username" not in kwargs:
            raise ValueError(
                "no Billecta credentials: set BILLECTA_SECURE_TOKEN, or BILLECTA_USERNAME "
                "and BILLECTA_PASSWORD"
            )
        if env.get("BILLECTA_REDIS_URL") and "shared" not in kwargs:
            from billecta_async.redis import RedisShared

            kwargs["shared"] = RedisShared.from_url(env["BILLECTA_REDIS_URL"].strip())
        return cls(**kwargs)  # type: ignore[arg-type]

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def format(self) -> Format:
        return self._transport.format

    @property
    def closed(self) -> bool:
        return self._transport.closed

    async def aclose(self) -> None:
        """Close the client's own session (a session passed in is left open) and what it bound
        to a ``shared`` store (the store's connections close with the last user of them)."""
        try:
            await self._transport.aclose()
        finally:
            bound, self._bound = self._bound, []
            for each in bound:
                await each.aclose()

    async def __aenter__(self) -> BillectaClient:
        if self.closed:
            raise RuntimeError(
                "this BillectaClient is closed: create a new one (`async with "
                "BillectaClient(...) as client:`)"
            )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        transport = getattr(self, "_transport", None)
        if transport is not None and transport.unclosed_session():
            warnings.warn(
                "BillectaClient was not closed: use `async with BillectaClient(...)` or "
                "`await client.aclose()`",
                ResourceWarning,
                stacklevel=2,
            )

    def __repr__(self) -> str:
        return f"BillectaClient(base_url={self.base_url!r}, format={self.format!r})"
