"""The documentation site covers the whole public API, and its navigation every page.

``python -m nox -s docs`` builds the site with ``mkdocs build --strict`` (a broken link or
reference fails it) and then checks the built pages (docs/_scripts/check_site.py). These tests
need no MkDocs: they read the navigation in mkdocs.yml, the hand-written reference pages, and
the pages the build generates (docs/_scripts/gen_reference.py, called directly).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import billecta_async
import billecta_async.models
import billecta_async.redis
import billecta_async.testing
import billecta_async.webhooks
from billecta_async._catalogue import catalogue

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DOCS / "_scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    pages: dict[str, str] = _script("gen_reference").pages()
    return pages


def _documented(pages: dict[str, str]) -> set[str]:
    """Every identifier a ``::: identifier`` directive renders, hand-written or generated."""
    texts = [path.read_text(encoding="utf-8") for path in (DOCS / "reference").glob("*.md")]
    texts += list(pages.values())
    return {name for text in texts for name in re.findall(r"^::: (\S+)$", text, re.M)}


def test_every_section_has_an_async_and_a_sync_page_with_every_method(
    generated: dict[str, str],
) -> None:
    found = catalogue()
    assert len(found.resources) == 23
    for info in found.resources:
        for folder, prefix in (("sections", ""), ("sync-sections", "Sync")):
            page = generated[f"reference/{folder}/{info.attr}.md"]
            package = "resources" if not prefix else "sync_resources"
            assert f"::: billecta_async.{package}.{info.module}.{prefix}{info.class_name}" in page
            for op in found.operations:
                if op.resource == info.attr:
                    assert f"| [`{op.name}`](#" in page, (info.attr, op.name)
                    assert f"`{op.method} {op.path}`" in page


def test_every_endpoint_is_listed_with_its_method(generated: dict[str, str]) -> None:
    page = generated["reference/endpoints.md"]
    operations = catalogue().operations
    assert len(operations) > 250
    for op in operations:
        assert f"[`client.{op.resource}.{op.name}`]" in page, op.name


def test_every_model_has_a_page_and_is_in_the_index(generated: dict[str, str]) -> None:
    names = billecta_async.models.__all__
    assert len(names) > 380
    index = generated["reference/models/index.md"]
    for name in names:
        assert generated[f"reference/models/{name}.md"].startswith(
            f"::: billecta_async.models.{name}\n"
        )
        assert f"[`{name}`]({name}.md)" in index


def test_every_public_name_is_in_the_reference(generated: dict[str, str]) -> None:
    documented = _documented(generated)
    expected = {f"billecta_async.{name}" for name in billecta_async.__all__}
    expected.discard("billecta_async.__version__")
    expected |= {f"billecta_async.testing.{name}" for name in billecta_async.testing.__all__}
    missing = sorted(expected - documented)
    assert not missing, missing
    # Modules documented whole: every public name of theirs is rendered with them.
    assert {"billecta_async.webhooks", "billecta_async.redis"} <= documented
    redis_page = (DOCS / "reference" / "redis.md").read_text(encoding="utf-8")
    for name in billecta_async.redis.__all__:
        assert name in redis_page, name
    assert billecta_async.webhooks.__all__  # all of them: the page renders the module


def test_the_reference_navigation_lists_every_generated_page(generated: dict[str, str]) -> None:
    nav = generated["reference/SUMMARY.md"]
    linked = set(re.findall(r"\]\(([^)]+\.md)\)", nav))
    pages = {path.removeprefix("reference/") for path in generated} - {"SUMMARY.md"}
    hand_written = {path.name for path in (DOCS / "reference").glob("*.md")}
    assert linked == pages | hand_written


def test_the_site_navigation_lists_every_written_page() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config.split("\nnav:\n", 1)[1]
    listed = set(re.findall(r": (\S+\.md)$", nav, re.M))
    written = {
        str(path.relative_to(DOCS))
        for path in DOCS.rglob("*.md")
        if path.parent != DOCS / "reference"  # the reference has its own navigation
    }
    assert listed == written
    assert re.search(r"^  - API reference: reference/$", nav, re.M)


def test_the_guides_follow_billectas_use_cases() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    guides = config.split("  - Guides:\n", 1)[1].split("\n  - ", 1)[0]
    titles = re.findall(r"^      - ([^:]+):", guides, re.M)
    assert titles == [
        "Basic invoicing",
        "Debtors, autogiro and cards",
        "BankID",
        "Swish",
        "Bank account retrieval",
        "Webhooks",
        "Testing with the emulator",
        "Running many workers",
        "Errors, retries and idempotency",
        "Regenerating the models",
    ]


def test_ci_builds_the_site_strictly() -> None:
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert re.search(r'nox\.options\.sessions = \[[^\]]*"docs"', noxfile)
    assert '"mkdocs", "build", "--strict"' in noxfile
    assert "check_site.py" in noxfile
