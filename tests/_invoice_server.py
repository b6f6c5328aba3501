"""A small local server that creates invoices and honours UniqueApiCallId as Billecta does,
with faults injected per request: the independent fault-injecting server the reliability tests
and ``bench/bench_faults.py`` use (it shares nothing with the SDK's emulator, and writes its
answers' JSON by hand).

``POST /v1/invoice/action`` stores an invoice and answers ``Created``; a repeated
``UniqueApiCallId`` gets 403 with a status description and nothing is stored (the check and
the store are one step, as concurrent requests need). ``GET /v1/invoice/action/{id}`` answers
the invoice and ``PUT`` updates it (also once per ``UniqueApiCallId``). Every other path
answers 500. ``faults`` is a queue: each request takes the next one; none left, it asks
``random_fault`` (if set), else behaves normally.

- ``drop-before``: close the connection without acting
- ``drop-after``: act, then close the connection without answering
- ``500``: answer 500 without acting
- ``500-after``: act, then answer 500
- ``403``: answer 403 (a refusal that is not about the id) without acting
- ``429:<seconds>``: answer 429 with that Retry-After, without acting
- ``slow-before`` / ``slow-after``: wait until :meth:`InvoiceServer.release` (before or after
  acting), then answer
- ``sleep-before:<seconds>`` / ``sleep-after:<seconds>``: wait that long (wall time) before or
  after acting, then answer (a client timeout or deadline shorter than that gives up first)
- ``truncate-after``: act, then send half of the answer and close the connection
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from _clocks import JumpClock
from _servers import serve_app
from aiohttp import web

import billecta_async.models as m
from billecta_async import Backoff, BillectaClient
from billecta_async.testing import default_model


@dataclass
class Seen:
    method: str
    path: str
    unique_api_call_id: str | None
    fault: str | None
    status: int | None = None


@dataclass
class InvoiceServer:
    faults: list[str] = field(default_factory=list)
    invoices: dict[str, bytes] = field(default_factory=dict)
    updates: int = 0
    used_ids: set[str] = field(default_factory=set)
    seen: list[Seen] = field(default_factory=list)
    url: str = ""
    busy: int = 0
    random_fault: Callable[[], str | None] | None = None
    _gate: asyncio.Event = field(default_factory=asyncio.Event)

    def references(self) -> Counter[str]:
        """How many stored invoices carry each ``OurReference``."""
        return Counter(json.loads(body).get("OurReference") for body in self.invoices.values())

    def release(self) -> None:
        """Let every ``slow-*`` request go on."""
        self._gate.set()

    async def idle(self) -> None:
        """Wait until no request is being handled."""
        while self.busy:
            await asyncio.sleep(0.01)

    def _act(self, body: bytes, unique_id: str | None, update: str | None = None) -> web.Response:
        if unique_id is not None:
            if unique_id in self.used_ids:
                message = f"The UniqueApiCallId {unique_id} has already been used"
                return web.json_response(
                    {"Message": message}, status=403, headers={"ErrorMessage": message}
                )
            self.used_ids.add(unique_id)
        if update is not None:
            self.invoices[update] = body
            self.updates += 1
            return web.Response()
        public_id = f"inv-{len(self.invoices) + 1}"
        self.invoices[public_id] = body
        return web.json_response({"PublicId": public_id})

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.busy += 1
        try:
            return await self._handle(request)
        finally:
            self.busy -= 1

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        unique_id = request.headers.get("UniqueApiCallId")
        if self.faults:
            fault: str | None = self.faults.pop(0)
        else:
            fault = self.random_fault() if self.random_fault is not None else None
        seen = Seen(request.method, request.path, unique_id, fault)
        self.seen.append(seen)
        transport = request.transport
        assert transport is not None

        def answer() -> web.Response:
            if request.method == "POST" and request.path == "/v1/invoice/action":
                return self._act(body, unique_id)
            if request.path.startswith("/v1/invoice/action/"):
                public_id = request.match_info["id"]
                if public_id not in self.invoices:
                    return web.json_response({"Message": "not found"}, status=404)
                if request.method == "PUT":
                    return self._act(body, unique_id, update=public_id)
                invoice = default_model(m.InvoiceAction, action_public_id=public_id)
                return web.Response(body=invoice.to_json(), content_type="application/json")
            return web.json_response({"Message": "Unexpected error"}, status=500)

        if fault == "drop-before":
            transport.abort()
            return web.Response()
        if fault == "500":
            seen.status = 500
            return web.json_response({"Message": "Internal error"}, status=500)
        if fault == "403":
            seen.status = 403
            return web.json_response({"Message": "Not allowed"}, status=403)
        if fault is not None and fault.startswith("429:"):
            seen.status = 429
            return web.json_response(
                {"Message": "Too many requests"}, status=429, headers={"Retry-After": fault[4:]}
            )
        if fault == "slow-before":
            await self._gate.wait()
        if fault is not None and fault.startswith("sleep-before:"):
            await asyncio.sleep(float(fault.partition(":")[2]))
        response = answer()
        seen.status = response.status
        if fault == "drop-after":
            transport.abort()
            return web.Response()
        if fault == "500-after":
            seen.status = 500
            return web.json_response({"Message": "Internal error"}, status=500)
        if fault == "slow-after":
            await self._gate.wait()
        if fault is not None and fault.startswith("sleep-after:"):
            await asyncio.sleep(float(fault.partition(":")[2]))
        if fault == "truncate-after":
            assert isinstance(response.body, bytes)
            partial = web.StreamResponse(status=response.status, headers=response.headers)
            partial.content_length = len(response.body)
            await partial.prepare(request)
            await partial.write(response.body[: len(response.body) // 2])
            transport.abort()
            return partial
        return response


@asynccontextmanager
async def invoice_server(faults: list[str] | None = None) -> AsyncIterator[InvoiceServer]:
    """Run an :class:`InvoiceServer` on 127.0.0.1 (a free port) for the duration of the block."""
    server = InvoiceServer(faults=list(faults or []))
    app = web.Application()
    app.router.add_route("*", "/v1/invoice/action/{id}", server.handle)
    app.router.add_route("*", "/{tail:.*}", server.handle)
    async with serve_app(app) as server.url:
        try:
            yield server
        finally:
            server.release()
            await server.idle()


def invoice_client(url: str, clock: Any = None, **kwargs: Any) -> BillectaClient:
    """A client of the server at ``url``: waits on ``clock`` (an instant :class:`JumpClock` by
    default), backoff at half its cap, a 0.5 s timeout (wall time: only ``slow-*`` and
    ``sleep-*`` faults reach it); other settings as ``kwargs`` say."""
    kwargs.setdefault("timeout", 0.5)
    return BillectaClient(
        secure_token="token",
        base_url=url,
        clock=clock if clock is not None else JumpClock(),
        backoff=Backoff(jitter=lambda: 0.5),
        **kwargs,
    )
