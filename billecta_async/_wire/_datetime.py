"""Billecta's date-times: parsing every form the API sends, formatting what the SDK sends.

Billecta sends ``2021-01-20 16:02:04+01:00`` (space), ISO 8601 with ``T``, up to seven
fractional digits (.NET ticks), with or without an offset. A value without an offset is
Stockholm time. ``0001-01-01T00:00:00`` is .NET's ``default(DateTime)``, "no date": it decodes to
``None``, also when written with an offset as API answers format dates
(``0001-01-01 00:00:00+01:00``, ``+00:00``, ``Z``). What the SDK sends always carries an offset;
a naive ``datetime`` (or a ``date``) given by the user is taken as Stockholm time, as Billecta
itself does.

Decoded date-times share one ``timezone`` object per distinct offset (:func:`shared_timezone`)
instead of carrying one each: a large answer holds thousands of date-times and a handful of
offsets. The compiled decoders also share the date-time itself (immutable) between values of the
same text, through a bounded cache (:func:`decode_cached`): Billecta's lists repeat date-times
heavily (invoice and due dates at midnight, a batch created in the same second).
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

__all__ = [
    "FAST_FROMISOFORMAT",
    "OFFSET_BASES",
    "STOCKHOLM",
    "decode_cached",
    "format_datetime",
    "naive_datetime",
    "parse_datetime",
    "shared_timezone",
    "to_aware",
]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
_DOTNET_EMPTY = datetime(1, 1, 1)

# One timezone per offset seen; offsets are few, but a document could invent many, so the
# cache stops growing at a bound (later odd offsets keep their own object).
_TIMEZONES: dict[timedelta, timezone] = {timedelta(0): timezone.utc}
_MAX_TIMEZONES = 256


def shared_timezone(offset: timedelta) -> timezone:
    """The one ``timezone`` object of this UTC offset."""
    tz = _TIMEZONES.get(offset)
    if tz is None:
        tz = timezone(offset)
        if len(_TIMEZONES) < _MAX_TIMEZONES:
            _TIMEZONES[offset] = tz
    return tz


EPOCH = datetime(2000, 1, 1)


def _offset_bases() -> dict[str, datetime]:
    bases = {}
    for minutes in range(-14 * 60, 14 * 60 + 1, 15):
        sign = "-" if minutes < 0 else "+"
        text = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        bases[text] = EPOCH.replace(tzinfo=shared_timezone(timedelta(minutes=minutes)))
    bases["-00:00"] = bases["+00:00"]
    return bases


OFFSET_BASES = _offset_bases()
_STOCKHOLM_EPOCH = EPOCH.replace(tzinfo=STOCKHOLM)
"""``"+01:00"`` -> 2000-01-01T00:00 in that offset's shared timezone, for every offset of whole
quarter hours: ``OFFSET_BASES[text[-6:]] + (naive - EPOCH)`` is the date-time ``text`` names,
built without a timezone object of its own (the compiled decoders' fast path)."""


def _fromisoformat_unavailable(text: str) -> datetime:
    raise ValueError(text)


# Python 3.11+ parses every form Billecta sends in C; 3.10's parser is too narrow to be useful.
FAST_FROMISOFORMAT = (
    datetime.fromisoformat if sys.version_info >= (3, 11) else _fromisoformat_unavailable
)

# Full grammar for Python 3.10 and for anything 3.11's fromisoformat rejects.
_ISO_RE = re.compile(
    r"""
    (?P<y>\d{4})-?(?P<mo>\d{2})-?(?P<d>\d{2})
    (?:[T\x20t]
        (?P<h>\d{2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?
        (?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?
    )?
    """,
    re.VERBOSE,
)


def _parse_slow(text: str) -> datetime:
    match = _ISO_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError("expected an ISO 8601 date-time")
    g = match.groupdict()
    fraction = (g["f"] or "").ljust(6, "0")[:6]
    tz: timezone | None = None
    if g["tz"]:
        raw = g["tz"]
        if raw in ("Z", "z"):
            tz = timezone.utc
        else:
            sign = -1 if raw[0] == "-" else 1
            digits = raw[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            tz = shared_timezone(sign * offset)
    return datetime(
        int(g["y"]),
        int(g["mo"]),
        int(g["d"]),
        int(g["h"] or 0),
        int(g["mi"] or 0),
        int(g["s"] or 0),
        int(fraction),
        tzinfo=tz,
    )


def parse_datetime(text: str) -> datetime | None:
    """Parse a Billecta date-time into an aware ``datetime`` (``None`` for .NET's empty date)."""
    if text.__class__ is not str:
        raise TypeError("expected a date-time string")
    base = OFFSET_BASES.get(text[-6:])
    if base is not None:  # the common form: a date-time, then an offset of whole quarter hours
        try:
            value = FAST_FROMISOFORMAT(text[:-6])
        except ValueError:
            pass
        else:
            if value.tzinfo is None:
                return None if value == _DOTNET_EMPTY else base + (value - EPOCH)
    try:
        value = FAST_FROMISOFORMAT(text)
    except ValueError:
        try:
            value = _parse_slow(text)
        except ValueError:
            raise ValueError("expected an ISO 8601 date-time") from None
    tz = value.tzinfo
    if tz is None:
        return naive_datetime(value)
    if value.year == 1 and value.replace(tzinfo=None) == _DOTNET_EMPTY:
        return None  # .NET's empty date, written with an offset
    offset = value.utcoffset()
    assert offset is not None
    shared = shared_timezone(offset)
    return value if tz is shared else value.replace(tzinfo=shared)


# Wire text -> decoded date-time (None for .NET's empty date), for the compiled decoders: a
# value seen before costs one lookup and is the same object. Emptied when full, so that a
# long-running process follows the dates it sees now; 1024 entries hold about 200 KB.
DECODED: dict[str, datetime | None] = {}
_MAX_DECODED = 1024


def decode_cached(text: str) -> datetime | None:
    """``parse_datetime(text)``, remembered for the next value of the same text (the compiled
    decoders look ``DECODED`` up first and call this on a miss). Raises as parse_datetime does;
    a value that is not text raises ``TypeError``."""
    base = OFFSET_BASES.get(text[-6:])
    if base is not None and text[0] != "0":  # the common form (and not .NET's empty date)
        try:
            value: datetime | None = base + (FAST_FROMISOFORMAT(text[:-6]) - EPOCH)
        except ValueError:
            value = parse_datetime(text)
    else:
        value = parse_datetime(text)
    if len(DECODED) >= _MAX_DECODED:
        DECODED.clear()
    DECODED[text] = value
    return value


def naive_datetime(value: datetime) -> datetime | None:
    """A date-time sent without offset: Stockholm time, or None for .NET's empty date."""
    if value == _DOTNET_EMPTY:
        return None
    return _STOCKHOLM_EPOCH + (value - EPOCH)  # value.replace(tzinfo=STOCKHOLM), but faster


def to_aware(value: object) -> datetime:
    """The datetime the SDK sends for ``value``: always with an offset (naive means Stockholm)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=STOCKHOLM)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=STOCKHOLM)
    raise TypeError("expected a datetime")


def format_datetime(value: object) -> str:
    """ISO 8601 text with an offset, e.g. ``2021-01-20T16:02:04+01:00``."""
    return to_aware(value).isoformat()
