"""A small local server that enforces Billecta's documented rate limits on its own.

Independent of the client's limiter: per endpoint it keeps the arrival times of requests and
answers 429 (with Retry-After) when a request arrives while the last ``seconds`` already hold
``count`` arrivals. It records every arrival on the shared clock (and the UniqueApiCallId of
each search). ``GET /v1/debtors/debtor/{id}`` always answers 500, recording when each error
answer was given. While ``holding`` is set, searches are counted on arrival but answered only
once it is cleared. ``GET /v1/common/countries`` (no limit) answers an empty list, for warming
up a client.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from _servers import serve_app
from aiohttp import web

import billecta_async.models as m
from billecta_async import Clock

# (count, seconds) per "METHOD /path", as the reference documents them.
DOCUMENTED = {
    "POST /v1/search/actions": [(30, 10.0), (100, 60.0)],
}


@dataclass
class LimitServer:
    clock: Clock
    limits: dict[str, list[tuple[int, float]]] = field(default_factory=lambda: dict(DOCUMENTED))
    arrivals: dict[str, list[float]] = field(default_factory=dict)
    accepted: list[float] = field(default_factory=list)
    rejected: int = 0
    url: str = ""
    unique_ids: list[str] = field(default_factory=list)
    errors: list[float] = field(default_factory=list)
    holding: asyncio.Event = field(default_factory=asyncio.Event)

    def _over_limit(self, key: str, now: float) -> float | None:
        """Seconds until the endpoint takes another request, or None if it takes it now."""
        seen = self.arrivals.setdefault(key, [])
        wait = None
        for count, seconds in self.limits.get(key, []):
            recent = [t for t in seen if now - t < seconds]
            if len(recent) >= count:
                frees = recent[-count] + seconds - now
                wait = frees if wait is None else max(wait, frees)
        return wait

    async def search(self, request: web.Request) -> web.Response:
        await request.read()
        now = self.clock.now()
        key = "POST /v1/search/actions"
        wait = self._over_limit(key, now)
        self.arrivals[key].append(now)
        if "UniqueApiCallId" in request.headers:
            self.unique_ids.append(request.headers["UniqueApiCallId"])
        if wait is not None:
            self.rejected += 1
            return web.json_response(
                {"Message": "Too many requests"}, status=429, headers={"Retry-After": f"{wait:.3f}"}
            )
        self.accepted.append(now)
        while self.holding.is_set():
            await asyncio.sleep(0.01)
        return web.Response(body=m.SearchResult().to_json(), content_type="application/json")

    async def countries(self, request: web.Request) -> web.Response:
        return web.json_response([])

    async def failing(self, request: web.Request) -> web.Response:
        self.errors.append(self.clock.now())
        return web.json_response({"Message": "Internal error"}, status=500)

    def most_errors_in(self, seconds: float) -> int:
        """The most error answers given within any ``seconds`` long window."""
        times = sorted(self.errors)
        most, first = 0, 0
        for last, at in enumerate(times):
            while at - times[first] >= seconds:
                first += 1
            most = max(most, last - first + 1)
        return most


@asynccontextmanager
async def limit_server(clock: Clock) -> AsyncIterator[LimitServer]:
    """Run a :class:`LimitServer` on 127.0.0.1 (a free port) for the duration of the block."""
    server = LimitServer(clock)
    app = web.Application()
    app.router.add_post("/v1/search/actions", server.search)
    app.router.add_get("/v1/debtors/debtor/{id}", server.failing)
    app.router.add_get("/v1/common/countries", server.countries)
    async with serve_app(app) as server.url:
        try:
            yield server
        finally:
            server.holding.clear()
