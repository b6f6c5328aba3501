"""The models as a person uses them: construction, types, enums, amounts, lazy import."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import billecta_async
import billecta_async.models as m
from billecta_async import BillectaEnum, currency_decimals

ROOT = Path(__file__).resolve().parent.parent


def test_keyword_only_construction_with_defaults() -> None:
    debtor = m.Debtor(creditor_public_id="c0ffee00-0000-0000-0000-000000000000", name="Jenny Doe")
    assert debtor.name == "Jenny Doe" and debtor.debtor_public_id is None and debtor.created is None
    with pytest.raises(TypeError):
        m.Debtor("c0ffee00-0000-0000-0000-000000000000")  # type: ignore[misc]
    with pytest.raises(TypeError):
        m.Debtor(nonexistent_field=1)  # type: ignore[call-arg]


def test_models_are_slots_dataclasses_named_without_view() -> None:
    assert dataclasses.is_dataclass(m.Debtor)
    assert not hasattr(m.Debtor(), "__dict__")
    assert m.Debtor.__wire_name__ == "Debtor"
    assert not any(name.endswith("View") for name in ("Debtor", "InvoiceAction", "Created"))
    assert m.AccountingSettingsView.__wire_name__ == "AccountingSettingsView"  # one of the ten


def test_snake_case_attributes_keep_pascal_case_wire_names() -> None:
    names = {f.name: f.metadata["name"] for f in dataclasses.fields(m.Debtor)}
    assert names["debtor_public_id"] == "DebtorPublicId"
    assert names["e_invoice_bank"] == "EInvoiceBank"
    assert names["gln"] == "GLN"


def test_enums_know_wire_name_and_code() -> None:
    assert issubclass(m.DebtorType, BillectaEnum)
    assert m.DebtorType.PRIVATE.value == "Private" and m.DebtorType.PRIVATE.code == 0
    assert m.DebtorType.UNDEFINED.code == -1
    assert m.DebtorType.from_code(1) is m.DebtorType.COMPANY
    assert m.DebtorType("Company") is m.DebtorType.COMPANY
    assert m.DebtorType("company") is m.DebtorType.COMPANY  # .NET reads enum names case-blind
    assert m.DebtorType.PRIVATE == "Private" and str(m.DebtorType.PRIVATE) == "Private"
    unknown = m.DebtorType("Alien")
    assert not unknown.is_known and unknown is m.DebtorType("Alien")
    assert all(member.is_known for member in m.DebtorType)


def test_amount_helpers_use_the_currency_decimals() -> None:
    assert m.Amount.from_decimal(Decimal("500.34")).value == 50034
    assert m.Amount.from_decimal("500", "SEK").value == 50000
    assert m.Amount.from_decimal(Decimal("1000"), "JPY").value == 1000
    assert m.Amount.from_decimal(Decimal("1.234"), "KWD").value == 1234
    assert m.Amount(currency_code="JPY", value=1000).to_decimal() == Decimal("1000")
    assert m.Amount(currency_code="sek", value=-5).to_decimal() == Decimal("-0.05")
    assert m.Amount(currency_code="XYZ", value=5).to_decimal(decimals=3) == Decimal("0.005")
    assert currency_decimals("EUR") == 2


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        (Decimal("500.345"), "SEK", "more than 2 decimals"),
        (Decimal("1.5"), "JPY", "more than 0 decimals"),
        ("abc", "SEK", "not a number"),
        (Decimal("NaN"), "SEK", "not a finite number"),
        (Decimal("1"), "kronor", "not an ISO 4217 currency code"),
    ],
)
def test_amount_refuses_what_it_cannot_represent(
    amount: Decimal | str, currency: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        m.Amount.from_decimal(amount, currency)


def test_amount_refuses_floats() -> None:
    with pytest.raises(TypeError, match="float"):
        m.Amount.from_decimal(500.34, "SEK")  # type: ignore[arg-type]


def test_to_decimal_needs_a_value_and_currency() -> None:
    with pytest.raises(ValueError, match="Value"):
        m.Amount(currency_code="SEK").to_decimal()
    with pytest.raises(ValueError, match="CurrencyCode"):
        m.Amount(value=1).to_decimal()


def test_models_import_lazily() -> None:
    code = (
        "import sys, billecta_async, billecta_async.models as m; "
        "before = sum(k.startswith('billecta_async.models.') for k in sys.modules); "
        "m.Debtor; "
        "after = sum(k.startswith('billecta_async.models.') for k in sys.modules); "
        "print(before, after)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = map(int, out.stdout.split())
    assert before == 0 and after == 1
    assert "Debtor" in dir(m)
    with pytest.raises(AttributeError):
        _ = m.NoSuchModel  # type: ignore[attr-defined]


def test_version_matches_pyproject() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert billecta_async.__version__ == project["version"]


class LabelledDebtor(m.Debtor):
    """A subclass of a model in a module of one's own, adding behaviour."""

    __slots__ = ()

    def label(self) -> str:
        return f"{self.name} ({self.city})"


def test_a_subclass_of_ones_own_reads_and_writes_as_its_model() -> None:
    # Its fields' refs were resolved against the subclass's module: "Empty module name".
    debtor = LabelledDebtor(name="Ann", city="Lund")
    for encode, decode in (
        (m.Debtor.to_json, LabelledDebtor.from_json),
        (m.Debtor.to_xml, LabelledDebtor.from_xml),
    ):
        read = decode(encode(debtor))
        assert type(read) is LabelledDebtor and read.label() == "Ann (Lund)"
    assert debtor.to_json() == m.Debtor(name="Ann", city="Lund").to_json()
    assert debtor.to_xml() == m.Debtor(name="Ann", city="Lund").to_xml()


def test_a_subclass_adding_a_field_is_refused_naming_it() -> None:
    @dataclasses.dataclass(kw_only=True, slots=True)
    class Noted(m.Debtor):
        note: str = ""

    with pytest.raises(TypeError, match=r"Noted\.note: not a field Billecta knows"):
        Noted(name="Ann").to_json()


async def test_a_subclass_is_sent_by_the_client(
    billecta_client: billecta_async.BillectaClient, creditor: str
) -> None:
    created = await billecta_client.debtors.create(
        LabelledDebtor(creditor_public_id=creditor, name="Ann", city="Lund")
    )
    assert (await billecta_client.debtors.get(created.public_id)).city == "Lund"
