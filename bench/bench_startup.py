"""Start-up benchmark: what importing the SDK costs a fresh interpreter.

    python bench/bench_startup.py [--runs 21] [--importtime CASE]

Each case runs ``python -c CODE`` in a fresh interpreter; the cases are interleaved, ``--runs``
rounds, and the wall time of each process is reported as best and median, and over the bare
interpreter (``pass``); the CPU time (user + system) of each process is reported the same way,
as it is steadier than wall time on a busy machine. The targets:

* a model imported and encoded (``model+encode``): <= 50 ms over the bare interpreter;
* ``import billecta_async``: <= aiohttp's own import + 15 ms.

``pytest`` cases time a collection-only pytest run (``--co``) of one trivial test in a temporary
directory, with the SDK's pytest plugin (registered through its ``pytest11`` entry point) and
without it (``-p no:...``): what installing the SDK costs every pytest run of a project.

``--importtime CASE`` prints the 15 largest cumulative entries of ``python -X importtime`` for one
case instead.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLUGIN = "billecta_async.testing.pytest_plugin"

CASES: dict[str, str] = {
    "bare": "pass",
    "aiohttp": "import aiohttp",
    "import billecta_async": "import billecta_async",
    "model+encode": (
        "from billecta_async.models import Debtor\nDebtor(name='Jenny Doe', org_no='1').to_json()"
    ),
    "model+encode xml": (
        "from billecta_async.models import Debtor\nDebtor(name='Jenny Doe', org_no='1').to_xml()"
    ),
    "parse_webhook": "from billecta_async.webhooks import parse_webhook",
    "BillectaClient": "from billecta_async import BillectaClient",
}

TRIVIAL_TEST = "def test_nothing():\n    assert True\n"

#: The environment of every measured process: bytecode is written (by the warm-up round) and
#: used, as in an installed package; without it every changed module would be compiled anew.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(argv: list[str], cwd: str | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one process, in seconds."""
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run(
        argv, check=True, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start, _cpu() - cpu


def _pytest_cases() -> dict[str, list[str]]:
    base = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider"]
    return {
        "pytest with the plugin": base,
        "pytest without the plugin": [*base, "-p", f"no:{PLUGIN}"],
    }


def run(runs: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall times and CPU times of every case, by case."""
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, "test_trivial.py").write_text(TRIVIAL_TEST, encoding="utf-8")
        commands = {name: [sys.executable, "-c", code] for name, code in CASES.items()}
        commands.update(_pytest_cases())
        for argv in commands.values():  # warm the file system caches
            _time(argv, directory)
        for _ in range(runs):
            for name, argv in commands.items():
                wall, used = _time(argv, directory)
                times.setdefault(name, []).append(wall)
                cpu.setdefault(name, []).append(used)
    return times, cpu


def _table(title: str, times: dict[str, list[float]]) -> dict[str, float]:
    """Print best and median of every case, and over bare; returns the median over bare."""
    bare = times["bare"]
    best_bare, median_bare = min(bare) * 1e3, statistics.median(bare) * 1e3
    print(f"{title:28} {'best ms':>8} {'median':>8} {'over bare: best':>16} {'median':>8}")
    over: dict[str, float] = {}
    for name, values in times.items():
        best, median = min(values) * 1e3, statistics.median(values) * 1e3
        over[name] = median - median_bare
        print(f"{name:28} {best:8.1f} {median:8.1f} {best - best_bare:16.1f} {over[name]:8.1f}")
    print()
    return over


def report(times: dict[str, list[float]], cpu: dict[str, list[float]]) -> int:
    over = _table("wall time", times)
    _table("CPU time (user + system)", cpu)
    failed = 0
    model = over["model+encode"]
    print(f"model+encode over bare (median wall time): {model:.1f} ms (target <= 50)")
    failed += model > 50
    package, aiohttp = over["import billecta_async"], over["aiohttp"]
    print(
        f"import billecta_async over bare (median): {package:.1f} ms; aiohttp alone {aiohttp:.1f} "
        f"ms (target <= aiohttp + 15 = {aiohttp + 15:.1f})"
    )
    failed += package > aiohttp + 15
    plugin = times["pytest with the plugin"]
    without = times["pytest without the plugin"]
    print(
        f"pytest --co start-up, median: {statistics.median(plugin) * 1e3:.1f} ms with the plugin, "
        f"{statistics.median(without) * 1e3:.1f} ms without"
    )
    return 1 if failed else 0


def importtime(case: str) -> None:
    """The largest cumulative import times (microseconds) of one case."""
    code = CASES[case]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env=ENV,
    )
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    for cumulative, module in sorted(rows, reverse=True)[:15]:
        print(f"{cumulative / 1e3:8.1f} ms {module}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--importtime", choices=sorted(CASES), default=None)
    args = parser.parse_args()
    if args.importtime:
        importtime(args.importtime)
        return 0
    return report(*run(args.runs))


if __name__ == "__main__":
    sys.exit(main())
