"""Validation as a person reads it: every mistake of a source, located in the YAML and said plainly."""

from __future__ import annotations

import datetime
import difflib
import re
import typing
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from .errors import Mark, Problem
from .i18n import N_, _
from .markup import _REFUSED
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


_BLOCK = N_("a paragraph (text), a list ('daftar:'), a table ('tabel:'), a generated table ('rekap:') "
            "or a part ('bagian:')")


_ITEM = N_("text, or an item with 'istilah:', 'teks:' and/or 'daftar:'")


_CELL = N_("text, a number, or a cell with 'teks:' (and 'gabung_kolom:' or 'gabung_baris:')")


@dataclass
class _Place:
    """Where a pydantic location lands in the source, and how a person names that place."""

    node: Node  # the deepest node of the source the location reaches
    rest: list  # steps below that node the source does not have (a missing key)
    kind: type | None  # the model class at node, for did-you-mean suggestions
    where: str  # "'judul'", "item 3 of 'daftar'", "cell 2 in row 1 of 'baris'", in the reader's language
    member: str | None  # the union member pydantic tried at a list item
    key_mark: Mark | None  # the mark of the key that holds node, if a key does
    cell: bool = False  # a table cell, whose members are text, numbers and SelRinci
    row: bool = False  # a table row, a list of cells


def _locate(source: Source, loc: tuple) -> _Place:
    node, kind, where, member, key_mark = source.root, Renstra, _("the file"), None, None
    holder, holder_in, row, tag_next, cell, is_row = None, None, None, False, False, False
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
            cell = is_row = False
        elif holder in _ROW_LISTS and row is None:
            row, where, key_mark = step, _("row {row} of '{key}'").format(row=step + 1, key=holder), None
            is_row = True
        elif holder in _ROW_LISTS:
            where = _("cell {cell} in row {row} of '{key}'").format(cell=step + 1, row=row + 1, key=holder)
            tag_next, key_mark, cell, is_row = True, None, True, False
        else:
            where, key_mark = _("item {item} of '{key}'").format(item=step + 1, key=holder), None
            # The missions' 'daftar' holds missions, every other 'daftar' list items (a union).
            tag_next = holder in _BLOCK_LISTS or (holder == "daftar" and holder_in is not BagianMisi)
        node = child
        steps.pop(0)
    return _Place(node, steps, kind, where, member, key_mark, cell, is_row)


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


_NOUNS = {str: N_("text"), int: N_("a whole number"), float: N_("a number"), bool: N_("true or false"),
          dict: N_("'key: value' lines"), list: N_("a list"), type(None): N_("nothing"),
          datetime.date: N_("a date")}


def _noun(value) -> str:
    noun = _NOUNS.get(type(value))
    return _(noun) if noun else type(value).__name__


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
    if not keys:
        message = _("{where} must be {expected}")
    elif hint:
        message = _("{where} must be {expected}; found '{key}:' (did you mean '{hint}'?)")
    else:
        message = _("{where} must be {expected}; found '{key}:'")
    return Problem(mark, message.format(where=place.where, expected=_(_BLOCK), key=keys[0] if keys else "",
                                        hint=hint))


def _colon_message(key: str) -> str:
    shown = key if len(key) <= 40 else key[:37] + "..."
    return _("'{shown}: ...' is read as a name and a value because of the ': ' in it; "
             "if it is text, put all of it in quotes").format(shown=shown)


def _wrong_kind(source: Source, place: _Place, expected: str) -> Problem:
    """expected: what the value must be, as marked with N_ (_BLOCK, _ITEM, _CELL, "text")."""
    value = place.node.value
    if value is None:
        if place.cell:
            message = _("{where} is empty; write {expected}")
        elif place.key_mark:
            message = _("{where} is empty; write {expected} after the ':', or remove the line")
        else:
            message = _("{where} is empty; write {expected} after the '- ', or remove the line")
        return Problem(place.node.mark, message.format(where=place.where, expected=_(expected)))
    typed = ""
    if isinstance(value, (int, float, bool, datetime.date)):
        typed = _yaml_text(place.node, source)
        message = _("{where} must be {expected}, not {noun}; for text write it in quotes: \"{typed}\"")
    elif isinstance(value, list) and expected == _BLOCK:
        message = _("{where} must be {expected}, not {noun}; for a numbered list write 'daftar:' and indent "
                    "the '- ' lines below it")
    elif isinstance(value, list) and expected == _ITEM:
        message = _("{where} must be {expected}, not {noun}; for a nested list write 'teks:' with the item's "
                    "text and 'daftar:' with its sub-items")
    elif isinstance(value, dict) and len(value) == 1 and " " in str(next(iter(value))).strip():
        return Problem(place.node.mark, _colon_message(str(next(iter(value)))))
    else:
        message = _("{where} must be {expected}, not {noun}")
    return Problem(place.node.mark, message.format(where=place.where, expected=_(expected), noun=_noun(value),
                                                   typed=typed))


# What a value must be, by pydantic's error type, when that is all there is to say.
_MUST_BE = {"int_type": N_("a whole number"), "int_parsing": N_("a whole number"),
            "int_from_float": N_("a whole number"), "float_type": N_("a number"), "float_parsing": N_("a number"),
            "bool_type": N_("true or false"), "bool_parsing": N_("true or false"),
            "date": N_("a date written year-month-day, like 2013-03-03")}  # every date_* type
_BOUNDS = {"greater_than_equal": N_("{where} must be at least {limit}{unit}, not {value}{unit}"),
           "less_than_equal": N_("{where} must be at most {limit}{unit}, not {value}{unit}"),
           "greater_than": N_("{where} must be more than {limit}{unit}, not {value}{unit}"),
           "less_than": N_("{where} must be less than {limit}{unit}, not {value}{unit}")}
# Text that would be a valid value of a number field without its quotes, by pydantic's error type
# (the fields are strict: "2011" in quotes stays text). As the loader takes a plain number.
_UNQUOTED = {"int_type": re.compile(r"[-+]?(0|[1-9][0-9]*)"),
             "float_type": re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?")}
_DECIMAL_COMMA = re.compile(r"[-+]?(0|[1-9][0-9]*),[0-9]+")


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
            return Problem(mark, _("'{key}' cannot stand here: {why}").format(
                key=key, why=_(_MISPLACED[key, place.kind])))
        return Problem(mark, _unknown_key(key, place.kind))
    if kind_of_error == "missing":
        key = str(place.rest[-1]) if place.rest else str(loc[-1])
        about = getattr(place.kind, "model_fields", {}).get(key)
        if node is source.root:
            message = _("missing required key '{key}' at the top of the file").format(key=key)
        else:
            message = _("missing required key '{key}' in {where}").format(key=key, where=where)
        if about and about.description:
            # The model's English description; translated if the catalog has it.
            why = _(about.description)
            message += f" ({why[0].lower()}{why[1:]})"
        return Problem(place.key_mark or mark, message)
    if place.member in ("daftar", "tabel") and kind_of_error in ("model_type", "dict_type"):
        return _wrong_kind(source, place, _BLOCK)
    if place.member == "rinci" and kind_of_error in ("model_type", "dict_type"):
        return _wrong_kind(source, place, _ITEM)
    if kind_of_error == "string_type":
        return _wrong_kind(source, place, N_("text"))
    if value is None and kind_of_error.endswith("_type"):
        return Problem(mark, _("{where} is empty; write its value after the ':' or remove the line").format(
            where=where))
    unit = _UNITS.get(str(loc[-1]), "") if loc else ""
    wanted = _MUST_BE.get(kind_of_error) or (_MUST_BE["date"] if kind_of_error.startswith("date") else None)
    if wanted:
        return Problem(mark, _must_be(source, place, kind_of_error, _(wanted)))
    if kind_of_error == "nilai":
        return Problem(mark, _("{where} must be a number or text (in quotes), not {noun}").format(
            where=where, noun=_noun(value)))
    if kind_of_error == "literal_error":
        return Problem(mark, _one_of(loc, where, value, str(ctx.get("expected"))))
    if kind_of_error in _BOUNDS:
        return Problem(mark, _(_BOUNDS[kind_of_error]).format(where=where, limit=next(iter(ctx.values())),
                                                              unit=unit, value=_shown(value)))
    if kind_of_error in ("model_type", "dict_type", "model_attributes_type"):
        if node is source.root:
            return Problem(mark, _("a source starts with 'dokumen:' and 'instansi:' lines, not {noun}").format(
                noun=_noun(value)))
        names = ", ".join(getattr(place.kind, "model_fields", {}))
        return Problem(mark, _("{where} must hold 'key: value' lines indented below it ({names}), "
                               "not {noun}").format(where=where, names=names, noun=_noun(value)))
    if kind_of_error == "list_type":
        if place.row:
            message = _("{where} must be a list of cells: [a, b] on one line or '- ' lines, not {noun}")
        else:
            message = _("{where} must be a list: '- ' lines below it, or [a, b] on one line, not {noun}")
        return Problem(mark, message.format(where=where, noun=_noun(value)))
    if kind_of_error == "too_short":
        return Problem(mark, _("{where} is empty; write at least one item").format(where=where))
    if kind_of_error == "string_too_short":
        return Problem(mark, _("{where} is empty; write at least one character").format(where=where))
    if kind_of_error == "string_pattern_mismatch" and loc[-1] == "[key]":
        return Problem(place.key_mark or mark, _("{where} is not a year; 'target' gives one value for each "
                                                 "year of the period, like 2022: 80").format(where=where))
    if kind_of_error == "string_pattern_mismatch" and loc[-1] == "nip":
        return Problem(mark, _("'nip' must be 18 digits, like \"19700101 199001 1 001\" (in quotes), "
                               "not {value}").format(value=_shown(value)))
    if kind_of_error == "string_pattern_mismatch" and loc[-1] == "bahasa_asing":
        return Problem(mark, _("'bahasa_asing' is a language code (BCP 47), like en "
                               "(English), nl (Dutch), ar (Arabic) or en-GB, not {value}").format(
                                   value=_shown(value)))
    if kind_of_error == "value_error":
        return _rule_broken(source, place, str(ctx.get("error", error["msg"])))
    # pydantic's own English: every type above is mapped, this is only a safety net.
    return Problem(mark, f"{where}: {error['msg']}")  # pragma: no cover


def _must_be(source: Source, place: _Place, kind_of_error: str, wanted: str) -> str:
    """'must be a whole number' or a date, with the value rewritten when it is plain what was meant:
    a number in quotes, a date written day-month-year."""
    value, where = place.node.value, place.where
    unquoted = _UNQUOTED.get(kind_of_error)
    if unquoted and isinstance(value, str) and unquoted.fullmatch(value.strip()) and _quoted(source, place.node):
        return _("{where} must be {wanted}, not the text \"{value}\": remove the quotes").format(
            where=where, wanted=wanted, value=value)
    if kind_of_error == "float_type" and isinstance(value, str) and _DECIMAL_COMMA.fullmatch(value.strip()):
        # Indonesian writes 3,5 where YAML reads only 3.5.
        return _("{where} must be {wanted}, not {value}: write {number} (with a point, not a comma)").format(
            where=where, wanted=wanted, value=_shown(value), number=value.strip().replace(",", "."))
    meant = _date_meant(value) if kind_of_error.startswith("date") else None
    if meant and meant[1]:
        return _("{where} must be {wanted}, not {value}: write {date} (read as day {day}, month {month})").format(
            where=where, wanted=wanted, value=_shown(value), date=meant[0].isoformat(), day=meant[0].day,
            month=meant[0].month)
    if meant:
        return _("{where} must be {wanted}, not {value}: write {date}").format(
            where=where, wanted=wanted, value=_shown(value), date=meant[0].isoformat())
    return _("{where} must be {wanted}, not {value}").format(where=where, wanted=wanted, value=_shown(value))


def _quoted(source: Source, node: Node) -> bool:
    """Whether a scalar is written in quotes in the file."""
    line = source.text.split("\n")[node.mark.line]
    return line[node.mark.column:node.mark.column + 1] in ("'", '"')


# Month names as the office writes them in a date ("15 Agustus 2013"); three letters are enough.
_MONTHS = ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
           "oktober", "november", "desember")
_MONTH_SPELLINGS = {"agt": 8, "ags": 8, "pebruari": 2, "nopember": 11}  # common, and older, spellings


def _date_meant(value) -> tuple[datetime.date, bool] | None:
    """The date a value written the Indonesian way means (15-08-2013, 15/08/2013, 15.08.2013,
    15 Agustus 2013; 2013/08/15 and 2013-8-15 too), and whether its day and month could be read
    the other way round; None when it is not such a date. Day first is the convention in
    Indonesia, so 03-04-2013 is 3 April, and the message says it read it so. A two-digit year is
    not guessed at."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    swappable = False
    if found := re.fullmatch(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})", text):
        day, month, year = int(found[1]), int(found[3]), int(found[4])
        swappable = day != month and day <= 12
    elif found := re.fullmatch(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})", text):
        year, month, day = int(found[1]), int(found[3]), int(found[4])
    elif found := re.fullmatch(r"(\d{1,2})[\s-]+([A-Za-z]{3,})\.?[\s-]+(\d{4})", text):
        name = found[2].lower()
        month = _MONTH_SPELLINGS.get(name) or next(
            (i + 1 for i, full in enumerate(_MONTHS) if full.startswith(name)), None)
        if month is None:
            return None
        day, year = int(found[1]), int(found[3])
    else:
        return None
    try:
        return datetime.date(year, month, day), swappable
    except ValueError:
        return None


# Allowed values also written another way, by key: what to say about each.
_SYNONYMS = {("kertas", "folio"): N_("Folio paper (215 x 330 mm) is written 'F4'")}
# Keys whose values differ by case on purpose: 'A.' would be a marker of capital letters, which
# 'tanda' does not offer; suggesting 'a.' would change the list.
_CASE_MATTERS = ("tanda",)


def _one_of(loc: tuple, where: str, value, expected: str) -> str:
    """'must be one of ...', with the allowed value meant when the value differs from one only in
    its capitals or spaces ('a4' for 'A4'), or is another name for it (Folio for F4)."""
    allowed = re.findall(r"'([^']*)'", expected)  # pydantic lists them as 'A4' or 'F4'
    listed = _either(["'" + a + "'" for a in allowed]) if allowed else expected
    key = loc[-1] if loc and isinstance(loc[-1], str) else None
    folded = "".join(str(value).split()).casefold()
    why = _SYNONYMS.get((key, folded))
    if why:
        return _("{where} must be one of {allowed}, not {value}: {why}").format(
            where=where, allowed=listed, value=_shown(value), why=_(why))
    meant = [a for a in allowed if "".join(a.split()).casefold() == folded]
    if isinstance(value, str) and len(meant) == 1 and key not in _CASE_MATTERS:
        return _("{where} must be one of {allowed}, not {value}: write '{right}'").format(
            where=where, allowed=listed, value=_shown(value), right=meant[0])
    return _("{where} must be one of {allowed}, not {value}").format(where=where, allowed=listed,
                                                                     value=_shown(value))


def _either(names: list[str]) -> str:
    """a, b or c"""
    if len(names) == 1:
        return names[0]
    return _("{first} or {last}").format(first=", ".join(names[:-1]), last=names[-1])


def _both(names: list[str]) -> str:
    """a, b and c"""
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def _rule_broken(source: Source, place: _Place, why: str) -> Problem:
    """A validator's complaint, placed on the part of the value it is about."""
    node = place.node
    if node.items is None:
        if why in {_(refused) for refused in _REFUSED.values()}:  # a link or an image, in either language
            return Problem(_find(source, node, r"!?\[[^\]]*\]\(") or node.mark, f"{place.where}: {why}")
        return Problem(node.mark, f"{place.where}: {why}")
    if place.kind is Periode and node.child("selesai") is not None:
        return Problem(node.child("selesai").mark, why)
    if node is source.root:
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
    ("sasaran", Misi): N_("a sasaran belongs to a tujuan; write 'tujuan:' with its 'judul' and put 'sasaran' "
                          "under it"),
    ("indikator", Misi): N_("indikator belong to a tujuan or a sasaran of the mission"),
    ("strategi", Tujuan): N_("strategi belongs to a sasaran of the tujuan"),
    ("arah_kebijakan", Tujuan): N_("arah_kebijakan belongs to a sasaran of the tujuan"),
    ("tujuan", Visi): N_("tujuan belong to a mission (in 'misi'), not to the visi"),
    ("sasaran", Visi): N_("sasaran belong to a tujuan of a mission (in 'misi'), not to the visi"),
}


def _unknown_key(key: str, kind: type | None) -> str:
    names = list(getattr(kind, "model_fields", {}))
    close = _close(key, names)
    if close:
        return _("unknown key '{key}' (did you mean '{close}'?)").format(key=key, close=close)
    if names:
        return _("unknown key '{key}' (allowed here: {names})").format(key=key, names=", ".join(names))
    return _("unknown key '{key}'").format(key=key)


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
                                _("a {level} is its own region: remove 'daerah' (the cover prints "
                                  "'PEMERINTAH {name}')").format(level=level, name=instansi.nama.upper())))
    if level not in REGIONS and instansi.daerah is None:
        problems.append(Problem(where, _("a {level} needs 'daerah', the region it belongs to "
                                         "(e.g. daerah: Kota Magelang)").format(level=level)))
    if level in VILLAGES and instansi.kecamatan is None:
        problems.append(Problem(where, _("a {level} needs 'kecamatan', the kecamatan it belongs to "
                                         "(e.g. kecamatan: Kecamatan Mertoyudan)").format(level=level)))
    if level not in VILLAGES and instansi.kecamatan is not None:
        problems.append(Problem(_node(source, ("instansi", "kecamatan")).mark,
                                _("'kecamatan' is for a desa or kelurahan, not a {level}; remove it "
                                  "or set 'tingkat'").format(level=level)))
    return problems


def _check_targets(source: Source, loc: tuple, indikator: Indikator, periode: Periode) -> list[Problem]:
    """The years of 'target' are exactly the years of the period, each once (YAML refuses twice)."""
    years = period_years(periode)
    node = _node(source, loc + ("target",))
    problems = []
    for key in indikator.target:
        if not re.fullmatch(r"\d{4}", key.strip()) or int(key) not in years:
            problems.append(Problem(node.key_marks.get(key, node.mark),
                                    _("'{key}' is not a year of the period {start}-{end}; 'target' gives one "
                                      "value for each of {years}").format(key=key, start=periode.mulai,
                                                                          end=periode.selesai, years=_years(years))))
    missing = [y for y in years if str(y) not in {k.strip() for k in indikator.target}]
    if missing:
        holder = _node(source, loc)
        problems.append(Problem(holder.key_marks.get("target", node.mark),
                                _("'target' has no value for {years}; give one for every year of the period "
                                  "{start}-{end}").format(years=_years(missing), start=periode.mulai,
                                                          end=periode.selesai)))
    return problems


def _years(years: list[int]) -> str:
    return _both([str(y) for y in years])


def _check_placed(source: Source, model: Renstra, placed: dict, indicators: list) -> list[Problem]:
    """Generated tables need data to show, every indicator must be printed, and each part is
    placed once, in a chapter, and only if the document has it."""
    problems = []
    tables = [(loc, kind) for loc, kind in placed["rekap"]]
    tables += [(("rekap", i), kind) for i, kind in enumerate(model.rekap)]
    for loc, kind in tables:
        if not indicators:
            problems.append(Problem(_node(source, loc).mark,
                                    _("'rekap: {kind}' makes its table from the indikator of the tujuan and "
                                      "sasaran; this document has none").format(kind=kind)))
    if indicators and "indikator" not in {kind for _loc, kind in tables}:
        loc = indicators[0][0]
        holder = _node(source, loc[:-1])
        problems.append(Problem(holder.mark, _("the indikator's units, baselines and targets are printed by "
                                               "the table 'rekap: indikator'; add it at the top level "
                                               "(rekap: [tujuan-sasaran, indikator]) or as a block where it "
                                               "belongs")))
    seen: dict[str, tuple] = {}
    for loc, part in placed["bagian"]:
        node = _node(source, loc)
        if loc[0] != "bab":
            problems.append(Problem(node.mark, _("'bagian: {part}' places the {part} inside a chapter; "
                                                 "it can stand only in a 'bab' or 'subbab' 'isi'").format(part=part)))
        elif getattr(model, part) is None:
            problems.append(Problem(node.mark, _("'bagian: {part}' places the document's {part}, but it has "
                                                 "none: add '{part}:' at the top level").format(part=part)))
        elif part in seen:
            first = _node(source, seen[part]).mark
            problems.append(Problem(node.mark, _("the {part} is already placed on line {line}; "
                                                 "a part is printed once").format(part=part, line=first.line + 1)))
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
                                _("warning: no emblem: the cover and letterhead print none; add "
                                  "'lambang: lambang.png' (a PNG or JPEG beside the source)")))
    signer = model.penandatangan
    if signer is not None:
        # Regional heads and village heads are elected and have no NIP; a camat, lurah or head of
        # an office is a civil servant and signs with it.
        # A regulation's attachment is signed by the regional head who makes the regulation.
        elected = model.instansi.tingkat in REGIONS + ("desa",) or model.dokumen.lampiran is not None
        needed = ("nama",) if elected else ("nama", "nip")
        missing = [key for key in needed if getattr(signer, key) is None]
        if missing:
            lacks = missing[0] if len(missing) == 1 else _("{first} and no {last}").format(first=missing[0],
                                                                                           last=missing[1])
            warnings.append(Problem(source.root.key_marks["penandatangan"],
                                    _("warning: the signature block has no {missing}; the signed document "
                                      "prints {needed}").format(missing=lacks, needed=_both(list(needed)))))
    return warnings + _year_like_cells(source, model)


# A whole number that reads as a year: a table prints numbers as quantities (1.250; PUEBI puts no
# dot in a year), so such a cell is pointed out rather than guessed at either way.
YEARS = range(1900, 2201)


def _year_like_cells(source: Source, model: Renstra) -> list[Problem]:
    warnings = []
    for loc, blocks, _level in block_lists(model):
        for i, block in enumerate(blocks):
            if not isinstance(block, BlokTabel):
                continue
            for part in ("kepala", "baris"):
                for r, row in enumerate(getattr(block.tabel, part)):
                    for c, cell in enumerate(row):
                        if type(cell) is int and cell in YEARS:
                            node = _node(source, loc + (i, "tabel", "tabel", part, r, c))
                            warnings.append(Problem(node.mark, _(
                                "warning: {cell} prints as a quantity, {quantity}; if it is a year, write it "
                                "in quotes: \"{cell}\"").format(cell=cell,
                                                                quantity=f"{cell // 1000}.{cell % 1000:03d}")))
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
        if first == 2:
            message = _("this list would be level {level} (in a mission the first list is already level 2, a.); "
                        "lists nest at most {most} levels ({markers}), so make it part of the level above or "
                        "split the item")
        else:
            message = _("this list would be level {level}; lists nest at most {most} levels ({markers}), so make "
                        "it part of the level above or split the item")
        problems.append(Problem(_node(source, loc).mark, message.format(
            level=level, most=MAX_LIST_LEVEL, markers=" ".join(DEFAULT_MARKERS))))
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
                                        _("{where} is {width} columns wide, the rows above are {expected} "
                                          "(a cell with 'gabung_baris' also fills the rows below it)").format(
                                            where=place.where, width=width, expected=expected)))
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
                        _("cell {cell} in row {row} of '{part}' spans {span} rows, but only {left} rows of "
                          "'{part}' are left from there").format(cell=c + 1, row=r + 1, part=part,
                                                                 span=cell.gabung_baris, left=len(rows) - r)))
