"""Page parity: the PDF and the DOCX (as LibreOffice renders it, with Liberation Sans for Arial)
break their pages in the same places. For every fixture, the share of pages whose first line is
the same in both outputs, and the page counts; the figures are printed at the end of the run."""

from __future__ import annotations

import subprocess

import pytest

from conftest import REAL_SOURCE, ROOT, pdf_pages, require
from renstra.cli import build

SOURCES = [REAL_SOURCE] + sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))
GOAL = 0.9  # of all pages over all fixtures start alike
# What the test output reports (conftest.pytest_terminal_summary prints it).
REPORT: list[str] = []


def first_body_lines(pages: list[str]) -> list[str]:
    """Each page's first line of body text: a table's header rows repeated at the top of a page
    are skipped (lines the page before holds too), so a table page counts by its first row."""
    lines = [[" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in pages]
    firsts = []
    for number, page in enumerate(lines):
        before = set(lines[number - 1]) if number else set()
        firsts.append(next((line for line in page if line not in before), page[0] if page else ""))
    return firsts


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """Each source's PDF, and its DOCX converted to PDF by LibreOffice."""
    require("soffice", "libreoffice-writer-nogui")
    out = tmp_path_factory.mktemp("out")
    built = {source.stem: build(str(source), out, ["pdf", "docx"]) for source in SOURCES}
    rendered = tmp_path_factory.mktemp("lo")
    profile = tmp_path_factory.mktemp("profile")
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                           "pdf", "--outdir", str(rendered), *(str(docx) for _pdf, docx in built.values())],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return {name: (pdf_pages(pdf), pdf_pages(rendered / f"{name}.pdf")) for name, (pdf, _docx) in built.items()}


def test_pages_start_alike_in_the_pdf_and_in_word(both):
    alike_in_all = pages_in_all = 0
    unequal_counts = []
    for name, (printed, word) in both.items():
        alike = sum(a == b for a, b in zip(first_body_lines(printed), first_body_lines(word)))
        alike_in_all += alike
        pages_in_all += max(len(printed), len(word))
        if len(printed) != len(word):
            unequal_counts.append(name)
        REPORT.append(f"{name}: {alike} of {max(len(printed), len(word))} pages start alike; "
                      f"pages {len(printed)} (PDF) / {len(word)} (LibreOffice)")
    share = alike_in_all / pages_in_all
    REPORT.append(f"all fixtures: {alike_in_all} of {pages_in_all} pages start alike ({share:.0%}; goal {GOAL:.0%})")
    assert not unequal_counts, f"page counts differ: {unequal_counts}"
    assert share >= GOAL, "\n".join(REPORT)
