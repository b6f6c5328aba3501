"""The README's quick start runs as written (against mocked Billecta answers)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from aioresponses import CallbackResult

import billecta_async.models as m

ROOT = Path(__file__).resolve().parent.parent


def _quick_start() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "README has no quick start code"
    return match.group(1)


def test_quick_start_creates_a_debtor_and_an_invoice_and_attests_it(
    mock_http: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BILLECTA_SECURE_TOKEN", "token")
    monkeypatch.setenv("BILLECTA_BASE_URL", "https://api.test.invalid")
    calls: list[tuple[str, str, Any]] = []
    ids = iter(["debtor-1", "invoice-1"])

    def answer(url: Any, **request: Any) -> CallbackResult:
        method = request.get("method") or ("POST" if request.get("data") else "PUT")
        calls.append((method, url.path, request.get("data")))
        if url.path.endswith("/attest/invoice-1"):
            return CallbackResult(status=200, body=b"")
        return CallbackResult(status=200, body=m.Created(public_id=next(ids)).to_json())

    pattern = re.compile(r"https://api\.test\.invalid/.*")
    mock_http.add(pattern, "POST", callback=answer, repeat=True)
    mock_http.add(pattern, "PUT", callback=answer, repeat=True)
    exec(compile(_quick_start(), "README.md", "exec"), {"__name__": "readme"})

    paths = [path for _, path, _ in calls]
    assert paths == ["/v1/debtors/debtor", "/v1/invoice/action", "/v1/invoice/attest/invoice-1"]
    invoice = orjson.loads(calls[1][2])
    assert invoice["DebtorPublicId"] == "debtor-1"
    assert invoice["Records"][0]["UnitPrice"] == {"CurrencyCode": "SEK", "Value": 50034}


def _emulator_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Testing without Billecta: the local emulator", 1)[1]
    section = section.split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


async def test_emulator_example_runs_as_written() -> None:
    example = _emulator_examples()[0]
    namespace: dict[str, Any] = {"__name__": "readme"}
    exec(compile(example, "README.md", "exec"), namespace)
    await namespace["test_create_debtor"]()


@pytest.mark.parametrize("billecta_format", ["json", "xml"])
async def test_fixture_example_runs_with_the_plugin_fixtures(
    billecta_client: Any, billecta_emulator: Any
) -> None:
    first, second = _emulator_examples()[:2]
    namespace: dict[str, Any] = {"__name__": "readme"}
    exec(compile(first, "README.md", "exec"), namespace)  # the imports the second one uses
    exec(compile(second, "README.md", "exec"), namespace)
    await namespace["test_debtor_listing"](billecta_client, billecta_emulator)


class _FastAPI:
    """Just enough of FastAPI (not a dependency) to run the many-workers example: it keeps the
    lifespan, the mounted apps and the routes."""

    def __init__(self, lifespan: Any) -> None:
        self.lifespan = lifespan
        self.state = SimpleNamespace()
        self.mounted: dict[str, Any] = {}
        self.routes: dict[str, Any] = {}

    def mount(self, path: str, app: Any) -> None:
        self.mounted[path] = app

    def get(self, path: str) -> Any:
        def route(function: Any) -> Any:
            self.routes[path] = function
            return function

        return route


async def test_many_workers_example_runs_as_written(
    redis_url: str, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from _builders import sofa_invoice

    from billecta_async.redis import RedisDeduplicator
    from billecta_async.testing import BillectaEmulator
    from billecta_async.webhooks import WebhookApp

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Running many workers", 1)[1].split("\n## ", 1)[0]
    example = re.findall(r"```python\n(.*?)```", section, re.S)[0]
    example = example.replace('prefix="billecta"', f'prefix="{prefix}"')
    monkeypatch.setitem(sys.modules, "fastapi", SimpleNamespace(FastAPI=_FastAPI))
    async with BillectaEmulator() as emulator:
        async with emulator.client() as setup:
            created = await sofa_invoice(setup, emulator.creditor_public_id, 100, attest=True)
            number = (await setup.invoices.get(created)).invoice_number
        for name, value in {
            "BILLECTA_REDIS_URL": redis_url,
            "BILLECTA_SECURE_TOKEN": emulator.secure_token,
            "BILLECTA_BASE_URL": emulator.url,
            "BILLECTA_CREDITOR_PUBLIC_ID": emulator.creditor_public_id,
        }.items():
            monkeypatch.setenv(name, value)
        namespace: dict[str, Any] = {"__name__": "readme"}
        exec(compile(example, "README.md", "exec"), namespace)
        app = namespace["app"]
        assert isinstance(app.mounted["/billecta/webhooks"], WebhookApp)
        assert isinstance(namespace["dedup"], RedisDeduplicator)
        async with app.lifespan(app):
            found = await app.routes["/invoices/{number}"](number)
            keys = await namespace["shared"].redis.keys(f"{prefix}:*")
    assert found == [created]
    assert any(b":limit:POST /v1/search/actions:" in key for key in keys)  # shared limits
