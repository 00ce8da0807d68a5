"""`renstra new`: a first source that passes check and builds, whatever the names typed."""

from __future__ import annotations

import pytest

from renstra import cli, scaffold
from renstra.diagnostics import validate_source
from renstra.markup import plain_text
from renstra.source import load_source

OPTIONS = ["--nama", "Kecamatan Magelang Utara", "--daerah", "Kota Magelang", "--mulai", "2025",
           "--tanggal", "2025-01-06", "--penandatangan", "Drs. Budi Santoso, M.Si.", "--yes"]


def new(run, target, *options):
    return run("new", "--keluar", target, *options)


def model_of(path):
    return validate_source(load_source(path))


def test_new_with_options_passes_check_and_builds(run, tmp_path):
    target = tmp_path / "source" / "renstra-baru.yaml"
    code, out, err = new(run, target, *OPTIONS)
    assert (code, err) == (0, "")
    assert f"wrote {target}" in out and "renstra check" in out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/renstra.schema.json\n")
    code, out, err = run("check", target)
    assert code == 0 and out.endswith("renstra-baru.yaml: ok\n")
    written = cli.build(str(target), tmp_path / "output", ["html", "pdf", "docx"])
    assert [p.name for p in written] == ["renstra-baru.html", "renstra-baru.pdf", "renstra-baru.docx"]

    model = model_of(target)
    assert model.instansi.nama == "Kecamatan Magelang Utara"
    assert model.instansi.daerah == "Kota Magelang" and model.instansi.tingkat == "kecamatan"
    assert (model.dokumen.periode.mulai, model.dokumen.periode.selesai) == (2025, 2029)
    assert model.dokumen.judul == "RENCANA STRATEGIS KECAMATAN MAGELANG UTARA TAHUN 2025-2029"
    assert model.dokumen.tempat == "Magelang"
    assert model.penandatangan.jabatan == "Camat Magelang Utara"
    assert model.penandatangan.nama == "Drs. Budi Santoso, M.Si."
    # The sample blocks: a visi, two missions (a list and a table in the first, the chain in the
    # second), an indicator target for every year.
    assert model.visi.pernyataan.startswith("CONTOH")
    first, second = model.missions.daftar
    assert [type(b).__name__ for b in first.makna] == ["str", "BlokDaftar", "BlokTabel"]
    indikator = second.tujuan[0].sasaran[0].indikator[0]
    assert sorted(indikator.target) == ["2025", "2026", "2027", "2028", "2029"]
    assert model.rekap == ["tujuan-sasaran", "indikator"]
    # Every part carries a short Indonesian comment.
    for comment in ("# Keterangan dokumen", "# Instansi penyusun", "# Penanda tangan", "# Visi:", "# Misi:",
                    "# Daftar:", "# Tabel:", "# Indikator:"):
        assert comment in text


def test_new_asks_what_the_options_leave_open(run, tmp_path, monkeypatch):
    answers = iter(["desa", "Desa Kledung", "Kabupaten Temanggung", "Kecamatan Kledung",
                    "26",  # not a year: asked again
                    "2026", "2025",  # the period would end before it starts: asked again
                    "2031", "", "2026-02-01", "", "Slamet"])
    prompts = []

    def ask(prompt):
        prompts.append(prompt)
        return next(answers)
    monkeypatch.setattr("builtins.input", ask)
    target = tmp_path / "desa.yaml"
    code, out, err = new(run, target)
    assert code == 0, err
    assert "'26' is not a year; write four digits" in err
    assert "the period ends in 2025, before it starts in 2026" in err
    assert "the period 2026-2031 is 6 year(s) long; a Renstra usually covers 5" in err
    assert prompts[0].startswith("Level of the unit (provinsi, kabupaten, kota, kecamatan, kelurahan, desa, "
                                 "perangkat-daerah) [kecamatan]")
    assert "Place of signing [Kledung]: " in prompts
    assert "The signer's office (e.g. Camat Magelang Utara) [Kepala Desa Kledung]: " in prompts
    model = model_of(target)
    assert (model.instansi.tingkat, model.instansi.kecamatan) == ("desa", "Kecamatan Kledung")
    assert len(model.missions.daftar[1].tujuan[0].indikator[0].target) == 6
    assert model.penandatangan.nama == "Slamet" and model.dokumen.tempat == "Kledung"
    assert run("check", target)[0] == 0


def test_no_answer_stops_with_a_message(run, tmp_path, monkeypatch):
    def closed(prompt):
        raise EOFError
    monkeypatch.setattr("builtins.input", closed)
    code, out, err = new(run, tmp_path / "x.yaml")
    assert code == 1 and "no answer to \"Level of the unit" in err
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("name", [
    'Kecamatan "Magelang" Utara', "Kecamatan Magelang: Utara", "Kecamatan Magelang #1", "Kecamatan O'Brien",
    "Kecamatan *Miring* dan **Tebal** _garis_", "Kecamatan [a](http://x) \\ {{ x }} <script>", "Kecamatan - x",
    "Kecamatan & 'single' \"double\" : # ---", "Kecamatan Magelang Utäraé 😀",
    "Kecamatan " + "Panjang " * 23,  # 194 characters: long, within the limit
])
def test_hostile_names_survive_exactly(run, tmp_path, name):
    target = tmp_path / "x.yaml"
    code, out, err = new(run, target, "--nama", name, "--daerah", name, "--jabatan", name, "--tempat", name,
                         "--penandatangan", name, "--mulai", "2025", "--tanggal", "2025-01-06", "--yes")
    assert code == 0, err
    model = model_of(target)
    name = name.strip(" ")
    assert (model.instansi.nama, model.instansi.daerah, model.penandatangan.jabatan, model.penandatangan.nama,
            model.dokumen.tempat) == (name, name, name, name, name)
    # In the title the name prints as typed: markup characters are escaped, not interpreted.
    assert plain_text(model.dokumen.judul) == f"RENCANA STRATEGIS {name.upper()} TAHUN 2025-2029"


@pytest.mark.parametrize("name, message", [
    ("Kecamatan X\nmisi: disisipkan", "--nama holds a line break, a tab or the invisible character U+000A"),
    ("Kecamatan X\u2028misi", "invisible character U+2028"),
    ("Kecamatan\tX", "U+0009"),
    ("Kecamatan \x00X", "U+0000"),
    ("   ", "--nama is empty; write it"),
    ("Kecamatan " + "x" * 5000, "--nama is 5010 characters long; at most 200"),
])
def test_names_that_cannot_be_one_line_are_refused(run, tmp_path, name, message):
    target = tmp_path / "x.yaml"
    code, out, err = new(run, target, "--nama", name, "--daerah", "Kota X", "--mulai", "2025", "--jabatan",
                         "Camat X", "--yes")
    assert code == 1 and message in err and "Traceback" not in err
    assert not target.exists()


@pytest.mark.parametrize("options, message", [
    (["--mulai", "25"], "--mulai: '25' is not a year; write four digits, e.g. 2025"),
    (["--mulai", "2025", "--selesai", "2024"], "the period ends in 2024, before it starts in 2025"),
    (["--mulai", "1900"], "--mulai: 1900 is not between 1945 and 2200"),
    (["--mulai", "2025", "--selesai", "2099"], "the period 2025-2099 is 75 years long; at most 30"),
    (["--mulai", "2025", "--tingkat", "kecamtan"], "--tingkat: 'kecamtan' is not a level; choose one of provinsi"),
    (["--mulai", "2025", "--tanggal", "21-03-2025"], "--tanggal: '21-03-2025' is not a date; write year-month-day"),
    (["--mulai", "2025", "--tingkat", "kota"], "a kota is its own region: leave out --daerah"),
    (["--mulai", "2025", "--kecamatan", "Kecamatan Y"], "--kecamatan is for a desa or kelurahan, not a kecamatan"),
    (["--mulai", "2025", "--tingkat", "desa"], "--kecamatan is needed (or leave out --non-interaktif"),
])
def test_wrong_options_are_refused_plainly(run, tmp_path, options, message):
    target = tmp_path / "x.yaml"
    code, out, err = new(run, target, "--nama", "Desa X", "--daerah", "Kota X", "--jabatan", "Kepala X",
                         *options, "--yes")
    assert code == 1 and message in err, err
    assert not target.exists()


def test_an_office_without_a_known_title_must_name_the_signer(run, tmp_path):
    code, out, err = new(run, tmp_path / "x.yaml", "--nama", "Magelang Utara", "--daerah", "Kota Magelang",
                         "--mulai", "2025", "--yes")
    assert code == 1 and "--jabatan is needed" in err


def test_an_existing_file_is_never_overwritten(run, tmp_path):
    target = tmp_path / "x.yaml"
    target.write_text("dokumen: lama\n", encoding="utf-8")
    code, out, err = new(run, target, *OPTIONS)
    assert code == 1 and "exists already and is never overwritten" in err
    assert target.read_text(encoding="utf-8") == "dokumen: lama\n"


def test_a_name_make_cannot_carry_is_refused(run, tmp_path):
    code, out, err = new(run, tmp_path / "renstra baru.yaml", *OPTIONS)
    assert code == 1 and "only letters, digits, '.', '-' and '_'" in err


def test_the_default_file_is_named_after_the_unit_in_source(run, tmp_path, monkeypatch):
    monkeypatch.setattr(scaffold, "SOURCES", tmp_path / "source")
    monkeypatch.setattr(scaffold, "SCHEMA", tmp_path / "schema" / "renstra.schema.json")
    code, out, err = run("new", "--nama", "Kecamatan Magelang Utärä (Kota)", "--daerah", "Kota Magelang",
                         "--mulai", "2025", "--jabatan", "Camat", "--yes")
    assert code == 0, err
    written = tmp_path / "source" / "renstra-kecamatan-magelang-utara-kota-2025-2029.yaml"
    assert written.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/renstra.schema.json\n")
    # Deeper in the project, the modeline still leads to the project's schema.
    code, out, err = new(run, tmp_path / "source" / "lama" / "x.yaml", *OPTIONS)
    assert code == 0, err
    assert (tmp_path / "source" / "lama" / "x.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schema/renstra.schema.json\n")
