"""Billecta's XSD as a small intermediate representation, read with xsdata's XSD parser.

Billecta's XSD (xsd.exe / XmlSerializer style) uses a small part of XML Schema: complexTypes with a
sequence of elements, complexContent extensions, string restrictions (enumerations and the local
``guid`` pattern type) and ``ArrayOfX`` list wrappers. This module maps exactly that; any other
construct is refused with an error naming it, so a new XSD never generates wrong models silently.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xsdata.codegen.parsers.schema import SchemaParser
from xsdata.models.xsd import Schema

__all__ = [
    "APPINFO_ENUM_CODE",
    "APPINFO_READ_ONLY",
    "ComplexType",
    "EnumCodeReport",
    "EnumCodes",
    "EnumType",
    "EnumValue",
    "Field",
    "ListType",
    "SchemaError",
    "SchemaIR",
    "apply_enum_codes",
    "enums_without_codes",
    "json_enum_codes",
    "load_enum_codes",
    "load_schema",
]

APPINFO_ENUM_CODE = "urn:billecta:enum-code"
APPINFO_READ_ONLY = "urn:billecta:read-only"

# XSD built-in types -> wire kinds of billecta_async._wire.
BUILTIN_KINDS: dict[str, str] = {
    "string": "string",
    "normalizedString": "string",
    "token": "string",
    "anyURI": "string",
    "char": "int",
    "int": "int",
    "short": "int",
    "byte": "int",
    "unsignedByte": "int",
    "unsignedShort": "int",
    "long": "long",
    "unsignedInt": "long",
    "integer": "long",
    "unsignedLong": "long",
    "double": "double",
    "float": "double",
    "decimal": "double",
    "boolean": "boolean",
    "dateTime": "dateTime",
    "date": "dateTime",
    "base64Binary": "base64Binary",
    "anyType": "any",
}


class SchemaError(Exception):
    """The XSD uses something this generator does not map (the message names it)."""


@dataclass
class EnumValue:
    name: str
    code: int | None
    doc: str | None


@dataclass
class EnumType:
    name: str
    values: list[EnumValue]
    doc: str | None


@dataclass
class Field:
    """One element of a complexType's sequence, resolved to its wire kind."""

    name: str
    xsd_type: str
    kind: str
    ref: str | None
    is_list: bool
    item: str | None
    required: bool
    nillable: bool
    read_only: bool
    doc: str | None

    def signature(self) -> str:
        """Type and occurrence, as compared by ``codegen diff``."""
        occurs = "required" if self.required else "optional"
        return f"{self.xsd_type} ({occurs}{', nillable' if self.nillable else ''})"


@dataclass
class ComplexType:
    name: str
    fields: list[Field]
    doc: str | None
    base: str | None = None
    abstract: bool = False


@dataclass
class ListType:
    """A complexType holding one repeated element: ``ArrayOfX`` or a top-level list model."""

    name: str
    item_name: str
    item_xsd_type: str
    item_kind: str
    item_ref: str | None
    nillable_items: bool
    doc: str | None


@dataclass
class SchemaIR:
    """Everything the renderer and ``codegen diff`` need from one XSD."""

    source: str
    sha256: str
    enums: dict[str, EnumType] = field(default_factory=dict)
    complex_types: dict[str, ComplexType] = field(default_factory=dict)
    list_types: dict[str, ListType] = field(default_factory=dict)
    string_types: set[str] = field(default_factory=set)
    elements: dict[str, str] = field(default_factory=dict)


def _docs(node: Any) -> str | None:
    texts: list[str] = []
    for annotation in getattr(node, "annotations", None) or []:
        for doc in annotation.documentations:
            text = " ".join(str(part) for part in doc.content if isinstance(part, str)).strip()
            if text:
                texts.append(" ".join(text.split()))
    return "\n\n".join(texts) or None


def _appinfo(node: Any, source: str) -> str | None:
    for annotation in getattr(node, "annotations", None) or []:
        for info in annotation.app_infos:
            if info.source == source:
                return "".join(str(part) for part in info.content if isinstance(part, str)).strip()
    return None


def _local(qname: str) -> tuple[str, bool]:
    """Local name of a type reference and whether it is an XSD built-in."""
    prefix, _, local = qname.rpartition(":")
    return local, prefix in ("xs", "xsd")


def _refuse(owner: str, what: str) -> SchemaError:
    return SchemaError(f"{owner}: unsupported XSD construct: {what}")


class _Reader:
    def __init__(self, schema: Schema, source: str, sha256: str) -> None:
        self.schema = schema
        self.ir = SchemaIR(source=source, sha256=sha256)

    def read(self) -> SchemaIR:
        s = self.schema
        if s.target_namespace:
            raise _refuse("schema", f"targetNamespace {s.target_namespace!r}")
        for what in ("groups", "attribute_groups", "attributes", "includes", "redefines"):
            if getattr(s, what, None):
                raise _refuse("schema", f"top-level {what}")
        for simple in s.simple_types:
            self._simple_type(simple)
        for complex_type in s.complex_types:
            self._classify_complex(complex_type)
        for complex_type in s.complex_types:
            if complex_type.name not in self.ir.list_types:
                self._complex_type(complex_type)
        for element in s.elements:
            if element.type is None or element.complex_type or element.simple_type:
                raise _refuse(f"element {element.name}", "anonymous type")
            if element.name is None:
                raise _refuse("schema", "global element without a name")
            self.ir.elements[element.name] = _local(element.type)[0]
        self._check_references()
        return self.ir

    def _simple_type(self, simple: Any) -> None:
        name = simple.name
        restriction = simple.restriction
        if restriction is None or simple.list or simple.union:
            raise _refuse(f"simpleType {name}", "list, union or missing restriction")
        if restriction.enumerations:
            values = []
            for enum in restriction.enumerations:
                code_text = _appinfo(enum, APPINFO_ENUM_CODE)
                try:
                    code = int(code_text) if code_text is not None else None
                except ValueError:
                    raise SchemaError(
                        f"simpleType {name}: enum code {code_text!r} of {enum.value!r} "
                        "is not an integer"
                    ) from None
                values.append(EnumValue(enum.value, code, _docs(enum)))
            self.ir.enums[name] = EnumType(name, values, _docs(simple))
            return
        base, builtin = _local(restriction.base or "")
        if builtin and BUILTIN_KINDS.get(base) == "string":
            self.ir.string_types.add(name)
            return
        raise _refuse(f"simpleType {name}", f"restriction of {restriction.base!r}")

    def _sequence_elements(self, owner: str, complex_type: Any) -> tuple[list[Any], str | None]:
        base = None
        holder = complex_type
        content = complex_type.complex_content
        if complex_type.simple_content is not None:
            raise _refuse(owner, "simpleContent")
        if content is not None:
            if content.restriction is not None:
                raise _refuse(owner, "complexContent restriction")
            extension = content.extension
            base = _local(extension.base)[0]
            holder = extension
        for what in ("choice", "all", "group", "attributes", "attribute_groups", "any_attribute"):
            if getattr(holder, what, None):
                raise _refuse(owner, what)
        sequence = holder.sequence
        if sequence is None:
            return [], base
        for what in ("choices", "groups", "sequences", "any"):
            if getattr(sequence, what, None):
                raise _refuse(owner, f"sequence with {what}")
        return list(sequence.elements), base

    def _classify_complex(self, complex_type: Any) -> None:
        name = complex_type.name
        elements, base = self._sequence_elements(f"complexType {name}", complex_type)
        if base is None and len(elements) == 1 and elements[0].max_occurs != 1:
            item = elements[0]
            item_type, builtin = _local(item.type or "")
            self.ir.list_types[name] = ListType(
                name=name,
                item_name=item.name,
                item_xsd_type=item.type or "",
                item_kind="" if not builtin else BUILTIN_KINDS.get(item_type, ""),
                item_ref=None if builtin else item_type,
                nillable_items=bool(item.nillable),
                doc=_docs(complex_type),
            )

    def _kind(self, owner: str, qname: str) -> tuple[str, str | None]:
        local, builtin = _local(qname)
        if builtin:
            kind = BUILTIN_KINDS.get(local)
            if kind is None:
                raise _refuse(owner, f"built-in type {qname!r}")
            return kind, None
        if local in self.ir.string_types:
            return ("guid" if local == "guid" else "string"), None
        if local in self.ir.enums:
            return "enum", local
        return "model", local

    def _complex_type(self, complex_type: Any) -> None:
        name = complex_type.name
        owner = f"complexType {name}"
        elements, base = self._sequence_elements(owner, complex_type)
        fields = []
        for element in elements:
            where = f"{owner}, element {element.name or element.ref}"
            if element.ref or element.complex_type or element.simple_type:
                raise _refuse(where, "element ref or anonymous type")
            if element.type is None:  # xs:anyType: .NET `object`
                element.type = "xs:anyType"
            if element.max_occurs != 1:
                raise _refuse(where, "repeated element outside an ArrayOf wrapper")
            local = _local(element.type)[0]
            wrapped = self.ir.list_types.get(local)
            if wrapped is not None:
                kind, ref = (
                    (wrapped.item_kind, None)
                    if wrapped.item_kind
                    else self._kind(where, wrapped.item_xsd_type)
                )
                is_list, item = True, wrapped.item_name
            else:
                kind, ref = self._kind(where, element.type)
                is_list, item = False, None
            fields.append(
                Field(
                    name=element.name,
                    xsd_type=element.type,
                    kind=kind,
                    ref=ref,
                    is_list=is_list,
                    item=item,
                    required=element.min_occurs >= 1,
                    nillable=bool(element.nillable),
                    read_only=_appinfo(element, APPINFO_READ_ONLY) == "true",
                    doc=_docs(element),
                )
            )
        self.ir.complex_types[name] = ComplexType(
            name, fields, _docs(complex_type), base, bool(complex_type.abstract)
        )

    def _check_references(self) -> None:
        ir = self.ir
        for lt in ir.list_types.values():
            if not lt.item_kind:
                kind, ref = self._kind(f"complexType {lt.name}", lt.item_xsd_type)
                lt.item_kind, lt.item_ref = kind, ref
        known = set(ir.complex_types) | set(ir.enums)
        for ct in ir.complex_types.values():
            if ct.base is not None and ct.base not in ir.complex_types:
                raise SchemaError(f"complexType {ct.name}: unknown base type {ct.base!r}")
            for f in ct.fields:
                if f.ref is not None and f.ref not in known:
                    raise SchemaError(
                        f"complexType {ct.name}, element {f.name}: unknown type {f.ref!r}"
                    )
        for lt in ir.list_types.values():
            if lt.item_ref is not None and lt.item_ref not in known:
                raise SchemaError(f"complexType {lt.name}: unknown item type {lt.item_ref!r}")


def load_schema(path: Path) -> SchemaIR:
    """Read the XSD at ``path`` into a :class:`SchemaIR`."""
    data = path.read_bytes()
    parser = SchemaParser(location=path.resolve().as_uri())
    try:
        schema = parser.from_bytes(data, Schema)
    except Exception as exc:
        raise SchemaError(f"{path}: not a readable XSD ({exc})") from exc
    return _Reader(schema, path.name, hashlib.sha256(data).hexdigest()).read()


# -- Integer enum codes from outside the XSD ----------------------------------------------------
#
# Billecta's published XSDs (2017, 2021) carry no integer codes: XmlSerializer writes enums by
# name. The codes (which Billecta's webhooks send, e.g. "ActionType": 2) are in its JSON schemas,
# where an enum is ``{"enum": [codes], "x-enumNames": [names]}``. Regenerating from such an XSD
# can take them from there, or from a codes file ``{"EnumName": {"Member": code}}``; they are put
# in the IR exactly where the schema's ``urn:billecta:enum-code`` appinfo would put them.

#: Integer codes by enum name and value name.
EnumCodes = dict[str, dict[str, int]]


def json_enum_codes(model: Any) -> list[tuple[str, int | None]]:
    """The (name, code) pairs of a JSON schema enum: ``x-enumNames`` paired with ``enum``.

    A value whose ``enum`` entry is not an integer (a string enum lists its names there) has no
    code.
    """
    codes = list(model.get("enum", []))
    pairs: list[tuple[str, int | None]] = []
    for index, name in enumerate(model.get("x-enumNames", [])):
        code = codes[index] if index < len(codes) else None
        integer = isinstance(code, int) and not isinstance(code, bool)
        pairs.append((str(name), code if integer else None))
    return pairs


def _json_document(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SchemaError(f"{path}: not a readable JSON file ({exc})") from None


def _is_json_schema(document: Any) -> bool:
    return isinstance(document, dict) and any(
        key in document for key in ("$schema", "definitions", "x-enumNames", "properties")
    )


def _codes_from_json_schema(document: dict[str, Any], name: str, codes: EnumCodes) -> None:
    """Add the coded enums of one JSON schema file: the file's own model and its definitions."""
    models = [(name, document), *document.get("definitions", {}).items()]
    for model_name, model in models:
        if not isinstance(model, dict) or "x-enumNames" not in model:
            continue
        coded = {value: code for value, code in json_enum_codes(model) if code is not None}
        if coded:
            codes.setdefault(str(model_name), {}).update(coded)


def _codes_file(path: Path, document: Any) -> EnumCodes:
    if not isinstance(document, dict):
        raise SchemaError(f'{path}: expected an object {{"EnumName": {{"Member": code}}}}')
    codes: EnumCodes = {}
    for enum, values in document.items():
        if not isinstance(values, dict):
            raise SchemaError(f"{path}: {enum}: expected an object of member names and codes")
        for value, code in values.items():
            if not isinstance(code, int) or isinstance(code, bool):
                raise SchemaError(f"{path}: {enum}.{value}: code {code!r} is not an integer")
        codes[enum] = dict(values)
    return codes


def load_enum_codes(path: Path) -> EnumCodes:
    """Integer enum codes from Billecta's JSON schemas or from a codes file.

    ``path`` is a directory of JSON schemas (``*.json``; each file's model is named by the file,
    as in ``DebtorView.json``, and its ``definitions`` by their keys), one such JSON schema, or a
    codes file ``{"EnumName": {"Member": code}}``. Enum names may keep the JSON schemas' ``View``
    suffix (``ActionTypeView``); :func:`apply_enum_codes` matches both.
    """
    if path.is_dir():
        codes: EnumCodes = {}
        files = sorted(path.glob("*.json"))
        if not files:
            raise SchemaError(f"{path}: no JSON schemas (*.json) in this directory")
        for file in files:
            document = _json_document(file)
            if not _is_json_schema(document):
                raise SchemaError(f"{file}: not a JSON schema (no definitions or x-enumNames)")
            _codes_from_json_schema(document, file.stem, codes)
        return codes
    document = _json_document(path)
    if _is_json_schema(document):
        codes = {}
        _codes_from_json_schema(document, path.stem, codes)
        return codes
    return _codes_file(path, document)


@dataclass
class EnumCodeReport:
    """What :func:`apply_enum_codes` did (the command line prints it)."""

    values_coded: int = 0
    enums_coded: set[str] = field(default_factory=set)
    conflicts: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)


def apply_enum_codes(ir: SchemaIR, codes: EnumCodes) -> EnumCodeReport:
    """Give the XSD's enum values without a code their code from ``codes``.

    A code the XSD already has is kept (a different one in ``codes`` is reported as a conflict);
    a code given to two values of one enum is refused with a :class:`SchemaError` naming both.
    ``codes`` entries whose enum or value the XSD lacks are reported as unused.
    """
    report = EnumCodeReport()
    used: set[tuple[str, str]] = set()
    for enum in ir.enums.values():
        source_name = next((n for n in (enum.name, enum.name + "View") if n in codes), None)
        if source_name is None:
            continue
        source = codes[source_name]
        for value in enum.values:
            code = source.get(value.name)
            if code is None:
                continue
            used.add((source_name, value.name))
            if value.code is None:
                value.code = code
                report.values_coded += 1
                report.enums_coded.add(enum.name)
            elif value.code != code:
                report.conflicts.append(
                    f"{enum.name}.{value.name}: code {value.code} in the XSD, {code} given "
                    "(the XSD's is kept)"
                )
        by_code: dict[int, str] = {}
        for value in enum.values:
            if value.code is None:
                continue
            if value.code in by_code:
                raise SchemaError(
                    f"simpleType {enum.name}: values {by_code[value.code]!r} and {value.name!r} "
                    f"both have code {value.code}"
                )
            by_code[value.code] = value.name
    report.unused = sorted(
        f"{enum}.{value}"
        for enum, values in codes.items()
        for value in values
        if (enum, value) not in used
    )
    return report


def enums_without_codes(ir: SchemaIR) -> list[str]:
    """The enums none of whose values has an integer code."""
    return sorted(e.name for e in ir.enums.values() if all(v.code is None for v in e.values))
