"""Generated sources: every one either builds, or fails with located messages; never a traceback."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pdfplumber
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import docx_blocks, docx_text, pdf_text
from renstra.model import MAX_LIST_LEVEL

# Text as staff paste it: letters of several scripts, punctuation that means something to
# Markdown, HTML, Jinja or CSS, smart quotes, and now and then a stray asterisk.
ALPHABET = st.sampled_from(list(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789     "
    ".,;:!?()-/'\"*_\\[]<>&{}%#$@~`|^=+" "\u201c\u201d\u2018\u2019\u2013\u2014\u00e9\u00fc"
    "\u0627\u0644\ua9a0\ua9a4\U0001F600"))
TEXT = st.text(ALPHABET, min_size=1, max_size=60).filter(lambda s: s.strip())
LOCATED = re.compile(r"^\S+\.yaml:\d+:\d+: ", re.M)


def items(level: int, text=TEXT):
    if level >= MAX_LIST_LEVEL + 1:  # one level past the limit, to meet the error too
        return st.lists(text, min_size=1, max_size=3)
    detailed = st.fixed_dictionaries(
        {"teks": text}, optional={"istilah": text, "daftar": st.deferred(lambda: items(level + 1, text))})
    return st.lists(st.one_of(text, detailed), min_size=1, max_size=4)


@st.composite
def tables(draw, text=TEXT):
    """Mostly rectangular tables of plain cells (they build); sometimes spans that may not fit."""
    width = draw(st.integers(1, 4))
    row = st.lists(st.one_of(text, st.integers(-10, 1000)), min_size=width, max_size=width)
    table = {"baris": draw(st.lists(row, min_size=1, max_size=4))}
    if draw(st.booleans()):
        table["kepala"] = [draw(row)]
    if draw(st.booleans()):
        table["judul"] = draw(text)
    if draw(st.integers(0, 4)) == 0:
        span = st.fixed_dictionaries({"teks": text}, optional={"gabung_kolom": st.integers(1, 3),
                                                              "gabung_baris": st.integers(1, 2)})
        cell = st.one_of(text, text, text, st.integers(-10, 1000), span)
        table["baris"].append(draw(st.lists(cell, min_size=1, max_size=4)))
    return table


def sources(text):
    """Sources from the schema whose text values are drawn from text."""
    blocks = st.lists(st.one_of(text, st.fixed_dictionaries({"daftar": items(2, text)}),
                                st.fixed_dictionaries({"tabel": tables(text)})), min_size=1, max_size=4)
    return st.fixed_dictionaries({
        "dokumen": st.fixed_dictionaries({
            "judul": text, "periode": st.fixed_dictionaries({"mulai": st.integers(1990, 2100),
                                                             "selesai": st.integers(1990, 2100)}),
            "tempat": text, "tanggal": st.dates(), "versi": st.sampled_from(["1.0", "2", "1.1-rc"])}),
        "instansi": st.fixed_dictionaries({"nama": text, "daerah": text}),
        "misi": st.lists(st.fixed_dictionaries({"judul": text, "makna": blocks}), min_size=1, max_size=3),
    }, optional={
        "penandatangan": st.fixed_dictionaries({"jabatan": text}, optional={"nama": text, "nip": text}),
        "tata_letak": st.fixed_dictionaries({}, optional={
            "kertas": st.sampled_from(["A4", "F4", "A5"]), "huruf": st.sampled_from(["Arial", "Bookman Old Style"]),
            "kop": st.booleans(), "sampul": st.booleans()}),
    })


SOURCE = sources(TEXT)
# For comparing the two outputs' words: letters the shipped fonts have, so what pdfplumber reads
# is what was printed (a character printed in a fallback font can come back out of order), in
# words short enough for the narrowest line (a longer word breaks where the line ends, which
# reads back as two words; test_hardening covers such words).
LATIN = st.sampled_from(list(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    ".,;:!?()-/'\"*_\\<>&{}%#$@=+" "\u201c\u201d\u2018\u2019\u2013\u00e9\u00fc"))
LATIN_TEXT = st.lists(st.text(LATIN, min_size=1, max_size=15), min_size=1, max_size=6).map(" ".join)


@st.composite
def buildable_sources(draw):
    """Sources as sources() makes them, with the facts a schema check refuses put right (period
    in order, a known paper, no NIP, rectangular tables), so most of them build."""
    document = draw(sources(LATIN_TEXT))
    start = draw(st.integers(1990, 2100))
    document["dokumen"]["periode"] = {"mulai": start, "selesai": start + 4}
    document["dokumen"]["tanggal"] = draw(st.dates(datetime.date(1990, 1, 1), datetime.date(2200, 12, 31)))
    document.get("penandatangan", {}).pop("nip", None)
    if document.get("tata_letak", {}).get("kertas") == "A5":
        document["tata_letak"]["kertas"] = "F4"
    for misi in document["misi"]:
        for block in misi["makna"]:
            if isinstance(block, dict) and "tabel" in block:
                table = block["tabel"]
                width = len(table["baris"][0])
                table["baris"] = [row for row in table["baris"] if len(row) == width
                                  and not any(isinstance(cell, dict) for cell in row)]
                if len(table["baris"]) + len(table.get("kepala", [])) == 1:
                    table["baris"] *= 2  # pdfplumber finds no table of a single row
    return document


def write(folder, document) -> object:
    path = folder / "gen.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(document=SOURCE)
def test_generated_sources_build_html_or_fail_located(document, tmp_path_factory, run):
    folder = tmp_path_factory.mktemp("gen")
    path = write(folder, document)
    code, out, err = run("build", "--formats", "html", "--out", folder / "out", path)
    assert "Traceback" not in err and "internal error" not in err
    if code == 0:
        assert (folder / "out" / "gen.html").exists()
    else:
        assert code == 1
        assert LOCATED.search(err), err
        assert not (folder / "out" / "gen.html").exists()


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_table_cells(path) -> list[str]:
    return [squeezed(cell) for kind, rows in docx_blocks(path) if kind == "table" for row in rows for cell in row]


def pdf_table_cells(path) -> list[str]:
    with pdfplumber.open(path) as document:
        return [squeezed(cell or "") for page in document.pages for table in page.extract_tables()
                for row in table for cell in row]


# Each example lays out a PDF and writes a DOCX (about half a second), so fewer of them.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(document=buildable_sources())
# Found by CI: a table whose page part ends on the bottom margin's edge, where the border
# was once cut away with the page number and the table read as text.
@example(document=yaml.safe_load((Path(__file__).parent / "data" / "table-ends-on-margin.yaml")
                                 .read_text(encoding="utf-8")))
def test_generated_sources_build_pdf_and_docx_with_the_same_words_or_fail_located(document, tmp_path_factory, run):
    folder = tmp_path_factory.mktemp("gen")
    path = write(folder, document)
    out = folder / "out"
    code, stdout, err = run("build", "--formats", "pdf,docx", "--out", out, path)
    assert "Traceback" not in err and "internal error" not in err
    if code != 0:
        assert code == 1 and LOCATED.search(err), err
        assert not out.exists() or not any(out.iterdir())
        return
    # Outside tables, the same characters in the same order. Spaces are left out: a line may
    # break inside a word (after ":" in "a :000"), which reads back as a space. pdfplumber reads
    # a table line by line across its cells, so cells are compared as sets.
    word_cells = [c for c in docx_table_cells(out / "gen.docx") if c]
    pdf_cells = [c for c in pdf_table_cells(out / "gen.pdf") if c]
    pdf_outside = squeezed(pdf_text(out / "gen.pdf", tables=False))
    # pdfplumber finds no table in a single bordered cell, which is what a one-column table's
    # last row becomes when it is carried to the next page: that row's text reads as text
    # outside tables. Such a cell is taken out there, once, and counted as a table cell.
    for cell in dict.fromkeys(word_cells):
        if cell not in pdf_cells and cell in pdf_outside:
            pdf_outside = pdf_outside.replace(cell, "", 1)
            pdf_cells.append(cell)
    assert squeezed(docx_text(out / "gen.docx", tables=False)) == pdf_outside
    assert set(word_cells) == set(pdf_cells)
