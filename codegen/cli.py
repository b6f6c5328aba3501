"""Command line of the code generator (see ``codegen/__main__.py``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codegen.diff import diff_schemas
from codegen.fingerprint import CONFIG, SCHEMA, report_stale
from codegen.generate import check, generate
from codegen.ir import SchemaError
from codegen.resources import SurfaceError, check_surface, write_surface

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--xsd", type=Path, default=SCHEMA)
    parser.add_argument("--config", type=Path, default=CONFIG)
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
    # The project's own models: the API surface (billecta_async/resources/ and the rest) is
    # generated and checked with them.
    own = (args.xsd, args.config, args.out, args.package) == (SCHEMA, CONFIG, None, None)
    try:
        if args.check:
            stale = check(args.xsd, args.config, args.out, args.package)
            surface = check_surface() if own else []
            if stale or surface:
                status = report_stale(stale) if stale else 0
                return report_stale(surface, "API surface") if surface else status
            print("codegen --check: models are up to date" + (" and so is the API surface" * own))
            return 0
        written = generate(args.xsd, args.config, args.out, args.package)
        surface_written = write_surface() if own else 0
    except (SchemaError, SurfaceError, OSError) as exc:
        print(f"codegen: {exc}", file=sys.stderr)
        return 2
    print(f"codegen: wrote {written} files" + (f" and {surface_written} API surface files" * own))
    return 0
