"""Billecta's JSON, as the get-started guide and real traffic describe it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import orjson
import pytest

import billecta_async.models as m
from billecta_async import STOCKHOLM, DecodeError, EncodeError, from_json, to_json

# The webhook Data example of the get-started guide (an IncomingPaymentView), verbatim facts.
GUIDE_WEBHOOK_DATA = b"""{ "CreditorPublicId": "00000000-0000-0000-0000-000000000000",
 "InvoiceNumber": "123", "ActionPublicId": "1234567890", "ActionType": 2,
 "DebtorPublicId": "93bcc725-6c25-451f-93b0-a91f8c56785e", "DebtorName": "Jenny Doe",
 "Amount": { "CurrencyCode": "SEK", "Value": 10000, "ValueForView": 100 },
 "CreatedDate": "0001-01-01T00:00:00", "PaymentDate": "2025-01-04T19:07:34.5630298+01:00",
 "PaymentMeanCode": "BG", "File": { "FilePublicId": "00000000-0000-0000-0000-000000000000",
 "ContentType": "application/pdf", "Data": "VGVzdA==", "FileName": "File.pdf" },
 "PaymentReferenceId": "dd8785c0-1a25-4dae-8a04-10a525af660c", "ExternalReference": null,
 "OCR": "115456843215", "CreatedBy": null, "IsReminderPayment": false }"""


def test_guide_webhook_example_parses_to_the_right_values() -> None:
    payment = m.IncomingPayment.from_json(GUIDE_WEBHOOK_DATA)
    assert payment.invoice_number == "123"
    assert payment.action_public_id == "1234567890"
    assert payment.action_type is m.ActionType.INVOICE_ACTION  # integer code 2
    assert payment.action_type.code == 2
    assert payment.debtor_name == "Jenny Doe"
    assert payment.amount == m.Amount(currency_code="SEK", value=10000, value_for_view=100.0)
    assert payment.amount.to_decimal() == Decimal("100.00")
    assert payment.created_date is None  # .NET's empty date
    assert payment.payment_date == datetime(
        2025, 1, 4, 19, 7, 34, 563029, tzinfo=timezone(timedelta(hours=1))
    )
    assert payment.file is not None and payment.file.data == b"Test"
    assert payment.file.file_name == "File.pdf"
    assert payment.external_reference is None and payment.created_by is None
    assert payment.is_reminder_payment is False
    assert payment.ocr == "115456843215"


def test_guide_amount_example_500_34_sek() -> None:
    amount = m.Amount.from_json(b'{"CurrencyCode": "SEK", "Value": 50034}')
    assert amount.to_decimal() == Decimal("500.34")
    assert m.Amount.from_decimal(Decimal("500.34"), "SEK") == m.Amount(
        currency_code="SEK", value=50034
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-01-20 16:02:04+01:00", datetime(2021, 1, 20, 15, 2, 4, tzinfo=timezone.utc)),
        ("2021-01-20T16:02:04+01:00", datetime(2021, 1, 20, 15, 2, 4, tzinfo=timezone.utc)),
        ("2021-01-20T15:02:04Z", datetime(2021, 1, 20, 15, 2, 4, tzinfo=timezone.utc)),
        ("20210120T150204Z", datetime(2021, 1, 20, 15, 2, 4, tzinfo=timezone.utc)),
        ("2021-01-20T16:02:04", datetime(2021, 1, 20, 15, 2, 4, tzinfo=timezone.utc)),  # winter
        ("2021-07-20T16:02:04", datetime(2021, 7, 20, 14, 2, 4, tzinfo=timezone.utc)),  # summer
        ("2021-01-20T16:02:04.1", datetime(2021, 1, 20, 15, 2, 4, 100000, tzinfo=timezone.utc)),
        (
            "2021-01-20T16:02:04.1234567+01:00",
            datetime(2021, 1, 20, 15, 2, 4, 123456, tzinfo=timezone.utc),
        ),
        ("2017-03-15", datetime(2017, 3, 14, 23, 0, tzinfo=timezone.utc)),
        ("0001-01-01T00:00:00", None),
    ],
)
def test_date_times_in_every_form_billecta_sends(text: str, expected: datetime | None) -> None:
    doc = orjson.dumps({"Created": text, "Name": "x"})
    debtor = m.Debtor.from_json(doc)
    assert debtor.created == expected
    if expected is not None:
        assert debtor.created is not None and debtor.created.tzinfo is not None


def test_date_time_without_offset_is_stockholm_time() -> None:
    debtor = m.Debtor.from_json(b'{"Created": "2021-07-20T16:02:04"}')
    assert debtor.created is not None
    assert debtor.created.utcoffset() == timedelta(hours=2)


def test_sent_date_times_always_carry_an_offset() -> None:
    naive = m.Debtor(created=datetime(2021, 1, 20, 16, 2, 4))
    aware = m.Debtor(created=datetime(2021, 1, 20, 16, 2, 4, tzinfo=timezone.utc))
    assert orjson.loads(naive.to_json())["Created"] == "2021-01-20T16:02:04+01:00"
    assert orjson.loads(aware.to_json())["Created"] == "2021-01-20T16:02:04+00:00"


def test_enums_accepted_as_names_or_integer_codes() -> None:
    by_name = m.Debtor.from_json(b'{"DebtorType": "Company"}')
    by_code = m.Debtor.from_json(b'{"DebtorType": 1}')
    assert by_name.debtor_type is m.DebtorType.COMPANY
    assert by_code.debtor_type is m.DebtorType.COMPANY
    assert orjson.loads(by_code.to_json())["DebtorType"] == "Company"  # sent by name


def test_unknown_enum_value_is_kept_not_fatal() -> None:
    debtor = m.Debtor.from_json(b'{"Name": "Jenny", "DebtorType": "Alien", "Intermediator": 99}')
    assert debtor.name == "Jenny"
    assert debtor.debtor_type is not None and not debtor.debtor_type.is_known
    assert debtor.debtor_type.value == "Alien"
    assert debtor.intermediator is not None and debtor.intermediator.code == 99
    sent = orjson.loads(debtor.to_json())
    assert sent["DebtorType"] == "Alien" and sent["Intermediator"] == 99


def test_unknown_fields_are_ignored_and_nulls_accepted() -> None:
    debtor = m.Debtor.from_json(
        b'{"Name": "Jenny", "BrandNewField": {"x": [1, 2]}, "Email": null, "CreditCards": null}'
    )
    assert debtor.name == "Jenny" and debtor.email is None and debtor.credit_cards is None


def test_lists_are_plain_json_arrays_both_ways() -> None:
    debtor = m.Debtor.from_json(
        b'{"CreditCards": [{"CreditCardPublicId": "a"}, {"CreditCardPublicId": "b"}]}'
    )
    assert debtor.credit_cards is not None
    assert [c.credit_card_public_id for c in debtor.credit_cards] == ["a", "b"]
    assert orjson.loads(debtor.to_json()) == {
        "CreditCards": [{"CreditCardPublicId": "a"}, {"CreditCardPublicId": "b"}]
    }


def test_empty_list_is_sent_as_empty_array_and_unset_list_not_at_all() -> None:
    assert orjson.loads(m.Debtor(credit_cards=[]).to_json()) == {"CreditCards": []}
    assert orjson.loads(m.Debtor().to_json()) == {}


def test_top_level_arrays_decode_to_lists() -> None:
    debtors = from_json(b'[{"Name": "a"}, null, {"Name": "b"}]', m.Debtors)
    assert [d.name for d in debtors] == ["a", "b"]
    assert orjson.loads(to_json(debtors)) == [{"Name": "a"}, {"Name": "b"}]


def test_unset_fields_are_not_sent_so_a_create_invents_nothing() -> None:
    debtor = m.Debtor(creditor_public_id="8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70", name="Jenny Doe")
    assert orjson.loads(debtor.to_json()) == {
        "CreditorPublicId": "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70",
        "Name": "Jenny Doe",
    }


def test_value_for_view_is_read_only_and_never_sent() -> None:
    amount = m.Amount(currency_code="SEK", value=100, value_for_view=1.0)
    assert orjson.loads(amount.to_json()) == {"CurrencyCode": "SEK", "Value": 100}


@pytest.mark.parametrize(
    ("doc", "field", "value"),
    [
        (b'{"Name": 12}', "Debtor.Name", 12),
        (b'{"IsActive": "yes"}', "Debtor.IsActive", "yes"),
        (b'{"Created": "yesterday"}', "Debtor.Created", "yesterday"),
        (b'{"DebtorType": [1]}', "Debtor.DebtorType", [1]),
        (b'{"CreditCards": {"a": 1}}', "Debtor.CreditCards", {"a": 1}),
        (b'{"CreditCards": [{}, {"Created": 5}]}', "Debtor.CreditCards.1.Created", 5),
        (b'{"Autogiro": "x"}', "Debtor.Autogiro", "x"),
    ],
)
def test_bad_values_name_the_field_and_the_value(doc: bytes, field: str, value: object) -> None:
    with pytest.raises(DecodeError) as caught:
        m.Debtor.from_json(doc)
    assert caught.value.field == field
    assert caught.value.value == value
    assert field in str(caught.value)


def test_amount_value_must_be_an_integer() -> None:
    with pytest.raises(DecodeError, match=r"Amount\.Value: expected an integer \(got 'abc'\)"):
        m.Amount.from_json(b'{"Value": "abc"}')


@pytest.mark.parametrize("doc", [b'{"Name": "a"', b"", b"<html>502</html>", b"[1, 2]", b"null"])
def test_broken_or_wrong_documents_are_clear_errors(doc: bytes) -> None:
    with pytest.raises(DecodeError) as caught:
        m.Debtor.from_json(doc)
    assert caught.value.field == "Debtor"


def test_wrong_values_in_a_model_fail_before_sending() -> None:
    with pytest.raises(EncodeError) as caught:
        m.Debtor(name=5).to_json()  # type: ignore[arg-type]
    assert caught.value.field == "Debtor.Name" and caught.value.value == 5
    with pytest.raises(EncodeError, match=r"Debtor\.CreditCards\.0\.Created: expected a datetime"):
        m.Debtor(credit_cards=[m.DebtorCreditCard(created="now")]).to_json()  # type: ignore[arg-type]
    with pytest.raises(EncodeError, match=r"Debtor\.DebtorType: expected a DebtorType"):
        m.Debtor(debtor_type="Martian").to_json()  # type: ignore[arg-type]


def test_naive_and_stockholm_datetimes_are_sent_identically() -> None:
    naive = m.Debtor(created=datetime(2021, 7, 1, 12, 0)).to_json()
    local = m.Debtor(created=datetime(2021, 7, 1, 12, 0, tzinfo=STOCKHOLM)).to_json()
    assert naive == local == b'{"Created":"2021-07-01T12:00:00+02:00"}'
