"""Unit tests of validate_source: the model of a source, and located problems when it has none."""

from __future__ import annotations

import datetime

import pytest

from conftest import REAL_SOURCE, ROOT
from renstra.errors import SourceError
from renstra.diagnostics import validate_source
from renstra.model import ButirRinci, BlokDaftar, BlokTabel, SelRinci, table_grid
from renstra.source import load_source

MINIMAL = """dokumen:
  judul: MISI KECAMATAN CONTOH
  periode: {mulai: 2011, selesai: 2015}
  tempat: Magelang
  tanggal: 2013-03-03
  versi: "1.0"
instansi:
  nama: Kecamatan Contoh
  daerah: Kota Magelang
"""
MISI = """misi:
  - judul: Misi pertama.
    makna:
      - Penjelasan.
"""


def _validate(tmp_path, text: str):
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    return validate_source(load_source(path))


def _problems(tmp_path, text: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of each problem, printed 1-based as a person reads them."""
    with pytest.raises(SourceError) as caught:
        _validate(tmp_path, text)
    return [(p.mark.line + 1, p.mark.column + 1, p.message) for p in caught.value.problems]


def test_the_real_source_validates_with_its_four_missions():
    model = validate_source(load_source(REAL_SOURCE))
    assert len(model.misi) == 4
    assert model.dokumen.periode.mulai == 2011 and model.dokumen.periode.selesai == 2015
    assert model.dokumen.tanggal == datetime.date(2013, 3, 3)
    assert model.misi[0].judul == "Menyelenggarakan Pemerintahan yang Bersih dan Profesional."
    # Mission 2's criteria are items with a bold term and its explanation.
    lists = [b for b in model.misi[1].makna if isinstance(b, BlokDaftar)]
    first = lists[0].daftar[0]
    assert isinstance(first, ButirRinci) and first.istilah == "Berbasis Kondisi Lokal."
    # Facts the seed does not give stay empty rather than invented.
    assert model.penandatangan.nama is None and model.penandatangan.nip is None
    assert model.instansi.alamat is None


def test_the_chaptered_fixture_validates():
    model = validate_source(load_source(ROOT / "tests" / "fixtures" / "bab-lengkap.yaml"))
    assert model.bab and not model.misi
    assert any(isinstance(b, BlokTabel) for bab in model.bab for b in bab.isi)


def test_a_minimal_source_takes_the_defaults(tmp_path):
    model = _validate(tmp_path, MINIMAL + MISI)
    assert model.tata_letak.kertas == "A4" and model.tata_letak.margin.kiri == 3.0
    assert model.dokumen.jenis == "Rencana Strategis (Renstra)"
    assert list(model.misi[0].makna) == ["Penjelasan."]


@pytest.mark.parametrize("typo, meant, line", [
    ("judull", "judul", 2), ("tanggall", "tanggal", 5), ("tempta", "tempat", 4),
])
def test_a_misspelt_key_gets_did_you_mean_and_no_second_complaint(tmp_path, typo, meant, line):
    text = MINIMAL.replace(f"  {meant}:", f"  {typo}:") + MISI
    assert _problems(tmp_path, text) == [(line, 3, f"unknown key '{typo}' (did you mean '{meant}'?)")]


def test_an_unknown_key_without_a_close_match_lists_the_allowed_keys(tmp_path):
    problems = _problems(tmp_path, MINIMAL + MISI + "tata_letak:\n  warna: biru\n")
    assert problems == [(15, 3, "unknown key 'warna' (allowed here: kertas, huruf, ukuran_huruf, "
                                "spasi_baris, margin, sampul, kop, judul_misi, bahasa_asing)")]


def test_several_missing_keys_are_all_reported_at_their_mapping(tmp_path):
    text = "dokumen:\n  judul: X\n  tempat: Magelang\n" + MISI
    problems = _problems(tmp_path, text)
    missing = sorted(m.split("'")[1] for _, _, m in problems)
    assert missing == ["instansi", "periode", "tanggal", "versi"]
    assert {(line, col) for line, col, _ in problems} == {(1, 1)}


def test_places_are_named_as_a_person_would(tmp_path):
    text = MINIMAL + """misi:
  - judul: Misi.
    makna:
      - daftar:
          - Satu.
          - Dua.
          - 3
"""
    assert _problems(tmp_path, text) == [
        (16, 13, "item 3 of 'daftar' must be text, or an item with 'istilah:', 'teks:' and/or "
                 "'daftar:', not a whole number; for text write it in quotes: \"3\"")]


def test_a_misplaced_list_among_blocks_says_what_a_block_is(tmp_path):
    text = MINIMAL + "misi:\n  - judul: Misi.\n    makna:\n      - Paragraf.\n      - - Butir.\n"
    (line, col, message), = _problems(tmp_path, text)
    assert (line, col) == (14, 9)
    assert message.startswith("item 2 of 'makna' must be a paragraph (text), a list ('daftar:'), a "
                              "table ('tabel:'), a generated table ('rekap:') or a part ('bagian:'), not a list")


def test_a_table_cell_of_the_wrong_kind_gets_one_message(tmp_path):
    text = MINIMAL + ("misi:\n  - judul: Misi.\n    makna:\n      - tabel:\n          baris:\n"
                      "            - [a, [b, c]]\n            - [d, ~]\n")
    assert _problems(tmp_path, text) == [
        (15, 19, "cell 2 in row 1 of 'baris' must be text, a number, or a cell with 'teks:' (and "
                 "'gabung_kolom:' or 'gabung_baris:'), not a list"),
        (16, 19, "cell 2 in row 2 of 'baris' is empty; write text, a number, or a cell with 'teks:' "
                 "(and 'gabung_kolom:' or 'gabung_baris:')"),
    ]


def test_text_that_reads_as_a_key_is_explained(tmp_path):
    text = MINIMAL + "misi:\n  - judul: Misi.\n    makna:\n      - Sebagai berikut: satu.\n"
    assert _problems(tmp_path, text) == [
        (13, 9, "'Sebagai berikut: ...' is read as a name and a value because of the ': ' in it; "
                "if it is text, put all of it in quotes")]


def test_a_period_ending_before_it_starts_points_at_selesai(tmp_path):
    text = MINIMAL.replace("selesai: 2015", "selesai: 2010") + MISI
    assert _problems(tmp_path, text) == [(3, 35, "'selesai' (2010) is before 'mulai' (2011)")]


def test_every_problem_the_model_finds_is_reported_together(tmp_path):
    text = MINIMAL.replace('versi: "1.0"', "versi: 1") + MISI + "tata_letak:\n  kertas: A5\n"
    assert [m.split(" ")[0] for _, _, m in _problems(tmp_path, text)] == ["'versi'", "'kertas'"]


def test_table_grid_counts_row_and_column_spans():
    wide = SelRinci(teks="Sasaran", gabung_kolom=2)
    tall = SelRinci(teks="Tujuan", gabung_baris=3)
    assert table_grid([[wide, "c"], ["a", "b", "c"]]) == [3, 3]
    # The tall cell fills column 1 of the two rows below it.
    assert table_grid([[tall, "b", "c"], ["b", "c"], ["b", "c"]]) == [3, 3, 3]
    both = SelRinci(teks="Blok", gabung_kolom=2, gabung_baris=2)
    assert table_grid([[both, "c"], ["c"], ["a", "b", "c"]]) == [3, 3, 3]
    assert table_grid([["a", "b"], ["a"]]) == [2, 1]


def test_a_table_with_spans_validates_and_a_wrong_width_is_found(tmp_path):
    table = """misi:
  - judul: Misi.
    makna:
      - tabel:
          kepala:
            - [{teks: Nomor, gabung_baris: 2}, {teks: Sasaran, gabung_kolom: 2}]
            - [Uraian, Target]
          baris:
            - [1, {teks: Pelayanan, gabung_baris: 2}, 90]
            - [2, 95]
"""
    model = _validate(tmp_path, MINIMAL + table)
    assert len(model.misi[0].makna[0].tabel.baris) == 2
    broken = table.replace("- [2, 95]", "- [2, 95, 100]")
    assert _problems(tmp_path, MINIMAL + broken) == [
        (19, 15, "row 2 of 'baris' is 4 columns wide, the rows above are 3 (a cell with "
                 "'gabung_baris' also fills the rows below it)")]


def test_an_emblem_inside_the_source_folder_is_accepted(tmp_path):
    (tmp_path / "lambang.png").write_bytes((ROOT / "renstra" / "templates" / "lambang.png").read_bytes())
    text = MINIMAL.replace("  daerah: Kota Magelang\n", "  daerah: Kota Magelang\n  lambang: lambang.png\n")
    assert _validate(tmp_path, text + MISI).instansi.lambang == "lambang.png"
    (tmp_path / "catatan.txt").write_text("x")
    text = text.replace("lambang.png", "catatan.txt")
    assert _problems(tmp_path, text + MISI)[0][2] == ("'catatan.txt' must be a PNG or JPEG image (Word "
                                                     "cannot show .txt files)")


def test_loader_and_model_problems_are_reported_together(tmp_path):
    path = tmp_path / "both.yaml"
    path.write_text(REAL_SOURCE.read_text(encoding="utf-8")
                    .replace("  tempat: Magelang", "  tempat: no")
                    .replace("  versi: \"1.0\"", "  versi: \"1.0\"\n  versi: \"1.1\"")
                    .replace("  kertas: A4", "  kertass: A4"), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        validate_source(load_source(path))
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 3, messages  # 'no' is reported once, not again as "not text"
    assert messages[0].startswith("'no' is read as a yes/no switch")
    assert messages[1].startswith("duplicate key 'versi'")
    assert messages[2].startswith("unknown key 'kertass' (did you mean 'kertas'?)")
