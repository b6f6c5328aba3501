"""Small builders the end-to-end tests share."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from billecta_async import STOCKHOLM
from billecta_async import models as m


def sek(value: int) -> m.Amount:
    """An amount in SEK, ``value`` in öre (minor units)."""
    return m.Amount(currency_code="SEK", value=value)


def today() -> date:
    """Today in Stockholm, Billecta's time zone."""
    return datetime.now(STOCKHOLM).date()


def around_today() -> tuple[date, date]:
    """A window holding today, robust to the date changing during the test."""
    return today() - timedelta(days=1), today() + timedelta(days=1)
