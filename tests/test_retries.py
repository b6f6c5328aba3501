"""Retries that never duplicate, against a local server that creates invoices and honours
UniqueApiCallId like Billecta (tests/_invoice_server.py), with injected faults."""

from __future__ import annotations

import asyncio
import gc
import re
import socket
import warnings
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from _builders import sofa_entry
from _clocks import JumpClock, ManualClock
from _invoice_server import InvoiceServer, invoice_server
from _invoice_server import invoice_client as client
from aiohttp import web

import billecta_async.models as m
from billecta_async import (
    AlreadyProcessedError,
    Backoff,
    BillectaClient,
    DuplicateRequestError,
    ErrorBudgetExhaustedError,
    ErrorBudgetLimits,
    ForbiddenError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TransportError,
)

CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
INVOICE = m.InvoiceActionEntry(creditor_public_id=CREDITOR, our_reference="order-1001")


async def until(condition: Callable[[], bool]) -> None:
    """Let the event loop run (the local server included) until ``condition`` holds."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not reached")


def ids_sent(server: InvoiceServer) -> set[str | None]:
    return {seen.unique_api_call_id for seen in server.seen}


# -- a create never runs twice ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("faults", "attempts"),
    [
        ([], 1),
        (["drop-before"], 2),
        (["500", "500"], 3),
        (["429:3"], 2),
        (["drop-before", "500"], 3),
        (["slow-before"], 2),  # the first attempt acts after the retry: refused as a repeat
    ],
)
async def test_create_succeeds_once_after_faults_before_it_acted(
    faults: list[str], attempts: int
) -> None:
    async with invoice_server(faults) as server, client(server.url) as api:
        created = await api.invoices.create(INVOICE)
        server.release()
        await server.idle()
    assert list(server.invoices) == [created.public_id]
    assert len(server.seen) == attempts
    (unique_id,) = ids_sent(server)  # one generated id, the same on every attempt
    assert unique_id is not None and len(unique_id) <= 50


@pytest.mark.parametrize(
    ("faults", "attempts"),
    [
        (["drop-after"], 2),
        (["slow-after"], 2),  # timed out after Billecta stored it
        (["truncate-after"], 2),
        (["drop-before", "drop-after"], 3),
        (["drop-after", "500"], 3),
    ],
)
async def test_create_whose_answer_was_lost_is_reported_as_already_processed(
    faults: list[str], attempts: int
) -> None:
    async with invoice_server(faults) as server, client(server.url) as api:
        with pytest.raises(AlreadyProcessedError) as caught:
            await api.invoices.create(INVOICE)
    assert len(server.invoices) == 1  # stored once, never twice
    assert len(server.seen) == attempts and server.seen[-1].status == 403
    error = caught.value
    (unique_id,) = ids_sent(server)
    assert error.unique_api_call_id == unique_id and error.attempts == attempts
    assert isinstance(error, DuplicateRequestError) and error.status == 403
    assert "already processed" in str(error) and "do not send" in str(error)


async def test_callers_own_id_is_reused_on_every_attempt() -> None:
    async with invoice_server(["drop-after"]) as server, client(server.url) as api:
        with pytest.raises(AlreadyProcessedError) as caught:
            await api.invoices.create(INVOICE, unique_api_call_id="order-1001")
    assert ids_sent(server) == {"order-1001"} and len(server.invoices) == 1
    assert caught.value.unique_api_call_id == "order-1001"


async def test_an_id_sent_as_a_header_in_any_case_is_the_calls_id() -> None:
    async with invoice_server(["drop-after"]) as server, client(server.url) as api:
        with pytest.raises(AlreadyProcessedError) as caught:
            await api.invoices.create(INVOICE, headers={"uniqueapicallid": "order-7"})
    assert [seen.unique_api_call_id for seen in server.seen] == ["order-7", "order-7"]
    assert len(server.invoices) == 1 and caught.value.unique_api_call_id == "order-7"


async def test_403_on_the_first_attempt_is_a_duplicate_not_already_processed() -> None:
    async with invoice_server() as server:
        server.used_ids.add("order-1001")  # sent in an earlier run of the program
        async with client(server.url) as api:
            with pytest.raises(DuplicateRequestError) as caught:
                await api.invoices.create(INVOICE, unique_api_call_id="order-1001")
    assert type(caught.value) is DuplicateRequestError
    assert len(server.seen) == 1 and not server.invoices


async def test_403_with_a_generated_id_is_a_plain_forbidden_error() -> None:
    async with invoice_server(["403"]) as server, client(server.url) as api:
        with pytest.raises(ForbiddenError) as caught:
            await api.invoices.create(INVOICE)
    assert type(caught.value) is ForbiddenError and len(server.seen) == 1


async def test_403_on_a_retry_after_an_unsent_attempt_is_not_already_processed() -> None:
    # The first attempt was refused with 429 (not processed), so a 403 on the retry is about the
    # caller's id, not about this call's first attempt.
    async with invoice_server(["429:1"]) as server:
        server.used_ids.add("order-1001")
        async with client(server.url) as api:
            with pytest.raises(DuplicateRequestError) as caught:
                await api.invoices.create(INVOICE, unique_api_call_id="order-1001")
    assert type(caught.value) is DuplicateRequestError and len(server.seen) == 2


async def test_create_gives_up_after_max_retries_without_storing_anything() -> None:
    async with invoice_server(["500", "500", "500", "500"]) as server, client(server.url) as api:
        with pytest.raises(ServerError):
            await api.invoices.create(INVOICE)
        assert len(server.seen) == 3  # max_retries=2 by default
        with pytest.raises(ServerError):
            await api.invoices.create(INVOICE, max_retries=0)
    assert len(server.seen) == 4 and not server.invoices


# -- which calls are retried ------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["drop-before", "drop-after", "500", "truncate-after"])
async def test_get_is_retried(fault: str) -> None:
    async with invoice_server() as server:
        server.invoices["inv-1"] = b"{}"
        server.faults.append(fault)
        async with client(server.url) as api:
            invoice = await api.invoices.get("inv-1")
    assert invoice.action_public_id == "inv-1"
    assert len(server.seen) == 2 and ids_sent(server) == {None}  # a GET carries no id


async def test_update_over_a_reused_connection_is_never_resent_behind_the_clients_back() -> None:
    # aiohttp on its own resends a PUT once when a pooled connection fails; the client turns
    # that off so that it knows which attempts may have reached Billecta.
    async with invoice_server(["", "drop-after"]) as server, client(server.url) as api:
        server.invoices["inv-1"] = b"{}"
        await api.invoices.get("inv-1")  # the connection is now pooled
        with pytest.raises(AlreadyProcessedError) as caught:
            await api.invoices.update("inv-1", INVOICE)
    assert server.updates == 1 and caught.value.attempts == 2
    assert [seen.method for seen in server.seen] == ["GET", "PUT", "PUT"]


@pytest.mark.parametrize(("fault", "acted"), [("drop-after", True), ("500", False)])
async def test_with_retries_off_a_post_still_carries_an_id_to_resume_with(
    fault: str, acted: bool
) -> None:
    async with invoice_server([fault]) as server, client(server.url, max_retries=0) as api:
        with pytest.raises((TransportError, ServerError)) as caught:
            await api.invoices.create(INVOICE)
        assert len(server.seen) == 1  # not retried
        (unique_id,) = ids_sent(server)
        error = caught.value
        assert error.unique_api_call_id == unique_id and unique_id is not None
        assert error.attempts == 1 and error.maybe_processed
        assert f"call again with unique_api_call_id={unique_id!r}" in str(error)
        # resuming as the message says never creates a second invoice
        if acted:
            with pytest.raises(DuplicateRequestError, match="already processed"):
                await api.invoices.create(INVOICE, unique_api_call_id=unique_id)
        else:
            await api.invoices.create(INVOICE, unique_api_call_id=unique_id)
    assert len(server.invoices) == 1 and ids_sent(server) == {unique_id}


async def test_retries_off_per_call() -> None:
    async with invoice_server(["500"]) as server:
        server.invoices["inv-1"] = b"{}"
        async with client(server.url) as api:
            with pytest.raises(ServerError):
                await api.invoices.get("inv-1", max_retries=0)
    assert len(server.seen) == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_connection_refused_is_retried_for_any_method() -> None:
    # Nothing listens at first; the server starts during the client's backoff wait.
    port = _free_port()
    server = InvoiceServer()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, access_log=None)

    class StartOnSleep(JumpClock):
        async def sleep(self, seconds: float) -> None:
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            await super().sleep(seconds)

    clock = StartOnSleep()
    try:
        async with client(f"http://127.0.0.1:{port}", clock) as api:
            created = await api.invoices.create(INVOICE)
    finally:
        await runner.cleanup()
    assert list(server.invoices) == [created.public_id] and len(clock.sleeps) == 1


# -- waits ------------------------------------------------------------------------------------


async def test_retry_after_is_waited_on_the_clock() -> None:
    clock = JumpClock()
    async with invoice_server(["429:7", "429:2.5"]) as server, client(server.url, clock) as api:
        await api.invoices.create(INVOICE)
    assert clock.sleeps == [7.0, 2.5] and len(server.invoices) == 1


async def test_retry_after_longer_than_the_maximum_is_not_waited() -> None:
    clock = JumpClock()
    async with invoice_server(["429:600"]) as server, client(server.url, clock) as api:
        with pytest.raises(RateLimitedError) as caught:
            await api.invoices.create(INVOICE)
    assert caught.value.retry_after == 600 and clock.sleeps == [] and len(server.seen) == 1


async def test_backoff_is_jittered_exponential_and_capped() -> None:
    clock = JumpClock()
    backoff = Backoff(base=1.0, cap=3.0, jitter=lambda: 0.5)
    async with invoice_server(["500"] * 4) as server:
        server.invoices["inv-1"] = b"{}"
        async with BillectaClient(
            secure_token="t", base_url=server.url, clock=clock, backoff=backoff, max_retries=4
        ) as api:
            await api.invoices.get("inv-1")
    assert clock.sleeps == [0.5, 1.0, 1.5, 1.5]
    assert [Backoff(jitter=lambda: 1.0).delay(n) for n in (1, 2, 5, 9)] == [0.5, 1.0, 8.0, 8.0]


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"jitter": 0.5}, r"^Backoff jitter must be a callable"),
        ({"base": True}, r"^Backoff base must be a number >= 0"),
        ({"cap": "8"}, r"^Backoff cap must be a number >= 0"),
    ],
)
def test_a_backoff_of_the_wrong_kind_is_refused_naming_it(
    settings: dict[str, Any], says: str
) -> None:
    """A jitter that cannot be called failed only at the first retry, with a TypeError that
    lost what the failed attempt showed (the id to resume with)."""
    with pytest.raises((TypeError, ValueError), match=says):
        Backoff(**settings)


async def test_deadline_stops_retries_before_a_wait_would_pass_it() -> None:
    clock = ManualClock()
    async with (
        invoice_server(["429:4", "429:4", "429:4"]) as server,
        client(server.url, clock, deadline=10) as api,
    ):
        call = asyncio.ensure_future(api.invoices.create(INVOICE))
        for seen in (1, 2):
            await until(lambda: len(server.seen) == seen)  # noqa: B023
            await clock.advance(4)
        await until(lambda: len(server.seen) == 3)
        with pytest.raises(RateLimitedError):  # 8 s passed, another 4 s would pass 10 s
            await asyncio.wait_for(call, 10)
    assert clock.now() == 8 and len(server.seen) == 3
    # ...while a per-call deadline=None lifts it
    jump = JumpClock()
    async with (
        invoice_server(["429:4", "429:4"]) as server,
        client(server.url, jump, deadline=10) as api,
    ):
        await api.invoices.create(INVOICE, deadline=None)
    assert len(server.seen) == 3 and jump.sleeps == [4.0, 4.0]


async def test_deadline_cuts_an_attempt_in_flight() -> None:
    clock = ManualClock()
    async with (
        invoice_server(["slow-after"]) as server,
        client(server.url, clock, timeout=60) as api,
    ):
        call = asyncio.ensure_future(api.invoices.create(INVOICE, deadline=5))
        await until(lambda: len(server.seen) == 1)
        await clock.advance(4.9)
        assert not call.done()
        await clock.advance(0.1)
        with pytest.raises(RequestTimeoutError, match="deadline of 5 s"):
            await asyncio.wait_for(call, 10)
    assert len(server.invoices) == 1 and len(server.seen) == 1


# -- the error budget ------------------------------------------------------------------------


async def test_error_budget_stops_retries_and_refuses_the_51st_error() -> None:
    clock = JumpClock()
    async with invoice_server(["500"] * 100) as server:
        server.invoices["inv-1"] = b"{}"
        async with client(server.url, clock) as api:
            calls = 0
            with pytest.raises(ErrorBudgetExhaustedError) as caught:
                while True:
                    calls += 1
                    with pytest.raises(ServerError):
                        await api.invoices.get("inv-1")
            assert len(server.seen) == 50  # Billecta's limit reached, never passed
            # retries stop with 10 errors left: 13 calls of 3 attempts, 1 call ending at 40,
            # then 10 calls of one attempt each
            assert calls == 13 + 1 + 10 + 1
            error = caught.value
            assert (error.errors, error.max_errors, error.window) == (50, 50, 60.0)
            assert 0 < error.retry_after <= 60
            assert "50 error answers within the last 60 s" in str(error)
            clock.advance(error.retry_after)  # the oldest error leaves the window
            server.faults.clear()
            await api.invoices.get("inv-1")
    assert len(server.seen) == 51


async def test_error_budget_is_configurable_and_404_does_not_count() -> None:
    clock = JumpClock()
    async with invoice_server() as server:
        limits = ErrorBudgetLimits(max_errors=3, window=10, reserve=0)
        async with client(server.url, clock, error_budget=limits) as api:
            for _ in range(5):
                with pytest.raises(Exception, match="404"):
                    await api.invoices.get("missing")
            server.faults.extend(["403"] * 3)
            for _ in range(3):
                with pytest.raises(ForbiddenError):
                    await api.invoices.create(INVOICE)
            with pytest.raises(ErrorBudgetExhaustedError, match="error budget of 3"):
                await api.invoices.get("missing")
        async with client(server.url, clock, error_budget=None) as api:
            with pytest.raises(Exception, match="404"):
                await api.invoices.get("missing")


# -- cancellation ------------------------------------------------------------------------------


@pytest.mark.parametrize("deadline", [None, 30.0])
async def test_cancelling_a_call_in_flight_leaves_no_connection_and_no_warning(
    deadline: float | None,
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with (
            invoice_server(["slow-after"]) as server,
            client(server.url, ManualClock(), timeout=60, deadline=deadline) as api,
        ):
            call = asyncio.ensure_future(api.invoices.create(INVOICE))
            await until(lambda: len(server.seen) == 1)
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(call, 10)
            session = api._transport._session
            assert session is not None
            connector = session.connector
            assert connector is not None
            assert not connector._acquired and not connector._conns  # closed, not pooled
            assert not [t for t in asyncio.all_tasks() if _is_ours(t)]
        gc.collect()
    assert not [str(w.message) for w in caught]


def _is_ours(task: asyncio.Task[Any]) -> bool:
    coro: Callable[..., Any] | Any = task.get_coro()
    return "billecta_async" in getattr(getattr(coro, "cr_code", None), "co_filename", "")


async def test_a_certificate_error_is_not_retried(mock_http: Any) -> None:
    key = SimpleNamespace(host="api.test.invalid", port=443, ssl=True)
    error = aiohttp.ClientSSLError(key, OSError("certificate verify failed"))
    mock_http.add(re.compile(".*"), "GET", exception=error, repeat=True)
    clock = JumpClock()
    async with BillectaClient(
        secure_token="t", base_url="https://api.test.invalid", clock=clock
    ) as api:
        with pytest.raises(TransportError, match="ClientSSLError"):
            await api.invoices.get("inv-1")
    assert sum(len(calls) for calls in mock_http.requests.values()) == 1 and not clock.sleeps


# -- against the emulator ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["drop_before", "drop_after", "error_before", "error_after", "truncate", "delay"]
)
async def test_faults_at_the_emulator_never_create_a_second_invoice(kind: str) -> None:
    """Two attempts in a row fail. ``delay`` holds them at the emulator (500 s on its clock,
    0.5 s real) past the client's 0.2 s timeout: they reach the UniqueApiCallId check after the
    retry created the invoice, and must be refused there."""
    from billecta_async import AlreadyProcessedError, ScaledClock
    from billecta_async.testing import BillectaEmulator

    async with BillectaEmulator(clock=ScaledClock(1000)) as emulator:
        creditor = emulator.creditor_public_id
        async with emulator.client(max_retries=3) as api:
            debtor = await api.debtors.create(m.Debtor(creditor_public_id=creditor, name="J"))
            entry = sofa_entry(creditor, debtor.public_id, 10000, vat=25.0)
            emulator.inject_fault("POST", "/v1/invoice/action", kind, times=2, seconds=500)
            try:
                created = await api.invoices.create(entry, timeout=0.2)
            except AlreadyProcessedError as exc:
                assert kind in ("drop_after", "error_after", "truncate", "delay")
                assert exc.unique_api_call_id
            else:
                assert created.public_id in emulator.state.invoices
            if kind == "delay":  # let the held attempts wake up and be refused
                await emulator.clock.sleep(600)
        assert len(emulator.state.invoices) == 1
