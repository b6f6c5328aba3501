"""Endpoint catalogue: parse Billecta's API reference text into ``schema/endpoints.json``.

The reference is a plain-text export of Billecta's API documentation. It holds 22 sections,
each ended by a line ``§``. A section starts with its name, optionally followed by a
description, and then lists endpoints. An endpoint is written as::

    Summary line

    Optional description paragraph(s)

    GET /v1/path/{id}?query={query}
    {id}Description (type)
    {query}Description (type) - optional (note)
    Request:SomeView
    Response:OtherView

Verb and path are separated by a NO-BREAK SPACE (U+00A0). Paragraphs between the last line of an
endpoint and the next summary (notes written after an endpoint) are kept in that endpoint's
description.

Usage::

    python -m codegen.catalogue --reference billecta-api-reference.txt --out schema/endpoints.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXPECTED_ENDPOINTS = 254
EXPECTED_SECTIONS = 22
SOURCE_NAME = "billecta-api-reference.txt"
SECTION_END = "§"
PREAMBLE_END = "Introduction"

#: Model names that keep their ``View`` suffix in the XSD (Billecta's own exceptions).
KEEP_VIEW_SUFFIX = frozenset(
    {
        "AccountingSettingsView",
        "AccountingSettingsAccountView",
        "AccountingSettingsAccountTypeView",
        "CreditCardPaymentIntentView",
        "CurrencyView",
        "OverpaymentDetailsView",
        "PaymentMatchResultView",
        "SecureTokenView",
        "UnhandledPaymentTypeView",
        "UnhandledPaymentStateTypeView",
    }
)

BYTES_REFERENCE = "Byte[]"
UNDESCRIBED_NOTE = "Not described in the reference; type assumed to be string."

VERB_RE = re.compile(r"^(GET|PUT|POST|DELETE)\u00a0(/\S+)$")
PARAM_RE = re.compile(r"^\{(?P<name>[^}]+)\}(?P<rest>.*)$")
OPTIONAL_RE = re.compile(r"^(?P<head>.*?) - optional(?: \((?P<note>.*)\))?$")
TYPED_RE = re.compile(r"^(?P<description>.*?)\s*\((?P<type>[^()]*)\)$")
TYPED_WITH_TAIL_RE = re.compile(r"^(?P<description>.*?)\s*\((?P<type>[^()]*)\)\s+-\s+\S.*$")
TYPE_TOKEN_RE = re.compile(r"^(?:nullable )?[A-Za-z]+(?:\[\])?$")
PLACEHOLDER_RE = re.compile(r"\{([^}]+)\}")
MODEL_LINE_RE = re.compile(r"^(Request|Response):(\S+)$")
TITLE_MAX_LENGTH = 120


def model_name(view_name: str) -> str:
    """Return the XSD type name of a JSON model name (``DebtorView`` -> ``Debtor``)."""
    if view_name in KEEP_VIEW_SUFFIX or not view_name.endswith("View"):
        return view_name
    return view_name[: -len("View")]


def model_reference(reference: str) -> dict[str, Any]:
    """Describe a ``Request:``/``Response:`` reference with its XSD model."""
    if reference == BYTES_REFERENCE:
        return {"reference": reference, "model": None, "list": False, "bytes": True}
    if reference.endswith("[]"):
        return {
            "reference": reference,
            "model": "ArrayOf" + model_name(reference[:-2]),
            "list": True,
        }
    return {"reference": reference, "model": model_name(reference), "list": False}


@dataclass(frozen=True)
class ParamDoc:
    """What a ``{name}...`` line says about one parameter."""

    description: str
    type: str
    optional: bool
    note: str | None


def parse_param_text(raw_line: str, rest: str) -> ParamDoc:
    """Parse the text after ``{name}``; irregular lines keep the raw line as note."""
    optional = False
    note: str | None = None
    head = rest.strip()
    match = OPTIONAL_RE.match(head)
    if match:
        optional = True
        head = match["head"]
        note = match["note"]
    typed = TYPED_RE.match(head)
    if typed and TYPE_TOKEN_RE.match(typed["type"]):
        return ParamDoc(typed["description"].rstrip(" -"), typed["type"], optional, note)
    # Irregular: either no type at all or text after the type ("(int) - max value 100").
    loose = TYPED_WITH_TAIL_RE.match(head)
    if loose and TYPE_TOKEN_RE.match(loose["type"]):
        return ParamDoc(loose["description"], loose["type"], optional, raw_line)
    if not head:
        return ParamDoc("", "string", optional, UNDESCRIBED_NOTE)
    return ParamDoc(head, "string", optional, raw_line)


def parse_param_lines(lines: Sequence[str]) -> dict[str, ParamDoc]:
    """Map placeholder name to its documentation for all ``{x}`` lines of an endpoint."""
    docs: dict[str, ParamDoc] = {}
    for line in lines:
        match = PARAM_RE.match(line)
        if match is None:
            continue
        if match["name"] in docs:
            raise ValueError(f"parameter documented twice: {line!r}")
        docs[match["name"]] = parse_param_text(line, match["rest"])
    return docs


def param_entry(name: str, placeholder: str, docs: dict[str, ParamDoc]) -> dict[str, Any]:
    """Build one path/query parameter entry of the catalogue."""
    doc = docs.get(placeholder, ParamDoc("", "string", False, UNDESCRIBED_NOTE))
    return {
        "name": name,
        "description": doc.description,
        "type": doc.type,
        "optional": doc.optional,
        "note": doc.note,
    }


def split_url(url: str) -> tuple[str, list[tuple[str, str]]]:
    """Split ``/path?a={a}&b={b}`` into the path and (name, placeholder) query pairs."""
    path, _, query = url.partition("?")
    pairs: list[tuple[str, str]] = []
    for part in filter(None, query.split("&")):
        name, _, value = part.partition("=")
        placeholder = PLACEHOLDER_RE.fullmatch(value)
        if placeholder is None:
            raise ValueError(f"query part without placeholder: {url!r}")
        pairs.append((name, placeholder[1]))
    return path, pairs


def parse_endpoint_block(block: Sequence[str]) -> dict[str, Any]:
    """Parse the verb line and its parameter/model lines (without summary/description)."""
    verb = VERB_RE.match(block[0])
    if verb is None:
        raise ValueError(f"not an endpoint line: {block[0]!r}")
    models: dict[str, dict[str, Any] | None] = {"Request": None, "Response": None}
    for line in block[1:]:
        model = MODEL_LINE_RE.match(line)
        if model:
            models[model[1]] = model_reference(model[2])
        elif not PARAM_RE.match(line):
            raise ValueError(f"unexpected line in endpoint {block[0]!r}: {line!r}")
    docs = parse_param_lines(block[1:])
    path, query = split_url(verb[2])
    used = set(PLACEHOLDER_RE.findall(path)) | {placeholder for _, placeholder in query}
    unknown = sorted(set(docs) - used)
    if unknown:
        raise ValueError(f"parameters documented but not in the URL {verb[2]!r}: {unknown}")
    return {
        "method": verb[1],
        "path": path,
        "path_params": [param_entry(p, p, docs) for p in PLACEHOLDER_RE.findall(path)],
        "query_params": [param_entry(name, p, docs) for name, p in query],
        "request": models["Request"],
        "response": models["Response"],
    }


def paragraphs(lines: Sequence[str]) -> list[list[str]]:
    """Group lines into paragraphs separated by blank lines."""
    result: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def is_endpoint(paragraph: Sequence[str]) -> bool:
    """True when the paragraph is an endpoint block (starts with a verb line)."""
    return VERB_RE.match(paragraph[0]) is not None


def is_title(paragraph: Sequence[str]) -> bool:
    """True when a paragraph looks like an endpoint summary (a short single-line title)."""
    text = paragraph[0]
    return (
        len(paragraph) == 1
        and len(text) <= TITLE_MAX_LENGTH
        and not text.endswith((".", ":"))
        and ". " not in text
    )


def join_text(paras: Sequence[Sequence[str]]) -> str:
    """Join paragraphs back into text: lines by newline, paragraphs by a blank line."""
    return "\n\n".join("\n".join(p) for p in paras)


def split_gap(gap: Sequence[list[str]]) -> tuple[list[list[str]], str, list[list[str]]]:
    """Split text paragraphs before an endpoint into (leading notes, summary, description)."""
    for index, paragraph in enumerate(gap):
        if is_title(paragraph):
            return list(gap[:index]), paragraph[0], list(gap[index + 1 :])
    raise ValueError(f"no summary found before endpoint: {join_text(gap)[:200]!r}")


def append_description(endpoint: dict[str, Any], extra: Sequence[Sequence[str]]) -> None:
    """Append note paragraphs written after an endpoint to its description."""
    if extra:
        text = join_text(extra)
        endpoint["description"] = f"{endpoint['description']}\n\n{text}".strip()


def parse_section(lines: Sequence[str]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Parse one section's lines into its header and endpoints."""
    paras = paragraphs(lines)
    if not paras or is_endpoint(paras[0]):
        raise ValueError("section without a name")
    name = join_text([paras[0]])
    endpoints: list[dict[str, Any]] = []
    section_description: list[list[str]] = []
    gap: list[list[str]] = []
    for paragraph in paras[1:]:
        if not is_endpoint(paragraph):
            gap.append(paragraph)
            continue
        leading, summary, description = split_gap(gap)
        if endpoints:
            append_description(endpoints[-1], leading)
        else:
            section_description = leading
        endpoint = {"section": name, "summary": summary, "description": join_text(description)}
        endpoint.update(parse_endpoint_block(paragraph))
        endpoints.append(endpoint)
        gap = []
    if not endpoints:
        raise ValueError(f"section {name!r} has no endpoints")
    append_description(endpoints[-1], gap)
    return {"name": name, "description": join_text(section_description)}, endpoints


def strip_preamble(lines: list[str]) -> list[str]:
    """Drop the document header up to and including the 'Introduction' paragraph."""
    for index, line in enumerate(lines):
        if line.strip() == PREAMBLE_END:
            rest = lines[index + 1 :]
            while rest and rest[0].strip():
                rest = rest[1:]
            return rest
    raise ValueError(f"no {PREAMBLE_END!r} paragraph found in the reference")


def split_sections(text: str) -> list[list[str]]:
    """Split the reference into the line lists of its sections."""
    sections: list[list[str]] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip() == SECTION_END:
            sections.append(current)
            current = []
        else:
            current.append(line)
    if any(line.strip() for line in current):
        raise ValueError("text after the last section end marker")
    if sections:
        sections[0] = strip_preamble(sections[0])
    return sections


def parse_sections(text: str) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """Parse the whole reference into section headers and endpoints (reference order)."""
    headers: list[dict[str, str]] = []
    endpoints: list[dict[str, Any]] = []
    for lines in split_sections(text):
        header, section_endpoints = parse_section(lines)
        headers.append(header)
        endpoints.extend(section_endpoints)
    if len(headers) != EXPECTED_SECTIONS:
        raise ValueError(f"expected {EXPECTED_SECTIONS} sections, found {len(headers)}")
    if len(endpoints) != EXPECTED_ENDPOINTS:
        raise ValueError(f"expected {EXPECTED_ENDPOINTS} endpoints, found {len(endpoints)}")
    return headers, endpoints


def parse_reference(text: str) -> list[dict[str, Any]]:
    """Return the 254 endpoints of the reference, in reference order."""
    return parse_sections(text)[1]


def build_catalogue(text: str) -> dict[str, Any]:
    """Return the whole catalogue document."""
    sections, endpoints = parse_sections(text)
    return {
        "source": SOURCE_NAME,
        "count": len(endpoints),
        "sections": sections,
        "endpoints": endpoints,
    }


def render_catalogue(catalogue: dict[str, Any]) -> str:
    """Serialise the catalogue deterministically (sorted keys, 2-space indent, newline)."""
    return json.dumps(catalogue, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m codegen.catalogue", description=__doc__)
    parser.add_argument("--reference", type=Path, required=True, help=SOURCE_NAME + " path")
    parser.add_argument("--out", type=Path, required=True, help="output JSON file")
    args = parser.parse_args(argv)
    text = args.reference.read_text(encoding="utf-8")
    rendered = render_catalogue(build_catalogue(text))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(rendered, encoding="utf-8", newline="\n")
    print(f"wrote {args.out} ({EXPECTED_ENDPOINTS} endpoints)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
