"""Reconciliation invoices: they only track an amount to be paid.

Created (sent at once when a delivery method is set), paid, completed at zero; updated or
deleted at any time (changing the amount drops the payment history); reminders add their fees.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta

from billecta_async import models as m
from billecta_async.testing.emulator._http import Call, bad_request, day_of, new_id, now
from billecta_async.testing.emulator._invoices import (
    add_comment,
    add_event,
    common_events,
    currency_of,
    delivery_method_of,
    delivery_method_or_manual,
    follow_debt_collection,
    in_period,
    money,
    positive_amount,
    value_of,
)
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import EMPTY_GUID, State, copy_fields, fill_missing

routes = Routes()

RStage = m.ReconciliationInvoiceActionStageType


def reconciliation_state(
    stage: RStage = RStage.CREATED, sent: datetime | None = None
) -> m.ReconciliationInvoiceActionState:
    return m.ReconciliationInvoiceActionState(
        stage=stage, is_payed=False, invoice_sent_date=sent, invoice_was_included_in_email=False
    )


def reconciliation_sub(
    state: State, action: m.ReconciliationInvoiceAction
) -> m.ReconciliationInvoiceActionSub:
    creditor = state.creditors.get(action.creditor_public_id or "") or m.Creditor()
    debtor = action.debtor or m.ReconciliationDebtor()
    return copy_fields(
        m.ReconciliationInvoiceActionSub,
        action,
        action.state,
        creditor_org_no=creditor.org_no,
        creditor_name=creditor.name,
        debtor_org_no=debtor.org_no,
        debtor_name=debtor.name,
        debtor_phone=debtor.phone,
        debtor_debtor_no=debtor.debtor_no,
        debtor_email=debtor.email,
        action_type=m.ActionType.RECONCILIATION_INVOICE_ACTION,
    )


def _reconciliation_from(
    call: Call, entry: m.ReconciliationInvoiceActionEntry, *, allow_zero: bool = False
) -> m.ReconciliationInvoiceAction:
    creditor_public_id = call.creditor(entry.creditor_public_id)
    if entry.debtor is None or not entry.debtor.name:
        raise bad_request("ReconciliationInvoiceActionEntry.Debtor.Name is required")
    amount = value_of(entry.current_amount)
    if entry.current_amount is None or amount < 0 or (amount == 0 and not allow_zero):
        raise bad_request(
            f"ReconciliationInvoiceActionEntry.CurrentAmount must be positive (got {amount})"
        )
    if not entry.invoice_number:
        raise bad_request("ReconciliationInvoiceActionEntry.InvoiceNumber is required")
    action = m.ReconciliationInvoiceAction(
        action_public_id=new_id(),
        creditor_public_id=creditor_public_id,
        debtor=entry.debtor,
        delivery_method=delivery_method_or_manual(entry.delivery_method),
        communication_language=entry.communication_language or m.LanguageType.SV,
        invoice_number=entry.invoice_number,
        ocr=entry.ocr,
        invoiced_amount=entry.current_amount,
        current_amount=copy.deepcopy(entry.current_amount),
        current_reminder_fees=entry.current_reminder_fees,
        external_reference=entry.external_reference,
        external_url=entry.external_url,
        send_with_color=entry.send_with_color,
        send_as_priority_mail=entry.send_as_priority_mail,
        invoice_file=entry.invoice_file,
        autogiro_withdrawal_date=entry.autogiro_withdrawal_date,
        credit_card_withdrawal_date=entry.credit_card_withdrawal_date,
        created=now(),
        state=reconciliation_state(),
        events=[],
    )
    fill_missing(action, entry)
    return action


def _reconciliation(
    call: Call, action_public_id: str | None = None
) -> m.ReconciliationInvoiceAction:
    return call.owned(
        call.state.reconciliation_invoices,
        action_public_id or call.path(),
        "reconciliation invoice",
    )


def _send_reconciliation(action: m.ReconciliationInvoiceAction) -> None:
    assert action.state is not None
    action.state.stage = RStage.INVOICE_SENT
    action.state.invoice_sent_date = now()
    add_event(action, m.EventType.INVOICE_SENT, "Invoice sent")


@routes("POST", "/v1/reconciliationinvoice/action")
async def create_reconciliation(call: Call) -> m.Created:
    action = _reconciliation_from(call, call.require_body())
    add_event(action, m.EventType.CREATED, "Reconciliation invoice created")
    if action.delivery_method not in (None, m.DeliveryMethodType.MANUALLY):
        _send_reconciliation(action)
    call.state.reconciliation_invoices[action.action_public_id or ""] = action
    call.state.emit("ReconciliationInvoiceActionCreated", action.creditor_public_id, action)
    return m.Created(public_id=action.action_public_id or "")


@routes("GET", "/v1/reconciliationinvoice/action/{id}")
async def get_reconciliation(call: Call) -> m.ReconciliationInvoiceAction:
    return _reconciliation(call)


@routes("PUT", "/v1/reconciliationinvoice/action/{id}")
async def update_reconciliation(call: Call) -> None:
    """Allowed at any time. Changing the amount deletes the payment history (the reference);
    an amount of 0 closes the reconciliation invoice."""
    known = _reconciliation(call)
    action = _reconciliation_from(call, call.require_body(), allow_zero=True)
    action.action_public_id, action.created = known.action_public_id, known.created
    action.events = known.events
    # A claim in debt collection stays connected, and follows the amount.
    collection = known.debt_collection_action_public_id
    action.debt_collection_action_public_id = collection
    known_state = known.state or reconciliation_state()
    if value_of(action.invoiced_amount) == value_of(known.invoiced_amount):
        action.current_amount, action.state = known.current_amount, known_state
    else:
        sent = known_state.invoice_sent_date
        action.state = reconciliation_state(
            RStage.INVOICE_SENT if sent is not None else RStage.CREATED, sent
        )
        if value_of(action.current_amount) == 0:
            action.state.stage = RStage.COMPLETED
            action.state.closed_date = now()
        elif collection:
            action.state.stage = RStage.SENT_TO_DEBT_COLLECTION
        follow_debt_collection(call.state, collection, action.current_amount)
    add_event(action, m.EventType.UPDATED, "Reconciliation invoice updated")
    call.state.reconciliation_invoices[known.action_public_id or ""] = action


@routes("DELETE", "/v1/reconciliationinvoice/action/{id}")
async def delete_reconciliation(call: Call) -> None:
    """Allowed at any time (the reference)."""
    action = _reconciliation(call)
    del call.state.reconciliation_invoices[action.action_public_id or ""]


@routes("PUT", "/v1/reconciliationinvoice/sendinvoice/{id}")
async def send_reconciliation(call: Call) -> None:
    action = _reconciliation(call)
    if action.state is not None and action.state.stage == RStage.COMPLETED:
        raise bad_request("The reconciliation invoice is completed and cannot be sent")
    action.delivery_method = delivery_method_of(call, action.delivery_method)
    _send_reconciliation(action)


def apply_reconciliation_payment(
    state: State,
    action: m.ReconciliationInvoiceAction,
    amount: int,
    *,
    payment_date: datetime | None = None,
    payment_mean_code: str | None = None,
) -> m.IncomingPayment:
    """Register ``amount`` (minor units) on a reconciliation invoice; complete it at zero."""
    currency = currency_of(action.current_amount)
    action.current_amount = money(max(0, value_of(action.current_amount) - amount), currency)
    add_event(action, m.EventType.PAID, "Payment registered")
    payment = m.IncomingPayment(
        creditor_public_id=action.creditor_public_id,
        action_public_id=action.action_public_id,
        action_type=m.ActionType.RECONCILIATION_INVOICE_ACTION,
        debtor_public_id=EMPTY_GUID,  # the debtor lives only on the reconciliation invoice
        invoice_number=action.invoice_number,
        amount=money(amount, currency),
        payment_date=payment_date or now(),
        created_date=now(),
        payment_mean_code=payment_mean_code,
        payment_reference_id=new_id(),
        ocr=action.ocr,
        is_reminder_payment=False,
    )
    state.incoming_payments.append(payment)
    state.emit("InvoicePaymentReceived", action.creditor_public_id, payment)
    follow_debt_collection(state, action.debt_collection_action_public_id, action.current_amount)
    action_state = action.state or reconciliation_state()
    if value_of(action.current_amount) == 0:
        action_state.stage = RStage.COMPLETED
        action_state.is_payed = True
        action_state.closed_date = now()
    action.state = action_state
    return payment


@routes("POST", "/v1/reconciliationinvoice/registerpayment")
async def pay_reconciliation(call: Call) -> m.Created:
    payment: m.RegisterReconciliationPayment = call.require_body()
    action = _reconciliation(call, payment.action_public_id)
    if reconciliation_closed(action):
        raise bad_request("The reconciliation invoice is completed and cannot be paid")
    amount = positive_amount(payment.amount, "RegisterReconciliationPayment.Amount")
    registered = apply_reconciliation_payment(
        call.state,
        action,
        amount,
        payment_date=payment.date,
        payment_mean_code=payment.payment_mean_code,
    )
    return m.Created(public_id=registered.payment_reference_id or "")


def reconciliation_closed(action: m.ReconciliationInvoiceAction) -> bool:
    return action.state is not None and action.state.stage == RStage.COMPLETED


def _reconciliations(
    call: Call, *, closed: bool, by_debtor: bool = False
) -> list[m.ReconciliationInvoiceActionSub]:
    creditor_public_id = call.creditor(call.path())
    org_no = call.require_query("debtororgno") if by_debtor else None
    start, end = call.period() if closed else (None, None)
    found = []
    for action in call.state.reconciliation_invoices.values():
        action_state = action.state or reconciliation_state()
        is_closed = action_state.stage == RStage.COMPLETED
        if action.creditor_public_id != creditor_public_id or is_closed != closed:
            continue
        if org_no is not None and (action.debtor is None or action.debtor.org_no != org_no):
            continue
        if closed and not in_period(action_state.closed_date, start, end):
            continue
        found.append(reconciliation_sub(call.state, action))
    return call.page(found)


@routes("GET", "/v1/reconciliationinvoice/open/{id}")
async def list_open_reconciliations(call: Call) -> list[m.ReconciliationInvoiceActionSub]:
    return _reconciliations(call, closed=False)


@routes("GET", "/v1/reconciliationinvoice/closed/{id}")
async def list_closed_reconciliations(call: Call) -> list[m.ReconciliationInvoiceActionSub]:
    return _reconciliations(call, closed=True)


@routes("GET", "/v1/reconciliationinvoice/openbydebtor/{id}")
async def list_open_reconciliations_by_debtor(call: Call) -> list[m.ReconciliationInvoiceActionSub]:
    return _reconciliations(call, closed=False, by_debtor=True)


@routes("GET", "/v1/reconciliationinvoice/closedbydebtor/{id}")
async def list_closed_reconciliations_by_debtor(
    call: Call,
) -> list[m.ReconciliationInvoiceActionSub]:
    return _reconciliations(call, closed=True, by_debtor=True)


@routes("POST", "/v1/reconciliationinvoice/comment")
async def comment_reconciliation(call: Call) -> None:
    comment: m.CommentAction = call.require_body()
    add_comment(_reconciliation(call, comment.action_public_id), comment)


@routes("GET", "/v1/reconciliationinvoice/events/{id}")
async def list_reconciliation_events(call: Call) -> list[m.CommonActionEvent]:
    creditor_public_id = call.creditor(call.path())
    actions = [
        a
        for a in call.state.reconciliation_invoices.values()
        if a.creditor_public_id == creditor_public_id
    ]
    return common_events(call, actions, m.ActionType.RECONCILIATION_INVOICE_ACTION)


@routes("PUT", "/v1/reconciliationinvoice/sendreminderinvoice")
async def send_reconciliation_reminder(call: Call) -> None:
    """The reminder's fee is added to ``CurrentReminderFees`` and its PDF to the reminders."""
    request: m.SendReconciliationInvoiceReminder = call.require_body()
    action = _reconciliation(call, request.reconciliation_invoice_action_public_id)
    if reconciliation_closed(action):
        raise bad_request("The reconciliation invoice is completed: no reminder can be sent")
    fee = value_of(request.reminder_fee)
    if fee < 0:
        raise bad_request(f"SendReconciliationInvoiceReminder.ReminderFee is negative ({fee})")
    currency = currency_of(action.current_amount)
    action.current_reminder_fees = money(value_of(action.current_reminder_fees) + fee, currency)
    file = call.state.keep_file(action.creditor_public_id or "", request.reminder_file)
    action.reminder_invoices = [
        *(action.reminder_invoices or []),
        m.ReconciliationInvoiceActionReminder(file=file, created=now()),
    ]
    if request.delivery_method is not None:
        action.delivery_method = request.delivery_method
    add_event(action, m.EventType.REMINDER_INVOICE_SENT, "Reminder sent", f"fee {fee / 100:.2f}")


@routes("DELETE", "/v1/reconciliationinvoice/autogiro/{id}")
async def cancel_reconciliation_autogiro(call: Call) -> None:
    """Not possible from the day before the withdrawal date."""
    action = _reconciliation(call)
    check_withdrawal_cancellable(action.autogiro_withdrawal_date)
    action.autogiro_withdrawal_date = None
    add_event(action, m.EventType.AUTOGIRO_CANCELLED_WITHDRAWAL, "Autogiro withdrawal cancelled")


def check_withdrawal_cancellable(withdrawal: datetime | date | None) -> None:
    """400 unless an autogiro withdrawal is planned more than a day from now."""
    if withdrawal is None:
        raise bad_request("No autogiro withdrawal is planned")
    day = day_of(withdrawal) if isinstance(withdrawal, datetime) else withdrawal
    if now().date() >= day - timedelta(days=1):
        raise bad_request(
            f"The autogiro withdrawal of {day} can no longer be cancelled (from the day before)"
        )
