"""Reporting: the benchmark's Markdown, its tables, and how figures are written in it."""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from measure import PY


@dataclass
class Report:
    sections: list[tuple[str, list[list[str]], list[str]]] = field(default_factory=list)

    def section(self, title: str, rows: list[list[str]], notes: list[str] | None = None) -> None:
        self.sections.append((title, rows, notes or []))
        print(f"\n## {title}\n" + _table(rows) + "".join(f"\n{n}" for n in notes or []), flush=True)

    def markdown(self, header: str) -> str:
        parts = [header]
        for title, rows, notes in self.sections:
            parts.append(f"## {title}\n\n{_table(rows)}")
            if notes:
                parts.append("\n\n".join(notes))
        return "\n\n".join(parts) + "\n"


def _table(rows: list[list[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in body])


def s(seconds: float) -> str:
    return f"{seconds:.3f} s"


def mib(size: int) -> str:
    return f"{size / 1024 ** 2:.0f} MiB"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        ram = f"{kib / 1024 ** 2:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    versions = subprocess.run([PY, "-c", "import importlib.metadata as m; print(m.version('weasyprint'), "
                                         "m.version('python-docx'), m.version('pydantic'))"],
                              capture_output=True, text=True).stdout.split()
    python = subprocess.run([PY, "-c", "import platform; print(platform.python_version())"],
                            capture_output=True, text=True).stdout.strip()
    return [f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {ram}; load average at start "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            f"- {platform.system()} {platform.release()}; Python {python}; WeasyPrint {versions[0]}; "
            f"python-docx {versions[1]}; pydantic {versions[2]}",
            f"- pandoc: {tool_version(['pandoc', '--version']) or 'not installed'}; "
            f"LibreOffice: {tool_version(['soffice', '--version']) or 'not installed'}",
            f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}"]


def tool_version(cmd: list[str]) -> str | None:
    if not shutil.which(cmd[0]):
        return None
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else None


def _trim_tree(text: str, limit: int = 45) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "main" in line and "cli.py" in line), 0)
    return "\n".join(lines[start:start + limit])
