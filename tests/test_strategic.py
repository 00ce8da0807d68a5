"""The strategic-chain fixtures as a reader checks them: words, lists, headings, T-C.25, levels, LAMPIRAN."""

from __future__ import annotations

import re
import subprocess
import zipfile

import docx
import pdfplumber
import pytest
import yaml
from lxml import html as lxml_html

from conftest import NS, ROOT, W, docx_blocks, docx_text, normal, paragraph_text, part, pdf_pages, pdf_text, require
from renstra import cli
from renstra.cli import check
from renstra.indonesian import indonesian_number, mission_label
from renstra.render import render_html

FIXTURES = ROOT / "tests" / "fixtures"
NAMES = ["visi-kota", "misi-sembilan", "tujuan-sasaran", "visi-akronim", "misi-urutan", "kelurahan",
         "lampiran-perwal"]
GOLDEN = ROOT / "tests" / "golden" / "tujuan-sasaran-tc25.html"
TC25 = "Tujuan dan Sasaran Jangka Menengah"
CM = 72 / 2.54
# Keys whose text values the documents do not print (metadata, layout, switches).
NOT_PRINTED = {"ringkasan", "kata_kunci", "versi", "tata_letak", "tingkat", "tanda", "rekap", "bagian", "lambang"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """All seven fixtures built once (HTML, PDF, DOCX) in one CLI run; (exit code, folder)."""
    folder = tmp_path_factory.mktemp("strategic")
    code = cli.main(["build", *[str(FIXTURES / f"{name}.yaml") for name in NAMES], "--out", str(folder)])
    return code, folder


@pytest.fixture(scope="module")
def out(built):
    return built[1]


@pytest.fixture(scope="module")
def libreoffice(out, tmp_path_factory):
    """tujuan-sasaran.docx converted to PDF by LibreOffice, with a profile of its own."""
    require("soffice", "libreoffice-writer-nogui")
    target = tmp_path_factory.mktemp("lo")
    profile = tmp_path_factory.mktemp("lo-profile")
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(target), str(out / "tujuan-sasaran.docx")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return target / "tujuan-sasaran.pdf"


# --- small helpers ------------------------------------------------------------------------------

def source(name: str) -> dict:
    return yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def unmarked(text: str) -> str:
    """Source text as printed: inline markup (*, _, backslash) removed, spaces collapsed."""
    return normal(re.sub(r"[*_\\]", "", text))


def printed_values(node, key=""):
    """Every text value of a parsed source that the documents print, and the indicator figures."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in NOT_PRINTED:
                yield from printed_values(v, key if isinstance(k, int) else k)  # target: {year: value}
    elif isinstance(node, list):
        for v in node:
            yield from printed_values(v, key)
    elif isinstance(node, str) or (key in ("awal", "target", "akhir") and isinstance(node, (int, float))):
        yield node


def pdf_words(path) -> str:
    """All text of a PDF, words split at any gap over 1.5 pt (a bold term sits 3 pt from its text)."""
    with pdfplumber.open(path) as pdf:
        return " ".join(page.extract_text(x_tolerance=1.5) or "" for page in pdf.pages)


def styled(path, prefix: str) -> list[str]:
    """Texts of the DOCX paragraphs whose style id starts with prefix ('Sampul', 'Kop', 'Lampiran')."""
    body = part(path, "word/document.xml")
    return [paragraph_text(p) for p in body.iter(W + "p") if paragraph_text(p)  # not the emblem's
            and (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(W + "val").startswith(prefix)]


def docx_paragraphs(path) -> list[str]:
    return [normal(text) for kind, text in docx_blocks(path) if kind == "p"]


def label(tanda: str, n: int) -> str:
    """The marker a reader expects before item n of a list with this tanda."""
    if tanda in ("-", "tanpa"):
        return "" if tanda == "tanpa" else "-"
    shown = chr(ord("a") + n - 1) if "a" in tanda else str(n)
    return tanda.replace("1", shown).replace("a", shown)


def marked_lists(node):
    """(tanda, mulai, items) of every list in the source that sets its marker."""
    if isinstance(node, dict):
        if "daftar" in node and "tanda" in node:
            yield node["tanda"], node.get("mulai", 1), node["daftar"]
        for v in node.values():
            yield from marked_lists(v)
    elif isinstance(node, list):
        for v in node:
            yield from marked_lists(v)


def item_text(item) -> str:
    if isinstance(item, str):
        return unmarked(item)
    return unmarked(" ".join(item[k] for k in ("istilah", "teks") if item.get(k)))


def footers(path) -> list[str]:
    """The text in each page's bottom margin (the page number)."""
    with pdfplumber.open(path) as pdf:
        return [(page.crop((0, page.height - 2.5 * CM, page.width, page.height)).extract_text() or "").strip()
                for page in pdf.pages]


def tc25_html(out) -> str:
    text = (out / "tujuan-sasaran.html").read_text(encoding="utf-8")
    return re.search(rf"<table>\s*<caption[^>]*><span class=\"nomor\">Tabel \d+</span> {TC25}.*?</table>", text, re.S).group(0)


def grid(table_html: str) -> list[list[str]]:
    """The table's rows as Word keeps them: a merged-across cell once, a cell merged from above as ''."""
    table = lxml_html.fromstring(table_html)
    rows, below = [], {}  # below: grid column -> (rows still covered, columns spanned)
    for tr in table.iter("tr"):
        cells, row, column = iter(tr.xpath("th|td")), [], 0
        while True:
            if column in below:
                left, span = below.pop(column)
                if left > 1:
                    below[column] = (left - 1, span)
                row.append("")
                column += span
                continue
            cell = next(cells, None)
            if cell is None:
                later = [c for c in below if c > column]
                if not later:
                    break
                column = min(later)
                continue
            span, down = int(cell.get("colspan", 1)), int(cell.get("rowspan", 1))
            if down > 1:
                below[column] = (down - 1, span)
            row.append(normal(cell.text_content()))
            column += span
        rows.append(row)
    return rows


def shown(value) -> str:
    return value if isinstance(value, str) else indonesian_number(value)


def expected_tc25_body(src: dict) -> list[list[str]]:
    """Form T-C.25 worked out from the source, one row per indicator, as Word keeps merged cells."""
    years = range(src["dokumen"]["periode"]["mulai"], src["dokumen"]["periode"]["selesai"] + 1)
    rows, goal = [], 0
    for number, misi in enumerate(src["misi"], start=1):
        if not misi.get("tujuan"):
            continue
        rows.append([f"Misi {number}: {misi['judul']}"])
        for tujuan in misi["tujuan"]:
            goal += 1
            lines = [["", i["nama"], *[shown(i["target"][y]) for y in years]] for i in tujuan.get("indikator", [])]
            for sasaran in tujuan["sasaran"]:
                for k, i in enumerate(sasaran["indikator"]):
                    lines.append([sasaran["judul"] if k == 0 else "", i["nama"], *[shown(i["target"][y]) for y in years]])
            rows += [([str(goal), tujuan["judul"]] if k == 0 else ["", ""]) + line for k, line in enumerate(lines)]
    return rows


# --- 1. builds ------------------------------------------------------------------------------------

def test_every_fixture_builds_html_pdf_and_docx(built):
    code, folder = built
    assert code == 0
    for name in NAMES:
        for suffix in (".html", ".pdf", ".docx"):
            assert (folder / f"{name}{suffix}").stat().st_size > 0, name + suffix


# --- 2. same words in both outputs, every word of the source -----------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_pdf_and_docx_say_the_same_outside_tables(out, name):
    assert squash(pdf_text(out / f"{name}.pdf", tables=False)) == squash(docx_text(out / f"{name}.docx", tables=False))


@pytest.mark.parametrize("name", NAMES)
def test_every_word_and_figure_of_the_source_is_printed(out, name):
    for kind, text in [("PDF", pdf_words(out / f"{name}.pdf")), ("DOCX", docx_text(out / f"{name}.docx"))]:
        words = set(re.findall(r"\w+", text.casefold()))
        figures = {t.strip("()[]:;\"“”") for t in text.split()}
        missing = []
        for value in printed_values(source(name)):
            if isinstance(value, str):
                missing += [w for w in re.findall(r"\w+", unmarked(value).casefold()) if w not in words]
            elif indonesian_number(value) not in figures:
                missing.append(indonesian_number(value))
        assert not missing, f"{kind} of {name} lacks {missing}"


# --- 3. lists as written -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["visi-kota", "visi-akronim", "misi-urutan"])
def test_list_markers_as_the_source_sets_them(out, name):
    pdf = squash(pdf_text(out / f"{name}.pdf"))
    paragraphs = docx_paragraphs(out / f"{name}.docx")
    lists = list(marked_lists(source(name)))
    assert lists
    for tanda, mulai, items in lists:
        for n, item in enumerate(items, start=mulai):
            expected = normal(f"{label(tanda, n)} {item_text(item)}")
            assert expected in paragraphs, f"DOCX: {expected!r}"
            assert squash(expected) in pdf, f"PDF: {expected!r}"
            if tanda == "tanpa":  # no number, letter or dash before the term
                before = pdf[:pdf.index(squash(expected))]
                assert not re.search(r"(\d+[.)]|\(\w+\)|\b[a-z][.)]|-)$", before), f"PDF: marker before {expected!r}"


def test_term_list_without_numbers(out):
    """visi-akronim's letters of LESTARI: each line is the bold letter and its meaning, no number."""
    paragraphs = docx_paragraphs(out / "visi-akronim.docx")
    pdf = squash(pdf_text(out / "visi-akronim.pdf"))
    letters = [normal(f"{i['istilah']} {i['teks']}") for i in source("visi-akronim")["visi"]["penjelasan"][1]["daftar"]]
    assert [p for p in paragraphs if p in letters] == letters
    assert "yaitu:" + "".join(squash(t) for t in letters) in pdf


def test_missions_numbered_from_mulai(out):
    missions = [m["judul"] for m in source("kelurahan")["misi"]["daftar"]]
    paragraphs = docx_paragraphs(out / "kelurahan.docx")
    assert paragraphs.count(f"2. {missions[0]}") == 2 and paragraphs.count(f"3. {missions[1]}") == 2  # list, heading
    assert not [p for p in paragraphs if p.startswith("1. ")]
    pdf = squash(pdf_text(out / "kelurahan.pdf"))
    assert squash(f"yaitu : 2. {missions[0]} 3. {missions[1]}") in pdf
    assert squash(f"1. {missions[0]}") not in pdf


# --- 4. mission headings ------------------------------------------------------------------------

def test_mission_headings_in_words(out):
    expected = ["Misi Pertama", "Misi Kedua", "Misi Ketiga", "Misi Keempat", "Misi Kelima", "Misi Keenam"]
    lines = "\n".join(pdf_pages(out / "misi-urutan.pdf")).splitlines()
    assert [line for line in lines if re.fullmatch(r"Misi [A-Z][a-z]+", line)] == expected
    headings = [p.text.split("\n") for p in docx.Document(str(out / "misi-urutan.docx")).paragraphs
                if p.style.name == "Heading 2"]
    assert [h[0] for h in headings] == expected
    assert [h[1] for h in headings] == [m["judul"] for m in source("misi-urutan")["misi"]]


# --- 5. the T-C.25 table ------------------------------------------------------------------------

def test_tc25_matches_golden(out, refresh):
    table = tc25_html(out) + "\n"
    if refresh:
        GOLDEN.write_text(table, encoding="utf-8")
    assert table == GOLDEN.read_text(encoding="utf-8"), (
        "T-C.25 differs from tests/golden/tujuan-sasaran-tc25.html; if intended, check it by hand, then run "
        ".venv/bin/python -m pytest tests/test_strategic.py --refresh-golden")


def test_tc25_rows_follow_the_source(out):
    rows = grid(tc25_html(out))
    assert rows[:2] == [["No", "Tujuan", "Sasaran", "Indikator Tujuan/Sasaran",
                         "Target Kinerja Tujuan/Sasaran pada Tahun ke-"], ["", "", "", "", "1", "2", "3", "4", "5"]]
    assert rows[2:] == expected_tc25_body(source("tujuan-sasaran"))
    table = lxml_html.fromstring(tc25_html(out))
    assert [c.get("colspan") for c in table.xpath("//tbody/tr[count(td) = 1]/td")] == ["9", "9"]
    spans = {normal(td.text_content()): int(td.get("rowspan", 1)) for td in table.xpath("//tbody//td")}
    for misi in source("tujuan-sasaran")["misi"]:
        for tujuan in misi.get("tujuan", []):
            assert spans[tujuan["judul"]] == len(tujuan.get("indikator", [])) + sum(
                len(s["indikator"]) for s in tujuan["sasaran"])
            for sasaran in tujuan["sasaran"]:
                assert spans[sasaran["judul"]] == len(sasaran["indikator"])


def test_tc25_docx_table_equals_html_table(out):
    tables = [rows for kind, rows in docx_blocks(out / "tujuan-sasaran.docx") if kind == "table"]
    word = [rows for rows in tables if rows[0][0] == "No" and rows[0][1] == "Tujuan"]
    assert len(word) == 1
    assert [[normal(c) for c in row] for row in word[0]] == grid(tc25_html(out))


def table_cells(pdf_path, header: list[str]) -> list[str]:
    """Non-empty cell texts (spaces removed: a cell breaks lines anywhere), in row order, of the
    PDF tables under this two-row header, which repeats on each page; up to the next table's header."""
    cells = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows = [[squash(c or "") for c in row] for row in table]
                if [c for c in rows[0] if c] != header:
                    continue
                for row in rows[2:]:
                    if row[0] == "No":
                        break
                    cells += [c for c in row if c]
    return cells


def test_tc25_in_pdf_and_libreoffice_has_every_cell_in_row_order(out, libreoffice):
    rows = [[squash(c) for c in row] for row in grid(tc25_html(out))]
    body = [c for row in rows[2:] for c in row if c]
    assert table_cells(out / "tujuan-sasaran.pdf", rows[0]) == body
    assert table_cells(libreoffice, rows[0]) == body
    numbers = footers(libreoffice)[1:]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


def test_libreoffice_prints_no_blank_page(libreoffice):
    blank = [number for number, text in enumerate(pdf_pages(libreoffice), start=1) if not text.strip()]
    assert not blank, f"blank pages {blank}"


# --- 6. landscape ---------------------------------------------------------------------------------

def test_tc25_page_is_landscape_and_numbers_continue(out):
    with pdfplumber.open(out / "tujuan-sasaran.pdf") as pdf:
        [page] = [p for p in pdf.pages if TC25 in (p.extract_text() or "")]
        assert page.width > page.height
    numbers = footers(out / "tujuan-sasaran.pdf")[1:]  # the cover has none
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    body = part(out / "tujuan-sasaran.docx", "word/document.xml").find("w:body", NS)
    blocks = list(body.iter(W + "tbl", W + "sectPr"))
    table = next(b for b in blocks if b.tag == W + "tbl" and TC25 in paragraph_text(b.getprevious()))
    section = next(b for b in blocks[blocks.index(table):] if b.tag == W + "sectPr")
    size = section.find("w:pgSz", NS)
    assert size.get(W + "orient") == "landscape" and int(size.get(W + "w")) > int(size.get(W + "h"))
    starts = [s.find("w:pgNumType", NS).get(W + "start") for s in body.iter(W + "sectPr")
              if s.find("w:pgNumType", NS) is not None]
    assert starts[0] == "1" and not any(starts[1:])  # only the body's first section restarts at 1


# --- 7. nothing invented --------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_emblem_only_when_the_source_names_one(out, run, name):
    given = "lambang" in source(name)["instansi"]
    assert ("<img" in (out / f"{name}.html").read_text(encoding="utf-8")) == given
    with zipfile.ZipFile(out / f"{name}.docx") as package:
        assert bool([n for n in package.namelist() if n.startswith("word/media/")]) == given
        assert (b"<w:drawing" in package.read("word/document.xml")) == given
    code, _, stderr = run("check", FIXTURES / f"{name}.yaml")
    assert code == 0
    assert bool([line for line in stderr.splitlines() if "warning: no emblem" in line]) == (not given)


def test_table_of_contents_only_with_chapters(out):
    for name, present in [("visi-kota", False), ("lampiran-perwal", True)]:
        assert ("bab" in source(name)) == present
        assert ("DAFTAR ISI" in pdf_text(out / f"{name}.pdf")) == present, name
        assert ("DAFTAR ISI" in docx_text(out / f"{name}.docx")) == present, name


# --- 8. government levels -------------------------------------------------------------------------

def cover_lines(out, name) -> dict[str, list[str]]:
    return {"PDF": pdf_pages(out / f"{name}.pdf")[0].splitlines(), "DOCX": styled(out / f"{name}.docx", "Sampul")}


def test_city_cover_has_one_pemerintah_line(out):
    for kind, lines in cover_lines(out, "visi-kota").items():
        assert [line for line in lines if line.startswith("PEMERINTAH")] == ["PEMERINTAH KOTA TIRTASARI"], kind


def test_city_cover_starts_with_pemerintah(out):
    for kind, lines in cover_lines(out, "visi-kota").items():
        assert lines[0] == "PEMERINTAH KOTA TIRTASARI", kind


def test_village_cover_lines_in_order(out):
    for kind, lines in cover_lines(out, "visi-akronim").items():
        wanted = ["PEMERINTAH KABUPATEN BANYUASRI", "KECAMATAN SUMBERMULYO", "DESA KARANGWUNI"]
        assert [line for line in lines if line in wanted] == wanted, kind
        assert lines[0] == wanted[0], kind


def test_kelurahan_letterhead(out):
    wanted = ["PEMERINTAH KOTA TIRTASARI", "KECAMATAN TIRTASARI BARAT", "KELURAHAN KEBONSARI"]
    assert pdf_pages(out / "kelurahan.pdf")[1].splitlines()[:3] == wanted
    assert styled(out / "kelurahan.docx", "Kop")[:3] == wanted


# --- 9. LAMPIRAN ----------------------------------------------------------------------------------

LAMPIRAN = ["LAMPIRAN", "PERATURAN BUPATI SEKARJATI", "NOMOR 38 TAHUN 2022", "TANGGAL 13 JUNI 2022", "TENTANG",
            "RENCANA STRATEGIS KECAMATAN PAGERWANGI TAHUN 2022-2026"]


def test_lampiran_heads_the_first_body_page_at_the_right(out):
    pages = pdf_pages(out / "lampiran-perwal.pdf")
    assert "DAFTAR ISI" in pages[1] and "DAFTAR TABEL" in pages[2]  # front matter, then the body
    lines = pages[3].splitlines()
    assert lines[:5] == LAMPIRAN[:5]
    assert normal(" ".join(lines[5:])).startswith(LAMPIRAN[5])
    with pdfplumber.open(out / "lampiran-perwal.pdf") as pdf:
        page = pdf.pages[3]
        words = page.extract_words()
        assert words[0]["text"] == "LAMPIRAN"
        for first in ("LAMPIRAN", "PERATURAN", "NOMOR", "TANGGAL", "TENTANG"):
            assert next(w for w in words if w["text"] == first)["x0"] > page.width / 2, first
    assert styled(out / "lampiran-perwal.docx", "Lampiran") == LAMPIRAN


# --- 10. formatting units -------------------------------------------------------------------------

@pytest.mark.parametrize("number, text", [(1250000000, "1.250.000.000"), (2500000.5, "2.500.000,5"),
                                          (75.25, "75,25"), (0.1, "0,1"), (2.5, "2,5"),
                                          (1e20, "100.000.000.000.000.000.000")])
def test_indonesian_number(number, text):
    assert indonesian_number(number) == text


def test_mission_label():
    assert [mission_label(1, style) for style in ("nomor", "misi-nomor", "misi-urutan")] == [
        "1.", "Misi 1", "Misi Pertama"]
    assert mission_label(11, "misi-urutan") == "Misi Kesebelas"


def test_a_source_s_own_introduction_prints_even_without_mission_sections(tmp_path):
    text = (ROOT / "tests" / "fixtures" / "misi-sembilan.yaml").read_text(encoding="utf-8")
    assert "pengantar_makna" not in text
    plain = render_of(tmp_path, "plain", text)
    assert "Makna" not in plain  # no mission has a section of its own: the computed sentence is left out
    own = text.replace("  daftar:\n", "  pengantar_makna:\n    - Kalimat penghubung milik sumber.\n  daftar:\n", 1)
    assert own != text
    assert "<p>Kalimat penghubung milik sumber.</p>" in render_of(tmp_path, "own", own)


def render_of(tmp_path, name: str, text: str) -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    source, model = check(str(path))
    return render_html(model, source, tmp_path).html
