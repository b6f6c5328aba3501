"""``billecta``: the parser, the exit codes, ``-v`` logging and the one-line error report."""

from __future__ import annotations

import argparse
import enum
import logging
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from billecta_async._exceptions import BillectaError, TransportError
from billecta_async._version import __version__


class ExitCode(enum.IntEnum):
    """What ``billecta`` exits with (the same for every command)."""

    OK = 0
    FAILED = 1
    USAGE = 2
    INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a Ctrl+C


#: The exit-code table of every ``--help`` (and of the command-line page of the docs).
EXIT_CODES: tuple[tuple[ExitCode, str], ...] = (
    (
        ExitCode.OK,
        "success; bare `billecta` prints this help; `billecta emulator` stopped by Ctrl+C or "
        "SIGTERM",
    ),
    (
        ExitCode.FAILED,
        "failed: Billecta answered with an error, no answer came within --timeout/--deadline, "
        "or the emulator could not listen; one line on stderr names the error (no traceback)",
    ),
    (ExitCode.USAGE, "usage error: a bad option or argument, a missing or bad BILLECTA_* variable"),
    (ExitCode.INTERRUPTED, "interrupted by Ctrl+C (SIGINT)"),
)


class CommandError(Exception):
    """A failure the command reports in one line on stderr, exiting with ``code``."""

    def __init__(self, message: str, code: ExitCode = ExitCode.FAILED) -> None:
        super().__init__(message)
        self.code = code


def exit_codes_help() -> str:
    """The ``exit codes:`` block of a ``--help`` epilog."""
    lines = ["exit codes:"]
    for code, meaning in EXIT_CODES:
        lines.extend(
            textwrap.wrap(
                meaning, 88, initial_indent=f"  {int(code):>3}  ", subsequent_indent=" " * 7
            )
        )
    return "\n".join(lines)


def positive(what: str) -> Callable[[str], float]:
    """An argparse ``type``: a finite number > 0 (anything else is a usage error)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, not {text!r}") from None
        if not 0 < value < float("inf"):
            raise argparse.ArgumentTypeError(f"expected {what} > 0, not {text!r}")
        return value

    return parse


def add_verbose(parser: argparse.ArgumentParser, help: str, dest: str = "verbose") -> None:
    """``-v``/``-vv``: the ``billecta_async`` logger on stderr at INFO/DEBUG."""
    parser.add_argument("-v", "--verbose", dest=dest, action="count", default=0, help=help)


Runner = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    from billecta_async._cli import _call, _demo, _emulator  # each adds its own subcommand

    parser = argparse.ArgumentParser(
        prog="billecta",
        description="billecta-async's command line: the Billecta SDK's demo, its local "
        "emulator, and any endpoint called from the shell.",
        epilog=exit_codes_help()
        + "\n\n`billecta COMMAND --help` says what a command does and which environment "
        "variables it reads.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"billecta-async {__version__}")
    add_verbose(parser, "the command's -v (before the command)", dest="global_verbose")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for module in (_demo, _emulator, _call):
        sub = module.add_parser(commands)
        sub.set_defaults(prog=sub.prog)
    return parser


@contextmanager
def _logging(verbosity: int) -> Iterator[None]:
    """The ``billecta_async`` logger on stderr: INFO with -v, DEBUG with -vv."""
    logger = logging.getLogger("billecta_async")
    level = logging.DEBUG if verbosity >= 2 else logging.INFO if verbosity else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-5s %(message)s", "%H:%M:%S"))
    previous = logger.level
    logger.setLevel(level)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def _report(prog: str, message: str) -> None:
    print(f"{prog}: error: {' '.join(message.split())}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``billecta`` and ``python -m billecta_async``; the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on a usage error, 0 after --help or --version
    if args.command is None:
        parser.print_help()
        return ExitCode.OK
    verbosity = args.verbose + args.global_verbose
    run: Runner = args.run
    with _logging(verbosity):
        try:
            return run(args)
        except KeyboardInterrupt:
            print(f"{args.prog}: interrupted", file=sys.stderr)
            return ExitCode.INTERRUPTED
        except CommandError as exc:
            _report(args.prog, str(exc))
            return exc.code
        except BillectaError as exc:
            hint = " (-v shows each attempt)" if isinstance(exc, TransportError) else ""
            _report(args.prog, f"{type(exc).__name__}: {exc}{hint if not verbosity else ''}")
            return ExitCode.FAILED
