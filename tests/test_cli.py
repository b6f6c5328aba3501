"""The ``billecta`` command line, run as a user runs it: in a subprocess.

Help, version, exit codes and one-line errors; ``-v`` showing attempts and retries as they
happen; a server that never answers given up on quickly; ``billecta emulator`` serving the
emulator to the SDK and to raw HTTP until SIGINT or SIGTERM.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import aiohttp
import pytest
from _servers import never_answering_server

from billecta_async import BillectaClient, __version__
from billecta_async._cli import EXIT_CODES, ExitCode, _environment, main
from billecta_async.testing import BillectaEmulator

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "billecta_async"]
CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
POSIX_SIGNALS = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _env(**variables: str) -> dict[str, str]:
    """The test's environment without BILLECTA_* variables, plus ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BILLECTA_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(variables)
    return env


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        env=env if env is not None else _env(),
        cwd=ROOT,
        timeout=60,
    )


async def run_async(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run the CLI while this test's event loop keeps serving (an emulator, a server)."""
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def _signed_in(emulator: BillectaEmulator, creditor: str | None = None) -> dict[str, str]:
    return _env(
        BILLECTA_SECURE_TOKEN=emulator.secure_token,
        BILLECTA_BASE_URL=emulator.url,
        BILLECTA_CREDITOR_PUBLIC_ID=creditor or emulator.creditor_public_id,
    )


def _no_traceback(*streams: str) -> None:
    for stream in streams:
        assert "Traceback" not in stream


# -- help, version, usage ------------------------------------------------------------------------


def test_bare_billecta_prints_the_help_and_exits_0() -> None:
    result = run()
    assert result.returncode == ExitCode.OK == 0
    assert result.stdout.startswith("usage: billecta ")
    for text in ("demo", "emulator", "--version", "exit codes:", "COMMAND --help"):
        assert text in result.stdout
    assert result.stderr == ""


def test_version() -> None:
    result = run("--version")
    assert (result.returncode, result.stdout) == (0, f"billecta-async {__version__}\n")


def test_the_billecta_script_is_the_same_command() -> None:
    script = Path(sys.executable).with_name("billecta.exe" if os.name == "nt" else "billecta")
    if not script.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the billecta console script is not installed next to {sys.executable}")
        pytest.skip("the billecta console script is not installed in this environment")
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert (result.returncode, result.stdout) == (0, f"billecta-async {__version__}\n")


def test_demo_help_is_its_own_and_lists_every_variable_it_reads() -> None:
    result = run("demo", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: billecta demo ")
    assert "--timeout SECONDS" in result.stdout
    assert "--deadline SECONDS" in result.stdout
    assert "-v, --verbose" in result.stdout
    section = result.stdout.split("environment variables:\n", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^  (BILLECTA_\w+)", section, re.M)
    assert listed == [name for name, _ in _environment.DEMO]
    assert "BILLECTA_CREDITOR_PUBLIC_ID" in listed
    # With credentials it runs only where told: no production by default.
    assert re.search(r"^  BILLECTA_ENVIRONMENT +'test' or 'production': required", section, re.M)
    assert "exit codes:" in result.stdout


def test_emulator_help_is_its_own_and_says_it_reads_no_variables() -> None:
    result = run("emulator", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: billecta emulator ")
    for option in ("--host", "--port", "--format", "--speed", "--verbose"):
        assert option in result.stdout
    assert "environment variables:\n  none read" in result.stdout
    assert "not\nsecrets" in result.stdout or "not secrets" in result.stdout
    assert "exit codes:" in result.stdout


def test_the_variable_list_is_what_from_env_reads() -> None:
    """Adding a variable to BillectaClient.from_env means one line in _environment.CLIENT."""
    read = set(re.findall(r"BILLECTA_[A-Z_]+", inspect.getsource(BillectaClient.from_env)))
    assert read == {name for name, _ in _environment.CLIENT}


def test_a_usage_error_exits_2_with_the_usage() -> None:
    result = run("demo", "--timeout", "0")
    assert result.returncode == ExitCode.USAGE == 2
    assert result.stderr.startswith("usage: billecta demo ")
    assert result.stderr.splitlines()[-1] == (
        "billecta demo: error: argument --timeout: expected seconds > 0, not '0'"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["nope"],
        ["--bogus"],
        ["demo", "--timeout", "inf"],
        ["demo", "--deadline", "soon"],
        ["demo", "extra"],
        ["emulator", "--port", "70000"],
        ["emulator", "--port", "http"],
        ["emulator", "--speed", "-1"],
        ["emulator", "--format", "yaml"],
    ],
)
def test_every_usage_error_exits_2_naming_what_is_wrong(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == ExitCode.USAGE
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: billecta")
    assert re.fullmatch(
        r"billecta( \w+)?: error: .*" + re.escape(args[-1]) + ".*", err.splitlines()[-1]
    )


@pytest.mark.parametrize(
    ("variables", "said"),
    [
        ({"BILLECTA_ENVIRONMENT": "staging"}, "BILLECTA_ENVIRONMENT must be"),
        ({"BILLECTA_MAX_RETRIES": "many"}, "BILLECTA_MAX_RETRIES must be a number"),
        ({"BILLECTA_FORMAT": "yaml"}, "format must be 'json' or 'xml'"),
        ({"BILLECTA_CREDITOR_PUBLIC_ID": ""}, "BILLECTA_CREDITOR_PUBLIC_ID is required"),
        (
            {"BILLECTA_CREDITOR_PUBLIC_ID": "my-company", "BILLECTA_ENVIRONMENT": "test"},
            "BILLECTA_CREDITOR_PUBLIC_ID: expected a GUID",
        ),
        ({"BILLECTA_ENVIRONMENT": ""}, "set BILLECTA_ENVIRONMENT=test"),
        ({"BILLECTA_DEADLINE": "-1"}, "BILLECTA_DEADLINE: deadline must be seconds > 0"),
        ({"BILLECTA_MAX_RETRIES": "-1"}, "BILLECTA_MAX_RETRIES: max_retries must be"),
        ({"BILLECTA_BASE_URL": "ftp://example.com"}, "BILLECTA_BASE_URL: base_url must be"),
    ],
)
def test_a_bad_variable_exits_2_with_one_line_naming_it(
    variables: dict[str, str],
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in os.environ:
        if name.startswith("BILLECTA_"):
            monkeypatch.delenv(name)
    env = {"BILLECTA_SECURE_TOKEN": "s3cret-token", "BILLECTA_CREDITOR_PUBLIC_ID": CREDITOR}
    for name, value in {**env, **variables}.items():
        monkeypatch.setenv(name, value)
    assert main(["demo"]) == ExitCode.USAGE
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("billecta demo: error: ")
    assert said in lines[0]
    assert "s3cret-token" not in out + err


def test_the_exit_codes_are_documented_alike_in_help_and_docs() -> None:
    help_text = run("--help").stdout
    for code, _ in EXIT_CODES:
        assert re.search(rf"^ +{int(code)}  \S", help_text, re.M), code
    section = (ROOT / "docs" / "usage" / "cli.md").read_text(encoding="utf-8")
    documented = [int(code) for code in re.findall(r"^\| `?(\d+)`? \|", section, re.M)]
    assert documented == [int(code) for code, _ in EXIT_CODES] == [0, 1, 2, 130]
    for name, _ in _environment.DEMO:
        assert name in section, name


# -- errors and -v -------------------------------------------------------------------------------


async def test_an_api_error_exits_1_with_one_line_naming_it() -> None:
    async with BillectaEmulator() as emulator:
        env = _signed_in(emulator, creditor=str(uuid.uuid4()))  # not the user's creditor
        code, out, err = await run_async("demo", env=env)
    assert code == ExitCode.FAILED == 1
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(
        "billecta demo: error: UnauthorizedError: POST /v1/debtors/debtor -> HTTP 401: "
    )
    assert re.search(r"^ +1\. create debtor +failed$", out, re.M)
    assert emulator.secure_token not in out + err
    _no_traceback(err)


@pytest.mark.parametrize("verbosity", [[], ["-v"], ["-v", "-v"]])  # before and after demo
async def test_verbose_shows_each_failed_attempt_and_retry_as_it_happens(
    verbosity: list[str],
) -> None:
    async with BillectaEmulator() as emulator:
        emulator.inject_fault("POST", "/v1/debtors/debtor", "error_before")
        code, out, err = await run_async(
            *verbosity[:1], "demo", *verbosity[1:], env=_signed_in(emulator)
        )
        assert code == 0, err
        assert len(emulator.state.debtors) == 1  # retried once, created once
    assert out.rstrip().endswith("closed, found.")
    level = len("".join(verbosity).replace("-", ""))
    if level == 0:
        assert err == ""
        return
    lines = err.splitlines()
    failed = [i for i, line in enumerate(lines) if "POST /v1/debtors/debtor -> 500 " in line]
    retry = [i for i, line in enumerate(lines) if "POST /v1/debtors/debtor: retrying in" in line]
    assert len(failed) == 1 and len(retry) == 1
    assert failed[0] < retry[0]
    assert "INFO" in lines[failed[0]] and "(attempt 1/3, UniqueApiCallId " in lines[failed[0]]
    succeeded = [line for line in lines if "POST /v1/debtors/debtor -> 200 " in line]
    if level == 1:
        assert succeeded == []
        assert all(" INFO " in line for line in lines)
    else:
        assert len(succeeded) == 1 and "DEBUG" in succeeded[0]
        assert "(attempt 2/3" in succeeded[0]
    assert emulator.secure_token not in err
    assert emulator.creditor_public_id not in err  # path templates, never filled-in paths


async def test_a_server_that_never_answers_is_given_up_on_showing_the_attempts() -> None:
    async with never_answering_server() as url:
        env = _env(
            BILLECTA_SECURE_TOKEN="t", BILLECTA_BASE_URL=url, BILLECTA_CREDITOR_PUBLIC_ID=CREDITOR
        )
        started = time.monotonic()
        code, out, err = await run_async(
            "demo", "-v", "--timeout", "0.3", "--deadline", "1.5", env=env
        )
        elapsed = time.monotonic() - started
    assert code == ExitCode.FAILED
    assert elapsed < 20
    lines = err.splitlines()
    attempts = [line for line in lines if re.search(r"-> \w+ in [\d.]+ ms \(attempt \d/3", line)]
    assert len(attempts) >= 2
    assert "TimeoutError" in attempts[0]
    assert any("retrying in" in line for line in lines)
    assert re.fullmatch(
        r"billecta demo: error: RequestTimeoutError: POST /v1/debtors/debtor: .*", lines[-1]
    )
    assert "-v shows" not in lines[-1]  # the hint is for runs without -v
    assert "1. create debtor" in out
    _no_traceback(err)


async def test_without_verbose_a_timeout_says_how_to_see_the_attempts() -> None:
    async with never_answering_server() as url:
        env = _env(
            BILLECTA_SECURE_TOKEN="t", BILLECTA_BASE_URL=url, BILLECTA_CREDITOR_PUBLIC_ID=CREDITOR
        )
        code, _, err = await run_async("demo", "--timeout", "5", "--deadline", "0.5", env=env)
    assert code == ExitCode.FAILED
    (line,) = err.splitlines()
    assert re.fullmatch(
        r"billecta demo: error: RequestTimeoutError: POST /v1/debtors/debtor: deadline of 0\.5 s "
        r"passed; Billecta may have acted on it \(1 attempt\)\. To resume safely, call again "
        r"with unique_api_call_id='[0-9a-f]{32}': .* \(-v shows each attempt\)",
        line,
    )


@POSIX_SIGNALS
async def test_an_interrupted_demo_exits_130() -> None:
    async with never_answering_server() as url:
        env = _env(
            BILLECTA_SECURE_TOKEN="t", BILLECTA_BASE_URL=url, BILLECTA_CREDITOR_PUBLIC_ID=CREDITOR
        )
        proc = await asyncio.create_subprocess_exec(
            *CLI, "demo", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env
        )
        assert proc.stdout is not None and proc.stderr is not None
        try:
            banner = await asyncio.wait_for(proc.stdout.readline(), 30)
            assert b"basic invoicing use case against" in banner
            await asyncio.sleep(0.3)  # into the first call, which never gets an answer
            proc.send_signal(signal.SIGINT)
            _, err = await asyncio.wait_for(proc.communicate(), 10)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    assert proc.returncode == ExitCode.INTERRUPTED == 130
    assert err.decode().splitlines()[-1] == "billecta demo: interrupted"
    _no_traceback(err.decode())


# -- billecta emulator ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _read_banner(stream: asyncio.StreamReader) -> list[str]:
    lines: list[str] = []
    while not lines or not lines[-1].startswith("Ctrl+C or SIGTERM stops it"):
        line = await asyncio.wait_for(stream.readline(), 30)
        assert line, f"the emulator exited after printing {lines}"
        lines.append(line.decode().rstrip("\n"))
    return lines


@POSIX_SIGNALS
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
async def test_the_emulator_serves_the_sdk_and_raw_http_until_stopped(
    stop: signal.Signals,
) -> None:
    port = _free_port()
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        "emulator",
        "--port",
        str(port),
        "--format",
        "json",
        "--speed",
        "50",
        "-v",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        banner = await _read_banner(proc.stdout)
        exported = dict(
            shlex.split(line.removeprefix("export "))[0].split("=", 1)
            for line in banner
            if line.startswith("export ")
        )
        url = f"http://127.0.0.1:{port}"
        assert exported["BILLECTA_BASE_URL"] == url
        assert url in banner[0]
        assert "not secrets" in "\n".join(banner)
        creditor = exported["BILLECTA_CREDITOR_PUBLIC_ID"]

        # The SDK, configured from exactly what was printed.
        async with BillectaClient.from_env(exported) as client:
            assert client.format == "json"
            assert (await client.creditors.get(creditor)).name == "Emulator AB"
        async with BillectaClient.from_env(
            {**exported, "BILLECTA_SECURE_TOKEN": "", "BILLECTA_FORMAT": "xml"}
        ) as client:  # Basic auth with the printed username and password
            assert (await client.creditors.get(creditor)).name == "Emulator AB"

        # Raw HTTP, as the printed curl line does it; no Accept header gets --format json.
        curl = shlex.split(next(line for line in banner if "curl " in line))
        authorization = curl[curl.index("-H") + 1].split(": ", 1)[1]
        assert (
            authorization
            == "SecureToken "
            + base64.b64encode(exported["BILLECTA_SECURE_TOKEN"].encode()).decode()
        )
        async with aiohttp.ClientSession() as session:
            async with session.get(
                curl[-1], headers={"Authorization": authorization, "Accept": "*/*"}
            ) as answer:
                assert answer.status == 200
                assert answer.content_type == "application/json"
                assert (await answer.json())["CreditorPublicId"] == creditor
            async with session.get(
                f"{url}/v1/creditors/creditor/{creditor}",
                headers={"Authorization": authorization, "Accept": "application/xml"},
            ) as answer:
                assert answer.status == 200
                assert (await answer.read()).startswith(b"<")
            async with session.get(f"{url}/v1/creditors/creditor/{creditor}") as answer:
                assert answer.status == 401

        started = time.monotonic()
        proc.send_signal(stop)
        out, err = await asyncio.wait_for(proc.communicate(), 10)
        assert time.monotonic() - started < 5
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0
    assert out.decode() == "stopped\n"
    log = err.decode()
    _no_traceback(log)
    assert "GET /v1/creditors/creditor/{id} -> 200 in " in log  # -v: a line per request
    assert "GET /v1/creditors/creditor/{id} -> 401 in " in log
    assert creditor not in log and exported["BILLECTA_SECURE_TOKEN"] not in log
    with pytest.raises(OSError):  # the port was released
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_the_emulator_on_a_port_in_use_exits_1_with_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["emulator", "--port", str(port)]) == ExitCode.FAILED
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(
        f"billecta emulator: error: cannot listen on 127.0.0.1 port {port}: "
    )
