"""Command line of the code generator (see ``codegen/__main__.py``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codegen.diff import diff_schemas
from codegen.fingerprint import CATALOGUE, CONFIG, SCHEMA, report_stale
from codegen.generate import check, generate
from codegen.ir import SchemaError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--xsd", type=Path, default=SCHEMA)
    parser.add_argument("--config", type=Path, default=CONFIG)
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
    return parser


def main(argv: list[str]) -> int:
    """Run the generator; returns the exit status."""
    if argv[:1] == ["diff"]:
        diff = argparse.ArgumentParser(prog="python -m codegen diff")
        diff.add_argument("old", type=Path)
        diff.add_argument("new", type=Path)
        args = diff.parse_args(argv[1:])
        try:
            print(diff_schemas(args.old, args.new))
        except (SchemaError, OSError) as exc:
            print(f"codegen diff: {exc}", file=sys.stderr)
            return 2
        return 0
    args = _parser().parse_args(argv)
    catalogue = args.catalogue
    if catalogue is None and args.xsd.resolve() == SCHEMA:
        catalogue = CATALOGUE
    try:
        if args.check:
            stale = check(args.xsd, args.config, args.out, args.package, catalogue)
            if stale:
                return report_stale(stale)
            print("codegen --check: models are up to date")
            return 0
        written = generate(args.xsd, args.config, args.out, args.package, catalogue)
    except (SchemaError, OSError) as exc:
        print(f"codegen: {exc}", file=sys.stderr)
        return 2
    print(f"codegen: wrote {written} files")
    if catalogue is None:
        print(
            "codegen: no endpoint catalogue (--catalogue), so which models are only responses "
            "is unknown: every field is optional"
        )
    return 0
