"""The Renstra format: one pydantic definition gives validation and the editor's JSON Schema."""

from __future__ import annotations

import datetime
import difflib
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag,
                      ValidationError, model_validator)

from .errors import Mark, Problem
from .markup import check_markup
from .source import Node, Source

MAX_LIST_LEVEL = 4  # 1. / a. / 1) / a)


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("the text is empty; write it or remove the line")
    why = check_markup(value)
    if why:
        raise ValueError(why)
    return value


Teks = Annotated[str, AfterValidator(_text),
                 Field(description="Text; *italic* for foreign terms, **bold** for terms.")]
Nama = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Periode(Strict):
    """The five years the plan covers."""

    mulai: int = Field(strict=True, ge=1945, le=2200, description="First year, e.g. 2011")
    selesai: int = Field(strict=True, ge=1945, le=2200, description="Last year, e.g. 2015")

    @model_validator(mode="after")
    def _ordered(self):
        if self.selesai < self.mulai:
            raise ValueError(f"'selesai' ({self.selesai}) is before 'mulai' ({self.mulai})")
        return self


class Dokumen(Strict):
    """What the document is."""

    jenis: Nama = Field(default="Rencana Strategis (Renstra)", description="Kind of document, for the cover")
    judul: Teks = Field(description="Title, as printed above the text")
    periode: Periode
    tempat: Nama = Field(description="Place of signing, e.g. Magelang")
    tanggal: datetime.date = Field(ge=datetime.date(1945, 1, 1), le=datetime.date(2200, 12, 31),
                                   description="Date of the document, e.g. 2013-03-03")
    versi: Nama = Field(description="Version of this release, e.g. \"1.0\" (in quotes)")
    ringkasan: Nama | None = Field(default=None, description="One-line subject for the file's properties")
    kata_kunci: list[Nama] = Field(default_factory=list, description="Keywords for the file's properties")


class Instansi(Strict):
    """The government unit and its region; contact lines print only when given."""

    nama: Nama = Field(description="e.g. Kecamatan Magelang Utara")
    daerah: Nama = Field(description="e.g. Kota Magelang")
    alamat: Nama | None = None
    telepon: Nama | None = None
    faksimile: Nama | None = None
    laman: Nama | None = Field(default=None, description="Website")
    surel: Nama | None = Field(default=None, description="E-mail")
    lambang: Nama | None = Field(default=None, description="Emblem image (PNG or JPEG) in source/ or templates/")


class Penandatangan(Strict):
    """Who signs; only what is given is printed."""

    jabatan: Nama = Field(description="e.g. Camat Magelang Utara")
    nama: Nama | None = Field(default=None, description="Name with academic titles")
    pangkat: Nama | None = Field(default=None, description="Pangkat/golongan, e.g. Pembina (IV/a)")
    nip: Annotated[str, Field(pattern=r"^\d{8} ?\d{6} ?\d \d{3}$|^\d{18}$")] | None = Field(
        default=None, description="18 digits, in quotes")


class Margin(Strict):
    """Page margins in centimetres; the minimums are those of naskah dinas."""

    atas: float = Field(strict=True, default=2.0, ge=2.0, le=6.0)
    bawah: float = Field(strict=True, default=2.5, ge=2.5, le=6.0)
    kiri: float = Field(strict=True, default=3.0, ge=3.0, le=6.0)
    kanan: float = Field(strict=True, default=2.0, ge=2.0, le=6.0)


class TataLetak(Strict):
    """Layout settings shared by the PDF and the DOCX."""

    kertas: Literal["A4", "F4"] = "A4"
    huruf: Literal["Arial", "Bookman Old Style"] = "Arial"
    ukuran_huruf: float = Field(strict=True, default=12, ge=9, le=16, description="Body size in points")
    spasi_baris: float = Field(strict=True, default=1.5, ge=1.0, le=3.0)
    margin: Margin = Field(default_factory=Margin)
    sampul: bool = Field(default=True, description="Print a cover page")
    kop: bool = Field(default=False, description="Print the letterhead above the text")


class SelRinci(Strict):
    """A table cell that spans columns or rows."""

    teks: Teks
    gabung_kolom: int = Field(strict=True, default=1, ge=1, le=50, description="Columns this cell spans")
    gabung_baris: int = Field(strict=True, default=1, ge=1, le=1000, description="Rows this cell spans")


Sel = Union[Teks, int, float, SelRinci]


class Tabel(Strict):
    """A table; header rows repeat on every page it spans."""

    judul: Teks | None = None
    kepala: list[list[Sel]] = Field(default_factory=list, description="Header rows")
    baris: list[list[Sel]] = Field(min_length=1, description="Body rows")


class ButirRinci(Strict):
    """A list item with a bold term, text, and/or a nested list."""

    istilah: Teks | None = Field(default=None, description="Bold term that opens the item")
    teks: Teks | None = None
    daftar: list[Butir] | None = Field(default=None, min_length=1, description="Nested list")

    @model_validator(mode="after")
    def _not_empty(self):
        if self.istilah is None and self.teks is None and self.daftar is None:
            raise ValueError("a list item needs 'istilah', 'teks' or 'daftar'")
        return self


Butir = Annotated[Union[Annotated[Teks, Tag("teks")], Annotated[ButirRinci, Tag("rinci")]],
                  Discriminator(lambda v: "teks" if isinstance(v, str) else "rinci")]
ButirRinci.model_rebuild()


class BlokDaftar(Strict):
    daftar: list[Butir] = Field(min_length=1, description="A numbered list")


class BlokTabel(Strict):
    tabel: Tabel


def _block_kind(value: Any) -> str:
    if isinstance(value, str):
        return "paragraf"
    if isinstance(value, dict) and "tabel" in value:
        return "tabel"
    return "daftar"


Blok = Annotated[Union[Annotated[Teks, Tag("paragraf")], Annotated[BlokDaftar, Tag("daftar")],
                       Annotated[BlokTabel, Tag("tabel")]],
                 Discriminator(_block_kind),
                 Field(description="A paragraph (text), {daftar: [...]} or {tabel: {...}}")]


class Misi(Strict):
    judul: Teks
    makna: list[Blok] = Field(min_length=1, description="What the mission means: paragraphs, lists, tables")


class Subbab(Strict):
    judul: Teks
    isi: list[Blok] = Field(min_length=1)


class Bab(Strict):
    judul: Teks = Field(description="e.g. PENDAHULUAN (the 'BAB I' is added)")
    isi: list[Blok] = Field(default_factory=list)
    subbab: list[Subbab] = Field(default_factory=list)


class Renstra(Strict):
    """One Renstra document."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Renstra source")

    dokumen: Dokumen
    instansi: Instansi
    penandatangan: Penandatangan | None = None
    tata_letak: TataLetak = Field(default_factory=TataLetak)
    misi: list[Misi] = Field(default_factory=list)
    bab: list[Bab] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_content(self):
        if not self.misi and not self.bab:
            raise ValueError("the document has no content: add 'misi' (the missions) or 'bab' "
                             "(the chapters)")
        return self


def json_schema() -> dict:
    """The JSON Schema that editors use to complete and check sources."""
    schema = Renstra.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def validate_source(source: Source) -> Renstra:
    """The model of a loaded source, or a SourceError listing every problem, the loader's too."""
    try:
        model = Renstra.model_validate(source.root.value)
    except ValidationError as exc:
        # A value the loader already complained about ('no', '010') fails here again: say it once.
        loader_marks = {(p.mark.line, p.mark.column) for p in source.problems}
        problems = [p for p in _problems(source, exc.errors())
                    if (p.mark.line, p.mark.column) not in loader_marks]
        raise source.error(source.problems + problems) from None
    problems = source.problems + _check_structure(source, model)
    if problems:
        raise source.error(problems)
    return model


# --- mapping pydantic's errors back to the YAML -------------------------------------------------

# Lists whose items are a union: pydantic names the member it tried after the item's index.
_BLOCK_LISTS = ("makna", "isi")
_ROW_LISTS = ("kepala", "baris")
_MEMBERS = {"daftar": BlokDaftar, "tabel": BlokTabel, "rinci": ButirRinci, "SelRinci": SelRinci}
_UNITS = {"atas": " cm", "bawah": " cm", "kiri": " cm", "kanan": " cm", "ukuran_huruf": " pt"}
_BLOCK = "a paragraph (text), a numbered list ('daftar:') or a table ('tabel:')"
_ITEM = "text, or an item with 'istilah:', 'teks:' and/or 'daftar:'"
_CELL = "text, a number, or a cell with 'teks:' (and 'gabung_kolom:' or 'gabung_baris:')"


@dataclass
class _Place:
    """Where a pydantic location lands in the source, and how a person names that place."""

    node: Node  # the deepest node of the source the location reaches
    rest: list  # steps below that node the source does not have (a missing key)
    kind: type | None  # the model class at node, for did-you-mean suggestions
    where: str  # "'judul'", "item 3 of 'daftar'", "cell 2 in row 1 of 'baris'"
    member: str | None  # the union member pydantic tried at a list item
    key_mark: Mark | None  # the mark of the key that holds node, if a key does
    cell: bool = False  # a table cell, whose members are text, numbers and SelRinci


def _locate(source: Source, loc: tuple) -> _Place:
    node, kind, where, member, key_mark = source.root, Renstra, "the file", None, None
    holder, row, tag_next, cell = None, None, False, False
    steps = list(loc)
    while steps:
        step = steps[0]
        if tag_next:
            tag_next, member = False, str(step)
            kind = _MEMBERS.get(member)
            steps.pop(0)
            continue
        child = node.child(step)
        if child is None:
            break
        if isinstance(step, str):
            key_mark, kind, where, holder, row, member = (node.key_marks.get(step), _field_type(kind, step),
                                                          f"'{step}'", step, None, None)
            cell = False
        elif holder in _ROW_LISTS and row is None:
            row, where, key_mark = step, f"row {step + 1} of '{holder}'", None
        elif holder in _ROW_LISTS:
            where, tag_next, key_mark = f"cell {step + 1} in row {row + 1} of '{holder}'", True, None
            cell = True
        else:
            where, key_mark = f"item {step + 1} of '{holder}'", None
            tag_next = holder in _BLOCK_LISTS or holder == "daftar"
        node = child
        steps.pop(0)
    return _Place(node, steps, kind, where, member, key_mark, cell)


def _field_type(kind: type | None, step) -> type | None:
    """The model class one key below kind, for did-you-mean suggestions."""
    field = getattr(kind, "model_fields", {}).get(step)
    if field is None:
        return None
    found = _classes(field.annotation)
    return found[0] if found else None


def _classes(annotation) -> list[type]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in typing.get_args(annotation):
        found += _classes(arg)
    return found


_NOUNS = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
          dict: "'key: value' lines", list: "a list", type(None): "nothing",
          datetime.date: "a date"}


def _noun(value) -> str:
    return _NOUNS.get(type(value), type(value).__name__)


def _problems(source: Source, errors: list[dict]) -> list[Problem]:
    """One problem per mistake: pydantic reports some mistakes several times over."""
    # An unknown key is a problem of the mapping that holds it.
    placed = [(_locate(source, tuple(e["loc"])[:-1] if e["type"] == "extra_forbidden" else tuple(e["loc"])), e)
              for e in errors]
    problems: list[Problem] = []
    done: set[int] = set()  # nodes already given their one message
    for place, error in placed:
        value = place.node.value
        if place.cell and place.member is not None:
            # A table cell: pydantic tried text, whole number, number and SelRinci in turn.
            wanted = {str: "str", int: "int", float: "float", dict: "SelRinci"}.get(type(value))
            if wanted is None or (wanted == "str" and "str" not in place.member):
                if id(place.node) not in done:
                    done.add(id(place.node))
                    problems.append(_wrong_kind(source, place, _CELL))
                continue
            if wanted not in place.member:
                continue
        if place.member == "daftar" and isinstance(value, dict) and "daftar" not in value:
            if id(place.node) not in done:
                done.add(id(place.node))
                problems.append(_unknown_block(place))
            continue
        if error["type"] == "missing" and _misspelt(source, place, placed):
            continue
        problems.append(_problem(source, place, error))
    unique = {(p.mark, p.message): p for p in problems}
    return list(unique.values())


def _misspelt(source: Source, place: _Place, placed: list) -> bool:
    """Whether a missing key is there under a misspelt name, which its own message names."""
    missing = str(place.rest[-1]) if place.rest else ""
    for other, error in placed:
        if other.node is place.node and error["type"] == "extra_forbidden":
            if _close(str(error["loc"][-1]), list(getattr(place.kind, "model_fields", {}))) == missing:
                return True
    return False


def _close(key: str, names: list[str]) -> str | None:
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_block(place: _Place) -> Problem:
    keys = list(place.node.value)
    mark = place.node.key_marks.get(keys[0], place.node.mark) if keys else place.node.mark
    if len(keys) == 1 and " " in keys[0].strip():
        return Problem(mark, _colon_message(keys[0]))
    hint = _close(keys[0], ["daftar", "tabel"]) if keys else None
    found = f"; found '{keys[0]}:'" + (f" (did you mean '{hint}'?)" if hint else "") if keys else ""
    return Problem(mark, f"{place.where} must be {_BLOCK}{found}")


def _colon_message(key: str) -> str:
    shown = key if len(key) <= 40 else key[:37] + "..."
    return (f"'{shown}: ...' is read as a name and a value because of the ': ' in it; "
            "if it is text, put all of it in quotes")


def _wrong_kind(source: Source, place: _Place, expected: str) -> Problem:
    value = place.node.value
    if value is None:
        if place.cell:
            return Problem(place.node.mark, f"{place.where} is empty; write {expected}")
        after = "after the ':'" if place.key_mark else "after the '- '"
        return Problem(place.node.mark, f"{place.where} is empty; write {expected} {after}, "
                                        "or remove the line")
    hint = ""
    if isinstance(value, (int, float, bool, datetime.date)):
        hint = f"; for text write it in quotes: \"{_yaml_text(place.node, source)}\""
    elif isinstance(value, list) and expected == _BLOCK:
        hint = "; for a numbered list write 'daftar:' and indent the '- ' lines below it"
    elif isinstance(value, list) and expected == _ITEM:
        hint = "; for a nested list write 'teks:' with the item's text and 'daftar:' with its sub-items"
    elif isinstance(value, dict) and len(value) == 1 and " " in str(next(iter(value))).strip():
        return Problem(place.node.mark, _colon_message(str(next(iter(value)))))
    return Problem(place.node.mark, f"{place.where} must be {expected}, not {_noun(value)}{hint}")


def _problem(source: Source, place: _Place, error: dict) -> Problem:
    kind_of_error, loc, where = error["type"], tuple(error["loc"]), place.where
    node, value, mark = place.node, place.node.value, place.node.mark
    ctx = error.get("ctx") or {}
    if kind_of_error == "extra_forbidden":
        key = str(loc[-1])
        mark = node.key_marks.get(key, mark)
        if " " in key.strip():
            return Problem(mark, _colon_message(key))
        return Problem(mark, f"unknown key '{key}'{_suggest(key, place.kind)}")
    if kind_of_error == "missing":
        key = str(place.rest[-1]) if place.rest else str(loc[-1])
        about = getattr(place.kind, "model_fields", {}).get(key)
        why = f" ({about.description[0].lower()}{about.description[1:]})" if about and about.description else ""
        inside = "at the top of the file" if where == "the file" else f"in {where}"
        return Problem(place.key_mark or mark, f"missing required key '{key}' {inside}{why}")
    if place.member in ("daftar", "tabel") and kind_of_error in ("model_type", "dict_type"):
        return _wrong_kind(source, place, _BLOCK)
    if place.member == "rinci" and kind_of_error in ("model_type", "dict_type"):
        return _wrong_kind(source, place, _ITEM)
    if kind_of_error == "string_type":
        return _wrong_kind(source, place, "text")
    if value is None and kind_of_error.endswith("_type"):
        return Problem(mark, f"{where} is empty; write its value after the ':' or remove the line")
    unit = _UNITS.get(str(loc[-1]), "") if loc else ""
    if kind_of_error in ("int_type", "int_parsing", "int_from_float"):
        return Problem(mark, f"{where} must be a whole number, not {_shown(value)}")
    if kind_of_error in ("float_type", "float_parsing"):
        return Problem(mark, f"{where} must be a number, not {_shown(value)}")
    if kind_of_error in ("bool_type", "bool_parsing"):
        return Problem(mark, f"{where} must be true or false, not {_shown(value)}")
    if kind_of_error.startswith("date"):
        return Problem(mark, f"{where} must be a date written year-month-day, like 2013-03-03, "
                             f"not {_shown(value)}")
    if kind_of_error == "literal_error":
        return Problem(mark, f"{where} must be one of {ctx.get('expected')}, not {_shown(value)}")
    if kind_of_error in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[kind_of_error]
        limit = next(iter(ctx.values()))
        return Problem(mark, f"{where} must be {bound} {limit}{unit}, not {_shown(value)}{unit}")
    if kind_of_error in ("model_type", "dict_type", "model_attributes_type"):
        if where == "the file":
            return Problem(mark, "a source starts with 'dokumen:' and 'instansi:' lines, "
                                 f"not {_noun(value)}")
        names = ", ".join(getattr(place.kind, "model_fields", {}))
        return Problem(mark, f"{where} must hold 'key: value' lines indented below it ({names}), "
                             f"not {_noun(value)}")
    if kind_of_error == "list_type":
        noun = "a list of cells: [a, b] on one line or '- ' lines" if where.startswith("row ") else \
            "a list: '- ' lines below it, or [a, b] on one line"
        return Problem(mark, f"{where} must be {noun}, not {_noun(value)}")
    if kind_of_error in ("too_short", "string_too_short"):
        return Problem(mark, f"{where} is empty; write at least one "
                             f"{'item' if kind_of_error == 'too_short' else 'character'}")
    if kind_of_error == "string_pattern_mismatch" and loc[-1] == "nip":
        return Problem(mark, f"'nip' must be 18 digits, like \"19700101 199001 1 001\" (in quotes), "
                             f"not {_shown(value)}")
    if kind_of_error == "value_error":
        return _rule_broken(source, place, str(ctx.get("error", error["msg"])))
    return Problem(mark, f"{where}: {error['msg']}")  # pragma: no cover - every type above is mapped


def _rule_broken(source: Source, place: _Place, why: str) -> Problem:
    """A validator's complaint, placed on the part of the value it is about."""
    node = place.node
    if node.items is None:
        if why.startswith(("a link", "an image")):
            return Problem(_find(source, node, r"!?\[[^\]]*\]\(") or node.mark, f"{place.where}: {why}")
        return Problem(node.mark, f"{place.where}: {why}")
    if place.kind is Periode and node.child("selesai") is not None:
        return Problem(node.child("selesai").mark, why)
    if place.where == "the file":
        return Problem(node.mark, why)
    return Problem(node.mark, f"{place.where}: {why}")


def _find(source: Source, node: Node, pattern: str) -> Mark | None:
    """The mark of the first match of pattern at or after a scalar's start, if the scalar has one."""
    if not re.search(pattern, str(node.value)):
        return None
    lines = source.text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: node.mark.line]) + node.mark.column
    found = re.compile(pattern).search(source.text, offset)
    if found is None:
        return None
    before = source.text[: found.start()]
    line = before.count("\n")
    return Mark(node.mark.path, line, found.start() - (before.rfind("\n") + 1))


def _shown(value) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (dict, list)) or value is None:
        return _noun(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _yaml_text(node: Node, source: Source) -> str:
    """A number, date or true/false exactly as typed in the file, for a suggestion to quote it."""
    line = source.text.split("\n")[node.mark.line]
    typed = re.match(r"[^,\]}#\s]+", line[node.mark.column:])
    return typed.group(0) if typed else str(node.value)


def _suggest(key: str, kind: type | None) -> str:
    names = list(getattr(kind, "model_fields", {}))
    close = _close(key, names)
    if close:
        return f" (did you mean '{close}'?)"
    if names:
        return f" (allowed here: {', '.join(names)})"
    return ""


# --- rules that need more than one field --------------------------------------------------------

def _check_structure(source: Source, model: Renstra) -> list[Problem]:
    problems: list[Problem] = []
    if model.instansi.lambang is not None:
        why = asset_problem(source, model.instansi.lambang)
        if why:
            problems.append(Problem(_node(source, ("instansi", "lambang")).mark, why))
    for m, misi in enumerate(model.misi):
        _check_blocks(source, ("misi", m, "makna"), misi.makna, 2, problems)
    for b, bab in enumerate(model.bab):
        _check_blocks(source, ("bab", b, "isi"), bab.isi, 1, problems)
        for s, sub in enumerate(bab.subbab):
            _check_blocks(source, ("bab", b, "subbab", s, "isi"), sub.isi, 1, problems)
    return problems


# Each image type the writers can embed, and the first bytes every such file starts with.
IMAGE_SIGNATURES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}


def asset_problem(source: Source, value: str) -> str | None:
    """Why an asset path may not be used, or None: only image files inside the source's folder
    or templates/ are read, so a shared source cannot make the build read or fetch anything else."""
    from .render import TEMPLATES  # render imports this module

    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value) or value.startswith("//"):
        return f"'{value}' is a URL; give the path of a file beside the source instead"
    if Path(value).is_absolute():
        return f"'{value}' is an absolute path; give a path relative to the source file"
    folder = Path(source.path).resolve().parent
    target = (folder / value).resolve()
    if not any(target.is_relative_to(root) for root in (folder, TEMPLATES)):
        return f"'{value}' points outside the source's folder and templates/; copy the file beside the source"
    if not target.exists():
        return f"'{value}' does not exist (looked for {_shown_path(target)})"
    if not target.is_file():
        return f"'{value}' is not a regular file"
    if target.suffix.lower() not in IMAGE_SIGNATURES:
        return f"'{value}' must be a PNG or JPEG image (Word cannot show {target.suffix or 'this'} files)"
    with open(target, "rb") as image:
        start = image.read(8)
    if not start.startswith(IMAGE_SIGNATURES[target.suffix.lower()]):
        return f"'{value}' is not a {target.suffix[1:].upper()} image, whatever its name says"
    return None


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return path.name


def _node(source: Source, loc: tuple) -> Node:
    return _locate(source, loc).node


def _check_blocks(source, loc, blocks, level, problems) -> None:
    # The locations carry pydantic's member tags ('daftar', 'tabel', 'rinci') as its errors do.
    for i, block in enumerate(blocks):
        if isinstance(block, BlokDaftar):
            _check_list(source, loc + (i, "daftar", "daftar"), block.daftar, level, level, problems)
        elif isinstance(block, BlokTabel):
            _check_table(source, loc + (i, "tabel", "tabel"), block.tabel, problems)


def _check_list(source, loc, items, level, first, problems) -> None:
    if level > MAX_LIST_LEVEL:
        inside = " (in a mission the first list is already level 2, a.)" if first == 2 else ""
        problems.append(Problem(_node(source, loc).mark,
                                f"this list would be level {level}{inside}; lists nest at most "
                                f"{MAX_LIST_LEVEL} levels (1. a. 1) a)), so make it part of the "
                                "level above or split the item"))
        return
    for i, item in enumerate(items):
        if isinstance(item, ButirRinci) and item.daftar:
            _check_list(source, loc + (i, "rinci", "daftar"), item.daftar, level + 1, first, problems)


def table_grid(rows: list[list]) -> list[int]:
    """Width of each row once row spans from above are counted (a cell spanning rows fills below)."""
    carried: dict[int, int] = {}  # row index -> columns taken by spans from earlier rows
    widths = []
    for r, row in enumerate(rows):
        width = carried.pop(r, 0)
        for cell in row:
            span = cell.gabung_kolom if isinstance(cell, SelRinci) else 1
            width += span
            down = cell.gabung_baris if isinstance(cell, SelRinci) else 1
            for below in range(r + 1, r + down):
                carried[below] = carried.get(below, 0) + span
        widths.append(width)
    return widths


def _check_table(source, loc, table: Tabel, problems) -> None:
    parts = [("kepala", table.kepala), ("baris", table.baris)]
    expected = None
    for part, rows in parts:
        for r, width in enumerate(table_grid(rows)):
            if expected is None:
                expected = width
            elif width != expected:
                place = _locate(source, loc + (part, r))
                problems.append(Problem(place.node.mark,
                                        f"{place.where} is {width} columns wide, the rows above are "
                                        f"{expected} (a cell with 'gabung_baris' also fills the rows "
                                        "below it)"))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if isinstance(cell, int):
                    # pydantic turns true/false into 1/0 in a number cell; the source meant a word.
                    place = _locate(source, loc + (part, r, c))
                    if isinstance(place.node.value, bool):
                        problems.append(_wrong_kind(source, place, _CELL))
                if isinstance(cell, SelRinci) and r + cell.gabung_baris > len(rows):
                    place = _locate(source, loc + (part, r, c, "SelRinci", "gabung_baris"))
                    problems.append(Problem(
                        place.node.mark,
                        f"cell {c + 1} in row {r + 1} of '{part}' spans {cell.gabung_baris} rows, "
                        f"but only {len(rows) - r} rows of '{part}' are left from there"))
