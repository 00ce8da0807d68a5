"""The PDF engine's own process (engine.py): the same files as one process, and every way it can
fail reported as the build reports it, with nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from conftest import REAL_SOURCE, ROOT
from renstra import cli, pdf
from renstra.engine import PdfEngine
from renstra.errors import RenstraError
from renstra.pdf import ResourceRefused

SOURCES = [REAL_SOURCE, *sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))]
CHAPTERED = ROOT / "tests" / "fixtures" / "bab-lengkap.yaml"


def test_build_py_writes_the_same_bytes_as_one_process(tmp_path):
    """build.py forks the engine; main() called in-process does not: every file is identical."""
    forked, alone = tmp_path / "forked", tmp_path / "alone"
    done = subprocess.run([sys.executable, "build.py", "build", *map(str, SOURCES), "--out", str(forked)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert cli.main(["build", *map(str, SOURCES), "--out", str(alone)]) == 0
    names = sorted(p.name for p in alone.iterdir())
    assert names == sorted(p.name for p in forked.iterdir()) and len(names) == 3 * len(SOURCES)
    assert [n for n in names if (forked / n).read_bytes() != (alone / n).read_bytes()] == []


def test_the_command_line_forks_the_engine_and_closes_it(tmp_path, monkeypatch):
    started, real_start = [], PdfEngine.start

    def start():
        started.append(real_start())
        return started[-1]

    monkeypatch.setattr(cli.PdfEngine, "start", staticmethod(start))
    assert cli.main(["build", str(CHAPTERED), "--out", str(tmp_path)], whole_process=True) == 0
    assert started and started[0] is not None
    with pytest.raises(ProcessLookupError):  # reaped: no process left behind
        os.kill(started[0].pid, 0)
    assert cli.main(["build", "--formats", "html,docx", str(CHAPTERED), "--out", str(tmp_path)],
                    whole_process=True) == 0
    assert len(started) == 1  # no PDF asked for: no engine


def built_files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_user_error_in_the_engine_stops_the_pdf_and_what_follows_it(tmp_path, monkeypatch):
    def refuse(job, pages_only=False, on_toc_pages=None):
        raise ResourceRefused("print.css: the stylesheet asks for a file outside the folders")

    monkeypatch.setattr(pdf, "lay_out_job", refuse)
    (tmp_path / "misi-magelang-utara.pdf").write_bytes(b"previous release")
    engine = PdfEngine.start()  # forked after the patch, so its process has it
    try:
        with pytest.raises(RenstraError, match="asks for a file outside the folders") as caught:
            cli.build(str(REAL_SOURCE), tmp_path, ["html", "pdf", "docx"], engine=engine)
    finally:
        engine.close()
    assert caught.value.exit_code == 1
    # As in one process: the HTML before it is written, the PDF kept as it was, no DOCX after it.
    assert built_files(tmp_path) == ["misi-magelang-utara.html", "misi-magelang-utara.pdf"]
    assert (tmp_path / "misi-magelang-utara.pdf").read_bytes() == b"previous release"


def test_a_bug_in_the_engine_is_an_internal_error_naming_it(tmp_path, monkeypatch):
    def broken(job, layout):
        raise TypeError("unsupported operand")

    monkeypatch.setattr(pdf, "job_pdf_bytes", broken)
    engine = PdfEngine.start()
    try:
        with pytest.raises(cli.InternalError) as caught:
            cli.build(str(REAL_SOURCE), tmp_path, ["pdf"], engine=engine)
    finally:
        engine.close()
    report = caught.value.report()
    assert "internal error while writing the PDF: TypeError: unsupported operand" in report
    monkeypatch.setenv("RENSTRA_DEBUG", "1")
    assert "in broken" in caught.value.report()  # the traceback from the engine's process
    assert built_files(tmp_path) == []


def test_an_engine_that_dies_is_reported_and_the_next_build_says_so_too(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "lay_out_job", lambda *args, **kwargs: os._exit(9))
    engine = PdfEngine.start()
    try:
        for _ in range(2):
            with pytest.raises(cli.InternalError, match=r"ended unexpectedly \(exit status 9\)"):
                cli.build(str(REAL_SOURCE), tmp_path, ["pdf", "docx"], engine=engine)
    finally:
        engine.close()
    assert built_files(tmp_path) == []


def test_a_failed_job_does_not_spoil_the_next(tmp_path, monkeypatch):
    real = pdf.lay_out_job

    def fails_for_the_seed(job, pages_only=False, on_toc_pages=None):
        if job.source_file.name == REAL_SOURCE.name:
            raise ResourceRefused("refused for this test")
        return real(job, pages_only, on_toc_pages)

    monkeypatch.setattr(pdf, "lay_out_job", fails_for_the_seed)
    engine = PdfEngine.start()
    try:
        with pytest.raises(RenstraError, match="refused for this test"):
            cli.build(str(REAL_SOURCE), tmp_path / "a", ["pdf", "docx"], engine=engine)
        written = cli.build(str(CHAPTERED), tmp_path / "b", ["pdf", "docx"], engine=engine)
    finally:
        engine.close()
    monkeypatch.setattr(pdf, "lay_out_job", real)
    assert cli.main(["build", str(CHAPTERED), "--formats", "pdf,docx", "--out", str(tmp_path / "c")]) == 0
    for path in written:
        assert path.read_bytes() == (tmp_path / "c" / path.name).read_bytes()


def test_closing_with_a_job_in_hand_ends_the_engine(tmp_path, monkeypatch):
    """An interrupted build: the engine is stopped mid-layout, not left running."""
    started_read, started_write = os.pipe()
    never_read, never_write = os.pipe()

    def endless(job, pages_only=False, on_toc_pages=None):
        os.write(started_write, b"x")  # the handshake: the job is in hand
        os.read(never_read, 1)  # blocks: nothing writes to this pipe
        raise AssertionError("unreachable")

    monkeypatch.setattr(pdf, "lay_out_job", endless)
    engine = PdfEngine.start()
    assert engine is not None, "pytest runs one thread here, so the engine can fork"
    engine.submit("a job")
    assert os.read(started_read, 1) == b"x"
    engine.close()
    with pytest.raises(ProcessLookupError):
        os.kill(engine.pid, 0)
    for end in (started_read, started_write, never_read, never_write):
        os.close(end)


def test_no_fork_while_threads_run():
    """A fork copies only the calling thread, with any lock another holds: one process then."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert PdfEngine.start() is None
    finally:
        release.set()
        other.join()


def test_no_fork_where_there_is_none(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert PdfEngine.start() is None


def test_weasyprint_loads_without_searching_for_libraries():
    """WeasyPrint's library names are tried by the system's loader alone (no ldconfig, no C
    compiler run per name); HarfBuzz's subsetter is still found and the search is put back."""
    probe = (
        "import ctypes.util, sys\n"
        "calls = []\n"
        "def search(name):\n"
        "    calls.append(name)\n"
        "    return None\n"
        "ctypes.util.find_library = search\n"
        "import renstra.pdf, weasyprint.text.ffi as ffi\n"
        "assert ctypes.util.find_library is search, 'the search was not put back'\n"
        "assert ffi.pango is not None and ffi.harfbuzz_subset is not None, 'a library was not found'\n"
        "print(len(calls))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"
    assert "HarfBuzz" not in done.stderr  # WeasyPrint warns when it falls back to fontTools


@pytest.mark.parametrize("command", ["build", "check", "archive", "schema"])
def test_a_build_loads_no_other_commands_code_before_it_forks(command):
    """Parsing a build's command line loads neither the model nor the archive (the diff, new and
    extract commands' modules): the engine is forked before them."""
    probe = ("import sys\n"
             "from renstra.cli import _parser\n"
             f"_parser('build.py', {command!r})\n"
             "print(sorted(m for m in sys.modules if m.startswith('renstra.')))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded = eval(done.stdout)
    for heavy in ("renstra.model", "renstra.archive", "renstra.compare", "renstra.scaffold",
                  "renstra.extract", "renstra.diagnostics"):
        assert heavy not in loaded


@pytest.mark.parametrize("command, option", [("diff", "--format"), ("new", "--nama"),
                                             ("extract", "--archive")])
def test_a_command_with_its_own_module_still_shows_and_parses_its_options(command, option):
    done = subprocess.run([sys.executable, "build.py", command, "--help"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "LANG": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert option in done.stdout
    listed = subprocess.run([sys.executable, "build.py", "--help"], cwd=ROOT,
                            capture_output=True, text=True)
    assert command in listed.stdout
