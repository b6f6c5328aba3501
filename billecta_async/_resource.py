"""What the generated resource classes share: building a request from the runtime catalogue.

Each generated endpoint method is its typed signature and docstring; it hands its arguments, in
signature order, to :class:`Resource`, which finds the method's :class:`~billecta_async._catalogue.
Operation` (verb, path template, each argument's documented name, converter and place), converts
the arguments (a bad one raises :class:`~billecta_async.ParameterError` naming it, before
anything is sent), runs the method's hand-written check if it has one
(:mod:`billecta_async._checks`) and sends the request through the client's transport. Listings
become an :class:`~billecta_async.AsyncPaginator`, binary answers a
:class:`~billecta_async.BinaryResponse`, and polled statuses go through
:func:`~billecta_async._polling.poll`.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar

from billecta_async import _polling
from billecta_async._binary import BinaryResponse
from billecta_async._catalogue import Operation, catalogue
from billecta_async._checks import CHECKS, Check
from billecta_async._exceptions import ParameterError
from billecta_async._pagination import AsyncPaginator
from billecta_async._params import Converter, converter, size
from billecta_async._wire import ListOf, Model

if sys.version_info >= (3, 11):
    from typing import Unpack
else:  # pragma: no cover
    from typing_extensions import Unpack

if TYPE_CHECKING:
    from typing_extensions import deprecated

    from billecta_async._transport import Transport
else:
    F = TypeVar("F", bound=Callable[..., Any])

    def deprecated(message: str) -> Callable[[F], F]:
        """Mark a method deprecated: each call warns (DeprecationWarning) with ``message`` (a
        coroutine function when awaited). Type checkers see ``typing_extensions.deprecated``
        (PEP 702)."""

        def mark(fn: F) -> F:
            text = f"{fn.__name__} is deprecated: {message}"
            if inspect.iscoroutinefunction(fn):

                @functools.wraps(fn)
                async def warn_async(*args: Any, **kwargs: Any) -> Any:
                    warnings.warn(text, DeprecationWarning, stacklevel=2)
                    return await fn(*args, **kwargs)

                warn_async.__deprecated__ = message
                return warn_async  # type: ignore[return-value]

            @functools.wraps(fn)
            def warn(*args: Any, **kwargs: Any) -> Any:
                warnings.warn(text, DeprecationWarning, stacklevel=2)
                return fn(*args, **kwargs)

            warn.__deprecated__ = message
            return warn  # type: ignore[return-value]

        return mark


__all__ = ["Request", "Resource", "Unpack", "deprecated"]


Request: TypeAlias = tuple[
    dict[str, str | None], list[tuple[str, str | None]], "Model | Sequence[Any] | None"
]
"""The parts of one request, converted from a method's arguments: the path parameters, the
query parameters and the body (a plain tuple: one is built on every call)."""


class _Plan:
    """An operation ready to turn a method's arguments into a :data:`Request`."""

    __slots__ = (
        "body_model",
        "body_type",
        "check",
        "limit",
        "names",
        "offset",
        "operation",
        "response",
        "steps",
    )

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        # Per argument: where it goes ("path", "query" or "body"), its documented name, its
        # converter (None for the body), how a ``None`` is sent (path: an empty segment when
        # optional; body: a list model's items are copied into a list) and whether it is
        # required (a ``None`` is refused, naming the argument, before anything is sent).
        self.steps: tuple[tuple[str, str, str, Converter | None, bool, bool], ...] = tuple(
            (
                a.location,
                a.wire or "",
                a.name,
                converter(a.kind) if a.kind is not None else None,
                a.optional if a.location == "path" else a.is_list,
                not a.optional,
            )
            for a in operation.args
        )
        self.names = tuple(a.name for a in operation.args)
        body = operation.body
        model = operation.body_model()
        self.body_model: ListOf[Any] | None = model if body is not None and body.is_list else None
        # The class the body (or each item of a list body) must be an instance of.
        self.body_type: type[Model] | None = (
            None
            if model is None
            else model.item_type
            if body is not None and body.is_list
            else model
        )
        self.response = operation.response_model()
        self.check: Check | None = (
            CHECKS[(operation.resource, operation.name)] if operation.check else None
        )
        self.offset = self.names.index("offset") if operation.paginated else -1
        self.limit = self.names.index("limit") if operation.paginated else -1

    def prepare(self, values: Sequence[Any]) -> Request:
        """The request for the method's arguments (in signature order)."""
        path_params: dict[str, str | None] = {}
        query: list[tuple[str, str | None]] = []
        body: Any = None
        for (location, wire, name, convert, flag, required), value in zip(
            self.steps, values, strict=True
        ):
            if convert is None:  # the body
                if value is not None:
                    body = self._body(value, name, flag)
                elif required:
                    raise ParameterError(name, value, "the request body is required")
                continue
            text = convert(value, name)
            if text is None and required:
                raise ParameterError(name, value, "this argument is required")
            if location == "path":
                # An optional path id left out is sent as an empty path segment.
                path_params[wire] = "" if text is None and flag else text
            else:
                query.append((wire, text))
        if self.check is not None:
            self.check(dict(zip(self.names, values, strict=True)))
        return path_params, query, body

    def _body(self, value: Any, name: str, is_list: bool) -> Any:
        """The body as sent: a model of the documented class, or a list of them."""
        cls = self.body_type
        if not is_list:
            if cls is not None and not isinstance(value, cls):
                raise ParameterError(name, value, f"expected a {cls.__name__}")
            return value
        what = f"a list of {cls.__name__}" if cls is not None else "a list"
        if isinstance(value, (str, bytes, Model, Mapping)) or not isinstance(value, Iterable):
            raise ParameterError(name, value, f"expected {what}")
        items = list(value)
        if cls is not None:
            for item in items:
                if not isinstance(item, cls):
                    raise ParameterError(name, item, f"expected {what}; an item is not")
        return items


_PLANS: dict[tuple[str, str], _Plan] = {}


class Resource:
    """Base class of the generated per-section resources (``client.invoices``, ...)."""

    _resource: ClassVar[str]
    """The client attribute the class is in the runtime catalogue under."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def _plan(self, name: str) -> _Plan:
        key = (self._resource, name)
        plan = _PLANS.get(key)
        if plan is None:
            plan = _PLANS[key] = _Plan(catalogue().operation(self._resource, name))
        return plan

    def _send(
        self, plan: _Plan, request: Request, options: Mapping[str, Any], response: Any
    ) -> Awaitable[Any]:
        # Not a coroutine of its own: one frame less on every request's await chain.
        path_params, query, body = request
        return self._transport.request(
            plan.operation.method,
            plan.operation.path,
            path_params=path_params,
            query=query,
            body=body,
            body_model=plan.body_model,
            response=response,
            options=options,
        )

    def _call(self, name: str, options: Mapping[str, Any], *values: Any) -> Awaitable[Any]:
        """Send the endpoint of method ``name`` with its arguments; its decoded answer."""
        plan = self._plan(name)
        return self._send(plan, plan.prepare(values), options, plan.response)

    def _paginate(self, name: str, options: Mapping[str, Any], *values: Any) -> AsyncPaginator[Any]:
        """The paginator of listing ``name`` (arguments checked now)."""
        plan = self._plan(name)
        plan.prepare(values)

        def fetch(offset: int | None, limit: int | None) -> Awaitable[list[Any]]:
            page = list(values)
            page[plan.offset], page[plan.limit] = offset, limit
            return self._send(plan, plan.prepare(page), options, plan.response)

        return AsyncPaginator(
            fetch, offset=values[plan.offset], limit=values[plan.limit], options=options
        )

    def _binary(self, name: str, options: Mapping[str, Any], *values: Any) -> BinaryResponse:
        """The binary answer of method ``name`` (arguments checked now, sent on use)."""
        plan = self._plan(name)
        request = plan.prepare(values)
        path_params, query, body = request
        operation = plan.operation
        return BinaryResponse(
            lambda: self._send(plan, request, options, bytes),
            lambda: self._transport.stream(
                operation.method,
                operation.path,
                path_params=path_params,
                query=query,
                body=body,
                body_model=plan.body_model,
                options=options,
            ),
            what=f"{operation.method} {operation.path}",
        )

    def _poll(
        self, name: str, interval: float, timeout: float | None, *values: Any
    ) -> AsyncIterator[Any]:
        """The statuses of status endpoint ``name``, polled until final (see
        :func:`~billecta_async._polling.poll`)."""
        plan = self._plan(name)
        request = plan.prepare(values)
        poll = plan.operation.poll
        assert poll is not None, f"{name} is not a polled status endpoint"
        ident = ", ".join(str(v) for v in request[0].values())  # the path parameters
        return _polling.poll(
            lambda: self._send(plan, request, {}, plan.response),
            is_final=_polling.FINAL[poll.final],
            clock=self._transport.clock,
            what=f"{poll.what} {ident}",
            interval=interval,
            timeout=timeout,
        )

    def _wait(
        self, name: str, interval: float, timeout: float | None, *values: Any
    ) -> Awaitable[Any]:
        """The final status of status endpoint ``name`` (the last of :meth:`_poll`)."""
        return _polling.wait(self._poll(name, interval, timeout, *values))

    # -- the deprecated aliases -----------------------------------------------------------------

    def _iter_alias(
        self, name: str, page_size: int, options: Mapping[str, Any], *values: Any
    ) -> AsyncIterator[Any]:
        """Every item of listing ``name``, ``page_size`` at a time (``values`` without the
        listing's offset and limit)."""
        plan = self._plan(name)
        full = list(values)
        full.insert(plan.offset, None)
        full.insert(plan.limit, size(page_size, "page_size"))
        return self._paginate(name, options, *full).__aiter__()

    async def _download(
        self,
        name: str,
        path: str | os.PathLike[str],
        chunk_size: int,
        options: Mapping[str, Any],
        *values: Any,
    ) -> int:
        return await self._binary(name, options, *values).download(path, chunk_size=chunk_size)
