"""``billecta call SECTION.METHOD``: any documented endpoint, from the command line.

Driven by the endpoint catalogue (:mod:`billecta_async._catalogue`), not by a table of its own:
``SECTION.METHOD`` is a client method (``debtors.get`` is ``client.debtors.get``), its path and
query arguments are options named after the method's arguments (``--creditor-public-id``, or
``--creditor_public_id``), checked with the client's own converters before anything is sent,
and its body is read from ``--body FILE`` in the chosen format. The call goes through the client
(retries, rate limits, ``-v``), and the answer is printed as the SDK's codecs encode it (JSON or
XML, indented); a binary answer's bytes go to stdout or ``--output FILE`` (:mod:`._output`,
with progress on a terminal).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import difflib
import importlib
import inspect
import math
import os
import re
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from contextlib import AsyncExitStack
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from billecta_async._binary import BinaryResponse
from billecta_async._catalogue import Arg, Operation, catalogue
from billecta_async._cli import _connect, _environment, _output
from billecta_async._cli._main import CommandError, ExitCode, exit_codes_help
from billecta_async._exceptions import (
    DecodeError,
    EncodeError,
    ParameterError,
    mask_personal_numbers,
)
from billecta_async._params import converter
from billecta_async._wire import BillectaEnum, ListOf, Model

FORMATS = ("json", "xml")

#: The argument that defaults to BILLECTA_CREDITOR_PUBLIC_ID (or the emulator's creditor).
CREDITOR = "creditor_public_id"

USAGE = (
    "billecta call [-h] [--list] SECTION.METHOD [--PARAMETER VALUE ...] [--body FILE]\n"
    "                     [--format {json,xml}] [--output FILE] [--emulator]\n"
    "                     [--timeout SECONDS] [--deadline SECONDS] [-v]"
)

DESCRIPTION = """\
Call any documented Billecta endpoint and print its answer. SECTION.METHOD is a method of the
SDK's client (debtors.get is client.debtors.get): `billecta call --list` lists them all,
`billecta call SECTION --help` one section's, and `billecta call SECTION.METHOD --help` a
method's parameters and body.

Parameters are the method's arguments as options (--creditor-public-id, or
--creditor_public_id), checked as the client checks them (GUIDs, dates as YYYY-MM-DD,
true/false, enum names, numbers) before anything is sent. --creditor-public-id defaults to
BILLECTA_CREDITOR_PUBLIC_ID, which also fills in a body's CreditorPublicId (each item's, in a
list) where it has none.
--body FILE (- for stdin) holds the request body in the chosen format. The answer is printed
in the chosen format (--format, else BILLECTA_FORMAT, else json) as the SDK encodes it; a file
(a PDF, a ZIP) goes to stdout or --output FILE, with progress on stderr when it is a
terminal; an answer without a body prints nothing.

It signs in with the BILLECTA_* variables, as `billecta demo` does. With --emulator it runs
against a fresh local emulator instead (one user owning one creditor, nothing else; gone when
the call ends): for trying a call and seeing its answer's shape without credentials."""

EXAMPLES = """\
examples:
  billecta call --list
  billecta call debtors.get --debtor-public-id 6d0b3c0e-1f5a-4b2e-9a57-2b0e6f1e8c11
  billecta call debtors.list --limit 10 --format xml
  billecta call debtors.create --body debtor.json
  billecta call invoices.list_closed --from-date 2024-01-01 --to-date 2024-01-31
  billecta call files.get_content --file-public-id ... --output invoice.pdf
  billecta call creditors.get --emulator"""

#: Per converter kind: the metavar and what a value is, for the help.
_KINDS: dict[str, tuple[str, str]] = {
    "guid": ("GUID", "a GUID"),
    "ident": ("ID", "an id"),
    "string": ("TEXT", "text"),
    "strings": ("A,B,...", "values separated by commas"),
    "integer": ("N", "a whole number"),
    "number": ("NUMBER", "a number"),
    "boolean": ("true|false", "true or false"),
    "day": ("YYYY-MM-DD", "a date"),
    "offset": ("N", "how many items to skip (0 or more)"),
    "limit": ("N", "how many items at most (1 or more)"),
    "integer_or_string": ("N", "a whole number"),
    "day_or_string": ("YYYY-MM-DD", "a date"),
    "ident_or_strings": ("ID,...", "ids separated by commas"),
}
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


# -- the parser -----------------------------------------------------------------------------------


def add_parser(commands: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        "call",
        help="call any documented endpoint and print its answer as JSON or XML",
        description=DESCRIPTION,
        usage=USAGE,
        epilog="\n\n".join([EXAMPLES, _environment.describe(_environment.CALL), exit_codes_help()]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,  # a method's --help is its own (see _MethodArguments)
    )
    parser.add_argument(
        "-h",
        "--help",
        action="store_true",
        help="this help; after SECTION, that section's methods; after SECTION.METHOD, its "
        "parameters",
    )
    parser.add_argument(
        "--list", action="store_true", help="list every section and method, with its summary"
    )
    _add_common_options(parser, suppress=False)
    parser.add_argument(
        "target",
        nargs="?",
        metavar="SECTION.METHOD",
        help="the method to call (e.g. debtors.get), or a SECTION to list",
    )
    parser.add_argument(
        "arguments", nargs=argparse.REMAINDER, action=_MethodArguments, help=argparse.SUPPRESS
    )
    parser.set_defaults(run=_run, parser=parser, operation=None, section=None)
    return parser


def _add_common_options(
    parser: Any, *, suppress: bool, body: bool = True
) -> argparse.Action | None:
    """The options of every call (before or after SECTION.METHOD); ``suppress``: no defaults,
    for the method's parser, whose values are merged into the command's; ``body``: whether
    ``--body`` is one of them (its action is returned)."""
    default = argparse.SUPPRESS if suppress else None
    body_action: argparse.Action | None = None
    if body:
        body_action = parser.add_argument(
            "--body",
            metavar="FILE",
            default=default,
            help="the request body, in the chosen format (- reads stdin)",
        )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=default,
        help="the format of the body, of the answer printed and of the request to Billecta "
        "(default BILLECTA_FORMAT, or json)",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        default=default,
        help="write the answer to FILE (written whole, or not at all) instead of stdout",
    )
    parser.add_argument(
        "--emulator",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="call a fresh local emulator instead of Billecta (no credentials needed)",
    )
    _connect.add_timing_options(parser, suppress=suppress)
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS if suppress else 0,
        help="show each failed attempt and each retry on stderr; -vv every attempt",
    )
    return body_action


class _MethodArguments(argparse.Action):
    """Everything after SECTION.METHOD: parsed by the method's own parser (built from the
    catalogue) as the command line is parsed, so a bad parameter is a usage error (exit 2)
    and ``-v`` given after the method counts."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        arguments: list[str] = list(values or [])
        target: str | None = namespace.target
        if target is None:
            return
        if "." not in target:
            namespace.section = _section(parser, target)
            if arguments and arguments not in (["-h"], ["--help"]):
                parser.error(f"{target} is a section: give SECTION.METHOD to call a method")
            return
        operation = _operation(parser, target)
        method_parser = build_method_parser(operation)
        if namespace.help:
            method_parser.print_help()
            parser.exit()
        given = method_parser.parse_args(arguments)
        namespace.values = {}
        for name, value in vars(given).items():
            if name.startswith("param:"):
                namespace.values[name.removeprefix("param:")] = value
            elif name == "verbose":
                namespace.verbose += value
            else:
                setattr(namespace, name, value)
        if namespace.body is not None and operation.body is None:
            method_parser.error(f"argument --body: {target} sends no body")
        missing = [
            _option(arg)
            for arg in _parameters(operation)
            if not arg.optional
            and arg.name not in namespace.values
            and not (
                arg.name == CREDITOR
                and (namespace.emulator or os.environ.get("BILLECTA_CREDITOR_PUBLIC_ID"))
            )
        ]
        body = operation.body
        if body is not None and not body.optional and namespace.body is None:
            missing.append("--body")
        if missing:
            method_parser.error(f"the following arguments are required: {', '.join(missing)}")
        namespace.operation = operation


def _parameters(operation: Operation) -> list[Arg]:
    return [arg for arg in operation.args if arg.location != "body"]


def _option(arg: Arg) -> str:
    return "--" + arg.name.replace("_", "-")


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=3)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def _section(parser: argparse.ArgumentParser, name: str) -> str:
    sections = [info.attr for info in catalogue().resources]
    resource = name.replace("-", "_")
    if resource not in sections:
        parser.error(
            f"no section {name!r}{_suggest(resource, sections)}; `billecta call --list` lists them"
        )
    return resource


def _operation(parser: argparse.ArgumentParser, target: str) -> Operation:
    section, _, method = target.replace("-", "_").partition(".")
    section = _section(parser, section)
    names = [op.name for op in catalogue().operations if op.resource == section]
    if method not in names:
        parser.error(
            f"no method {method!r} in section {section}{_suggest(method, names)}; "
            f"`billecta call {section} --help` lists them"
        )
    return catalogue().operation(section, method)


# -- a method's parameters ------------------------------------------------------------------------


def _reader(kind: str) -> Callable[[str], Any]:
    """How the text of a parameter of this converter kind becomes the Python value the client
    takes (raising ``ValueError`` with what was expected)."""
    base, _, enum_name = kind.partition(":")
    if base in ("integer", "offset", "limit"):
        return _whole_number
    if base == "number":
        return _number
    if base == "boolean":
        return _boolean
    if base == "day":
        return _day
    if base == "strings":
        return lambda text: [item.strip() for item in text.split(",")]
    if enum_name:
        from billecta_async import models

        cls: type[BillectaEnum] = getattr(models, enum_name)
        return lambda text: next(
            (member for member in cls if member.value.casefold() == text.casefold()), text
        )
    return str


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError("expected a whole number") from None


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("expected a number") from None
    if not math.isfinite(value):
        raise ValueError("expected a finite number")
    return value


def _boolean(text: str) -> bool:
    folded = text.strip().lower()
    if folded in _TRUE or folded in _FALSE:
        return folded in _TRUE
    raise ValueError("expected true or false")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("expected a date as YYYY-MM-DD") from None


def parameter_type(arg: Arg) -> Callable[[str], Any]:
    """The argparse ``type`` of a parameter: its text read as the client's Python value, then
    checked with the client's own converter (a bad value is a usage error naming it)."""
    assert arg.kind is not None
    read, convert = _reader(arg.kind), converter(arg.kind)

    def parse(text: str) -> Any:
        try:
            value = read(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(
                f"{exc} (got {mask_personal_numbers(repr(text))})"
            ) from None
        try:
            convert(value, arg.name)
        except ParameterError as exc:
            raise argparse.ArgumentTypeError(str(exc).removeprefix(f"{arg.name}: ")) from None
        return value

    parse.__name__ = arg.kind  # argparse names the type in some messages
    return parse


def _describe_kind(kind: str) -> tuple[str, str]:
    base, _, enum_name = kind.partition(":")
    if not enum_name:
        return _KINDS[base]
    from billecta_async import models

    names = ", ".join(member.value for member in getattr(models, enum_name))
    what = f"one of {names}" + (" (or other text)" if base == "enum_or_string" else "")
    return enum_name, what


def build_method_parser(operation: Operation) -> argparse.ArgumentParser:
    """The parser of ``billecta call SECTION.METHOD``: its parameters and the common options,
    with a help built from the catalogue and the method's docstring."""
    target = f"{operation.resource}.{operation.name}"
    parser = argparse.ArgumentParser(
        prog=f"billecta call {target}",
        description=describe(operation),
        epilog=f"`billecta call --help` says more about the options and variables.\n\n"
        f"{exit_codes_help()}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,  # in the "options" group below
    )
    group = parser.add_argument_group("parameters")
    needed_actions: list[argparse.Action] = []  # shown without brackets in the usage
    for arg in _parameters(operation):
        assert arg.kind is not None and arg.wire is not None
        metavar, what = _describe_kind(arg.kind)
        where = "path {" + arg.wire + "}" if arg.location == "path" else f"query {arg.wire}"
        if arg.optional:
            needed = "optional"
        elif arg.name == CREDITOR:
            needed = "required; default BILLECTA_CREDITOR_PUBLIC_ID, or the emulator's"
        else:
            needed = "required"
        kind = parameter_type(arg)
        action = group.add_argument(
            _option(arg),
            dest=f"param:{arg.name}",
            type=kind,
            metavar=metavar,
            default=argparse.SUPPRESS,
            help=f"{what}; {where} ({needed})",
        )
        if needed == "required":
            needed_actions.append(action)
        if "_" in arg.name:  # --creditor_public_id, as the Python argument is spelt
            group.add_argument(
                f"--{arg.name}",
                dest=f"param:{arg.name}",
                type=kind,
                default=argparse.SUPPRESS,
                help=argparse.SUPPRESS,
            )
    options = parser.add_argument_group("options")
    options.add_argument("-h", "--help", action="help", help="show this help and exit")
    body = _add_common_options(options, suppress=True, body=operation.body is not None)
    if body is not None and operation.body is not None and not operation.body.optional:
        needed_actions.append(body)
    # The usage shows what must be given without brackets. The check itself stays ours (after
    # parsing: the creditor's default, one message for all that is missing, the --x_y spelling).
    for action in needed_actions:
        action.required = True
    parser.usage = parser.format_usage().removeprefix("usage: ").rstrip("\n").replace("%", "%%")
    for action in needed_actions:
        action.required = False
    return parser


def _resource_class(resource: str) -> type:
    info = next(r for r in catalogue().resources if r.attr == resource)
    module = importlib.import_module(f"billecta_async.resources.{info.module}")
    cls: type = getattr(module, info.class_name)
    return cls


def _plain(text: str) -> str:
    """Docstring text without its reST markup: ``X`` and :meth:`~a.X` read as X."""
    text = re.sub(r":\w+:`~?(?:[\w.]*\.)?([^`.]+)`", r"\1", text)
    return text.replace("``", "")


def summary(operation: Operation) -> str:
    """The first paragraph of the method's docstring, on one line (the endpoint without it,
    as under ``python -OO``)."""
    doc = inspect.getdoc(getattr(_resource_class(operation.resource), operation.name))
    if not doc:
        return f"{operation.method} {operation.path}"
    return " ".join(_plain(doc.split("\n\n", 1)[0]).split())


def _model_name(name: str, model: Any) -> str:
    if isinstance(model, ListOf):
        item = model.item_name
        return f"a list of {item} ({name}: a JSON array; in XML <{model.wire_name}><{item}/>...)"
    return f"a {name} (a JSON object; in XML <{model.__wire_name__}>)"


def describe(operation: Operation) -> str:
    """What a method's ``--help`` says above its options."""
    wrap = textwrap.TextWrapper(88, break_on_hyphens=False)
    lines = [*wrap.wrap(summary(operation)), "", f"endpoint: {operation.method} {operation.path}"]
    if operation.binary:
        lines.append("answer: a file's bytes, to stdout or --output FILE")
    elif operation.response is None:
        lines.append("answer: none (prints nothing)")
    else:
        answer = _model_name(operation.response, operation.response_model())
        lines += wrap.wrap(f"answer: {answer}")
    if operation.paginated:
        lines += wrap.wrap(
            "one page: --offset and --limit choose it (Billecta's defaults when not given)"
        )
    body = operation.body
    if body is not None and body.model is not None:
        model = operation.body_model()
        lines += wrap.wrap(f"body (--body FILE, - for stdin): {_model_name(body.model, model)}")
        cls = model.item_type if isinstance(model, ListOf) else model
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            fields = [
                f.metadata["name"]
                for f in dataclasses.fields(cls)
                if not f.metadata.get("read_only")
            ]
            lines += textwrap.wrap(
                f"{cls.__name__} fields: " + ", ".join(fields),
                88,
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
    return "\n".join(lines)


# -- listing --------------------------------------------------------------------------------------


def listing(section: str | None = None) -> str:
    """Every method (of ``section``, else of every section) with its summary."""
    operations = [op for op in catalogue().operations if section is None or op.resource == section]
    width = max(len(f"{op.resource}.{op.name}") for op in operations)
    lines: list[str] = []
    for info in catalogue().resources:
        mine = sorted((op for op in operations if op.resource == info.attr), key=lambda op: op.name)
        if not mine:
            continue
        if lines:
            lines.append("")
        count = f"{len(mine)} method{'s' if len(mine) > 1 else ''}"
        lines.append(f"{info.attr}: {info.section} (client.{info.attr}), {count}")
        for op in mine:
            name = f"{op.resource}.{op.name}"
            extra = f"  [{op.method} {op.path}]" if section is not None else ""
            lines.append(f"  {name:<{width}}  {summary(op)}{extra}")
    if section is not None:
        lines += ["", f"`billecta call {section}.METHOD --help` shows a method's parameters."]
    return "\n".join(lines)


# -- running the call -----------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    try:
        if args.operation is not None:
            return asyncio.run(call(args, os.environ))
        if args.section is not None:
            print(listing(args.section), flush=True)
        elif args.list:
            print(listing(), flush=True)
        else:
            args.parser.print_help()
            sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`): not all was written
        _output.silence_stdout()
        return ExitCode.FAILED
    return ExitCode.OK


def _usage(message: str) -> NoReturn:
    raise CommandError(message, ExitCode.USAGE)


def _chosen_format(args: argparse.Namespace, environ: Mapping[str, str]) -> str:
    if args.format is not None:
        return str(args.format)
    chosen = (environ.get("BILLECTA_FORMAT") or "json").strip().lower()
    if chosen not in FORMATS:
        _usage(f"BILLECTA_FORMAT must be 'json' or 'xml', not {chosen!r}")
    return chosen


def _read_body(operation: Operation, source: str, fmt: str) -> Any:
    """The body read from FILE (``-``: stdin) and decoded into the method's body model."""
    model = operation.body_model()
    name = getattr(model, "__name__", str(model))
    if source == "-" and sys.stdin.isatty():  # not silently waiting for a paste
        kind = "XML" if fmt == "xml" else "JSON"
        print(
            f"billecta call: type or paste the {kind} {name} body, then Ctrl-D on a line of its "
            "own",
            file=sys.stderr,
        )
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        _usage(f"--body {source}: cannot read it: {exc.strerror or exc}")
    from billecta_async import _wire

    decode = _wire.from_json if fmt == "json" else _wire.from_xml
    what = f"not {'an XML' if fmt == 'xml' else 'a JSON'} {name}"
    if not data.strip():
        _usage(f"--body {source}: {what}: it is empty")
    try:
        return decode(data, model)
    except DecodeError as exc:
        told = str(exc).removeprefix(f"{name}: ")  # said once, not twice
        other = "xml" if data.lstrip().startswith(b"<") else "json"
        if other != fmt and data.lstrip()[:1] in (b"<", b"{", b"["):
            told += f"; it looks like {other.upper()}: add --format {other}"
        _usage(f"--body {source}: {what}: {told}")


def _as_options(exc: ParameterError, operation: Operation) -> str:
    """The client's ParameterError told in the command line's terms: the arguments it names
    (``delivery_method``, ``filter``) as the options that set them (``--delivery-method``)."""
    names = sorted((arg.name for arg in _parameters(operation)), key=len, reverse=True)
    if not names:
        return f"{type(exc).__name__}: {exc}"
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?!\w)")

    def options(text: str) -> str:
        return pattern.sub(lambda found: "--" + found.group(1).replace("_", "-"), text)

    told = str(exc)
    got = told[len(f"{exc.name}: {exc.reason}") :]  # " (got ...)": the value, as it was
    if isinstance(exc.value, BillectaEnum):  # converted from the option's text: show that
        got = f" (got {exc.value.value!r})"
    return f"argument {options(exc.name)}: {options(exc.reason)}{got}"


async def call(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Send the method of ``args.operation`` with ``args.values`` and print its answer."""
    operation: Operation = args.operation
    fmt = _chosen_format(args, environ)
    output: str | None = args.output
    if operation.binary and output is None and sys.stdout.isatty():
        _usage(
            "the answer is a file: write it with --output FILE (--output - prints it to the "
            "terminal anyway)"
        )
    if output not in (None, "-"):
        _output.check_writable(output)
    body = _read_body(operation, args.body, fmt) if args.body is not None else None
    settings = _connect.overrides(environ, timeout=args.timeout, deadline=args.deadline)
    settings["format"] = fmt
    values = dict(args.values)
    async with AsyncExitStack() as stack:
        if args.emulator:
            client, emulator = await _connect.emulator_client(stack, environ, **settings)
            creditor: str | None = emulator.creditor_public_id
        elif not _connect.has_credentials(environ):
            _usage(
                "no Billecta credentials: set BILLECTA_SECURE_TOKEN, or BILLECTA_USERNAME and "
                "BILLECTA_PASSWORD (or try it with --emulator)"
            )
        else:
            client = await stack.enter_async_context(_connect.client(environ, **settings))
            variable = environ.get("BILLECTA_CREDITOR_PUBLIC_ID")
            creditor = (
                _connect.checked_creditor(variable, "BILLECTA_CREDITOR_PUBLIC_ID")
                if variable
                else None
            )
        if creditor is not None:
            if any(a.name == CREDITOR and not a.optional for a in _parameters(operation)):
                values.setdefault(CREDITOR, creditor)
            for item in body if isinstance(body, list) else [body]:
                if isinstance(item, Model) and getattr(item, CREDITOR, creditor) is None:
                    setattr(item, CREDITOR, creditor)
        body_arg = operation.body
        if body_arg is not None:
            values[body_arg.name] = body
        method = getattr(getattr(client, operation.resource), operation.name)
        try:
            result = method(**values)
            if isinstance(result, BinaryResponse):
                async with result.stream() as stream:
                    await _output.write_stream(stream, output)
                return ExitCode.OK
            answer = await result
        except ParameterError as exc:  # raised before anything is sent
            _usage(_as_options(exc, operation))
        except EncodeError as exc:
            _usage(f"{type(exc).__name__}: {exc}")
    if answer is not None:
        _output.write(_output.encode(answer, operation.response_model(), fmt), output)
    return ExitCode.OK
