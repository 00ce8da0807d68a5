"""The committed JSON Schema is the one the model gives, sources point editors to it, and it refuses
what check refuses wherever JSON Schema can say so; every case where it cannot is named here."""

from __future__ import annotations

import datetime
import json
import re
import shutil

import jsonschema
import pytest
import yaml
from pydantic import BaseModel

import renstra.model
from conftest import ROOT
from renstra.cli import SCHEMA_FILE, schema_text
from renstra.diagnostics import validate_source
from renstra.errors import SourceError
from renstra.markup import check_markup
from renstra.model import Renstra
from renstra.source import load_source
from test_model import MINIMAL  # the smallest valid head of a source, shared

BAD = ROOT / "tests" / "bad"
CASES = sorted(BAD.glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").glob("*.yaml")) + \
    sorted((ROOT / "source").glob("*.yaml"))

# Each bad case the schema accepts, and why JSON Schema cannot refuse it. The list is exact: a case
# that starts to agree must leave it, a new disagreement must be explained here or fixed in
# renstra/model.py (json_schema). Fixtures and sources may not disagree at all.
KNOWN_DISAGREEMENTS = {
    "147-table-number-typed.yaml": "a table's title may not begin with a number the tool gives itself "
                                   "(\"Tabel 4.1\"); written as a case-blind 'not' pattern the editor's "
                                   "hint would read worse than check's message",
    # How a value was written is gone once it is read: an editor reads YAML 1.2, where these are
    # text, the same text check accepts in quotes. check refuses them unquoted because YAML 1.1
    # tools (PyYAML, Word add-ins, older editors) read them as a switch, a number or a date.
    "14-yaml11-no.yaml": "plain no is the text 'no' in YAML 1.2, the same value as the quoted \"no\" check "
                         "accepts; JSON Schema sees values, not quotes",
    "15-yaml11-on.yaml": "plain on is the text 'on' in YAML 1.2, the same value as the quoted \"on\" check "
                         "accepts; JSON Schema sees values, not quotes",
    "16-yaml11-yes.yaml": "plain Yes is the text 'Yes' in YAML 1.2, the same value as the quoted \"Yes\" "
                          "check accepts; JSON Schema sees values, not quotes",
    "18-underscore-number.yaml": "plain 1_000 is the text '1_000' in YAML 1.2, the same value as the quoted "
                                 "\"1_000\" check accepts in a cell; JSON Schema sees values, not quotes",
    "56-cell-is-a-date.yaml": "plain 2013-03-03 is text in YAML 1.2, the same value as the quoted date check "
                              "accepts in a cell; JSON Schema sees values, not quotes",
    # What the file is, beyond its data.
    "21-utf-16.yaml": "the encoding is gone once the file is read: editors (and PyYAML) decode UTF-16 before "
                      "a schema sees the data, which is valid",
    "26-second-document.yaml": "a JSON Schema checks one document; the editor checks each document of the "
                               "file on its own, and both are valid",
    "105-aliases-expand-past-the-text-limit.yaml": "JSON Schema bounds each value, not the size of the whole "
                                                   "document that aliases repeat a value into",
    # Rules that compare one value with another.
    "32-period-reversed.yaml": "JSON Schema cannot compare two values: 'selesai' against 'mulai'",
    "68-target-year-outside-period.yaml": "the years 'target' must give come from 'periode', another part of "
                                          "the document, which JSON Schema cannot compare with",
    "69-target-year-missing.yaml": "the years 'target' must give come from 'periode', another part of the "
                                   "document, which JSON Schema cannot compare with",
    "35-span-past-last-row.yaml": "how far a cell may span down depends on its row's place and the number of "
                                  "rows, which JSON Schema cannot count",
    "101-emphasis-nested-too-deep.yaml": "whether * and ** pair into italic and bold follows CommonMark's "
                                         "delimiter rules, which a regular expression cannot count",
    # What the emblem file holds: the schema sees only its name.
    "66-emblem-not-an-image.yaml": "whether the emblem file is a PNG depends on its bytes, not its name",
    "106-emblem-damaged.yaml": "whether the emblem decodes depends on the file, not its name",
    "107-emblem-too-many-pixels.yaml": "the emblem's size in pixels depends on the file, not its name",
}


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor reads it (yaml-language-server reads YAML 1.2 by default): yes, no, on,
    1_000 and 2013-03-03 are text, 010 is ten, '<<' is a key like any other, and a key given twice
    is an error ('Map keys must be unique'). Keys become text, as JSON's are."""

    yaml_implicit_resolvers: dict = {}
    yaml_constructors = {tag: make for tag, make in yaml.SafeLoader.yaml_constructors.items()
                         if not str(tag).endswith(("timestamp", "binary", "omap", "pairs", "set", "merge",
                                                   "value"))}

    def construct_mapping(self, node, deep=False):
        mapping = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            key = key if isinstance(key, str) else json.dumps(key)
            if key in mapping:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=True)
        return mapping


class _List(list):
    """A list that prints short: jsonschema puts the value into some messages, and a value that
    aliases repeat (tests/bad/42-alias-bomb.yaml) would take hours to print."""

    def __repr__(self) -> str:
        return f"[... {len(self)} items]"


class _Mapping(dict):
    def __repr__(self) -> str:
        return "{" + ", ".join(map(repr, self)) + "}"


def _sequence(loader, node):
    data = _List()
    yield data
    data.extend(loader.construct_sequence(node, deep=True))


def _mapping(loader, node):
    data = _Mapping()
    yield data
    data.update(loader.construct_mapping(node))


def _integer(loader, node) -> int:
    text = loader.construct_scalar(node)
    base = {"0o": 8, "0x": 16}.get(text[:2], 10)
    return int(text[2:] if base != 10 else text, base)


EditorLoader.add_constructor("tag:yaml.org,2002:int", _integer)
EditorLoader.add_constructor("tag:yaml.org,2002:seq", _sequence)
EditorLoader.add_constructor("tag:yaml.org,2002:map", _mapping)
# The core schema of YAML 1.2 (section 10.3.2).
for _tag, _pattern, _first in [
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
        ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
                  r"|\.(?:nan|NaN|NAN))$", list("-+.0123456789"))]:
    EditorLoader.add_implicit_resolver("tag:yaml.org,2002:" + _tag, re.compile(_pattern), _first)


def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def validator(definition: str | None = None) -> jsonschema.Draft202012Validator:
    """A validator of the committed schema, or of one of its definitions."""
    whole = schema()
    if definition is not None:
        whole = {"$defs": whole["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(whole)


def editor_refusal(data: bytes, check: jsonschema.Draft202012Validator) -> str | None:
    """Why an editor refuses a file as YAML or by the schema, or None when it accepts it."""
    try:
        documents = list(yaml.load_all(data, Loader=EditorLoader))
    except (yaml.YAMLError, ValueError) as exc:  # not YAML at all: the editor refuses it too
        return f"not YAML: {str(getattr(exc, 'problem', None) or exc).splitlines()[0]}"
    for document in documents or [None]:  # an empty file is the value null
        error = jsonschema.exceptions.best_match(check.iter_errors(document))
        if error is not None:
            return f"{'/'.join(map(str, error.absolute_path)) or 'the file'}: {error.message[:200]}"
    return None


def check_refusal(path) -> str | None:
    """What check says about a file, or None when it accepts it."""
    try:
        validate_source(load_source(path))
    except SourceError as exc:
        return exc.problems[0].message
    return None


# --- the schema against check, over every case -------------------------------------------------

def test_the_schema_disagrees_with_check_only_where_json_schema_cannot_say_the_rule():
    check = validator()
    disagreements = {}
    for path in CASES:
        refused_by_check = path.parent == BAD
        why = editor_refusal(path.read_bytes(), check)
        if (why is not None) != refused_by_check:
            disagreements[path.name] = why or "accepted"
    unexplained = {name: why for name, why in disagreements.items() if name not in KNOWN_DISAGREEMENTS}
    stale = sorted(set(KNOWN_DISAGREEMENTS) - set(disagreements))
    assert not unexplained and not stale, (
        "the schema and check disagree on cases not named in KNOWN_DISAGREEMENTS (schema's verdict):\n  "
        + "\n  ".join(f"{name}: {why}" for name, why in sorted(unexplained.items()))
        + "\nnamed there but agreeing now (remove them): " + ", ".join(stale))
    assert all((BAD / name).exists() for name in KNOWN_DISAGREEMENTS), "only bad cases may disagree"




VISI = "visi: {pernyataan: V}\n"


def _nested(depth: int, indent: str) -> str:
    """A list item holding lists depth levels down."""
    lines = []
    for level in range(depth):
        pad = indent + "  " * (2 * level)
        lines.append(f"{pad}- teks: Butir tingkat {level + 1}.")
        if level < depth - 1:
            lines.append(f"{pad}  daftar:")
    return "\n".join(lines) + "\n"


def _table(rows: str) -> str:
    return MINIMAL + "misi:\n  - judul: Misi.\n    makna:\n      - tabel:\n          baris:\n" + "".join(
        f"            - {row}\n" for row in rows.split(" / "))


# Sources beyond the corpus, valid and not, on which the schema and check must agree.
VARIANTS = {
    "quoted No in a cell": _table('["No", Uraian] / ["1", Pelayanan]'),
    "rows of one width": _table("[a, b, c] / [d, e, f]"),
    "rows of two widths": _table("[a, b, c] / [d, e]"),
    "an empty row": _table("[a] / []"),
    "a cell spanning two rows": _table("[{teks: a, gabung_baris: 2}, b] / [c]"),
    "a cell spanning three columns": _table("[{teks: a, gabung_kolom: 3}] / [b, c, d]"),
    "a cell of span 1 written out, rows unequal": _table("[{teks: a, gabung_kolom: 1}, b] / [c]"),
    "a number of 18 digits": _table("[a, 999999999999999999]"),
    "a number of 19 digits": _table("[a, 1000000000000000000]"),
    "a link in a cell": _table('["Lihat [x](https://a.b/c)"]'),
    "an escaped link": _table(r'["Lihat \\[x](https://a.b/c)"]'),
    "a link after an escaped backslash": _table(r'["Lihat \\\\[x](https://a.b/c)"]'),
    "a javascript: link, left as text": _table('["Lihat [x](javascript:alert)"]'),
    "an image": _table('["Lambang ![x](lambang.png)"]'),
    "an empty link": _table('["Lihat [x]()"]'),
    "a blank text": _table('["   "]'),
    "a word of 1000 letters": _table(f'["{"a" * 1000}"]'),
    "a word of 1001 letters": _table(f'["{"a" * 1001}"]'),
    "a tab inside a text": _table('["a\\tb"]'),
    "a tab inside a name": MINIMAL.replace("Kecamatan Contoh", '"Kecamatan\\tContoh"') + VISI,
    "a name ending in a line break": MINIMAL.replace("tempat: Magelang", "tempat: |\n    Magelang") + VISI,
    "a name on two lines": MINIMAL.replace("tempat: Magelang", "tempat: |\n    Mage\n    lang") + VISI,
    "a leap day": MINIMAL.replace("2013-03-03", "2012-02-29") + VISI,
    "the 29th of February in 2013": MINIMAL.replace("2013-03-03", "2013-02-29") + VISI,
    "the 29th of February in 2100": MINIMAL.replace("2013-03-03", "2100-02-29") + VISI,
    "the last day of 2200": MINIMAL.replace("2013-03-03", "2200-12-31") + VISI,
    "a quoted date": MINIMAL.replace("2013-03-03", '"2013-03-03"') + VISI,
    "visi only": MINIMAL + VISI,
    "visi null and no misi": MINIMAL + "visi:\nbab: []\n",
    "an empty misi list": MINIMAL + "misi: []\n",
    "chapters only": MINIMAL + "bab:\n  - judul: PENDAHULUAN\n    isi: [Isi.]\n",
    "a kota without daerah": MINIMAL.replace("  nama: Kecamatan Contoh\n  daerah: Kota Magelang\n",
                                             "  tingkat: kota\n  nama: Kota Magelang\n") + VISI,
    "a kelurahan with kecamatan": MINIMAL + "  tingkat: kelurahan\n  kecamatan: Kecamatan X\nvisi: {pernyataan: V}\n",
    "a kecamatan naming a kecamatan": MINIMAL + "  kecamatan: Kecamatan X\nvisi: {pernyataan: V}\n",
    "a perangkat-daerah without daerah": MINIMAL.replace("  daerah: Kota Magelang\n", "  tingkat: perangkat-daerah\n")
                                         + VISI,
    "six levels of list in a chapter": MINIMAL + "bab:\n  - judul: BAB\n    isi:\n      - daftar:\n"
                                       + _nested(6, "          "),
    "seven levels of list in a chapter": MINIMAL + "bab:\n  - judul: BAB\n    isi:\n      - daftar:\n"
                                         + _nested(7, "          "),
    "five levels of list in a mission": MINIMAL + "misi:\n  - judul: M.\n    makna:\n      - daftar:\n"
                                        + _nested(5, "          "),
    "six levels of list in a mission": MINIMAL + "misi:\n  - judul: M.\n    makna:\n      - daftar:\n"
                                       + _nested(6, "          "),
    "tanda on an item without a list": MINIMAL + "visi:\n  pernyataan: V\n  penjelasan:\n    - daftar:\n"
                                       "        - {teks: a, tanda: a)}\n",
    "an item with only a tanda": MINIMAL + "visi:\n  pernyataan: V\n  penjelasan:\n    - daftar:\n"
                                 "        - {tanda: a), daftar: [b]}\n",
    "an empty item": MINIMAL + "visi:\n  pernyataan: V\n  penjelasan:\n    - daftar:\n        - {istilah: null}\n",
    "bagian misi in a chapter": MINIMAL + "misi: [{judul: M.}]\nbab:\n  - judul: BAB\n    isi: [{bagian: misi}]\n",
    "bagian misi in two chapters": MINIMAL + "misi: [{judul: M.}]\nbab:\n  - judul: A\n    isi: [{bagian: misi}]\n"
                                   "  - judul: B\n    isi: [{bagian: misi}]\n",
    "bagian misi in a chapter and its subbab": MINIMAL + "misi: [{judul: M.}]\nbab:\n  - judul: A\n"
                                               "    isi: [{bagian: misi}]\n"
                                               "    subbab: [{judul: S, isi: [{bagian: misi}]}]\n",
    "bagian visi and misi, once each": MINIMAL + "visi: {pernyataan: V}\nmisi: [{judul: M.}]\nbab:\n  - judul: A\n"
                                       "    isi: [{bagian: visi}]\n"
                                       "    subbab: [{judul: S, isi: [{bagian: misi}]}]\n",
    "bagian misi outside a chapter": MINIMAL + "misi: [{judul: M.}]\nvisi:\n  pernyataan: V\n"
                                     "  penjelasan: [{bagian: misi}]\n",
    "rekap indikator as a block": MINIMAL + "misi:\n  - judul: M.\n    makna: [{rekap: indikator}]\n    tujuan:\n"
                                  "      - judul: T\n        indikator:\n          - {nama: I, satuan: '%', target: "
                                  "{2011: 1, 2012: 2, 2013: 3, 2014: 4, 2015: 5}}\n",
    "rekap tujuan-sasaran only": MINIMAL + "rekap: [tujuan-sasaran]\nmisi:\n  - judul: M.\n    tujuan:\n"
                                 "      - judul: T\n        sasaran:\n          - judul: S\n            indikator:\n"
                                 "              - {nama: I, satuan: '%', target: {2011: 1, 2012: 2, 2013: 3, 2014: 4, "
                                 "2015: 5}}\n",
    "a target year before 1945": MINIMAL + "rekap: [indikator]\nmisi:\n  - judul: M.\n    tujuan:\n      - judul: T\n"
                                 "        indikator:\n          - {nama: I, satuan: '%', target: {1900: 1}}\n",
    "an emblem beside the source": MINIMAL + "  lambang: lambang.png\nvisi: {pernyataan: V}\n",
    "an emblem named .PNG in capitals": MINIMAL + "  lambang: LAMBANG.PNG\nvisi: {pernyataan: V}\n",
    "an emblem that is a GIF by its name": MINIMAL + "  lambang: lambang.gif\nvisi: {pernyataan: V}\n",
    "an emblem given as a Windows path": MINIMAL + "  lambang: 'C:\\\\lambang.png'\nvisi: {pernyataan: V}\n",
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_schema_and_check_agree_on_sources_beyond_the_corpus(tmp_path, name):
    path = tmp_path / "sumber.yaml"
    path.write_text(VARIANTS[name], encoding="utf-8")
    for image in ("lambang.png", "LAMBANG.PNG", "lambang.gif"):
        shutil.copy(ROOT / "tests" / "fixtures" / "lambang-contoh.png", tmp_path / image)
    by_check = check_refusal(path)
    by_schema = editor_refusal(path.read_bytes(), validator())
    assert (by_check is None) == (by_schema is None), f"check: {by_check}; schema: {by_schema}"


# --- the patterns, one by one ---------------------------------------------------------------------

def test_the_date_pattern_is_the_calendar_between_the_models_bounds():
    pattern = re.compile(schema()["$defs"]["Tanggal"]["pattern"])
    bounds = Renstra.model_fields["dokumen"].annotation.model_fields["tanggal"].metadata
    first, last = (next(m.ge for m in bounds if hasattr(m, "ge")), next(m.le for m in bounds if hasattr(m, "le")))
    day = datetime.date(1940, 1, 1)
    while day <= datetime.date(2205, 12, 31):
        assert bool(pattern.search(day.isoformat())) == (first <= day <= last), day
        day += datetime.timedelta(days=1)
    for wrong in ("2013-02-29", "2013-04-31", "2013-13-01", "2013-00-10", "03-03-2013", "2013-3-3",
                  "2013-03-03 10:00:00", "2013-03-03\n", " 2013-03-03", "٢٠١٣-03-03"):
        assert not pattern.search(wrong), wrong


TEXTS = ["Pelayanan prima.", "*civil society*", "**Bersih** dan *good governance*", "a\tb", "Lihat \\[x](y).",
         "Lihat \\\\[x](y).", "[x](javascript:alert(1))", "[x](https://a.b/c)", "![x](a.png)", "[x]()",
         "[x](y \"judul\")", "[a [b] c](d)", "[x] (y)", "x" * 1000, "x" * 1001, " ", "", "a\x07b", "a\u2028b",
         "a\ufffeb", "a\x85b", "[x](y) dan [z](w)", "tanpa [kurung tutup", "(a)[b]"]


@pytest.mark.parametrize("text", TEXTS)
def test_the_text_pattern_refuses_only_what_check_refuses(text):
    pattern = re.compile(schema()["$defs"]["Teks"]["pattern"])
    by_check = not text.strip() or check_markup(text) is not None or bool(re.search(
        r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]", text))
    if not pattern.search(text):
        assert by_check, f"the schema refuses {text!r}, which check accepts"
    if text in ("[x](https://a.b/c)", "![x](a.png)", "[x]()", "x" * 1001, " ", "a\x07b", "a\u2028b",
                "[x](y) dan [z](w)", "Lihat \\\\[x](y)."):
        assert not pattern.search(text), f"the schema accepts {text!r}, which check refuses"


def test_every_pattern_is_one_an_editor_reads():
    """Editors run the patterns as ECMAScript regular expressions with the u flag, which allows
    escapes of syntax characters only; Python reads the same patterns the same way."""
    patterns = []

    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern":
                    patterns.append(value)
                elif key == "patternProperties":
                    patterns.extend(value)
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(schema())
    for pattern in patterns:
        re.compile(pattern)
        escaped = re.findall(r"\\(.)", re.sub(r"\\\\", "", pattern))
        assert set(escaped) <= set("^$\\.*+?()[]{}|/-sSdDwWnt") | {"x", "u"}, pattern


# --- the schema as an editor uses it -------------------------------------------------------------

# Draft 7's keywords, which VS Code's YAML extension checks, and the ones it adds for the editor.
DRAFT_7 = {"$schema", "$ref", "$comment", "$defs", "title", "description", "default", "examples", "type", "enum",
           "const", "pattern", "format", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems",
           "items", "contains", "properties", "patternProperties", "additionalProperties", "required",
           "minProperties", "anyOf", "oneOf", "allOf", "not", "if", "then", "else"}
EDITOR = {"defaultSnippets", "errorMessage", "patternErrorMessage"}


def _schemas(node, where="#"):
    """Every subschema with its place; the values of annotations are data, not schemas."""
    yield where, node
    for key, value in node.items():
        if key in ("properties", "patternProperties", "$defs"):
            for name, sub in value.items():
                yield from _schemas(sub, f"{where}/{key}/{name}")
        elif key in ("items", "contains", "not", "if", "then", "else", "additionalProperties") \
                and isinstance(value, dict):
            yield from _schemas(value, f"{where}/{key}")
        elif key in ("anyOf", "oneOf", "allOf"):
            for i, sub in enumerate(value):
                yield from _schemas(sub, f"{where}/{key}/{i}")


def test_the_schema_speaks_draft_7_as_editors_do():
    whole = schema()
    for where, node in _schemas(whole):
        unknown = set(node) - DRAFT_7 - EDITOR - {"maxContains"}
        assert not unknown, f"{where} uses {unknown}"
        if "maxContains" in node:
            # An editor that ignores maxContains must then check nothing: 'then' repeats 'if'.
            assert where.endswith("/then"), where
        if "$ref" in node:
            assert node["$ref"].removeprefix("#/$defs/") in whole["$defs"], where
            # Draft 7 ignores what stands beside a $ref: only words for the reader may.
            assert set(node) <= {"$ref", "title", "description", "examples", "default"}, where


def test_the_schema_without_later_keywords_still_accepts_every_fixture():
    """What an editor that knows draft 7 only checks: never more than check does."""
    draft_7 = jsonschema.Draft7Validator(schema())
    for path in CASES:
        if path.parent != BAD:
            assert editor_refusal(path.read_bytes(), draft_7) is None, path.name


def test_every_key_and_part_is_described_in_indonesian_for_the_editor():
    whole = schema()
    models = [m for m in vars(renstra.model).values() if isinstance(m, type) and issubclass(m, BaseModel)]
    english = {f.description for m in models for f in m.model_fields.values() if f.description}
    english |= {m.__doc__ for m in models}
    parts = {"the file": whole, **{f"$defs/{name}": spec for name, spec in whole["$defs"].items()}}
    described = {**parts, **{f"{where}/{key}": spec for where, part in parts.items()
                             for key, spec in part.get("properties", {}).items()}}
    undescribed = [where for where, spec in described.items() if not spec.get("description")]
    in_english = [where for where, spec in described.items()
                  if spec.get("description") in english or re.search(r"\b(the|of|e\.g\.|and|with)\b",
                                                                     spec.get("description", ""))]
    assert undescribed == [] and in_english == []
    for part, key in (("Instansi", "tingkat"), ("Instansi", "kecamatan"), ("TataLetak", "judul_misi"),
                      ("Indikator", "target"), ("Indikator", "satuan"), ("Visi", "pernyataan"),
                      ("BlokRekap", "rekap"), ("Lampiran", "nomor"), ("Dokumen", "tanggal")):
        assert whole["$defs"][part]["properties"][key].get("examples"), f"{part}.{key}"


def _inserted(body):
    """A snippet's body as the editor inserts it: tab stops at their defaults, text after '^' as
    written, everything else as plain YAML (so "${3:76}" is the number 76)."""
    if isinstance(body, dict):
        return {_inserted(key): _inserted(value) for key, value in body.items()}
    if isinstance(body, list):
        return [_inserted(item) for item in body]
    return yaml.load(re.sub(r"\$\{\d+:([^}]*)\}", r"\1", body).removeprefix("^"), Loader=EditorLoader)


def test_every_snippet_inserts_what_the_schema_accepts():
    whole = schema()
    snippets = {name: spec["defaultSnippets"] for name, spec in whole["$defs"].items() if "defaultSnippets" in spec}
    assert {"Visi", "Misi", "Tujuan", "Sasaran", "Indikator", "BlokDaftar", "BlokTabel"} <= set(snippets)
    for name, listed in snippets.items():
        for snippet in listed:
            assert snippet["label"] and snippet["description"], name
            data = json.loads(json.dumps(_inserted(snippet["body"])))  # keys become text, as JSON's are
            errors = list(validator(name).iter_errors(data))
            assert errors == [], f"{name} '{snippet['label']}': {errors[0].message}"


def test_the_new_document_snippet_passes_check(tmp_path):
    (snippet,) = schema()["defaultSnippets"]
    path = tmp_path / "baru.yaml"
    path.write_text(yaml.safe_dump(_inserted(snippet["body"]), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    assert check_refusal(path) is None


# --- as before -----------------------------------------------------------------------------------

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


def assert_refused(data: dict, word: str) -> None:
    """The schema refuses data, as an editor would, naming word in its message."""
    errors = list(validator().iter_errors(data))
    assert errors, f"the schema accepted {word!r}"
    while not any(word in error.message for error in errors):
        errors = [inner for error in errors for inner in error.context]
        assert errors, f"no message names {word!r}"


def _editor_data(path) -> dict:
    return yaml.load(path.read_bytes(), Loader=EditorLoader)


def test_schema_refuses_an_unknown_key_as_the_editor_would():
    data = _editor_data(ROOT / "source" / "misi-magelang-utara.yaml")
    data["dokumen"]["judull"] = "x"
    assert_refused(data, "judull")


def test_the_schema_refuses_a_target_year_that_is_not_a_year():
    data = _editor_data(ROOT / "tests" / "fixtures" / "tujuan-sasaran.yaml")
    data["misi"][0]["tujuan"][0]["indikator"][0]["target"]["tahun2"] = 5
    assert_refused(data, "tahun2")
