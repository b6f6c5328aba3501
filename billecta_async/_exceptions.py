"""Every exception the SDK raises, in one hierarchy rooted at :class:`BillectaError`."""

from __future__ import annotations

import sys
from collections.abc import Sequence

if sys.version_info >= (3, 11):
    from typing import Self
else:  # pragma: no cover
    from typing_extensions import Self

__all__ = [
    "BillectaError",
    "DecodeError",
    "EncodeError",
]


class BillectaError(Exception):
    """Base class of every error raised by billecta-async."""


def _render_path(model: str | None, path: Sequence[str]) -> str:
    parts = [model] if model else []
    parts.extend(path)
    return ".".join(parts) if parts else "document"


def _excerpt(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _WireError(BillectaError, ValueError):
    """Common shape of :class:`DecodeError` and :class:`EncodeError`."""

    def __init__(
        self,
        reason: str,
        *,
        model: str | None = None,
        path: Sequence[str] = (),
        value: object = None,
        has_value: bool = True,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.model = model
        self.path = list(path)
        self.value = value
        self.has_value = has_value

    @property
    def field(self) -> str:
        """The offending field as ``Model.Wire.Path`` (``document`` for the whole document)."""
        return _render_path(self.model, self.path)

    def __str__(self) -> str:
        if self.has_value:
            return f"{self.field}: {self.reason} (got {_excerpt(self.value)})"
        return f"{self.field}: {self.reason}"

    def at(self, key: str) -> Self:
        """The same error one level up: ``key`` is prepended to the path."""
        return type(self)(
            self.reason,
            model=None,
            path=[key, *self.path],
            value=self.value,
            has_value=self.has_value,
        )

    def in_model(self, model: str) -> Self:
        """The same error, naming the model the path starts from."""
        return type(self)(
            self.reason, model=model, path=self.path, value=self.value, has_value=self.has_value
        )


class DecodeError(_WireError):
    """A JSON or XML document could not be turned into a model.

    ``field`` names the offending value from the model being decoded down
    (``InvoiceAction.Records.3.UnitPrice.Value``), ``value`` is the value found there and
    ``reason`` says what was expected. A document that is not JSON or XML at all, or has the
    wrong root element, is reported at ``document`` level with an excerpt.
    """


class EncodeError(_WireError):
    """A model holds a value that cannot be sent to Billecta; raised before anything is sent.

    ``field`` names the offending field from the model being encoded down, ``value`` is the
    value found there and ``reason`` says what was expected.
    """
