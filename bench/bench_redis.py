"""Shared limits benchmark: what Redis adds to a call, and how close a fleet gets to the limits.

    python bench/bench_redis.py [--redis-url URL] [--calls 2000] [--factor 30]

Uses the Redis at ``--redis-url`` (default: a ``redis-server`` of its own on a free port, so
loopback, no persistence) and a small HTTP server in a separate process.

1. Added latency per call: the same sequential calls through ``BillectaClient``, once with the
   in-memory limits and once with ``shared=RedisShared`` (real time, so Redis's clock), in
   interleaved rounds. For a limited endpoint (``search.actions``: a rate-limit slot, an
   error-budget admission, the slot given back and the answer recorded) and for a call without
   a rate limit (``common.list_countries``: the error budget only). Reports the median and p99
   of each and the difference (the latency Redis adds), in microseconds; also the limiter alone
   (``acquire`` + ``complete``, waiting for the write in the background) and the budget alone.
2. Throughput of a fleet: 4 processes x 250 concurrent ``search.actions`` sharing one user
   through Redis, against a server that enforces Billecta's documented limits (30 per 10 s and
   100 per 60 s) on its own, on a ``ScaledClock(--factor)`` shared by all processes. Reports
   the achieved rate as a share of the ideal schedule (every request answered at once) and the
   number of 429 answers (must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import billecta_async.models as m
from billecta_async import BillectaClient, Clock, Limit, RateLimits, ScaledClock
from billecta_async.redis import RedisShared

SEARCH = "POST /v1/search/actions"
DOCUMENTED = [(30, 10.0), (100, 60.0)]
TOKEN = "bench-token"


# -- servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_redis() -> tuple[str, subprocess.Popen[bytes], tempfile.TemporaryDirectory[str]]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("no redis-server on PATH: give --redis-url")
    port = free_port()
    folder = tempfile.TemporaryDirectory()
    options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder.name]
    process = subprocess.Popen(
        [binary, "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.3)
    return f"redis://127.0.0.1:{port}/0", process, folder


def serve(port: int, clock: Clock | None, pipe: Any) -> None:
    """An HTTP server (its own process) answering searches, enforcing the documented limits on
    ``clock`` if given, and country listings. Says ``ready`` on ``pipe``; on ``stop`` it sends
    back the accepted searches' arrival times and the number answered 429."""
    from aiohttp import web

    arrivals: list[float] = []
    accepted: list[float] = []
    rejected = 0
    body = m.SearchResult().to_json()

    async def search(request: web.Request) -> web.Response:
        nonlocal rejected
        await request.read()
        if clock is not None:
            now = clock.now()
            full = any(
                sum(1 for t in arrivals if now - t < seconds) >= count
                for count, seconds in DOCUMENTED
            )
            arrivals.append(now)
            if full:
                rejected += 1
                return web.json_response({"Message": "Too many requests"}, status=429)
            accepted.append(now)
        return web.Response(body=body, content_type="application/json")

    async def countries(request: web.Request) -> web.Response:
        return web.json_response([])

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/v1/search/actions", search)
        app.router.add_get("/v1/common/countries", countries)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        pipe.send("ready")
        await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
        pipe.send((sorted(accepted), rejected))
        await runner.cleanup()

    asyncio.run(main())


class Server:
    def __init__(self, clock: Clock | None = None) -> None:
        port = free_port()
        context = multiprocessing.get_context("spawn")
        self.pipe, child = context.Pipe()
        self.process = context.Process(target=serve, args=(port, clock, child))
        self.process.start()
        assert self.pipe.recv() == "ready"
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> tuple[list[float], int]:
        self.pipe.send("stop")
        result: tuple[list[float], int] = self.pipe.recv()
        self.process.join(10)
        return result


# -- 1. added latency ----------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def timed(call: Callable[[], Awaitable[Any]], n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        await call()
        times.append((time.perf_counter() - start) * 1e6)
    return times


async def latency(redis_url: str, calls: int, rounds: int) -> None:
    server = Server()
    no_limit = RateLimits(endpoints={SEARCH: [Limit(10**9, 1.0)]})  # never waits
    shared = RedisShared.from_url(redis_url, prefix=f"bench-{time.time_ns()}")
    local = BillectaClient(secure_token=TOKEN, base_url=server.url, rate_limits=no_limit)
    redis = BillectaClient(
        secure_token=TOKEN, base_url=server.url, rate_limits=no_limit, shared=shared
    )
    limiter = shared.rate_limiter(TOKEN, no_limit)
    budget = shared.error_budget(TOKEN)
    samples: dict[str, list[float]] = {}
    per_round = max(1, calls // rounds)

    async def limiter_alone() -> None:
        permit = await limiter.acquire(SEARCH)
        await permit.complete()
        await limiter._background.wait()

    async def budget_alone() -> None:
        admission = await budget.admit("GET", "/v1/common/countries")
        await admission.record(200)
        await budget._background.wait()

    work = {
        "search, in memory": lambda: local.search.actions(m.Search()),
        "search, Redis": lambda: redis.search.actions(m.Search()),
        "countries, in memory": lambda: local.common.list_countries(),
        "countries, Redis": lambda: redis.common.list_countries(),
        "limiter alone (acquire + complete)": limiter_alone,
        "error budget alone (admit + record)": budget_alone,
    }
    for call in work.values():  # warm up: connections, scripts loaded, decoders compiled
        await timed(call, 50)
    for _ in range(rounds):
        for name, call in work.items():
            samples.setdefault(name, []).extend(await timed(call, per_round))
    await local.aclose()
    await redis.aclose()
    await limiter.aclose()
    await budget.aclose()
    server.stop()

    print(f"1. latency per call, {len(samples['search, Redis'])} calls each (microseconds)")
    print(f"   {'':40} {'median':>9} {'p99':>9}")
    for name, values in samples.items():
        median, p99 = statistics.median(values), percentile(values, 0.99)
        print(f"   {name:40} {median:9.0f} {p99:9.0f}")
    for call in ("search", "countries"):
        extra, base = samples[f"{call}, Redis"], samples[f"{call}, in memory"]
        median = statistics.median(extra) - statistics.median(base)
        p99 = percentile(extra, 0.99) - percentile(base, 0.99)
        print(f"   added by Redis to {call:22} {median:9.0f} {p99:9.0f}")


# -- 2. throughput of a fleet --------------------------------------------------------------


def ideal_schedule(n: int) -> list[float]:
    times: list[float] = []
    for i in range(n):
        t = times[-1] if times else 0.0
        for count, seconds in DOCUMENTED:
            if i >= count:
                t = max(t, times[i - count] + seconds)
        times.append(t)
    return times


def fleet_worker(
    url: str, redis_url: str, prefix: str, clock: Clock, n: int, ready: Any, go: Any, out: Any
) -> None:
    async def work() -> None:
        shared = RedisShared.from_url(redis_url, prefix=prefix, lease=600)
        async with BillectaClient(
            secure_token=TOKEN, base_url=url, clock=clock, shared=shared, max_retries=0
        ) as api:
            await api.common.list_countries()
            ready.release()
            while not go.is_set():
                await asyncio.sleep(0.005)
            results = await asyncio.gather(
                *(api.search.actions(m.Search()) for _ in range(n)), return_exceptions=True
            )
        out.put(sum(1 for r in results if isinstance(r, BaseException)))

    asyncio.run(work())


def throughput(redis_url: str, factor: float, processes: int = 4, each: int = 250) -> None:
    clock = ScaledClock(factor)
    server = Server(clock)
    context = multiprocessing.get_context("spawn")
    ready, go, out = context.Semaphore(0), context.Event(), context.Queue()
    prefix = f"bench-{time.time_ns()}"
    workers = [
        context.Process(
            target=fleet_worker,
            args=(server.url, redis_url, prefix, clock, each, ready, go, out),
        )
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.acquire()
    started = time.monotonic()
    go.set()
    failed = sum(out.get() for _ in workers)
    wall = time.monotonic() - started
    for worker in workers:
        worker.join()
    accepted, rejected = server.stop()
    n = processes * each
    ideal = ideal_schedule(n)
    ratio = (ideal[-1] - ideal[0]) / (accepted[-1] - accepted[0])
    print(
        f"2. {processes} processes x {each} searches, documented limits, ScaledClock({factor:g}):"
        f" {len(accepted)} answered, {rejected} answered 429, {failed} failed;"
        f" {accepted[-1] - accepted[0]:.0f} s of Billecta time for an ideal {ideal[-1]:.0f} s"
        f" -> {ratio:.1%} of the ideal rate ({wall:.1f} s of wall time)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis-url", help="default: a redis-server of its own")
    parser.add_argument("--calls", type=int, default=2000, help="calls per kind (latency)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--factor", type=float, default=30.0, help="ScaledClock (throughput)")
    args = parser.parse_args()
    own = None
    url = args.redis_url
    if url is None:
        url, process, folder = start_redis()
        own = (process, folder)
    try:
        asyncio.run(latency(url, args.calls, args.rounds))
        throughput(url, args.factor)
    finally:
        if own is not None:
            own[0].kill()
            own[0].wait()
            own[1].cleanup()


if __name__ == "__main__":
    main()
