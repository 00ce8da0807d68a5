"""The committed JSON Schema is the one the model gives, and sources point editors to it."""

from __future__ import annotations

import json

import jsonschema
import yaml

from conftest import REAL_SOURCE, ROOT
from renstra.cli import SCHEMA_FILE, schema_text


def test_committed_schema_matches_the_model(run):
    code, out, err = run("schema")
    assert code == 0 and err == ""
    assert out == schema_text()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == out, (
        "schema/renstra.schema.json is stale; run: .venv/bin/python build.py schema --write")


def test_every_source_names_the_schema_for_its_editor():
    for path in sorted((ROOT / "source").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/renstra.schema.json", path.name


def test_the_real_source_passes_the_schema_as_an_editor_checks_it():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = yaml.safe_load(REAL_SOURCE.read_text(encoding="utf-8"))
    data["dokumen"]["tanggal"] = data["dokumen"]["tanggal"].isoformat()  # JSON has no date type
    jsonschema.validate(data, schema)


def test_schema_refuses_an_unknown_key_as_the_editor_would():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = yaml.safe_load(REAL_SOURCE.read_text(encoding="utf-8"))
    data["dokumen"]["tanggal"] = "2013-03-03"
    data["dokumen"]["judull"] = "x"
    assert_refused(schema, data, "judull")


def assert_refused(schema: dict, data: dict, word: str) -> None:
    """The schema refuses data, as an editor would, naming word in its message."""
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        assert word in exc.message
    else:
        raise AssertionError(f"the schema accepted {word!r}")


NEW_PARTS = ["Visi", "BagianMisi", "Misi", "Tujuan", "Sasaran", "Indikator", "Lampiran", "BlokRekap",
             "BlokBagian", "BlokDaftar", "ButirRinci"]


def test_every_key_of_the_strategic_chain_is_described_for_the_editor():
    definitions = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["$defs"]
    undescribed, without_example = [], []
    for part in NEW_PARTS:
        for key, spec in definitions[part]["properties"].items():
            if not spec.get("description"):
                undescribed.append(f"{part}.{key}")
            if key in ("judul", "pernyataan", "satuan", "target", "tanda", "mulai", "rekap", "bagian",
                       "peraturan", "tentang") and not spec.get("examples"):
                without_example.append(f"{part}.{key}")
    assert undescribed == [] and without_example == []
    for part, key in (("Instansi", "tingkat"), ("Instansi", "kecamatan"), ("TataLetak", "judul_misi")):
        spec = definitions[part]["properties"][key]
        assert spec.get("description") and spec.get("examples"), f"{part}.{key}"


def test_every_fixture_passes_the_schema_as_an_editor_checks_it():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "tests" / "fixtures").glob("*.yaml")):
        # JSON has no dates and only text keys: what the editor sees of the YAML.
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        jsonschema.validate(data, schema)


def test_the_schema_refuses_a_target_year_that_is_not_a_year():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = yaml.safe_load((ROOT / "tests" / "fixtures" / "tujuan-sasaran.yaml").read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))
    data["misi"][0]["tujuan"][0]["indikator"][0]["target"]["tahun2"] = 5
    assert_refused(schema, data, "tahun2")
