"""Costs that once grew too fast: layouts per build, and DOCX tables quadratic in their cells."""

from __future__ import annotations

import shutil

import docx.table
import pytest
import weasyprint
import yaml

from bench import synth
from conftest import NS, ROOT, W, normal, paragraph_text, part, pdf_pages
from renstra.cli import build, check
from renstra.docx import DocxWriter
from renstra.render import render_html, toc_anchors

FIXTURE = ROOT / "tests" / "fixtures" / "bab-lengkap.yaml"


@pytest.fixture
def layouts(monkeypatch):
    """Counts WeasyPrint layouts and the pages they lay out."""
    count = {"layouts": 0, "pages": 0}
    original = weasyprint.HTML.render

    def counting(self, *args, **kwargs):
        count["layouts"] += 1
        document = original(self, *args, **kwargs)
        count["pages"] += len(document.pages)
        return document

    monkeypatch.setattr(weasyprint.HTML, "render", counting)
    return count


def toc_entries(docx_path) -> list[str]:
    body = part(docx_path, "word/document.xml")
    entries = body.xpath(".//w:p[w:pPr/w:pStyle[@w:val='TOC1' or @w:val='TOC2']]", namespaces=NS)
    return [normal(paragraph_text(p)) for p in entries if paragraph_text(p)]


def test_docx_alone_lays_out_once_and_its_toc_numbers_match_the_pdf(tmp_path, layouts):
    [docx_path] = build(str(FIXTURE), tmp_path / "docx", ["docx"])
    assert layouts["layouts"] == 1
    [pdf_path] = build(str(FIXTURE), tmp_path / "pdf", ["pdf"])
    entries = toc_entries(docx_path)
    assert len(entries) > 4 and all(entry[-1].isdigit() for entry in entries)
    printed_toc = normal(pdf_pages(pdf_path)[1])
    for entry in entries:
        assert entry in printed_toc  # same heading, same page number


def test_full_build_lays_out_each_body_page_once_and_both_writers_agree(tmp_path, layouts):
    built = build(str(FIXTURE), tmp_path, ["html", "pdf", "docx"])
    printed = len(pdf_pages(built[1]))
    # The whole document once, then the cover, the DAFTAR ISI and the DAFTAR TABEL again with
    # their numbers (and the empty body page that follows them); the DOCX reuses the numbers.
    assert layouts["layouts"] == 2
    assert layouts["pages"] == printed + 4
    alone = build(str(FIXTURE), tmp_path / "alone", ["docx"])[0]
    assert alone.read_bytes() == built[2].read_bytes()


def test_docx_of_a_200_row_table_finds_each_cell_once(tmp_path, monkeypatch):
    # Finding cells with python-docx's table.cell() rebuilt the whole cell grid for every cell,
    # which made this table (1,600 cells) take about half a minute: counted, not timed.
    data = synth.source(7)
    data["bab"] = data["bab"][:1]
    data["bab"][0]["subbab"][1]["isi"][1]["tabel"] = synth.Writer(3).table(200, 2021)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path = tmp_path / "tabel-besar.yaml"
    shutil.copyfile(synth.EMBLEM, tmp_path / synth.EMBLEM.name)
    path.write_text(text.replace("tanggal: '2022-01-17'", "tanggal: 2022-01-17"), encoding="utf-8")
    source, model = check(str(path))
    rendered = render_html(model, source, tmp_path)
    rendered = rendered.with_toc_pages(range(1, len(toc_anchors(rendered.html)) + 1))
    grids = {"built": 0}
    original = docx.table.Table._cells.fget

    def counting(table):
        grids["built"] += 1
        return original(table)

    monkeypatch.setattr(docx.table.Table, "_cells", property(counting))
    written = DocxWriter(rendered).write()
    assert grids["built"] == 0  # cells are found from one pass over each table's rows
    (tmp_path / "out.docx").write_bytes(written)
    body = part(tmp_path / "out.docx", "word/document.xml")
    table = max(body.iter(W + "tbl"), key=lambda t: len(t.findall("w:tr", NS)))
    assert len(table.findall("w:tr", NS)) == 202  # two header rows and every body row
