"""The emulator's own behaviour, checked against the reference's statements over real sockets.

Raw aiohttp requests are used where the exact wire matters (headers, statuses, bodies); the
client is used where the statement is about what a caller sees.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import orjson
import pytest
from _builders import around_today, sek, sofa_invoice
from _clocks import JumpClock
from lxml import etree

from billecta_async import (
    BadRequestError,
    DuplicateRequestError,
    ScaledClock,
    TransportError,
    UnauthorizedError,
    from_json,
    from_xml,
)
from billecta_async import models as m
from billecta_async._wire import ListOf
from billecta_async.testing import BillectaEmulator
from billecta_async.testing.emulator._catalogue import endpoint_table
from billecta_async.testing.emulator._server import _handlers

EMPTY_GUID = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
async def raw() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def token_header(emulator: BillectaEmulator) -> dict[str, str]:
    encoded = base64.b64encode(emulator.secure_token.encode()).decode()
    return {"Authorization": f"SecureToken {encoded}", "Accept": "application/json"}


async def post_json(
    session: aiohttp.ClientSession,
    emulator: BillectaEmulator,
    path: str,
    body: bytes,
    **headers: str,
) -> aiohttp.ClientResponse:
    all_headers = {**token_header(emulator), "Content-Type": "application/json", **headers}
    async with session.post(emulator.url + path, data=body, headers=all_headers) as answer:
        await answer.read()
        return answer


# -- authentication -------------------------------------------------------------------------------


async def test_secure_token_and_basic_auth_are_accepted(
    billecta_emulator: BillectaEmulator,
) -> None:
    from billecta_async import BillectaClient

    async with billecta_emulator.client() as by_token:
        creditor = await by_token.creditors.get(billecta_emulator.creditor_public_id)
    async with BillectaClient(
        username=billecta_emulator.username,
        password=billecta_emulator.password,
        base_url=billecta_emulator.url,
    ) as by_password:
        same = await by_password.creditors.get(billecta_emulator.creditor_public_id)
    assert creditor == same
    assert creditor.name == "Emulator AB"


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "SecureToken bm9wZQ==",
        "Basic ZW11bGF0b3I6d3Jvbmc=",
        "Bearer abc",
        "SecureToken !!",
        "SecureToken bsO2cGU=",  # non-ASCII: nöpe
        "Basic ZW11bGF0b3I6d3LDtm5n",  # non-ASCII: emulator:wröng
    ],
)
async def test_bad_credentials_are_401(
    billecta_emulator: BillectaEmulator, raw: aiohttp.ClientSession, authorization: str | None
) -> None:
    headers = {"Accept": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    url = f"{billecta_emulator.url}/v1/creditors/creditor/{billecta_emulator.creditor_public_id}"
    async with raw.get(url, headers=headers) as answer:
        body = orjson.loads(await answer.read())
    assert answer.status == 401
    assert "denied" in body["Message"]


@pytest.mark.parametrize("billecta_format", ["json", "xml"])
async def test_a_creditor_the_user_does_not_own_is_401_even_the_empty_guid(
    billecta_emulator: BillectaEmulator, billecta_client: Any
) -> None:
    other = billecta_emulator.add_creditor("Other AB", owned=False)
    for creditor in (other, EMPTY_GUID):
        with pytest.raises(UnauthorizedError) as caught:
            await billecta_client.debtors.create(m.Debtor(creditor_public_id=creditor, name="X"))
        assert caught.value.status == 401
    with pytest.raises(UnauthorizedError):  # no creditor at all reads as the empty guid
        await billecta_client.debtors.create(m.Debtor(name="X"))
    assert billecta_emulator.state.debtors == {}


# -- formats and errors -------------------------------------------------------------------------


async def test_without_accept_header_the_answer_is_xml(
    billecta_emulator: BillectaEmulator, raw: aiohttp.ClientSession
) -> None:
    headers = {"Authorization": token_header(billecta_emulator)["Authorization"]}
    url = f"{billecta_emulator.url}/v1/creditors/creditor/{billecta_emulator.creditor_public_id}"
    async with raw.get(url, headers=headers) as answer:
        body = await answer.read()
    assert answer.content_type == "application/xml"
    creditor = from_xml(body, m.Creditor)
    assert creditor.creditor_public_id == billecta_emulator.creditor_public_id


async def test_400_has_message_body_and_latin1_error_message_header(
    billecta_emulator: BillectaEmulator,
) -> None:
    """Read the raw answer off the socket: the header must be ISO-8859-1, the body UTF-8."""
    host, port = billecta_emulator.url.removeprefix("http://").split(":")
    body = orjson.dumps({"CreditorPublicId": billecta_emulator.creditor_public_id, "Name": ""})
    auth = token_header(billecta_emulator)["Authorization"]
    request = (
        f"POST /v1/debtors/debtor HTTP/1.1\r\nHost: {host}\r\nAuthorization: {auth}\r\n"
        f"Accept: application/json\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(request)
    response = await reader.read()
    writer.close()
    await writer.wait_closed()
    head, _, payload = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    header = [line for line in head.split(b"\r\n") if line.startswith(b"ErrorMessage:")]
    assert header == [b"ErrorMessage: Debtor.Name is required"]
    assert orjson.loads(payload)["Message"] == "Debtor.Name is required"


async def test_non_ascii_error_message_travels_latin1_and_reaches_the_client(
    billecta_emulator: BillectaEmulator,
) -> None:
    product = m.Product(
        creditor_public_id=billecta_emulator.creditor_public_id,
        article_number="SOFFA-Å",
        description="Soffa",
    )
    async with billecta_emulator.client() as client:
        await client.products.create(product)
        with pytest.raises(BadRequestError) as caught:
            await client.products.create(product)
    expected = "A product with article number 'SOFFA-Å' exists"
    assert caught.value.message == expected  # from the UTF-8 body
    assert caught.value.error_message_header == expected  # from the ISO-8859-1 header


@pytest.mark.parametrize("billecta_format", ["json", "xml"])
async def test_unknown_enum_value_is_400_naming_the_field(
    billecta_emulator: BillectaEmulator, billecta_client: Any, billecta_format: str
) -> None:
    debtor = m.Debtor(
        creditor_public_id=billecta_emulator.creditor_public_id,
        name="Jenny",
        debtor_type=m.DebtorType("Martian"),  # kept by the SDK as an unknown value
    )
    with pytest.raises(BadRequestError) as caught:
        await billecta_client.debtors.create(debtor)
    assert "DebtorType" in caught.value.message and "Martian" in caught.value.message
    assert billecta_emulator.state.debtors == {}


async def test_malformed_body_is_400(
    billecta_emulator: BillectaEmulator, raw: aiohttp.ClientSession
) -> None:
    answer = await post_json(raw, billecta_emulator, "/v1/debtors/debtor", b'{"Name": 5')
    assert answer.status == 400


async def test_unknown_route_is_404(
    billecta_emulator: BillectaEmulator, raw: aiohttp.ClientSession
) -> None:
    async with raw.get(
        billecta_emulator.url + "/v1/nothing", headers=token_header(billecta_emulator)
    ) as a:
        body = orjson.loads(await a.read())
    assert a.status == 404
    assert "No endpoint" in body["Message"]


# -- UniqueApiCallId ----------------------------------------------------------------------------


async def test_repeated_unique_api_call_id_is_403_and_not_processed(
    billecta_emulator: BillectaEmulator,
) -> None:
    debtor = m.Debtor(creditor_public_id=billecta_emulator.creditor_public_id, name="Jenny")
    async with (
        billecta_emulator.client(max_retries=0)
        if _takes_retries()
        else billecta_emulator.client() as client
    ):
        await client.debtors.create(debtor, unique_api_call_id="order-1")
        with pytest.raises(DuplicateRequestError) as caught:
            await client.debtors.create(debtor, unique_api_call_id="order-1")
        await client.debtors.create(debtor, unique_api_call_id="order-2")
    assert caught.value.status == 403
    assert "order-1" in caught.value.message
    assert len(billecta_emulator.state.debtors) == 2


async def test_a_refused_call_does_not_use_up_its_unique_api_call_id(
    billecta_emulator: BillectaEmulator,
) -> None:
    async with billecta_emulator.client() as client:
        with pytest.raises(BadRequestError):
            await client.debtors.create(
                m.Debtor(creditor_public_id=billecta_emulator.creditor_public_id),
                unique_api_call_id="order-9",
            )
        await client.debtors.create(
            m.Debtor(creditor_public_id=billecta_emulator.creditor_public_id, name="Jenny"),
            unique_api_call_id="order-9",
        )
    assert len(billecta_emulator.state.debtors) == 1


async def test_too_long_unique_api_call_id_is_403(
    billecta_emulator: BillectaEmulator, raw: aiohttp.ClientSession
) -> None:
    body = orjson.dumps({"CreditorPublicId": billecta_emulator.creditor_public_id, "Name": "J"})
    answer = await post_json(
        raw, billecta_emulator, "/v1/debtors/debtor", body, UniqueApiCallId="x" * 51
    )
    assert answer.status == 403
    assert billecta_emulator.state.debtors == {}


def _takes_retries() -> bool:
    import inspect

    from billecta_async import BillectaClient

    return "max_retries" in inspect.signature(BillectaClient).parameters


# -- throttling ---------------------------------------------------------------------------------


async def _search(
    session: aiohttp.ClientSession, emulator: BillectaEmulator
) -> aiohttp.ClientResponse:
    body = orjson.dumps({"CreditorPublicId": emulator.creditor_public_id})
    return await post_json(session, emulator, "/v1/search/actions", body)


async def test_search_limits_30_per_10_s_and_100_per_60_s(raw: aiohttp.ClientSession) -> None:
    clock = JumpClock()
    async with BillectaEmulator(clock=clock) as emulator:
        statuses = [(await _search(raw, emulator)).status for _ in range(31)]
        assert statuses == [200] * 30 + [429]
        refused = await _search(raw, emulator)
        assert refused.headers["Retry-After"] == "10"
        for _ in range(2):  # 30 more at t+10 and t+20: 90 in the minute
            clock.advance(10)
            assert {(await _search(raw, emulator)).status for _ in range(30)} == {200}
        clock.advance(10)  # t+30: the 10 s window is empty, the minute allows 10 more
        statuses = [(await _search(raw, emulator)).status for _ in range(11)]
        assert statuses == [200] * 10 + [429]
        assert (await _search(raw, emulator)).headers["Retry-After"] == "30"  # t+0 ages out at 60
        clock.advance(30)
        assert (await _search(raw, emulator)).status == 200


async def test_invoice_action_reads_limited_100_per_10_s(raw: aiohttp.ClientSession) -> None:
    clock = JumpClock()
    # Without the error penalty: its delay after 50 errors would move the clock past the window.
    async with BillectaEmulator(clock=clock, error_penalty=False) as emulator:
        url = emulator.url + f"/v1/invoice/action/{EMPTY_GUID}"
        statuses = []
        for _ in range(101):
            async with raw.get(url, headers=token_header(emulator)) as answer:
                statuses.append(answer.status)
        # Every request counts, whatever its answer (here 401: not the user's invoice).
        assert statuses == [401] * 100 + [429]


async def test_fifty_errors_in_a_minute_delay_the_next_call(raw: aiohttp.ClientSession) -> None:
    clock = JumpClock()
    async with BillectaEmulator(clock=clock) as emulator:
        url = emulator.url + f"/v1/debtors/debtor/{EMPTY_GUID}"
        first = clock.now()
        for _ in range(50):
            async with raw.get(url, headers=token_header(emulator)) as answer:
                assert answer.status == 401
            clock.advance(0.5)
        before = clock.now()
        async with raw.get(
            emulator.url + f"/v1/creditors/creditor/{emulator.creditor_public_id}",
            headers=token_header(emulator),
        ) as answer:
            assert answer.status == 200
        # Held until the window after the first error has passed (the guide's example).
        assert clock.now() == pytest.approx(first + 60)
        assert clock.now() > before


async def test_404s_do_not_count_as_errors(raw: aiohttp.ClientSession) -> None:
    clock = JumpClock()
    async with BillectaEmulator(clock=clock) as emulator:
        for _ in range(60):
            async with raw.get(emulator.url + "/v1/nowhere", headers=token_header(emulator)) as a:
                assert a.status == 404
        start = clock.now()
        async with raw.get(
            emulator.url + f"/v1/creditors/creditor/{emulator.creditor_public_id}",
            headers=token_header(emulator),
        ) as answer:
            assert answer.status == 200
        assert clock.now() == start


# -- endpoints without a stateful model ---------------------------------------------------------


def _fallback_endpoints() -> list[Any]:
    handled = set(_handlers())
    return sorted(
        (e for key, e in endpoint_table().items() if key not in handled), key=lambda e: e.key
    )


def test_each_documented_form_is_answered_as_its_own_method() -> None:
    """A path documented twice (a listing and a lookup by a query parameter) keeps both forms:
    a request with a form's parameters is answered with that form's model."""
    from billecta_async._catalogue import catalogue

    twice = 0
    for operation in catalogue().operations:
        endpoint = endpoint_table()[operation.key]
        twice += len(endpoint.forms) > 1
        path_params = {a.wire for a in operation.args if a.location == "path"}
        for documented in operation.forms:
            form = endpoint.form(documented - path_params)
            assert form.operation == f"{operation.resource}.{operation.name}"
            assert form.response is operation.response_model()
    assert twice == 4  # two paths, each documented twice (a listing and a lookup)


@pytest.mark.parametrize("billecta_format", ["json", "xml"])
async def test_paths_documented_twice_answer_each_form_with_its_model(
    billecta_client: Any, creditor: str
) -> None:
    """Issue 15: the lookups failed with DecodeError (the emulator answered the listing)."""
    await billecta_client.accounting.create_payment_mean(
        m.AccountingPaymentMean(creditor_public_id=creditor, payment_code="BG", description="BG")
    )
    one = await billecta_client.accounting.get_payment_mean(creditor, "BG")
    assert isinstance(one, m.AccountingPaymentMean) and one.payment_code == "BG"
    assert [p.payment_code for p in await billecta_client.accounting.list_payment_means(creditor)]
    created = await billecta_client.payments.create_outgoing_payment(
        m.OutgoingPayment(
            creditor_public_id=creditor, receiving_bankgiro_no="5050-1055", amount=sek(100)
        )
    )
    status = await billecta_client.payments.get_outgoing_payment_status(created.public_id)
    assert isinstance(status, m.OutgoingPaymentStatus)
    assert status.payment_public_id == created.public_id
    start, end = around_today()
    listed = await billecta_client.payments.list_outgoing_payment_statuses(creditor, start, end)
    assert [p.payment_public_id for p in listed] == [created.public_id]


def test_every_documented_endpoint_is_served() -> None:
    table = endpoint_table()
    assert len(table) == 249  # 254 documented, five of them twice with other query parameters
    assert set(_handlers()) <= set(table)


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_endpoints_without_state_answer_their_documented_model(
    billecta_emulator: BillectaEmulator, raw: aiohttp.ClientSession, fmt: str
) -> None:
    from billecta_async.testing import sample_list, sample_model

    creditor = billecta_emulator.creditor_public_id
    accept = "application/json" if fmt == "json" else "application/xml"
    checked = 0
    fallback = _fallback_endpoints()
    for endpoint in fallback:
        for form in endpoint.forms:
            path = endpoint.path
            query = {}
            for wire, name in form.params.items():
                value = creditor if name == "creditor_public_id" else "1"
                if "{" + wire + "}" in path:
                    path = path.replace("{" + wire + "}", value)
                elif wire.lower() in form.query:
                    query[wire] = value
            data = None
            headers = {**token_header(billecta_emulator), "Accept": accept}
            if endpoint.body is not None:
                if isinstance(endpoint.body, ListOf):
                    sample: Any = sample_list(endpoint.body, count=1)
                    for item in sample:
                        if hasattr(item, "creditor_public_id"):
                            item.creditor_public_id = creditor
                else:
                    sample = sample_model(endpoint.body)
                    if hasattr(sample, "creditor_public_id"):
                        sample.creditor_public_id = creditor
                from billecta_async import to_json, to_xml

                model = endpoint.body if isinstance(endpoint.body, ListOf) else None
                data = to_json(sample, model) if fmt == "json" else to_xml(sample, model)
                headers["Content-Type"] = accept
            async with raw.request(
                endpoint.method,
                billecta_emulator.url + path,
                params=query,
                data=data,
                headers=headers,
            ) as answer:
                body = await answer.read()
            assert answer.status == 200, (endpoint.key, body[:300])
            spec = form.response
            if spec is bytes:
                assert body.startswith(b"%PDF")
            elif spec is not None:
                decoded = from_json(body, spec) if fmt == "json" else from_xml(body, spec)
                assert decoded is not None
            checked += 1
    assert checked == sum(len(e.forms) for e in fallback) >= 1


# -- injected faults ----------------------------------------------------------------------------


def _debtor(emulator: BillectaEmulator) -> m.Debtor:
    return m.Debtor(creditor_public_id=emulator.creditor_public_id, name="Jenny Doe")


async def test_fault_drop_before_acting(billecta_emulator: BillectaEmulator) -> None:
    billecta_emulator.inject_fault("POST", "/v1/debtors/debtor", "drop_before")
    async with billecta_emulator.client(**_no_retries()) as client:
        with pytest.raises(TransportError):
            await client.debtors.create(_debtor(billecta_emulator))
        assert billecta_emulator.state.debtors == {}
        await client.debtors.create(_debtor(billecta_emulator))  # the fault was used up
    assert len(billecta_emulator.state.debtors) == 1


async def test_fault_drop_after_acting(billecta_emulator: BillectaEmulator) -> None:
    billecta_emulator.inject_fault("POST", "/v1/debtors/debtor", "drop_after")
    async with billecta_emulator.client(**_no_retries()) as client:
        with pytest.raises(TransportError):
            await client.debtors.create(_debtor(billecta_emulator))
    assert len(billecta_emulator.state.debtors) == 1  # acted, answer lost


async def test_fault_truncated_answer(billecta_emulator: BillectaEmulator) -> None:
    billecta_emulator.inject_fault("GET", "/v1/creditors/creditor/{id}", "truncate")
    async with billecta_emulator.client(**_no_retries()) as client:
        with pytest.raises(TransportError):
            await client.creditors.get(billecta_emulator.creditor_public_id)


async def test_fault_error_before_and_after(billecta_emulator: BillectaEmulator) -> None:
    from billecta_async import ServerError

    billecta_emulator.inject_fault("POST", "/v1/debtors/debtor", "error_before")
    billecta_emulator.inject_fault("POST", "/v1/debtors/debtor", "error_after")
    async with billecta_emulator.client(**_no_retries()) as client:
        with pytest.raises(ServerError):
            await client.debtors.create(_debtor(billecta_emulator))
        assert billecta_emulator.state.debtors == {}
        with pytest.raises(ServerError):
            await client.debtors.create(_debtor(billecta_emulator))
        assert len(billecta_emulator.state.debtors) == 1


def test_faults_name_a_documented_endpoint() -> None:
    emulator = BillectaEmulator()
    with pytest.raises(ValueError, match="no documented endpoint"):
        emulator.inject_fault("POST", "/v1/debtors/nothing", "drop_before")


def _no_retries() -> dict[str, Any]:
    return {"max_retries": 0} if _takes_retries() else {}


# -- long-running flows ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ssn", "outcome", "seconds"),
    [
        ("19800113-9297", m.BankIdStatusType.COMPLETE, 10),
        ("19700123-9297", m.BankIdStatusType.ERROR, 10),
        ("19600106-2626", m.BankIdStatusType.NO_CLIENT, 2),
    ],
)
async def test_bankid_test_numbers(ssn: str, outcome: m.BankIdStatusType, seconds: float) -> None:
    clock = JumpClock()
    async with BillectaEmulator(clock=clock) as emulator, emulator.client() as client:
        request = m.BankIdAuthenticationRequest(
            creditor_public_id=emulator.creditor_public_id, ssn=ssn
        )
        started = await client.bankid.create_authentication_request(request)
        assert started.status == m.BankIdStatusType.OUTSTANDING_TRANSACTION
        token = started.reference_token
        clock.advance(seconds - 0.01)
        pending = await client.bankid.get_authentication_status(token)
        assert pending.status == m.BankIdStatusType.STARTED
        clock.advance(0.01)
        done = await client.bankid.get_authentication_status(token)
        assert done.status == outcome
        sign = await client.bankid.create_sign_request(
            m.BankIdSignRequest(creditor_public_id=emulator.creditor_public_id, ssn=ssn)
        )
        clock.advance(seconds)
        assert (await client.bankid.get_sign_status(sign.reference_token)).status == outcome


async def test_bankid_rejects_a_malformed_person_number(
    billecta_client: Any, billecta_emulator: BillectaEmulator
) -> None:
    with pytest.raises(BadRequestError, match="12 digits"):
        await billecta_client.bankid.create_authentication_request(
            m.BankIdAuthenticationRequest(
                creditor_public_id=billecta_emulator.creditor_public_id, ssn="1980"
            )
        )


@pytest.mark.parametrize(
    ("ssn", "outcome"),
    [
        ("19800113-9297", m.BankAccountStatusType.SUCCESS),
        ("19700123-9297", m.BankAccountStatusType.FAILED),
    ],
)
async def test_bank_account_test_numbers(ssn: str, outcome: m.BankAccountStatusType) -> None:
    clock = JumpClock()
    async with BillectaEmulator(clock=clock) as emulator, emulator.client() as client:
        created = await client.bank.initiate_account_retrieval(
            emulator.creditor_public_id, m.BankAccountBankType.SEB, ssn, other_device=True
        )
        waiting = await client.bank.get_account_retrieval_status(created.public_id)
        assert waiting.status == m.BankAccountStatusType.WAITING
        assert (waiting.qr or "").startswith("data:image/png;base64,")
        clock.advance(10)
        done = await client.bank.get_account_retrieval_status(created.public_id)
        assert done.status == outcome
        assert bool(done.account_numbers) == (outcome == m.BankAccountStatusType.SUCCESS)


@pytest.mark.parametrize(
    ("phone", "outcome"),
    [("46701234567", "Declined"), ("46707654321", "Error"), ("46700000000", "Paid")],
)
async def test_swish_test_numbers(phone: str, outcome: str) -> None:
    clock = JumpClock()
    async with BillectaEmulator(clock=clock) as emulator, emulator.client() as client:
        action = await sofa_invoice(client, emulator.creditor_public_id, 10000, attest=True)
        token = (await client.payments.create_swish_payment(action, phone)).public_id
        assert (
            await client.payments.get_swish_payment_status(token)
        ).status == m.SwishStatusType.CREATED
        clock.advance(5)
        status = await client.payments.get_swish_payment_status(token)
        assert status.status == m.SwishStatusType(outcome)
        await client.payments.get_swish_payment_status(token)  # polled again: booked once
        invoice = await client.invoices.get(action)
    paid = outcome == "Paid"
    assert invoice.state.stage == (
        m.InvoiceActionStageType.COMPLETED if paid else m.InvoiceActionStageType.ATTESTED
    )
    assert invoice.paid_amount.value == (10000 if paid else 0)


async def test_scaled_clock_runs_the_ten_second_flow_quickly() -> None:
    async with BillectaEmulator(clock=ScaledClock(1000)) as emulator, emulator.client() as client:
        started = await client.bankid.create_authentication_request(
            m.BankIdAuthenticationRequest(
                creditor_public_id=emulator.creditor_public_id, ssn="198001139297"
            )
        )
        await emulator.clock.sleep(10)
        done = await client.bankid.get_authentication_status(started.reference_token)
    assert done.status == m.BankIdStatusType.COMPLETE
    assert done.name == "Test Testsson"


def test_error_body_shape_in_xml() -> None:
    from billecta_async.testing.emulator._http import ApiError, error_response

    response = error_response(ApiError(400, "Fel på fältet"), "xml", "<Debtor/>")
    root = etree.fromstring(response.body)
    assert [child.tag for child in root] == ["Message", "ExternalErrorCode", "RequestContent"]
    assert root.findtext("Message") == "Fel på fältet"
    assert json.dumps(response.headers["ErrorMessage"]) == json.dumps("Fel på fältet")
