"""Webhook bodies: every event type both ways in JSON and XML, the guide's forms, bad bodies."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest
from lxml import etree

import billecta_async.models as m
from billecta_async import DecodeError, WebhookError
from billecta_async._wire import BillectaEnum, Model
from billecta_async.testing import sample_model
from billecta_async.webhooks import (
    WEBHOOK_CONTENT_TYPES,
    WEBHOOK_PAYLOAD_TYPES,
    ClaimRefused,
    EventClaim,
    InMemoryDeduplicator,
    PayloadType,
    WebhookEventType,
    WebhookPayloadTypes,
    encode_webhook,
    parse_webhook,
)

CREDITOR = "5f1e6c9a-3b7d-4e21-9a0c-7d2b8e4f1a63"
WHEN = datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=timezone(timedelta(hours=1)))
EVENT_TYPES = [e for e in WebhookEventType if e is not WebhookEventType.UNKNOWN]
FORMATS = ["json", "xml"]

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO.parent / "shared" / "reference" / "billecta-get-started.txt"
XS = "{http://www.w3.org/2001/XMLSchema}"


def _sample(kind: PayloadType, seed: int) -> Any:
    if kind is None:
        return None
    if issubclass(kind, Model):
        return sample_model(kind, seed=seed)
    if issubclass(kind, BillectaEnum):
        members = list(kind)
        return members[seed % len(members)]
    return f"a1b2c3d4-0000-4000-8000-{seed:012d}"


def _envelope_json(event: str, data: Any, **extra: Any) -> bytes:
    envelope = {
        "EventDate": "2025-03-14T09:26:53.5897932+01:00",
        "CreditorPublicId": CREDITOR,
        "Event": event,
        "Data": data,
        **extra,
    }
    return orjson.dumps(envelope)


# -- the event table -------------------------------------------------------------------------


def test_every_guide_event_type_is_known_with_its_payload_types() -> None:
    assert len(EVENT_TYPES) == 61
    assert set(WEBHOOK_PAYLOAD_TYPES) == set(EVENT_TYPES)
    table = WEBHOOK_PAYLOAD_TYPES
    assert table[WebhookEventType.INVOICE_ACTION_CREATED].data is m.InvoiceAction
    assert table[WebhookEventType.INVOICE_COMMENTED].data is m.InvoiceActionCommented
    assert table[WebhookEventType.AMOUNT_WRITTEN_OFF_ON_INVOICE].data is m.IncomingPayment
    assert table[WebhookEventType.UNDELIVERED_INVOICE].data is m.InvoiceDeliveryStatus
    assert table[WebhookEventType.OVERPAYMENT].data is m.UnhandledPayment
    assert table[WebhookEventType.CREDITOR_SHARED].data is m.WebhookCreditorShare
    assert table[WebhookEventType.DEBTOR_CONTRACT_ARCHIVED].data is m.DebtorContract
    # Some of the 13 events the guide lists and the 2021 XSD lacks (the schema has them now).
    assert table[WebhookEventType.INVOICE_ACTION_UPDATED].data is m.InvoiceAction
    assert table[WebhookEventType.SELF_INVOICE_ACTION_PAID].data is m.SelfInvoiceAction
    assert table[WebhookEventType.REMINDER_INVOICE_ACTION_CREATED].data is m.ReminderInvoiceAction
    assert table[WebhookEventType.E_INVOICE_INFO_ON_DEBTOR_CHANGED].data is m.Debtor
    self_deleted = table[WebhookEventType.SELF_INVOICE_ACTION_DELETED]
    assert (self_deleted.data, self_deleted.additional_data) == (str, str)
    deleted = table[WebhookEventType.INVOICE_ACTION_DELETED]
    assert (deleted.data, deleted.additional_data) == (str, str)
    assert table[WebhookEventType.DEBTOR_DELETED].additional_data is None
    unshared = table[WebhookEventType.CREDITOR_UNSHARED]
    assert (unshared.data, unshared.additional_data) == (None, None)
    approval = table[WebhookEventType.AUTOGIRO_APPROVAL_CHANGED]
    assert (approval.data, approval.additional_data) == (m.Debtor, m.AutogiroApprovalCommentCode)
    withdrawal = table[WebhookEventType.AUTOGIRO_WITHDRAWAL_FAILED_ON_RECONCILIATION_INVOICE]
    assert withdrawal.data is m.ReconciliationInvoiceAction
    assert withdrawal.additional_data is m.AutogiroWithdrawalCommentCode


def test_event_types_are_the_schemas_trigger_types() -> None:
    assert WebhookEventType is m.WebhookTriggerType
    assert len(WebhookEventType) == 62  # the guide's 61 events and Unknown
    # Unknown is no event: it has no payload types and its Data stays raw.
    assert WebhookEventType.UNKNOWN not in WEBHOOK_PAYLOAD_TYPES
    body = _envelope_json("Unknown", {"A": 1})
    delivery = parse_webhook(body, "application/json")
    assert delivery.event_type is WebhookEventType.UNKNOWN and delivery.data == {"A": 1}


def _documented(kind: str) -> PayloadType:
    """A payload type as the schema documents it: a model or enum name, string or none."""
    if kind == "none":
        return None
    if kind == "string" or kind.endswith("(string)"):
        return str
    cls = getattr(m, kind)
    assert isinstance(cls, type)
    return cls


def _schema_payload_types() -> dict[str, WebhookPayloadTypes]:
    """Data and AdditionalData of every event as documented in schema/billecta.xsd."""
    root = etree.parse(str(REPO / "schema" / "billecta.xsd")).getroot()
    (enum,) = root.findall(f"{XS}simpleType[@name='WebhookTriggerType']")
    found: dict[str, WebhookPayloadTypes] = {}
    for value in enum.iter(f"{XS}enumeration"):
        doc = value.findtext(f"{XS}annotation/{XS}documentation") or ""
        match = re.search(r"Data: (.+?)\.(?: AdditionalData: (.+?)\.)?(?: |$)", doc)
        if match is None:
            continue
        data, additional = match.group(1), match.group(2) or "none"
        found[value.get("value", "")] = WebhookPayloadTypes(
            _documented(data), _documented(additional)
        )
    return found


def test_payload_types_are_those_the_schema_documents() -> None:
    documented = _schema_payload_types()
    assert set(documented) == {e.value for e in EVENT_TYPES}
    assert {e.value: p for e, p in WEBHOOK_PAYLOAD_TYPES.items()} == documented


def test_payload_types_are_those_of_the_guides_events_table() -> None:
    if not GUIDE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"reference data missing in CI: {GUIDE}")
        pytest.skip(f"reference data not available: {GUIDE}")
    from codegen.schema_build import guide_webhook_events

    models = {name for name in dir(m) if isinstance(getattr(m, name), type)}
    table = {}
    for event in guide_webhook_events(GUIDE.read_text(encoding="utf-8"), models):
        table[event.event] = WebhookPayloadTypes(
            _documented(event.data or "none"), _documented(event.additional_data or "none")
        )
    assert len(table) == 61
    assert {e.value: p for e, p in WEBHOOK_PAYLOAD_TYPES.items()} == table


# -- every event type, both formats ----------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("event", EVENT_TYPES, ids=[e.value for e in EVENT_TYPES])
def test_every_event_type_round_trips(event: WebhookEventType, fmt: Any) -> None:
    payload = WEBHOOK_PAYLOAD_TYPES[event]
    seed = EVENT_TYPES.index(event)
    data = _sample(payload.data, seed)
    additional = _sample(payload.additional_data, seed + 1)
    body = encode_webhook(
        event.value,
        data,
        additional_data=additional,
        creditor_public_id=CREDITOR,
        event_date=WHEN,
        format=fmt,
    )
    delivery = parse_webhook(body, WEBHOOK_CONTENT_TYPES[fmt])
    assert delivery.event_type is event and delivery.event_type.is_known
    assert delivery.creditor_public_id == CREDITOR
    assert delivery.event_date == WHEN
    assert delivery.format == fmt and delivery.body == body
    assert delivery.data == data
    assert type(delivery.data) is type(data)
    assert delivery.additional_data == additional
    assert delivery.envelope.event == event.value
    if isinstance(data, Model):
        assert delivery.data_as(type(data)) is delivery.data


# -- the guide's forms -----------------------------------------------------------------------

# An InvoicePaymentReceived delivery with the value forms of the guide's example: the enum as an
# integer code, seven fractional digits, .NET's empty date, nulls and a base64 file.
PAYMENT = {
    "CreditorPublicId": CREDITOR,
    "InvoiceNumber": "4711",
    "ActionPublicId": "9876543210",
    "ActionType": 2,
    "DebtorPublicId": "0c9d8e7f-1a2b-4c3d-8e9f-a0b1c2d3e4f5",
    "DebtorName": "Anna Andersson",
    "Amount": {"CurrencyCode": "SEK", "Value": 24950, "ValueForView": 249.5},
    "CreatedDate": "0001-01-01T00:00:00",
    "PaymentDate": "2025-03-14T09:26:52.1234567+01:00",
    "PaymentMeanCode": "BG",
    "File": {
        "FilePublicId": "00000000-0000-0000-0000-000000000000",
        "ContentType": "application/pdf",
        "Data": "SGVq",
        "FileName": "Kvitto.pdf",
    },
    "PaymentReferenceId": "6f5e4d3c-2b1a-4098-8776-655443322110",
    "ExternalReference": None,
    "OCR": "47110000000",
    "CreatedBy": None,
    "IsReminderPayment": False,
}

PAYMENT_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<WebhookEvent xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <EventDate>2025-03-14T09:26:53.5897932+01:00</EventDate>
  <CreditorPublicId>5f1e6c9a-3b7d-4e21-9a0c-7d2b8e4f1a63</CreditorPublicId>
  <Event>InvoicePaymentReceived</Event>
  <Data>
    <CreditorPublicId>5f1e6c9a-3b7d-4e21-9a0c-7d2b8e4f1a63</CreditorPublicId>
    <InvoiceNumber>4711</InvoiceNumber>
    <ActionPublicId>9876543210</ActionPublicId>
    <ActionType>InvoiceAction</ActionType>
    <DebtorPublicId>0c9d8e7f-1a2b-4c3d-8e9f-a0b1c2d3e4f5</DebtorPublicId>
    <DebtorName>Anna Andersson</DebtorName>
    <Amount><CurrencyCode>SEK</CurrencyCode><Value>24950</Value></Amount>
    <CreatedDate>0001-01-01T00:00:00</CreatedDate>
    <PaymentDate>2025-03-14T09:26:52.1234567+01:00</PaymentDate>
    <PaymentMeanCode>BG</PaymentMeanCode>
    <File>
      <FilePublicId>00000000-0000-0000-0000-000000000000</FilePublicId>
      <ContentType>application/pdf</ContentType>
      <Data>SGVq</Data>
      <FileName>Kvitto.pdf</FileName>
    </File>
    <PaymentReferenceId>6f5e4d3c-2b1a-4098-8776-655443322110</PaymentReferenceId>
    <ExternalReference xsi:nil="true" />
    <OCR>47110000000</OCR>
    <IsReminderPayment>false</IsReminderPayment>
  </Data>
</WebhookEvent>
"""


def _check_payment(payment: m.IncomingPayment) -> None:
    assert payment.action_type is m.ActionType.INVOICE_ACTION
    assert payment.created_date is None
    assert payment.payment_date == datetime(
        2025, 3, 14, 9, 26, 52, 123456, tzinfo=timezone(timedelta(hours=1))
    )
    assert payment.amount is not None
    assert (payment.amount.currency_code, payment.amount.value) == ("SEK", 24950)
    assert payment.file is not None and payment.file.data == b"Hej"
    assert payment.file.file_name == "Kvitto.pdf"
    assert payment.external_reference is None and payment.created_by is None
    assert payment.is_reminder_payment is False
    assert payment.ocr == "47110000000" and payment.invoice_number == "4711"


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "text/json"]
)
def test_guide_style_json_delivery_parses(content_type: str) -> None:
    delivery = parse_webhook(_envelope_json("InvoicePaymentReceived", PAYMENT), content_type)
    assert delivery.event_type is WebhookEventType.INVOICE_PAYMENT_RECEIVED
    assert delivery.event_date == WHEN
    assert delivery.additional_data is None
    payment = delivery.data_as(m.IncomingPayment)
    _check_payment(payment)
    assert payment.amount is not None and payment.amount.value_for_view == 249.5


@pytest.mark.parametrize("content_type", ["application/xml", 'text/xml; charset="UTF-8"'])
def test_guide_style_xml_delivery_parses(content_type: str) -> None:
    delivery = parse_webhook(PAYMENT_XML, content_type)
    assert delivery.event_type is WebhookEventType.INVOICE_PAYMENT_RECEIVED
    assert delivery.event_date == WHEN
    _check_payment(delivery.data_as(m.IncomingPayment))


def test_without_content_type_the_body_decides() -> None:
    assert parse_webhook(PAYMENT_XML, None).format == "xml"
    assert parse_webhook(_envelope_json("InvoicePaymentReceived", PAYMENT), "").format == "json"


def test_json_in_another_declared_charset_parses() -> None:
    body = _envelope_json("DebtorCreated", {"Name": "Malmö Åre"}).decode().encode("iso-8859-1")
    delivery = parse_webhook(body, "application/json; charset=ISO-8859-1")
    assert delivery.data == m.Debtor(name="Malmö Åre")


def test_deleted_event_carries_ids_as_strings() -> None:
    body = _envelope_json("InvoiceActionDeleted", "9876543210", AdditionalData="debtor-1")
    delivery = parse_webhook(body, "application/json")
    assert delivery.data == "9876543210" and delivery.additional_data == "debtor-1"


def test_autogiro_comment_code_decodes_from_name_or_code() -> None:
    body = _envelope_json("AutogiroApprovalFailed", {}, AdditionalData="WrongPayerNumber")
    delivery = parse_webhook(body, "application/json")
    assert delivery.additional_data is m.AutogiroApprovalCommentCode.WRONG_PAYER_NUMBER
    assert delivery.data == m.Debtor()
    body = _envelope_json("AutogiroApprovalFailed", None, AdditionalData=99)
    later = parse_webhook(body, "application/json").additional_data
    assert isinstance(later, m.AutogiroApprovalCommentCode) and not later.is_known


def test_empty_xml_data_is_an_empty_model() -> None:
    for data in (b"<Data/>", b"<Data>\n  </Data>"):
        body = b"<WebhookEvent><Event>ProductCreated</Event>" + data + b"</WebhookEvent>"
        assert parse_webhook(body, "application/xml").data == m.Product()


def test_missing_data_is_none_and_nothing_events_keep_what_arrives() -> None:
    delivery = parse_webhook(_envelope_json("CreditorUnshared", None), "application/json")
    assert delivery.event_type is WebhookEventType.CREDITOR_UNSHARED and delivery.data is None
    extra = parse_webhook(_envelope_json("CreditorUnshared", {"X": 1}), "application/json")
    assert extra.data == {"X": 1}


def test_event_name_case_does_not_matter() -> None:
    delivery = parse_webhook(_envelope_json("debtorcreated", {}), "application/json")
    assert delivery.event_type is WebhookEventType.DEBTOR_CREATED


# -- unknown event types ---------------------------------------------------------------------


def test_unknown_event_type_json_keeps_raw_data() -> None:
    body = _envelope_json("InvoiceTeleported", {"Where": "Mars", "Amount": 3}, AdditionalData=[1])
    delivery = parse_webhook(body, "application/json")
    assert not delivery.event_type.is_known
    assert delivery.event_type.value == "InvoiceTeleported"
    assert isinstance(delivery.event_type, WebhookEventType)
    assert delivery.data == {"Where": "Mars", "Amount": 3}
    assert delivery.additional_data == [1]
    assert delivery.creditor_public_id == CREDITOR


def test_unknown_event_type_xml_keeps_the_element() -> None:
    body = (
        b"<WebhookEvent><CreditorPublicId>c-1</CreditorPublicId><Event>InvoiceTeleported</Event>"
        b"<Data><Where>Mars</Where></Data><AdditionalData>x</AdditionalData></WebhookEvent>"
    )
    delivery = parse_webhook(body, "application/xml")
    assert not delivery.event_type.is_known
    assert delivery.data.tag == "Data" and delivery.data.findtext("Where") == "Mars"
    assert delivery.additional_data == "x"
    assert delivery.event_date is None and delivery.creditor_public_id == "c-1"


def test_unknown_event_type_encodes_raw_data() -> None:
    body = encode_webhook("InvoiceTeleported", {"Where": "Mars"}, creditor_public_id=CREDITOR)
    assert orjson.loads(body)["Data"] == {"Where": "Mars"}
    assert parse_webhook(body, "application/json").data == {"Where": "Mars"}


# -- identity --------------------------------------------------------------------------------


def test_identity_is_stable_across_serialisations_and_differs_between_events() -> None:
    first = parse_webhook(_envelope_json("DebtorDeleted", "d-1"), "application/json")
    reordered = (
        b'{"Data": "d-1", "Event": "DebtorDeleted", "CreditorPublicId": "%s",\n  '
        % (CREDITOR.encode())
        + b'"EventDate": "2025-03-14T09:26:53.5897932+01:00"}'
    )
    again = parse_webhook(reordered, "application/json")
    other = parse_webhook(_envelope_json("DebtorDeleted", "d-2"), "application/json")
    later = parse_webhook(
        _envelope_json("DebtorDeleted", "d-1").replace(b"53.5897932", b"54.0"),
        "application/json",
    )
    assert len(first.identity) == 64
    assert again.identity == first.identity
    assert len({first.identity, other.identity, later.identity}) == 3


def test_xml_identity_is_that_of_the_canonical_xml() -> None:
    compact = etree.tostring(etree.fromstring(PAYMENT_XML, etree.XMLParser(remove_blank_text=True)))
    spaced = PAYMENT_XML.replace(b'xsi:nil="true" />', b'xsi:nil="true"/>')
    identities = {parse_webhook(body, "application/xml").identity for body in (PAYMENT_XML, spaced)}
    assert len(identities) == 1
    assert parse_webhook(compact, "application/xml").identity not in identities  # whitespace text


# -- malformed bodies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b'{"Event": "DebtorCreated", ', "application/json", "not valid JSON"),
        (b"[1, 2]", "application/json", "expected a JSON object"),
        (b"<WebhookEvent><Event>", "application/xml", "not well-formed XML"),
        (b"<Debtor><Name>x</Name></Debtor>", "application/xml", "expected root element"),
        (b'{"CreditorPublicId": "c"}', "application/json", "has no Event"),
        (b"<WebhookEvent><Data/></WebhookEvent>", "text/xml", "has no Event"),
        (b'{"Event": "DebtorCreated"}', "text/plain", "unsupported content type"),
        (b"Event=DebtorCreated", None, "unsupported content type"),
        (b'{"Event": "DebtorCreated"}', "application/json; charset=klingon", "klingon"),
        (b'{"Event": 7}', "application/json", "WebhookEvent.Event: expected a string"),
        (b'{"Event": "DebtorCreated", "EventDate": "soon"}', "application/json", "EventDate"),
        (
            b'<!DOCTYPE x [<!ENTITY e "e">]><WebhookEvent/>',
            "application/xml",
            "DOCTYPE is not allowed",
        ),
    ],
)
def test_malformed_body_is_a_clear_webhook_error(
    body: bytes, content_type: str | None, expected: str
) -> None:
    with pytest.raises(WebhookError, match=expected):
        parse_webhook(body, content_type)


@pytest.mark.parametrize(
    "body",
    [
        b'{"Event": "DebtorCreated", "Data": {"SSN": "19800113-9297"}',  # cut short
        b'["DebtorCreated", "19800113-9297"]',
    ],
)
def test_a_malformed_body_shown_in_the_error_has_personal_numbers_masked(body: bytes) -> None:
    with pytest.raises(WebhookError) as caught:
        parse_webhook(body, "application/json")
    assert "19800113-9297" not in str(caught.value) and "<masked>" in str(caught.value)
    assert "DebtorCreated" in str(caught.value)


@pytest.mark.parametrize(
    ("event", "data", "additional", "expected"),
    [
        ("InvoiceActionCreated", "oops", None, "Data of a InvoiceActionCreated event is not a"),
        ("InvoiceActionCreated", [], None, r"WebhookEvent\.Data: expected a JSON object"),
        (
            "InvoicePaymentReceived",
            {**PAYMENT, "Amount": {"CurrencyCode": "SEK", "Value": "lots"}},
            None,
            r"WebhookEvent\.Data\.Amount\.Value: expected an integer \(got 'lots'\)",
        ),
        (
            "DebtorCreated",
            {"Created": 5},
            None,
            r"WebhookEvent\.Data\.Created: expected an ISO 8601 date-time",
        ),
        ("DebtorDeleted", {"PublicId": "x"}, None, r"WebhookEvent\.Data: expected a string"),
        ("InvoiceActionDeleted", "a-1", 12, r"AdditionalData: expected a string"),
        ("AutogiroApprovalChanged", {}, True, r"AdditionalData: expected a AutogiroApproval"),
    ],
)
def test_data_not_matching_its_type_names_the_field(
    event: str, data: Any, additional: Any, expected: str
) -> None:
    body = _envelope_json(event, data, AdditionalData=additional)
    with pytest.raises(WebhookError, match=expected) as caught:
        parse_webhook(body, "application/json")
    assert isinstance(caught.value.__cause__, DecodeError)


def test_xml_data_not_matching_its_type_names_the_field() -> None:
    text = b"<WebhookEvent><Event>DebtorCreated</Event><Data>just text</Data></WebhookEvent>"
    with pytest.raises(WebhookError, match=r"WebhookEvent\.Data: expected Debtor's elements"):
        parse_webhook(text, "application/xml")
    nested = (
        b"<WebhookEvent><Event>DebtorDeleted</Event><Data><PublicId>x</PublicId></Data>"
        b"</WebhookEvent>"
    )
    with pytest.raises(WebhookError, match=r"WebhookEvent\.Data: expected a string"):
        parse_webhook(nested, "application/xml")
    bad = PAYMENT_XML.replace(b"<Value>24950</Value>", b"<Value>lots</Value>")
    with pytest.raises(WebhookError, match=r"WebhookEvent\.Data\.Amount\.Value"):
        parse_webhook(bad, "application/xml")


def test_data_as_refuses_another_type() -> None:
    delivery = parse_webhook(_envelope_json("DebtorDeleted", "d-1"), "application/json")
    assert delivery.data_as(str) == "d-1"
    with pytest.raises(WebhookError, match="is a str, not a Debtor"):
        delivery.data_as(m.Debtor)


# -- encoder ---------------------------------------------------------------------------------


def test_encoder_writes_the_envelope() -> None:
    body = encode_webhook(
        WebhookEventType.INVOICE_ACTION_DELETED,
        "9876543210",
        additional_data="debtor-1",
        creditor_public_id=CREDITOR,
        event_date=WHEN,
    )
    assert orjson.loads(body) == {
        "EventDate": "2025-03-14T09:26:53.589793+01:00",
        "CreditorPublicId": CREDITOR,
        "Event": "InvoiceActionDeleted",
        "Data": "9876543210",
        "AdditionalData": "debtor-1",
    }
    xml = etree.fromstring(
        encode_webhook("DebtorDeleted", "d-1", creditor_public_id=CREDITOR, format="xml")
    )
    assert xml.tag == "WebhookEvent" and xml.findtext("Data") == "d-1"
    assert xml.find("AdditionalData") is None
    assert xml.findtext("EventDate")  # defaults to now


@pytest.mark.parametrize(
    ("event", "data", "additional", "expected"),
    [
        ("DebtorCreated", m.Creditor(), None, "Data of a DebtorCreated event must be a Debtor"),
        ("DebtorDeleted", m.Debtor(), None, "must be a str, not Debtor"),
        ("CreditorUnshared", "c-1", None, "carries no Data"),
        ("DebtorCreated", m.Debtor(), "x", "carries no AdditionalData"),
        (
            "AutogiroApprovalFailed",
            m.Debtor(),
            m.AutogiroWithdrawalCommentCode.UNKNOWN,
            "must be a AutogiroApprovalCommentCode",
        ),
    ],
)
def test_encoder_refuses_payloads_of_the_wrong_type(
    event: str, data: Any, additional: Any, expected: str
) -> None:
    with pytest.raises(WebhookError, match=expected):
        encode_webhook(event, data, additional_data=additional, creditor_public_id=CREDITOR)


def test_encoder_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="format must be"):
        encode_webhook("DebtorDeleted", "d", creditor_public_id=CREDITOR, format="yaml")  # type: ignore[arg-type]


# -- in-memory de-duplication ----------------------------------------------------------------


async def test_in_memory_deduplicator_forgets_the_oldest() -> None:
    dedup = InMemoryDeduplicator(max_size=2)
    assert "a" not in dedup
    for identity in ("a", "b", "c", "a"):  # "c" makes "a" forgotten, then "a" makes "b"
        claim = await dedup.claim(identity)
        assert isinstance(claim, EventClaim)
        await claim.complete()
    assert len(dedup) == 2
    assert "a" in dedup and "c" in dedup and "b" not in dedup
    assert await dedup.claim("a") is ClaimRefused.PROCESSED


async def test_in_memory_claims_are_exclusive_until_completed_or_released() -> None:
    dedup = InMemoryDeduplicator()
    first = await dedup.claim("e")
    assert isinstance(first, EventClaim)
    assert await dedup.claim("e") is ClaimRefused.IN_PROGRESS  # a concurrent delivery
    await first.release()  # the callback failed
    second = await dedup.claim("e")
    assert isinstance(second, EventClaim) and "e" not in dedup
    await first.release()  # once only: the new claim stays held
    assert await dedup.claim("e") is ClaimRefused.IN_PROGRESS
    await second.complete()
    assert await dedup.claim("e") is ClaimRefused.PROCESSED and "e" in dedup
    with pytest.raises(ValueError, match="at least 1"):
        InMemoryDeduplicator(max_size=0)
