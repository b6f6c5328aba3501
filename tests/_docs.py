"""What the documentation tests share: the Python code blocks of README.md and docs/, an emulator
running in a thread of its own (for code that calls ``asyncio.run``), and one ``mypy --strict``
run over every block and every script of examples/.

The conventions the blocks follow (docs/index.md, "About the examples", says the same to
readers):

* every block is complete: its imports included;
* a block that talks to Billecta reads its settings from the environment:
  ``BillectaClient.from_env()`` and ``BILLECTA_CREDITOR_PUBLIC_ID``, which ``billecta emulator``
  prints as ``export`` lines; the tests run it against a fresh emulator with those set;
* a block that defines pytest tests says in a comment that it needs pytest-asyncio's
  ``asyncio_mode = "auto"`` (or marks its tests with ``pytest.mark.asyncio``); the tests run it
  with pytest under that configuration;
* a block that only works against a real Billecta account begins with the comment
  ``# Needs a Billecta account`` and is only type-checked;
* a block runs as a script (``__name__ == "__main__"``); a web app it defines as ``app`` (or
  starts with aiohttp's ``web.run_app``) is served by the tests instead, on a free port, and
  gets the emulator's webhooks.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from _builders import sofa_invoice

from billecta_async import BillectaClient, ScaledClock
from billecta_async import models as m
from billecta_async.testing import BillectaEmulator

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
T = TypeVar("T")

#: The first line of a block that needs a real Billecta account (not run, only type-checked).
NEEDS_ACCOUNT = "# Needs a Billecta account"
#: What a pytest block must say (or carry the marker) about pytest-asyncio's configuration.
AUTO_MODE = 'asyncio_mode = "auto"'
#: How fast the tests' emulators run: ``billecta emulator --speed 100``.
SPEED = 100

Kind = Literal["program", "pytest", "account"]
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^\n`]*)$")


@dataclass(frozen=True)
class Block:
    """One fenced Python code block of a Markdown file."""

    path: Path  # the Markdown file
    line: int  # the line of the block's first line of code (1-based)
    code: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def module(self) -> str:
        """A module name for the block, unique and readable (``docs_guides_bankid_L42``)."""
        stem = str(self.path.relative_to(ROOT).with_suffix("")).replace("/", "_").replace("-", "_")
        return f"{stem.lower()}_L{self.line}"

    @property
    def kind(self) -> Kind:
        first = next((line for line in self.code.splitlines() if line.strip()), "")
        if first.startswith(NEEDS_ACCOUNT):
            return "account"
        tree = ast.parse(self.code)
        tests = [
            node
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name.startswith("test_")
        ]
        return "pytest" if tests else "program"

    def defines(self, name: str) -> bool:
        """Whether the block assigns ``name`` at its top level."""
        for node in ast.parse(self.code).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            if any(isinstance(target, ast.Name) and target.id == name for target in targets):
                return True
        return False


def markdown_files() -> list[Path]:
    """README.md and every page of docs/ (the generated reference is not a file)."""
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def python_blocks(path: Path) -> list[Block]:
    """The fenced code blocks of ``path`` whose language is Python, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        indent, fence = opening["indent"], opening["fence"]
        language = (opening["info"].split() or [""])[0].lower()
        start = index
        while index < len(lines):
            closing = _FENCE.match(lines[index])
            if closing and closing["fence"].startswith(fence) and not closing["info"].strip():
                break
            index += 1
        body = [
            line[len(indent) :] if line.startswith(indent) else line for line in lines[start:index]
        ]
        index += 1
        if language in ("python", "py"):
            blocks.append(Block(path, start + 1, "\n".join(body) + "\n"))
    return blocks


def all_blocks() -> list[Block]:
    return [block for path in markdown_files() for block in python_blocks(path)]


def example_scripts() -> list[Path]:
    return sorted(EXAMPLES.glob("*.py"))


# -- one mypy run --------------------------------------------------------------------------------


def _mypy(work: Path, blocks: list[Block]) -> subprocess.CompletedProcess[str]:
    for block in blocks:
        (work / f"{block.module}.py").write_text(block.code, encoding="utf-8")
    files = [str(work / f"{block.module}.py") for block in blocks]
    files += [str(path) for path in example_scripts()]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(work / ".mypy_cache"),
            "--no-pretty",
            "--no-error-summary",
            "--show-error-codes",
            *files,
        ],
        cwd=ROOT,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )


@functools.cache
def mypy_report() -> dict[str, list[str]]:
    """``mypy --strict`` (the project's configuration) over every block and every example, once
    per test session: its messages by file (a block's module name, or an example's path)."""
    blocks = all_blocks()
    with tempfile.TemporaryDirectory(prefix="billecta-docs-mypy-") as folder:
        work = Path(folder)
        result = _mypy(work, blocks)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    where = {block.module: block for block in blocks}
    found: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        name, _, rest = line.partition(":")
        number, _, message = rest.partition(":")
        block = where.get(Path(name).stem) if Path(name).parent == work else None
        if block is not None and number.isdigit():  # the Markdown file's own line
            line = f"{block.path.relative_to(ROOT)}:{block.line + int(number) - 1}:{message}"
        found.setdefault(block.module if block else name, []).append(line)
    return found


def mypy_errors(key: str) -> list[str]:
    """mypy's errors and notes about one block (its module name) or example (its path)."""
    return mypy_report().get(key, [])


# -- an emulator in a thread of its own ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ThreadedEmulator:
    """A :class:`BillectaEmulator` (``ScaledClock(SPEED)``) served by an event loop in a thread of
    its own, so that code under test can call ``asyncio.run`` in the main thread."""

    def __init__(self, **settings: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.emulator = BillectaEmulator(clock=ScaledClock(SPEED), **settings)
        self.run(self.emulator.start())

    def run(self, work: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        """Run ``work`` on the emulator's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    @property
    def environ(self) -> dict[str, str]:
        """The variables ``billecta emulator`` prints: what the examples read."""
        return {
            "BILLECTA_BASE_URL": self.emulator.url,
            "BILLECTA_SECURE_TOKEN": self.emulator.secure_token,
            "BILLECTA_CREDITOR_PUBLIC_ID": self.emulator.creditor_public_id,
        }

    def close(self) -> None:
        self.run(self.emulator.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@functools.cache
def _unset() -> tuple[str, ...]:
    return tuple(name for name in os.environ if name.startswith("BILLECTA_"))


def emulator_environ(emulator: ThreadedEmulator) -> Iterator[tuple[str, str | None]]:
    """The environment changes that point ``from_env`` at ``emulator``: every other
    ``BILLECTA_*`` variable removed (``BILLECTA_TEST_REDIS_URL`` kept)."""
    for name in _unset():
        if name != "BILLECTA_TEST_REDIS_URL":
            yield name, None
    yield from emulator.environ.items()


async def pay_an_invoice(client: BillectaClient, creditor: str) -> m.InvoiceAction:
    """Billecta's basic invoicing and a payment in full (a debtor "Jenny", one sofa at 250 SEK,
    attested, paid): what a webhook receiver gets events for. The paid invoice."""
    action = await sofa_invoice(client, creditor, 25000, attest=True)
    invoice = await client.invoices.get(action)
    payment = m.RegisterPayment(action_public_id=action, amount=invoice.current_amount)
    await client.invoices.register_payment(payment)
    return await client.invoices.get(action)
