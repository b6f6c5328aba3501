"""Self invoices: invoices a creditor writes to itself on behalf of a supplier.

Created -> Attested (sent at once when a delivery method is set); updated or deleted only
before attest; paid by an external payment registered, or by a payment sent.
"""

from __future__ import annotations

import copy

from billecta_async import models as m
from billecta_async.testing.emulator._http import Call, bad_request, new_id, now
from billecta_async.testing.emulator._invoices import (
    add_comment,
    add_event,
    common_events,
    currency_of,
    delivery_method_or_manual,
    in_period,
    invoice_pdf,
    money,
    sending_method,
    totals,
    value_of,
)
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import State, copy_fields, fill_missing

routes = Routes()

SStage = m.SelfInvoiceActionStageType
SELF_CLOSED = {SStage.COMPLETED, SStage.CANCELLED}


def _self_invoice_from(call: Call, entry: m.SelfInvoiceActionEntry) -> m.SelfInvoiceAction:
    creditor_public_id = call.creditor(entry.creditor_public_id)
    if not entry.debtor_public_id:
        raise bad_request("SelfInvoiceActionEntry.DebtorPublicId is required")
    debtor = call.owned(call.state.debtors, entry.debtor_public_id, "debtor")
    records = copy.deepcopy(entry.records or [])
    if not records:
        raise bad_request("SelfInvoiceActionEntry.Records must contain at least one record")
    total, vat, currency = totals(records, False)
    invoice_date = entry.invoice_date or now()
    action = m.SelfInvoiceAction(
        action_public_id=new_id(),
        creditor_public_id=creditor_public_id,
        debtor=copy.deepcopy(debtor),
        records=records,
        created=now(),
        invoice_date=invoice_date,
        due_date=entry.due_date,
        payment_terms_in_days=(entry.due_date - invoice_date).days if entry.due_date else 0,
        delivery_date=entry.delivery_date,
        our_reference=entry.our_reference,
        your_reference=entry.your_reference,
        bankgiro_no=entry.bankgiro_no,
        external_id=entry.external_id,
        transfer_reference=entry.transfer_reference,
        transfer_reference_type=entry.transfer_reference_type,
        delivery_method=delivery_method_or_manual(entry.delivery_method),
        communication_language=entry.communication_language or m.LanguageType.SV,
        message=entry.message,
        crediting_self_invoice_public_id=entry.crediting_self_invoice_public_id,
        invoiced_amount=money(total, currency),
        current_amount=money(total, currency),
        paid_amount=money(0, currency),
        credited_amount=money(0, currency),
        total_vat_amount=money(vat, currency),
        action_type=m.ActionType.SELF_INVOICE_ACTION,
        state=m.SelfInvoiceActionState(stage=SStage.CREATED, is_paused=False),
        events=[],
        # The Can... flags: the emulator does not compute them for self invoices.
        can_pause=False,
        can_resume=False,
        can_credit=False,
        can_register_payment=False,
        can_make_manual=False,
        can_send_manual_invoice=False,
        can_resend_manual_invoice=False,
        can_cancel=False,
    )
    fill_missing(action, entry)
    return action


def _self_invoice(call: Call, action_public_id: str | None = None) -> m.SelfInvoiceAction:
    return call.owned(call.state.self_invoices, action_public_id or call.path(), "self invoice")


def _self_stage(action: m.SelfInvoiceAction) -> SStage | None:
    return action.state.stage if action.state else None


@routes("POST", "/v1/selfinvoice/action")
async def create_self_invoice(call: Call) -> m.Created:
    action = _self_invoice_from(call, call.require_body())
    add_event(action, m.EventType.CREATED, "Self invoice created")
    call.state.self_invoices[action.action_public_id or ""] = action
    call.state.emit("SelfInvoiceActionCreated", action.creditor_public_id, action)
    return m.Created(public_id=action.action_public_id or "")


@routes("GET", "/v1/selfinvoice/action/{id}")
async def get_self_invoice(call: Call) -> m.SelfInvoiceAction:
    return _self_invoice(call)


@routes("PUT", "/v1/selfinvoice/action/{id}")
async def update_self_invoice(call: Call) -> None:
    known = _self_invoice(call)
    if _self_stage(known) != SStage.CREATED:
        raise bad_request("An attested self invoice cannot be updated")
    action = _self_invoice_from(call, call.require_body())
    action.action_public_id, action.created, action.events = (
        known.action_public_id,
        known.created,
        known.events,
    )
    call.state.self_invoices[known.action_public_id or ""] = action
    call.state.emit("SelfInvoiceActionUpdated", action.creditor_public_id, action)


@routes("DELETE", "/v1/selfinvoice/action/{id}")
async def delete_self_invoice(call: Call) -> None:
    action = _self_invoice(call)
    if _self_stage(action) != SStage.CREATED:
        raise bad_request("An attested self invoice cannot be deleted")
    del call.state.self_invoices[action.action_public_id or ""]
    debtor_public_id = action.debtor.debtor_public_id if action.debtor else None
    call.state.emit(
        "SelfInvoiceActionDeleted",
        action.creditor_public_id,
        action.action_public_id,
        debtor_public_id,
    )


@routes("PUT", "/v1/selfinvoice/attest/{id}")
async def attest_self_invoice(call: Call) -> None:
    action = _self_invoice(call)
    if _self_stage(action) != SStage.CREATED or action.state is None:
        raise bad_request("The self invoice is already attested")
    action.state.stage = SStage.ATTESTED
    action.state.attested_date = now()
    add_event(action, m.EventType.ATTESTED, "Self invoice attested")
    call.state.emit("SelfInvoiceActionAttested", action.creditor_public_id, action)
    if action.delivery_method not in (None, m.DeliveryMethodType.MANUALLY):
        # "Invoice is automatically sent if any distribution is set."
        action.state.stage = SStage.INVOICE_SENT
        action.state.invoice_sent_date = now()
        add_event(action, m.EventType.INVOICE_SENT, "Self invoice sent")


@routes("PUT", "/v1/selfinvoice/cancel/{id}")
async def cancel_self_invoice(call: Call) -> None:
    action = _self_invoice(call)
    if _self_stage(action) in SELF_CLOSED or action.state is None:
        raise bad_request("The self invoice is closed and cannot be cancelled")
    action.state.stage = SStage.CANCELLED
    action.state.closed_date = now()
    add_event(action, m.EventType.CANCELLED, "Self invoice cancelled")


def _self_pause(call: Call, paused: bool) -> None:
    action = _self_invoice(call)
    if _self_stage(action) in SELF_CLOSED or action.state is None:
        raise bad_request("The self invoice is closed")
    if bool(action.state.is_paused) == paused:
        raise bad_request("The self invoice is already " + ("paused" if paused else "running"))
    action.state.is_paused = paused
    add_event(
        action,
        m.EventType.PAUSED if paused else m.EventType.RESUMED,
        "Paused" if paused else "Resumed",
    )


@routes("PUT", "/v1/selfinvoice/pause/{id}")
async def pause_self_invoice(call: Call) -> None:
    _self_pause(call, True)


@routes("PUT", "/v1/selfinvoice/resume/{id}")
async def resume_self_invoice(call: Call) -> None:
    _self_pause(call, False)


def _self_sub(state: State, action: m.SelfInvoiceAction) -> m.SelfInvoiceActionSub:
    action_state = action.state or m.SelfInvoiceActionState(stage=SStage.CREATED, is_paused=False)
    debtor = action.debtor or m.Debtor()
    creditor = state.creditors.get(action.creditor_public_id or "") or m.Creditor()
    return copy_fields(
        m.SelfInvoiceActionSub,
        action,
        action_state,
        debtor_public_id=debtor.debtor_public_id,
        creditor_name=creditor.name,
        creditor_org_no=creditor.org_no,
        debtor_name=debtor.name,
        debtor_org_no=debtor.org_no,
        is_paused=bool(action_state.is_paused),
        is_commented=False,
    )


def _self_list(call: Call, closed: bool) -> list[m.SelfInvoiceActionSub]:
    creditor_public_id = call.creditor(call.path())
    start, end = call.period() if closed else (None, None)
    found = []
    for action in call.state.self_invoices.values():
        is_closed = _self_stage(action) in SELF_CLOSED
        if action.creditor_public_id != creditor_public_id or is_closed != closed:
            continue
        if closed and not in_period(action.state.closed_date if action.state else None, start, end):
            continue
        found.append(_self_sub(call.state, action))
    return call.page(found)


@routes("GET", "/v1/selfinvoice/open/{id}")
async def list_open_self_invoices(call: Call) -> list[m.SelfInvoiceActionSub]:
    return _self_list(call, closed=False)


@routes("GET", "/v1/selfinvoice/closed/{id}")
async def list_closed_self_invoices(call: Call) -> list[m.SelfInvoiceActionSub]:
    return _self_list(call, closed=True)


def _require_attested_self(action: m.SelfInvoiceAction, doing: str) -> m.SelfInvoiceActionState:
    stage = _self_stage(action)
    if stage in SELF_CLOSED or action.state is None:
        raise bad_request(f"The self invoice is closed and cannot be {doing}")
    if stage == SStage.CREATED:
        raise bad_request(f"The self invoice must be attested before it can be {doing}")
    return action.state


@routes("GET", "/v1/selfinvoice/actionsbyexternalid/{id}")
async def list_self_invoices_by_external_id(call: Call) -> list[m.SelfInvoiceAction]:
    creditor_public_id = call.creditor(call.path())
    external_id = call.require_query("externalid")
    return [
        a
        for a in call.state.self_invoices.values()
        if a.creditor_public_id == creditor_public_id and a.external_id == external_id
    ]


@routes("POST", "/v1/selfinvoice/comment")
async def comment_self_invoice(call: Call) -> None:
    comment: m.CommentAction = call.require_body()
    add_comment(_self_invoice(call, comment.action_public_id), comment)


@routes("GET", "/v1/selfinvoice/events/{id}")
async def list_self_invoice_events(call: Call) -> list[m.CommonActionEvent]:
    creditor_public_id = call.creditor(call.path())
    actions = [
        a for a in call.state.self_invoices.values() if a.creditor_public_id == creditor_public_id
    ]
    return common_events(call, actions)


@routes("PUT", "/v1/selfinvoice/loadarchivedevents/{id}")
async def load_archived_self_invoice_events(call: Call) -> None:
    """The emulator never archives events (Billecta does after a year): nothing to reload."""
    _self_invoice(call)


@routes("GET", "/v1/selfinvoice/preview/{id}")
async def preview_self_invoice(call: Call) -> bytes:
    return invoice_pdf(_self_invoice(call), None)


@routes("POST", "/v1/selfinvoice/preview")
async def preview_self_invoice_entry(call: Call) -> bytes:
    """Previews the self invoice sent, ignoring what is stored."""
    return invoice_pdf(_self_invoice_from(call, call.require_body()), None)


def _paid(call: Call, action: m.SelfInvoiceAction, amount: int, what: str) -> None:
    """Lower the remaining amount by ``amount``; completed (and paid) at zero."""
    if amount <= 0:
        raise bad_request(f"{what}.Amount must be positive (got {amount})")
    current = value_of(action.current_amount)
    if amount > current:
        raise bad_request(f"{what}.Amount {amount} is more than the remaining {current}")
    currency = currency_of(action.current_amount)
    action.current_amount = money(current - amount, currency)
    action.paid_amount = money(value_of(action.paid_amount) + amount, currency)
    add_event(action, m.EventType.PAID, "Payment registered", f"{amount / 100:.2f} {currency}")
    if action.current_amount.value == 0 and action.state is not None:
        action.state.stage = SStage.COMPLETED
        action.state.paid_date = action.state.closed_date = now()
        call.state.emit("SelfInvoiceActionPaid", action.creditor_public_id, action)


@routes("POST", "/v1/selfinvoice/registerexternalpayment")
async def register_external_payment(call: Call) -> m.Created:
    """A payment made outside Billecta lowers the remaining amount; nothing is paid out."""
    payment: m.RegisterSelfInvoiceExternalPayment = call.require_body()
    action = _self_invoice(call, payment.action_public_id)
    _require_attested_self(action, "paid")
    _paid(call, action, value_of(payment.amount), "RegisterSelfInvoiceExternalPayment")
    return m.Created(public_id=new_id())


@routes("PUT", "/v1/selfinvoice/sendinvoice/{id}")
async def send_self_invoice(call: Call) -> None:
    action = _self_invoice(call)
    action_state = _require_attested_self(action, "sent")
    # "Sends the invoice by email" (the reference) unless ``method`` or the self invoice says
    # otherwise.
    stored = delivery_method_or_manual(action.delivery_method)
    manual = stored is m.DeliveryMethodType.MANUALLY
    action.delivery_method = sending_method(call, m.DeliveryMethodType.EMAIL if manual else stored)
    if action_state.stage == SStage.ATTESTED:
        action_state.stage = SStage.INVOICE_SENT
    action_state.invoice_sent_date = now()
    add_event(action, m.EventType.INVOICE_SENT, "Self invoice sent", str(action.delivery_method))


@routes("PUT", "/v1/selfinvoice/sendpayment")
async def send_self_invoice_payment(call: Call) -> None:
    """Plans the payment of ``Amount`` on ``PaymentDate`` (the next payment on the self
    invoice)."""
    payment: m.SelfInvoicePayment = call.require_body()
    action = _self_invoice(call, payment.action_public_id)
    action_state = _require_attested_self(action, "paid")
    amount, current = value_of(payment.amount), value_of(action.current_amount)
    if not 0 < amount <= current:
        raise bad_request(
            f"SelfInvoicePayment.Amount must be positive and at most {current} (got {amount})"
        )
    action_state.next_payment_date = payment.payment_date or now()
    action_state.next_payment_amount = money(amount, currency_of(action.current_amount))
    action_state.stage = SStage.PAYMENT_SENT
    add_event(action, m.EventType.PAYMENT_WILL_BE_MADE, "Payment planned", f"{amount / 100:.2f}")
