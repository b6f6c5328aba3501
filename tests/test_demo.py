"""The main job: `python -m billecta_async demo` runs the basic invoicing use case end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from billecta_async.__main__ import demo

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


async def test_demo_with_credentials_but_no_creditor_says_what_is_missing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await demo({"BILLECTA_SECURE_TOKEN": "token"}) == 2
    assert "BILLECTA_CREDITOR_PUBLIC_ID is required" in capsys.readouterr().err


async def test_demo_against_a_configured_environment_uses_the_credentials(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With BILLECTA_* set, the demo talks to that URL (here an emulator standing in for it)."""
    from billecta_async.testing import BillectaEmulator

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
