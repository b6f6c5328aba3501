"""BankID authentication and sign, Swish payments and bank-account retrieval.

The outcomes follow the reference's test numbers, after their documented delays measured on
the emulator's clock (share a ``ScaledClock`` to make ten seconds last milliseconds):

* BankID: 19800113-9297 -> Complete after 10 s, 19700123-9297 -> Error after 10 s,
  19600106-2626 -> NoClient after 2 s. Any other number (or none: the user's own device)
  completes after 10 s. Before that the status is OutstandingTransaction, then Started.
* Bank accounts: 19800113-9297 -> Success after 10 s, 19700123-9297 -> Failed after 10 s;
  any other number succeeds after 10 s. Waiting before that.
* Swish: 46701234567 -> Declined, 46707654321 -> Error, other numbers -> Paid, after
  :data:`SWISH_DELAY` s; Created before that. A paid Swish payment is registered on the invoice
  (or the reconciliation invoice) it pays.
"""

from __future__ import annotations

import base64
from typing import TypeVar

from billecta_async import models as m
from billecta_async.testing.emulator._http import ApiError, Call, bad_request, new_id, now
from billecta_async.testing.emulator._invoices import apply_payment, value_of
from billecta_async.testing.emulator._payments import invoice_or_reconciliation, require_payable
from billecta_async.testing.emulator._reconciliation_invoices import (
    apply_reconciliation_payment,
    reconciliation_closed,
)
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import Flow

routes = Routes()
S = TypeVar("S", m.BankIdAuthenticationStatus, m.BankIdSignStatus)

BANKID_OUTCOMES = {
    "198001139297": ("Complete", 10.0),
    "197001239297": ("Error", 10.0),
    "196001062626": ("NoClient", 2.0),
}
BANKID_DEFAULT = ("Complete", 10.0)
BANK_ACCOUNT_OUTCOMES = {"198001139297": ("Success", 10.0), "197001239297": ("Failed", 10.0)}
BANK_ACCOUNT_DEFAULT = ("Success", 10.0)
SWISH_OUTCOMES = {"46701234567": "Declined", "46707654321": "Error"}
SWISH_DEFAULT = "Paid"
SWISH_DELAY = 3.0
#: A 1x1 PNG, offered as the QR code while a bank waits for the user.
QR_PNG = "data:image/png;base64, " + base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
).decode("ascii")


def person_number(value: str | None) -> str:
    """12 digits (``19800113-9297`` -> ``198001139297``); 400 for anything else but empty."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    if value and len(digits) != 12:
        raise bad_request(f"SSN must be a Swedish person number of 12 digits (got {value!r})")
    return digits


def _flow(call: Call, kind: str) -> Flow:
    flow = call.state.flows.get(call.path().strip().lower())
    if (
        flow is None
        or flow.kind != kind
        or flow.creditor_public_id not in call.account.creditor_ids
    ):
        raise ApiError(401, f"Access denied: unknown {kind} reference {call.path()!r}")
    return flow


def _start(call: Call, kind: str, creditor: str, subject: str, outcome: tuple[str, float]) -> Flow:
    flow = Flow(
        public_id=new_id(),
        creditor_public_id=creditor,
        kind=kind,
        started=call.state.clock.now(),
        delay=outcome[1],
        outcome=outcome[0],
        subject=subject,
    )
    call.state.flows[flow.public_id] = flow
    return flow


# -- BankID ---------------------------------------------------------------------------------------


def _bankid_status(call: Call, flow: Flow, model: type[S]) -> S:
    moment = call.state.clock.now()
    if flow.done(moment):
        status = m.BankIdStatusType(flow.outcome)
    elif moment - flow.started >= min(1.0, flow.delay / 2):
        status = m.BankIdStatusType.STARTED
    else:
        status = m.BankIdStatusType.OUTSTANDING_TRANSACTION
    answer = model(
        status=status,
        ssn=flow.subject or None,
        reference_token=flow.public_id,
        auto_start_token=flow.public_id.replace("-", "")[:32],
        created=now(),
    )
    if status == m.BankIdStatusType.COMPLETE:
        answer.given_name, answer.surname = "Test", "Testsson"
        answer.name, answer.ip_address = "Test Testsson", "127.0.0.1"
        answer.signature = base64.b64encode(b"emulated signature").decode()
    elif status == m.BankIdStatusType.NO_CLIENT:
        answer.hint_code = m.BankIdHintCodeType.NO_CLIENT
    elif status == m.BankIdStatusType.ERROR:
        answer.hint_code = m.BankIdHintCodeType.USER_CANCEL
    elif status == m.BankIdStatusType.STARTED:
        answer.hint_code = m.BankIdHintCodeType.STARTED
    else:
        answer.hint_code = m.BankIdHintCodeType.OUTSTANDING_TRANSACTION
    return answer


def _start_bankid(call: Call, kind: str) -> Flow:
    request = call.require_body()
    creditor = call.creditor(request.creditor_public_id)
    ssn = person_number(request.ssn)
    return _start(call, kind, creditor, ssn, BANKID_OUTCOMES.get(ssn, BANKID_DEFAULT))


@routes("PUT", "/v1/bankid/authentication")
async def create_authentication(call: Call) -> m.BankIdAuthenticationStatus:
    return _bankid_status(call, _start_bankid(call, "bankid-auth"), m.BankIdAuthenticationStatus)


@routes("POST", "/v1/bankid/phoneauthentication")
async def create_phone_authentication(call: Call) -> m.BankIdAuthenticationStatus:
    return _bankid_status(call, _start_bankid(call, "bankid-auth"), m.BankIdAuthenticationStatus)


@routes("GET", "/v1/bankid/authentication/{id}")
async def get_authentication(call: Call) -> m.BankIdAuthenticationStatus:
    return _bankid_status(call, _flow(call, "bankid-auth"), m.BankIdAuthenticationStatus)


@routes("PUT", "/v1/bankid/sign")
async def create_sign(call: Call) -> m.BankIdSignStatus:
    return _bankid_status(call, _start_bankid(call, "bankid-sign"), m.BankIdSignStatus)


@routes("GET", "/v1/bankid/sign/{id}")
async def get_sign(call: Call) -> m.BankIdSignStatus:
    return _bankid_status(call, _flow(call, "bankid-sign"), m.BankIdSignStatus)


# -- bank accounts --------------------------------------------------------------------------------


@routes("POST", "/v1/bank/accounts/{id}")
async def initiate_account_retrieval(call: Call) -> m.Created:
    creditor = call.creditor(call.path())
    bank = call.require_query("bank")
    try:
        bank_type = m.BankAccountBankType(bank)
    except ValueError:
        raise bad_request(f"'{bank}' is not a supported bank (BankAccountBankType)") from None
    ssn = person_number(call.require_query("ssn"))
    flow = _start(
        call, "bank-accounts", creditor, ssn, BANK_ACCOUNT_OUTCOMES.get(ssn, BANK_ACCOUNT_DEFAULT)
    )
    flow.bank = bank_type
    flow.other_device = call.query_bool("other_device")
    return m.Created(public_id=flow.public_id)


@routes("GET", "/v1/bank/accounts/{id}")
async def get_account_retrieval(call: Call) -> m.BankAccountRequest:
    flow = _flow(call, "bank-accounts")
    answer = m.BankAccountRequest(
        public_id=flow.public_id,
        bank=flow.bank or m.BankAccountBankType.UNKNOWN,  # always set: the call requires it
        ssn=flow.subject,
        status=m.BankAccountStatusType.WAITING,
        is_bank_id_autostart_token_required=False,
    )
    if not flow.done(call.state.clock.now()):
        answer.qr = QR_PNG if flow.other_device else None
        answer.bank_id_autostart_token = (
            None if flow.other_device else flow.public_id.replace("-", "")
        )
        answer.is_bank_id_autostart_token_required = not flow.other_device
    elif flow.outcome == "Success":
        answer.status = m.BankAccountStatusType.SUCCESS
        answer.account_numbers = [
            m.BankAccount(
                number="1234567",
                clearing_no="8327",
                account_no="9412345678",
                name="Privatkonto",
                type="Checking",
                autogiro_compatible=m.AutogiroCompatibleType.APPROVED,
                iban="SE4550000000058398257466",
                holder_name="Test Testsson",
            )
        ]
    else:
        answer.status = m.BankAccountStatusType.FAILED
        answer.failure_code = "userCancel"
        answer.failure_message = "The user cancelled the BankID identification"
    return answer


# -- Swish ----------------------------------------------------------------------------------------


@routes("POST", "/v1/payments/swish/{id}")
async def create_swish_payment(call: Call) -> m.Created:
    action = invoice_or_reconciliation(call, call.path())
    require_payable(action, "paid with Swish")
    phone = "".join(ch for ch in call.require_query("phone") if ch.isdigit())
    if not 8 <= len(phone) <= 15:
        raise bad_request(f"phone must be a phone number (got {call.query('phone')!r})")
    message = call.query("message")
    if message is not None and len(message) > 50:
        raise bad_request(f"message must be at most 50 characters (got {len(message)})")
    flow = _start(
        call,
        "swish",
        action.creditor_public_id or "",
        phone,
        (SWISH_OUTCOMES.get(phone, SWISH_DEFAULT), SWISH_DELAY),
    )
    flow.action_public_id = action.action_public_id
    flow.amount = value_of(action.current_amount)
    if isinstance(action, m.InvoiceAction) and action.state is not None:
        action.state.swish_payment_public_id = flow.public_id
    return m.Created(public_id=flow.public_id)


@routes("GET", "/v1/payments/swish/{id}")
async def get_swish_payment(call: Call) -> m.SwishPaymentStatus:
    flow = _flow(call, "swish")
    amount = flow.amount
    answer = m.SwishPaymentStatus(
        payment_request_token=flow.public_id,
        amount=m.Amount(currency_code="SEK", value=amount),
        refunded_amount=m.Amount(currency_code="SEK", value=flow.refunded),
        created=now(),
        status=m.SwishStatusType.CREATED,
    )
    if not flow.done(call.state.clock.now()):
        return answer
    answer.status = m.SwishStatusType(flow.outcome)
    if flow.outcome == "Paid":
        answer.paid_date = now()
        if not flow.booked:  # the payment is booked on the invoice once
            flow.booked = True
            key = flow.action_public_id or ""
            invoice = call.state.invoices.get(key)
            reconciliation = call.state.reconciliation_invoices.get(key)
            if invoice is not None and invoice.state is not None:
                apply_payment(call.state, invoice, amount, payment_mean_code="SWISH")
            elif reconciliation is not None and not reconciliation_closed(reconciliation):
                apply_reconciliation_payment(
                    call.state, reconciliation, amount, payment_mean_code="SWISH"
                )
    elif flow.outcome == "Declined":
        answer.error_code = "RF07"
        answer.error_message = "Payer declined the payment"
    else:
        answer.error_code = "TM01"
        answer.error_message = "Swish timed out before the payment was started"
    return answer
