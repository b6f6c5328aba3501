"""The emulator's HTTP server: every documented endpoint on ``aiohttp.web``, on 127.0.0.1.

A request passes, in order: authentication (401), the documented rate limits (429), the
penalty delay after too many errors, injected faults, the UniqueApiCallId check (403), the body
(400), and the handler. Endpoints without a stateful handler answer with a valid sample of
their documented response model.
"""

from __future__ import annotations

import asyncio
import base64
import bisect
import contextlib
import logging
import math
import secrets
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from aiohttp import web

from billecta_async import models as m
from billecta_async._clock import Clock, SystemClock
from billecta_async._wire import ListOf, Model
from billecta_async.testing._samples import sample_list, sample_model
from billecta_async.testing.emulator import (
    _accounting,
    _bank_flows,
    _catalogue_items,
    _common,
    _contract_invoices,
    _creditors,
    _debt_collection,
    _debtors,
    _invoices,
    _payments,
    _reconciliation_invoices,
    _rot_rut,
    _search_files,
    _self_invoices,
)
from billecta_async.testing.emulator._catalogue import EndpointInfo, endpoint_table
from billecta_async.testing.emulator._http import (
    ApiError,
    Call,
    basic_credentials,
    error_response,
    format_of,
    new_id,
    pdf_document,
    read_body,
    render,
)
from billecta_async.testing.emulator._routes import Handler
from billecta_async.testing.emulator._state import Account, State
from billecta_async.testing.emulator._webhooks import RETRY_DELAYS, WebhookSender

if TYPE_CHECKING:
    from billecta_async._client import BillectaClient

logger = logging.getLogger("billecta_async.testing.emulator")

__all__ = ["FAULT_KINDS", "RATE_LIMITS", "BillectaEmulator", "Fault", "FaultKind"]

#: Billecta's documented per-endpoint limits: (requests, window in seconds), all enforced.
RATE_LIMITS: dict[tuple[str, str], tuple[tuple[int, float], ...]] = {
    ("POST", "/v1/search/actions"): ((30, 10.0), (100, 60.0)),
    ("GET", "/v1/invoice/action/{id}"): ((100, 10.0), (600, 60.0)),
    ("GET", "/v1/invoice/actionbyinvoicenumber/{id}"): ((100, 10.0), (600, 60.0)),
}
#: After this many error answers (400 and up, except 404) within the window, calls are delayed.
ERROR_LIMIT = 50
ERROR_WINDOW = 60.0

AREAS = (
    _common,
    _creditors,
    _debtors,
    _catalogue_items,
    _accounting,
    _invoices,
    _rot_rut,
    _reconciliation_invoices,
    _self_invoices,
    _contract_invoices,
    _debt_collection,
    _payments,
    _search_files,
    _bank_flows,
)

FaultKind = Literal["drop_before", "drop_after", "error_before", "error_after", "delay", "truncate"]
#: Every kind :meth:`BillectaEmulator.inject_fault` takes.
FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)


@dataclass
class Fault:
    """A fault injected into the next ``times`` calls of one endpoint.

    * ``drop_before``: close the connection without acting;
    * ``drop_after``: act, then close the connection without answering;
    * ``error_before`` / ``error_after``: answer 500 without acting / after acting;
    * ``delay``: wait ``seconds`` (on the emulator's clock) before acting;
    * ``truncate``: act, then send half of the answer and close the connection.
    """

    method: str
    path: str
    kind: FaultKind
    times: int = 1
    seconds: float = 0.0

    def matches(self, endpoint: EndpointInfo) -> bool:
        return self.method == endpoint.method and self.path == endpoint.path


def _handlers() -> dict[tuple[str, str], Handler]:
    table: dict[tuple[str, str], Handler] = {}
    for area in AREAS:
        for key, handler in area.routes.table.items():
            if key in table:
                raise ValueError(f"two emulator handlers for {key}")
            table[key] = handler
    return table


def _aiohttp_path(path: str) -> str:
    # Optional path ids are sent as an empty segment; let ``{id}`` match that too.
    return path.replace("{id}", "{id:[^/]*}")


def _seed(endpoint: EndpointInfo) -> int:
    return zlib.crc32(f"{endpoint.method} {endpoint.path}".encode())


class BillectaEmulator:
    """A local, in-memory Billecta for tests and demos, speaking JSON and XML.

    ::

        async with BillectaEmulator() as emulator:
            async with emulator.client() as client:
                created = await client.debtors.create(
                    Debtor(creditor_public_id=emulator.creditor_public_id, name="Jenny Doe")
                )

    It starts with one API user (``username``/``password`` for Basic auth, ``secure_token``)
    owning one creditor (``creditor_public_id``). ``clock`` sets how fast time runs for the
    rate limits and the BankID, Swish and bank-account flows: share a
    :class:`~billecta_async.ScaledClock` with the client to run ten-second flows in
    milliseconds. ``state`` is the whole in-memory state, ``state.events`` every webhook event
    emitted.

    With ``webhook_url`` set, each event is POSTed there (``webhook_format`` JSON or XML, extra
    ``webhook_headers`` such as a shared secret) and retried on Billecta's schedule (5 min, 60
    min, 3 h, 24 h, on the emulator's clock); ``webhooks.attempts`` lists every POST and
    ``await emulator.drain_webhooks()`` waits for the deliveries under way.
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        username: str = "emulator",
        password: str | None = None,
        secure_token: str | None = None,
        creditor_name: str = "Emulator AB",
        rate_limits: bool = True,
        error_penalty: bool = True,
        webhook_url: str | None = None,
        webhook_format: Literal["json", "xml"] = "json",
        webhook_headers: Mapping[str, str] | None = None,
        webhook_retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.host = host
        self.port = port
        self.username = username
        self.rate_limits = rate_limits
        self.error_penalty = error_penalty
        self.state = State(clock=self.clock)
        self.webhooks: WebhookSender | None = None
        if webhook_url is not None:
            self.webhooks = WebhookSender(
                webhook_url,
                self.clock,
                webhook_format,
                dict(webhook_headers or {}),
                tuple(webhook_retry_delays),
            )
            self.state.listeners.append(self.webhooks)
        self.faults: list[Fault] = []
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._handlers = _handlers()
        user = m.User(
            user_public_id=new_id(),
            username=username,
            full_name="Emulator API user",
            is_api_user=True,
            is_enabled=True,
            is_administrator=True,
        )
        self.account = Account(
            user,
            username,
            password or secrets.token_urlsafe(12),
            secure_token or secrets.token_urlsafe(24),
        )
        self.state.accounts.append(self.account)
        self.state.users[user.user_public_id or ""] = user
        self.creditor_public_id = self.add_creditor(creditor_name, org_no="556000-0001")

    @property
    def password(self) -> str:
        """The API user's password for Basic auth (``users.change_password`` changes it)."""
        return self.account.password

    @property
    def secure_token(self) -> str:
        """The API user's SecureToken: ``authentication.create_secure_token`` replaces it, and
        ``delete_secure_token`` makes it ``""`` (only Basic auth signs in then)."""
        return self.account.secure_token or ""

    # -- set-up ----------------------------------------------------------------------------

    def add_creditor(self, name: str, *, org_no: str | None = None, owned: bool = True) -> str:
        """Add a creditor (owned by the emulator's user unless ``owned=False``); its id."""
        creditor_public_id = new_id()
        self.state.creditors[creditor_public_id] = m.Creditor(
            creditor_public_id=creditor_public_id,
            name=name,
            org_no=org_no,
            country_code="SE",
            is_enabled=True,
        )
        if owned:
            self.account.creditor_ids.add(creditor_public_id)
        return creditor_public_id

    def add_account(self, username: str, *, creditors: Iterable[str] = ()) -> str:
        """Add another API user of the domain, with access to ``creditors`` (none by default:
        a creditor can be shared with it); its SecureToken (``client(secure_token=...)``)."""
        if any(a.username == username for a in self.state.accounts):
            raise ValueError(f"the username {username!r} is taken")
        user = m.User(user_public_id=new_id(), username=username, is_api_user=True, is_enabled=True)
        token = secrets.token_urlsafe(24)
        account = Account(user, username, secrets.token_urlsafe(12), token)
        account.creditor_ids.update(c.lower() for c in creditors)
        self.state.accounts.append(account)
        self.state.users[user.user_public_id or ""] = user
        return token

    def add_text_template(self, description: str, *, creditor_public_id: str | None = None) -> str:
        """Save an invoice text template for a creditor (the emulator's own by default), as
        Billecta's Portal does (no endpoint creates one); its public id."""
        creditor = (creditor_public_id or self.creditor_public_id).lower()
        if creditor not in self.state.creditors:
            raise ValueError(f"no creditor {creditor_public_id!r} in the emulator")
        template = m.InvoiceTextTemplate(
            invoice_text_template_public_id=new_id(),
            creditor_public_id=creditor,
            description=description,
        )
        self.state.text_templates[template.invoice_text_template_public_id or ""] = template
        return template.invoice_text_template_public_id or ""

    def inject_fault(
        self, method: str, path: str, kind: FaultKind, *, times: int = 1, seconds: float = 0.0
    ) -> Fault:
        """Make the next ``times`` calls of ``method path`` (the documented template) fail.

        ``kind`` is one of :data:`FAULT_KINDS` (see :class:`Fault`); ``seconds`` is the wait of a
        ``delay``. An unknown kind, endpoint or count raises :class:`ValueError`.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(
                f"unknown fault kind {kind!r}: valid kinds are " + ", ".join(FAULT_KINDS)
            )
        if (method, path) not in endpoint_table():
            raise ValueError(f"no documented endpoint {method} {path}")
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError(f"times must be a positive int (got {times!r})")
        if not seconds >= 0:
            raise ValueError(f"seconds must be >= 0 (got {seconds!r})")
        fault = Fault(method, path, kind, times, seconds)
        self.faults.append(fault)
        return fault

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to give a client, e.g. ``http://127.0.0.1:49152``."""
        if self._url is None:
            raise RuntimeError("the emulator is not running (use `async with` or start())")
        return self._url

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        for key, endpoint in sorted(endpoint_table().items()):
            handler = self._handlers.get(key)
            app.router.add_route(
                endpoint.method, _aiohttp_path(endpoint.path), self._make_view(endpoint, handler)
            )
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        return app

    async def start(self) -> BillectaEmulator:
        if self._runner is not None:
            return self
        runner = web.AppRunner(self.build_app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self._url = f"http://{host}:{port}"
        return self

    async def drain_webhooks(self) -> None:
        """Wait until every webhook delivery started so far has succeeded or given up."""
        if self.webhooks is not None:
            await self.webhooks.drain()

    async def stop(self) -> None:
        if self.webhooks is not None:
            await self.webhooks.aclose()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self._url = None

    def __repr__(self) -> str:  # never the credentials
        if self._url is not None:
            where = f"url={self._url!r}, running=True"
        else:
            where = f"host={self.host!r}, port={self.port}, running=False"
        return f"<BillectaEmulator {where}, clock={self.clock!r}>"

    async def __aenter__(self) -> BillectaEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def client(self, format: Literal["json", "xml"] = "json", **kwargs: Any) -> BillectaClient:
        """A :class:`~billecta_async.BillectaClient` signed in to this emulator: with the API
        user's SecureToken, unless ``secure_token`` (or ``username`` and ``password``) is
        given; ``kwargs`` go to the client."""
        from billecta_async._client import BillectaClient

        kwargs.setdefault("clock", self.clock)
        if "username" not in kwargs:
            kwargs.setdefault("secure_token", self.secure_token)
        return BillectaClient(base_url=self.url, format=format, **kwargs)

    # -- request pipeline ------------------------------------------------------------------

    def _make_view(self, endpoint: EndpointInfo, handler: Handler | None) -> Any:
        async def view(request: web.Request) -> web.StreamResponse:
            return await self._dispatch(request, endpoint, handler)

        return view

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        fmt = format_of(request.headers.get("Accept")) or "xml"
        return error_response(ApiError(404, f"No endpoint {request.method} {request.path}"), fmt)

    def _authenticate(self, request: web.Request) -> Account:
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        for account in self.state.accounts:
            if scheme == "SecureToken" and value.strip() and account.secure_token:
                try:
                    token = base64.b64decode(value.strip(), validate=True).decode("utf-8")
                except (ValueError, UnicodeDecodeError):
                    break
                if secrets.compare_digest(token.encode(), account.secure_token.encode()):
                    return account
            elif scheme == "Basic":
                pair = basic_credentials(value.strip())
                if pair is not None and secrets.compare_digest(  # bytes: any text compares
                    f"{pair[0]}:{pair[1]}".encode(),
                    f"{account.username}:{account.password}".encode(),
                ):
                    return account
        raise ApiError(401, "Authorization has been denied for this request.")

    def _check_rate(self, endpoint: EndpointInfo) -> None:
        limits = RATE_LIMITS.get(endpoint.key)
        if not limits or not self.rate_limits:
            return
        now = self.clock.now()
        key = f"{endpoint.method} {endpoint.path}"
        times = self.state.request_times.setdefault(key, [])
        wait = 0.0
        for count, window in limits:
            in_window = len(times) - bisect.bisect_right(times, now - window)
            if in_window >= count:
                wait = max(wait, times[-count] + window - now)
        if wait > 0:
            self.state.rate_limited += 1
            raise ApiError(
                429,
                f"Too many requests to {endpoint.path}: limits are "
                + " and ".join(f"{c} per {w:g} s" for c, w in limits),
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        times.append(now)

    async def _penalty(self) -> None:
        if not self.error_penalty:
            return
        errors = self.state.error_times
        now = self.clock.now()
        while errors and errors[0] <= now - ERROR_WINDOW:
            errors.popleft()
        if len(errors) >= ERROR_LIMIT:
            await self.clock.sleep(errors[-ERROR_LIMIT] + ERROR_WINDOW - now)

    def _take_fault(self, endpoint: EndpointInfo, kinds: Iterable[str]) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.matches(endpoint) and fault.kind in kinds:
                fault.times -= 1
                return fault
        return None

    async def _dispatch(
        self, request: web.Request, endpoint: EndpointInfo, handler: Handler | None
    ) -> web.StreamResponse:
        fmt = format_of(request.headers.get("Accept")) or "xml"
        unique_id = request.headers.get("UniqueApiCallId")
        reserved = False
        raw = b""
        try:
            account = self._authenticate(request)
            self._check_rate(endpoint)
            await self._penalty()
            fault = self._take_fault(endpoint, ("drop_before", "error_before", "delay"))
            if fault is not None:
                if fault.kind == "drop_before":
                    return _drop(request)
                if fault.kind == "error_before":
                    raise ApiError(500, "Injected fault: internal error before acting")
                await self.clock.sleep(fault.seconds)
            if unique_id is not None:
                if not 1 <= len(unique_id) <= 50 or unique_id in self.state.unique_api_call_ids:
                    raise ApiError(
                        403,
                        f"UniqueApiCallId '{unique_id}' has already been used or is invalid; "
                        "the request was not processed",
                        reason="Duplicate UniqueApiCallId",
                    )
                self.state.unique_api_call_ids.add(unique_id)
                reserved = True
            body, raw = await read_body(request, endpoint)
            _payments.settle(self.state)  # card windows the payer has completed by now
            form = endpoint.form(request.query.keys())
            call = Call(request, self.state, account, endpoint, form, fmt, body)
            try:
                value = await (handler or self._fallback)(call)
                response = render(value, form.response, fmt)
            except (ApiError, asyncio.CancelledError):
                raise
            except Exception as exc:  # a bug of the emulator: answer as Billecta's 500 does
                logger.exception("emulator handler failed: %s %s", endpoint.method, endpoint.path)
                raise ApiError(500, f"Internal error: {type(exc).__name__}: {exc}") from exc
        except ApiError as error:
            if reserved and unique_id is not None:
                self.state.unique_api_call_ids.discard(unique_id)
            if error.status >= 400 and error.status != 404:
                self.state.error_times.append(self.clock.now())
            content = raw.decode("utf-8", "replace") if raw else None
            return error_response(error, fmt, content)
        fault = self._take_fault(endpoint, ("drop_after", "error_after", "truncate"))
        if fault is not None:
            if fault.kind == "drop_after":
                return _drop(request)
            if fault.kind == "error_after":
                self.state.error_times.append(self.clock.now())
                return error_response(ApiError(500, "Injected fault: error after acting"), fmt)
            return await _truncate(request, response)
        return response

    async def _fallback(self, call: Call) -> Any:
        """An endpoint without stateful behaviour: check ownership, answer a valid sample."""
        endpoint, form = call.endpoint, call.form
        for wire, name in form.params.items():
            if name == "creditor_public_id":
                value = call.path(wire) if "{" + wire + "}" in endpoint.path else call.query(wire)
                call.creditor(value)
        for item in call.body if isinstance(call.body, list) else [call.body]:
            if isinstance(item, Model) and hasattr(item, "creditor_public_id"):
                call.creditor(item.creditor_public_id)
        spec: Any = form.response
        if spec is None:
            return None
        if spec is bytes:
            return pdf_document(f"{endpoint.method} {endpoint.path}", ["Billecta emulator"])
        if isinstance(spec, ListOf):
            return sample_list(spec, count=2, seed=_seed(endpoint))
        return sample_model(spec, seed=_seed(endpoint))


def _drop(request: web.Request) -> web.StreamResponse:
    transport = request.transport
    if transport is not None:
        transport.abort()
    raise asyncio.CancelledError  # aiohttp ends the handler quietly once the peer is gone


async def _truncate(request: web.Request, response: web.Response) -> web.StreamResponse:
    body = bytes(response.body or b"")  # type: ignore[arg-type]
    stream = web.StreamResponse(status=response.status, headers=response.headers)
    stream.content_length = len(body)
    await stream.prepare(request)
    await stream.write(body[: len(body) // 2])
    transport = request.transport
    if transport is not None:
        with contextlib.suppress(Exception):
            transport.close()
    return stream
