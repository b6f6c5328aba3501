"""Testing helpers for code that calls Billecta: a local emulator and sample models.

* :class:`BillectaEmulator`: an in-memory, stateful Billecta served on 127.0.0.1;
* the pytest plugin :mod:`billecta_async.testing.pytest_plugin` (fixtures ``billecta_emulator``
  and ``billecta_client``), enabled automatically when billecta-async is installed;
* :func:`sample_model` and :func:`sample_list`: fully populated model instances;
* :func:`default_model`: a response model with only the values a test sets, the others as
  Billecta writes a value it never set.
"""

from billecta_async.testing._samples import default_model, sample_list, sample_model
from billecta_async.testing.emulator import BillectaEmulator, Fault

__all__ = ["BillectaEmulator", "Fault", "default_model", "sample_list", "sample_model"]
