"""Webhook claims in a real Redis (RedisDeduplicator): atomic claims, 409 for a delivery of an
event another worker is processing, memory of processed events for Billecta's retry schedule,
and 200 events delivered to 4 worker processes, each processed exactly once.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import redis.asyncio as aioredis
from _redis import Processes, free_port
from _redis_workers import webhook_receiver

from billecta_async.redis import DEFAULT_RETENTION, RedisDeduplicator, RedisShared
from billecta_async.webhooks import (
    ClaimRefused,
    EventClaim,
    WebhookDelivery,
    WebhookEventType,
    encode_webhook,
    parse_webhook,
)
from billecta_async.webhooks._receiver import WebhookReceiver


@pytest.fixture
async def shared(redis_url: str, prefix: str) -> AsyncIterator[RedisShared]:
    store = RedisShared.from_url(redis_url, prefix=prefix)
    yield store
    await store.aclose()


async def test_a_claim_is_exclusive_until_completed_or_released(shared: RedisShared) -> None:
    first, second = RedisDeduplicator(shared), RedisDeduplicator(shared)  # two workers
    claim = await first.claim("e1")
    assert isinstance(claim, EventClaim)
    assert await second.claim("e1") is ClaimRefused.IN_PROGRESS
    await claim.release()  # the callback failed
    again = await second.claim("e1")
    assert isinstance(again, EventClaim)
    assert await first.claim("e1") is ClaimRefused.IN_PROGRESS
    await claim.release()  # a stale release does not drop the other worker's claim
    assert await first.claim("e1") is ClaimRefused.IN_PROGRESS
    await again.complete()
    assert await first.claim("e1") is ClaimRefused.PROCESSED
    ttl = await shared.redis.pttl(f"{shared.prefix}:webhook:e1")
    assert ttl > 28 * 3600 * 1000 and DEFAULT_RETENTION >= 28 * 3600
    await first.aclose()
    await second.aclose()


async def test_a_claim_is_renewed_while_its_callback_runs_and_runs_out_after_its_worker(
    shared: RedisShared,
) -> None:
    working, other = RedisDeduplicator(shared, lease=0.3), RedisDeduplicator(shared)
    claim = await working.claim("e2")
    assert isinstance(claim, EventClaim)
    await asyncio.sleep(1.0)  # three leases: the claim is renewed while the worker lives
    assert await other.claim("e2") is ClaimRefused.IN_PROGRESS
    # a worker that dies stops renewing: its claim runs out within a lease
    claim._renewal.cancel()  # type: ignore[attr-defined]
    await asyncio.sleep(0.5)
    taken = await other.claim("e2")
    assert isinstance(taken, EventClaim)
    await taken.complete()
    await working.aclose()
    await other.aclose()


def test_retention_covers_billectas_retry_schedule(redis_url: str) -> None:
    store = RedisShared.from_url(redis_url)
    with pytest.raises(ValueError, match="28 hours"):
        RedisDeduplicator(store, retention=24 * 3600)
    with pytest.raises(ValueError, match="lease"):
        RedisDeduplicator(store, lease=0)


async def test_a_lease_under_a_millisecond_still_claims(shared: RedisShared) -> None:
    # Redis refuses PX 0: a lease shorter than a millisecond is held for one millisecond
    dedup = RedisDeduplicator(shared, lease=0.0004)
    claim = await dedup.claim("tiny")
    assert isinstance(claim, EventClaim)
    await claim.complete()
    assert await dedup.claim("tiny") is ClaimRefused.PROCESSED
    await dedup.aclose()


@pytest.mark.parametrize("option", ["socket_timeout", "socket_connect_timeout", "retry"])
def test_from_url_says_which_option_timeout_sets(redis_url: str, option: str) -> None:
    with pytest.raises(ValueError, match=f"{option} is set from timeout="):
        options: dict[str, Any] = {option: 5}
        RedisShared.from_url(redis_url, **options)


async def test_redis_down_means_500_and_the_callback_is_not_called() -> None:
    calls: list[WebhookDelivery] = []

    async def callback(delivery: WebhookDelivery) -> None:
        calls.append(delivery)

    store = RedisShared.from_url(f"redis://127.0.0.1:{free_port()}/0", timeout=0.3)
    receiver = WebhookReceiver(callback, dedup=RedisDeduplicator(store))
    body = encode_webhook(WebhookEventType.DEBTOR_DELETED, "d-1", creditor_public_id="c")

    async def chunks() -> AsyncIterator[bytes]:
        yield body

    reply = await receiver.handle("POST", {"content-type": "application/json"}, {}, chunks())
    assert reply.status == 500 and calls == []


# -- a fleet: real processes ------------------------------------------------------------------

EVENTS = 200
HELD = 20  # of them delivered a second time while the first delivery is being processed


async def test_200_events_to_4_workers_each_processed_exactly_once(
    redis_url: str, prefix: str, processes: Processes
) -> None:
    for seed in range(4):
        processes.start(webhook_receiver, redis_url, prefix, seed, 0.25)
    workers = [report["url"] for report in await processes.reports("ready", 4)]
    bodies = [
        encode_webhook(WebhookEventType.DEBTOR_DELETED, f"debtor-{i}", creditor_public_id="c")
        for i in range(EVENTS)
    ]
    identities = [parse_webhook(body, "application/json").identity for body in bodies]
    store = aioredis.Redis.from_url(redis_url)
    await store.sadd(f"{prefix}:hold", *identities[:HELD])
    rng = random.Random(7)
    statuses: Counter[int] = Counter()
    texts: Counter[str] = Counter()

    async def post(http: aiohttp.ClientSession, body: bytes) -> int:
        url = rng.choice(workers)
        async with http.post(url, data=body, headers={"Content-Type": "application/json"}) as r:
            statuses[r.status] += 1
            texts[await r.text()] += 1
            return r.status

    async def deliver(http: aiohttp.ClientSession, index: int) -> None:
        """Billecta's part: deliver until a 200 (retrying at once rather than in 5 minutes),
        sometimes twice at the same time, then once more (a 200 that got lost)."""
        body, identity = bodies[index], identities[index]
        if index < HELD:  # a repeat while the first delivery's callback runs
            first = asyncio.ensure_future(post(http, body))
            while not await store.exists(f"{prefix}:started:{identity}"):
                await asyncio.sleep(0.005)
            assert await post(http, body) == 409
            await store.set(f"{prefix}:go:{identity}", 1)
            status = await first
        elif index % 5 == 0:  # two deliveries racing
            status = max(await asyncio.gather(post(http, body), post(http, body)))
        else:
            status = await post(http, body)
        while status != 200:
            await asyncio.sleep(0.01)
            status = await post(http, body)
        assert await post(http, body) == 200  # redelivered: already processed, not called

    async with aiohttp.ClientSession() as http:
        limit = asyncio.Semaphore(50)

        async def bounded(index: int) -> None:
            async with limit:
                await deliver(http, index)

        await asyncio.wait_for(asyncio.gather(*(bounded(i) for i in range(EVENTS))), 120)
    processes.stop.set()
    await processes.reports("done", 4)
    await processes.join()
    processed = Counter(await store.lrange(f"{prefix}:done", 0, -1))
    await store.aclose()
    assert sorted(processed) == sorted(i.encode() for i in identities)  # none lost
    assert set(processed.values()) == {1}  # each callback succeeded exactly once
    assert statuses[409] >= HELD and statuses[500] > 0  # repeats refused, failures redelivered
    assert texts["OK (already processed)"] >= EVENTS


async def test_claims_hold_on_a_redis_client_that_decodes_its_answers(
    redis_url: str, prefix: str
) -> None:
    """``RedisShared(client)`` takes the user's own client, which may decode answers to str."""
    store = RedisShared(aioredis.Redis.from_url(redis_url, decode_responses=True), prefix=prefix)
    first, second = RedisDeduplicator(store), RedisDeduplicator(store)
    claim = await first.claim("e3")
    assert isinstance(claim, EventClaim)
    assert await second.claim("e3") is ClaimRefused.IN_PROGRESS
    await claim.complete()
    assert await second.claim("e3") is ClaimRefused.PROCESSED
    await first.aclose()
    await second.aclose()
    await store.redis.aclose()
