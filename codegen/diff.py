"""``python -m codegen diff OLD.xsd NEW.xsd``: what changes for a user upgrading the models.

The report leads with what breaks code written against the old models, then what was added:

Breaking changes
    types removed, or changed in kind or base type; fields removed, retyped or now required
    (optional -> required); enum values removed; integer codes changed (an integer Billecta
    sends then decodes to another member); list items retyped; global elements removed or
    retyped to a type of another XML shape. A retype to a type of the same XML shape is marked
    so: the data reads the same, code naming the old class does not.
Renamed (likely)
    a removed and an added type of the same kind with the same or nearly the same members
    (fields, values or list items; at least three in four shared); a removed and an added field
    of one type with the same type and a similar name or the same place in the sequence; a
    removed and an added enum value with the same integer code or a similar name. Code naming
    the old name breaks, the data does not change. Fields, list items and global elements whose
    type only follows a renamed type are listed with them.
Added
    types, fields, enum values and global elements. A field added as required is listed here,
    marked ``required``: in Billecta's XmlSerializer-style schema every non-null value type is
    ``minOccurs="1"`` (it is always sent), and the generated models leave every field optional.
Other changes
    fields no longer required, nillability changes, global elements retyped to a type of the same
    XML shape.
Integer codes gained or lost
    are counted, and listed only with ``codes=True`` (``--codes``; a lost code under breaking
    changes, a gained one under other changes): Billecta's published XSDs carry no codes, so
    between one of them and a schema that took its codes from Billecta's JSON schemas hundreds of
    values gain or lose a code, which would bury everything else.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from codegen.ir import ComplexType, EnumType, EnumValue, Field, SchemaIR, load_schema

__all__ = ["diff_ir", "diff_schemas"]

BREAKING = "Breaking changes"
RENAMED = "Renamed (likely)"
ADDED = "Added"
OTHER = "Other changes"

# Section titles of each group, in the order they are printed.
SECTIONS: dict[str, tuple[str, ...]] = {
    BREAKING: (
        "types removed",
        "types changed kind",
        "types rebased",
        "fields removed",
        "fields retyped",
        "fields now required",
        "list items retyped",
        "enum values removed",
        "enum codes changed",
        "enum codes removed",
        "global elements removed",
        "global elements retyped",
    ),
    RENAMED: (
        "types renamed",
        "fields renamed",
        "enum values renamed",
        "following a renamed type",
    ),
    ADDED: ("types added", "fields added", "enum values added", "global elements added"),
    OTHER: (
        "fields no longer required",
        "fields nillability changed",
        "global elements retyped (same XML shape)",
        "enum codes added",
    ),
}
CODES_ADDED = "enum codes added"
CODES_REMOVED = "enum codes removed"
# Listed only when asked (codes=True): an XSD without codes (any that Billecta publishes) against
# one with them gains or loses hundreds, which would bury everything else.
CODES_ONLY = frozenset({CODES_ADDED, CODES_REMOVED})

# Likely renames: the share of members two types have in common, and how alike two names are.
TYPE_MEMBERS_SHARED = 0.75
SIMILAR_FIELD_NAME = 0.6
SIMILAR_VALUE_NAME = 0.8
SIMILAR_TYPE_NAME = 0.8


@dataclass
class _Report:
    rows: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: {g: {s: [] for s in sections} for g, sections in SECTIONS.items()}
    )

    def add(self, group: str, section: str, row: str) -> None:
        self.rows[group][section].append(row)

    def count(self, group: str, codes: bool) -> int:
        return sum(
            len(rows)
            for section, rows in self.rows[group].items()
            if codes or section not in CODES_ONLY
        )

    def render(self, title: str, codes: bool) -> str:
        counts = {group: self.count(group, codes) for group in SECTIONS}
        summary = ", ".join(f"{counts[g]} {g.split()[0].lower()}" for g in SECTIONS)
        out = [f"{title}: {summary}"]
        for group, sections in self.rows.items():
            if not counts[group]:
                continue
            out += ["", f"## {group} ({counts[group]})"]
            for section, rows in sections.items():
                if rows and (codes or section not in CODES_ONLY):
                    out += ["", f"{section} ({len(rows)}):", *(f"  {row}" for row in rows)]
        gained = len(self.rows[OTHER][CODES_ADDED])
        lost = len(self.rows[BREAKING][CODES_REMOVED])
        if (gained or lost) and not codes:
            counted = [f"{gained} enum values only gained an integer code"] if gained else []
            counted += [f"{lost} enum values lost their integer code"] if lost else []
            out += ["", f"({' and '.join(counted)}; --codes lists them)"]
        if not any(counts.values()) and not (gained or lost):
            out += ["", "no changes"]
        return "\n".join(out)


def _local(xsd_type: str) -> str:
    return xsd_type.rpartition(":")[2]


def _code(code: int | None) -> str:
    return "no code" if code is None else f"code {code}"


def _kinds(ir: SchemaIR) -> dict[str, str]:
    kinds = {name: "complexType" for name in ir.complex_types}
    kinds.update({name: "list type" for name in ir.list_types})
    kinds.update({name: "enum" for name in ir.enums})
    return kinds


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def _best_pairs(candidates: list[tuple[bool, float, str, str]]) -> list[tuple[str, str]]:
    """(removed, added) name pairs from ``(worse kind of match, -similarity, removed, added)``
    candidates: best first, each name in one pair at most."""
    pairs: list[tuple[str, str]] = []
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    for _, _, r, a in sorted(candidates):
        if r not in taken_old and a not in taken_new:
            taken_old.add(r)
            taken_new.add(a)
            pairs.append((r, a))
    return pairs


class _Differ:
    def __init__(self, old: SchemaIR, new: SchemaIR) -> None:
        self.old, self.new = old, new
        self.report = _Report()
        self.old_kinds, self.new_kinds = _kinds(old), _kinds(new)
        self.renamed: dict[str, str] = {}  # old type name -> new type name

    # -- helpers -------------------------------------------------------------------------------

    def mapped(self, xsd_type: str) -> str:
        """An old type reference with renamed types replaced by their new name."""
        prefix, colon, local = xsd_type.rpartition(":")
        return prefix + colon + self.renamed.get(local, local)

    def same_shape(self, old_type: str, new_type: str, seen: set[tuple[str, str]]) -> bool:
        """Whether an old and a new type read and write the same XML (names and structure).

        A type of the same name (or renamed) counts as the same: its own changes are listed on
        their own.
        """
        a, b = _local(old_type), _local(new_type)
        if self.renamed.get(a, a) == b or (a, b) in seen:
            return True
        seen.add((a, b))
        old, new = self.old, self.new
        if a in old.list_types and b in new.list_types:
            la, lb = old.list_types[a], new.list_types[b]
            return la.item_name == lb.item_name and self.same_shape(
                la.item_xsd_type, lb.item_xsd_type, seen
            )
        if a in old.complex_types and b in new.complex_types:
            ca, cb = old.complex_types[a], new.complex_types[b]
            if (ca.base is None) != (cb.base is None) or len(ca.fields) != len(cb.fields):
                return False
            if ca.base and cb.base and not self.same_shape(ca.base, cb.base, seen):
                return False
            return all(
                (fa.name, fa.required, fa.nillable) == (fb.name, fb.required, fb.nillable)
                and self.same_shape(fa.xsd_type, fb.xsd_type, seen)
                for fa, fb in zip(ca.fields, cb.fields, strict=True)
            )
        if a in old.enums and b in new.enums:
            return [v.name for v in old.enums[a].values] == [v.name for v in new.enums[b].values]
        return False

    def shape_note(self, old_type: str, new_type: str) -> str:
        return " (same XML shape)" if self.same_shape(old_type, new_type, set()) else ""

    # -- types ---------------------------------------------------------------------------------

    def members(self, ir: SchemaIR, name: str, old: bool) -> set[str]:
        if name in ir.complex_types:
            return {f.name for f in ir.complex_types[name].fields}
        if name in ir.enums:
            return {v.name for v in ir.enums[name].values}
        item = ir.list_types[name]
        item_type = self.mapped(item.item_xsd_type) if old else item.item_xsd_type
        return {f"{item.item_name} ({item_type})"}

    def pair_types(self, removed: list[str], added: list[str]) -> None:
        """Pair likely renamed types; list types last, so their items can follow a rename."""
        for list_types in (False, True):
            candidates = []
            for r in removed:
                kind = self.old_kinds[r]
                if (kind == "list type") != list_types or r in self.renamed:
                    continue
                before = self.members(self.old, r, old=True)
                for a in added:
                    if self.new_kinds[a] != kind or a in self.renamed.values():
                        continue
                    after = self.members(self.new, a, old=False)
                    union = before | after
                    shared = len(before & after) / len(union) if union else 0.0
                    name = _similarity(r, a)
                    if shared >= TYPE_MEMBERS_SHARED or (not union and name >= SIMILAR_TYPE_NAME):
                        candidates.append((-shared, -name, r, a))
            for _, _, r, a in sorted(candidates):
                if r not in self.renamed and a not in self.renamed.values():
                    self.renamed[r] = a

    def types(self) -> None:
        old, new = self.old_kinds, self.new_kinds
        removed = sorted(old.keys() - new.keys())
        added = sorted(new.keys() - old.keys())
        self.pair_types(removed, added)
        for r, a in sorted(self.renamed.items()):
            before = self.members(self.old, r, old=True)
            after = self.members(self.new, a, old=False)
            what = {"complexType": "fields", "enum": "values", "list type": "items"}[old[r]]
            self.report.add(
                RENAMED,
                "types renamed",
                f"{r} -> {a} ({old[r]}; {len(before & after)} of {len(before | after)} "
                f"{what} the same)",
            )
        for name in removed:
            if name not in self.renamed:
                self.report.add(BREAKING, "types removed", f"{name} ({old[name]})")
        for name in added:
            if name not in self.renamed.values():
                self.report.add(ADDED, "types added", f"{name} ({new[name]})")
        for name in sorted(old.keys() & new.keys()):
            if old[name] != new[name]:
                self.report.add(
                    BREAKING, "types changed kind", f"{name}: {old[name]} -> {new[name]}"
                )

    def type_pairs(
        self, old_names: Iterable[str], new_names: Iterable[str]
    ) -> list[tuple[str, str]]:
        """(old, new) names of the types in both schemas (same name or renamed), sorted by the
        new name."""
        new_set = set(new_names)
        pairs = [(n, self.renamed.get(n, n)) for n in old_names]
        return sorted(((o, n) for o, n in pairs if n in new_set), key=lambda p: p[1])

    # -- fields --------------------------------------------------------------------------------

    def pair_fields(
        self, before: list[Field], after: list[Field], removed: list[str], added: list[str]
    ) -> list[tuple[Field, Field]]:
        """Likely renamed fields: same type, and a similar name or the same place."""
        common = {f.name for f in before} & {f.name for f in after}

        def anchors(fields: list[Field]) -> dict[str, str | None]:
            found: dict[str, str | None] = {}
            last = None
            for f in fields:
                found[f.name] = last
                if f.name in common:
                    last = f.name
            return found

        old_anchor, new_anchor = anchors(before), anchors(after)
        by_name_old = {f.name: f for f in before}
        by_name_new = {f.name: f for f in after}
        candidates = []
        for r in removed:
            for a in added:
                fr, fa = by_name_old[r], by_name_new[a]
                if self.mapped(fr.xsd_type) != fa.xsd_type:
                    continue
                same_place = old_anchor[r] == new_anchor[a]
                name = _similarity(r, a)
                if same_place or name >= SIMILAR_FIELD_NAME:
                    candidates.append((not same_place, -name, r, a))
        return [(by_name_old[r], by_name_new[a]) for r, a in _best_pairs(candidates)]

    def compare_field(self, owner: str, before: Field, after: Field) -> None:
        where = f"{owner}.{after.name}"
        old_sig, new_sig = before.signature(), after.signature()
        if self.mapped(before.xsd_type) != after.xsd_type:
            note = self.shape_note(before.xsd_type, after.xsd_type)
            self.report.add(BREAKING, "fields retyped", f"{where}: {old_sig} -> {new_sig}{note}")
            return
        if before.xsd_type != after.xsd_type:
            self.report.add(
                RENAMED,
                "following a renamed type",
                f"{where}: {before.xsd_type} -> {after.xsd_type}",
            )
        if before.required != after.required:
            group, section = (
                (BREAKING, "fields now required")
                if after.required
                else (OTHER, "fields no longer required")
            )
            self.report.add(group, section, f"{where}: {old_sig} -> {new_sig}")
        elif before.nillable != after.nillable:
            self.report.add(OTHER, "fields nillability changed", f"{where}: {old_sig} -> {new_sig}")

    def complex_types(self) -> None:
        old, new = self.old.complex_types, self.new.complex_types
        for old_name, name in self.type_pairs(old, new):
            a, b = old[old_name], new[name]
            if a.base != b.base and (a.base is None or self.mapped(a.base) != b.base):
                self.report.add(BREAKING, "types rebased", f"{name}: base {a.base} -> {b.base}")
            self.fields(name, a, b)

    def fields(self, name: str, a: ComplexType, b: ComplexType) -> None:
        before = {f.name: f for f in a.fields}
        after = {f.name: f for f in b.fields}
        removed = [f for f in before if f not in after]
        added = [f for f in after if f not in before]
        renames = self.pair_fields(a.fields, b.fields, removed, added)
        for r, n in renames:
            self.report.add(
                RENAMED, "fields renamed", f"{name}.{r.name} -> {name}.{n.name}: {n.signature()}"
            )
            self.compare_field(name, r, n)
        renamed_old = {r.name for r, _ in renames}
        renamed_new = {n.name for _, n in renames}
        for f in removed:
            if f not in renamed_old:
                self.report.add(BREAKING, "fields removed", f"{name}.{f}: {before[f].signature()}")
        for f in added:
            if f not in renamed_new:
                self.report.add(ADDED, "fields added", f"{name}.{f}: {after[f].signature()}")
        for f in before:
            if f in after:
                self.compare_field(name, before[f], after[f])

    def list_types(self) -> None:
        old, new = self.old.list_types, self.new.list_types
        for old_name, name in self.type_pairs(old, new):
            a, b = old[old_name], new[name]
            before = f"{a.item_name} ({a.item_xsd_type})"
            after = f"{b.item_name} ({b.item_xsd_type})"
            if (a.item_name, self.mapped(a.item_xsd_type)) != (b.item_name, b.item_xsd_type):
                note = self.shape_note(a.item_xsd_type, b.item_xsd_type)
                self.report.add(
                    BREAKING, "list items retyped", f"{name} items: {before} -> {after}{note}"
                )
            elif a.item_xsd_type != b.item_xsd_type:
                self.report.add(
                    RENAMED, "following a renamed type", f"{name} items: {before} -> {after}"
                )

    # -- enums ---------------------------------------------------------------------------------

    @staticmethod
    def pair_values(
        before: dict[str, EnumValue],
        after: dict[str, EnumValue],
        removed: list[str],
        added: list[str],
    ) -> list[tuple[str, str]]:
        """Likely renamed enum values: the same integer code, or a similar name and no other
        code."""
        candidates = []
        for r in removed:
            for a in added:
                code_r, code_a = before[r].code, after[a].code
                same_code = code_r is not None and code_r == code_a
                name = _similarity(r, a)
                compatible = code_r is None or code_a is None or code_r == code_a
                if same_code or (compatible and name >= SIMILAR_VALUE_NAME):
                    candidates.append((not same_code, -name, r, a))
        return _best_pairs(candidates)

    def compare_code(self, where: str, before: int | None, after: int | None) -> None:
        if before == after:
            return
        if before is None:
            self.report.add(OTHER, CODES_ADDED, f"{where}: code {after}")
        elif after is None:
            self.report.add(BREAKING, CODES_REMOVED, f"{where}: code {before} -> none")
        else:
            self.report.add(BREAKING, "enum codes changed", f"{where}: code {before} -> {after}")

    def enums(self) -> None:
        old, new = self.old.enums, self.new.enums
        for old_name, name in self.type_pairs(old, new):
            a: EnumType = old[old_name]
            b: EnumType = new[name]
            before = {v.name: v for v in a.values}
            after = {v.name: v for v in b.values}
            removed = [v for v in before if v not in after]
            added = [v for v in after if v not in before]
            renames = self.pair_values(before, after, removed, added)
            for r, n in renames:
                self.report.add(
                    RENAMED,
                    "enum values renamed",
                    f"{name}.{r} -> {name}.{n} ({_code(after[n].code)})",
                )
                self.compare_code(f"{name}.{n}", before[r].code, after[n].code)
            renamed_old = {r for r, _ in renames}
            renamed_new = {n for _, n in renames}
            for v in removed:
                if v not in renamed_old:
                    self.report.add(BREAKING, "enum values removed", f"{name}.{v}")
            for v in added:
                if v not in renamed_new:
                    self.report.add(
                        ADDED, "enum values added", f"{name}.{v} ({_code(after[v].code)})"
                    )
            for v in before:
                if v in after:
                    self.compare_code(f"{name}.{v}", before[v].code, after[v].code)

    # -- global elements -----------------------------------------------------------------------

    def elements(self) -> None:
        old, new = self.old.elements, self.new.elements
        added = sorted(new.keys() - old.keys())
        # An element named like its type follows the type's rename (Order -> Purchase).
        follows = {
            name: self.renamed[name]
            for name in sorted(old.keys() - new.keys())
            if old[name] == name
            and self.renamed.get(name) in added
            and new[self.renamed[name]] == self.renamed[name]
        }
        for name, renamed in follows.items():
            self.report.add(RENAMED, "following a renamed type", f"element {name} -> {renamed}")
        for name in added:
            if name not in follows.values():
                self.report.add(ADDED, "global elements added", f"{name} ({new[name]})")
        for name in sorted(old.keys() - new.keys()):
            if name not in follows:
                self.report.add(BREAKING, "global elements removed", f"{name} ({old[name]})")
        for name in sorted(old.keys() & new.keys()):
            a, b = old[name], new[name]
            row = f"{name}: {a} -> {b}"
            if self.renamed.get(a, a) == b and a != b:
                self.report.add(RENAMED, "following a renamed type", f"element {row}")
            elif a != b and self.same_shape(a, b, set()):
                self.report.add(OTHER, "global elements retyped (same XML shape)", row)
            elif a != b:
                self.report.add(BREAKING, "global elements retyped", row)

    def run(self) -> _Report:
        self.types()
        self.complex_types()
        self.list_types()
        self.enums()
        self.elements()
        return self.report


def diff_ir(old: SchemaIR, new: SchemaIR, codes: bool = False) -> str:
    """A readable report of what changes from ``old`` to ``new``: breaking changes first, then
    likely renames, additions and other changes (see the module's documentation).

    Enum values that only gained an integer code are counted, and listed when ``codes`` is true.
    """
    report = _Differ(old, new).run()
    return report.render(f"codegen diff {old.source} -> {new.source}", codes)


def diff_schemas(old: Path, new: Path, codes: bool = False) -> str:
    """:func:`diff_ir` of two XSD files."""
    return diff_ir(load_schema(old), load_schema(new), codes)
