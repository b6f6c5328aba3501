"""Rate limits, the error budget and webhook deduplication shared through Redis, for a fleet of
processes (workers, pods, hosts) signed in as one Billecta user.

Billecta counts its throttling and its error penalty per API user, not per process, so every
process using the same user must share one count. Install the extra
(``pip install "billecta-async[redis]"``) and give each client the same Redis::

    shared = RedisShared.from_url("redis://localhost:6379/0")
    async with BillectaClient(secure_token=token, shared=shared) as client:
        ...

What is kept, under keys ``{prefix}:{user}:...`` where ``user`` is a keyed SHA-256 of the
client's base URL and credential (the SecureToken, or the username), never the credential:

:class:`RedisRateLimiter`
    :class:`~billecta_async.InMemoryRateLimiter`'s rule, shared: per endpoint, every window of
    each limit at once; a slot is taken by one Lua script (no check-then-act race between
    processes), held from sending until the answer arrives and then for one window. The proof
    in :mod:`billecta_async._limits` that Billecta never sees too many requests holds for the
    fleet, since it rests only on when slots are held, not on where. Each process's slot in
    flight carries a lease that the process renews every third of it; a process that dies
    stops renewing, and its slot is then taken as answered when the lease ran out (held one
    window more, then free), since a request sent before the death arrived before that.
    Waiters line up in Redis first come, first served (one per endpoint and process at a time;
    the others wait in the process), and each sleeps until there is room for it and for every
    waiter before it: no process starves another, and a slow one does not hold up the rest.
:class:`RedisErrorBudget`
    One count of error answers for the fleet. Besides the errors of the last window it counts
    the attempts still in flight, each a possible error: an attempt is let through only while
    ``errors + in flight < max_errors``, so Billecta never sees more than ``max_errors`` error
    answers in a window, however many processes send at once (the price: at most
    ``max_errors`` attempts of one user are in flight at a time, fleet-wide). Retries stop
    while fewer than ``reserve`` are left, and a call raises
    :class:`~billecta_async.ErrorBudgetExhaustedError` once ``max_errors`` are in the window.
:class:`RedisDeduplicator`
    Webhook claims: a worker claims an event before calling the callback; the event is
    remembered as processed for :data:`DEFAULT_RETENTION` after success, and the claim is
    dropped on failure. A claim has a lease, renewed while the callback runs, so the claim of a
    worker that died expires.

Time. A limit is a span of time that every process must measure alike. With the default clock
the scripts read the Redis server's clock (``TIME``): one clock for the whole fleet, whatever
the hosts' clocks say, and waits are real seconds. With another :class:`~billecta_async.Clock`
(tests: a :class:`~billecta_async.ScaledClock`), the scripts use that clock's ``now()``, which
then must be one time line for every process sharing the keys (a ``ScaledClock`` pickled into
other processes of one host keeps its origin on the host's monotonic clock).

Failures. Every Redis call is bounded by the connection's timeouts (``timeout=`` of
:meth:`RedisShared.from_url`, one second by default, and one retry of a failed connection).
When Redis does not answer, taking a slot or admitting an attempt raises
:class:`~billecta_async.RedisUnavailableError`, naming Redis and the operation, before anything
is sent; nothing falls back silently. With ``on_redis_error="local"`` the client falls back to
per-process limits instead, with a warning in the log, and goes back to Redis once it answers
(retried every :data:`LOCAL_RETRY_INTERVAL` seconds). Giving a slot back or recording an answer
never raises: it is written in the background, and if Redis misses it the slot or the attempt
stays counted until its lease runs out, which only errs on the safe side.

Requires Redis 6.2 or later.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import logging
import math
import secrets
import time
from collections.abc import Awaitable, Coroutine, Sequence
from typing import Any, Literal

import anyio

try:
    import redis.asyncio as aioredis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff
    from redis.commands.core import AsyncScript
    from redis.exceptions import RedisError
except ImportError as exc:  # pragma: no cover - the extra is installed wherever this is tested
    raise ImportError(
        "billecta_async.redis needs redis-py: pip install 'billecta-async[redis]'"
    ) from exc

from billecta_async._clock import Clock, SystemClock
from billecta_async._exceptions import ErrorBudgetExhaustedError, RedisUnavailableError
from billecta_async._limits import (
    NO_PERMIT,
    Admission,
    ErrorBudgetLimits,
    InMemoryErrorBudget,
    InMemoryRateLimiter,
    Limit,
    Permit,
    RateLimits,
    counts_as_error,
)
from billecta_async.webhooks._dedup import ClaimRefused, EventClaim

__all__ = [
    "DEFAULT_RETENTION",
    "LOCAL_RETRY_INTERVAL",
    "OnRedisError",
    "RedisDeduplicator",
    "RedisErrorBudget",
    "RedisRateLimiter",
    "RedisShared",
]

log = logging.getLogger("billecta_async.redis")

OnRedisError = Literal["raise", "local"]

DEFAULT_RETENTION = 48 * 3600.0
"""How long a processed webhook event is remembered (seconds): Billecta's last retry comes
28 hours 5 minutes after the first attempt, so at least 28 hours, with a margin."""

LOCAL_RETRY_INTERVAL = 5.0
"""With ``on_redis_error="local"``, seconds (real time) between attempts to go back to Redis."""

_MIN_RETENTION = 28 * 3600.0
_ANSWER_POLL = 0.001  # real seconds: first look again while attempts in flight hold the budget
_ANSWER_POLL_MAX = 0.05
_RENEW_CHUNK = 500
_USER_HASH_KEY = b"billecta-async/shared-limits/v1"

# -- Lua ---------------------------------------------------------------------------------------
# ARGV[1] of every script is "now": the caller's clock as a decimal, or "" for Redis's TIME.

_PRELUDE = """
local function now_of(arg)
  if arg ~= '' then return tonumber(arg) end
  local t = redis.call('TIME')
  return tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local function num(x) return string.format('%.17g', x) end
local function expire(keys, ttl)
  for _, key in ipairs(keys) do redis.call('PEXPIRE', key, ttl) end
end
"""

# KEYS: in flight (id -> lease deadline), done (id -> answer time), queue (id -> place in line),
# alive (id -> waiter's lease deadline), the last place given. ARGV: now, id, lease, ttl ms,
# count, seconds, ...
# Replies {1, '0'} (granted), {0, 'full'} (only a request in flight can make room) or {0,
# seconds until there is room for this waiter and every one before it in the line}.
_ACQUIRE = (
    _PRELUDE
    + """
local now = now_of(ARGV[1])
local id, lease, ttl = ARGV[2], tonumber(ARGV[3]), ARGV[4]
local inflight, done, queue, alive = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local lapsed = redis.call('ZRANGEBYSCORE', inflight, '-inf', num(now), 'WITHSCORES')
for i = 1, #lapsed, 2 do
  redis.call('ZADD', done, lapsed[i + 1], lapsed[i])
  redis.call('ZREM', inflight, lapsed[i])
end
local gone = redis.call('ZRANGEBYSCORE', alive, '-inf', num(now))
for i = 1, #gone do
  redis.call('ZREM', queue, gone[i])
  redis.call('ZREM', alive, gone[i])
end
local limits, longest = {}, 0
for i = 5, #ARGV, 2 do
  local count, secs = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  limits[#limits + 1] = {count, secs}
  if secs > longest then longest = secs end
end
redis.call('ZREMRANGEBYSCORE', done, '-inf', num(now - longest))
if not redis.call('ZSCORE', inflight, id) then
  if not redis.call('ZSCORE', queue, id) then
    redis.call('ZADD', queue, redis.call('INCR', KEYS[5]), id)
  end
  redis.call('ZADD', alive, num(now + lease), id)
  -- Room for this waiter is room for it and every waiter before it: a window needs the
  -- (over + 1)-th oldest of its answered slots to leave it first.
  local rank = redis.call('ZRANK', queue, id)
  local held = redis.call('ZCARD', inflight)
  local free_at = now
  for _, limit in ipairs(limits) do
    local count, secs = limit[1], limit[2]
    local floor = '(' .. num(now - secs)
    local recent = redis.call('ZCOUNT', done, floor, '+inf')
    local over = held + recent + rank - count
    if over >= recent then
      free_at = math.huge
    elseif over >= 0 then
      local nth = redis.call('ZRANGEBYSCORE', done, floor, '+inf', 'WITHSCORES', 'LIMIT', over, 1)
      free_at = math.max(free_at, tonumber(nth[2]) + secs)
    end
  end
  if free_at > now then
    expire(KEYS, ttl)
    if free_at == math.huge then return {0, 'full'} end
    return {0, num(free_at - now)}
  end
  redis.call('ZREM', queue, id)
  redis.call('ZREM', alive, id)
  redis.call('ZADD', inflight, num(now + lease), id)
end
expire(KEYS, ttl)
return {1, '0'}
"""
)

# KEYS: as _ACQUIRE. ARGV: now, id, answered ('1': hold one window from now; '0': free), ttl ms.
_FINISH = (
    _PRELUDE
    + """
local now = now_of(ARGV[1])
local id = ARGV[2]
redis.call('ZREM', KEYS[3], id)
redis.call('ZREM', KEYS[4], id)
if redis.call('ZREM', KEYS[1], id) == 1 then
  if ARGV[3] == '1' then redis.call('ZADD', KEYS[2], num(now), id) end
elseif ARGV[3] == '1' then  -- its lease ran out first: the answer came later than that
  redis.call('ZADD', KEYS[2], 'GT', num(now), id)
end
expire(KEYS, ARGV[4])
return 1
"""
)

# KEYS[1]: a sorted set of id -> lease deadline. ARGV: now, lease, ttl ms, ids to renew.
_RENEW = (
    _PRELUDE
    + """
local deadline = num(now_of(ARGV[1]) + tonumber(ARGV[2]))
for i = 4, #ARGV do redis.call('ZADD', KEYS[1], 'XX', deadline, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""
)

# KEYS: errors (id -> answer time), pending (id -> lease deadline). ARGV: now, mode ('look',
# 'admit'), id, lease, max errors, window, ttl ms. Replies {admitted, errors, seconds until the
# oldest error leaves the window}.
_BUDGET = (
    _PRELUDE
    + """
local now = now_of(ARGV[1])
local mode, id, lease = ARGV[2], ARGV[3], tonumber(ARGV[4])
local max_errors, window = tonumber(ARGV[5]), tonumber(ARGV[6])
local errors, pending = KEYS[1], KEYS[2]
local lapsed = redis.call('ZRANGEBYSCORE', pending, '-inf', num(now), 'WITHSCORES')
for i = 1, #lapsed, 2 do
  redis.call('ZADD', errors, lapsed[i + 1], lapsed[i])
  redis.call('ZREM', pending, lapsed[i])
end
redis.call('ZREMRANGEBYSCORE', errors, '-inf', num(now - window))
local count = redis.call('ZCARD', errors)
local frees_in = 0
if count > 0 then
  frees_in = tonumber(redis.call('ZRANGE', errors, 0, 0, 'WITHSCORES')[2]) + window - now
end
local admitted = 0
if mode == 'admit' and count < max_errors then
  if redis.call('ZSCORE', pending, id) then
    admitted = 1
  elseif count + redis.call('ZCARD', pending) < max_errors then
    redis.call('ZADD', pending, num(now + lease), id)
    admitted = 1
  end
end
expire(KEYS, ARGV[7])
return {admitted, count, num(frees_in)}
"""
)

# KEYS: as _BUDGET. ARGV: now, id, error ('1' or '0'), ttl ms.
_RECORD = (
    _PRELUDE
    + """
local now = now_of(ARGV[1])
local id = ARGV[2]
local was_pending = redis.call('ZREM', KEYS[2], id) == 1
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[1], num(now), id)
elseif not was_pending then
  redis.call('ZREM', KEYS[1], id)
end
expire(KEYS, ARGV[4])
return 1
"""
)

# KEYS[1]: the event's key. ARGV: token, lease ms. Replies 'claimed', 'processed' or 'busy'.
_CLAIM = """
local value = redis.call('GET', KEYS[1])
if not value or value == 'claimed:' .. ARGV[1] then
  redis.call('SET', KEYS[1], 'claimed:' .. ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if value == 'processed' then return 'processed' end
return 'busy'
"""

# KEYS[1]: the event's key. ARGV: token, lease ms ('' to drop the claim). Replies 1 if held.
_HOLD = """
if redis.call('GET', KEYS[1]) ~= 'claimed:' .. ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
"""


# -- the shared store ----------------------------------------------------------------------


_SET_BY_TIMEOUT = frozenset({"socket_timeout", "socket_connect_timeout", "retry"})
"""The options of ``redis.asyncio.Redis.from_url`` that :meth:`RedisShared.from_url` sets from its
``timeout`` (a Redis that does not answer must be given up on within a bounded time)."""


class RedisShared:
    """One Redis connection pool and key prefix, shared by the limits of every client (and the
    webhook deduplicators) of a process; the single entry point of this module.

    ``RedisShared.from_url(url)`` is what most code wants; ``RedisShared(client)`` takes a
    ``redis.asyncio.Redis`` you configured yourself (give it socket timeouts: every wait on
    Redis is bounded only by them) and leaves it open.

    - ``prefix``: the first part of every key (processes share what they share a prefix for).
    - ``lease``: seconds (on the limits' clock) a slot in flight, a place in the queue or an
      attempt awaiting its answer stays counted after its process stops renewing it (renewed
      every third of it): how long a dead process can hold what it held.
    - ``on_redis_error``: ``"raise"`` (default) raises
      :class:`~billecta_async.RedisUnavailableError` when Redis does not answer; ``"local"``
      falls back to per-process limits with a warning until Redis answers again.

    Pass it to clients as ``BillectaClient(..., shared=shared)``. Its connections close when
    the last client or deduplicator using it is closed, or with :meth:`aclose`; it reconnects if
    used again.
    """

    def __init__(
        self,
        redis: aioredis.Redis,
        *,
        prefix: str = "billecta",
        lease: float = 10.0,
        on_redis_error: OnRedisError = "raise",
        close_redis: bool = False,
    ) -> None:
        if not prefix:
            raise ValueError("prefix must not be empty")
        if not lease > 0:
            raise ValueError(f"lease must be seconds > 0 (got {lease!r})")
        if on_redis_error not in ("raise", "local"):
            raise ValueError(f"on_redis_error must be 'raise' or 'local' (got {on_redis_error!r})")
        self.redis = redis
        self.prefix = prefix
        self.lease = float(lease)
        self.on_redis_error: OnRedisError = on_redis_error
        self._close_redis = close_redis
        self._users = 0
        self._local_until = 0.0  # time.monotonic() until which "local" skips Redis
        kwargs = redis.connection_pool.connection_kwargs
        self.address = (
            str(kwargs["path"])
            if kwargs.get("path")
            else f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}"
        )
        self._acquire = redis.register_script(_ACQUIRE)
        self._finish = redis.register_script(_FINISH)
        self._renew = redis.register_script(_RENEW)
        self._budget = redis.register_script(_BUDGET)
        self._record = redis.register_script(_RECORD)
        self._claim = redis.register_script(_CLAIM)
        self._hold = redis.register_script(_HOLD)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        prefix: str = "billecta",
        timeout: float = 1.0,
        lease: float = 10.0,
        on_redis_error: OnRedisError = "raise",
        **options: Any,
    ) -> RedisShared:
        """A store on the Redis at ``url`` (``redis://``, ``rediss://`` or ``unix://``).

        ``timeout`` bounds connecting and each answer (seconds; a failed connection is retried
        once, so a call gives up within about four times it). Other keyword arguments go to
        ``redis.asyncio.Redis.from_url``. No connection is made until the first call.
        """
        if not timeout > 0:
            raise ValueError(f"timeout must be seconds > 0 (got {timeout!r})")
        for name in _SET_BY_TIMEOUT.intersection(options):
            raise ValueError(
                f"{name} is set from timeout= (got {name}={options[name]!r}); pass timeout= "
                "instead, or make the redis.asyncio.Redis client yourself and give it to "
                "RedisShared(...)"
            )
        client = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 1),
            **options,
        )
        return cls(
            client, prefix=prefix, lease=lease, on_redis_error=on_redis_error, close_redis=True
        )

    def rate_limiter(
        self, user: str, limits: RateLimits | None = None, *, clock: Clock | None = None
    ) -> RedisRateLimiter:
        """A :class:`RedisRateLimiter` for ``user`` on this store."""
        return RedisRateLimiter(self, user, limits, clock=clock)

    def error_budget(
        self, user: str, limits: ErrorBudgetLimits | None = None, *, clock: Clock | None = None
    ) -> RedisErrorBudget:
        """A :class:`RedisErrorBudget` for ``user`` on this store."""
        return RedisErrorBudget(self, user, limits, clock=clock)

    def deduplicator(
        self, *, lease: float = 60.0, retention: float = DEFAULT_RETENTION
    ) -> RedisDeduplicator:
        """A :class:`RedisDeduplicator` on this store."""
        return RedisDeduplicator(self, lease=lease, retention=retention)

    async def aclose(self) -> None:
        """Close the connections (of a client made by :meth:`from_url`; yours stays open)."""
        if self._close_redis:
            await self.redis.aclose()

    async def __aenter__(self) -> RedisShared:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"RedisShared(address={self.address!r}, prefix={self.prefix!r})"

    # -- for the classes below -------------------------------------------------------------

    def _user_key(self, user: str) -> str:
        """``prefix:hash``: the keyed hash names the user without revealing the credential."""
        digest = hmac.new(_USER_HASH_KEY, user.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{self.prefix}:{digest[:32]}"

    def _attach(self) -> None:
        self._users += 1

    async def _detach(self) -> None:
        self._users -= 1
        if self._users <= 0:
            self._users = 0
            await self.aclose()

    async def _run(
        self, script: AsyncScript, keys: Sequence[str], args: Sequence[str | float], doing: str
    ) -> Any:
        return await self._command(script(keys=keys, args=args), doing)

    async def _command(self, command: Awaitable[Any], doing: str) -> Any:
        """``command``'s answer; a Redis that does not answer is a RedisUnavailableError."""
        try:
            result = await command
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            raise RedisUnavailableError(
                doing, address=self.address, reason=f"{type(exc).__name__}: {exc}"
            ) from exc
        if self._local_until:
            self._local_until = 0.0
            log.warning("Redis at %s answers again: limits are shared again", self.address)
        return result

    def _locally(self) -> bool:
        """Whether "local" mode is skipping Redis after a failure."""
        return bool(self._local_until) and time.monotonic() < self._local_until

    def _fall_back(self, error: RedisUnavailableError) -> None:
        """Go local after ``error`` (with ``on_redis_error="local"``), or raise it."""
        if self.on_redis_error != "local":
            raise error
        if not self._local_until:
            log.warning(
                "%s; limits are per process until Redis answers (on_redis_error='local')", error
            )
        self._local_until = time.monotonic() + LOCAL_RETRY_INTERVAL


class _Time:
    """The scripts' notion of now and the waits between tries (see the module docstring)."""

    __slots__ = ("clock", "server")

    def __init__(self, clock: Clock | None) -> None:
        self.server = clock is None or isinstance(clock, SystemClock)
        self.clock: Clock = clock if clock is not None else SystemClock()

    def arg(self) -> str:
        return "" if self.server else repr(self.clock.now())


class _Background:
    """Writes that nobody waits for (a slot given back, an answer recorded): tracked, so that
    closing waits for them, and each logs its own failure."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: the one who awaited it (if anyone) has seen it

    async def wait(self) -> None:
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


class _Leases:
    """Keeps this process's leases (``id -> deadline`` in sorted sets) alive: every third of a
    lease it moves their deadlines a lease ahead, while it holds any."""

    def __init__(self, shared: RedisShared, time_: _Time, ttl_ms: int) -> None:
        self._shared = shared
        self._time = time_
        self._ttl_ms = ttl_ms
        self._held: dict[str, set[str]] = {}
        self._task: asyncio.Task[None] | None = None
        self._warned = False

    def add(self, key: str, member: str) -> None:
        self._held.setdefault(key, set()).add(member)
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._renew())

    def discard(self, key: str, member: str) -> None:
        members = self._held.get(key)
        if members is not None:
            members.discard(member)
            if not members:
                del self._held[key]

    async def _renew(self) -> None:
        shared = self._shared
        while self._held:
            await self._time.clock.sleep(shared.lease / 3)
            for key, members in list(self._held.items()):
                ids = sorted(members)
                for start in range(0, len(ids), _RENEW_CHUNK):
                    args: list[str | float] = [self._time.arg(), shared.lease, self._ttl_ms]
                    args += ids[start : start + _RENEW_CHUNK]
                    try:
                        await shared._run(shared._renew, [key], args, "renew leases")
                        self._warned = False
                    except RedisUnavailableError as exc:
                        if not self._warned:
                            log.warning("%s; they run out unless Redis answers in time", exc)
                            self._warned = True

    async def aclose(self) -> None:
        self._held.clear()
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


class _Counting:
    """What a shared limiter and a shared budget both have: the store (held until
    :meth:`aclose`), the time, leases renewed in the background, writes in the background, and
    ids for what they put in Redis (unique to this instance)."""

    def __init__(self, shared: RedisShared, clock: Clock | None, longest: float) -> None:
        self.shared = shared
        self._time = _Time(clock)
        # Keys outlive what they hold by far (real milliseconds; a clock may run faster).
        self._ttl_ms = int((2 * (longest + shared.lease) + 60) * 1000)
        self._leases = _Leases(shared, self._time, self._ttl_ms)
        self._background = _Background()
        self._owner = secrets.token_hex(6)
        self._ids = itertools.count()
        self._closed = False
        shared._attach()

    def _new_id(self) -> str:
        return f"{self._owner}:{next(self._ids)}"

    def _write(
        self, script: AsyncScript, keys: Sequence[str], args: Sequence[str | float], doing: str
    ) -> None:
        """Write in the background; a failure is logged (``doing`` says what it leaves behind),
        never raised. With ``doing`` empty (cleaning up after a failure) it is not logged."""

        async def write() -> None:
            try:
                await self.shared._run(script, keys, args, doing or "clean up")
            except RedisUnavailableError as exc:
                if doing:
                    log.warning("%s", exc)

        self._background.spawn(write())

    async def aclose(self) -> None:
        """Wait for the writes in the background, stop renewing leases, let go of the store."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._background.wait()
            await self._leases.aclose()
        finally:
            await self.shared._detach()


# -- rate limits -----------------------------------------------------------------------------


class _Bucket:
    """One endpoint's (or all other calls') limits and keys."""

    def __init__(self, user_key: str, name: str, limits: Sequence[Limit]) -> None:
        self.name = name  # "METHOD /path/{template}", or "*" for all other calls
        self.label = name if name != "*" else "a call (the default limits)"
        base = f"{user_key}:limit:{name}"
        self.keys = [f"{base}:{part}" for part in ("inflight", "done", "queue", "alive", "line")]
        self.limit_args: list[str | float] = []
        for limit in limits:
            self.limit_args += [limit.count, float(limit.seconds)]
        self.longest = max(float(limit.seconds) for limit in limits)
        self.shortest = min(float(limit.seconds) for limit in limits)
        self.lock = asyncio.Lock()  # this process's waiters, first come first served


class RedisRateLimiter(_Counting):
    """:class:`~billecta_async.InMemoryRateLimiter`'s limits, shared through Redis by every
    process using the same store, prefix and ``user`` (see the module docstring).

    ``user`` identifies the Billecta user (the client passes its base URL and credential; only
    a keyed hash of it is kept). ``limits`` as for the in-memory limiter; ``clock`` as described
    under "Time" in the module docstring. :meth:`aclose` it when done (the client does).
    """

    def __init__(
        self,
        shared: RedisShared,
        user: str,
        limits: RateLimits | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.limits = limits if limits is not None else RateLimits()
        user_key = shared._user_key(user)
        self._buckets = {
            key: _Bucket(user_key, key, value)
            for key, value in self.limits.endpoints.items()
            if value
        }
        self._default = _Bucket(user_key, "*", self.limits.default) if self.limits.default else None
        buckets = [*self._buckets.values(), *([self._default] if self._default else [])]
        super().__init__(shared, clock, max((b.longest for b in buckets), default=0.0))
        self._local = InMemoryRateLimiter(self.limits, clock=self._time.clock)

    async def acquire(self, key: str) -> Permit:
        bucket = self._buckets.get(key, self._default)
        if bucket is None:
            return NO_PERMIT
        if not self.shared._locally():
            try:
                return await self._acquire(bucket, key)
            except RedisUnavailableError as exc:
                self.shared._fall_back(exc)
        return await self._local.acquire(key)

    async def _acquire(self, bucket: _Bucket, key: str) -> Permit:
        shared = self.shared
        lease = shared.lease
        async with bucket.lock:
            slot = self._new_id()
            try:
                while True:
                    asked = self._time.clock.now()
                    granted, wait = await shared._run(
                        shared._acquire,
                        bucket.keys,
                        [self._time.arg(), slot, lease, self._ttl_ms, *bucket.limit_args],
                        f"take a rate-limit slot for {key}",
                    )
                    if granted == 1:
                        break
                    # Only requests in flight hold the slots: each frees a window after its
                    # answer, so looking again within the shortest window misses none.
                    seconds = bucket.shortest if _text(wait) == "full" else float(wait)
                    since = self._time.clock.now() - asked  # the answer's way back
                    await self._time.clock.sleep(min(seconds, lease / 3) - since)
            except BaseException:  # failed or cancelled: leave the queue (a slot granted
                # while the answer was lost is given back: nothing was sent)
                self._finish(bucket, slot, answered=False, doing="")
                raise
        self._leases.add(bucket.keys[0], slot)
        return _RedisPermit(self, bucket, slot)

    def _end(self, bucket: _Bucket, slot: str, answered: bool) -> None:
        self._leases.discard(bucket.keys[0], slot)
        doing = f"give back a rate-limit slot for {bucket.label} (freed when its lease ends)"
        self._finish(bucket, slot, answered, doing)

    def _finish(self, bucket: _Bucket, slot: str, answered: bool, doing: str) -> None:
        args: list[str | float] = [self._time.arg(), slot, "1" if answered else "0", self._ttl_ms]
        self._write(self.shared._finish, bucket.keys, args, doing)

    def __repr__(self) -> str:
        return f"RedisRateLimiter({self.limits!r}, shared={self.shared!r})"


class _RedisPermit:
    __slots__ = ("_bucket", "_done", "_limiter", "_slot")

    def __init__(self, limiter: RedisRateLimiter, bucket: _Bucket, slot: str) -> None:
        self._limiter = limiter
        self._bucket = bucket
        self._slot = slot
        self._done = False

    async def release(self) -> None:
        if not self._done:
            self._done = True
            self._limiter._end(self._bucket, self._slot, answered=False)

    async def complete(self) -> None:
        if not self._done:
            self._done = True
            self._limiter._end(self._bucket, self._slot, answered=True)


# -- error budget ----------------------------------------------------------------------------


class RedisErrorBudget(_Counting):
    """:class:`~billecta_async.InMemoryErrorBudget`'s budget, shared through Redis by every
    process using the same store, prefix and ``user``; attempts in flight count as possible
    errors (see the module docstring). Arguments as for :class:`RedisRateLimiter`.
    """

    def __init__(
        self,
        shared: RedisShared,
        user: str,
        limits: ErrorBudgetLimits | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.limits = limits if limits is not None else ErrorBudgetLimits()
        base = f"{shared._user_key(user)}:errors"
        self._keys = [base, f"{base}:pending"]
        super().__init__(shared, clock, self.limits.window)
        self._local = InMemoryErrorBudget(self.limits, clock=self._time.clock)
        self._refused: ErrorBudgetExhaustedError | None = None
        self._refused_until = 0.0  # on self._time.clock

    async def check(self, method: str, path: str) -> None:
        """Refuse while the last answer from Redis said the budget is spent (no Redis call:
        :meth:`admit` asks Redis right before sending)."""
        if self.shared._locally():
            await self._local.check(method, path)
            return
        refused = self._refused
        if refused is not None:
            left = self._refused_until - self._time.clock.now()
            if left > 0:
                raise self.limits.refusal(method, path, refused.errors, left)
            self._refused = None

    async def admit(self, method: str, path: str) -> Admission:
        if not self.shared._locally():
            try:
                return await self._admit(method, path)
            except RedisUnavailableError as exc:
                self.shared._fall_back(exc)
        return await self._local.admit(method, path)

    async def _admit(self, method: str, path: str) -> Admission:
        attempt = self._new_id()
        poll = _ANSWER_POLL
        try:
            while True:
                admitted, errors, frees_in = await self._look("admit", attempt, method, path)
                if errors >= self.limits.max_errors:
                    self._refused_until = self._time.clock.now() + frees_in
                    self._refused = error = self.limits.refusal(method, path, errors, frees_in)
                    raise error
                if admitted == 1:
                    break
                # the attempts in flight could use the rest of the budget: wait for answers
                await anyio.sleep(poll)
                poll = min(poll * 2, _ANSWER_POLL_MAX)
        except ErrorBudgetExhaustedError:
            raise
        except BaseException:  # failed or cancelled: an attempt admitted unawares is dropped
            self._record(attempt, None, doing="")
            raise
        self._leases.add(self._keys[1], attempt)
        return _RedisAdmission(self, attempt)

    async def _look(
        self, mode: str, attempt: str, method: str, path: str
    ) -> tuple[int, int, float]:
        shared = self.shared
        doing = (
            f"admit {method} {path} to the error budget"
            if mode == "admit"
            else "count the error budget"
        )
        admitted, errors, frees_in = await shared._run(
            shared._budget,
            self._keys,
            [
                self._time.arg(),
                mode,
                attempt,
                shared.lease,
                self.limits.max_errors,
                float(self.limits.window),
                self._ttl_ms,
            ],
            doing,
        )
        return int(admitted), int(errors), max(0.0, float(frees_in))

    async def allows_retry(self) -> bool:
        """Whether a retry may be sent; ``False`` (with a warning) when Redis does not answer,
        and in "local" mode the local count's answer."""
        if not self.shared._locally():
            try:
                _, errors, _ = await self._look("look", "", "", "")
                return errors < self.limits.max_errors - self.limits.reserve
            except RedisUnavailableError as exc:
                if self.shared.on_redis_error != "local":
                    log.warning("%s; not retrying", exc)
                    return False
                self.shared._fall_back(exc)
        return await self._local.allows_retry()

    def _end(self, attempt: str, status: int | None) -> None:
        self._leases.discard(self._keys[1], attempt)
        doing = "record an answer in the error budget (a possible error until its lease ends)"
        self._record(attempt, status, doing)

    def _record(self, attempt: str, status: int | None, doing: str) -> None:
        error = "1" if status is not None and counts_as_error(status) else "0"
        args: list[str | float] = [self._time.arg(), attempt, error, self._ttl_ms]
        self._write(self.shared._record, self._keys, args, doing)

    def __repr__(self) -> str:
        return f"RedisErrorBudget({self.limits!r}, shared={self.shared!r})"


class _RedisAdmission:
    __slots__ = ("_attempt", "_budget", "_done")

    def __init__(self, budget: RedisErrorBudget, attempt: str) -> None:
        self._budget = budget
        self._attempt = attempt
        self._done = False

    async def record(self, status: int | None) -> None:
        if not self._done:
            self._done = True
            self._budget._end(self._attempt, status)


# -- webhook deduplication -------------------------------------------------------------------


class RedisDeduplicator:
    """Webhook claims in Redis, for receivers in several processes (see
    :class:`~billecta_async.webhooks.WebhookDeduplicator`).

    An event's claim lasts ``lease`` seconds (real time) and is renewed every third of that
    while the callback runs, so a claim outlives its worker by at most ``lease``; a processed
    event is remembered for ``retention`` seconds (at least 28 hours, Billecta's retry
    schedule). Keys: ``{prefix}:webhook:{identity}``. :meth:`aclose` it when done.
    """

    def __init__(
        self, shared: RedisShared, *, lease: float = 60.0, retention: float = DEFAULT_RETENTION
    ) -> None:
        if not lease > 0:
            raise ValueError(f"lease must be seconds > 0 (got {lease!r})")
        if retention < _MIN_RETENTION:
            raise ValueError(
                f"retention must be at least 28 hours ({_MIN_RETENTION:g} s), Billecta's retry "
                f"schedule (got {retention!r})"
            )
        self.shared = shared
        self.lease = float(lease)
        self._lease_ms = max(1, math.ceil(self.lease * 1000))  # PX 0 is refused by Redis
        self.retention = float(retention)
        self._background = _Background()
        shared._attach()
        self._closed = False

    async def claim(self, identity: str) -> EventClaim | ClaimRefused:
        shared = self.shared
        key = f"{shared.prefix}:webhook:{identity}"
        token = secrets.token_hex(8)
        try:
            outcome = await shared._run(
                shared._claim, [key], [token, self._lease_ms], "claim a webhook event"
            )
        except BaseException:  # a claim taken unawares is dropped (else it blocks a lease)
            self._background.spawn(self._drop(key, token))
            raise
        if _text(outcome) == "processed":
            return ClaimRefused.PROCESSED
        if _text(outcome) == "busy":
            return ClaimRefused.IN_PROGRESS
        return _RedisClaim(self, key, token)

    async def _drop(self, key: str, token: str) -> None:
        with contextlib.suppress(RedisUnavailableError):  # else it runs out with its lease
            await self.shared._run(self.shared._hold, [key], [token, ""], "drop a webhook claim")

    async def aclose(self) -> None:
        """Wait for claims being dropped, and let go of the store."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._background.wait()
        finally:
            await self.shared._detach()

    def __repr__(self) -> str:
        return f"RedisDeduplicator(shared={self.shared!r}, lease={self.lease:g})"


class _RedisClaim:
    """A claim held in Redis, renewed in the background until it is completed or released."""

    def __init__(self, dedup: RedisDeduplicator, key: str, token: str) -> None:
        self._dedup = dedup
        self._key = key
        self._token = token
        self._renewal = asyncio.ensure_future(self._renew())

    async def _renew(self) -> None:
        shared = self._dedup.shared
        lease_ms = self._dedup._lease_ms
        while True:
            await anyio.sleep(self._dedup.lease / 3)
            try:
                held = await shared._run(
                    shared._hold, [self._key], [self._token, lease_ms], "renew a webhook claim"
                )
            except RedisUnavailableError as exc:
                log.warning("%s; the claim runs out unless Redis answers in time", exc)
                continue
            if not held:
                log.warning("a webhook claim ran out while its callback ran: it may run twice")
                return

    async def complete(self) -> None:
        self._renewal.cancel()
        shared = self._dedup.shared
        write = shared.redis.set(self._key, "processed", px=int(self._dedup.retention * 1000))
        await _shielded(self._dedup._background, shared._command(write, "remember a webhook event"))

    async def release(self) -> None:
        self._renewal.cancel()
        shared = self._dedup.shared
        drop = shared._run(shared._hold, [self._key], [self._token, ""], "release a webhook claim")
        await _shielded(self._dedup._background, drop)


def _text(reply: bytes | str) -> str:
    """A script's text reply, whether or not the Redis client decodes its answers."""
    return reply.decode() if isinstance(reply, bytes) else reply


async def _shielded(background: _Background, work: Coroutine[Any, Any, Any]) -> None:
    """Await ``work`` to its end even if the caller is cancelled (it then finishes alone)."""
    await asyncio.shield(background.spawn(work))
