"""The emulator's state: plain dataclasses holding Billecta's own models.

Objects are stored as the models the API returns (a debtor is a ``Debtor``, an invoice an
``InvoiceAction``), so handlers answer with what they keep. Ids are lower-case GUID strings.
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from billecta_async import models as m
from billecta_async._clock import Clock
from billecta_async._wire import field_specs
from billecta_async.testing._samples import EMPTY_GUID, dotnet_default

__all__ = [
    "EMPTY_GUID",
    "Account",
    "Flow",
    "OutgoingPaymentRecord",
    "State",
    "StoredFile",
    "Timed",
    "WebhookRecord",
    "copy_fields",
    "fill_missing",
]

M = TypeVar("M")
InvoiceRecord = m.InvoiceActionRecord | m.SelfInvoiceActionRecord | m.ContractInvoiceActionRecord


def copy_fields(target: type[M], *sources: Any, **values: Any) -> M:
    """A ``target`` model filled from ``values``, then from the first of ``sources`` (models,
    or None) that has a same-named field set: how listing rows are built from the full models.
    A value Billecta always returns that none of them has is .NET's default."""
    names = {f.name for f in dataclasses.fields(target)}  # type: ignore[arg-type]
    filled = {k: v for k, v in values.items() if k in names}
    for name in names - filled.keys():
        for source in sources:
            value = getattr(source, name, None)
            if value is not None:
                filled[name] = copy.deepcopy(value)
                break
    for spec in field_specs(target):
        if spec.always and filled.get(spec.attr) is None:
            filled[spec.attr] = dotnet_default(spec)
    unknown = values.keys() - names
    if unknown:
        raise TypeError(f"{target.__name__} has no fields {sorted(unknown)}")
    return target(**filled)


def fill_missing(target: Any, source: Any) -> None:
    """Set each field of ``target`` still unset from the same-named field of ``source``: what
    an action keeps of the entry it was created from, beyond what the handler computed."""
    names = {f.name for f in dataclasses.fields(source)}
    for f in dataclasses.fields(target):
        if f.name in names and getattr(target, f.name) is None:
            value = getattr(source, f.name)
            if value is not None:
                setattr(target, f.name, copy.deepcopy(value))


@dataclass
class Account:
    """An API user: how it signs in and which creditors it may act for."""

    user: m.User
    username: str
    password: str
    secure_token: str | None  # None once deleted: only Basic auth signs in then
    creditor_ids: set[str] = field(default_factory=set)


@dataclass
class StoredFile:
    file_public_id: str
    creditor_public_id: str
    file_name: str
    content_type: str
    data: bytes


@dataclass
class Flow:
    """A long-running flow (BankID, Swish, bank accounts) whose outcome arrives after a delay."""

    public_id: str
    creditor_public_id: str
    kind: str
    started: float  # on the emulator's clock
    delay: float
    outcome: str
    subject: str  # the person number or phone number the test outcome depends on
    bank: m.BankAccountBankType | None = None  # bank accounts: the bank asked
    other_device: bool | None = None  # bank accounts: desktop (QR code) rather than mobile
    action_public_id: str | None = None  # Swish: the invoice paid
    amount: int = 0  # Swish: the amount asked, in minor units
    booked: bool = False  # Swish: the payment has been registered on the invoice
    refunded: int = 0  # Swish: the amount refunded so far, in minor units

    def done(self, now: float) -> bool:
        return now - self.started >= self.delay


@dataclass
class Timed(Generic[M]):
    """A model whose outcome arrives ``delay`` seconds after ``started`` (on the emulator's
    clock): a card payment or a card registration the payer completes in a payment window."""

    value: M
    started: float
    delay: float
    settled: bool = False  # its outcome has been applied (a payment booked, a card saved)

    def done(self, now: float) -> bool:
        return now - self.started >= self.delay


@dataclass
class OutgoingPaymentRecord:
    """A standalone outgoing payment: its status as answered, and when it was created."""

    status: m.OutgoingPaymentStatus
    created: datetime


@dataclass
class WebhookRecord:
    """An event the emulator emitted (posted to the webhook URL when one is configured)."""

    event_type: str
    creditor_public_id: str | None
    data: Any
    additional_data: Any = None


@dataclass
class State:
    """Everything the emulator knows, for every creditor of its one domain."""

    clock: Clock
    accounts: list[Account] = field(default_factory=list)
    creditors: dict[str, m.Creditor] = field(default_factory=dict)
    debtors: dict[str, m.Debtor] = field(default_factory=dict)
    debtor_categories: dict[str, m.DebtorCategory] = field(default_factory=dict)
    category_members: dict[str, set[str]] = field(default_factory=dict)
    products: dict[str, m.Product] = field(default_factory=dict)
    cost_centers: dict[tuple[str, str], m.CostCenter] = field(default_factory=dict)
    projects: dict[tuple[str, str], m.Project] = field(default_factory=dict)
    users: dict[str, m.User] = field(default_factory=dict)
    invoices: dict[str, m.InvoiceAction] = field(default_factory=dict)
    reconciliation_invoices: dict[str, m.ReconciliationInvoiceAction] = field(default_factory=dict)
    self_invoices: dict[str, m.SelfInvoiceAction] = field(default_factory=dict)
    contract_invoices: dict[str, m.ContractInvoiceAction] = field(default_factory=dict)
    reminders: dict[str, m.ReminderInvoiceAction] = field(default_factory=dict)
    debt_collections: dict[str, m.DebtCollectionAction] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)
    flows: dict[str, Flow] = field(default_factory=dict)
    # Accounting, keyed by creditor (payment means by (creditor, code), dimensions by
    # (creditor, dimension, code)).
    accounting_settings: dict[str, m.AccountingSettingsView] = field(default_factory=dict)
    accounting_exports: dict[str, list[m.AccountingExport]] = field(default_factory=dict)
    locked_periods: dict[str, m.LockedPeriod] = field(default_factory=dict)
    payment_means: dict[tuple[str, str], m.AccountingPaymentMean] = field(default_factory=dict)
    dimensions: dict[tuple[str, int, str], m.AccountingDimension] = field(default_factory=dict)
    # Creditor settings, keyed by creditor; shares and text templates by their public id.
    default_action_configs: dict[str, m.DefaultActionConfig] = field(default_factory=dict)
    kyc: dict[str, m.CreditorKyc] = field(default_factory=dict)
    products_templates: dict[str, m.ProductsTemplate] = field(default_factory=dict)
    shares: dict[str, m.CreditorShare] = field(default_factory=dict)
    text_templates: dict[str, m.InvoiceTextTemplate] = field(default_factory=dict)
    # (user public id, action public id) pairs: who gets mails about which invoice.
    subscriptions: set[tuple[str, str]] = field(default_factory=set)
    debtor_events: dict[str, list[m.DebtorEvent]] = field(default_factory=dict)
    card_adds: dict[str, Timed[m.CreditCardAdd]] = field(default_factory=dict)
    card_payments: dict[str, Timed[m.CreditCardPayment]] = field(default_factory=dict)
    incoming_payments: list[m.IncomingPayment] = field(default_factory=list)
    unhandled_payments: dict[str, m.UnhandledPayment] = field(default_factory=dict)
    outgoing_payments: dict[str, OutgoingPaymentRecord] = field(default_factory=dict)
    # Invoice action public id -> the day its planned autogiro withdrawal is made.
    autogiro_dates: dict[str, date] = field(default_factory=dict)
    # ("ROT" or "RUT", action public id) -> when and by whom it was marked processed.
    rot_rut_processed: dict[tuple[str, str], m.InvoiceActionRotRutProcessed] = field(
        default_factory=dict
    )
    invoice_numbers: dict[str, int] = field(default_factory=dict)
    unique_api_call_ids: set[str] = field(default_factory=set)
    events: list[WebhookRecord] = field(default_factory=list)
    listeners: list[Callable[[WebhookRecord], None]] = field(default_factory=list)
    # Arrival times of the accepted requests to each rate-limited endpoint, in order.
    request_times: dict[str, list[float]] = field(default_factory=dict)
    rate_limited: int = 0  # requests answered 429
    error_times: deque[float] = field(default_factory=deque)

    def emit(
        self,
        event_type: str,
        creditor_public_id: str | None,
        data: Any,
        additional_data: Any = None,
    ) -> None:
        """Record a webhook event (a snapshot: later changes to ``data`` don't alter it)."""
        snapshot = copy.deepcopy(data)
        record = WebhookRecord(event_type, creditor_public_id, snapshot, additional_data)
        self.events.append(record)
        for listener in self.listeners:
            listener(record)

    def keep_file(self, creditor_public_id: str, file: m.File | None) -> m.File | None:
        """Store an uploaded file's data (readable through the files endpoints); the reference
        to answer with, which never carries the data."""
        if file is None:
            return None
        if not file.data:
            return m.File(
                file_public_id=file.file_public_id,
                content_type=file.content_type,
                file_name=file.file_name,
            )
        stored = StoredFile(
            str(uuid.uuid4()),
            creditor_public_id,
            file.file_name or "file",
            file.content_type or "application/octet-stream",
            bytes(file.data),
        )
        self.files[stored.file_public_id] = stored
        return m.File(
            file_public_id=stored.file_public_id,
            content_type=stored.content_type,
            file_name=stored.file_name,
        )

    def invoice_records(self, creditor_public_id: str | None = None) -> list[InvoiceRecord]:
        """The records of every invoice of any kind (invoices, self and contract invoices) of
        the creditor (of every creditor for None): what keeps a product, project, cost center
        or dimension code from being deleted."""
        actions: list[m.InvoiceAction | m.SelfInvoiceAction | m.ContractInvoiceAction] = [
            *self.invoices.values(),
            *self.self_invoices.values(),
            *self.contract_invoices.values(),
        ]
        return [
            record
            for action in actions
            if creditor_public_id in (None, action.creditor_public_id)
            for record in action.records or []
        ]

    def next_invoice_number(self, creditor_public_id: str) -> str:
        number = self.invoice_numbers.get(creditor_public_id, 1000) + 1
        self.invoice_numbers[creditor_public_id] = number
        return str(number)
