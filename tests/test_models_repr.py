"""Model reprs: only the fields that are set, never a credential or a personal number."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from _builders import all_models

import billecta_async.models as m
from billecta_async import Model
from billecta_async.testing import default_model, sample_model

MODELS = all_models()
GUID = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
PERSONAL_NUMBER = "19800113-9297"


def test_a_debtor_with_a_name_shows_only_its_name() -> None:
    assert repr(m.Debtor(name="Jenny Doe")) == "Debtor(name='Jenny Doe')"
    assert repr(m.Debtor()) == "Debtor()"


def test_set_falsy_values_show_and_nested_models_use_the_same_repr() -> None:
    debtor = m.Debtor(
        creditor_public_id=GUID, name="", is_active=False, credit_cards=[], debtor_type=None
    )
    assert repr(debtor) == (
        f"Debtor(creditor_public_id='{GUID}', name='', is_active=False, credit_cards=[])"
    )
    record = m.InvoiceActionRecord(quantity=0.0, unit_price=m.Amount(value=0, currency_code="SEK"))
    assert repr(record) == (
        "InvoiceActionRecord(quantity=0.0, unit_price=Amount(currency_code='SEK', value=0))"
    )


def test_values_billecta_always_returns_show_even_when_falsy() -> None:
    sub = default_model(m.InvoiceActionSub, invoice_number="4711")
    text = repr(sub)
    always = [f.name for f in dataclasses.fields(sub) if f.metadata.get("always")]
    assert always  # is_locked, is_paused, stage, ...
    for name in always:
        assert f"{name}={getattr(sub, name)!r}" in text
    assert "is_locked=False" in text and "invoice_number='4711'" in text
    # The optional fields left unset do not show.
    assert "debtor_name" not in text and "=None" not in text


def test_generated_models_do_not_define_their_own_repr() -> None:
    assert all(cls.__repr__ is Model.__repr__ for cls in MODELS)


# Independent of the repr's own rule: a text field named like a credential or a personal
# identity number, and the two generic names that hold one in these models.
_LOOKS_SECRET = re.compile(r"password|token|secret|ssn|^qr$|signature", re.IGNORECASE)
_GENERIC = {("SecureTokenView", "Value"), ("WebhookHeader", "Value")}


def _secret_fields(cls: type[Model]) -> list[dataclasses.Field[Any]]:
    return [
        f
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.metadata["wire"] in ("string", "guid")
        and (
            _LOOKS_SECRET.search(f.metadata["name"])
            or (cls.__wire_name__, f.metadata["name"]) in _GENERIC
        )
    ]


def test_the_masked_fields_are_the_credentials_and_personal_numbers() -> None:
    found = {f"{cls.__name__}.{f.metadata['name']}" for cls in MODELS for f in _secret_fields(cls)}
    assert {
        "Password.Password",
        "User.Password",
        "SwishSettings.Password",
        "SecureTokenView.Value",
        "CreditorToken.Token",
        "WebhookHeader.Value",
        "BankIdAuthenticationStatus.AutoStartToken",
        "BankIdAuthenticationStatus.QR",
        "BankIdSignStatus.Signature",
        "BankAccountRequest.BankIdAutostartToken",
        "SwishPaymentStatus.PaymentRequestToken",
        "CreditorKyc.MobileBankIdTokenUsedForSign",
        "BankIdAuthenticationRequest.SSN",
    } <= found


@pytest.mark.parametrize("cls", [c for c in MODELS if _secret_fields(c)], ids=lambda c: c.__name__)
def test_no_repr_shows_a_credential(cls: type[Model]) -> None:
    instance = sample_model(cls, read_only=True)
    for f in _secret_fields(cls):
        setattr(instance, f.name, "s3cr3t-" + f.name if f.metadata["wire"] == "string" else GUID)
    text = repr(instance)
    for f in _secret_fields(cls):
        assert f"{f.name}=<masked>" in text
    assert "s3cr3t" not in text and GUID not in text  # the others hold random GUIDs


def test_credentials_nested_in_other_models_are_masked() -> None:
    claims = m.UserClaims(
        user=m.User(username="jenny", password="hunter2"),
        secure_token=m.SecureTokenView(value="s3cr3t"),
    )
    assert repr(claims) == (
        "UserClaims(user=User(username='jenny', password=<masked>), "
        "secure_token=SecureTokenView(value=<masked>))"
    )
    setting = m.WebhookSetting(
        url="https://example.com/hook",
        headers=[m.WebhookHeader(name="Authorization", value="Bearer s3cr3t")],
    )
    assert "s3cr3t" not in repr(setting) and "name='Authorization'" in repr(setting)


def test_personal_numbers_in_text_are_masked_and_bytes_show_their_length() -> None:
    debtor = m.Debtor(org_no=PERSONAL_NUMBER, notes=f"born {PERSONAL_NUMBER[:8]}, id 198001139297")
    text = repr(debtor)
    assert "9297" not in text
    assert text == "Debtor(org_no='<masked>', notes='born 19800113, id <masked>')"
    assert repr(m.File(file_name="a.pdf", data=b"%PDF-1.7")) == (
        "File(data=<8 bytes>, file_name='a.pdf')"
    )
    # Ids are not personal numbers: a GUID shows in full.
    assert GUID in repr(m.Debtor(debtor_public_id=GUID))


def test_a_model_that_contains_itself_does_not_recurse_for_ever() -> None:
    debtor = m.Debtor(name="Loop")
    debtor.credit_cards = [debtor]  # type: ignore[list-item]
    assert repr(debtor) == "Debtor(name='Loop', credit_cards=[...])"
