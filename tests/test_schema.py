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
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        assert "judull" in exc.message
    else:
        raise AssertionError("the schema accepted an unknown key")
