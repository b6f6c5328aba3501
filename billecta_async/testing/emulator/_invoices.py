"""Invoices through their stages, as Billecta's reference describes them.

Created -> (attest) Attested -> InvoiceSent (at once when a delivery method is set, or on
``sendinvoice``) -> Completed when fully paid or credited. An invoice can be updated or deleted
only before it is attested (400 after). Payments, credit invoices, pause/resume, postpone,
dispute, reminders and previews act on the stored ``InvoiceAction``.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

from billecta_async import models as m
from billecta_async.testing.emulator._accounting import check_not_locked
from billecta_async.testing.emulator._http import (
    ApiError,
    Call,
    access_denied,
    bad_request,
    day_of,
    midnight,
    new_id,
    now,
    pdf_document,
)
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import (
    EMPTY_GUID,
    State,
    StoredFile,
    copy_fields,
    fill_missing,
)

routes = Routes()

Stage = m.InvoiceActionStageType
CLOSED = {Stage.COMPLETED, Stage.CANCELLED}
ATTESTED = {Stage.ATTESTED, Stage.INVOICE_SENT, Stage.REMINDER_INVOICE_SENT, Stage.MANUAL}


# -- amounts --------------------------------------------------------------------------------------


def money(value: int, currency: str) -> m.Amount:
    return m.Amount(currency_code=currency, value=value)


def value_of(amount: m.Amount | None) -> int:
    return int(amount.value or 0) if amount is not None else 0


def positive_amount(amount: m.Amount | None, field: str) -> int:
    """``amount`` in minor units; a 400 naming ``field`` unless it is above zero."""
    value = value_of(amount)
    if value <= 0:
        raise bad_request(f"{field} must be positive (got {value})")
    return value


def currency_of(amount: m.Amount | None) -> str:
    """The amount's currency code; SEK when it has none."""
    return (amount.currency_code if amount is not None else None) or "SEK"


def _record_totals(record: Any, vat_included: bool) -> tuple[int, int]:
    """(excluding VAT, including VAT) of one record, in minor units; sets its totals."""
    currency = currency_of(record.unit_price)
    quantity = record.quantity if record.quantity is not None else 1.0
    base = round(quantity * value_of(record.unit_price))
    no_discount = base
    if record.discount_percentage:
        base -= round(base * record.discount_percentage / 100)
    base -= value_of(record.discount_amount)
    rate = (record.vat or 0.0) / 100
    own = getattr(record, "vat_is_included", None)  # a record may say, else the invoice does
    included = vat_included if own is None else own
    if included:
        incl, excl = base, round(base / (1 + rate))
    else:
        excl, incl = base, round(base * (1 + rate))
    record.total_excl_vat = money(excl, currency)
    record.total_inc_vat = money(incl, currency)
    record.total_excl_vat_no_discount = money(no_discount, currency)
    return excl, incl


def totals(records: list[Any], vat_included: bool) -> tuple[int, int, str]:
    """(total including VAT, VAT, currency) of invoice records."""
    excl_sum = incl_sum = 0
    currency = "SEK"
    for record in records:
        if record.unit_price is not None and record.unit_price.currency_code:
            currency = record.unit_price.currency_code
        excl, incl = _record_totals(record, vat_included)
        excl_sum += excl
        incl_sum += incl
    return incl_sum, incl_sum - excl_sum, currency


def ocr_for(invoice_number: str) -> str:
    """A Swedish OCR reference: the number, a length digit and a Luhn (mod 10) check digit."""
    digits = "".join(ch for ch in invoice_number if ch.isdigit()) or "0"
    body = digits + str((len(digits) + 2) % 10)
    total = 0
    for index, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if index % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


# -- state changes --------------------------------------------------------------------------------


def new_state(stage: Stage = Stage.CREATED) -> m.InvoiceActionState:
    """The state of a new invoice: not paused, not locked, no debtor balance used."""
    return m.InvoiceActionState(
        stage=stage, is_paused=False, is_locked=False, use_debtor_balance=False
    )


def add_event(action: Any, event_type: m.EventType, title: str, content: str = "") -> None:
    event_class = {
        m.InvoiceAction: m.InvoiceActionEvent,
        m.ReconciliationInvoiceAction: m.ReconciliationInvoiceActionEvent,
        m.SelfInvoiceAction: m.SelfInvoiceActionEvent,
        m.ContractInvoiceAction: m.ContractInvoiceActionEvent,
        m.DebtCollectionAction: m.DebtCollectionActionEvent,
    }.get(type(action), m.InvoiceActionEvent)
    event = event_class(
        title=title,
        content=content,
        event_date=now(),
        event_by="API",
        event_type=event_type,
        is_public=True,
        has_occured=True,
        event_public_id=new_id(),
    )
    action.events = [*(action.events or []), event]


def refresh_flags(action: m.InvoiceAction) -> None:
    """The ``Can...`` flags Billecta computes from the stage."""
    state = action.state or new_state()
    stage = state.stage
    is_open = stage not in CLOSED
    attested = stage in ATTESTED
    action.can_pause = attested and not state.is_paused
    action.can_resume = attested and bool(state.is_paused)
    action.can_register_payment = attested
    action.can_create_credit_invoice = attested
    action.can_postpone = attested
    action.can_dispute = attested and state.disputed_date is None
    action.can_un_dispute = is_open and state.disputed_date is not None
    action.can_send_to_debt_collection = attested
    action.can_send_manual_invoice = stage == Stage.ATTESTED
    action.can_create_interest_invoice = False
    action.can_make_manual = False
    action.can_resend_manual_invoice = False
    action.can_send_manual_reminder_invoice = False
    action.can_sell = False
    action.can_cancel_sales_request = False
    action.can_create_autogiro_withdrawal = False


def set_stage(state: State, action: m.InvoiceAction, stage: Stage) -> None:
    action_state = action.state or new_state()
    action.state = action_state
    if action_state.stage == stage:
        return
    action_state.stage = stage
    if stage in CLOSED:
        action_state.closed_date = now()
        action_state.next_event = None
        action_state.next_event_date = None
    refresh_flags(action)
    state.emit("InvoiceActionStateChanged", action.creditor_public_id, action)


def require_open(action: m.InvoiceAction, doing: str) -> m.InvoiceActionState:
    action_state = action.state or new_state()
    if action_state.stage in CLOSED:
        raise bad_request(f"The invoice is closed ({_stage_name(action)}) and cannot be {doing}")
    return action_state


def require_attested(action: m.InvoiceAction, doing: str) -> m.InvoiceActionState:
    action_state = require_open(action, doing)
    if action_state.stage not in ATTESTED:
        raise bad_request(f"The invoice must be attested before it can be {doing}")
    return action_state


def _stage_name(action: m.InvoiceAction) -> str:
    stage = action.state.stage if action.state else None
    return stage.value if stage is not None else "unknown"


def follow_debt_collection(
    state: State, collection_public_id: str | None, current: m.Amount | None
) -> None:
    """A debt collection started from an invoice or a reconciliation invoice follows its
    remaining amount ("both always in sync"), and is completed at zero."""
    collection = state.debt_collections.get(collection_public_id or "")
    if collection is None:
        return
    collection.current_amount = copy.deepcopy(current)
    collection_state = collection.state
    closed = (m.DebtCollectionActionStageType.COMPLETED, m.DebtCollectionActionStageType.CANCELLED)
    if (
        collection_state is not None
        and value_of(current) <= 0
        and collection_state.stage not in closed
    ):
        collection_state.stage = m.DebtCollectionActionStageType.COMPLETED
        collection_state.closed_date = now()
        state.emit("DebtCollectionActionStateChanged", collection.creditor_public_id, collection)


def apply_payment(
    state: State,
    action: m.InvoiceAction,
    amount: int,
    *,
    payment_date: datetime | None = None,
    payment_mean_code: str | None = None,
    reference: str | None = None,
) -> m.IncomingPayment:
    """Register ``amount`` (minor units) on an attested invoice; complete it when fully paid."""
    currency = currency_of(action.current_amount)
    current = value_of(action.current_amount)
    applied = min(amount, current)
    action.paid_amount = money(value_of(action.paid_amount) + amount, currency)
    action.current_amount = money(current - applied, currency)
    payment = m.IncomingPayment(
        creditor_public_id=action.creditor_public_id,
        invoice_number=action.invoice_number,
        action_public_id=action.action_public_id,
        action_type=action.action_type,
        debtor_public_id=debtor_public_id_of(action),
        debtor_name=action.debtor.name if action.debtor else None,
        amount=money(amount, currency),
        created_date=now(),
        payment_date=payment_date or now(),
        payment_mean_code=payment_mean_code or "BG",
        payment_reference_id=new_id(),
        external_reference=reference,
        ocr=ocr_of(action),
        is_reminder_payment=False,
    )
    add_event(action, m.EventType.PAID, "Payment registered", f"{amount / 100:.2f} {currency}")
    follow_debt_collection(state, action.debt_collection_action_public_id, action.current_amount)
    state.incoming_payments.append(payment)
    state.emit("InvoicePaymentReceived", action.creditor_public_id, payment)
    if amount > current:
        # "An unhandled payment can also be an overpayment connected to an invoice."
        overpayment = m.UnhandledPayment(
            creditor_public_id=action.creditor_public_id,
            unhandled_payment_public_id=new_id(),
            debtor_public_id=payment.debtor_public_id,
            sender_name=payment.debtor_name,
            amount=money(amount - current, currency),
            payment_date=payment.payment_date,
            reference=payment.ocr,
            created_by="API",
            unhandled_payment_type=m.UnhandledPaymentTypeView.OVER_PAYMENT,
            state=m.UnhandledPaymentStateTypeView.UNHANDLED,
        )
        state.unhandled_payments[overpayment.unhandled_payment_public_id or ""] = overpayment
        state.emit("Overpayment", action.creditor_public_id, overpayment)
    if value_of(action.current_amount) <= 0:
        add_event(action, m.EventType.COMPLETED, "Invoice fully paid")
        set_stage(state, action, Stage.COMPLETED)
        state.emit("InvoiceActionPaid", action.creditor_public_id, action)
    return payment


def apply_credit(state: State, action: m.InvoiceAction, credit: m.InvoiceAction) -> None:
    """Credit ``action`` with the attested credit invoice ``credit``."""
    if credit.action_type != m.ActionType.CREDIT_INVOICE_ACTION:
        raise bad_request(f"'{credit.action_public_id}' is not a credit invoice")
    if credit.state is None or credit.state.stage not in ATTESTED | CLOSED:
        raise bad_request("The credit invoice must be attested before it is applied")
    require_attested(action, "credited")
    amount = abs(value_of(credit.invoiced_amount))
    currency = currency_of(action.current_amount)
    action.credited_amount = money(value_of(action.credited_amount) + amount, currency)
    action.current_amount = money(max(0, value_of(action.current_amount) - amount), currency)
    add_event(action, m.EventType.CREDITED, "Credited", f"by {credit.invoice_number}")
    payment = m.IncomingPayment(
        creditor_public_id=action.creditor_public_id,
        action_public_id=action.action_public_id,
        action_type=action.action_type,
        debtor_public_id=debtor_public_id_of(action),
        invoice_number=action.invoice_number,
        amount=money(amount, currency),
        created_date=now(),
        payment_date=now(),
        payment_reference_id=new_id(),
        is_reminder_payment=False,
    )
    state.emit("AmountCreditedOnInvoice", action.creditor_public_id, payment)
    set_stage(state, credit, Stage.COMPLETED)
    if value_of(action.current_amount) <= 0:
        set_stage(state, action, Stage.COMPLETED)


def build_invoice(call: Call, entry: Any, action_type: m.ActionType) -> m.InvoiceAction:
    """A new, unattested invoice from an ``InvoiceActionEntry``-like entry (400s on bad data)."""
    creditor_public_id = call.creditor(entry.creditor_public_id)
    if not entry.debtor_public_id:
        raise bad_request("InvoiceActionEntry.DebtorPublicId is required")
    debtor = call.owned(call.state.debtors, entry.debtor_public_id, "debtor")
    if debtor.creditor_public_id != creditor_public_id:
        raise bad_request("The debtor belongs to another creditor")
    records = copy.deepcopy(entry.records or [])
    if not records:
        raise bad_request("InvoiceActionEntry.Records must contain at least one record")
    for index, record in enumerate(records):
        if record.product_public_id:
            call.owned(call.state.products, record.product_public_id, "product")
        if (
            record.unit_price is None
            and getattr(record, "record_type", None) != m.RecordType.MESSAGE
        ):
            raise bad_request(f"InvoiceActionEntry.Records.{index}.UnitPrice is required")
    vat_included = bool(getattr(entry, "vat_is_included", False))
    total, vat, currency = totals(records, vat_included)
    fees = value_of(getattr(entry, "invoice_fee", None)) + value_of(
        getattr(entry, "freight_fee", None)
    )
    total += fees
    if action_type == m.ActionType.CREDIT_INVOICE_ACTION:
        total = -abs(total)
    invoice_date = entry.invoice_date or midnight(now().date())
    due_date = entry.due_date or invoice_date + timedelta(days=30)
    if due_date < invoice_date:
        raise bad_request("InvoiceActionEntry.DueDate must not be before InvoiceDate")
    action_public_id = new_id()
    action = m.InvoiceAction(
        action_public_id=action_public_id,
        creditor_public_id=creditor_public_id,
        action_type=action_type,
        created=now(),
        debtor=copy.deepcopy(debtor),
        records=records,
        invoice_date=invoice_date,
        due_date=due_date,
        delivery_date=entry.delivery_date,
        payment_terms_in_days=(due_date - invoice_date).days,
        our_reference=entry.our_reference,
        your_reference=entry.your_reference,
        message=entry.message,
        delivery_method=delivery_method_or_manual(getattr(entry, "delivery_method", None)),
        communication_language=entry.communication_language or m.LanguageType.SV,
        interest_percentage=getattr(entry, "interest_percentage", None) or 0.0,
        interest_type=getattr(entry, "interest_type", None) or m.InterestType.NO_INTEREST,
        interest_terms_in_days=getattr(entry, "interest_terms_in_days", None) or 0,
        interest_start_in_days_after_due_date=(
            getattr(entry, "interest_start_in_days_after_due_date", None) or 0
        ),
        invoice_fee=getattr(entry, "invoice_fee", None),
        freight_fee=getattr(entry, "freight_fee", None),
        vat_is_included=vat_included,
        invoice_number=entry.invoice_number,
        external_reference=entry.external_reference,
        invoiced_amount=money(total, currency),
        current_amount=money(total, currency),
        paid_amount=money(0, currency),
        credited_amount=money(0, currency),
        write_off_amount=money(0, currency),
        total_vat_amount=money(vat, currency),
        state=new_state(),
        events=[],
        # The Can... flags, computed from the state by refresh_flags below.
        can_pause=False,
        can_resume=False,
        can_create_credit_invoice=False,
        can_create_interest_invoice=False,
        can_register_payment=False,
        can_make_manual=False,
        can_send_manual_invoice=False,
        can_resend_manual_invoice=False,
        can_send_manual_reminder_invoice=False,
        can_postpone=False,
        can_send_to_debt_collection=False,
        can_dispute=False,
        can_un_dispute=False,
        can_sell=False,
        can_cancel_sales_request=False,
        can_create_autogiro_withdrawal=False,
    )
    fill_missing(action, entry)  # what the entry says beyond the computed fields
    crediting = getattr(entry, "crediting_invoice_public_id", None)
    if crediting:
        original = call.owned(call.state.invoices, crediting, "invoice")
        action.crediting_invoice = m.CreditingInvoice(
            source_public_id=original.action_public_id, source_invoice_id=original.invoice_number
        )
    add_event(action, m.EventType.CREATED, "Invoice created")
    refresh_flags(action)
    return action


def store_invoice(state: State, action: m.InvoiceAction) -> str:
    state.invoices[action.action_public_id or ""] = action
    state.emit("InvoiceActionCreated", action.creditor_public_id, action)
    return action.action_public_id or ""


def store_and_attest(state: State, action: m.InvoiceAction) -> None:
    """Store a new invoice and attest it at once; refused before anything is stored when its
    date is in the locked bookkeeping period."""
    check_not_locked(state, action.creditor_public_id or "", action.invoice_date)
    store_invoice(state, action)
    attest(state, action)


def attest(state: State, action: m.InvoiceAction) -> None:
    """Attest: give it a number, OCR and PDF; deliver it when a delivery method is set."""
    action_state = action.state or new_state()
    if action_state.stage != Stage.CREATED:
        raise bad_request(f"The invoice is already attested ({_stage_name(action)})")
    creditor_public_id = action.creditor_public_id or ""
    check_not_locked(state, creditor_public_id, action.invoice_date)
    action.invoice_number = action.invoice_number or state.next_invoice_number(creditor_public_id)
    ocr = ocr_for(action.invoice_number)
    file_public_id = new_id()
    state.files[file_public_id] = StoredFile(
        file_public_id,
        creditor_public_id,
        f"Invoice_{action.invoice_number}.pdf",
        "application/pdf",
        invoice_pdf(action, ocr),
    )
    debtor = action.debtor or m.Debtor()
    action.invoices = [
        m.InvoiceActionInvoice(
            invoice_date=action.invoice_date,
            due_date=action.due_date,
            invoice_number=action.invoice_number,
            payment_terms_in_days=action.payment_terms_in_days,
            our_reference=action.our_reference,
            your_reference=action.your_reference,
            name=debtor.name,
            address=debtor.address,
            zip_code=debtor.zip_code,
            city=debtor.city,
            country_code=debtor.country_code,
            email=debtor.email,
            invoiced_amount=action.invoiced_amount,
            invoice_file=m.File(
                file_public_id=file_public_id,
                content_type="application/pdf",
                file_name=f"Invoice_{action.invoice_number}.pdf",
            ),
            ocr=ocr,
        )
    ]
    action_state.attested_date = now()
    action.state = action_state
    add_event(action, m.EventType.ATTESTED, "Invoice attested")
    set_stage(state, action, Stage.ATTESTED)
    state.emit("InvoiceActionAttested", creditor_public_id, action)
    if action.action_type == m.ActionType.CREDIT_INVOICE_ACTION and action.crediting_invoice:
        original = state.invoices.get(action.crediting_invoice.source_public_id or "")
        if original is not None and (original.state and original.state.stage not in CLOSED):
            apply_credit(state, original, action)
        return
    if action.delivery_method is not m.DeliveryMethodType.MANUALLY:
        deliver(state, action)


def deliver(state: State, action: m.InvoiceAction) -> None:
    action_state = action.state or new_state()
    action_state.invoice_sent_date = now()
    action_state.next_event = "InvoiceDue"
    action_state.next_event_date = action.due_date
    add_event(action, m.EventType.INVOICE_SENT, "Invoice sent", str(action.delivery_method))
    set_stage(state, action, Stage.INVOICE_SENT)


def invoice_pdf(action: Any, ocr: str | None) -> bytes:
    """A PDF of an invoice-like action (an invoice, a self invoice)."""
    debtor = action.debtor or m.Debtor()
    amount = value_of(action.invoiced_amount)
    currency = currency_of(action.invoiced_amount)
    lines = [
        f"Invoice number: {getattr(action, 'invoice_number', None) or '(not attested)'}",
        f"OCR: {ocr or '-'}",
        f"To: {debtor.name or ''}",
        f"Invoice date: {action.invoice_date:%Y-%m-%d}" if action.invoice_date else "",
        f"Due date: {action.due_date:%Y-%m-%d}" if action.due_date else "",
    ]
    for record in action.records or []:
        total = value_of(record.total_inc_vat)
        lines.append(f"{record.article_description or ''}  {total / 100:.2f} {currency}")
    lines.append(f"Total: {amount / 100:.2f} {currency}")
    return pdf_document("Billecta emulator invoice", lines)


def sub_of(state: State, action: m.InvoiceAction) -> m.InvoiceActionSub:
    """The listing row (``InvoiceActionSub``) of an invoice."""
    action_state = action.state or new_state()
    creditor = state.creditors.get(action.creditor_public_id or "") or m.Creditor()
    debtor = action.debtor or m.Debtor()
    invoice = action.invoices[0] if action.invoices else None
    return copy_fields(
        m.InvoiceActionSub,
        action,
        action_state,
        debtor_public_id=debtor.debtor_public_id,
        creditor_org_no=creditor.org_no,
        creditor_name=creditor.name,
        debtor_org_no=debtor.org_no,
        debtor_name=debtor.name,
        is_paused=bool(action_state.is_paused),
        is_locked=bool(action_state.is_locked),
        is_disputed=action_state.disputed_date is not None,
        is_commented=False,
        ocr=invoice.ocr if invoice else None,
        file=invoice.invoice_file if invoice else None,
    )


def debtor_public_id_of(action: m.InvoiceAction) -> str:
    """The invoice's debtor (every invoice the emulator builds has one)."""
    return (action.debtor.debtor_public_id if action.debtor else None) or EMPTY_GUID


def ocr_of(action: m.InvoiceAction) -> str | None:
    """The OCR reference the invoice was given at attest (None before)."""
    return action.invoices[0].ocr if action.invoices else None


def is_closed(action: m.InvoiceAction) -> bool:
    return action.state is not None and action.state.stage in CLOSED


def in_period(moment: datetime | None, start: date | None, end: date | None) -> bool:
    if moment is None:
        return False
    day = day_of(moment)
    return (start is None or day >= start) and (end is None or day <= end)


# -- endpoints: create, read, change --------------------------------------------------------------


def _invoice(call: Call, action_public_id: str | None = None) -> m.InvoiceAction:
    return call.owned(call.state.invoices, action_public_id or call.path(), "invoice")


@routes("POST", "/v1/invoice/action")
async def create_invoice(call: Call) -> m.Created:
    entry: m.InvoiceActionEntry = call.require_body()
    credit = bool(entry.crediting_invoice_public_id)
    action_type = m.ActionType.CREDIT_INVOICE_ACTION if credit else m.ActionType.INVOICE_ACTION
    if entry.action_type is not None and entry.action_type != m.ActionType.INVOICE_ACTION:
        action_type = entry.action_type
    action = build_invoice(call, entry, action_type)
    return m.Created(public_id=store_invoice(call.state, action))


@routes("POST", "/v1/invoice/verificationinvoice")
async def create_verification_invoice(call: Call) -> m.Created:
    """A verification invoice records a sale already paid: it is created attested and closed."""
    entry: m.VerificationInvoiceActionEntry = call.require_body()
    action = build_invoice(call, entry, m.ActionType.VERIFICATION_INVOICE_ACTION)
    store_and_attest(call.state, action)
    apply_payment(call.state, action, value_of(action.current_amount))
    return m.Created(public_id=action.action_public_id or "")


@routes("GET", "/v1/invoice/action/{id}")
async def get_invoice(call: Call) -> m.InvoiceAction:
    return _invoice(call)


@routes("GET", "/v1/invoice/actionbyinvoicenumber/{id}")
async def get_invoice_by_number(call: Call) -> m.InvoiceAction:
    creditor_public_id = call.creditor(call.path())
    number = call.require_query("invoicenumber")
    for action in call.state.invoices.values():
        if action.creditor_public_id == creditor_public_id and action.invoice_number == number:
            return action
    raise ApiError(404, f"No invoice with invoice number '{number}'")


@routes("PUT", "/v1/invoice/action/{id}")
async def update_invoice(call: Call) -> None:
    known = _invoice(call)
    if known.state is None or known.state.stage != Stage.CREATED:
        raise bad_request(f"An attested invoice cannot be updated ({_stage_name(known)})")
    entry: m.InvoiceActionEntry = call.require_body()
    action = build_invoice(call, entry, known.action_type or m.ActionType.INVOICE_ACTION)
    action.action_public_id = known.action_public_id
    action.created = known.created
    action.contract_invoice_action_public_id = known.contract_invoice_action_public_id
    action.events = list(known.events or [])
    add_event(action, m.EventType.UPDATED, "Invoice updated")
    call.state.invoices[known.action_public_id or ""] = action
    call.state.emit("InvoiceActionUpdated", action.creditor_public_id, action)


@routes("DELETE", "/v1/invoice/action/{id}")
async def delete_invoice(call: Call) -> None:
    action = _invoice(call)
    if action.state is None or action.state.stage != Stage.CREATED:
        raise bad_request(f"An attested invoice cannot be deleted ({_stage_name(action)})")
    _delete(call.state, action)


def _delete(state: State, action: m.InvoiceAction) -> None:
    """Remove an unattested invoice (its deleted event carries its debtor)."""
    del state.invoices[action.action_public_id or ""]
    state.emit(
        "InvoiceActionDeleted",
        action.creditor_public_id,
        action.action_public_id,
        debtor_public_id_of(action),
    )


@routes("PUT", "/v1/invoice/attest/{id}")
async def attest_invoice(call: Call) -> None:
    attest(call.state, _invoice(call))


def delivery_method_or_manual(method: m.DeliveryMethodType | None) -> m.DeliveryMethodType:
    """An entry's delivery method; without one, Manually: the creditor delivers the invoice, so
    attesting it sends nothing."""
    return method if method is not None else m.DeliveryMethodType.MANUALLY


def delivery_method_of(call: Call, default: m.DeliveryMethodType) -> m.DeliveryMethodType:
    """A send call's ``method`` query parameter, ``default`` without one (400 when unknown)."""
    method = call.query("method")
    if not method:
        return default
    try:
        return m.DeliveryMethodType(method)
    except ValueError:
        raise bad_request(f"'{method}' is not a valid DeliveryMethodType") from None


def sending_method(call: Call, default: m.DeliveryMethodType) -> m.DeliveryMethodType:
    """The delivery method a send call sends by (:func:`delivery_method_of`); 400 for
    Manually, by which nothing is sent."""
    method = delivery_method_of(call, default)
    if method is m.DeliveryMethodType.MANUALLY:
        raise bad_request("A delivery method other than Manually is required to send the invoice")
    return method


@routes("PUT", "/v1/invoice/sendinvoice/{id}")
async def send_invoice(call: Call) -> None:
    action = _invoice(call)
    require_attested(action, "sent")
    action.delivery_method = sending_method(call, action.delivery_method)
    deliver(call.state, action)


@routes("POST", "/v1/invoice/registerpayment")
async def register_payment(call: Call) -> m.Created:
    payment: m.RegisterPayment = call.require_body()
    action = _invoice(call, payment.action_public_id)
    if action.state is None or action.state.stage != Stage.SENT_TO_DEBT_COLLECTION:
        require_attested(action, "paid")  # an invoice in debt collection can still be paid
    amount = positive_amount(payment.amount, "RegisterPayment.Amount")
    assert payment.amount is not None  # (a missing one is not positive)
    currency = action.current_amount.currency_code if action.current_amount else None
    if payment.amount.currency_code and currency and payment.amount.currency_code != currency:
        raise bad_request(
            f"RegisterPayment.Amount.CurrencyCode '{payment.amount.currency_code}' "
            f"does not match the invoice's '{currency}'"
        )
    registered = apply_payment(
        call.state,
        action,
        amount,
        payment_date=payment.date,
        payment_mean_code=payment.payment_mean_code,
        reference=payment.payment_reference_text,
    )
    return m.Created(public_id=registered.payment_reference_id)


@routes("PUT", "/v1/invoice/creditaction/{id}")
async def credit_invoice(call: Call) -> None:
    action = _invoice(call)
    credit = _invoice(call, call.require_query("creditinvoiceactionpublicid"))
    if credit.crediting_invoice is not None and credit.state and credit.state.stage in CLOSED:
        raise bad_request("The credit invoice has already been applied")
    apply_credit(call.state, action, credit)


@routes("PUT", "/v1/invoice/pause/{id}")
async def pause_invoice(call: Call) -> None:
    action = _invoice(call)
    action_state = require_attested(action, "paused")
    if action_state.is_paused:
        raise bad_request("The invoice is already paused")
    action_state.is_paused = True
    add_event(action, m.EventType.PAUSED, "Invoice paused")
    refresh_flags(action)


@routes("PUT", "/v1/invoice/resume/{id}")
async def resume_invoice(call: Call) -> None:
    action = _invoice(call)
    action_state = require_open(action, "resumed")
    if not action_state.is_paused:
        raise bad_request("The invoice is not paused")
    action_state.is_paused = False
    add_event(action, m.EventType.RESUMED, "Invoice resumed")
    refresh_flags(action)


def postponed(call: Call, current: datetime, what: str) -> datetime:
    """Where a postpone call moves ``current`` (the date of ``what``): ``days`` days on, or to
    ``date``, forward only; 400 unless exactly one of them is given."""
    days = call.query_int("days")
    to_date = call.query_date("date")
    if (days is None) == (to_date is None):
        raise bad_request(f"Give either days or date to postpone {what}")
    if days is not None:
        if days <= 0:
            raise bad_request(f"days must be positive (got {days})")
        return current + timedelta(days=days)
    assert to_date is not None
    moved = midnight(to_date)
    if moved <= current:
        raise bad_request(f"The date {to_date} must be after the current one ({current:%Y-%m-%d})")
    return moved


@routes("PUT", "/v1/invoice/postpone/{id}")
async def postpone_invoice(call: Call) -> None:
    action = _invoice(call)
    require_attested(action, "postponed")
    new_due = postponed(call, action.due_date or now(), "the invoice's due date")
    action.due_date = new_due
    if action.state is not None:
        action.state.next_event_date = new_due
    add_event(action, m.EventType.MOVED, "Due date postponed", f"{new_due:%Y-%m-%d}")


@routes("PUT", "/v1/invoice/dispute/{id}")
async def dispute_invoice(call: Call) -> None:
    action = _invoice(call)
    action_state = require_attested(action, "disputed")
    if action_state.disputed_date is not None:
        raise bad_request("The invoice is already disputed")
    action_state.disputed_date = now()
    add_event(action, m.EventType.DISPUTED, "Invoice disputed")
    refresh_flags(action)


@routes("PUT", "/v1/invoice/canceldispute/{id}")
async def cancel_dispute(call: Call) -> None:
    action = _invoice(call)
    action_state = require_open(action, "undisputed")
    if action_state.disputed_date is None:
        raise bad_request("The invoice is not disputed")
    action_state.disputed_date = None
    add_event(action, m.EventType.UN_DISPUTED, "Dispute cancelled")
    refresh_flags(action)


def add_comment(action: Any, comment: m.CommentAction) -> None:
    """Write a ``CommentAction`` to an action's events log."""
    if not comment.comment:
        raise bad_request("CommentAction.Comment is required")
    add_event(action, m.EventType.COMMENTED_BY_CREDITOR, "Comment", comment.comment)
    if action.events:
        action.events[-1].is_public = comment.target == m.CommentTargetType.TO_DEBTOR


@routes("POST", "/v1/invoice/comment")
async def comment_invoice(call: Call) -> None:
    comment: m.CommentAction = call.require_body()
    add_comment(_invoice(call, comment.action_public_id), comment)


@routes("GET", "/v1/invoice/preview/{id}")
async def preview_invoice(call: Call) -> bytes:
    action = _invoice(call)
    return invoice_pdf(action, ocr_of(action))


@routes("POST", "/v1/invoice/preview")
async def preview_entry(call: Call) -> bytes:
    entry: m.InvoiceActionEntry = call.require_body()
    return invoice_pdf(build_invoice(call, entry, m.ActionType.INVOICE_ACTION), None)


# -- reminders ------------------------------------------------------------------------------------


@routes("POST", "/v1/invoice/createandsendreminderinvoice")
async def create_reminder(call: Call) -> m.Created:
    request: m.SendReminderInvoice = call.require_body()
    action = _invoice(call, request.invoice_action_public_id)
    action_state = require_attested(action, "reminded")
    if action_state.stage == Stage.ATTESTED:
        raise bad_request("The invoice has not been sent, so no reminder can be sent")
    currency = currency_of(action.current_amount)
    fee = value_of(request.reminder_fee)
    if fee < 0:
        raise bad_request(f"SendReminderInvoice.ReminderFee is negative ({fee})")
    reminder_public_id = new_id()
    terms = request.payment_terms_in_days or 10
    reminder = m.ReminderInvoiceAction(
        action_public_id=reminder_public_id,
        source_action_public_id=action.action_public_id,
        created=now(),
        stage=Stage.REMINDER_INVOICE_SENT,
        current_value=money(value_of(action.current_amount) + fee, currency),
        reminder_fee=money(fee, currency),
        reminder_invoices=[
            m.ReminderInvoiceActionInvoice(
                invoice_date=midnight(now().date()),
                due_date=midnight(now().date() + timedelta(days=terms)),
                invoice_number=action.invoice_number,
                payment_terms_in_days=terms,
                invoiced_amount=money(value_of(action.current_amount) + fee, currency),
                ocr=ocr_of(action),
            )
        ],
    )
    call.state.reminders[reminder_public_id] = reminder
    action.reminder_invoice_action_public_id = reminder_public_id
    action.current_amount = money(value_of(action.current_amount) + fee, currency)
    add_event(action, m.EventType.REMINDER_INVOICE_SENT, "Reminder sent")
    set_stage(call.state, action, Stage.REMINDER_INVOICE_SENT)
    call.state.emit("ReminderInvoiceActionCreated", action.creditor_public_id, reminder)
    return m.Created(public_id=reminder_public_id)


@routes("GET", "/v1/invoice/reminder/{id}")
async def get_reminder(call: Call) -> m.ReminderInvoiceAction:
    wanted = call.path().lower()
    reminder = call.state.reminders.get(wanted)
    if reminder is None:  # also by the reminded invoice's id
        action = _invoice(call)
        reminder = call.state.reminders.get(action.reminder_invoice_action_public_id or "")
        if reminder is None:
            raise ApiError(404, "The invoice has no reminder")
        return reminder
    _invoice(call, reminder.source_action_public_id)  # ownership
    return reminder


# -- listings -------------------------------------------------------------------------------------


def _of_creditor(call: Call) -> list[m.InvoiceAction]:
    creditor_public_id = call.creditor(call.path())
    return [a for a in call.state.invoices.values() if a.creditor_public_id == creditor_public_id]


def _of_debtor(call: Call) -> list[m.InvoiceAction]:
    debtor = call.owned(call.state.debtors, call.path(), "debtor")
    return [
        a
        for a in call.state.invoices.values()
        if a.debtor is not None and a.debtor.debtor_public_id == debtor.debtor_public_id
    ]


def _subs(call: Call, actions: list[m.InvoiceAction]) -> list[m.InvoiceActionSub]:
    return call.page([sub_of(call.state, a) for a in actions])


def _closed_between(call: Call, actions: list[m.InvoiceAction]) -> list[m.InvoiceAction]:
    start, end = call.period()
    return [
        a
        for a in actions
        if is_closed(a) and in_period(a.state.closed_date if a.state else None, start, end)
    ]


@routes("GET", "/v1/invoice/open/{id}")
async def list_open(call: Call) -> list[m.InvoiceActionSub]:
    return _subs(call, [a for a in _of_creditor(call) if not is_closed(a)])


@routes("GET", "/v1/invoice/closed/{id}")
async def list_closed(call: Call) -> list[m.InvoiceActionSub]:
    return _subs(call, _closed_between(call, _of_creditor(call)))


@routes("GET", "/v1/invoice/closedbyperiod/{id}")
async def list_closed_by_period(call: Call) -> list[m.InvoiceActionSub]:
    return _subs(call, _closed_between(call, _of_creditor(call)))


@routes("GET", "/v1/invoice/openbyperiod/{id}")
async def list_open_by_period(call: Call) -> list[m.InvoiceActionSub]:
    start, end = call.period()
    found = [
        a for a in _of_creditor(call) if not is_closed(a) and in_period(a.invoice_date, start, end)
    ]
    return _subs(call, found)


@routes("GET", "/v1/invoice/openbydebtor/{id}")
async def list_open_by_debtor(call: Call) -> list[m.InvoiceActionSub]:
    return _subs(call, [a for a in _of_debtor(call) if not is_closed(a)])


@routes("GET", "/v1/invoice/closedbydebtor/{id}")
async def list_closed_by_debtor(call: Call) -> list[m.InvoiceActionSub]:
    return _subs(call, _closed_between(call, _of_debtor(call)))


def common_events(
    call: Call, actions: Any, action_type: m.ActionType | None = None
) -> list[m.CommonActionEvent]:
    """The events of ``actions`` dated in the call's ``from``-``to`` period, as listed by the
    ``events`` endpoints (each with its action's ids and type)."""
    start, end = call.period()
    found = []
    for action in actions:
        for event in action.events or []:
            if in_period(event.event_date, start, end):
                found.append(
                    copy_fields(
                        m.CommonActionEvent,
                        event,
                        creditor_public_id=action.creditor_public_id,
                        action_public_id=action.action_public_id,
                        action_type=getattr(action, "action_type", None) or action_type,
                    )
                )
    return found


@routes("GET", "/v1/invoice/events/{id}")
async def list_events(call: Call) -> list[m.CommonActionEvent]:
    return common_events(call, _of_creditor(call))


# -- address, viewing, archived events ------------------------------------------------------------


def address_override(update: m.UpdateAddressAction) -> m.DeliveryAddressOverride:
    """The temporary address an ``UpdateAddressAction`` sets on one action."""
    return copy_fields(m.DeliveryAddressOverride, update)


@routes("PUT", "/v1/invoice/address")
async def update_address(call: Call) -> None:
    """Overrides the debtor's address on this invoice only."""
    update: m.UpdateAddressAction = call.require_body()
    action = _invoice(call, update.action_public_id)
    require_open(action, "given another address")
    action.delivery_address_override = address_override(update)
    add_event(action, m.EventType.UPDATED, "Address changed for this invoice")


@routes("DELETE", "/v1/invoice/address/{id}")
async def delete_address(call: Call) -> None:
    """The invoice uses the debtor card's address again."""
    action = _invoice(call)
    if action.delivery_address_override is None:
        raise bad_request("The invoice has no address of its own")
    action.delivery_address_override = None
    add_event(action, m.EventType.UPDATED, "Address override removed")


@routes("PUT", "/v1/invoice/markasviewed/{id}")
async def mark_as_viewed(call: Call) -> None:
    """Read by the customer: the automatic distribution stops (no mail after an unread
    e-mail)."""
    action = _invoice(call)
    require_attested(action, "marked as viewed")
    action.send_by_mail_if_email_not_viewed_in_days = None
    add_event(action, m.EventType.READ_BY_USER, "Invoice viewed")
    call.state.emit("InvoiceActionViewed", action.creditor_public_id, action)


@routes("PUT", "/v1/invoice/loadarchivedevents/{id}")
async def load_archived_events(call: Call) -> None:
    """The emulator never archives events (Billecta does after a year): nothing to reload."""
    _invoice(call)


# -- reminders: cancel, open ones -----------------------------------------------------------------


@routes("PUT", "/v1/invoice/cancelreminder/{id}")
async def cancel_reminder(call: Call) -> None:
    """ "Canceling the reminder invoice will also remove any added reminder fees"; the id is
    the reminded invoice's."""
    action = _invoice(call)
    require_open(action, "relieved of its reminder")
    reminder = call.state.reminders.get(action.reminder_invoice_action_public_id or "")
    if reminder is None or reminder.stage == Stage.CANCELLED:
        raise bad_request("The invoice has no reminder to cancel")
    currency = currency_of(action.current_amount)
    fee = value_of(reminder.reminder_fee)
    action.current_amount = money(max(0, value_of(action.current_amount) - fee), currency)
    reminder.stage = Stage.CANCELLED
    reminder.closed_date = now()
    reminder.current_value = money(0, currency)
    add_event(action, m.EventType.CANCELLED, "Reminder cancelled")
    if action.state is not None and action.state.stage == Stage.REMINDER_INVOICE_SENT:
        set_stage(call.state, action, Stage.INVOICE_SENT)


@routes("GET", "/v1/invoice/openreminders/{id}")
async def list_open_reminders(call: Call) -> list[m.ReminderInvoiceActionSub]:
    found = []
    for action in _of_creditor(call):
        reminder = call.state.reminders.get(action.reminder_invoice_action_public_id or "")
        if reminder is None or reminder.stage == Stage.CANCELLED or is_closed(action):
            continue
        last = reminder.reminder_invoices[-1] if reminder.reminder_invoices else None
        found.append(
            m.ReminderInvoiceActionSub(
                action_public_id=reminder.action_public_id,
                source_action_public_id=action.action_public_id,
                current_fee_amount=reminder.reminder_fee,
                source_current_amount=action.current_amount,
                source_original_amount=action.invoiced_amount,
                last_reminder_date=last.invoice_date if last else reminder.created,
                last_reminder_due_date=last.due_date if last else None,
            )
        )
    return call.page(found)


# -- interest invoices and merging ----------------------------------------------------------------


def _entry_from(action: m.InvoiceAction, records: list[m.InvoiceActionRecord]) -> Any:
    """An ``InvoiceActionEntry`` for a new invoice to the same debtor as ``action``."""
    return m.InvoiceActionEntry(
        creditor_public_id=action.creditor_public_id,
        debtor_public_id=action.debtor.debtor_public_id if action.debtor else None,
        records=records,
        our_reference=action.our_reference,
        your_reference=action.your_reference,
        delivery_method=action.delivery_method,
        communication_language=action.communication_language,
        interest_percentage=action.interest_percentage,
        interest_type=action.interest_type,
        vat_is_included=action.vat_is_included,
        external_reference=action.external_reference,
    )


@routes("POST", "/v1/invoice/interestinvoice/{id}")
async def create_interest_invoice(call: Call) -> m.Created:
    """An interest invoice "with only the interest generated between the from and to date"
    (the yearly ``interest`` percent on the invoiced amount less credits), attested and sent
    with the invoice's delivery method."""
    source = _invoice(call)
    source_state = source.state or new_state()
    if source_state.stage in (Stage.CREATED, Stage.CANCELLED):
        raise bad_request("Interest can only be invoiced on an attested invoice")
    start = call.query_date("from", required=True)
    end = call.query_date("to", required=True)
    assert start is not None and end is not None
    if end <= start:
        raise bad_request(f"to ({end}) must be after from ({start})")
    interest_type = call.require_query("interesttype")
    try:
        m.InterestType(interest_type)
    except ValueError:
        raise bad_request(f"'{interest_type}' is not a valid InterestType") from None
    raw = call.require_query("interest")
    try:
        interest = float(raw)
    except ValueError:
        raise bad_request(f"The value '{raw}' is not valid for interest") from None
    if not interest > 0:
        raise bad_request(f"interest must be a positive percentage (got {raw})")
    base = value_of(source.invoiced_amount) - value_of(source.credited_amount)
    amount = round(base * interest / 100 * (end - start).days / 365)
    if amount <= 0:
        raise bad_request("No interest accrues on the invoice in that period")
    record = m.InvoiceActionRecord(
        article_description=f"Interest {interest:g} % on invoice {source.invoice_number}, "
        f"{start} - {end}",
        quantity=1.0,
        unit_price=money(amount, currency_of(source.invoiced_amount)),
        vat=0.0,
    )
    action = build_invoice(
        call, _entry_from(source, [record]), m.ActionType.INTEREST_INVOICE_ACTION
    )
    store_and_attest(call.state, action)
    add_event(source, m.EventType.UPDATED, "Interest invoiced", action.invoice_number or "")
    return m.Created(public_id=action.action_public_id or "")


@routes("PUT", "/v1/invoice/merge")
async def merge_invoices(call: Call) -> None:
    """Merges unattested invoices to one debtor into a new invoice; the old ones are deleted."""
    ids = [i.strip() for i in call.require_query("actionpublicid").split(",") if i.strip()]
    actions = [_invoice(call, i) for i in dict.fromkeys(i.lower() for i in ids)]
    if len(actions) < 2:
        raise bad_request("Give at least two invoices to merge")
    first = actions[0]
    debtors = {a.debtor.debtor_public_id if a.debtor else None for a in actions}
    if len(debtors) != 1 or len({a.creditor_public_id for a in actions}) != 1:
        raise bad_request("Only invoices to the same debtor of the same creditor can be merged")
    for action in actions:
        if action.state is None or action.state.stage != Stage.CREATED:
            raise bad_request(
                f"Invoice {action.action_public_id} is attested; only unattested ones merge"
            )
    entry = _entry_from(first, [r for a in actions for r in copy.deepcopy(a.records or [])])
    invoice_date = call.query_date("invoicedate")
    due_date = call.query_date("duedate")
    delivery_date = call.query_date("deliverydate")
    entry.invoice_date = midnight(invoice_date) if invoice_date else first.invoice_date
    entry.due_date = midnight(due_date) if due_date else first.due_date
    entry.delivery_date = midnight(delivery_date) if delivery_date else first.delivery_date
    entry.message = first.message
    entry.invoice_fee, entry.freight_fee = first.invoice_fee, first.freight_fee
    merged = build_invoice(call, entry, first.action_type or m.ActionType.INVOICE_ACTION)
    add_event(merged, m.EventType.UPDATED, "Merged from " + ", ".join(ids))
    for action in actions:
        _delete(call.state, action)
    store_invoice(call.state, merged)


# -- invoice sales and financing ------------------------------------------------------------------


@routes("PUT", "/v1/invoice/sellinvoice/{id}")
async def sell_invoice(call: Call) -> None:
    """The emulator's creditors have no invoice sales contracts (only Billecta sets them up)."""
    action = _invoice(call)
    require_attested(action, "sold")
    contract = call.query("salescontractpublicid")
    if contract:
        raise access_denied("invoice sales contract", contract)
    raise bad_request("The creditor has no invoice sales contract to sell the invoice with")


@routes("DELETE", "/v1/invoice/sellinvoice/{id}")
async def cancel_sale(call: Call) -> None:
    action = _invoice(call)
    raise bad_request(f"Invoice {action.action_public_id} has not been offered for sale")


@routes("PUT", "/v1/invoice/financeinvoice/{id}")
async def finance_invoice(call: Call) -> None:
    """The emulator's debtors have no debtor contracts (no endpoint creates one)."""
    action = _invoice(call)
    require_attested(action, "financed")
    contract = call.require_query("debtorcontractpublicid")
    raise access_denied("debtor contract", contract)
