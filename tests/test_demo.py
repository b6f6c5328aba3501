"""The main job: `python -m billecta_async demo` runs the basic invoicing use case end to end."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from _servers import never_answering_server

from billecta_async import RequestTimeoutError, UnauthorizedError
from billecta_async._cli import CommandError, ExitCode, _demo
from billecta_async._cli._demo import demo
from billecta_async.testing import BillectaEmulator

ROOT = Path(__file__).resolve().parent.parent


async def test_demo_against_the_embedded_emulator(capsys: pytest.CaptureFixture[str]) -> None:
    assert await demo({}) == 0
    out = capsys.readouterr().out
    assert "against the local emulator at http://127.0.0.1:" in out
    for step in (
        "create debtor",
        "create product",
        "create invoice",
        "attest (and send) invoice",
        "register payment",
        "fetch closed invoice",
        "fetch invoice PDF",
        "search by invoice number",
    ):
        assert step in out
    assert "invoice 1001, InvoiceSent, to pay 1250.85 SEK" in out  # 2 x 500.34 + 25 % VAT
    assert "Completed, paid 1250.85 SEK, left 0.00 SEK" in out
    assert "1 hit(s): 1001 Completed" in out
    assert "starts b'%PDF-1.4'" in out


async def test_demo_with_credentials_but_no_creditor_says_what_is_missing() -> None:
    with pytest.raises(CommandError, match="BILLECTA_CREDITOR_PUBLIC_ID is required") as raised:
        await demo({"BILLECTA_SECURE_TOKEN": "token"})
    assert raised.value.code == ExitCode.USAGE


async def test_demo_against_a_configured_environment_uses_the_credentials(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With BILLECTA_* set, the demo talks to that URL (here an emulator standing in for it)."""
    async with BillectaEmulator() as emulator:
        environ = {
            "BILLECTA_USERNAME": emulator.username,
            "BILLECTA_PASSWORD": emulator.password,
            "BILLECTA_BASE_URL": emulator.url,
            "BILLECTA_CREDITOR_PUBLIC_ID": emulator.creditor_public_id,
        }
        assert await demo(environ) == 0
        assert len(emulator.state.invoices) == 1
        assert f"against {emulator.url}\n" in capsys.readouterr().out


def test_main_job_command_runs() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BILLECTA_")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "billecta_async", "demo"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("closed, found.")


async def test_the_other_variables_apply_to_the_embedded_emulator_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await demo({"BILLECTA_FORMAT": "xml", "BILLECTA_ENVIRONMENT": "test"}) == 0
    out = capsys.readouterr().out
    assert "against the local emulator at http://127.0.0.1:" in out
    assert "format xml" in out
    assert out.rstrip().endswith("closed, found.")


async def test_the_step_that_failed_is_marked_and_its_error_raised(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with BillectaEmulator() as emulator:
        environ = {
            "BILLECTA_SECURE_TOKEN": emulator.secure_token,
            "BILLECTA_BASE_URL": emulator.url,
            "BILLECTA_CREDITOR_PUBLIC_ID": str(uuid.uuid4()),  # not the user's creditor
        }
        with pytest.raises(UnauthorizedError):
            await demo(environ)
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].split() == ["1.", "create", "debtor", "failed"]


@pytest.mark.parametrize(
    ("deadline", "variable", "passed"),
    [(0.3, "0.6", "0.3"), (None, "0.4", "0.4"), (None, None, "0.5")],
)
async def test_each_call_has_a_deadline_the_option_then_the_variable_then_the_default(
    deadline: float | None,
    variable: str | None,
    passed: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_demo, "DEFAULT_DEADLINE", 0.5)  # 60 s in the command line
    async with never_answering_server() as url:
        environ = {
            "BILLECTA_SECURE_TOKEN": "token",
            "BILLECTA_BASE_URL": url,
            "BILLECTA_CREDITOR_PUBLIC_ID": str(uuid.uuid4()),
        }
        if variable is not None:
            environ["BILLECTA_DEADLINE"] = variable
        with pytest.raises(RequestTimeoutError, match=rf"deadline of {passed} s passed"):
            await demo(environ, timeout=5.0, deadline=deadline)  # the deadline ends it


def test_the_command_line_defaults_give_up_on_a_silent_server_within_a_minute() -> None:
    parser = _demo.add_parser(argparse.ArgumentParser().add_subparsers())
    args = parser.parse_args([])
    assert (args.timeout, args.deadline) == (20.0, None)
    assert _demo.DEFAULT_DEADLINE == 60.0  # used when neither --deadline nor the variable is set
