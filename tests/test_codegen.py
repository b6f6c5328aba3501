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
from codegen.cli import main  # noqa: E402
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
    """``python -m codegen *argv`` in-process: exit status, stdout, stderr."""
    capsys.readouterr()
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def generate(
    capsys: pytest.CaptureFixture[str], xsd: Path, out: Path, package: str
) -> tuple[int, str, str]:
    return run(capsys, "--xsd", xsd, "--config", CONFIG, "--out", out, "--package", package)


def check_cli(
    capsys: pytest.CaptureFixture[str], xsd: Path, out: Path, package: str
) -> tuple[int, str, str]:
    return run(
        capsys, "--check", "--xsd", xsd, "--config", CONFIG, "--out", out, "--package", package
    )


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
    assert out == (
        f"codegen: wrote {len(V1_OUTPUT)} files\n"
        "codegen: no endpoint catalogue (--catalogue), so which models are only responses is "
        "unknown: every field is optional\n"
    )
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

EXPECTED_DIFF = """\
codegen diff shop_v1.xsd -> shop_v2.xsd

types added (1):
  Invoice (complexType)

types removed (1):
  Order (complexType)

fields added (1):
  Customer.Email: xs:string (optional)

fields removed (1):
  Customer.VATNumber: xs:string (optional)

fields retyped (2):
  Address.ZipCode: xs:string (optional) -> xs:string (required)
  Customer.CreditLimit: xs:int (required, nillable) -> xs:long (required, nillable)

enum values added (1):
  CustomerType.Organisation (code 2)

enum codes changed (1):
  CustomerType.Unknown: code -1 -> 99

global elements added (1):
  Invoice (Invoice)

global elements removed (1):
  Order (Order)
"""


def test_diff(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "diff", V1, V2) == (0, EXPECTED_DIFF, "")


def test_diff_reversed(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "diff", V2, V1)
    assert status == 0
    assert "types added (1):\n  Order (complexType)\n" in out
    assert "types removed (1):\n  Invoice (complexType)\n" in out
    assert "enum values removed (1):\n  CustomerType.Organisation\n" in out
    assert "  CustomerType.Unknown: code 99 -> -1\n" in out


def test_diff_identical(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "diff", V1, V1) == (
        0,
        "codegen diff shop_v1.xsd -> shop_v1.xsd\n\nno changes\n",
        "",
    )


def test_diff_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "diff", V1, FIXTURES / "unsupported_choice.xsd")
    assert (status, out) == (2, "")
    assert err == "codegen diff: complexType Payment: unsupported XSD construct: choice\n"
    status, out, err = run(capsys, "diff", V1, tmp_path / "absent.xsd")
    assert (status, out) == (2, "")
    assert err.startswith("codegen diff: ") and "absent.xsd" in err


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
    if not BILLECTA_2021.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"reference XSD missing in CI: {BILLECTA_2021}")
        pytest.skip(f"reference XSD not available: {BILLECTA_2021}")
    status, _, err = generate(capsys, BILLECTA_2021, tmp_path / "billecta2021", "billecta2021")
    assert (status, err) == (0, "")
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
