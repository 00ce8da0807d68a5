"""The Renstra format: one pydantic definition gives validation and the editor's JSON Schema."""

from __future__ import annotations

import datetime
import difflib
import re
import typing
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
        raise ValueError("empty text; write something or remove the line")
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

    mulai: int = Field(ge=1945, le=2200, description="First year, e.g. 2011")
    selesai: int = Field(ge=1945, le=2200, description="Last year, e.g. 2015")

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
    tanggal: datetime.date = Field(description="Date of the document, e.g. 2013-03-03")
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

    atas: float = Field(default=2.0, ge=2.0, le=6.0)
    bawah: float = Field(default=2.5, ge=2.5, le=6.0)
    kiri: float = Field(default=3.0, ge=3.0, le=6.0)
    kanan: float = Field(default=2.0, ge=2.0, le=6.0)


class TataLetak(Strict):
    """Layout settings shared by the PDF and the DOCX."""

    kertas: Literal["A4", "F4"] = "A4"
    huruf: Literal["Arial", "Bookman Old Style"] = "Arial"
    ukuran_huruf: float = Field(default=12, ge=9, le=16, description="Body size in points")
    spasi_baris: float = Field(default=1.5, ge=1.0, le=3.0)
    margin: Margin = Field(default_factory=Margin)
    sampul: bool = Field(default=True, description="Print a cover page")
    kop: bool = Field(default=False, description="Print the letterhead above the text")


class SelRinci(Strict):
    """A table cell that spans columns or rows."""

    teks: Teks
    gabung_kolom: int = Field(default=1, ge=1, le=50, description="Columns this cell spans")
    gabung_baris: int = Field(default=1, ge=1, le=1000, description="Rows this cell spans")


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
            raise ValueError("the document has no content: give 'misi' or 'bab'")
        return self


def json_schema() -> dict:
    """The JSON Schema that editors use to complete and check sources."""
    schema = Renstra.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def validate_source(source: Source) -> Renstra:
    """The model of a loaded source, or a SourceError listing every problem."""
    try:
        model = Renstra.model_validate(source.root.value)
    except ValidationError as exc:
        raise source.error([_problem(source, error) for error in exc.errors()]) from None
    problems = _check_structure(source, model)
    if problems:
        raise source.error(problems)
    return model


# --- mapping pydantic's errors back to the YAML -------------------------------------------------

def _walk(source: Source, loc: tuple) -> tuple[Node, list, type | None]:
    """The deepest node a location reaches, the rest of the location, and its model class."""
    node, kind = source.root, Renstra
    rest = list(loc)
    while rest:
        step = rest[0]
        child = node.child(step)
        if child is None:
            if isinstance(step, str) and isinstance(node.items, dict) and step in _TAGS:
                rest.pop(0)  # a union member's tag, not a key of the source
                kind = _TAGS[step]
                continue
            break
        kind = _field_type(kind, step)
        node = child
        rest.pop(0)
    return node, rest, kind


_TAGS = {"rinci": ButirRinci, "daftar": BlokDaftar, "tabel": BlokTabel, "SelRinci": SelRinci}


def _field_type(kind: type | None, step) -> type | None:
    """The model class one step below kind, for did-you-mean suggestions."""
    if kind is None:
        return None
    if isinstance(step, int):
        return kind
    field = getattr(kind, "model_fields", {}).get(step)
    if field is None:
        return None
    for candidate in _classes(field.annotation):
        return candidate
    return None


def _classes(annotation) -> list[type]:
    found = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    for arg in typing.get_args(annotation):
        found += _classes(arg)
    return found


_NOUNS = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
          dict: "a mapping (key: value lines)", list: "a list ('- ' lines)", type(None): "nothing",
          datetime.date: "a date"}


def _noun(value) -> str:
    return _NOUNS.get(type(value), type(value).__name__)


def _problem(source: Source, error: dict) -> Problem:
    loc = tuple(error["loc"])
    node, rest, kind = _walk(source, loc)
    kind_of_error = error["type"]
    value = error.get("input")
    mark = node.mark
    if kind_of_error == "extra_forbidden" and rest:
        key = str(rest[-1])
        mark = node.key_marks.get(key, mark)
        return Problem(mark, f"unknown key '{key}'{_suggest(key, kind)}")
    if kind_of_error == "extra_forbidden":
        parent, _, parent_kind = _walk(source, loc[:-1])
        key = str(loc[-1])
        mark = parent.key_marks.get(key, node.mark)
        return Problem(mark, f"unknown key '{key}'{_suggest(key, parent_kind)}")
    if kind_of_error == "missing":
        return Problem(mark, f"missing required key '{loc[-1]}'")
    where = f"'{loc[-1]}'" if loc and isinstance(loc[-1], str) and loc[-1] not in _TAGS else "this value"
    ctx = error.get("ctx") or {}
    if kind_of_error in ("string_type",):
        if isinstance(value, (int, float, bool, datetime.date)):
            return Problem(mark, f"{where} must be text, not {_noun(value)}; write it in quotes: "
                                 f"\"{_yaml_text(node, source)}\"")
        return Problem(mark, f"{where} must be text, not {_noun(value)}")
    if kind_of_error in ("int_type", "int_parsing", "int_from_float"):
        return Problem(mark, f"{where} must be a whole number, not {_shown(value)}")
    if kind_of_error in ("float_type", "float_parsing"):
        return Problem(mark, f"{where} must be a number, not {_shown(value)}")
    if kind_of_error in ("bool_type", "bool_parsing"):
        return Problem(mark, f"{where} must be true or false, not {_shown(value)}")
    if kind_of_error.startswith("date"):
        return Problem(mark, f"{where} must be a date like 2013-03-03, not {_shown(value)}")
    if kind_of_error == "literal_error":
        return Problem(mark, f"{where} must be one of {ctx.get('expected')}, not {_shown(value)}")
    if kind_of_error in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[kind_of_error]
        limit = next(iter(ctx.values()))
        return Problem(mark, f"{where} must be {bound} {limit}, not {_shown(value)}")
    if kind_of_error in ("model_type", "dict_type", "model_attributes_type"):
        return Problem(mark, f"{where} must be a mapping (key: value lines), not {_noun(value)}")
    if kind_of_error == "list_type":
        return Problem(mark, f"{where} must be a list ('- ' lines), not {_noun(value)}")
    if kind_of_error == "too_short":
        return Problem(mark, f"{where} must not be empty")
    if kind_of_error == "string_too_short":
        return Problem(mark, f"{where} must not be empty")
    if kind_of_error == "string_pattern_mismatch":
        return Problem(mark, f"{where} does not look right: {_shown(value)} (NIP is 18 digits)")
    if kind_of_error == "value_error":
        return Problem(mark, str(ctx.get("error", error["msg"])))
    if kind_of_error == "union_tag_invalid":
        return Problem(mark, f"{where} is not a kind of block this format knows")
    return Problem(mark, f"{where}: {error['msg']}")  # pragma: no cover - every type above is mapped


def _shown(value) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (dict, list)) or value is None:
        return _noun(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _yaml_text(node: Node, source: Source) -> str:
    """The value exactly as typed in the file, for a suggestion to quote it."""
    line = source.text.splitlines()[node.mark.line]
    return re.split(r"\s+#", line[node.mark.column:])[0].strip()


def _suggest(key: str, kind: type | None) -> str:
    names = list(getattr(kind, "model_fields", {}))
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
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


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


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
    if target.suffix.lower() not in IMAGE_SUFFIXES:
        return f"'{value}' must be a PNG or JPEG image (Word cannot show {target.suffix or 'this'} files)"
    return None


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return path.name


def _node(source: Source, loc: tuple) -> Node:
    return _walk(source, loc)[0]


def _check_blocks(source, loc, blocks, level, problems) -> None:
    for i, block in enumerate(blocks):
        if isinstance(block, BlokDaftar):
            _check_list(source, loc + (i, "daftar"), block.daftar, level, problems)
        elif isinstance(block, BlokTabel):
            _check_table(source, loc + (i, "tabel"), block.tabel, problems)


def _check_list(source, loc, items, level, problems) -> None:
    if level > MAX_LIST_LEVEL:
        problems.append(Problem(_node(source, loc).mark,
                                f"lists nest at most {MAX_LIST_LEVEL} levels (1. a. 1) a)); "
                                "this one is level " + str(level)))
        return
    for i, item in enumerate(items):
        if isinstance(item, ButirRinci) and item.daftar:
            _check_list(source, loc + (i, "daftar"), item.daftar, level + 1, problems)


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
                problems.append(Problem(_node(source, loc + (part, r)).mark,
                                        f"this row has {width} columns, the table has {expected} "
                                        "(cells that span rows count in the rows below)"))
        spans = [(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row)
                 if isinstance(cell, SelRinci) and r + cell.gabung_baris > len(rows)]
        for r, c in spans:
            problems.append(Problem(_node(source, loc + (part, r, c)).mark,
                                    "this cell spans past the last row of the table"))
