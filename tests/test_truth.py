"""Every error raised out of a call tells the truth about it: its ``unique_api_call_id``, the
number of ``attempts`` and whether Billecta may have acted (``maybe_processed``), and its
message says so in words and how to resume. Against the fault-injecting invoice server."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from _clocks import JumpClock, ManualClock
from _invoice_server import invoice_client as client
from _invoice_server import invoice_server
from _servers import serve_app
from aiohttp import web

import billecta_async.models as m
from billecta_async import (
    AlreadyProcessedError,
    BillectaClient,
    BillectaError,
    DecodeError,
    DuplicateRequestError,
    ErrorBudgetExhaustedError,
    ForbiddenError,
    InMemoryErrorBudget,
    ParameterError,
    RateLimitedError,
    RedisUnavailableError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    UnderlyingError,
)
from billecta_async._limits import NO_ADMISSION, NO_PERMIT, NoAdmission, NoPermit

CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
INVOICE = m.InvoiceActionEntry(creditor_public_id=CREDITOR, our_reference="order-1001")
RESUME = "To resume safely, call again with unique_api_call_id="


def assert_may_have_acted(error: BillectaError, unique_id: str, attempts: int) -> None:
    assert error.unique_api_call_id == unique_id and error.attempts == attempts
    assert error.maybe_processed
    text = str(error)
    assert f"{RESUME}{unique_id!r}" in text and "Billecta may have acted" in text
    assert "answers the repeat with 403, raised as already processed" in text
    assert "not sent" not in text


def assert_did_not_act(error: BillectaError, unique_id: str | None, attempts: int) -> None:
    assert error.unique_api_call_id == unique_id and error.attempts == attempts
    assert not error.maybe_processed
    assert "Billecta did not act on it" in str(error) and RESUME not in str(error)


# -- each kind of error -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error_type"),
    [
        ("drop-before", TransportError),  # the client cannot tell before from after
        ("drop-after", TransportError),
        ("500", ServerError),
        ("500-after", ServerError),
        ("truncate-after", TransportError),
        ("slow-after", RequestTimeoutError),
    ],
)
async def test_an_error_after_the_request_left_says_billecta_may_have_acted(
    fault: str, error_type: type[BillectaError]
) -> None:
    async with invoice_server([fault]) as server, client(server.url, max_retries=0) as api:
        with pytest.raises(error_type) as caught:
            await api.invoices.create(INVOICE)
        server.release()
    (seen,) = server.seen
    assert seen.unique_api_call_id is not None  # generated, although retries are off
    assert_may_have_acted(caught.value, seen.unique_api_call_id, attempts=1)


async def test_after_retries_the_error_counts_every_attempt() -> None:
    async with invoice_server(["drop-after", "500", "500"]) as server, client(server.url) as api:
        with pytest.raises(ServerError) as caught:
            await api.invoices.create(INVOICE, unique_api_call_id="order-1001")
    # the 403 never came: the second attempt's 500 hid it, so the client cannot know
    assert_may_have_acted(caught.value, "order-1001", attempts=3)
    assert len(server.invoices) == 1


@pytest.mark.parametrize(("fault", "error_type"), [("429:600", RateLimitedError)])
async def test_a_refusal_says_billecta_did_not_act(
    fault: str, error_type: type[BillectaError]
) -> None:
    async with invoice_server([fault]) as server, client(server.url) as api:
        with pytest.raises(error_type) as caught:
            await api.invoices.create(INVOICE, unique_api_call_id="order-7")
    assert_did_not_act(caught.value, "order-7", attempts=1)
    assert not server.invoices


async def test_a_generated_id_refused_on_its_first_attempt_did_not_act() -> None:
    async with invoice_server(["403"]) as server, client(server.url) as api:
        with pytest.raises(ForbiddenError) as caught:
            await api.invoices.create(INVOICE)
    assert type(caught.value) is ForbiddenError
    assert_did_not_act(caught.value, server.seen[0].unique_api_call_id, attempts=1)


def _refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_a_connection_that_never_opened_did_not_act() -> None:
    async with client(f"http://127.0.0.1:{_refused_port()}") as api:
        with pytest.raises(TransportError) as caught:
            await api.invoices.create(INVOICE, unique_api_call_id="order-9")
    assert_did_not_act(caught.value, "order-9", attempts=3)
    assert isinstance(caught.value.__cause__, UnderlyingError)
    assert caught.value.__cause__.type_name == "aiohttp.ClientConnectorError"


async def test_a_proxy_refusing_the_tunnel_did_not_act() -> None:
    """An https call through a proxy that refuses its CONNECT (407, 502) never left for
    Billecta: not "Billecta may have acted"."""
    connects: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connects.append((await reader.readuntil(b"\r\n\r\n")).split(b" ", 2)[0])
        writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with client("https://api.test.invalid", proxy=f"http://127.0.0.1:{port}") as api:
            with pytest.raises(TransportError) as caught:
                await api.invoices.create(INVOICE, unique_api_call_id="order-15")
    finally:
        server.close()
    assert set(connects) == {b"CONNECT"}
    assert_did_not_act(caught.value, "order-15", attempts=len(connects))


async def test_a_deadline_passing_mid_attempt_may_have_acted() -> None:
    clock = ManualClock()
    async with (
        invoice_server(["slow-after"]) as server,
        client(server.url, clock, timeout=60) as api,
    ):
        call = asyncio.ensure_future(api.invoices.create(INVOICE, deadline=5))
        while not server.seen:
            await asyncio.sleep(0.005)
        await clock.advance(5)
        with pytest.raises(RequestTimeoutError, match="deadline of 5 s passed") as caught:
            await asyncio.wait_for(call, 10)
        server.release()
    assert_may_have_acted(caught.value, server.seen[0].unique_api_call_id or "", attempts=1)


async def test_an_answer_that_cannot_be_decoded_says_billecta_acted() -> None:
    async def handle(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=b'{"PublicId": 12', content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    async with serve_app(app) as url, client(url) as api:
        with pytest.raises(DecodeError) as caught:
            await api.invoices.create(INVOICE, unique_api_call_id="order-3")
    error = caught.value
    assert_may_have_acted(error, "order-3", attempts=1)
    assert str(error).startswith("POST /v1/invoice/action: Created: not valid JSON")


async def test_already_processed_carries_the_truth_too() -> None:
    async with invoice_server(["drop-after"]) as server, client(server.url) as api:
        with pytest.raises(AlreadyProcessedError) as caught:
            await api.invoices.create(INVOICE, unique_api_call_id="order-5")
    error = caught.value
    assert error.maybe_processed and error.attempts == 2 and error.unique_api_call_id == "order-5"
    assert "already processed" in str(error) and "do not send" in str(error)


async def test_a_resumed_call_that_was_processed_is_reported_as_already_processed() -> None:
    async with invoice_server(["drop-after"]) as server, client(server.url, max_retries=0) as api:
        with pytest.raises(TransportError) as caught:
            await api.invoices.create(INVOICE)
        unique_id = caught.value.unique_api_call_id
        assert unique_id is not None
        with pytest.raises(DuplicateRequestError) as again:
            await api.invoices.create(INVOICE, unique_api_call_id=unique_id)
    assert type(again.value) is DuplicateRequestError and again.value.status == 403
    assert "already processed" in str(again.value) and unique_id in str(again.value)
    assert len(server.invoices) == 1


async def test_an_error_raised_before_sending_keeps_the_defaults() -> None:
    async with BillectaClient(secure_token="t") as api:
        with pytest.raises(ParameterError) as caught:
            await api.invoices.create(INVOICE, unique_api_call_id="x" * 51)
    error = caught.value
    assert (error.unique_api_call_id, error.attempts, error.maybe_processed) == (None, 0, False)


# -- the error budget ----------------------------------------------------------------------------


async def test_the_error_budget_refusing_a_retry_after_a_maybe_processed_attempt() -> None:
    """The first attempt's answer is lost; during the backoff another client sharing the budget
    gets 50 error answers, so the retry is held back. The error must not say "not sent", must
    chain the lost attempt's failure, and must say how to resume."""

    class FillTheBudgetOnSleep(JumpClock):
        async def sleep(self, seconds: float) -> None:
            for _ in range(50):
                with pytest.raises(ServerError):  # an endpoint the server does not serve
                    await other.products.get("5b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")
            await super().sleep(seconds)

    clock = FillTheBudgetOnSleep()
    budget = InMemoryErrorBudget(clock=clock)
    async with invoice_server(["drop-after"]) as server:
        other = client(server.url, clock, error_budget=budget, max_retries=0)
        async with other, client(server.url, clock, error_budget=budget) as api:
            with pytest.raises(ErrorBudgetExhaustedError) as caught:
                await api.invoices.create(INVOICE, unique_api_call_id="order-11")
            error = caught.value
            assert_may_have_acted(error, "order-11", attempts=1)
            assert "retry held back" in str(error)
            lost = error.__cause__
            assert isinstance(lost, TransportError) and lost.path == "/v1/invoice/action"
            assert isinstance(lost.__cause__, UnderlyingError)
            # resumed once the budget allows: Billecta (the server) had acted
            clock.advance(error.retry_after)
            with pytest.raises(DuplicateRequestError):
                await api.invoices.create(INVOICE, unique_api_call_id="order-11")
    assert len(server.invoices) == 1


async def test_the_error_budget_refusing_a_first_attempt_says_not_sent() -> None:
    async with (
        invoice_server(["500"] * 50) as server,
        client(server.url, max_retries=0) as api,
    ):
        for _ in range(50):
            with pytest.raises(ServerError):
                await api.invoices.create(INVOICE)
        with pytest.raises(ErrorBudgetExhaustedError) as caught:
            await api.invoices.create(INVOICE)
    error = caught.value
    assert error.attempts == 0 and not error.maybe_processed and error.__cause__ is None
    assert error.unique_api_call_id is not None  # the id it would have been sent with
    assert str(error).startswith("POST /v1/invoice/action: not sent - 50 error answers")
    assert len(server.seen) == 50


class _BudgetWithoutItsStore:
    """An error budget of one's own whose store stops answering after the first attempt:
    either when the retry asks it (``check``) or when the client asks whether to retry."""

    def __init__(self, fails_in: str) -> None:
        self.fails_in = fails_in
        self.checks = 0

    def _unavailable(self) -> RedisUnavailableError:
        return RedisUnavailableError("look at the error budget", address="redis:6379", reason="-")

    async def check(self, method: str, path: str) -> None:
        self.checks += 1
        if self.fails_in == "check" and self.checks == 2:
            raise self._unavailable()

    async def admit(self, method: str, path: str) -> NoAdmission:
        return NO_ADMISSION

    async def allows_retry(self) -> bool:
        if self.fails_in == "allows_retry":
            raise self._unavailable()
        return True


@pytest.mark.parametrize("fails_in", ["check", "allows_retry"])
async def test_a_budget_failing_after_a_maybe_processed_attempt_says_how_to_resume(
    fails_in: str,
) -> None:
    """The first attempt's answer is lost; then the budget's store fails. The error is the
    store's, but it must still carry the call's id and say that Billecta may have acted."""
    budget = _BudgetWithoutItsStore(fails_in)
    async with (
        invoice_server(["drop-after"]) as server,
        client(server.url, error_budget=budget) as api,
    ):
        with pytest.raises(RedisUnavailableError) as caught:
            await api.invoices.create(INVOICE)
        sent = server.seen[0].unique_api_call_id
        assert sent is not None and caught.value.unique_api_call_id == sent
        error = caught.value
        assert error.maybe_processed and error.attempts >= 1
        text = str(error)
        assert f"{RESUME}{sent!r}" in text and "Billecta may have acted" in text
        assert str(caught.value).startswith("Redis at redis:6379 unavailable")
        with pytest.raises(DuplicateRequestError):  # resuming as the message says is safe
            await api.invoices.create(INVOICE, unique_api_call_id=sent)
    assert len(server.invoices) == 1


async def test_a_call_in_flight_when_its_client_is_closed_says_how_to_resume() -> None:
    """Closing the client (an application shutting down) cuts the call's connection after
    the request left: not a bare RuntimeError without the id, a retry refused, but the
    attempt's failure saying Billecta may have acted and how to resume."""
    async with invoice_server(["slow-after"]) as server:
        api = client(server.url, timeout=60)
        call = asyncio.ensure_future(api.invoices.create(INVOICE))
        while not server.seen:
            await asyncio.sleep(0.005)
        await api.aclose()
        with pytest.raises(TransportError) as caught:
            await asyncio.wait_for(call, 10)
        server.release()
        await server.idle()
    sent = server.seen[0].unique_api_call_id
    assert sent is not None and len(server.seen) == 1  # not retried on a closed client
    assert_may_have_acted(caught.value, sent, attempts=1)
    assert isinstance(caught.value.__cause__, UnderlyingError)


async def test_a_call_waiting_to_retry_when_its_client_is_closed_says_how_to_resume() -> None:
    class CloseTheClientOnSleep(JumpClock):
        async def sleep(self, seconds: float) -> None:
            await api.aclose()
            await super().sleep(seconds)

    async with invoice_server(["drop-after"]) as server:
        api = client(server.url, CloseTheClientOnSleep())
        with pytest.raises(TransportError) as caught:
            await api.invoices.create(INVOICE, unique_api_call_id="order-13")
    assert len(server.seen) == 1 and len(server.invoices) == 1
    assert_may_have_acted(caught.value, "order-13", attempts=1)


async def test_a_retry_waiting_for_a_slot_when_its_client_is_closed_says_how_to_resume() -> None:
    class CloseTheClientOnTheRetrysSlot:
        def __init__(self) -> None:
            self.asked = 0

        async def acquire(self, key: str) -> NoPermit:
            self.asked += 1
            if self.asked == 2:
                await api.aclose()
            return NO_PERMIT

    async with invoice_server(["drop-after"]) as server:
        api = client(server.url, rate_limits=CloseTheClientOnTheRetrysSlot())
        with pytest.raises(TransportError) as caught:
            await api.invoices.create(INVOICE, unique_api_call_id="order-14")
    assert len(server.seen) == 1 and len(server.invoices) == 1
    assert_may_have_acted(caught.value, "order-14", attempts=1)


# -- cancellation ------------------------------------------------------------------------------


async def test_a_cancelled_call_that_may_have_acted_logs_the_id_to_resume_with(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="billecta_async")
    async with invoice_server(["slow-after"]) as server, client(server.url, timeout=60) as api:
        call = asyncio.ensure_future(api.invoices.create(INVOICE, unique_api_call_id="order-77"))
        while not server.seen:
            await asyncio.sleep(0.005)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        server.release()
        await server.idle()
        # the caller knows its own id: calling again with it is safe
        with pytest.raises(DuplicateRequestError):
            await api.invoices.create(INVOICE, unique_api_call_id="order-77")
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert record.getMessage() == (
        "POST /v1/invoice/action: cancelled after attempt 1 may have reached Billecta; to "
        "resume safely, call again with unique_api_call_id='order-77'"
    )
    assert len(server.invoices) == 1


# -- the errors guide's pattern -------------------------------------------------------------------


def _guide_resume_example() -> str:
    guide = Path(__file__).resolve().parent.parent / "docs" / "guides" / "errors.md"
    section = guide.read_text(encoding="utf-8").split("## Failures that tell the truth", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the errors guide has no resume example"
    return match.group(1)


@pytest.mark.parametrize(
    ("faults", "created"),
    [
        ([], True),
        (["500", "500", "500"], True),  # nothing acted: the resumed call creates it
        (["drop-after", "drop-after", "drop-after"], False),  # the first acted: already processed
        (["drop-before", "drop-before", "truncate-after", "500"], False),
    ],
)
async def test_the_guides_resume_pattern_creates_each_invoice_once(
    faults: list[str], created: bool
) -> None:
    namespace: dict[str, Any] = {"__name__": "readme"}
    exec(compile(_guide_resume_example(), "errors.md", "exec"), namespace)
    async with invoice_server(faults) as server, client(server.url) as api:
        public_id = await namespace["create_once"](api, INVOICE, "1001", pause=0)
    assert len(server.invoices) == 1 and ids_sent(server) == {"order-1001"}
    assert (public_id in server.invoices) if created else public_id is None


def ids_sent(server: Any) -> set[str | None]:
    return {seen.unique_api_call_id for seen in server.seen}
