"""The HTTP transport: one place for auth, formats, sessions, timeouts, Billecta's errors, rate
limits, the error budget, retries and logging.

Every endpoint method of every resource ends in :meth:`Transport.prepare` (one :class:`Call`;
or, without request options, ``Transport.prepare_fast``, the same in C) and
:meth:`Transport.send` (its attempts, each one :meth:`Transport.attempt`).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import logging
import math
import os
import platform
import random
import re
import ssl
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypedDict

import aiohttp
import anyio
import orjson
from aiohttp import hdrs
from aiohttp.helpers import get_env_proxy_for_url
from lxml import etree
from yarl import URL

from billecta_async._clock import Clock, SystemClock, finite_seconds
from billecta_async._exceptions import (
    AlreadyProcessedError,
    APIStatusError,
    BadRequestError,
    BillectaError,
    DecodeError,
    DuplicateRequestError,
    ErrorBudgetExhaustedError,
    ForbiddenError,
    NotFoundError,
    ParameterError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ServerError,
    TLSError,
    TransportError,
    UnauthorizedError,
    scrub_chain,
    underlying,
)
from billecta_async._limits import (
    NO_ADMISSION,
    NO_PERMIT,
    Admission,
    ErrorBudget,
    InMemoryErrorBudget,
    InMemoryRateLimiter,
    NoAdmission,
    NoPermit,
    Permit,
    RateLimiter,
)
from billecta_async._params import is_seconds, quote
from billecta_async._streaming import ByteStream
from billecta_async._version import __version__
from billecta_async._wire import ListOf, Model, _native, from_json, from_xml, to_json, to_xml

if sys.version_info >= (3, 11):
    from typing import NotRequired
else:  # pragma: no cover
    from typing_extensions import NotRequired

__all__ = [
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_READ_TIMEOUT",
    "PRODUCTION_URL",
    "TEST_URL",
    "Backoff",
    "BasicAuth",
    "Call",
    "Format",
    "RequestOptions",
    "SecureTokenAuth",
    "Transport",
]

PRODUCTION_URL = "https://api.billecta.com"
TEST_URL = "https://apitest.billecta.com"

Format = Literal["json", "xml"]
_CONTENT_TYPES: dict[str, str] = {"json": "application/json", "xml": "application/xml"}
# 60 s for a whole exchange, 10 s to open a connection. (Waiting for a free pooled connection is
# not limited apart from the total; a read timeout as long as the total would be redundant, and
# each of these costs a timer on every request.)
DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=60, sock_connect=10)
# Streamed answers are not limited in total: their headers must arrive within the call's
# timeout, and then no gap between two pieces of the body may be longer than this.
DEFAULT_READ_TIMEOUT = 30.0

DEFAULT_MAX_RETRIES = 2

# No real Billecta answer comes near this (the largest are PDFs and exports of a few MiB).
DEFAULT_MAX_RESPONSE_SIZE = 100 * 2**20
# An error answer is only read for Billecta's Message and the like.
ERROR_BODY_LIMIT = 64 * 2**10

log = logging.getLogger("billecta_async")

# Timeouts while waiting for a connection: nothing was sent.
_NOT_SENT_TIMEOUTS: tuple[type[BaseException], ...] = tuple(
    cls for cls in (getattr(aiohttp, "ConnectionTimeoutError", None),) if cls is not None
)


class RequestOptions(TypedDict):
    """Options every endpoint method takes as keyword arguments.

    ``timeout``: seconds for this call (overrides the client's total timeout).
    ``headers``: extra HTTP headers for this call.
    ``unique_api_call_id``: sent as Billecta's ``UniqueApiCallId`` header (1-50 characters):
    Billecta processes a request with a given id once and answers a repeat with 403. A call
    other than GET without one gets a generated id, which every error of the call carries.
    ``max_retries``: retries of this call (overrides the client's ``max_retries``; 0: none).
    ``deadline``: seconds this call may take in all, attempts and waits included (overrides
    the client's ``deadline``; ``None``: no deadline).
    """

    timeout: NotRequired[float]
    headers: NotRequired[Mapping[str, str]]
    unique_api_call_id: NotRequired[str]
    max_retries: NotRequired[int]
    deadline: NotRequired[float | None]


_OPTION_NAMES = frozenset(RequestOptions.__annotations__)


class SecureTokenAuth:
    """Billecta's SecureToken: sent base64-encoded as ``Authorization: SecureToken <b64>``."""

    __slots__ = ("_header",)

    def __init__(self, token: str) -> None:
        if not isinstance(token, str):  # (its value is never shown)
            raise TypeError(f"secure_token must be a str, not {type(token).__name__}")
        if not token or not token.strip():
            raise ValueError("SecureToken is empty")
        encoded = base64.b64encode(token.strip().encode("utf-8")).decode("ascii")
        self._header = f"SecureToken {encoded}"

    def header(self) -> str:
        return self._header

    def __repr__(self) -> str:
        return "SecureTokenAuth(<hidden>)"


class BasicAuth:
    """HTTP Basic authentication with a Billecta username and password."""

    __slots__ = ("_header", "username")

    def __init__(self, username: str, password: str) -> None:
        for name, value in (("username", username), ("password", password)):
            if not isinstance(value, str):  # (its value is never shown)
                raise TypeError(f"{name} must be a str, not {type(value).__name__}")
        if not username:
            raise ValueError("username is empty")
        self.username = username
        encode = getattr(aiohttp, "encode_basic_auth", None)  # aiohttp >= 3.14
        if encode is not None:
            self._header = str(encode(username, password, encoding="utf-8"))
        else:  # pragma: no cover - older aiohttp
            self._header = aiohttp.BasicAuth(username, password, encoding="utf-8").encode()

    def header(self) -> str:
        return self._header

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password=<hidden>)"


Auth = SecureTokenAuth | BasicAuth


def _user_agent() -> str:
    return (
        f"billecta-async/{__version__} (Python {platform.python_version()}; "
        f"aiohttp {aiohttp.__version__})"
    )


@functools.cache
def default_tls_context() -> ssl.SSLContext:
    """The SSL context of every client without its own: the system's CA certificates, host
    names checked, TLS >= 1.2. Built once per process (building one reads every CA certificate,
    about 20 ms) and shared, never changed after."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def tls_context(
    context: ssl.SSLContext | None, *, allow_insecure_tls: bool = False, base_url: str = ""
) -> ssl.SSLContext:
    """The SSL context used for https: the caller's, checked, or the default one.

    The caller's must require TLS 1.2 or later, and must verify the server's certificate and
    host name unless ``allow_insecure_tls`` is true (then a warning is logged).
    """
    if context is None:
        return default_tls_context()
    allowed = (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.MAXIMUM_SUPPORTED)
    if context.minimum_version not in allowed:
        raise ValueError(
            "ssl_context must require TLS 1.2 or later (Billecta requires it): set "
            "context.minimum_version = ssl.TLSVersion.TLSv1_2"
        )
    if context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname:
        unverified = (
            f"verify_mode={context.verify_mode.name}"
            if context.verify_mode != ssl.CERT_REQUIRED
            else "check_hostname=False"
        )
        if not allow_insecure_tls:
            raise ValueError(
                f"ssl_context does not verify the server ({unverified}): anyone on the way "
                "could read your credentials and data. Use a context that verifies "
                "certificates and host names (ssl.create_default_context(cafile=...) for a "
                "private CA), or pass allow_insecure_tls=True to accept it anyway (a local "
                "test server only)"
            )
        log.warning(
            "TLS verification is off for %s (ssl_context has %s, allowed by "
            "allow_insecure_tls=True): credentials and data can be intercepted; use this only "
            "against a test server",
            base_url or "this client",
            unverified,
        )
    return context


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP header name (RFC 9110's token)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # not allowed in a header value (tab is)


class _Shown:
    """Stands for a value in an error that must not show it (``<int>``)."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return f"<{self._text}>"


_CALL_IDS: list[str] = []  # ids drawn and not yet used (list.pop and extend are atomic)
os.register_at_fork(after_in_child=_CALL_IDS.clear)  # a child never reuses its parent's


def new_call_id() -> str:
    """A fresh ``UniqueApiCallId``: 128 bits from the operating system's random source (as
    ``secrets.token_hex(16)``), drawn 256 at a time: one system call per 256 calls instead of
    one per call. A forked process starts with none of its parent's."""
    try:
        return _CALL_IDS.pop()
    except IndexError:
        drawn = os.urandom(16 * 256)
        _CALL_IDS.extend([drawn[i : i + 16].hex() for i in range(0, len(drawn), 16)])
        return _CALL_IDS.pop()


def check_unique_api_call_id(value: object) -> str:
    """A valid UniqueApiCallId: a string of 1 to 50 characters."""
    if not isinstance(value, str) or not 1 <= len(value) <= 50:
        raise ParameterError("unique_api_call_id", value, "expected a string of 1 to 50 characters")
    if not (value.isascii() and value.isprintable()):
        raise ParameterError(
            "unique_api_call_id", value, "expected printable ASCII characters only"
        )
    return value


def _check_max_retries(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ParameterError("max_retries", value, "expected an int, 0 or more")
    return value


def check_timeout(value: object) -> float:
    """A timeout that bounds the wait: seconds above 0, finite (aiohttp takes 0, a negative
    number or NaN as no timeout at all, and fails deep inside on infinity)."""
    seconds = finite_seconds(value)
    if seconds is None:
        raise ParameterError("timeout", value, "expected a finite number of seconds > 0")
    return seconds


def _check_deadline(value: object) -> float | None:
    if value is None:
        return None
    if not is_seconds(value):
        raise ParameterError("deadline", value, "expected seconds > 0, or None")
    return float(value)


def _check_settings(
    *,
    connector_limit: object,
    connector_limit_per_host: object,
    proxy: object,
    user_agent: object,
    session: object,
    backoff: object,
    clock: object,
) -> None:
    """Refuse client settings that would fail deep inside on the first call, or (a negative
    connection limit) make every call wait for a connection until it times out."""
    for name, limit in (
        ("connector_limit", connector_limit),
        ("connector_limit_per_host", connector_limit_per_host),
    ):
        if limit is None:  # no limit, as aiohttp takes it (and documented it)
            continue
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise ValueError(f"{name} must be an int, 0 or more (0: no limit) (got {limit!r})")
    if proxy is not None and not isinstance(proxy, (str, URL)):  # it can hold a password
        raise ValueError(
            f"proxy must be a URL (str or yarl.URL) or None, not {type(proxy).__name__}"
        )
    # (An empty user_agent, like None, sends the SDK's own.)
    if user_agent is not None and (not isinstance(user_agent, str) or _CONTROL.search(user_agent)):
        raise ValueError(
            f"user_agent must be a str without line breaks, or None (got {user_agent!r})"
        )
    if session is not None and not isinstance(session, aiohttp.ClientSession):
        raise TypeError(
            f"session must be an aiohttp.ClientSession or None, not {type(session).__name__}"
        )
    if backoff is not None and not isinstance(backoff, Backoff):
        raise TypeError(f"backoff must be a Backoff or None, not {type(backoff).__name__}")
    if clock is not None and not isinstance(clock, Clock):
        raise TypeError(
            f"clock must be a Clock (now() and async sleep()) or None, not {type(clock).__name__}"
        )


ResponseSpec = type[Model] | ListOf[Any] | type[bytes] | None


@dataclass(frozen=True)
class Backoff:
    """How long to wait between attempts.

    Before retry ``n`` (1, 2, ...) the client waits ``jitter() * min(cap, base * 2 ** (n - 1))``
    seconds ("full jitter"; ``jitter`` returns a number in [0, 1), default :func:`random.random`;
    pass a seeded ``random.Random(1).random`` for repeatable waits). A 429 waits Billecta's
    ``Retry-After`` instead, and is not retried if that is more than ``max_retry_after`` seconds.
    """

    base: float = 0.5
    cap: float = 8.0
    max_retry_after: float = 60.0
    jitter: Callable[[], float] = random.random

    def __post_init__(self) -> None:
        for name in ("base", "cap", "max_retry_after"):
            value = getattr(self, name)
            if not (
                isinstance(value, (int, float))
                and not isinstance(value, bool)
                and math.isfinite(value)
                and value >= 0
            ):
                raise ValueError(f"Backoff {name} must be a number >= 0 (got {value!r})")
        if not callable(self.jitter):  # else it would fail only at the first retry
            raise TypeError(
                "Backoff jitter must be a callable returning a number in [0, 1) "
                f"(got {self.jitter!r})"
            )

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first retry)."""
        return self.jitter() * min(self.cap, self.base * 2.0 ** (retry - 1))


class _ClientClosed(RuntimeError):
    """The client was closed (raised as a plain ``RuntimeError`` to the caller)."""


class Call:
    """One API call: what each of its attempts sends, and what the attempts so far showed.

    ``path`` is the path template (rate-limit key, log line and errors); ``url`` is the filled
    URL, never shown; ``started`` is when the call began on the clock (only kept when it has a
    ``deadline``). ``maybe_processed`` becomes true once an attempt may have reached Billecta
    without a clear refusal (a 403 on a later attempt then means the call was already
    processed), or an answer below 300 arrived; ``not_sent`` says whether the last attempt
    certainly never left the client. ``header_timeout`` (streams only) bounds the wait for the
    answer's headers.
    """

    __slots__ = (
        "attempt",
        "data",
        "deadline",
        "generated_id",
        "header_timeout",
        "headers",
        "key",
        "max_retries",
        "maybe_processed",
        "method",
        "not_sent",
        "path",
        "started",
        "timeout",
        "unique_id",
        "url",
    )

    def __init__(
        self,
        method: str,
        path: str,
        url: URL,
        data: bytes | None,
        headers: dict[str, str],
        timeout: aiohttp.ClientTimeout,
        unique_id: str | None,
        generated_id: bool,
        max_retries: int,
        deadline: float | None,
        started: float,
    ) -> None:
        self.method = method
        self.path = path
        self.key = f"{method} {path}"
        self.url = url
        self.data = data
        self.headers = headers
        self.timeout = timeout
        self.unique_id = unique_id
        self.generated_id = generated_id
        self.max_retries = max_retries
        self.deadline = deadline
        self.started = started
        self.attempt = 0
        self.maybe_processed = False
        self.not_sent = False
        self.header_timeout: float | None = None


class Transport:
    """Sends requests to Billecta and turns answers into models or typed errors."""

    def __init__(
        self,
        *,
        auth: Auth,
        base_url: str,
        format: Format,
        session: aiohttp.ClientSession | None,
        timeout: aiohttp.ClientTimeout,
        connector_limit: int,
        connector_limit_per_host: int,
        proxy: str | URL | None,
        ssl_context: ssl.SSLContext | None,
        user_agent: str | None,
        clock: Clock | None = None,
        rate_limiter: RateLimiter | None = None,
        error_budget: ErrorBudget | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        backoff: Backoff | None = None,
        allow_insecure_tls: bool = False,
        read_timeout: float | None = DEFAULT_READ_TIMEOUT,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> None:
        if format not in _CONTENT_TYPES:
            raise ValueError(f"format must be 'json' or 'xml', not {format!r}")
        _check_settings(
            connector_limit=connector_limit,
            connector_limit_per_host=connector_limit_per_host,
            proxy=proxy,
            user_agent=user_agent,
            session=session,
            backoff=backoff,
            clock=clock,
        )
        if not isinstance(base_url, str):  # (the client takes a yarl.URL as its text)
            raise ValueError(f"base_url must be an http(s) URL, not {base_url!r}")
        url = URL(base_url)
        if url.user is not None or url.password is not None:  # (the URL is not shown)
            raise ValueError(
                "base_url must not hold a user name or password: give the credentials as "
                "secure_token, or username and password"
            )
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an http(s) URL, not {base_url!r}")
        if url.raw_query_string or url.raw_fragment or "?" in base_url or "#" in base_url:
            raise ValueError(
                f"base_url must not have a query or fragment (got {base_url!r}): every "
                "call's path is appended to it"
            )
        self.base_url = str(url).rstrip("/")
        self.format: Format = format
        # A request body (a model, or a list with its ListOf) in the client's format.
        self.encode_body: Callable[[Model | Sequence[Any], ListOf[Any] | None], bytes] = (
            to_json if format == "json" else to_xml
        )
        self._auth = auth
        self._session = session
        self._owns_session = session is None
        self._timeout = timeout
        self._connector_limit = connector_limit
        self._connector_limit_per_host = connector_limit_per_host
        self._proxy: str | URL | None = proxy
        self._proxy_auth: aiohttp.BasicAuth | None = None
        self._ssl: ssl.SSLContext | None = (
            tls_context(ssl_context, allow_insecure_tls=allow_insecure_tls, base_url=str(url))
            if url.scheme == "https"
            else None
        )
        self._ssl_param: ssl.SSLContext | bool = self._ssl if self._ssl is not None else True
        # Every call's headers start as a copy of one of these.
        media_type = _CONTENT_TYPES[format]
        self._headers = {
            "Accept": media_type,
            "Authorization": auth.header(),
            "User-Agent": user_agent or _user_agent(),
        }
        self._body_headers = {**self._headers, "Content-Type": f"{media_type}; charset=utf-8"}
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.rate_limiter: RateLimiter = rate_limiter if rate_limiter is not None else _NoLimits()
        self.error_budget: ErrorBudget = error_budget if error_budget is not None else _NoBudget()
        # The in-memory limiter and budget (and none) answer without waiting for anything but a
        # slot: each attempt asks them directly instead of awaiting their protocol methods.
        limiter, budget = self.rate_limiter, self.error_budget
        self._local_limiter: InMemoryRateLimiter | _NoLimits | None = (
            limiter if type(limiter) is InMemoryRateLimiter or type(limiter) is _NoLimits else None
        )
        self._local_budget: InMemoryErrorBudget | _NoBudget | None = (
            budget if type(budget) is InMemoryErrorBudget or type(budget) is _NoBudget else None
        )
        try:
            self.max_retries = _check_max_retries(max_retries)
        except ParameterError as exc:
            raise ValueError(
                f"max_retries must be an int, 0 or more (got {max_retries!r})"
            ) from exc
        try:
            self.deadline = _check_deadline(deadline)
        except ParameterError as exc:
            raise ValueError(f"deadline must be seconds > 0 or None (got {deadline!r})") from exc
        self.backoff = backoff if backoff is not None else Backoff()
        if read_timeout is not None and not is_seconds(read_timeout):
            raise ValueError(f"read_timeout must be seconds > 0 or None (got {read_timeout!r})")
        self.read_timeout = None if read_timeout is None else float(read_timeout)
        if (
            not isinstance(max_response_size, int)
            or isinstance(max_response_size, bool)
            or max_response_size < 1
        ):
            raise ValueError(
                f"max_response_size must be a number of bytes > 0 (got {max_response_size!r})"
            )
        self.max_response_size = max_response_size
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop of the first call
        # :meth:`prepare` and a plan's own preparation in one step, in C, for a call without
        # request options (None without the extension, or with a deadline, whose calls need
        # the clock): see ``Resource._send``.
        self.prepare_fast: Callable[[tuple[Any, ...], tuple[Any, ...]], Call | None] | None = (
            _native.CallPreparer(
                Call,
                self.base_url,
                URL,
                self._headers,
                self._body_headers,
                self._timeout,
                self.max_retries,
                self.encode_body,
                new_call_id,
                quote,
            )
            if _native.CallPreparer is not None and self.deadline is None
            else None
        )

    # -- session lifecycle -----------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise _ClientClosed("this BillectaClient is closed")
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._connector_limit or 0,
                limit_per_host=self._connector_limit_per_host or 0,
                ssl=self._ssl_param,
            )
            if self._proxy is None:
                # HTTP(S)_PROXY / NO_PROXY, read once here: a session with trust_env=True would
                # look them (and ~/.netrc) up again in a thread on every request.
                with contextlib.suppress(LookupError):
                    self._proxy, self._proxy_auth = get_env_proxy_for_url(URL(self.base_url))
            session = aiohttp.ClientSession(connector=connector, timeout=self._timeout)
            if hasattr(session, "_retry_connection"):
                # The client makes every retry itself, knowing which attempts may have reached
                # Billecta; aiohttp would resend a PUT or DELETE once, unseen, when a pooled
                # connection fails (and a 403 for the repeat would look like a plain refusal).
                session._retry_connection = False
            self._session = session
        return self._session

    def check_loop(self) -> None:
        """Bind the client to the running event loop on its first call; refuse any other loop.

        aiohttp's connections belong to the loop that opened them: on another loop (a second
        ``asyncio.run``, a loop in another thread) they fail with a bare ``RuntimeError`` from
        deep inside, or hang.
        """
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        if self._loop is None:
            self._loop = loop
            return
        raise RuntimeError(
            "this BillectaClient was opened on another event loop "
            f"({'now closed' if self._loop.is_closed() else 'still open'}), and its connections "
            "cannot be used from this one: create one client per event loop, inside the "
            "coroutine that the loop runs (e.g. `async with BillectaClient(...) as client:` in "
            "the function you pass to asyncio.run), and close it there"
        )

    async def aclose(self) -> None:
        """Close the session the client created (a session passed in is left open).

        From another event loop than the one the client was used on, its connections cannot be
        closed cleanly: a warning is logged, and if that loop is closed the session is marked
        closed (its sockets are left to the garbage collector).
        """
        self._closed = True
        session, self._session = self._session, None
        if session is None or not self._owns_session or session.closed:
            return
        if self._loop is None or self._loop is asyncio.get_running_loop():
            await session.close()
            return
        log.warning(
            "BillectaClient.aclose() was called on another event loop than the one the client "
            "was used on: its connections cannot be closed cleanly from here (close a client on "
            "the loop that uses it)"
        )
        if self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                await session.close()

    def unclosed_session(self) -> bool:
        """True when the client owns an open session (used to warn on garbage collection)."""
        return self._owns_session and self._session is not None and not self._session.closed

    # -- requests --------------------------------------------------------------------------

    def _add_headers(self, headers: dict[str, str], extra: Mapping[str, str]) -> None:
        """The caller's extra headers (a ``UniqueApiCallId`` among them is checked); names
        and values aiohttp would refuse deep inside (or send, earning a 400) are refused here.
        A value is never shown, only its type: it may be a credential."""
        if not isinstance(extra, Mapping):
            raise ParameterError(
                "headers", _Shown(type(extra).__name__), "expected a mapping of names to strings"
            )
        for key, value in extra.items():
            if not isinstance(key, str) or not _TOKEN.fullmatch(key):
                raise ParameterError(
                    "headers",
                    key,
                    "expected header names made of letters, digits and !#$%&'*+-.^_`|~",
                )
            if not isinstance(value, str):
                raise ParameterError(
                    f"headers[{key!r}]", _Shown(type(value).__name__), "expected a string"
                )
            if _CONTROL.search(value):
                raise ParameterError(
                    f"headers[{key!r}]",
                    _Shown("str with a line break"),
                    "expected a string without line breaks or other control characters",
                )
            lowered = key.lower()
            if lowered == "authorization":
                raise ParameterError("headers", key, "Authorization is set by the client")
            if lowered == "uniqueapicallid":
                key, value = "UniqueApiCallId", check_unique_api_call_id(value)
            headers[key] = value

    def prepare(
        self,
        method: str,
        path: str,
        target: str,
        body: Model | Sequence[Any] | None = None,
        body_model: ListOf[Any] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> Call:
        """Check the options and build everything the attempts of one call send.

        ``path`` is the path *template* (``/v1/invoice/action/{id}``): rate limits match on it,
        and logs and errors show it instead of ``target``, the path filled in and the query
        string, percent-encoded (see :class:`~billecta_async._resource.Resource`). A call other
        than GET without a ``UniqueApiCallId`` gets a generated one, the same on every attempt
        (retries can then resend it, and an error can tell the caller how to resume it, retries
        on or off).
        """
        max_retries = self.max_retries
        deadline = self.deadline
        timeout = self._timeout
        unique_id = None
        if options:
            unknown = options.keys() - _OPTION_NAMES
            if unknown:
                raise TypeError(f"unexpected request options: {', '.join(sorted(unknown))}")
            max_retries = _check_max_retries(options.get("max_retries", max_retries))
            deadline = _check_deadline(options.get("deadline", deadline))
            if options.get("timeout") is not None:
                timeout = aiohttp.ClientTimeout(total=check_timeout(options["timeout"]))
            if options.get("unique_api_call_id") is not None:
                unique_id = check_unique_api_call_id(options["unique_api_call_id"])
        url = URL(self.base_url + target, encoded=True)
        if body is None:
            data = None
            headers = self._headers
        else:
            data = self.encode_body(body, body_model)
            headers = self._body_headers
        generated = unique_id is None and method != "GET"
        if generated:
            unique_id = new_call_id()
        extra = options.get("headers") if options else None
        if unique_id is not None or extra:
            headers = headers.copy()  # this call's own (a GET without extras shares them)
            if unique_id is not None:
                headers["UniqueApiCallId"] = unique_id
            if extra:
                self._add_headers(headers, extra)
                if headers.get("UniqueApiCallId") != unique_id:  # the caller sent their own
                    unique_id, generated = headers["UniqueApiCallId"], False
        return Call(
            method,
            path,
            url,
            data,
            headers,
            timeout,
            unique_id,
            generated,
            max_retries,
            deadline,
            self.clock.now() if deadline is not None else 0.0,
        )

    async def send(self, call: Call, response: ResponseSpec = None, *, stream: bool = False) -> Any:
        """Run the attempts of ``call`` until one succeeds or no retry is allowed; give the
        successful (status below 300) answer's body decoded as ``response`` says: a model
        class, a ``ListOf`` (gives a list), ``bytes`` (the raw body) or ``None`` (no body
        expected).

        With ``stream`` the body is not read: the answer is given open, and the caller must
        ``release()`` it. Retried: a connection that failed before anything was sent; 429 after
        its Retry-After; a GET, or a call carrying a ``UniqueApiCallId``, after a timeout, a
        dropped connection, a truncated body or a 5xx. Between attempts the client waits a
        jittered exponential backoff on the clock. Retries stop at ``max_retries``, at the
        ``deadline`` and when the error budget gets low.

        The error that ends the call carries what its attempts showed (see :meth:`failed`). A
        cancelled call cannot raise one: when an attempt of a call with a ``UniqueApiCallId``
        may have reached Billecta, a warning with the id is logged.
        """
        self.check_loop()
        previous: BillectaError | None = None  # the failure of the attempt before
        try:
            while True:
                call.attempt += 1
                try:
                    if call.deadline is None:
                        answer, raw = await self.attempt(call, stream)
                    else:
                        answer, raw = await self._attempt_within_deadline(call, stream)
                    if stream:
                        return answer
                    content_type = answer.headers.get(hdrs.CONTENT_TYPE, "")
                    return self.decode_response(raw, content_type, response)
                except (TransportError, ServerError, RateLimitedError) as exc:
                    try:
                        delay = await self._retry_delay(call, exc)
                    except BillectaError as held:  # the error budget's store failed
                        self.failed(call, held, exc)
                        raise
                    if delay is None:
                        self.failed(call, exc, previous)
                        raise
                    log.info(
                        "%s %s: retrying in %.0f ms (attempt %d failed: %s)",
                        call.method,
                        call.path,
                        delay * 1000,
                        call.attempt,
                        type(exc).__name__,
                    )
                    previous = exc
                except BillectaError as exc:
                    self.failed(call, exc, previous)
                    raise
                except _ClientClosed:
                    if previous is None:
                        raise
                    call.attempt -= 1  # closed before this retry was sent
                    delay = None
                # Closed while waiting to retry (or for the retry's slot): the attempt before
                # tells the truth about the call, "closed" would not. (Not raised in the except
                # block: nothing to chain to.)
                if delay is not None:
                    await self.clock.sleep(delay)
                if self._closed and previous is not None:
                    self.failed(call, previous)
                    raise previous
        except asyncio.CancelledError:
            if call.maybe_processed and call.unique_id is not None:  # a GET only reads
                log.warning(
                    "%s %s: cancelled after attempt %d may have reached Billecta; to resume "
                    "safely, call again with unique_api_call_id=%r",
                    call.method,
                    call.path,
                    call.attempt,
                    call.unique_id,
                    extra={
                        "billecta_method": call.method,
                        "billecta_path": call.path,
                        "billecta_attempt": call.attempt,
                        "billecta_unique_api_call_id": call.unique_id,
                    },
                )
            raise

    def failed(
        self, call: Call, error: BillectaError, previous: BillectaError | None = None
    ) -> None:
        """Make ``error``, about to leave ``call``, tell the truth and nothing more.

        It gets the call's ``unique_api_call_id``, the number of attempts made and whether any
        may have reached Billecta (its message is reworded to say so and how to resume). An
        error budget refusal or a passed deadline, which say nothing of the attempt before,
        get that attempt's failure as ``__cause__``. The whole chain is scrubbed: no
        filled-in path, query or credentials.
        """
        attempts = call.attempt
        if isinstance(error, ErrorBudgetExhaustedError):
            attempts -= 1  # held back before it was sent
        if (
            previous is not None
            and error.__cause__ is None
            and isinstance(error, (ErrorBudgetExhaustedError, RequestTimeoutError))
        ):
            error.__cause__ = previous
        error.record_call(
            method=call.method,
            path=call.path,
            unique_api_call_id=call.unique_id,
            attempts=attempts,
            maybe_processed=call.maybe_processed,
        )
        scrub_chain(error, self._redactions(call))

    def _redactions(self, call: Call) -> list[tuple[str, str]]:
        """What an exception's text must not show, with what to show instead, longest first."""
        url = call.url
        template = call.path
        pairs = [
            (str(url), self.base_url + template),
            (url.human_repr(), self.base_url + template),
            (url.raw_path_qs, template),
            (url.path_qs, template),
            (url.raw_path, template),
            (url.path, template),
            (url.raw_query_string, "<query>"),
            (url.query_string, "<query>"),
        ]
        credentials = self._headers["Authorization"]
        pairs.append((credentials, "<credentials>"))
        pairs.append((credentials.partition(" ")[2], "<credentials>"))
        pairs = [(secret, shown) for secret, shown in pairs if secret and secret != shown]
        return sorted(pairs, key=lambda pair: -len(pair[0]))

    async def attempt(
        self, call: Call, stream: bool = False
    ) -> tuple[aiohttp.ClientResponse, bytes]:
        """One attempt of ``call``: error budget, rate-limit slot, send, read the answer, log.

        Gives an answer with status below 300 and its body (with ``stream``: the answer still
        open and ``b""``); raises the typed error of an error status or a failed exchange,
        including a failure while reading the body. Records on ``call`` whether the request may
        have reached Billecta. An answer is read up to ``max_response_size`` (an error answer up
        to ``ERROR_BODY_LIMIT``, the rest left unread).
        """
        local_budget = self._local_budget
        if local_budget is not None:
            local_budget.refuse_if_exhausted(call.method, call.path)
        else:
            await self.error_budget.check(call.method, call.path)
        local_limiter = self._local_limiter
        if local_limiter is not None and not local_limiter.applies_to(call.key):
            permit: Permit = NO_PERMIT  # the same as awaiting acquire(), without the await
        else:
            permit = await self.rate_limiter.acquire(call.key)
        admission: Admission | None = None  # a budget's other than the local one
        sent = done = False
        status = 0
        failure = ""  # what went wrong when no status explains it
        logged = log.isEnabledFor(logging.INFO)  # (asked once: only a logged line needs start)
        start = self.clock.now() if logged else 0.0
        try:
            if local_budget is None:
                admission = await self.error_budget.admit(call.method, call.path)
            elif permit is not NO_PERMIT:  # errors may have come in while waiting for the slot
                local_budget.refuse_if_exhausted(call.method, call.path)
            session = self._session if self._session is not None else self._get_session()
            sent = True
            request = session.request(
                call.method,
                call.url,
                data=call.data,
                headers=call.headers,
                timeout=call.timeout,
                proxy=self._proxy,
                proxy_auth=self._proxy_auth,
                ssl=self._ssl_param,
                allow_redirects=False,
            )
            if call.header_timeout is None:
                answer = await request
            else:
                with anyio.fail_after(call.header_timeout):
                    answer = await request
            if permit is not NO_PERMIT:  # the request arrived: hold the slot a window from now
                await permit.complete()
            done = True
            status = answer.status
            if status >= 300:  # an error, or a redirect (not followed: nothing was done)
                try:
                    error_body = await _read_error_body(answer)
                finally:
                    _release(answer)
                call.maybe_processed = call.maybe_processed or status >= 500
                raise self._status_error(call, answer, error_body)
            call.maybe_processed = True  # Billecta answered: it acted
            if stream:
                return answer, b""
            try:
                raw = await _read_body(answer, self.max_response_size)
            finally:
                _release(answer)
            if raw is None:
                failure = "ResponseTooLargeError"
                raise ResponseTooLargeError(
                    method=call.method, path=call.path, status=status, limit=self.max_response_size
                )
            return answer, raw
        except (asyncio.TimeoutError, TimeoutError) as exc:
            failure = type(exc).__name__
            if isinstance(exc, _NOT_SENT_TIMEOUTS):
                sent = False
            else:
                call.maybe_processed = True
            raise RequestTimeoutError(
                "no answer within the timeout" if not status else "timed out reading the answer",
                method=call.method,
                path=call.path,
            ) from underlying(exc, self._redactions(call))
        except aiohttp.ClientError as exc:
            failure = type(exc).__name__
            cause = underlying(exc, self._redactions(call))
            if isinstance(exc, aiohttp.ClientSSLError):  # during the handshake: nothing sent
                sent = False
                raise TLSError(str(cause), method=call.method, path=call.path) from cause
            if isinstance(exc, (aiohttp.ClientConnectorError, aiohttp.ClientHttpProxyError)):
                sent = False  # no connection, or the proxy refused the tunnel (CONNECT)
            else:
                call.maybe_processed = True
            reason = str(cause)
            if self._closed:  # the session closed under the request, not the server
                reason = f"the client was closed during the attempt ({reason})"
            raise TransportError(reason, method=call.method, path=call.path) from cause
        except asyncio.CancelledError:
            failure = "cancelled"
            call.maybe_processed = call.maybe_processed or sent
            raise
        except BaseException as exc:
            if not status:  # an error status speaks for itself
                failure = type(exc).__name__
            raise
        finally:
            call.not_sent = not sent
            if local_budget is not None:
                if status >= 400:  # only an error answer can count
                    local_budget.record(status)
            elif admission is not None:
                await admission.record(status or None)
            if not done and permit is not NO_PERMIT:
                if sent:
                    await permit.complete()
                else:
                    await permit.release()
            if logged:
                if failure or status >= 300:
                    self._log_attempt(logging.INFO, call, status, failure, start)
                elif log.isEnabledFor(logging.DEBUG):
                    self._log_attempt(logging.DEBUG, call, status, failure, start)

    async def _attempt_within_deadline(
        self, call: Call, stream: bool
    ) -> tuple[aiohttp.ClientResponse, bytes]:
        """:meth:`attempt`, cancelled when the call's deadline passes on the clock."""
        assert call.deadline is not None
        remaining = call.started + call.deadline - self.clock.now()
        if remaining <= 0:
            call.attempt -= 1  # never started
            raise RequestTimeoutError(
                f"deadline of {call.deadline:g} s passed", method=call.method, path=call.path
            )
        task = asyncio.ensure_future(self.attempt(call, stream))
        timer = asyncio.ensure_future(self.clock.sleep(remaining))
        try:
            await asyncio.wait((task, timer), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pending in (task, timer):
                if not pending.done():
                    pending.cancel()
            await asyncio.gather(task, timer, return_exceptions=True)
        if task.cancelled():
            raise RequestTimeoutError(
                f"deadline of {call.deadline:g} s passed", method=call.method, path=call.path
            )
        return task.result()

    async def _retry_delay(self, call: Call, exc: BillectaError) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` to give up with ``exc``."""
        if call.attempt > call.max_retries or isinstance(exc, TLSError) or self._closed:
            # out of retries, a certificate a retry will not change, or the client was closed
            # (the attempt's failure tells the truth about the call; "closed" would not)
            return None
        backoff = self.backoff
        if isinstance(exc, RateLimitedError):
            delay = exc.retry_after if exc.retry_after is not None else backoff.delay(call.attempt)
            if delay > backoff.max_retry_after:
                return None
        elif call.not_sent or call.method == "GET" or call.unique_id is not None:
            delay = backoff.delay(call.attempt)
        else:  # it may have been processed, and a resend could not be recognised as a repeat
            return None
        if call.deadline is not None and (self.clock.now() + delay >= call.started + call.deadline):
            return None
        if not await self.error_budget.allows_retry():
            log.info(
                "%s %s: not retrying, the error budget is low (attempt %d failed: %s)",
                call.method,
                call.path,
                call.attempt,
                type(exc).__name__,
            )
            return None
        return delay

    def _status_error(
        self, call: Call, answer: aiohttp.ClientResponse, raw: bytes
    ) -> APIStatusError:
        """The typed error of an error answer; the call's filled-in path, query and credentials,
        should the answer echo them (a proxy's error page quoting the URL), are replaced."""
        redact = [(secret.encode(), shown.encode()) for secret, shown in self._redactions(call)]
        for secret, shown in redact:
            raw = raw.replace(secret, shown)
        raw_headers = answer.raw_headers
        if any(secret in value for _, value in raw_headers for secret, _ in redact):
            scrubbed = []
            for name, value in raw_headers:
                for secret, shown in redact:
                    value = value.replace(secret, shown)
                scrubbed.append((name, value))
            raw_headers = tuple(scrubbed)
        return error_from_response(
            status=answer.status,
            headers=answer.headers,
            raw_headers=raw_headers,
            body=raw,
            method=call.method,
            path=call.path,
            unique_api_call_id=call.unique_id,
            generated_id=call.generated_id,
            already_processed_attempts=call.attempt if call.maybe_processed else None,
        )

    def _log_attempt(self, level: int, call: Call, status: int, failure: str, start: float) -> None:
        """One line per attempt: never the filled-in path, query, headers or bodies."""
        outcome = f"{status} {failure}" if status and failure else failure or str(status)
        log.log(
            level,
            "%s %s -> %s in %.1f ms (attempt %d/%d%s)",
            call.method,
            call.path,
            outcome,
            (self.clock.now() - start) * 1000,
            call.attempt,
            call.max_retries + 1,
            f", UniqueApiCallId {call.unique_id}" if call.unique_id else "",
            extra={
                "billecta_method": call.method,
                "billecta_path": call.path,
                "billecta_status": status or None,
                "billecta_error": failure or None,
                "billecta_attempt": call.attempt,
                "billecta_unique_api_call_id": call.unique_id,
            },
        )

    def decode_response(self, raw: bytes, content_type: str, response: ResponseSpec) -> Any:
        """``raw`` decoded as ``response`` says, in the format its ``content_type`` names (else
        the client's)."""
        if response is None:
            return None
        if response is bytes:
            return raw
        if not raw or raw.isspace():
            raise DecodeError(
                f"empty response body, expected {_spec_name(response)}", has_value=False
            )
        fmt = _format_of(content_type) or self.format
        model: Any = response
        if fmt == "json":
            return from_json(raw, model)
        return from_xml(raw, model)

    @contextlib.asynccontextmanager
    async def stream(
        self,
        method: str,
        path: str,
        target: str,
        *,
        body: Model | Sequence[Any] | None = None,
        body_model: ListOf[Any] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[ByteStream]:
        """Send one call and give its binary answer as a :class:`ByteStream`, read as it
        arrives (``async with transport.stream(...) as stream``).

        Built and sent like any call (rate limits, error budget, logging, and retries
        until the answer's headers arrive), except that the body is not read: an error status is
        raised on entering the block, and the connection stays open until the block is left.
        Once the block has the stream nothing is retried (a failure while reading raises from
        the :class:`ByteStream`), and the attempt is logged when the headers arrive.

        Time: the answer's headers must arrive within the call's ``timeout`` (the client's total
        timeout by default), else :class:`RequestTimeoutError`; then the body may take as long
        as it needs in total, but no gap between two pieces of it may be longer than the
        client's ``read_timeout``. ``deadline`` does not apply to streams, and neither does
        ``max_response_size``: a body is held a chunk at a time.
        """
        call = self.prepare(method, path, target, body, body_model, options)
        call.header_timeout = call.timeout.total  # the call's timeout, or the client's total
        call.timeout = aiohttp.ClientTimeout(
            total=None,
            connect=self._timeout.connect,
            sock_connect=self._timeout.sock_connect,
            sock_read=self._timeout.sock_read,
        )
        call.deadline = None
        answer = await self.send(call, stream=True)
        stream = ByteStream(
            answer,
            method=method,
            path=path,
            read_timeout=self.read_timeout,
            failed=functools.partial(self.failed, call),
        )
        try:
            yield stream
        finally:
            stream._leave()
            _release(answer)


def _read_body(answer: aiohttp.ClientResponse, limit: int) -> Awaitable[bytes | None]:
    """The answer's body, or ``None`` if it is longer than ``limit`` bytes after decompression.

    A body with a ``Content-Length`` within the limit and no ``Content-Encoding`` is read in one
    go (it cannot be longer). Any other is counted as it arrives, and reading stops as soon as
    it passes the limit: at most ``limit`` bytes and one piece are held (aiohttp decompresses a
    bounded piece at a time). (Not a coroutine of its own: one frame less on most answers.)
    """
    length = answer.content_length
    if length is not None and length <= limit and hdrs.CONTENT_ENCODING not in answer.headers:
        return answer.read()
    return _read_counted(answer, limit)


async def _read_counted(answer: aiohttp.ClientResponse, limit: int) -> bytes | None:
    """:func:`_read_body` of an answer that may be longer than ``limit``: counted as it
    arrives."""
    pieces: list[bytes] = []
    size = 0
    content = answer.content
    while True:
        piece = await content.readany()
        if not piece:
            return b"".join(pieces)
        size += len(piece)
        if size > limit:
            return None
        pieces.append(piece)


async def _read_error_body(answer: aiohttp.ClientResponse) -> bytes:
    """The first ``ERROR_BODY_LIMIT`` bytes of an error answer's body (the rest is not read)."""
    pieces: list[bytes] = []
    size = 0
    content = answer.content
    while size < ERROR_BODY_LIMIT:
        piece = await content.readany()
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces)[:ERROR_BODY_LIMIT]


def _release(answer: aiohttp.ClientResponse) -> None:
    """Give the connection back to the pool, or close it if its body was left unread (it
    cannot be reused mid-body)."""
    if not answer.content.at_eof():
        answer.close()
    answer.release()


class _NoLimits:
    def applies_to(self, key: str) -> bool:
        return False

    async def acquire(self, key: str) -> NoPermit:
        return NO_PERMIT


class _NoBudget:
    def refuse_if_exhausted(self, method: str, path: str) -> None:
        pass

    def record(self, status: int) -> None:
        pass

    async def check(self, method: str, path: str) -> None:
        pass

    async def admit(self, method: str, path: str) -> NoAdmission:
        return NO_ADMISSION

    async def allows_retry(self) -> bool:
        return True


def _spec_name(spec: ResponseSpec) -> str:
    if isinstance(spec, ListOf):
        return spec.wire_name
    return getattr(spec, "__wire_name__", getattr(spec, "__name__", "a body"))


@functools.lru_cache(maxsize=64)  # a server sends a handful of distinct values
def _format_of(content_type: str) -> Format | None:
    """The format a ``Content-Type`` names (``None``: neither JSON nor XML)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind.endswith("json"):
        return "json"
    if kind.endswith("xml"):
        return "xml"
    return None


# -- errors --------------------------------------------------------------------------------

_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    429: RateLimitedError,
}


def _header_latin1(raw_headers: Sequence[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in raw_headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


_BOM = b"\xef\xbb\xbf"


def _error_fields(body: bytes) -> dict[str, str | None] | None:
    """Message, ExternalErrorCode and RequestContent from a Billecta error body (JSON or XML,
    a UTF-8 byte order mark before it allowed)."""
    text = body.strip()
    if text.startswith(_BOM):
        text = text[len(_BOM) :].lstrip()
    if not text:
        return None
    keys = ("Message", "ExternalErrorCode", "RequestContent")
    if text[:1] in (b"{", b"["):
        try:
            doc = orjson.loads(text)
        except orjson.JSONDecodeError:
            return None
        if isinstance(doc, dict) and "Message" in doc:
            return {k: None if doc.get(k) is None else str(doc.get(k)) for k in keys}
        return None
    if text[:1] == b"<":
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            root = etree.fromstring(text, parser)
        except etree.XMLSyntaxError:
            return None
        found = {child.tag: child.text for child in root if isinstance(child.tag, str)}
        if "Message" in found:
            return {k: found.get(k) for k in keys}
    return None


_EXCERPT = 200
_CUT_DIGITS = re.compile(r"[\d+-]+\Z")


def _body_excerpt(body: bytes) -> str:
    """The start of an error body that is not Billecta's. A run of digits the cut ends in is
    left out: it could be a personal identity number cut short, which masking would no longer
    recognise (19800113-92)."""
    text = body[:_EXCERPT].decode("utf-8-sig", "replace")
    if len(body) > _EXCERPT:
        text = _CUT_DIGITS.sub("", text)
    return text.strip() or "<empty body>"


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # "-0000": UTC, the sender's local time unknown (RFC 5322)
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())


def error_from_response(
    *,
    status: int,
    headers: Mapping[str, str],
    raw_headers: Sequence[tuple[bytes, bytes]],
    body: bytes,
    method: str,
    path: str,
    unique_api_call_id: str | None,
    generated_id: bool = False,
    already_processed_attempts: int | None = None,
) -> APIStatusError:
    """The typed error for an error answer, with what Billecta said in body and header.

    A 403 on a call with a ``UniqueApiCallId`` is a :class:`DuplicateRequestError`, or an
    :class:`AlreadyProcessedError` when ``already_processed_attempts`` is given (an earlier
    attempt of the same call may have been processed), or a plain :class:`ForbiddenError` when
    the client generated the id for this call and nothing was sent with it before.
    """
    fields = _error_fields(body)
    excerpt = None
    if fields is None:
        excerpt = _body_excerpt(body)
    kwargs: dict[str, Any] = {
        "status": status,
        "method": method,
        "path": path,
        "message": fields["Message"] if fields else None,
        "external_error_code": fields["ExternalErrorCode"] if fields else None,
        "request_content": fields["RequestContent"] if fields else None,
        "error_message_header": _header_latin1(raw_headers, b"errormessage"),
        "body_excerpt": excerpt,
        "unique_api_call_id": unique_api_call_id,
    }
    if status == 403 and unique_api_call_id is not None:
        if already_processed_attempts is not None:
            return AlreadyProcessedError(attempts=already_processed_attempts, **kwargs)
        if not generated_id:
            return DuplicateRequestError(**kwargs)
    if status == 429:
        return RateLimitedError(retry_after=_retry_after(headers.get("Retry-After")), **kwargs)
    if status >= 500:
        return ServerError(**kwargs)
    cls = _STATUS_ERRORS.get(status, APIStatusError)
    return cls(**kwargs)
