"""Client-side rate limits and the error budget.

Unit tests run on a manual virtual clock. The end-to-end test sends 1,000 concurrent searches
through one client to a local server that enforces Billecta's limits on its own
(tests/_limit_server.py), both on one ScaledClock.
"""

from __future__ import annotations

import asyncio
import numbers
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import pytest
from _clocks import JumpClock, ManualClock, settle
from _invoice_server import invoice_server
from _limit_server import limit_server

import billecta_async.models as m
from billecta_async import (
    BILLECTA_RATE_LIMITS,
    Admission,
    BillectaClient,
    ErrorBudgetExhaustedError,
    ErrorBudgetLimits,
    InMemoryErrorBudget,
    InMemoryRateLimiter,
    Limit,
    Permit,
    RateLimiter,
    RateLimits,
    ScaledClock,
    TransportError,
)
from billecta_async.testing import BillectaEmulator

SEARCH = "POST /v1/search/actions"


def ideal_schedule(n: int, limits: Sequence[tuple[int, float]]) -> list[float]:
    """The earliest send times of ``n`` requests under sliding-window ``(count, seconds)``
    limits, all requests ready at 0 and each answered at once: request ``i`` waits until request
    ``i - count`` has left every window."""
    times: list[float] = []
    for i in range(n):
        t = times[-1] if times else 0.0
        for count, seconds in limits:
            if i >= count:
                t = max(t, times[i - count] + seconds)
        times.append(t)
    return times


class Grants:
    """Tasks that each acquire a slot and record when they got it."""

    def __init__(self, limiter: InMemoryRateLimiter, clock: ManualClock) -> None:
        self.limiter = limiter
        self.clock = clock
        self.times: list[float] = []
        self.order: list[int] = []
        self.permits: list[Permit] = []
        self.tasks: list[asyncio.Task[None]] = []

    def start(self, n: int, key: str = SEARCH, *, complete: bool = True) -> None:
        for _ in range(n):
            self.tasks.append(asyncio.ensure_future(self._one(len(self.tasks), key, complete)))

    async def _one(self, index: int, key: str, complete: bool) -> None:
        permit = await self.limiter.acquire(key)
        self.times.append(self.clock.now())
        self.order.append(index)
        self.permits.append(permit)
        if complete:
            await permit.complete()

    async def run_until(self, moment: float) -> None:
        await self.clock.advance(moment - self.clock.now())

    async def finish(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


def limiter(clock: ManualClock, **kwargs: object) -> InMemoryRateLimiter:
    return InMemoryRateLimiter(RateLimits(**kwargs), clock=clock)  # type: ignore[arg-type]


# -- the limiter ----------------------------------------------------------------------------


def test_billecta_documented_limits() -> None:
    assert {
        "POST /v1/search/actions": (Limit(30, 10), Limit(100, 60)),
        "GET /v1/invoice/action/{id}": (Limit(100, 10), Limit(600, 60)),
        "GET /v1/invoice/actionbyinvoicenumber/{id}": (Limit(100, 10), Limit(600, 60)),
    } == BILLECTA_RATE_LIMITS
    assert isinstance(InMemoryRateLimiter(), RateLimiter)


async def test_exact_counts_in_both_windows() -> None:
    clock = ManualClock()
    grants = Grants(limiter(clock, endpoints={SEARCH: [Limit(3, 10), Limit(5, 60)]}), clock)
    grants.start(12)
    await grants.run_until(0)
    assert grants.times == [0, 0, 0]
    await grants.run_until(9.99)
    assert len(grants.times) == 3
    await grants.run_until(10)
    assert grants.times == [0, 0, 0, 10, 10]  # the 60 s window is full now
    await grants.run_until(59.99)
    assert len(grants.times) == 5
    await grants.run_until(130)
    assert grants.times == ideal_schedule(12, [(3, 10), (5, 60)])
    assert grants.times == [0, 0, 0, 10, 10, 60, 60, 60, 70, 70, 120, 120]
    await grants.finish()


async def test_the_documented_search_limits_give_the_ideal_schedule() -> None:
    clock = ManualClock()
    grants = Grants(InMemoryRateLimiter(clock=clock), clock)
    grants.start(250)
    await grants.run_until(200)
    assert grants.times == ideal_schedule(250, [(30, 10), (100, 60)])
    assert grants.times[29:31] == [0, 10] and grants.times[99:101] == [30, 60]
    await grants.finish()


async def test_windows_slide_rather_than_reset() -> None:
    clock = ManualClock()
    grants = Grants(limiter(clock, endpoints={SEARCH: [Limit(3, 10)]}), clock)
    grants.start(1)
    await grants.run_until(4)
    grants.start(4)
    await grants.run_until(10)
    # a fixed 10 s bucket would let three more through at 10; a sliding window one
    assert grants.times == [0, 4, 4, 10]
    await grants.run_until(14)
    assert grants.times == [0, 4, 4, 10, 14]
    await grants.finish()


async def test_a_slot_is_held_until_the_answer_and_a_window_after_it() -> None:
    clock = ManualClock()
    grants = Grants(limiter(clock, endpoints={SEARCH: [Limit(1, 10)]}), clock)
    grants.start(1, complete=False)
    grants.start(1)
    await grants.run_until(100)  # the first request has no answer yet: its slot stays held
    assert grants.times == [0]
    await grants.permits[0].complete()
    await grants.permits[0].complete()  # only the first call counts
    await grants.run_until(109.99)
    assert grants.times == [0]
    await grants.run_until(110)
    assert grants.times == [0, 110]
    await grants.finish()


async def test_a_released_slot_is_free_at_once() -> None:
    clock = ManualClock()
    grants = Grants(limiter(clock, endpoints={SEARCH: [Limit(1, 10)]}), clock)
    grants.start(1, complete=False)
    grants.start(1)
    await grants.run_until(3)
    await grants.permits[0].release()  # never sent (connection refused)
    await settle()
    assert grants.times == [0, 3]
    await grants.finish()


async def test_waiters_are_served_in_order_and_a_cancelled_one_takes_no_slot() -> None:
    clock = ManualClock()
    grants = Grants(limiter(clock, endpoints={SEARCH: [Limit(2, 10)]}), clock)
    grants.start(6)
    await settle()
    grants.tasks[3].cancel()
    await grants.run_until(30)
    assert grants.order == [0, 1, 2, 4, 5] and grants.times == [0, 0, 10, 10, 20]
    await grants.finish()


async def test_keys_count_apart_and_the_default_limits_all_other_calls_together() -> None:
    clock = ManualClock()
    limits = {SEARCH: [Limit(1, 10)], "GET /v1/invoice/action/{id}": [Limit(1, 10)]}
    grants = Grants(limiter(clock, endpoints=limits, default=[Limit(2, 10)]), clock)
    grants.start(2, SEARCH)
    grants.start(2, "GET /v1/invoice/action/{id}")
    grants.start(2, "GET /v1/debtors/debtor/{id}")
    grants.start(2, "POST /v1/products/product")
    await settle()
    assert sorted(grants.order) == [0, 2, 4, 5]
    unlimited = Grants(limiter(clock, endpoints=limits), clock)
    unlimited.start(500, "GET /v1/debtors/debtor/{id}")  # no default: other calls unlimited
    await settle()
    assert len(unlimited.times) == 500
    await grants.finish()
    await unlimited.finish()


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="count"):
        Limit(0, 10)
    with pytest.raises(ValueError, match="seconds"):
        Limit(1, 0)


@pytest.mark.parametrize(
    ("settings", "error", "says"),
    [
        ({"endpoints": {"POST /v1/search/action": [Limit(1, 10)]}}, ValueError, "no endpoint"),
        ({"endpoints": {"/v1/search/actions": [Limit(1, 10)]}}, ValueError, "no endpoint"),
        ({"endpoints": {SEARCH: Limit(1, 10)}}, TypeError, "a sequence of Limit"),
        ({"endpoints": {SEARCH: [(1, 10)]}}, TypeError, "a sequence of Limit"),
        ({"default": Limit(1, 10)}, TypeError, "a sequence of Limit"),
        ({"endpoints": [SEARCH]}, TypeError, "a mapping"),
    ],
)
def test_rate_limits_that_would_limit_nothing_or_fail_later_are_refused(
    settings: dict[str, object], error: type[Exception], says: str
) -> None:
    """A key that names no endpoint (a typo, a filled-in path) silently limited nothing; a
    Limit not in a sequence failed with "not iterable" when a client was made."""
    with pytest.raises(error, match=says):
        RateLimits(**settings)  # type: ignore[arg-type]


def test_rate_limits_name_the_endpoint_a_mistyped_key_meant() -> None:
    with pytest.raises(ValueError, match=r"'POST /v1/search/actions'\?"):
        RateLimits(endpoints={"POST /v1/search/action": [Limit(1, 10)]})


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: Limit("30", 10), r"^Limit count must be an int, 1 or more \(got '30'\)"),
        (lambda: Limit(True, 10), r"^Limit count must be an int, 1 or more \(got True\)"),
        (lambda: Limit(2.5, 10), r"^Limit count must be an int"),
        (lambda: Limit(3, "10"), r"^Limit seconds must be a finite number > 0 \(got '10'\)"),
        (lambda: Limit(3, float("inf")), r"^Limit seconds must be a finite number > 0"),
        (lambda: ErrorBudgetLimits(max_errors="50"), r"^max_errors must be an int, 1 or more"),
        (lambda: ErrorBudgetLimits(window="60"), r"^window must be a finite number > 0"),
        (lambda: ErrorBudgetLimits(window=float("inf")), r"^window must be a finite number > 0"),
        (lambda: ErrorBudgetLimits(reserve=1.5), r"^reserve must be an int"),
    ],
)
def test_limits_of_the_wrong_kind_are_refused_naming_them(make: Any, says: str) -> None:
    """Not a TypeError comparing a str with an int, nor a window that never ends."""
    with pytest.raises((TypeError, ValueError), match=says):
        make()


# -- the error budget ------------------------------------------------------------------------


async def test_error_budget_counts_errors_but_not_404_in_a_sliding_window() -> None:
    clock = ManualClock()
    budget = InMemoryErrorBudget(ErrorBudgetLimits(max_errors=5, window=60, reserve=2), clock=clock)
    for status in (200, 201, 302, 404, 404):
        budget.record(status)
    assert budget.errors() == 0
    for status in (400, 401, 403):
        budget.record(status)
    assert budget.errors() == 3 and not await budget.allows_retry()  # 2 left: for the caller
    clock._now = 30
    budget.record(429)
    budget.record(500)
    with pytest.raises(ErrorBudgetExhaustedError) as caught:
        await budget.check("GET", "/v1/x/{id}")
    error = caught.value
    assert (error.errors, error.max_errors, error.window, error.retry_after) == (5, 5, 60, 30)
    assert str(error).startswith("GET /v1/x/{id}: not sent - 5 error answers within the last 60")
    clock._now = 60  # the three errors at 0 left the window
    await budget.check("GET", "/v1/x/{id}")
    assert budget.errors() == 2 and await budget.allows_retry()


def test_error_budget_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="reserve"):
        ErrorBudgetLimits(max_errors=5, reserve=5)
    with pytest.raises(ValueError, match="window"):
        ErrorBudgetLimits(window=0)


# -- end to end ------------------------------------------------------------------------------

# 1,000 searches take about 570 s of Billecta time; at 120x that is under 5 s of wall time.
FACTOR = 120.0
SEARCHES = 1000


async def test_1000_concurrent_searches_meet_the_limits_at_full_speed() -> None:
    clock = ScaledClock(FACTOR)
    async with (
        limit_server(clock) as server,
        BillectaClient(
            secure_token="token", base_url=server.url, clock=clock, max_retries=0
        ) as api,
    ):
        results = await asyncio.gather(*(api.search.actions(m.Search()) for _ in range(SEARCHES)))
    assert len(results) == SEARCHES
    assert server.rejected == 0
    assert len(server.accepted) == SEARCHES
    ideal = ideal_schedule(SEARCHES, [(30, 10.0), (100, 60.0)])
    achieved = server.accepted[-1] - server.accepted[0]
    ratio = (ideal[-1] - ideal[0]) / achieved
    assert ratio >= 0.95, f"{ratio:.3f} of the allowed rate"


async def test_1000_concurrent_searches_against_the_emulator_get_no_429() -> None:
    from billecta_async.testing import BillectaEmulator

    clock = ScaledClock(FACTOR)
    async with BillectaEmulator(clock=clock) as emulator, emulator.client(max_retries=0) as api:
        search = m.Search(creditor_public_id=emulator.creditor_public_id)
        results = await asyncio.gather(*(api.search.actions(search) for _ in range(SEARCHES)))
    assert len(results) == SEARCHES
    assert emulator.state.rate_limited == 0
    arrivals = emulator.state.request_times["POST /v1/search/actions"]
    assert len(arrivals) == SEARCHES
    ideal = ideal_schedule(SEARCHES, [(30, 10.0), (100, 60.0)])
    ratio = (ideal[-1] - ideal[0]) / (arrivals[-1] - arrivals[0])
    assert ratio >= 0.95, f"{ratio:.3f} of the allowed rate"


# -- the client and its limiter --------------------------------------------------------------


class RecordingLimiter:
    """A RateLimiter of one's own: records what each attempt asked for and how it ended."""

    def __init__(self) -> None:
        self.events: list[str] = []

    async def acquire(self, key: str) -> Permit:
        self.events.append(f"acquire {key}")
        events = self.events

        class Recorded:
            async def release(self) -> None:
                events.append("release")

            async def complete(self) -> None:
                events.append("complete")

        return Recorded()


async def test_every_attempt_takes_a_slot_and_one_client_limiter_can_be_shared() -> None:
    limiter = RecordingLimiter()
    assert isinstance(limiter, RateLimiter)
    async with invoice_server(["500", "drop-before"]) as server:
        server.invoices["inv-1"] = b"{}"
        clients = [
            BillectaClient(
                secure_token="t", base_url=server.url, clock=JumpClock(), rate_limits=limiter
            )
            for _ in range(2)
        ]
        async with clients[0] as first, clients[1] as second:
            await first.invoices.get("inv-1")  # 500, dropped connection, then an answer
            await second.invoices.get("inv-1")
    get = "acquire GET /v1/invoice/action/{id}"
    # each permit ends once: completed at the answer, or (the connection dropped after the
    # request may have arrived) completed at the failure
    assert limiter.events == [get, "complete"] * 4
    # a request that never left (connection refused) gives its slot back
    limiter.events.clear()
    async with BillectaClient(
        secure_token="t", base_url=server.url, rate_limits=limiter, max_retries=0
    ) as closed:
        with pytest.raises(TransportError, match="ClientConnectorError"):
            await closed.invoices.get("inv-1")
    assert limiter.events == [get, "release"]


def test_client_reliability_options_from_the_environment() -> None:
    env = {"BILLECTA_SECURE_TOKEN": "t", "BILLECTA_MAX_RETRIES": "5", "BILLECTA_DEADLINE": "30"}
    transport = BillectaClient.from_env(env)._transport
    assert (transport.max_retries, transport.deadline) == (5, 30.0)
    with pytest.raises(ValueError, match="BILLECTA_MAX_RETRIES"):
        BillectaClient.from_env({**env, "BILLECTA_MAX_RETRIES": "many"})
    with pytest.raises(ValueError, match="max_retries"):
        BillectaClient(secure_token="t", max_retries=-1)
    with pytest.raises(ValueError, match="deadline"):
        BillectaClient(secure_token="t", deadline=0)
    default = BillectaClient(secure_token="t")._transport
    assert isinstance(default.rate_limiter, InMemoryRateLimiter)
    assert isinstance(default.error_budget, InMemoryErrorBudget)
    assert (default.max_retries, default.deadline) == (2, None)


# -- how the client asks the in-memory limiter and budget ------------------------------------


def test_the_limiter_says_which_calls_any_limit_applies_to() -> None:
    clock = ManualClock()
    documented = limiter(clock)
    assert documented.applies_to(SEARCH)
    assert not documented.applies_to("GET /v1/debtors/debtor/{id}")
    everything = limiter(clock, endpoints={}, default=[Limit(5, 10)])
    assert everything.applies_to("GET /v1/debtors/debtor/{id}")


async def test_errors_arriving_while_a_call_waits_for_its_slot_refuse_it_unsent() -> None:
    clock = ManualClock()
    budget = InMemoryErrorBudget(ErrorBudgetLimits(max_errors=3, reserve=1), clock=clock)
    one_a_minute = RateLimits(endpoints={"GET /v1/invoice/action/{id}": [Limit(1, 60)]})
    async with invoice_server() as server:
        server.invoices["inv-1"] = b"{}"
        async with BillectaClient(
            secure_token="t",
            base_url=server.url,
            clock=clock,
            rate_limits=one_a_minute,
            error_budget=budget,
            max_retries=0,
        ) as api:
            await api.invoices.get("inv-1")  # takes the minute's slot
            waiting = asyncio.ensure_future(api.invoices.get("inv-1"))
            await clock.advance(30)
            assert not waiting.done()
            for _ in range(3):  # other calls' error answers fill the budget meanwhile
                budget.record(500)
            await clock.advance(30)  # the slot is free: the budget is asked again, and refuses
            with pytest.raises(ErrorBudgetExhaustedError):
                await waiting
    assert len(server.seen) == 1  # the second call was never sent
    assert budget.errors() == 3  # and its refusal is not an error answer


async def test_a_budget_or_limiter_of_ones_own_is_asked_through_its_protocol() -> None:
    class CountingBudget(InMemoryErrorBudget):
        """An in-memory budget that also counts what the client asks it."""

        def __init__(self) -> None:
            super().__init__()
            self.asked: list[str] = []

        async def check(self, method: str, path: str) -> None:
            self.asked.append("check")
            await super().check(method, path)

        async def admit(self, method: str, path: str) -> Admission:
            self.asked.append("admit")
            return await super().admit(method, path)

    budget = CountingBudget()
    limiter = RecordingLimiter()
    async with invoice_server(["500"]) as server:
        server.invoices["inv-1"] = b"{}"
        async with BillectaClient(
            secure_token="t",
            base_url=server.url,
            clock=JumpClock(),
            rate_limits=limiter,
            error_budget=budget,
        ) as api:
            await api.invoices.get("inv-1")  # a 500, then the answer
    assert budget.asked == ["check", "admit"] * 2
    assert budget.errors() == 1  # the 500, recorded through its Admission
    assert limiter.events == ["acquire GET /v1/invoice/action/{id}", "complete"] * 2


class _Count:
    """An int-like number that is not an int, as numpy's integers are (numbers.Integral)."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __int__(self) -> int:
        return self.value

    __index__ = __int__


numbers.Integral.register(_Count)


def test_int_like_counts_and_real_seconds_are_taken_as_int_and_float() -> None:
    """Taken before the kinds were checked (a Fraction, numpy's numbers): stored as int and
    float, as the Redis store sends them as text."""
    limit = Limit(_Count(30), Fraction(21, 2))  # type: ignore[arg-type]
    assert limit == Limit(30, 10.5)
    assert type(limit.count) is int and type(limit.seconds) is float
    budget = ErrorBudgetLimits(max_errors=_Count(50), window=Fraction(60), reserve=_Count(5))  # type: ignore[arg-type]
    assert budget == ErrorBudgetLimits(50, 60.0, 5) and type(budget.max_errors) is int
    assert Limit(30, 10).seconds == 10 and type(Limit(30, 10).seconds) is int  # as given


async def test_a_fraction_timeout_is_taken(billecta_emulator: BillectaEmulator) -> None:
    """float() took it before timeouts were checked."""
    creditor = billecta_emulator.creditor_public_id
    async with billecta_emulator.client(timeout=Fraction(30)) as api:
        assert await api.debtors.list(creditor, timeout=Fraction(5, 2)) == []
