"""The codecs write exactly the bytes of the reference encoder, for a broad corpus of values.

``_wire_reference.py`` is the plain specification of what the SDK sends; the committed files in
``fixtures/wire_golden`` pin it (and the codecs) for the edge values below. The corpus: the
benchmark's 2,000-invoice list, the sample instance of every model and list model (several seeds,
read-only fields set or not) and the edge values. Regenerate the golden files only when the bytes
are meant to change: ``python tests/test_wire_golden.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from _builders import all_models
from _wire_reference import reference_json, reference_xml
from lxml import etree

import billecta_async.models as m
from billecta_async import STOCKHOLM, from_json, from_xml, to_json, to_xml
from billecta_async.testing import sample_list, sample_model

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "wire_golden"

MODELS = [cls.__name__ for cls in all_models()]
LISTS = sorted(name for name in m.__all__ if isinstance(getattr(m, name), m.ListOf))


class Label(str):
    """A str subclass, as user code may pass (sent as plain text)."""


def _element(xml: str) -> Any:
    return etree.fromstring(xml)


def _edge_cases() -> dict[str, tuple[Any, m.ListOf[Any] | None]]:
    """Hand-built documents at the edges of every wire kind (the golden files)."""
    guid = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
    texts = [
        "",
        "plain",
        'A & B <AB> "q" \'s',
        "CR\r LF\n CRLF\r\n TAB\t",
        "Malmö Åre ☃ 😀 \u2028 \x7f \x85 \ufffd",
        "]]> &amp; &#x41;",
        " leading and trailing ",
    ]
    cases: dict[str, tuple[Any, m.ListOf[Any] | None]] = {}
    cases["debtor_empty"] = (m.Debtor(), None)
    cases["debtor_texts"] = (
        m.Debtor(
            debtor_public_id=uuid.UUID(guid),  # type: ignore[arg-type]
            creditor_public_id=guid,
            name=Label("Jenny Doe"),
            address=texts[2],
            address2=texts[3],
            city=texts[4],
            zip_code=texts[0],
            notes=texts[5],
            attention=texts[6],
            is_active=True,
            protected_identity=False,
            debtor_type=m.DebtorType.COMPANY,
            intermediator="Unknown",  # type: ignore[arg-type]  # a wire name, sent as the member
            e_invoice_bank=m.EInvoiceBankType("Alien bank"),  # a pseudo-member by name
            credit_cards=[],
        ),
        None,
    )
    cases["debtor_pseudo_code"] = (
        m.Debtor(debtor_type=m.DebtorType.from_code(99), intermediator=m.IntermediatorType(1)),
        None,
    )
    moments = [
        datetime(2021, 1, 20, 16, 2, 4),  # naive: Stockholm winter
        datetime(2021, 7, 20, 16, 2, 4),  # naive: Stockholm summer
        datetime(2021, 1, 20, 16, 2, 4, 1, tzinfo=timezone.utc),
        datetime(2021, 1, 20, 16, 2, 4, 123456, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2021, 1, 20, 16, 2, 4, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(2021, 10, 31, 2, 30, tzinfo=STOCKHOLM, fold=1),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc),
        date(2017, 3, 15),
    ]
    for index, moment in enumerate(moments):
        cases[f"debtor_created_{index}"] = (m.Debtor(created=moment), None)  # type: ignore[arg-type]
    cases["amounts"] = (
        m.DefaultActionConfig(
            payment_terms_in_days=-(2**31),
            interest_terms_in_days=2**31 - 1,
            number_of_reminders=Decimal("3"),  # type: ignore[arg-type]
            interest_percentage=0.1,
            reminder_invoice_fee=1e16,
            invoice_fee=-0.0,
            min_amount_for_sending_reminder=5e-324,
            min_amount_for_sending_debt_collection_action=Decimal("12.5"),  # type: ignore[arg-type]
            reminder_grace_days=None,
            include_pdf_in_email=None,
            automatic_invoice_write_off_thresholds=[
                m.Amount(currency_code="SEK", value=2**62, value_for_view=1.5),
                m.Amount(currency_code="EUR", value=-(2**63)),
            ],
            invoice_fee_only_on_delivery_methods=[
                m.DeliveryMethodType.EMAIL,
                m.DeliveryMethodType.from_code(77),
            ],
            incoming_payment_notification_methods=[],
            send_as_priority_mail=True,
        ),
        None,
    )
    cases["currency_doubles"] = (m.CurrencyView(one_unit=7, decimals=2), None)
    cases["binary"] = (
        m.MailDelivery(
            creditor_public_id=guid,
            file=m.File(data=b"", file_name="empty.pdf"),
            appendixes=[b"\x00\xff", bytearray(b"abc"), memoryview(b"defg")],  # type: ignore[list-item]
            send_with_color=False,
        ),
        None,
    )
    cases["string_lists"] = (m.CreatedMultiple(public_ids=texts), None)
    cases["guid_lists"] = (
        m.AddMultipleDebtorsToCategoryRequest(debtor_public_ids=[guid, uuid.UUID(int=1)]),  # type: ignore[list-item]
        None,
    )
    cases["webhook_model"] = (
        m.WebhookEvent(
            event_date=datetime(2025, 1, 4, 19, 7, 34, 563029, tzinfo=STOCKHOLM),
            creditor_public_id=guid,
            event="InvoiceActionCreated",
            data=m.Amount(currency_code="SEK", value=10000),
            additional_data="a & b",
        ),
        None,
    )
    cases["webhook_scalars"] = (m.WebhookEvent(data=5, additional_data=True), None)
    cases["webhook_float"] = (m.WebhookEvent(data=2.5, additional_data=False), None)
    return cases


def _json_only_cases() -> dict[str, tuple[Any, m.ListOf[Any] | None]]:
    """Values only JSON can carry (xs:anyType as raw JSON)."""
    return {
        "webhook_json_raw": (
            m.WebhookEvent(data={"Nested": [1, 2.5, None, "x"]}, additional_data=[]),
            None,
        ),
    }


def _xml_only_cases() -> dict[str, tuple[Any, m.ListOf[Any] | None]]:
    """Values only XML can carry (xs:anyType as an element)."""
    element = _element("<Data>lead &amp; <A x='1'>a</A>tail<B/><!--c--></Data>")
    return {"webhook_xml_element": (m.WebhookEvent(data=element), None)}


def _list_cases() -> dict[str, tuple[Any, m.ListOf[Any] | None]]:
    return {
        "debtors_empty": ([], m.Debtors),
        "debtors": ([m.Debtor(name="a"), m.Debtor(debtor_type=m.DebtorType.PRIVATE)], m.Debtors),
    }


def _bench_invoices() -> list[Any]:
    item_type = m.InvoiceActionSubs.item_type
    return [sample_model(item_type, seed=i) for i in range(2000)]


def _corpus() -> Iterator[tuple[str, Any, m.ListOf[Any] | None]]:
    for name in MODELS:
        cls = getattr(m, name)
        for seed in (0, 1, 2):
            yield f"{name}[{seed}]", sample_model(cls, seed=seed), None
        yield f"{name}[read_only]", sample_model(cls, seed=3, read_only=True), None
    for name in LISTS:
        model = getattr(m, name)
        yield name, sample_list(model, count=3), model


Encoder = Callable[[Any, Any], bytes]
FORMATS: dict[str, tuple[Encoder, Encoder]] = {
    "json": (to_json, reference_json),
    "xml": (to_xml, reference_xml),
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_bench_invoice_list_is_written_byte_for_byte(fmt: str) -> None:
    encode, reference = FORMATS[fmt]
    items = _bench_invoices()
    assert encode(items, m.InvoiceActionSubs) == reference(items, m.InvoiceActionSubs)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_sample_model_and_list_is_written_byte_for_byte(fmt: str) -> None:
    encode, reference = FORMATS[fmt]
    different = [
        label
        for label, obj, model in _corpus()
        if (encode(obj, model) if model else encode(obj, None)) != reference(obj, model)
    ]
    assert different == []


def _cases(fmt: str) -> dict[str, tuple[Any, m.ListOf[Any] | None]]:
    cases = {**_edge_cases(), **_list_cases()}
    cases.update(_json_only_cases() if fmt == "json" else _xml_only_cases())
    return cases


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_edge_values_match_the_reference_and_the_golden_files(fmt: str) -> None:
    encode, reference = FORMATS[fmt]
    for name, (obj, model) in _cases(fmt).items():
        written = encode(obj, model) if model else encode(obj, None)
        assert written == reference(obj, model), name
        assert written == (GOLDEN / f"{name}.{fmt}").read_bytes(), name


def test_the_golden_files_cover_exactly_the_edge_cases() -> None:
    expected = {f"{name}.{fmt}" for fmt in FORMATS for name in _cases(fmt)}
    assert {path.name for path in GOLDEN.iterdir()} == expected


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_edge_documents_decode_back(fmt: str) -> None:
    decode = from_json if fmt == "json" else from_xml
    for name in ("debtor_texts", "amounts", "binary", "string_lists", "debtors"):
        obj, model = _cases(fmt)[name]
        data = (GOLDEN / f"{name}.{fmt}").read_bytes()
        decoded = decode(data, model or type(obj))
        again = to_json(decoded, model) if fmt == "json" else to_xml(decoded, model)
        assert again == data, name


def _write_golden() -> None:  # pragma: no cover - run by hand
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for path in GOLDEN.iterdir():
        path.unlink()
    for fmt, (_, reference) in FORMATS.items():
        for name, (obj, model) in _cases(fmt).items():
            (GOLDEN / f"{name}.{fmt}").write_bytes(reference(obj, model))


if __name__ == "__main__":  # pragma: no cover
    _write_golden()
