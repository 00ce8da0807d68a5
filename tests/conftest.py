"""Shared fixtures: the project's paths, the real source, and a CLI runner."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The messages' English is their id and what the tests compare; Indonesian, the default, is tested
# apart (test_messages.py). Set here so that every command a test starts inherits it.
os.environ["LANGUAGE"] = "en"

from renstra import cli  # noqa: E402

REAL_SOURCE = ROOT / "source" / "misi-magelang-utara.yaml"
SEED = ROOT / "tests" / "data" / "seed.txt"  # copy of the seed in shared/seeds, so a lone clone tests too


def require(program: str, package: str) -> None:
    """Skip the calling test when an external program is absent (a bare office machine has
    neither LibreOffice nor poppler); CI installs both and fails on any skip."""
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed (Debian package {package})")


def libreoffice_pdf(documents, out: Path, profile: Path, timeout: int = 300) -> list[Path]:
    """Each DOCX rendered to PDF by LibreOffice (skipping the test if it is absent), with a
    profile of its own so that runs never share state; the PDFs' paths, in order."""
    require("soffice", "libreoffice-writer-nogui")
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                           "pdf", "--outdir", str(out), *map(str, documents)],
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return [out / f"{Path(document).stem}.pdf" for document in documents]


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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


# --- reading the outputs back: shared by the DOCX, hardening and property tests -----------------

def part(path: Path, name: str):
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def letters(number: int) -> str:
    """Word's lowerLetter: a ... z, then aa, bb ... zz, then aaa."""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


class ListLabels:
    """The number Word shows before each list paragraph, computed from numbering.xml."""

    def __init__(self, numbering):
        self.formats = {}
        for abstract in numbering.findall("w:abstractNum", NS):
            levels = {}
            for level in abstract.findall("w:lvl", NS):
                levels[int(level.get(W + "ilvl"))] = (level.find("w:numFmt", NS).get(W + "val"),
                                                      level.find("w:lvlText", NS).get(W + "val"))
            self.formats[abstract.get(W + "abstractNumId")] = levels
        self.nums = {}
        for num in numbering.findall("w:num", NS):
            starts = {int(o.get(W + "ilvl")): int(o.find("w:startOverride", NS).get(W + "val"))
                      for o in num.findall("w:lvlOverride", NS) if o.find("w:startOverride", NS) is not None}
            self.nums[num.get(W + "numId")] = (num.find("w:abstractNumId", NS).get(W + "val"), starts)
        self.counters = {}

    def label(self, num_id: str, level: int) -> str:
        abstract, starts = self.nums[num_id]
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, starts.get(level, 1) - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]  # a higher level restarts the levels below it
        fmt, text = self.formats[abstract][level]
        for k in range(level + 1):
            value = counters.get(k, 1)
            shown = letters(value) if self.formats[abstract][k][0] == "lowerLetter" else str(value)
            text = text.replace(f"%{k + 1}", shown)
        return text


def paragraph_text(p) -> str:
    out = []
    for node in p.iter(W + "t", W + "tab", W + "br"):
        out.append(node.text or "" if node.tag == W + "t" else " ")
    return "".join(out)


def docx_blocks(path: Path):
    """(kind, text) of each body paragraph and table, list labels included, in document order."""
    labels = ListLabels(part(path, "word/numbering.xml"))
    body = part(path, "word/document.xml").find("w:body", NS)
    for block in body:
        if block.tag == W + "p":
            text = paragraph_text(block)
            numbering = block.find("w:pPr/w:numPr", NS)
            if numbering is not None:
                text = labels.label(numbering.find("w:numId", NS).get(W + "val"),
                                    int(numbering.find("w:ilvl", NS).get(W + "val"))) + " " + text
            yield "p", text
        elif block.tag == W + "tbl" and block.find("w:tblPr/w:tblStyle", NS) is None:
            for p in block.iter(W + "p"):  # the letterhead: a layout table, read as its lines
                if paragraph_text(p):
                    yield "p", paragraph_text(p)
        elif block.tag == W + "tbl":
            rows = []
            for row in block.findall("w:tr", NS):
                rows.append([" ".join(paragraph_text(p) for p in cell.findall("w:p", NS))
                             for cell in row.findall("w:tc", NS)])
            yield "table", rows


def normal(text: str) -> str:
    text = re.sub(r"(?:\s*\.){3,}\s", " ", text)  # dot leaders of the table of contents
    return " ".join(text.split())


def docx_text(path: Path, tables: bool = True) -> str:
    parts = []
    for kind, content in docx_blocks(path):
        if kind == "p":
            parts.append(content)
        elif tables:
            parts.extend(" ".join(row) for row in content)
    return normal(" ".join(parts))


def pdf_pages(path: Path, tables: bool = True) -> list[str]:
    """Each page's text without its page number; with tables=False, text outside tables only."""
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            # The footer's page number sits in the bottom margin (2.5 cm at least), below all text;
            # told by place, not by look, as a body page may end in a number and the first page
            # may be numbered (no cover). Only letters are dropped there: a table that fills the
            # page draws its bottom border on the margin's edge, and a lost border loses the table.
            footer_top = page.height - 2.5 * 72 / 2.54
            page = page.filter(lambda o: o.get("object_type") != "char" or o.get("top", 0) < footer_top)
            if not tables:
                boxes = [t.bbox for t in page.find_tables()]
                page = page.filter(lambda o: not any(
                    b[0] <= (o.get("x0", 0) + o.get("x1", 0)) / 2 <= b[2] and b[1] <= (o.get("top", 0) + o.get("bottom", 0)) / 2 <= b[3]
                    for b in boxes))
            pages.append(page.extract_text() or "")
    return pages


def pdf_text(path: Path, tables: bool = True) -> str:
    return normal(" ".join(pdf_pages(path, tables)))



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


def pytest_terminal_summary(terminalreporter):
    """The page parity figures of tests/test_parity.py, when it ran."""
    parity = sys.modules.get("test_parity")
    if parity is not None and parity.REPORT:
        terminalreporter.section("page parity: PDF against the DOCX in LibreOffice")
        for line in parity.REPORT:
            terminalreporter.write_line(line)
