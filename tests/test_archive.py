"""The archive of released PDFs: append-only, refuses to overwrite, and finds tampering."""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

import pytest

from conftest import REAL_SOURCE
from renstra import __version__, archive
from renstra.outputs import write_new

EPOCH = 1700000000  # 2023-11-14T22:13:20Z
ARCHIVED_NAME = "misi_v1.0_2013-03-03.pdf"


@pytest.fixture(scope="module")
def real_pdf(tmp_path_factory) -> bytes:
    """The PDF of the real source, built once."""
    from renstra import cli
    out = tmp_path_factory.mktemp("pdf")
    assert cli.main(["build", "--formats", "pdf", "--out", str(out), str(REAL_SOURCE)]) == 0
    return (out / f"{REAL_SOURCE.stem}.pdf").read_bytes()


@pytest.fixture
def office(tmp_path, monkeypatch, real_pdf):
    """A source folder, an output folder holding its fresh PDF, and an empty archive."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    (tmp_path / "source").mkdir()
    source = tmp_path / "source" / "misi.yaml"
    source.write_bytes(REAL_SOURCE.read_bytes())
    pdf = tmp_path / "output" / "misi.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(real_pdf)
    return tmp_path


def archive_cmd(run, office: Path, *sources: str):
    return run("archive", "--out", office / "output", "--archive", office / "archive",
               *(sources or [office / "source" / "misi.yaml"]))


def verify_cmd(run, office: Path):
    return run("verify-archive", "--archive", office / "archive")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def release(office: Path, version: str, pdf: bytes) -> None:
    """A new PDF in output/, built (as far as times go) after the source says `version`."""
    source = office / "source" / "misi.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r'versi: "[^"]*"', f'versi: "{version}"', text), encoding="utf-8")
    past = time.time() - 10
    os.utime(source, (past, past))
    (office / "output" / "misi.pdf").write_bytes(pdf)


def test_archive_stores_the_pdf_with_a_manifest_line(run, office, real_pdf):
    code, out, err = archive_cmd(run, office)
    assert (code, err) == (0, "")
    stored = office / "archive" / "misi" / ARCHIVED_NAME
    assert f"as {stored}" in out
    assert stored.read_bytes() == real_pdf
    manifest = office / "archive" / "misi" / "MANIFEST.tsv"
    header, line = manifest.read_text(encoding="utf-8").splitlines()
    assert header.split("\t") == ["file", "sha256", "size", "version", "document_date", "source_sha256",
                                  "generator", "archived_at"]
    assert line.split("\t") == [
        ARCHIVED_NAME, hashlib.sha256(real_pdf).hexdigest(), str(len(real_pdf)), "1.0", "2013-03-03",
        hashlib.sha256(REAL_SOURCE.read_bytes()).hexdigest(), f"renstra {__version__}", "2023-11-14T22:13:20Z"]
    assert verify_cmd(run, office)[0] == 0


def test_archiving_the_same_version_again_does_nothing_and_says_so(run, office):
    archive_cmd(run, office)
    before = snapshot(office / "archive")
    code, out, err = archive_cmd(run, office)
    assert code == 0
    assert "already archived" in out and "nothing to do" in out
    assert snapshot(office / "archive") == before


def test_same_version_with_different_bytes_is_refused(run, office, real_pdf):
    archive_cmd(run, office)
    before = snapshot(office / "archive")
    release(office, "1.0", real_pdf + b"\n% changed\n")
    code, out, err = archive_cmd(run, office)
    assert code == 1
    assert "version 1.0 is already archived" in err and "raise dokumen.versi in" in err
    assert "Traceback" not in err
    assert snapshot(office / "archive") == before


def test_a_new_version_is_appended_and_nothing_before_it_changes(run, office, real_pdf):
    archive_cmd(run, office)
    manifest = office / "archive" / "misi" / "MANIFEST.tsv"
    first = manifest.read_bytes()
    before = snapshot(office / "archive")
    release(office, "1.1", real_pdf + b"\n% 1.1\n")
    assert archive_cmd(run, office)[0] == 0
    after = snapshot(office / "archive")
    assert {k: after[k] for k in before if k != "misi/MANIFEST.tsv"} == {
        k: v for k, v in before.items() if k != "misi/MANIFEST.tsv"}
    assert after["misi/misi_v1.1_2013-03-03.pdf"] == real_pdf + b"\n% 1.1\n"
    assert manifest.read_bytes().startswith(first)
    assert len(manifest.read_text(encoding="utf-8").splitlines()) == 3
    assert verify_cmd(run, office)[0] == 0


def test_a_pdf_older_than_its_source_is_refused(run, office):
    source = office / "source" / "misi.yaml"
    later = time.time() + 5
    os.utime(source, (later, later))
    code, out, err = archive_cmd(run, office)
    assert code == 1
    assert "is older than" in err and "misi.yaml" in err and "rebuild it first" in err
    assert not (office / "archive").exists()


def test_a_missing_pdf_is_refused(run, office):
    (office / "output" / "misi.pdf").unlink()
    code, out, err = archive_cmd(run, office)
    assert code == 1 and "does not exist: build it first" in err
    assert not (office / "archive").exists()


def test_a_bad_source_is_reported_with_its_place_and_others_are_archived(run, office, real_pdf):
    bad = office / "source" / "rusak.yaml"
    bad.write_text("dokumen:\n  judul: [\n", encoding="utf-8")
    (office / "output" / "rusak.pdf").write_bytes(real_pdf)
    code, out, err = archive_cmd(run, office, bad, office / "source" / "misi.yaml")
    assert code == 1
    assert f"{bad}:3:1: YAML syntax error" in err, err
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


def test_verify_reports_every_altered_missing_and_extra_file_by_name(run, office, real_pdf):
    archive_cmd(run, office)
    release(office, "1.1", real_pdf + b"\n% 1.1\n")
    archive_cmd(run, office)
    release(office, "1.2", real_pdf + b"\n% 1.2\n")
    archive_cmd(run, office)
    folder = office / "archive" / "misi"
    assert verify_cmd(run, office) == (0, f"{office / 'archive'}/: 3 archived files checked, "
                                          "all match their manifests\n", "")
    altered = folder / ARCHIVED_NAME
    data = bytearray(altered.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, same size: only the hash can tell
    altered.write_bytes(bytes(data))
    (folder / "misi_v1.1_2013-03-03.pdf").unlink()
    (folder / "salinan.pdf").write_bytes(real_pdf)
    code, out, err = verify_cmd(run, office)
    assert code == 1
    assert f"{altered}: altered" in err
    assert f"{folder / 'misi_v1.1_2013-03-03.pdf'}: missing" in err
    assert f"{folder / 'salinan.pdf'}: not in the manifest" in err
    assert f"{folder / 'misi_v1.2_2013-03-03.pdf'}" not in err
    assert "3 problem(s)" in err


def test_verify_reports_a_document_folder_without_manifest(run, office, real_pdf):
    stray = office / "archive" / "lain" / "lain.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(real_pdf)
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
