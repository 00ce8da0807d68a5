"""Reading back what was archived: `renstra extract` (the source a PDF carries, and whether the
archive agrees) and `renstra diff` (what changed, in the document's terms)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil

import pikepdf
import pytest

from conftest import REAL_SOURCE, ROOT
from renstra import archive, cli
from renstra.archive import read_manifest

EPOCH = 1700000000
FIXTURE = ROOT / "tests" / "fixtures" / "tujuan-sasaran.yaml"
V10 = FIXTURE.read_text(encoding="utf-8")
OLD_TITLE = "Meningkatkan Pemberdayaan Masyarakat dan Kemandirian Desa."
NEW_TITLE = "Meningkatkan Pemberdayaan dan Kemandirian Masyarakat Desa."
# Version 1.1: the second mission's title and one target year changed.
V11 = (V10.replace('versi: "1.0"', 'versi: "1.1"').replace(OLD_TITLE, NEW_TITLE)
       .replace("target: {2022: 80, 2023: 81, 2024: 82.5,", "target: {2022: 80, 2023: 81, 2024: 83,"))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A project whose archive holds ts.yaml as versions 1.0 and 1.1, built and archived as
    `make archive` does; output/ts.pdf is version 1.1."""
    folder = tmp_path_factory.mktemp("office")
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(EPOCH)
    try:
        for text in (V10, V11):
            source = folder / "source" / "ts.yaml"
            source.parent.mkdir(exist_ok=True)
            source.write_text(text, encoding="utf-8")
            cli.build(str(source), folder / "output", ["pdf"])
            os.utime(folder / "output" / "ts.pdf")  # newer than code another edit may have touched
            archive.archive_pdf(source, folder / "output", folder / "archive")
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    return folder


def entries(office):
    return read_manifest(office / "archive" / "ts" / "MANIFEST.tsv")


# --- extract -------------------------------------------------------------------------------------

def test_extract_of_every_archived_pdf_gives_the_archived_source(run, office, tmp_path):
    found = entries(office)
    assert [e.version for e in found] == ["1.0", "1.1"]
    for entry, text in zip(found, (V10, V11)):
        out = tmp_path / f"{entry.version}.yaml"
        code, stdout, err = run("extract", office / "archive" / "ts" / entry.file, "--out", out)
        assert (code, err) == (0, "")
        assert sha(out.read_bytes()) == entry.source_sha256 == sha(text.encode("utf-8"))
        assert f"is archived as {office / 'archive' / 'ts' / entry.file}: version {entry.version}" in stdout
        assert "it matches its manifest entry (SHA-256 and size)" in stdout
        assert "the extracted source has the SHA-256 the manifest records for it" in stdout


def test_extract_writes_under_the_embedded_name_and_never_over_another_file(run, office, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pdf = office / "output" / "ts.pdf"
    code, out, err = run("extract", pdf, "--archive", office / "archive")
    assert code == 0 and out.startswith("wrote ts.yaml (")
    assert (tmp_path / "ts.yaml").read_bytes() == V11.encode("utf-8")
    assert "is archived as" in out  # output/ts.pdf is the PDF archived as 1.1
    code, out, err = run("extract", pdf, "--archive", office / "archive")
    assert code == 0 and "ts.yaml already holds this source; nothing written" in out
    (tmp_path / "ts.yaml").write_text("diubah\n", encoding="utf-8")
    code, out, err = run("extract", pdf, "--archive", office / "archive")
    assert code == 1 and "ts.yaml exists and is not overwritten" in err
    assert (tmp_path / "ts.yaml").read_text(encoding="utf-8") == "diubah\n"
    code, out, err = run("extract", pdf, "--out", "ts.yaml", "--archive", office / "archive")
    assert code == 0 and (tmp_path / "ts.yaml").read_bytes() == V11.encode("utf-8")


def test_extract_finds_the_archive_a_pdf_lies_in(run, office, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a folder without an archive of its own
    code, out, err = run("extract", office / "archive" / "ts" / entries(office)[0].file, "--out", "x.yaml")
    assert code == 0 and "it matches its manifest entry" in out


def test_extract_says_when_a_pdf_is_not_archived(run, office, tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    (work / "ts.yaml").write_text(V10, encoding="utf-8")
    cli.build(str(work / "ts.yaml"), work, ["pdf"])  # another build time: other bytes
    pdf = work / "ts.pdf"
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:  # same source, other bytes
        document.docinfo["/Subject"] = "diubah"
        document.save(pdf)
    code, out, err = run("extract", pdf, "--out", tmp_path / "x.yaml", "--archive", office / "archive")
    assert code == 0, err
    assert "is not archived: no archived file has its SHA-256" in out
    assert f"{entries(office)[0].file} (version 1.0) in the archive was built from this same source" in out


def test_extract_finds_an_archived_file_that_was_changed(run, office, tmp_path):
    copy = tmp_path / "archive"
    shutil.copytree(office / "archive", copy)
    pdf = copy / "ts" / entries(office)[0].file
    pdf.chmod(0o644)
    pdf.write_bytes(pdf.read_bytes() + b"\n% diubah\n")
    code, out, err = run("extract", pdf, "--out", tmp_path / "x.yaml")
    assert code == 1
    assert "does not match its manifest entry: its SHA-256 is" in err and "changed after it was archived" in err


def test_extract_finds_a_manifest_whose_source_hash_disagrees(run, office, tmp_path):
    copy = tmp_path / "archive"
    shutil.copytree(office / "archive", copy)
    manifest = copy / "ts" / "MANIFEST.tsv"
    manifest.chmod(0o644)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(entries(office)[0].source_sha256, "0" * 64), encoding="utf-8")
    code, out, err = run("extract", copy / "ts" / entries(office)[0].file, "--out", tmp_path / "x.yaml")
    assert code == 1
    assert f"the extracted source's SHA-256 is {entries(office)[0].source_sha256}, the manifest records " \
           f"{'0' * 64}" in err


def test_extract_refuses_what_is_not_a_pdf_of_the_tool(run, tmp_path):
    (tmp_path / "a.yaml").write_text(V10, encoding="utf-8")
    code, out, err = run("extract", tmp_path / "a.yaml")
    assert code == 1 and "a.yaml is not a PDF" in err
    plain = tmp_path / "polos.pdf"
    pikepdf.new().save(plain)
    code, out, err = run("extract", plain)
    assert code == 1 and "polos.pdf carries no source file: only PDFs built by renstra have one" in err
    damaged = tmp_path / "rusak.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    code, out, err = run("extract", damaged)
    assert code == 1 and "rusak.pdf is a damaged PDF and cannot be read" in err and "Traceback" not in err
    code, out, err = run("extract", tmp_path / "tidak-ada.pdf")
    assert code == 1 and "tidak-ada.pdf: no such file" in err


def test_extract_refuses_an_attachment_name_that_leads_elsewhere(run, tmp_path, monkeypatch):
    pdf = tmp_path / "asing.pdf"
    with pikepdf.new() as document:
        document.attachments["../asing.yaml"] = pikepdf.AttachedFileSpec(document, b"dokumen: x\n")
        document.save(pdf)
    monkeypatch.chdir(tmp_path)
    code, out, err = run("extract", pdf)
    assert code == 1 and "which is not a plain file name; give the file to write with --out" in err
    assert not (tmp_path.parent / "asing.yaml").exists()


# --- diff ----------------------------------------------------------------------------------------

def test_diff_of_two_archived_versions_names_the_mission_and_the_target(run, office):
    code, out, err = run("diff", "ts@1.0", "ts@1.1", "--archive", office / "archive")
    assert code == 1, err
    assert out == (
        "Changes from ts@1.0 to ts@1.1:\n"
        "dokumen\n"
        "  versi: \"1.0\" -> \"1.1\"\n"
        "Misi 1: Meningkatkan Kualitas Pelayanan Publik dan Tata Kelola Peme…\n"
        "  Tujuan 1: Meningkatkan kualitas pelayanan dan akuntabilitas kinerja k…\n"
        "    Sasaran 1.1: Meningkatnya kualitas pelayanan administrasi terpadu kecama…\n"
        "      indikator \"Indeks Kepuasan Masyarakat\"\n"
        "        target 2024: 82,5 -> 83\n"
        "Misi 2: Meningkatkan Pemberdayaan dan Kemandirian Masyarakat Desa.\n"
        f"  judul: \"{OLD_TITLE}\" -> \"{NEW_TITLE}\"\n"
        "3 changes\n")


def test_diff_reads_sources_pdfs_and_archived_versions_alike(run, office):
    pdf = office / "output" / "ts.pdf"  # version 1.1
    old = office / "archive" / "ts" / entries(office)[0].file
    expected = run("diff", "ts@1.0", "ts@1.1", "--archive", office / "archive")[1]
    tail = expected.split("\n", 1)[1]
    assert run("diff", old, pdf)[1].split("\n", 1)[1] == tail
    assert run("diff", FIXTURE, pdf)[1].split("\n", 1)[1] == tail


def test_identical_documents_have_no_changes(run, office, tmp_path):
    code, out, err = run("diff", office / "source" / "ts.yaml", office / "output" / "ts.pdf")
    assert (code, out, err) == (0, "no changes: the documents are the same\n", "")
    # Comments and layout are not the document.
    reflowed = tmp_path / "ts.yaml"
    reflowed.write_text("# a comment\n" + V11.replace('versi: "1.1"', "versi: '1.1'  # dirilis").replace(", 2023:", ",  2023:"), encoding="utf-8")
    code, out, err = run("diff", office / "source" / "ts.yaml", reflowed)
    assert (code, out) == (0, "no changes: the documents are the same (the files differ only in comments "
                              "or layout)\n")


def test_diff_names_paragraphs_list_items_and_fields(run, tmp_path):
    text = REAL_SOURCE.read_text(encoding="utf-8")
    edited = (text.replace("kontribusi pemberdayaan", "kontribusi nyata pemberdayaan")
              .replace("          - Pengawasan dan pemeriksaan yang efektif.\n",
                       "          - Pengawasan dan pemeriksaan yang efektif.\n          - Butir baru.\n")
              .replace("tanggal: 2013-03-03", "tanggal: 2013-04-01")
              .replace("  jabatan: Camat Magelang Utara\n",
                       "  jabatan: Camat Magelang Utara\n  nama: Drs. Budi\n"))
    (tmp_path / "b.yaml").write_text(edited, encoding="utf-8")
    code, out, err = run("diff", REAL_SOURCE, tmp_path / "b.yaml")
    assert code == 1, err
    body = out.split("\n", 1)[1]
    assert body == (
        "dokumen\n"
        "  tanggal: 2013-03-03 -> 2013-04-01\n"
        "penandatangan\n"
        "  nama added: \"Drs. Budi\"\n"
        "Misi 1: Menyelenggarakan Pemerintahan yang Bersih dan Profesional.\n"
        "  makna\n"
        "    paragraph 1: \"…terkait erat dengan kontribusi pemberdayaan dan…\" -> "
        "\"…terkait erat dengan kontribusi nyata pemberdayaan dan…\"\n"
        "    list 1, item 7 added: \"Butir baru.\"\n"
        "4 changes\n")


def test_diff_names_a_mission_removed(run, tmp_path):
    first = re.search(r"\n  - judul: .*?(?=\n  - judul:)", V10, re.S).group(0)
    (tmp_path / "b.yaml").write_text(V10.replace(first, "", 1).replace("\nrekap:", "\nrekap:"), encoding="utf-8")
    code, out, err = run("diff", FIXTURE, tmp_path / "b.yaml")
    assert code == 1, err
    assert "Misi 1 removed: \"Meningkatkan Kualitas Pelayanan Publik dan Tata Kelola Pemerintahan " \
           "Kecamatan.\"" in out
    # The goals that remain keep their content; only their numbers moved.
    assert "Tujuan" not in out


def test_diff_html_is_escaped_and_self_contained(run, office, tmp_path):
    hostile = V11.replace(NEW_TITLE, "Misi <script>alert('x')</script> & <b>tebal</b>")
    (tmp_path / "b.yaml").write_text(hostile, encoding="utf-8")
    out_file = tmp_path / "beda.html"
    code, out, err = run("diff", FIXTURE, tmp_path / "b.yaml", "--format", "html", "--out", out_file)
    assert code == 1, err
    assert f"wrote {out_file}" in out
    page = out_file.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "&lt;b&gt;tebal&lt;/b&gt;" in page
    assert "<script" not in page and "<b>" not in page
    assert not re.search(r"(src|href)=|https?:|@import|url\(", page)
    assert "<del>" in page and "<ins>" in page
    assert "target 2024" in page and "82,5" in page and "83" in page


def test_diff_trouble_exits_2(run, office, tmp_path):
    (tmp_path / "bad.yaml").write_text(V10.replace("  judul: RENCANA", "  judull: RENCANA"), encoding="utf-8")
    code, out, err = run("diff", FIXTURE, tmp_path / "bad.yaml")
    assert code == 2 and "unknown key 'judull'" in err and out == ""
    code, out, err = run("diff", "ts@1.0", "ts@9.9", "--archive", office / "archive")
    assert code == 2 and "version 9.9 of ts is not in the archive; archived versions: 1.0, 1.1" in err
    code, out, err = run("diff", "lain@1.0", FIXTURE, "--archive", office / "archive")
    assert code == 2 and "lain@1.0: no such file" in err
    code, out, err = run("diff", FIXTURE, "--format", "pdf", FIXTURE)
    assert code == 2
