"""Values at the edges of Billecta's wire formats, in JSON and XML: each decodes right or raises a
DecodeError naming the field; large documents stay readable and DTDs stay refused."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import orjson
import pytest

import billecta_async.models as m
from billecta_async import DecodeError, WebhookError, from_json, from_xml, parse_datetime
from billecta_async._wire import _xml
from billecta_async._wire._json import _decode_careful as json_careful
from billecta_async._wire._json import json_decoder
from billecta_async._wire._scalars import dt_text
from billecta_async._wire._xml import _decode_careful as xml_careful
from billecta_async._wire._xml import parse_xml_document, xml_decoder
from billecta_async.testing import sample_model
from billecta_async.webhooks import parse_webhook

XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
EMPTY_DATES = [
    "0001-01-01T00:00:00",
    "0001-01-01 00:00:00+01:00",
    "0001-01-01T00:00:00+01:00",
    "0001-01-01 00:00:00+00:00",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00.0000000-05:00",
]


@pytest.mark.parametrize("text", EMPTY_DATES)
def test_dotnet_empty_date_is_none_however_written(text: str) -> None:
    assert parse_datetime(text) is None
    assert m.Debtor.from_json(orjson.dumps({"Created": text})).created is None
    assert m.Debtor.from_xml(f"<Debtor><Created>{text}</Created></Debtor>").created is None


def test_a_real_date_in_year_one_is_kept() -> None:
    debtor = m.Debtor.from_json(b'{"Created": "0001-01-02T00:00:00+01:00"}')
    assert debtor.created == datetime(1, 1, 2, tzinfo=timezone(timedelta(hours=1)))


@pytest.mark.parametrize(
    "text",
    [
        "2021-01-20 16:02:04+01:00",
        "2021-01-20T16:02:04.1234567+01:00",
        "2021-01-20T16:02:04-05:30",
        "2021-01-20T16:02:04+00:00",
        "2021-01-20T16:02:04Z",
        "2021-07-20T16:02:04",
        "2021-01-20T16:02:04+05:17",
        "20210120T160204+0100",
    ],
)
def test_every_form_decodes_alike_in_json_xml_and_parse_datetime(text: str) -> None:
    expected = parse_datetime(text)
    assert expected is not None
    from_json_value = m.Debtor.from_json(orjson.dumps({"Created": text})).created
    from_xml_value = m.Debtor.from_xml(f"<Debtor><Created>{text}</Created></Debtor>").created
    for value in (from_json_value, from_xml_value):
        assert value == expected and value is not None
        assert value.utcoffset() == expected.utcoffset()
        assert value.isoformat() == expected.isoformat()


def test_date_times_share_one_timezone_object_per_offset() -> None:
    items = [sample_model(m.InvoiceActionSubs.item_type, seed=i) for i in range(50)]
    for decode, data in (
        (from_json, m.to_json(items, m.InvoiceActionSubs)),
        (from_xml, m.to_xml(items, m.InvoiceActionSubs)),
    ):
        decoded = decode(data, m.InvoiceActionSubs)
        moments = [d for item in decoded for d in (item.created, item.due_date, item.closed_date)]
        offsets = {d.utcoffset() for d in moments if d is not None}
        timezones = {id(d.tzinfo) for d in moments if d is not None}
        assert len(moments) == 150 and len(timezones) == len(offsets) <= 4


@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_for_an_enum_is_an_error_naming_the_field(value: bool) -> None:
    doc = orjson.dumps({"ActionType": value, "OurReference": "1"})
    with pytest.raises(DecodeError) as caught:
        m.InvoiceActionEntry.from_json(doc)
    assert caught.value.field == "InvoiceActionEntry.ActionType" and caught.value.value is value


def test_a_boolean_for_an_integer_is_an_error_naming_the_field() -> None:
    with pytest.raises(DecodeError) as caught:
        m.Amount.from_json(b'{"Value": true}')
    assert caught.value.field == "Amount.Value" and caught.value.value is True
    with pytest.raises(DecodeError) as caught:
        m.Amount.from_xml(b"<Amount><Value>true</Value></Amount>")
    assert caught.value.field == "Amount.Value"


def test_enum_codes_decode_alike_in_json_and_xml() -> None:
    by_json = m.InvoiceActionEntry.from_json(b'{"ActionType": 2}').action_type
    by_xml = m.InvoiceActionEntry.from_xml(
        b"<InvoiceActionEntry><ActionType>2</ActionType></InvoiceActionEntry>"
    ).action_type
    assert by_json is by_xml is m.ActionType.INVOICE_ACTION
    assert (
        m.InvoiceActionEntry.from_xml(
            b"<InvoiceActionEntry><ActionType>-1</ActionType></InvoiceActionEntry>"
        )
    ).action_type is m.ActionType.UNKNOWN
    unknown = m.InvoiceActionEntry.from_xml(
        b"<InvoiceActionEntry><ActionType>77</ActionType></InvoiceActionEntry>"
    )
    assert unknown.action_type is m.ActionType.from_code(77)
    assert b"<ActionType>77</ActionType>" in unknown.to_xml()
    assert orjson.loads(unknown.to_json())["ActionType"] == 77


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_enum_codes_beyond_32_bits_are_errors(fmt: str) -> None:
    code = 2**40
    with pytest.raises(DecodeError) as caught:
        if fmt == "json":
            m.InvoiceActionEntry.from_json(orjson.dumps({"ActionType": code}))
        else:
            m.InvoiceActionEntry.from_xml(
                f"<InvoiceActionEntry><ActionType>{code}</ActionType></InvoiceActionEntry>"
            )
    assert caught.value.field == "InvoiceActionEntry.ActionType"


LONG_MAX = 2**63 - 1
INT_MAX = 2**31 - 1


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (str(LONG_MAX), LONG_MAX),
        (str(-LONG_MAX - 1), -LONG_MAX - 1),
        ("9007199254740993", 9007199254740993),  # beyond a double's precision, still exact
        ("3.0", 3),
    ],
)
def test_longs_decode_exactly(text: str, value: int) -> None:
    decoded = m.Amount.from_json(f'{{"Value": {text}}}').value
    assert decoded == value and type(decoded) is int
    if "." not in text:
        assert m.Amount.from_xml(f"<Amount><Value>{text}</Value></Amount>").value == value


@pytest.mark.parametrize(
    "text",
    [
        str(LONG_MAX + 1),
        str(-LONG_MAX - 2),
        "12345678901234567890123",  # beyond 64 bits: the parser reads it as a double
        "9007199254740993.0",  # written as a double and beyond 2**53: it may have been rounded
        "1e300",
    ],
)
def test_longs_beyond_64_bits_or_inexact_are_errors(text: str) -> None:
    with pytest.raises(DecodeError) as caught:
        m.Amount.from_json(f'{{"Value": {text}}}')
    assert caught.value.field == "Amount.Value"
    if "." not in text and "e" not in text:
        with pytest.raises(DecodeError) as caught:
            m.Amount.from_xml(f"<Amount><Value>{text}</Value></Amount>")
        assert caught.value.field == "Amount.Value"
        assert "64 bits" in caught.value.reason


@pytest.mark.parametrize("value", [INT_MAX + 1, -INT_MAX - 2, 2**40])
def test_ints_beyond_32_bits_are_errors_in_both_formats(value: int) -> None:
    field = "DefaultActionConfig.PaymentTermsInDays"
    with pytest.raises(DecodeError) as caught:
        m.DefaultActionConfig.from_json(orjson.dumps({"PaymentTermsInDays": value}))
    assert caught.value.field == field and "32 bits" in caught.value.reason
    with pytest.raises(DecodeError) as caught:
        m.DefaultActionConfig.from_xml(
            f"<DefaultActionConfig><PaymentTermsInDays>{value}</PaymentTermsInDays>"
            "</DefaultActionConfig>"
        )
    assert caught.value.field == field
    decoded = m.DefaultActionConfig.from_json(orjson.dumps({"PaymentTermsInDays": INT_MAX}))
    assert decoded.payment_terms_in_days == INT_MAX


def test_out_of_range_integers_are_refused_before_sending() -> None:
    from billecta_async import EncodeError

    with pytest.raises(EncodeError) as caught:
        m.DefaultActionConfig(payment_terms_in_days=INT_MAX + 1).to_json()
    assert caught.value.field == "DefaultActionConfig.PaymentTermsInDays"
    with pytest.raises(EncodeError) as caught:
        m.Amount(value=2**64).to_xml()
    assert caught.value.field == "Amount.Value"


def _nested(depth: int) -> bytes:
    return b'{"A":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize("depth", [254, 255, 300, 1000])
def test_a_deeply_nested_json_webhook_is_a_webhook_error(depth: int) -> None:
    body = (
        b'{"Event": "DebtorCreated", "CreditorPublicId": "x", "EventDate": null, "Data": '
        + _nested(depth)
        + b"}"
    )
    with pytest.raises(WebhookError):
        parse_webhook(body, "application/json")


def test_a_webhook_nested_within_the_limit_parses() -> None:
    body = b'{"Event": "SomethingNew", "Data": ' + _nested(200) + b"}"
    delivery = parse_webhook(body, "application/json")
    assert delivery.data is not None and len(delivery.identity) == 64


def _big_file(size: int) -> m.MailDelivery:
    data = bytes(range(256)) * (size // 256)
    return m.MailDelivery(appendixes=[data], file=m.File(data=data, file_name="big.pdf"))


def test_a_text_node_over_10_mb_round_trips_in_xml() -> None:
    delivery = _big_file(8 * 1024 * 1024)  # base64: about 11 MB of text
    data = delivery.to_xml()
    assert len(data) > 2 * _xml.HUGE_DOCUMENT
    assert m.MailDelivery.from_xml(data) == delivery
    assert m.MailDelivery.from_json(delivery.to_json()) == delivery


def test_large_documents_still_refuse_dtds_and_entities() -> None:
    text = base64.b64encode(b"x" * 8_000_000)
    for prolog in (
        b'<!DOCTYPE File [<!ENTITY a "aaaaaaaaaa">]>',
        b'<!DOCTYPE File SYSTEM "file:///etc/passwd">',
    ):
        doc = prolog + b"<File><Data>" + text + b"</Data><FileName>&a;</FileName></File>"
        with pytest.raises(DecodeError, match="DOCTYPE"):
            m.File.from_xml(doc)


def test_large_documents_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_xml, "MAX_DOCUMENT", 12_000_000)
    doc = b"<File><Data>" + b"QUFB" * 3_500_000 + b"</Data></File>"
    with pytest.raises(DecodeError, match="larger than"):
        m.File.from_xml(doc)


def test_a_utf16_document_with_a_doctype_is_refused() -> None:
    doc = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE Debtor [<!ENTITY x "y">]><Debtor/>'
    with pytest.raises(DecodeError, match="DOCTYPE"):
        parse_xml_document(doc.encode("utf-16"), "Debtor")


# The compiled decoders read documents as Billecta writes them and fall back on the careful
# field-by-field decoders for anything else: both must give the same model.
JSON_DOCS = [
    b"{}",
    b'{"Name": "a", "Unknown": [1, {"x": null}], "Created": null, "CreditCards": [null, {}]}',
    b'{"DebtorType": 1, "Intermediator": "tietose", "EInvoiceBank": "NEW", "IsActive": null}',
    b'{"Created": "2021-01-20T16:02:04", "Autogiro": {"PayerNumber": "1"}}',
]
XML_DOCS = [
    "<Debtor/>",
    f"<Debtor {XSI}><Name>b</Name><DebtorPublicId>a</DebtorPublicId><Name>c</Name></Debtor>",
    "<Debtor><Unknown><Name>x</Name></Unknown><Name>n</Name><Extra/><City>c</City></Debtor>",
    f'<Debtor {XSI}><IsActive xsi:nil="true"/><Created xsi:nil="true"/><Email/></Debtor>',
    f'<Debtor {XSI}><Autogiro xsi:nil="true"/><CreditCards><DebtorCreditCard {XSI} '
    'xsi:nil="true"/><DebtorCreditCard/><Other/></CreditCards></Debtor>',
    "<Debtor><DebtorType>1</DebtorType><Intermediator>tietose</Intermediator></Debtor>",
]


@pytest.mark.parametrize("doc", JSON_DOCS)
def test_compiled_and_careful_json_decoders_agree(doc: bytes) -> None:
    parsed = orjson.loads(doc)
    assert json_decoder(m.Debtor)(parsed) == json_careful(m.Debtor, parsed)


@pytest.mark.parametrize("doc", XML_DOCS)
def test_compiled_and_careful_xml_decoders_agree(doc: str) -> None:
    root = parse_xml_document(doc, "Debtor")
    assert xml_decoder(m.Debtor)(root) == xml_careful(m.Debtor, root)


def test_xml_elements_out_of_order_repeated_or_unknown_read_as_in_document_order() -> None:
    debtor = m.Debtor.from_xml(XML_DOCS[1])
    assert debtor.name == "c" and debtor.debtor_public_id == "a"
    debtor = m.Debtor.from_xml(XML_DOCS[2])
    assert debtor.name == "n" and debtor.city == "c"
    nils = m.Debtor.from_xml(XML_DOCS[4])
    assert nils.autogiro is None and nils.credit_cards == [m.DebtorCreditCard()]


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2021, 1, 20, 16, 2, 4, 123456, tzinfo=timezone(timedelta(hours=1))),
        datetime(2021, 1, 20, 16, 2, 4, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
        datetime(2021, 1, 20, tzinfo=timezone(timedelta(seconds=30))),
        datetime(2021, 1, 20, tzinfo=timezone(timedelta(hours=-5, microseconds=1))),
        datetime(2021, 1, 20, tzinfo=timezone.utc),
        datetime(2021, 10, 31, 2, 30),  # Stockholm
        datetime(1899, 12, 31, 12, tzinfo=ZoneInfo("Europe/Stockholm")),
        datetime(1878, 6, 1, tzinfo=ZoneInfo("Europe/Stockholm")),
        datetime(1900, 1, 1, 12, tzinfo=ZoneInfo("Europe/Stockholm")),
        datetime(2021, 10, 31, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Stockholm")),
        datetime(2021, 7, 1, tzinfo=ZoneInfo("America/St_Johns")),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
    ],
)
def test_xml_date_times_are_written_as_isoformat_writes_them(moment: datetime) -> None:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/Stockholm"))
    assert dt_text(moment) == moment.isoformat()
    assert f"<Created>{moment.isoformat()}</Created>".encode() in m.Debtor(created=moment).to_xml()


def test_small_nested_models_written_inline_still_name_a_bad_value() -> None:
    from billecta_async import EncodeError

    class MyAmount(m.Amount):
        __slots__ = ()

    record = m.InvoiceActionRecord(unit_price=m.Amount(currency_code="SEK", value=100))
    assert orjson.loads(record.to_json()) == {"UnitPrice": {"CurrencyCode": "SEK", "Value": 100}}
    subclassed = m.InvoiceActionRecord(unit_price=MyAmount(currency_code="SEK", value=100))
    assert subclassed.to_json() == record.to_json()
    partial = m.InvoiceActionRecord(unit_price=m.Amount(value=5))
    assert orjson.loads(partial.to_json()) == {"UnitPrice": {"Value": 5}}
    for bad, field, value in [
        (m.Amount(value="100"), "InvoiceActionRecord.UnitPrice.Value", "100"),  # type: ignore[arg-type]
        (m.Amount(currency_code=5), "InvoiceActionRecord.UnitPrice.CurrencyCode", 5),  # type: ignore[arg-type]
        (m.Amount(value=2**63), "InvoiceActionRecord.UnitPrice.Value", 2**63),
        (m.File(), "InvoiceActionRecord.UnitPrice", m.File()),
    ]:
        with pytest.raises(EncodeError) as caught:
            m.InvoiceActionRecord(unit_price=bad).to_json()  # type: ignore[arg-type]
        assert caught.value.field == field and caught.value.value == value


class _Moment(datetime):
    """A datetime subclass, as pendulum's or pandas' are."""


@pytest.mark.parametrize(
    "moment",
    [
        _Moment(2021, 1, 20, 16, 2, 4, 5, tzinfo=timezone(timedelta(hours=1))),
        _Moment(2021, 1, 20, 16, 2, 4),  # naive: Stockholm
    ],
)
def test_datetime_subclasses_are_sent_in_both_formats(moment: datetime) -> None:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Europe/Stockholm"))
    debtor = m.Debtor(created=moment)
    assert orjson.loads(debtor.to_json())["Created"] == aware.isoformat()
    assert f"<Created>{aware.isoformat()}</Created>".encode() in debtor.to_xml()


def test_repeated_date_times_decode_to_one_shared_object() -> None:
    texts = ["2024-03-01T00:00:00+01:00", "2024-03-01 00:00:00+01:00", "2024-03-01T08:15:02+01:00"]
    for text in texts:
        items = [{"Created": text}] * 3
        xml = "".join(f"<Debtor><Created>{text}</Created></Debtor>" for _ in items)
        json_items = from_json(orjson.dumps(items), m.Debtors)
        xml_items = from_xml(f"<Debtors>{xml}</Debtors>", m.Debtors)
        moments = [item.created for item in json_items + xml_items]
        assert len(moments) == 6 and all(moment is moments[0] for moment in moments)
        assert moments[0] == parse_datetime(text)


def test_the_date_time_cache_is_bounded_and_keeps_decoding_right() -> None:
    from billecta_async._wire import _datetime

    start = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=2)))
    moments = [start + timedelta(seconds=i) for i in range(3 * _datetime._MAX_DECODED)]
    data = orjson.dumps([{"Created": moment.isoformat()} for moment in moments])
    for _ in range(2):
        decoded = from_json(data, m.Debtors)
        assert [item.created for item in decoded] == moments
        assert len(_datetime.DECODED) <= _datetime._MAX_DECODED
    # .NET's empty date is remembered as None, not as "not seen"
    for _ in range(2):
        assert m.Debtor.from_json(b'{"Created": "0001-01-01 00:00:00+01:00"}').created is None


# Every character class the XML writer treats apart: markup, CR, tab and newline (kept as is),
# characters XML 1.0 cannot carry (refused), other non-printable ones and non-ASCII text.
_XML_CHARACTERS = [chr(c) for c in range(128)] + [
    "\x85", "\xa0", "\xad", "é", "☃", "\u2028", "\ufeff", "\ud800", "\udfff", "\ufffd",
    "\ufffe", "\uffff", "\U0001f600",
]  # fmt: skip


@pytest.mark.parametrize("char", _XML_CHARACTERS, ids=[f"U+{ord(c):04X}" for c in _XML_CHARACTERS])
def test_xml_text_is_written_as_the_escaper_writes_it(char: str) -> None:
    from billecta_async import EncodeError
    from billecta_async._wire._scalars import Bad, xml_escape

    text = f"a{char}b"
    debtor = m.Debtor(name=text, debtor_type=m.DebtorType.PRIVATE)
    try:
        expected = xml_escape(text)
    except Bad:
        with pytest.raises(EncodeError, match="Name"):
            debtor.to_xml()
        return
    assert f"<Name>{expected}</Name>".encode() in debtor.to_xml()
    assert m.Debtor.from_xml(debtor.to_xml()).name == text


SECRET = "correct-horse-battery"


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (m.Password(password=SECRET.encode()), "Password.Password"),
        (m.SwishSettings(password=SECRET.encode()), "SwishSettings.Password"),
        (m.BankIdAuthenticationRequest(ssn=SECRET.encode()), "BankIdAuthenticationRequest.SSN"),
        (m.SecureTokenView(value=SECRET.encode()), "SecureTokenView.Value"),
        (
            m.WebhookSetting(headers=[m.WebhookHeader(value=SECRET.encode())]),
            "WebhookSetting.Headers.0.Value",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_credential_of_the_wrong_type_is_named_but_never_shown(
    model: m.Model, field: str, fmt: str
) -> None:
    from billecta_async import EncodeError

    with pytest.raises(EncodeError) as caught:
        model.to_json() if fmt == "json" else model.to_xml()
    assert caught.value.field == field
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)
    assert caught.value.value is None and not caught.value.has_value


def test_a_credential_xml_cannot_carry_is_named_but_never_shown() -> None:
    from billecta_async import EncodeError

    with pytest.raises(EncodeError) as caught:
        m.Password(password=SECRET + "\x00").to_xml()
    assert caught.value.field == "Password.Password"
    assert "cannot be sent in XML" in str(caught.value) and SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("doc", "model", "field"),
    [
        ({"Password": [SECRET]}, m.Password, "Password.Password"),
        ({"SSN": {"x": SECRET}}, m.BankIdAuthenticationRequest, "BankIdAuthenticationRequest.SSN"),
        ({"Headers": [{"Value": [SECRET]}]}, m.WebhookSetting, "WebhookSetting.Headers.0.Value"),
    ],
)
def test_a_credential_that_does_not_decode_is_named_but_never_shown(
    doc: object, model: type[m.Model], field: str
) -> None:
    with pytest.raises(DecodeError) as caught:
        from_json(orjson.dumps(doc), model)
    assert caught.value.field == field
    assert SECRET not in str(caught.value) and caught.value.value is None


def test_other_fields_of_the_wrong_type_still_show_their_value() -> None:
    from billecta_async import EncodeError

    with pytest.raises(EncodeError) as caught:
        m.WebhookHeader(name=b"X-Api-Key", value="k").to_json()  # type: ignore[arg-type]
    assert caught.value.field == "WebhookHeader.Name" and caught.value.value == b"X-Api-Key"
    with pytest.raises(DecodeError) as decoded:
        from_json(b'{"Name": 5}', m.WebhookHeader)
    assert decoded.value.field == "WebhookHeader.Name" and decoded.value.value == 5


@pytest.mark.parametrize("declared", ["ISO-8859-1", "windows-1252", "UTF-16", "utf-8"])
def test_xml_given_as_text_is_read_as_text_whatever_encoding_it_declares(declared: str) -> None:
    # A str is already decoded: its declaration names the encoding of the bytes it came from.
    doc = f'<?xml version="1.0" encoding="{declared}"?><Debtor><Name>Åsa Öberg</Name></Debtor>'
    assert m.Debtor.from_xml(doc).name == "Åsa Öberg"
    # Bytes are read in the encoding they declare.
    assert m.Debtor.from_xml(doc.encode(declared)).name == "Åsa Öberg"
