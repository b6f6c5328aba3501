"""Bulk endpoints are all-or-nothing in the emulator: one item refused, nothing is stored.

The bulk endpoints come from the catalogue: every operation whose body is a list model
(``Products``, ``Debtors``, ...) or carries a list of public ids (``ActionPublicIds``,
``DebtorPublicIds``). Each that stores something is sent a batch whose last item is refused,
and must leave what the API reads back, and the webhook events, exactly as they were; the
others only compute an answer or, like matching payments, answer each item on its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from _builders import sek, today

from billecta_async import BadRequestError, BillectaClient, UnauthorizedError
from billecta_async import models as m
from billecta_async._catalogue import catalogue
from billecta_async._wire import field_specs
from billecta_async.testing import BillectaEmulator

FORMATS = pytest.mark.parametrize("billecta_format", ["json", "xml"])
UNKNOWN = "0b7c3e52-9a1f-4d7e-8c2a-5f6e7d8c9b0a"


def bulk_operations() -> set[str]:
    found = set()
    for op in catalogue().operations:
        body = op.body
        if body is None:
            continue
        lists_ids = not body.is_list and any(
            spec.is_list and spec.name.endswith("PublicIds")
            for spec in field_specs(op.body_model())
        )
        if body.is_list or lists_ids:
            found.add(f"{op.resource}.{op.name}")
    return found


#: Bulk operations that store nothing, or answer each item on its own, and why.
NOT_ALL_OR_NOTHING = {
    "search.actions": "a search: stores nothing",
    "debtors.match_with_kivra": "answers each debtor's Kivra status: stores nothing",
    "invoices.create_rot_xml": "a file of the invoices: stores nothing",
    "invoices.create_rot_xml_zipped": "a file of the invoices: stores nothing",
    "invoices.create_rut_xml": "a file of the invoices: stores nothing",
    "invoices.create_rut_xml_zipped": "a file of the invoices: stores nothing",
    "payments.match_payments": "answers each match with its own PaymentMatchResult (documented)",
}


@dataclass
class Batch:
    """How to send a batch whose last item is refused, and what to read back before/after."""

    send: Callable[[BillectaClient, str, dict[str, str]], Awaitable[Any]]
    read: Callable[[BillectaClient, str, dict[str, str]], Awaitable[Any]]
    error: type[Exception]
    setup: Callable[[BillectaClient, str], Awaitable[dict[str, str]]] | None = None


async def _nothing(client: BillectaClient, creditor: str) -> dict[str, str]:
    return {}


async def _products_setup(client: BillectaClient, creditor: str) -> dict[str, str]:
    created = await client.products.create(
        m.Product(creditor_public_id=creditor, article_number="A1", description="Sofa")
    )
    return {"A1": created.public_id or ""}


async def _debtors_setup(client: BillectaClient, creditor: str) -> dict[str, str]:
    created = await client.debtors.create(
        m.Debtor(creditor_public_id=creditor, name="Anna", debtor_no="D-1")
    )
    return {"anna": created.public_id or ""}


async def _category_setup(client: BillectaClient, creditor: str) -> dict[str, str]:
    await client.debtors.update_category(creditor, "Gold")
    (category,) = await client.debtors.list_categories(creditor)
    debtor = await client.debtors.create(m.Debtor(creditor_public_id=creditor, name="Anna"))
    return {"category": category.category_public_id or "", "debtor": debtor.public_id or ""}


async def _invoice_setup(client: BillectaClient, creditor: str) -> dict[str, str]:
    debtor = await client.debtors.create(m.Debtor(creditor_public_id=creditor, name="Anna"))
    ids = {}
    for name in ("first", "second"):
        created = await client.invoices.create(
            m.InvoiceActionEntry(
                creditor_public_id=creditor,
                debtor_public_id=debtor.public_id,
                records=[m.InvoiceActionRecord(article_description="Work", unit_price=sek(100))],
            )
        )
        ids[name] = created.public_id or ""
    return ids


def _marked(kind: str) -> tuple[Batch, Batch]:
    """Marking and unmarking invoices processed for ROT or RUT, one id unknown."""

    async def setup(client: BillectaClient, creditor: str) -> dict[str, str]:
        ids = await _invoice_setup(client, creditor)
        mark = getattr(client.invoices, f"mark_{kind}_processed")
        await mark(m.ActionPublicIds(action_public_ids=[ids["second"]]))
        return ids

    async def read(client: BillectaClient, creditor: str, ids: dict[str, str]) -> Any:
        listing = getattr(client.invoices, f"list_{kind}_processed")
        return await listing([ids["first"], ids["second"]], creditor, today())

    def send(verb: str) -> Callable[[BillectaClient, str, dict[str, str]], Awaitable[Any]]:
        async def call(client: BillectaClient, creditor: str, ids: dict[str, str]) -> Any:
            method = getattr(client.invoices, f"{verb}_{kind}_processed")
            target = ids["first"] if verb == "mark" else ids["second"]
            return await method(m.ActionPublicIds(action_public_ids=[target, UNKNOWN]))

        return call

    return (
        Batch(send("mark"), read, UnauthorizedError, setup),
        Batch(send("unmark"), read, UnauthorizedError, setup),
    )


ROT_MARK, ROT_UNMARK = _marked("rot")
RUT_MARK, RUT_UNMARK = _marked("rut")

BATCHES: dict[str, Batch] = {
    "products.create_many": Batch(
        send=lambda c, creditor, ids: c.products.create_many(
            [
                m.Product(creditor_public_id=creditor, article_number="B1", description="New"),
                m.Product(creditor_public_id=creditor, article_number="A1", description="Taken"),
            ]
        ),
        read=lambda c, creditor, ids: c.products.list(creditor),
        error=BadRequestError,
        setup=_products_setup,
    ),
    "debtors.create_many": Batch(
        send=lambda c, creditor, ids: c.debtors.create_many(
            [
                m.Debtor(creditor_public_id=creditor, name="Bertil"),
                m.Debtor(debtor_public_id=ids["anna"], creditor_public_id=creditor, name="Ann"),
                m.Debtor(creditor_public_id=creditor, name="Cecilia", debtor_no="D-1"),
            ]
        ),
        read=lambda c, creditor, ids: c.debtors.list(creditor),
        error=BadRequestError,
        setup=_debtors_setup,
    ),
    "cost_centers.create_many": Batch(
        send=lambda c, creditor, ids: c.cost_centers.create_many(
            [
                m.CostCenter(creditor_public_id=creditor, code="100", description="Sales"),
                m.CostCenter(creditor_public_id=creditor, description="No code"),
            ]
        ),
        read=lambda c, creditor, ids: c.cost_centers.list(creditor),
        error=BadRequestError,
    ),
    "projects.create_many": Batch(
        send=lambda c, creditor, ids: c.projects.create_many(
            [
                m.Project(creditor_public_id=creditor, project_number="P1"),
                m.Project(creditor_public_id=UNKNOWN, project_number="P2"),
            ]
        ),
        read=lambda c, creditor, ids: c.projects.list(creditor),
        error=UnauthorizedError,
    ),
    "debtors.add_many_to_category": Batch(
        send=lambda c, creditor, ids: c.debtors.add_many_to_category(
            m.AddMultipleDebtorsToCategoryRequest(
                creditor_public_id=creditor,
                category_public_id=ids["category"],
                debtor_public_ids=[ids["debtor"], UNKNOWN],
            )
        ),
        read=lambda c, creditor, ids: c.debtors.list(
            creditor, filter="", category_public_id=ids["category"]
        ),
        error=UnauthorizedError,
        setup=_category_setup,
    ),
    "invoices.mark_rot_processed": ROT_MARK,
    "invoices.unmark_rot_processed": ROT_UNMARK,
    "invoices.mark_rut_processed": RUT_MARK,
    "invoices.unmark_rut_processed": RUT_UNMARK,
}


def test_every_bulk_endpoint_is_all_or_nothing_or_says_why_not() -> None:
    bulk = bulk_operations()
    assert set(BATCHES) | set(NOT_ALL_OR_NOTHING) == bulk
    assert not set(BATCHES) & set(NOT_ALL_OR_NOTHING)


@FORMATS
@pytest.mark.parametrize("operation", sorted(BATCHES))
async def test_a_refused_item_keeps_the_whole_batch_out(
    operation: str, billecta_emulator: BillectaEmulator, billecta_client: BillectaClient
) -> None:
    batch = BATCHES[operation]
    creditor = billecta_emulator.creditor_public_id
    ids = await (batch.setup or _nothing)(billecta_client, creditor)
    before = await batch.read(billecta_client, creditor, ids)
    events = len(billecta_emulator.state.events)
    with pytest.raises(batch.error):
        await batch.send(billecta_client, creditor, ids)
    assert await batch.read(billecta_client, creditor, ids) == before
    assert len(billecta_emulator.state.events) == events


@FORMATS
async def test_products_taken_twice_in_one_import_are_refused(
    billecta_client: BillectaClient, creditor: str
) -> None:
    twice = [
        m.Product(creditor_public_id=creditor, article_number="C1", description="One"),
        m.Product(creditor_public_id=creditor, article_number="C1", description="Two"),
    ]
    with pytest.raises(BadRequestError) as caught:
        await billecta_client.products.create_many(twice)
    assert "C1" in caught.value.message
    assert await billecta_client.products.list(creditor) == []


@FORMATS
async def test_an_import_that_is_accepted_stores_every_item(
    billecta_client: BillectaClient, creditor: str
) -> None:
    await _products_setup(billecta_client, creditor)
    await billecta_client.products.create_many(
        [
            m.Product(creditor_public_id=creditor, article_number="B1", description="Chair"),
            m.Product(creditor_public_id=creditor, article_number="B2", description="Table"),
        ]
    )
    listed = sorted(p.article_number or "" for p in await billecta_client.products.list(creditor))
    assert listed == ["A1", "B1", "B2"]


@FORMATS
async def test_matching_payments_answers_each_match_on_its_own(
    billecta_client: BillectaClient, creditor: str
) -> None:
    ids = await _invoice_setup(billecta_client, creditor)
    for invoice in ids.values():
        await billecta_client.invoices.attest(invoice)
    payment = await billecta_client.payments.create_unhandled_payment(
        m.UnhandledPayment(creditor_public_id=creditor, amount=sek(100))
    )
    good, bad = await billecta_client.payments.match_payments(
        creditor,
        [
            m.PaymentMatch(
                unhandled_payment_public_id=payment.public_id, action_public_id=ids["first"]
            ),
            m.PaymentMatch(unhandled_payment_public_id=UNKNOWN, action_public_id=ids["second"]),
        ],
    )
    assert good.successfull and not bad.successfull and bad.response_message
    first = await billecta_client.invoices.get(ids["first"])
    assert first.state and first.state.stage == m.InvoiceActionStageType.COMPLETED
