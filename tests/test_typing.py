"""What a type checker sees of the SDK: one ``mypy --strict`` run over a snippet of user code.

* Billecta always returns ``Created.PublicId`` (and the ids, stages and flags of the models it
  only returns), so the id of what was created goes straight into the next call, no ``assert``;
  request models keep every field optional.
* The lazily loaded packages hide their module ``__getattr__`` from type checkers, which see
  every name instead: a misspelt model or client name is a type error, not ``Any``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

SNIPPET = """\
from billecta_async import BillectaClient, models
from billecta_async.models import Debtor, InvoiceAction, InvoiceActionEntry
from billecta_async.models import Debtr
from billecta_async import BillectaClent
from billecta_async.testing import BillectaEmulator, sample_modl


async def invoice_flow(client: BillectaClient, entry: InvoiceActionEntry) -> None:
    created = await client.invoices.create(entry)
    await client.invoices.attest(created.public_id)
    invoice = await client.invoices.get(created.public_id)
    reveal_type(created.public_id)
    reveal_type(invoice.creditor_public_id)
    reveal_type(invoice.vat_is_included)
    reveal_type(invoice.invoice_number)
    reveal_type(invoice.created)
    reveal_type(entry.creditor_public_id)
    reveal_type(Debtor().name)
    models.Invoise
    InvoiceAction(action_public_id="x")
"""


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> dict[int, list[str]]:
    """mypy's messages on the snippet, by line number (one run for the whole module)."""
    work = tmp_path_factory.mktemp("typing")
    (work / "user_code.py").write_text(SNIPPET, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(work / ".mypy_cache"),
            "--hide-error-context",
            "--no-pretty",
            "user_code.py",
        ],
        cwd=work,
        env={**os.environ, "MYPYPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    found: dict[int, list[str]] = {}
    for line in result.stdout.splitlines():
        match = re.match(r"user_code\.py:(\d+): (.*)", line)
        if match:  # mypy 1.x spells builtins "str", 2.x "str"
            message = match.group(2).replace("", "")
            found.setdefault(int(match.group(1)), []).append(message)
    return found


def _line(text: str) -> int:
    return SNIPPET.splitlines().index(text) + 1


def test_the_created_id_goes_straight_into_the_next_call(
    mypy_output: dict[int, list[str]],
) -> None:
    for call in (
        "    created = await client.invoices.create(entry)",
        "    await client.invoices.attest(created.public_id)",
        "    invoice = await client.invoices.get(created.public_id)",
    ):
        assert _line(call) not in mypy_output, mypy_output[_line(call)]
    assert mypy_output[_line("    reveal_type(created.public_id)")] == [
        'note: Revealed type is "str"'
    ]


def test_values_billecta_always_returns_are_not_optional(
    mypy_output: dict[int, list[str]],
) -> None:
    def revealed(expression: str) -> list[str]:
        return mypy_output[_line(f"    reveal_type({expression})")]

    assert revealed("invoice.creditor_public_id") == ['note: Revealed type is "str"']
    assert revealed("invoice.vat_is_included") == ['note: Revealed type is "bool"']
    # Strings and date-times may be missing (null, or .NET's empty date): still optional.
    assert revealed("invoice.invoice_number") == ['note: Revealed type is "str | None"']
    assert revealed("invoice.created") == ['note: Revealed type is "datetime.datetime | None"']
    # A request model sends only what the caller sets.
    assert revealed("entry.creditor_public_id") == ['note: Revealed type is "str | None"']
    assert revealed("Debtor().name") == ['note: Revealed type is "str | None"']
    # Building a response model by hand means giving what Billecta always returns.
    errors = mypy_output[_line('    InvoiceAction(action_public_id="x")')]
    assert 'error: Missing named argument "creditor_public_id" for "InvoiceAction"  [call-arg]' in (
        errors
    )


def _attr_error(line: str, name: str, mypy_output: dict[int, list[str]]) -> None:
    """``line`` has exactly one error: ``name`` is no attribute of the module."""
    (message,) = mypy_output[_line(line)]
    assert message.startswith("error: Module") and message.endswith("[attr-defined]"), message
    assert f'has no attribute "{name}"' in message, message


def test_misspelt_model_names_are_type_errors(mypy_output: dict[int, list[str]]) -> None:
    _attr_error("from billecta_async.models import Debtr", "Debtr", mypy_output)
    _attr_error("    models.Invoise", "Invoise", mypy_output)


def test_the_lazily_loaded_package_names_are_typed(mypy_output: dict[int, list[str]]) -> None:
    _attr_error("from billecta_async import BillectaClent", "BillectaClent", mypy_output)
    _attr_error(
        "from billecta_async.testing import BillectaEmulator, sample_modl",
        "sample_modl",
        mypy_output,
    )
