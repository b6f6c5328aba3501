"""Testing helpers for code that calls Billecta: a local emulator and sample models.

* :class:`BillectaEmulator`: an in-memory, stateful Billecta served on 127.0.0.1;
* the pytest plugin :mod:`billecta_async.testing.pytest_plugin` (fixtures ``billecta_emulator``
  and ``billecta_client``), enabled automatically when billecta-async is installed;
* :func:`sample_model` and :func:`sample_list`: fully populated model instances;
* :func:`default_model`: a response model with only the values a test sets, the others as
  Billecta writes a value it never set.
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from billecta_async.testing._samples import default_model, sample_list, sample_model
    from billecta_async.testing.emulator import BillectaEmulator, Fault

__all__ = ["BillectaEmulator", "Fault", "default_model", "sample_list", "sample_model"]

#: Where each name comes from. They load on first use: the pytest plugin lives in this package,
#: and registering it must not load the emulator (aiohttp.web) or the codecs into every pytest
#: run of a project that has billecta-async installed.
_SOURCES = {
    "BillectaEmulator": "billecta_async.testing.emulator",
    "Fault": "billecta_async.testing.emulator",
    "default_model": "billecta_async.testing._samples",
    "sample_list": "billecta_async.testing._samples",
    "sample_model": "billecta_async.testing._samples",
}

# Hidden from type checkers, which see the imports above.
if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        source = _SOURCES.get(name)
        if source is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(_importlib.import_module(source), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
