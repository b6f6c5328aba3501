"""Debt collection: claims started from an invoice or a reconciliation invoice, or decoupled.

A claim started from an invoice follows its remaining amount (payments and credits on either
side keep both in sync) and the invoice reads SentToDebtCollection until the claim is cancelled.
A decoupled claim carries its own amount and original invoice PDF.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from billecta_async import models as m
from billecta_async.testing.emulator._http import Call, bad_request, new_id, now
from billecta_async.testing.emulator._invoices import (
    add_comment,
    add_event,
    address_override,
    apply_payment,
    common_events,
    currency_of,
    delivery_method_or_manual,
    follow_debt_collection,
    in_period,
    money,
    new_state,
    positive_amount,
    postponed,
    require_attested,
    set_stage,
    value_of,
)
from billecta_async.testing.emulator._reconciliation_invoices import (
    RStage,
    apply_reconciliation_payment,
    reconciliation_state,
)
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import copy_fields

routes = Routes()

DStage = m.DebtCollectionActionStageType
DEBT_COLLECTION_CLOSED = {DStage.CANCELLED, DStage.COMPLETED}


def collection_state_of(attested_date: datetime | None = None) -> m.DebtCollectionActionState:
    """The state of a new debt collection action."""
    return m.DebtCollectionActionState(
        stage=DStage.CREATED,
        is_paused=False,
        attested_date=attested_date,
        number_of_sent_invoice_reminders=0,
        has_previously_been_sent_to_installment_plan=False,
    )


def _new_collection(
    call: Call,
    source: m.InvoiceAction | m.ReconciliationInvoiceAction | None,
    debtor: m.Debtor | None,
    entry: m.DebtCollectionFromInvoiceEntry
    | m.DebtCollectionFromReconciliationInvoiceEntry
    | m.DebtCollectionEntry,
    **values: Any,
) -> m.DebtCollectionAction:
    """A new claim (stored, its event emitted), from ``entry`` and the ``values`` given."""
    levels = m.DebtCollectionActionLevelType
    collection = m.DebtCollectionAction(
        action_public_id=new_id(),
        created=now(),
        debtor=copy.deepcopy(debtor),
        delivery_method=delivery_method_or_manual(
            entry.delivery_method or getattr(source, "delivery_method", None)
        ),
        communication_language=entry.communication_language
        or getattr(source, "communication_language", None)
        or m.LanguageType.SV,
        reason_description=entry.reason_description,
        number_of_reminders=entry.number_of_reminders or 0,
        start_debt_collection_action_level=entry.start_debt_collection_action_level
        or levels.REMINDERS,
        end_debt_collection_action_level=getattr(entry, "end_debt_collection_action_level", None)
        or levels.DEBT_COLLECTION,
        payment_terms_in_days=entry.payment_terms_in_days or 10,
        interest_percentage=entry.interest_percentage or 0.0,
        interest_type=entry.interest_type or m.InterestType.NO_INTEREST,
        interest_terms_in_days=0,
        interest_start_in_days_after_due_date=entry.interest_start_in_days_after_due_date or 0,
        reason_for_higher_interest=entry.reason_for_higher_interest,
        our_reference=entry.our_reference or getattr(source, "our_reference", None),
        your_reference=entry.your_reference or getattr(source, "your_reference", None),
        state=collection_state_of(attested_date=now()),
        events=[],
        # The Can... flags: the emulator does not compute them for debt collection.
        can_cancel=False,
        can_credit=False,
        can_send_to_bailiff=False,
        can_send_to_bailiff_enforcement=False,
        can_send_to_long_term_surveilance=False,
        can_postpone=False,
        can_create_installment_plan=False,
        can_dispute_action=False,
        **values,
    )
    add_event(collection, m.EventType.CREATED, "Debt collection created")
    call.state.debt_collections[collection.action_public_id or ""] = collection
    call.state.emit("DebtCollectionActionStateChanged", collection.creditor_public_id, collection)
    return collection


def _start_debt_collection(
    call: Call, invoice_action_public_id: str | None, entry: m.DebtCollectionFromInvoiceEntry | None
) -> m.Created:
    action = call.owned(call.state.invoices, invoice_action_public_id, "invoice")
    require_attested(action, "sent to debt collection")
    if action.debt_collection_action_public_id:
        raise bad_request("The invoice is already in debt collection")
    invoice = action.invoices[0] if action.invoices else None
    entry = entry or m.DebtCollectionFromInvoiceEntry()
    collection = _new_collection(
        call,
        action,
        action.debtor,
        entry,
        creditor_public_id=action.creditor_public_id,
        original_invoice_date=action.invoice_date,
        original_due_date=action.due_date,
        original_invoice_number=action.invoice_number,
        original_amount=action.invoiced_amount,
        original_invoice_file=invoice.invoice_file if invoice else None,
        debt_amount=copy.deepcopy(action.current_amount),
        current_amount=copy.deepcopy(action.current_amount),
        invoice_source_public_id=action.action_public_id,
        debt_collection_action_source=m.ActionSourceType.INVOICE_ACTION,
        delivery_address_override=copy.deepcopy(
            entry.delivery_address_override or action.delivery_address_override
        ),
    )
    action.debt_collection_action_public_id = collection.action_public_id
    add_event(action, m.EventType.SENT_TO_DEBT_COLLECTION, "Sent to debt collection")
    set_stage(call.state, action, m.InvoiceActionStageType.SENT_TO_DEBT_COLLECTION)
    return m.Created(public_id=collection.action_public_id or "")


@routes("POST", "/v1/debtcollection/actionfrominvoice")
async def debt_collection_from_invoice(call: Call) -> m.Created:
    entry: m.DebtCollectionFromInvoiceEntry = call.require_body()
    return _start_debt_collection(call, entry.source_public_id, entry)


@routes("POST", "/v1/debtcollection/actionfrominvoice/{id}")
async def debt_collection_from_invoice_with_defaults(call: Call) -> m.Created:
    """ "This endpoint uses the values in the default configuration" of the creditor."""
    action = call.owned(call.state.invoices, call.path(), "invoice")
    config = call.state.default_action_configs.get(action.creditor_public_id or "")
    if config is None:
        return _start_debt_collection(call, call.path(), None)
    entry = m.DebtCollectionFromInvoiceEntry(
        source_public_id=action.action_public_id,
        delivery_method=config.delivery_method,
        communication_language=config.communication_language,
        reason_description=config.reason_description,
        number_of_reminders=config.number_of_reminders,
        start_debt_collection_action_level=config.start_debt_collection_action_level,
        end_debt_collection_action_level=config.end_debt_collection_action_level,
        payment_terms_in_days=config.debt_collection_payment_terms_in_days,
        interest_percentage=config.interest_percentage,
        interest_type=config.interest_type,
        our_reference=config.our_reference,
        interest_start_in_days_after_due_date=config.interest_start_in_days_after_due_date,
        reason_for_higher_interest=config.reason_for_higher_interest,
    )
    return _start_debt_collection(call, call.path(), entry)


@routes("POST", "/v1/debtcollection/actionfromreconciliationinvoice")
async def debt_collection_from_reconciliation(call: Call) -> m.Created:
    """The debtor's address and person/organisation number may be completed in the entry."""
    entry: m.DebtCollectionFromReconciliationInvoiceEntry = call.require_body()
    action = call.owned(
        call.state.reconciliation_invoices, entry.source_public_id, "reconciliation invoice"
    )
    if action.state is not None and action.state.stage == RStage.COMPLETED:
        raise bad_request("The reconciliation invoice is completed: nothing to collect")
    if action.debt_collection_action_public_id:
        raise bad_request("The reconciliation invoice is already in debt collection")
    debtor = copy_fields(m.Debtor, action.debtor)
    for name in (
        "attention",
        "care_of",
        "address",
        "address2",
        "zip_code",
        "city",
        "country_code",
        "email",
        "phone",
        "org_no",
    ):
        value = getattr(entry, name)
        if value:
            setattr(debtor, name, value)
    collection = _new_collection(
        call,
        action,
        debtor,
        entry,
        creditor_public_id=action.creditor_public_id,
        original_invoice_date=entry.original_invoice_date or action.created,
        original_due_date=entry.original_due_date,
        original_invoice_number=action.invoice_number,
        original_amount=copy.deepcopy(action.invoiced_amount),
        original_invoice_file=action.invoice_file,
        debt_amount=copy.deepcopy(action.current_amount),
        current_amount=copy.deepcopy(action.current_amount),
        invoice_source_public_id=action.action_public_id,
        debt_collection_action_source=m.ActionSourceType.RECONCILIATION_INVOICE_ACTION,
    )
    action.debt_collection_action_public_id = collection.action_public_id
    action_state = action.state or reconciliation_state()
    action_state.stage = RStage.SENT_TO_DEBT_COLLECTION
    action.state = action_state
    add_event(action, m.EventType.SENT_TO_DEBT_COLLECTION, "Sent to debt collection")
    return m.Created(public_id=collection.action_public_id or "")


@routes("POST", "/v1/debtcollection/action")
async def create_debt_collection(call: Call) -> None:
    """A decoupled claim: its amount (``Value``) and the original invoice PDF are required."""
    entry: m.DebtCollectionEntry = call.require_body()
    creditor_public_id = call.creditor(entry.creditor_public_id)
    if not entry.debtor_public_id:
        raise bad_request("DebtCollectionEntry.DebtorPublicId is required")
    debtor = call.owned(call.state.debtors, entry.debtor_public_id, "debtor")
    if debtor.creditor_public_id != creditor_public_id:
        raise bad_request("The debtor belongs to another creditor")
    positive_amount(entry.value, "DebtCollectionEntry.Value")
    if entry.original_invoice_file is None or not entry.original_invoice_file.data:
        raise bad_request("DebtCollectionEntry.OriginalInvoiceFile (the invoice PDF) is required")
    if not entry.original_invoice_number:
        raise bad_request("DebtCollectionEntry.OriginalInvoiceNumber is required")
    _new_collection(
        call,
        None,
        debtor,
        entry,
        creditor_public_id=creditor_public_id,
        original_invoice_date=entry.original_invoice_date,
        original_due_date=entry.original_due_date,
        original_invoice_number=entry.original_invoice_number,
        original_amount=copy.deepcopy(entry.value),
        original_invoice_file=call.state.keep_file(creditor_public_id, entry.original_invoice_file),
        debt_amount=copy.deepcopy(entry.value),
        current_amount=copy.deepcopy(entry.value),
        delivery_address_override=entry.delivery_address_override,
        debt_collection_action_source=m.ActionSourceType.NONE,
    )


def _collection(call: Call, action_public_id: str | None = None) -> m.DebtCollectionAction:
    return call.owned(
        call.state.debt_collections, action_public_id or call.path(), "debt collection action"
    )


def _open_collection(
    call: Call, doing: str, action_public_id: str | None = None
) -> tuple[m.DebtCollectionAction, m.DebtCollectionActionState]:
    collection = _collection(call, action_public_id)
    collection_state = collection.state or collection_state_of()
    if collection_state.stage in DEBT_COLLECTION_CLOSED:
        raise bad_request(f"The debt collection action is closed and cannot be {doing}")
    collection.state = collection_state
    return collection, collection_state


@routes("GET", "/v1/debtcollection/action/{id}")
async def get_debt_collection(call: Call) -> m.DebtCollectionAction:
    return _collection(call)


@routes("PUT", "/v1/debtcollection/cancel/{id}")
async def cancel_debt_collection(call: Call) -> None:
    collection, collection_state = _open_collection(call, "cancelled")
    collection_state.stage = DStage.CANCELLED
    collection_state.closed_date = now()
    add_event(collection, m.EventType.CANCELLED, "Debt collection cancelled")
    # "Cancels a debt collection action and disconnects any Billecta invoice": the invoice
    # goes back to the stage it had before.
    invoice = call.state.invoices.get(collection.invoice_source_public_id or "")
    if invoice is not None and invoice.debt_collection_action_public_id == (
        collection.action_public_id
    ):
        invoice.debt_collection_action_public_id = None
        invoice_state = invoice.state or new_state()
        if invoice.reminder_invoice_action_public_id:
            previous = m.InvoiceActionStageType.REMINDER_INVOICE_SENT
        elif invoice_state.invoice_sent_date is not None:
            previous = m.InvoiceActionStageType.INVOICE_SENT
        else:
            previous = m.InvoiceActionStageType.ATTESTED
        if invoice_state.stage == m.InvoiceActionStageType.SENT_TO_DEBT_COLLECTION:
            add_event(invoice, m.EventType.CANCELLED, "Debt collection cancelled")
            set_stage(call.state, invoice, previous)
    reconciliation = call.state.reconciliation_invoices.get(
        collection.invoice_source_public_id or ""
    )
    if reconciliation is not None and reconciliation.debt_collection_action_public_id == (
        collection.action_public_id
    ):
        reconciliation.debt_collection_action_public_id = None
        if reconciliation.state is not None:
            sent = reconciliation.state.invoice_sent_date is not None
            reconciliation.state.stage = RStage.INVOICE_SENT if sent else RStage.CREATED
        add_event(reconciliation, m.EventType.CANCELLED, "Debt collection cancelled")
    call.state.emit("DebtCollectionActionStateChanged", collection.creditor_public_id, collection)


def _sub(collection: m.DebtCollectionAction) -> m.DebtCollectionActionSub:
    collection_state = collection.state or collection_state_of()
    debtor = collection.debtor or m.Debtor()
    return copy_fields(
        m.DebtCollectionActionSub,
        collection,
        collection_state,
        debtor_public_id=debtor.debtor_public_id,
        debtor_name=debtor.name,
        debtor_org_no=debtor.org_no,
        invoiced_amount=collection.original_amount,
        action_type=m.ActionType.DEBT_COLLECTION_ACTION,
        is_paused=bool(collection_state.is_paused),
        is_commented=any(
            e.event_type == m.EventType.COMMENTED_BY_CREDITOR for e in collection.events or []
        ),
        is_disputed=collection_state.disputed_date is not None,
    )


def _of_creditor(call: Call) -> list[m.DebtCollectionAction]:
    creditor_public_id = call.creditor(call.path())
    return [
        c
        for c in call.state.debt_collections.values()
        if c.creditor_public_id == creditor_public_id
    ]


def _is_closed(collection: m.DebtCollectionAction) -> bool:
    return collection.state is not None and collection.state.stage in DEBT_COLLECTION_CLOSED


@routes("GET", "/v1/debtcollection/open/{id}")
async def list_open_debt_collections(call: Call) -> list[m.DebtCollectionActionSub]:
    return call.page([_sub(c) for c in _of_creditor(call) if not _is_closed(c)])


@routes("GET", "/v1/debtcollection/closed/{id}")
async def list_closed_debt_collections(call: Call) -> list[m.DebtCollectionActionSub]:
    """Closed (paid or cancelled) between ``from`` and ``to``; the reference calls ``{id}`` the
    action's id, but what it lists are the creditor's actions."""
    start, end = call.period()
    found = [
        _sub(c)
        for c in _of_creditor(call)
        if _is_closed(c) and in_period(c.state.closed_date if c.state else None, start, end)
    ]
    return call.page(found)


@routes("GET", "/v1/debtcollection/events/{id}")
async def list_debt_collection_events(call: Call) -> list[m.CommonActionEvent]:
    return common_events(call, _of_creditor(call), m.ActionType.DEBT_COLLECTION_ACTION)


@routes("POST", "/v1/debtcollection/comment")
async def comment_debt_collection(call: Call) -> None:
    comment: m.CommentAction = call.require_body()
    add_comment(_collection(call, comment.action_public_id), comment)


@routes("PUT", "/v1/debtcollection/address")
async def update_debt_collection_address(call: Call) -> None:
    """A temporary address for this claim only (the debtor card keeps its own)."""
    update: m.UpdateAddressAction = call.require_body()
    collection, _ = _open_collection(call, "given another address", update.action_public_id)
    collection.delivery_address_override = address_override(update)
    add_event(collection, m.EventType.UPDATED, "Address changed for this claim")


@routes("DELETE", "/v1/debtcollection/address/{id}")
async def delete_debt_collection_address(call: Call) -> None:
    collection = _collection(call)
    if collection.delivery_address_override is None:
        raise bad_request("The debt collection action has no address of its own")
    collection.delivery_address_override = None
    add_event(collection, m.EventType.UPDATED, "Address override removed")


@routes("PUT", "/v1/debtcollection/dispute/{id}")
async def dispute_debt_collection(call: Call) -> None:
    """A disputed claim is not moved forward."""
    collection, collection_state = _open_collection(call, "disputed")
    if collection_state.disputed_date is not None:
        raise bad_request("The debt collection action is already disputed")
    collection_state.disputed_date = now()
    collection_state.next_event = None
    collection_state.next_event_date = None
    collection.can_dispute_action = False
    add_event(collection, m.EventType.DISPUTED, "Debt collection disputed")
    call.state.emit("DebtCollectionActionStateChanged", collection.creditor_public_id, collection)


@routes("PUT", "/v1/debtcollection/postpone/{id}")
async def postpone_debt_collection(call: Call) -> None:
    """Moves the next automatic event ``days`` days, or to ``date`` (forward only)."""
    collection, collection_state = _open_collection(call, "postponed")
    current = collection_state.next_event_date or now()
    moved = postponed(call, current, "the debt collection action's next event")
    collection_state.next_event_date = moved
    add_event(collection, m.EventType.MOVED, "Next event postponed", f"{moved:%Y-%m-%d}")


@routes("POST", "/v1/debtcollection/credit")
async def credit_debt_collection(call: Call) -> m.Created:
    """Lowers the claim's current amount. A claim started from an invoice or reconciliation
    invoice lowers it too (a payment is registered on it when ``IsPaymentCreditation``)."""
    credit: m.CreditAction = call.require_body()
    collection, _ = _open_collection(call, "credited", credit.action_public_id)
    amount = positive_amount(credit.value, "CreditAction.Value")
    current = value_of(collection.current_amount)
    if amount > current:
        raise bad_request(f"CreditAction.Value {amount} is more than the remaining {current}")
    currency = currency_of(collection.current_amount)
    source_id = collection.invoice_source_public_id or ""
    invoice = call.state.invoices.get(source_id)
    reconciliation = call.state.reconciliation_invoices.get(source_id)
    if invoice is not None and invoice.debt_collection_action_public_id == (
        collection.action_public_id
    ):
        if credit.is_payment_creditation:
            apply_payment(
                call.state,
                invoice,
                amount,
                payment_date=credit.payment_date,
                payment_mean_code=credit.payment_mean_code,
            )
        else:
            invoice.credited_amount = money(value_of(invoice.credited_amount) + amount, currency)
            invoice.current_amount = money(value_of(invoice.current_amount) - amount, currency)
            add_event(invoice, m.EventType.CREDITED, "Credited in debt collection")
            if value_of(invoice.current_amount) <= 0:
                set_stage(call.state, invoice, m.InvoiceActionStageType.COMPLETED)
    elif reconciliation is not None and reconciliation.debt_collection_action_public_id == (
        collection.action_public_id
    ):
        apply_reconciliation_payment(
            call.state,
            reconciliation,
            amount,
            payment_date=credit.payment_date,
            payment_mean_code=credit.payment_mean_code,
        )
    # The claim follows its source (or, decoupled, stands alone).
    collection.current_amount = money(current - amount, currency)
    kind = m.EventType.PAID if credit.is_payment_creditation else m.EventType.CREDITED
    add_event(collection, kind, "Credited", credit.comment or f"{amount / 100:.2f} {currency}")
    follow_debt_collection(call.state, collection.action_public_id, collection.current_amount)
    return m.Created(public_id=new_id())
