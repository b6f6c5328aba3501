"""What importing the SDK loads: facts about the import graph, checked in fresh interpreters.

Code that only needs models, the codecs or webhook parsing (a webhook receiver, a batch job
reading exports) must not pay for aiohttp and the client; neither must a pytest run of a project
that merely has the SDK (and so its pytest plugin) installed. Timings are in
``bench/bench_startup.py``; these tests check which modules get imported.
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import billecta_async

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("aiohttp", "billecta_async._client", "billecta_async._transport")


def _loaded_after(code: str) -> set[str]:
    """The top-level packages and SDK modules a fresh interpreter has loaded after ``code``."""
    probe = textwrap.dedent(code) + "\nimport sys\nprint(' '.join(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(result.stdout.split())


LIGHT_USES = {
    "import billecta_async": "import billecta_async",
    "a model, encoded and decoded": """
        from billecta_async.models import Debtor, DebtorType
        debtor = Debtor(name="Jenny Doe", debtor_type=DebtorType.PRIVATE)
        assert Debtor.from_json(debtor.to_json()) == Debtor.from_xml(debtor.to_xml()) == debtor
    """,
    "the codecs and the errors": """
        from billecta_async import DecodeError, from_json, to_xml
        from billecta_async._wire import ListOf, Model
        from billecta_async.models import Debtors
        assert from_json(b"[]", Debtors) == []
    """,
    "webhook parsing": """
        from billecta_async.models import IncomingPayment
        from billecta_async.testing import default_model
        from billecta_async.webhooks import WebhookApp, WebhookEventType, encode_webhook
        from billecta_async.webhooks import parse_webhook
        payment = default_model(IncomingPayment, invoice_number="4711")
        body = encode_webhook("InvoicePaymentReceived", payment, creditor_public_id="c")
        event = parse_webhook(body, "application/json")
        assert event.event_type is WebhookEventType.INVOICE_PAYMENT_RECEIVED
        assert event.data == payment
    """,
}


@pytest.mark.parametrize("use", sorted(LIGHT_USES))
def test_light_uses_do_not_load_aiohttp_or_the_client(use: str) -> None:
    loaded = _loaded_after(LIGHT_USES[use])
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    assert "billecta_async.testing.emulator" not in loaded


def test_json_alone_does_not_load_the_xml_codec() -> None:
    loaded = _loaded_after(
        """
        from billecta_async import from_json, to_json
        from billecta_async.models import Debtor
        assert from_json(to_json(Debtor(name="Jenny Doe")), Debtor).name == "Jenny Doe"
        """
    )
    assert "billecta_async._wire._json" in loaded
    assert "lxml" not in loaded and "billecta_async._wire._xml" not in loaded


def test_the_client_loads_on_first_use() -> None:
    loaded = _loaded_after(
        """
        import sys
        import billecta_async
        assert "aiohttp" not in sys.modules
        assert billecta_async.BillectaClient.__name__ == "BillectaClient"
        """
    )
    assert set(HEAVY) <= loaded


def _typed_sources(path: Path) -> dict[str, tuple[str, str]]:
    """Name -> (module, name there) of the imports under ``if TYPE_CHECKING`` in a package's
    __init__.py."""
    sources: dict[str, tuple[str, str]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            if ast.unparse(node.test).startswith("not"):
                continue
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        sources[alias.asname or alias.name] = (statement.module, alias.name)
    return sources


@pytest.mark.parametrize(
    "package",
    ["billecta_async", "billecta_async._wire", "billecta_async.testing", "billecta_async.webhooks"],
)
def test_lazy_names_are_what_type_checkers_see(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__file__ is not None
    typed = _typed_sources(Path(module.__file__))
    assert typed, "the lazily loaded names are imported under TYPE_CHECKING"
    for name, (source, original) in typed.items():
        assert name in module.__all__, f"{package}.{name} is not in __all__"
        value = getattr(module, name)
        assert value is getattr(importlib.import_module(source), original), f"{package}.{name}"
    for name in module.__all__:
        getattr(module, name)  # every listed name resolves
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError, match="has no attribute 'BillectaClent'"):
        module.BillectaClent  # noqa: B018


def test_every_public_name_of_the_package_is_typed() -> None:
    typed = _typed_sources(Path(billecta_async.__file__ or ""))
    assert set(billecta_async.__all__) == {*typed, "__version__"}


# -- the pytest plugin ---------------------------------------------------------------------------

PROBE = """\
import sys

LOADED_AT_COLLECTION = set(sys.modules)


def test_registered_without_the_emulator(request):
    assert request.config.pluginmanager.has_plugin("billecta_async.testing.pytest_plugin")
    heavy = {"aiohttp", "billecta_async.testing.emulator", "billecta_async._client", "lxml"}
    assert not heavy & LOADED_AT_COLLECTION, sorted(heavy & LOADED_AT_COLLECTION)
    assert not heavy & set(sys.modules), sorted(heavy & set(sys.modules))


async def test_the_fixtures_still_work(billecta_client, billecta_emulator):
    countries = await billecta_client.common.list_countries()
    assert countries and "billecta_async.testing.emulator" in sys.modules
"""

INI = """\
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""


@pytest.mark.parametrize("how", ["entry point", "-p"])
def test_the_pytest_plugin_loads_the_emulator_only_for_its_fixtures(
    how: str, tmp_path: Path
) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(INI, encoding="utf-8")
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    env = dict(os.environ)
    if how == "-p":  # no plugin autoloading: the plugins are named
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        argv += ["-p", "pytest_asyncio.plugin", "-p", "billecta_async.testing.pytest_plugin"]
    result = subprocess.run(
        [*argv, "test_probe.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
