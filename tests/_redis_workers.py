"""What the worker processes of the multi-process Redis tests run (each its own process).

Every worker gets ``(queue, go, stop, ...)``: it reports on ``queue`` (dicts with a ``kind``;
``error`` with a traceback if it failed), waits for ``go`` before its timed work, and a serving
worker runs until ``stop``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

import billecta_async.models as m
from billecta_async import (
    BillectaClient,
    Clock,
    ErrorBudgetExhaustedError,
    ErrorBudgetLimits,
    RateLimits,
    RedisUnavailableError,
    ServerError,
)
from billecta_async.redis import RedisDeduplicator, RedisShared
from billecta_async.webhooks import WebhookDelivery, aiohttp_webhook_handler

TOKEN = "the-fleet's-secure-token"
DEBTOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"


def _run(queue: Any, work: Callable[[], Awaitable[None]]) -> None:
    try:
        asyncio.run(work())  # type: ignore[arg-type]
    except BaseException:
        queue.put({"kind": "error", "pid": os.getpid(), "traceback": traceback.format_exc()})
        raise


async def _warm_up(api: BillectaClient) -> None:
    """One call (not limited) before the timed work: the first call of a process pays for
    connections, loading Redis's scripts and decoders, which is not what a test measures."""
    await api.common.list_countries()
    m.SearchResult.from_json(m.SearchResult().to_json())


async def _wait(event: Any) -> None:
    """Wait for a multiprocessing event without blocking the loop."""
    while not event.is_set():
        await asyncio.sleep(0.005)


def _client(url: str, clock: Clock, redis_url: str, prefix: str, **options: Any) -> BillectaClient:
    timeout = options.pop("redis_timeout", 1.0)
    # A lease is on the clock: 600 s at 120x is five seconds of real time, enough for a busy
    # machine to send a request it was granted before its lease runs out.
    lease = options.pop("lease", 600.0)
    shared = RedisShared.from_url(redis_url, prefix=prefix, timeout=timeout, lease=lease)
    return BillectaClient(secure_token=TOKEN, base_url=url, clock=clock, shared=shared, **options)


# -- rate limits -------------------------------------------------------------------------------


def searches(
    queue: Any, go: Any, stop: Any, url: str, clock: Clock, redis_url: str, prefix: str, n: int
) -> None:
    """``n`` concurrent searches, started together with the other workers' on ``go``."""

    async def work() -> None:
        async with _client(url, clock, redis_url, prefix, max_retries=0) as api:
            await _warm_up(api)
            queue.put({"kind": "ready", "pid": os.getpid()})
            await _wait(go)
            results = await asyncio.gather(
                *(api.search.actions(m.Search()) for _ in range(n)), return_exceptions=True
            )
        failures = [repr(r) for r in results if isinstance(r, BaseException)]
        queue.put({"kind": "done", "pid": os.getpid(), "ok": n - len(failures), "failed": failures})

    _run(queue, work)


# -- error budget ------------------------------------------------------------------------------


def failing_calls(
    queue: Any,
    go: Any,
    stop: Any,
    url: str,
    clock: Clock,
    redis_url: str,
    prefix: str,
    tasks: int,
    duration: float,
) -> None:
    """``tasks`` tasks calling an endpoint that answers 500, for ``duration`` seconds on the
    clock from ``go``; an exhausted budget is waited out as its error says."""

    async def work() -> None:
        # calls that ended with the server's 500, refused by the budget, and refused after an
        # attempt that reached the server (a retry refused)
        counts = {"server_errors": 0, "exhausted": 0, "sent_then_exhausted": 0}
        until = 0.0

        async def one() -> None:
            while clock.now() < until:
                try:
                    await api.debtors.get(DEBTOR)
                except ServerError:
                    counts["server_errors"] += 1
                except ErrorBudgetExhaustedError as exc:
                    counts["exhausted"] += 1
                    counts["sent_then_exhausted"] += exc.maybe_processed
                    await clock.sleep(min(exc.retry_after + 0.1, max(0.0, until - clock.now())))

        async with _client(url, clock, redis_url, prefix, error_budget=ErrorBudgetLimits()) as api:
            queue.put({"kind": "ready", "pid": os.getpid()})
            await _wait(go)
            until = clock.now() + duration
            await asyncio.gather(*(one() for _ in range(tasks)))
        queue.put({"kind": "done", "pid": os.getpid(), **counts})

    _run(queue, work)


# -- a process that dies holding slots and claims ----------------------------------------------


def holder(
    queue: Any,
    go: Any,
    stop: Any,
    url: str,
    clock: Clock,
    redis_url: str,
    prefix: str,
    limits: RateLimits,
    lease: float,
    slots: int,
    claim_lease: float,
) -> None:
    """Sends ``slots`` searches the server never answers and serves webhooks whose callback
    never returns; reports ``holding`` once both are under way, then waits to be killed."""

    async def work() -> None:
        async def never_returns(delivery: WebhookDelivery) -> None:
            queue.put({"kind": "claimed", "identity": delivery.identity})
            await asyncio.Event().wait()

        shared = RedisShared.from_url(redis_url, prefix=prefix)
        dedup = RedisDeduplicator(shared, lease=claim_lease)
        _, hooks = await _serve_webhooks(never_returns, dedup)
        api = _client(url, clock, redis_url, prefix, rate_limits=limits, lease=lease, max_retries=0)
        calls = [asyncio.ensure_future(api.search.actions(m.Search())) for _ in range(slots)]
        queue.put({"kind": "ready", "pid": os.getpid(), "url": hooks})
        await asyncio.gather(*calls)  # never: the server holds them until this process dies

    _run(queue, work)


def limited_searches(
    queue: Any,
    go: Any,
    stop: Any,
    url: str,
    clock: Clock,
    redis_url: str,
    prefix: str,
    limits: RateLimits,
    lease: float,
    n: int,
) -> None:
    """``n`` concurrent searches under ``limits``, from ``go``; reports when each was done."""

    async def work() -> None:
        async with _client(
            url, clock, redis_url, prefix, rate_limits=limits, lease=lease, max_retries=0
        ) as api:
            await _warm_up(api)
            queue.put({"kind": "ready", "pid": os.getpid()})
            await _wait(go)

            async def one() -> float:
                await api.search.actions(m.Search())
                return clock.now()

            times = await asyncio.gather(*(one() for _ in range(n)))
        queue.put({"kind": "done", "pid": os.getpid(), "times": sorted(times)})

    _run(queue, work)


# -- Redis going away ----------------------------------------------------------------------


def searches_until_redis_fails(
    queue: Any,
    go: Any,
    stop: Any,
    url: str,
    clock: Clock,
    redis_url: str,
    prefix: str,
    name: str,
    tasks: int,
) -> None:
    """``tasks`` tasks searching one after another, each call with its own UniqueApiCallId,
    until each has seen Redis fail twice; reports every call's outcome and wall time."""

    async def work() -> None:
        outcomes: list[dict[str, Any]] = []
        loop = asyncio.get_running_loop()

        async def one(task: int) -> None:
            failures = 0
            for i in range(100_000):
                call_id = f"{name}-{task}-{i}"
                started = loop.time()
                try:
                    await api.search.actions(m.Search(), unique_api_call_id=call_id)
                    outcome, message = "ok", ""
                except RedisUnavailableError as exc:
                    outcome, message = "redis", str(exc)
                    failures += 1
                except Exception as exc:
                    outcome, message = type(exc).__name__, str(exc)
                seconds = loop.time() - started
                outcomes.append(
                    {"id": call_id, "outcome": outcome, "message": message, "seconds": seconds}
                )
                if failures >= 2:
                    return

        async with _client(url, clock, redis_url, prefix, max_retries=0, redis_timeout=0.5) as api:
            queue.put({"kind": "ready", "pid": os.getpid()})
            await _wait(go)
            await asyncio.gather(*(one(t) for t in range(tasks)))
        queue.put({"kind": "done", "pid": os.getpid(), "outcomes": outcomes})

    _run(queue, work)


# -- webhooks ----------------------------------------------------------------------------------


async def _serve_webhooks(
    callback: Callable[[WebhookDelivery], Awaitable[None]], dedup: RedisDeduplicator
) -> tuple[web.AppRunner, str]:
    """A webhook receiver on 127.0.0.1 (a free port): its runner and URL."""
    app = web.Application()
    app.router.add_post("/hooks", aiohttp_webhook_handler(callback, dedup=dedup))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/hooks"


def webhook_receiver(
    queue: Any, go: Any, stop: Any, redis_url: str, prefix: str, seed: int, fail_rate: float
) -> None:
    """A webhook receiver with a RedisDeduplicator until ``stop``. The callback fails at
    random (``fail_rate``); an event whose identity is listed under ``{prefix}:hold`` waits, once
    started (``{prefix}:started:{identity}`` set), for ``{prefix}:go:{identity}``; a success
    is pushed on ``{prefix}:done``."""

    logging.getLogger("billecta_async.webhooks").setLevel(logging.CRITICAL)  # failing on purpose

    async def work() -> None:
        shared = RedisShared.from_url(redis_url, prefix=prefix)
        redis = shared.redis
        rng = random.Random(seed)

        async def callback(delivery: WebhookDelivery) -> None:
            identity = delivery.identity
            if await redis.sismember(f"{prefix}:hold", identity):
                await redis.set(f"{prefix}:started:{identity}", os.getpid())
                while not await redis.exists(f"{prefix}:go:{identity}"):
                    await asyncio.sleep(0.005)
            await asyncio.sleep(rng.uniform(0, 0.01))
            if rng.random() < fail_rate:
                raise RuntimeError("the callback failed (on purpose)")
            await redis.rpush(f"{prefix}:done", identity)

        dedup = RedisDeduplicator(shared, lease=5.0)
        runner, hooks = await _serve_webhooks(callback, dedup)
        queue.put({"kind": "ready", "pid": os.getpid(), "url": hooks})
        await _wait(stop)
        await runner.cleanup()
        await dedup.aclose()
        await shared.aclose()
        queue.put({"kind": "done", "pid": os.getpid()})

    _run(queue, work)
