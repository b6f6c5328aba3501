"""Regressions found in the generator: each XSD here once produced an unimportable package."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.cli import main

ROOT = Path(__file__).resolve().parent.parent

XSD = """<?xml version="1.0" encoding="utf-8"?>
<xs:schema elementFormDefault="qualified" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="Filter" nillable="true" type="Filter" />
  <xs:complexType name="Filter">
    <xs:annotation><xs:documentation>Filter, as in "Email"</xs:documentation></xs:annotation>
    <xs:sequence>
      <xs:element minOccurs="0" maxOccurs="1" name="Field" type="xs:string">
        <xs:annotation><xs:documentation>A folder such as C:\\xfiles\\users.</xs:documentation>
        </xs:annotation>
      </xs:element>
      <xs:element minOccurs="0" maxOccurs="1" name="Value" type="Any">
        <xs:annotation><xs:documentation>code blocks use \"\"\" fences.</xs:documentation>
        </xs:annotation>
      </xs:element>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Any">
    <xs:sequence>
      <xs:element minOccurs="0" maxOccurs="1" name="Text" type="xs:string" />
    </xs:sequence>
  </xs:complexType>
  <xs:simpleType name="Mode">
    <xs:annotation><xs:documentation>Delivery mode, e.g. "Email"</xs:documentation></xs:annotation>
    <xs:restriction base="xs:string"><xs:enumeration value="Email" /></xs:restriction>
  </xs:simpleType>
</xs:schema>
"""


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    xsd = tmp_path / "tricky.xsd"
    xsd.write_text(XSD, encoding="utf-8")
    out = tmp_path / "tricky_pkg"
    assert (
        main(
            [
                "--xsd",
                str(xsd),
                "--out",
                str(out),
                "--package",
                "tricky_pkg",
                "--config",
                str(ROOT / "codegen" / "xsdata.xml"),
            ]
        )
        == 0
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("tricky_pkg")
    for name in [n for n in sys.modules if n == "tricky_pkg" or n.startswith("tricky_pkg.")]:
        del sys.modules[name]


def test_field_named_field_and_type_named_any_work(package) -> None:  # type: ignore[no-untyped-def]
    filt = package.Filter(field_="x", value=package.Any(text="y"))
    assert package.Filter.from_json(filt.to_json()) == filt
    assert package.Filter.from_xml(filt.to_xml()) == filt
    assert package.Any.__module__ == "tricky_pkg.any"


def test_documentation_with_quotes_and_backslashes_survives(package) -> None:  # type: ignore[no-untyped-def]
    assert 'Filter, as in "Email"' in package.Filter.__doc__
    assert "C:\\xfiles\\users." in package.Filter.__doc__
    assert 'use """ fences' in package.Filter.__doc__
    assert 'e.g. "Email"' in package.Mode.__doc__


def _codegen_without(missing: str, *argv: str) -> subprocess.CompletedProcess[str]:
    code = (
        f"import sys, runpy; sys.modules[{missing!r}] = None; sys.argv = ['codegen', *{argv!r}]; "
        "runpy.run_module('codegen', run_name='__main__')"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("missing", ["xsdata", "click"])
def test_missing_generator_dependencies_give_a_clear_message(missing: str) -> None:
    out = _codegen_without(missing)  # regenerating needs the generator
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert f"no module {missing!r}" in out.stderr
    assert 'pip install -e ".[codegen]"' in out.stderr


def test_check_without_the_generator_verifies_the_fingerprint() -> None:
    out = _codegen_without("xsdata", "--check")
    assert out.returncode == 0, out.stderr
    assert "models are up to date (fingerprint" in out.stdout
    assert 'pip install -e ".[codegen]"' in out.stdout


def _copy_inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    models = tmp_path / "models"
    shutil.copytree(
        ROOT / "billecta_async" / "models", models, ignore=shutil.ignore_patterns("__pycache__")
    )
    xsd = tmp_path / "billecta.xsd"
    shutil.copy(ROOT / "schema" / "billecta.xsd", xsd)
    return models, xsd, ROOT / "codegen" / "xsdata.xml"


def _copy_catalogue(tmp_path: Path) -> Path:
    catalogue = tmp_path / "endpoints.json"
    shutil.copy(ROOT / "schema" / "endpoints.json", catalogue)
    return catalogue


def test_fingerprint_matches_the_committed_package(tmp_path: Path) -> None:
    from codegen.fingerprint import verify

    catalogue = _copy_catalogue(tmp_path)
    inputs = _copy_inputs(tmp_path)
    assert verify(*inputs, catalogue=catalogue) == []
    # Generated with the catalogue (which models are only responses): without it, it differs.
    assert verify(*inputs) == [
        "changed since the models were generated: catalogue",
        "changed since the models were generated: webhook payload models",
    ]


def test_fingerprint_catches_edits_and_a_changed_schema(tmp_path: Path) -> None:
    from codegen.fingerprint import verify

    models, xsd, config = _copy_inputs(tmp_path)
    catalogue = _copy_catalogue(tmp_path)
    catalogue.write_bytes(catalogue.read_bytes().replace(b'"Created"', b'"Debtor"', 1))
    with (models / "debtor.py").open("a", encoding="utf-8") as f:
        f.write("# edited by hand\n")
    (models / "extra.py").write_text("", encoding="utf-8")
    (models / "created.py").unlink()
    xsd.write_bytes(xsd.read_bytes().replace(b"</xs:schema>", b"<!-- new --></xs:schema>"))
    assert verify(models, xsd, config, catalogue=catalogue) == [
        "changed since the models were generated: catalogue",
        "changed since the models were generated: schema",
        "missing: created.py",
        "differs: debtor.py",
        "not generated: extra.py",
    ]
    (models / "_fingerprint.py").unlink()
    assert verify(models, xsd, config) == ["missing: _fingerprint.py (run `python -m codegen`)"]
