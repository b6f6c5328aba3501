"""Contract invoices: recurring invoice definitions.

``createinvoice`` generates an ordinary invoice (attested at once when ``AutoAttest``) unless the
contract invoice is paused; the next run can be moved by whole recurrence periods. The autogiro
variants create the debtor, with autogiro on its account, and a contract invoice withdrawing the
amount every month, half year or year.
"""

from __future__ import annotations

import calendar
import copy
from datetime import datetime, timedelta

from billecta_async import models as m
from billecta_async.testing.emulator._debtors import new_debtor
from billecta_async.testing.emulator._http import Call, bad_request, midnight, new_id, now
from billecta_async.testing.emulator._invoices import (
    add_comment,
    add_event,
    build_invoice,
    invoice_pdf,
    money,
    store_and_attest,
    store_invoice,
    sub_of,
    totals,
)
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import State, copy_fields

routes = Routes()

CStage = m.ContractInvoiceActionStageType


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


def _contract_amount(contract: m.ContractInvoiceAction) -> m.Amount:
    total, _, currency = totals(
        copy.deepcopy(contract.records or []), bool(contract.vat_is_included)
    )
    return money(total, currency)


def _store_new_contract(call: Call, contract: m.ContractInvoiceAction) -> str:
    contract.creditor_public_id = _check_contract(call, contract)
    contract.action_public_id = new_id()
    contract.amount = _contract_amount(contract)
    start = contract.recurrence_details.start if contract.recurrence_details else None
    contract.state = m.ContractInvoiceActionState(
        stage=CStage.CREATED,
        is_paused=False,
        can_pause=True,
        can_resume=False,
        next_run_date=start or now(),
    )
    contract.events = []
    add_event(contract, m.EventType.CREATED, "Contract invoice created")
    call.state.contract_invoices[contract.action_public_id] = contract
    call.state.emit("ContractInvoiceActionCreated", contract.creditor_public_id, contract)
    return contract.action_public_id


@routes("POST", "/v1/contractinvoice/action")
async def create_contract(call: Call) -> m.Created:
    return m.Created(public_id=_store_new_contract(call, call.require_body()))


@routes("GET", "/v1/contractinvoice/action/{id}")
async def get_contract(call: Call) -> m.ContractInvoiceAction:
    return _contract(call)


@routes("PUT", "/v1/contractinvoice/action/{id}")
async def update_contract(call: Call) -> None:
    known = _contract(call)
    contract: m.ContractInvoiceAction = call.require_body()
    contract.creditor_public_id = _check_contract(call, contract)
    contract.action_public_id, contract.state = known.action_public_id, known.state
    contract.amount = _contract_amount(contract)
    contract.events = known.events
    add_event(contract, m.EventType.UPDATED, "Contract invoice updated")
    call.state.contract_invoices[known.action_public_id or ""] = contract
    call.state.emit("ContractInvoiceActionUpdated", contract.creditor_public_id, contract)


@routes("DELETE", "/v1/contractinvoice/action/{id}")
async def delete_contract(call: Call) -> None:
    contract = _contract(call)
    if contract.state is not None and contract.state.last_run_date is not None:
        raise bad_request(
            "A contract invoice that has generated invoices cannot be deleted; pause it instead"
        )
    del call.state.contract_invoices[contract.action_public_id or ""]


def _contract_pause(call: Call, paused: bool) -> m.ContractInvoiceAction:
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
    add_event(contract, m.EventType.PAUSED if paused else m.EventType.RESUMED, "")
    return contract


@routes("PUT", "/v1/contractinvoice/pause/{id}")
async def pause_contract(call: Call) -> None:
    _contract_pause(call, True)


@routes("PUT", "/v1/contractinvoice/resume/{id}")
async def resume_contract(call: Call) -> None:
    """``nextdate``: the earliest date the next invoice is created."""
    next_date = call.query_date("nextdate")
    contract = _contract_pause(call, False)
    if next_date is not None and contract.state is not None:
        contract.state.next_run_date = midnight(next_date)


def _invoice_record(record: m.ContractInvoiceActionRecord) -> m.InvoiceActionRecord:
    """The invoice record a contract record becomes (the fields both have, copied)."""
    return copy_fields(m.InvoiceActionRecord, record)


def _contract_invoice(call: Call, contract: m.ContractInvoiceAction) -> m.InvoiceAction:
    """The (unstored) invoice the contract invoice generates on its next run."""
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
        autogiro=(
            m.AutogiroWithdrawal(autogiro_withdrawal_enabled=True)
            if contract.autogiro_withdrawal_enabled
            else None
        ),
        credit_card=(
            m.CreditCardWithdrawal(credit_card_withdrawal_enabled=True)
            if contract.credit_card_withdrawal_enabled
            else None
        ),
    )
    action = build_invoice(call, entry, m.ActionType.INVOICE_ACTION)
    if contract.payment_terms_in_days and action.invoice_date is not None:
        action.due_date = action.invoice_date + timedelta(days=contract.payment_terms_in_days)
        action.payment_terms_in_days = contract.payment_terms_in_days
    action.contract_invoice_action_public_id = contract.action_public_id
    return action


@routes("PUT", "/v1/contractinvoice/createinvoice/{id}")
async def create_invoice_from_contract(call: Call) -> m.Created:
    contract = _contract(call)
    contract_state = contract.state or m.ContractInvoiceActionState()
    if contract_state.is_paused:
        raise bad_request("The contract invoice is paused; resume it before creating invoices")
    action = _contract_invoice(call, contract)
    if contract.auto_attest:
        store_and_attest(call.state, action)
    else:
        store_invoice(call.state, action)
    contract_state.stage = CStage.INVOICE_CREATED
    contract_state.last_run_date = now()
    contract.state = contract_state
    return m.Created(public_id=action.action_public_id or "")


@routes("GET", "/v1/contractinvoice/preview/{id}")
async def preview_contract(call: Call) -> bytes:
    return invoice_pdf(_contract_invoice(call, _contract(call)), None)


@routes("POST", "/v1/contractinvoice/preview")
async def preview_contract_entry(call: Call) -> bytes:
    """Previews the contract invoice sent, ignoring what is stored."""
    contract: m.ContractInvoiceAction = call.require_body()
    _check_contract(call, contract)
    return invoice_pdf(_contract_invoice(call, contract), None)


@routes("POST", "/v1/contractinvoice/comment")
async def comment_contract(call: Call) -> None:
    comment: m.CommentAction = call.require_body()
    add_comment(_contract(call, comment.action_public_id), comment)


def _recurrence_months(contract: m.ContractInvoiceAction) -> int:
    """How many months one run of the contract invoice covers (monthly unless it says)."""
    details = contract.recurrence_details or m.RecurrenceDetails()
    interval = details.recurrence_interval
    if interval == m.RecurrenceIntervalType.YEARLY:
        yearly = details.yearly_recurrence or m.YearlyRecurrence()
        return 12 * (yearly.recur_year_interval or 1)
    if interval == m.RecurrenceIntervalType.QUARTERLY:
        quarterly = details.quarterly_recurrence or m.QuarterlyRecurrence()
        return 3 * (quarterly.recur_quarter_interval or 1)
    monthly = details.monthly_recurrence or m.MonthlyRecurrence()
    return monthly.recur_month_interval or 1


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` moved by whole months (the day clamped to the month's last)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@routes("PUT", "/v1/contractinvoice/movenextrun/{id}")
async def move_next_run(call: Call) -> None:
    """Moves the next run ``steps`` recurrence periods forward (or back, when negative)."""
    contract = _contract(call)
    steps = call.query_int("steps")
    if not steps:
        raise bad_request("steps must be a non-zero number of periods")
    contract_state = contract.state or m.ContractInvoiceActionState()
    current = contract_state.next_run_date or now()
    contract_state.next_run_date = add_months(current, steps * _recurrence_months(contract))
    contract.state = contract_state
    add_event(contract, m.EventType.MOVED, "Next run moved", f"{steps:+d} periods")


AutogiroContract = (
    m.MonthlyAutogiroContractInvoice
    | m.HalfYearlyAutogiroContractInvoice
    | m.YearlyAutogiroContractInvoice
)


def _autogiro_contract(call: Call, months: int) -> m.Created:
    """A contract invoice withdrawing ``Amount`` by autogiro every ``months`` months, to a
    new debtor (the person in the request) with autogiro enabled on their account."""
    request: AutogiroContract = call.require_body()
    name = type(request).__name__
    creditor_public_id = call.creditor(request.creditor_public_id)
    for field, value in (
        ("Name", request.name),
        ("SSN", request.ssn),
        ("ClearingNumber", request.clearing_number),
        ("AccountNumber", request.account_number),
    ):
        if not value:
            raise bad_request(f"{name}.{field} is required")
    if not request.amount or request.amount <= 0:
        raise bad_request(f"{name}.Amount must be positive (got {request.amount})")
    day = request.withdrawal_day
    if day is None or not 1 <= day <= 28:
        raise bad_request(f"{name}.WithdrawalDay must be a day from 1 to 28 (got {day})")
    month = getattr(request, "withdrawal_month", None)
    if months > 1 and (month is None or not 1 <= month <= 12):
        raise bad_request(f"{name}.WithdrawalMonth must be a month from 1 to 12 (got {month})")
    start = request.start_date or now()
    if request.end_date is not None and request.end_date < start:
        raise bad_request(f"{name}.EndDate must not be before StartDate")
    debtor = m.Debtor(
        creditor_public_id=creditor_public_id,
        name=request.name,
        address=request.address,
        address2=request.address2,
        zip_code=request.zip_code,
        city=request.city,
        email=request.email,
        phone=request.phone,
        debtor_external_id=request.debtor_external_id,
        org_no=request.ssn,
        country_code="SE",
        autogiro=m.DebtorAutogiro(
            active=True,
            stage=m.AutogiroStageType.APPROVED,
            clearing_no=request.clearing_number,
            account_no=request.account_number,
            payment_service_supplier=request.bank,
            autogiro_first_withdrawal_date=start,
        ),
    )
    debtor_public_id = new_debtor(call, debtor)
    if debtor.autogiro is not None:
        debtor.autogiro.payer_number = debtor.debtor_no
    if months == 12:
        recurrence = m.RecurrenceDetails(
            recurrence_interval=m.RecurrenceIntervalType.YEARLY,
            yearly_recurrence=m.YearlyRecurrence(
                recur_on_day_in_month=day, recur_on_month=month, recur_year_interval=1
            ),
        )
    else:  # monthly, or every sixth month from WithdrawalMonth
        recurrence = m.RecurrenceDetails(
            recurrence_interval=m.RecurrenceIntervalType.MONTHLY,
            monthly_recurrence=m.MonthlyRecurrence(
                recur_on_day_in_month=day, recur_month_interval=months
            ),
        )
    recurrence.start, recurrence.end = start, request.end_date
    recurrence.no_end_date = request.end_date is None
    contract = m.ContractInvoiceAction(
        creditor_public_id=creditor_public_id,
        debtor_public_id=debtor_public_id,
        records=[
            m.ContractInvoiceActionRecord(
                article_description="Autogiro",
                quantity=1.0,
                unit_price=money(round(request.amount * 100), "SEK"),
                vat=0.0,
            )
        ],
        recurrence_details=recurrence,
        autogiro_withdrawal_enabled=True,
        auto_attest=True,
        reminder_invoice_details=m.ReminderInvoiceDetails(
            send_reminder_invoice=bool(request.enable_automatic_reminder)
        ),
        debt_collection_details=m.DebtCollectionDetails(
            send_to_debt_collection=bool(request.enable_automatic_debt_collection)
        ),
    )
    return m.Created(public_id=_store_new_contract(call, contract))


@routes("POST", "/v1/contractinvoice/monthlyrecurringautogiro")
async def create_monthly_autogiro(call: Call) -> m.Created:
    return _autogiro_contract(call, 1)


@routes("POST", "/v1/contractinvoice/halfyearlyrecurringautogiro")
async def create_half_yearly_autogiro(call: Call) -> m.Created:
    return _autogiro_contract(call, 6)


@routes("POST", "/v1/contractinvoice/yearlyrecurringautogiro")
async def create_yearly_autogiro(call: Call) -> m.Created:
    return _autogiro_contract(call, 12)


@routes("GET", "/v1/contractinvoice/generatedinvoices/{id}")
async def list_generated_invoices(call: Call) -> list[m.InvoiceActionSub]:
    contract = _contract(call)
    generated = [
        sub_of(call.state, a)
        for a in call.state.invoices.values()
        if a.contract_invoice_action_public_id == contract.action_public_id
    ]
    return call.page(generated)


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
