"""Item 2 of the reliability promise, end to end: an application that calls every failed logical
call again with the id from the error creates exactly one invoice per logical call, whatever
faults an independent server injects (tests/_invoice_server.py; the SDK's emulator plays no
part): connections dropped before and after the invoice is stored, 5xx before and after, 429,
answers held past the timeout, truncated answers, deadlines passing and cancellation of calls
that carry the caller's own id.
"""

from __future__ import annotations

import random

from _invoice_server import invoice_server
from _resuming_app import TIMEOUT, random_faults, run_application

from billecta_async import Backoff, BillectaClient, ScaledClock

CALLS = 1000


async def test_every_logical_call_creates_exactly_one_invoice_under_faults() -> None:
    clock = ScaledClock(100)  # backoff, Retry-After, deadlines and the error budget, 100x
    async with invoice_server() as server:
        server.random_fault = random_faults(random.Random(12), rate=0.3)
        async with BillectaClient(
            secure_token="t",
            base_url=server.url,
            clock=clock,
            timeout=TIMEOUT,
            backoff=Backoff(jitter=random.Random(3).random),
        ) as api:
            report = await run_application(api, clock, CALLS, seed=5, concurrency=50)
    # (the server has finished every held request by now: late ones were refused by id)

    references = server.references()
    assert len(server.invoices) == CALLS
    assert references == {f"order-{n}": 1 for n in range(CALLS)}
    assert report.created + report.already_processed == CALLS

    # the faults happened, and the application saw each kind of error and resumed from it
    faults = {seen.fault.partition(":")[0] for seen in server.seen if seen.fault}
    assert faults == {
        "drop-before",
        "drop-after",
        "500",
        "500-after",
        "429",
        "sleep-before",
        "sleep-after",
        "truncate-after",
    }
    errors = report.errors
    assert errors["TransportError"] and errors["RequestTimeoutError"] and errors["ServerError"]
    assert errors["AlreadyProcessedError"] and errors["DuplicateRequestError"]
    assert errors["RateLimitedError"] and errors["ErrorBudgetExhaustedError"]
    assert report.deadlines and report.cancelled >= 5 and report.resumed
    assert report.maybe_processed and report.not_processed
    created_late = sum(1 for seen in server.seen if seen.status == 403)
    assert created_late >= errors["DuplicateRequestError"] + errors["AlreadyProcessedError"]
