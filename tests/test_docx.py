"""The DOCX: same words as the seed and the PDF, real Word styles, numbering, fields and layout."""

from __future__ import annotations

import dataclasses
import re
import zipfile

import docx
import pdfplumber
import pytest

from conftest import (NS, REAL_SOURCE, ROOT, SEED, W, docx_blocks, docx_text, libreoffice_pdf, normal,
                      paragraph_text, part, pdf_pages, pdf_text)
from renstra.cli import build, check
from renstra.docx import UnknownElement, write_docx
from renstra.render import render_html

FIXTURE = ROOT / "tests" / "fixtures" / "bab-lengkap.yaml"
LEVELS = [("decimal", "%1."), ("lowerLetter", "%2."), ("decimal", "%3)"), ("lowerLetter", "%4)")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each document built once, PDF and DOCX; the DOCX of the real source a second time elsewhere."""
    out = tmp_path_factory.mktemp("built")
    files = {}
    for source in (REAL_SOURCE, FIXTURE):
        pdf, docx_path = build(str(source), out, ["pdf", "docx"])
        files[source.stem] = {"pdf": pdf, "docx": docx_path}
    again = tmp_path_factory.mktemp("again")
    files["again"] = build(str(REAL_SOURCE), again, ["docx"])[0]
    return files


@pytest.fixture(scope="module")
def libreoffice(built, tmp_path_factory):
    """Both DOCX files converted to PDF by LibreOffice, with a profile of its own."""
    names = (REAL_SOURCE.stem, FIXTURE.stem)
    pdfs = libreoffice_pdf([built[name]["docx"] for name in names], tmp_path_factory.mktemp("lo"),
                           tmp_path_factory.mktemp("lo-profile"), timeout=120)
    return dict(zip(names, pdfs))


# --- words ------------------------------------------------------------------------------------

def test_docx_holds_every_seed_sentence_in_order(built):
    text = docx_text(built[REAL_SOURCE.stem]["docx"])
    seed = SEED.read_text(encoding="utf-8").splitlines()
    sentences = [seed[2]] + re.split(r"(?<=[.:)])\s+(?=[A-Z0-9a-z])", seed[4])
    position = 0
    for sentence in sentences:
        found = text.find(normal(sentence), position)
        assert found >= 0, f"not found in order: {sentence!r}"
        position = found + len(sentence)


def test_docx_text_equals_pdf_text(built):
    """Cover, headings, paragraphs and list numbers: the two outputs say the same thing."""
    files = built[REAL_SOURCE.stem]
    assert docx_text(files["docx"]) == pdf_text(files["pdf"])


def test_chaptered_docx_text_equals_pdf_text_outside_tables(built):
    # pdfplumber reads a table line by line across cells, and the PDF repeats header rows on each
    # page, so tables are compared by row below and left out here.
    files = built[FIXTURE.stem]
    assert docx_text(files["docx"], tables=False) == pdf_text(files["pdf"], tables=False)


def test_chaptered_table_rows_equal_pdf_table_rows(built):
    files = built[FIXTURE.stem]
    [rows] = [content for kind, content in docx_blocks(files["docx"]) if kind == "table" and len(content) > 2]
    word_rows = [[normal(c) for c in row] for row in rows]
    pdf_rows = []
    with pdfplumber.open(files["pdf"]) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                for row in table:
                    cells = [normal(c or "") for c in row]
                    if cells not in pdf_rows:  # header rows repeat on every page
                        pdf_rows.append(cells)
    # Word keeps a merged cell once (with gridSpan) where pdfplumber pads the row with empties.
    assert [[c for c in r if c] for r in word_rows] == [[c for c in r if c] for r in pdf_rows]
    table = check(str(FIXTURE))[1].bab[2].isi[1].tabel
    assert len(word_rows) == len(table.kepala) + len(table.baris)


# --- Word structure ---------------------------------------------------------------------------

def test_lists_use_word_numbering_restarting_per_list(built):
    path = built[REAL_SOURCE.stem]["docx"]
    numbering = part(path, "word/numbering.xml")
    [abstract] = [a for a in numbering.findall("w:abstractNum", NS)
                  if a.find("w:name", NS).get(W + "val") == "Daftar Renstra"]
    levels = [(lvl.find("w:numFmt", NS).get(W + "val"), lvl.find("w:lvlText", NS).get(W + "val"))
              for lvl in abstract.findall("w:lvl", NS)]
    assert levels[:4] == LEVELS
    body = part(path, "word/document.xml")
    items = body.xpath(".//w:p[w:pPr/w:numPr]", namespaces=NS)
    assert len(items) == 4 + 6 + 3 + 5  # the missions, then the three lettered lists
    assert not [p for p in body.iter(W + "t") if re.match(r"^\s*[a-f0-9]+[.)]\s", p.text or "")]
    used = []
    for p in items:
        num_id = p.find("w:pPr/w:numPr/w:numId", NS).get(W + "val")
        if num_id not in used:
            used.append(num_id)
    assert len(used) == 4  # each list has its own w:num, so each restarts
    for num in numbering.findall("w:num", NS):
        if num.get(W + "numId") in used:
            assert num.find("w:lvlOverride/w:startOverride", NS).get(W + "val") == "1"
    texts = [t for kind, t in docx_blocks(path) if kind == "p"]
    assert "a. Membangun pemahaman" in " ".join(texts)
    assert "a. Peningkatan ketrampilan masyarakat" in " ".join(texts)


def test_four_level_lists_nest_by_ilvl(built):
    texts = [t for kind, t in docx_blocks(built[FIXTURE.stem]["docx"]) if kind == "p"]
    for expected in ["1. Butir pertama tingkat satu.", "2. Butir dengan istilah. Penjelasan butir ini.",
                     "a. Butir tingkat dua.", "1) Butir tingkat tiga.", "b) Butir tingkat empat kedua.",
                     "3. Butir ketiga tingkat satu.", "1. Daftar baru mulai lagi dari satu."]:
        assert expected in texts


def test_styles_language_and_fonts(built):
    path = built[REAL_SOURCE.stem]["docx"]
    styles = part(path, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:lang", NS).get(W + "val") == "id-ID"
    assert defaults.find("w:rFonts", NS).get(W + "ascii") == "Arial"
    assert defaults.find("w:sz", NS).get(W + "val") == "24"
    settings = part(path, "word/settings.xml")
    assert settings.find("w:themeFontLang", NS).get(W + "val") == "id-ID"
    document = docx.Document(str(path))
    used = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "Body Text", "Body Text Indent", "List Paragraph",
            "Sampul Pemerintah", "Tanda Tangan"} <= used
    missions = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert len(missions) == 4 and missions[0].startswith("1.\tMenyelenggarakan")
    # Paragraphs of text follow their styles; the empty 1-point paragraphs that hold section breaks
    # (after a table or the cover's framed year) are not text.
    body = [p for p in document.paragraphs if p.style.name in ("Body Text", "Body Text Indent") and p.text]
    assert all(p.paragraph_format.alignment is None and p.paragraph_format.line_spacing is None for p in body)
    normal_style = document.styles["Normal"].paragraph_format
    assert normal_style.line_spacing == 1.5 and normal_style.alignment == 3  # justified


def test_page_size_margins_and_page_numbers(built):
    path = built[FIXTURE.stem]["docx"]
    document = docx.Document(str(path))
    sections = document.sections
    assert len(sections) == 3  # cover, front matter, body
    for section in sections:
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        assert [round(m.cm, 2) for m in (section.top_margin, section.right_margin,
                                         section.bottom_margin, section.left_margin)] == [2, 2, 2.5, 3]
    kinds = [s._sectPr.find("w:pgNumType", NS) for s in sections]
    assert kinds[0] is None and not sections[0]._sectPr.findall("w:footerReference", NS)
    assert (kinds[1].get(W + "fmt"), kinds[1].get(W + "start")) == ("lowerRoman", "1")
    assert (kinds[2].get(W + "fmt"), kinds[2].get(W + "start")) == ("decimal", "1")
    for section in sections[1:]:
        footer = section.footer._element
        assert " PAGE " in [t.text for t in footer.iter(W + "instrText")]
        assert footer.find(".//w:pStyle", NS).get(W + "val") == "Footer"


def test_f4_paper_from_the_source(tmp_path):
    source = tmp_path / "f4.yaml"
    source.write_text(REAL_SOURCE.read_text(encoding="utf-8").replace("kertas: A4", "kertas: F4")
                      .replace("huruf: Arial", "huruf: Bookman Old Style"), encoding="utf-8")
    [path] = build(str(source), tmp_path, ["docx"])
    document = docx.Document(str(path))
    assert [round(document.sections[-1].page_width.mm), round(document.sections[-1].page_height.mm)] == [215, 330]
    fonts = part(path, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(W + "ascii") == "Bookman Old Style"


def test_table_of_contents_is_a_filled_field(built):
    path = built[FIXTURE.stem]["docx"]
    body = part(path, "word/document.xml")
    assert 'TOC \\o "1-2" \\h \\z \\u' in [t.text.strip() for t in body.iter(W + "instrText")]
    kinds = [f.get(W + "fldCharType") for f in body.iter(W + "fldChar")]
    assert kinds and kinds == ["begin", "separate", "end"] * (len(kinds) // 3)  # whole fields, none nested
    entries = body.xpath(".//w:p[w:pPr/w:pStyle[@w:val='TOC1' or @w:val='TOC2']]", namespaces=NS)
    texts = sorted(normal(paragraph_text(p)) for p in entries if paragraph_text(p))
    pdf_toc = pdf_pages(built[FIXTURE.stem]["pdf"])[1]
    for text in texts:
        assert text in normal(pdf_toc), text  # same headings, same page numbers as the PDF
    assert [t for t in texts if re.fullmatch(r"BAB IV PENUTUP \d+", t)]  # the last chapter, with its page
    anchors = {h.get(W + "anchor") for h in body.iter(W + "hyperlink")}
    marks = {b.get(W + "name") for b in body.iter(W + "bookmarkStart")}
    assert anchors and anchors <= marks
    styles = docx.Document(str(path)).styles
    [stop] = list(styles["toc 1"].paragraph_format.tab_stops)
    assert stop.leader == 1 and stop.alignment == 2  # dots, right-aligned


def test_tables_repeat_header_rows_and_merge_cells(built):
    body = part(built[FIXTURE.stem]["docx"], "word/document.xml")
    table = max(body.iter(W + "tbl"), key=lambda t: len(t.findall("w:tr", NS)))
    rows = table.findall("w:tr", NS)
    assert [r.find("w:trPr/w:tblHeader", NS) is not None for r in rows[:3]] == [True, True, False]
    assert [c.get(W + "val") for c in rows[0].iter(W + "gridSpan")] == ["5"]
    assert len([m for m in rows[0].iter(W + "vMerge") if m.get(W + "val") == "restart"]) == 5
    assert len(list(rows[1].iter(W + "vMerge"))) == 5
    caption = table.getprevious()
    assert caption.find("w:pPr/w:pStyle", NS).get(W + "val") == "Caption"
    assert paragraph_text(caption) == "Tabel 3.1 Tujuan dan Sasaran"  # numbered by its chapter, BAB III


def test_signature_block_at_the_right_and_cover_emblem(built):
    document = docx.Document(str(built[FIXTURE.stem]["docx"]))
    signature = [p for p in document.paragraphs if p.style.name.startswith(("Tanda Tangan", "Ruang Tanda"))]
    assert [p.text for p in signature] == ["Magelang, 17 Januari 2022", "CAMAT CONTOH,", "",
                                           "Nama Camat, S.Sos., M.Si.", "Pembina (IV/a)",
                                           "NIP. 19700101 199001 1 001"]
    # The signature never opens a page alone: the paragraph before it keeps with it, as in the PDF.
    paragraphs = document.paragraphs
    before = paragraphs[[p._p for p in paragraphs].index(signature[0]._p) - 1]
    assert before.text and before.paragraph_format.keep_with_next
    text_width = document.sections[-1].page_width - document.sections[-1].left_margin - document.sections[-1].right_margin
    assert abs(document.styles["Tanda Tangan"].paragraph_format.left_indent - text_width / 2) < 700
    cover = [p for p in document.paragraphs if p.style.name == "Sampul Lambang"]
    assert cover and cover[0]._p.findall(".//" + W + "drawing")


def test_core_properties_and_no_python_docx(built):
    path = built[REAL_SOURCE.stem]["docx"]
    core = docx.Document(str(path)).core_properties
    assert core.title == "MISI KECAMATAN MAGELANG UTARA"
    assert core.author == core.last_modified_by == "Kecamatan Magelang Utara"
    assert core.subject == "Misi Kecamatan Magelang Utara Kota Magelang Tahun 2011-2015"
    assert core.keywords == "Renstra, Misi, Kecamatan Magelang Utara, Kota Magelang"
    assert core.created.isoformat().startswith("2013-03-03") and core.revision == 1
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("docProps/"):
                assert b"python-docx" not in package.read(name), name


def test_two_builds_give_identical_bytes(built):
    assert built[REAL_SOURCE.stem]["docx"].read_bytes() == built["again"].read_bytes()
    with zipfile.ZipFile(built["again"]) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml"


# --- LibreOffice ------------------------------------------------------------------------------

def test_libreoffice_renders_within_a_page_of_the_pdf(built, libreoffice):
    for name in (REAL_SOURCE.stem, FIXTURE.stem):
        with pdfplumber.open(libreoffice[name]) as word, pdfplumber.open(built[name]["pdf"]) as print_:
            assert abs(len(word.pages) - len(print_.pages)) <= 1, name


def test_libreoffice_shows_list_numbers_and_page_numbers(libreoffice):
    real = pdf_pages(libreoffice[REAL_SOURCE.stem])
    assert "a. Membangun pemahaman" in normal(" ".join(real))
    fixture = normal(" ".join(pdf_pages(libreoffice[FIXTURE.stem])))
    for expected in ["1) Butir tingkat tiga.", "a) Butir tingkat empat.", "1. Daftar baru mulai lagi dari satu."]:
        assert expected in fixture
    with pdfplumber.open(libreoffice[FIXTURE.stem]) as pdf:
        footers = [(page.extract_text() or "").splitlines()[-1].strip() for page in pdf.pages]
    # cover, DAFTAR ISI, DAFTAR TABEL, body
    assert footers[0] == "2022" and footers[1:3] == ["i", "ii"] and footers[3] == "1"


# --- bad HTML ---------------------------------------------------------------------------------

def rendered_real(tmp_path):
    source, model = check(str(REAL_SOURCE))
    return render_html(model, source, tmp_path)


@pytest.mark.parametrize("insert, named", [
    ('<blink class="x">hello</blink>', '<blink class="x">'),
    ("<p>Makna <u>garis</u></p>", "<u>"),
    ("stray words", "loose text 'stray words'"),
])
def test_unknown_html_is_a_clear_error_and_keeps_the_old_file(tmp_path, insert, named):
    rendered = rendered_real(tmp_path)
    html = rendered.html.replace('<main class="isi">', '<main class="isi">' + insert, 1)
    target = tmp_path / "old.docx"
    target.write_bytes(b"previous build")
    with pytest.raises(UnknownElement) as error:
        write_docx(dataclasses.replace(rendered, html=html), target)
    message = str(error.value)
    assert message.startswith("renstra.html.j2: ") and named in message
    assert target.read_bytes() == b"previous build"


def test_a_title_longer_than_word_properties_hold_is_whole_in_the_text(tmp_path):
    title = "RENCANA STRATEGIS KECAMATAN " + "DAN SELURUH DESA DI WILAYAHNYA " * 12
    text = REAL_SOURCE.read_text(encoding="utf-8").replace("  judul: MISI KECAMATAN MAGELANG UTARA",
                                                            f"  judul: {title.strip()}")
    source = tmp_path / "panjang.yaml"
    source.write_text(text, encoding="utf-8")
    [path] = build(str(source), tmp_path, ["docx"])
    core = docx.Document(str(path)).core_properties
    assert len(core.title) <= 255 and core.title.endswith("\u2026")
    assert title.strip() in docx_text(path)  # the document itself holds every word


# --- the font table: what Word substitutes for a missing font ------------------------------------

def font_table(path) -> list[dict]:
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
        assert 'relationships/fontTable" Target="fontTable.xml"' in rels
        assert "word/fontTable.xml" in names
        xml = package.read("word/fontTable.xml").decode("utf-8")
    entries = []
    for name, body in re.findall(r'<w:font w:name="([^"]+)">(.*?)</w:font>', xml):
        entry = dict(re.findall(r'<w:(\w+) w:val="([^"]*)"/>', body))
        entry["name"] = name
        entries.append(entry)
    return entries


@pytest.mark.parametrize("source, font, alternative, family, panose", [
    (REAL_SOURCE, "Arial", "Liberation Sans", "swiss", "020B0604020202020204"),
    (ROOT / "tests" / "fixtures" / "misi-sembilan.yaml", "Bookman Old Style", "TeX Gyre Bonum", "roman",
     "02050604050505020204"),
], ids=["Arial", "Bookman"])
def test_the_body_font_names_its_fallbacks_in_the_font_table(tmp_path, source, font, alternative, family, panose):
    """A machine without Bookman Old Style gets a serif of the same pitch, not Word's default sans:
    Word tries the alternative name (the free font the PDF embeds), then PANOSE and family."""
    docx_path = build(str(source), tmp_path, ["docx"])[0]
    entries = [entry for entry in font_table(docx_path) if entry["name"] == font]
    assert entries == [{"name": font, "altName": alternative, "panose1": panose, "charset": "00",
                        "family": family, "pitch": "variable"}]


def test_a_reference_with_a_font_table_of_its_own_keeps_it_and_gets_one_entry_per_font(tmp_path, monkeypatch):
    """A reference saved by Word or LibreOffice has a font table; its entry for the body font is
    replaced, its other fonts are kept."""
    from renstra import docx as writer

    reference = tmp_path / "reference.docx"
    table = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="'
             'http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="Arial">'
             '<w:family w:val="auto"/></w:font><w:font w:name="Times New Roman"><w:family w:val="roman"/>'
             '</w:font></w:fonts>')
    with zipfile.ZipFile(writer.REFERENCE) as original, zipfile.ZipFile(reference, "w") as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFonts" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/fontTable" '
                                    b'Target="fontTable.xml"/></Relationships>')
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/fontTable.xml" ContentType="'
                                    b'application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable'
                                    b'+xml"/></Types>')
            copy.writestr(item, data)
        copy.writestr("word/fontTable.xml", table)
    monkeypatch.setattr(writer, "REFERENCE", reference)
    entries = font_table(build(str(REAL_SOURCE), tmp_path / "out", ["docx"])[0])
    assert [entry["name"] for entry in entries] == ["Times New Roman", "Arial"]
    assert entries[1]["family"] == "swiss" and entries[1]["altName"] == "Liberation Sans"
