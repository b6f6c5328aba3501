"""The scripts of examples/ run as a reader runs them: as separate processes, configured by the
``BILLECTA_*`` variables ``billecta emulator`` prints (XML, as it prints), against a fresh
emulator (its clock 100 times faster), and they are clean under ``mypy --strict`` (the same run
as the docs' blocks).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from _docs import (
    EXAMPLES,
    ROOT,
    ThreadedEmulator,
    emulator_environ,
    example_scripts,
    free_port,
    mypy_errors,
    pay_an_invoice,
)

from billecta_async import models as m

SCRIPTS = example_scripts()


def _environ(emulator: ThreadedEmulator, **extra: str) -> dict[str, str]:
    """What a reader sets from ``billecta emulator``'s export lines, XML included (the
    documentation's blocks run in JSON, the client's default)."""
    env = dict(os.environ)
    for name, value in emulator_environ(emulator):
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return {**env, "BILLECTA_FORMAT": "xml", **extra}


def run(
    script: str, emulator: ThreadedEmulator, *args: str, timeout: float = 120, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        env=_environ(emulator, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def emulator() -> Iterator[ThreadedEmulator]:
    served = ThreadedEmulator()
    try:
        yield served
    finally:
        served.close()


def test_every_use_case_has_an_example_listed_in_the_readme_and_the_docs() -> None:
    names = {path.name for path in SCRIPTS}
    assert names == {
        "bank_accounts.py",
        "bankid.py",
        "basic_invoicing.py",
        "debtors_autogiro_cards.py",
        "errors_and_retries.py",
        "many_workers.py",
        "swish.py",
        "test_with_emulator.py",
        "webhook_receiver.py",
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = (ROOT / "docs" / "usage" / "examples.md").read_text(encoding="utf-8")
    for name in names:
        assert f"examples/{name}" in readme, name
        assert f"examples/{name}" in listed, name


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_example_is_clean_under_mypy_strict(script: Path) -> None:
    errors = mypy_errors(str(script))
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_example_says_how_to_run_it(script: Path) -> None:
    doc = script.read_text(encoding="utf-8").split('"""')[1]
    assert f"examples/{script.name}" in doc, "the docstring shows the command that runs it"


# -- the use cases -------------------------------------------------------------------------------


def test_basic_invoicing(emulator: ThreadedEmulator) -> None:
    done = run("basic_invoicing.py", emulator)
    assert done.returncode == 0, done.stderr
    assert "done: created, attested, paid and found" in done.stdout
    assert re.search(r"^paid +stage Completed$", done.stdout, re.M), done.stdout
    (invoice,) = emulator.emulator.state.invoices.values()
    assert invoice.state is not None and invoice.state.stage is m.InvoiceActionStageType.COMPLETED


def test_debtors_autogiro_and_cards(emulator: ThreadedEmulator) -> None:
    done = run("debtors_autogiro_cards.py", emulator)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^contract +\S+ 1 invoice\(s\) generated$", done.stdout, re.M)
    (debtor,) = emulator.emulator.state.debtors.values()
    assert debtor.email == "jenny@example.org"
    assert debtor.autogiro is not None and debtor.autogiro.account_no == "9412345678"


@pytest.mark.parametrize(("ssn", "code"), [("198001139297", 0), ("197001239297", 1)])
def test_bankid(emulator: ThreadedEmulator, ssn: str, code: int) -> None:
    done = run("bankid.py", emulator, ssn)
    assert done.returncode == code, done.stderr
    assert "authentication: Complete" in done.stdout if code == 0 else "Error" in done.stdout
    if code == 0:
        assert "signature: Complete" in done.stdout


@pytest.mark.parametrize(("phone", "code"), [("46701111111", 0), ("46701234567", 1)])
def test_swish(emulator: ThreadedEmulator, phone: str, code: int) -> None:
    done = run("swish.py", emulator, phone)
    assert done.returncode == code, done.stderr
    assert ("payment: Paid" if code == 0 else "payment: Declined") in done.stdout
    (invoice,) = emulator.emulator.state.invoices.values()
    assert invoice.current_amount is not None
    assert (invoice.current_amount.value == 0) == (code == 0)


def test_bank_accounts(emulator: ThreadedEmulator) -> None:
    done = run("bank_accounts.py", emulator, "198001139297")
    assert done.returncode == 0, done.stderr
    assert "8327-9412345678 (IBAN SE4550000000058398257466), autogiro" in done.stdout


def test_errors_and_retries_create_one_invoice_whatever_the_faults(
    emulator: ThreadedEmulator,
) -> None:
    # Three 500s before acting: the client's three attempts fail; the script resumes with the
    # same id, and Billecta creates the invoice once. Its second call is refused as a repeat.
    emulator.emulator.inject_fault("POST", "/v1/invoice/action", "error_before", times=3)
    done = run("errors_and_retries.py", emulator, "--order", "1001", "--pause", "0.05")
    assert done.returncode == 0, done.stderr
    assert "400 from Billecta: Debtor.Name is required (maybe processed: False)" in done.stdout
    assert "call 1 failed after 3 attempt(s): ServerError" in done.stdout
    assert "created on call 2" in done.stdout
    assert "call 1: Billecta already processed order 1001" in done.stdout
    orders = [i.external_reference for i in emulator.emulator.state.invoices.values()]
    assert orders == ["order 1001"]


def test_the_emulator_testing_example_passes_under_pytest() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "BILLECTA_"))}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(EXAMPLES / "test_with_emulator.py"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b5 passed\b", done.stdout), done.stdout


# -- the webhook receiver ------------------------------------------------------------------------


def _wait_listening(process: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"the receiver did not listen on {port}")


async def _pay_an_invoice(emulator: ThreadedEmulator) -> None:
    async with emulator.emulator.client() as client:
        await pay_an_invoice(client, emulator.emulator.creditor_public_id)
    await emulator.emulator.drain_webhooks()


def test_webhook_receiver_gets_the_emulators_events_once() -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BILLECTA_")}
    receiver = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "webhook_receiver.py"), "--port", str(port)],
        env={**env, "BILLECTA_WEBHOOK_SECRET": "s3cret"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    emulator: ThreadedEmulator | None = None
    try:
        _wait_listening(receiver, port)
        emulator = ThreadedEmulator(
            webhook_url=f"http://127.0.0.1:{port}/billecta/webhooks",
            webhook_headers={"X-Webhook-Secret": "s3cret"},
            webhook_retry_delays=(),
        )
        emulator.run(_pay_an_invoice(emulator))
        sender = emulator.emulator.webhooks
        assert sender is not None
        assert sender.attempts and all(attempt.ok for attempt in sender.attempts)
    finally:
        if emulator is not None:
            emulator.close()
        receiver.terminate()
        out, err = receiver.communicate(timeout=30)
    assert "debtor created: Jenny" in out, out + err
    assert "InvoiceActionAttested: invoice 1001" in out
    assert out.count("payment of 250.00 received for invoice 1001") == 1


def test_webhook_receiver_refuses_to_start_without_a_secret() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BILLECTA_")}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "webhook_receiver.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "set BILLECTA_WEBHOOK_SECRET" in done.stderr


# -- many workers --------------------------------------------------------------------------------


def test_many_workers_share_the_search_limits_through_redis(
    emulator: ThreadedEmulator, redis_url: str
) -> None:
    store = redis.Redis.from_url(redis_url, socket_timeout=5)
    try:
        before = set(store.scan_iter("billecta:*"))
        done = run(
            "many_workers.py",
            emulator,
            "--workers",
            "3",
            "--searches",
            "4",
            BILLECTA_REDIS_URL=redis_url,
        )
        assert done.returncode == 0, done.stderr
        assert "12 searches by 3 processes" in done.stdout and "0 refused" in done.stdout
        keys = set(store.scan_iter("billecta:*")) - before
        assert any(b":limit:POST /v1/search/actions:" in key for key in keys), keys
        assert emulator.emulator.state.rate_limited == 0
    finally:
        new = set(store.scan_iter("billecta:*")) - before
        if new:
            store.delete(*new)
        store.close()


def test_many_workers_needs_redis(emulator: ThreadedEmulator) -> None:
    done = run("many_workers.py", emulator)
    assert done.returncode == 2 and "set BILLECTA_REDIS_URL" in done.stderr
