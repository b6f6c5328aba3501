"""The SDK works installed from its wheel with only bytecode: the runtime catalogue is package
data, and nothing (the emulator included) reads source code.

The wheel is built from a copy of the project's sources with the test environment's
setuptools (no network; with a C compiler, the codecs' C extension is built into it),
installed into a fresh venv with pip, compiled to bytecode next to the modules and stripped of
every ``.py``; the venv sees the test environment's site-packages for the dependencies only. A
script there starts the emulator and calls it with both clients.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import asyncio, json, pathlib, sys
import billecta_async
from billecta_async import BillectaClient, SyncBillectaClient, models as m
from billecta_async.testing import BillectaEmulator

package = pathlib.Path(billecta_async.__file__).parent
sources = [str(p) for p in package.rglob("*.py")]

async def main():
    async with BillectaEmulator() as emulator:
        async with emulator.client("xml") as client:
            created = await client.debtors.create(
                m.Debtor(creditor_public_id=emulator.creditor_public_id, name="Jenny Doe")
            )
            debtor = await client.debtors.get(created.public_id)
        url, token = emulator.url, emulator.secure_token
        def blocking():
            with SyncBillectaClient(secure_token=token, base_url=url) as client:
                return [d.name for d in client.debtors.list(emulator.creditor_public_id)]
        names = await asyncio.to_thread(blocking)
    return debtor.name, names

name, names = asyncio.run(main())
print(json.dumps({
    "module": billecta_async.__file__, "sources": sources, "name": name, "names": names,
    "catalogue": (package / "_catalogue.json").is_file(),
    "native": __import__("billecta_async._wire._native", fromlist=["_"]).AVAILABLE,
}))
"""


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )
    assert out.returncode == 0, f"{args}:\n{out.stdout}\n{out.stderr}"
    return out.stdout


def test_the_wheel_works_from_bytecode_only(tmp_path: Path) -> None:
    pytest.importorskip("setuptools", reason="building the wheel needs setuptools")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "billecta_async",
        source / "billecta_async",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "*.pyd"),
    )
    dist = tmp_path / "dist"
    built = _run(
        sys.executable,
        "-c",
        f"import setuptools.build_meta as b; print(b.build_wheel({str(dist)!r}))",
        cwd=source,
    )
    wheel = dist / built.strip().splitlines()[-1]
    assert wheel.is_file()

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip = (sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps")
    _run(*pip, "--no-compile", wheel)  # compiled below, next to the modules
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    installed = site / "billecta_async"
    assert (installed / "_catalogue.json").is_file()
    _run(python, "-m", "compileall", "-q", "-b", installed)  # bytecode next to each module
    for path in installed.rglob("*.py"):
        path.unlink()
    for cache in installed.rglob("__pycache__"):
        shutil.rmtree(cache)
    # The dependencies (aiohttp, lxml, ...) come from the test environment; its .pth files
    # (e.g. an editable install of this project) are not processed from there.
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "test-dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n")

    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
    }
    result = json.loads(_run(python, "-c", SCRIPT, cwd=tmp_path, env=env).splitlines()[-1])
    assert result["module"] == str(installed / "__init__.pyc")
    assert result["sources"] == []
    assert result["catalogue"] is True
    assert result["name"] == "Jenny Doe"
    assert result["names"] == ["Jenny Doe"]
    compiler = (sysconfig.get_config_var("CC") or "").split()[:1]
    if os.environ.get("CI") or (compiler and shutil.which(compiler[0])):
        assert result["native"] is True  # the wheel was built with the codecs' C extension
