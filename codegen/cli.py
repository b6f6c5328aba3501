"""Command line of the code generator (see ``codegen/__main__.py``)."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from codegen.diff import diff_schemas
from codegen.fingerprint import CATALOGUE, CONFIG, SCHEMA, report_stale
from codegen.generate import check, generate
from codegen.ir import (
    SchemaError,
    SchemaIR,
    apply_enum_codes,
    enums_without_codes,
    load_enum_codes,
    load_schema,
)
from codegen.resources import SurfaceError, check_surface, write_surface

__all__ = ["NO_CATALOGUE", "main"]

NO_CATALOGUE = (
    "note: no endpoint catalogue (--catalogue), so which models are only responses is unknown: "
    "every field is optional"
)

# How many names a note lists before "and N more".
_LISTED = 10


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m codegen",
        description=(
            "Regenerate the models (billecta_async/models/) from an XSD and the API surface "
            "(resources/, sync_resources/, _catalogue.json) from schema/endpoints*.json, or "
            "check that the committed ones are up to date."
        ),
        epilog=(
            "python -m codegen diff OLD.xsd NEW.xsd [--codes] lists what an upgrade of the "
            "schema breaks, renames and adds (python -m codegen diff --help)."
        ),
    )
    parser.add_argument(
        "--xsd", type=Path, default=SCHEMA, help="the schema (default: schema/billecta.xsd)"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=CONFIG,
        help="xsdata's generator configuration (default: codegen/xsdata.xml)",
    )
    parser.add_argument(
        "--catalogue",
        type=Path,
        default=None,
        help="endpoint catalogue telling which models are only responses (default: "
        "schema/endpoints.json with the default --xsd; none with another XSD: all optional)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="output directory (default: the configured package)"
    )
    parser.add_argument("--package", default=None, help="Python package the output is imported as")
    parser.add_argument("--check", action="store_true", help="exit 1 if the output is stale")
    parser.add_argument(
        "--enum-codes",
        type=Path,
        default=None,
        metavar="PATH",
        help="integer enum codes the XSD lacks: a directory of Billecta's JSON schemas "
        '(enums with x-enumNames) or a codes file {"EnumName": {"Member": code}}',
    )
    return parser


def _diff_main(argv: list[str]) -> int:
    diff = argparse.ArgumentParser(
        prog="python -m codegen diff",
        description="What an upgrade from OLD to NEW breaks (first), renames and adds.",
    )
    diff.add_argument("old", type=Path, help="the XSD before")
    diff.add_argument("new", type=Path, help="the XSD after")
    diff.add_argument(
        "--codes",
        action="store_true",
        help="also list enum values that only gained an integer code",
    )
    args = diff.parse_args(argv)
    try:
        print(diff_schemas(args.old, args.new, codes=args.codes))
    except (SchemaError, OSError) as exc:
        print(f"codegen diff: {exc}", file=sys.stderr)
        return 2
    return 0


def _names(names: list[str], limit: int | None = None) -> str:
    shown = names if limit is None else names[:limit]
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest else "")


def _stderr(first: str, *details: str) -> None:
    """A message on stderr: ``first`` on one line, ``details`` wrapped and indented below it."""
    print(f"codegen: {first}", file=sys.stderr)
    for detail in details:
        text = textwrap.fill(detail, 99, initial_indent="  ", subsequent_indent="  ")
        print(text, file=sys.stderr)


def _warn_uncoded(ir: SchemaIR, still: bool) -> None:
    """Warn about enums without integer codes: all of them, or (``still``) those codes were
    not found for."""
    uncoded = enums_without_codes(ir)
    if not uncoded:
        return
    if any(v.code is not None for e in ir.enums.values() for v in e.values):
        if still:
            _stderr(
                f"warning: {len(uncoded)} of {len(ir.enums)} enums still have no integer codes "
                "(integers sent for them decode as unknown members):",
                _names(uncoded),
            )
        return
    values = sum(len(e.values) for e in ir.enums.values())
    _stderr(
        f"warning: {ir.source} carries no integer enum codes: {len(uncoded)} of "
        f"{len(ir.enums)} enums ({values} values) have none.",
        "Billecta sends some enums as integer codes (the guide's webhook example has "
        '"ActionType": 2); the generated models decode those as unknown members.',
        "Take the codes from Billecta's JSON schemas with --enum-codes DIR, or from a codes "
        'file with --enum-codes FILE ({"EnumName": {"Member": code}}).',
        f"Enums without codes: {_names(uncoded)}.",
    )


def _schema(xsd: Path, enum_codes: Path | None) -> SchemaIR:
    """``xsd`` read, with the codes of ``enum_codes`` added; what is missing is said on stderr."""
    ir = load_schema(xsd)
    if enum_codes is None:
        _warn_uncoded(ir, still=False)
        return ir
    report = apply_enum_codes(ir, load_enum_codes(enum_codes))
    print(
        f"codegen: enum codes from {enum_codes.name}: {report.values_coded} values of "
        f"{len(report.enums_coded)} enums",
        file=sys.stderr,
    )
    if report.conflicts:
        _stderr(
            f"warning: {len(report.conflicts)} codes differ from the XSD's (the XSD's are kept):",
            *report.conflicts,
        )
    if report.unused:
        _stderr(
            f"note: {len(report.unused)} of the codes are for enums or values that "
            f"{ir.source} does not have:",
            _names(report.unused, _LISTED),
        )
    _warn_uncoded(ir, still=True)
    return ir


def main(argv: list[str]) -> int:
    """Run the generator; returns the exit status."""
    if argv[:1] == ["diff"]:
        return _diff_main(argv[1:])
    args = _parser().parse_args(argv)
    catalogue = args.catalogue
    if catalogue is None and args.xsd.resolve() == SCHEMA:
        catalogue = CATALOGUE
    # The project's own models: the API surface (billecta_async/resources/ and the rest) is
    # generated and checked with them.
    own = (args.xsd, args.config, args.out, args.package) == (SCHEMA, CONFIG, None, None)
    try:
        schema = _schema(args.xsd, args.enum_codes)
        if catalogue is None:
            _stderr(NO_CATALOGUE)
        if args.check:
            stale = check(args.xsd, args.config, args.out, args.package, schema, catalogue)
            surface = check_surface() if own else []
            if stale or surface:
                return report_stale(stale, surface)
            print("codegen --check: models are up to date" + (" and so is the API surface" * own))
            return 0
        written = generate(args.xsd, args.config, args.out, args.package, schema, catalogue)
        surface_written = write_surface() if own else 0
    except (SchemaError, SurfaceError, OSError) as exc:
        print(f"codegen: {exc}", file=sys.stderr)
        return 2
    print(f"codegen: wrote {written} files" + (f" and {surface_written} API surface files" * own))
    return 0
