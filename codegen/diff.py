"""``python -m codegen diff OLD.xsd NEW.xsd``: what changes for a user upgrading the models."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from codegen.ir import SchemaIR, load_schema

__all__ = ["diff_ir", "diff_schemas"]


def _section(title: str, rows: list[str]) -> list[str]:
    if not rows:
        return []
    return [f"{title} ({len(rows)}):", *(f"  {row}" for row in rows), ""]


def _compared(what: str, changed: str, old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """Sections for the names only in ``new``, only in ``old``, and in both with another value."""
    return [
        *_section(f"{what} added", [f"{n} ({new[n]})" for n in sorted(new.keys() - old.keys())]),
        *_section(f"{what} removed", [f"{n} ({old[n]})" for n in sorted(old.keys() - new.keys())]),
        *_section(
            f"{what} {changed}",
            [
                f"{n}: {old[n]} -> {new[n]}"
                for n in sorted(old.keys() & new.keys())
                if old[n] != new[n]
            ],
        ),
    ]


def _types(ir: SchemaIR) -> dict[str, str]:
    kinds = {name: "complexType" for name in ir.complex_types}
    kinds.update({name: "list type" for name in ir.list_types})
    kinds.update({name: "enum" for name in ir.enums})
    return kinds


def diff_ir(old: SchemaIR, new: SchemaIR) -> str:
    """A readable report of added, removed and retyped types, fields, enum values and elements."""
    out: list[str] = [f"codegen diff {old.source} -> {new.source}", ""]
    out += _compared("types", "changed kind", _types(old), _types(new))
    added, removed, retyped = [], [], []
    for name in sorted(set(old.complex_types) & set(new.complex_types)):
        before = {f.name: f for f in old.complex_types[name].fields}
        after = {f.name: f for f in new.complex_types[name].fields}
        added += [f"{name}.{f}: {after[f].signature()}" for f in after if f not in before]
        removed += [f"{name}.{f}: {before[f].signature()}" for f in before if f not in after]
        retyped += [
            f"{name}.{f}: {before[f].signature()} -> {after[f].signature()}"
            for f in before
            if f in after and before[f].signature() != after[f].signature()
        ]
    for name in sorted(set(old.list_types) & set(new.list_types)):
        a, b = old.list_types[name], new.list_types[name]
        if (a.item_name, a.item_xsd_type) != (b.item_name, b.item_xsd_type):
            retyped.append(
                f"{name} items: {a.item_name} ({a.item_xsd_type}) -> "
                f"{b.item_name} ({b.item_xsd_type})"
            )
    out += _section("fields added", added)
    out += _section("fields removed", removed)
    out += _section("fields retyped", retyped)
    values_added, values_removed, codes = [], [], []
    for name in sorted(set(old.enums) & set(new.enums)):
        before_values = {v.name: v for v in old.enums[name].values}
        after_values = {v.name: v for v in new.enums[name].values}
        values_added += [
            f"{name}.{v} (code {after_values[v].code})"
            for v in after_values
            if v not in before_values
        ]
        values_removed += [f"{name}.{v}" for v in before_values if v not in after_values]
        codes += [
            f"{name}.{v}: code {before_values[v].code} -> {after_values[v].code}"
            for v in before_values
            if v in after_values and before_values[v].code != after_values[v].code
        ]
    out += _section("enum values added", values_added)
    out += _section("enum values removed", values_removed)
    out += _section("enum codes changed", codes)
    out += _compared("global elements", "retyped", old.elements, new.elements)
    if len(out) == 2:
        out.append("no changes")
    return "\n".join(out).rstrip("\n")


def diff_schemas(old: Path, new: Path) -> str:
    """:func:`diff_ir` of two XSD files."""
    return diff_ir(load_schema(old), load_schema(new))
