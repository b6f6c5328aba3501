"""The ``billecta_async`` logger: one line per attempt, and never a secret or a person number."""

from __future__ import annotations

import base64
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from _clocks import JumpClock
from _servers import serve_app
from aiohttp import web

import billecta_async.models as m
from billecta_async import Backoff, BillectaClient, ServerError

CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
PERSON_NUMBER = "197001011234"
TOKEN = "5Uis54EmQ/9jJtGhQoS8K9xHRsMXQhZg=="
PASSWORD = "hunter2-Sesame"
SECRETS = [
    TOKEN,
    base64.b64encode(TOKEN.encode()).decode(),
    PASSWORD,
    base64.b64encode(f"jenny:{PASSWORD}".encode()).decode(),
    PERSON_NUMBER,
    "19700101-1234",
    "Authorization",
    "secret reference",  # from a request body
    "Jenny Doe",  # from a response body
]


@asynccontextmanager
async def server(statuses: list[int]) -> AsyncIterator[str]:
    """Answers each request with the next status (then 200) and a small JSON body."""

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        status = statuses.pop(0) if statuses else 200
        if request.path.startswith("/v1/debtors/"):
            body = b'[{"Name": "Jenny Doe"}]'
        elif request.path == "/v1/invoice/action":
            body = m.Created(public_id="inv-1").to_json()
        else:
            body = b'{"Status": "Started"}'
        return web.Response(status=status, body=body, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    async with serve_app(app) as url:
        yield url


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)


@pytest.mark.parametrize(
    "credentials", [{"secure_token": TOKEN}, {"username": "jenny", "password": PASSWORD}]
)
async def test_one_line_per_attempt_without_secrets_or_person_numbers(
    credentials: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="billecta_async")
    async with (
        server([500]) as url,
        BillectaClient(
            base_url=url, clock=JumpClock(), backoff=Backoff(jitter=lambda: 0.5), **credentials
        ) as api,
    ):
        debtors = await api.debtors.list_by_org_no(CREDITOR, PERSON_NUMBER, "SE")
        await api.bankid.create_authentication_request(
            m.BankIdAuthenticationRequest(creditor_public_id=CREDITOR, ssn=PERSON_NUMBER)
        )
        await api.invoices.create(
            m.InvoiceActionEntry(creditor_public_id=CREDITOR, our_reference="secret reference"),
            unique_api_call_id="order-1001",
        )
    assert debtors[0].name == "Jenny Doe"

    ours = [r for r in caplog.records if r.name == "billecta_async"]
    attempts = [r for r in ours if " -> " in r.getMessage()]
    assert [(r.levelno, r.getMessage().split(" in ")[0]) for r in attempts] == [
        (logging.INFO, "GET /v1/debtors/debtorsbyorgno/{id} -> 500"),
        (logging.DEBUG, "GET /v1/debtors/debtorsbyorgno/{id} -> 200"),
        (logging.DEBUG, "PUT /v1/bankid/authentication -> 200"),
        (logging.DEBUG, "POST /v1/invoice/action -> 200"),
    ]
    assert attempts[0].getMessage().endswith("ms (attempt 1/3)")
    assert attempts[1].getMessage().endswith("ms (attempt 2/3)")
    assert attempts[3].getMessage().endswith("ms (attempt 1/3, UniqueApiCallId order-1001)")
    # the PUT got a generated id, logged so that a lost answer can be traced
    assert "UniqueApiCallId " in attempts[2].getMessage()
    last = attempts[3].__dict__
    assert last["billecta_path"] == "/v1/invoice/action" and last["billecta_status"] == 200
    assert last["billecta_attempt"] == 1
    assert last["billecta_unique_api_call_id"] == "order-1001"
    assert any("retrying in" in r.getMessage() for r in ours)

    logged = everything_logged(caplog)
    leaked = [secret for secret in SECRETS if secret in logged]
    assert not leaked


async def test_failures_are_logged_at_info_with_the_exception_type(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="billecta_async")
    async with (
        server([503, 503, 503]) as url,
        BillectaClient(secure_token=TOKEN, base_url=url, clock=JumpClock()) as api,
    ):
        with pytest.raises(ServerError):
            await api.debtors.list_by_org_no(CREDITOR, PERSON_NUMBER, "SE")
    lines = [r.getMessage() for r in caplog.records if " -> " in r.getMessage()]
    assert [line.split(" in ")[0] for line in lines] == [
        "GET /v1/debtors/debtorsbyorgno/{id} -> 503"
    ] * 3
    caplog.clear()
    async with BillectaClient(secure_token=TOKEN, base_url=url, max_retries=0) as api:
        with pytest.raises(Exception, match="ClientConnectorError"):
            await api.debtors.list_by_org_no(CREDITOR, PERSON_NUMBER, "SE")
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.startswith("GET /v1/debtors/debtorsbyorgno/{id} -> ClientConnectorError in ")
    assert PERSON_NUMBER not in everything_logged(caplog)


async def test_a_stream_logs_each_attempt_when_its_answer_arrives(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="billecta_async")
    async with (
        server([503]) as url,
        BillectaClient(secure_token=TOKEN, base_url=url, clock=JumpClock()) as api,
        api.files.get_content(CREDITOR).stream() as stream,
    ):
        # both attempts are logged before the body is read
        lines = [r for r in caplog.records if " -> " in r.getMessage()]
        assert [(r.levelno, r.getMessage().split(" in ")[0]) for r in lines] == [
            (logging.INFO, "GET /v1/files/file/{id} -> 503"),
            (logging.DEBUG, "GET /v1/files/file/{id} -> 200"),
        ]
        assert lines[1].getMessage().endswith("(attempt 2/3)")
        assert b"".join([chunk async for chunk in stream.iter_chunks()]) == b'{"Status": "Started"}'
