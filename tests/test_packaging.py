"""What a user sees of the package: the built metadata carries its URLs, classifiers, license."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIST = metadata.distribution("billecta-async")
STALE = "the installed metadata is stale: reinstall with `pip install -e .`"


def _project() -> dict[str, object]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project


def _urls() -> dict[str, str]:
    return dict(entry.split(", ", 1) for entry in DIST.metadata.get_all("Project-URL") or [])


def test_the_project_urls_are_one_base_and_name_docs_changelog_and_issues() -> None:
    urls = _urls()
    assert {"Homepage", "Documentation", "Changelog", "Issues"} <= set(urls)
    base = urls["Homepage"]
    assert re.fullmatch(r"https://[a-z0-9.-]+/[\w.-]+/[\w.-]+", base), base
    for url in urls.values():
        assert url.startswith(base), url
    assert urls["Changelog"].endswith("/CHANGELOG.md")


def test_the_installed_metadata_is_pyprojects() -> None:
    project = _project()
    assert _urls() == project["urls"], STALE
    assert DIST.metadata.get_all("Classifier") == project["classifiers"], STALE


def test_the_classifiers_say_async_typed_portable_and_which_pythons() -> None:
    classifiers = set(DIST.metadata.get_all("Classifier") or [])
    for expected in (
        "Framework :: AsyncIO",
        "Typing :: Typed",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3 :: Only",
    ):
        assert expected in classifiers
    assert any(c.startswith("Topic :: Office/Business :: Financial") for c in classifiers)
    versions = sorted(
        tuple(map(int, c.rsplit(":: ", 1)[1].split(".")))
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    )
    assert versions[0] == (3, 10)
    assert DIST.metadata["Requires-Python"] == ">=3.10"
    assert versions == [(3, minor) for minor in range(10, versions[-1][1] + 1)]  # no gaps
    assert sys.version_info[:2] in versions  # the Python running the tests is a listed one


def test_the_license_is_mit_and_the_file_ships_with_the_package() -> None:
    assert DIST.metadata["License-Expression"] == "MIT"
    # PEP 639: with a license expression, License :: classifiers are not used.
    assert not any(c.startswith("License ::") for c in DIST.metadata.get_all("Classifier") or [])
    assert DIST.metadata.get_all("License-File") == ["LICENSE"]
    shipped = [f for f in DIST.files or [] if f.name == "LICENSE"]
    assert shipped, "LICENSE is not in the installed distribution"
    text = shipped[0].read_text()
    assert text == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
