"""What the emulator refuses: 400 with a ``Message`` naming what is wrong, and nothing changed
(the refused call emits no webhook event either).

One case per rule of the areas the emulator models statefully beyond the invoice life cycle
(which tests/test_e2e_invoices.py covers): bookkeeping, payments, cards, autogiro, sharing,
passwords, KYC, reminders, interest invoices, merging, debt collection, self and contract
invoices. Most rules are the reference's ("used payment means can't be deleted", "can't be
done up to the day before the autogiro withdrawal date"); where it is silent the emulator
refuses what cannot be meant (a code taken twice, a refund or credit beyond the amount, a move
by zero periods, a password under 8 characters).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from _builders import sek, sofa_entry, today

from billecta_async import STOCKHOLM, BadRequestError, BillectaClient
from billecta_async import models as m
from billecta_async.testing import BillectaEmulator

pytestmark = pytest.mark.parametrize("billecta_format", ["json", "xml"])

Case = Callable[[BillectaClient, str, BillectaEmulator], Awaitable[Any]]


async def _invoice(
    client: BillectaClient, creditor: str, *, send: bool = False, debtor: str | None = None
) -> str:
    """An invoice (sent when asked) to ``debtor``, or to a new debtor; its id."""
    if debtor is None:
        created_debtor = await client.debtors.create(
            m.Debtor(creditor_public_id=creditor, name="Jenny")
        )
        debtor = created_debtor.public_id
    entry = sofa_entry(creditor, debtor, 10000)
    if send:
        entry.delivery_method = m.DeliveryMethodType.EMAIL
    created = await client.invoices.create(entry)
    if send:
        await client.invoices.attest(created.public_id)
    return created.public_id


async def used_payment_mean(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    await c.accounting.create_payment_mean(
        m.AccountingPaymentMean(creditor_public_id=creditor, payment_code="KORT")
    )
    invoice = await _invoice(c, creditor, send=True)
    await c.invoices.register_payment(
        m.RegisterPayment(action_public_id=invoice, amount=sek(100), payment_mean_code="KORT")
    )
    return c.accounting.delete_payment_mean(creditor, "KORT")


async def payment_mean_twice(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    mean = m.AccountingPaymentMean(creditor_public_id=creditor, payment_code="BG")
    await c.accounting.create_payment_mean(mean)
    return c.accounting.create_payment_mean(mean)


async def cost_center_dimension(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    return c.accounting_dimensions.create(
        m.AccountingDimension(creditor_public_id=creditor, dimension=1, code="A")
    )


async def ambiguous_dimension(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    for code in ("A", "B"):
        await c.accounting_dimensions.create(
            m.AccountingDimension(creditor_public_id=creditor, dimension=3, code=code)
        )
    return c.accounting_dimensions.get(creditor, 3)


async def export_without_period(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    return c.accounting.create_export_with_content(
        m.AccountingExportCreation(creditor_public_id=creditor)
    )


async def outgoing_without_receiver(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    return c.payments.create_outgoing_payment(
        m.OutgoingPayment(creditor_public_id=creditor, amount=sek(100))
    )


async def outgoing_answered_twice(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    created = await c.payments.create_outgoing_payment(
        m.OutgoingPayment(creditor_public_id=creditor, amount=sek(100), receiver_iban="SE45")
    )
    await c.payments.set_outgoing_payment_status(created.public_id, True)
    return c.payments.delete_outgoing_payment(created.public_id)


async def unhandled_deleted_twice(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    created = await c.payments.create_unhandled_payment(
        m.UnhandledPayment(creditor_public_id=creditor, amount=sek(100))
    )
    await c.payments.delete_unhandled_payment(created.public_id)
    return c.payments.delete_unhandled_payment(created.public_id)


async def card_payment_on_a_draft(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    invoice = await _invoice(c, creditor)
    return c.invoices.create_credit_card_payment(
        m.CreditCardPaymentIntentView(action_public_id=invoice, success_url="a", failure_url="b")
    )


async def completed_card_payment_cancelled(
    c: BillectaClient, creditor: str, e: BillectaEmulator
) -> Any:
    invoice = await _invoice(c, creditor, send=True)
    paid = await c.invoices.create_credit_card_payment(
        m.CreditCardPaymentIntentView(action_public_id=invoice, success_url="a", failure_url="b")
    )
    await e.clock.sleep(5)
    await c.invoices.list_credit_card_payments(invoice)  # the payer has paid by now
    return c.invoices.cancel_credit_card_payment(paid.payment_public_id)


async def autogiro_cancelled_too_late(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    autogiro = m.DebtorAutogiro(active=True, clearing_no="8327", account_no="1")
    debtor = await c.debtors.create(
        m.Debtor(creditor_public_id=creditor, name="Bo", autogiro=autogiro)
    )
    entry = sofa_entry(creditor, debtor.public_id, 10000)
    entry.invoice_date = entry.due_date = datetime.combine(today(), time(), STOCKHOLM)
    created = await c.invoices.create(entry)  # due today: withdrawn today
    await c.invoices.attest(created.public_id)
    await c.invoices.create_autogiro_withdrawal(created.public_id)
    return c.invoices.cancel_autogiro_withdrawal(created.public_id)


async def shared_twice(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    e.add_account("bookkeeper")
    share = m.CreditorShare(creditor_public_id=creditor, shared_with_user_name="bookkeeper")
    await c.creditors.share(share)
    return c.creditors.share(share)


async def short_password(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    return c.users.change_password(m.Password(password="short"))


async def kyc_without_form(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    return c.creditors.update_kyc(m.CreditorKyc(creditor_public_id=creditor))


async def reminder_cancelled_twice(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    invoice = await _invoice(c, creditor, send=True)
    await c.invoices.create_and_send_reminder(
        m.SendReminderInvoice(invoice_action_public_id=invoice, reminder_fee=sek(6000))
    )
    await c.invoices.cancel_reminder(invoice)
    return c.invoices.cancel_reminder(invoice)


async def negative_reminder_fee(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    invoice = await _invoice(c, creditor, send=True)
    return c.invoices.create_and_send_reminder(
        m.SendReminderInvoice(invoice_action_public_id=invoice, reminder_fee=sek(-6000))
    )


async def interest_on_a_draft(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    invoice = await _invoice(c, creditor)
    return c.invoices.create_interest_invoice(
        invoice, today() - timedelta(days=30), today(), m.InterestType.FIXED, 8.0
    )


async def merge_attested(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    debtor = await c.debtors.create(m.Debtor(creditor_public_id=creditor, name="Jenny"))
    first = await _invoice(c, creditor, send=True, debtor=debtor.public_id)
    second = await _invoice(c, creditor, debtor=debtor.public_id)
    return c.invoices.merge([first, second])


async def merge_other_debtors(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    return c.invoices.merge([await _invoice(c, creditor), await _invoice(c, creditor)])


async def credit_beyond_the_claim(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    invoice = await _invoice(c, creditor, send=True)
    created = await c.debt_collection.create_from_invoice_with_defaults(invoice)
    return c.debt_collection.credit(
        m.CreditAction(action_public_id=created.public_id, value=sek(999999))
    )


async def debt_collection_disputed_twice(
    c: BillectaClient, creditor: str, e: BillectaEmulator
) -> Any:
    invoice = await _invoice(c, creditor, send=True)
    created = await c.debt_collection.create_from_invoice_with_defaults(invoice)
    await c.debt_collection.dispute(created.public_id)
    return c.debt_collection.dispute(created.public_id)


async def self_payment_beyond_the_amount(
    c: BillectaClient, creditor: str, e: BillectaEmulator
) -> Any:
    debtor = await c.debtors.create(m.Debtor(creditor_public_id=creditor, name="Supplier"))
    record = m.SelfInvoiceActionRecord(article_description="Work", unit_price=sek(1000))
    created = await c.self_invoices.create(
        m.SelfInvoiceActionEntry(
            creditor_public_id=creditor, debtor_public_id=debtor.public_id, records=[record]
        )
    )
    await c.self_invoices.attest(created.public_id)
    return c.self_invoices.register_external_payment(
        m.RegisterSelfInvoiceExternalPayment(action_public_id=created.public_id, amount=sek(5000))
    )


async def move_next_run_by_nothing(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    debtor = await c.debtors.create(m.Debtor(creditor_public_id=creditor, name="Subscriber"))
    record = m.ContractInvoiceActionRecord(article_description="Plan", unit_price=sek(100))
    created = await c.contract_invoices.create(
        m.ContractInvoiceAction(
            creditor_public_id=creditor, debtor_public_id=debtor.public_id, records=[record]
        )
    )
    return c.contract_invoices.move_next_run(created.public_id, 0)


async def _locked_through_today(c: BillectaClient, creditor: str) -> None:
    """Bookkeeping locked up to and including today: nothing dated today is attested."""
    await c.accounting.update_locked_period(creditor, today())


async def verification_in_locked_period(
    c: BillectaClient, creditor: str, e: BillectaEmulator
) -> Any:
    debtor = await c.debtors.create(m.Debtor(creditor_public_id=creditor, name="Jenny"))
    await _locked_through_today(c, creditor)
    sofa = m.InvoiceActionRecord(article_description="Sofa", quantity=1.0, unit_price=sek(100))
    return c.invoices.create_verification_invoice(
        m.VerificationInvoiceActionEntry(
            creditor_public_id=creditor,
            debtor_public_id=debtor.public_id,
            invoice_date=datetime.combine(today(), time(), STOCKHOLM),
            records=[sofa],
        )
    )


async def interest_in_locked_period(c: BillectaClient, creditor: str, e: BillectaEmulator) -> Any:
    invoice = await _invoice(c, creditor, send=True)
    await _locked_through_today(c, creditor)
    return c.invoices.create_interest_invoice(
        invoice, today() - timedelta(days=30), today(), m.InterestType.FIXED, 8.0
    )


async def contract_run_in_locked_period(
    c: BillectaClient, creditor: str, e: BillectaEmulator
) -> Any:
    debtor = await c.debtors.create(m.Debtor(creditor_public_id=creditor, name="Subscriber"))
    record = m.ContractInvoiceActionRecord(article_description="Plan", unit_price=sek(100))
    created = await c.contract_invoices.create(
        m.ContractInvoiceAction(
            creditor_public_id=creditor,
            debtor_public_id=debtor.public_id,
            records=[record],
            auto_attest=True,
        )
    )
    await _locked_through_today(c, creditor)
    return c.contract_invoices.create_invoice(created.public_id)


CASES: dict[str, tuple[Case, str]] = {
    "a used payment mean is not deleted": (used_payment_mean, "used"),
    "a payment mean code is unique": (payment_mean_twice, "exists"),
    "dimension 1 is the cost centers'": (cost_center_dimension, "cost centers"),
    "a dimension's code is needed when it has several": (ambiguous_dimension, "2 codes"),
    "an export needs its period": (export_without_period, "From and To"),
    "an outgoing payment needs a receiver": (outgoing_without_receiver, "receiver"),
    "a paid outgoing payment is not cancelled": (outgoing_answered_twice, "Succeded"),
    "an unhandled payment is deleted once": (unhandled_deleted_twice, "Deleted"),
    "a draft is not paid by card": (card_payment_on_a_draft, "attested"),
    "a completed card payment is not cancelled": (completed_card_payment_cancelled, "Succeeded"),
    "autogiro is cancelled before the day before": (autogiro_cancelled_too_late, "day before"),
    "a creditor is shared with a user once": (shared_twice, "already"),
    "a password has 8 characters": (short_password, "8 characters"),
    "the KYC form is required": (kyc_without_form, "CreditorKycForm"),
    "a reminder is cancelled once": (reminder_cancelled_twice, "no reminder"),
    "a reminder fee is not negative": (negative_reminder_fee, "ReminderFee"),
    "interest is invoiced on attested invoices": (interest_on_a_draft, "attested"),
    "only drafts are merged": (merge_attested, "unattested"),
    "only one debtor's invoices are merged": (merge_other_debtors, "same debtor"),
    "a claim is credited at most its amount": (credit_beyond_the_claim, "remaining"),
    "a claim is disputed once": (debt_collection_disputed_twice, "already disputed"),
    "a self invoice is paid at most its amount": (self_payment_beyond_the_amount, "remaining"),
    "the next run moves by whole periods": (move_next_run_by_nothing, "steps"),
    "a verification invoice is not dated in a locked period": (
        verification_in_locked_period,
        "locked",
    ),
    "an interest invoice is not dated in a locked period": (interest_in_locked_period, "locked"),
    "a contract run is not attested in a locked period": (contract_run_in_locked_period, "locked"),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_refused_with_a_message_and_nothing_changed(
    case: str, billecta_emulator: BillectaEmulator, billecta_client: BillectaClient
) -> None:
    arrange, words = CASES[case]
    call = await arrange(billecta_client, billecta_emulator.creditor_public_id, billecta_emulator)
    events = len(billecta_emulator.state.events)
    with pytest.raises(BadRequestError) as caught:
        await call
    assert words in caught.value.message
    assert caught.value.status == 400
    assert len(billecta_emulator.state.events) == events
