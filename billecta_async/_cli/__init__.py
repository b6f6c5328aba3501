"""``billecta`` (also ``python -m billecta_async``): the SDK's command line.

* ``billecta demo``: Billecta's basic invoicing use case end to end, against the embedded
  emulator or, with ``BILLECTA_*`` credentials, a real Billecta environment (:mod:`._demo`);
* ``billecta emulator``: the local emulator served standalone until interrupted
  (:mod:`._emulator`);
* ``billecta call SECTION.METHOD``: any documented endpoint, driven by the endpoint catalogue,
  its answer printed as JSON or XML or written to a file (:mod:`._call`, :mod:`._output`);
  the demo and it sign in alike (:mod:`._connect`);
* ``--version``, ``-v``/``-vv`` (the ``billecta_async`` logger on stderr), and one exit-code
  table for every command (:mod:`._main`); the environment variables each command reads are
  listed once, in :mod:`._environment`.
"""

from billecta_async._cli._main import EXIT_CODES, CommandError, ExitCode, main

__all__ = ["EXIT_CODES", "CommandError", "ExitCode", "main"]
