"""Redis unavailable, slow or stopped mid-run, and a process killed while holding slots and
claims: clear typed errors within bounded time, nothing sent twice, and the others go on once
the dead process's leases run out. Real Redis servers and real OS processes throughout.
"""

from __future__ import annotations

import asyncio
import logging
import time

import aiohttp
import pytest
import redis
from _limit_server import limit_server
from _redis import Processes, RedisServer, free_port
from _redis_workers import (
    TOKEN,
    holder,
    limited_searches,
    searches_until_redis_fails,
    webhook_receiver,
)

import billecta_async.models as m
from billecta_async import (
    BillectaClient,
    BillectaError,
    Limit,
    RateLimits,
    RedisUnavailableError,
    ScaledClock,
)
from billecta_async.redis import RedisShared
from billecta_async.webhooks import WebhookEventType, encode_webhook

SEARCH = "POST /v1/search/actions"


def client(url: str, shared: RedisShared, clock: ScaledClock, **options: object) -> BillectaClient:
    return BillectaClient(
        secure_token=TOKEN,
        base_url=url,
        clock=clock,
        shared=shared,
        **options,  # type: ignore[arg-type]
    )


async def test_redis_down_is_a_clear_error_before_anything_is_sent() -> None:
    port = free_port()  # nothing listens there
    clock = ScaledClock(100)
    shared = RedisShared.from_url(f"redis://127.0.0.1:{port}/0", timeout=0.5)
    async with limit_server(clock) as server, client(server.url, shared, clock) as api:
        started = time.monotonic()
        with pytest.raises(RedisUnavailableError) as caught:
            await api.search.actions(m.Search())
        assert time.monotonic() - started < 5
        with pytest.raises(RedisUnavailableError, match="admit GET /v1/common/countries"):
            await api.common.list_countries()  # no rate limit, but the error budget
    error = caught.value
    assert isinstance(error, BillectaError)
    assert str(error).startswith(f"Redis at 127.0.0.1:{port} unavailable: could not take a rate")
    assert error.operation == f"take a rate-limit slot for {SEARCH}"
    assert error.address == f"127.0.0.1:{port}" and "ConnectionError" in error.reason
    assert server.arrivals == {} and server.accepted == []  # nothing sent


async def test_a_hung_redis_is_given_up_on_within_its_timeout(
    private_redis: RedisServer,
) -> None:
    clock = ScaledClock(100)
    shared = RedisShared.from_url(private_redis.url, timeout=0.3)
    async with limit_server(clock) as server, client(server.url, shared, clock) as api:
        await api.search.actions(m.Search())  # Redis answers: one search goes out
        private_redis.pause()
        try:
            started = time.monotonic()
            with pytest.raises(RedisUnavailableError, match="TimeoutError"):
                await api.search.actions(m.Search())
            elapsed = time.monotonic() - started
        finally:
            private_redis.resume()
    assert elapsed < 3, f"took {elapsed:.1f} s"  # two tries of 0.3 s each, and some slack
    assert len(server.accepted) == 1


async def test_local_fallback_is_explicit_warns_once_and_keeps_per_process_limits(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = ScaledClock(100)
    dead = f"redis://127.0.0.1:{free_port()}/0"
    shared = RedisShared.from_url(dead, timeout=0.3, on_redis_error="local")
    limits = RateLimits(endpoints={SEARCH: [Limit(1, 1000)]})
    caplog.set_level(logging.WARNING, "billecta_async.redis")
    async with (
        limit_server(clock) as server,
        client(server.url, shared, clock, rate_limits=limits) as api,
    ):
        await api.search.actions(m.Search())
        await api.common.list_countries()
        with pytest.raises(asyncio.TimeoutError):  # the process's own limit still holds
            await asyncio.wait_for(api.search.actions(m.Search()), 0.5)
    assert len(server.accepted) == 1
    warnings = [r.getMessage() for r in caplog.records if "per process" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].startswith("Redis at 127.0.0.1:") and "on_redis_error='local'" in warnings[0]


# -- a fleet: real processes ------------------------------------------------------------------


async def test_redis_stopped_mid_run_clear_errors_no_hang_nothing_sent_twice(
    private_redis: RedisServer,
    processes: Processes,
    prefix: str,
) -> None:
    clock = ScaledClock(120)
    async with limit_server(clock) as server:
        for name in ("p1", "p2", "p3"):
            processes.start(
                searches_until_redis_fails, server.url, clock, private_redis.url, prefix, name, 4
            )
        await processes.reports("ready", 3)
        processes.go.set()
        deadline = time.monotonic() + 60
        while len(server.accepted) < 40:  # the fleet is at work ...
            assert time.monotonic() < deadline
            await asyncio.sleep(0.01)
        private_redis.stop()  # ... when Redis goes away
        done = await processes.reports("done", 3, timeout=60)
        await processes.join(timeout=30)  # no process hangs
    outcomes = [o for report in done for o in report["outcomes"]]
    assert {o["outcome"] for o in outcomes} == {"ok", "redis"}
    for o in outcomes:
        assert o["seconds"] < 5, o  # every call ended within bounded time
        if o["outcome"] == "redis":
            assert o["message"].startswith(f"Redis at 127.0.0.1:{private_redis.port} unavail")
            assert "rate-limit slot for POST /v1/search/actions" in o["message"] or (
                "admit POST /v1/search/actions to the error budget" in o["message"]
            )
    sent = server.unique_ids
    assert len(sent) == len(set(sent)), "a request was sent twice"
    assert {o["id"] for o in outcomes if o["outcome"] == "ok"} == set(sent)
    assert len([o for o in outcomes if o["outcome"] == "redis"]) >= 3 * 4 * 2
    assert server.rejected == 0


async def test_a_killed_process_frees_its_slots_and_claims_after_the_lease(
    redis_url: str,
    processes: Processes,
    prefix: str,
) -> None:
    clock = ScaledClock(10)  # a 10 s window lasts 1 s of real time
    # The dying process's leases are shorter than the window, so that freeing its slots when
    # they run out, rather than a window later, would earn 429s; the others' are long.
    lease, window, claim_lease = 5.0, 10.0, 2.0  # clock s, clock s, real s
    limits = RateLimits(endpoints={SEARCH: [Limit(3, window)]})
    events = [
        encode_webhook(WebhookEventType.DEBTOR_DELETED, f"d-{i}", creditor_public_id="c")
        for i in range(2)
    ]
    # The dying process reports on a queue of its own: killed while writing to a queue, a
    # process can leave it locked for every other writer.
    doomed = Processes()
    try:
        async with limit_server(clock) as server, aiohttp.ClientSession() as http:
            server.limits = {SEARCH: [(3, window)]}
            server.holding.set()  # searches are counted on arrival, answered never
            dying = doomed.start(
                holder, server.url, clock, redis_url, prefix, limits, lease, 3, claim_lease
            )
            hooks = (await doomed.reports("ready", 1))[0]["url"]
            deadline = time.monotonic() + 30
            while len(server.accepted) < 3:  # its three slots are taken, the requests arrived
                assert time.monotonic() < deadline
                await asyncio.sleep(0.01)
            posts = [asyncio.ensure_future(_post(http, hooks, body)) for body in events]
            await doomed.reports("claimed", 2)  # its callback runs for both events
            dying.kill()
            killed_at = clock.now()
            doomed.close()
            server.holding.clear()
            for posted in posts:
                posted.cancel()
            processes.start(webhook_receiver, redis_url, prefix, 1, 0.0)
            receiver = (await processes.reports("ready", 1))[0]["url"]
            for _ in range(2):
                processes.start(
                    limited_searches, server.url, clock, redis_url, prefix, limits, 600.0, 3
                )
            await processes.reports("ready", 2)
            processes.go.set()
            answers = await asyncio.gather(*(_deliver(http, receiver, body) for body in events))
            real_killed_at = time.monotonic() - (clock.now() - killed_at) / clock.factor
            done = await processes.reports("done", 2, timeout=60)
            processes.stop.set()
            await processes.reports("done", 1)
            await processes.join()
    finally:
        doomed.close()
    assert server.rejected == 0  # the dead process's slots were held until they were safe
    times = sorted(t for report in done for t in report["times"])
    assert len(times) == 6
    # ... and freed once its lease ran out: the six searches needed two more windows after it
    assert times[-1] - killed_at < lease + 2 * window + 20
    for statuses, finished in answers:
        assert statuses[-1] == 200 and set(statuses[:-1]) <= {409}
        assert finished - real_killed_at < claim_lease + 10
    store = redis.Redis.from_url(redis_url)
    processed = store.lrange(f"{prefix}:done", 0, -1)
    store.close()
    assert len(processed) == 2 == len(set(processed))  # each event processed once


async def _post(http: aiohttp.ClientSession, url: str, body: bytes) -> int:
    headers = {"Content-Type": "application/json"}
    async with http.post(url, data=body, headers=headers) as response:
        return response.status


async def _deliver(http: aiohttp.ClientSession, url: str, body: bytes) -> tuple[list[int], float]:
    """Deliver until a 200, as Billecta would (but every 50 ms): the statuses and when done."""
    statuses: list[int] = []
    while not statuses or statuses[-1] != 200:
        if statuses:
            await asyncio.sleep(0.05)
        statuses.append(await _post(http, url, body))
        assert len(statuses) < 1000
    return statuses, time.monotonic()
