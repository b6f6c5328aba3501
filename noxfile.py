"""Project automation: `python -m nox` runs every default session (what CI runs)."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["codegen", "lint", "typecheck", "tests", "docs"]
nox.options.error_on_missing_interpreters = True

LINT = ["ruff==0.17.5"]
TYPECHECK = ["mypy==2.4.1"]


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (pytest)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting of the hand-written code."""
    session.install(*LINT)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the hand-written code."""
    session.install("-e", ".[test]", *TYPECHECK)
    session.run("mypy", "--strict")


@nox.session
def codegen(session: nox.Session) -> None:
    """The committed models and API surface are what `python -m codegen` generates (from
    schema/billecta.xsd, and schema/endpoints.json with its overrides)."""
    session.install("-e", ".[codegen]")
    session.run("python", "-m", "codegen", "--check")


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site (mkdocs.yml, docs/), built with --strict (a broken link or
    reference, or a page missing from the navigation, fails the build), then checked: every
    section and model has its page, no docstring markup shows raw. Written to site/ (or the
    directory given after --)."""
    session.install("-e", ".[docs]")
    site = session.posargs[0] if session.posargs else "site"
    env = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}  # plugins' banners
    session.run("mkdocs", "build", "--strict", "--site-dir", site, env=env)
    session.run("python", "docs/_scripts/check_site.py", site)


@nox.session
def regenerate(session: nox.Session) -> None:
    """Regenerate the models and the API surface (not run by default)."""
    session.install("-e", ".[codegen]")
    session.run("python", "-m", "codegen")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks, on demand (not run by default): the codecs beside pydantic, msgspec, xsdata."""
    session.install("-e", ".[bench]")
    session.run("python", "bench/bench_wire.py", *session.posargs)
    session.run("python", "bench/bench_streaming.py")


@nox.session
def bench_client(session: nox.Session) -> None:
    """Client requests/second against raw aiohttp on a local server, on demand."""
    session.install("-e", ".")
    session.run("python", "bench/bench_client.py", *session.posargs)


@nox.session
def bench_instructions(session: nox.Session) -> None:
    """The client's own work per request in CPU instructions (needs valgrind), on demand."""
    session.install("-e", ".")
    session.run("python", "bench/bench_instructions.py", *session.posargs)


@nox.session
def bench_startup(session: nox.Session) -> None:
    """Import and pytest start-up costs in fresh interpreters, on demand."""
    session.install("-e", ".[test]")
    session.run("python", "bench/bench_startup.py", *session.posargs)


@nox.session
def bench_redis(session: nox.Session) -> None:
    """Limits shared through Redis: latency added per call, a fleet's throughput; on demand."""
    session.install("-e", ".[redis]")
    session.run("python", "bench/bench_redis.py", *session.posargs)
