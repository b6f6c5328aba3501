"""Billecta's webhook event types and the type of ``Data`` / ``AdditionalData`` each one carries.

The event types are the schema's ``WebhookTriggerType``, which the schema builder completes from
the events table of Billecta's getting-started guide (section "Webhooks"); the table below gives
each event the types that table names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

from billecta_async._wire import Model
from billecta_async.models import (
    AutogiroApprovalCommentCode,
    AutogiroWithdrawalCommentCode,
    ContractInvoiceAction,
    Creditor,
    CreditorKyc,
    DebtCollectionAction,
    Debtor,
    DebtorContract,
    DebtorInformationCorrectionRequest,
    EInvoiceRegistration,
    IncomingPayment,
    InvoiceAction,
    InvoiceActionCommented,
    InvoiceDeliveryStatus,
    OutgoingPaymentStatus,
    Product,
    ReconciliationInvoiceAction,
    ReminderInvoiceAction,
    SelfInvoiceAction,
    UnhandledPayment,
    WebhookCreditorShare,
    WebhookTriggerType,
)

__all__ = ["WEBHOOK_PAYLOAD_TYPES", "PayloadType", "WebhookEventType", "WebhookPayloadTypes"]


WebhookEventType = WebhookTriggerType
"""The ``Event`` of a webhook: what happened in Billecta.

The schema's ``WebhookTriggerType``, which lists every event of the guide's events table (each
member's documentation names its ``Data`` and ``AdditionalData``) plus ``UNKNOWN``, which is not
an event and has no payload types. An event name this SDK does not know decodes to a
pseudo-member (``is_known`` is false), so a new Billecta event never makes a delivery fail.
"""


PayloadType = type[Model] | type[str] | None
"""A model class, ``str`` (or a :class:`BillectaEnum` class), or ``None`` for "no payload"."""


@dataclasses.dataclass(frozen=True, slots=True)
class WebhookPayloadTypes:
    """What an event type carries: the type of its ``Data`` and of its ``AdditionalData``."""

    data: PayloadType
    additional_data: PayloadType = None


def _table() -> dict[WebhookEventType, WebhookPayloadTypes]:
    t = WebhookEventType
    p = WebhookPayloadTypes
    table: dict[WebhookEventType, WebhookPayloadTypes] = {}

    def add(payload: WebhookPayloadTypes, *events: WebhookEventType) -> None:
        for event in events:
            table[event] = payload

    add(
        p(InvoiceAction),
        t.INVOICE_ACTION_CREATED,
        t.INVOICE_ACTION_UPDATED,
        t.INVOICE_ACTION_PAID,
        t.INVOICE_SALE_WAS_ACCEPTED,
        t.INVOICE_SALE_WAS_DENIED,
        t.INVOICE_ACTION_STATE_CHANGED,
        t.INVOICE_ACTION_VIEWED,
        t.INVOICE_ACTION_OPENED,
        t.INVOICE_ACTION_RECEIVED,
        t.INVOICE_ACTION_ATTESTED,
        t.PAYMENT_RECEIVED_TO_BILLECTA_CLIENT_FUNDS,
        t.AUTOGIRO_WITHDRAWAL_RENEWED_ON_INVOICE,
        t.CREDIT_CARD_WITHDRAWAL_FAILED_ON_INVOICE,
    )
    # Deleted invoices: Data is the ActionPublicId, AdditionalData the DebtorPublicId.
    add(p(str, str), t.INVOICE_ACTION_DELETED, t.SELF_INVOICE_ACTION_DELETED)
    add(p(InvoiceActionCommented), t.INVOICE_COMMENTED)
    add(
        p(IncomingPayment),
        t.INVOICE_PAYMENT_RECEIVED,
        t.AMOUNT_CREDITED_ON_INVOICE,
        t.AMOUNT_WRITTEN_OFF_ON_INVOICE,
    )
    add(
        p(ReconciliationInvoiceAction),
        t.RECONCILIATION_INVOICE_ACTION_CREATED,
        t.AUTOGIRO_WITHDRAWAL_RENEWED_ON_RECONCILIATION_INVOICE,
        t.CREDIT_CARD_WITHDRAWAL_FAILED_ON_RECONCILIATION_INVOICE,
    )
    add(p(InvoiceDeliveryStatus), t.UNDELIVERED_INVOICE)
    add(
        p(OutgoingPaymentStatus),
        t.SELF_INVOICE_OUTGOING_PAYMENT_SUCCEEDED,
        t.SUPPLIER_INVOICE_OUTGOING_PAYMENT_SUCCEEDED,
        t.OUTGOING_PAYMENT_SUCCEEDED,
        t.SELF_INVOICE_OUTGOING_PAYMENT_FAILED,
        t.SUPPLIER_INVOICE_OUTGOING_PAYMENT_FAILED,
        t.OUTGOING_PAYMENT_FAILED,
    )
    add(p(UnhandledPayment), t.UNMATCHED_PAYMENT, t.OVERPAYMENT)
    add(
        p(SelfInvoiceAction),
        t.SELF_INVOICE_ACTION_CREATED,
        t.SELF_INVOICE_ACTION_UPDATED,
        t.SELF_INVOICE_ACTION_ATTESTED,
        t.SELF_INVOICE_ACTION_PAID,
    )
    add(p(ReminderInvoiceAction), t.REMINDER_INVOICE_ACTION_CREATED)
    add(p(Debtor), t.DEBTOR_CREATED, t.DEBTOR_UPDATED, t.E_INVOICE_INFO_ON_DEBTOR_CHANGED)
    # Deleted debtors and creditors: Data is the public id.
    add(p(str), t.DEBTOR_DELETED, t.CREDITOR_DELETED)
    add(p(DebtorInformationCorrectionRequest), t.DEBTOR_INFORMATION_CORRECTION_REQUESTED)
    add(p(EInvoiceRegistration), t.UNKNOWN_E_INVOICE_REGISTRATION)
    add(p(WebhookCreditorShare), t.CREDITOR_SHARED)
    add(p(None), t.CREDITOR_UNSHARED)
    add(p(Creditor), t.CREDITOR_CREATED, t.CREDITOR_UPDATED)
    add(p(CreditorKyc), t.CREDITOR_KYC_UPDATED)
    add(
        p(Debtor, AutogiroApprovalCommentCode),
        t.AUTOGIRO_APPROVAL_FAILED,
        t.AUTOGIRO_APPROVAL_CHANGED,
    )
    add(p(InvoiceAction, AutogiroWithdrawalCommentCode), t.AUTOGIRO_WITHDRAWAL_FAILED_ON_INVOICE)
    add(
        p(ReconciliationInvoiceAction, AutogiroWithdrawalCommentCode),
        t.AUTOGIRO_WITHDRAWAL_FAILED_ON_RECONCILIATION_INVOICE,
    )
    add(p(Product), t.PRODUCT_CREATED, t.PRODUCT_UPDATED)
    add(
        p(ContractInvoiceAction),
        t.CONTRACT_INVOICE_ACTION_CREATED,
        t.CONTRACT_INVOICE_ACTION_UPDATED,
    )
    add(p(DebtCollectionAction), t.DEBT_COLLECTION_ACTION_STATE_CHANGED)
    add(
        p(DebtorContract),
        t.DEBTOR_CONTRACT_CREATED,
        t.DEBTOR_CONTRACT_SIGNED,
        t.DEBTOR_CONTRACT_CANCELLED,
        t.DEBTOR_CONTRACT_ARCHIVED,
    )
    missing = set(WebhookEventType) - {WebhookEventType.UNKNOWN} - table.keys()
    if missing:  # pragma: no cover - guarded by the tests
        raise RuntimeError(f"webhook event types without payload types: {sorted(missing)}")
    return table


WEBHOOK_PAYLOAD_TYPES: Mapping[WebhookEventType, WebhookPayloadTypes] = MappingProxyType(_table())
"""The documented ``Data`` and ``AdditionalData`` types of every known event type."""
