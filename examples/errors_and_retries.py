"""Errors, retries and idempotency: what Billecta refused, and an invoice created exactly once
whatever the network does.

    billecta emulator --speed 100        # in another terminal: paste the export lines it prints
    python examples/errors_and_retries.py --order 1001

Run it twice with the same --order: the second run finds the invoice already created (Billecta
remembers a UniqueApiCallId for three months). Reads the BILLECTA_* variables of
BillectaClient.from_env() and BILLECTA_CREDITOR_PUBLIC_ID.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from billecta_async import (
    STOCKHOLM,
    BadRequestError,
    BillectaClient,
    DuplicateRequestError,
    ErrorBudgetExhaustedError,
    RateLimitedError,
    ServerError,
    TLSError,
    TransportError,
    UnauthorizedError,
)
from billecta_async.models import Amount, Debtor, InvoiceActionEntry, InvoiceActionRecord

TRANSIENT = (TransportError, ServerError, RateLimitedError, ErrorBudgetExhaustedError)


async def refused(client: BillectaClient, creditor: str) -> None:
    """Errors that mean Billecta did not act: fix the request, do not retry it."""
    try:
        await client.debtors.create(Debtor(creditor_public_id=creditor))  # no name
    except BadRequestError as error:
        print(f"400 from Billecta: {error.message} (maybe processed: {error.maybe_processed})")
    try:
        await client.debtors.get(str(uuid.uuid4()))  # not a debtor of this user's creditors
    except UnauthorizedError as error:
        print(f"401 from Billecta for {error.method} {error.path}")


async def create_once(
    client: BillectaClient, entry: InvoiceActionEntry, order: str, pause: float
) -> str | None:
    """The new invoice's id, or None if an earlier call for this order created it."""
    unique_id = f"order-{order}"  # yours: you still know it after a crash or a cancellation
    for call in range(1, 21):
        try:
            created = await client.invoices.create(entry, unique_api_call_id=unique_id)
            print(f"created on call {call}")
            return created.public_id
        except DuplicateRequestError:  # AlreadyProcessedError too
            print(f"call {call}: Billecta already processed order {order}")
            return None
        except TLSError:
            raise  # a certificate problem: calling again will not help
        except TRANSIENT as error:
            print(f"call {call} failed after {error.attempts} attempt(s): {type(error).__name__}")
            print(f"  maybe processed: {error.maybe_processed}; resuming with {unique_id}")
            await asyncio.sleep(getattr(error, "retry_after", None) or pause)
    raise RuntimeError(f"order {order}: resume later with unique_api_call_id={unique_id!r}")


async def main(order: str, pause: float) -> None:
    creditor = os.environ["BILLECTA_CREDITOR_PUBLIC_ID"]
    async with BillectaClient.from_env() as client:
        await refused(client, creditor)
        debtor = await client.debtors.create(Debtor(creditor_public_id=creditor, name="Jenny Doe"))
        today = datetime.now(STOCKHOLM)
        entry = InvoiceActionEntry(
            creditor_public_id=creditor,
            debtor_public_id=debtor.public_id,
            invoice_date=today,
            due_date=today + timedelta(days=30),
            external_reference=f"order {order}",
            records=[
                InvoiceActionRecord(
                    article_description="Sofa",
                    quantity=1.0,
                    unit_price=Amount.from_decimal(Decimal("500"), "SEK"),
                )
            ],
        )
        invoice = await create_once(client, entry, order, pause)
        print(f"order {order}: invoice {invoice or 'created earlier'}")
        again = await create_once(client, entry, order, pause)
        assert again is None  # the same order is never invoiced twice


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--order", default=uuid.uuid4().hex[:12], help="your order number")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between resumes")
    args = parser.parse_args()
    asyncio.run(main(args.order, args.pause))
