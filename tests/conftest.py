"""Shared fixtures: the project's paths, the real source, and a CLI runner."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renstra import cli  # noqa: E402

REAL_SOURCE = ROOT / "source" / "misi-magelang-utara.yaml"
SEED = ROOT / "tests" / "data" / "seed.txt"  # copy of the seed in shared/seeds, so a lone clone tests too


def pytest_addoption(parser):
    parser.addoption("--refresh-golden", action="store_true",
                     help="rewrite golden and expected-message files from the current output")


@pytest.fixture
def refresh(request) -> bool:
    return request.config.getoption("--refresh-golden")


@pytest.fixture
def run(capsys):
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    def runner(*argv: str):
        code = cli.main([str(a) for a in argv])
        out = capsys.readouterr()
        return code, out.out, out.err
    return runner
