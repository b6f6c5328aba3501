"""Client-side rate limits and the error budget: Billecta's throttling rules, enforced before
sending so that the client never earns a 429 or Billecta's penalty delay.

Rate limits
    Billecta limits a few endpoints on *all* calls (``POST /v1/search/actions``: 30 per 10 s
    and 100 per 60 s; ``GET /v1/invoice/action/{id}`` and
    ``GET /v1/invoice/actionbyinvoicenumber/{id}``: 100 per 10 s and 600 per 60 s).
    :class:`InMemoryRateLimiter` keeps, per endpoint, a sliding window for each limit and grants
    a slot only when every window has room.

    The rule that makes this safe whatever the latency: a slot is *held* from the moment it is
    granted (just before sending) until the answer's status line arrives, and then for one more
    window length. Billecta counts a request when it arrives, which is after it was sent and
    before its answer arrives. Suppose Billecta ever saw ``N + 1`` arrivals within one window
    ``W``; take the one of them that was sent last, at time ``s``. Each of the other ``N`` was
    sent no later than ``s`` and answered at ``r >= its arrival > s - W``, so at ``s`` its slot
    was still held (held until ``r + W > s``): the limiter had ``N`` slots held and would not
    have granted the last one. A request that certainly never left (connection refused) gives
    its slot back at once; one whose fate is unknown (timeout, reset, cancelled) is held for a
    window from when the failure was seen, which is later than any arrival it could have had.

Error budget
    Billecta delays a user after 50 error answers (status >= 400 except 404) within 60 s.
    :class:`InMemoryErrorBudget` counts the client's own error answers in a sliding window;
    retries stop while fewer than ``reserve`` errors are left, and a call is refused with
    :class:`~billecta_async.ErrorBudgetExhaustedError` (before sending) once the window holds
    ``max_errors`` errors.

Both are small async protocols (:class:`RateLimiter` and its :class:`Permit`,
:class:`ErrorBudget` and its :class:`Admission`) with in-memory implementations on an injectable
:class:`~billecta_async.Clock`, so that several clients can share one. Their methods are
coroutines so that an implementation can keep its state elsewhere:
:mod:`billecta_async.redis` shares both between the processes (and hosts) of a fleet signed in
as one Billecta user.
"""

from __future__ import annotations

import asyncio
import bisect
import difflib
import numbers
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from billecta_async._clock import Clock, SystemClock, finite_seconds
from billecta_async._exceptions import ErrorBudgetExhaustedError

__all__ = [
    "BILLECTA_RATE_LIMITS",
    "DEFAULT_ERROR_BUDGET",
    "DEFAULT_RATE_LIMITS",
    "NO_ADMISSION",
    "Admission",
    "ErrorBudget",
    "ErrorBudgetLimits",
    "InMemoryErrorBudget",
    "InMemoryRateLimiter",
    "Limit",
    "NO_PERMIT",
    "NoAdmission",
    "NoPermit",
    "Permit",
    "RateLimiter",
    "RateLimits",
    "counts_as_error",
]


@dataclass(frozen=True)
class Limit:
    """At most ``count`` requests within any ``seconds`` long window."""

    count: int
    seconds: float

    def __post_init__(self) -> None:
        if not _is_int(self.count) or int(self.count) < 1:
            raise ValueError(f"Limit count must be an int, 1 or more (got {self.count!r})")
        if finite_seconds(self.seconds) is None:
            raise ValueError(f"Limit seconds must be a finite number > 0 (got {self.seconds!r})")
        _normalise(self, "count", "seconds")


def _is_int(value: object) -> bool:
    """An int, or an int-like number (``numbers.Integral``: numpy's integers); not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _normalise(limits: object, count: str, seconds: str) -> None:
    """Store an int-like count as an int and other real seconds as a float (the Redis store
    sends them as text: "1/2" or "np.int64(10)" would not read back as numbers)."""
    value = getattr(limits, count)
    if type(value) is not int:
        object.__setattr__(limits, count, int(value))
    value = getattr(limits, seconds)
    if type(value) not in (int, float):
        object.__setattr__(limits, seconds, float(value))


BILLECTA_RATE_LIMITS: Mapping[str, tuple[Limit, ...]] = {
    "POST /v1/search/actions": (Limit(30, 10.0), Limit(100, 60.0)),
    "GET /v1/invoice/action/{id}": (Limit(100, 10.0), Limit(600, 60.0)),
    "GET /v1/invoice/actionbyinvoicenumber/{id}": (Limit(100, 10.0), Limit(600, 60.0)),
}
"""Billecta's documented per-endpoint limits, keyed by ``"METHOD /path/{template}"``."""


@dataclass(frozen=True)
class RateLimits:
    """Which limits the client enforces.

    ``endpoints`` maps ``"METHOD /path/{template}"`` (the path as the SDK writes it, before
    parameters are filled in) to the limits of that endpoint, each endpoint counted on its own
    (default: Billecta's documented limits). ``default`` limits every other call, all of them
    counted together (default: none).
    """

    endpoints: Mapping[str, Sequence[Limit]] = field(default_factory=lambda: BILLECTA_RATE_LIMITS)
    default: Sequence[Limit] = ()

    def __post_init__(self) -> None:
        # Refused here rather than limiting nothing (a key that names no endpoint) or failing
        # when a client is made (a Limit not in a sequence).
        if not isinstance(self.endpoints, Mapping):
            raise TypeError(
                "RateLimits endpoints must be a mapping of 'METHOD /path/{template}' to limits, "
                f"not {type(self.endpoints).__name__}"
            )
        _check_limits("default", self.default)
        if self.endpoints is BILLECTA_RATE_LIMITS:
            return
        from billecta_async._catalogue import catalogue  # (not at import: the client's default)

        known = {f"{op.method} {op.path}" for op in catalogue().operations}
        for key, limits in self.endpoints.items():
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(
                    f"RateLimits endpoints: no endpoint {key!r}{hint}; a key is the method and "
                    "the path template as the SDK writes them, e.g. 'POST /v1/search/actions'"
                )
            _check_limits(f"endpoints[{key!r}]", limits)


def _check_limits(name: str, limits: object) -> None:
    if (
        isinstance(limits, (str, bytes, Limit))
        or not isinstance(limits, Sequence)
        or not all(isinstance(limit, Limit) for limit in limits)
    ):
        raise TypeError(f"RateLimits {name} must be a sequence of Limit (got {limits!r})")


DEFAULT_RATE_LIMITS = RateLimits()
"""Billecta's documented limits and nothing else: the client's default."""


@runtime_checkable
class Permit(Protocol):
    """A granted rate-limit slot. Exactly one of the two methods is called, once.

    Neither raises, and neither should wait: the client calls them while an answer is open or a
    cancellation is under way (a shared limiter writes to its store in the background). A slot
    that could not be given back stays held (a shared limiter frees it when its lease runs out,
    see :mod:`billecta_async.redis`), which only ever errs on the safe side.
    """

    async def release(self) -> None:
        """The request certainly never reached the server: the slot is free again at once."""
        ...

    async def complete(self) -> None:
        """An answer arrived, or the request's fate is unknown: hold the slot one window more."""
        ...


@runtime_checkable
class RateLimiter(Protocol):
    """Grants slots to send a request; shared by every task (and client) using it."""

    async def acquire(self, key: str) -> Permit:
        """Wait until a request ``key`` (``"METHOD /path/{template}"``) may be sent."""
        ...


class NoPermit:
    """The permit of a call no limit applies to."""

    __slots__ = ()

    async def release(self) -> None:
        pass

    async def complete(self) -> None:
        pass


NO_PERMIT = NoPermit()


class _Window:
    """One limit's sliding window: slots in flight, and the expiry times of completed ones."""

    __slots__ = ("count", "expiries", "in_flight", "seconds")

    def __init__(self, limit: Limit) -> None:
        self.count = limit.count
        self.seconds = float(limit.seconds)
        self.in_flight = 0
        self.expiries: deque[float] = deque()  # sorted

    def purge(self, now: float) -> None:
        expiries = self.expiries
        while expiries and expiries[0] <= now:
            expiries.popleft()

    def free_at(self, now: float) -> float:
        """When this window has room if nothing else changes (``now`` if it has room now,
        infinity if only a request in flight could make room)."""
        over = self.in_flight + len(self.expiries) - self.count
        if over < 0:
            return now
        if over >= len(self.expiries):
            return float("inf")
        return self.expiries[over]

    def expire_at(self, moment: float) -> None:
        if not self.expiries or moment >= self.expiries[-1]:
            self.expiries.append(moment)
        else:  # a clock shared with other writers may hand out an earlier moment
            bisect.insort(self.expiries, moment)


class _Bucket:
    """The windows counted together for one endpoint (or for all others), with a FIFO queue."""

    def __init__(self, limits: Sequence[Limit], clock: Clock) -> None:
        self.windows = [_Window(limit) for limit in limits]
        self.clock = clock
        self.lock = asyncio.Lock()  # FIFO: the first waiter waits for room, the rest queue
        self.changed: asyncio.Future[None] | None = None

    def notify(self) -> None:
        if self.changed is not None and not self.changed.done():
            self.changed.set_result(None)

    async def acquire(self) -> _SlotPermit:
        async with self.lock:
            while True:
                now = self.clock.now()
                free_at = now
                for window in self.windows:
                    window.purge(now)
                    free_at = max(free_at, window.free_at(now))
                if free_at <= now:
                    for window in self.windows:
                        window.in_flight += 1
                    return _SlotPermit(self)
                await self._wait(free_at - now)

    async def _wait(self, seconds: float) -> None:
        """Sleep ``seconds`` on the clock, or until a slot is released or completed."""
        changed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.changed = changed
        sleeper = (
            None if seconds == float("inf") else asyncio.ensure_future(self.clock.sleep(seconds))
        )
        try:
            waiting: set[asyncio.Future[None]] = {changed}
            if sleeper is not None:
                waiting.add(sleeper)
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.changed = None
            if sleeper is not None and not sleeper.done():
                sleeper.cancel()
                await asyncio.gather(sleeper, return_exceptions=True)


class _SlotPermit:
    __slots__ = ("_bucket", "_done")

    def __init__(self, bucket: _Bucket) -> None:
        self._bucket = bucket
        self._done = False

    async def release(self) -> None:
        if self._done:
            return
        self._done = True
        for window in self._bucket.windows:
            window.in_flight -= 1
        self._bucket.notify()

    async def complete(self) -> None:
        if self._done:
            return
        self._done = True
        now = self._bucket.clock.now()
        for window in self._bucket.windows:
            window.in_flight -= 1
            window.expire_at(now + window.seconds)
        self._bucket.notify()


class InMemoryRateLimiter:
    """Sliding-window rate limits for the tasks of one process (see the module docstring).

    ``limits`` says which limits apply (default: Billecta's documented ones); ``clock`` is the
    time source (default: real time). Share one instance between clients that share
    credentials.
    """

    def __init__(self, limits: RateLimits | None = None, *, clock: Clock | None = None) -> None:
        self.limits = limits if limits is not None else RateLimits()
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._buckets = {
            key: _Bucket(tuple(value), self.clock)
            for key, value in self.limits.endpoints.items()
            if value
        }
        self._default = (
            _Bucket(tuple(self.limits.default), self.clock) if self.limits.default else None
        )

    def applies_to(self, key: str) -> bool:
        """Whether any limit applies to ``key``: if not, :meth:`acquire` gives
        :data:`NO_PERMIT` at once (and the client does not ask)."""
        return self._default is not None or key in self._buckets

    async def acquire(self, key: str) -> Permit:
        bucket = self._buckets.get(key, self._default)
        if bucket is None:
            return NO_PERMIT
        return await bucket.acquire()

    def __repr__(self) -> str:
        return f"InMemoryRateLimiter({self.limits!r}, clock={self.clock!r})"


# -- error budget ------------------------------------------------------------------------------


def counts_as_error(status: int) -> bool:
    """Whether Billecta counts an answer with ``status`` against the error budget."""
    return status >= 400 and status != 404


@dataclass(frozen=True)
class ErrorBudgetLimits:
    """Billecta's error budget and how much of it retries may use.

    ``max_errors`` error answers within ``window`` seconds are allowed (Billecta: 50 in 60 s);
    the client refuses to send once that many are in the window. Retries stop while fewer than
    ``reserve`` errors are left, keeping those for the caller's own calls.
    """

    max_errors: int = 50
    window: float = 60.0
    reserve: int = 10

    def __post_init__(self) -> None:
        if not _is_int(self.max_errors) or int(self.max_errors) < 1:
            raise ValueError(f"max_errors must be an int, 1 or more (got {self.max_errors!r})")
        if finite_seconds(self.window) is None:
            raise ValueError(f"window must be a finite number > 0 (got {self.window!r})")
        _normalise(self, "max_errors", "window")
        if not _is_int(self.reserve) or not 0 <= int(self.reserve) < self.max_errors:
            raise ValueError(
                f"reserve must be an int, 0 or more and below max_errors (got {self.reserve!r})"
            )
        if type(self.reserve) is not int:
            object.__setattr__(self, "reserve", int(self.reserve))

    def refusal(
        self, method: str, path: str, errors: int, retry_after: float
    ) -> ErrorBudgetExhaustedError:
        """The error that refuses ``method path`` while ``errors`` error answers are in the
        window, the oldest leaving it in ``retry_after`` seconds."""
        return ErrorBudgetExhaustedError(
            method=method,
            path=path,
            errors=errors,
            max_errors=self.max_errors,
            window=self.window,
            retry_after=max(0.0, retry_after),
        )


DEFAULT_ERROR_BUDGET = ErrorBudgetLimits()
"""Billecta's 50 errors per 60 s, 10 of them kept from retries: the client's default."""


@runtime_checkable
class Admission(Protocol):
    """One attempt let through by an :class:`ErrorBudget`; :meth:`record` is called once."""

    async def record(self, status: int | None) -> None:
        """The attempt ended with an answer of ``status`` (only errors, see
        :func:`counts_as_error`, count), or without an answer (``None``). Never raises, and
        should not wait (as :class:`Permit`'s methods)."""
        ...


@runtime_checkable
class ErrorBudget(Protocol):
    """Counts error answers and says whether another attempt may be sent.

    The client asks :meth:`check` before waiting for a rate-limit slot, :meth:`admit` right
    before sending, records each attempt's outcome on the :class:`Admission`, and asks
    :meth:`allows_retry` before retrying.
    """

    async def check(self, method: str, path: str) -> None:
        """Raise :class:`~billecta_async.ErrorBudgetExhaustedError` if no call may be sent (a
        quick look that holds nothing; :meth:`admit` decides)."""
        ...

    async def admit(self, method: str, path: str) -> Admission:
        """Just before an attempt is sent: raise
        :class:`~billecta_async.ErrorBudgetExhaustedError` if no call may be sent, else the
        attempt's :class:`Admission`. A shared budget may count the attempt as a possible error
        until it is recorded, and wait while too many are possible."""
        ...

    async def allows_retry(self) -> bool:
        """Whether a retry may be sent (more than the reserve is left)."""
        ...


class NoAdmission:
    """The admission of a budget that counts nothing."""

    __slots__ = ()

    async def record(self, status: int | None) -> None:
        pass


NO_ADMISSION = NoAdmission()


class InMemoryErrorBudget:
    """A sliding-window count of error answers, for the tasks of one process."""

    def __init__(
        self, limits: ErrorBudgetLimits | None = None, *, clock: Clock | None = None
    ) -> None:
        self.limits = limits if limits is not None else ErrorBudgetLimits()
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._errors: deque[float] = deque()  # arrival times, oldest first

    def errors(self) -> int:
        """Error answers within the last window."""
        horizon = self.clock.now() - self.limits.window
        errors = self._errors
        while errors and errors[0] <= horizon:
            errors.popleft()
        return len(errors)

    def record(self, status: int) -> None:
        """Count an answer with ``status`` (only errors count)."""
        if counts_as_error(status):
            self._errors.append(self.clock.now())

    async def check(self, method: str, path: str) -> None:
        self.refuse_if_exhausted(method, path)

    async def admit(self, method: str, path: str) -> Admission:
        self.refuse_if_exhausted(method, path)
        return _InMemoryAdmission(self)

    def refuse_if_exhausted(self, method: str, path: str) -> None:
        """Raise :class:`~billecta_async.ErrorBudgetExhaustedError` if no call may be sent
        (what :meth:`check` and :meth:`admit` ask). The client asks it directly, and then
        passes the attempt's answer to :meth:`record` itself."""
        if len(self._errors) < self.limits.max_errors:
            return  # not even counting the ones that left the window
        count = self.errors()
        if count >= self.limits.max_errors:
            frees_in = self._errors[0] + self.limits.window - self.clock.now()
            raise self.limits.refusal(method, path, count, frees_in)

    async def allows_retry(self) -> bool:
        return self.errors() < self.limits.max_errors - self.limits.reserve

    def __repr__(self) -> str:
        return f"InMemoryErrorBudget({self.limits!r}, clock={self.clock!r})"


class _InMemoryAdmission:
    __slots__ = ("_budget", "_done")

    def __init__(self, budget: InMemoryErrorBudget) -> None:
        self._budget = budget
        self._done = False

    async def record(self, status: int | None) -> None:
        if self._done:
            return
        self._done = True
        if status is not None:
            self._budget.record(status)
