"""Long lettered lists: the PDF counts letters as Word does (z, aa, bb), so both outputs agree."""

from __future__ import annotations

import shutil

import pdfplumber
import yaml

from conftest import REAL_SOURCE, ROOT, docx_text, libreoffice_pdf, pdf_pages, pdf_text

ITEM = "          - Menjunjung tinggi supremasi hukum (ketaatan hukum).\n"


def test_a_lettered_list_past_z_is_numbered_alike_in_pdf_and_docx(tmp_path, run):
    extra = "".join(f"          - Butir tambahan nomor {i}.\n" for i in range(1, 31))
    source = tmp_path / "panjang.yaml"
    source.write_text(REAL_SOURCE.read_text(encoding="utf-8").replace(ITEM, ITEM + extra),
                      encoding="utf-8")
    code, _, err = run("build", "--formats", "pdf,docx", "--out", tmp_path, source)
    assert code == 0, err
    pdf, docx = pdf_text(tmp_path / "panjang.pdf"), docx_text(tmp_path / "panjang.docx")
    # Items 1 and 2 are the seed's a. and b.; the 25th added item is the 27th: Word's "aa".
    for label, number in (("z.", 24), ("aa.", 25), ("bb.", 26), ("ff.", 30)):
        assert f"{label} Butir tambahan nomor {number}." in pdf
        assert f"{label} Butir tambahan nomor {number}." in docx
    assert pdf == docx


# The seed's first mission list with its fifth item made one line: unkept, that item ends page 2
# and the sixth stands alone at the top of page 3.
LONG_FIFTH = """          - >-
            Menerapkan nilai-nilai etika aparatur guna membangun budaya kerja yang mendukung
            produktifitas kerja yang tinggi dalam pelaksanaan tugas dan fungsi penyelenggaraan
            negara, khususnya dalam rangka pemberian pelayanan umum kepada masyarakat.
"""
SHORT_FIFTH = "          - Menerapkan nilai-nilai etika aparatur.\n"


def test_a_lists_last_item_is_not_left_alone_on_a_page(tmp_path, run):
    source = tmp_path / "pendek.yaml"
    text = REAL_SOURCE.read_text(encoding="utf-8")
    assert LONG_FIFTH in text
    source.write_text(text.replace(LONG_FIFTH, SHORT_FIFTH), encoding="utf-8")
    code, _, err = run("build", "--formats", "pdf,docx", "--out", tmp_path, source)
    assert code == 0, err
    word = libreoffice_pdf([tmp_path / "pendek.docx"], tmp_path / "lo", tmp_path / "profile")[0]
    for output, name in ((tmp_path / "pendek.pdf", "the PDF"), (word, "the DOCX in LibreOffice")):
        pages = [" ".join(page.split()) for page in pdf_pages(output)]
        first, fifth, last = (next(n for n, page in enumerate(pages) if item in page) for item in
                              ("a. Membangun pemahaman", "e. Menerapkan nilai-nilai", "f. Pengawasan dan pemeriksaan"))
        assert first < last, f"{name}: the list must cross a page for the test to mean anything"
        assert fifth == last, f"{name}: the list's last item stands alone on page {last + 1}"


def test_a_number_wider_than_the_tab_stop_keeps_a_space_before_its_text(tmp_path, run):
    """'(10)' at 12 pt fills the 0.75 cm tab stop: Word tabs on, and the PDF must not set the
    text against the number either."""
    document = yaml.safe_load((ROOT / "tests" / "fixtures" / "bab-lengkap.yaml").read_text(encoding="utf-8"))
    document["bab"][0]["isi"] = [{"daftar": ["Butir sembilan", "Butir sepuluh", "Butir sebelas"],
                                  "tanda": "(1)", "mulai": 9}]
    source = tmp_path / "lebar.yaml"
    source.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(ROOT / "tests" / "fixtures" / "lambang-contoh.png", tmp_path)
    code, _, err = run("build", "--formats", "pdf", "--out", tmp_path, source)
    assert code == 0, err
    with pdfplumber.open(tmp_path / "lebar.pdf") as pdf:
        words = [w["text"] for page in pdf.pages for w in page.extract_words()]
    for label in ("(9)", "(10)", "(11)"):
        assert label in words, f"{label} is not a word of its own: {[w for w in words if w.startswith(label)]}"


def test_the_highest_start_a_source_may_ask_for_counts_alike_in_word(tmp_path, run):
    """A list may start at 32767 at most (model.Mulai): the last start Word's numbering keeps.
    LibreOffice counts a DOCX list asking for 32768 from 1; at 32767 both outputs agree."""
    document = yaml.safe_load((ROOT / "tests" / "fixtures" / "bab-lengkap.yaml").read_text(encoding="utf-8"))
    document["bab"][0]["isi"] = [{"daftar": ["Butir pertama", "Butir kedua"], "tanda": "(1)", "mulai": 32767}]
    source = tmp_path / "mulai.yaml"
    source.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(ROOT / "tests" / "fixtures" / "lambang-contoh.png", tmp_path)
    code, _, err = run("build", "--formats", "pdf,docx", "--out", tmp_path, source)
    assert code == 0, err
    word = libreoffice_pdf([tmp_path / "mulai.docx"], tmp_path / "lo", tmp_path / "profile")[0]
    for output in (tmp_path / "mulai.pdf", word):
        text = " ".join(pdf_pages(output))
        assert "(32767) Butir pertama" in text and "(32768) Butir kedua" in text, output
    document["bab"][0]["isi"][0]["mulai"] = 32768
    source.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, _, err = run("build", "--formats", "pdf,docx", "--out", tmp_path / "lagi", source)
    assert code == 1 and "32767" in err
