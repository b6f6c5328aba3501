"""A real Redis for the tests: ``BILLECTA_TEST_REDIS_URL`` if set, else a ``redis-server`` of the
tests' own on a free port (the binary must be on PATH). Without either the tests that need Redis
skip, saying why; with ``CI`` set they fail instead.

Also: worker processes for the multi-process tests, and waiting for them without blocking the
event loop that serves them. Workers are real OS processes, forked from a fresh interpreter
(multiprocessing's forkserver) that imported the SDK once: each starts in milliseconds instead
of re-importing everything, and none inherits the test's event loop or threads.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from multiprocessing.context import ForkServerProcess
from typing import Any

import pytest
import redis

URL_VARIABLE = "BILLECTA_TEST_REDIS_URL"
PROCESSES = multiprocessing.get_context("forkserver")
PROCESSES.set_forkserver_preload(["billecta_async.redis", "_redis_workers"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def unavailable(reason: str) -> None:
    """Skip the test for ``reason``, or fail it in CI (where Redis must be there)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: Redis is required)")
    pytest.skip(reason)


class RedisServer:
    """A ``redis-server`` process on 127.0.0.1 at a free port, without persistence."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            unavailable(f"no redis-server on PATH and {URL_VARIABLE} is not set")
        self.binary = str(binary)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = tempfile.TemporaryDirectory(prefix="billecta-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), *options, "--dir", self._dir.name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while True:
            try:
                if redis.Redis.from_url(self.url, socket_timeout=1).ping():
                    return self
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    unavailable(f"redis-server did not start on port {self.port}")
                time.sleep(0.02)

    def pause(self) -> None:
        """Stop the process without closing its sockets: Redis hangs."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)
        self._dir.cleanup()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The URL of a Redis the tests may write to (under their own prefixes)."""
    url = os.environ.get(URL_VARIABLE)
    if url:
        try:
            redis.Redis.from_url(url, socket_timeout=2).ping()
        except redis.RedisError as exc:
            unavailable(f"{URL_VARIABLE}={url} does not answer: {exc}")
        yield url
        return
    server = RedisServer().start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    """A Redis of this test's own, which it may stop or pause."""
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    name = f"test-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    keys = list(client.scan_iter(f"{name}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def keys_of(redis_url: str, prefix: str) -> list[str]:
    client = redis.Redis.from_url(redis_url, socket_timeout=5, decode_responses=True)
    try:
        return sorted(client.scan_iter(f"{prefix}:*", count=1000))
    finally:
        client.close()


class Processes:
    """Worker processes reporting on one queue."""

    def __init__(self) -> None:
        self.queue: Any = PROCESSES.Queue()
        self.go = PROCESSES.Event()
        self.stop = PROCESSES.Event()
        self.processes: list[ForkServerProcess] = []

    def start(self, target: Callable[..., None], *args: Any) -> ForkServerProcess:
        process = PROCESSES.Process(target=target, args=(self.queue, self.go, self.stop, *args))
        process.start()
        self.processes.append(process)
        return process

    async def get(self, timeout: float = 60) -> Any:
        """The next report of any worker (``TimeoutError`` after ``timeout`` real seconds)."""
        return await asyncio.to_thread(self.queue.get, True, timeout)

    async def reports(self, kind: str, count: int, timeout: float = 60) -> list[dict[str, Any]]:
        """``count`` reports of ``kind`` (a worker that failed reports ``error``: raised)."""
        found: list[dict[str, Any]] = []
        while len(found) < count:
            report = await self.get(timeout)
            if report["kind"] == "error":
                raise AssertionError(f"a worker failed:\n{report['traceback']}")
            if report["kind"] == kind:
                found.append(report)
        return found

    async def join(self, timeout: float = 60) -> None:
        """Wait for every worker to exit on its own; one still running after ``timeout`` s
        is a hang: killed, and the test fails."""
        deadline = time.monotonic() + timeout
        for process in self.processes:
            await asyncio.to_thread(process.join, max(0.1, deadline - time.monotonic()))
        hung = [p.pid for p in self.processes if p.is_alive()]
        self.close()
        assert not hung, f"worker processes {hung} did not finish within {timeout} s"

    def close(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
            process.join(10)
        self.queue.close()
        self.queue.join_thread()


@pytest.fixture
def processes() -> Iterator[Processes]:
    workers = Processes()
    try:
        yield workers
    finally:
        workers.close()
