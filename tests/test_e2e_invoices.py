"""End-to-end: the invoice life cycle through ``BillectaClient`` against the local emulator.

Every test runs in JSON and in XML. Expected amounts are computed here, independently of the
emulator, from quantity x unit price, discounts and 25 % VAT (all in öre, minor units).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from _builders import around_today, sek, today

from billecta_async import BadRequestError, BillectaClient, UnauthorizedError
from billecta_async import models as m
from billecta_async._wire import STOCKHOLM
from billecta_async.testing import BillectaEmulator

pytestmark = pytest.mark.parametrize("billecta_format", ["json", "xml"])

Stage = m.InvoiceActionStageType


# -- helpers ---------------------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if index % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def record(
    description: str = "Sofa",
    *,
    quantity: float = 1.0,
    unit_price: int = 10000,
    vat: float = 25.0,
    product_public_id: str | None = None,
    **extra: Any,
) -> m.InvoiceActionRecord:
    return m.InvoiceActionRecord(
        product_public_id=product_public_id,
        article_description=description,
        quantity=quantity,
        unit_price=sek(unit_price),
        vat=vat,
        record_type=m.RecordType.STANDARD,
        **extra,
    )


async def new_debtor(client: BillectaClient, creditor: str, name: str = "Jenny Doe") -> str:
    created = await client.debtors.create(
        m.Debtor(
            creditor_public_id=creditor,
            name=name,
            address="Storgatan 1",
            zip_code="111 22",
            city="Stockholm",
            country_code="SE",
            email="jenny@example.com",
        )
    )
    assert created.public_id
    return created.public_id


async def new_product(
    client: BillectaClient, creditor: str, *, article_number: str = "SOFA-1", price: float = 199.0
) -> str:
    created = await client.products.create(
        m.Product(
            creditor_public_id=creditor,
            article_number=article_number,
            description="Sofa",
            units="st",
            unit_price=price,
            vat=25.0,
        )
    )
    assert created.public_id
    return created.public_id


async def new_invoice(
    client: BillectaClient,
    creditor: str,
    debtor: str,
    records: list[m.InvoiceActionRecord] | None = None,
    **fields: Any,
) -> str:
    created = await client.invoices.create(
        m.InvoiceActionEntry(
            creditor_public_id=creditor,
            debtor_public_id=debtor,
            records=records or [record()],
            our_reference="Alice",
            your_reference="Jenny",
            **fields,
        )
    )
    assert created.public_id
    return created.public_id


async def sent_invoice(
    client: BillectaClient,
    creditor: str,
    debtor: str | None = None,
    *,
    unit_price: int = 10000,
    delivery_method: m.DeliveryMethodType | None = m.DeliveryMethodType.EMAIL,
) -> str:
    """An attested invoice of ``unit_price`` + 25 % VAT (sent when a delivery method is set)."""
    debtor = debtor or await new_debtor(client, creditor)
    action_id = await new_invoice(
        client,
        creditor,
        debtor,
        [record(unit_price=unit_price)],
        delivery_method=delivery_method,
    )
    await client.invoices.attest(action_id)
    return action_id


async def pay(client: BillectaClient, action_id: str, value: int) -> m.Created:
    return await client.invoices.register_payment(
        m.RegisterPayment(
            action_public_id=action_id,
            amount=sek(value),
            date=datetime.now(STOCKHOLM).replace(microsecond=0),
            payment_mean_code="BG",
        )
    )


def stage(invoice: m.InvoiceAction) -> Stage | None:
    assert invoice.state is not None
    return invoice.state.stage


def ids(rows: list[m.InvoiceActionSub]) -> list[str | None]:
    return [r.action_public_id for r in rows]


# -- create, update, delete before attest ------------------------------------------------------


async def test_create_debtor_product_and_invoice_gives_a_created_draft(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    product = await new_product(billecta_client, creditor)
    action_id = await new_invoice(
        billecta_client,
        creditor,
        debtor,
        [record(product_public_id=product, quantity=2, unit_price=19900)],
    )

    invoice = await billecta_client.invoices.get(action_id)

    assert invoice.action_public_id == action_id
    assert invoice.creditor_public_id == creditor
    assert invoice.debtor is not None and invoice.debtor.debtor_public_id == debtor
    assert invoice.debtor.name == "Jenny Doe"
    assert stage(invoice) == Stage.CREATED
    assert invoice.action_type == m.ActionType.INVOICE_ACTION
    assert invoice.invoice_number is None  # numbered on attest
    assert invoice.records is not None and invoice.records[0].product_public_id == product
    assert invoice.our_reference == "Alice" and invoice.your_reference == "Jenny"
    assert invoice.invoiced_amount == sek(2 * 19900 * 125 // 100)
    assert invoice.can_register_payment is False


async def test_amounts_quantity_unit_price_discounts_and_vat(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    records = [
        record("Chair", quantity=2, unit_price=19900),
        record(
            "Table",
            quantity=3,
            unit_price=5000,
            discount_percentage=10.0,
            discount_type=m.DiscountType.PERCENTAGE,
        ),
        record(
            "Lamp",
            quantity=1,
            unit_price=20000,
            discount_amount=sek(2000),
            discount_type=m.DiscountType.AMOUNT,
        ),
    ]
    # Independently: excluding VAT per row, then 25 % VAT on each.
    excl = [2 * 19900, 3 * 5000 * 90 // 100, 20000 - 2000]  # 39 800, 13 500, 18 000
    incl = [e * 125 // 100 for e in excl]  # 49 750, 16 875, 22 500
    assert [e * 125 % 100 for e in excl] == [0, 0, 0]  # no rounding involved

    action_id = await new_invoice(billecta_client, creditor, debtor, records)
    invoice = await billecta_client.invoices.get(action_id)

    assert invoice.records is not None
    assert [r.total_excl_vat for r in invoice.records] == [sek(v) for v in excl]
    assert [r.total_inc_vat for r in invoice.records] == [sek(v) for v in incl]
    assert invoice.invoiced_amount == sek(sum(incl)) == sek(89125)
    assert invoice.total_vat_amount == sek(sum(incl) - sum(excl)) == sek(17825)
    assert invoice.current_amount == invoice.invoiced_amount


async def test_amounts_with_vat_included_prices(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    action_id = await new_invoice(
        billecta_client,
        creditor,
        debtor,
        [record(quantity=4, unit_price=12500)],
        vat_is_included=True,
    )
    invoice = await billecta_client.invoices.get(action_id)

    assert invoice.invoiced_amount == sek(4 * 12500)  # 50 000 including VAT
    assert invoice.total_vat_amount == sek(4 * 12500 - 4 * 10000)  # 12 500 / 1.25 = 10 000


async def test_update_before_attest_replaces_records_and_amounts(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    action_id = await new_invoice(billecta_client, creditor, debtor)

    await billecta_client.invoices.update(
        action_id,
        m.InvoiceActionEntry(
            creditor_public_id=creditor,
            debtor_public_id=debtor,
            records=[record("Bed", quantity=3, unit_price=30000)],
            your_reference="Jenny D",
        ),
    )
    invoice = await billecta_client.invoices.get(action_id)

    assert stage(invoice) == Stage.CREATED
    assert invoice.records is not None
    assert [r.article_description for r in invoice.records] == ["Bed"]
    assert invoice.invoiced_amount == sek(3 * 30000 * 125 // 100)
    assert invoice.your_reference == "Jenny D"


async def test_delete_before_attest_removes_the_invoice(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    action_id = await new_invoice(billecta_client, creditor, debtor)

    await billecta_client.invoices.delete(action_id)

    with pytest.raises(UnauthorizedError):  # unknown ids answer 401, as the guide says
        await billecta_client.invoices.get(action_id)
    assert action_id not in ids(await billecta_client.invoices.list_open(creditor))


# -- attest --------------------------------------------------------------------------------------


async def test_attest_with_delivery_method_numbers_and_sends(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor)

    invoice = await billecta_client.invoices.get(action_id)

    assert stage(invoice) == Stage.INVOICE_SENT
    assert invoice.state is not None
    assert invoice.state.attested_date is not None
    assert invoice.state.invoice_sent_date is not None
    assert invoice.invoice_number and invoice.invoice_number.isdigit()
    assert invoice.invoices is not None and len(invoice.invoices) == 1
    sent = invoice.invoices[0]
    assert sent.invoice_number == invoice.invoice_number
    assert sent.ocr is not None
    assert sent.ocr.isdigit() and sent.ocr.startswith(invoice.invoice_number)
    assert luhn_ok(sent.ocr)
    assert sent.invoice_file is not None and sent.invoice_file.file_public_id


async def test_attest_without_delivery_method_stays_attested(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor, delivery_method=None)

    invoice = await billecta_client.invoices.get(action_id)

    assert stage(invoice) == Stage.ATTESTED
    assert invoice.invoice_number
    assert invoice.state is not None and invoice.state.invoice_sent_date is None


async def test_send_manually_is_refused_and_keeps_the_delivery_method(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor)

    with pytest.raises(BadRequestError) as caught:
        await billecta_client.invoices.send(
            action_id, delivery_method=m.DeliveryMethodType.MANUALLY
        )

    assert "Manually" in caught.value.message
    invoice = await billecta_client.invoices.get(action_id)
    assert invoice.delivery_method == m.DeliveryMethodType.EMAIL


async def test_attest_gives_consecutive_invoice_numbers(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    first = await sent_invoice(billecta_client, creditor, debtor)
    second = await sent_invoice(billecta_client, creditor, debtor)

    one = (await billecta_client.invoices.get(first)).invoice_number
    two = (await billecta_client.invoices.get(second)).invoice_number

    assert one is not None and two is not None
    assert int(two) == int(one) + 1


async def test_attested_invoice_pdf_is_readable(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor)
    invoice = await billecta_client.invoices.get(action_id)
    assert invoice.invoices and invoice.invoices[0].invoice_file
    file_id = invoice.invoices[0].invoice_file.file_public_id
    assert file_id and invoice.invoice_number

    content = await billecta_client.files.get_content(file_id)

    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert invoice.invoice_number.encode() in content


async def test_update_after_attest_is_refused(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    action_id = await sent_invoice(billecta_client, creditor, debtor)

    with pytest.raises(BadRequestError) as caught:
        await billecta_client.invoices.update(
            action_id,
            m.InvoiceActionEntry(
                creditor_public_id=creditor, debtor_public_id=debtor, records=[record()]
            ),
        )
    assert caught.value.status == 400
    assert caught.value.message
    assert stage(await billecta_client.invoices.get(action_id)) == Stage.INVOICE_SENT


async def test_delete_after_attest_is_refused(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor)

    with pytest.raises(BadRequestError) as caught:
        await billecta_client.invoices.delete(action_id)
    assert caught.value.status == 400
    assert caught.value.message
    assert (await billecta_client.invoices.get(action_id)).action_public_id == action_id


async def test_attest_twice_is_refused(billecta_client: BillectaClient, creditor: str) -> None:
    action_id = await sent_invoice(billecta_client, creditor)

    with pytest.raises(BadRequestError):
        await billecta_client.invoices.attest(action_id)


# -- payments ----------------------------------------------------------------------------------


async def test_partial_payment_keeps_the_invoice_open(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor, unit_price=10000)
    total = 10000 * 125 // 100

    payment = await pay(billecta_client, action_id, 5000)
    invoice = await billecta_client.invoices.get(action_id)

    assert payment.public_id
    assert stage(invoice) == Stage.INVOICE_SENT
    assert invoice.current_amount == sek(total - 5000)
    assert invoice.paid_amount == sek(5000)
    assert action_id in ids(await billecta_client.invoices.list_open(creditor))
    start, end = around_today()
    assert action_id not in ids(await billecta_client.invoices.list_closed(creditor, start, end))


async def test_full_payment_completes_and_moves_to_closed(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor, unit_price=10000)
    total = 10000 * 125 // 100

    await pay(billecta_client, action_id, 4000)
    await pay(billecta_client, action_id, total - 4000)
    invoice = await billecta_client.invoices.get(action_id)

    assert stage(invoice) == Stage.COMPLETED
    assert invoice.current_amount == sek(0)
    assert invoice.paid_amount == sek(total)
    assert invoice.state is not None and invoice.state.closed_date is not None
    assert invoice.state.closed_date.astimezone(STOCKHOLM).date() in (
        today(),
        today() - timedelta(days=1),
    )
    assert action_id not in ids(await billecta_client.invoices.list_open(creditor))
    start, end = around_today()
    closed = await billecta_client.invoices.list_closed(creditor, start, end)
    assert ids(closed) == [action_id]
    assert closed[0].stage == Stage.COMPLETED
    assert closed[0].closed_date is not None
    # The closing date decides: a window in the past does not hold it.
    past = await billecta_client.invoices.list_closed(
        creditor, today() - timedelta(days=30), today() - timedelta(days=10)
    )
    assert past == []


async def test_payment_on_a_completed_invoice_is_refused(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor, unit_price=10000)
    await pay(billecta_client, action_id, 12500)

    with pytest.raises(BadRequestError):
        await pay(billecta_client, action_id, 100)


async def test_payment_on_an_unattested_invoice_is_refused(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    action_id = await new_invoice(billecta_client, creditor, debtor)

    with pytest.raises(BadRequestError) as caught:
        await pay(billecta_client, action_id, 1000)
    assert caught.value.status == 400
    assert caught.value.message
    invoice = await billecta_client.invoices.get(action_id)
    assert stage(invoice) == Stage.CREATED
    assert invoice.current_amount == sek(12500)


# -- credit invoices ----------------------------------------------------------------------------


async def test_attested_credit_invoice_completes_the_original(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    original = await sent_invoice(billecta_client, creditor, debtor, unit_price=8000)
    total = 8000 * 125 // 100

    credit = await new_invoice(
        billecta_client,
        creditor,
        debtor,
        [record(unit_price=8000)],
        crediting_invoice_public_id=original,
    )
    draft = await billecta_client.invoices.get(credit)
    assert draft.action_type == m.ActionType.CREDIT_INVOICE_ACTION
    assert draft.invoiced_amount == sek(-total)
    assert draft.crediting_invoice is not None
    assert draft.crediting_invoice.source_public_id == original
    # Not applied until attested.
    assert stage(await billecta_client.invoices.get(original)) == Stage.INVOICE_SENT

    await billecta_client.invoices.attest(credit)

    credited = await billecta_client.invoices.get(original)
    assert stage(credited) == Stage.COMPLETED
    assert credited.credited_amount == sek(total)
    assert credited.current_amount == sek(0)
    assert stage(await billecta_client.invoices.get(credit)) == Stage.COMPLETED
    assert original not in ids(await billecta_client.invoices.list_open(creditor))


async def test_partial_credit_leaves_the_difference_open(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    original = await sent_invoice(billecta_client, creditor, debtor, unit_price=8000)
    credit = await new_invoice(
        billecta_client,
        creditor,
        debtor,
        [record(unit_price=2000)],
        crediting_invoice_public_id=original,
    )

    await billecta_client.invoices.attest(credit)

    invoice = await billecta_client.invoices.get(original)
    assert stage(invoice) == Stage.INVOICE_SENT
    assert invoice.credited_amount == sek(2500)
    assert invoice.current_amount == sek(10000 - 2500)


# -- pause, resume, postpone, dispute ----------------------------------------------------------


async def test_pause_and_resume(billecta_client: BillectaClient, creditor: str) -> None:
    action_id = await sent_invoice(billecta_client, creditor)

    await billecta_client.invoices.pause(action_id)
    paused = await billecta_client.invoices.get(action_id)
    assert paused.state is not None and paused.state.is_paused is True
    assert paused.can_resume is True and paused.can_pause is False

    await billecta_client.invoices.resume(action_id)
    resumed = await billecta_client.invoices.get(action_id)
    assert resumed.state is not None and resumed.state.is_paused is False
    assert resumed.can_pause is True

    with pytest.raises(BadRequestError) as caught:
        await billecta_client.invoices.resume(action_id)
    assert caught.value.message


async def test_pause_twice_is_refused(billecta_client: BillectaClient, creditor: str) -> None:
    action_id = await sent_invoice(billecta_client, creditor)
    await billecta_client.invoices.pause(action_id)

    with pytest.raises(BadRequestError):
        await billecta_client.invoices.pause(action_id)


async def test_postpone_by_days_moves_the_due_date(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor)
    before = (await billecta_client.invoices.get(action_id)).due_date
    assert before is not None

    await billecta_client.invoices.postpone(action_id, days=10)

    after = (await billecta_client.invoices.get(action_id)).due_date
    assert after is not None
    assert after.date() - before.date() == timedelta(days=10)


async def test_postpone_to_a_date_moves_the_due_date(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor)
    before = (await billecta_client.invoices.get(action_id)).due_date
    assert before is not None
    target = before.date() + timedelta(days=45)

    await billecta_client.invoices.postpone(action_id, to_date=target)

    invoice = await billecta_client.invoices.get(action_id)
    assert invoice.due_date is not None and invoice.due_date.date() == target
    assert any(e.event_type == m.EventType.MOVED for e in invoice.events or [])


async def test_postpone_to_an_earlier_date_is_refused(
    billecta_client: BillectaClient, creditor: str
) -> None:
    # "Events can only be postponed forward, never backwards."
    action_id = await sent_invoice(billecta_client, creditor)
    before = (await billecta_client.invoices.get(action_id)).due_date
    assert before is not None

    with pytest.raises(BadRequestError) as caught:
        await billecta_client.invoices.postpone(action_id, to_date=before.date())

    assert str(before.date()) in caught.value.message
    assert (await billecta_client.invoices.get(action_id)).due_date == before


async def test_postpone_on_a_closed_invoice_is_refused(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor, unit_price=10000)
    await pay(billecta_client, action_id, 12500)

    with pytest.raises(BadRequestError) as caught:
        await billecta_client.invoices.postpone(action_id, days=5)
    assert caught.value.message
    with pytest.raises(BadRequestError):
        await billecta_client.invoices.postpone(action_id, to_date=today() + timedelta(days=90))


async def test_dispute_and_cancel_dispute(billecta_client: BillectaClient, creditor: str) -> None:
    action_id = await sent_invoice(billecta_client, creditor)

    await billecta_client.invoices.dispute(action_id)
    disputed = await billecta_client.invoices.get(action_id)
    assert disputed.state is not None and disputed.state.disputed_date is not None
    assert disputed.can_dispute is False and disputed.can_un_dispute is True
    assert [r.is_disputed for r in await billecta_client.invoices.list_open(creditor)] == [True]

    await billecta_client.invoices.cancel_dispute(action_id)
    undisputed = await billecta_client.invoices.get(action_id)
    assert undisputed.state is not None and undisputed.state.disputed_date is None
    assert undisputed.can_dispute is True
    kinds = [e.event_type for e in undisputed.events or []]
    assert m.EventType.DISPUTED in kinds and m.EventType.UN_DISPUTED in kinds

    with pytest.raises(BadRequestError):
        await billecta_client.invoices.cancel_dispute(action_id)


# -- comments, events, previews, lookups -----------------------------------------------------


async def test_comment_adds_an_event(billecta_client: BillectaClient, creditor: str) -> None:
    action_id = await sent_invoice(billecta_client, creditor)
    before = len((await billecta_client.invoices.get(action_id)).events or [])

    await billecta_client.invoices.comment(
        m.CommentAction(action_public_id=action_id, comment="Called the customer")
    )

    events = (await billecta_client.invoices.get(action_id)).events or []
    assert len(events) == before + 1
    assert events[-1].event_type == m.EventType.COMMENTED_BY_CREDITOR
    assert events[-1].content == "Called the customer"


async def test_list_events_covers_the_creditors_invoices(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor)
    await billecta_client.invoices.comment(
        m.CommentAction(action_public_id=action_id, comment="Reminder by phone")
    )
    start, end = around_today()

    events = await billecta_client.invoices.list_events(creditor, str(start), str(end))

    assert {e.action_public_id for e in events} == {action_id}
    kinds = [e.event_type for e in events]
    for kind in (
        m.EventType.CREATED,
        m.EventType.ATTESTED,
        m.EventType.INVOICE_SENT,
        m.EventType.COMMENTED_BY_CREDITOR,
    ):
        assert kind in kinds
    assert all(e.creditor_public_id == creditor for e in events)
    past = await billecta_client.invoices.list_events(
        creditor, str(today() - timedelta(days=30)), str(today() - timedelta(days=10))
    )
    assert past == []


async def test_preview_returns_a_pdf(billecta_client: BillectaClient, creditor: str) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    action_id = await new_invoice(billecta_client, creditor, debtor)

    pdf = await billecta_client.invoices.preview(action_id)

    assert pdf.startswith(b"%PDF-")
    assert b"Jenny Doe" in pdf


async def test_get_by_invoice_number(billecta_client: BillectaClient, creditor: str) -> None:
    action_id = await sent_invoice(billecta_client, creditor)
    number = (await billecta_client.invoices.get(action_id)).invoice_number
    assert number

    found = await billecta_client.invoices.get_by_invoice_number(creditor, number)

    assert found.action_public_id == action_id
    assert found.invoice_number == number


async def test_open_and_closed_by_debtor(billecta_client: BillectaClient, creditor: str) -> None:
    jenny = await new_debtor(billecta_client, creditor, "Jenny Doe")
    john = await new_debtor(billecta_client, creditor, "John Doe")
    jenny_open = await sent_invoice(billecta_client, creditor, jenny)
    jenny_paid = await sent_invoice(billecta_client, creditor, jenny, unit_price=10000)
    john_open = await sent_invoice(billecta_client, creditor, john)
    await pay(billecta_client, jenny_paid, 12500)
    start, end = around_today()

    assert ids(await billecta_client.invoices.list_open_by_debtor(jenny)) == [jenny_open]
    assert ids(await billecta_client.invoices.list_open_by_debtor(john)) == [john_open]
    closed = await billecta_client.invoices.list_closed_by_debtor(jenny, start, end)
    assert ids(closed) == [jenny_paid]
    assert closed[0].debtor_public_id == jenny
    assert await billecta_client.invoices.list_closed_by_debtor(john, start, end) == []


async def test_list_open_pages_across_boundaries(
    billecta_client: BillectaClient, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    created = [await new_invoice(billecta_client, creditor, debtor) for _ in range(5)]

    every = ids(await billecta_client.invoices.list_open(creditor))
    pages = [
        ids(await billecta_client.invoices.list_open(creditor, offset=offset, limit=2))
        for offset in (0, 2, 4, 6)
    ]

    assert sorted(every, key=str) == sorted(created, key=str)
    assert [len(page) for page in pages] == [2, 2, 1, 0]
    assert [i for page in pages for i in page] == every  # no gaps, no overlaps
    straddling = ids(await billecta_client.invoices.list_open(creditor, offset=1, limit=3))
    assert straddling == every[1:4]
    descending = ids(await billecta_client.invoices.list_open(creditor, ascending=False))
    assert descending == every[::-1]


async def test_reminder_is_created_sent_and_readable(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor, unit_price=10000)
    number = (await billecta_client.invoices.get(action_id)).invoice_number

    created = await billecta_client.invoices.create_and_send_reminder(
        m.SendReminderInvoice(
            invoice_action_public_id=action_id,
            delivery_method=m.DeliveryMethodType.EMAIL,
            reminder_fee=sek(6000),
            payment_terms_in_days=10,
        )
    )
    assert created.public_id

    reminder = await billecta_client.invoices.get_reminder(action_id)
    assert reminder.action_public_id == created.public_id
    assert reminder.source_action_public_id == action_id
    assert reminder.reminder_fee == sek(6000)
    assert reminder.current_value == sek(12500 + 6000)
    assert reminder.reminder_invoices and reminder.reminder_invoices[0].invoice_number == number
    first = reminder.reminder_invoices[0]
    assert first.invoice_date is not None and first.due_date is not None
    assert first.due_date - first.invoice_date == timedelta(days=10)
    invoice = await billecta_client.invoices.get(action_id)
    assert stage(invoice) == Stage.REMINDER_INVOICE_SENT
    assert invoice.reminder_invoice_action_public_id == created.public_id


async def test_reminder_on_an_unsent_invoice_is_refused(
    billecta_client: BillectaClient, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor, delivery_method=None)

    with pytest.raises(BadRequestError):
        await billecta_client.invoices.create_and_send_reminder(
            m.SendReminderInvoice(invoice_action_public_id=action_id, reminder_fee=sek(6000))
        )


async def test_unknown_invoice_is_unauthorized(billecta_client: BillectaClient) -> None:
    with pytest.raises(UnauthorizedError):
        await billecta_client.invoices.get(str(uuid.uuid4()))


# -- webhook events ----------------------------------------------------------------------------


def events_of(emulator: BillectaEmulator, event_type: str) -> list[Any]:
    return [e for e in emulator.state.events if e.event_type == event_type]


async def test_webhook_events_of_the_life_cycle(
    billecta_client: BillectaClient, billecta_emulator: BillectaEmulator, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    action_id = await sent_invoice(billecta_client, creditor, debtor, unit_price=10000)
    await pay(billecta_client, action_id, 2500)
    await pay(billecta_client, action_id, 10000)

    (debtor_created,) = events_of(billecta_emulator, "DebtorCreated")
    assert debtor_created.data.debtor_public_id == debtor
    assert debtor_created.creditor_public_id == creditor

    (created,) = events_of(billecta_emulator, "InvoiceActionCreated")
    assert created.data.action_public_id == action_id
    assert created.data.state.stage == Stage.CREATED

    (attested,) = events_of(billecta_emulator, "InvoiceActionAttested")
    assert attested.data.action_public_id == action_id
    assert attested.data.invoice_number

    received = events_of(billecta_emulator, "InvoicePaymentReceived")
    assert [e.data.amount for e in received] == [sek(2500), sek(10000)]
    assert {e.data.action_public_id for e in received} == {action_id}

    (paid,) = events_of(billecta_emulator, "InvoiceActionPaid")
    assert paid.data.action_public_id == action_id
    assert paid.data.state.stage == Stage.COMPLETED

    order = [e.event_type for e in billecta_emulator.state.events]
    assert order.index("DebtorCreated") < order.index("InvoiceActionCreated")
    assert order.index("InvoiceActionCreated") < order.index("InvoiceActionAttested")
    assert order.index("InvoiceActionAttested") < order.index("InvoicePaymentReceived")
    assert order.index("InvoicePaymentReceived") < order.index("InvoiceActionPaid")


async def test_webhook_event_of_a_deleted_invoice_carries_the_debtor(
    billecta_client: BillectaClient, billecta_emulator: BillectaEmulator, creditor: str
) -> None:
    debtor = await new_debtor(billecta_client, creditor)
    action_id = await new_invoice(billecta_client, creditor, debtor)

    await billecta_client.invoices.delete(action_id)

    (deleted,) = events_of(billecta_emulator, "InvoiceActionDeleted")
    assert deleted.data == action_id
    assert deleted.additional_data == debtor
    assert deleted.creditor_public_id == creditor


async def test_no_paid_event_for_a_partial_payment(
    billecta_client: BillectaClient, billecta_emulator: BillectaEmulator, creditor: str
) -> None:
    action_id = await sent_invoice(billecta_client, creditor, unit_price=10000)

    await pay(billecta_client, action_id, 100)

    assert len(events_of(billecta_emulator, "InvoicePaymentReceived")) == 1
    assert events_of(billecta_emulator, "InvoiceActionPaid") == []
