"""The command line: exit codes 0/1/2, usage errors, and builds of many sources in one process."""

from __future__ import annotations

import errno
import json
import os

import pytest

from conftest import REAL_SOURCE, ROOT
from renstra import outputs
from renstra.errors import TemplateError
from renstra.outputs import Writer

FIXTURE = ROOT / "tests" / "fixtures" / "bab-lengkap.yaml"
FIXTURE_COMPLETE = ROOT / "tests" / "fixtures" / "kelurahan.yaml"  # emblem, signer's name and NIP given


@pytest.fixture
def bad_source(tmp_path):
    path = tmp_path / "rusak.yaml"
    text = REAL_SOURCE.read_text(encoding="utf-8")
    path.write_text(text.replace("tanggal: 2013-03-03", "tanggal: 2013-02-30"), encoding="utf-8")
    return path


def hidden_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("argv, message", [
    ([], "required: COMMAND"),
    (["bangun"], "invalid choice: 'bangun'"),
    (["build"], "required: SOURCE"),
    (["build", "--formats", "odt", "x.yaml"], "unknown format 'odt'; choose from html, pdf, docx"),
    (["check", "--kertas", "A4", "x.yaml"], "unrecognized arguments: --kertas"),
])
def test_usage_errors_exit_2_with_the_usage(run, argv, message):
    code, out, err = run(*argv)
    assert code == 2
    assert "usage: build.py" in err and message in err


def test_help_exits_0_and_names_every_command(run):
    code, out, err = run("--help")
    assert code == 0
    for command in ("check", "build", "archive", "verify-archive", "schema"):
        assert command in out


def test_check_of_a_good_source_exits_0(run):
    assert run("check", FIXTURE_COMPLETE) == (0, f"{FIXTURE_COMPLETE}: ok\n", "")


def test_check_of_a_bad_source_exits_1_with_its_place(run, bad_source):
    code, out, err = run("check", bad_source)
    assert code == 1
    assert err.startswith(f"{bad_source}:13:12: '2013-02-30' is not a date")
    assert err.rstrip().endswith(f"1 error in {bad_source}")


def test_build_of_several_sources_goes_on_past_a_bad_one(run, tmp_path, bad_source):
    out_dir = tmp_path / "out"
    code, out, err = run("build", "--formats", "html", "--out", out_dir, REAL_SOURCE, bad_source, FIXTURE)
    assert code == 1
    assert sorted(p.name for p in out_dir.iterdir()) == ["bab-lengkap.html", "misi-magelang-utara.html"]
    assert "wrote" in out and "misi-magelang-utara.html" in out and "bab-lengkap.html" in out
    assert f"{bad_source}:13:12: '2013-02-30' is not a date" in err
    assert err.rstrip().endswith("1 of 3 sources failed")


def test_build_of_several_good_sources_in_one_process_exits_0(run, tmp_path):
    code, out, err = run("build", "--formats", "html", "--out", tmp_path, REAL_SOURCE, FIXTURE, REAL_SOURCE)
    assert (code, err) == (0, "")
    assert out.count("wrote") == 2  # the source named twice is built once


def test_two_sources_of_the_same_name_are_refused_before_building(run, tmp_path):
    other = tmp_path / "lain" / REAL_SOURCE.name
    other.parent.mkdir()
    other.write_bytes(REAL_SOURCE.read_bytes())
    out_dir = tmp_path / "out"
    code, out, err = run("build", "--formats", "html", "--out", out_dir, REAL_SOURCE, other)
    assert code == 2
    assert "have the same name" in err
    assert not out_dir.exists()


def test_an_output_folder_that_cannot_be_made_is_reported_not_raised(run, tmp_path):
    blocked = tmp_path / "output"
    blocked.write_text("a file where the folder should be")
    code, out, err = run("build", "--formats", "html", "--out", blocked, REAL_SOURCE)
    assert code == 1
    assert err == f"{REAL_SOURCE}: {os.strerror(errno.ENOTDIR)}: {blocked}\n"
    assert blocked.read_text() == "a file where the folder should be"


def test_a_disk_full_mid_write_keeps_the_previous_output(run, tmp_path, monkeypatch):
    assert run("build", "--formats", "html", "--out", tmp_path, REAL_SOURCE)[0] == 0
    target = tmp_path / "misi-magelang-utara.html"
    before = target.read_bytes()
    changed = tmp_path / "src" / REAL_SOURCE.name
    changed.parent.mkdir()
    changed.write_text(REAL_SOURCE.read_text(encoding="utf-8").replace("Magelang Utara", "Magelang Tengah"),
                       encoding="utf-8")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(outputs.os, "fsync", disk_full)
    code, out, err = run("build", "--formats", "html", "--out", tmp_path, changed)
    assert code == 1
    assert os.strerror(errno.ENOSPC) in err
    assert target.read_bytes() == before
    assert hidden_files(tmp_path) == []


def failing_pdf(rendered):
    """A PDF writer that fails, as WeasyPrint does on a stylesheet it cannot use."""
    raise TemplateError("print.css:3: cannot lay out the page")


def test_a_failing_writer_keeps_its_previous_file_and_the_others_are_written(run, tmp_path, monkeypatch):
    (tmp_path / "misi-magelang-utara.pdf").write_bytes(b"previous release")
    monkeypatch.setitem(outputs.WRITERS, "pdf", Writer("pdf", ".pdf", f"{__name__}:failing_pdf"))
    code, out, err = run("build", "--formats", "html,pdf", "--out", tmp_path, REAL_SOURCE)
    assert code == 1
    assert out == f"wrote {tmp_path / 'misi-magelang-utara.html'}\n"
    assert "print.css:3: cannot lay out the page" in err
    assert (tmp_path / "misi-magelang-utara.pdf").read_bytes() == b"previous release"


def test_a_writer_missing_from_the_installation_is_a_message_not_a_traceback(run, tmp_path, monkeypatch):
    monkeypatch.setitem(outputs.WRITERS, "html", Writer("html", ".html", "renstra.tidak_ada:write"))
    code, out, err = run("build", "--formats", "html", "--out", tmp_path, REAL_SOURCE)
    assert code == 1
    assert "the html writer (renstra.tidak_ada) is not part of this installation" in err


def test_schema_prints_json_and_exits_0(run):
    code, out, err = run("schema")
    assert code == 0
    assert "dokumen" in json.loads(out)["properties"]


def test_archive_and_verify_archive_exit_codes(run, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    archive_dir = tmp_path / "archive"
    # No PDF built yet: refused.
    code, out, err = run("archive", "--out", tmp_path / "output", "--archive", archive_dir, REAL_SOURCE)
    assert code == 1 and "does not exist" in err
    assert run("build", "--formats", "pdf", "--out", tmp_path / "output", REAL_SOURCE)[0] == 0
    assert run("archive", "--out", tmp_path / "output", "--archive", archive_dir, REAL_SOURCE)[0] == 0
    assert run("verify-archive", "--archive", archive_dir)[0] == 0
    (archive_dir / "misi-magelang-utara" / "catatan.txt").write_text("extra")
    assert run("verify-archive", "--archive", archive_dir)[0] == 1


def test_a_source_name_too_long_for_its_outputs_is_refused_and_others_build(run, tmp_path):
    long_name = tmp_path / ("misi-" + "panjang" * 30 + ".yaml")  # 215 characters
    long_name.write_bytes(REAL_SOURCE.read_bytes())
    code, out, err = run("build", "--formats", "html", "--out", tmp_path / "out", long_name, REAL_SOURCE)
    assert code == 1
    assert err.startswith(f"{long_name}: the file name is 215 characters long; at most 150")
    assert "Traceback" not in err and "wrote" in out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["misi-magelang-utara.html"]


def test_check_points_out_a_whole_number_that_reads_as_a_year_in_a_table(run, tmp_path):
    """Tables print numbers as quantities (1.250); a year has no dot (PUEBI), so check says so."""
    (tmp_path / "lambang.png").write_bytes((ROOT / "tests" / "fixtures" / "lambang-contoh.png").read_bytes())
    source = tmp_path / "tahun.yaml"
    source.write_text('dokumen:\n  judul: X\n  periode: {mulai: 2011, selesai: 2012}\n  tempat: Magelang\n'
                      '  tanggal: 2013-03-03\n  versi: "1.0"\n'
                      'instansi: {nama: Kecamatan X, daerah: Kota Y, lambang: lambang.png}\n'
                      'penandatangan: {jabatan: Camat X, nama: A, nip: "197001011990011001"}\n'
                      'misi:\n  - judul: A\n    makna:\n      - tabel:\n          kepala: [[Tahun, Jumlah]]\n'
                      '          baris: [[2011, 1250], ["2012", 2500000]]\n', encoding="utf-8")
    code, out, err = run("check", source)
    assert code == 0
    assert [line for line in err.splitlines() if not line.startswith(" ")] == [
        f'{source}:14:20: warning: 2011 prints as a quantity, 2.011; if it is a year, write it in quotes: "2011"']
