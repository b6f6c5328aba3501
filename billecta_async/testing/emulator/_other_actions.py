"""Reconciliation invoices, self invoices, contract invoices and debt collection.

* A reconciliation invoice only tracks an amount to be paid: created (sent at once when a
  delivery method is set), paid, completed at zero.
* A self invoice goes Created -> Attested; it can be updated or deleted only before attest.
* A contract invoice generates an ordinary invoice on ``createinvoice`` (attested at once when
  ``AutoAttest``), unless it is paused.
* Debt collection starts from an attested, open invoice, which then reads SentToDebtCollection.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from billecta_async import models as m
from billecta_async.testing.emulator._http import Call, bad_request, new_id, now
from billecta_async.testing.emulator._invoices import (
    add_event,
    attest,
    build_invoice,
    currency_of,
    delivery_method_of,
    delivery_method_or_manual,
    in_period,
    money,
    new_state,
    require_attested,
    set_stage,
    store_invoice,
    sub_of,
    totals,
    value_of,
)
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import EMPTY_GUID, State, copy_fields

routes = Routes()

RStage = m.ReconciliationInvoiceActionStageType
SStage = m.SelfInvoiceActionStageType
CStage = m.ContractInvoiceActionStageType
DStage = m.DebtCollectionActionStageType
SELF_CLOSED = {SStage.COMPLETED, SStage.CANCELLED}
DEBT_COLLECTION_CLOSED = {DStage.CANCELLED, DStage.COMPLETED}


# -- reconciliation invoices -------------------------------------------------------------------


def _reconciliation_state(
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
    return m.ReconciliationInvoiceAction(
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
        created=now(),
        state=_reconciliation_state(),
        events=[],
    )


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
    known_state = known.state or _reconciliation_state()
    if value_of(action.invoiced_amount) == value_of(known.invoiced_amount):
        action.current_amount, action.state = known.current_amount, known_state
    else:
        sent = known_state.invoice_sent_date
        action.state = _reconciliation_state(
            RStage.INVOICE_SENT if sent is not None else RStage.CREATED, sent
        )
        if value_of(action.current_amount) == 0:
            action.state.stage = RStage.COMPLETED
            action.state.closed_date = now()
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


@routes("POST", "/v1/reconciliationinvoice/registerpayment")
async def pay_reconciliation(call: Call) -> m.Created:
    payment: m.RegisterReconciliationPayment = call.require_body()
    action = _reconciliation(call, payment.action_public_id)
    assert action.state is not None
    if action.state.stage == RStage.COMPLETED:
        raise bad_request("The reconciliation invoice is completed and cannot be paid")
    amount = value_of(payment.amount)
    if amount <= 0:
        raise bad_request(f"RegisterReconciliationPayment.Amount must be positive (got {amount})")
    currency = currency_of(action.current_amount)
    action.current_amount = money(max(0, value_of(action.current_amount) - amount), currency)
    add_event(action, m.EventType.PAID, "Payment registered")
    payment_id = new_id()
    call.state.emit(
        "InvoicePaymentReceived",
        action.creditor_public_id,
        m.IncomingPayment(
            creditor_public_id=action.creditor_public_id,
            action_public_id=action.action_public_id,
            action_type=m.ActionType.RECONCILIATION_INVOICE_ACTION,
            debtor_public_id=EMPTY_GUID,  # the debtor lives only on the reconciliation invoice
            invoice_number=action.invoice_number,
            amount=money(amount, currency),
            payment_date=payment.date or now(),
            created_date=now(),
            payment_reference_id=payment_id,
            ocr=action.ocr,
            is_reminder_payment=False,
        ),
    )
    if value_of(action.current_amount) == 0:
        action.state.stage = RStage.COMPLETED
        action.state.is_payed = True
        action.state.closed_date = now()
    return m.Created(public_id=payment_id)


def _reconciliations(
    call: Call, *, closed: bool, by_debtor: bool = False
) -> list[m.ReconciliationInvoiceActionSub]:
    creditor_public_id = call.creditor(call.path())
    org_no = call.require_query("debtororgno") if by_debtor else None
    start, end = call.period() if closed else (None, None)
    found = []
    for action in call.state.reconciliation_invoices.values():
        action_state = action.state or _reconciliation_state()
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


# -- self invoices ---------------------------------------------------------------------------------


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
    return m.SelfInvoiceAction(
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


def _self_invoice(call: Call) -> m.SelfInvoiceAction:
    return call.owned(call.state.self_invoices, call.path(), "self invoice")


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


# -- contract invoices ---------------------------------------------------------------------


def _contract(call: Call, action_public_id: str | None = None) -> m.ContractInvoiceAction:
    return call.owned(
        call.state.contract_invoices, action_public_id or call.path(), "contract invoice"
    )


def _check_contract(call: Call, contract: m.ContractInvoiceAction) -> str:
    creditor_public_id = call.creditor(contract.creditor_public_id)
    if not contract.debtor_public_id:
        raise bad_request("ContractInvoiceAction.DebtorPublicId is required")
    call.owned(call.state.debtors, contract.debtor_public_id, "debtor")
    if not contract.records:
        raise bad_request("ContractInvoiceAction.Records must contain at least one record")
    return creditor_public_id


@routes("POST", "/v1/contractinvoice/action")
async def create_contract(call: Call) -> m.Created:
    contract: m.ContractInvoiceAction = call.require_body()
    contract.creditor_public_id = _check_contract(call, contract)
    contract.action_public_id = new_id()
    total, _, currency = totals(
        copy.deepcopy(contract.records or []), bool(contract.vat_is_included)
    )
    contract.amount = money(total, currency)
    contract.state = m.ContractInvoiceActionState(
        stage=CStage.CREATED, is_paused=False, can_pause=True, can_resume=False, next_run_date=now()
    )
    call.state.contract_invoices[contract.action_public_id] = contract
    call.state.contract_generated[contract.action_public_id] = []
    call.state.emit("ContractInvoiceActionCreated", contract.creditor_public_id, contract)
    return m.Created(public_id=contract.action_public_id)


@routes("GET", "/v1/contractinvoice/action/{id}")
async def get_contract(call: Call) -> m.ContractInvoiceAction:
    return _contract(call)


@routes("PUT", "/v1/contractinvoice/action/{id}")
async def update_contract(call: Call) -> None:
    known = _contract(call)
    contract: m.ContractInvoiceAction = call.require_body()
    contract.creditor_public_id = _check_contract(call, contract)
    contract.action_public_id, contract.state = known.action_public_id, known.state
    call.state.contract_invoices[known.action_public_id or ""] = contract
    call.state.emit("ContractInvoiceActionUpdated", contract.creditor_public_id, contract)


@routes("DELETE", "/v1/contractinvoice/action/{id}")
async def delete_contract(call: Call) -> None:
    contract = _contract(call)
    if call.state.contract_generated.get(contract.action_public_id or ""):
        raise bad_request(
            "A contract invoice that has generated invoices cannot be deleted; pause it instead"
        )
    del call.state.contract_invoices[contract.action_public_id or ""]
    call.state.contract_generated.pop(contract.action_public_id or "", None)


def _contract_pause(call: Call, paused: bool) -> None:
    contract = _contract(call)
    contract_state = contract.state or m.ContractInvoiceActionState()
    if bool(contract_state.is_paused) == paused:
        raise bad_request("The contract invoice is already " + ("paused" if paused else "running"))
    contract_state.is_paused, contract_state.can_pause, contract_state.can_resume = (
        paused,
        not paused,
        paused,
    )
    contract.state = contract_state


@routes("PUT", "/v1/contractinvoice/pause/{id}")
async def pause_contract(call: Call) -> None:
    _contract_pause(call, True)


@routes("PUT", "/v1/contractinvoice/resume/{id}")
async def resume_contract(call: Call) -> None:
    _contract_pause(call, False)


def _invoice_record(record: m.ContractInvoiceActionRecord) -> m.InvoiceActionRecord:
    """The invoice record a contract record becomes (the fields both have, copied)."""
    return copy_fields(m.InvoiceActionRecord, record)


@routes("PUT", "/v1/contractinvoice/createinvoice/{id}")
async def create_invoice_from_contract(call: Call) -> m.Created:
    contract = _contract(call)
    contract_state = contract.state or m.ContractInvoiceActionState()
    if contract_state.is_paused:
        raise bad_request("The contract invoice is paused; resume it before creating invoices")
    entry = m.InvoiceActionEntry(
        creditor_public_id=contract.creditor_public_id,
        debtor_public_id=contract.debtor_public_id,
        records=[_invoice_record(r) for r in contract.records or []],
        our_reference=contract.our_reference,
        your_reference=contract.your_reference,
        delivery_method=contract.delivery_method,
        communication_language=contract.communication_language,
        message=contract.message,
        interest_percentage=contract.interest_percentage,
        interest_type=contract.interest_type,
        invoice_fee=contract.invoice_fee,
        freight_fee=contract.freight_fee,
        vat_is_included=contract.vat_is_included,
        external_reference=contract.external_reference,
    )
    action = build_invoice(call, entry, m.ActionType.INVOICE_ACTION)
    if contract.payment_terms_in_days and action.invoice_date is not None:
        action.due_date = action.invoice_date + timedelta(days=contract.payment_terms_in_days)
        action.payment_terms_in_days = contract.payment_terms_in_days
    action.contract_invoice_action_public_id = contract.action_public_id
    store_invoice(call.state, action)
    if contract.auto_attest:
        attest(call.state, action)
    call.state.contract_generated.setdefault(contract.action_public_id or "", []).append(
        action.action_public_id or ""
    )
    contract_state.stage = CStage.INVOICE_CREATED
    contract_state.last_run_date = now()
    contract.state = contract_state
    return m.Created(public_id=action.action_public_id or "")


@routes("GET", "/v1/contractinvoice/generatedinvoices/{id}")
async def list_generated_invoices(call: Call) -> list[m.InvoiceActionSub]:
    contract = _contract(call)
    ids = call.state.contract_generated.get(contract.action_public_id or "", [])
    actions = [call.state.invoices[i] for i in ids if i in call.state.invoices]
    return call.page([sub_of(call.state, a) for a in actions])


def _contract_sub(state: State, contract: m.ContractInvoiceAction) -> m.ContractInvoiceActionSub:
    debtor = state.debtors.get(contract.debtor_public_id or "") or m.Debtor()
    creditor = state.creditors.get(contract.creditor_public_id or "") or m.Creditor()
    contract_state = contract.state or m.ContractInvoiceActionState()
    return copy_fields(
        m.ContractInvoiceActionSub,
        contract,
        contract_state,
        creditor_name=creditor.name,
        creditor_org_no=creditor.org_no,
        debtor_name=debtor.name,
        debtor_org_no=debtor.org_no,
        is_paused=bool(contract_state.is_paused),
        autogiro_withdrawal_enabled=bool(contract.autogiro_withdrawal_enabled),
    )


@routes("GET", "/v1/contractinvoice/actions/{id}")
async def list_contracts(call: Call) -> list[m.ContractInvoiceActionSub]:
    creditor_public_id = call.creditor(call.path())
    found = [
        _contract_sub(call.state, c)
        for c in call.state.contract_invoices.values()
        if c.creditor_public_id == creditor_public_id
    ]
    return call.page(found)


@routes("GET", "/v1/contractinvoice/actionsbydebtor/{id}")
async def list_contracts_by_debtor(call: Call) -> list[m.ContractInvoiceActionSub]:
    creditor_public_id = call.creditor(call.path())
    debtor_public_id = call.require_query("debtorpublicid").lower()
    found = [
        _contract_sub(call.state, c)
        for c in call.state.contract_invoices.values()
        if c.creditor_public_id == creditor_public_id
        and (c.debtor_public_id or "").lower() == debtor_public_id
    ]
    return call.page(found)


# -- debt collection -----------------------------------------------------------------------


def _collection_state(attested_date: datetime | None = None) -> m.DebtCollectionActionState:
    return m.DebtCollectionActionState(
        stage=DStage.CREATED,
        is_paused=False,
        attested_date=attested_date,
        number_of_sent_invoice_reminders=0,
        has_previously_been_sent_to_installment_plan=False,
    )


def _start_debt_collection(
    call: Call, invoice_action_public_id: str | None, entry: m.DebtCollectionFromInvoiceEntry | None
) -> m.Created:
    action = call.owned(call.state.invoices, invoice_action_public_id, "invoice")
    require_attested(action, "sent to debt collection")
    if action.debt_collection_action_public_id:
        raise bad_request("The invoice is already in debt collection")
    entry = entry or m.DebtCollectionFromInvoiceEntry()
    invoice = action.invoices[0] if action.invoices else None
    collection = m.DebtCollectionAction(
        action_public_id=new_id(),
        created=now(),
        creditor_public_id=action.creditor_public_id,
        debtor=action.debtor,
        delivery_method=entry.delivery_method or action.delivery_method,
        communication_language=entry.communication_language or action.communication_language,
        reason_description=entry.reason_description,
        number_of_reminders=entry.number_of_reminders or 0,
        start_debt_collection_action_level=(
            entry.start_debt_collection_action_level or m.DebtCollectionActionLevelType.REMINDERS
        ),
        end_debt_collection_action_level=(
            entry.end_debt_collection_action_level
            or m.DebtCollectionActionLevelType.DEBT_COLLECTION
        ),
        debt_collection_action_source=m.ActionSourceType.INVOICE_ACTION,
        original_invoice_date=action.invoice_date,
        original_due_date=action.due_date,
        original_invoice_number=action.invoice_number,
        original_amount=action.invoiced_amount,
        original_invoice_file=invoice.invoice_file if invoice else None,
        payment_terms_in_days=entry.payment_terms_in_days or 10,
        interest_percentage=entry.interest_percentage or 0.0,
        interest_type=entry.interest_type or m.InterestType.NO_INTEREST,
        interest_terms_in_days=0,
        interest_start_in_days_after_due_date=entry.interest_start_in_days_after_due_date or 0,
        our_reference=entry.our_reference or action.our_reference,
        your_reference=entry.your_reference or action.your_reference,
        debt_amount=action.current_amount,
        current_amount=action.current_amount,
        invoice_source_public_id=action.action_public_id,
        state=_collection_state(attested_date=now()),
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
    )
    call.state.debt_collections[collection.action_public_id or ""] = collection
    action.debt_collection_action_public_id = collection.action_public_id
    add_event(action, m.EventType.SENT_TO_DEBT_COLLECTION, "Sent to debt collection")
    set_stage(call.state, action, m.InvoiceActionStageType.SENT_TO_DEBT_COLLECTION)
    call.state.emit("DebtCollectionActionStateChanged", collection.creditor_public_id, collection)
    return m.Created(public_id=collection.action_public_id or "")


@routes("POST", "/v1/debtcollection/actionfrominvoice")
async def debt_collection_from_invoice(call: Call) -> m.Created:
    entry: m.DebtCollectionFromInvoiceEntry = call.require_body()
    return _start_debt_collection(call, entry.source_public_id, entry)


@routes("POST", "/v1/debtcollection/actionfrominvoice/{id}")
async def debt_collection_from_invoice_with_defaults(call: Call) -> m.Created:
    return _start_debt_collection(call, call.path(), None)


@routes("GET", "/v1/debtcollection/action/{id}")
async def get_debt_collection(call: Call) -> m.DebtCollectionAction:
    return call.owned(call.state.debt_collections, call.path(), "debt collection action")


@routes("PUT", "/v1/debtcollection/cancel/{id}")
async def cancel_debt_collection(call: Call) -> None:
    collection = call.owned(call.state.debt_collections, call.path(), "debt collection action")
    collection_state = collection.state or _collection_state()
    if collection_state.stage in DEBT_COLLECTION_CLOSED:
        raise bad_request("The debt collection action is closed and cannot be cancelled")
    collection_state.stage = DStage.CANCELLED
    collection_state.closed_date = now()
    collection.state = collection_state
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
    call.state.emit("DebtCollectionActionStateChanged", collection.creditor_public_id, collection)


@routes("GET", "/v1/debtcollection/open/{id}")
async def list_open_debt_collections(call: Call) -> list[m.DebtCollectionActionSub]:
    creditor_public_id = call.creditor(call.path())
    found = []
    for collection in call.state.debt_collections.values():
        collection_state = collection.state or _collection_state()
        closed = collection_state.stage in DEBT_COLLECTION_CLOSED
        if collection.creditor_public_id != creditor_public_id or closed:
            continue
        debtor = collection.debtor or m.Debtor()
        found.append(
            copy_fields(
                m.DebtCollectionActionSub,
                collection,
                collection_state,
                debtor_public_id=debtor.debtor_public_id,
                debtor_name=debtor.name,
                debtor_org_no=debtor.org_no,
                invoiced_amount=collection.original_amount,
                action_type=m.ActionType.DEBT_COLLECTION_ACTION,
                is_paused=bool(collection_state.is_paused),
                is_commented=False,
                is_disputed=collection_state.disputed_date is not None,
            )
        )
    return call.page(found)
