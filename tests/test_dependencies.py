"""The runtime dependencies declared in pyproject.toml are exactly what the runtime imports.

Every ``.py`` file under ``billecta_async/`` is read for its imports of third-party packages,
with what guards them: an import under ``if TYPE_CHECKING`` is not needed at run time, one in the
``else`` of ``if sys.version_info >= (3, N)`` only below Python 3.N, one in ``try: ... except
ImportError`` is optional. The emulator and the pytest plugin (``testing/``) are part of the
runtime: ``billecta demo`` runs the emulator, and users' tests run both. The plugin's own
``pytest`` and ``pytest_asyncio`` come with the pytest process that loads it, so they are not
runtime dependencies.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "billecta_async"

#: Imports that are not runtime dependencies, with the file they may appear in and why.
PROVIDED_BY_THE_HOST = {
    ("pytest", "testing/pytest_plugin.py"): "the pytest process that loads the plugin",
    ("pytest_asyncio", "testing/pytest_plugin.py"): "optional: the async fixtures need it",
}
#: Declared dependencies that nothing imports, and why they are there.
DATA_ONLY = {"tzdata": "zoneinfo reads its time zones where the system has none"}


@dataclass(frozen=True)
class Use:
    module: str  # top-level import name
    file: str  # relative to billecta_async/
    below: tuple[int, int] | None  # needed only below this Python version


def _version_guard(test: ast.expr) -> tuple[int, int] | None:
    """(3, N) for ``sys.version_info >= (3, N)``."""
    if (
        isinstance(test, ast.Compare)
        and ast.unparse(test.left) == "sys.version_info"
        and isinstance(test.ops[0], ast.GtE)
        and isinstance(test.comparators[0], ast.Tuple)
    ):
        major, minor = (ast.literal_eval(e) for e in test.comparators[0].elts[:2])
        return (major, minor)
    return None


def _uses(tree: ast.Module, file: str) -> list[Use]:
    found: list[Use] = []

    def visit(nodes: list[ast.stmt], below: tuple[int, int] | None) -> None:
        for node in nodes:
            if isinstance(node, ast.If):
                if "TYPE_CHECKING" in ast.unparse(node.test):
                    if ast.unparse(node.test).startswith("not"):
                        visit(node.body, below)
                    continue  # type checkers only (the else branch, if any, is unusual)
                guard = _version_guard(node.test)
                visit(node.body, below)
                visit(node.orelse, guard or below)
                continue
            if isinstance(node, ast.Try):
                optional = any(
                    "ImportError" in ast.unparse(h.type or ast.Name("")) for h in node.handlers
                )
                if not optional:
                    visit(node.body, below)
                visit([*node.orelse, *node.finalbody], below)
                for handler in node.handlers:
                    visit(handler.body, below)
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                for child in ("body", "orelse", "finalbody"):
                    if isinstance(getattr(node, child, None), list):
                        visit(getattr(node, child), below)
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "billecta_async":
                    found.append(Use(top, file, below))

    visit(tree.body, None)
    return found


def _runtime_uses() -> list[Use]:
    uses = []
    for path in sorted(PACKAGE.rglob("*.py")):
        file = path.relative_to(PACKAGE).as_posix()
        uses += _uses(ast.parse(path.read_text(encoding="utf-8")), file)
    return [u for u in uses if (u.module, u.file) not in PROVIDED_BY_THE_HOST]


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(text) for text in project["dependencies"]]
    return {canonicalize_name(r.name): r for r in requirements}


def _distribution(module: str) -> str:
    names = packages_distributions().get(module)
    assert names, f"{module} is imported but not installed"
    return canonicalize_name(names[0])


def _needed_on(marker: Marker | None, minor: int) -> bool:
    return marker is None or marker.evaluate({"python_version": f"3.{minor}"})


def test_every_imported_package_is_declared_for_the_pythons_that_import_it() -> None:
    declared = _declared()
    needed: dict[str, set[int]] = {}  # distribution -> minor versions of 3.10-3.14 needing it
    for use in _runtime_uses():
        minors = {m for m in range(10, 15) if use.below is None or (3, m) < use.below}
        needed.setdefault(_distribution(use.module), set()).update(minors)
    assert sorted(needed) == sorted(set(declared) - set(DATA_ONLY))
    for name, minors in needed.items():
        marker = declared[name].marker
        assert {m for m in range(10, 15) if _needed_on(marker, m)} == minors, (
            f"{name} is imported on Python 3.{sorted(minors)} but declared with {marker}"
        )


def test_the_code_generator_is_no_runtime_dependency() -> None:
    assert "xsdata" not in _declared()
    assert all(use.module != "xsdata" for use in _runtime_uses())
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    codegen = [Requirement(text) for text in project["optional-dependencies"]["codegen"]]
    assert "xsdata" in {canonicalize_name(r.name) for r in codegen}


def test_the_reader_sees_guards() -> None:
    tree = ast.parse(
        "import sys\n"
        "from typing import TYPE_CHECKING\n"
        "import aiohttp\n"
        "if TYPE_CHECKING:\n    import yarl\n"
        "if sys.version_info >= (3, 11):\n    from typing import Self\n"
        "else:\n    from typing_extensions import Self\n"
        "try:\n    import pytest_asyncio\nexcept ImportError:\n    pass\n"
        "def f():\n    import orjson\n"
    )
    assert _uses(tree, "x.py") == [
        Use("aiohttp", "x.py", None),
        Use("typing_extensions", "x.py", (3, 11)),
        Use("orjson", "x.py", None),
    ]
