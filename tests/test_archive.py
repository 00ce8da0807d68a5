"""The archive of released PDFs: append-only, refuses to overwrite, and finds tampering."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import REAL_SOURCE
from renstra import __version__, archive, cli
from renstra.outputs import write_new

EPOCH = 1700000000  # 2023-11-14T22:13:20Z
ARCHIVED_NAME = "misi_v1.0_2013-03-03.pdf"
SOURCE_TEXT = REAL_SOURCE.read_text(encoding="utf-8")


def versioned(version: str, edit: str = "") -> str:
    """The real source's text with another version and, if given, a word changed."""
    text = re.sub(r'versi: "[^"]*"', f'versi: "{version}"', SOURCE_TEXT)
    return text.replace("Magelang Utara", f"Magelang Utara{edit}", 1) if edit else text


@pytest.fixture(scope="module")
def pdf_of(tmp_path_factory):
    """The PDF of a source named misi.yaml with the given text, built once per text."""
    built: dict[str, bytes] = {}
    folder = tmp_path_factory.mktemp("builds")

    def pdf(text: str) -> bytes:
        if text not in built:
            work = folder / str(len(built))
            work.mkdir()
            (work / "misi.yaml").write_text(text, encoding="utf-8")
            cli.build(str(work / "misi.yaml"), work, ["pdf"])
            built[text] = (work / "misi.pdf").read_bytes()
        return built[text]
    return pdf


def release(office: Path, pdf_of, text: str) -> bytes:
    """Edit the source, then build its PDF into output/, as `make` would."""
    (office / "source" / "misi.yaml").write_text(text, encoding="utf-8")
    data = pdf_of(text)
    (office / "output" / "misi.pdf").write_bytes(data)
    return data


@pytest.fixture
def office(tmp_path, monkeypatch, pdf_of):
    """A source folder, an output folder holding its freshly built PDF, and no archive yet."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    (tmp_path / "source").mkdir()
    (tmp_path / "output").mkdir()
    release(tmp_path, pdf_of, SOURCE_TEXT)
    return tmp_path


def archive_cmd(run, office: Path, *sources: str):
    return run("archive", "--out", office / "output", "--archive", office / "archive",
               *(sources or [office / "source" / "misi.yaml"]))


def verify_cmd(run, office: Path):
    return run("verify-archive", "--archive", office / "archive")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_archive_stores_the_pdf_with_a_manifest_line(run, office, pdf_of):
    code, out, err = archive_cmd(run, office)
    assert (code, err) == (0, "")
    stored = office / "archive" / "misi" / ARCHIVED_NAME
    assert f"as {stored}" in out
    pdf = pdf_of(SOURCE_TEXT)
    assert stored.read_bytes() == pdf
    manifest = office / "archive" / "misi" / "MANIFEST.tsv"
    header, line = manifest.read_text(encoding="utf-8").splitlines()
    assert header.split("\t") == ["file", "sha256", "size", "version", "document_date", "source_sha256",
                                  "generator", "archived_at"]
    assert line.split("\t") == [
        ARCHIVED_NAME, hashlib.sha256(pdf).hexdigest(), str(len(pdf)), "1.0", "2013-03-03",
        hashlib.sha256(REAL_SOURCE.read_bytes()).hexdigest(), f"renstra {__version__}", "2023-11-14T22:13:20Z"]
    assert verify_cmd(run, office)[0] == 0


def test_archiving_the_same_version_again_does_nothing_and_says_so(run, office):
    archive_cmd(run, office)
    before = snapshot(office / "archive")
    code, out, err = archive_cmd(run, office)
    assert code == 0
    assert "already archived" in out and "nothing to do" in out
    assert snapshot(office / "archive") == before


def test_same_version_with_different_bytes_is_refused(run, office, pdf_of):
    archive_cmd(run, office)
    before = snapshot(office / "archive")
    release(office, pdf_of, versioned("1.0", edit=" (revisi)"))  # text edited, version not raised
    code, out, err = archive_cmd(run, office)
    assert code == 1
    assert "version 1.0 is already archived" in err and "raise dokumen.versi in" in err
    assert "Traceback" not in err
    assert snapshot(office / "archive") == before


def test_a_new_version_is_appended_and_nothing_before_it_changes(run, office, pdf_of):
    archive_cmd(run, office)
    manifest = office / "archive" / "misi" / "MANIFEST.tsv"
    first = manifest.read_bytes()
    before = snapshot(office / "archive")
    new = release(office, pdf_of, versioned("1.1", edit=" (revisi)"))
    assert archive_cmd(run, office)[0] == 0
    after = snapshot(office / "archive")
    ledgers = ("misi/MANIFEST.tsv", "SHA256SUMS")
    unchanged = [k for k in before if k not in ledgers]
    assert [after[k] for k in unchanged] == [before[k] for k in unchanged]
    assert after["misi/misi_v1.1_2013-03-03.pdf"] == new
    assert manifest.read_bytes().startswith(first)
    assert all(after[k].startswith(before[k]) and len(after[k]) > len(before[k]) for k in ledgers)
    assert manifest.read_text(encoding="utf-8").splitlines()[2].split("\t")[3] == "1.1"
    assert verify_cmd(run, office)[0] == 0


def test_a_pdf_not_built_from_the_current_source_is_refused(run, office):
    source = office / "source" / "misi.yaml"
    source.write_text(versioned("1.1"), encoding="utf-8")  # edited after the PDF was built
    code, out, err = archive_cmd(run, office)
    assert code == 1
    assert f"was not built from the current {source}: rebuild it first" in err
    assert not (office / "archive").exists()


def test_a_pdf_built_from_another_file_is_refused(run, office):
    from renstra import cli as command
    command.build(str(REAL_SOURCE), office / "other", ["pdf"])
    (office / "output" / "misi.pdf").write_bytes((office / "other" / "misi-magelang-utara.pdf").read_bytes())
    code, out, err = archive_cmd(run, office)
    assert code == 1 and "was not built from the current" in err


def test_a_pdf_older_than_the_templates_and_code_is_refused(run, office):
    pdf = office / "output" / "misi.pdf"
    os.utime(pdf, (946684800, 946684800))  # 2000-01-01: before any template or code file
    code, out, err = archive_cmd(run, office)
    assert code == 1
    assert f"{pdf} is older than" in err and "rebuild it first" in err
    assert not (office / "archive").exists()


def test_a_missing_or_unreadable_pdf_is_refused(run, office):
    pdf = office / "output" / "misi.pdf"
    pdf.write_bytes(b"not a PDF at all")
    code, out, err = archive_cmd(run, office)
    assert code == 1 and f"{pdf} is not a readable PDF" in err
    pdf.unlink()
    code, out, err = archive_cmd(run, office)
    assert code == 1 and "does not exist: build it first" in err
    assert not (office / "archive").exists()


def test_a_bad_source_is_reported_with_its_place_and_others_are_archived(run, office, pdf_of):
    bad = office / "source" / "rusak.yaml"
    bad.write_text("dokumen:\n  judul: [\n", encoding="utf-8")
    (office / "output" / "rusak.pdf").write_bytes(pdf_of(SOURCE_TEXT))
    code, out, err = archive_cmd(run, office, bad, office / "source" / "misi.yaml")
    assert code == 1
    assert f"{bad}:3:1: " in err, err
    assert "1 of 2 sources failed" in err
    assert (office / "archive" / "misi" / ARCHIVED_NAME).is_file()
    assert not (office / "archive" / "rusak").exists()


def test_an_archive_run_stopped_before_its_manifest_line_is_completed_next_time(run, office, monkeypatch):
    def power_cut(path, entry):
        raise OSError(5, "Input/output error", str(path))
    monkeypatch.setattr(archive, "append_entry", power_cut)
    assert archive_cmd(run, office)[0] == 1
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    code, out, err = verify_cmd(run, office)
    assert code == 1 and f"{ARCHIVED_NAME}: not in the manifest" in err
    assert archive_cmd(run, office)[0] == 0
    assert verify_cmd(run, office)[0] == 0


def test_verify_reports_every_altered_missing_and_extra_file_by_name(run, office, pdf_of):
    archive_cmd(run, office)
    release(office, pdf_of, versioned("1.1", edit=" (revisi)"))
    archive_cmd(run, office)
    release(office, pdf_of, versioned("1.2"))
    archive_cmd(run, office)
    folder = office / "archive" / "misi"
    assert verify_cmd(run, office) == (0, f"{office / 'archive'}/: 3 archived files checked, "
                                          "all match their manifests\n", "")
    altered = folder / ARCHIVED_NAME
    data = bytearray(altered.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, same size: only the hash can tell
    altered.write_bytes(bytes(data))
    (folder / "misi_v1.1_2013-03-03.pdf").unlink()
    (folder / "salinan.pdf").write_bytes(pdf_of(SOURCE_TEXT))
    code, out, err = verify_cmd(run, office)
    assert code == 1
    assert f"{altered}: altered" in err
    assert f"{folder / 'misi_v1.1_2013-03-03.pdf'}: missing" in err
    assert f"{folder / 'salinan.pdf'}: not in the manifest" in err
    assert f"{folder / 'misi_v1.2_2013-03-03.pdf'}" not in err
    assert "3 problem(s)" in err


def test_verify_reports_a_document_folder_without_manifest(run, office):
    stray = office / "archive" / "lain" / "lain.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"%PDF-1.7")
    code, out, err = verify_cmd(run, office)
    assert code == 1
    assert f"{stray.parent / 'MANIFEST.tsv'}: missing" in err
    assert f"{stray}: not in the manifest" in err


def test_verify_of_an_empty_archive_passes_and_says_so(run, office):
    code, out, err = verify_cmd(run, office)
    assert code == 0 and "no archived files yet" in out


def test_a_damaged_manifest_line_is_named(run, office):
    archive_cmd(run, office)
    manifest = office / "archive" / "misi" / "MANIFEST.tsv"
    with open(manifest, "a", encoding="utf-8") as out:
        out.write("misi_v9_2013-03-03.pdf\tabc\n")
    code, out, err = verify_cmd(run, office)
    assert code == 1 and f"{manifest}:3: expected 8 tab-separated values, found 2" in err


def test_write_new_never_replaces_a_file(tmp_path):
    target = tmp_path / "a.pdf"
    assert write_new(target, b"first") is True
    assert write_new(target, b"second") is False
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


@pytest.mark.parametrize("version, name", [("1.0", "misi_v1.0_2013-03-03.pdf"),
                                           ("2.1-rev b", "misi_v2.1-rev-b_2013-03-03.pdf"),
                                           ("../../x", "misi_vx_2013-03-03.pdf")])
def test_the_archived_name_carries_the_version_safely(version, name):
    import datetime
    assert archive.archived_name("misi", version, datetime.date(2013, 3, 3)) == name



# --- the archive as a ledger: whole lines, no links, one run at a time, checkable without Python --

def test_sha256sum_checks_the_archive_without_this_tool(run, office, pdf_of):
    archive_cmd(run, office)
    release(office, pdf_of, versioned("1.1", edit=" (revisi)"))
    archive_cmd(run, office)
    sums = (office / "archive" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    for line in sums:
        digest, relative = line.split("  ")
        assert hashlib.sha256((office / "archive" / relative).read_bytes()).hexdigest() == digest
    assert [line.split("  ")[1] for line in sums] == ["misi/misi_v1.0_2013-03-03.pdf", "misi/misi_v1.1_2013-03-03.pdf"]
    checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=office / "archive", capture_output=True,
                             text=True)  # coreutils, on every Debian machine
    assert checked.returncode == 0 and checked.stdout.count(": OK") == 2


def test_a_manifest_without_its_final_line_break_gets_one_before_the_next_line(run, office, pdf_of):
    archive_cmd(run, office)
    manifest = office / "archive" / "misi" / "MANIFEST.tsv"
    manifest.write_bytes(manifest.read_bytes().rstrip(b"\n"))  # saved by an editor
    assert "its last line is incomplete" in verify_cmd(run, office)[2]
    release(office, pdf_of, versioned("1.1", edit=" (revisi)"))
    assert archive_cmd(run, office)[0] == 0
    lines = manifest.read_text(encoding="utf-8").split("\n")
    assert len(lines) == 4 and lines[-1] == "" and all(len(l.split("\t")) == 8 for l in lines[:-1])
    assert verify_cmd(run, office)[0] == 0


def test_a_failed_write_of_the_manifest_leaves_it_whole(run, office, pdf_of, monkeypatch):
    archive_cmd(run, office)
    manifest = office / "archive" / "misi" / "MANIFEST.tsv"
    before = manifest.read_bytes()
    release(office, pdf_of, versioned("1.1", edit=" (revisi)"))
    real_fdopen = os.fdopen

    class DiskFull:
        def __init__(self, fd, mode):
            self.out = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.out.close()

        def write(self, data):
            self.out.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("renstra.outputs.os.fdopen", DiskFull)
    code, _, err = archive_cmd(run, office)
    assert code == 1 and "No space left on device" in err
    assert manifest.read_bytes() == before  # whole, not a half line
    assert not [p for p in manifest.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("linked", ["archive", "archive/misi", "archive/misi/MANIFEST.tsv", "archive/SHA256SUMS"])
def test_links_in_the_archive_are_never_written_through(run, office, pdf_of, tmp_path, linked):
    archive_cmd(run, office)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = office / linked
    moved = elsewhere / target.name
    target.rename(moved)
    target.symlink_to(moved)
    before = snapshot(elsewhere)
    release(office, pdf_of, versioned("1.1", edit=" (revisi)"))
    code, _, err = archive_cmd(run, office)
    assert code == 1
    assert "is a symbolic link" in err and "Traceback" not in err
    assert snapshot(elsewhere) == before


def test_a_second_archive_run_at_the_same_time_stops_and_writes_nothing(run, office):
    import fcntl

    (office / "archive").mkdir()
    with open(office / "archive" / ".lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, _, err = archive_cmd(run, office)
    assert code == 1 and "is being written by another archive run" in err
    assert sorted(p.name for p in (office / "archive").iterdir()) == [".lock"]  # no empty folder


def test_verify_reads_nothing_outside_the_archive_and_never_crashes(run, office):
    archive_cmd(run, office)
    manifest = office / "archive" / "misi" / "MANIFEST.tsv"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + text.splitlines()[1].replace("misi_v1.0_2013-03-03.pdf", "../../../etc/passwd")
                        + "\n", encoding="utf-8")
    code, _, err = verify_cmd(run, office)
    assert code == 1 and "which is not a file of this folder" in err and "Traceback" not in err
    manifest.write_bytes(b"file\x00\xff\xfe garbage")
    code, _, err = verify_cmd(run, office)
    assert code == 1 and "not UTF-8 text" in err and "Traceback" not in err


def test_verify_reports_a_document_folder_that_disappeared(run, office):
    archive_cmd(run, office)
    for path in sorted((office / "archive" / "misi").iterdir()):
        path.unlink()
    (office / "archive" / "misi").rmdir()
    code, _, err = verify_cmd(run, office)
    assert code == 1
    assert f"{office / 'archive' / 'misi' / ARCHIVED_NAME}: listed in SHA256SUMS but in no manifest" in err


def test_verify_reports_an_archive_that_is_not_a_folder(run, office):
    (office / "archive").write_text("bukan folder", encoding="utf-8")
    code, _, err = verify_cmd(run, office)
    assert code == 1 and "is not a folder" in err
