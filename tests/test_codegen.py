"""Tests of the model generator ``python -m codegen`` (codegen/cli.py, generate.py, ir.py,
render.py, diff.py) on small hand-written XSDs in tests/fixtures/codegen/, on the project's own
schema and on Billecta's 2021 XSD as published.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "codegen"
V1 = FIXTURES / "shop_v1.xsd"
V2 = FIXTURES / "shop_v2.xsd"
CONFIG = REPO / "codegen" / "xsdata.xml"
# Billecta's XSD as downloaded in 2021, kept outside the repository (never copy it in).
BILLECTA_2021 = (
    Path(__file__).resolve().parents[2] / "shared" / "reference" / "xsd" / "billecta-2021.xsd"
)

if str(REPO) not in sys.path:  # codegen is a repo-local package, not installed
    sys.path.insert(0, str(REPO))

import billecta_async  # noqa: E402
from billecta_async import BillectaEnum, ListOf, Model  # noqa: E402
from billecta_async.testing import sample_model  # noqa: E402
from codegen.cli import NO_CATALOGUE, main  # noqa: E402
from codegen.generate import check  # noqa: E402

V1_FILES = {
    "__init__.py",
    "address.py",
    "company_customer.py",
    "customer.py",
    "customer_type.py",
    "customers.py",
    "order.py",
}
# Everything a generation writes: the modules and the fingerprint of the generation.
V1_OUTPUT = V1_FILES | {"_fingerprint.py"}
GUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


# -- helpers -------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    """``python -m codegen *argv`` in-process: exit status, stdout, stderr.

    The fixtures here come without an endpoint catalogue, so every generation notes that its
    fields are all optional; that note is left out of stderr (tests/test_always_returned.py).
    """
    capsys.readouterr()
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err.replace(f"codegen: {NO_CATALOGUE}\n", "")


def generate(
    capsys: pytest.CaptureFixture[str], xsd: Path, out: Path, package: str, *extra: object
) -> tuple[int, str, str]:
    return run(capsys, "--xsd", xsd, "--config", CONFIG, "--out", out, "--package", package, *extra)


def check_cli(
    capsys: pytest.CaptureFixture[str], xsd: Path, out: Path, package: str
) -> tuple[int, str, str]:
    return run(
        capsys, "--check", "--xsd", xsd, "--config", CONFIG, "--out", out, "--package", package
    )


def billecta_2021() -> Path:
    """Billecta's 2021 XSD; the test is skipped without it locally, and fails in CI."""
    if not BILLECTA_2021.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"reference XSD missing in CI: {BILLECTA_2021}")
        pytest.skip(f"reference XSD not available: {BILLECTA_2021}")
    return BILLECTA_2021


def files_of(directory: Path) -> dict[str, bytes]:
    """Every file in ``directory`` (not its __pycache__), name -> bytes."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _unload(package: str) -> None:
    for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
        del sys.modules[name]


@pytest.fixture
def load_package(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path, str], ModuleType]]:
    """Import a generated package from a directory; forgotten again after the test."""
    loaded: list[str] = []

    def load(root: Path, package: str) -> ModuleType:
        monkeypatch.syspath_prepend(str(root))
        _unload(package)
        loaded.append(package)
        return importlib.import_module(package)

    yield load
    for package in loaded:
        _unload(package)


@pytest.fixture
def shop(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    load_package: Callable[[Path, str], ModuleType],
) -> ModuleType:
    """shop_v1.xsd generated into tmp as the package ``shop_v1`` and imported."""
    status, out, err = generate(capsys, V1, tmp_path / "shop_v1", "shop_v1")
    assert (status, err) == (0, "")
    assert out == f"codegen: wrote {len(V1_OUTPUT)} files\n"
    return load_package(tmp_path, "shop_v1")


def full_customer(pkg: Any, cls: Any = None, **extra: Any) -> Any:
    """A Customer (or subclass) with every writable field set."""
    return (cls or pkg.Customer)(
        customer_public_id=GUID,
        name='Jenny & "Doe" <AB> Malmö',
        type=pkg.CustomerType.COMPANY,
        created=datetime(2024, 2, 29, 23, 59, 58, 125000, tzinfo=timezone(timedelta(hours=1))),
        credit_limit=-2_147_483_648,
        vat_number="SE556677889901",
        is_active=False,
        tags=["vip", "", "åäö"],
        addresses=[
            pkg.Address(street="Storgatan 1", zip_code="211 22", city="Malmö"),
            pkg.Address(city="Åre"),
        ],
        **extra,
    )


# -- 1. the generated package ---------------------------------------------------------------


def test_generated_files(shop: ModuleType) -> None:
    root = Path(shop.__file__).parent
    assert {p.name for p in root.glob("*.py")} == V1_OUTPUT
    header = "# Generated by `python -m codegen` from tests/fixtures/codegen/shop_v1.xsd (sha256 "
    for name in V1_FILES:
        assert (root / name).read_text(encoding="utf-8").startswith(header), name


def test_class_names_and_wire_names(shop: ModuleType) -> None:
    models = {"Address", "CompanyCustomer", "Customer", "Order"}
    assert set(shop._MODULES) == models | {"Customers", "CustomerType"}
    assert set(shop.__all__) == set(shop._MODULES) | {
        "BillectaEnum",
        "ListOf",
        "Model",
        "from_json",
        "from_xml",
        "to_json",
        "to_xml",
    }
    for name in models:
        cls = getattr(shop, name)
        assert isinstance(cls, type) and issubclass(cls, Model), name
        assert cls.__name__ == name
        assert cls.__wire_name__ == name
        assert cls.__module__ == f"shop_v1.{shop._MODULES[name]}"
    assert issubclass(shop.CompanyCustomer, shop.Customer)
    assert issubclass(shop.CustomerType, BillectaEnum)
    assert shop.CustomerType.__module__ == "shop_v1.customer_type"
    assert isinstance(shop.Customers, ListOf)
    assert (shop.Customers.wire_name, shop.Customers.item_name) == ("Customers", "Customer")
    assert (shop.Customers.kind, shop.Customers.package) == ("model", "shop_v1")
    assert shop.Customers.item_type is shop.Customer
    # ArrayOf wrappers used as field types are not models of their own.
    assert not hasattr(shop, "ArrayOfAddress")
    assert not hasattr(shop, "ArrayOfString")
    assert shop.Model is Model and shop.from_json is billecta_async.from_json


def test_attribute_names_and_wire_metadata(shop: ModuleType) -> None:
    def names(cls: type) -> list[tuple[str, str]]:
        return [(f.name, f.metadata["name"]) for f in dataclasses.fields(cls)]

    customer = [
        ("customer_public_id", "CustomerPublicId"),
        ("name", "Name"),
        ("type", "Type"),
        ("created", "Created"),
        ("credit_limit", "CreditLimit"),
        ("vat_number", "VATNumber"),
        ("is_active", "IsActive"),
        ("tags", "Tags"),
        ("addresses", "Addresses"),
        ("balance", "Balance"),
    ]
    assert names(shop.Customer) == customer
    assert names(shop.CompanyCustomer) == [*customer, ("org_no", "OrgNo")]
    assert names(shop.Address) == [("street", "Street"), ("zip_code", "ZipCode"), ("city", "City")]
    assert names(shop.Order) == [
        ("order_public_id", "OrderPublicId"),
        ("customer", "Customer"),
        ("total", "Total"),
        ("placed", "Placed"),
        ("from_", "From"),  # a Python keyword gets a trailing underscore
    ]
    meta = {f.name: dict(f.metadata) for f in dataclasses.fields(shop.Customer)}
    assert meta["customer_public_id"] == {
        "name": "CustomerPublicId",
        "wire": "guid",
        "required": True,
    }
    assert meta["name"] == {"name": "Name", "wire": "string"}
    assert meta["type"] == {"name": "Type", "wire": "enum", "ref": "CustomerType", "required": True}
    assert meta["created"] == {
        "name": "Created",
        "wire": "dateTime",
        "required": True,
        "nillable": True,
    }
    assert meta["credit_limit"] == {
        "name": "CreditLimit",
        "wire": "int",
        "required": True,
        "nillable": True,
    }
    assert meta["tags"] == {"name": "Tags", "wire": "string", "list": True, "item": "string"}
    assert meta["addresses"] == {
        "name": "Addresses",
        "wire": "model",
        "ref": "Address",
        "list": True,
        "item": "Address",
    }
    assert meta["balance"] == {
        "name": "Balance",
        "wire": "double",
        "required": True,
        "read_only": True,
    }
    order = {f.name: dict(f.metadata) for f in dataclasses.fields(shop.Order)}
    assert order["customer"] == {"name": "Customer", "wire": "model", "ref": "Customer"}


def test_annotations(shop: ModuleType) -> None:
    assert {f.name: f.type for f in dataclasses.fields(shop.Customer)} == {
        "customer_public_id": "str | None",
        "name": "str | None",
        "type": "CustomerType | None",
        "created": "datetime | None",
        "credit_limit": "int | None",
        "vat_number": "str | None",
        "is_active": "bool | None",
        "tags": "list[str] | None",
        "addresses": "list[Address] | None",
        "balance": "float | None",
    }
    # The annotations resolve against the package's classes.
    namespace = {name: getattr(shop, name) for name in shop._MODULES}
    hints = typing.get_type_hints(shop.Customer, localns={**namespace, "datetime": datetime})
    assert hints["tags"] == (list[str] | None)
    assert hints["addresses"] == (list[shop.Address] | None)
    assert hints["type"] == (shop.CustomerType | None)
    assert hints["created"] == (datetime | None)
    hints = typing.get_type_hints(shop.Order, localns={**namespace, "datetime": datetime})
    assert hints["customer"] == (shop.Customer | None)


def test_keyword_only_slots_dataclasses(shop: ModuleType) -> None:
    for name in ("Address", "CompanyCustomer", "Customer", "Order"):
        cls = getattr(shop, name)
        assert dataclasses.is_dataclass(cls)
        assert "__slots__" in vars(cls), name
        fields = dataclasses.fields(cls)
        assert fields
        for f in fields:
            assert f.kw_only, f"{name}.{f.name}"
            assert f.default is None, f"{name}.{f.name}"
            assert f.default_factory is dataclasses.MISSING
        empty = cls()
        assert all(getattr(empty, f.name) is None for f in fields)
        assert not hasattr(empty, "__dict__"), name
        with pytest.raises(AttributeError):
            empty.not_a_field = 1
        with pytest.raises(TypeError):
            cls(GUID)  # positional arguments are refused
    assert shop.Customer(name="a") == shop.Customer(name="a")
    assert shop.Customer(name="a") != shop.Customer(name="b")


def test_enum_members(shop: ModuleType) -> None:
    enum = shop.CustomerType
    assert [(m.name, m.value, m.code) for m in enum] == [
        ("UNKNOWN", "Unknown", -1),
        ("PRIVATE", "Private", 0),
        ("COMPANY", "Company", 1),
    ]
    assert enum.from_code(1) is enum.COMPANY
    assert enum.from_code(-1) is enum.UNKNOWN
    assert enum("Private") is enum.PRIVATE
    assert enum.COMPANY == "Company" and str(enum.COMPANY) == "Company"
    assert all(m.is_known for m in enum)
    # Both the name and the integer code decode; the name is what is sent.
    assert shop.Customer.from_json(b'{"Type": 0}').type is enum.PRIVATE
    assert shop.Customer.from_json(b'{"Type": "Company"}').type is enum.COMPANY
    assert shop.Customer.from_xml(b"<Customer><Type>Unknown</Type></Customer>").type is (
        enum.UNKNOWN
    )
    assert json.loads(shop.Customer(type=enum.PRIVATE).to_json()) == {"Type": "Private"}


def test_model_round_trips_json_and_xml(shop: ModuleType) -> None:
    customer = full_customer(shop)
    data = json.loads(customer.to_json())
    assert data == {
        "CustomerPublicId": GUID,
        "Name": 'Jenny & "Doe" <AB> Malmö',
        "Type": "Company",
        "Created": data["Created"],
        "CreditLimit": -2_147_483_648,
        "VATNumber": "SE556677889901",
        "IsActive": False,
        "Tags": ["vip", "", "åäö"],
        "Addresses": [
            {"Street": "Storgatan 1", "ZipCode": "211 22", "City": "Malmö"},
            {"City": "Åre"},
        ],
    }
    assert data["Created"].startswith("2024-02-29T23:59:58.125")
    assert shop.Customer.from_json(customer.to_json()) == customer
    assert billecta_async.from_json(billecta_async.to_json(customer), shop.Customer) == customer

    xml = customer.to_xml()
    assert b"<Customer " in xml
    assert b"<VATNumber>SE556677889901</VATNumber>" in xml
    assert b"<Tags><string>vip</string>" in xml
    assert b"<Addresses><Address><Street>Storgatan 1</Street>" in xml
    assert shop.Customer.from_xml(xml) == customer
    assert billecta_async.from_xml(billecta_async.to_xml(customer), shop.Customer) == customer

    # A subclass (complexContent extension) carries its base's fields first.
    company = full_customer(shop, shop.CompanyCustomer, org_no="556677-8899")
    assert list(json.loads(company.to_json()))[-1] == "OrgNo"
    assert shop.CompanyCustomer.from_json(company.to_json()) == company
    assert shop.CompanyCustomer.from_xml(company.to_xml()).org_no == "556677-8899"
    assert shop.CompanyCustomer.from_xml(company.to_xml()) == company

    order = shop.Order(
        order_public_id=GUID,
        customer=customer,
        total=1234.5,
        placed=datetime(2021, 1, 1, tzinfo=timezone.utc),
        from_=datetime(2020, 12, 31, 12, tzinfo=timezone(timedelta(hours=-5))),
    )
    assert "From" in json.loads(order.to_json())
    assert shop.Order.from_json(order.to_json()) == order
    assert shop.Order.from_xml(order.to_xml()) == order


def test_nillable_and_unset_fields(shop: ModuleType) -> None:
    empty = shop.Customer()
    assert empty.to_json() == b"{}"
    xml = empty.to_xml()
    # Only the nillable elements are written for None, as xsi:nil.
    assert b'<Created xsi:nil="true" />' in xml
    assert b'<CreditLimit xsi:nil="true" />' in xml
    assert b"<Name" not in xml and b"<Tags" not in xml
    assert shop.Customer.from_xml(xml) == empty
    assert shop.Customer.from_json(b'{"Created": null, "CreditLimit": null}') == empty


def test_list_model_decodes_to_a_list(shop: ModuleType) -> None:
    items = [full_customer(shop), shop.Customer(name="Second")]
    decoded = billecta_async.from_json(
        b'[{"CustomerPublicId": "%s", "Type": 1}, {"Name": "Second"}]' % GUID.encode(),
        shop.Customers,
    )
    assert type(decoded) is list
    assert decoded == [
        shop.Customer(customer_public_id=GUID, type=shop.CustomerType.COMPANY),
        shop.Customer(name="Second"),
    ]
    as_json = billecta_async.to_json(items, shop.Customers)
    assert json.loads(as_json)[1] == {"Name": "Second"}
    assert billecta_async.from_json(as_json, shop.Customers) == items
    as_xml = billecta_async.to_xml(items, shop.Customers)
    assert b"<Customers " in as_xml and as_xml.count(b"<Customer>") == 2
    assert billecta_async.from_xml(as_xml, shop.Customers) == items
    assert billecta_async.from_xml(b"<Customers />", shop.Customers) == []


def test_read_only_field_is_not_sent(shop: ModuleType) -> None:
    customer = shop.Customer(name="A", balance=99.5)
    assert json.loads(customer.to_json()) == {"Name": "A"}
    assert b"Balance" not in customer.to_xml()
    # ... but it is read from responses.
    assert shop.Customer.from_json(b'{"Name": "A", "Balance": 99.5}') == customer
    assert shop.Customer.from_xml(b"<Customer><Balance>99.5</Balance></Customer>").balance == 99.5


def test_docstrings_carry_the_documentation(shop: ModuleType) -> None:
    doc = shop.Customer.__doc__
    assert doc is not None
    assert doc.startswith("A customer of the shop.")
    assert "name: ``Name``. Name shown on invoices." in doc
    assert "balance: ``Balance``. Set by the shop. Leave it out in requests." in doc
    assert "vat_number: ``VATNumber``." in doc
    # Undocumented types get a generic docstring.
    assert shop.Address.__doc__.startswith("Billecta's Address.")


# -- 2. determinism -------------------------------------------------------------------------


def test_generation_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a" / "shop_v1", tmp_path / "b" / "shop_v1"
    assert generate(capsys, V1, first, "shop_v1")[0] == 0
    assert generate(capsys, V1, second, "shop_v1")[0] == 0
    files = files_of(first)
    assert set(files) == V1_OUTPUT
    assert files == files_of(second)
    # A run under another hash seed (set and dict order of strings) gives the same bytes.
    third = tmp_path / "c" / "shop_v1"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    argv = ["--xsd", V1, "--config", CONFIG, "--out", third, "--package", "shop_v1"]
    subprocess.run(
        [sys.executable, "-m", "codegen", *map(str, argv)],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    assert files_of(third) == files
    # Regenerating over a current package rewrites nothing.
    stamps = {p.name: p.stat().st_mtime_ns for p in first.glob("*.py")}
    assert generate(capsys, V1, first, "shop_v1")[0] == 0
    assert {p.name: p.stat().st_mtime_ns for p in first.glob("*.py")} == stamps
    assert files_of(first) == files


# -- 3. --check -----------------------------------------------------------------------------


def test_check_passes_right_after_generation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "shop_v1"
    assert generate(capsys, V1, out, "shop_v1")[0] == 0
    assert check_cli(capsys, V1, out, "shop_v1") == (
        0,
        "codegen --check: models are up to date\n",
        "",
    )
    assert check(V1, CONFIG, out, "shop_v1") == []


def _edit(out: Path) -> None:
    path = out / "customer.py"
    path.write_text(path.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "stale"),
    [
        (_edit, ["differs: customer.py"]),
        (lambda out: (out / "order.py").unlink(), ["missing: order.py"]),
        (
            lambda out: (out / "extra.py").write_text("X = 1\n", encoding="utf-8"),
            ["not generated by this schema: extra.py"],
        ),
    ],
    ids=["edited", "deleted", "extra"],
)
def test_check_fails_on_stale_files(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[Path], object],
    stale: list[str],
) -> None:
    out = tmp_path / "shop_v1"
    assert generate(capsys, V1, out, "shop_v1")[0] == 0
    change(out)
    status, stdout, stderr = check_cli(capsys, V1, out, "shop_v1")
    assert status == 1
    assert stdout == ""
    assert stderr == (
        "codegen --check: generated models are stale:\n"
        + "".join(f"  {line}\n" for line in stale)
        + "run `python -m codegen` and commit the result\n"
    )
    # Regenerating repairs it (and removes the extra module).
    assert generate(capsys, V1, out, "shop_v1")[0] == 0
    assert check_cli(capsys, V1, out, "shop_v1")[0] == 0
    assert {p.name for p in out.glob("*.py")} == V1_OUTPUT


def test_check_against_a_newer_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "shop_v1"
    assert generate(capsys, V1, out, "shop_v1")[0] == 0
    status, _, stderr = check_cli(capsys, V2, out, "shop_v1")
    assert status == 1
    stale = [line.strip() for line in stderr.splitlines()[1:-1]]
    # The header names the XSD's hash, so every module (and the fingerprint) differs; Invoice
    # is new, Order is gone.
    assert stale == [
        "differs: __init__.py",
        "differs: _fingerprint.py",
        "differs: address.py",
        "differs: company_customer.py",
        "differs: customer.py",
        "differs: customer_type.py",
        "differs: customers.py",
        "missing: invoice.py",
        "not generated by this schema: order.py",
    ]
    assert check(V2, CONFIG, out, "shop_v1") == stale


def test_check_of_a_missing_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, stderr = check_cli(capsys, V1, tmp_path / "nothing", "shop_v1")
    assert status == 1
    assert "  missing: customer.py\n" in stderr


# -- 4. diff --------------------------------------------------------------------------------

V3 = FIXTURES / "shop_v3.xsd"  # shop_v1 with likely renames

EXPECTED_DIFF = """\
codegen diff shop_v1.xsd -> shop_v2.xsd: 6 breaking, 0 renamed, 4 added, 0 other

## Breaking changes (6)

types removed (1):
  Order (complexType)

fields removed (1):
  Customer.VATNumber: xs:string (optional)

fields retyped (1):
  Customer.CreditLimit: xs:int (required, nillable) -> xs:long (required, nillable)

fields now required (1):
  Address.ZipCode: xs:string (optional) -> xs:string (required)

enum codes changed (1):
  CustomerType.Unknown: code -1 -> 99

global elements removed (1):
  Order (Order)

## Added (4)

types added (1):
  Invoice (complexType)

fields added (1):
  Customer.Email: xs:string (optional)

enum values added (1):
  CustomerType.Organisation (code 2)

global elements added (1):
  Invoice (Invoice)
"""


def test_diff(capsys: pytest.CaptureFixture[str]) -> None:
    # Order -> Invoice shares one field of seven and VATNumber -> Email neither a name nor a
    # place: a removal and an addition each, not renames.
    assert run(capsys, "diff", V1, V2) == (0, EXPECTED_DIFF, "")


def test_diff_reversed(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "diff", V2, V1)
    assert status == 0
    assert out.startswith("codegen diff shop_v2.xsd -> shop_v1.xsd: 6 breaking, 0 renamed, 3 added")
    assert "types removed (1):\n  Invoice (complexType)\n" in out
    assert "types added (1):\n  Order (complexType)\n" in out
    assert "enum values removed (1):\n  CustomerType.Organisation\n" in out
    assert "  CustomerType.Unknown: code 99 -> -1\n" in out
    # Relaxing an occurrence breaks nobody.
    assert out.endswith(
        "## Other changes (1)\n\nfields no longer required (1):\n"
        "  Address.ZipCode: xs:string (required) -> xs:string (optional)\n"
    )


def test_diff_breaking_changes_come_first(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "diff", V1, V2)
    groups = [line for line in out.splitlines() if line.startswith("## ")]
    assert groups == ["## Breaking changes (6)", "## Added (4)"]
    assert out.index("fields retyped") < out.index("fields added")


EXPECTED_RENAMES = """\
codegen diff shop_v1.xsd -> shop_v3.xsd: 1 breaking, 6 renamed, 2 added, 1 other

## Breaking changes (1)

fields removed (1):
  Address.Street: xs:string (optional)

## Renamed (likely) (6)

types renamed (2):
  ArrayOfAddress -> Addresses (list type; 1 of 1 items the same)
  Order -> Purchase (complexType; 5 of 6 fields the same)

fields renamed (1):
  Customer.VATNumber -> Customer.VatRegistrationNumber: xs:string (optional)

enum values renamed (1):
  CustomerType.Company -> CustomerType.Business (code 1)

following a renamed type (2):
  Customer.Addresses: ArrayOfAddress -> Addresses
  element Order -> Purchase

## Added (2)

fields added (2):
  Address.Country: xs:string (optional)
  Purchase.Note: xs:string (optional)

## Other changes (1)

fields nillability changed (1):
  Purchase.Total: xs:double (required) -> xs:double (required, nillable)
"""


def test_diff_pairs_likely_renames(capsys: pytest.CaptureFixture[str]) -> None:
    # A type with nearly the same fields, a list type with the same items, a field of the same
    # type in the same place, an enum value with the same code: renames, not removals plus
    # additions. Address.Street -> Country (another name, another place) stays two changes.
    assert run(capsys, "diff", V1, V3) == (0, EXPECTED_RENAMES, "")


def test_diff_renames_need_nearly_the_same_members(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Purchase keeps only 3 of Order's 5 fields (3 of 6 in all): no longer a likely rename.
    text = V3.read_text(encoding="utf-8")
    for name in ("Placed", "From"):
        line = f'name="{name}" type="xs:dateTime" />'
        text = text.replace(line, line.replace(name, f"{name}At"))
    v4 = tmp_path / "shop_v4.xsd"
    v4.write_text(text, encoding="utf-8")
    _, out, _ = run(capsys, "diff", V1, v4)
    assert "  Order -> Purchase" not in out
    assert "types removed (1):\n  Order (complexType)\n" in out
    assert "types added (1):\n  Purchase (complexType)\n" in out
    assert "global elements removed (1):\n  Order (Order)\n" in out


SHAPES_OLD = """<?xml version="1.0" encoding="utf-8"?>
<xs:schema elementFormDefault="qualified" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="Box" nillable="true" type="Box" />
  <xs:complexType name="Box">
    <xs:sequence>
      <xs:element minOccurs="0" maxOccurs="unbounded" name="Item" nillable="true" type="Item" />
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Item">
    <xs:sequence>
      <xs:element minOccurs="0" maxOccurs="1" name="Name" type="xs:string" />
      <xs:element minOccurs="1" maxOccurs="1" name="Size" type="Size" />
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Gift">
    <xs:complexContent mixed="false">
      <xs:extension base="Item">
        <xs:sequence>
          <xs:element minOccurs="0" maxOccurs="1" name="Message" type="xs:string" />
        </xs:sequence>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
  <xs:simpleType name="Size">
    <xs:restriction base="xs:string">
      <xs:enumeration value="Small" />
    </xs:restriction>
  </xs:simpleType>
</xs:schema>
"""


def test_diff_kinds_bases_and_list_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    item = 'name="Item" nillable="true" type="Item"'
    new = (
        SHAPES_OLD.replace(item, 'name="Item" type="xs:string"')
        .replace('base="Item"', 'base="Size"')
        .replace(
            '<xs:simpleType name="Size">\n    <xs:restriction base="xs:string">\n'
            '      <xs:enumeration value="Small" />\n    </xs:restriction>\n  </xs:simpleType>',
            '<xs:complexType name="Size">\n    <xs:sequence>\n      <xs:element minOccurs="0" '
            'maxOccurs="1" name="Cm" type="xs:int" />\n    </xs:sequence>\n  </xs:complexType>',
        )
        .replace('minOccurs="1" maxOccurs="1" name="Size" type="Size"', 'minOccurs="0" '
                 'maxOccurs="1" name="Size" type="Size"')
    )  # fmt: skip
    (tmp_path / "old.xsd").write_text(SHAPES_OLD, encoding="utf-8")
    (tmp_path / "new.xsd").write_text(new, encoding="utf-8")
    _, out, _ = run(capsys, "diff", tmp_path / "old.xsd", tmp_path / "new.xsd")
    assert out == (
        "codegen diff old.xsd -> new.xsd: 3 breaking, 0 renamed, 0 added, 1 other\n\n"
        "## Breaking changes (3)\n\n"
        "types changed kind (1):\n  Size: enum -> complexType\n\n"
        "types rebased (1):\n  Gift: base Item -> Size\n\n"
        "list items retyped (1):\n  Box items: Item (Item) -> Item (xs:string)\n\n"
        "## Other changes (1)\n\n"
        "fields no longer required (1):\n  Item.Size: Size (required) -> Size (optional)\n"
    )


def _without_codes(xsd: Path, out: Path) -> Path:
    """``xsd`` with every urn:billecta:enum-code appinfo taken out."""
    lines = xsd.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(x for x in lines if "urn:billecta:enum-code" not in x), "utf-8")
    return out


def test_diff_hides_code_only_changes_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uncoded = _without_codes(V1, tmp_path / "shop_v1_uncoded.xsd")
    status, out, _ = run(capsys, "diff", uncoded, V1)
    assert status == 0
    assert out == (
        "codegen diff shop_v1_uncoded.xsd -> shop_v1.xsd: 0 breaking, 0 renamed, 0 added, "
        "0 other\n\n(3 enum values only gained an integer code; --codes lists them)\n"
    )
    _, listed, _ = run(capsys, "diff", uncoded, V1, "--codes")
    assert listed.endswith(
        "## Other changes (3)\n\nenum codes added (3):\n  CustomerType.Unknown: code -1\n"
        "  CustomerType.Private: code 0\n  CustomerType.Company: code 1\n"
    )
    # Losing them (as against any XSD Billecta publishes) is counted too; listed, it is breaking:
    # integers Billecta sends no longer decode.
    _, lost, _ = run(capsys, "diff", V1, uncoded)
    assert lost.endswith(
        ": 0 breaking, 0 renamed, 0 added, 0 other\n\n"
        "(3 enum values lost their integer code; --codes lists them)\n"
    )
    _, lost, _ = run(capsys, "diff", V1, uncoded, "--codes")
    assert "## Breaking changes (3)\n\nenum codes removed (3):\n" in lost
    assert "  CustomerType.Unknown: code -1 -> none\n" in lost
    # A code that changes is always listed: an integer would decode to another member.
    assert (
        "enum codes changed (1):\n  CustomerType.Unknown: code -1 -> 99\n"
        in run(capsys, "diff", V1, V2)[1]
    )


def test_diff_identical(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "diff", V1, V1) == (
        0,
        "codegen diff shop_v1.xsd -> shop_v1.xsd: 0 breaking, 0 renamed, 0 added, 0 other\n\n"
        "no changes\n",
        "",
    )


def test_diff_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "diff", V1, FIXTURES / "unsupported_choice.xsd")
    assert (status, out) == (2, "")
    assert err == "codegen diff: complexType Payment: unsupported XSD construct: choice\n"
    status, out, err = run(capsys, "diff", V1, tmp_path / "absent.xsd")
    assert (status, out) == (2, "")
    assert err.startswith("codegen diff: ") and "absent.xsd" in err


def test_diff_billecta_2021_to_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    # The upgrade from Billecta's 2021 XSD to the project's schema: the two real retypes lead,
    # and the 489 codes the schema took from the JSON schemas do not bury them.
    xsd_2021 = billecta_2021()
    _, out, _ = run(capsys, "diff", xsd_2021, REPO / "schema" / "billecta.xsd")
    breaking = out[out.index("## Breaking changes") : out.index("## Added")]
    assert breaking.splitlines()[2:] == [
        "fields retyped (2):",
        "  DebtCollectionAction.Invoices: ArrayOfDebtCollectionInvoice (optional) -> "
        "ArrayOfDebtCollectionActionInvoice (optional)",
        "  ReconciliationInvoiceAction.Events: ArrayOfReconciiationInvoiceActionEvent "
        "(optional) -> ArrayOfReconciliationInvoiceActionEvent (optional)",
        "",
    ]
    assert "code None" not in out and "enum codes added" not in out
    assert "\n(489 enum values only gained an integer code; --codes lists them)\n" in out
    # The four 2021 list elements now typed by a list model of the same XML shape.
    assert "global elements retyped (same XML shape) (4):\n  PaymentMatchResults:" in out
    assert len(out.splitlines()) < 300
    _, back, _ = run(capsys, "diff", REPO / "schema" / "billecta.xsd", xsd_2021)
    assert back.endswith("\n(489 enum values lost their integer code; --codes lists them)\n")
    _, with_codes, _ = run(capsys, "diff", xsd_2021, REPO / "schema" / "billecta.xsd", "--codes")
    assert "enum codes added (489):\n  AccountingExportDateSelectionType.Unknown: code -1\n" in (
        with_codes
    )


# -- 5. unsupported constructs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("attribute", "complexType Note: unsupported XSD construct: attributes"),
        ("choice", "complexType Payment: unsupported XSD construct: choice"),
        (
            "target_namespace",
            "schema: unsupported XSD construct: targetNamespace 'urn:example:shop'",
        ),
        ("union", "simpleType Code: unsupported XSD construct: list, union or missing restriction"),
        ("simple_content", "complexType Price: unsupported XSD construct: simpleContent"),
        (
            "restriction",
            "complexType Narrow: unsupported XSD construct: complexContent restriction",
        ),
        (
            "repeated_element",
            "complexType Basket, element Item: unsupported XSD construct: "
            "repeated element outside an ArrayOf wrapper",
        ),
        ("element_ref", "unsupported XSD construct: element ref or anonymous type"),
        (
            "anonymous_type",
            "complexType Note, element Author: unsupported XSD construct: "
            "element ref or anonymous type",
        ),
        ("any", "complexType Extra: unsupported XSD construct: sequence with any"),
        ("group", "schema: unsupported XSD construct: top-level groups"),
        (
            "builtin_type",
            "complexType Subscription, element Period: unsupported XSD construct: "
            "built-in type 'xs:duration'",
        ),
        (
            "int_restriction",
            "simpleType Percent: unsupported XSD construct: restriction of 'xs:int'",
        ),
    ],
)
def test_unsupported_construct(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fixture: str, message: str
) -> None:
    xsd = FIXTURES / f"unsupported_{fixture}.xsd"
    assert xsd.exists()
    out = tmp_path / "refused"
    status, stdout, stderr = generate(capsys, xsd, out, "refused")
    assert status == 2
    assert stdout == ""
    assert stderr.startswith("codegen: ") and stderr.endswith("\n")
    assert message in stderr
    assert not out.exists()  # nothing is written
    assert check_cli(capsys, xsd, out, "refused")[0] == 2


# -- 6. the project's schema ----------------------------------------------------------------


def test_committed_models_are_current() -> None:
    schema, config = REPO / "schema" / "billecta.xsd", REPO / "codegen" / "xsdata.xml"
    assert check(schema, config, catalogue=REPO / "schema" / "endpoints.json") == []


# -- 7. Billecta's 2021 XSD as published ----------------------------------------------------


def test_billecta_2021_xsd(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    load_package: Callable[[Path, str], ModuleType],
) -> None:
    billecta_2021()
    status, _, err = generate(capsys, BILLECTA_2021, tmp_path / "billecta2021", "billecta2021")
    assert status == 0
    # Published without integer enum codes, and said so.
    assert err.startswith(
        "codegen: warning: billecta-2021.xsd carries no integer enum codes: 77 of 77 enums "
    )
    pkg = load_package(tmp_path, "billecta2021")
    exported = {name: getattr(pkg, name) for name in pkg._MODULES}
    models = [v for v in exported.values() if isinstance(v, type) and issubclass(v, Model)]
    enums = [v for v in exported.values() if isinstance(v, type) and issubclass(v, BillectaEnum)]
    lists = [v for v in exported.values() if isinstance(v, ListOf)]
    assert len(models) >= 200
    assert len(enums) >= 70
    assert lists
    assert check(BILLECTA_2021, CONFIG, tmp_path / "billecta2021", "billecta2021") == []
    names = [n for n in ("Debtor", "InvoiceAction", "Creditor", "Product") if n in exported]
    assert "Debtor" in names
    for name in names:
        cls = exported[name]
        for seed in (0, 1):
            sample = sample_model(cls, seed=seed)
            assert cls.from_json(sample.to_json()) == sample, name
            assert cls.from_xml(sample.to_xml()) == sample, name


# -- 8. integer enum codes for an XSD without them -----------------------------------------

UNCODED = FIXTURES / "shop_uncoded.xsd"  # enums without codes, like Billecta's published XSDs
JSON_SCHEMAS = FIXTURES / "jsonschema"  # CustomerType's codes, in Billecta's JSON schema form
CODES_FILE = FIXTURES / "shop_codes.json"  # both enums' codes

UNCODED_WARNING = """\
codegen: warning: shop_uncoded.xsd carries no integer enum codes: 2 of 2 enums (5 values) have none.
  Billecta sends some enums as integer codes (the guide's webhook example has "ActionType": 2); the
  generated models decode those as unknown members.
  Take the codes from Billecta's JSON schemas with --enum-codes DIR, or from a codes file with
  --enum-codes FILE ({"EnumName": {"Member": code}}).
  Enums without codes: CustomerType, OrderStatus.
"""


def _generate_uncoded(
    capsys: pytest.CaptureFixture[str], out: Path, *codes: object
) -> tuple[int, str, str]:
    return generate(capsys, UNCODED, out, out.name, *codes)


def test_an_xsd_without_enum_codes_is_warned_about(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    load_package: Callable[[Path, str], ModuleType],
) -> None:
    status, out, err = _generate_uncoded(capsys, tmp_path / "uncoded")
    assert (status, out, err) == (0, "codegen: wrote 5 files\n", UNCODED_WARNING)
    pkg = load_package(tmp_path, "uncoded")
    customer = pkg.Customer.from_json(b'{"Type": 1, "Status": "Shipped"}')
    assert not customer.type.is_known  # what the warning is about
    assert customer.status is pkg.OrderStatus.SHIPPED


def test_enum_codes_from_json_schemas(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    load_package: Callable[[Path, str], ModuleType],
) -> None:
    status, out, err = _generate_uncoded(capsys, tmp_path / "coded", "--enum-codes", JSON_SCHEMAS)
    assert (status, out) == (0, "codegen: wrote 5 files\n")
    assert err == (
        "codegen: enum codes from jsonschema: 3 values of 1 enums\n"
        "codegen: note: 1 of the codes are for enums or values that shop_uncoded.xsd does not "
        "have:\n"
        "  CustomerTypeView.Organisation\n"
        "codegen: warning: 1 of 2 enums still have no integer codes (integers sent for them "
        "decode as unknown members):\n"
        "  OrderStatus\n"
    )
    pkg = load_package(tmp_path, "coded")
    assert [(m.value, m.code) for m in pkg.CustomerType] == [
        ("Unknown", -1),
        ("Private", 0),
        ("Company", 1),
    ]
    assert pkg.Customer.from_json(b'{"Type": 1}').type is pkg.CustomerType.COMPANY
    assert [m.code for m in pkg.OrderStatus] == [None, None]


def test_enum_codes_from_a_codes_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    load_package: Callable[[Path, str], ModuleType],
) -> None:
    out_dir = tmp_path / "filecoded"
    status, _, err = _generate_uncoded(capsys, out_dir, "--enum-codes", CODES_FILE)
    assert (status, err) == (0, "codegen: enum codes from shop_codes.json: 5 values of 2 enums\n")
    pkg = load_package(tmp_path, "filecoded")
    customer = pkg.Customer.from_json(b'{"Type": 0, "Status": 20}')
    assert (customer.type, customer.status) == (pkg.CustomerType.PRIVATE, pkg.OrderStatus.SHIPPED)
    # --check regenerates with the same codes; without them the enum modules differ.
    check_args = ["--check", "--xsd", UNCODED, "--config", CONFIG, "--out", out_dir]
    check_args += ["--package", "filecoded"]
    assert run(capsys, *check_args, "--enum-codes", CODES_FILE)[0] == 0
    status, _, err = run(capsys, *check_args)
    assert status == 1
    assert "  differs: customer_type.py\n" in err and "  differs: order_status.py\n" in err


def test_enum_codes_keep_the_xsds_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    codes = tmp_path / "codes.json"
    codes.write_text('{"CustomerType": {"Unknown": 7, "Private": 0}}', encoding="utf-8")
    out = tmp_path / "kept"
    status, _, err = generate(capsys, V1, out, "kept", "--enum-codes", codes)
    assert status == 0
    assert err == (
        "codegen: enum codes from codes.json: 0 values of 0 enums\n"
        "codegen: warning: 1 codes differ from the XSD's (the XSD's are kept):\n"
        "  CustomerType.Unknown: code -1 in the XSD, 7 given (the XSD's is kept)\n"
    )
    assert "UNKNOWN = ('Unknown', -1)" in (out / "customer_type.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"CustomerType": {"Company": "1"}}', "CustomerType.Company: code '1' is not an integer"),
        (
            '{"CustomerType": {"Company": true}}',
            "CustomerType.Company: code True is not an integer",
        ),
        ('{"CustomerType": [1]}', "CustomerType: expected an object of member names and codes"),
        ("[1, 2]", 'expected an object {"EnumName": {"Member": code}}'),
        ("{not json", "not a readable JSON file"),
        (
            '{"OrderStatus": {"Placed": 1, "Shipped": 1}}',
            "simpleType OrderStatus: values 'Placed' and 'Shipped' both have code 1",
        ),
    ],
)
def test_enum_codes_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    codes = tmp_path / "codes.json"
    codes.write_text(content, encoding="utf-8")
    out = tmp_path / "refused"
    status, stdout, err = _generate_uncoded(capsys, out, "--enum-codes", codes)
    assert (status, stdout) == (2, "")
    assert err.startswith("codegen: ") and message in err
    assert not out.exists()


def test_enum_codes_from_a_directory_without_json_schemas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _generate_uncoded(capsys, tmp_path / "x", "--enum-codes", tmp_path)
    assert status == 2
    assert err == f"codegen: {tmp_path}: no JSON schemas (*.json) in this directory\n"
    (tmp_path / "codes.json").write_text('{"CustomerType": {"Company": 1}}', encoding="utf-8")
    status, _, err = _generate_uncoded(capsys, tmp_path / "x", "--enum-codes", tmp_path)
    assert status == 2
    assert "codes.json: not a JSON schema" in err


def test_billecta_2021_xsd_with_the_json_schemas_codes(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    load_package: Callable[[Path, str], ModuleType],
) -> None:
    xsd = billecta_2021()
    json_schemas = xsd.parent.parent / "jsonschema"
    out = tmp_path / "coded2021"
    status, _, err = generate(capsys, xsd, out, "coded2021", "--enum-codes", json_schemas)
    assert status == 0
    assert err.startswith("codegen: enum codes from jsonschema: 489 values of 58 enums\n")
    assert "codegen: warning: 19 of 77 enums still have no integer codes" in err
    assert "  AccountingRecordType, ActivationPolicyType," in err
    pkg = load_package(tmp_path, "coded2021")
    # The guide's webhook example decodes, as it does with the project's own models.
    payment = pkg.InvoiceAction.from_json(b'{"ActionType": 2}')
    assert payment.action_type is pkg.ActionType.INVOICE_ACTION
    assert (
        billecta_async.models.ActionType.INVOICE_ACTION.code == pkg.ActionType.INVOICE_ACTION.code
    )


def test_enum_codes_from_one_json_schema() -> None:
    from codegen.ir import load_enum_codes

    # A file's own model is named by the file, its definitions by their keys; string enums
    # (ChannelTypeView lists its names as values) have no codes.
    assert load_enum_codes(JSON_SCHEMAS / "CustomerView.json") == {
        "CustomerTypeView": {"Private": 0, "Company": 1, "Unknown": -1, "Organisation": 2}
    }
