"""Every Python code block of README.md and docs/ runs as written and is clean under
``mypy --strict``.

A block runs against a fresh local emulator, pointed to by the same ``BILLECTA_*`` variables
``billecta emulator`` prints (see tests/_docs.py for the conventions, which docs/index.md tells
readers): a program is executed; a web app it defines is served and gets the emulator's
webhooks; pytest blocks run under pytest, with the configuration they say they need; a block
marked as needing a Billecta account is only type-checked.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from typing import Any

import aiohttp
import pytest
from _docs import (
    AUTO_MODE,
    NEEDS_ACCOUNT,
    ROOT,
    Block,
    ThreadedEmulator,
    all_blocks,
    emulator_environ,
    free_port,
    mypy_errors,
    pay_an_invoice,
)
from aiohttp import web

BLOCKS = all_blocks()
README_BLOCKS = [block for block in BLOCKS if block.path.name == "README.md"]
PROGRAMS = [block for block in BLOCKS if block.kind == "program"]
PYTEST_BLOCKS = [block for block in BLOCKS if block.kind == "pytest"]
#: Where the blocks' webhook receivers answer, and the secret they expect (as the docs write).
WEBHOOK_PATH = "/billecta/webhooks"
WEBHOOK_SECRET = {"X-Webhook-Secret": "s3cret"}


def _id(block: Block) -> str:
    return block.where


def _compiled(block: Block) -> Any:
    # Padded so that a traceback names the Markdown file's own line numbers.
    return compile("\n" * (block.line - 1) + block.code, str(block.path), "exec")


def test_the_blocks_are_found() -> None:
    pages = {block.path for block in BLOCKS}
    assert ROOT / "README.md" in pages
    assert len(pages) >= 10, sorted(str(page) for page in pages)
    assert len(README_BLOCKS) >= 2
    assert PYTEST_BLOCKS, "the testing guide shows pytest tests"


@pytest.mark.parametrize("block", BLOCKS, ids=_id)
def test_block_is_clean_under_mypy_strict(block: Block) -> None:
    errors = mypy_errors(block.module)
    assert not errors, f"{block.where}:\n" + "\n".join(errors)


@pytest.mark.parametrize("block", BLOCKS, ids=_id)
def test_block_is_complete(block: Block) -> None:
    """Each block compiles alone, and one that needs an account says so on its first line."""
    _compiled(block)
    if block.kind == "account":
        assert block.code.lstrip().startswith(NEEDS_ACCOUNT)


# -- programs ------------------------------------------------------------------------------------


class _Served:
    """The ``app`` a block defines, served on 127.0.0.1 from the emulator's loop."""

    def __init__(self, app: Any, port: int, emulator: ThreadedEmulator) -> None:
        self.app, self.port, self.emulator = app, port, emulator
        self._stop: Any = None

    def __enter__(self) -> _Served:
        if isinstance(self.app, web.Application):
            runner = web.AppRunner(self.app)

            async def start() -> None:
                await runner.setup()
                await web.TCPSite(runner, "127.0.0.1", self.port).start()

            self.emulator.run(start())
            self._stop = runner.cleanup
        else:  # an ASGI app (FastAPI, or WebhookApp itself): uvicorn serves it, lifespan included
            import uvicorn

            server = uvicorn.Server(
                uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
            )
            task = asyncio.run_coroutine_threadsafe(server.serve(), self.emulator.loop)

            async def started() -> None:
                while not server.started:
                    assert not task.done(), task.result()
                    await asyncio.sleep(0.01)

            async def stop() -> None:
                server.should_exit = True
                await asyncio.wrap_future(task)

            self.emulator.run(started())
            self._stop = stop
        return self

    def __exit__(self, *exc: object) -> None:
        self.emulator.run(self._stop())


def _is_asgi(block: Block) -> bool:
    return "WebhookApp(" in block.code


async def _get_json(url: str) -> Any:
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        assert answer.status == 200, await answer.text()
        return await answer.json()


def _check_app(block: Block, app: Any, port: int, emulator: ThreadedEmulator) -> None:
    """Serve the block's app, let the emulator deliver its webhooks to it, and call the
    invoice route of the many-workers app."""
    with _Served(app, port, emulator):
        creditor = emulator.emulator.creditor_public_id

        async def scenario() -> Any:
            async with emulator.emulator.client() as client:
                paid = await pay_an_invoice(client, creditor)
            await emulator.emulator.drain_webhooks()
            if "/invoices/{number}" in block.code:
                url = f"http://127.0.0.1:{port}/invoices/{paid.invoice_number}"
                return paid, await _get_json(url)
            return paid, None

        invoice, found = emulator.run(scenario())
    sender = emulator.emulator.webhooks
    assert sender is not None
    delivered = {attempt.event_type for attempt in sender.attempts if attempt.ok}
    failed = [attempt for attempt in sender.attempts if not attempt.ok]
    assert not failed, failed
    assert {"DebtorCreated", "InvoiceActionAttested", "InvoicePaymentReceived"} <= delivered
    if found is not None:
        assert found == [invoice.action_public_id]


@pytest.mark.parametrize("block", PROGRAMS, ids=_id)
def test_program_block_runs_against_the_emulator(
    block: Block, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    serves = block.defines("app")
    port = free_port()
    settings: dict[str, Any] = {}
    if serves:
        slash = "/" if _is_asgi(block) else ""
        settings = {
            "webhook_url": f"http://127.0.0.1:{port}{WEBHOOK_PATH}{slash}",
            "webhook_headers": WEBHOOK_SECRET,
            "webhook_retry_delays": (),
        }
    emulator = ThreadedEmulator(**settings)
    try:
        for name, value in emulator_environ(emulator):
            if value is None:
                monkeypatch.delenv(name)
            else:
                monkeypatch.setenv(name, value)
        if "BILLECTA_REDIS_URL" in block.code:
            monkeypatch.setenv("BILLECTA_REDIS_URL", request.getfixturevalue("redis_url"))
        monkeypatch.chdir(request.getfixturevalue("tmp_path"))  # for files a block writes
        started: list[Any] = []  # a server the block starts is served by the test instead
        monkeypatch.setattr(web, "run_app", lambda app, **_: started.append(app))
        namespace: dict[str, Any] = {"__name__": "__main__"}
        exec(_compiled(block), namespace)
        if serves:
            _check_app(block, started[0] if started else namespace["app"], port, emulator)
    finally:
        emulator.close()


# -- pytest blocks -------------------------------------------------------------------------------


def _documented_pyproject() -> str:
    """The pytest configuration the testing guide tells users to put in pyproject.toml."""
    guide = (ROOT / "docs" / "guides" / "testing.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```toml\n(.*?)^```", guide, re.M | re.S)
    assert len(blocks) == 1, "the testing guide shows one pyproject.toml block"
    return str(blocks[0])


PYPROJECT = _documented_pyproject()


@pytest.fixture(scope="module")
def pytest_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """One pytest run (a subprocess, as a user's project runs it) over every pytest block, each
    in a test file of its own, under the configuration the blocks ask for: each block's test
    outcomes (``passed``, ``failed: ...``)."""
    work = tmp_path_factory.mktemp("docs-pytest")
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for block in PYTEST_BLOCKS:
        (work / f"test_{block.module}.py").write_text(block.code, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "BILLECTA_"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=out.xml"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = work / "out.xml"
    assert report.exists(), result.stdout + result.stderr
    # The documented configuration is complete: pytest-asyncio does not warn about it.
    assert "PytestDeprecationWarning" not in result.stdout + result.stderr, result.stdout
    outcomes: dict[str, list[str]] = {}
    for case in ElementTree.parse(report).iter("testcase"):
        module = case.get("classname", "").rsplit(".", 1)[-1].removeprefix("test_")
        problems = [child for child in case if child.tag in ("failure", "error", "skipped")]
        outcome = "passed"
        if problems:
            outcome = f"{problems[0].tag}: {problems[0].get('message')}\n{problems[0].text}"
        outcomes.setdefault(module, []).append(outcome)
    return outcomes


@pytest.mark.parametrize("block", PYTEST_BLOCKS, ids=_id)
def test_pytest_block_passes_under_pytest(
    block: Block, pytest_outcomes: dict[str, list[str]]
) -> None:
    assert AUTO_MODE in block.code or "pytest.mark.asyncio" in block.code, (
        f"{block.where}: say which pytest-asyncio configuration the tests need"
    )
    outcomes = pytest_outcomes.get(block.module)
    assert outcomes, f"{block.where}: pytest ran none of its tests"
    assert outcomes == ["passed"] * len(outcomes), outcomes


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("# Needs a Billecta account: the real test environment\nimport os\n", "account"),
        ("import pytest\n\n\nasync def test_it() -> None:\n    pass\n", "pytest"),
        ("import asyncio\n\n\nasync def main() -> None:\n    pass\n", "program"),
    ],
)
def test_a_blocks_kind_is_read_from_what_it_shows(code: str, kind: str) -> None:
    assert Block(ROOT / "README.md", 1, code).kind == kind
