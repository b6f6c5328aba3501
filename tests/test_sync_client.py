"""SyncBillectaClient: the async client on a loop of its own, used from blocking code.

The emulator runs in a thread of its own (as a real Billecta would be elsewhere), so the tests
can block on the client: from plain functions, from several threads at once, and from inside a
running event loop. The endpoint test (test_endpoints.py) drives every endpoint through the
sync client too.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import os
import re
import signal
import socket
import threading
import time
import typing
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from _builders import sofa_entry
from _servers import never_answering_server
from anyio.from_thread import BlockingPortal, start_blocking_portal

import billecta_async.models as m
from billecta_async import (
    AsyncPaginator,
    BillectaClient,
    BinaryResponse,
    Limit,
    ParameterError,
    RateLimits,
    ScaledClock,
    SyncBillectaClient,
    SyncBinaryResponse,
    SyncByteStream,
    SyncPaginator,
    TransportError,
    UnauthorizedError,
)
from billecta_async._catalogue import catalogue
from billecta_async.testing import BillectaEmulator

CLOCK = ScaledClock(200)  # BankID's ten seconds in 50 ms


@dataclass
class Served:
    emulator: BillectaEmulator
    portal: BlockingPortal

    def client(self, **kwargs: Any) -> SyncBillectaClient:
        kwargs.setdefault("clock", CLOCK)
        return SyncBillectaClient(
            secure_token=self.emulator.secure_token, base_url=self.emulator.url, **kwargs
        )

    def creditor(self) -> str:
        """A creditor of its own for a test (the emulator is shared by the module)."""
        return self.portal.call(functools.partial(self.emulator.add_creditor, "Test AB"))


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with start_blocking_portal() as portal:
        emulator = BillectaEmulator(clock=CLOCK)
        portal.call(emulator.start)
        try:
            yield Served(emulator, portal)
        finally:
            portal.call(emulator.stop)


def _portal_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if "portal" in t.name}


# -- the same surface, without await --------------------------------------------------------------


def test_every_method_has_the_async_signature_and_a_blocking_result() -> None:
    sync = SyncBillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    try:
        client = BillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
        checked = 0
        for op in catalogue().operations:
            names = [op.name]
            if op.poll is not None:
                names += [op.poll.iter, op.poll.wait]
            for name in names:
                a = getattr(getattr(client, op.resource), name)
                s = getattr(getattr(sync, op.resource), name)
                assert inspect.signature(s).parameters == inspect.signature(a).parameters
                assert s.__doc__ and s.__doc__.startswith(a.__doc__.split("\n\n")[0])
                # Nothing only async code can do (the polling iterators told sync callers to
                # cancel with anyio.move_on_after).
                assert not re.search(r"\bawait\b|async (for|with)|move_on_after", s.__doc__)
                assert not inspect.iscoroutinefunction(s)
                returned = typing.get_type_hints(s)["return"]
                awaited = typing.get_type_hints(a)["return"]
                if typing.get_origin(awaited) is AsyncPaginator:
                    assert returned == SyncPaginator[typing.get_args(awaited)]  # type: ignore[misc]
                elif awaited is BinaryResponse:
                    assert returned is SyncBinaryResponse
                elif name == getattr(op.poll, "iter", None):
                    assert returned == Iterator[typing.get_args(awaited)]  # type: ignore[misc]
                else:
                    assert returned == awaited
                checked += 1
        assert checked == len(catalogue().operations) + 8  # four polled statuses: iter, wait
    finally:
        sync.close()


def test_the_client_takes_what_the_async_client_takes_but_a_session() -> None:
    expected = dict(inspect.signature(BillectaClient).parameters)
    del expected["session"]
    assert inspect.signature(SyncBillectaClient).parameters == expected


# -- life cycle ------------------------------------------------------------------------------------


def test_with_closes_the_client_and_stops_its_thread(served: Served) -> None:
    before = _portal_threads()
    with served.client() as client:
        assert len(_portal_threads() - before) == 1
        assert client.common.list_countries()
        assert not client.closed
    assert client.closed
    assert _portal_threads() == before
    client.close()  # again: nothing happens
    with pytest.raises(RuntimeError, match="closed"):
        client.common.list_countries()


def test_close_without_any_call_and_from_env(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _portal_threads()
    monkeypatch.setenv("BILLECTA_SECURE_TOKEN", served.emulator.secure_token)
    monkeypatch.setenv("BILLECTA_BASE_URL", served.emulator.url)
    client = SyncBillectaClient.from_env(format="xml")
    assert (client.base_url, client.format) == (served.emulator.url, "xml")
    assert repr(client) == f"SyncBillectaClient(base_url={served.emulator.url!r}, format='xml')"
    client.close()
    assert _portal_threads() == before


def test_bad_settings_raise_and_leave_no_thread() -> None:
    before = _portal_threads()
    with pytest.raises(ValueError, match="credentials missing"):
        SyncBillectaClient(base_url="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="no Billecta credentials"):
        SyncBillectaClient.from_env({})
    assert _portal_threads() == before


def test_an_unclosed_client_warns() -> None:
    client = SyncBillectaClient(secure_token="t", base_url="http://127.0.0.1:9")
    runner = client._runner
    with pytest.warns(ResourceWarning, match="not closed"):
        client.__del__()
    client.close()
    assert runner.closed


async def _other_tasks() -> int:
    """The tasks on the running loop besides the one asking."""
    return len(asyncio.all_tasks()) - 1


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _never_answering() -> Iterator[str]:
    """The URL of a server that reads requests and never answers (on a loop of its own)."""
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(never_answering_server()) as url,
    ):
        yield url


@contextlib.contextmanager
def _silent_server() -> Iterator[tuple[str, threading.Event]]:
    """The URL of a server that reads requests and never answers, and an event set once a
    request's first bytes arrived."""
    received = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                held.append(connection)
                if connection.recv(65536):
                    received.set()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", received
    finally:
        listener.close()
        for connection in held:
            connection.close()


def test_an_interrupted_call_is_cancelled_not_left_running() -> None:
    # Ctrl-C while a call waits for its answer raised KeyboardInterrupt in the caller but left
    # the call running on the client's loop: a request in flight went on, a wait_for_* kept
    # polling Billecta until its timeout. (SIGALRM's handler raises it here, as SIGINT's does.)
    with (
        _never_answering() as url,
        SyncBillectaClient(secure_token="t", base_url=url, max_retries=0) as client,
    ):
        idle = client._runner.call(_other_tasks)
        previous = signal.signal(signal.SIGALRM, _interrupt)
        try:
            signal.setitimer(signal.ITIMER_REAL, 0.2)
            with pytest.raises(KeyboardInterrupt):
                client.common.list_countries()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        for _ in range(100):
            if client._runner.call(_other_tasks) == idle:
                break
            time.sleep(0.01)
        assert client._runner.call(_other_tasks) == idle
        assert client.closed is False


def test_a_call_in_flight_when_close_is_called_from_another_thread_says_how_to_resume() -> None:
    # Closing the client while another thread waited for a call gave that thread a bare
    # concurrent.futures.CancelledError, then a RuntimeError without the call's id: a request
    # in flight now ends as on an async client closed under it, with the id to resume with.
    with _silent_server() as (url, received):
        client = SyncBillectaClient(secure_token="t", base_url=url, max_retries=0)
        debtor = m.Debtor(creditor_public_id="8a7e1b32-5f23-4f0e-9c2e-1d3c4b5a6f70", name="x")
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(client.debtors.create, debtor)
            assert received.wait(10)  # the request has left
            client.close()
            with pytest.raises(TransportError, match="the client was closed during") as caught:
                waiting.result(timeout=10)
    error = caught.value
    assert error.maybe_processed and error.unique_api_call_id
    assert f"unique_api_call_id={error.unique_api_call_id!r}" in str(error)


def test_a_call_waiting_for_its_slot_when_close_is_called_from_another_thread_says_so() -> None:
    # A call still waiting on the client's loop (here for a rate-limit slot, so nothing was
    # sent) after close() is cancelled there, and its thread told why.
    limits = RateLimits(endpoints={}, default=[Limit(1, 60)])
    with _never_answering() as url:
        client = SyncBillectaClient(
            secure_token="t", base_url=url, max_retries=0, timeout=0.1, rate_limits=limits
        )
        with pytest.raises(TransportError):  # takes the one slot for a minute
            client.common.list_countries()
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(client.common.list_countries)
            for _ in range(100):
                if client._runner.call(_other_tasks) > 0:
                    break
                time.sleep(0.01)
            started = time.monotonic()
            client.close()
            with pytest.raises(RuntimeError, match="closed during this call"):
                waiting.result(timeout=10)
        assert time.monotonic() - started < 5


# -- calls -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_calls_block_until_the_answer(served: Served, fmt: str) -> None:
    creditor = served.creditor()
    with served.client(format=fmt) as client:
        created = client.debtors.create(m.Debtor(creditor_public_id=creditor, name="Jenny"))
        assert created.public_id
        assert client.debtors.get(created.public_id).name == "Jenny"
        client.debtors.delete(created.public_id)
        with pytest.raises(UnauthorizedError):  # an id the user may not see
            client.debtors.get(created.public_id)
        with pytest.raises(ParameterError, match="debtor_public_id: expected a GUID"):
            client.debtors.get("not-a-guid")


def test_listings_give_a_page_or_every_item(served: Served) -> None:
    creditor = served.creditor()
    with served.client() as client:
        for i in range(5):
            client.debtors.create(m.Debtor(creditor_public_id=creditor, name=f"D{i}"))
        every = client.debtors.list(creditor, limit=2)
        assert isinstance(every, SyncPaginator)
        assert [d.name for d in every] == ["D0", "D1", "D2", "D3", "D4"]
        assert [d.name for d in client.debtors.list(creditor, offset=1, limit=2).page()] == [
            "D1",
            "D2",
        ]
        assert [len(page) for page in every.pages()] == [2, 2, 1]
        first = next(iter(every))  # leaving early closes the iteration on the loop
        assert first.name == "D0"
        with pytest.raises(ParameterError, match="unique_api_call_id"):
            list(client.debtors.list(creditor, unique_api_call_id="once"))


def test_binary_answers_read_stream_and_download(served: Served, tmp_path: Path) -> None:
    creditor = served.creditor()
    with served.client() as client:
        debtor = client.debtors.create(m.Debtor(creditor_public_id=creditor, name="Jenny"))
        assert debtor.public_id
        action = client.invoices.create(sofa_entry(creditor, debtor.public_id, 25000)).public_id
        assert action
        preview = client.invoices.preview(action)
        assert isinstance(preview, SyncBinaryResponse)
        whole = preview.read()
        assert whole.startswith(b"%PDF")
        with preview.stream() as stream:
            assert isinstance(stream, SyncByteStream)
            assert stream.status == 200 and stream.content_type == "application/pdf"
            assert stream.content_length in (None, len(whole))
            assert stream.headers["Content-Type"].startswith("application/pdf")
            chunks = list(stream.iter_chunks(100))
        assert b"".join(chunks) == whole and max(map(len, chunks)) <= 100
        with preview.stream() as stream:
            for _ in stream.iter_chunks(10):
                break  # leaving the block early closes the connection
        target = tmp_path / "preview.pdf"
        assert preview.download(target) == len(whole) == target.stat().st_size
        with preview.stream() as stream:
            assert stream.save(tmp_path / "saved.pdf", chunk_size=64) == len(whole)
        assert sorted(os.listdir(tmp_path)) == ["preview.pdf", "saved.pdf"]
        with pytest.raises(UnauthorizedError), client.files.get_content(creditor).stream():
            pytest.fail("no stream for an error answer")


def test_status_polling(served: Served) -> None:
    with served.client() as client:
        started = client.bankid.create_authentication_request(
            m.BankIdAuthenticationRequest(
                creditor_public_id=served.emulator.creditor_public_id, ssn="198001139297"
            )
        )
        assert started.reference_token
        seen = [s.status for s in client.bankid.iter_authentication_status(started.reference_token)]
        assert seen[-1] is m.BankIdStatusType.COMPLETE
        final = client.bankid.wait_for_authentication(started.reference_token, timeout=60)
        assert final.status is m.BankIdStatusType.COMPLETE


# -- where blocking code runs ----------------------------------------------------------------------


def test_one_client_shared_by_threads(served: Served) -> None:
    creditor = served.creditor()
    with served.client() as client, ThreadPoolExecutor(8) as pool:

        def create(i: int) -> str:
            created = client.debtors.create(m.Debtor(creditor_public_id=creditor, name=f"T{i}"))
            return str(client.debtors.get(created.public_id or "").name)

        names = list(pool.map(create, range(40)))
        assert names == [f"T{i}" for i in range(40)]
        assert len(list(client.debtors.list(creditor, limit=7))) == 40


async def test_it_works_where_an_event_loop_is_running(served: Served) -> None:
    # As in Jupyter, or sync code called from async code: the caller's loop is not used.
    asyncio.get_running_loop()
    with served.client() as client:
        assert client.common.list_currencies()
        assert [d async for d in _aiter([1, 2])] == [1, 2]  # this loop still runs


async def _aiter(items: list[int]) -> typing.AsyncIterator[int]:
    for item in items:
        yield item


def test_close_with_a_stream_left_open_does_not_hang(served: Served) -> None:
    creditor = served.creditor()
    client = served.client()
    debtor = client.debtors.create(m.Debtor(creditor_public_id=creditor, name="Jenny"))
    action = client.invoices.create(sofa_entry(creditor, debtor.public_id or "", 100)).public_id
    manager = client.invoices.preview(action or "").stream()
    manager.__enter__()  # never left
    client.close()
    assert client.closed
