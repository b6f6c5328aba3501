"""What every API section's resource class shares: the typed request helper and the registry
tying each method to the documented endpoint(s) it implements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, overload

from billecta_async._wire import ListOf, Model

if TYPE_CHECKING:
    from billecta_async._streaming import ByteStream
    from billecta_async._transport import Transport

__all__ = ["EndpointSpec", "Resource", "endpoint", "endpoints_of"]

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=Model)
T = TypeVar("T")


@dataclass(frozen=True)
class EndpointSpec:
    """One documented endpoint a method implements.

    ``params`` maps the reference's parameter names (path and query) to the method's argument
    names; ``body`` names the argument sent as the request body. ``response`` names the model
    returned where the reference documents none but the endpoint clearly answers with one (the
    method's docstring says so).
    """

    method: str
    path: str
    params: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None
    response: str | None = None


def endpoint(
    method: str,
    path: str,
    *,
    params: Mapping[str, str] | None = None,
    body: str | None = None,
    response: str | None = None,
) -> Callable[[F], F]:
    """Mark a resource method as implementing the documented ``method path`` endpoint.

    Stack it twice on a method that covers an endpoint documented twice with different query
    parameters. The SDK's endpoint test drives every documented endpoint through this registry.
    """
    spec = EndpointSpec(method, path, dict(params or {}), body, response)

    def mark(fn: F) -> F:
        fn.__billecta_endpoints__ = (*getattr(fn, "__billecta_endpoints__", ()), spec)  # type: ignore[attr-defined]
        return fn

    return mark


def endpoints_of(fn: Callable[..., Any]) -> tuple[EndpointSpec, ...]:
    """The endpoints a method is marked with."""
    return tuple(getattr(fn, "__billecta_endpoints__", ()))


class Resource:
    """Base class of the per-section resources (``client.invoices``, ``client.debtors``, ...)."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    @overload
    def _request(
        self,
        method: str,
        path: str,
        *,
        response: type[M],
        path_params: Mapping[str, str | None] | None = ...,
        query: Sequence[tuple[str, str | None]] = ...,
        body: Model | Sequence[Any] | None = ...,
        body_model: ListOf[Any] | None = ...,
        options: Mapping[str, Any] | None = ...,
    ) -> Awaitable[M]: ...

    @overload
    def _request(
        self,
        method: str,
        path: str,
        *,
        response: ListOf[T],
        path_params: Mapping[str, str | None] | None = ...,
        query: Sequence[tuple[str, str | None]] = ...,
        body: Model | Sequence[Any] | None = ...,
        body_model: ListOf[Any] | None = ...,
        options: Mapping[str, Any] | None = ...,
    ) -> Awaitable[list[T]]: ...

    @overload
    def _request(
        self,
        method: str,
        path: str,
        *,
        response: type[bytes],
        path_params: Mapping[str, str | None] | None = ...,
        query: Sequence[tuple[str, str | None]] = ...,
        body: Model | Sequence[Any] | None = ...,
        body_model: ListOf[Any] | None = ...,
        options: Mapping[str, Any] | None = ...,
    ) -> Awaitable[bytes]: ...

    @overload
    def _request(
        self,
        method: str,
        path: str,
        *,
        response: None = ...,
        path_params: Mapping[str, str | None] | None = ...,
        query: Sequence[tuple[str, str | None]] = ...,
        body: Model | Sequence[Any] | None = ...,
        body_model: ListOf[Any] | None = ...,
        options: Mapping[str, Any] | None = ...,
    ) -> Awaitable[None]: ...

    def _request(
        self,
        method: str,
        path: str,
        *,
        response: Any = None,
        path_params: Mapping[str, str | None] | None = None,
        query: Sequence[tuple[str, str | None]] = (),
        body: Model | Sequence[Any] | None = None,
        body_model: ListOf[Any] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> Awaitable[Any]:
        # Not a coroutine of its own: one frame less on every request's await chain.
        return self._transport.request(
            method,
            path,
            path_params=path_params,
            query=query,
            body=body,
            body_model=body_model,
            response=response,
            options=options,
        )

    def _stream(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, str | None] | None = None,
        query: Sequence[tuple[str, str | None]] = (),
        body: Model | Sequence[Any] | None = None,
        body_model: ListOf[Any] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> AbstractAsyncContextManager[ByteStream]:
        return self._transport.stream(
            method,
            path,
            path_params=path_params,
            query=query,
            body=body,
            body_model=body_model,
            options=options,
        )
