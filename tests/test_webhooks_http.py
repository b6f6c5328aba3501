"""The webhook receivers over real HTTP on loopback: aiohttp.web and the ASGI app under uvicorn.

Every test runs against both front-ends, posted to with a real aiohttp ClientSession.
"""

from __future__ import annotations

import asyncio
import base64
import socket
import sys
import types
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import aiohttp
import pytest
import uvicorn
from _builders import sek, sofa_invoice
from _docs import DOCS, python_blocks
from _servers import serve_app
from aiohttp import web

import billecta_async.models as m
from billecta_async.testing import default_model, sample_model
from billecta_async.webhooks import (
    WEBHOOK_CONTENT_TYPES,
    ClaimRefused,
    EventClaim,
    InMemoryDeduplicator,
    WebhookApp,
    WebhookDelivery,
    WebhookEventType,
    aiohttp_webhook_handler,
    encode_webhook,
    parse_webhook,
)

CREDITOR = "5f1e6c9a-3b7d-4e21-9a0c-7d2b8e4f1a63"
JSON = WEBHOOK_CONTENT_TYPES["json"]
INVOICE = sample_model(m.InvoiceAction, seed=7)
BODY = encode_webhook(
    WebhookEventType.INVOICE_ACTION_PAID, INVOICE, creditor_public_id=CREDITOR, format="json"
)

Start = Callable[..., Awaitable[str]]


class Recorder:
    """A webhook callback that records each delivery and fails the first ``failures`` times."""

    def __init__(self, failures: int = 0) -> None:
        self.calls: list[WebhookDelivery] = []
        self.failures = failures

    async def __call__(self, delivery: WebhookDelivery) -> None:
        self.calls.append(delivery)
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the database is down")


async def _start_aiohttp(callback: Any, options: dict[str, Any]) -> tuple[str, Any]:
    app = web.Application()
    app.router.add_route("*", "/billecta/webhooks", aiohttp_webhook_handler(callback, **options))
    stack = AsyncExitStack()
    base = await stack.enter_async_context(serve_app(app))
    return f"{base}/billecta/webhooks", stack.aclose


async def _start_uvicorn(callback: Any, options: dict[str, Any]) -> tuple[str, Any]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        WebhookApp(callback, **options), lifespan="on", log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():  # startup failed: raise its error
            sock.close()
            task.result()
        await asyncio.sleep(0.01)

    async def stop() -> None:
        server.should_exit = True
        await task
        sock.close()

    return f"http://127.0.0.1:{port}/billecta/webhooks", stop


@pytest.fixture(params=["aiohttp", "asgi"])
async def serve(request: pytest.FixtureRequest) -> AsyncIterator[Start]:
    """``await serve(callback, **options)`` starts a receiver on loopback and returns its URL."""
    stops: list[Any] = []

    async def start(callback: Any, **options: Any) -> str:
        starter = _start_aiohttp if request.param == "aiohttp" else _start_uvicorn
        url, stop = await starter(callback, options)
        stops.append(stop)
        return url

    yield start
    for stop in reversed(stops):
        await stop()


@pytest.fixture
async def client(serve: Start) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _post(
    client: aiohttp.ClientSession, url: str, body: Any = BODY, **kwargs: Any
) -> tuple[int, str, Any]:
    headers = {"Content-Type": JSON, **kwargs.pop("headers", {})}
    async with client.post(url, data=body, headers=headers, **kwargs) as response:
        return response.status, await response.text(), response.headers


async def test_a_delivery_reaches_the_callback(serve: Start, client: aiohttp.ClientSession) -> None:
    recorder = Recorder()
    url = await serve(recorder)
    assert (await _post(client, url))[:2] == (200, "OK")
    xml = encode_webhook("DebtorDeleted", "d-1", creditor_public_id=CREDITOR, format="xml")
    status, _, _ = await _post(client, url, xml, headers={"Content-Type": "text/xml"})
    assert status == 200
    first, second = recorder.calls
    assert first.event_type is WebhookEventType.INVOICE_ACTION_PAID and first.data == INVOICE
    assert first.creditor_public_id == CREDITOR and first.body == BODY
    assert second.event_type is WebhookEventType.DEBTOR_DELETED and second.data == "d-1"


async def test_failed_callback_gets_500_and_the_redelivery_is_processed(
    serve: Start, client: aiohttp.ClientSession
) -> None:
    recorder = Recorder(failures=1)
    dedup = InMemoryDeduplicator()
    url = await serve(recorder, dedup=dedup)
    identity = parse_webhook(BODY, JSON).identity

    status, text, _ = await _post(client, url)
    assert status == 500 and "not processed" in text and "database" not in text
    assert identity not in dedup

    assert (await _post(client, url))[:2] == (200, "OK")  # Billecta's retry
    assert identity in dedup
    assert len(recorder.calls) == 2

    assert (await _post(client, url))[:2] == (200, "OK (already processed)")
    assert len(recorder.calls) == 2


async def test_a_delivery_during_the_processing_of_the_same_event_gets_409(
    serve: Start, client: aiohttp.ClientSession
) -> None:
    started, finish = asyncio.Event(), asyncio.Event()
    calls: list[str] = []

    async def slow(delivery: WebhookDelivery) -> None:
        calls.append(delivery.identity)
        started.set()
        await finish.wait()

    url = await serve(slow, dedup=InMemoryDeduplicator())
    first = asyncio.ensure_future(_post(client, url))
    await asyncio.wait_for(started.wait(), 10)
    status, text, _ = await _post(client, url)  # a repeat while the first is processed
    assert status == 409 and "being processed" in text
    finish.set()
    assert (await first)[:2] == (200, "OK")
    assert (await _post(client, url))[:2] == (200, "OK (already processed)")
    assert len(calls) == 1


async def test_a_failing_deduplicator_means_500(
    serve: Start, client: aiohttp.ClientSession
) -> None:
    class Broken(InMemoryDeduplicator):
        async def claim(self, identity: str) -> EventClaim | ClaimRefused:
            raise ConnectionError("redis is down")

    recorder = Recorder()
    url = await serve(recorder, dedup=Broken())
    assert (await _post(client, url))[0] == 500
    assert recorder.calls == []


def test_a_deduplicator_without_claim_is_refused_when_the_receiver_is_made() -> None:
    class SeenAndRemember:  # the deduplicator protocol of earlier releases
        async def seen(self, identity: str) -> bool:
            return False

        async def remember(self, identity: str) -> None:
            pass

    for make in (WebhookApp, aiohttp_webhook_handler):
        with pytest.raises(TypeError, match=r"dedup .* claim\(identity\) .*got SeenAndRemember"):
            make(Recorder(), dedup=SeenAndRemember())  # type: ignore[arg-type]


async def test_shared_secret_in_a_header_or_the_query(
    serve: Start, client: aiohttp.ClientSession
) -> None:
    recorder = Recorder()
    url = await serve(recorder, shared_secret="s3cr3t-ö")
    ok_header = await _post(client, url, headers={"X-Webhook-Secret": "s3cr3t-ö"})
    ok_query = await _post(client, url, params={"secret": "s3cr3t-ö"})
    assert (ok_header[0], ok_query[0]) == (200, 200)
    for attempt in (
        {},
        {"headers": {"X-Webhook-Secret": "s3cr3t"}},
        {"headers": {"X-Webhook-Secret": ""}},
        {"params": {"secret": "S3CR3T-ö"}},
        {"headers": {"X-Other": "s3cr3t-ö"}},
    ):
        status, text, headers = await _post(client, url, **attempt)
        assert (status, text) == (401, "Unauthorized"), attempt
        assert "WWW-Authenticate" not in headers
    assert len(recorder.calls) == 2


async def test_secret_header_name_is_configurable(
    serve: Start, client: aiohttp.ClientSession
) -> None:
    url = await serve(Recorder(), shared_secret="abc", secret_header="Billecta-Token")
    assert (await _post(client, url, headers={"billecta-token": "abc"}))[0] == 200
    assert (await _post(client, url, headers={"X-Webhook-Secret": "abc"}))[0] == 401


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def test_basic_auth(serve: Start, client: aiohttp.ClientSession) -> None:
    recorder = Recorder()
    url = await serve(recorder, basic_auth=("billecta", "pa:ss"))
    assert (await _post(client, url, headers=_basic("billecta", "pa:ss")))[0] == 200
    for attempt in (
        {},
        {"headers": _basic("billecta", "pa")},
        {"headers": _basic("other", "pa:ss")},
        {"headers": {"Authorization": "Basic not-base64!"}},
        {"headers": {"Authorization": "Bearer YmlsbGVjdGE6cGE6c3M="}},
    ):
        status, _, headers = await _post(client, url, **attempt)
        assert status == 401, attempt
        assert headers["WWW-Authenticate"] == 'Basic realm="billecta-webhooks"'
    assert len(recorder.calls) == 1


async def test_other_methods_get_405(serve: Start, client: aiohttp.ClientSession) -> None:
    recorder = Recorder()
    url = await serve(recorder)
    for method in ("GET", "PUT", "DELETE"):
        async with client.request(method, url, data=BODY) as response:
            assert response.status == 405, method
            assert response.headers["Allow"] == "POST"
    assert recorder.calls == []


async def test_oversize_bodies_get_413(serve: Start, client: aiohttp.ClientSession) -> None:
    recorder = Recorder()
    url = await serve(recorder, max_body_size=len(BODY))
    assert (await _post(client, url))[0] == 200  # exactly the limit
    status, text, _ = await _post(client, url, BODY + b" ")
    assert status == 413 and str(len(BODY)) in text

    async def chunks() -> AsyncIterator[bytes]:  # chunked: no Content-Length to go by
        yield BODY
        yield b" "

    assert (await _post(client, url, chunks()))[0] == 413
    assert len(recorder.calls) == 1


async def test_malformed_bodies_get_400(serve: Start, client: aiohttp.ClientSession) -> None:
    recorder = Recorder()
    url = await serve(recorder)
    status, text, _ = await _post(client, url, b'{"Event": "DebtorCreated", "Data": 5}')
    assert status == 400 and "WebhookEvent.Data: expected a JSON object" in text
    status, text, _ = await _post(client, url, BODY, headers={"Content-Type": "text/plain"})
    assert status == 400 and "unsupported content type" in text
    status, text, _ = await _post(
        client, url, b"<WebhookEvent>", headers={"Content-Type": "text/xml"}
    )
    assert status == 400 and "not well-formed XML" in text
    assert recorder.calls == []


async def test_unknown_event_types_are_delivered(
    serve: Start, client: aiohttp.ClientSession
) -> None:
    recorder = Recorder()
    url = await serve(recorder)
    body = encode_webhook("InvoiceTeleported", {"Where": "Mars"}, creditor_public_id=CREDITOR)
    assert (await _post(client, url, body))[0] == 200
    (delivery,) = recorder.calls
    assert not delivery.event_type.is_known and delivery.data == {"Where": "Mars"}


async def _call_asgi(
    app: WebhookApp, headers: list[tuple[bytes, bytes]], messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Call the ASGI app directly with these request messages; return what it sent."""
    sent: list[dict[str, Any]] = []
    incoming = iter(messages)

    async def receive() -> dict[str, Any]:
        return next(incoming)

    async def send(message: Any) -> None:
        sent.append(dict(message))

    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"", "headers": headers}
    await app(scope, receive, send)
    return sent


async def test_asgi_app_checks_content_length_and_handles_disconnects() -> None:
    recorder = Recorder()
    app = WebhookApp(recorder, max_body_size=100)
    body = {"type": "http.request", "body": b"{}", "more_body": False}
    for length, status in ((b"abc", 400), (b"-1", 400), (b"101", 413)):
        sent = await _call_asgi(app, [(b"content-length", length)], [body])
        assert sent[0]["status"] == status, length
    # The client goes away mid-body: nothing is answered, nothing is delivered.
    partial = {"type": "http.request", "body": b"{", "more_body": True}
    assert await _call_asgi(app, [], [partial, {"type": "http.disconnect"}]) == []
    assert recorder.calls == []


async def test_asgi_app_refuses_websockets() -> None:
    async def never() -> dict[str, Any]:
        raise AssertionError("not called")

    app = WebhookApp(Recorder())
    with pytest.raises(RuntimeError, match="only serves HTTP"):
        await app({"type": "websocket"}, never, never)  # type: ignore[arg-type]


# -- the webhooks guide's examples -----------------------------------------------------------


def _guide_examples() -> list[str]:
    return [block.code for block in python_blocks(DOCS / "guides" / "webhooks.md")[:2]]


async def test_guide_examples_receive_a_payment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    aiohttp_example, fastapi_example = _guide_examples()
    namespace: dict[str, Any] = {"__name__": "readme"}
    exec(compile(aiohttp_example, "webhooks.md", "exec"), namespace)
    payment = default_model(
        m.IncomingPayment, invoice_number="4711", amount=m.Amount(currency_code="SEK")
    )
    body = encode_webhook("InvoicePaymentReceived", payment, creditor_public_id=CREDITOR)
    async with serve_app(namespace["app"]) as base, aiohttp.ClientSession() as client:
        url = f"{base}/billecta/webhooks"
        assert (await _post(client, url, body))[0] == 401
        for _ in range(2):  # the second is a duplicate
            secret = {"X-Webhook-Secret": "s3cret"}
            assert (await _post(client, url, body, headers=secret))[0] == 200
    assert capsys.readouterr().out.count("paid 4711 Amount(currency_code='SEK'") == 1

    mounted: dict[str, Any] = {}
    fastapi = types.ModuleType("fastapi")  # records what the example mounts
    fastapi.__dict__["FastAPI"] = lambda: types.SimpleNamespace(mount=mounted.__setitem__)
    monkeypatch.setitem(sys.modules, "fastapi", fastapi)
    exec(compile(fastapi_example, "webhooks.md", "exec"), namespace)
    app = mounted["/billecta/webhooks"]
    assert isinstance(app, WebhookApp) and app.receiver.callback is namespace["on_event"]
    assert app.receiver.shared_secret == "s3cret" and app.receiver.dedup is not None


# -- end to end: the emulator posts its events to the receivers -----------------------------------


async def _invoice_flow(emulator: Any) -> str:
    """Create a debtor and an invoice, attest it and pay it in full; the invoice's id."""
    async with emulator.client() as billecta:
        action = await sofa_invoice(
            billecta, emulator.creditor_public_id, 40000, vat=25.0, attest=True
        )
        await billecta.invoices.register_payment(
            m.RegisterPayment(
                action_public_id=action,
                amount=sek(50000),
            )
        )
    return action


@pytest.mark.parametrize("webhook_format", ["json", "xml"])
async def test_emulator_events_reach_the_receiver_typed(serve: Start, webhook_format: Any) -> None:
    from billecta_async.testing import BillectaEmulator

    recorder = Recorder()
    url = await serve(recorder)
    async with BillectaEmulator(webhook_url=url, webhook_format=webhook_format) as emulator:
        action_public_id = await _invoice_flow(emulator)
        await emulator.drain_webhooks()
    types_seen = [d.event_type for d in recorder.calls]
    E = WebhookEventType
    for expected in (
        E.DEBTOR_CREATED,
        E.INVOICE_ACTION_CREATED,
        E.INVOICE_ACTION_ATTESTED,
        E.INVOICE_PAYMENT_RECEIVED,
        E.INVOICE_ACTION_PAID,
    ):
        assert expected in types_seen
    assert types_seen.index(E.INVOICE_ACTION_CREATED) < types_seen.index(E.INVOICE_ACTION_PAID)
    by_type = {d.event_type: d for d in recorder.calls}
    payment = by_type[E.INVOICE_PAYMENT_RECEIVED].data
    assert isinstance(payment, m.IncomingPayment)
    assert payment.amount == m.Amount(currency_code="SEK", value=50000)
    assert payment.action_public_id == action_public_id
    paid = by_type[E.INVOICE_ACTION_PAID].data
    assert isinstance(paid, m.InvoiceAction)
    assert paid.state is not None and paid.state.stage == m.InvoiceActionStageType.COMPLETED
    assert all(d.format == webhook_format for d in recorder.calls)
    assert all(d.creditor_public_id == emulator.creditor_public_id for d in recorder.calls)
    assert len(recorder.calls) == len(emulator.state.events)  # every event, delivered once


async def test_emulator_redelivers_on_billectas_schedule_until_the_callback_succeeds(
    serve: Start,
) -> None:
    from billecta_async import ScaledClock
    from billecta_async.testing import BillectaEmulator

    recorder = Recorder(failures=2)
    url = await serve(recorder, dedup=InMemoryDeduplicator())
    # A day of retries in well under a second of wall time.
    async with BillectaEmulator(webhook_url=url, clock=ScaledClock(1_000_000)) as emulator:
        creditor = emulator.creditor_public_id
        async with emulator.client() as billecta:
            await billecta.debtors.create(m.Debtor(creditor_public_id=creditor, name="Jenny"))
        await emulator.drain_webhooks()
        assert emulator.webhooks is not None
        attempts = [(a.attempt, a.status) for a in emulator.webhooks.attempts]
    assert attempts == [(1, 500), (2, 500), (3, 200)]
    assert [d.event_type for d in recorder.calls] == [WebhookEventType.DEBTOR_CREATED] * 3
    assert len({d.identity for d in recorder.calls}) == 1  # the same delivery each time


async def test_emulator_gives_up_after_five_tries(serve: Start) -> None:
    from billecta_async import ScaledClock
    from billecta_async.testing import BillectaEmulator

    recorder = Recorder(failures=99)
    url = await serve(recorder)
    async with BillectaEmulator(webhook_url=url, clock=ScaledClock(1_000_000)) as emulator:
        async with emulator.client() as billecta:
            await billecta.debtors.create(
                m.Debtor(creditor_public_id=emulator.creditor_public_id, name="Jenny")
            )
        await emulator.drain_webhooks()
        assert emulator.webhooks is not None
        assert [a.attempt for a in emulator.webhooks.attempts] == [1, 2, 3, 4, 5]
        assert [r.event_type for r in emulator.webhooks.failed] == ["DebtorCreated"]
    assert len(recorder.calls) == 5


async def test_emulator_sends_the_shared_secret_header(serve: Start) -> None:
    from billecta_async.testing import BillectaEmulator

    recorder = Recorder()
    url = await serve(recorder, shared_secret="s3cret")
    headers = {"X-Webhook-Secret": "s3cret"}
    async with BillectaEmulator(webhook_url=url, webhook_headers=headers) as emulator:
        async with emulator.client() as billecta:
            await billecta.debtors.create(
                m.Debtor(creditor_public_id=emulator.creditor_public_id, name="Jenny")
            )
        await emulator.drain_webhooks()
    assert [d.event_type for d in recorder.calls] == [WebhookEventType.DEBTOR_CREATED]
