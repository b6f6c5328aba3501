"""``python -m billecta_async``: the ``billecta`` command line (see :mod:`billecta_async._cli`)."""

from __future__ import annotations

import sys

from billecta_async._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
