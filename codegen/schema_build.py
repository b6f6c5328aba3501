"""Schema builder: generate ``schema/billecta.xsd`` from Billecta's reference material.

The output is Billecta's XSD in the style of its 2021 edition (XmlSerializer layout, naming and
attribute order), brought up to the current API:

* every complexType/simpleType of ``xsd/billecta-2021.xsd`` with all its elements;
* every model, field and enum value of the 2024 ``jsonschema/*.json`` files (the JSON schema
  wins where the two disagree on a field's type or occurrence);
* five models the API reference names but neither source defines (see :func:`designed_types`);
* a global element for every type that is a document root (as in 2021), including every
  ``Request:``/``Response:`` model of the endpoint catalogue;
* enum integer codes (``urn:billecta:enum-code``), the read-only flag of
  ``Amount/ValueForView`` (``urn:billecta:read-only``) and short documentation.

Only facts (names, types, occurrence, enum values and codes) are taken from the sources; the
text is generated here. Same inputs give byte-identical output.

Usage::

    python -m codegen.schema_build --reference /path/to/reference --out schema/billecta.xsd
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from codegen.catalogue import model_name, parse_reference
from codegen.ir import json_enum_codes

XS_NS = "http://www.w3.org/2001/XMLSchema"
XS = "{" + XS_NS + "}"
ENUM_CODE_SOURCE = "urn:billecta:enum-code"
READ_ONLY_SOURCE = "urn:billecta:read-only"
GUID = "guid"
INDENT = "  "

XSD_2021 = Path("xsd") / "billecta-2021.xsd"
JSON_DIR = Path("jsonschema")
API_REFERENCE = Path("billecta-api-reference.txt")
GET_STARTED = Path("billecta-get-started.txt")

JsonObject = dict[str, Any]

# --------------------------------------------------------------------------------------------
# In-memory schema model
# --------------------------------------------------------------------------------------------


@dataclass
class Element:
    """An ``xs:element`` inside a type's sequence."""

    name: str
    type: str | None  # None: no type attribute (xs:anyType, e.g. WebhookEvent/Data)
    min_occurs: str = "0"
    max_occurs: str = "1"
    nillable: bool = False
    docs: list[str] = field(default_factory=list)
    appinfo: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class EnumValue:
    """An ``xs:enumeration`` with its optional integer code."""

    value: str
    code: int | None = None
    docs: list[str] = field(default_factory=list)


@dataclass
class ComplexType:
    """An ``xs:complexType``: a sequence, optionally as extension of a base type."""

    name: str
    elements: list[Element] = field(default_factory=list)
    abstract: bool = False
    base: str | None = None
    has_sequence: bool = True
    docs: list[str] = field(default_factory=list)

    def is_array_wrapper(self) -> bool:
        """True for ``ArrayOfX`` wrappers (never document roots in the 2021 edition)."""
        return self.name.startswith("ArrayOf")


@dataclass
class SimpleType:
    """An ``xs:simpleType`` restricting xs:string by enumeration or pattern."""

    name: str
    values: list[EnumValue] = field(default_factory=list)
    pattern: str | None = None
    docs: list[str] = field(default_factory=list)


XsdType = ComplexType | SimpleType


@dataclass
class GlobalElement:
    """A top-level ``xs:element`` (a document root)."""

    name: str
    type: str


@dataclass
class Import:
    """The ``xs:import`` of a namespace without location."""

    namespace: str


Item = GlobalElement | ComplexType | SimpleType | Import


@dataclass
class Schema:
    """The schema being built: 2021 items in order plus the types added to them."""

    items: list[Item]
    types: dict[str, XsdType]
    new_types: dict[str, XsdType] = field(default_factory=dict)

    def add_type(self, xsd_type: XsdType) -> None:
        """Register a type that the 2021 edition does not have."""
        if xsd_type.name in self.types:
            raise ValueError(f"type {xsd_type.name} defined twice")
        self.types[xsd_type.name] = xsd_type
        self.new_types[xsd_type.name] = xsd_type

    def global_elements(self) -> dict[str, GlobalElement]:
        """The top-level elements by name."""
        return {item.name: item for item in self.items if isinstance(item, GlobalElement)}


# --------------------------------------------------------------------------------------------
# Reading the 2021 XSD
# --------------------------------------------------------------------------------------------


def read_element(node: etree._Element) -> Element:
    """Read a sequence ``xs:element``."""
    return Element(
        name=node.get("name", ""),
        type=node.get("type"),
        min_occurs=node.get("minOccurs", "1"),
        max_occurs=node.get("maxOccurs", "1"),
        nillable=node.get("nillable") == "true",
    )


def read_complex_type(node: etree._Element) -> ComplexType:
    """Read a complexType (plain sequence or complexContent extension)."""
    result = ComplexType(name=node.get("name", ""), abstract=node.get("abstract") == "true")
    extension = node.find(f"{XS}complexContent/{XS}extension")
    holder = node
    if extension is not None:
        result.base = extension.get("base")
        holder = extension
    sequence = holder.find(f"{XS}sequence")
    result.has_sequence = sequence is not None
    if sequence is not None:
        result.elements = [read_element(e) for e in sequence.findall(f"{XS}element")]
    return result


def read_simple_type(node: etree._Element) -> SimpleType:
    """Read an enumeration or pattern simpleType."""
    restriction = node.find(f"{XS}restriction")
    if restriction is None or restriction.get("base") != "xs:string":
        raise ValueError(f"unexpected simpleType {node.get('name')}")
    pattern = restriction.find(f"{XS}pattern")
    return SimpleType(
        name=node.get("name", ""),
        values=[EnumValue(e.get("value", "")) for e in restriction.findall(f"{XS}enumeration")],
        pattern=None if pattern is None else pattern.get("value"),
    )


def read_item(node: etree._Element) -> Item:
    """Read one top-level child of xs:schema."""
    if node.tag == f"{XS}import":
        return Import(node.get("namespace", ""))
    if node.tag == f"{XS}element":
        return GlobalElement(node.get("name", ""), node.get("type", ""))
    if node.tag == f"{XS}complexType":
        return read_complex_type(node)
    if node.tag == f"{XS}simpleType":
        return read_simple_type(node)
    raise ValueError(f"unexpected top-level node {node.tag}")


def read_2021(path: Path) -> Schema:
    """Read the 2021 XSD as an ordered list of items."""
    root = etree.parse(str(path)).getroot()
    items = [read_item(node) for node in root if isinstance(node.tag, str)]
    types: dict[str, XsdType] = {
        item.name: item for item in items if isinstance(item, ComplexType | SimpleType)
    }
    return Schema(items=items, types=types)


# --------------------------------------------------------------------------------------------
# Reading the JSON schemas
# --------------------------------------------------------------------------------------------


def load_json_models(directory: Path) -> dict[str, JsonObject]:
    """All JSON models by JSON name: each file (named by its file name) and its definitions."""
    models: dict[str, JsonObject] = {}
    for path in sorted(directory.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        own = {k: v for k, v in document.items() if k not in ("$schema", "title", "definitions")}
        entries = [(path.stem, own), *document.get("definitions", {}).items()]
        for name, schema in entries:
            if name in models and models[name] != schema:
                raise ValueError(f"model {name} defined differently in {path.name}")
            models.setdefault(name, schema)
    return models


def json_kind(schema: JsonObject) -> str:
    """Classify a JSON model as 'enum', 'list' or 'object'."""
    if "x-enumNames" in schema:
        return "enum"
    if schema.get("type") == "array" or "allOf" in schema:
        return "list"
    if schema.get("type") == "object":
        return "object"
    raise ValueError(f"unknown JSON model shape: {sorted(schema)}")


def ref_name(ref: str) -> str:
    """``#/definitions/DebtorView`` -> ``DebtorView``."""
    return ref.rsplit("/", 1)[-1]


def list_item_ref(schema: JsonObject) -> str:
    """The JSON name of a list model's items (``type: array`` or ``allOf`` of an array)."""
    array = schema if schema.get("type") == "array" else schema["allOf"][0]
    if array.get("type") != "array":
        raise ValueError("allOf list model without a leading array")
    return ref_name(array["items"]["$ref"])


def json_types(prop: JsonObject) -> list[str]:
    """The JSON ``type`` of a property as a list."""
    value = prop.get("type", [])
    return list(value) if isinstance(value, list) else [value]


SCALAR_TYPES = {
    ("integer", "int32"): "xs:int",
    ("integer", "int64"): "xs:long",
    ("number", "double"): "xs:double",
    ("boolean", None): "xs:boolean",
    ("string", "date-time"): "xs:dateTime",
    ("string", GUID): GUID,
}
REFERENCE_SCALARS = {("string", None): "xs:string", ("string", "byte"): "xs:base64Binary"}
ARRAY_OF_SCALAR = {None: "ArrayOfString", GUID: "ArrayOfGuid", "byte": "ArrayOfBase64Binary"}


class JsonFacts:
    """Turns JSON model facts into XSD types following the README's occurrence rules."""

    def __init__(self, models: dict[str, JsonObject]) -> None:
        self.models = models
        names: dict[str, str] = {}
        for json_name in models:
            xsd_name = model_name(json_name)
            if names.setdefault(xsd_name, json_name) != json_name:
                raise ValueError(f"{json_name} and {names[xsd_name]} both map to {xsd_name}")

    def is_enum(self, json_name: str) -> bool:
        """True when the JSON model is an enum."""
        return json_kind(self.models[json_name]) == "enum"

    def ref_element(self, name: str, target: str, nullable: bool) -> Element:
        """Element for a ``$ref`` property: enums are value types, objects references."""
        if self.is_enum(target):
            return Element(name, model_name(target), "1", nillable=nullable)
        return Element(name, model_name(target), "0")

    def array_type(self, items: JsonObject) -> str:
        """Wrapper type name of an array property (``ArrayOfX``)."""
        if "$ref" in items:
            return "ArrayOf" + model_name(ref_name(items["$ref"]))
        return ARRAY_OF_SCALAR[items.get("format")]

    def element(self, name: str, prop: JsonObject) -> Element:
        """The XSD element of one JSON property."""
        if "oneOf" in prop:
            refs = [option["$ref"] for option in prop["oneOf"] if "$ref" in option]
            nullable = any(option.get("type") == "null" for option in prop["oneOf"])
            result = self.ref_element(name, ref_name(refs[0]), nullable)
        elif "$ref" in prop:
            result = self.ref_element(name, ref_name(prop["$ref"]), False)
        else:
            result = self.scalar_element(name, prop)
        description = prop.get("description", "").strip()
        if description:
            result.docs.append(description)
        return result

    def scalar_element(self, name: str, prop: JsonObject) -> Element:
        """Element for a property with a JSON ``type``."""
        types = json_types(prop)
        nullable = "null" in types
        base = next(t for t in types if t != "null")
        if base == "array":
            return Element(name, self.array_type(prop["items"]), "0")
        key = (base, prop.get("format"))
        if key in REFERENCE_SCALARS:
            return Element(name, REFERENCE_SCALARS[key], "0")
        if key not in SCALAR_TYPES:
            raise ValueError(f"property {name}: unsupported JSON type/format {key}")
        return Element(name, SCALAR_TYPES[key], "1", nillable=nullable)

    def object_elements(self, schema: JsonObject) -> list[Element]:
        """Elements of an object model in JSON property order."""
        return [self.element(name, prop) for name, prop in schema.get("properties", {}).items()]

    def enum_values(self, schema: JsonObject) -> list[EnumValue]:
        """Enum values with integer codes (string enums have no codes)."""
        return [EnumValue(value, code) for value, code in json_enum_codes(schema)]

    def enum_items(self, target: str) -> bool:
        """True when an ``ArrayOfX`` item type is an enum (items are then not nillable)."""
        return target in self.models and self.is_enum(target)


# --------------------------------------------------------------------------------------------
# Merging
# --------------------------------------------------------------------------------------------


def merge_order(new_order: Sequence[str], old_order: Sequence[str]) -> list[str]:
    """JSON property order, with names only in the 2021 order kept at their relative place."""
    result = list(new_order)
    for index, name in enumerate(old_order):
        if name in result:
            continue
        position = result.index(old_order[index - 1]) + 1 if index else 0
        result.insert(position, name)
    return result


@dataclass
class MergeStats:
    """Counters for the README and the command's summary."""

    fields_added: int = 0
    fields_changed: list[str] = field(default_factory=list)
    enum_values_added: int = 0

    def summary(self) -> str:
        """One-line summary."""
        changed = ", ".join(self.fields_changed) or "none"
        return (
            f"fields added to 2021 types: {self.fields_added}; "
            f"enum values added to 2021 enums: {self.enum_values_added}; "
            f"2021 fields changed by the JSON schemas: {changed}"
        )


def merge_object(target: ComplexType, elements: list[Element], stats: MergeStats) -> None:
    """Merge JSON elements into an existing 2021 complexType (JSON wins on type/occurrence)."""
    old = {e.name: e for e in target.elements}
    new = {e.name: e for e in elements}
    merged: list[Element] = []
    for name in merge_order(list(new), list(old)):
        if name not in new:
            merged.append(old[name])
            continue
        element = new[name]
        before = old.get(name)
        if before is None:
            stats.fields_added += 1
        elif (before.type, before.min_occurs, before.nillable) != (
            element.type,
            element.min_occurs,
            element.nillable,
        ):
            stats.fields_changed.append(f"{target.name}/{name}: {before.type} -> {element.type}")
        merged.append(element)
    target.elements = merged


def merge_enum(target: SimpleType, values: list[EnumValue], stats: MergeStats) -> None:
    """Add JSON enum values after the 2021 ones and attach the integer codes."""
    codes = {v.value: v.code for v in values}
    known = {v.value for v in target.values}
    for value in target.values:
        value.code = codes.get(value.value)
    for value in values:
        if value.value not in known:
            target.values.append(EnumValue(value.value, value.code))
            stats.enum_values_added += 1


def list_type(name: str, item: str) -> ComplexType:
    """A top-level list model: a sequence of nillable item elements."""
    return ComplexType(name, [Element(item, item, "0", "unbounded", nillable=True)])


def array_wrapper(name: str, item_type: str, item_is_enum: bool) -> ComplexType:
    """An ``ArrayOfX`` wrapper shaped like XmlSerializer's (see ArrayOfString, ArrayOfGuid)."""
    scalar_items = {
        "ArrayOfString": Element("string", "xs:string", "0", "unbounded", nillable=True),
        "ArrayOfGuid": Element(GUID, GUID, "0", "unbounded"),
        "ArrayOfBase64Binary": Element(
            "base64Binary", "xs:base64Binary", "0", "unbounded", nillable=True
        ),
    }
    if name in scalar_items:
        return ComplexType(name, [scalar_items[name]])
    return ComplexType(name, [Element(item_type, item_type, "0", "unbounded", not item_is_enum)])


def apply_json_model(
    schema: Schema, facts: JsonFacts, json_name: str, stats: MergeStats
) -> XsdType:
    """Create or merge the XSD type of one JSON model."""
    model = facts.models[json_name]
    name = model_name(json_name)
    kind = json_kind(model)
    existing = schema.types.get(name)
    if kind == "enum":
        values = facts.enum_values(model)
        if existing is None:
            schema.add_type(SimpleType(name, values))
        elif isinstance(existing, SimpleType):
            merge_enum(existing, values, stats)
        else:
            raise ValueError(f"{name}: enum in JSON, complexType in 2021")
    elif kind == "list":
        item = model_name(list_item_ref(model))
        if existing is None:
            schema.add_type(list_type(name, item))
        elif not isinstance(existing, ComplexType) or [e.type for e in existing.elements] != [item]:
            raise ValueError(f"{name}: 2021 list type does not hold {item}")
    else:
        elements = facts.object_elements(model)
        if existing is None:
            schema.add_type(ComplexType(name, elements))
        elif isinstance(existing, ComplexType):
            merge_object(existing, elements, stats)
        else:
            raise ValueError(f"{name}: object in JSON, simpleType in 2021")
    return schema.types[name]


def ensure_array_wrappers(schema: Schema, facts: JsonFacts) -> None:
    """Define every ``ArrayOfX`` that an element refers to but no source defines."""
    json_by_xsd = {model_name(n): n for n in facts.models}
    for xsd_type in list(schema.types.values()):
        if not isinstance(xsd_type, ComplexType):
            continue
        for element in xsd_type.elements:
            array = element.type or ""
            if array.startswith("ArrayOf") and array not in schema.types:
                item = array[len("ArrayOf") :]
                json_name = json_by_xsd.get(item, "")
                schema.add_type(array_wrapper(array, item, facts.enum_items(json_name)))


# --------------------------------------------------------------------------------------------
# Designed models (named by the API reference, defined by neither source)
# --------------------------------------------------------------------------------------------


def designed_types() -> list[XsdType]:
    """The five designed request/response models and their helper types.

    Each field's basis is documented in schema/README.md.
    """
    return [
        ComplexType(
            "BankIdPhoneAuthenticationRequest",
            [
                Element("CreditorPublicId", GUID, "1", docs=["Creditor whose BankID is used."]),
                Element("SSN", "xs:string", docs=["Personal identity number of the caller."]),
                Element(
                    "CallInitiator",
                    "BankIdCallInitiatorType",
                    "1",
                    docs=["Who started the phone call."],
                ),
            ],
            docs=["BankID authentication of a person during a phone call."],
        ),
        SimpleType(
            "BankIdCallInitiatorType",
            [
                EnumValue("User", docs=["The person called the creditor."]),
                EnumValue("RP", docs=["The creditor (relying party) called the person."]),
            ],
            docs=["Who initiated the phone call of a BankID phone authentication."],
        ),
        ComplexType(
            "CreditorAddonCategory",
            [Element("Category", "xs:string", docs=["Addon category; empty lists all addons."])],
            docs=["Filter for the list of a creditor's addons."],
        ),
        ComplexType(
            "CreditorAddons",
            [Element("CreditorAddon", "CreditorAddon", "0", "unbounded", nillable=True)],
            docs=["The addons available to a creditor."],
        ),
        ComplexType(
            "CreditorAddon",
            [
                Element("Name", "xs:string", docs=["Name of the addon."]),
                Element("Category", "xs:string", docs=["Category of the addon."]),
                Element("IsActive", "xs:boolean", "1", docs=["The addon is active."]),
            ],
            docs=["An addon and whether it is active for the creditor."],
        ),
        ComplexType(
            "DebtorsToMatchWithKivra",
            [Element("DebtorPublicIds", "ArrayOfGuid", docs=["Debtors to check."])],
            docs=["Debtors to check for Kivra delivery."],
        ),
        ComplexType(
            "DebtorsKivraStatus",
            [
                Element(
                    "Debtors",
                    "ArrayOfDebtorKivraStatus",
                    docs=["The requested debtors with their Kivra status."],
                )
            ],
            docs=["Kivra status of the requested debtors."],
        ),
        ComplexType(
            "DebtorKivraStatus",
            [
                Element("DebtorPublicId", GUID, "1", docs=["The debtor."]),
                Element(
                    "IsKivraEnabled",
                    "xs:boolean",
                    "1",
                    docs=["The debtor can receive content from the creditor through Kivra."],
                ),
            ],
            docs=["Kivra status of one debtor."],
        ),
        array_wrapper("ArrayOfDebtorKivraStatus", "DebtorKivraStatus", False),
    ]


def add_designed_types(schema: Schema) -> list[str]:
    """Add the designed types; a type the base XSD already defines wins (names returned)."""
    superseded = []
    for xsd_type in designed_types():
        if xsd_type.name in schema.types:
            superseded.append(xsd_type.name)
            continue
        xsd_type.docs.append(DESIGNED_NOTE)
        schema.add_type(xsd_type)
    return superseded


DESIGNED_NOTE = "Designed by this project from the API reference; no Billecta schema defines it."
DESIGNED_ROOTS = (
    "BankIdPhoneAuthenticationRequest",
    "CreditorAddonCategory",
    "CreditorAddons",
    "DebtorsToMatchWithKivra",
    "DebtorsKivraStatus",
)

# --------------------------------------------------------------------------------------------
# Documentation from the guide (written here, based on billecta-get-started.txt)
# --------------------------------------------------------------------------------------------

TYPE_DOCS = {
    "Amount": "Money amount: a currency code and a value in the currency's minor unit.",
    "File": "Reference to a stored file with its metadata.",
    "InvoiceActionStageType": (
        "Stage of an invoice. Verification invoices only use Created, Attested and Completed."
    ),
    "ReconciliationInvoiceActionStageType": "Stage of a reconciliation invoice.",
    "SelfInvoiceActionStageType": "Stage of a self invoice.",
    "IntermediatorType": "E-invoice intermediator the debtor receives e-invoices through (B2B).",
    "EInvoiceBankType": "Bank where the debtor receives e-invoices (B2C and B2B).",
}

ELEMENT_DOCS = {
    ("Amount", "Value"): (
        "Value in the currency's minor unit: 50034 is 500.34 SEK. The number of decimals "
        "depends on the currency (GET /v1/common/currencies)."
    ),
    ("Amount", "ValueForView"): "Read-only value for display. Leave it out in requests.",
    ("File", "Data"): (
        "File content. Never filled in when files are listed; download it with "
        "GET /v1/files/file/{id}."
    ),
}

READ_ONLY_ELEMENTS = (("Amount", "ValueForView"),)

_DONE = "no further actions are possible."
ENUM_DOCS = {
    "InvoiceActionStageType": {
        "Created": "Draft; the only stage in which the invoice can be deleted.",
        "Attested": "Approved and booked; the invoice can no longer be deleted.",
        "InvoiceSent": "Sent with the chosen delivery method.",
        "ReminderInvoiceSent": "Overdue; a reminder invoice has been sent.",
        "SentToDebtCollection": "Overdue; handed over to debt collection.",
        "SalesRequested": "Offered for sale to a financier; no answer yet.",
        "SalesRequestedDenied": "The financier declined to buy the invoice.",
        "SaleRequestAccepted": "The financier bought the invoice (the guide calls this Sold).",
        "SalesRequestedCancelled": "The financier accepted the sale, then cancelled it.",
        "Completed": "Paid or credited and closed; " + _DONE,
    },
    "ReconciliationInvoiceActionStageType": {
        "InvoiceSent": "Created and marked as sent.",
        "SentToDebtCollection": "Overdue; handed over to debt collection.",
        "Completed": "Paid or credited and closed; " + _DONE,
    },
    "SelfInvoiceActionStageType": {
        "Created": "Draft; the only stage in which the self invoice can be deleted.",
        "Attested": "Approved and booked; the self invoice can no longer be deleted.",
        "InvoiceSent": "Sent with the chosen delivery method.",
        "PaymentSent": "Payment sent; the bank has not confirmed it yet.",
        "PaymentCancelled": "Payment cancelled by the user or the bank.",
        "Completed": "Paid; " + _DONE,
        "Cancelled": "Cancelled and fully credited; " + _DONE,
    },
}

GUIDE_TABLES = {
    "E-invoice intermediators": "IntermediatorType",
    "E-invoice banks": "EInvoiceBankType",
}
GUIDE_TABLE_HEADER = "Enum name Description"


def guide_table(lines: Sequence[str], title: str) -> dict[str, str]:
    """Read a two-column 'Enum name Description' table that follows a guide heading."""
    start = lines.index(title)
    header = lines.index(GUIDE_TABLE_HEADER, start)
    rows: dict[str, str] = {}
    for line in lines[header + 1 :]:
        if not line.strip():
            break
        name, _, description = line.strip().partition(" ")
        rows[name] = description.strip()
    if not rows:
        raise ValueError(f"empty guide table {title!r}")
    return rows


def guide_enum_docs(guide_text: str) -> dict[str, dict[str, str]]:
    """Enum value documentation: stage texts plus the guide's e-invoice tables."""
    lines = guide_text.replace("\r\n", "\n").split("\n")
    docs = {name: dict(values) for name, values in ENUM_DOCS.items()}
    for title, enum_name in GUIDE_TABLES.items():
        docs[enum_name] = {k: v + "." for k, v in guide_table(lines, title).items()}
    return docs


def apply_guide_docs(schema: Schema, guide_text: str) -> None:
    """Attach the guide-based documentation and the read-only flag."""
    for type_name, text in TYPE_DOCS.items():
        schema.types[type_name].docs.append(text)
    for (type_name, element_name), text in ELEMENT_DOCS.items():
        find_element(schema, type_name, element_name).docs.append(text)
    for type_name, element_name in READ_ONLY_ELEMENTS:
        find_element(schema, type_name, element_name).appinfo.append((READ_ONLY_SOURCE, "true"))
    for enum_name, value_docs in guide_enum_docs(guide_text).items():
        enum = schema.types[enum_name]
        if not isinstance(enum, SimpleType):
            raise ValueError(f"{enum_name} is not an enum")
        by_value = {v.value: v for v in enum.values}
        for value, text in value_docs.items():
            if value not in by_value:
                raise ValueError(f"guide documents unknown value {enum_name}.{value}")
            by_value[value].docs.append(text)


# --------------------------------------------------------------------------------------------
# Webhook events from the guide's events table
# --------------------------------------------------------------------------------------------

WEBHOOK_ENUM = "WebhookTriggerType"
GUIDE_EVENTS_HEADER = "Event descriptionEvent typeData typeAdditional Data type"
GUIDE_NOTHING = "[Nothing]"
GUIDE_STRING = re.compile(r"string(?: \((\w+)\))?$")


@dataclass(frozen=True)
class GuideEvent:
    """One row of the guide's webhook events table.

    ``data`` and ``additional_data`` are an XSD type name, ``"string"`` (``string_of`` names the
    id it holds, when the guide says) or None for the guide's ``[Nothing]``.
    """

    event: str
    description: str
    data: str | None
    additional_data: str | None
    data_string_of: str | None = None
    additional_string_of: str | None = None


def _payload_suffix(text: str, type_names: set[str]) -> tuple[str, str | None, str | None]:
    """Split the payload type off the end of ``text``: (rest, type, id a string holds).

    The guide's columns run together (``InvoiceActionUpdatedInvoiceActionView``), so a model is
    the longest ``...View`` suffix naming a schema type.
    """
    text = text.rstrip()
    if text.endswith(GUIDE_NOTHING):
        return text[: -len(GUIDE_NOTHING)], None, None
    string = GUIDE_STRING.search(text)
    if string:
        return text[: string.start()], "string", string.group(1)
    for start in range(len(text)):
        candidate = text[start:]
        named = model_name(candidate)
        if candidate[:1].isupper() and candidate.endswith("View") and named in type_names:
            return text[:start], named, None
    raise ValueError(f"guide events table: no payload type at the end of {text!r}")


def guide_webhook_events(guide_text: str, type_names: set[str]) -> list[GuideEvent]:
    """The guide's webhook events table: event type, description, Data and AdditionalData."""
    lines = guide_text.replace("\r\n", "\n").split("\n")
    events: list[GuideEvent] = []
    for line in lines[lines.index(GUIDE_EVENTS_HEADER) + 1 :]:
        if not line.strip() or not line[:1].isupper() or "?" in line:
            break
        rest, additional, additional_of = _payload_suffix(line, type_names)
        rest, data, data_of = _payload_suffix(rest, type_names)
        match = re.search(r"[A-Z][A-Za-z]*$", rest.rstrip())
        if match is None:
            raise ValueError(f"guide events table: no event type in {line!r}")
        event = match.group(0)
        description = rest.rstrip()[: match.start()].strip()
        events.append(GuideEvent(event, description, data, additional, data_of, additional_of))
    names = [e.event for e in events]
    if not events or len(set(names)) != len(names):
        raise ValueError(f"guide events table: empty or with repeated events: {names}")
    return events


def _payload_doc(kind: str | None, string_of: str | None) -> str:
    if kind is None:
        return "none"
    if string_of:
        return f"the {string_of} (string)"
    return kind


def apply_guide_webhook_events(schema: Schema, guide_text: str) -> list[str]:
    """Add the guide's webhook events the 2021 ``WebhookTriggerType`` lacks (after its values,
    without integer codes: no source gives any) and document every event's Data and
    AdditionalData. Returns the added events."""
    enum = schema.types[WEBHOOK_ENUM]
    if not isinstance(enum, SimpleType):
        raise ValueError(f"{WEBHOOK_ENUM} is not an enum")
    events = guide_webhook_events(guide_text, set(schema.types))
    by_value = {v.value: v for v in enum.values}
    added: list[str] = []
    for event in events:
        value = by_value.get(event.event)
        if value is None:
            value = EnumValue(event.event)
            enum.values.append(value)
            added.append(event.event)
        data = _payload_doc(event.data, event.data_string_of)
        doc = f"{event.description}. Data: {data}."
        if event.additional_data is not None:
            extra = _payload_doc(event.additional_data, event.additional_string_of)
            doc += f" AdditionalData: {extra}."
        if value.value in added:
            doc += " From the guide's events table (not in the 2021 XSD)."
        value.docs.append(doc)
    not_events = [v.value for v in enum.values if v.value not in {e.event for e in events}]
    enum.docs.append(
        "Webhook event types: the Event of a WebhookEvent and the triggers of a "
        "WebhookSetting. Each value's documentation gives the type of the event's Data and "
        f"AdditionalData, from the events table of Billecta's get-started guide ({len(events)} "
        f"events); {len(added)} of them are not in the 2021 XSD and follow its values. "
        f"Not an event: {', '.join(not_events) or 'none'}. No source gives integer codes for "
        "this enum."
    )
    return added


def find_element(schema: Schema, type_name: str, element_name: str) -> Element:
    """The element of a complexType by name (fails loudly)."""
    xsd_type = schema.types[type_name]
    if isinstance(xsd_type, ComplexType):
        for element in xsd_type.elements:
            if element.name == element_name:
                return element
    raise ValueError(f"no element {type_name}/{element_name}")


# --------------------------------------------------------------------------------------------
# Endpoint models and global elements
# --------------------------------------------------------------------------------------------

MAX_LISTED_ENDPOINTS = 3


def endpoint_usage(endpoints: Iterable[dict[str, Any]]) -> dict[str, dict[str, list[str]]]:
    """Model name -> {'Request'/'Response': ['METHOD /path', ...]} in reference order."""
    usage: dict[str, dict[str, list[str]]] = {}
    for endpoint in endpoints:
        for role in ("Request", "Response"):
            ref = endpoint[role.lower()]
            if ref is None or ref["model"] is None:
                continue
            calls = usage.setdefault(ref["model"], {}).setdefault(role, [])
            call = f"{endpoint['method']} {endpoint['path']}"
            if call not in calls:
                calls.append(call)
    return usage


def usage_sentence(role: str, calls: Sequence[str]) -> str:
    """'Request of PUT /v1/x.' or 'Response of A, B, C and 4 more endpoints.'"""
    listed = list(calls[:MAX_LISTED_ENDPOINTS])
    rest = len(calls) - len(listed)
    if rest:
        return f"{role} of {', '.join(listed)} and {rest} more endpoints."
    if len(listed) > 1:
        return f"{role} of {', '.join(listed[:-1])} and {listed[-1]}."
    return f"{role} of {listed[0]}."


def apply_endpoint_models(schema: Schema, endpoints: Sequence[dict[str, Any]]) -> list[str]:
    """Make sure every endpoint model exists and document its usage; return the model names."""
    usage = endpoint_usage(endpoints)
    for model, roles in usage.items():
        if model not in schema.types and model.startswith("ArrayOf"):
            item = model[len("ArrayOf") :]
            schema.add_type(array_wrapper(model, item, isinstance(schema.types[item], SimpleType)))
        if model not in schema.types:
            raise ValueError(f"endpoint model {model} is defined by no source")
        sentences = [usage_sentence(role, calls) for role, calls in sorted(roles.items())]
        schema.types[model].docs.append(" ".join(sentences))
    return list(usage)


def needs_global_element(xsd_type: XsdType, roots: set[str]) -> bool:
    """2021 convention: every non-abstract type except ArrayOf wrappers and guid is a root."""
    if xsd_type.name in roots:
        return True
    if isinstance(xsd_type, SimpleType):
        return xsd_type.pattern is None
    return not xsd_type.abstract and not xsd_type.is_array_wrapper()


def retarget_global_elements(schema: Schema) -> list[str]:
    """Point 2021 elements named like a type at that type (e.g. Products -> Products)."""
    changed = []
    for element in schema.global_elements().values():
        if element.name in schema.types and element.type != element.name:
            changed.append(f"{element.name}: {element.type} -> {element.name}")
            element.type = element.name
    return changed


# --------------------------------------------------------------------------------------------
# Ordering new types and laying out the document
# --------------------------------------------------------------------------------------------


def referenced_types(xsd_type: XsdType) -> list[str]:
    """Types a type refers to, in document order."""
    if isinstance(xsd_type, SimpleType):
        return []
    names = [xsd_type.base] if xsd_type.base else []
    return names + [e.type for e in xsd_type.elements if e.type is not None]


def new_type_order(schema: Schema, roots: Iterable[str]) -> list[str]:
    """Depth-first pre-order of new types from the roots (like XmlSerializer's export)."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in schema.types:
            return
        seen.add(name)
        if name in schema.new_types:
            order.append(name)
        for child in referenced_types(schema.types[name]):
            visit(child)

    for root in roots:
        visit(root)
    order.extend(sorted(set(schema.new_types) - set(order)))
    return order


def layout(schema: Schema, roots: Iterable[str], endpoint_models: set[str]) -> list[Item]:
    """Final item order: 2021 items (guid last), then new types, each after its element."""
    existing = schema.global_elements()
    items: list[Item] = []
    footer: list[Item] = []
    for item in schema.items:
        if isinstance(item, SimpleType) and item.pattern is not None:
            footer.append(item)
            continue
        if isinstance(item, ComplexType | SimpleType):
            items.extend(missing_element(item, existing, endpoint_models))
        items.append(item)
    for name in new_type_order(schema, roots):
        xsd_type = schema.new_types[name]
        items.extend(missing_element(xsd_type, existing, endpoint_models))
        items.append(xsd_type)
    return items + footer


def missing_element(
    xsd_type: XsdType, existing: dict[str, GlobalElement], roots: set[str]
) -> list[GlobalElement]:
    """The global element a type still needs (placed right before the type)."""
    if xsd_type.name in existing or not needs_global_element(xsd_type, roots):
        return []
    element = GlobalElement(xsd_type.name, xsd_type.name)
    existing[element.name] = element
    return [element]


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


def attr(value: str) -> str:
    """Escape an attribute value for double quotes."""
    return escape(value, {'"': "&quot;"})


def annotation(docs: Sequence[str], appinfo: Sequence[tuple[str, str]], depth: int) -> list[str]:
    """An xs:annotation block (documentation first, then appinfo), or nothing."""
    if not docs and not appinfo:
        return []
    pad = INDENT * depth
    lines = [f"{pad}<xs:annotation>"]
    if docs:
        lines.append(f"{pad}{INDENT}<xs:documentation>{escape(' '.join(docs))}</xs:documentation>")
    for source, text in appinfo:
        lines.append(
            f'{pad}{INDENT}<xs:appinfo source="{attr(source)}">{escape(text)}</xs:appinfo>'
        )
    lines.append(f"{pad}</xs:annotation>")
    return lines


def wrap(opening: str, body: list[str], closing: str, depth: int) -> list[str]:
    """A start tag, body lines and end tag; self-closing when the body is empty."""
    pad = INDENT * depth
    if not body:
        return [f"{pad}<{opening} />"]
    return [f"{pad}<{opening}>", *body, f"{pad}</{closing}>"]


def render_element(element: Element, depth: int) -> list[str]:
    """A sequence element in the 2021 attribute order."""
    nillable = ' nillable="true"' if element.nillable else ""
    type_ = "" if element.type is None else f' type="{attr(element.type)}"'
    opening = (
        f'xs:element minOccurs="{element.min_occurs}" maxOccurs="{element.max_occurs}" '
        f'name="{attr(element.name)}"{nillable}{type_}'
    )
    body = annotation(element.docs, element.appinfo, depth + 1)
    return wrap(opening, body, "xs:element", depth)


def render_sequence(xsd_type: ComplexType, depth: int) -> list[str]:
    """The xs:sequence of a complexType (nothing when the type has none)."""
    if not xsd_type.has_sequence:
        return []
    body = [line for e in xsd_type.elements for line in render_element(e, depth + 1)]
    return wrap("xs:sequence", body, "xs:sequence", depth)


def render_complex_type(xsd_type: ComplexType, depth: int) -> list[str]:
    """A complexType, with complexContent extension when it has a base."""
    abstract = ' abstract="true"' if xsd_type.abstract else ""
    body = annotation(xsd_type.docs, [], depth + 1)
    if xsd_type.base:
        extension = wrap(
            f'xs:extension base="{attr(xsd_type.base)}"',
            render_sequence(xsd_type, depth + 3),
            "xs:extension",
            depth + 2,
        )
        body += wrap('xs:complexContent mixed="false"', extension, "xs:complexContent", depth + 1)
    else:
        body += render_sequence(xsd_type, depth + 1)
    return wrap(
        f'xs:complexType name="{attr(xsd_type.name)}"{abstract}', body, "xs:complexType", depth
    )


def render_enum_value(value: EnumValue, depth: int) -> list[str]:
    """An xs:enumeration with documentation and code appinfo."""
    appinfo = [] if value.code is None else [(ENUM_CODE_SOURCE, str(value.code))]
    body = annotation(value.docs, appinfo, depth + 1)
    return wrap(f'xs:enumeration value="{attr(value.value)}"', body, "xs:enumeration", depth)


def render_simple_type(xsd_type: SimpleType, depth: int) -> list[str]:
    """An enumeration (or pattern) restriction of xs:string."""
    facets: list[str] = []
    if xsd_type.pattern is not None:
        facets.append(f'{INDENT * (depth + 2)}<xs:pattern value="{attr(xsd_type.pattern)}" />')
    for value in xsd_type.values:
        facets += render_enum_value(value, depth + 2)
    body = annotation(xsd_type.docs, [], depth + 1)
    body += wrap('xs:restriction base="xs:string"', facets, "xs:restriction", depth + 1)
    return wrap(f'xs:simpleType name="{attr(xsd_type.name)}"', body, "xs:simpleType", depth)


def render_item(item: Item) -> list[str]:
    """One top-level item."""
    if isinstance(item, Import):
        return [f'{INDENT}<xs:import namespace="{attr(item.namespace)}" />']
    if isinstance(item, GlobalElement):
        name, type_ = attr(item.name), attr(item.type)
        return [f'{INDENT}<xs:element name="{name}" nillable="true" type="{type_}" />']
    if isinstance(item, ComplexType):
        return render_complex_type(item, 1)
    return render_simple_type(item, 1)


def render(items: Iterable[Item]) -> str:
    """The whole document."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<xs:schema elementFormDefault="qualified" xmlns:xs="{XS_NS}">',
    ]
    for item in items:
        lines.extend(render_item(item))
    lines.append("</xs:schema>")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

BUILTIN_TYPES = frozenset(
    {"xs:string", "xs:int", "xs:long", "xs:double", "xs:boolean", "xs:dateTime", "xs:base64Binary"}
)


def undefined_types(root: etree._Element) -> list[str]:
    """Type names referenced in the document but not defined in it."""
    defined = {
        node.get("name") for node in root if node.tag in (f"{XS}complexType", f"{XS}simpleType")
    }
    used = {node.get("type") for node in root.iter(f"{XS}element")}
    used |= {node.get("base") for node in root.iter(f"{XS}extension", f"{XS}restriction")}
    return sorted(repr(name) for name in used - defined - BUILTIN_TYPES if name is not None)


def validate(data: bytes, location: Path) -> None:
    """Well-formed, every type defined, and parsable by xsdata."""
    from xsdata.codegen.parsers.schema import SchemaParser
    from xsdata.models.xsd import Schema as XsdSchema

    root = etree.fromstring(data)
    missing = undefined_types(root)
    if missing:
        raise ValueError(f"undefined types: {missing}")
    SchemaParser(location=location.resolve().as_uri()).from_bytes(data, XsdSchema)


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------


@dataclass
class BuildResult:
    """The generated document and a summary of what was added."""

    text: str
    summary: list[str]


def build(reference: Path, base_xsd: Path | None = None) -> BuildResult:
    """Build the schema text from the reference directory (base: the 2021 XSD by default)."""
    schema = read_2021(base_xsd or reference / XSD_2021)
    types_2021 = set(schema.types)
    facts = JsonFacts(load_json_models(reference / JSON_DIR))
    stats = MergeStats()
    for json_name in facts.models:
        apply_json_model(schema, facts, json_name, stats)
    superseded = add_designed_types(schema)
    ensure_array_wrappers(schema, facts)
    endpoints = parse_reference((reference / API_REFERENCE).read_text(encoding="utf-8"))
    endpoint_models = apply_endpoint_models(schema, endpoints)
    guide = (reference / GET_STARTED).read_text(encoding="utf-8")
    apply_guide_docs(schema, guide)
    events_added = apply_guide_webhook_events(schema, guide)
    retargeted = retarget_global_elements(schema)
    json_roots = [model_name(path.stem) for path in sorted((reference / JSON_DIR).glob("*.json"))]
    roots = [*json_roots, *DESIGNED_ROOTS, *endpoint_models]
    items = layout(schema, roots, set(endpoint_models))
    summary = summarise(schema, types_2021, items, stats, retargeted)
    summary.append(f"designed types defined by the base XSD instead: {superseded or 'none'}")
    summary.append(
        f"webhook events added from the guide to {WEBHOOK_ENUM}: {len(events_added)} "
        f"({', '.join(events_added) or 'none'})"
    )
    return BuildResult(render(items), summary)


def summarise(
    schema: Schema,
    types_2021: set[str],
    items: Sequence[Item],
    stats: MergeStats,
    retargeted: Sequence[str],
) -> list[str]:
    """Human-readable counts of what the build added beyond the 2021 edition."""
    new = [schema.types[n] for n in schema.new_types]
    new_enums = [t for t in new if isinstance(t, SimpleType)]
    enums = [t for t in schema.types.values() if isinstance(t, SimpleType) and t.pattern is None]
    uncoded = sorted(t.name for t in enums if all(v.code is None for v in t.values))
    partly = sorted(
        f"{t.name}.{v.value}"
        for t in enums
        if any(v.code is not None for v in t.values)
        for v in t.values
        if v.code is None
    )
    elements_added = sum(1 for item in items if isinstance(item, GlobalElement)) - len(
        [i for i in schema.items if isinstance(i, GlobalElement)]
    )
    return [
        f"types: {len(types_2021)} from 2021, {len(new)} added "
        f"({len(new) - len(new_enums)} complexTypes, {len(new_enums)} simpleTypes)",
        stats.summary(),
        "elements in added complexTypes: "
        + str(sum(len(t.elements) for t in new if isinstance(t, ComplexType))),
        "enum values in added simpleTypes: " + str(sum(len(t.values) for t in new_enums)),
        f"global elements added: {elements_added}; retargeted: {', '.join(retargeted) or 'none'}",
        f"enums without any code ({len(uncoded)}): {', '.join(uncoded)}",
        f"enum values without code in coded enums: {', '.join(partly) or 'none'}",
    ]


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m codegen.schema_build", description=__doc__)
    parser.add_argument("--reference", type=Path, required=True, help="reference directory")
    parser.add_argument("--out", type=Path, required=True, help="output XSD file")
    parser.add_argument(
        "--base-xsd",
        type=Path,
        default=None,
        help=f"XmlSerializer-style XSD to start from (default: REFERENCE/{XSD_2021.as_posix()})",
    )
    args = parser.parse_args(argv)
    result = build(args.reference, args.base_xsd)
    data = result.text.encode("utf-8")
    validate(data, args.out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    for line in result.summary:
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
