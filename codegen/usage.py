"""Which models Billecta only returns, and which of their fields it always returns.

A model is *response-only* when it is reachable from an endpoint's response model (in the
endpoint catalogue ``schema/endpoints.json``) or from a webhook's payload type, and never from an
endpoint's request model; reachable means through fields, list items and base types,
transitively. In a response-only model, a field the schema marks as always present is generated
non-optional (no ``None``, no default) with the metadata key ``'always'``, and decoding an
answer without it raises ``DecodeError``. Request models, and models used both ways, keep every
field optional: a caller sets only what it sends.

*Always present* is what the schema says: ``minOccurs=1``, not nillable, a single value of a
.NET value type (guid, int, long, double, boolean, enum); Billecta's serializers write such a
value whatever it is. Two deliberate departures from the XSD:

* ``dateTime`` is left out: Billecta writes .NET's empty date ``0001-01-01T00:00:00`` for "no
  date" (the guide's webhook example does, in ``IncomingPayment.CreatedDate``), and the SDK
  decodes that to ``None``;
* :data:`ALWAYS_RETURNED_STRINGS` lists the strings that Billecta always returns although the
  schema types them as nullable .NET strings (only ``Created.PublicId``: the id of what was
  created is the whole answer).

Standard library only: ``python -m codegen --check`` without the generator's dependencies reads
the webhook payload types through :func:`webhook_payload_models` for the fingerprint.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codegen.ir import SchemaIR

__all__ = [
    "ALWAYS_KINDS",
    "ALWAYS_RETURNED_STRINGS",
    "Usage",
    "always_fields",
    "read_usage",
    "webhook_payload_models",
]

#: Wire kinds of the .NET value types that Billecta always writes when the XSD requires them.
ALWAYS_KINDS = frozenset({"guid", "int", "long", "double", "boolean", "enum"})

#: (type, element) of strings Billecta always returns though the schema says nullable string.
ALWAYS_RETURNED_STRINGS = frozenset({("Created", "PublicId")})

#: The module whose table maps each webhook event type to the models its payload carries.
WEBHOOK_MODULE = "billecta_async.models"


@dataclass(frozen=True)
class Usage:
    """The type names an API sends (request models) and returns (responses, webhook payloads)."""

    requests: frozenset[str]
    responses: frozenset[str]
    webhook_payloads: frozenset[str] = frozenset()


def webhook_payload_models(events_module: Path) -> frozenset[str]:
    """The models the webhook event table uses: the names its module imports from the models.

    ``billecta_async/webhooks/_events.py`` imports the models its table names as payloads (an
    unused import is a lint error), and enums (the event type itself, AdditionalData codes),
    which are not complex types and so never change which models are response-only. Reading the
    import needs no import of the models themselves (``tests/test_always_returned.py`` checks
    that the table's payload models are exactly the complex types read here).
    """
    tree = ast.parse(events_module.read_text(encoding="utf-8"))
    return frozenset(
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == WEBHOOK_MODULE
        for alias in node.names
    )


def read_usage(catalogue: Path, events_module: Path | None) -> Usage:
    """Request and response type names from the endpoint catalogue and the webhook table."""
    data = json.loads(catalogue.read_text(encoding="utf-8"))
    requests: set[str] = set()
    responses: set[str] = set()
    for endpoint in data["endpoints"]:
        for key, names in (("request", requests), ("response", responses)):
            model = (endpoint.get(key) or {}).get("model")
            if model:
                names.add(model)
    webhooks = webhook_payload_models(events_module) if events_module else frozenset()
    return Usage(frozenset(requests), frozenset(responses), webhooks)


def _reachable(ir: SchemaIR, roots: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        listed = ir.list_types.get(name)
        if listed is not None:
            stack.extend([listed.item_ref] if listed.item_ref else [])
            continue
        complex_type = ir.complex_types.get(name)
        if complex_type is not None:
            stack.extend([complex_type.base] if complex_type.base else [])
            stack.extend(f.ref for f in complex_type.fields if f.ref is not None)
    return seen


def always_fields(ir: SchemaIR, usage: Usage) -> Mapping[str, frozenset[str]]:
    """Type name -> wire names of the fields Billecta always returns, for response-only types.

    A catalogue naming a model the schema does not define is refused: it belongs to another
    schema, and guessing would type a request field as always present. The webhook payload
    models are this SDK's; those another schema lacks do not apply to it.
    """
    from codegen.ir import SchemaError

    known = set(ir.complex_types) | set(ir.list_types) | set(ir.enums)
    unknown = sorted((usage.requests | usage.responses) - known)
    if unknown:
        raise SchemaError(f"the endpoint catalogue names models the schema lacks: {unknown}")
    returned = usage.responses | (usage.webhook_payloads & known)
    response_only = _reachable(ir, returned) - _reachable(ir, usage.requests)
    result: dict[str, frozenset[str]] = {}
    for name in sorted(response_only):
        complex_type = ir.complex_types.get(name)
        if complex_type is None:
            continue
        names = frozenset(
            f.name
            for f in complex_type.fields
            if (name, f.name) in ALWAYS_RETURNED_STRINGS
            or (f.required and not f.nillable and not f.is_list and f.kind in ALWAYS_KINDS)
        )
        if names:
            result[name] = names
    return result
