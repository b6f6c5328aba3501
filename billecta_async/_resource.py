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
from billecta_async._params import Converter, converter, path_segment, quote, size
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


Request: TypeAlias = tuple[str, "Model | Sequence[Any] | None"]
"""The parts of one request, converted from a method's arguments: the request target (the path
with its parameters filled in, and the query string, percent-encoded) and the body."""

_PATH, _QUERY, _BODY = 0, 1, 2


class _Plan:
    """An operation ready to turn a method's arguments into a :data:`Request`."""

    __slots__ = (
        "body_model",
        "body_type",
        "check",
        "fast",
        "limit",
        "method",
        "names",
        "offset",
        "operation",
        "path",
        "response",
        "steps",
    )

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self.method = operation.method
        self.path = operation.path
        # Per argument: where it goes (_PATH, _QUERY or _BODY), its Python name, its converter
        # (None for the body), whether it is required (a ``None`` is refused, naming the
        # argument, before anything is sent), and by place: a path parameter's placeholder in
        # the template and its segment maker (None for a GUID, whose text needs no encoding);
        # a query parameter's ``Name=`` (encoded once here); whether the body is a list (its
        # items are copied into a list); last, whether the argument is a GUID.
        steps: list[tuple[int, str, Converter | None, bool, Any, Any, bool]] = []
        for a in operation.args:
            kind = a.kind or ""
            is_guid = kind == "guid"
            if a.location == "path":
                placeholder = "{" + (a.wire or "") + "}"
                segment = None if is_guid else path_segment
                steps.append(
                    (_PATH, a.name, converter(kind), not a.optional, placeholder, segment, is_guid)
                )
            elif a.location == "query":
                prefix = quote(a.wire or "") + "="
                steps.append(
                    (_QUERY, a.name, converter(kind), not a.optional, prefix, None, is_guid)
                )
            else:
                steps.append((_BODY, a.name, None, not a.optional, a.is_list, None, False))
        self.steps = tuple(steps)
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
        # What the transport's C preparer needs to do :meth:`prepare` and the transport's
        # ``prepare`` in one step (None: a hand-written check or a list body, the Python path).
        self.fast: tuple[str, str, str, tuple[Any, ...], type[Model] | None] | None = (
            (self.method, self.path, f"{self.method} {self.path}", self.steps, self.body_type)
            if self.check is None and self.body_model is None
            else None
        )

    def prepare(self, values: Sequence[Any]) -> Request:
        """The request for the method's arguments (in signature order, one per step)."""
        target = self.path
        query: list[str] = []
        body: Any = None
        steps = self.steps  # (one value per step: the generated method's arguments)
        for (place, name, convert, required, extra, segment, _), value in zip(steps, values):  # noqa: B905
            if convert is None:  # the body
                if value is not None:
                    body = self._body(value, name, extra)
                elif required:
                    raise ParameterError(name, value, "the request body is required")
                continue
            text = convert(value, name)
            if text is None:
                if required:
                    raise ParameterError(name, value, "this argument is required")
                if place == _PATH:  # an optional path id left out: an empty path segment
                    target = target.replace(extra, "")
            elif place == _QUERY:
                query.append(extra + quote(text))
            else:  # (an encoded text has no braces: it cannot fill a later placeholder)
                target = target.replace(extra, text if segment is None else segment(text, name))
        if query:
            target += "?" + "&".join(query)
        if self.check is not None:
            self.check(dict(zip(self.names, values, strict=True)))
        return target, body

    def path_texts(self, values: Sequence[Any]) -> list[str]:
        """The path parameters' texts for ``values`` (already checked by :meth:`prepare`)."""
        return [
            str(convert(value, name))
            for (place, name, convert, *_), value in zip(self.steps, values, strict=True)
            if place == _PATH and convert is not None
        ]

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


class Resource:
    """Base class of the generated per-section resources (``client.invoices``, ...)."""

    _resource: ClassVar[str]
    """The client attribute the class is in the runtime catalogue under."""

    _plans: ClassVar[dict[str, _Plan]]
    """The plans of the class's methods made so far, by method name."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._plans = {}

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def _plan(self, name: str) -> _Plan:
        plan = self._plans.get(name)
        if plan is None:
            plan = self._plans[name] = _Plan(catalogue().operation(self._resource, name))
        return plan

    def _send(
        self, plan: _Plan, values: tuple[Any, ...], response: Any, options: Mapping[str, Any]
    ) -> Awaitable[Any]:
        """Send ``plan``'s request for the method's arguments ``values`` (in signature order);
        its answer decoded as ``response``. Without request options the transport's C preparer
        (where built) makes the call in one step; anything it leaves (None) takes the Python
        path: :meth:`_Plan.prepare` and the transport's ``prepare``."""
        transport = self._transport
        call = None
        fast = transport.prepare_fast
        if fast is not None and not options and plan.fast is not None:
            call = fast(plan.fast, values)
        if call is None:
            target, body = plan.prepare(values)
            call = transport.prepare(plan.method, plan.path, target, body, plan.body_model, options)
        return transport.send(call, response)

    def _call(self, name: str, options: Mapping[str, Any], *values: Any) -> Awaitable[Any]:
        """Send the endpoint of method ``name`` with its arguments; its decoded answer."""
        plan = self._plans.get(name) or self._plan(name)  # (one call less on every request)
        return self._send(plan, values, plan.response, options)

    def _paginate(self, name: str, options: Mapping[str, Any], *values: Any) -> AsyncPaginator[Any]:
        """The paginator of listing ``name`` (arguments checked now)."""
        plan = self._plan(name)
        plan.prepare(values)

        def fetch(offset: int | None, limit: int | None) -> Awaitable[list[Any]]:
            page = list(values)
            page[plan.offset], page[plan.limit] = offset, limit
            return self._send(plan, tuple(page), plan.response, options)

        return AsyncPaginator(
            fetch, offset=values[plan.offset], limit=values[plan.limit], options=options
        )

    def _binary(self, name: str, options: Mapping[str, Any], *values: Any) -> BinaryResponse:
        """The binary answer of method ``name`` (arguments checked now, sent on use)."""
        plan = self._plan(name)
        target, body = plan.prepare(values)
        return BinaryResponse(
            lambda: self._send(plan, values, bytes, options),
            lambda: self._transport.stream(
                plan.method,
                plan.path,
                target,
                body=body,
                body_model=plan.body_model,
                options=options,
            ),
            what=f"{plan.method} {plan.path}",
        )

    def _poll(
        self, name: str, interval: float, timeout: float | None, *values: Any
    ) -> AsyncIterator[Any]:
        """The statuses of status endpoint ``name``, polled until final (see
        :func:`~billecta_async._polling.poll`)."""
        plan = self._plan(name)
        plan.prepare(values)
        poll = plan.operation.poll
        assert poll is not None, f"{name} is not a polled status endpoint"
        ident = ", ".join(plan.path_texts(values))
        return _polling.poll(
            lambda: self._send(plan, values, plan.response, {}),
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
