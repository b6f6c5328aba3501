"""``billecta call SECTION.METHOD``, run as a user runs it: in a subprocess, against the
embedded emulator (or a recording server, to see exactly what was sent).

Listing and help from the endpoint catalogue; JSON and XML answers; path and query parameters
converted as the client converts them; bodies from a file and from stdin; usage errors (exit 2)
and API errors (exit 1) in one line; binary downloads to a file, with progress on a terminal.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from _servers import serve_app
from aiohttp import web
from test_cli import _env, _signed_in

from billecta_async import STOCKHOLM, from_json, from_xml
from billecta_async import models as m
from billecta_async._catalogue import catalogue
from billecta_async._cli import ExitCode, _environment, _output, main
from billecta_async._cli._call import build_method_parser, summary
from billecta_async.testing import BillectaEmulator

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "billecta_async"]
GUID = "6d0b3c0e-1f5a-4b2e-9a57-2b0e6f1e8c11"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals")


async def call(
    *args: str, env: dict[str, str], stdin: bytes | None = None, stderr: Any = None
) -> tuple[int, bytes, str]:
    """``billecta call ARGS`` while this test's event loop keeps serving; (code, stdout,
    stderr)."""
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        "call",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE if stderr is None else stderr,
        env=env,
        cwd=ROOT,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(stdin or b""), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return proc.returncode, out, (err or b"").decode()


@pytest.fixture
async def emulator() -> AsyncIterator[BillectaEmulator]:
    async with BillectaEmulator() as running:
        yield running


async def _debtor(emulator: BillectaEmulator, name: str = "Jenny Doe") -> str:
    async with emulator.client() as client:
        created = await client.debtors.create(
            m.Debtor(creditor_public_id=emulator.creditor_public_id, name=name, org_no="5560001")
        )
    return created.public_id


def _one_error_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


# -- listing and help -----------------------------------------------------------------------------


def test_list_names_every_method_of_the_catalogue_with_its_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["call", "--list"]) == ExitCode.OK
    out = capsys.readouterr().out
    listed = re.findall(r"^  (\w+)\.(\w+)  +(\S.*)$", out, re.M)
    assert {(section, name) for section, name, _ in listed} == {
        (op.resource, op.name) for op in catalogue().operations
    }
    assert len(listed) == len(catalogue().operations)
    # Every documented endpoint (254, some documented twice) is one of them.
    documented = json.loads((ROOT / "schema" / "endpoints.json").read_text(encoding="utf-8"))
    assert {(e["method"], e["path"]) for e in documented["endpoints"]} == {
        op.key for op in catalogue().operations
    }
    assert ("debtors", "get", "Get a debtor by its DebtorPublicId.") in listed
    assert "debtors: Debtors (client.debtors), 24 methods" in out
    assert "bankid: Authentication (client.bankid)" in out


def test_a_section_lists_its_methods_with_their_endpoints() -> None:
    for args in (["debtors"], ["debtors", "--help"]):
        code, out, err = asyncio.run(call(*args, env=_env()))
        assert (code, err) == (0, "")
        text = out.decode()
        assert re.search(
            r"^  debtors\.get +Get a debtor by its DebtorPublicId\.  "
            r"\[GET /v1/debtors/debtor/\{id\}\]$",
            text,
            re.M,
        )
        assert "invoices." not in text
        assert "`billecta call debtors.METHOD --help`" in text


def test_a_method_s_help_shows_its_parameters_body_and_summary() -> None:
    code, out, _ = asyncio.run(call("debtors.list", "--help", env=_env()))
    text = out.decode()
    assert code == 0 and text.startswith("usage: billecta call debtors.list ")
    assert "Get all debtors of a creditor, a page at a time (offset, limit)." in text
    assert "endpoint: GET /v1/debtors/debtors/{id}" in text
    assert "answer: a list of Debtor" in text
    for option, said in [
        ("--creditor-public-id GUID", "a GUID; path {id} (required; default"),
        ("--ascending true|false", "true or false; query asc (optional)"),
        ("--limit N", "how many items at most (1 or more); query limit"),
        ("--delivery-method DeliveryMethodType", "one of Unknown, Email, Mail"),
    ]:
        assert re.search(re.escape(option) + r"\s+" + re.escape(said), text), option
    assert "--body" not in text  # it sends none
    assert "exit codes:" in text

    code, out, _ = asyncio.run(call("debtors.create", "-h", env=_env()))
    text = out.decode()
    assert "body (--body FILE, - for stdin): a Debtor (a JSON object; in XML <Debtor>)" in text
    assert "Debtor fields: DebtorPublicId, CreditorPublicId, DebtorExternalId" in text
    assert "answer: a Created" in text


def test_the_command_s_help_lists_what_it_reads() -> None:
    code, out, _ = asyncio.run(call("--help", env=_env()))
    text = out.decode()
    assert code == 0 and text.startswith("usage: billecta call ")
    section = text.split("environment variables:\n", 1)[1].split("\n\n", 1)[0]
    assert re.findall(r"^  (BILLECTA_\w+)", section, re.M) == [n for n, _ in _environment.CALL]
    for text_ in ("--emulator", "--list", "--body FILE", "--output FILE", "exit codes:"):
        assert text_ in text


def test_every_method_has_a_parser_and_a_summary() -> None:
    for op in catalogue().operations:
        parser = build_method_parser(op)
        text = parser.format_help()
        for arg in op.args:
            if arg.location != "body":
                assert f"--{arg.name.replace('_', '-')}" in text, (op.name, arg.name)
        assert ("--body FILE" in text) == (op.body is not None), op.name
        assert summary(op) and "``" not in summary(op) and ":meth:" not in summary(op)


def test_the_usage_shows_what_must_be_given_without_brackets() -> None:
    for op in catalogue().operations:
        usage = " ".join(build_method_parser(op).format_usage().split())
        for arg in op.args:
            if arg.location == "body":
                continue
            option = f"--{arg.name.replace('_', '-')}"
            must = not arg.optional and arg.name != "creditor_public_id"  # that one defaults
            assert (f"[{option} " not in usage) == must, (op.resource, op.name, usage)
            assert f"{option} " in usage
        if op.body is not None:
            assert ("[--body FILE]" not in usage) == (not op.body.optional), (op.name, usage)
    # Only the usage changed: what is missing is still told by the command's own check, all
    # of it in one line (the creditor's default taken into account).
    get = next(op for op in catalogue().operations if (op.resource, op.name) == ("debtors", "get"))
    assert vars(build_method_parser(get).parse_args([])) == {}


# -- answers --------------------------------------------------------------------------------------


async def test_a_path_parameter_and_the_answer_as_json(emulator: BillectaEmulator) -> None:
    debtor_id = await _debtor(emulator)
    code, out, err = await call(
        "debtors.get", "--debtor-public-id", debtor_id, env=_signed_in(emulator)
    )
    assert (code, err) == (0, "")
    assert out.startswith(b'{\n  "DebtorPublicId": ')  # indented
    async with emulator.client() as client:
        expected = await client.debtors.get(debtor_id)
    assert from_json(out, m.Debtor) == expected
    assert json.loads(out)["Name"] == "Jenny Doe"


async def test_the_answer_as_xml_and_the_underscore_spelling(emulator: BillectaEmulator) -> None:
    debtor_id = await _debtor(emulator)
    code, out, err = await call(
        "debtors.get", "--debtor_public_id", debtor_id, "--format", "xml", env=_signed_in(emulator)
    )
    assert (code, err) == (0, "")
    assert out.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<Debtor ")
    assert b"\n  <Name>Jenny Doe</Name>\n" in out
    async with emulator.client("xml") as client:
        assert from_xml(out, m.Debtor) == await client.debtors.get(debtor_id)


async def test_a_listing_answer_and_the_default_creditor(emulator: BillectaEmulator) -> None:
    for name in ("Ann", "Bo", "Cy"):
        await _debtor(emulator, name)
    env = _signed_in(emulator)  # BILLECTA_CREDITOR_PUBLIC_ID: no --creditor-public-id needed
    code, out, err = await call("debtors.list", "--offset", "1", "--limit", "1", env=env)
    assert (code, err) == (0, "")
    assert [d.name for d in from_json(out, m.Debtors)] == ["Bo"]
    code, out, _ = await call("debtors.list", "--format", "xml", env=env)
    assert [d.name for d in from_xml(out, m.Debtors)] == ["Ann", "Bo", "Cy"]


async def test_an_answer_without_a_body_prints_nothing(emulator: BillectaEmulator) -> None:
    debtor_id = await _debtor(emulator)
    code, out, err = await call(
        "debtors.delete", "--debtor-public-id", debtor_id, env=_signed_in(emulator)
    )
    assert (code, out, err) == (0, b"", "")
    assert emulator.state.debtors == {}


async def test_output_writes_the_answer_to_a_file(
    emulator: BillectaEmulator, tmp_path: Path
) -> None:
    target = tmp_path / "creditor.json"
    code, out, err = await call("creditors.get", "--output", str(target), env=_signed_in(emulator))
    assert (code, out, err) == (0, b"", "")
    assert from_json(target.read_bytes(), m.Creditor).name == "Emulator AB"
    assert [p.name for p in tmp_path.iterdir()] == ["creditor.json"]  # no partial file left


# -- parameters, converted as the client converts them --------------------------------------------


@pytest.fixture
async def recorder() -> AsyncIterator[tuple[str, list[str]]]:
    """A server that records each request's path and query and answers an empty JSON list."""
    seen: list[str] = []

    async def record(request: web.Request) -> web.Response:
        seen.append(request.path_qs)
        return web.json_response([])

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    async with serve_app(app) as url:
        yield url, seen


@pytest.mark.parametrize(
    ("args", "sent"),
    [
        (  # guid (path and query), boolean, enum (any case), text, whole numbers
            [
                "debtors.list",
                f"--creditor-public-id={GUID.upper()}",
                "--filter", "Doe",
                "--exclude-inactive", "TRUE",
                "--category_public_id", GUID,
                "--delivery-method", "email",
                "--ascending", "no",
                "--offset", "0",
                "--limit", "25",
            ],
            f"/v1/debtors/debtors/{GUID.upper()}?filter=Doe&offset=0&limit=25&asc=false"
            f"&excludeinactive=true&categorypublicid={GUID}&deliverymethod=Email",
        ),
        (  # dates
            ["invoices.list_closed", "--from-date", "2024-01-01", "--to-date", "2024-01-31"],
            "/v1/invoice/closed/{creditor}?from=2024-01-01&to=2024-01-31",
        ),
        (  # a list of strings (path), a guid and a date (query)
            [
                "invoices.list_rot_processed",
                "--action-public-ids", "a1,b2",
                "--created-from", GUID,
                "--created-to", "2024-02-29",
            ],
            f"/v1/invoice/rotprocessed/a1,b2?createdfrom={GUID}&createdto=2024-02-29",
        ),
    ],
)  # fmt: skip
async def test_query_parameters_are_sent_as_the_client_sends_them(
    recorder: tuple[str, list[str]], args: list[str], sent: str
) -> None:
    url, seen = recorder
    creditor = str(uuid.uuid4())
    env = _env(
        BILLECTA_SECURE_TOKEN="t", BILLECTA_BASE_URL=url, BILLECTA_CREDITOR_PUBLIC_ID=creditor
    )
    code, out, err = await call(*args, env=env)
    assert (code, err) == (0, ""), err
    assert out == b"[]\n"
    assert seen == [sent.replace("{creditor}", creditor).replace(",", "%2C")]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["debtors.get", "--debtor-public-id", "nope"],
         "argument --debtor-public-id: expected a GUID"),
        (["invoices.list_closed", "--from-date", "2024-13-01", "--to-date", "2024-01-01"],
         "argument --from-date: expected a date as YYYY-MM-DD (got '2024-13-01')"),
        (["debtors.list", "--ascending", "maybe"], "argument --ascending: expected true or false"),
        (["invoices.send", "--action-public-id", "x", "--delivery-method", "Pigeon"],
         "argument --delivery-method: expected a DeliveryMethodType (Unknown, Email, Mail"),
        (["debtors.list", "--limit", "0"], "argument --limit: expected 1 or more (got 0)"),
        (["debtors.list", "--offset", "ten"], "argument --offset: expected a whole number"),
        (["debtors.get"], "the following arguments are required: --debtor-public-id"),
        (["debtors.get", "--debtor-public-id", GUID, "--nope", "1"],
         "unrecognized arguments: --nope"),
        (["debtors.get", "--debtor-public-id", GUID, "--body", "x.json"], "unrecognized arguments"),
        (["debtors.gett"], "no method 'gett' in section debtors (did you mean get?)"),
        (["debtor.get"], "no section 'debtor' (did you mean debtors?)"),
    ],
)  # fmt: skip
def test_a_bad_parameter_exits_2_naming_it_and_its_value(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["call", *args, "--emulator"])
    assert exited.value.code == ExitCode.USAGE
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("usage: billecta call")
    last = err.splitlines()[-1]
    assert re.fullmatch(r"billecta call( \w+\.\w+)?: error: .*", last)
    assert said in last


async def test_a_bad_value_exits_2_before_anything_is_sent(
    recorder: tuple[str, list[str]],
) -> None:
    url, seen = recorder
    env = _env(BILLECTA_SECURE_TOKEN="t", BILLECTA_BASE_URL=url)
    code, out, err = await call("debtors.list", "--creditor-public-id", "19800113-9297", env=env)
    assert (code, out) == (ExitCode.USAGE, b"")
    assert err.splitlines()[-1] == (
        "billecta call debtors.list: error: argument --creditor-public-id: expected a GUID "
        "such as 8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70 (got '<masked>')"
    )
    assert seen == []


def test_without_credentials_it_says_what_to_set(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in os.environ:
        if name.startswith("BILLECTA_"):
            monkeypatch.delenv(name)
    assert main(["call", "creditors.get", "--creditor-public-id", GUID]) == ExitCode.USAGE
    line = _one_error_line(capsys.readouterr().err)
    assert line == (
        "billecta call: error: no Billecta credentials: set BILLECTA_SECURE_TOKEN, or "
        "BILLECTA_USERNAME and BILLECTA_PASSWORD (or try it with --emulator)"
    )


# -- bodies ---------------------------------------------------------------------------------------


async def test_a_body_from_a_file(emulator: BillectaEmulator, tmp_path: Path) -> None:
    body = tmp_path / "debtor.json"
    body.write_text(json.dumps({"Name": "Jenny Doe", "Email": "jenny@example.com"}))
    code, out, err = await call("debtors.create", "--body", str(body), env=_signed_in(emulator))
    assert (code, err) == (0, "")
    created = from_json(out, m.Created).public_id
    stored = emulator.state.debtors[created]
    assert (stored.name, stored.email) == ("Jenny Doe", "jenny@example.com")
    # The body named no creditor: BILLECTA_CREDITOR_PUBLIC_ID's was filled in.
    assert stored.creditor_public_id == emulator.creditor_public_id


async def test_a_list_body_in_xml_from_stdin(emulator: BillectaEmulator) -> None:
    creditor = emulator.creditor_public_id
    xml = (
        f"<Debtors><Debtor><CreditorPublicId>{creditor}</CreditorPublicId><Name>Ann</Name>"
        "</Debtor><Debtor><Name>Bo</Name></Debtor></Debtors>"
    ).encode()
    code, out, err = await call(
        "debtors.create_many", "--body", "-", "--format", "xml", env=_signed_in(emulator), stdin=xml
    )
    assert (code, out, err) == (0, b"", "")  # answered without a body
    stored = emulator.state.debtors.values()
    assert sorted(d.name or "" for d in stored) == ["Ann", "Bo"]
    assert {d.creditor_public_id for d in stored} == {creditor}  # Bo's filled in


async def test_a_bad_body_exits_2_naming_the_field(emulator: BillectaEmulator) -> None:
    code, out, err = await call(
        "debtors.create", "--body", "-", env=_signed_in(emulator), stdin=b'{"Name": 5}'
    )
    assert (code, out) == (ExitCode.USAGE, b"")
    assert _one_error_line(err) == (
        "billecta call: error: --body -: not a JSON Debtor: Debtor.Name: expected a string (got 5)"
    )
    assert emulator.state.debtors == {}


@pytest.mark.parametrize(
    ("body", "options", "said"),
    [
        (b'{"Name": "Jenny",', [], "not a JSON Debtor: not valid JSON (unexpected end of data"),
        (b"<Debtor><Name>Jenny</Name></Debtor>", [], "it looks like XML: add --format xml"),
        (b'{"Name": "Jenny"}', ["--format", "xml"], "it looks like JSON: add --format json"),
        (b"<Nope/>", ["--format", "xml"], "not an XML Debtor: expected root element <Debtor>"),
        (b" \n", [], "--body debtor.txt: not a JSON Debtor: it is empty"),
    ],
)  # fmt: skip
def test_a_body_that_cannot_be_read_says_why_and_what_to_do(
    body: bytes,
    options: list[str],
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "debtor.txt").write_bytes(body)
    args = ["call", "debtors.create", "--body", "debtor.txt", *options, "--emulator"]
    assert main(args) == ExitCode.USAGE
    out, err = capsys.readouterr()
    line = _one_error_line(err)
    assert out == ""
    assert line.startswith("billecta call: error: --body debtor.txt: ")
    assert said in line
    assert "Debtor: Debtor" not in line  # the model is named once


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["debtors.list", "--delivery-method", "Email"],
            "argument --delivery-method: documented only together with --filter; "
            "pass --filter as well (got 'Email')",
        ),
        (
            ["invoices.postpone", "--action-public-id", GUID, "--days", "0"],
            "argument --days: expected at least 1 (postpone only forward) (got 0)",
        ),
        (
            ["invoices.postpone", "--action-public-id", GUID],
            "argument --days/--to-date: expected exactly one of --days or --to-date",
        ),
    ],
)
def test_a_check_of_the_client_names_the_options(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["call", *args, "--emulator"]) == ExitCode.USAGE
    line = _one_error_line(capsys.readouterr().err)
    assert line.startswith("billecta call: error: ")
    assert said in line


# -- errors ---------------------------------------------------------------------------------------


async def test_an_api_error_exits_1_with_one_line(emulator: BillectaEmulator) -> None:
    code, out, err = await call("debtors.get", "--debtor-public-id", GUID, env=_signed_in(emulator))
    assert (code, out) == (ExitCode.FAILED, b"")
    line = _one_error_line(err)
    assert line.startswith(
        "billecta call: error: UnauthorizedError: GET /v1/debtors/debtor/{id} -> HTTP 401: "
    )
    assert emulator.secure_token not in err


async def test_verbose_after_the_method_shows_the_retries(emulator: BillectaEmulator) -> None:
    emulator.inject_fault("GET", "/v1/creditors/creditor/{id}", "error_before")
    code, out, err = await call("creditors.get", "-v", env=_signed_in(emulator))
    assert code == 0, err
    assert from_json(out, m.Creditor).name == "Emulator AB"
    assert "GET /v1/creditors/creditor/{id}: retrying in" in err
    assert emulator.creditor_public_id not in err and emulator.secure_token not in err


# -- the emulator ---------------------------------------------------------------------------------


async def test_emulator_runs_the_call_against_a_fresh_emulator() -> None:
    code, out, err = await call("creditors.get", "--emulator", env=_env())
    assert (code, err) == (0, "")
    assert from_json(out, m.Creditor).name == "Emulator AB"
    code, out, err = await call(
        "debtors.create", "--emulator", "--body", "-", env=_env(), stdin=b'{"Name": "Ann"}'
    )
    assert (code, err) == (0, "")
    assert from_json(out, m.Created).public_id


# -- binary answers -------------------------------------------------------------------------------


async def _invoice(emulator: BillectaEmulator) -> str:
    today = datetime.now(STOCKHOLM)
    async with emulator.client() as client:
        debtor = await client.debtors.create(
            m.Debtor(creditor_public_id=emulator.creditor_public_id, name="Jenny")
        )
        created = await client.invoices.create(
            m.InvoiceActionEntry(
                creditor_public_id=emulator.creditor_public_id,
                debtor_public_id=debtor.public_id,
                invoice_date=today,
                due_date=today + timedelta(days=30),
                records=[
                    m.InvoiceActionRecord(
                        article_description="Sofa",
                        quantity=1.0,
                        unit_price=m.Amount.from_decimal(Decimal("500"), "SEK"),
                        vat=25.0,
                    )
                ],
            )
        )
    return created.public_id


async def test_a_binary_answer_to_a_file_or_stdout(
    emulator: BillectaEmulator, tmp_path: Path
) -> None:
    action = await _invoice(emulator)
    async with emulator.client() as client:
        pdf = await client.invoices.preview(action)
    target = tmp_path / "invoice.pdf"
    code, out, err = await call(
        "invoices.preview", "--action-public-id", action, "--output", str(target),
        env=_signed_in(emulator),
    )  # fmt: skip
    assert (code, out, err) == (0, b"", "")  # stderr is no terminal: no progress
    assert target.read_bytes() == pdf and pdf.startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["invoice.pdf"]
    code, out, err = await call(
        "invoices.preview", "--action-public-id", action, env=_signed_in(emulator)
    )
    assert (code, out, err) == (0, pdf, "")


def test_a_binary_answer_is_not_printed_to_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code = main(["call", "files.get_content", "--file-public-id", GUID, "--emulator"])
    assert code == ExitCode.USAGE
    line = _one_error_line(capsys.readouterr().err)
    assert "the answer is a file: write it with --output FILE" in line


def test_output_to_a_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "x.pdf"
    code = main(["call", "creditors.get", "--emulator", "--output", str(target)])
    assert code == ExitCode.USAGE
    assert "no folder" in _one_error_line(capsys.readouterr().err)


@pytest.fixture
async def slow_file_server() -> AsyncIterator[str]:
    """``GET /v1/files/file/{id}``: 10 chunks of 10 KiB, 0.15 s apart; with a Content-Length
    unless the id starts with ``0``."""

    async def content(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/pdf"})
        if not request.match_info["id"].startswith("0"):
            response.content_length = 10 * 10240
        await response.prepare(request)
        for _ in range(10):
            await response.write(b"x" * 10240)
            await asyncio.sleep(0.15)
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/v1/files/file/{id}", content)
    async with serve_app(app) as url:
        yield url


@POSIX
@pytest.mark.parametrize("length_known", [True, False])
async def test_a_long_download_shows_progress_on_a_terminal(
    slow_file_server: str, tmp_path: Path, length_known: bool
) -> None:
    import pty

    file_id = GUID if length_known else "0" + GUID[1:]
    target = tmp_path / "big.pdf"
    main_fd, terminal = pty.openpty()
    try:
        env = _env(BILLECTA_SECURE_TOKEN="t", BILLECTA_BASE_URL=slow_file_server)
        code, out, _ = await call(
            "files.get_content", "--file-public-id", file_id, "--output", str(target),
            env=env, stderr=terminal,
        )  # fmt: skip
        os.close(terminal)
        shown = await asyncio.get_running_loop().run_in_executor(None, _read_all, main_fd)
    finally:
        os.close(main_fd)
    assert (code, out) == (0, b"")
    assert target.read_bytes() == b"x" * 102400
    updates = [u.strip() for u in shown.replace("\r\n", "\n").split("\r") if u.strip()]
    assert len(updates) >= 2, shown  # shown after half a second, then as it goes
    if length_known:
        assert updates[-1] == "downloaded 100.0 KiB of 100.0 KiB (100%)"
        assert re.fullmatch(r"downloaded [\d.]+ KiB of 100\.0 KiB \(\d\d?%\)", updates[0])
    else:
        assert updates[-1] == "downloaded 100.0 KiB"
    assert shown.endswith("\n")


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_only_on_a_terminal_once_a_download_is_long() -> None:
    now = [0.0]
    terminal = _Terminal()
    progress = _output.Progress(terminal, 4096, clock=lambda: now[0])
    progress.advance(1024)  # at once: nothing yet
    assert terminal.getvalue() == ""
    now[0] = 0.6
    progress.advance(1024)
    assert terminal.getvalue() == "\rdownloaded 2.0 KiB of 4.0 KiB (50%)"
    now[0] = 0.65  # within the update interval
    progress.advance(1024)
    assert terminal.getvalue().count("\r") == 1
    progress.advance(1024)
    progress.finish()
    assert terminal.getvalue().endswith("\rdownloaded 4.0 KiB of 4.0 KiB (100%)\n")

    quick = _Terminal()
    fast = _output.Progress(quick, None, clock=lambda: 0.0)
    fast.advance(10)
    fast.finish()
    assert quick.getvalue() == ""  # a short download prints nothing

    piped = io.StringIO()
    slow = _output.Progress(piped, None, clock=lambda: now[0])
    now[0] = 10.0
    slow.advance(10)
    slow.finish()
    assert piped.getvalue() == "" and slow.received == 10  # not a terminal


class _TerminalInput(io.TextIOWrapper):
    """Standard input on a terminal, holding what the user types."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("source", "told"), [("-", True), ("FILE", False)])
def test_a_body_from_a_terminal_is_asked_for(
    source: str,
    told: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `--body -` on a terminal waited silently for input; it says what to type and how to end.
    from billecta_async._cli._call import _read_body

    typed = b'{"Name": "Ann"}'
    monkeypatch.setattr(sys, "stdin", _TerminalInput(io.BytesIO(typed)))
    path = tmp_path / "debtor.json"
    path.write_bytes(typed)
    operation = catalogue().operation("debtors", "create")
    body = _read_body(operation, "-" if source == "-" else str(path), "json")
    assert isinstance(body, m.Debtor) and body.name == "Ann"
    err = capsys.readouterr().err
    if told:
        assert err == (
            "billecta call: type or paste the JSON Debtor body, then Ctrl-D on a line of its own\n"
        )
    else:
        assert err == ""
