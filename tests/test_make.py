"""The Makefile, run for real in a copy of the project: incremental, -j safe, atomic, no-op is free."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REAL_SOURCE, ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")

NAMES = ["misi-kedua", "misi-ketiga", "misi-magelang-utara"]
EPOCH = "1700000000"


def make_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    return env


def make(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["make", "--no-print-directory", *args], cwd=project, env=make_env(),
                            capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def copy_project(target: Path) -> Path:
    """The tracked files (as they are in the working tree) plus the existing venv, linked."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    # Three sources: the real one and two copies (small, so the suite stays quick).
    shutil.copy2(REAL_SOURCE, target / "source" / "misi-kedua.yaml")
    shutil.copy2(REAL_SOURCE, target / "source" / "misi-ketiga.yaml")
    # Everything the build reads is older than what it will write, as after a checkout.
    past = time.time() - 3600
    for path in target.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, (past, past))
    return target


def outputs_of(project: Path) -> list[Path]:
    return sorted(p for p in (project / "output").iterdir())


def planned(project: Path, *args: str) -> set[tuple[str, str]]:
    """(format, source name) of every build `make -n` would run."""
    dry = make(project, "-n", *args).stdout
    return {(fmt, name) for formats_, name in re.findall(r"--formats ([\w,]+) source/([\w.-]+)\.yaml", dry)
            for fmt in formats_.split(",")}


def processes(project: Path, *args: str) -> int:
    """How many builds `make -n` would start."""
    return len(re.findall(r"build\.py build ", make(project, "-n", *args).stdout))


def formats(project: Path) -> list[str]:
    """What `make` builds by default."""
    return ["html", "pdf", "docx"]


def touch(path: Path) -> None:
    path.touch()
    now = time.time()
    os.utime(path, (now, now))


def up_to_date(project: Path) -> bool:
    """`make -q` over the output files themselves (the phony goals always count as to do)."""
    names = [str(p.relative_to(project)) for p in outputs_of(project)]
    return make(project, "-q", *names, check=False).returncode == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A copy of the project where `make -j2` has built every output of three sources."""
    project = copy_project(tmp_path_factory.mktemp("built"))
    result = make(project, "-j2")
    assert "output/ is up to date (3 sources)" in result.stdout
    return project


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A private copy of the built project, times kept, for a test that changes things."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def test_make_j2_builds_every_output_as_a_single_process_would(built, tmp_path):
    expected = {f"{name}.{suffix}" for name in NAMES for suffix in formats(built)}
    assert {p.name for p in outputs_of(built)} == expected  # no temporaries, no strays
    # At the same depth as output/, so the HTML's relative links are the same.
    reference = built / "reference"
    sources = sorted(str(p.relative_to(built)) for p in (built / "source").glob("*.yaml"))
    subprocess.run([sys.executable, "build.py", "build", "--out", "reference",
                    "--formats", ",".join(formats(built)), *sources],
                   cwd=built, env=make_env(), check=True, capture_output=True)
    try:
        for name in sorted(expected):
            assert (built / "output" / name).read_bytes() == (reference / name).read_bytes(), name
    finally:
        shutil.rmtree(reference)


def test_no_op_make_starts_no_python_and_says_so(project, tmp_path):
    marker = tmp_path / "python-started"
    tripwire = tmp_path / "python"
    tripwire.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    tripwire.chmod(0o755)
    result = make(project, f"PY={tripwire}")
    assert result.stdout == "output/ is up to date (3 sources)\n"
    assert not marker.exists()
    assert up_to_date(project)


@pytest.mark.parametrize("changed", ["renstra/templates/print.css", "renstra/templates/renstra.html.j2",
                                     "renstra/templates/fonts/LiberationSans-Regular.ttf",
                                     "renstra/templates/lambang.png", "renstra/render.py", "build.py",
                                     "requirements.txt"])
def test_changing_a_shared_input_rebuilds_every_output(project, changed):
    touch(project / changed)
    assert planned(project) == {(f, n) for f in formats(project) for n in NAMES}


def test_make_builds_each_stale_source_in_one_process(project):
    touch(project / "renstra" / "templates" / "print.css")
    assert processes(project) == len(NAMES)  # all three formats of each source, one process each
    assert planned(project) == {(f, n) for f in formats(project) for n in NAMES}
    assert processes(project, "pdf") == len(NAMES) and planned(project, "pdf") == {("pdf", n) for n in NAMES}


def test_changing_one_source_rebuilds_only_its_outputs(project):
    touch(project / "source" / "misi-kedua.yaml")
    assert planned(project) == {(f, "misi-kedua") for f in formats(project)}
    assert planned(project, "pdf") == {("pdf", "misi-kedua")}


def test_a_new_source_is_found_without_editing_the_makefile(project):
    shutil.copy2(REAL_SOURCE, project / "source" / "misi-keempat.yaml")
    assert planned(project) == {(f, "misi-keempat") for f in formats(project)}


def test_setting_up_the_venv_again_does_not_make_outputs_stale(project):
    # A venv of its own, so its stamp can be touched: as after `rm -rf .venv; make`.
    (project / ".venv").unlink()
    (project / ".venv").mkdir()
    (project / ".venv" / "bin").symlink_to(ROOT / ".venv" / "bin")
    touch(project / ".venv" / ".installed")
    assert up_to_date(project)
    assert planned(project) == set()


def test_make_sets_up_the_venv_when_it_is_missing(project):
    (project / ".venv").unlink()
    dry = make(project, "-n").stdout
    assert "-m venv .venv" in dry and "pip install" in dry and "-r requirements.txt" in dry
    assert "requirements-test.txt" not in dry  # an office's build installs no test tools
    assert "-r requirements-test.txt" in make(project, "-n", "test").stdout


def test_the_build_needs_nothing_of_the_test_set():
    """What requirements.txt pins is all a build imports: the test set holds no engine."""
    runtime = {line.split("==")[0].lower() for line in (ROOT / "requirements.txt").read_text().splitlines()
               if "==" in line}
    tests = {line.split("==")[0].lower() for line in (ROOT / "requirements-test.txt").read_text().splitlines()
             if "==" in line}
    assert not runtime & tests
    assert {"weasyprint", "python-docx", "pydantic", "jinja2", "pyyaml"} <= runtime
    assert {"pytest", "hypothesis", "pdfplumber", "pyinstrument"} <= tests


def test_a_failed_build_keeps_the_previous_outputs(project):
    before = {p.name: p.read_bytes() for p in outputs_of(project)}
    source = project / "source" / "misi-kedua.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace('versi: "1.0"', "versi: [1.0"),
                      encoding="utf-8")
    result = make(project, "-j2", check=False)
    assert result.returncode != 0
    assert re.search(r"source/misi-kedua\.yaml:\d+:\d+: ", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in outputs_of(project)} == before
    # Still out of date, so the next `make` tries again once the source is fixed.
    assert ("pdf", "misi-kedua") in planned(project)


def test_clean_removes_output_and_never_the_archive(project):
    kept = project / "archive" / "misi-kedua" / "MANIFEST.tsv"
    kept.parent.mkdir(parents=True)
    kept.write_text("kept\n")
    make(project, "clean")
    assert not (project / "output").exists()
    assert kept.read_text() == "kept\n"


def test_help_lists_every_target_with_one_line_each(project):
    lines = make(project, "help", "PY=/bin/false").stdout.splitlines()
    described = dict(re.findall(r"^  make ([a-z-]+) +(\S.*)$", "\n".join(lines), re.M))
    assert list(described) == ["all", "html", "pdf", "docx", "check", "preview", "test", "test-slow", "bench",
                               "archive", "verify-archive", "clean", "help"]
    assert "never the archive" in described["clean"]


def test_check_validates_every_source(project):
    result = make(project, "check")
    for name in NAMES:
        assert f"source/{name}.yaml: ok" in result.stdout


def test_make_archive_rebuilds_a_stale_pdf_then_archives_every_pdf(project):
    touch(project / "source" / "misi-kedua.yaml")
    first = make(project, "archive")
    assert "--formats pdf source/misi-kedua.yaml" in first.stdout
    assert "--formats pdf source/misi-magelang-utara.yaml" not in first.stdout
    for name in NAMES:
        folder = project / "archive" / name
        assert (folder / "MANIFEST.tsv").is_file()
        [pdf] = folder.glob("*.pdf")
        assert pdf.read_bytes() == (project / "output" / f"{name}.pdf").read_bytes()
    again = make(project, "archive")
    assert again.stdout.count("nothing to do") == 3
    assert "archive/: 3 archived files checked" in make(project, "verify-archive").stdout


def test_a_killed_build_leaves_the_previous_output_and_no_partial_file(project):
    target = project / "output" / "misi-kedua.html"
    before = target.read_bytes()
    source = project / "source" / "misi-kedua.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Magelang Utara", "Magelang Selatan"),
                      encoding="utf-8")
    # The build stops itself after writing half of the new file, waiting to be killed.
    stall = (
        "import os, sys, time\n"
        "import renstra.outputs as outputs\n"
        "from renstra import cli\n"
        "real_fdopen = os.fdopen\n"
        "class Half:\n"
        "    def __init__(self, out): self.out = out\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *exc): self.out.close()\n"
        "    def write(self, data):\n"
        "        self.out.write(data[: len(data) // 2]); self.out.flush()\n"
        "        print('half written', flush=True); time.sleep(60)\n"
        "outputs.os.fdopen = lambda fd, mode: Half(real_fdopen(fd, mode))\n"
        "cli.main(['build', '--formats', 'html', 'source/misi-kedua.yaml'])\n"
    )
    process = subprocess.Popen([str(project / ".venv" / "bin" / "python"), "-c", stall], cwd=project,
                               env=make_env(), stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "half written"
        [partial] = list((project / "output").glob(".misi-kedua.html.*.part"))
        assert 0 < partial.stat().st_size < len(before)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == before
    # The next build writes the new text and clears what the killed one left.
    make(project, "html")
    assert "Magelang Selatan" in target.read_text(encoding="utf-8")
    assert not list((project / "output").glob(".*"))


HOSTILE_NAMES = ["z`touch${IFS}PWNED1`.yaml", "a$(touch PWNED2).yaml", "b;touch PWNED3;.yaml", "catatan rapat.yaml",
                 "misi (salinan).yaml", "persen%.yaml", "titik:dua.yaml", "pagar#.yaml", "misi-kelima.yml",
                 "MISI.YAML", "misi-ü.yaml"]


def test_no_file_name_runs_a_command_and_the_good_sources_still_build(project):
    text = (project / "source" / "misi-kedua.yaml").read_text(encoding="utf-8")
    for name in HOSTILE_NAMES:
        (project / "source" / name).write_text(text, encoding="utf-8")
    (project / "source" / "lewat-tautan.yaml").symlink_to("/etc/hostname")
    # Windows Explorer's copies, beside the sources and the templates: never a reason to stop.
    templates = project / "renstra" / "templates"
    (templates / "reference - Copy.docx").write_bytes((templates / "reference.docx").read_bytes())
    (project / "source" / "catatan rapat.txt").write_text("catatan", encoding="utf-8")
    touch(project / "source" / "misi-kedua.yaml")
    result = make(project, check=False)
    assert not list(project.rglob("PWNED*"))  # nothing of a name ran
    assert result.returncode != 0
    refused = result.stdout.split("refused, not built: ", 1)[1]
    for name in HOSTILE_NAMES + ["lewat-tautan.yaml"]:
        assert f"source/{name}" in refused, name
    assert "build.py build --formats html,pdf,docx source/misi-kedua.yaml" in result.stdout
    assert "output/ is up to date (3 sources)" in result.stdout
    assert sorted(p.name for p in (project / "output").iterdir()) == sorted(
        f"{n}.{s}" for n in NAMES for s in ("html", "pdf", "docx"))
    assert planned(project) == set()  # and the good ones are up to date now


def test_one_bad_source_does_not_keep_the_others_from_building(project):
    bad = project / "source" / "misi-kedua.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('versi: "1.0"', "versi: [1.0"), encoding="utf-8")
    good = project / "source" / "misi-ketiga.yaml"
    text = good.read_text(encoding="utf-8")
    assert "Menyelenggarakan Pemerintahan" in text
    good.write_text(text.replace("Menyelenggarakan Pemerintahan", "Menyelenggarakan Baru Pemerintahan"),
                    encoding="utf-8")
    result = make(project, check=False)  # one process at a time: the bad source is built first
    assert result.returncode != 0
    assert result.stderr.count("source/misi-kedua.yaml:") == 1  # its error, once
    assert "Menyelenggarakan Baru" in (project / "output" / "misi-ketiga.html").read_text(encoding="utf-8")
    assert planned(project) == {(f, "misi-kedua") for f in formats(project)}
