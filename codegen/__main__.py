"""``python -m codegen``: regenerate, check or compare Billecta's models.

    python -m codegen                      regenerate billecta_async/models/ from the schema, and
                                           the API surface (resources/, sync_resources/,
                                           _catalogue.json) from schema/endpoints*.json
    python -m codegen --check              exit 1 when the committed models or surface are stale
    python -m codegen --xsd X --out DIR    generate from another XSD (e.g. Billecta's download)
        --enum-codes DIR_OR_FILE           integer enum codes the XSD lacks (Billecta's JSON
                                           schemas, or {"EnumName": {"Member": code}})
    python -m codegen diff OLD.xsd NEW.xsd what an upgrade breaks, renames and adds (--codes:
                                           also enum values that only gain or lose a code)

The generator needs its own dependencies (xsdata's CLI extra): ``pip install -e ".[codegen]"``.
Without them, ``--check`` (of the committed package) verifies the fingerprints instead: the
inputs and generators the models and the API surface were generated from, and every file written.
"""

from __future__ import annotations

import sys

# What the `codegen` extra of pyproject.toml installs, as import names.
_GENERATOR_DEPENDENCIES = {"xsdata", "click", "jinja2", "toposort", "lxml"}


def _run() -> int:
    try:
        from codegen.cli import main
    except ModuleNotFoundError as exc:
        package = (exc.name or "").split(".")[0]
        if package not in _GENERATOR_DEPENDENCIES:
            raise
        if sys.argv[1:] == ["--check"]:
            return _check_fingerprint(package)
        print(
            f"codegen: the generator's dependencies are not installed (no module {package!r}).\n"
            f'Install them with: {sys.executable} -m pip install -e ".[codegen]"',
            file=sys.stderr,
        )
        return 2
    return main(sys.argv[1:])


def _check_fingerprint(missing: str) -> int:
    """``--check`` without the generator: verify the committed package's fingerprint."""
    from codegen.fingerprint import (
        CATALOGUE,
        CONFIG,
        ROOT,
        SCHEMA,
        report_stale,
        verify,
        verify_surface,
    )

    problems = verify(ROOT / "billecta_async" / "models", SCHEMA, CONFIG, catalogue=CATALOGUE)
    surface = verify_surface()
    if problems or surface:
        return report_stale(problems, surface)
    print(
        "codegen --check: models are up to date (fingerprint: the schema, configuration and "
        "generator are those they were generated from, and no generated file was changed), "
        "and so is the API surface (its fingerprint: the endpoint catalogue, overrides and "
        "generator, and every file written).\n"
        f"The generator's dependencies are not installed (no module {missing!r}), so the "
        "package was not regenerated; for that check too: "
        f'{sys.executable} -m pip install -e ".[codegen]"'
    )
    return 0


if __name__ == "__main__":
    sys.exit(_run())
