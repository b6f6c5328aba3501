"""End-to-end: the guide's 401 rules through ``BillectaClient`` against the local emulator.

"When requesting data without specifying the correct id:s the API will regardless of if the
referenced data exists or not respond with access denied" - another creditor's id, the empty
guid (also what an omitted creditor reads as) and unknown ids all answer 401, and one
creditor's objects never show in another's listings.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import Any, Literal

import pytest
import pytest_asyncio
from _builders import around_today, sek

from billecta_async import BillectaClient, UnauthorizedError
from billecta_async import models as m
from billecta_async.testing import BillectaEmulator
from billecta_async.testing.emulator._state import Account

pytestmark = pytest.mark.parametrize("billecta_format", ["json", "xml"])

EMPTY_GUID = "00000000-0000-0000-0000-000000000000"


# -- helpers ---------------------------------------------------------------------------------


async def denied(call: Awaitable[Any]) -> UnauthorizedError:
    with pytest.raises(UnauthorizedError) as caught:
        await call
    assert caught.value.status == 401
    return caught.value


@dataclass
class Objects:
    """What a test set-up created for one creditor."""

    creditor: str
    debtor: str
    product: str
    invoice: str
    invoice_number: str
    file: str


async def populate(client: BillectaClient, creditor: str, name: str) -> Objects:
    """A debtor, a product and a sent invoice (with its PDF) for ``creditor``."""
    debtor = await client.debtors.create(
        m.Debtor(creditor_public_id=creditor, name=f"{name} customer", country_code="SE")
    )
    product = await client.products.create(
        m.Product(creditor_public_id=creditor, article_number=f"{name}-1", description=name)
    )
    assert debtor.public_id and product.public_id
    invoice = await client.invoices.create(
        m.InvoiceActionEntry(
            creditor_public_id=creditor,
            debtor_public_id=debtor.public_id,
            delivery_method=m.DeliveryMethodType.EMAIL,
            records=[
                m.InvoiceActionRecord(
                    product_public_id=product.public_id,
                    article_description=name,
                    quantity=1.0,
                    unit_price=sek(10000),
                    vat=25.0,
                )
            ],
        )
    )
    assert invoice.public_id
    await client.invoices.attest(invoice.public_id)
    action = await client.invoices.get(invoice.public_id)
    assert action.invoice_number and action.invoices and action.invoices[0].invoice_file
    file_id = action.invoices[0].invoice_file.file_public_id
    assert file_id
    return Objects(
        creditor,
        debtor.public_id,
        product.public_id,
        invoice.public_id,
        action.invoice_number,
        file_id,
    )


@dataclass
class OtherUser:
    """Another API user of the domain, owning only the creditor "Other AB" (not ours)."""

    client: BillectaClient
    creditor: str


@pytest_asyncio.fixture
async def other(
    billecta_emulator: BillectaEmulator, billecta_format: Literal["json", "xml"]
) -> AsyncIterator[OtherUser]:
    other_creditor = billecta_emulator.add_creditor("Other AB", owned=False)
    token = secrets.token_urlsafe(24)
    user = m.User(user_public_id=str(uuid.uuid4()), username="other", is_api_user=True)
    billecta_emulator.state.accounts.append(
        Account(user, "other", secrets.token_urlsafe(12), token, {other_creditor})
    )
    async with BillectaClient(
        secure_token=token,
        base_url=billecta_emulator.url,
        format=billecta_format,
        clock=billecta_emulator.clock,
    ) as client:
        yield OtherUser(client, other_creditor)


@pytest_asyncio.fixture
async def theirs(other: OtherUser) -> Objects:
    """Objects of the other user's creditor, created through their own client."""
    return await populate(other.client, other.creditor, "Theirs")


# -- another creditor's id -------------------------------------------------------------------


async def test_another_creditors_id_is_unauthorized(
    billecta_client: BillectaClient, billecta_emulator: BillectaEmulator
) -> None:
    other = billecta_emulator.add_creditor("Other AB", owned=False)
    start, end = around_today()

    await denied(billecta_client.creditors.get(other))
    await denied(billecta_client.debtors.create(m.Debtor(creditor_public_id=other, name="X")))
    await denied(billecta_client.debtors.list(other))
    await denied(
        billecta_client.products.create(m.Product(creditor_public_id=other, description="X"))
    )
    await denied(billecta_client.products.list(other))
    await denied(billecta_client.cost_centers.list(other))
    await denied(billecta_client.projects.list(other))
    await denied(billecta_client.invoices.list_open(other))
    await denied(billecta_client.invoices.list_closed(other, start, end))
    await denied(billecta_client.invoices.get_by_invoice_number(other, "1001"))
    await denied(billecta_client.search.actions(m.Search(creditor_public_id=other)))

    assert billecta_emulator.state.debtors == {}
    assert billecta_emulator.state.products == {}


async def test_another_users_objects_are_unauthorized_though_they_exist(
    billecta_client: BillectaClient, theirs: Objects
) -> None:
    await denied(billecta_client.debtors.get(theirs.debtor))
    await denied(billecta_client.products.get(theirs.product))
    await denied(billecta_client.invoices.get(theirs.invoice))
    await denied(billecta_client.invoices.preview(theirs.invoice))
    await denied(billecta_client.files.get(theirs.file))
    await denied(billecta_client.files.get_content(theirs.file))
    await denied(billecta_client.invoices.list_open_by_debtor(theirs.debtor))
    await denied(billecta_client.invoices.get_by_invoice_number(theirs.creditor, "1001"))


async def test_another_users_objects_cannot_be_changed(
    billecta_client: BillectaClient, other: OtherUser, theirs: Objects
) -> None:
    await denied(
        billecta_client.invoices.register_payment(
            m.RegisterPayment(action_public_id=theirs.invoice, amount=sek(12500))
        )
    )
    await denied(billecta_client.invoices.pause(theirs.invoice))
    await denied(billecta_client.invoices.delete(theirs.invoice))
    await denied(billecta_client.debtors.delete(theirs.debtor))
    await denied(
        billecta_client.debtors.update(
            m.Debtor(
                debtor_public_id=theirs.debtor, creditor_public_id=theirs.creditor, name="Mine"
            )
        )
    )

    # Untouched, as their owner sees them.
    invoice = await other.client.invoices.get(theirs.invoice)
    assert invoice.current_amount == sek(12500)
    assert invoice.state is not None and invoice.state.is_paused is False
    assert (await other.client.debtors.get(theirs.debtor)).name == "Theirs customer"


async def test_my_debtor_cannot_be_invoiced_by_another_user(
    billecta_client: BillectaClient, other: OtherUser, creditor: str
) -> None:
    mine = await populate(billecta_client, creditor, "Mine")

    await denied(
        other.client.invoices.create(
            m.InvoiceActionEntry(
                creditor_public_id=other.creditor,
                debtor_public_id=mine.debtor,
                records=[m.InvoiceActionRecord(unit_price=sek(100), quantity=1.0, vat=25.0)],
            )
        )
    )


# -- the empty guid ---------------------------------------------------------------------------


async def test_empty_guid_is_unauthorized(billecta_client: BillectaClient) -> None:
    await denied(billecta_client.creditors.get(EMPTY_GUID))
    await denied(billecta_client.debtors.create(m.Debtor(creditor_public_id=EMPTY_GUID, name="X")))
    await denied(billecta_client.debtors.list(EMPTY_GUID))
    await denied(billecta_client.debtors.get(EMPTY_GUID))
    await denied(billecta_client.products.list(EMPTY_GUID))
    await denied(billecta_client.invoices.list_open(EMPTY_GUID))
    await denied(billecta_client.invoices.get(EMPTY_GUID))


async def test_omitted_creditor_reads_as_the_empty_guid(
    billecta_client: BillectaClient, billecta_emulator: BillectaEmulator
) -> None:
    # The guide: "when creating a debtor and no creditor is specified (it will be interpreted as
    # the empty guid in that case) the api will respond access denied".
    error = await denied(billecta_client.debtors.create(m.Debtor(name="Jenny Doe")))

    assert error.message
    assert billecta_emulator.state.debtors == {}


# -- unknown ids ------------------------------------------------------------------------------


async def test_unknown_debtor_id_is_unauthorized(
    billecta_client: BillectaClient, creditor: str
) -> None:
    unknown = str(uuid.uuid4())

    await denied(billecta_client.debtors.get(unknown))
    await denied(billecta_client.debtors.delete(unknown))
    await denied(
        billecta_client.debtors.update(
            m.Debtor(debtor_public_id=unknown, creditor_public_id=creditor, name="X")
        )
    )
    await denied(billecta_client.invoices.list_open_by_debtor(unknown))
    await denied(
        billecta_client.invoices.create(
            m.InvoiceActionEntry(
                creditor_public_id=creditor,
                debtor_public_id=unknown,
                records=[m.InvoiceActionRecord(unit_price=sek(100), quantity=1.0, vat=25.0)],
            )
        )
    )


async def test_unknown_invoice_id_is_unauthorized(billecta_client: BillectaClient) -> None:
    unknown = str(uuid.uuid4())

    await denied(billecta_client.invoices.get(unknown))
    await denied(billecta_client.invoices.attest(unknown))
    await denied(billecta_client.invoices.delete(unknown))
    await denied(billecta_client.invoices.pause(unknown))
    await denied(billecta_client.invoices.preview(unknown))
    await denied(
        billecta_client.invoices.comment(m.CommentAction(action_public_id=unknown, comment="Hi"))
    )
    await denied(
        billecta_client.invoices.register_payment(
            m.RegisterPayment(action_public_id=unknown, amount=sek(100))
        )
    )
    await denied(billecta_client.debt_collection.create_from_invoice_with_defaults(unknown))


async def test_unknown_ids_of_other_sections_are_unauthorized(
    billecta_client: BillectaClient, creditor: str
) -> None:
    unknown = str(uuid.uuid4())

    await denied(billecta_client.products.get(unknown))
    await denied(billecta_client.users.get(unknown))
    await denied(billecta_client.creditors.get(unknown))
    await denied(billecta_client.reconciliation_invoices.get(unknown))
    await denied(billecta_client.self_invoices.get(unknown))
    await denied(billecta_client.contract_invoices.get(unknown))
    await denied(billecta_client.debt_collection.get(unknown))
    await denied(billecta_client.files.get(unknown))
    await denied(billecta_client.cost_centers.get(creditor, "NOPE"))
    await denied(billecta_client.projects.get(creditor, "NOPE"))


# -- listings ---------------------------------------------------------------------------------


async def test_listings_show_only_the_creditors_own_objects(
    billecta_client: BillectaClient, other: OtherUser, creditor: str, theirs: Objects
) -> None:
    mine = await populate(billecta_client, creditor, "Mine")

    for client, own, foreign in ((billecta_client, mine, theirs), (other.client, theirs, mine)):
        debtors = [d.debtor_public_id for d in await client.debtors.list(own.creditor)]
        products = [p.product_public_id for p in await client.products.list(own.creditor)]
        invoices = [i.action_public_id for i in await client.invoices.list_open(own.creditor)]
        found = await client.search.actions(
            m.Search(creditor_public_id=own.creditor, search_on_all_creditors=True)
        )
        searched = [a.action_public_id for a in found.invoice_actions or []]
        assert (debtors, products, invoices, searched) == (
            [own.debtor],
            [own.product],
            [own.invoice],
            [own.invoice],
        )
        assert foreign.creditor not in {c.creditor_public_id for c in await client.creditors.list()}


async def test_the_same_users_creditors_do_not_share_data(
    billecta_client: BillectaClient, creditor: str
) -> None:
    # "Each creditor has their own set of debtors, products, cost centers etc that may not be
    # shared between creditors."
    second = (await billecta_client.creditors.create(m.Creditor(name="Second AB"))).public_id
    assert second
    first_objects = await populate(billecta_client, creditor, "First")
    second_objects = await populate(billecta_client, second, "Second")
    await billecta_client.cost_centers.create(m.CostCenter(creditor_public_id=creditor, code="C1"))
    start, end = around_today()

    for own, other in ((first_objects, second_objects), (second_objects, first_objects)):
        debtors = [d.debtor_public_id for d in await billecta_client.debtors.list(own.creditor)]
        products = [p.product_public_id for p in await billecta_client.products.list(own.creditor)]
        invoices = await billecta_client.invoices.list_open(own.creditor)
        assert debtors == [own.debtor]
        assert products == [own.product]
        assert [i.action_public_id for i in invoices] == [own.invoice]
        assert await billecta_client.invoices.list_closed(own.creditor, start, end) == []
        # Searching the other creditor's invoice number here never finds the other's invoice.
        by_number = await billecta_client.search.actions(
            m.Search(creditor_public_id=own.creditor, search_value=other.invoice_number)
        )
        found = [a.action_public_id for a in by_number.invoice_actions or []]
        assert other.invoice not in found
        assert all(a.creditor_public_id == own.creditor for a in by_number.invoice_actions or [])
    assert [c.code for c in await billecta_client.cost_centers.list(second)] == []

    # Searching all creditors finds both, and only the user's own.
    everything = await billecta_client.search.actions(
        m.Search(creditor_public_id=creditor, search_on_all_creditors=True)
    )
    assert sorted(a.action_public_id or "" for a in everything.invoice_actions or []) == sorted(
        [first_objects.invoice, second_objects.invoice]
    )


async def test_invoice_numbers_are_per_creditor(
    billecta_client: BillectaClient, creditor: str
) -> None:
    second = (await billecta_client.creditors.create(m.Creditor(name="Second AB"))).public_id
    assert second
    first_objects = await populate(billecta_client, creditor, "First")
    second_objects = await populate(billecta_client, second, "Second")

    found = await billecta_client.invoices.get_by_invoice_number(
        second, second_objects.invoice_number
    )

    assert found.action_public_id == second_objects.invoice
    assert found.creditor_public_id == second
    if first_objects.invoice_number == second_objects.invoice_number:
        mine = await billecta_client.invoices.get_by_invoice_number(
            creditor, first_objects.invoice_number
        )
        assert mine.action_public_id == first_objects.invoice


# -- webhook events stay with their creditor ----------------------------------------------------


async def test_refused_calls_emit_no_events(
    billecta_client: BillectaClient, billecta_emulator: BillectaEmulator, theirs: Objects
) -> None:
    before = len(billecta_emulator.state.events)

    await denied(billecta_client.invoices.delete(theirs.invoice))
    await denied(
        billecta_client.invoices.register_payment(
            m.RegisterPayment(action_public_id=theirs.invoice, amount=sek(12500))
        )
    )
    await denied(billecta_client.debtors.create(m.Debtor(creditor_public_id=EMPTY_GUID, name="X")))

    assert len(billecta_emulator.state.events) == before
