"""Swish: an invoice paid from the payer's Swish app, followed until it is paid or not.

    billecta emulator --speed 100        # in another terminal: paste the export lines it prints
    python examples/swish.py [PHONE]

In Billecta's test environment (and the emulator) 46701234567 is declined, 46707654321 fails
with an error and any other number pays. Reads the BILLECTA_* variables of
BillectaClient.from_env() and BILLECTA_CREDITOR_PUBLIC_ID (a creditor with a Swish
certificate, in production).
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime, timedelta
from decimal import Decimal

from billecta_async import STOCKHOLM, BillectaClient
from billecta_async.models import (
    Amount,
    Debtor,
    InvoiceActionEntry,
    InvoiceActionRecord,
    SwishStatusType,
)


async def main(phone: str) -> int:
    creditor = os.environ["BILLECTA_CREDITOR_PUBLIC_ID"]
    async with BillectaClient.from_env() as client:
        debtor = await client.debtors.create(Debtor(creditor_public_id=creditor, name="Jenny Doe"))
        today = datetime.now(STOCKHOLM)
        invoice = await client.invoices.create(
            InvoiceActionEntry(
                creditor_public_id=creditor,
                debtor_public_id=debtor.public_id,
                invoice_date=today,
                due_date=today + timedelta(days=10),
                records=[
                    InvoiceActionRecord(
                        article_description="Concert ticket",
                        quantity=1.0,
                        unit_price=Amount.from_decimal(Decimal("350"), "SEK"),
                    )
                ],
            )
        )
        await client.invoices.attest(invoice.public_id)
        payment = await client.payments.create_swish_payment(
            invoice.public_id, phone, message="Concert ticket"
        )
        print(f"open Swish on {phone}")
        async for status in client.payments.iter_swish_payment_status(payment.public_id):
            print(f"  payment: {status.status.value}", status.error_message or "")
        if status.status is not SwishStatusType.PAID:
            return 1
        paid = await client.invoices.get(invoice.public_id)
        assert paid.current_amount is not None
        print(f"  paid; left to pay on the invoice: {paid.current_amount.to_decimal()} SEK")
        return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "46701111111")))
