"""Tests of schema/billecta.xsd (the project's XSD) and its generator codegen.schema_build."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"
SCHEMA_PATH = REPO / "schema" / "billecta.xsd"
CATALOGUE_PATH = REPO / "schema" / "endpoints.json"
XS = "{http://www.w3.org/2001/XMLSchema}"
ENUM_CODE = "urn:billecta:enum-code"
READ_ONLY = "urn:billecta:read-only"
VALUE_TYPES = {"xs:int", "xs:long", "xs:double", "xs:boolean", "xs:dateTime", "guid"}
BUILTINS = {"xs:string", "xs:base64Binary"} | VALUE_TYPES - {"guid"}
DESIGNED = (
    "BankIdPhoneAuthenticationRequest",
    "CreditorAddonCategory",
    "CreditorAddons",
    "DebtorsToMatchWithKivra",
    "DebtorsKivraStatus",
)

if str(REPO) not in sys.path:  # codegen is a repo-local package, not installed
    sys.path.insert(0, str(REPO))

from codegen.catalogue import model_name  # noqa: E402


def reference_dir() -> Path:
    """The reference directory; skipped when absent locally, a failure in CI."""
    if not REFERENCE_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"reference data missing in CI: {REFERENCE_DIR}")
        pytest.skip(f"reference data not available: {REFERENCE_DIR}")
    return REFERENCE_DIR


@pytest.fixture(scope="module")
def root() -> etree._Element:
    return etree.parse(str(SCHEMA_PATH)).getroot()


@pytest.fixture(scope="module")
def types(root: etree._Element) -> dict[str, etree._Element]:
    return {
        node.get("name"): node
        for node in root
        if node.tag in (f"{XS}complexType", f"{XS}simpleType")
    }


@pytest.fixture(scope="module")
def global_elements(root: etree._Element) -> dict[str, str]:
    return {node.get("name"): node.get("type") for node in root if node.tag == f"{XS}element"}


@pytest.fixture(scope="module")
def json_models() -> dict[str, dict[str, Any]]:
    """JSON models by name: each file (named by its file name) plus its definitions."""
    models: dict[str, dict[str, Any]] = {}
    for path in sorted((reference_dir() / "jsonschema").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        models[path.stem] = document
        models.update(document.get("definitions", {}))
    return models


def element_names(xsd_type: etree._Element) -> list[str]:
    return [e.get("name") for e in xsd_type.iter(f"{XS}element")]


def child_element(xsd_type: etree._Element, name: str) -> etree._Element:
    matches = [e for e in xsd_type.iter(f"{XS}element") if e.get("name") == name]
    assert len(matches) == 1, (xsd_type.get("name"), name)
    return matches[0]


def enum_codes(xsd_type: etree._Element) -> dict[str, int | None]:
    codes: dict[str, int | None] = {}
    for value in xsd_type.iter(f"{XS}enumeration"):
        appinfo = value.find(f"{XS}annotation/{XS}appinfo[@source='{ENUM_CODE}']")
        codes[value.get("value")] = None if appinfo is None else int(appinfo.text or "")
    return codes


def documentation(node: etree._Element) -> str:
    doc = node.find(f"{XS}annotation/{XS}documentation")
    return "" if doc is None else doc.text or ""


def test_header_and_style() -> None:
    lines = SCHEMA_PATH.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '<?xml version="1.0" encoding="utf-8"?>'
    assert lines[1] == (
        '<xs:schema elementFormDefault="qualified" xmlns:xs="http://www.w3.org/2001/XMLSchema">'
    )
    assert lines[2] == '  <xs:import namespace="http://microsoft.com/wsdl/types/" />'
    assert '      <xs:element minOccurs="1" maxOccurs="1" name="IsActive" nillable="true" ' in (
        "\n".join(lines)
    )


def test_guid_type(types: dict[str, etree._Element]) -> None:
    pattern = types["guid"].find(f"{XS}restriction/{XS}pattern")
    assert pattern is not None and pattern.get("value", "").startswith("[0-9a-fA-F]{8}-")


def test_every_referenced_type_is_defined(root: etree._Element, types: dict[str, Any]) -> None:
    used = {e.get("type") for e in root.iter(f"{XS}element")}
    used |= {e.get("base") for e in root.iter(f"{XS}extension", f"{XS}restriction")}
    assert sorted(repr(t) for t in used - set(types) - BUILTINS if t is not None) == []
    untyped = [
        (ct.get("name"), e.get("name"))
        for ct in root.iter(f"{XS}complexType")
        for e in ct.iter(f"{XS}element")
        if e.get("type") is None
    ]
    assert untyped == [("WebhookEvent", "Data"), ("WebhookEvent", "AdditionalData")]  # anyType


def test_required_models_are_global_elements(global_elements: dict[str, str]) -> None:
    catalogue = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    models = {
        ref["model"]
        for endpoint in catalogue["endpoints"]
        for ref in (endpoint["request"], endpoint["response"])
        if ref is not None and ref["model"] is not None
    }
    assert len(models) > 100
    missing = sorted(m for m in models if global_elements.get(m) != m)
    assert missing == []
    assert "ArrayOfProduct" in models


def test_global_elements_for_types(
    types: dict[str, etree._Element], global_elements: dict[str, str]
) -> None:
    """As in 2021: every non-abstract type except ArrayOf wrappers and guid is a root."""
    for name, node in types.items():
        if name == "guid" or name.startswith("ArrayOf") or node.get("abstract") == "true":
            continue
        assert global_elements.get(name) == name, name
    for name, type_name in global_elements.items():
        assert type_name in types, name


def test_occurrence_rules(root: etree._Element, types: dict[str, etree._Element]) -> None:
    enums = {name for name, node in types.items() if node.tag == f"{XS}simpleType"}
    for complex_type in root.iter(f"{XS}complexType"):
        for element in complex_type.iter(f"{XS}element"):
            if element.get("maxOccurs") == "unbounded":
                assert element.get("minOccurs") == "0"
                continue
            where = (complex_type.get("name"), element.get("name"))
            if element.get("type") in VALUE_TYPES | enums:
                assert element.get("minOccurs") == "1", where
            else:
                assert element.get("minOccurs") == "0", where
                assert element.get("nillable") is None, where


def test_2021_types_are_kept(types: dict[str, etree._Element]) -> None:
    old = etree.parse(str(reference_dir() / "xsd" / "billecta-2021.xsd")).getroot()
    old_types = [n for n in old if n.tag in (f"{XS}complexType", f"{XS}simpleType")]
    assert len(old_types) == 402
    for node in old_types:
        name = node.get("name")
        assert name in types, name
        assert types[name].tag == node.tag, name
        assert set(element_names(node)) <= set(element_names(types[name])), name
        old_values = [v.get("value") for v in node.iter(f"{XS}enumeration")]
        new_values = [v.get("value") for v in types[name].iter(f"{XS}enumeration")]
        assert new_values[: len(old_values)] == old_values, name


def test_2021_type_order_is_kept(types: dict[str, etree._Element]) -> None:
    old = etree.parse(str(reference_dir() / "xsd" / "billecta-2021.xsd")).getroot()
    old_order = [n.get("name") for n in old if n.tag in (f"{XS}complexType", f"{XS}simpleType")]
    new_order = [name for name in types if name in set(old_order)]
    assert new_order == old_order


def test_json_models_and_properties_are_present(
    types: dict[str, etree._Element], json_models: dict[str, dict[str, Any]]
) -> None:
    assert len([m for m in json_models if m in {p.stem for p in _json_files()}]) == 107
    for json_name, model in json_models.items():
        name = model_name(json_name)
        assert name in types, json_name
        properties = model.get("properties", {})
        assert list(properties) == [n for n in element_names(types[name]) if n in properties], (
            f"{name}: JSON property order"
        )
        for value in model.get("x-enumNames", []):
            assert value in enum_codes(types[name]), f"{name}.{value}"
        if "allOf" in model or model.get("type") == "array":
            array = model if model.get("type") == "array" else model["allOf"][0]
            item = model_name(array["items"]["$ref"].rsplit("/", 1)[-1])
            assert [(e.get("name"), e.get("type")) for e in types[name].iter(f"{XS}element")] == [
                (item, item)
            ]


def _json_files() -> list[Path]:
    return sorted((reference_dir() / "jsonschema").glob("*.json"))


def test_json_wins_on_types(types: dict[str, etree._Element]) -> None:
    invoices = child_element(types["DebtCollectionAction"], "Invoices")
    assert invoices.get("type") == "ArrayOfDebtCollectionActionInvoice"
    events = child_element(types["ReconciliationInvoiceAction"], "Events")
    assert events.get("type") == "ArrayOfReconciliationInvoiceActionEvent"
    is_active = child_element(types["Debtor"], "IsActive")
    assert (is_active.get("minOccurs"), is_active.get("nillable")) == ("1", "true")
    cards = child_element(types["Debtor"], "CreditCards")
    assert (cards.get("minOccurs"), cards.get("type")) == ("0", "ArrayOfDebtorCreditCard")


def test_enum_codes_match_json(
    types: dict[str, etree._Element], json_models: dict[str, dict[str, Any]]
) -> None:
    coded: set[tuple[str, str]] = set()
    for json_name, model in json_models.items():
        if "x-enumNames" not in model:
            continue
        name = model_name(json_name)
        codes = enum_codes(types[name])
        for value, code in zip(model["x-enumNames"], model["enum"], strict=True):
            expected = code if isinstance(code, int) else None
            assert codes[value] == expected, f"{name}.{value}"
            if expected is not None:
                coded.add((name, value))
    invented = [
        (name, value)
        for name, node in types.items()
        for value, code in enum_codes(node).items()
        if code is not None and (name, value) not in coded
    ]
    assert invented == []
    assert enum_codes(types["DebtorType"]) == {"Undefined": -1, "Private": 0, "Company": 1}


def test_designed_models(types: dict[str, etree._Element], global_elements: dict[str, str]) -> None:
    for name in DESIGNED:
        assert global_elements[name] == name
        assert "Designed by this project" in documentation(types[name])
    phone = types["BankIdPhoneAuthenticationRequest"]
    assert element_names(phone) == ["CreditorPublicId", "SSN", "CallInitiator"]
    initiator = child_element(phone, "CallInitiator").get("type")
    assert list(enum_codes(types[initiator])) == ["User", "RP"]
    addons = types["CreditorAddons"]
    assert [(e.get("name"), e.get("maxOccurs")) for e in addons.iter(f"{XS}element")] == [
        ("CreditorAddon", "unbounded")
    ]
    assert "IsActive" in element_names(types["CreditorAddon"])
    request = child_element(types["DebtorsToMatchWithKivra"], "DebtorPublicIds")
    assert request.get("type") == "ArrayOfGuid"
    status = child_element(types["DebtorsKivraStatus"], "Debtors").get("type")
    assert element_names(types[status]) == ["DebtorKivraStatus"]


def test_value_for_view_is_read_only(types: dict[str, etree._Element]) -> None:
    value_for_view = child_element(types["Amount"], "ValueForView")
    appinfo = value_for_view.find(f"{XS}annotation/{XS}appinfo[@source='{READ_ONLY}']")
    assert appinfo is not None and appinfo.text == "true"
    read_only = [e for e in SCHEMA_PATH.read_text(encoding="utf-8").splitlines() if READ_ONLY in e]
    assert len(read_only) == 1


def test_documentation(types: dict[str, etree._Element]) -> None:
    assert "minor unit" in documentation(child_element(types["Amount"], "Value"))
    assert "GET /v1/files/file/{id}" in documentation(child_element(types["File"], "Data"))
    assert documentation(types["Debtor"]).startswith("Request of PUT /v1/debtors/debtor and POST")
    assert "Response of" in documentation(types["Created"])
    stages = {
        v.get("value"): documentation(v)
        for v in types["InvoiceActionStageType"].iter(f"{XS}enumeration")
    }
    assert stages["Created"] and stages["Completed"]
    banks = {
        v.get("value"): documentation(v)
        for v in types["IntermediatorType"].iter(f"{XS}enumeration")
    }
    assert banks["ITELLA"] == "OpusCapita."
    product_id = child_element(types["Product"], "ProductPublicId")
    assert documentation(product_id) == "Billecta id"


def test_xsdata_parses_the_schema() -> None:
    from xsdata.codegen.parsers.schema import SchemaParser
    from xsdata.models.xsd import Schema

    data = SCHEMA_PATH.read_bytes()
    parsed = SchemaParser(location=SCHEMA_PATH.as_uri()).from_bytes(data, Schema)
    assert len(parsed.complex_types) > 350
    assert len(parsed.simple_types) > 80


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    from codegen import schema_build

    out = tmp_path / "billecta.xsd"
    assert schema_build.main(["--reference", str(reference_dir()), "--out", str(out)]) == 0
    assert out.read_bytes() == SCHEMA_PATH.read_bytes()


GUIDE_EVENTS = (
    "InvoiceActionUpdated",
    "PaymentReceivedToBillectaClientFunds",
    "SelfInvoiceActionCreated",
    "SelfInvoiceActionUpdated",
    "SelfInvoiceActionAttested",
    "SelfInvoiceActionDeleted",
    "SelfInvoiceActionPaid",
    "ReminderInvoiceActionCreated",
    "EInvoiceInfoOnDebtorChanged",
    "DebtorContractCreated",
    "DebtorContractSigned",
    "DebtorContractCancelled",
    "DebtorContractArchived",
)


def test_webhook_events_of_the_guide(types: dict[str, etree._Element]) -> None:
    trigger = types["WebhookTriggerType"]
    values = [v.get("value") for v in trigger.iter(f"{XS}enumeration")]
    # The 2021 values in their order, then the guide's events the 2021 XSD lacks.
    assert len(values) == 62 and values[0] == "Unknown"
    assert tuple(values[-13:]) == GUIDE_EVENTS
    assert len(set(values)) == 62
    # No source gives codes for this enum, so none is invented.
    assert set(enum_codes(trigger).values()) == {None}
    docs = {v.get("value"): documentation(v) for v in trigger.iter(f"{XS}enumeration")}
    assert docs["DebtorContractSigned"] == (
        "Debtor contract signed. Data: DebtorContract. "
        "From the guide's events table (not in the 2021 XSD)."
    )
    assert docs["SelfInvoiceActionDeleted"].startswith(
        "Self invoice deleted. Data: the ActionPublicId (string). "
        "AdditionalData: the DebtorPublicId (string)."
    )
    assert docs["AutogiroApprovalFailed"] == (
        "Autogiro approval failed to register. Data: Debtor. "
        "AdditionalData: AutogiroApprovalCommentCode."
    )
    assert docs["CreditorUnshared"] == "Creditor shared removed. Data: none."
    assert docs["Unknown"] == ""
    assert all("Data: " in doc for value, doc in docs.items() if value != "Unknown")
    assert "No source gives integer codes" in documentation(trigger)


def test_guide_events_table_columns_are_split() -> None:
    from codegen.schema_build import GUIDE_EVENTS_HEADER, guide_webhook_events

    # The guide's columns run together; model names are found as the longest known suffix.
    table = "\n".join(
        [
            "Webhooks",
            GUIDE_EVENTS_HEADER,
            "Invoice updated InvoiceActionUpdatedInvoiceActionView[Nothing]",
            "Invoice deleted InvoiceActionDeletedstring (ActionPublicId)string (DebtorPublicId)",
            "Creditor shared CreditorSharedWebhookCreditorShareView[Nothing]",
            "Debtor E-Invoice information updatedEInvoiceInfoOnDebtorChangedDebtorView[Nothing]",
            "Autogiro failed AutogiroApprovalFailedDebtorViewAutogiroApprovalCommentCodeView",
            "Debtor deletedDebtorDeletedstring[Nothing]",
            "Missing a web hook?",
            "Other text",
        ]
    )
    known = {
        "InvoiceAction",
        "WebhookCreditorShare",
        "CreditorShare",
        "Debtor",
        "AutogiroApprovalCommentCode",
    }
    events = [
        (e.event, e.description, e.data, e.data_string_of, e.additional_data)
        for e in guide_webhook_events(table, known)
    ]
    assert events == [
        ("InvoiceActionUpdated", "Invoice updated", "InvoiceAction", None, None),
        ("InvoiceActionDeleted", "Invoice deleted", "string", "ActionPublicId", "string"),
        ("CreditorShared", "Creditor shared", "WebhookCreditorShare", None, None),
        (
            "EInvoiceInfoOnDebtorChanged",
            "Debtor E-Invoice information updated",
            "Debtor",
            None,
            None,
        ),
        (
            "AutogiroApprovalFailed",
            "Autogiro failed",
            "Debtor",
            None,
            "AutogiroApprovalCommentCode",
        ),
        ("DebtorDeleted", "Debtor deleted", "string", None, None),
    ]
    with pytest.raises(ValueError, match="no payload type at the end of"):
        guide_webhook_events(
            f"{GUIDE_EVENTS_HEADER}\nProduct created ProductCreatedProductView[Nothing]", known
        )
