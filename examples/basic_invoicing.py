"""Billecta's basic invoicing use case: a debtor, a product, an invoice, attested and paid.

Run it against Billecta's test environment or the local emulator:

    billecta emulator --speed 100        # in another terminal: paste the export lines it prints
    python examples/basic_invoicing.py

It reads BILLECTA_SECURE_TOKEN (or BILLECTA_USERNAME and BILLECTA_PASSWORD), BILLECTA_BASE_URL
(or BILLECTA_ENVIRONMENT=test) and BILLECTA_CREDITOR_PUBLIC_ID, the creditor to invoice for.
"""

from __future__ import annotations

import asyncio
import os
from datetime import date, datetime, timedelta
from decimal import Decimal

from billecta_async import STOCKHOLM, BillectaClient
from billecta_async.models import (
    Amount,
    Debtor,
    DebtorType,
    InvoiceActionEntry,
    InvoiceActionRecord,
    Product,
    RegisterPayment,
    Search,
)


async def main() -> None:
    creditor = os.environ["BILLECTA_CREDITOR_PUBLIC_ID"]
    async with BillectaClient.from_env() as client:
        debtor = await client.debtors.create(
            Debtor(
                creditor_public_id=creditor,
                name="Jenny Doe",
                email="jenny.doe@example.com",
                address="Storgatan 1",
                zip_code="111 22",
                city="Stockholm",
                country_code="SE",
                debtor_type=DebtorType.PRIVATE,
            )
        )
        print("debtor  ", debtor.public_id)
        product = await client.products.create(
            Product(
                creditor_public_id=creditor,
                article_number=f"SOFA-{datetime.now(STOCKHOLM):%Y%m%d%H%M%S}",
                description="Sofa, three seats",
                unit_price=500.34,
                vat=25.0,
                units="st",
            )
        )
        print("product ", product.public_id)

        today = datetime.now(STOCKHOLM)
        created = await client.invoices.create(
            InvoiceActionEntry(
                creditor_public_id=creditor,
                debtor_public_id=debtor.public_id,
                invoice_date=today,
                due_date=today + timedelta(days=30),
                our_reference="examples/basic_invoicing.py",
                records=[
                    InvoiceActionRecord(
                        product_public_id=product.public_id,
                        article_description="Sofa, three seats",
                        quantity=2.0,
                        unit_price=Amount.from_decimal(Decimal("500.34"), "SEK"),
                        vat=25.0,
                    )
                ],
            )
        )
        await client.invoices.attest(created.public_id)
        invoice = await client.invoices.get(created.public_id)
        assert invoice.current_amount is not None
        print(
            f"invoice  {invoice.invoice_number}: {invoice.current_amount.to_decimal()} SEK to pay"
        )

        pdf = await client.invoices.preview(created.public_id)
        print(f"pdf      {len(pdf)} bytes")

        await client.invoices.register_payment(
            RegisterPayment(
                action_public_id=created.public_id,
                amount=invoice.current_amount,
                date=today,
                payment_mean_code="BG",
            )
        )
        paid = await client.invoices.get(created.public_id)
        stage = paid.state.stage.value if paid.state else "?"
        print(f"paid     stage {stage}")

        found = await client.search.actions(
            Search(creditor_public_id=creditor, search_value=paid.invoice_number)
        )
        print("found   ", [hit.action_public_id for hit in found.invoice_actions or []])
        closed = await client.invoices.list_closed(
            creditor, date.today() - timedelta(days=1), date.today() + timedelta(days=1)
        )
        assert any(sub.action_public_id == created.public_id for sub in closed)
        print("done: created, attested, paid and found")


if __name__ == "__main__":
    asyncio.run(main())
