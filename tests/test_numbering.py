"""Numbers the tool computes, printed alike in both outputs, and in the DOCX held by Word fields
that renumber: chapters (BAB III), subchapters (3.1), missions (1.), tables (Tabel 3.1) and the
DAFTAR TABEL listing the tables with their pages."""

from __future__ import annotations

import copy
import re
import zipfile

import pytest
from lxml import etree

from conftest import NS, REAL_SOURCE, ROOT, W, libreoffice_pdf, normal, paragraph_text, pdf_pages, require
from renstra.cli import build
from renstra.indonesian import roman
from test_model import MINIMAL

CHAPTERS = ROOT / "tests" / "fixtures" / "bab-lengkap.yaml"
TABLES_WITHOUT_CHAPTERS = ROOT / "tests" / "fixtures" / "tujuan-sasaran.yaml"
MISSIONS_FROM_3 = MINIMAL + """misi:
  mulai: 3
  daftar:
    - judul: Misi ketiga.
      makna: [Penjelasan misi ketiga.]
    - judul: Misi keempat.
      makna: [Penjelasan misi keempat.]
    - judul: Misi kelima.
      makna: [Penjelasan misi kelima.]
    - judul: Misi keenam.
      makna: [Penjelasan misi keenam.]
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    return {source.stem: dict(zip(("html", "pdf", "docx"), build(str(source), out, ["html", "pdf", "docx"])))
            for source in (CHAPTERS, TABLES_WITHOUT_CHAPTERS, REAL_SOURCE)}


def body_of(path):
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


def fields(paragraph) -> list[tuple[str, str]]:
    """Each complex field of a paragraph: (instruction, result)."""
    found, instruction, result, state = [], "", "", None
    for run in paragraph.iter(W + "r"):
        mark = run.find("w:fldChar", NS)
        if mark is not None:
            state = mark.get(W + "fldCharType")
            if state == "begin":
                instruction, result = "", ""
            elif state == "end":
                found.append((" ".join(instruction.split()), result))
                state = None
            continue
        if state == "begin":
            instruction += "".join(t.text or "" for t in run.iter(W + "instrText"))
        elif state == "separate":
            result += "".join(t.text or "" for t in run.iter(W + "t"))
    return found


def styled(body, style):
    return [p for p in body.iter(W + "p") if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(W + "val") == style]


def test_chapters_subchapters_and_tables_are_sequence_fields_holding_the_printed_numbers(built):
    body = body_of(built["bab-lengkap"]["docx"])
    chapters = [p for p in styled(body, "Heading1") if paragraph_text(p).startswith("BAB ")]
    assert [fields(p) for p in chapters] == [[("SEQ Bab \\* ROMAN", roman(n))] for n in range(1, 5)]
    subchapters = [fields(p) for p in styled(body, "Heading2")]
    assert subchapters[:2] == [[("SEQ Bab \\c \\* ARABIC", "1"), ("SEQ Subbab \\s 1 \\* ARABIC", "1")],
                               [("SEQ Bab \\c \\* ARABIC", "1"), ("SEQ Subbab \\s 1 \\* ARABIC", "2")]]
    [caption] = styled(body, "Caption")
    assert paragraph_text(caption) == "Tabel 3.1 Tujuan dan Sasaran"
    assert fields(caption) == [("SEQ Bab \\c \\* ARABIC", "3"), ("SEQ Tabel \\s 1 \\* ARABIC", "1")]


def test_missions_are_counted_by_word_and_restart_where_the_source_starts_them(built, tmp_path):
    body = body_of(built[REAL_SOURCE.stem]["docx"])
    missions = [fields(p) for p in styled(body, "Heading2")]
    assert missions == [[("SEQ Misi \\* ARABIC", str(n))] for n in range(1, 5)]
    started = tmp_path / "mulai.yaml"
    started.write_text(MISSIONS_FROM_3, encoding="utf-8")
    docx_path = build(str(started), tmp_path / "out", ["docx"])[0]
    restarted = [fields(p) for p in styled(body_of(docx_path), "Heading2")]
    assert restarted[0] == [("SEQ Misi \\* ARABIC \\r 3", "3")]
    assert restarted[1:] == [[("SEQ Misi \\* ARABIC", str(n))] for n in range(4, 7)]


def test_tables_without_chapters_are_numbered_through_the_document(built):
    body = body_of(built["tujuan-sasaran"]["docx"])
    captions = styled(body, "Caption")
    assert [paragraph_text(c).split()[:2] for c in captions] == [["Tabel", str(n)] for n in range(1, len(captions) + 1)]
    assert [fields(c) for c in captions] == [[("SEQ Tabel \\* ARABIC", str(n))] for n in range(1, len(captions) + 1)]
    assert "DAFTAR TABEL" not in built["tujuan-sasaran"]["html"].read_text(encoding="utf-8")  # no front matter


def test_the_daftar_tabel_lists_each_table_with_the_page_it_is_on_in_both_outputs(built):
    pages = pdf_pages(built["bab-lengkap"]["pdf"])
    listing = next(page for page in pages if page.startswith("DAFTAR TABEL"))
    entry = re.search(r"Tabel 3\.1 Tujuan dan Sasaran[ .]*(\d+)", listing)
    assert entry, listing
    body_start = next(i for i, page in enumerate(pages) if "BAB I" in page and "DAFTAR" not in page
                      and "PENDAHULUAN" in page)
    on_page = next(i for i, page in enumerate(pages) if "Tabel 3.1 Tujuan dan Sasaran" in page and i > body_start)
    assert int(entry[1]) == on_page - body_start + 1  # the printed body page number
    body = body_of(built["bab-lengkap"]["docx"])
    entries = styled(body, "TableofFigures")
    assert normal(paragraph_text(entries[0])) == f"Tabel 3.1 Tujuan dan Sasaran {entry[1]}"
    assert ("TOC \\h \\z \\c \"Tabel\"", "") in fields(entries[0]) or \
        any(i.text.strip() == 'TOC \\h \\z \\c "Tabel"' for i in entries[0].iter(W + "instrText"))
    [link] = entries[0].iter(W + "hyperlink")
    marks = {b.get(W + "name") for b in body.iter(W + "bookmarkStart")}
    assert link.get(W + "anchor") in marks


def test_a_typed_table_number_is_refused(tmp_path, run):
    for typed in ("Tabel 4.1 Tujuan", "TABEL IV.2 Tujuan", "**Tabel 2.1** Tujuan", "Gambar 3: Peta", "Tabel 1. Tujuan",
                  "(Tabel 4.1) Tujuan", "Tabel-4.1 Tujuan", "Tabel\u00a04.1 Tujuan", " Tabel 4-1 Tujuan"):
        text = CHAPTERS.read_text(encoding="utf-8").replace("judul: Tujuan dan Sasaran", f'judul: "{typed}"')
        source = tmp_path / "typed.yaml"
        source.write_text(text, encoding="utf-8")
        (tmp_path / "lambang-contoh.png").write_bytes((CHAPTERS.parent / "lambang-contoh.png").read_bytes())
        code, _out, err = run("check", str(source))
        assert code == 1 and "starts with a table number" in err, (typed, err)
    for title in ("Tabel Indikator Kinerja", "Tabel T-C.25 Tujuan", "Tabulasi 2024"):
        text = CHAPTERS.read_text(encoding="utf-8").replace("judul: Tujuan dan Sasaran", f'judul: "{title}"')
        source.write_text(text, encoding="utf-8")
        code, _out, err = run("check", str(source))
        assert code == 0, (title, err)


def renumbered_by_libreoffice(docx_path, tmp_path, duplicate) -> list[str]:
    """The pages LibreOffice renders after duplicate(body) inserts a paragraph, as a Word user
    would, without touching any number."""
    require("soffice", "libreoffice-writer-nogui")
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(docx_path) as original, zipfile.ZipFile(edited, "w") as copy_:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/document.xml":
                body = etree.fromstring(data)
                duplicate(body)
                data = etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)
            copy_.writestr(item, data)
    return pdf_pages(libreoffice_pdf([edited], tmp_path, tmp_path / "profile")[0])


def test_a_chapter_inserted_in_word_renumbers_the_chapters_after_it_and_their_tables(built, tmp_path):
    def insert_chapter(body):
        first = next(p for p in styled(body, "Heading1") if paragraph_text(p).startswith("BAB "))
        inserted = copy.deepcopy(first)
        for mark in inserted.iter(W + "pageBreakBefore"):
            mark.getparent().remove(mark)
        first.addprevious(inserted)
    text = normal(" ".join(renumbered_by_libreoffice(built["bab-lengkap"]["docx"], tmp_path, insert_chapter)))
    for n in range(1, 6):
        assert f"BAB {roman(n)}" in text
    # The caption follows its chapter, now the fourth; the DAFTAR TABEL, a TOC field, still shows
    # 3.1 until Word updates it (F9), as it does with the DAFTAR ISI.
    assert text.count("Tabel 4.1 Tujuan dan Sasaran") == 1 and text.count("Tabel 3.1 Tujuan dan Sasaran") == 1


def test_a_mission_inserted_in_word_renumbers_the_missions_after_it(built, tmp_path):
    def insert_mission(body):
        first = styled(body, "Heading2")[0]
        first.addprevious(copy.deepcopy(first))
    text = normal(" ".join(renumbered_by_libreoffice(built[REAL_SOURCE.stem]["docx"], tmp_path, insert_mission)))
    headings = re.findall(r"\b([1-9])\. Menyelenggarakan Pemerintahan yang Bersih", text)
    assert headings[-2:] == ["1", "2"]  # the inserted copy is mission 1, the original now 2
    assert "5. Meningkatkan Kualitas Pelayanan Publik" in text


def test_a_table_inserted_in_word_is_numbered_after_the_ones_before_it(built, tmp_path):
    def insert_table_caption(body):
        [caption] = styled(body, "Caption")
        inserted = copy.deepcopy(caption)
        for mark in list(inserted.iter(W + "bookmarkStart")) + list(inserted.iter(W + "bookmarkEnd")):
            mark.getparent().remove(mark)
        caption.addprevious(inserted)
    text = normal(" ".join(renumbered_by_libreoffice(built["bab-lengkap"]["docx"], tmp_path, insert_table_caption)))
    body = text.split("DAFTAR TABEL")[-1]
    assert "Tabel 3.1 Tujuan dan Sasaran Tabel 3.2 Tujuan dan Sasaran" in body
