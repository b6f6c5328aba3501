"""The emulator keeps its word: what an endpoint writes, the endpoint reading it back answers.

The pairs come from the catalogue (``billecta_async/_catalogue.json``). Every operation that is
not a GET writes, except the few that only compute an answer (:data:`QUERIES`). A writer's
readers are the GET operations of its resource (reference section) whose path stem is the
writer's (the path without its parameters, the last segment singular or plural:
``POST /v1/accounting/paymentmeans`` and ``GET /v1/accounting/paymentmeans/{id}``), and the
resource's ``get``; :data:`READERS` adds the few the catalogue cannot say (a SecureToken
deleted at ``apiauthenticate`` is read at ``securetoken``).

Every writer is covered by a scenario below or listed in :data:`NO_READ_BACK` with the reason.
A scenario writes and reads back through the SDK, in JSON and in XML, and asserts that what
was written is what is read (or that a deleted thing is gone); the wire is recorded, and the
test checks that each (writer, reader) pair a scenario claims was called on the wire in that
order, and that the reader is one the catalogue gives the writer.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from io import BytesIO
from typing import Any, Literal

import aiohttp
import pytest
from _builders import around_today, sek, today
from yarl import URL

from billecta_async import (
    STOCKHOLM,
    BadRequestError,
    BillectaClient,
    ScaledClock,
    UnauthorizedError,
)
from billecta_async import models as m
from billecta_async._catalogue import Operation, catalogue
from billecta_async._clock import Clock
from billecta_async._wire import Model, field_specs
from billecta_async.testing import BillectaEmulator
from billecta_async.testing.emulator._catalogue import endpoint_table
from billecta_async.testing.emulator._payments import CARD_DELAY
from billecta_async.webhooks import encode_webhook

# -- the pairs, from the catalogue ----------------------------------------------------------------

#: Non-GET operations that change nothing: they compute an answer from what is stored.
QUERIES = {
    "accounting.get_vouchers": "the vouchers of a period, computed from invoices and payments",
    "addons.list": "the addons Billecta offers (the body only narrows them by category)",
    "search.actions": "a search",
    "invoices.preview_entry": "a PDF of the invoice sent, nothing stored",
    "self_invoices.preview_entry": "a PDF of the self invoice sent, nothing stored",
    "contract_invoices.preview_entry": "a PDF of the contract invoice sent, nothing stored",
    "invoices.create_rot_xml": "the ROT request file of stored invoices",
    "invoices.create_rot_xml_zipped": "the ROT request file, zipped",
    "invoices.create_rut_xml": "the RUT request file of stored invoices",
    "invoices.create_rut_xml_zipped": "the RUT request file, zipped",
    "payments.list_incoming_payments": "a listing (PUT carries the filter)",
    "debtors.match_with_kivra": "which debtors receive mail in Kivra (none in the emulator)",
}

#: Writers with no endpoint to read back what they did, and why.
NO_READ_BACK = {
    "delivery.send_mail": "posts a letter; no endpoint lists deliveries",
    "delivery.send_sms": "sends an SMS; no endpoint lists deliveries",
    "invoices.sell": "needs an invoice sales contract, which only Billecta sets up (refused)",
    "invoices.cancel_sale": "only an invoice offered for sale can be withdrawn (none can be)",
    "invoices.finance": "needs a debtor contract, which no endpoint creates (refused)",
    "invoices.load_archived_events": "the emulator never archives events: nothing to reload",
    "self_invoices.load_archived_events": "the emulator never archives events: nothing to reload",
}

#: Readers the path stems cannot give: (writer, reader) -> why that reader.
READERS = {
    ("authentication.delete_secure_token", "authentication.get_secure_token"): "the token",
    ("bankid.create_phone_authentication_request", "bankid.get_authentication_status"): (
        "a phone authentication is followed like any other"
    ),
    ("contract_invoices.create_invoice", "invoices.get"): "the invoice generated",
    ("debt_collection.create", "debt_collection.list_open"): "it answers no id",
    ("debtors.add_to_category", "debtors.list"): "the listing filtered by category",
    ("debtors.add_many_to_category", "debtors.list"): "the listing filtered by category",
    ("debtors.remove_from_category", "debtors.list"): "the listing filtered by category",
    ("debtors.delete_category", "debtors.list_categories"): "the categories",
    ("invoices.merge", "invoices.list_open"): "it answers no id",
    ("invoices.refund_credit_card_payment", "invoices.list_credit_card_payments"): "the refund",
    ("invoices.refund_swish_payment", "payments.get_swish_payment_status"): "the refund",
    (
        "reconciliation_invoices.create_credit_card_payment",
        "invoices.list_credit_card_payments",
    ): "card payments of any action are listed there",
    (
        "reconciliation_invoices.cancel_credit_card_payment",
        "invoices.list_credit_card_payments",
    ): "card payments of any action are listed there",
    (
        "reconciliation_invoices.refund_credit_card_payment",
        "invoices.list_credit_card_payments",
    ): "card payments of any action are listed there",
    ("reconciliation_invoices.refund_swish_payment", "payments.get_swish_payment_status"): (
        "the refund"
    ),
    ("payments.match_payments", "payments.get_unhandled_payment"): "the payment, now used",
    ("payments.match_payments", "invoices.get"): "the invoice, now paid",
    ("contract_invoices.create_monthly_autogiro", "debtors.get"): "the debtor it creates",
}

OPERATIONS = {f"{op.resource}.{op.name}": op for op in catalogue().operations}


def _stem(path: str) -> str:
    """The path without its parameters, the last segment singular."""
    segments = [s for s in path.split("/") if s and not s.startswith("{")]
    last = segments[-1]
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s"):
        last = last[:-1]
    return "/".join([*segments[:-1], last])


def derived_readers(writer: Operation) -> set[str]:
    """The GET operations of the writer's resource with its path stem, and its ``get``."""
    return {
        name
        for name, op in OPERATIONS.items()
        if op.method == "GET"
        and op.resource == writer.resource
        and (_stem(op.path) == _stem(writer.path) or op.name == "get")
    }


def readers(writer: str) -> set[str]:
    explicit = {r for (w, r) in READERS if w == writer}
    return derived_readers(OPERATIONS[writer]) | explicit


WRITERS = sorted(
    name for name, op in OPERATIONS.items() if op.method != "GET" and name not in QUERIES
)


# -- scenarios ------------------------------------------------------------------------------------

Pair = tuple[str, str]


@dataclass
class T:
    """What a scenario works with: the emulator, a client, the emulator's creditor."""

    emulator: BillectaEmulator
    client: BillectaClient
    creditor: str
    fmt: Literal["json", "xml"]
    session: aiohttp.ClientSession  # recorded: give it to any other client a scenario opens

    async def wait(self, seconds: float) -> None:
        """Let ``seconds`` pass on the emulator's clock."""
        await self.emulator.clock.sleep(seconds)

    async def debtor(self, **fields: Any) -> str:
        fields.setdefault("name", "Jenny Doe")
        created = await self.client.debtors.create(
            m.Debtor(creditor_public_id=self.creditor, **fields)
        )
        assert created.public_id
        return created.public_id

    def entry(self, debtor: str, price: int = 10000, **fields: Any) -> m.InvoiceActionEntry:
        record = m.InvoiceActionRecord(
            article_description="Sofa", quantity=1.0, unit_price=sek(price), vat=25.0
        )
        fields.setdefault("records", [record])
        return m.InvoiceActionEntry(
            creditor_public_id=self.creditor, debtor_public_id=debtor, **fields
        )

    async def invoice(
        self, *, attest: bool = False, send: bool = False, price: int = 10000, **fields: Any
    ) -> str:
        """A new invoice (attested, sent by e-mail when asked); its id."""
        debtor = fields.pop("debtor", None) or await self.debtor()
        if send:
            fields["delivery_method"] = m.DeliveryMethodType.EMAIL
        created = await self.client.invoices.create(self.entry(debtor, price, **fields))
        assert created.public_id
        if attest or send:
            await self.client.invoices.attest(created.public_id)
        return created.public_id

    async def reconciliation(self, amount: int = 10000, **fields: Any) -> str:
        created = await self.client.reconciliation_invoices.create(
            m.ReconciliationInvoiceActionEntry(
                creditor_public_id=self.creditor,
                debtor=m.ReconciliationDebtor(name="Jenny Doe", org_no="198001139297"),
                invoice_number=fields.pop("invoice_number", "R-1"),
                current_amount=sek(amount),
                **fields,
            )
        )
        assert created.public_id
        return created.public_id

    def self_entry(
        self, debtor: str, price: int = 20000, **fields: Any
    ) -> m.SelfInvoiceActionEntry:
        record = m.SelfInvoiceActionRecord(
            article_description="Consulting", quantity=2.0, unit_price=sek(price // 2), vat=0.0
        )
        return m.SelfInvoiceActionEntry(
            creditor_public_id=self.creditor, debtor_public_id=debtor, records=[record], **fields
        )

    async def self_invoice(self, *, attest: bool = False, **fields: Any) -> str:
        created = await self.client.self_invoices.create(
            self.self_entry(await self.debtor(), **fields)
        )
        assert created.public_id
        if attest:
            await self.client.self_invoices.attest(created.public_id)
        return created.public_id

    def contract_entry(self, debtor: str, **fields: Any) -> m.ContractInvoiceAction:
        record = m.ContractInvoiceActionRecord(
            article_description="Subscription", quantity=1.0, unit_price=sek(9900), vat=25.0
        )
        return m.ContractInvoiceAction(
            creditor_public_id=self.creditor, debtor_public_id=debtor, records=[record], **fields
        )

    async def contract(self, **fields: Any) -> str:
        created = await self.client.contract_invoices.create(
            self.contract_entry(await self.debtor(), **fields)
        )
        assert created.public_id
        return created.public_id

    async def collection(self) -> tuple[str, str]:
        """A debt collection started from a sent invoice: (collection id, invoice id)."""
        invoice = await self.invoice(send=True)
        created = await self.client.debt_collection.create_from_invoice(
            m.DebtCollectionFromInvoiceEntry(source_public_id=invoice, reason_description="Due")
        )
        assert created.public_id
        return created.public_id, invoice


Run = Callable[[T], Awaitable[None]]


@dataclass(frozen=True)
class Scenario:
    name: str
    pairs: tuple[Pair, ...]
    run: Run


SCENARIOS: list[Scenario] = []


def scenario(*pairs: Pair) -> Callable[[Run], Run]:
    """Register a scenario proving each (writer, reader) pair."""

    def register(run: Run) -> Run:
        SCENARIOS.append(Scenario(run.__name__, pairs, run))
        return run

    return register


def assert_written(
    written: Any, read: Any, *, ignore: Collection[str] = (), where: str = "read"
) -> None:
    """Every value set in ``written`` is in ``read``: a model's fields that ``read``'s model
    also has (recursively), lists item by item, other values equal."""
    if isinstance(written, Model):
        assert read is not None, f"{where}: wrote {type(written).__name__}, read nothing"
        for spec in field_specs(type(written)):
            value = getattr(written, spec.attr)
            if value is None or spec.attr in ignore or not hasattr(read, spec.attr):
                continue
            assert_written(
                value, getattr(read, spec.attr), ignore=ignore, where=f"{where}.{spec.name}"
            )
    elif isinstance(written, list):
        assert isinstance(read, list) and len(read) == len(written), (
            f"{where}: wrote {len(written)} items, read {read!r}"
        )
        for index, (w, r) in enumerate(zip(written, read, strict=True)):
            assert_written(w, r, ignore=ignore, where=f"{where}[{index}]")
    else:
        assert written == read, f"{where}: wrote {written!r}, read {read!r}"


async def denied(call: Awaitable[Any]) -> None:
    with pytest.raises(UnauthorizedError):
        await call


async def refused(call: Awaitable[Any], *words: str) -> BadRequestError:
    with pytest.raises(BadRequestError) as caught:
        await call
    for word in words:
        assert word in caught.value.message
    return caught.value


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), STOCKHOLM)


def months_later(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    first = date(index // 12, index % 12 + 1, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first.replace(day=min(day.day, last.day))


def event_types(action: Any) -> list[m.EventType | None]:
    return [e.event_type for e in action.events or []]


# -- accounting -----------------------------------------------------------------------------------


@scenario(
    ("accounting.create_payment_mean", "accounting.get_payment_mean"),
    ("accounting.update_payment_mean", "accounting.list_payment_means"),
    ("accounting.delete_payment_mean", "accounting.list_payment_means"),
)
async def payment_means(t: T) -> None:
    accounting = t.client.accounting
    card = m.AccountingPaymentMean(
        creditor_public_id=t.creditor,
        payment_code="KORT",
        description="Card payments",
        bookkeeping_account="1580",
    )
    await accounting.create_payment_mean(card)
    assert_written(card, await accounting.get_payment_mean(t.creditor, "KORT"))
    card.description, card.bookkeeping_account = "Cards (Visa)", "1581"
    await accounting.update_payment_mean(card)
    assert_written([card], await accounting.list_payment_means(t.creditor))
    await accounting.delete_payment_mean(t.creditor, "KORT")
    assert await accounting.list_payment_means(t.creditor) == []
    await denied(accounting.get_payment_mean(t.creditor, "KORT"))


@scenario(
    ("accounting.update_locked_period", "accounting.get_locked_period"),
    ("accounting.delete_locked_period", "accounting.get_locked_period"),
)
async def locked_period(t: T) -> None:
    accounting = t.client.accounting
    locked_to = today() - timedelta(days=1)
    await accounting.update_locked_period(t.creditor, locked_to)
    period = await accounting.get_locked_period(t.creditor)
    assert period.to is not None and period.to.astimezone(STOCKHOLM).date() == locked_to
    # "no invoices can be attested before or on that date"
    dated = await t.invoice(invoice_date=midnight(locked_to), due_date=midnight(today()))
    await refused(t.client.invoices.attest(dated), "locked")
    await accounting.delete_locked_period(t.creditor)
    assert (await accounting.get_locked_period(t.creditor)).to is None
    await t.client.invoices.attest(dated)


@scenario(("accounting.update_settings", "accounting.get_settings"))
async def accounting_settings(t: T) -> None:
    settings = m.AccountingSettingsView(
        creditor_public_id=t.creditor,
        voucher_series="B",
        cost_center_is_required=True,
        default_sales_account="3001",
        fiscal_year=m.FiscalYearType.CALENDAR_YEAR,
        book_keeping_method=m.BookKeepingMethod.CASH_METHOD,
        exclude_cost_center_and_project_for_accounts=["1930", "2440"],
    )
    await t.client.accounting.update_settings(settings)
    assert_written(settings, await t.client.accounting.get_settings(t.creditor))


@scenario(
    ("accounting.create_export", "accounting.list_exports"),
    ("accounting.create_export_with_content", "accounting.list_exports"),
)
async def accounting_exports(t: T) -> None:
    accounting = t.client.accounting
    invoice = await t.invoice(attest=True)
    await t.client.invoices.register_payment(
        m.RegisterPayment(action_public_id=invoice, amount=sek(12500))
    )
    start, end = around_today()
    vouchers = await accounting.get_vouchers(
        m.AccountingVoucherExportCreation(
            creditor_public_id=t.creditor, from_=midnight(start), to=midnight(end)
        )
    )
    assert [
        [(r.account, r.debet_amount, r.credit_amount) for r in v.transactions or []]
        for v in vouchers
    ] == [
        [("1510", sek(12500), sek(0)), ("3001", sek(0), sek(10000)), ("2611", sek(0), sek(2500))],
        [("1930", sek(12500), sek(0)), ("1510", sek(0), sek(12500))],
    ]
    payments_only = await accounting.get_vouchers(
        m.AccountingVoucherExportCreation(
            creditor_public_id=t.creditor,
            from_=midnight(start),
            to=midnight(end),
            book_keeping_types_filter=[m.AccountingRecordType.PAYMENT_TO_BANK_ACCOUNT],
        )
    )
    assert [v.description for v in payments_only] == [vouchers[1].description]
    sie = await accounting.create_export(t.creditor, today())
    assert sie.format == m.AccountingExportFormatType.SIE4 and sie.file and sie.file.file_public_id
    content = await t.client.files.get_content(sie.file.file_public_id)
    assert b"#SIETYP 4" in content and b"#TRANS 1930" in content
    creation = m.AccountingExportCreation(
        creditor_public_id=t.creditor,
        from_=midnight(start),
        to=midnight(end),
        format=m.AccountingExportFormatType.CSV,
    )
    csv = await accounting.create_export_with_content(creation)
    exports = await accounting.list_exports(t.creditor)
    assert [e.file.file_public_id for e in exports if e.file] == [
        sie.file.file_public_id,
        csv.file.file_public_id if csv.file else None,
    ]
    assert exports[1].start == midnight(start) and exports[1].end == midnight(end)
    assert exports[1].format == m.AccountingExportFormatType.CSV


@scenario(
    ("accounting_dimensions.create", "accounting_dimensions.get"),
    ("accounting_dimensions.update", "accounting_dimensions.list"),
    ("accounting_dimensions.delete", "accounting_dimensions.list"),
)
async def accounting_dimensions(t: T) -> None:
    dimensions = t.client.accounting_dimensions
    region = m.AccountingDimension(
        creditor_public_id=t.creditor,
        name="Region",
        dimension=2,
        code="NORTH",
        description="Norrland",
        active=True,
    )
    created = await dimensions.create(region)
    assert_written(region, created)
    assert_written(region, await dimensions.get(t.creditor, 2, code="NORTH"))
    assert_written(region, await dimensions.get(t.creditor, 2))  # its only code
    region.description, region.comments = "Norrland and Lappland", "merged"
    await dimensions.update(region)
    assert_written([region], await dimensions.list(t.creditor))
    used = m.InvoiceActionRecord(
        article_description="Work",
        quantity=1.0,
        unit_price=sek(100),
        dimensions=[m.DimensionCode(dimension=2, code="NORTH")],
    )
    invoice = await t.invoice(records=[used])
    await refused(dimensions.delete(t.creditor, 2, code="NORTH"), "used")
    await t.client.invoices.delete(invoice)
    await dimensions.delete(t.creditor, 2, code="NORTH")
    assert await dimensions.list(t.creditor) == []
    await denied(dimensions.get(t.creditor, 2, code="NORTH"))


# -- authentication, BankID, bank accounts --------------------------------------------------------


@scenario(
    ("authentication.create_secure_token", "authentication.get_secure_token"),
    ("authentication.delete_secure_token", "authentication.get_secure_token"),
)
async def secure_tokens(t: T) -> None:
    old = t.emulator.secure_token
    created = await t.client.authentication.create_secure_token()
    assert created.value and created.value != old
    await denied(t.client.authentication.get_secure_token())  # the old token is revoked
    async with t.emulator.client(t.fmt, session=t.session) as renewed:
        assert (await renewed.authentication.get_secure_token()).value == created.value
        await renewed.authentication.delete_secure_token()
        await denied(renewed.authentication.get_secure_token())
    async with BillectaClient(
        username=t.emulator.username,
        password=t.emulator.password,
        base_url=t.emulator.url,
        format=t.fmt,
        session=t.session,
    ) as basic:
        assert (await basic.authentication.get_secure_token()).value is None
        user = await basic.users.create(m.User(username="bookkeeper", full_name="Book Keeper"))
        assert user.public_id
        theirs = await basic.authentication.create_secure_token(user_public_id=user.public_id)
        assert theirs.value
    async with BillectaClient(
        secure_token=theirs.value, base_url=t.emulator.url, format=t.fmt, session=t.session
    ) as bookkeeper:
        assert (await bookkeeper.authentication.get_secure_token()).value == theirs.value


@scenario(
    ("bankid.create_authentication_request", "bankid.get_authentication_status"),
    ("bankid.create_phone_authentication_request", "bankid.get_authentication_status"),
    ("bankid.create_sign_request", "bankid.get_sign_status"),
)
async def bankid(t: T) -> None:
    bankid = t.client.bankid
    started = await bankid.create_authentication_request(
        m.BankIdAuthenticationRequest(creditor_public_id=t.creditor, ssn="198001139297")
    )
    phone = await bankid.create_phone_authentication_request(
        m.BankIdPhoneAuthenticationRequest(creditor_public_id=t.creditor, ssn="197001239297")
    )
    sign = await bankid.create_sign_request(
        m.BankIdSignRequest(creditor_public_id=t.creditor, ssn="198001139297")
    )
    await t.wait(10)
    done = await bankid.get_authentication_status(started.reference_token or "")
    assert done.status == m.BankIdStatusType.COMPLETE and done.ssn == "198001139297"
    failed = await bankid.get_authentication_status(phone.reference_token or "")
    assert failed.status == m.BankIdStatusType.ERROR
    signed = await bankid.get_sign_status(sign.reference_token or "")
    assert signed.status == m.BankIdStatusType.COMPLETE


@scenario(("bank.initiate_account_retrieval", "bank.get_account_retrieval_status"))
async def bank_accounts(t: T) -> None:
    started = await t.client.bank.initiate_account_retrieval(
        t.creditor, m.BankAccountBankType.SHB, "19800113-9297"
    )
    assert started.public_id
    await t.wait(10)
    status = await t.client.bank.get_account_retrieval_status(started.public_id)
    assert status.status == m.BankAccountStatusType.SUCCESS
    assert status.bank == m.BankAccountBankType.SHB and status.account_numbers


# -- contract invoices ----------------------------------------------------------------------------


@scenario(
    ("contract_invoices.create", "contract_invoices.get"),
    ("contract_invoices.update", "contract_invoices.list"),
    ("contract_invoices.comment", "contract_invoices.get"),
    ("contract_invoices.pause", "contract_invoices.get"),
    ("contract_invoices.resume", "contract_invoices.get"),
    ("contract_invoices.move_next_run", "contract_invoices.get"),
    ("contract_invoices.delete", "contract_invoices.get"),
)
async def contract_life_cycle(t: T) -> None:
    contracts = t.client.contract_invoices
    start = midnight(today() + timedelta(days=3))
    entry = t.contract_entry(
        await t.debtor(),
        our_reference="Anna",
        payment_terms_in_days=20,
        recurrence_details=m.RecurrenceDetails(
            recurrence_interval=m.RecurrenceIntervalType.MONTHLY,
            monthly_recurrence=m.MonthlyRecurrence(recur_on_day_in_month=1, recur_month_interval=3),
            start=start,
            no_end_date=True,
        ),
    )
    created = await contracts.create(entry)
    assert created.public_id
    contract = await contracts.get(created.public_id)
    assert_written(entry, contract, ignore={"total_inc_vat", "total_excl_vat"})
    assert (
        contract.amount == sek(12375) and contract.state and contract.state.next_run_date == start
    )
    entry.your_reference = "Bo"
    await contracts.update(created.public_id, entry)
    (listed,) = await contracts.list(t.creditor)
    assert listed.action_public_id == created.public_id
    assert (await contracts.get(created.public_id)).your_reference == "Bo"
    await contracts.comment(m.CommentAction(action_public_id=created.public_id, comment="Call"))
    events = (await contracts.get(created.public_id)).events or []
    assert events[-1].content == "Call"
    await contracts.pause(created.public_id)
    assert (await contracts.get(created.public_id)).state.is_paused  # type: ignore[union-attr]
    next_date = today() + timedelta(days=10)
    await contracts.resume(created.public_id, next_date)
    resumed = (await contracts.get(created.public_id)).state
    assert resumed and not resumed.is_paused and resumed.next_run_date == midnight(next_date)
    await contracts.move_next_run(created.public_id, 2)  # two quarters on
    moved = (await contracts.get(created.public_id)).state
    assert moved and moved.next_run_date == midnight(months_later(next_date, 6))
    await contracts.delete(created.public_id)
    await denied(contracts.get(created.public_id))


@scenario(
    ("contract_invoices.create_invoice", "invoices.get"),
    ("contract_invoices.create_invoice", "contract_invoices.get"),
)
async def contract_generates_invoice(t: T) -> None:
    contract = await t.contract(auto_attest=True, message="Thanks")
    generated = await t.client.contract_invoices.create_invoice(contract)
    assert generated.public_id
    invoice = await t.client.invoices.get(generated.public_id)
    assert invoice.contract_invoice_action_public_id == contract and invoice.message == "Thanks"
    assert invoice.state and invoice.state.stage == m.InvoiceActionStageType.ATTESTED
    state = (await t.client.contract_invoices.get(contract)).state
    assert state and state.stage == m.ContractInvoiceActionStageType.INVOICE_CREATED
    preview = await t.client.contract_invoices.preview(contract)
    assert preview.startswith(b"%PDF")


@scenario(
    ("contract_invoices.create_monthly_autogiro", "contract_invoices.get"),
    ("contract_invoices.create_monthly_autogiro", "debtors.get"),
    ("contract_invoices.create_half_yearly_autogiro", "contract_invoices.get"),
    ("contract_invoices.create_yearly_autogiro", "contract_invoices.get"),
)
async def autogiro_contracts(t: T) -> None:
    contracts = t.client.contract_invoices
    person = {
        "creditor_public_id": t.creditor,
        "name": "Sven Svensson",
        "address": "Storgatan 1",
        "zip_code": "11122",
        "city": "Stockholm",
        "ssn": "198001139297",
        "clearing_number": "8327",
        "account_number": "9412345678",
        "amount": 199.5,
        "withdrawal_day": 27,
        "start_date": midnight(today() + timedelta(days=5)),
    }
    monthly = await contracts.create_monthly_autogiro(m.MonthlyAutogiroContractInvoice(**person))
    contract = await contracts.get(monthly.public_id or "")
    assert contract.autogiro_withdrawal_enabled and contract.amount == sek(19950)
    recurrence = contract.recurrence_details
    assert recurrence and recurrence.monthly_recurrence == m.MonthlyRecurrence(
        recur_on_day_in_month=27, recur_month_interval=1
    )
    debtor = await t.client.debtors.get(contract.debtor_public_id or "")
    assert (debtor.name, debtor.org_no) == ("Sven Svensson", "198001139297")
    assert debtor.autogiro and debtor.autogiro.active and debtor.autogiro.account_no == "9412345678"
    half = await contracts.create_half_yearly_autogiro(
        m.HalfYearlyAutogiroContractInvoice(**person, withdrawal_month=3)
    )
    details = (await contracts.get(half.public_id or "")).recurrence_details
    assert (
        details
        and details.monthly_recurrence
        and details.monthly_recurrence.recur_month_interval == 6
    )
    yearly = await contracts.create_yearly_autogiro(
        m.YearlyAutogiroContractInvoice(**person, withdrawal_month=3)
    )
    details = (await contracts.get(yearly.public_id or "")).recurrence_details
    assert details and details.yearly_recurrence == m.YearlyRecurrence(
        recur_on_day_in_month=27, recur_on_month=3, recur_year_interval=1
    )
    await refused(
        contracts.create_yearly_autogiro(m.YearlyAutogiroContractInvoice(**person)),
        "WithdrawalMonth",
    )


# -- cost centers, projects, products -------------------------------------------------------------


@scenario(
    ("cost_centers.create", "cost_centers.get"),
    ("cost_centers.update", "cost_centers.get"),
    ("cost_centers.create_many", "cost_centers.list"),
    ("cost_centers.delete", "cost_centers.list"),
)
async def cost_centers(t: T) -> None:
    centers = t.client.cost_centers
    sales = m.CostCenter(creditor_public_id=t.creditor, code="100", description="Sales")
    await centers.create(sales)
    assert_written(sales, await centers.get(t.creditor, "100"))
    sales.description = "Sales North"
    await centers.update(sales)
    assert_written(sales, await centers.get(t.creditor, "100"))
    support = m.CostCenter(creditor_public_id=t.creditor, code="200", description="Support")
    sales.description = "Sales (imported)"
    await centers.create_many([sales, support])
    assert_written([sales, support], await centers.list(t.creditor))
    await centers.delete(t.creditor, "100")
    assert_written([support], await centers.list(t.creditor))


@scenario(
    ("projects.create", "projects.get"),
    ("projects.update", "projects.get"),
    ("projects.create_many", "projects.list"),
    ("projects.delete", "projects.list"),
)
async def projects(t: T) -> None:
    projects = t.client.projects
    house = m.Project(
        creditor_public_id=t.creditor,
        project_number="P1",
        description="House",
        start_date=midnight(today()),
        status=m.ProjectStatusType.ONGOING,
    )
    await projects.create(house)
    assert_written(house, await projects.get(t.creditor, "P1"))
    house.description = "Big house"
    await projects.update(house)
    assert_written(house, await projects.get(t.creditor, "P1"))
    garden = m.Project(creditor_public_id=t.creditor, project_number="P2", description="Garden")
    await projects.create_many([house, garden])
    assert_written([house, garden], await projects.list(t.creditor))
    await projects.delete(t.creditor, "P1")
    assert_written([garden], await projects.list(t.creditor))


@scenario(
    ("products.create", "products.get"),
    ("products.update", "products.get"),
    ("products.create_many", "products.list"),
    ("products.delete", "products.list"),
    ("products.update_template", "products.get_template"),
)
async def products(t: T) -> None:
    products = t.client.products
    sofa = m.Product(
        creditor_public_id=t.creditor,
        article_number="A1",
        description="Sofa",
        units="st",
        unit_price=125.5,
        vat=25.0,
        product_type=m.ProductType.COMMODITY,
        book_keeping_account=3001,
    )
    created = await products.create(sofa)
    assert created.public_id
    assert_written(sofa, await products.get(created.public_id))
    sofa.product_public_id, sofa.description = created.public_id, "Sofa, grey"
    await products.update(sofa)
    assert_written(sofa, await products.get(created.public_id))
    chair = m.Product(creditor_public_id=t.creditor, article_number="B1", description="Chair")
    sofa.unit_price = 99.0
    await products.create_many([sofa, chair])
    listed = await products.list(t.creditor)
    assert_written([sofa, chair], listed, ignore={"product_public_id"})
    await products.delete(created.public_id)
    assert [p.article_number for p in await products.list(t.creditor)] == ["B1"]
    template = m.ProductsTemplate(
        creditor_public_id=t.creditor,
        default_sales_account=3001,
        default_sales_vat=25.0,
        default_sales_units="st",
        default_product_type=m.ProductType.SERVICE,
    )
    await products.update_template(template)
    assert_written(template, await products.get_template(t.creditor))


# -- creditors and users --------------------------------------------------------------------------


@scenario(
    ("creditors.create", "creditors.get"),
    ("creditors.update", "creditors.list"),
    ("creditors.delete", "creditors.get"),
)
async def creditors(t: T) -> None:
    creditors = t.client.creditors
    company = m.Creditor(name="Second AB", org_no="556000-0002", country_code="SE")
    created = await creditors.create(company)
    assert created.public_id
    assert_written(company, await creditors.get(created.public_id))
    company.creditor_public_id, company.vat_number = created.public_id, "SE556000000201"
    await creditors.update(company)
    listed = {c.creditor_public_id: c for c in await creditors.list()}
    assert_written(company, listed[created.public_id])
    subs = {s.creditor_public_id: s for s in await creditors.list_subs()}
    assert subs[created.public_id].name == "Second AB"
    await creditors.delete(created.public_id)
    await denied(creditors.get(created.public_id))


@scenario(
    ("creditors.update_default_action_config", "creditors.get_default_action_config"),
    ("creditors.update_kyc", "creditors.get_kyc"),
    ("creditors.delete_text_template", "creditors.list_text_templates"),
)
async def creditor_settings(t: T) -> None:
    creditors = t.client.creditors
    config = m.DefaultActionConfig(
        creditor_public_id=t.creditor,
        delivery_method=m.DeliveryMethodType.MAIL,
        payment_terms_in_days=15,
        reminder_invoice_fee=60.0,
        send_reminder_invoice=True,
        invoice_fee_only_on_delivery_methods=[m.DeliveryMethodType.MAIL],
    )
    await creditors.update_default_action_config(config)
    assert_written(config, await creditors.get_default_action_config(t.creditor))
    kyc = m.CreditorKyc(
        creditor_public_id=t.creditor,
        creditor_kyc_form=m.CreditorKycForm(is_taxable_in_us=False, is_managing_cash=False),
        signed_by_name="Anna Andersson",
    )
    await creditors.update_kyc(kyc)
    read = await creditors.get_kyc(t.creditor)
    assert_written(kyc, read)
    assert read.state == m.CreditorKycStateType.PENDING
    template = t.emulator.add_text_template("Thank you for your order")
    (listed,) = await creditors.list_text_templates(t.creditor)
    assert listed.invoice_text_template_public_id == template
    await creditors.delete_text_template(t.creditor, template)
    assert await creditors.list_text_templates(t.creditor) == []
    await denied(creditors.delete_text_template(t.creditor, template))


@scenario(
    ("creditors.share", "creditors.list_shares"),
    ("creditors.update_share", "creditors.list_shares"),
    ("creditors.unshare", "creditors.list_shares"),
)
async def creditor_shares(t: T) -> None:
    creditors = t.client.creditors
    other = t.emulator.add_account("bookkeeper")
    share = m.CreditorShare(
        creditor_public_id=t.creditor,
        shared_with_user_name="bookkeeper",
        can_read_bookkeeping=True,
        can_attest_invoice=False,
    )
    await creditors.share(share)
    (shared,) = await creditors.list_shares(t.creditor)
    assert_written(share, shared)
    async with t.emulator.client(t.fmt, session=t.session, secure_token=other) as theirs:
        (granted,) = await theirs.creditors.list_shared()
        assert granted.share_public_id == shared.share_public_id
        assert (await theirs.creditors.get(t.creditor)).creditor_public_id == t.creditor
        share.share_public_id, share.can_attest_invoice = shared.share_public_id, True
        await creditors.update_share(share)
        (updated,) = await creditors.list_shares(t.creditor)
        assert_written(share, updated)
        await creditors.unshare(shared.share_public_id or "")
        assert await creditors.list_shares(t.creditor) == []
        await denied(theirs.creditors.get(t.creditor))


@scenario(
    ("users.create", "users.get"),
    ("users.update", "users.list"),
    ("users.delete", "users.get"),
    ("users.change_password", "users.get"),
)
async def users(t: T) -> None:
    users = t.client.users
    user = m.User(username="anna", full_name="Anna Andersson", email="anna@example.com")
    created = await users.create(user)
    assert created.public_id
    assert_written(user, await users.get(created.public_id))
    user.user_public_id, user.full_name = created.public_id, "Anna Berg"
    await users.update(user)
    listed = {u.user_public_id: u for u in await users.list()}
    assert_written(user, listed[created.public_id])
    await users.delete(created.public_id)
    await denied(users.get(created.public_id))
    await t.client.users.change_password(m.Password(password="a new secret"))
    async with BillectaClient(
        username=t.emulator.username,
        password="a new secret",
        base_url=t.emulator.url,
        format=t.fmt,
        session=t.session,
    ) as signed_in:
        me = await signed_in.users.get(t.emulator.account.user.user_public_id or "")
        assert me.username == t.emulator.username


@scenario(
    ("notifications.subscribe_to_invoice", "notifications.list_invoice_subscriptions"),
    ("notifications.unsubscribe_from_invoice", "notifications.list_invoice_subscriptions"),
)
async def invoice_subscriptions(t: T) -> None:
    notifications = t.client.notifications
    user = t.emulator.account.user.user_public_id or ""
    invoice = await t.invoice()
    await notifications.subscribe_to_invoice(user, invoice)
    assert await notifications.list_invoice_subscriptions(user) == [
        m.UserSubscribedInvoice(user_public_id=user, action_public_id=invoice)
    ]
    await notifications.unsubscribe_from_invoice(user, invoice)
    assert await notifications.list_invoice_subscriptions(user) == []


# -- debt collection ------------------------------------------------------------------------------


@scenario(
    ("debt_collection.create_from_invoice", "debt_collection.get"),
    ("debt_collection.update_address", "debt_collection.get"),
    ("debt_collection.delete_address", "debt_collection.get"),
    ("debt_collection.comment", "debt_collection.get"),
    ("debt_collection.dispute", "debt_collection.get"),
    ("debt_collection.postpone", "debt_collection.get"),
    ("debt_collection.credit", "debt_collection.get"),
    ("debt_collection.cancel", "debt_collection.get"),
)
async def debt_collection(t: T) -> None:
    collections = t.client.debt_collection
    collection_id, invoice = await t.collection()
    collection = await collections.get(collection_id)
    assert collection.invoice_source_public_id == invoice
    assert collection.current_amount == sek(12500) and collection.reason_description == "Due"
    address = m.UpdateAddressAction(
        action_public_id=collection_id, name="Jenny Doe", address="Box 1", zip_code="11122"
    )
    await collections.update_address(address)
    assert_written(address, (await collections.get(collection_id)).delivery_address_override)
    await collections.delete_address(collection_id)
    assert (await collections.get(collection_id)).delivery_address_override is None
    await collections.comment(m.CommentAction(action_public_id=collection_id, comment="Called"))
    assert (await collections.get(collection_id)).events[-1].content == "Called"  # type: ignore[index]
    await collections.postpone(collection_id, days=5)
    state = (await collections.get(collection_id)).state
    assert state and state.next_event_date and state.next_event_date.date() >= today()
    await collections.dispute(collection_id)
    state = (await collections.get(collection_id)).state
    assert state and state.disputed_date is not None
    await collections.credit(
        m.CreditAction(action_public_id=collection_id, value=sek(2500), comment="Goodwill")
    )
    assert (await collections.get(collection_id)).current_amount == sek(10000)
    assert (await t.client.invoices.get(invoice)).current_amount == sek(10000)  # in sync
    await collections.cancel(collection_id)
    state = (await collections.get(collection_id)).state
    assert state and state.stage == m.DebtCollectionActionStageType.CANCELLED
    start, end = around_today()
    (closed,) = await collections.list_closed(t.creditor, start, end)
    assert closed.action_public_id == collection_id
    events = await collections.list_events(t.creditor, start, end)
    assert {e.action_public_id for e in events} == {collection_id}


@scenario(
    ("debt_collection.create_from_invoice_with_defaults", "debt_collection.get"),
    ("debt_collection.create_from_reconciliation_invoice", "debt_collection.get"),
    ("debt_collection.create", "debt_collection.list_open"),
)
async def debt_collection_sources(t: T) -> None:
    collections = t.client.debt_collection
    await t.client.creditors.update_default_action_config(
        m.DefaultActionConfig(
            creditor_public_id=t.creditor,
            debt_collection_payment_terms_in_days=12,
            reason_description="Unpaid",
        )
    )
    invoice = await t.invoice(send=True)
    by_default = await collections.create_from_invoice_with_defaults(invoice)
    collection = await collections.get(by_default.public_id or "")
    assert collection.invoice_source_public_id == invoice
    # "This endpoint uses the values in the default configuration"
    assert (collection.payment_terms_in_days, collection.reason_description) == (12, "Unpaid")
    reconciliation = await t.reconciliation(5000)
    from_reconciliation = await collections.create_from_reconciliation_invoice(
        m.DebtCollectionFromReconciliationInvoiceEntry(
            source_public_id=reconciliation, address="Storgatan 2", city="Lund"
        )
    )
    collection = await collections.get(from_reconciliation.public_id or "")
    assert collection.current_amount == sek(5000)
    assert collection.debtor and collection.debtor.address == "Storgatan 2"
    debtor = await t.debtor()
    entry = m.DebtCollectionEntry(
        creditor_public_id=t.creditor,
        debtor_public_id=debtor,
        value=sek(30000),
        original_invoice_number="X-17",
        original_invoice_date=midnight(today() - timedelta(days=60)),
        original_due_date=midnight(today() - timedelta(days=30)),
        original_invoice_file=m.File(
            file_name="X-17.pdf", content_type="application/pdf", data=b"%PDF-1.4 x"
        ),
    )
    await collections.create(entry)
    open_ones = {c.original_invoice_number: c for c in await collections.list_open(t.creditor)}
    assert open_ones["X-17"].current_amount == sek(30000)
    await refused(
        collections.create(
            m.DebtCollectionEntry(creditor_public_id=t.creditor, debtor_public_id=debtor)
        ),
        "Value",
    )


# -- debtors --------------------------------------------------------------------------------------


@scenario(
    ("debtors.create", "debtors.get"),
    ("debtors.update", "debtors.list"),
    ("debtors.create_many", "debtors.list"),
    ("debtors.anonymize", "debtors.get"),
    ("debtors.delete", "debtors.get"),
)
async def debtors(t: T) -> None:
    debtors = t.client.debtors
    jenny = m.Debtor(
        creditor_public_id=t.creditor,
        name="Jenny Doe",
        org_no="198001139297",
        address="Storgatan 1",
        zip_code="11122",
        city="Stockholm",
        country_code="SE",
        email="jenny@example.com",
        debtor_type=m.DebtorType.PRIVATE,
        debtor_external_id="crm-7",
    )
    created = await debtors.create(jenny)
    assert created.public_id
    assert_written(jenny, await debtors.get(created.public_id))
    jenny.debtor_public_id, jenny.phone = created.public_id, "0701234567"
    await debtors.update(jenny)
    (listed,) = await debtors.list(t.creditor)
    assert_written(jenny, listed)
    bo = m.Debtor(creditor_public_id=t.creditor, name="Bo Ek", debtor_no="B-1")
    jenny.email = "jenny@doe.se"
    await debtors.create_many([jenny, bo])
    found = {d.name: d for d in await debtors.list(t.creditor)}
    assert_written(jenny, found["Jenny Doe"])
    assert_written(bo, found["Bo Ek"])
    await debtors.anonymize(created.public_id)
    anonymous = await debtors.get(created.public_id)
    assert anonymous.is_active is False and anonymous.org_no is None and anonymous.email is None
    assert anonymous.name != "Jenny Doe"
    events = await debtors.list_events(created.public_id)
    assert [e.event_type for e in events] == [
        m.EventType.CREATED,
        m.EventType.UPDATED,
        m.EventType.UPDATED,
        m.EventType.UPDATED,
    ]
    await debtors.delete(created.public_id)
    await denied(debtors.get(created.public_id))


@scenario(
    ("debtors.update_category", "debtors.list_categories"),
    ("debtors.add_to_category", "debtors.list"),
    ("debtors.add_many_to_category", "debtors.list"),
    ("debtors.remove_from_category", "debtors.list"),
    ("debtors.delete_category", "debtors.list_categories"),
)
async def debtor_categories(t: T) -> None:
    debtors = t.client.debtors
    await debtors.update_category(t.creditor, "Gold")
    (gold,) = await debtors.list_categories(t.creditor)
    assert gold.category_name == "Gold" and gold.category_public_id
    await debtors.update_category(
        t.creditor, "Platinum", category_public_id=gold.category_public_id
    )
    assert [c.category_name for c in await debtors.list_categories(t.creditor)] == ["Platinum"]
    first, second, third = [await t.debtor(name=n) for n in ("A", "B", "C")]
    await debtors.add_to_category(t.creditor, first, gold.category_public_id)
    members = await debtors.list(t.creditor, filter="", category_public_id=gold.category_public_id)
    assert [d.debtor_public_id for d in members] == [first]
    await debtors.add_many_to_category(
        m.AddMultipleDebtorsToCategoryRequest(
            creditor_public_id=t.creditor,
            category_public_id=gold.category_public_id,
            debtor_public_ids=[second, third],
        )
    )
    members = await debtors.list(t.creditor, filter="", category_public_id=gold.category_public_id)
    assert {d.debtor_public_id for d in members} == {first, second, third}
    await debtors.remove_from_category(t.creditor, second, gold.category_public_id)
    members = await debtors.list(t.creditor, filter="", category_public_id=gold.category_public_id)
    assert {d.debtor_public_id for d in members} == {first, third}
    await debtors.delete_category(t.creditor, gold.category_public_id)
    assert await debtors.list_categories(t.creditor) == []


@scenario(
    ("debtors.create_credit_card_intent", "debtors.get_credit_card_intent"),
    ("debtors.delete_credit_card", "debtors.get_credit_card_intent"),
    ("debtors.delete_credit_card", "debtors.get"),
)
async def saved_cards(t: T) -> None:
    debtors = t.client.debtors
    debtor = await t.debtor()
    intent = m.CreditCardAddIntent(
        debtor_public_id=debtor,
        success_url="https://shop.example/ok",
        failure_url="https://shop.example/failed",
        language=m.LanguageType.EN,
    )
    created = await debtors.create_credit_card_intent(intent)
    assert created.status == m.CreditCardAddStatusType.PENDING and created.add_window_url
    read = await debtors.get_credit_card_intent(created.public_id or "")
    assert_written(intent, read)
    await t.wait(CARD_DELAY)  # the payer completes the window
    read = await debtors.get_credit_card_intent(created.public_id or "")
    assert read.status == m.CreditCardAddStatusType.SUCCEEDED
    cards = (await debtors.get(debtor)).credit_cards or []
    assert [c.credit_card_public_id for c in cards] == [created.public_id]
    await debtors.delete_credit_card(created.public_id or "")
    await denied(debtors.get_credit_card_intent(created.public_id or ""))
    assert not (await debtors.get(debtor)).credit_cards


# -- invoices -------------------------------------------------------------------------------------


@scenario(
    ("invoices.create", "invoices.get"),
    ("invoices.update", "invoices.get"),
    ("invoices.delete", "invoices.get"),
    ("invoices.attest", "invoices.get"),
    ("invoices.send", "invoices.get"),
    ("invoices.comment", "invoices.get"),
    ("invoices.mark_as_viewed", "invoices.get"),
)
async def invoice_life_cycle(t: T) -> None:
    invoices = t.client.invoices
    entry = t.entry(
        await t.debtor(),
        our_reference="Anna",
        your_reference="Bo",
        message="Thank you",
        invoice_date=midnight(today()),
        due_date=midnight(today() + timedelta(days=20)),
        interest_percentage=8.0,
        interest_type=m.InterestType.FIXED,
        send_by_mail_if_email_not_viewed_in_days=5,
        reminder_invoice_details=m.ReminderInvoiceDetails(
            send_reminder_invoice=True, days_delay_after_due_date=10
        ),
        external_reference="order-7",
    )
    created = await invoices.create(entry)
    assert created.public_id
    assert_written(entry, await invoices.get(created.public_id))
    entry.message = "Thanks again"
    await invoices.update(created.public_id, entry)
    assert (await invoices.get(created.public_id)).message == "Thanks again"
    await invoices.attest(created.public_id)
    attested = await invoices.get(created.public_id)
    assert attested.invoice_number and attested.state
    assert attested.state.stage == m.InvoiceActionStageType.ATTESTED
    await invoices.send(created.public_id, delivery_method=m.DeliveryMethodType.EMAIL)
    sent = await invoices.get(created.public_id)
    assert sent.state and sent.state.stage == m.InvoiceActionStageType.INVOICE_SENT
    await invoices.comment(
        m.CommentAction(
            action_public_id=created.public_id,
            comment="Called the customer",
            target=m.CommentTargetType.PRIVATE,
        )
    )
    last = ((await invoices.get(created.public_id)).events or [])[-1]
    assert (last.content, last.is_public) == ("Called the customer", False)
    await invoices.mark_as_viewed(created.public_id)
    viewed = await invoices.get(created.public_id)
    assert event_types(viewed)[-1] == m.EventType.READ_BY_USER
    assert viewed.send_by_mail_if_email_not_viewed_in_days is None  # no mail after all
    draft = await t.invoice()
    await invoices.delete(draft)
    await denied(invoices.get(draft))


@scenario(
    ("invoices.update_address", "invoices.get"),
    ("invoices.delete_address", "invoices.get"),
    ("invoices.pause", "invoices.get"),
    ("invoices.resume", "invoices.get"),
    ("invoices.postpone", "invoices.get"),
    ("invoices.dispute", "invoices.get"),
    ("invoices.cancel_dispute", "invoices.get"),
)
async def invoice_changes(t: T) -> None:
    invoices = t.client.invoices
    invoice = await t.invoice(send=True)
    address = m.UpdateAddressAction(
        action_public_id=invoice, name="Jenny Doe", care_of="Bo", address="Box 7", city="Lund"
    )
    await invoices.update_address(address)
    assert_written(address, (await invoices.get(invoice)).delivery_address_override)
    await invoices.delete_address(invoice, m.UpdateAddressAction(action_public_id=invoice))
    assert (await invoices.get(invoice)).delivery_address_override is None
    await invoices.pause(invoice)
    assert (await invoices.get(invoice)).state.is_paused  # type: ignore[union-attr]
    await invoices.resume(invoice)
    assert not (await invoices.get(invoice)).state.is_paused  # type: ignore[union-attr]
    due = (await invoices.get(invoice)).due_date
    await invoices.postpone(invoice, days=7)
    assert due and (await invoices.get(invoice)).due_date == due + timedelta(days=7)
    await invoices.dispute(invoice)
    assert (await invoices.get(invoice)).state.disputed_date  # type: ignore[union-attr]
    await invoices.cancel_dispute(invoice)
    assert (await invoices.get(invoice)).state.disputed_date is None  # type: ignore[union-attr]


@scenario(
    ("invoices.create_and_send_reminder", "invoices.get"),
    ("invoices.cancel_reminder", "invoices.get"),
    ("invoices.create_interest_invoice", "invoices.get"),
)
async def reminders_and_interest(t: T) -> None:
    invoices = t.client.invoices
    invoice = await t.invoice(send=True)
    reminder = await invoices.create_and_send_reminder(
        m.SendReminderInvoice(invoice_action_public_id=invoice, reminder_fee=sek(6000))
    )
    reminded = await invoices.get(invoice)
    assert reminded.reminder_invoice_action_public_id == reminder.public_id
    assert reminded.current_amount == sek(18500)
    (open_reminder,) = await invoices.list_open_reminders(t.creditor)
    assert open_reminder.action_public_id == reminder.public_id
    await invoices.cancel_reminder(invoice)
    relieved = await invoices.get(invoice)
    assert relieved.current_amount == sek(12500)  # the fee is removed
    assert relieved.state and relieved.state.stage == m.InvoiceActionStageType.INVOICE_SENT
    assert await invoices.list_open_reminders(t.creditor) == []
    start, end = today() - timedelta(days=365), today()
    created = await invoices.create_interest_invoice(
        invoice, start, end, m.InterestType.FIXED, 10.0
    )
    interest = await invoices.get(created.public_id or "")
    assert interest.action_type == m.ActionType.INTEREST_INVOICE_ACTION
    assert interest.invoiced_amount == sek(round(12500 * 0.10 * (end - start).days / 365))


@scenario(
    ("invoices.register_payment", "invoices.get"),
    ("invoices.credit", "invoices.get"),
    ("invoices.create_verification_invoice", "invoices.get"),
)
async def payments_and_credits(t: T) -> None:
    invoices = t.client.invoices
    invoice = await t.invoice(send=True)
    await invoices.register_payment(
        m.RegisterPayment(action_public_id=invoice, amount=sek(2500), payment_mean_code="BG")
    )
    assert (await invoices.get(invoice)).paid_amount == sek(2500)
    debtor = (await invoices.get(invoice)).debtor
    credit = await t.client.invoices.create(
        t.entry(
            debtor.debtor_public_id if debtor else "",
            8000,
            action_type=m.ActionType.CREDIT_INVOICE_ACTION,
        )
    )
    await invoices.attest(credit.public_id or "")
    await invoices.credit(invoice, credit.public_id or "")
    credited = await invoices.get(invoice)
    assert credited.credited_amount == sek(10000) and credited.current_amount == sek(0)
    verification = m.VerificationInvoiceActionEntry(
        creditor_public_id=t.creditor,
        debtor_public_id=await t.debtor(),
        records=[m.InvoiceActionRecord(article_description="Cash sale", unit_price=sek(500))],
    )
    created = await invoices.create_verification_invoice(verification)
    closed = await invoices.get(created.public_id or "")
    assert closed.action_type == m.ActionType.VERIFICATION_INVOICE_ACTION
    assert closed.state and closed.state.stage == m.InvoiceActionStageType.COMPLETED


@scenario(
    ("invoices.create_autogiro_withdrawal", "invoices.get"),
    ("invoices.cancel_autogiro_withdrawal", "invoices.get"),
    ("invoices.create_card_withdrawal", "invoices.get"),
)
async def withdrawals(t: T) -> None:
    invoices = t.client.invoices
    autogiro = m.DebtorAutogiro(active=True, clearing_no="8327", account_no="9412345678")
    debtor = await t.debtor(autogiro=autogiro)
    invoice = await t.invoice(attest=True, debtor=debtor)
    await invoices.create_autogiro_withdrawal(invoice)
    planned = await invoices.get(invoice)
    assert planned.autogiro == m.AutogiroWithdrawal(autogiro_withdrawal_enabled=True)
    await invoices.cancel_autogiro_withdrawal(invoice)
    assert (await invoices.get(invoice)).autogiro == m.AutogiroWithdrawal(
        autogiro_withdrawal_enabled=False
    )
    without = await t.invoice(attest=True)
    await refused(invoices.create_autogiro_withdrawal(without), "autogiro")
    await refused(invoices.create_card_withdrawal(without), "card")
    added = await t.client.debtors.create_credit_card_intent(
        m.CreditCardAddIntent(debtor_public_id=debtor, success_url="a:/", failure_url="b:/")
    )
    assert added.public_id
    await t.wait(CARD_DELAY)
    await invoices.create_card_withdrawal(invoice, payment_date=today() + timedelta(days=3))
    assert (await invoices.get(invoice)).credit_card == m.CreditCardWithdrawal(
        credit_card_withdrawal_enabled=True
    )


@scenario(
    ("invoices.create_credit_card_payment", "invoices.list_credit_card_payments"),
    ("invoices.cancel_credit_card_payment", "invoices.list_credit_card_payments"),
    ("invoices.refund_credit_card_payment", "invoices.list_credit_card_payments"),
)
async def card_payments(t: T) -> None:
    invoices = t.client.invoices
    invoice = await t.invoice(send=True)
    intent = m.CreditCardPaymentIntentView(
        action_public_id=invoice, success_url="https://a.example/", failure_url="https://b.example/"
    )
    cancelled = await invoices.create_credit_card_payment(intent)
    assert cancelled.status == m.CreditCardPaymentStatusType.PENDING
    assert cancelled.amount == sek(12500)
    await invoices.cancel_credit_card_payment(invoice)  # by the invoice's id
    (listed,) = await invoices.list_credit_card_payments(invoice)
    assert listed.status == m.CreditCardPaymentStatusType.FAILED
    paid = await invoices.create_credit_card_payment(intent)
    await t.wait(CARD_DELAY)
    listed = (await invoices.list_credit_card_payments(invoice))[-1]
    assert listed.payment_public_id == paid.payment_public_id
    assert listed.status == m.CreditCardPaymentStatusType.SUCCEEDED
    closed = await invoices.get(invoice)
    assert closed.state and closed.state.stage == m.InvoiceActionStageType.COMPLETED
    await invoices.refund_credit_card_payment(
        m.CardRefundPayment(payment_public_id=paid.payment_public_id, amount=sek(2500))
    )
    listed = (await invoices.list_credit_card_payments(invoice))[-1]
    assert listed.refunded_amount == sek(2500)
    assert listed.status == m.CreditCardPaymentStatusType.SUCCEEDED
    await refused(
        invoices.refund_credit_card_payment(
            m.CardRefundPayment(payment_public_id=paid.payment_public_id, amount=sek(10001))
        ),
        "at most 10000",
    )


@scenario(
    ("payments.create_swish_payment", "payments.get_swish_payment_status"),
    ("invoices.refund_swish_payment", "payments.get_swish_payment_status"),
)
async def swish(t: T) -> None:
    invoice = await t.invoice(send=True)
    started = await t.client.payments.create_swish_payment(invoice, "46700000000")
    await t.wait(5)
    status = await t.client.payments.get_swish_payment_status(started.public_id or "")
    assert status.status == m.SwishStatusType.PAID and status.amount == sek(12500)
    await t.client.invoices.refund_swish_payment(
        m.SwishRefundPayment(payment_public_id=started.public_id, amount=sek(500))
    )
    status = await t.client.payments.get_swish_payment_status(started.public_id or "")
    assert status.refunded_amount == sek(500)


@scenario(
    ("invoices.mark_rot_processed", "invoices.list_rot_processed"),
    ("invoices.unmark_rot_processed", "invoices.list_rot_processed"),
    ("invoices.mark_rut_processed", "invoices.list_rut_processed"),
    ("invoices.unmark_rut_processed", "invoices.list_rut_processed"),
)
async def rot_and_rut(t: T) -> None:
    invoices = t.client.invoices
    for kind, work in (("rot", m.RotRutType.PAINTING_WALLPAPERING), ("rut", m.RotRutType.CLEANING)):
        record = m.InvoiceActionRecord(
            article_description="Work",
            quantity=10.0,
            unit_price=sek(50000),
            vat=25.0,
            rot_rut_activated=True,
            rot_rut_type=work,
            rot_rut_amount=sek(150000),
        )
        invoice = await t.invoice(attest=True, records=[record])
        ids = m.ActionPublicIds(action_public_ids=[invoice])
        create_xml = getattr(invoices, f"create_{kind}_xml")
        assert f'Typ="{kind.upper()}"'.encode() in await create_xml(ids)
        zipped = await getattr(invoices, f"create_{kind}_xml_zipped")(ids)
        assert zipfile.ZipFile(BytesIO(zipped)).namelist() == [f"{kind.upper()}.xml"]
        listing = getattr(invoices, f"list_{kind}_processed")
        await getattr(invoices, f"mark_{kind}_processed")(ids)
        (marked,) = await listing([invoice], t.creditor, today())
        assert marked.action_public_id == invoice and marked.processed_by == t.emulator.username
        await refused(create_xml(ids), kind.upper())  # processed ones are left out
        await getattr(invoices, f"unmark_{kind}_processed")(ids)
        assert await listing([invoice], t.creditor, today()) == []


@scenario(("invoices.merge", "invoices.list_open"))
async def merge(t: T) -> None:
    debtor = await t.debtor()
    first = await t.invoice(debtor=debtor, price=1000)
    second = await t.invoice(debtor=debtor, price=2000)
    await t.client.invoices.merge([first, second], due_date=today() + timedelta(days=9))
    (merged,) = await t.client.invoices.list_open(t.creditor)
    assert merged.action_public_id not in (first, second)
    invoice = await t.client.invoices.get(merged.action_public_id or "")
    assert [r.unit_price for r in invoice.records or []] == [sek(1000), sek(2000)]
    assert invoice.due_date == midnight(today() + timedelta(days=9))
    await denied(t.client.invoices.get(first))


# -- reconciliation invoices ----------------------------------------------------------------------


@scenario(
    ("reconciliation_invoices.create", "reconciliation_invoices.get"),
    ("reconciliation_invoices.update", "reconciliation_invoices.get"),
    ("reconciliation_invoices.send", "reconciliation_invoices.get"),
    ("reconciliation_invoices.comment", "reconciliation_invoices.get"),
    ("reconciliation_invoices.send_reminder", "reconciliation_invoices.get"),
    ("reconciliation_invoices.register_payment", "reconciliation_invoices.get"),
    ("reconciliation_invoices.cancel_autogiro_withdrawal", "reconciliation_invoices.get"),
    ("reconciliation_invoices.delete", "reconciliation_invoices.get"),
)
async def reconciliation_life_cycle(t: T) -> None:
    reconciliations = t.client.reconciliation_invoices
    withdrawal = midnight(today() + timedelta(days=20))
    entry = m.ReconciliationInvoiceActionEntry(
        creditor_public_id=t.creditor,
        debtor=m.ReconciliationDebtor(name="Jenny Doe", org_no="198001139297"),
        invoice_number="R-7",
        ocr="70070",
        current_amount=sek(30000),
        external_reference="order-9",
        autogiro_withdrawal_date=withdrawal,
    )
    created = await reconciliations.create(entry)
    action_id = created.public_id or ""
    assert_written(entry, await reconciliations.get(action_id), ignore={"current_amount"})
    entry.external_url = "https://shop.example/r7"
    await reconciliations.update(action_id, entry)
    assert (await reconciliations.get(action_id)).external_url == "https://shop.example/r7"
    await reconciliations.send(action_id, method=m.DeliveryMethodType.EMAIL)
    sent = await reconciliations.get(action_id)
    assert sent.state and sent.state.stage == m.ReconciliationInvoiceActionStageType.INVOICE_SENT
    await reconciliations.comment(m.CommentAction(action_public_id=action_id, comment="Hi"))
    assert ((await reconciliations.get(action_id)).events or [])[-1].content == "Hi"
    pdf = m.File(file_name="reminder.pdf", content_type="application/pdf", data=b"%PDF-1.4 r")
    await reconciliations.send_reminder(
        m.SendReconciliationInvoiceReminder(
            reconciliation_invoice_action_public_id=action_id,
            reminder_fee=sek(6000),
            reminder_file=pdf,
        )
    )
    reminded = await reconciliations.get(action_id)
    assert reminded.current_reminder_fees == sek(6000)
    (kept,) = reminded.reminder_invoices or []
    assert kept.file and kept.file.file_public_id
    assert await t.client.files.get_content(kept.file.file_public_id) == b"%PDF-1.4 r"
    await reconciliations.register_payment(
        m.RegisterReconciliationPayment(action_public_id=action_id, amount=sek(10000))
    )
    assert (await reconciliations.get(action_id)).current_amount == sek(20000)
    await reconciliations.cancel_autogiro_withdrawal(action_id)
    assert (await reconciliations.get(action_id)).autogiro_withdrawal_date is None
    start, end = around_today()
    events = await reconciliations.list_events(t.creditor, start, end)
    assert {e.action_public_id for e in events} == {action_id}
    await reconciliations.delete(action_id)
    await denied(reconciliations.get(action_id))


@scenario(
    (
        "reconciliation_invoices.create_credit_card_payment",
        "invoices.list_credit_card_payments",
    ),
    (
        "reconciliation_invoices.cancel_credit_card_payment",
        "invoices.list_credit_card_payments",
    ),
    (
        "reconciliation_invoices.refund_credit_card_payment",
        "invoices.list_credit_card_payments",
    ),
    ("reconciliation_invoices.refund_swish_payment", "payments.get_swish_payment_status"),
)
async def reconciliation_payments(t: T) -> None:
    reconciliations = t.client.reconciliation_invoices
    action_id = await t.reconciliation(4000)
    intent = m.CreditCardPaymentIntentView(
        action_public_id=action_id, success_url="https://a/", failure_url="https://b/"
    )
    pending = await reconciliations.create_credit_card_payment(intent)
    await reconciliations.cancel_credit_card_payment(pending.payment_public_id or "")
    (cancelled,) = await t.client.invoices.list_credit_card_payments(action_id)
    assert cancelled.status == m.CreditCardPaymentStatusType.FAILED
    paid = await reconciliations.create_credit_card_payment(intent)
    await t.wait(CARD_DELAY)
    await reconciliations.refund_credit_card_payment(
        m.CardRefundPayment(payment_public_id=paid.payment_public_id, amount=sek(4000))
    )
    refunded = (await t.client.invoices.list_credit_card_payments(action_id))[-1]
    assert refunded.status == m.CreditCardPaymentStatusType.REFUNDED
    assert refunded.refunded_amount == sek(4000)
    other = await t.reconciliation(3000, invoice_number="R-2")
    swish = await t.client.payments.create_swish_payment(other, "46700000000")
    await t.wait(5)
    assert (await t.client.payments.get_swish_payment_status(swish.public_id or "")).status == (
        m.SwishStatusType.PAID
    )
    closed = await reconciliations.get(other)
    assert closed.state and closed.state.stage == m.ReconciliationInvoiceActionStageType.COMPLETED
    await reconciliations.refund_swish_payment(
        m.SwishRefundPayment(payment_public_id=swish.public_id, amount=sek(3000))
    )
    status = await t.client.payments.get_swish_payment_status(swish.public_id or "")
    assert status.refunded_amount == sek(3000)


# -- self invoices --------------------------------------------------------------------------------


@scenario(
    ("self_invoices.create", "self_invoices.get"),
    ("self_invoices.update", "self_invoices.get"),
    ("self_invoices.delete", "self_invoices.get"),
    ("self_invoices.attest", "self_invoices.get"),
    ("self_invoices.comment", "self_invoices.get"),
    ("self_invoices.pause", "self_invoices.get"),
    ("self_invoices.resume", "self_invoices.get"),
    ("self_invoices.send", "self_invoices.get"),
    ("self_invoices.send_payment", "self_invoices.get"),
    ("self_invoices.register_external_payment", "self_invoices.get"),
    ("self_invoices.cancel", "self_invoices.get"),
)
async def self_invoice_life_cycle(t: T) -> None:
    selfs = t.client.self_invoices
    entry = t.self_entry(
        await t.debtor(), our_reference="Anna", external_id="ext-1", bankgiro_no="5050-1055"
    )
    created = await selfs.create(entry)
    action_id = created.public_id or ""
    assert_written(entry, await selfs.get(action_id))
    (by_external,) = await selfs.list_by_external_id(t.creditor, "ext-1")
    assert by_external.action_public_id == action_id
    entry.message = "Thanks"
    await selfs.update(action_id, entry)
    assert (await selfs.get(action_id)).message == "Thanks"
    assert (await selfs.preview(action_id)).startswith(b"%PDF")
    await selfs.attest(action_id)
    stage = lambda action: action.state.stage if action.state else None  # noqa: E731
    assert stage(await selfs.get(action_id)) == m.SelfInvoiceActionStageType.ATTESTED
    await selfs.comment(m.CommentAction(action_public_id=action_id, comment="Checked"))
    assert ((await selfs.get(action_id)).events or [])[-1].content == "Checked"
    await selfs.pause(action_id)
    assert (await selfs.get(action_id)).state.is_paused  # type: ignore[union-attr]
    await selfs.resume(action_id)
    assert not (await selfs.get(action_id)).state.is_paused  # type: ignore[union-attr]
    await selfs.send(action_id, method=m.DeliveryMethodType.EMAIL)
    sent = await selfs.get(action_id)
    assert stage(sent) == m.SelfInvoiceActionStageType.INVOICE_SENT
    assert sent.delivery_method == m.DeliveryMethodType.EMAIL
    payday = midnight(today() + timedelta(days=2))
    await selfs.send_payment(
        m.SelfInvoicePayment(action_public_id=action_id, payment_date=payday, amount=sek(5000))
    )
    planned = (await selfs.get(action_id)).state
    assert planned and planned.next_payment_date == payday
    assert planned.next_payment_amount == sek(5000)
    await selfs.register_external_payment(
        m.RegisterSelfInvoiceExternalPayment(action_public_id=action_id, amount=sek(5000))
    )
    assert (await selfs.get(action_id)).current_amount == sek(15000)
    await selfs.cancel(action_id)
    assert stage(await selfs.get(action_id)) == m.SelfInvoiceActionStageType.CANCELLED
    draft = await t.self_invoice()
    await selfs.delete(draft)
    await denied(selfs.get(draft))
    start, end = around_today()
    events = await selfs.list_events(t.creditor, start, end)
    assert {e.action_public_id for e in events} == {action_id}


# -- payments: unhandled, matched, outgoing -------------------------------------------------------


@scenario(
    ("payments.create_unhandled_payment", "payments.get_unhandled_payment"),
    ("payments.delete_unhandled_payment", "payments.list_unhandled_payments"),
    ("payments.match_payments", "payments.get_unhandled_payment"),
    ("payments.match_payments", "invoices.get"),
)
async def unhandled_payments(t: T) -> None:
    payments = t.client.payments
    unknown = m.UnhandledPayment(
        creditor_public_id=t.creditor,
        amount=sek(12500),
        reference="OCR 123",
        sender_name="Jenny Doe",
        payment_date=midnight(today()),
    )
    created = await payments.create_unhandled_payment(unknown)
    payment_id = created.public_id or ""
    read = await payments.get_unhandled_payment(payment_id)
    assert_written(unknown, read)
    assert read.state == m.UnhandledPaymentStateTypeView.UNHANDLED
    invoice = await t.invoice(send=True)
    (result,) = await payments.match_payments(
        t.creditor,
        [m.PaymentMatch(unhandled_payment_public_id=payment_id, action_public_id=invoice)],
    )
    assert result.successfull, result.response_message
    used = await payments.get_unhandled_payment(payment_id)
    assert used.state == m.UnhandledPaymentStateTypeView.USED_ON_INVOICE
    paid = await t.client.invoices.get(invoice)
    assert paid.state and paid.state.stage == m.InvoiceActionStageType.COMPLETED
    start, end = around_today()
    incoming = await payments.list_incoming_payments(
        m.IncomingPaymentRequest(
            creditor_public_id=t.creditor, from_=midnight(start), to=midnight(end)
        )
    )
    assert [p.action_public_id for p in incoming] == [invoice]
    stray = await payments.create_unhandled_payment(
        m.UnhandledPayment(creditor_public_id=t.creditor, amount=sek(100))
    )
    assert [
        p.unhandled_payment_public_id for p in await payments.list_unhandled_payments(t.creditor)
    ] == [stray.public_id]
    await payments.delete_unhandled_payment(
        stray.public_id or "", bookkeeping_account="3740", transaction_date=today()
    )
    assert await payments.list_unhandled_payments(t.creditor) == []
    deleted = await payments.get_unhandled_payment(stray.public_id or "")
    assert deleted.state == m.UnhandledPaymentStateTypeView.DELETED


@scenario(
    ("payments.create_outgoing_payment", "payments.get_outgoing_payment_status"),
    ("payments.set_outgoing_payment_status", "payments.list_outgoing_payment_statuses"),
    ("payments.delete_outgoing_payment", "payments.get_outgoing_payment_status"),
)
async def outgoing_payments(t: T) -> None:
    payments = t.client.payments
    outgoing = m.OutgoingPayment(
        creditor_public_id=t.creditor,
        receiving_bankgiro_no="5050-1055",
        receiver_name="Supplier AB",
        amount=sek(99900),
        payment_date=midnight(today() + timedelta(days=1)),
        reference="Invoice 77",
    )
    created = await payments.create_outgoing_payment(outgoing)
    payment_id = created.public_id or ""
    status = await payments.get_outgoing_payment_status(payment_id)
    assert_written(outgoing, status)
    assert status.status == m.OutgoingPaymentStatusType.QUEUED
    await payments.set_outgoing_payment_status(payment_id, True)
    start, end = around_today()
    (listed,) = await payments.list_outgoing_payment_statuses(t.creditor, start, end)
    assert listed.payment_public_id == payment_id
    assert listed.status == m.OutgoingPaymentStatusType.SUCCEDED
    second = await payments.create_outgoing_payment(outgoing)
    await payments.delete_outgoing_payment(second.public_id or "")
    aborted = await payments.get_outgoing_payment_status(second.public_id or "")
    assert aborted.status == m.OutgoingPaymentStatusType.ABORTED


# -- the checks -----------------------------------------------------------------------------------


def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile(
        "^" + "".join("[^/]*" if p.startswith("{") else re.escape(p) for p in parts) + "$"
    )


ROUTES = [(key[0], _pattern(key[1]), info) for key, info in endpoint_table().items()]


def operation_of(method: str, url: URL) -> str:
    """The catalogue operation a request on the wire is (by verb, path and query)."""
    for verb, pattern, info in ROUTES:
        if verb == method and pattern.match(url.raw_path):
            return info.form(url.query.keys()).operation
    raise AssertionError(f"no documented endpoint {method} {url.raw_path}")


def test_every_writer_is_proven_or_has_no_read_back() -> None:
    covered = {writer for s in SCENARIOS for writer, _ in s.pairs}
    assert set(QUERIES) <= set(OPERATIONS) and set(NO_READ_BACK) <= set(WRITERS)
    assert not covered & set(NO_READ_BACK), "a writer is both proven and said unreadable"
    missing = [w for w in WRITERS if w not in covered and w not in NO_READ_BACK]
    assert not missing, f"{len(missing)} writers without a scenario: {missing}"
    assert covered <= set(WRITERS), f"not writers: {covered - set(WRITERS)}"
    assert len(WRITERS) == len(covered) + len(NO_READ_BACK) > 140


def test_each_claimed_reader_is_one_the_catalogue_gives() -> None:
    for case in SCENARIOS:
        for writer, reader in case.pairs:
            assert reader in readers(writer), f"{case.name}: {reader} does not read {writer}"
    claimed = {pair for s in SCENARIOS for pair in s.pairs}
    unused = [pair for pair in READERS if pair not in claimed]
    assert not unused, f"explicit readers no scenario uses: {unused}"
    needless = [pair for pair in READERS if pair[1] in derived_readers(OPERATIONS[pair[0]])]
    assert not needless, f"explicit readers the catalogue already gives: {needless}"


@pytest.fixture
def billecta_clock() -> Clock:
    """Faster than the plugin's default: BankID's ten seconds take 50 ms."""
    return ScaledClock(200)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("case", SCENARIOS, ids=lambda s: s.name)
async def test_what_is_written_is_read_back(
    case: Scenario, fmt: Literal["json", "xml"], billecta_emulator: BillectaEmulator
) -> None:
    called: list[str] = []

    async def record(session: Any, context: Any, params: aiohttp.TraceRequestStartParams) -> None:
        called.append(operation_of(params.method, params.url))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(record)
    async with (
        aiohttp.ClientSession(trace_configs=[trace]) as session,
        billecta_emulator.client(fmt, session=session, max_retries=0) as client,
    ):
        await case.run(
            T(billecta_emulator, client, billecta_emulator.creditor_public_id, fmt, session)
        )
    for event in billecta_emulator.state.events:  # each is what its event type documents
        encode_webhook(
            event.event_type,
            event.data,
            creditor_public_id=event.creditor_public_id or "",
            additional_data=event.additional_data,
            format=fmt,
        )
    for writer, reader in case.pairs:
        assert writer in called, f"{writer} was never called"
        after = called[called.index(writer) + 1 :]
        assert reader in after, f"{reader} was not called after {writer}"
