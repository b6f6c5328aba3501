"""Fault benchmark: what an application gets out of failed calls, under injected faults.

    python bench/bench_faults.py [--calls 1000] [--rate 0.3] [--seed 12]

Runs the independent fault-injecting invoice server of the tests (tests/_invoice_server.py: it
shares nothing with the SDK's emulator) in this process, and drives ``--calls`` logical invoice
creations through ``BillectaClient`` (50 at a time) while the server injects a fault into each
request with probability ``--rate``: connections dropped before and after the invoice is
stored, 5xx before and after, 429, answers held past the client's timeout (before and after
storing), truncated answers; a tenth of the calls have a deadline shorter than the held answers,
a tenth pass their own id and are cancelled in flight. Two applications, one after the other:

* ``resuming``: calls a failed logical call again with the ``unique_api_call_id`` its error
  carries, as the README says (tests/_resuming_app.py, which also checks every error's promise);
* ``naive``: calls a failed logical call again as it was, without the id (what an application
  does with errors that do not say whether Billecta acted).

Reports, for each: wall time, requests, logical calls with exactly one invoice, duplicates and
missing invoices, and the errors the application got. Time runs 100x faster on the client's
clock (backoff, Retry-After, deadlines, error budget); timeouts are wall time (0.25 s).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from _invoice_server import InvoiceServer, invoice_server  # noqa: E402
from _resuming_app import (  # noqa: E402
    CREDITOR,
    TIMEOUT,
    Report,
    create_exactly_once,
    random_faults,
    run_application,
)

import billecta_async.models as m  # noqa: E402
from billecta_async import (  # noqa: E402
    Backoff,
    BillectaClient,
    BillectaError,
    Clock,
    DuplicateRequestError,
    ScaledClock,
)


async def create_naively(
    api: BillectaClient, clock: Clock, n: int, rng: random.Random, report: Report
) -> None:
    """Logical call ``n`` as an application without the id would make it: a failed call is
    called again as it was (with a new generated id each time)."""
    entry = m.InvoiceActionEntry(creditor_public_id=CREDITOR, our_reference=f"order-{n}")
    options: dict[str, Any] = {"deadline": 35.0, "timeout": 2.0} if n % 10 == 1 else {}
    for tries in range(1, 100):
        if tries == 2:
            report.resumed += 1
        try:
            if n % 10 == 0 and tries == 1:
                task = asyncio.ensure_future(api.invoices.create(entry))
                await asyncio.sleep(rng.uniform(0.0, 0.01))
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    report.cancelled += 1
                    continue
            else:
                await api.invoices.create(entry, **options)
            report.created += 1
            return
        except DuplicateRequestError as exc:
            report.errors[type(exc).__name__] += 1
            report.already_processed += 1
            return
        except BillectaError as exc:
            report.errors[type(exc).__name__] += 1
            await clock.sleep(getattr(exc, "retry_after", None) or 0.0)


def summary(name: str, report: Report, server: InvoiceServer, seconds: float) -> None:
    per_call = server.references()
    counts = Counter(per_call.get(f"order-{n}", 0) for n in range(report.calls))
    duplicates = sum(count - 1 for count in per_call.values() if count > 1)
    print(f"\n{name}: {report.calls} logical calls in {seconds:.1f} s, {len(server.seen)} requests")
    doubled = sum(number for count, number in counts.items() if count > 1)
    print(
        f"  exactly one invoice: {counts[1]}   duplicates: {duplicates} (in {doubled} calls)   "
        f"missing: {counts[0]}"
    )
    print(
        f"  ended: {report.created} with an answer, {report.already_processed} as already "
        f"processed; {report.resumed} called again, {report.cancelled} cancelled in flight"
    )
    if report.maybe_processed or report.not_processed:
        print(
            f"  errors saying Billecta may have acted: {report.maybe_processed}, that it did "
            f"not: {report.not_processed}; deadlines: {report.deadlines}; error budget after a "
            f"maybe-processed attempt: {report.budget_after_maybe}"
        )
    errors = ", ".join(f"{name} {count}" for name, count in report.errors.most_common())
    print(f"  errors the application got: {errors}")


async def run(kind: str, calls: int, rate: float, seed: int) -> None:
    clock = ScaledClock(100)
    async with invoice_server() as server:
        server.random_fault = random_faults(random.Random(seed), rate=rate)
        async with BillectaClient(
            secure_token="bench",
            base_url=server.url,
            clock=clock,
            timeout=TIMEOUT,
            backoff=Backoff(jitter=random.Random(seed + 1).random),
        ) as api:
            logical_call = create_exactly_once if kind == "resuming" else create_naively
            start = time.perf_counter()
            report = await run_application(
                api, clock, calls, seed=seed + 2, concurrency=50, logical_call=logical_call
            )
            seconds = time.perf_counter() - start
    summary(kind, report, server, seconds)


def main() -> None:
    # (the resuming application knows each cancelled call's id: no need for the warnings)
    logging.getLogger("billecta_async").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    print(f"fault rate {args.rate:.0%} per request, seed {args.seed}")
    for kind in ("resuming", "naive"):
        asyncio.run(run(kind, args.calls, args.rate, args.seed))


if __name__ == "__main__":
    main()
