"""Long lettered lists: the PDF counts letters as Word does (z, aa, bb), so both outputs agree."""

from __future__ import annotations

from conftest import REAL_SOURCE, docx_text, pdf_text

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
