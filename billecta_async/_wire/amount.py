"""Helpers between amounts in major units (``Decimal("500.34")``) and Billecta's minor units.

Billecta's ``Amount.Value`` is a whole number of the currency's minor unit: 500.34 SEK travels as
``50034``. How many decimals a currency has comes from ISO 4217 (most have two); Billecta's
currency endpoint tells the same per currency, and every helper takes ``decimals=`` to override.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = ["AmountMixin", "currency_decimals"]

A = TypeVar("A", bound="AmountMixin")

# ISO 4217 currencies whose minor unit is not 1/100.
_MINOR_UNITS: dict[str, int] = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
    "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "CLF": 4, "UYW": 4,
}  # fmt: skip


def currency_decimals(currency_code: str) -> int:
    """Number of decimals of ``currency_code`` (ISO 4217; 2 unless listed otherwise)."""
    code = currency_code.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(f"CurrencyCode: {currency_code!r} is not an ISO 4217 currency code")
    return _MINOR_UNITS.get(code, 2)


class AmountMixin:
    """Conversions for ``Amount``; mixed into the generated model by the codegen config."""

    __slots__ = ()

    if TYPE_CHECKING:
        currency_code: str | None
        value: int | None

        def __init__(self, **kwargs: Any) -> None: ...

    @classmethod
    def from_decimal(
        cls: type[A],
        amount: Decimal | int | str,
        currency_code: str = "SEK",
        *,
        decimals: int | None = None,
    ) -> A:
        """An amount of ``amount`` major units: ``Amount.from_decimal(Decimal("500.34"))``.

        Refuses an amount with more decimals than the currency has, rather than round it.
        """
        places = currency_decimals(currency_code) if decimals is None else decimals
        if isinstance(amount, float):
            raise TypeError("Amount: pass a Decimal, int or str, not a float (binary rounding)")
        try:
            major = Decimal(amount)
        except (InvalidOperation, ValueError, TypeError):
            raise ValueError(f"Amount: {amount!r} is not a number") from None
        if not major.is_finite():
            raise ValueError(f"Amount: {amount!r} is not a finite number")
        minor = major.scaleb(places)
        if minor != minor.to_integral_value():
            raise ValueError(f"Amount: {amount} {currency_code} has more than {places} decimals")
        return cls(currency_code=currency_code.upper(), value=int(minor))

    def to_decimal(self, *, decimals: int | None = None) -> Decimal:
        """The amount in major units: ``Decimal("500.34")`` for ``Value=50034`` SEK."""
        if self.value is None:
            raise ValueError("Amount.Value is not set")
        if decimals is None:
            if not self.currency_code:
                raise ValueError("Amount.CurrencyCode is not set; pass decimals=")
            decimals = currency_decimals(self.currency_code)
        return Decimal(self.value).scaleb(-decimals)
