"""Debtors, autogiro and card payments: a debtor found by your own id, a monthly autogiro
contract invoice, a saved card and a card payment of one invoice.

    billecta emulator --speed 100        # in another terminal: paste the export lines it prints
    python examples/debtors_autogiro_cards.py

Reads the BILLECTA_* variables of BillectaClient.from_env() and BILLECTA_CREDITOR_PUBLIC_ID.
Against Billecta, autogiro and cards need those services enabled for the creditor.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from billecta_async import STOCKHOLM, BillectaClient
from billecta_async.models import (
    Amount,
    ContractInvoiceAction,
    ContractInvoiceActionRecord,
    CreditCardAddIntent,
    CreditCardPaymentIntentView,
    Debtor,
    DebtorAutogiro,
    DebtorType,
    InvoiceActionEntry,
    InvoiceActionRecord,
    RecurrenceDetails,
    RecurrenceIntervalType,
)


async def debtors(client: BillectaClient, creditor: str) -> str:
    """A debtor created, found by your own id, updated; its id."""
    external_id = f"customer-{uuid.uuid4().hex[:8]}"
    created = await client.debtors.create(
        Debtor(
            creditor_public_id=creditor,
            name="Jenny Doe",
            org_no="198001139297",
            debtor_type=DebtorType.PRIVATE,
            debtor_external_id=external_id,
        )
    )
    (found,) = await client.debtors.list_by_external_id(creditor, external_id)
    assert found.debtor_public_id == created.public_id
    await client.debtors.update(replace(found, email="jenny@example.org"))
    print("debtor    ", created.public_id, "found by", external_id)
    return created.public_id


async def autogiro(client: BillectaClient, creditor: str, debtor: str) -> None:
    """The debtor's bank account for autogiro, and a monthly contract withdrawing from it."""
    current = await client.debtors.get(debtor)
    account = DebtorAutogiro(active=True, clearing_no="8327", account_no="9412345678")
    await client.debtors.update(replace(current, autogiro=account))
    contract = await client.contract_invoices.create(
        ContractInvoiceAction(
            creditor_public_id=creditor,
            debtor_public_id=debtor,
            autogiro_withdrawal_enabled=True,
            recurrence_details=RecurrenceDetails(
                recurrence_interval=RecurrenceIntervalType.MONTHLY,
                start=datetime.now(STOCKHOLM),
                no_end_date=True,
            ),
            records=[
                ContractInvoiceActionRecord(
                    article_description="Monthly donation",
                    quantity=1.0,
                    unit_price=Amount.from_decimal(Decimal("200"), "SEK"),
                )
            ],
        )
    )
    await client.contract_invoices.create_invoice(contract.public_id)
    generated = await client.contract_invoices.list_generated_invoices(contract.public_id)
    print("contract  ", contract.public_id, f"{len(generated)} invoice(s) generated")


async def cards(client: BillectaClient, creditor: str, debtor: str) -> None:
    """A card saved on the debtor, and one invoice paid by card."""
    intent = await client.debtors.create_credit_card_intent(
        CreditCardAddIntent(
            debtor_public_id=debtor,
            success_url="https://shop.example/card/saved",
            failure_url="https://shop.example/card/failed",
        )
    )
    print("save card ", intent.add_window_url)
    today = datetime.now(STOCKHOLM)
    invoice = await client.invoices.create(
        InvoiceActionEntry(
            creditor_public_id=creditor,
            debtor_public_id=debtor,
            invoice_date=today,
            due_date=today + timedelta(days=14),
            records=[
                InvoiceActionRecord(
                    article_description="Sofa",
                    quantity=1.0,
                    unit_price=Amount.from_decimal(Decimal("500"), "SEK"),
                )
            ],
        )
    )
    await client.invoices.attest(invoice.public_id)
    payment = await client.invoices.create_credit_card_payment(
        CreditCardPaymentIntentView(
            action_public_id=invoice.public_id,
            success_url="https://shop.example/paid",
            failure_url="https://shop.example/not-paid",
        )
    )
    print("pay card  ", payment.payment_window_url)


async def main() -> None:
    creditor = os.environ["BILLECTA_CREDITOR_PUBLIC_ID"]
    async with BillectaClient.from_env() as client:
        debtor = await debtors(client, creditor)
        await autogiro(client, creditor, debtor)
        await cards(client, creditor, debtor)
    print("done")


if __name__ == "__main__":
    asyncio.run(main())
