"""A small local server that enforces Billecta's documented rate limits on its own.

Independent of the client's limiter: per endpoint it keeps the arrival times of requests and
answers 429 (with Retry-After) when a request arrives while the last ``seconds`` already hold
``count`` arrivals. It records every arrival on the shared clock.
"""

from __future__ import annotations

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
        if wait is not None:
            self.rejected += 1
            return web.json_response(
                {"Message": "Too many requests"}, status=429, headers={"Retry-After": f"{wait:.3f}"}
            )
        self.accepted.append(now)
        return web.Response(body=m.SearchResult().to_json(), content_type="application/json")


@asynccontextmanager
async def limit_server(clock: Clock) -> AsyncIterator[LimitServer]:
    """Run a :class:`LimitServer` on 127.0.0.1 (a free port) for the duration of the block."""
    server = LimitServer(clock)
    app = web.Application()
    app.router.add_post("/v1/search/actions", server.search)
    async with serve_app(app) as server.url:
        yield server
