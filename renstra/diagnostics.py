"""Validation as a person reads it: every mistake of a source, located in the YAML and said plainly."""

from __future__ import annotations

import datetime
import difflib
import re
import typing
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from .errors import Mark, Problem
from .model import (DEFAULT_MARKERS, MAX_LIST_LEVEL, REGIONS, VILLAGES, BagianMisi, BlokBagian, BlokDaftar,
                    BlokRekap, BlokTabel, ButirRinci, Indikator, Instansi, Misi, Periode, Renstra, SelRinci,
                    Tabel, Tujuan, Visi, all_indicators, block_lists, period_years, table_grid)
from .paths import asset_problem
from .source import Node, Source


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
_BLOCK_LISTS = ("makna", "isi", "pengantar", "penjelasan", "pengantar_makna", "strategi", "arah_kebijakan")


# Keys whose value is a union: pydantic names the member after the key.
_TAGGED_VALUES = ("misi", "awal", "akhir")


_ROW_LISTS = ("kepala", "baris")


_MEMBERS = {"daftar": BlokDaftar, "tabel": BlokTabel, "rinci": ButirRinci, "SelRinci": SelRinci,
            "rekap": BlokRekap, "bagian": BlokBagian, "misi-bagian": BagianMisi, "misi-daftar": Misi}


_UNITS = {"atas": " cm", "bawah": " cm", "kiri": " cm", "kanan": " cm", "ukuran_huruf": " pt"}


_BLOCK = ("a paragraph (text), a list ('daftar:'), a table ('tabel:'), a generated table ('rekap:') "
          "or a part ('bagian:')")


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
    holder, holder_in, row, tag_next, cell = None, None, None, False, False
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
            tag_next = step in _TAGGED_VALUES or holder == "target"
            holder_in = kind
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
            # The missions' 'daftar' holds missions, every other 'daftar' list items (a union).
            tag_next = holder in _BLOCK_LISTS or (holder == "daftar" and holder_in is not BagianMisi)
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


# What a value must be, by pydantic's error type, when that is all there is to say.
_MUST_BE = {"int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
            "float_type": "a number", "float_parsing": "a number",
            "bool_type": "true or false", "bool_parsing": "true or false",
            "date": "a date written year-month-day, like 2013-03-03"}  # every date_* type
_BOUNDS = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than",
           "less_than": "less than"}


def _problem(source: Source, place: _Place, error: dict) -> Problem:
    kind_of_error, loc, where = error["type"], tuple(error["loc"]), place.where
    node, value, mark = place.node, place.node.value, place.node.mark
    ctx = error.get("ctx") or {}
    if kind_of_error == "extra_forbidden":
        key = str(loc[-1])
        mark = node.key_marks.get(key, mark)
        if " " in key.strip():
            return Problem(mark, _colon_message(key))
        if (key, place.kind) in _MISPLACED:
            return Problem(mark, f"'{key}' cannot stand here: {_MISPLACED[key, place.kind]}")
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
    wanted = _MUST_BE.get(kind_of_error) or (_MUST_BE["date"] if kind_of_error.startswith("date") else None)
    if wanted:
        return Problem(mark, f"{where} must be {wanted}, not {_shown(value)}")
    if kind_of_error == "nilai":
        return Problem(mark, f"{where} must be a number or text (in quotes), not {_noun(value)}")
    if kind_of_error == "literal_error":
        return Problem(mark, f"{where} must be one of {ctx.get('expected')}, not {_shown(value)}")
    if kind_of_error in _BOUNDS:
        bound, limit = _BOUNDS[kind_of_error], next(iter(ctx.values()))
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
    if kind_of_error == "string_pattern_mismatch" and loc[-1] == "[key]":
        return Problem(place.key_mark or mark, f"{where} is not a year; 'target' gives one value for each "
                                               "year of the period, like 2022: 80")
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


# Keys of the strategic chain written one level off: where each belongs instead.
_MISPLACED = {
    ("sasaran", Misi): "a sasaran belongs to a tujuan; write 'tujuan:' with its 'judul' and put 'sasaran' under it",
    ("indikator", Misi): "indikator belong to a tujuan or a sasaran of the mission",
    ("strategi", Tujuan): "strategi belongs to a sasaran of the tujuan",
    ("arah_kebijakan", Tujuan): "arah_kebijakan belongs to a sasaran of the tujuan",
    ("tujuan", Visi): "tujuan belong to a mission (in 'misi'), not to the visi",
    ("sasaran", Visi): "sasaran belong to a tujuan of a mission (in 'misi'), not to the visi",
}


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
        why = asset_problem(source.path, model.instansi.lambang)
        if why:
            problems.append(Problem(_node(source, ("instansi", "lambang")).mark, why))
    problems += _check_instansi(source, model.instansi)
    placed: dict[str, list[tuple]] = {"rekap": [], "bagian": []}
    for loc, blocks, level in block_lists(model):
        _check_blocks(source, loc, blocks, level, problems, placed)
    indicators = list(all_indicators(model))
    for loc, indikator in indicators:
        problems += _check_targets(source, loc, indikator, model.dokumen.periode)
    problems += _check_placed(source, model, placed, indicators)
    return problems


def _check_instansi(source: Source, instansi: Instansi) -> list[Problem]:
    problems = []
    level = instansi.tingkat
    where = _node(source, ("instansi", "tingkat")).mark if "tingkat" in source.root.value.get("instansi", {}) \
        else _node(source, ("instansi",)).mark
    if level in REGIONS and instansi.daerah is not None:
        problems.append(Problem(_node(source, ("instansi", "daerah")).mark,
                                f"a {level} is its own region: remove 'daerah' (the cover prints "
                                f"'PEMERINTAH {instansi.nama.upper()}')"))
    if level not in REGIONS and instansi.daerah is None:
        problems.append(Problem(where, f"a {level} needs 'daerah', the region it belongs to "
                                       "(e.g. daerah: Kota Magelang)"))
    if level in VILLAGES and instansi.kecamatan is None:
        problems.append(Problem(where, f"a {level} needs 'kecamatan', the kecamatan it belongs to "
                                       "(e.g. kecamatan: Kecamatan Mertoyudan)"))
    if level not in VILLAGES and instansi.kecamatan is not None:
        problems.append(Problem(_node(source, ("instansi", "kecamatan")).mark,
                                f"'kecamatan' is for a desa or kelurahan, not a {level}; remove it "
                                "or set 'tingkat'"))
    return problems


def _check_targets(source: Source, loc: tuple, indikator: Indikator, periode: Periode) -> list[Problem]:
    """The years of 'target' are exactly the years of the period, each once (YAML refuses twice)."""
    years = period_years(periode)
    node = _node(source, loc + ("target",))
    problems = []
    for key in indikator.target:
        if not re.fullmatch(r"\d{4}", key.strip()) or int(key) not in years:
            problems.append(Problem(node.key_marks.get(key, node.mark),
                                    f"'{key}' is not a year of the period {periode.mulai}-{periode.selesai}; "
                                    f"'target' gives one value for each of {_years(years)}"))
    missing = [y for y in years if str(y) not in {k.strip() for k in indikator.target}]
    if missing:
        holder = _node(source, loc)
        problems.append(Problem(holder.key_marks.get("target", node.mark),
                                f"'target' has no value for {_years(missing)}; give one for every year "
                                f"of the period {periode.mulai}-{periode.selesai}"))
    return problems


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in years[:-1]) + (" and " if len(years) > 1 else "") + str(years[-1])


def _check_placed(source: Source, model: Renstra, placed: dict, indicators: list) -> list[Problem]:
    """Generated tables need data to show, every indicator must be printed, and each part is
    placed once, in a chapter, and only if the document has it."""
    problems = []
    tables = [(loc, kind) for loc, kind in placed["rekap"]]
    tables += [(("rekap", i), kind) for i, kind in enumerate(model.rekap)]
    for loc, kind in tables:
        if not indicators:
            problems.append(Problem(_node(source, loc).mark,
                                    f"'rekap: {kind}' makes its table from the indikator of the tujuan and "
                                    "sasaran; this document has none"))
    if indicators and "indikator" not in {kind for _, kind in tables}:
        loc = indicators[0][0]
        holder = _node(source, loc[:-1])
        problems.append(Problem(holder.mark, "the indikator's units, baselines and targets are printed by "
                                             "the table 'rekap: indikator'; add it at the top level "
                                             "(rekap: [tujuan-sasaran, indikator]) or as a block where it belongs"))
    seen: dict[str, tuple] = {}
    for loc, part in placed["bagian"]:
        node = _node(source, loc)
        if loc[0] != "bab":
            problems.append(Problem(node.mark, f"'bagian: {part}' places the {part} inside a chapter; "
                                               "it can stand only in a 'bab' or 'subbab' 'isi'"))
        elif getattr(model, part) is None:
            problems.append(Problem(node.mark, f"'bagian: {part}' places the document's {part}, but it has "
                                               f"none: add '{part}:' at the top level"))
        elif part in seen:
            first = _node(source, seen[part]).mark
            problems.append(Problem(node.mark, f"the {part} is already placed on line {first.line + 1}; "
                                               "a part is printed once"))
        else:
            seen[part] = loc
    return problems


def model_warnings(source: Source, model: Renstra) -> list[Problem]:
    """What a valid source leaves out that a signed naskah dinas carries: the emblem, the
    signer's name and NIP. Printed by check and build, which still exit 0."""
    warnings = []
    uses_emblem = model.tata_letak.sampul or model.tata_letak.kop
    if uses_emblem and model.instansi.lambang is None:
        warnings.append(Problem(source.root.key_marks["instansi"],
                                "warning: no emblem: the cover and letterhead print none; add "
                                "'lambang: lambang.png' (a PNG or JPEG beside the source)"))
    signer = model.penandatangan
    if signer is not None:
        # Regional heads and village heads are elected and have no NIP; a camat, lurah or head of
        # an office is a civil servant and signs with it.
        # A regulation's attachment is signed by the regional head who makes the regulation.
        elected = model.instansi.tingkat in REGIONS + ("desa",) or model.dokumen.lampiran is not None
        needed = ("nama",) if elected else ("nama", "nip")
        missing = [key for key in needed if getattr(signer, key) is None]
        if missing:
            warnings.append(Problem(source.root.key_marks["penandatangan"],
                                    f"warning: the signature block has no {' and no '.join(missing)}; "
                                    f"the signed document prints {' and '.join(needed)}"))
    return warnings + _year_like_cells(source, model)


# A whole number that reads as a year: a table prints numbers as quantities (1.250; PUEBI puts no
# dot in a year), so such a cell is pointed out rather than guessed at either way.
YEARS = range(1900, 2201)


def _year_like_cells(source: Source, model: Renstra) -> list[Problem]:
    warnings = []
    for loc, blocks, _ in block_lists(model):
        for i, block in enumerate(blocks):
            if not isinstance(block, BlokTabel):
                continue
            for part in ("kepala", "baris"):
                for r, row in enumerate(getattr(block.tabel, part)):
                    for c, cell in enumerate(row):
                        if type(cell) is int and cell in YEARS:
                            node = _node(source, loc + (i, "tabel", "tabel", part, r, c))
                            warnings.append(Problem(node.mark, f"warning: {cell} prints as a quantity, "
                                                               f"{cell // 1000}.{cell % 1000:03d}; if it is a "
                                                               f"year, write it in quotes: \"{cell}\""))
    return warnings


def _node(source: Source, loc: tuple) -> Node:
    return _locate(source, loc).node


def _check_blocks(source, loc, blocks, level, problems, placed) -> None:
    # The locations carry pydantic's member tags ('daftar', 'tabel', 'rinci') as its errors do.
    for i, block in enumerate(blocks):
        if isinstance(block, BlokDaftar):
            _check_list(source, loc + (i, "daftar", "daftar"), block.daftar, level, level, problems)
        elif isinstance(block, BlokTabel):
            _check_table(source, loc + (i, "tabel", "tabel"), block.tabel, problems)
        elif isinstance(block, BlokRekap):
            placed["rekap"].append((loc + (i, "rekap", "rekap"), block.rekap))
        elif isinstance(block, BlokBagian):
            placed["bagian"].append((loc + (i, "bagian", "bagian"), block.bagian))


def _check_list(source, loc, items, level, first, problems) -> None:
    if level > MAX_LIST_LEVEL:
        inside = " (in a mission the first list is already level 2, a.)" if first == 2 else ""
        problems.append(Problem(_node(source, loc).mark,
                                f"this list would be level {level}{inside}; lists nest at most "
                                f"{MAX_LIST_LEVEL} levels ({' '.join(DEFAULT_MARKERS)}), so make it part of the "
                                "level above or split the item"))
        return
    for i, item in enumerate(items):
        if isinstance(item, ButirRinci) and item.daftar:
            _check_list(source, loc + (i, "rinci", "daftar"), item.daftar, level + 1, first, problems)


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
