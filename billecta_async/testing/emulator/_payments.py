"""Payments: incoming, unhandled and outgoing payments, cards, autogiro and refunds.

* Every payment registered on an invoice or a reconciliation invoice (by the API, Swish, a card
  or a match) is an incoming payment; an overpayment, or a payment created with
  ``create_unhandled_payment``, is an unhandled payment until it is matched or deleted.
* A standalone outgoing payment is Queued until the test-only status endpoint marks it
  Succeded or Failed; deleting a queued one aborts it.
* Card payment and "add card" intents are completed by the payer in a window: the emulator
  completes them :data:`CARD_DELAY` seconds (on its clock) after they were made, books the
  payment on the invoice or saves the card on the debtor. A completed card payment can be
  refunded, a pending one cancelled.
* A Swish payment that was paid can be refunded up to its amount.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from billecta_async import models as m
from billecta_async.testing.emulator._debtors import debtor_event
from billecta_async.testing.emulator._http import (
    ApiError,
    Call,
    access_denied,
    bad_request,
    day_of,
    new_id,
    now,
)
from billecta_async.testing.emulator._invoices import (
    add_event,
    apply_payment,
    currency_of,
    in_period,
    is_closed,
    money,
    new_state,
    positive_amount,
    require_attested,
    value_of,
)
from billecta_async.testing.emulator._reconciliation_invoices import (
    apply_reconciliation_payment,
    check_withdrawal_cancellable,
    reconciliation_closed,
)
from billecta_async.testing.emulator._routes import Routes
from billecta_async.testing.emulator._state import (
    EMPTY_GUID,
    Flow,
    OutgoingPaymentRecord,
    State,
    Timed,
)

routes = Routes()

#: Seconds after which the payer completes a card payment or card registration window.
CARD_DELAY = 3.0

CardStatus = m.CreditCardPaymentStatusType
Unhandled = m.UnhandledPaymentStateTypeView
Outgoing = m.OutgoingPaymentStatusType
Action = m.InvoiceAction | m.ReconciliationInvoiceAction


def invoice_or_reconciliation(call: Call, action_public_id: str | None) -> Action:
    """An invoice or a reconciliation invoice of the user's creditors (401 otherwise)."""
    key = (action_public_id or "").strip().lower()
    if key in call.state.reconciliation_invoices:
        return call.owned(call.state.reconciliation_invoices, key, "reconciliation invoice")
    return call.owned(call.state.invoices, key, "invoice")


def require_payable(action: Action, doing: str) -> None:
    if isinstance(action, m.InvoiceAction):
        require_attested(action, doing)
    elif reconciliation_closed(action):
        raise bad_request(f"The reconciliation invoice is completed and cannot be {doing}")


def book_payment(
    state: State,
    action: Action,
    amount: int,
    *,
    payment_date: datetime | None = None,
    payment_mean_code: str | None = None,
    reference: str | None = None,
) -> m.IncomingPayment:
    """Register a payment on an invoice or a reconciliation invoice."""
    if isinstance(action, m.InvoiceAction):
        return apply_payment(
            state,
            action,
            amount,
            payment_date=payment_date,
            payment_mean_code=payment_mean_code,
            reference=reference,
        )
    return apply_reconciliation_payment(
        state, action, amount, payment_date=payment_date, payment_mean_code=payment_mean_code
    )


def _closed(action: Action) -> bool:
    if isinstance(action, m.InvoiceAction):
        return is_closed(action)
    return reconciliation_closed(action)


# -- card windows completing ----------------------------------------------------------------------


def settle(state: State) -> None:
    """Complete every card window whose payer has acted (:data:`CARD_DELAY` has passed)."""
    moment = state.clock.now()
    for timed_payment in state.card_payments.values():
        if not timed_payment.settled and timed_payment.done(moment):
            _settle_payment(state, timed_payment)
    for timed_add in state.card_adds.values():
        if not timed_add.settled and timed_add.done(moment):
            _settle_add(state, timed_add)


def _settle_payment(state: State, timed: Timed[m.CreditCardPayment]) -> None:
    timed.settled = True
    payment = timed.value
    key = payment.action_public_id or ""
    action: Action | None = state.invoices.get(key) or state.reconciliation_invoices.get(key)
    if action is None or _closed(action):
        payment.status = CardStatus.FAILED
        payment.comment = "The invoice was closed before the card payment"
        return
    payment.status = CardStatus.SUCCEEDED
    payment.payment_date = now()
    payment.funding, payment.brand = "credit", "Visa"
    book_payment(state, action, value_of(payment.amount), payment_mean_code="CARD")


def _settle_add(state: State, timed: Timed[m.CreditCardAdd]) -> None:
    timed.settled = True
    intent = timed.value
    debtor = state.debtors.get(intent.debtor_public_id or "")
    if debtor is None:
        intent.status = m.CreditCardAddStatusType.FAILED
        return
    intent.status = m.CreditCardAddStatusType.SUCCEEDED
    card = m.DebtorCreditCard(
        credit_card_public_id=intent.public_id,
        created=now(),
        expires=now() + timedelta(days=3 * 365),
        masked_card_number="**** **** **** 4242",
        brand="Visa",
    )
    debtor.credit_cards = [*(debtor.credit_cards or []), card]
    debtor_event(state, debtor.debtor_public_id, m.EventType.CREDIT_CARD_ADDED, "Card saved")


def _window_url(call: Call, kind: str, public_id: str) -> str:
    return f"{call.request.url.origin()}/emulator/{kind}/{public_id}"


def _require_urls(what: str, success_url: str | None, failure_url: str | None) -> None:
    if not success_url or not failure_url:
        raise bad_request(f"{what}.SuccessUrl and FailureUrl are required")


# -- saved cards on debtors -----------------------------------------------------------------------


@routes("POST", "/v1/debtors/addcreditcard")
async def create_card_add_intent(call: Call) -> m.CreditCardAdd:
    intent: m.CreditCardAddIntent = call.require_body()
    debtor = call.owned(call.state.debtors, intent.debtor_public_id, "debtor")
    _require_urls("CreditCardAddIntent", intent.success_url, intent.failure_url)
    public_id = new_id()
    added = m.CreditCardAdd(
        public_id=public_id,
        creditor_public_id=debtor.creditor_public_id or "",
        debtor_public_id=debtor.debtor_public_id or "",
        status=m.CreditCardAddStatusType.PENDING,
        add_window_url=_window_url(call, "addcreditcard", public_id),
        success_url=intent.success_url,
        failure_url=intent.failure_url,
        created=now(),
        language=intent.language or m.LanguageType.SV,
    )
    call.state.card_adds[public_id] = Timed(added, call.state.clock.now(), CARD_DELAY)
    return added


def _card_add(call: Call) -> Timed[m.CreditCardAdd]:
    timed = call.state.card_adds.get(call.path().strip().lower())
    if timed is None or timed.value.creditor_public_id not in call.account.creditor_ids:
        raise access_denied("credit card", call.path())
    return timed


@routes("GET", "/v1/debtors/addcreditcard/{id}")
async def get_card_add_intent(call: Call) -> m.CreditCardAdd:
    return _card_add(call).value


@routes("DELETE", "/v1/debtors/addcreditcard/{id}")
async def delete_card(call: Call) -> None:
    """Deletes the card saved through the intent (and the intent, pending or not)."""
    timed = _card_add(call)
    intent = timed.value
    debtor = call.state.debtors.get(intent.debtor_public_id or "")
    if debtor is not None:
        kept = [c for c in debtor.credit_cards or [] if c.credit_card_public_id != intent.public_id]
        if len(kept) != len(debtor.credit_cards or []):
            debtor.credit_cards = kept
            debtor_event(
                call.state, debtor.debtor_public_id, m.EventType.CREDIT_CARD_REMOVED, "Card deleted"
            )
    del call.state.card_adds[intent.public_id or ""]


# -- card payments --------------------------------------------------------------------------------


def _create_card_payment(call: Call) -> m.CreditCardPayment:
    intent: m.CreditCardPaymentIntentView = call.require_body()
    action = invoice_or_reconciliation(call, intent.action_public_id)
    require_payable(action, "paid by card")
    _require_urls("CreditCardPaymentIntent", intent.success_url, intent.failure_url)
    amount = value_of(action.current_amount)
    if amount <= 0:
        raise bad_request("Nothing remains to be paid on the invoice")
    for timed in call.state.card_payments.values():
        other = timed.value
        if other.action_public_id == action.action_public_id and (
            other.status == CardStatus.PENDING
        ):
            raise bad_request("A card payment of the invoice is already pending")
    public_id = new_id()
    currency = currency_of(action.current_amount)
    payment = m.CreditCardPayment(
        payment_public_id=public_id,
        creditor_public_id=action.creditor_public_id,
        status=CardStatus.PENDING,
        amount=money(amount, currency),
        refunded_amount=money(0, currency),
        action_public_id=action.action_public_id,
        action_type=getattr(action, "action_type", None)
        or m.ActionType.RECONCILIATION_INVOICE_ACTION,
        payment_window_url=_window_url(call, "creditcardpayment", public_id),
        success_url=intent.success_url,
        failure_url=intent.failure_url,
        created=now(),
        language=intent.language or m.LanguageType.SV,
    )
    call.state.card_payments[public_id] = Timed(payment, call.state.clock.now(), CARD_DELAY)
    if isinstance(action, m.InvoiceAction):
        action_state = action.state or new_state()
        action_state.credit_card_payment_public_id = public_id
        action.state = action_state
    return payment


@routes("POST", "/v1/invoice/creditcardpayment")
async def create_invoice_card_payment(call: Call) -> m.CreditCardPayment:
    return _create_card_payment(call)


@routes("POST", "/v1/reconciliationinvoice/creditcardpayment")
async def create_reconciliation_card_payment(call: Call) -> m.CreditCardPayment:
    return _create_card_payment(call)


def _card_payment(call: Call, payment_public_id: str | None) -> Timed[m.CreditCardPayment]:
    timed = call.state.card_payments.get((payment_public_id or "").strip().lower())
    if timed is None or timed.value.creditor_public_id not in call.account.creditor_ids:
        raise access_denied("card payment", payment_public_id)
    return timed


def _cancel_card_payment(call: Call) -> None:
    """The id is the card payment's, or the action's (its pending card payment)."""
    wanted = call.path().strip().lower()
    timed = call.state.card_payments.get(wanted)
    if timed is None:
        invoice_or_reconciliation(call, wanted)  # 401 for what the user may not see
        pending = [
            t
            for t in call.state.card_payments.values()
            if (t.value.action_public_id or "").lower() == wanted
            and t.value.status == CardStatus.PENDING
        ]
        if not pending:
            raise bad_request("The invoice has no pending card payment")
        timed = pending[0]
    timed = _card_payment(call, timed.value.payment_public_id)
    if timed.value.status != CardStatus.PENDING:
        raise bad_request(
            f"The card payment is {timed.value.status.value if timed.value.status else '?'} "
            "and can no longer be cancelled"
        )
    timed.settled = True
    timed.value.status = CardStatus.FAILED
    timed.value.comment = "Cancelled"


@routes("DELETE", "/v1/invoice/creditcardpayment/{id}")
async def cancel_invoice_card_payment(call: Call) -> None:
    _cancel_card_payment(call)


@routes("DELETE", "/v1/reconciliationinvoice/creditcardpayment/{id}")
async def cancel_reconciliation_card_payment(call: Call) -> None:
    _cancel_card_payment(call)


@routes("GET", "/v1/invoice/creditcardpayments/{id}")
async def list_card_payments(call: Call) -> list[m.CreditCardPayment]:
    action = invoice_or_reconciliation(call, call.path())
    return [
        t.value
        for t in call.state.card_payments.values()
        if t.value.action_public_id == action.action_public_id
    ]


def _refund_card_payment(call: Call) -> m.Created:
    refund: m.CardRefundPayment = call.require_body()
    timed = _card_payment(call, refund.payment_public_id)
    payment = timed.value
    if payment.status != CardStatus.SUCCEEDED:
        raise bad_request("Only a completed card payment can be refunded")
    refunded = _refund(
        call, payment.action_public_id, payment.amount, payment.refunded_amount, refund.amount
    )
    payment.refunded_amount = refunded
    if value_of(refunded) >= value_of(payment.amount):
        payment.status = CardStatus.REFUNDED
    return m.Created(public_id=new_id())


def _refund(
    call: Call,
    action_public_id: str | None,
    paid: m.Amount | None,
    refunded: m.Amount | None,
    asked: m.Amount | None,
) -> m.Amount:
    """The refunded amount after refunding ``asked`` (at most what remains of ``paid``)."""
    amount = value_of(asked)
    left = value_of(paid) - value_of(refunded)
    if not 0 < amount <= left:
        raise bad_request(f"The refund must be positive and at most {left} (got {amount})")
    currency = currency_of(paid)
    key = action_public_id or ""
    action: Any = call.state.invoices.get(key) or call.state.reconciliation_invoices.get(key)
    if action is not None:
        add_event(action, m.EventType.PAYMENT_REFUNDED, "Payment refunded", f"{amount / 100:.2f}")
    return money(value_of(refunded) + amount, currency)


@routes("PUT", "/v1/invoice/refundcreditcardpayment")
async def refund_invoice_card_payment(call: Call) -> m.Created:
    return _refund_card_payment(call)


@routes("PUT", "/v1/reconciliationinvoice/refundcreditcardpayment")
async def refund_reconciliation_card_payment(call: Call) -> None:
    _refund_card_payment(call)


def _refund_swish_payment(call: Call) -> m.Created:
    refund: m.SwishRefundPayment = call.require_body()
    flow: Flow | None = call.state.flows.get((refund.payment_public_id or "").strip().lower())
    if (
        flow is None
        or flow.kind != "swish"
        or flow.creditor_public_id not in call.account.creditor_ids
    ):
        raise access_denied("Swish payment", refund.payment_public_id)
    if not flow.booked:
        raise bad_request("Only a paid Swish payment can be refunded")
    refunded = _refund(
        call,
        flow.action_public_id,
        money(flow.amount, "SEK"),
        money(flow.refunded, "SEK"),
        refund.amount,
    )
    flow.refunded = value_of(refunded)
    return m.Created(public_id=new_id())


@routes("PUT", "/v1/invoice/refundswishpayment")
async def refund_invoice_swish_payment(call: Call) -> m.Created:
    return _refund_swish_payment(call)


@routes("PUT", "/v1/reconciliationinvoice/refundswishpayment")
async def refund_reconciliation_swish_payment(call: Call) -> None:
    _refund_swish_payment(call)


# -- withdrawals: autogiro and saved cards --------------------------------------------------------


def _invoice(call: Call) -> m.InvoiceAction:
    return call.owned(call.state.invoices, call.path(), "invoice")


@routes("POST", "/v1/invoice/autogiro/{id}")
async def create_autogiro_withdrawal(call: Call) -> None:
    """On the latest of today and the due date; the debtor needs an active autogiro."""
    action = _invoice(call)
    require_attested(action, "withdrawn by autogiro")
    debtor = call.state.debtors.get(action.debtor.debtor_public_id or "") if action.debtor else None
    if debtor is None or debtor.autogiro is None or not debtor.autogiro.active:
        raise bad_request("The debtor has no active autogiro approval")
    if action.autogiro is not None and action.autogiro.autogiro_withdrawal_enabled:
        raise bad_request("An autogiro withdrawal is already planned")
    due = day_of(action.due_date) or now().date()
    call.state.autogiro_dates[action.action_public_id or ""] = max(due, now().date())
    action.autogiro = m.AutogiroWithdrawal(autogiro_withdrawal_enabled=True)
    add_event(action, m.EventType.AUTOGIRO_WITHDRAWAL, "Autogiro withdrawal planned")


@routes("DELETE", "/v1/invoice/autogiro/{id}")
async def cancel_autogiro_withdrawal(call: Call) -> None:
    """Not possible from the day before the withdrawal date."""
    action = _invoice(call)
    planned = action.autogiro is not None and action.autogiro.autogiro_withdrawal_enabled
    key = action.action_public_id or ""
    check_withdrawal_cancellable(call.state.autogiro_dates.get(key) if planned else None)
    del call.state.autogiro_dates[key]
    action.autogiro = m.AutogiroWithdrawal(autogiro_withdrawal_enabled=False)
    add_event(action, m.EventType.AUTOGIRO_CANCELLED_WITHDRAWAL, "Autogiro withdrawal cancelled")


@routes("POST", "/v1/invoice/creditcardwithdrawal/{id}")
async def create_card_withdrawal(call: Call) -> None:
    """From the debtor's saved card, on the latest of ``paymentdate``, today and the due
    date."""
    action = _invoice(call)
    require_attested(action, "withdrawn from a card")
    debtor = call.state.debtors.get(action.debtor.debtor_public_id or "") if action.debtor else None
    if debtor is None or not debtor.credit_cards:
        raise bad_request("The debtor has no saved credit card")
    day = max(
        call.query_date("paymentdate") or now().date(), day_of(action.due_date) or now().date()
    )
    action.credit_card = m.CreditCardWithdrawal(credit_card_withdrawal_enabled=True)
    add_event(action, m.EventType.CREDIT_CARD_WITHDRAWAL, "Card withdrawal planned", str(day))


# -- incoming payments ----------------------------------------------------------------------------


@routes("PUT", "/v1/payments/incomingpayments")
async def list_incoming_payments(call: Call) -> list[m.IncomingPayment]:
    """Payments registered on invoices and reconciliation invoices, by payment date, narrowed
    by the filters given."""
    request: m.IncomingPaymentRequest = call.require_body()
    creditor_public_id = call.creditor(request.creditor_public_id)
    start, end = day_of(request.from_), day_of(request.to)
    means = set(request.payment_mean_code_filter or [])
    actions = {a.lower() for a in request.action_public_id_filter or []}
    projects = set(request.project_number_filter or [])
    found = []
    for payment in call.state.incoming_payments:
        if payment.creditor_public_id != creditor_public_id:
            continue
        if not in_period(payment.payment_date, start, end):
            continue
        if means and payment.payment_mean_code not in means:
            continue
        if actions and (payment.action_public_id or "").lower() not in actions:
            continue
        if projects:
            invoice = call.state.invoices.get(payment.action_public_id or "")
            if invoice is None or not projects & {r.project for r in invoice.records or []}:
                continue
        found.append(payment)
    return found


# -- unhandled payments ---------------------------------------------------------------------------


@routes("POST", "/v1/payments/unhandledpayments")
async def create_unhandled_payment(call: Call) -> m.Created:
    """Test environments only: an unmatched payment (or an overpayment, by its type)."""
    payment: m.UnhandledPayment = call.require_body()
    creditor_public_id = call.creditor(payment.creditor_public_id)
    positive_amount(payment.amount, "UnhandledPayment.Amount")
    if payment.debtor_public_id:
        call.owned(call.state.debtors, payment.debtor_public_id, "debtor")
    payment.creditor_public_id = creditor_public_id
    payment.unhandled_payment_public_id = new_id()
    payment.creditor_name = (call.state.creditors.get(creditor_public_id) or m.Creditor()).name
    payment.state = Unhandled.UNHANDLED
    payment.unhandled_payment_type = (
        payment.unhandled_payment_type or m.UnhandledPaymentTypeView.UNMATCHED_PAYMENT
    )
    payment.payment_date = payment.payment_date or now()
    payment.created_by = call.account.username
    call.state.unhandled_payments[payment.unhandled_payment_public_id] = payment
    over = payment.unhandled_payment_type == m.UnhandledPaymentTypeView.OVER_PAYMENT
    call.state.emit("Overpayment" if over else "UnmatchedPayment", creditor_public_id, payment)
    return m.Created(public_id=payment.unhandled_payment_public_id)


@routes("GET", "/v1/payments/unhandledpayment/{id}")
async def get_unhandled_payment(call: Call) -> m.UnhandledPayment:
    """In any state (matched and deleted ones too)."""
    return call.owned(call.state.unhandled_payments, call.path(), "unhandled payment")


@routes("GET", "/v1/payments/unhandledpayments/{id}")
async def list_unhandled_payments(call: Call) -> list[m.UnhandledPayment]:
    """The payments still Unhandled, of the creditor (of all the user's without one)."""
    wanted = call.path().strip()
    creditors = {call.creditor(wanted)} if wanted else set(call.account.creditor_ids)
    return [
        p
        for p in call.state.unhandled_payments.values()
        if p.creditor_public_id in creditors and p.state == Unhandled.UNHANDLED
    ]


@routes("DELETE", "/v1/payments/unhandledpayments")
async def delete_unhandled_payment(call: Call) -> None:
    payment = call.owned(
        call.state.unhandled_payments,
        call.require_query("paymentpublicid"),
        "unhandled payment",
    )
    call.query_date("transactiondate")  # 400 when it is not a date
    if payment.state != Unhandled.UNHANDLED:
        raise bad_request(
            f"The payment is {payment.state.value if payment.state else '?'}, not Unhandled"
        )
    payment.state = Unhandled.DELETED


@routes("POST", "/v1/payments/matchpayments/{id}")
async def match_payments(call: Call) -> list[m.PaymentMatchResultView]:
    """Each match is tried on its own and answered with whether it succeeded."""
    creditor_public_id = call.creditor(call.path())
    matches: list[m.PaymentMatch] = call.require_body()
    results = []
    for match in matches:
        try:
            payment = call.owned(
                call.state.unhandled_payments, match.unhandled_payment_public_id, "payment"
            )
            if payment.creditor_public_id != creditor_public_id:
                raise access_denied("unhandled payment", match.unhandled_payment_public_id)
            if payment.state != Unhandled.UNHANDLED:
                raise bad_request("The payment has already been handled")
            action = invoice_or_reconciliation(call, match.action_public_id)
            if action.creditor_public_id != creditor_public_id:
                raise access_denied("invoice", match.action_public_id)
            require_payable(action, "paid")
            book_payment(
                call.state,
                action,
                value_of(payment.amount),
                payment_date=match.payment_date or payment.payment_date,
                reference=payment.reference,
            )
            payment.state = Unhandled.USED_ON_INVOICE
            results.append(
                m.PaymentMatchResultView(
                    unhandled_payment_public_id=match.unhandled_payment_public_id or EMPTY_GUID,
                    successfull=True,
                    response_message="Matched",
                )
            )
        except ApiError as refused:
            results.append(
                m.PaymentMatchResultView(
                    unhandled_payment_public_id=match.unhandled_payment_public_id or EMPTY_GUID,
                    successfull=False,
                    response_message=refused.message,
                )
            )
    return results


# -- outgoing payments ----------------------------------------------------------------------------


@routes("POST", "/v1/payments/outgoingpayments")
async def create_outgoing_payment(call: Call) -> m.Created:
    payment: m.OutgoingPayment = call.require_body()
    creditor_public_id = call.creditor(payment.creditor_public_id)
    positive_amount(payment.amount, "OutgoingPayment.Amount")
    receiving = (
        payment.receiving_bankgiro_no
        or payment.receiving_plusgiro_no
        or (payment.receiving_clearing_no and payment.receiving_account_no)
        or payment.receiver_iban
    )
    if not receiving:
        raise bad_request(
            "OutgoingPayment needs the receiver's bankgiro, plusgiro, clearing and account "
            "number, or IBAN"
        )
    if payment.bank_id_reference_token:
        flow = call.state.flows.get(payment.bank_id_reference_token.lower())
        if flow is None or flow.kind != "bankid-sign":
            raise access_denied("BankID reference", payment.bank_id_reference_token)
        if not flow.done(call.state.clock.now()) or flow.outcome != "Complete":
            raise bad_request("The BankID sign of the payment is not complete")
    public_id = new_id()
    status = m.OutgoingPaymentStatus(
        payment_public_id=public_id,
        creditor_public_id=creditor_public_id,
        sending_bankgiro_no=payment.sending_bankgiro_no,
        receiving_bankgiro_no=payment.receiving_bankgiro_no,
        receiving_plusgiro_no=payment.receiving_plusgiro_no,
        receiving_clearing_no=payment.receiving_clearing_no,
        receiving_account_no=payment.receiving_account_no,
        receiver_name=payment.receiver_name,
        amount=payment.amount,
        is_salary_payment=bool(payment.is_salary_payment),
        payment_date=payment.payment_date or now(),
        status=Outgoing.QUEUED,
        reference=payment.reference,
        comment=payment.comment,
    )
    call.state.outgoing_payments[public_id] = OutgoingPaymentRecord(status, now())
    return m.Created(public_id=public_id)


def _outgoing(call: Call) -> OutgoingPaymentRecord:
    record = call.state.outgoing_payments.get(call.path().strip().lower())
    if record is None or record.status.creditor_public_id not in call.account.creditor_ids:
        raise access_denied("outgoing payment", call.path())
    return record


@routes("GET", "/v1/payments/outgoingpayments/{id}")
async def get_outgoing_payments(
    call: Call,
) -> m.OutgoingPaymentStatus | list[m.OutgoingPaymentStatus]:
    """Two documented forms: the creditor's payments created between ``from`` and ``to``,
    or (without them) the one payment the id names."""
    if "from" not in call.form.query:
        return _outgoing(call).status
    creditor_public_id = call.creditor(call.path())
    start = call.query_date("from", required=True)
    end = call.query_date("to", required=True)
    assert start is not None and end is not None
    return [
        r.status
        for r in call.state.outgoing_payments.values()
        if r.status.creditor_public_id == creditor_public_id and start <= day_of(r.created) <= end
    ]


@routes("PUT", "/v1/payments/outgoingpayments/{id}")
async def set_outgoing_payment_status(call: Call) -> None:
    """Test environments only: the bank's answer, Succeded or Failed."""
    record = _outgoing(call)
    succeeded = call.query_bool("wassuccessful")
    if succeeded is None:
        raise bad_request("The query parameter 'wassuccessful' is required")
    if record.status.status not in (Outgoing.QUEUED, Outgoing.PROCESSING):
        raise bad_request(f"The payment is already {record.status.status}")
    record.status.status = Outgoing.SUCCEDED if succeeded else Outgoing.FAILED
    record.status.verification_date = now()
    event = "OutgoingPaymentSucceeded" if succeeded else "OutgoingPaymentFailed"
    call.state.emit(event, record.status.creditor_public_id, record.status)


@routes("DELETE", "/v1/payments/outgoingpayments/{id}")
async def delete_outgoing_payment(call: Call) -> None:
    """A queued payment is aborted; one the bank has handled cannot be."""
    record = _outgoing(call)
    if record.status.status != Outgoing.QUEUED:
        raise bad_request(f"The payment is {record.status.status} and cannot be cancelled")
    record.status.status = Outgoing.ABORTED
