"""Rate limits and the error budget shared through a real Redis (billecta_async.redis).

Unit tests drive limiters and budgets of one process on a manual clock (several instances on one
user stand for several processes). The fleet tests run real OS processes (spawned) against a
local server that enforces Billecta's limits on its own (tests/_limit_server.py), all on one
ScaledClock: pickled into each process, it keeps its origin on the host's monotonic clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
import redis.asyncio as aioredis
from _clocks import ManualClock
from _limit_server import limit_server
from _redis import Processes, keys_of
from _redis_workers import DEBTOR, TOKEN, failing_calls, searches
from test_limits import ideal_schedule

import billecta_async.models as m
from billecta_async import (
    BillectaClient,
    ErrorBudgetExhaustedError,
    ErrorBudgetLimits,
    Limit,
    Permit,
    RateLimiter,
    RateLimits,
    ScaledClock,
)
from billecta_async.redis import RedisErrorBudget, RedisRateLimiter, RedisShared

SEARCH = "POST /v1/search/actions"


async def eventually(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Wait (real time) until ``condition()`` holds: the limiter's answers come over Redis."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out waiting"
        await asyncio.sleep(0.002)


async def written(*shared: RedisRateLimiter | RedisErrorBudget) -> None:
    """Wait until what these gave back or recorded (in the background) is in Redis."""
    for each in shared:
        await each._background.wait()


async def quiet() -> None:
    """Real time in which a grant that should not happen would have happened."""
    await asyncio.sleep(0.1)


class Grants:
    """Tasks that each take a slot from one limiter and record when they got it (in ``log``,
    shared by the Grants of several limiters, the order of all grants)."""

    def __init__(
        self, limiter: RateLimiter, clock: ManualClock, name: str = "", log: list[str] | None = None
    ) -> None:
        self.limiter = limiter
        self.clock = clock
        self.name = name
        self.log = log if log is not None else []
        self.times: list[float] = []
        self.permits: list[Permit] = []
        self.tasks: list[asyncio.Task[None]] = []

    def count(self) -> int:
        """How many were granted (raising what a task failed with)."""
        for task in self.tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise AssertionError("a task failed") from task.exception()
        return len(self.times)

    def start(self, n: int, *, complete: bool = True) -> None:
        for _ in range(n):
            name = f"{self.name}{len(self.tasks)}"
            self.tasks.append(asyncio.ensure_future(self._one(name, complete)))

    async def _one(self, name: str, complete: bool) -> None:
        permit = await self.limiter.acquire(SEARCH)
        self.times.append(self.clock.now())
        self.log.append(f"{name}@{self.clock.now():g}")
        self.permits.append(permit)
        if complete:
            await permit.complete()

    async def finish(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.limiter.aclose()  # type: ignore[attr-defined]


async def takes_a_slot(limiter: RateLimiter) -> bool:
    """Whether a new request gets a slot now (given back at once: it was not sent)."""
    permit = await asyncio.wait_for(limiter.acquire(SEARCH), 10)
    await permit.release()
    return True


async def waits(limiter: RateLimiter) -> bool:
    """Whether a new request has to wait (it gives up after a moment of real time)."""
    try:
        permit = await asyncio.wait_for(limiter.acquire(SEARCH), 0.2)
    except asyncio.TimeoutError:
        return True
    await permit.release()
    return False


@pytest.fixture
async def store(redis_url: str, prefix: str) -> AsyncIterator[RedisShared]:
    shared = RedisShared.from_url(redis_url, prefix=prefix, lease=1000)
    yield shared
    await shared.aclose()


def search_limits(*limits: Limit) -> RateLimits:
    return RateLimits(endpoints={SEARCH: limits})


# -- the limiter ------------------------------------------------------------------------------


async def test_both_windows_at_once_exactly_as_in_memory(store: RedisShared) -> None:
    clock = ManualClock()
    limiter = store.rate_limiter(TOKEN, search_limits(Limit(3, 10), Limit(5, 60)), clock=clock)
    assert isinstance(limiter, RateLimiter)
    grants = Grants(limiter, clock)
    grants.start(12)
    await eventually(lambda: grants.count() == 3)
    for moment, granted in ((10, 5), (60, 8), (70, 10), (120, 12)):
        await clock.advance(moment - 0.01 - clock.now())
        await quiet()
        assert len(grants.times) == granted - (2 if moment != 60 else 3), moment
        await clock.advance(0.01)
        await eventually(lambda n=granted: grants.count() == n)  # type: ignore[misc]
    assert grants.times == ideal_schedule(12, [(3, 10), (5, 60)])
    await grants.finish()


async def test_processes_of_one_user_share_slots_and_other_users_do_not(
    store: RedisShared,
    redis_url: str,
    prefix: str,
) -> None:
    clock = ManualClock()
    limits = search_limits(Limit(2, 10))
    first, second = (store.rate_limiter(TOKEN, limits, clock=clock) for _ in range(2))
    other = store.rate_limiter("another user's token", limits, clock=clock)
    a, b, c = Grants(first, clock, "a"), Grants(second, clock, "b"), Grants(other, clock, "c")
    a.start(1)
    await eventually(lambda: len(a.times) == 1)
    b.start(2)
    c.start(2)
    await eventually(lambda: len(b.times) == 1 and len(c.times) == 2)
    await quiet()
    assert len(b.times) == 1  # two slots for the user, whichever process took them
    await clock.advance(10)
    await eventually(lambda: len(b.times) == 2)
    keys = keys_of(redis_url, prefix)
    assert keys and all(TOKEN not in key and "another" not in key for key in keys)
    assert len({key.split(":")[1] for key in keys}) == 2  # one hash per user
    for limiter in (first, second, other):
        assert TOKEN not in repr(limiter)
    for grants in (a, b, c):
        await grants.finish()


async def test_a_slot_is_held_until_the_answer_and_a_window_after_it(store: RedisShared) -> None:
    clock = ManualClock()
    limits = search_limits(Limit(1, 10))
    holder, other = (store.rate_limiter(TOKEN, limits, clock=clock) for _ in range(2))
    permit = await holder.acquire(SEARCH)
    await clock.advance(100)  # no answer yet: the slot stays held
    assert await waits(other)
    await permit.complete()
    await permit.complete()  # only the first call counts
    await holder.aclose()  # waits for the slot to be given back
    await clock.advance(9.99)
    assert await waits(other)
    await clock.advance(0.01)
    assert await takes_a_slot(other)
    await other.aclose()


async def test_slots_are_shared_through_a_redis_client_that_decodes_its_answers(
    redis_url: str, prefix: str
) -> None:
    """``RedisShared(client)`` takes the user's own client, which may decode answers to str."""
    store = RedisShared(aioredis.Redis.from_url(redis_url, decode_responses=True), prefix=prefix)
    clock = ManualClock()
    limiter = store.rate_limiter(TOKEN, search_limits(Limit(1, 10)), clock=clock)
    permit = await limiter.acquire(SEARCH)
    assert await waits(limiter)  # in flight: the window is full
    await permit.complete()
    await written(limiter)
    assert await waits(limiter)  # answered: held one window more
    await clock.advance(10)
    assert await takes_a_slot(limiter)
    await limiter.aclose()
    await store.redis.aclose()


async def test_a_released_slot_is_free_at_once_for_every_process(store: RedisShared) -> None:
    clock = ManualClock()
    limits = search_limits(Limit(1, 10))
    first, second = (store.rate_limiter(TOKEN, limits, clock=clock) for _ in range(2))
    permit = await first.acquire(SEARCH)
    assert await waits(second)
    await permit.release()  # never sent (connection refused)
    await first.aclose()  # waits for the slot to be given back
    assert await takes_a_slot(second)
    await second.aclose()


async def test_waiting_processes_are_served_first_come_first_served(store: RedisShared) -> None:
    clock = ManualClock()
    limits = search_limits(Limit(1, 10))
    log: list[str] = []
    a, b, c = (
        Grants(store.rate_limiter(TOKEN, limits, clock=clock), clock, name, log) for name in "abc"
    )
    a.start(1)
    await eventually(lambda: log == ["a0@0"])
    b.start(1)  # b waits first ...
    await quiet()
    c.start(2)  # ... then c (its second waits in its process, behind its first) ...
    await quiet()
    a.start(1)  # ... then a again
    await quiet()
    c.tasks[0].cancel()  # a cancelled waiter leaves the line and takes no slot
    for moment in (10, 20, 30):
        await clock.advance(moment - clock.now())
        await eventually(lambda n=moment // 10 + 1: len(log) == n)  # type: ignore[misc]
    assert log == ["a0@0", "b0@10", "a1@20", "c1@30"]
    for grants in (a, b, c):
        await grants.finish()


# -- the error budget -------------------------------------------------------------------------


async def test_error_answers_of_every_process_count_together(store: RedisShared) -> None:
    clock = ManualClock()
    limits = ErrorBudgetLimits(max_errors=5, window=60, reserve=2)
    first, second = (store.error_budget(TOKEN, limits, clock=clock) for _ in range(2))
    for budget, status in ((first, 200), (second, 404), (first, 400), (second, 401)):
        await (await budget.admit("GET", "/v1/x/{id}")).record(status)
    await written(first, second)
    assert await first.allows_retry()
    await (await second.admit("GET", "/v1/x/{id}")).record(403)
    await written(second)
    assert not await first.allows_retry()  # 2 left: kept for the callers' own calls
    clock._now = 30
    await (await first.admit("GET", "/v1/x/{id}")).record(429)
    await (await second.admit("GET", "/v1/x/{id}")).record(500)
    await written(first, second)
    with pytest.raises(ErrorBudgetExhaustedError) as caught:
        await first.admit("GET", "/v1/x/{id}")
    error = caught.value
    assert (error.errors, error.max_errors, error.window, error.retry_after) == (5, 5, 60, 30)
    with pytest.raises(ErrorBudgetExhaustedError):  # the refusal seen, without asking Redis
        await first.check("POST", "/v1/y")
    await second.check("POST", "/v1/y")  # it has not been refused: admit will ask
    with pytest.raises(ErrorBudgetExhaustedError, match="5 error answers"):
        await second.admit("POST", "/v1/y")
    clock._now = 60  # the three errors at 0 left the window
    await first.check("GET", "/v1/x/{id}")
    await (await first.admit("GET", "/v1/x/{id}")).record(None)
    assert await second.allows_retry()  # 2 errors: 3 left, more than the 2 kept back
    await first.aclose()
    await second.aclose()


async def test_attempts_in_flight_count_as_possible_errors(store: RedisShared) -> None:
    clock = ManualClock()
    limits = ErrorBudgetLimits(max_errors=3, window=60, reserve=0)
    first, second = (store.error_budget(TOKEN, limits, clock=clock) for _ in range(2))
    flying = [await first.admit("GET", "/a"), await second.admit("GET", "/a")]
    flying.append(await first.admit("GET", "/a"))
    waiting = asyncio.ensure_future(second.admit("GET", "/a"))  # 3 could fail: it must wait
    await quiet()
    assert not waiting.done()
    await flying.pop().record(200)  # one answered fine: room for the waiting one
    flying.append(await asyncio.wait_for(waiting, 10))
    for admission in flying[:2]:
        await admission.record(500)
    waiting = asyncio.ensure_future(first.admit("GET", "/a"))
    await quiet()
    assert not waiting.done()  # 2 errors and 1 in flight
    await flying[2].record(502)
    with pytest.raises(ErrorBudgetExhaustedError, match="3 error answers"):
        await asyncio.wait_for(waiting, 10)
    await first.aclose()
    await second.aclose()


# -- the client -------------------------------------------------------------------------------


async def test_a_client_shares_its_limits_through_redis_and_closes_its_connections(
    redis_url: str,
    prefix: str,
) -> None:
    clock = ScaledClock(100)
    name = f"{prefix}-client"
    shared = RedisShared.from_url(redis_url, prefix=prefix, client_name=name)
    async with (
        limit_server(clock) as server,
        BillectaClient(secure_token=TOKEN, base_url=server.url, clock=clock, shared=shared) as api,
    ):
        assert isinstance(api._transport.rate_limiter, RedisRateLimiter)
        assert isinstance(api._transport.error_budget, RedisErrorBudget)
        await asyncio.gather(*(api.search.actions(m.Search()) for _ in range(5)))
        assert len(await shared.redis.client_list()) >= 1
        with pytest.raises(Exception, match="500"):
            await api.debtors.get(DEBTOR)  # 500, retried twice: three errors
        await written(api._transport.error_budget)  # type: ignore[arg-type]
        user = keys_of(redis_url, prefix)[0].split(":")[1]
        assert await shared.redis.zcard(f"{prefix}:{user}:errors") == 3
    assert len(server.accepted) == 5
    keys = keys_of(redis_url, prefix)
    assert {key.rsplit(":", 1)[1] for key in keys} >= {"done", "errors"}
    assert all(TOKEN not in key for key in keys)
    observer = RedisShared.from_url(redis_url, prefix=prefix)
    names = [c["name"] for c in await observer.redis.client_list()]
    await observer.aclose()
    assert name not in names  # closed with the client


def test_from_env_shares_through_billecta_redis_url(redis_url: str) -> None:
    env = {"BILLECTA_SECURE_TOKEN": TOKEN, "BILLECTA_REDIS_URL": redis_url}
    client = BillectaClient.from_env(env)
    transport = client._transport
    assert isinstance(transport.rate_limiter, RedisRateLimiter)
    assert isinstance(transport.error_budget, RedisErrorBudget)
    assert transport.rate_limiter.shared.prefix == "billecta"
    assert TOKEN not in repr(transport.rate_limiter) + repr(transport.error_budget)
    asyncio.run(client.aclose())
    explicit = BillectaClient.from_env(env, shared=None, rate_limits=None)
    assert explicit._transport.error_budget.__class__.__name__ == "InMemoryErrorBudget"


async def test_the_user_is_the_environment_and_the_token_or_username(redis_url: str) -> None:
    def user_of(**credentials: str) -> str:
        client = BillectaClient(shared=RedisShared.from_url(redis_url), **credentials)
        limiter = client._transport.rate_limiter
        assert isinstance(limiter, RedisRateLimiter)
        key = limiter._buckets[SEARCH].keys[0]
        assert all(v not in key for v in credentials.values() if not v.startswith("https"))
        return key.split(":")[1]

    jenny = user_of(username="jenny", password="one")
    assert user_of(username="jenny", password="two") == jenny  # a new password: the same user
    assert user_of(username="jenny", password="one", base_url=BillectaClient.TEST_URL) != jenny
    token = user_of(secure_token="jenny")
    assert token != jenny and token != user_of(secure_token="other")


def test_options_are_checked(redis_url: str) -> None:
    with pytest.raises(ValueError, match="on_redis_error"):
        RedisShared.from_url(redis_url, on_redis_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lease"):
        RedisShared.from_url(redis_url, lease=0)
    with pytest.raises(ValueError, match="timeout"):
        RedisShared.from_url(redis_url, timeout=0)
    shared = RedisShared.from_url("redis://:hunter2@127.0.0.1:6390/0")
    assert "hunter2" not in repr(shared) and "127.0.0.1:6390" in repr(shared)


# -- a fleet: real processes ------------------------------------------------------------------

# 1,000 searches take about 570 s of Billecta time. Each 60 s window adds a request's way there
# and back (real time, times the factor) to the schedule: at 30x that stays well within 5% on
# a busy machine, and takes about 20 s of wall time.
SEARCH_FACTOR = 30.0
# The error budget test runs 200 s of Billecta time: under 2 s at 120x.
FACTOR = 120.0


async def test_four_processes_share_the_documented_search_limits(
    redis_url: str,
    prefix: str,
    processes: Processes,
) -> None:
    clock = ScaledClock(SEARCH_FACTOR)
    async with limit_server(clock) as server:
        for _ in range(4):
            processes.start(searches, server.url, clock, redis_url, prefix, 250)
        ready = await processes.reports("ready", 4)
        assert len({report["pid"] for report in ready}) == 4
        processes.go.set()
        done = await processes.reports("done", 4, timeout=120)
        await processes.join()
    assert [report["failed"] for report in done] == [[]] * 4
    assert server.rejected == 0  # not a single 429
    assert len(server.accepted) == 1000
    ideal = ideal_schedule(1000, [(30, 10.0), (100, 60.0)])
    ratio = (ideal[-1] - ideal[0]) / (server.accepted[-1] - server.accepted[0])
    assert ratio >= 0.95, f"{ratio:.3f} of the allowed rate"


async def test_four_processes_never_earn_billectas_error_penalty(
    redis_url: str,
    prefix: str,
    processes: Processes,
) -> None:
    clock = ScaledClock(FACTOR)
    async with limit_server(clock) as server:
        for _ in range(4):  # 200 s of Billecta time: more than three windows
            processes.start(failing_calls, server.url, clock, redis_url, prefix, 20, 200.0)
        await processes.reports("ready", 4)
        processes.go.set()
        done = await processes.reports("done", 4, timeout=120)
        await processes.join()
    most = server.most_errors_in(60.0)
    assert most <= 50, f"{most} error answers within 60 s: Billecta would delay the user"
    assert len(server.errors) >= 100  # the budget refills as errors leave the window (~150)
    assert all(report["exhausted"] > 0 for report in done)  # refused in every process
    # ... and every process got calls through to the server (which end as its 500, or, when
    # the budget then refuses the retry, as exhausted after a sent attempt: which of the two
    # depends on the processes' timing)
    assert all(report["server_errors"] + report["sent_then_exhausted"] > 0 for report in done)
