"""Where ``billecta call`` puts an answer: encoded in JSON or XML, or a file's bytes; to stdout
or to ``--output FILE`` (written whole or not at all), with download progress on a terminal."""

from __future__ import annotations

import os
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import orjson

from billecta_async._cli._main import CommandError, ExitCode
from billecta_async._streaming import ByteStream
from billecta_async._wire import Model

#: Seconds a download runs before its progress shows: a short one prints nothing.
PROGRESS_DELAY = 0.5
#: Seconds between two updates of the progress line.
PROGRESS_INTERVAL = 0.1


def encode(answer: Any, model: Any, fmt: str) -> bytes:
    """The answer as the SDK's codecs encode it in ``fmt``, indented, ending in a newline."""
    from billecta_async import _wire

    if fmt == "json":
        data = answer.to_json() if isinstance(answer, Model) else _wire.to_json(answer, model)
        return orjson.dumps(orjson.loads(data), option=orjson.OPT_INDENT_2) + b"\n"
    data = answer.to_xml() if isinstance(answer, Model) else _wire.to_xml(answer, model)
    from lxml import etree

    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


def check_writable(path: str) -> None:
    """Refuse an ``--output`` whose folder does not exist, before anything is sent."""
    folder = Path(path).parent
    if not folder.is_dir():
        raise CommandError(f"--output {path}: no folder {str(folder)!r}", ExitCode.USAGE)
    if Path(path).is_dir():
        raise CommandError(f"--output {path}: is a folder", ExitCode.USAGE)


@contextmanager
def _opened(path: str | None) -> Iterator[BinaryIO]:
    """stdout (``None`` or ``-``), or ``path`` through a temporary file next to it that
    replaces it once complete: a failed or interrupted write leaves no partial file."""
    if path is None or path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    try:
        with open(partial, "xb") as out:
            yield out
        os.replace(partial, target)
    except BaseException as exc:
        with suppress(OSError):
            partial.unlink()
        if isinstance(exc, OSError):
            raise CommandError(f"--output {path}: {exc.strerror or exc}") from None
        raise


def silence_stdout() -> None:
    """Point stdout at the null device, once its reader has gone: the interpreter's final flush
    then neither fails nor prints a traceback."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def write(data: bytes, path: str | None) -> None:
    """``data`` to stdout or to ``path``."""
    with _opened(path) as out:
        out.write(data)


async def write_stream(stream: ByteStream, path: str | None) -> int:
    """A binary answer to stdout or to ``path`` as it arrives; the bytes written."""
    progress = Progress(sys.stderr, stream.content_length)
    with _opened(path) as out:
        async for chunk in stream.iter_chunks():
            out.write(chunk)
            progress.advance(len(chunk))
    progress.finish()
    return progress.received


def _size(count: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if count < 1024:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GiB"


class Progress:
    """A download's progress on one line of a terminal: the bytes received, and the percentage
    when the length is known. Nothing unless ``stream`` is a terminal and the download has run
    :data:`PROGRESS_DELAY` seconds."""

    def __init__(
        self,
        stream: TextIO,
        total: int | None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.total = total
        self.received = 0
        self.clock = clock
        self.enabled = stream.isatty()
        self.started = clock()
        self.shown_at: float | None = None
        self.width = 0

    def line(self) -> str:
        text = f"downloaded {_size(self.received)}"
        if self.total:
            percent = min(100, self.received * 100 // self.total)
            text += f" of {_size(self.total)} ({percent}%)"
        return text

    def _show(self) -> None:
        text = self.line()
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def advance(self, count: int) -> None:
        self.received += count
        if not self.enabled:
            return
        now = self.clock()
        due = (
            now - self.started >= PROGRESS_DELAY
            if self.shown_at is None
            else now - self.shown_at >= PROGRESS_INTERVAL
        )
        if due:
            self.shown_at = now
            self._show()

    def finish(self) -> None:
        """The final count, and the end of the line (only if progress was shown)."""
        if self.shown_at is not None:
            self._show()
            self.stream.write("\n")
            self.stream.flush()
