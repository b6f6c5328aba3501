"""The generated models' field documentation: every field has an entry in its class's
``Attributes:`` section saying its wire name, what the schema documents about it, and whether
Billecta always returns it."""

from __future__ import annotations

import dataclasses
import inspect
import re

import pytest
from _builders import all_models

import billecta_async.models as m

MODELS = all_models()
ALWAYS = "Billecta always returns it."


def attributes(cls: type) -> dict[str, str]:
    """The ``Attributes:`` section of ``cls``'s docstring: attribute -> its text on one line."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    section = doc.partition("\nAttributes:\n")[2]
    entries: dict[str, str] = {}
    name = ""
    for line in section.splitlines():
        match = re.match(r"    (\w+): (.*)", line)
        if match:
            name = match[1]
            entries[name] = match[2]
        elif line.startswith("        ") and name:
            entries[name] += " " + line.strip()
        else:
            break
    return entries


def own_fields(cls: type) -> list[dataclasses.Field[object]]:
    """The fields the class itself declares (a base model documents its own)."""
    inherited = {f.name for base in cls.__mro__[1:] if dataclasses.is_dataclass(base)
                 for f in dataclasses.fields(base)}  # fmt: skip
    return [f for f in dataclasses.fields(cls) if f.name not in inherited]


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_every_field_is_documented_with_its_wire_name(cls: type) -> None:
    entries = attributes(cls)
    fields = own_fields(cls)
    assert list(entries) == [f.name for f in fields]
    for f in fields:
        assert entries[f.name].startswith(f"``{f.metadata['name']}``")
        # What Billecta always returns is said exactly where the metadata says so.
        assert (ALWAYS in entries[f.name]) == bool(f.metadata.get("always")), f.name
        assert ("a GUID" in entries[f.name]) == (f.metadata["wire"] == "guid"), f.name


def test_the_schema_s_field_documentation_is_carried() -> None:
    amount = attributes(m.Amount)
    assert amount["value"] == (
        "``Value``. Value in the currency's minor unit: 50034 is 500.34 SEK. The number of "
        "decimals depends on the currency (GET /v1/common/currencies)."
    )
    assert amount["value_for_view"].endswith(
        "Leave it out in requests. Set by Billecta: never sent."
    )
    assert attributes(m.File)["data"].startswith("``Data``. File content. Never filled in when")
    assert attributes(m.MailDelivery)["postage_type"] == (
        "``PostageType``. PostageType overrides SendAsPriorityMail if set."
    )


def test_an_enum_field_says_what_its_enum_is() -> None:
    debtor = attributes(m.Debtor)
    assert debtor["intermediator"] == (
        "``Intermediator``. E-invoice intermediator the debtor receives e-invoices through (B2B)."
    )
    # Only the enum's first sentence that says what it is.
    assert attributes(m.WebhookTrigger)["webhook_trigger_type"] == (
        "``WebhookTriggerType``. Webhook event types: the Event of a WebhookEvent and the "
        "triggers of a WebhookSetting."
    )
    assert attributes(m.BankIdPhoneAuthenticationRequest)["call_initiator"] == (
        "``CallInitiator``. Who started the phone call. Who initiated the phone call of a BankID "
        "phone authentication."
    )


def test_a_response_model_says_what_billecta_always_returns() -> None:
    sub = attributes(m.InvoiceActionSub)
    assert sub["stage"] == "``Stage``. Status. Stage of an invoice. Billecta always returns it."
    assert sub["is_locked"] == f"``IsLocked``. {ALWAYS}"
    assert sub["debtor_public_id"] == f"``DebtorPublicId``, a GUID. {ALWAYS}"
    assert sub["invoice_number"] == "``InvoiceNumber``. Fakturanummer."  # may be left out
    assert attributes(m.Created)["public_id"] == f"``PublicId``. {ALWAYS}"
    # A model also sent in requests: every field is optional, none "always returned".
    assert attributes(m.Debtor)["debtor_public_id"] == "``DebtorPublicId``, a GUID."


def test_entries_are_wrapped_as_the_docstring_is() -> None:
    source = inspect.getsource(m.InvoiceAction)
    docstring = source.split('"""')[1]
    assert all(len(line) <= 100 for line in docstring.splitlines())
    assert "\n            currency's minor unit" not in docstring  # model docs stay in the class
