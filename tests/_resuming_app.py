"""An application that creates invoices the way the README tells users to: every failed
logical call is called again with the ``unique_api_call_id`` its error carries, until it
succeeds or Billecta says it was already processed.

Used by tests/test_application_loop.py (against the fault-injecting tests/_invoice_server.py)
and by bench/bench_faults.py. Besides placing the invoices, it checks on every error what the
SDK promises: the id is there (and is the caller's own when given), ``maybe_processed`` decides
the message, and an error budget refusal after a maybe-processed attempt never says "not sent".
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import billecta_async.models as m
from billecta_async import (
    BillectaClient,
    BillectaError,
    Clock,
    DuplicateRequestError,
    ErrorBudgetExhaustedError,
    RequestTimeoutError,
)

CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"

# Faults the server injects, each equally likely: connections dropped before and after the
# invoice is stored, 5xx before and after, 429 (waited for, or longer than the client waits),
# answers held past the client's timeout (before and after storing), truncated answers.
FAULT_MIX = (
    "drop-before",
    "drop-after",
    "500",
    "500-after",
    "429:1",
    "429:90",
    "sleep-before:0.4",
    "sleep-after:0.4",
    "truncate-after",
)
TIMEOUT = 0.25  # wall seconds: the "sleep-*" faults outlast it


def random_faults(rng: random.Random, rate: float) -> Callable[[], str | None]:
    """A ``random_fault`` for the server: a fault from FAULT_MIX with probability ``rate``."""

    def fault() -> str | None:
        return rng.choice(FAULT_MIX) if rng.random() < rate else None

    return fault


@dataclass
class Report:
    """What the application saw."""

    calls: int = 0
    created: int = 0  # logical calls that ended in an answer
    already_processed: int = 0  # ... or in "already processed" (the invoice exists)
    resumed: int = 0  # logical calls called again at least once
    errors: Counter[str] = field(default_factory=Counter)  # error types the application got
    maybe_processed: int = 0  # errors saying Billecta may have acted
    not_processed: int = 0  # errors saying it did not
    deadlines: int = 0  # RequestTimeoutErrors from a passed deadline
    cancelled: int = 0  # calls cancelled in flight (then called again with the caller's id)
    budget_after_maybe: int = 0  # error budget refusals after a maybe-processed attempt


def check_error(error: BillectaError, given_id: str | None, report: Report) -> str:
    """Check what ``error`` says against the SDK's promises; the id to call again with."""
    unique_id = error.unique_api_call_id
    assert unique_id is not None, f"no id to resume with: {error!r}"
    if given_id is not None:
        assert unique_id == given_id, (unique_id, given_id)
    text = str(error)
    if error.maybe_processed:
        report.maybe_processed += 1
        assert f"call again with unique_api_call_id={unique_id!r}" in text, text
        assert "not sent" not in text, text
    else:
        report.not_processed += 1
        assert "did not act" in text or "not sent" in text, text
    if isinstance(error, ErrorBudgetExhaustedError) and error.attempts:
        assert error.__cause__ is not None, text  # the earlier failure is chained
        if error.maybe_processed:
            report.budget_after_maybe += 1
    if isinstance(error, RequestTimeoutError) and "deadline" in text:
        report.deadlines += 1
    report.errors[type(error).__name__] += 1
    return unique_id


async def create_exactly_once(
    api: BillectaClient, clock: Clock, n: int, rng: random.Random, report: Report
) -> None:
    """Logical call ``n``: create invoice ``order-<n>`` and keep resuming until it exists.

    Every tenth call passes its own id and is cancelled in flight on its first try; every
    tenth (another) has a deadline shorter than the server's held answers.
    """
    entry = m.InvoiceActionEntry(creditor_public_id=CREDITOR, our_reference=f"order-{n}")
    given_id = f"order-{n}" if n % 10 == 0 else None
    options: dict[str, Any] = {"deadline": 35.0, "timeout": 2.0} if n % 10 == 1 else {}
    tries = 0
    while True:
        tries += 1
        assert tries < 100, f"order-{n} never settled"
        if tries == 2:
            report.resumed += 1
        try:
            call = api.invoices.create(entry, unique_api_call_id=given_id, **options)
            if given_id is not None and tries == 1:
                task = asyncio.ensure_future(call)
                await asyncio.sleep(rng.uniform(0.0, 0.01))
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    report.cancelled += 1  # the caller knows its own id: call again with it
                    continue
            else:
                await call
            report.created += 1
            return
        except DuplicateRequestError as exc:  # AlreadyProcessedError included
            assert exc.unique_api_call_id is not None
            report.errors[type(exc).__name__] += 1
            report.already_processed += 1
            return
        except ErrorBudgetExhaustedError as exc:
            given_id = check_error(exc, given_id, report)
            await clock.sleep(exc.retry_after)
        except BillectaError as exc:
            given_id = check_error(exc, given_id, report)


LogicalCall = Callable[[BillectaClient, Clock, int, random.Random, Report], Awaitable[None]]


async def run_application(
    api: BillectaClient,
    clock: Clock,
    calls: int,
    *,
    seed: int,
    concurrency: int,
    logical_call: LogicalCall = create_exactly_once,
) -> Report:
    """``calls`` logical calls (``logical_call`` each), ``concurrency`` at a time."""
    report = Report(calls=calls)
    rng = random.Random(seed)
    numbers = iter(range(calls))

    async def worker() -> None:
        for n in numbers:
            await logical_call(api, clock, n, rng, report)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return report
