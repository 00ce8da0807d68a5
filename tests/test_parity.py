"""Page parity: the PDF and the DOCX (as LibreOffice renders it, with Liberation Sans for Arial)
break their pages in the same places. For every fixture, the share of pages whose first line is
the same in both outputs, and the page counts; the figures are printed at the end of the run.
Within the pages, each line stands where the DOCX puts it: list numbers at the margin, text at
the tab stop, headings' titles in line with the paragraphs under them."""

from __future__ import annotations

import shutil
from collections import Counter

import pdfplumber
import pytest
import yaml

from conftest import REAL_SOURCE, ROOT, libreoffice_pdf, pdf_pages
from renstra.cli import build

SOURCES = [REAL_SOURCE] + sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))
GOAL = 0.9  # of all pages over all fixtures start alike
# What the test output reports (conftest.pytest_terminal_summary prints it).
REPORT: list[str] = []


def first_body_lines(pages: list[str]) -> list[str]:
    """Each page's first line of body text: a table's header rows repeated at the top of a page
    are skipped (lines the page before holds too), so a table page counts by its first row."""
    lines = [[" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in pages]
    firsts = []
    for number, page in enumerate(lines):
        before = set(lines[number - 1]) if number else set()
        firsts.append(next((line for line in page if line not in before), page[0] if page else ""))
    return firsts


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """Each source's PDF, and its DOCX converted to PDF by LibreOffice."""
    out = tmp_path_factory.mktemp("out")
    built = {source.stem: build(str(source), out, ["pdf", "docx"]) for source in SOURCES}
    rendered = libreoffice_pdf([docx for _pdf, docx in built.values()], tmp_path_factory.mktemp("lo"),
                               tmp_path_factory.mktemp("profile"), timeout=600)
    return {name: (pdf, word) for (name, (pdf, _docx)), word in zip(built.items(), rendered)}


def test_pages_start_alike_in_the_pdf_and_in_word(both):
    alike_in_all = pages_in_all = 0
    unequal_counts = []
    for name, paths in both.items():
        printed, word = (pdf_pages(path) for path in paths)
        alike = sum(a == b for a, b in zip(first_body_lines(printed), first_body_lines(word)))
        alike_in_all += alike
        pages_in_all += max(len(printed), len(word))
        if len(printed) != len(word):
            unequal_counts.append(name)
        REPORT.append(f"{name}: {alike} of {max(len(printed), len(word))} pages start alike; "
                      f"pages {len(printed)} (PDF) / {len(word)} (LibreOffice)")
    share = alike_in_all / pages_in_all
    REPORT.append(f"all fixtures: {alike_in_all} of {pages_in_all} pages start alike ({share:.0%}; goal {GOAL:.0%})")
    assert not unequal_counts, f"page counts differ: {unequal_counts}"
    assert share >= GOAL, "\n".join(REPORT)


# How far a line may stand from where LibreOffice sets it: less than a space of 10 pt type.
PLACE_TOLERANCE_PT = 1.0


def body_lines(path) -> list[tuple[str, float, float]]:
    """(text, left, right) of every line outside tables and the page-number margin. Table cells
    are left out: the PDF sizes its columns by their content, Word by the writer's estimate."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables = [table.bbox for table in page.find_tables()]
            footer_top = page.height - 2.5 * 72 / 2.54
            for line in page.extract_text_lines():
                inside = any(x0 - 1 <= line["x0"] <= x1 and top - 1 <= line["top"] <= bottom + 1
                             for x0, top, x1, bottom in tables)
                if line["top"] < footer_top and not inside:
                    found.append((" ".join(line["text"].split()), line["x0"], line["x1"]))
    return found


def test_lines_stand_where_word_puts_them(both):
    """Every line that reads the same in both outputs (and only once in each) starts at the same
    place, or, centred, has the same middle: list numbers at the list's margin and their text at
    the tab stop, sub-lists one indent in, headings' numbers at the margin and titles at the tab."""
    misplaced, compared, lines_in_all = [], 0, 0
    for name, (printed_path, word_path) in both.items():
        printed, word = body_lines(printed_path), body_lines(word_path)
        lines_in_all += len(printed)
        in_printed, in_word = Counter(t for t, _, _ in printed), Counter(t for t, _, _ in word)
        once = {text for text, count in in_printed.items() if count == 1 and in_word[text] == 1}
        at = {text: (left, right) for text, left, right in word if text in once}
        for text, left, right in printed:
            if text not in once:
                continue
            compared += 1
            word_left, word_right = at[text]
            if (abs(left - word_left) > PLACE_TOLERANCE_PT
                    and abs((left + right) - (word_left + word_right)) / 2 > PLACE_TOLERANCE_PT):
                misplaced.append(f"{name}: {text[:50]!r} starts {left - word_left:+.1f} pt from Word's")
    assert compared >= 0.8 * lines_in_all, f"only {compared} of {lines_in_all} lines read alike"
    assert not misplaced, "\n".join(misplaced[:20])


def column_widths(path) -> list[list[float]]:
    """The column widths of every table part on every page, in order."""
    with pdfplumber.open(path) as pdf:
        return [[right - left for left, right in zip(edges, edges[1:])]
                for page in pdf.pages for table in page.find_tables()
                for edges in [sorted({round(cell[0], 1) for cell in table.cells} | {round(table.bbox[2], 1)})]]


def test_tables_have_the_same_columns_in_word(both):
    """The DOCX's column widths are the PDF's automatic layout, computed ahead: each column of
    each table within 2 pt of the PDF's, so that cells wrap alike and rows break pages alike."""
    compared, apart = 0, []
    for name, (printed, word) in both.items():
        for number, (in_pdf, in_word) in enumerate(zip(column_widths(printed), column_widths(word)), start=1):
            assert len(in_pdf) == len(in_word), f"{name}: table part {number} has other columns in Word"
            compared += 1
            worst = max(abs(a - b) for a, b in zip(in_pdf, in_word))
            if worst > 2:
                apart.append(f"{name} table part {number}: PDF {in_pdf}, Word {in_word}")
    assert compared >= 5, f"only {compared} table parts compared"
    assert not apart, "\n".join(apart)


def test_columns_follow_bold_italic_and_dashes_as_the_pdf_does(tmp_path, run):
    """Bold and italic words in body cells are measured in their own fonts, and a line may break
    after an en dash ("2021–2026") as the PDF's line breaker allows: the columns still agree."""
    rows = [[1, "**Penguatan Kelembagaan Kecamatan Sebagai Simpul Pelayanan**", "*Good governance* terukur",
             "2021–2026"],
            [2, "Peningkatan kualitas pelayanan administrasi terpadu kecamatan yang cepat dan tepat",
             "**INDEKS**", "2022–2027 (lima tahun anggaran berjalan)"]]
    document = yaml.safe_load((ROOT / "tests" / "fixtures" / "bab-lengkap.yaml").read_text(encoding="utf-8"))
    document["bab"][0]["isi"] = [{"tabel": {"judul": "Uji lebar kolom", "kepala": [["No", "Program", "Sifat", "Periode"]],
                                            "baris": rows}}]
    source = tmp_path / "kolom.yaml"
    source.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(ROOT / "tests" / "fixtures" / "lambang-contoh.png", tmp_path)
    code, _, err = run("build", "--formats", "pdf,docx", "--out", tmp_path, source)
    assert code == 0, err
    word = libreoffice_pdf([tmp_path / "kolom.docx"], tmp_path / "lo", tmp_path / "profile")[0]
    # The fixture's other chapters hold tables of other shapes; this one has four columns.
    in_pdf, in_word = ([widths for widths in column_widths(path) if len(widths) == 4][0]
                       for path in (tmp_path / "kolom.pdf", word))
    assert max(abs(a - b) for a, b in zip(in_pdf, in_word)) <= 2, f"PDF {in_pdf}, Word {in_word}"


def test_a_table_caption_is_never_left_at_the_foot_of_a_page(tmp_path, run):
    """Each chapter starts a page; chapter k holds k paragraphs and then a captioned table whose
    first row is tall, so that over the chapters the caption meets the page's foot at every
    height. In both outputs the caption stands on the page of the table's first row."""
    filler = "Kalimat pengisi untuk menggeser tabel ke bawah."
    chapters = []
    for k in range(14, 34):
        chapters.append({"judul": f"BAB UJI {k}", "isi": [filler] * k + [{"tabel": {
            "judul": f"Tabel uji {k}", "kepala": [["No", "Uraian"]],
            "baris": [[1, f"Baris pertama {k}. " + "Uraian panjang yang memenuhi sel. " * 12], [2, "Baris kedua"]]}}]})
    source = tmp_path / "keterangan.yaml"
    document = yaml.safe_load(REAL_SOURCE.read_text(encoding="utf-8"))
    document.pop("misi")
    document.pop("visi", None)
    document["bab"] = chapters
    source.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, _, err = run("build", "--formats", "pdf,docx", "--out", tmp_path, source)
    assert code == 0, err
    word = libreoffice_pdf([tmp_path / "keterangan.docx"], tmp_path / "lo", tmp_path / "profile")[0]
    for output, name in ((tmp_path / "keterangan.pdf", "the PDF"), (word, "the DOCX in LibreOffice")):
        pages = [" ".join(page.split()) for page in pdf_pages(output)]
        apart = []
        for k in range(14, 34):
            # The last page naming the table: the DAFTAR TABEL names it first.
            caption = max(n for n, page in enumerate(pages) if f"Tabel uji {k} " in page + " ")
            row = next(n for n, page in enumerate(pages) if f"Baris pertama {k}." in page)
            if caption != row:
                apart.append(k)
        assert not apart, f"{name}: chapters whose caption stands a page before its table: {apart}"
