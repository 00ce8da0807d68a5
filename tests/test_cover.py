"""The cover is one page in both outputs, whatever the length of the title and the unit's name:
the year stands at the foot of the page (absolutely placed in the PDF, in a frame at the bottom
margin in the DOCX), so a long title cannot push it onto a page of its own."""

from __future__ import annotations

import re
import shutil

import pytest
from lxml import html as lxml_html

from conftest import REAL_SOURCE, ROOT, libreoffice_pdf, normal, pdf_pages, require
from renstra.cli import build

FIXTURES = ROOT / "tests" / "fixtures"
# Titles and names the length real offices give them (four and six lines on the cover).
FOUR_LINES = ("RENCANA STRATEGIS PERUBAHAN DINAS KEPENDUDUKAN, PENCATATAN SIPIL, PEMBERDAYAAN PEREMPUAN, "
              "PERLINDUNGAN ANAK, PENGENDALIAN PENDUDUK DAN KELUARGA BERENCANA KABUPATEN CONTOH")
SIX_LINES = (FOUR_LINES + " SEBAGAI PENJABARAN RENCANA PEMBANGUNAN JANGKA MENENGAH DAERAH PERUBAHAN "
             "TAHUN 2021-2026 SESUAI PERATURAN MENTERI DALAM NEGERI NOMOR 86 TAHUN 2017")
LONG_UNIT = ("Dinas Kependudukan, Pencatatan Sipil, Pemberdayaan Perempuan, Perlindungan Anak, "
             "Pengendalian Penduduk dan Keluarga Berencana")
VARIANTS = {  # name: (fixture, title, unit)
    "bab-judul-4-baris": ("bab-lengkap", FOUR_LINES, None),
    "bab-judul-6-baris": ("bab-lengkap", SIX_LINES, LONG_UNIT),
    "kelurahan-judul-6-baris": ("kelurahan", SIX_LINES, None),
}


def variant(folder, fixture, title, unit):
    text = (FIXTURES / f"{fixture}.yaml").read_text(encoding="utf-8")
    text, replaced = re.subn(r"(?m)^  judul: .*$", f"  judul: {title}", text, count=1)
    assert replaced
    if unit:
        text, replaced = re.subn(r"(?m)^  nama: .*$", f"  nama: {unit}", text, count=1)
        assert replaced
    return text


@pytest.fixture(scope="module")
def covers(tmp_path_factory):
    """Each fixture and each long variant built, with its cover's lines from the HTML."""
    require("soffice", "libreoffice-writer-nogui")
    sources = tmp_path_factory.mktemp("sources")
    shutil.copy(FIXTURES / "lambang-contoh.png", sources)
    paths = [REAL_SOURCE] + sorted(FIXTURES.glob("*.yaml"))
    for name, (fixture, title, unit) in VARIANTS.items():
        path = sources / f"{name}.yaml"
        path.write_text(variant(sources, fixture, title, unit), encoding="utf-8")
        paths.append(path)
    out = tmp_path_factory.mktemp("out")
    built = {}
    for path in paths:
        html, pdf, docx = build(str(path), out, ["html", "pdf", "docx"])
        cover = lxml_html.fromstring(html.read_bytes()).find_class("sampul")
        if cover:
            lines = [normal(p.text_content()) for p in cover[0].iter("p") if p.text_content().strip()]
            built[path.stem] = (lines, pdf, docx)
    rendered = libreoffice_pdf([docx for _l, _p, docx in built.values()], tmp_path_factory.mktemp("lo"),
                               tmp_path_factory.mktemp("profile"))
    return {name: (lines, pdf, word) for (name, (lines, pdf, _docx)), word in zip(built.items(), rendered)}


def test_the_long_variants_are_as_long_as_claimed(covers):
    for name in VARIANTS:
        lines, pdf, _word = covers[name]
        title_lines = [line for line in pdf_pages(pdf)[0].splitlines() if line and line in normal(SIX_LINES)]
        assert len(title_lines) >= (4 if "4" in name else 6), (name, title_lines)


@pytest.mark.parametrize("output", ["pdf", "docx"])
def test_every_cover_is_one_page_with_the_year_at_its_foot(covers, output):
    assert len(covers) >= len(VARIANTS) + 5
    for name, (lines, pdf, word) in covers.items():
        pages = pdf_pages(pdf if output == "pdf" else word)
        first = normal(pages[0])
        assert first.startswith(lines[0]) and first.endswith(lines[-1]), f"{name}: the cover is not whole on page 1"
        # Compared without spaces: a line may break after the hyphen of "2022-2026".
        assert "".join(lines).replace(" ", "") == first.replace(" ", ""), \
            f"{name}: page 1 holds more or less than the cover"
        assert not normal(pages[1]).startswith(lines[-1]), f"{name}: the year spilled onto page 2"
