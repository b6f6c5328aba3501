"""Status polling (BankID, Swish, bank account retrieval) against a local Billecta stand-in.

The server plays the reference's test numbers on a clock it shares with the client: a fake
clock whose sleep moves time forward (cadence, timeouts: exact and instant) or a ScaledClock
(the documented ten-second flows in a fraction of a second).
"""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import orjson
import pytest
from _servers import serve_app
from aiohttp import web

import billecta_async.models as m
from billecta_async import (
    BillectaClient,
    BillectaError,
    Clock,
    NotFoundError,
    ParameterError,
    PollingTimeoutError,
    ScaledClock,
)
from billecta_async.testing import default_model

CREDITOR = "8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70"
SUCCESS_SSN = "198001139297"  # the reference's 19800113-9297: Success after 10 s
ERROR_SSN = "197001239297"  # 19700123-9297: Error (bank retrieval: Failed) after 10 s
NO_CLIENT_SSN = "196001062626"  # 19600106-2626: NoClient after 2 s
DECLINED_PHONE = "46701234567"
ERROR_PHONE = "46707654321"
PAID_PHONE = "46700000001"

Bid = m.BankIdStatusType


class FakeClock:
    """Time that only moves when someone sleeps on it (or the server adds latency)."""

    def __init__(self) -> None:
        self.time = 0.0

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        self.time += max(0.0, seconds)
        await anyio.sleep(0)


@dataclass
class Flow:
    kind: str  # "bankid", "swish" or "bank"
    key: str  # SSN or phone number
    started: float


@dataclass
class Stand:
    """A Billecta stand-in for the BankID, Swish and bank account flows."""

    clock: Clock
    latency: float = 0.0  # fake seconds each status request takes (FakeClock only)
    flows: dict[str, Flow] = field(default_factory=dict)
    polls: list[float] = field(default_factory=list)  # clock time each status poll arrived
    transports: list[Any] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self, kind: str, key: str) -> str:
        token = str(uuid.uuid4())
        self.flows[token] = Flow(kind, key, self.clock.now())
        return token

    def elapsed(self, token: str) -> tuple[Flow, float]:
        self.polls.append(self.clock.now())
        if self.latency and isinstance(self.clock, FakeClock):
            self.clock.time += self.latency
        flow = self.flows.get(token)
        if flow is None:
            raise web.HTTPNotFound(
                text='{"Message": "no such request"}', content_type="application/json"
            )
        return flow, self.clock.now() - flow.started

    def bankid_status(self, token: str) -> Bid:
        flow, t = self.elapsed(token)
        if flow.key == NO_CLIENT_SSN and t >= 2:
            return Bid.NO_CLIENT
        if flow.key == SUCCESS_SSN and t >= 10:
            return Bid.COMPLETE
        if flow.key == ERROR_SSN and t >= 10:
            return Bid.ERROR
        return Bid.OUTSTANDING_TRANSACTION if t < 5 else Bid.USER_SIGN

    async def bankid_create(self, request: web.Request) -> web.Response:
        body = orjson.loads(await request.read())
        token = self.start("bankid", body.get("SSN") or "")
        status = m.BankIdAuthenticationStatus(status=Bid.OUTSTANDING_TRANSACTION)
        status.reference_token = token
        return _json(status)

    async def bankid_auth(self, request: web.Request) -> web.Response:
        if request.match_info["id"] == BLOCKING_TOKEN:
            return await self.block(request)
        token = request.match_info["id"]
        state = self.bankid_status(token)
        return _json(m.BankIdAuthenticationStatus(status=state, reference_token=token))

    async def bankid_sign(self, request: web.Request) -> web.Response:
        token = request.match_info["id"]
        state = self.bankid_status(token)
        return _json(m.BankIdSignStatus(status=state, reference_token=token))

    async def swish_create(self, request: web.Request) -> web.Response:
        return _json(m.Created(public_id=self.start("swish", request.query["phone"])))

    async def swish_status(self, request: web.Request) -> web.Response:
        flow, t = self.elapsed(request.match_info["id"])
        state = m.SwishStatusType.CREATED
        if t >= 5:
            outcomes = {DECLINED_PHONE: "DECLINED", ERROR_PHONE: "ERROR"}
            state = m.SwishStatusType[outcomes.get(flow.key, "PAID")]
        return _json(m.SwishPaymentStatus(status=state, payment_request_token=flow.key))

    async def bank_create(self, request: web.Request) -> web.Response:
        return _json(m.Created(public_id=self.start("bank", request.query["ssn"])))

    async def bank_status(self, request: web.Request) -> web.Response:
        flow, t = self.elapsed(request.match_info["id"])
        answer = default_model(
            m.BankAccountRequest, status=m.BankAccountStatusType.WAITING, ssn=flow.key
        )
        answer.qr = f"data:image/png;base64,qr{int(t) // 4}"  # a new QR code now and then
        if t >= 10 and flow.key == SUCCESS_SSN:
            answer.status = m.BankAccountStatusType.SUCCESS
            answer.account_numbers = [
                m.BankAccount(
                    clearing_no="8327",
                    account_no="9413192",
                    autogiro_compatible=m.AutogiroCompatibleType.APPROVED,
                )
            ]
        elif t >= 10:
            answer.status = m.BankAccountStatusType.FAILED
            answer.failure_message = "Cancelled by user"
        return _json(answer)

    async def block(self, request: web.Request) -> web.Response:
        self.transports.append(request.transport)
        await self.release.wait()
        return web.Response(status=204)


BLOCKING_TOKEN = "00000000-0000-0000-0000-0000000000b1"


def _json(model: Any) -> web.Response:
    return web.Response(body=model.to_json(), content_type="application/json")


async def serve(stand: Stand) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_put("/v1/bankid/authentication", stand.bankid_create)
    app.router.add_put("/v1/bankid/sign", stand.bankid_create)
    app.router.add_get("/v1/bankid/authentication/{id}", stand.bankid_auth)
    app.router.add_get("/v1/bankid/sign/{id}", stand.bankid_sign)
    app.router.add_post("/v1/payments/swish/{id}", stand.swish_create)
    app.router.add_get("/v1/payments/swish/{id}", stand.swish_status)
    app.router.add_post("/v1/bank/accounts/{id}", stand.bank_create)
    app.router.add_get("/v1/bank/accounts/{id}", stand.bank_status)
    async with serve_app(app) as url:
        try:
            yield url
        finally:
            stand.release.set()


@pytest.fixture
async def fake() -> AsyncIterator[tuple[BillectaClient, Stand, FakeClock]]:
    clock = FakeClock()
    stand = Stand(clock)
    async for url in serve(stand):
        async with BillectaClient(secure_token="t", base_url=url, clock=clock) as client:
            yield client, stand, clock


@pytest.fixture
async def scaled() -> AsyncIterator[tuple[BillectaClient, Stand, ScaledClock]]:
    clock = ScaledClock(50)
    stand = Stand(clock)
    async for url in serve(stand):
        async with BillectaClient(secure_token="t", base_url=url, clock=clock) as client:
            yield client, stand, clock


def states(statuses: list[Any]) -> list[Any]:
    return [s.status for s in statuses]


# -- the reference's test numbers, on a scaled clock ---------------------------------------------


@pytest.mark.parametrize(
    ("ssn", "final", "after"),
    [
        (SUCCESS_SSN, Bid.COMPLETE, 10),
        (ERROR_SSN, Bid.ERROR, 10),
        (NO_CLIENT_SSN, Bid.NO_CLIENT, 2),
    ],
)
async def test_bankid_authentication_test_numbers(
    scaled: Any, ssn: str, final: Bid, after: float
) -> None:
    client, _, clock = scaled
    started = clock.now()
    created = await client.bankid.create_authentication_request(
        m.BankIdAuthenticationRequest(creditor_public_id=CREDITOR, ssn=ssn)
    )
    status = await client.bankid.wait_for_authentication(created.reference_token)
    assert isinstance(status, m.BankIdAuthenticationStatus)
    assert status.status is final and status.reference_token == created.reference_token
    assert clock.now() - started >= after


async def test_bankid_sign_yields_each_status_as_it_changes(scaled: Any) -> None:
    client, _, _ = scaled
    created = await client.bankid.create_sign_request(
        m.BankIdSignRequest(creditor_public_id=CREDITOR, ssn=SUCCESS_SSN)
    )
    seen = [s async for s in client.bankid.iter_sign_status(created.reference_token)]
    assert all(isinstance(s, m.BankIdSignStatus) for s in seen)
    assert states(seen) == [Bid.OUTSTANDING_TRANSACTION, Bid.USER_SIGN, Bid.COMPLETE]
    final = await client.bankid.wait_for_sign(created.reference_token)
    assert final.status is Bid.COMPLETE


@pytest.mark.parametrize(
    ("phone", "final"),
    [
        (DECLINED_PHONE, m.SwishStatusType.DECLINED),
        (ERROR_PHONE, m.SwishStatusType.ERROR),
        (PAID_PHONE, m.SwishStatusType.PAID),
    ],
)
async def test_swish_test_numbers(scaled: Any, phone: str, final: m.SwishStatusType) -> None:
    client, _, _ = scaled
    created = await client.payments.create_swish_payment("action-1", phone)
    seen = [s async for s in client.payments.iter_swish_payment_status(created.public_id)]
    assert states(seen) == [m.SwishStatusType.CREATED, final]
    status = await client.payments.wait_for_swish_payment(created.public_id)
    assert isinstance(status, m.SwishPaymentStatus) and status.status is final


async def test_bank_account_retrieval_success(scaled: Any) -> None:
    client, _, _ = scaled
    created = await client.bank.initiate_account_retrieval(
        CREDITOR, m.BankAccountBankType.SHB, SUCCESS_SSN
    )
    seen = [s async for s in client.bank.iter_account_retrieval_status(created.public_id)]
    assert states(seen)[0] is m.BankAccountStatusType.WAITING
    assert seen[-1].status is m.BankAccountStatusType.SUCCESS
    assert seen[-1].account_numbers == [
        m.BankAccount(
            clearing_no="8327",
            account_no="9413192",
            autogiro_compatible=m.AutogiroCompatibleType.APPROVED,
        )
    ]


async def test_bank_account_retrieval_failure(scaled: Any) -> None:
    client, _, _ = scaled
    created = await client.bank.initiate_account_retrieval(
        CREDITOR, m.BankAccountBankType.NB, ERROR_SSN
    )
    status = await client.bank.wait_for_account_retrieval(created.public_id)
    assert isinstance(status, m.BankAccountRequest)
    assert status.status is m.BankAccountStatusType.FAILED
    assert status.failure_message == "Cancelled by user"


# -- cadence, deduplication and timeout, on a fake clock -------------------------------------------


async def test_one_poll_a_second_until_final(fake: Any) -> None:
    client, stand, _ = fake
    token = stand.start("bankid", SUCCESS_SSN)
    seen = [s async for s in client.bankid.iter_authentication_status(token)]
    assert stand.polls == [float(t) for t in range(11)]  # 0 s .. 10 s, Complete at 10 s
    assert states(seen) == [Bid.OUTSTANDING_TRANSACTION, Bid.USER_SIGN, Bid.COMPLETE]


async def test_interval_is_measured_from_the_start_of_the_previous_poll(fake: Any) -> None:
    client, stand, _ = fake
    stand.latency = 0.3
    token = stand.start("swish", PAID_PHONE)
    status = await client.payments.wait_for_swish_payment(token)
    assert status.status is m.SwishStatusType.PAID
    assert stand.polls == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


async def test_a_poll_slower_than_the_interval_is_followed_at_once(fake: Any) -> None:
    client, stand, _ = fake
    stand.latency = 1.5
    token = stand.start("swish", PAID_PHONE)
    await client.payments.wait_for_swish_payment(token)
    assert stand.polls == [0.0, 1.5, 3.0, 4.5]  # the answer to the 4.5 s poll comes at 6 s


async def test_interval_is_configurable(fake: Any) -> None:
    client, stand, _ = fake
    token = stand.start("bank", SUCCESS_SSN)
    status = await client.bank.wait_for_account_retrieval(token, interval=2.5)
    assert status.status is m.BankAccountStatusType.SUCCESS
    assert stand.polls == [0.0, 2.5, 5.0, 7.5, 10.0]


async def test_a_changed_field_is_yielded_even_when_the_status_stays(fake: Any) -> None:
    client, stand, _ = fake
    token = stand.start("bank", SUCCESS_SSN)
    seen = [s async for s in client.bank.iter_account_retrieval_status(token)]
    assert len(stand.polls) == 11
    assert [(s.status.value, s.qr[-3:]) for s in seen] == [
        ("Waiting", "qr0"),  # 0 s .. 3 s
        ("Waiting", "qr1"),  # 4 s .. 7 s
        ("Waiting", "qr2"),  # 8 s, 9 s
        ("Success", "qr2"),  # 10 s
    ]


async def test_identical_answers_are_yielded_once(fake: Any) -> None:
    client, stand, _ = fake
    token = stand.start("bankid", NO_CLIENT_SSN)
    seen = [s async for s in client.bankid.iter_authentication_status(token, interval=0.25)]
    assert len(stand.polls) == 9  # 0 s .. 2 s
    assert states(seen) == [Bid.OUTSTANDING_TRANSACTION, Bid.NO_CLIENT]


async def test_timeout_raises_with_the_last_status(fake: Any) -> None:
    client, stand, clock = fake
    token = stand.start("bankid", SUCCESS_SSN)
    with pytest.raises(PollingTimeoutError) as caught:
        await client.bankid.wait_for_authentication(token, timeout=7)
    error = caught.value
    assert isinstance(error, BillectaError) and isinstance(error, TimeoutError)
    assert error.timeout == 7 and clock.now() == 7
    assert stand.polls == [float(t) for t in range(8)]  # the last poll at the deadline
    assert isinstance(error.last_status, m.BankIdAuthenticationStatus)
    assert error.last_status.status is Bid.USER_SIGN
    assert (
        str(error)
        == f"BankID authentication {token}: no final status within 7 s (last status: UserSign)"
    )


async def test_timeout_between_interval_ticks_polls_once_more_at_the_deadline(fake: Any) -> None:
    client, stand, clock = fake
    token = stand.start("swish", PAID_PHONE)
    with pytest.raises(PollingTimeoutError) as caught:
        await client.payments.wait_for_swish_payment(token, timeout=1.5)
    assert stand.polls == [0.0, 1.0, 1.5] and clock.now() == 1.5
    assert caught.value.last_status.status is m.SwishStatusType.CREATED


async def test_no_timeout_waits_as_long_as_it_takes(fake: Any) -> None:
    client, stand, _ = fake
    token = stand.start("bankid", ERROR_SSN)
    status = await client.bankid.wait_for_sign(token, interval=0.5, timeout=None)
    assert status.status is Bid.ERROR and len(stand.polls) == 21


async def test_an_error_answer_ends_the_poll(fake: Any) -> None:
    client, stand, _ = fake
    with pytest.raises(NotFoundError):
        await client.bankid.wait_for_authentication(str(uuid.uuid4()))
    assert len(stand.polls) == 1


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        ({"interval": 0}, "interval"),
        ({"interval": -1}, "interval"),
        ({"interval": math.nan}, "interval"),
        ({"interval": math.inf}, "interval"),
        ({"interval": True}, "interval"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": math.nan}, "timeout"),
        ({"timeout": "5"}, "timeout"),
    ],
)
async def test_bad_interval_or_timeout_is_refused_before_polling(
    fake: Any, arguments: dict[str, Any], name: str
) -> None:
    client, stand, _ = fake
    with pytest.raises(ParameterError) as caught:
        client.bankid.iter_authentication_status(str(uuid.uuid4()), **arguments)
    assert caught.value.name == name and stand.polls == []


async def test_bad_id_is_refused_before_polling(fake: Any) -> None:
    client, stand, _ = fake
    with pytest.raises(ParameterError):
        client.bank.iter_account_retrieval_status("not-a-guid")
    with pytest.raises(ParameterError):
        await client.bankid.wait_for_sign("not-a-guid")
    assert stand.polls == []


# -- cancellation ----------------------------------------------------------------------------------


async def _closed(transports: list[Any]) -> bool:
    for _ in range(100):
        if all(t is None or t.is_closing() for t in transports):
            return True
        await asyncio.sleep(0.01)
    return False


async def test_move_on_after_cancels_a_poll_mid_request_and_closes_its_connection(
    fake: Any,
) -> None:
    client, stand, _ = fake
    with anyio.move_on_after(0.2) as scope:
        await client.bankid.wait_for_authentication(BLOCKING_TOKEN)
    assert scope.cancelled_caught
    assert len(stand.transports) == 1  # the request was under way when cancelled
    assert await _closed(stand.transports)


async def test_task_group_cancel_stops_an_iterating_poll(scaled: Any) -> None:
    client, stand, _ = scaled
    token = stand.start("bankid", SUCCESS_SSN)
    seen: list[Any] = []

    async def follow() -> None:
        async for status in client.bankid.iter_authentication_status(token):
            seen.append(status)

    async with anyio.create_task_group() as tg:
        tg.start_soon(follow)
        while not seen:
            await anyio.sleep(0.001)
        tg.cancel_scope.cancel()
    assert states(seen) == [Bid.OUTSTANDING_TRANSACTION]
    polls = len(stand.polls)
    await anyio.sleep(0.05)  # 10 s on the scaled clock: nothing polls any more
    assert len(stand.polls) == polls
