"""Shared fixtures: the project's paths, the real source, and a CLI runner."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renstra import cli  # noqa: E402

REAL_SOURCE = ROOT / "source" / "misi-magelang-utara.yaml"
SEED = ROOT / "tests" / "data" / "seed.txt"  # copy of the seed in shared/seeds, so a lone clone tests too


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def without_markers(text: str) -> str:
    """Text without list and heading markers ('1.', 'a.'): the seed types them, the outputs
    number lists themselves, so only the words are compared."""
    return " ".join(w for w in text.split() if not re.fullmatch(r"(?:\d+|[a-z])[.)]", w))


def seed_content() -> str:
    """The seed's title (line 3) and body (line 5); line 1 is the date, printed as
    'Magelang, 3 Maret 2013', and the last two lines are web-page furniture."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return without_markers(lines[2] + " " + lines[4])


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
