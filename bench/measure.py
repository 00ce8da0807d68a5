"""Measuring: run a command in turns with others, take medians of wall time and peak memory."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
REAL = ROOT / "source" / "misi-magelang-utara.yaml"


class BenchError(Exception):
    """A measured command failed; the benchmark stops with its output."""


@dataclass
class Timing:
    """Wall times (s) and peak resident memory (bytes) of repeated runs of one command."""

    label: str
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)
    stderr: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak(self) -> int:
        return max(self.peaks) if self.peaks else 0


def run_once(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, int, str]:
    """Run a command; return wall seconds, the peak memory of it and its children, and stderr."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        # wait4 gives this child's own resource use (ru_maxrss in KiB on Linux), unlike
        # RUSAGE_CHILDREN, which is the maximum over every child the benchmark ever waited for.
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise BenchError(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{stderr[-3000:]}")
    return elapsed, usage.ru_maxrss * 1024, stderr


def measure(label: str, cmd: list, runs: int, warmup: int = 1, cwd=None, env=None, before=None) -> Timing:
    """Median-ready timings of a command; `before` runs (untimed) ahead of every run."""
    cmd = [str(c) for c in cmd]
    timing = Timing(label)
    for n in range(warmup + runs):
        if before:
            before()
        elapsed, peak, stderr = run_once(cmd, cwd, env)
        if n >= warmup:
            timing.times.append(elapsed)
            timing.peaks.append(peak)
        timing.stderr = stderr
    _show(timing)
    return timing


def measure_together(cases: dict[str, list], runs: int, warmup: int = 1, envs: dict | None = None,
                     cwd=None, before=None) -> dict:
    """Timings of several commands run in turns (a, b, c, a, b, c, ...), so that a change in the
    machine's load falls on all of them alike and their ratios stay fair; `before` runs
    (untimed) ahead of every command."""
    timings = {label: Timing(label) for label in cases}
    for n in range(warmup + runs):
        for label, cmd in cases.items():
            if before:
                before()
            elapsed, peak, stderr = run_once([str(c) for c in cmd], cwd, env=(envs or {}).get(label))
            if n >= warmup:
                timings[label].times.append(elapsed)
                timings[label].peaks.append(peak)
            timings[label].stderr = stderr
    for timing in timings.values():
        _show(timing)
    return timings


def _show(timing: Timing) -> None:
    print(f"  {timing.label}: median {timing.median:.3f} s of {len(timing.times)} "
          f"({', '.join(f'{t:.3f}' for t in timing.times)})", flush=True)


def child_json(cmd: list, env=None) -> dict:
    """Run a helper script and read the JSON it prints on its last line."""
    out = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise BenchError(f"{' '.join(map(str, cmd))} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def build_cmd(sources, out: Path, formats: str | None = None) -> list:
    cmd = [PY, ROOT / "build.py", "build", *sources, "--out", out]
    return cmd + (["--formats", formats] if formats else [])


def variant_cmd(variant: str, sources, out: Path, formats: str | None = None) -> list:
    """build_cmd with one thing changed (bench/variant.py)."""
    return [PY, ROOT / "bench" / "variant.py", variant, *build_cmd(sources, out, formats)[2:]]


def page_count(pdf: Path) -> int:
    """Pages of a PDF, read in a child process: reading a large PDF here would grow this process,
    and Linux reports a child's peak memory as at least its parent's at the time it started."""
    return child_json([PY, "-c", "import json, sys, pypdf; print(len(pypdf.PdfReader(sys.argv[1]).pages))", pdf])


def imported_packages(argv: list[str]) -> set[str]:
    """Top-level modules loaded by one CLI command in a fresh process."""
    code = ("import contextlib, io, json, sys; sys.path.insert(0, sys.argv[1]); "
            "from renstra.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()): code = main(sys.argv[2:])\n"
            "print(json.dumps([code, sorted({m.split('.')[0] for m in sys.modules})]))")
    code_and_modules = child_json([PY, "-c", code, ROOT, *argv])
    if code_and_modules[0] != 0:
        raise BenchError(f"build.py {' '.join(argv)} exited {code_and_modules[0]}")
    return set(code_and_modules[1])


def heaviest_imports(count: int = 8) -> list[tuple[str, float]]:
    """Import time of `build.py check` by top-level package (each module's own time), in ms."""
    out = subprocess.run([PY, "-X", "importtime", ROOT / "build.py", "check", REAL], capture_output=True, text=True)
    totals: dict[str, float] = {}
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, _, name = line[len("import time:"):].split("|")
        name = name.strip()
        # Our modules by name (renstra.model builds the pydantic classes); others by package.
        key = name if name.startswith("renstra") else name.split(".")[0]
        totals[key] = totals.get(key, 0) + int(own) / 1000
    return sorted(totals.items(), key=lambda kv: -kv[1])[:count]
