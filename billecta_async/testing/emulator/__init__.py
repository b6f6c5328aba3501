"""A local Billecta emulator: an in-memory, stateful Billecta on 127.0.0.1 for tests and demos.

See :class:`BillectaEmulator`.
"""

from billecta_async.testing.emulator._server import RATE_LIMITS, BillectaEmulator, Fault

__all__ = ["RATE_LIMITS", "BillectaEmulator", "Fault"]
