"""The emulator as a user meets it: inject_fault checks what it is given; the repr says where."""

from __future__ import annotations

import re
from typing import Any

import pytest

from billecta_async import ScaledClock
from billecta_async.testing import BillectaEmulator
from billecta_async.testing.emulator._server import FAULT_KINDS

DEBTOR = ("POST", "/v1/debtors/debtor")


def test_the_valid_fault_kinds_are_the_documented_ones() -> None:
    assert set(FAULT_KINDS) == {
        "drop_before",
        "drop_after",
        "error_before",
        "error_after",
        "delay",
        "truncate",
    }


@pytest.mark.parametrize("kind", ["500", "drop", "", "DROP_BEFORE"])
def test_an_unknown_fault_kind_is_refused_with_the_valid_ones(kind: str) -> None:
    emulator = BillectaEmulator()
    with pytest.raises(ValueError) as raised:
        emulator.inject_fault(*DEBTOR, kind)  # type: ignore[arg-type]
    message = str(raised.value)
    assert repr(kind) in message
    for valid in FAULT_KINDS:
        assert valid in message
    assert emulator.faults == []


@pytest.mark.parametrize(
    ("options", "named"),
    [({"times": 0}, "times"), ({"times": 1.5}, "times"), ({"seconds": -1.0}, "seconds")],
)
def test_a_bad_count_or_delay_is_refused(options: dict[str, Any], named: str) -> None:
    emulator = BillectaEmulator()
    with pytest.raises(ValueError, match=named):
        emulator.inject_fault(*DEBTOR, "delay", **options)
    assert emulator.faults == []


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_every_valid_kind_is_accepted(kind: Any) -> None:
    emulator = BillectaEmulator()
    fault = emulator.inject_fault(*DEBTOR, kind, times=2)
    assert emulator.faults == [fault]
    assert (fault.kind, fault.times) == (kind, 2)


async def test_the_repr_shows_the_url_and_whether_it_runs_never_the_credentials() -> None:
    emulator = BillectaEmulator(clock=ScaledClock(10))
    assert repr(emulator) == (
        "<BillectaEmulator host='127.0.0.1', port=0, running=False, clock=ScaledClock(10)>"
    )
    async with emulator:
        shown = repr(emulator)
        assert re.fullmatch(
            r"<BillectaEmulator url='http://127\.0\.0\.1:\d+', running=True, "
            r"clock=ScaledClock\(10\)>",
            shown,
        )
        assert emulator.url in shown
    assert "running=False" in repr(emulator)
    for secret in (emulator.secure_token, emulator.password):
        assert secret not in shown
