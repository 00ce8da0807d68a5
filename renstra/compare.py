"""`renstra diff`: what changed between two versions of a document, said in the document's terms
(which mission, which tujuan or sasaran, which indicator's target for which year, which
paragraph), found by comparing the validated models rather than lines of YAML."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from .archive import ARCHIVE, MANIFEST, ArchiveError, archived_name, read_manifest
from .diagnostics import validate_source
from .errors import RenstraError, SourceError
from .extract import embedded, plain_name
from .i18n import _, language, ngettext
from .indonesian import indonesian_number, roman
from .model import BlokBagian, BlokDaftar, BlokRekap, BlokTabel, ButirRinci, Periode, Renstra, SelRinci
from .outputs import shown_path, write_atomic
from .rekap import number_goals
from .source import Source, load_source, parse_source

FORMATS = ("text", "html")
TITLE = 60  # characters of a title shown beside its number
CONTEXT = 25  # characters shown on each side of a change in a paragraph
CHANGED = 80  # characters of the changed part itself, at most
SAME, DIFFERENT, TROUBLE = 0, 1, 2  # exit codes, as diff(1) has them


class CompareError(RenstraError):
    """An argument that names no document."""


def add_options(parser) -> None:
    """The arguments of `renstra diff` (cli._parser adds the subcommand)."""
    parser.description = _(
        "Compare two versions of a document: sources (.yaml), PDFs built by renstra (the source they "
        "carry) or NAME@VERSION in the archive. Changes are named in the document's terms: missions, "
        "tujuan and sasaran as the document numbers them, each indicator's target by year, paragraphs "
        "and list items. Exit status: 0 no changes, 1 changes, 2 trouble (a document that cannot be "
        "read or is not valid).")
    parser.add_argument("old", metavar="A", help=_("the earlier version"))
    parser.add_argument("new", metavar="B", help=_("the later version"))
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help=_("text (default) or html: a side-by-side page for reviewers"))
    parser.add_argument("--out", type=Path, metavar=_("FILE"), help=_("write to this file instead of the screen"))
    parser.add_argument("--archive", type=Path, default=ARCHIVE, metavar=_("FOLDER"),
                        help=_("archive folder for NAME@VERSION (default: archive/)"))


# --- reading a version ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Version:
    """One side of a comparison: what the user named, and its validated document."""

    label: str
    source: Source
    model: Renstra


def load_version(spec: str, archive_dir: Path = ARCHIVE) -> Version:
    """A source file, a PDF of the tool, or NAME@VERSION of the archive, loaded and validated."""
    path = Path(spec)
    archived = not path.exists() and "@" in spec
    if archived:
        path = archived_pdf(spec, archive_dir)
    if path.suffix.lower() == ".pdf" or _starts_like_pdf(path):
        name, data = embedded(path)
        version = _from_bytes(f"{shown_path(path)}:{name}", data)
        return dataclasses.replace(version, label=spec) if archived else version
    source = load_source(path)
    return Version(str(spec), source, validate_source(source))


def _starts_like_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def archived_pdf(spec: str, archive_dir: Path) -> Path:
    """The archived PDF NAME@VERSION names: by its manifest's version column."""
    name, _at, version = spec.rpartition("@")
    folder = Path(archive_dir) / name
    if not name or not version or not plain_name(name) or not folder.is_dir():
        raise CompareError(_("{spec}: no such file, and {folder}/ holds no document {name}").format(
            spec=spec, folder=shown_path(archive_dir), name=repr(name)))
    try:
        entries = read_manifest(folder / MANIFEST)
    except ArchiveError as exc:
        raise CompareError(str(exc)) from None
    for entry in entries:
        if entry.version == version:
            return folder / entry.file
    # A manifest lost to an accident: the file name still carries the version.
    prefix = archived_name(name, version, datetime.date(2000, 1, 1))[: -len("2000-01-01.pdf")]
    named = sorted(p for p in folder.glob("*.pdf") if p.name.startswith(prefix))
    if len(named) == 1:
        return named[0]
    versions = ", ".join(entry.version for entry in entries) or "-"
    raise CompareError(_("{spec}: version {version} of {name} is not in the archive; archived versions: "
                         "{versions}").format(spec=spec, version=version, name=name, versions=versions))


def _from_bytes(label: str, data: bytes) -> Version:
    """A source carried by a PDF, through the same parser and validator as a file."""
    source = parse_source(label, data)
    return Version(label, source, _validated(source))


def _validated(source: Source) -> Renstra:
    """validate_source, except that an emblem is not looked for: the PDF carries the source, not
    the image beside it, and the comparison reads the emblem's name only."""
    try:
        return validate_source(source)
    except SourceError as exc:
        lambang = source.root.child("instansi")
        lambang = lambang.child("lambang") if lambang is not None else None
        others = [p for p in exc.problems
                  if lambang is None or (p.mark.line, p.mark.column) != (lambang.mark.line, lambang.mark.column)]
        if others or lambang is None:
            raise
        return Renstra.model_validate(source.root.value)


# --- the changes ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One difference: where in the document, what, and its value before and after (None: absent)."""

    place: tuple[str, ...]
    subject: str
    old: object
    new: object


def compare(old: Renstra, new: Renstra) -> list[Change]:
    """Every change from old to new, in the document's order."""
    found = _Changes(old, new)
    found.run()
    if not found.changes and old != new:  # a difference none of the rules below names
        found.add((), _("other details"), _("as before"), _("changed"))
    return found.changes


def _short(text: str, width: int = TITLE) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _fields(value, prefix: str = "") -> dict[str, object]:
    """The fields of a part of the document as 'name' or 'parent.name' -> value."""
    if value is None:
        return {}
    out: dict[str, object] = {}
    for name in type(value).model_fields:
        item = getattr(value, name)
        key = f"{prefix}{name}"
        if isinstance(item, Periode):
            out[key] = f"{item.mulai}-{item.selesai}"
        elif isinstance(item, BaseModel):
            out.update(_fields(item, key + "."))
        elif isinstance(item, list):
            out[key] = ", ".join(str(v) for v in item) if item else None
        else:
            out[key] = item
    return out


def _align(old: list, new: list) -> list[tuple[int | None, int | None]]:
    """Pairs (i, j) of items that correspond, (i, None) removed, (None, j) added; items are matched
    by key (a title), and one changed in place pairs with its old self."""
    pairs: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(range(i1, i2), range(j1, j2))
            continue
        both = min(i2 - i1, j2 - j1)
        pairs += zip(range(i1, i1 + both), range(j1, j1 + both))
        pairs += [(i, None) for i in range(i1 + both, i2)]
        pairs += [(None, j) for j in range(j1 + both, j2)]
    return pairs


@dataclass(frozen=True)
class _Unit:
    """A paragraph, a list item or a table row of a list of blocks."""

    kind: str
    label: str
    text: str


def _units(blocks: list) -> list[_Unit]:
    units: list[_Unit] = []
    counts = {"paragraf": 0, "daftar": 0, "tabel": 0}
    for block in blocks:
        if isinstance(block, str):
            counts["paragraf"] += 1
            units.append(_Unit("paragraf", _("paragraph {number}").format(number=counts["paragraf"]), block))
        elif isinstance(block, BlokDaftar):
            counts["daftar"] += 1
            _items(block.daftar, counts["daftar"], "", units)
        elif isinstance(block, BlokTabel):
            counts["tabel"] += 1
            number, tabel = counts["tabel"], block.tabel
            if tabel.judul:
                units.append(_Unit("judul-tabel", _("table {number}, title").format(number=number), tabel.judul))
            for r, row in enumerate(tabel.kepala, start=1):
                units.append(_Unit("kepala", _("table {number}, header row {row}").format(number=number, row=r),
                                   _row(row)))
            for r, row in enumerate(tabel.baris, start=1):
                units.append(_Unit("baris", _("table {number}, row {row}").format(number=number, row=r), _row(row)))
        elif isinstance(block, BlokRekap):
            units.append(_Unit("rekap", "rekap", block.rekap))
        elif isinstance(block, BlokBagian):
            units.append(_Unit("bagian", "bagian", block.bagian))
    return units


def _items(items: list, number: int, above: str, units: list[_Unit]) -> None:
    for i, item in enumerate(items, start=1):
        path = f"{above}{i}"
        label = _("list {number}, item {item}").format(number=number, item=path)
        if isinstance(item, ButirRinci):
            text = " ".join(part for part in (item.istilah, item.teks) if part)
            if text:
                units.append(_Unit("butir", label, text))
            if item.daftar:
                _items(item.daftar, number, path + ".", units)
        else:
            units.append(_Unit("butir", label, item))


def _row(row: list) -> str:
    return " | ".join(_cell(cell) for cell in row)


def _cell(cell) -> str:
    if isinstance(cell, SelRinci):
        return cell.teks
    return _value(cell) if isinstance(cell, (int, float)) else str(cell)


def _value(value) -> str:
    """A value as the document prints it: numbers the Indonesian way (1.250.000; 2,5)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return indonesian_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Changes:
    def __init__(self, old: Renstra, new: Renstra):
        self.old, self.new = old, new
        self.goals = number_goals(old), number_goals(new)
        self.changes: list[Change] = []

    def add(self, place: tuple, subject: str, old, new) -> None:
        self.changes.append(Change(tuple(place), subject, old, new))

    def run(self) -> None:
        for part in ("dokumen", "instansi", "penandatangan", "tata_letak"):
            self.fields((part,), getattr(self.old, part), getattr(self.new, part))
        self.visi()
        self.missions()
        self.chapters()
        if self.old.rekap != self.new.rekap:
            self.add(("rekap",), "rekap", ", ".join(self.old.rekap) or None, ", ".join(self.new.rekap) or None)

    def fields(self, place: tuple, old, new, skip=()) -> None:
        before, after = _fields(old), _fields(new)
        for key in dict.fromkeys([*before, *after]):
            if key not in skip and before.get(key) != after.get(key):
                self.add(place, key, before.get(key), after.get(key))

    def blocks(self, place: tuple, old: list, new: list) -> None:
        """Paragraphs, list items and table rows added, removed or changed."""
        before, after = _units(old or []), _units(new or [])
        matcher = difflib.SequenceMatcher(None, [(u.kind, u.text) for u in before],
                                          [(u.kind, u.text) for u in after], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            used: set[int] = set()
            start = j1
            for i in range(i1, i2):
                # A changed unit pairs with the next one of its kind on the other side.
                j = next((j for j in range(start, j2) if after[j].kind == before[i].kind and j not in used), None)
                if j is None:
                    self.add(place, before[i].label, before[i].text, None)
                    continue
                for k in range(start, j):  # units of other kinds passed over are new
                    if k not in used:
                        used.add(k)
                        self.add(place, after[k].label, None, after[k].text)
                used.add(j)
                start = j + 1
                self.add(place, after[j].label, before[i].text, after[j].text)
            for j in range(j1, j2):
                if j not in used:
                    self.add(place, after[j].label, None, after[j].text)

    def visi(self) -> None:
        old, new = self.old.visi, self.new.visi
        if old is None and new is None:
            return
        if old is None or new is None:
            self.add((), "visi", old and old.pernyataan, new and new.pernyataan)
            return
        place = ("visi",)
        for key in ("judul", "pernyataan"):
            if getattr(old, key) != getattr(new, key):
                self.add(place, key, getattr(old, key), getattr(new, key))
        self.blocks(place + ("pengantar",), old.pengantar, new.pengantar)
        self.blocks(place + ("penjelasan",), old.penjelasan, new.penjelasan)

    def missions(self) -> None:
        old, new = self.old.missions, self.new.missions
        if old is None and new is None:
            return
        place = ("misi",)
        for key in ("judul", "mulai"):
            before, after = getattr(old, key, None), getattr(new, key, None)
            if before != after:
                self.add(place, key, before, after)
        self.blocks(place + ("pengantar",), old and old.pengantar, new and new.pengantar)
        self.blocks(place + ("pengantar_makna",), old and old.pengantar_makna, new and new.pengantar_makna)
        listed = old.daftar if old else [], new.daftar if new else []
        for i, j in _align([m.judul for m in listed[0]], [m.judul for m in listed[1]]):
            if j is None:
                misi = listed[0][i]
                self.add((), f"Misi {self.goals[0].mission_number(misi)}", misi.judul, None)
            elif i is None:
                misi = listed[1][j]
                self.add((), f"Misi {self.goals[1].mission_number(misi)}", None, misi.judul)
            else:
                self.mission(listed[0][i], listed[1][j])

    def mission(self, old, new) -> None:
        number = self.goals[1].mission_number(new)
        place = (f"Misi {number}: {_short(new.judul)}",)
        if old.judul != new.judul:
            self.add(place, "judul", old.judul, new.judul)
        self.blocks(place + ("makna",), old.makna, new.makna)
        goals = self.goals[0].of(old), self.goals[1].of(new)
        for i, j in _align([g.tujuan.judul for g in goals[0]], [g.tujuan.judul for g in goals[1]]):
            if j is None:
                self.add(place, f"Tujuan {goals[0][i].number}", goals[0][i].tujuan.judul, None)
            elif i is None:
                self.add(place, f"Tujuan {goals[1][j].number}", None, goals[1][j].tujuan.judul)
            else:
                self.goal(place, goals[0][i], goals[1][j])

    def goal(self, above: tuple, old, new) -> None:
        place = above + (f"Tujuan {new.number}: {_short(new.tujuan.judul)}",)
        if old.tujuan.judul != new.tujuan.judul:
            self.add(place, "judul", old.tujuan.judul, new.tujuan.judul)
        self.indicators(place, old.tujuan.indikator, new.tujuan.indikator)
        for i, j in _align([s.sasaran.judul for s in old.sasaran], [s.sasaran.judul for s in new.sasaran]):
            if j is None:
                self.add(place, f"Sasaran {old.sasaran[i].number}", old.sasaran[i].sasaran.judul, None)
            elif i is None:
                self.add(place, f"Sasaran {new.sasaran[j].number}", None, new.sasaran[j].sasaran.judul)
            else:
                self.objective(place, old.sasaran[i], new.sasaran[j])

    def objective(self, above: tuple, old, new) -> None:
        place = above + (f"Sasaran {new.number}: {_short(new.sasaran.judul)}",)
        if old.sasaran.judul != new.sasaran.judul:
            self.add(place, "judul", old.sasaran.judul, new.sasaran.judul)
        self.indicators(place, old.sasaran.indikator, new.sasaran.indikator)
        self.blocks(place + ("strategi",), old.sasaran.strategi, new.sasaran.strategi)
        self.blocks(place + ("arah_kebijakan",), old.sasaran.arah_kebijakan, new.sasaran.arah_kebijakan)

    def indicators(self, above: tuple, old: list, new: list) -> None:
        for i, j in _align([k.nama for k in old], [k.nama for k in new]):
            if j is None:
                self.add(above, "indikator", old[i].nama, None)
            elif i is None:
                self.add(above, "indikator", None, new[j].nama)
            else:
                self.indicator(above, old[i], new[j])

    def indicator(self, above: tuple, old, new) -> None:
        place = above + (f"indikator \"{_short(new.nama)}\"",)
        for key in ("nama", "satuan", "awal"):
            if getattr(old, key) != getattr(new, key):
                self.add(place, key, getattr(old, key), getattr(new, key))
        before = {int(year): value for year, value in old.target.items()}
        after = {int(year): value for year, value in new.target.items()}
        for year in sorted(set(before) | set(after)):
            if before.get(year) != after.get(year) or type(before.get(year)) is not type(after.get(year)):
                self.add(place, f"target {year}", before.get(year), after.get(year))
        if old.akhir != new.akhir:
            self.add(place, "akhir", old.akhir, new.akhir)

    def chapters(self) -> None:
        old, new = self.old.bab, self.new.bab
        for i, j in _align([b.judul for b in old], [b.judul for b in new]):
            if j is None:
                self.add((), f"BAB {roman(i + 1)}", old[i].judul, None)
            elif i is None:
                self.add((), f"BAB {roman(j + 1)}", None, new[j].judul)
            else:
                place = (f"BAB {roman(j + 1)}: {_short(new[j].judul)}",)
                if old[i].judul != new[j].judul:
                    self.add(place, "judul", old[i].judul, new[j].judul)
                self.blocks(place, old[i].isi, new[j].isi)
                self.subchapters(place, j + 1, old[i].subbab, new[j].subbab)

    def subchapters(self, above: tuple, chapter: int, old: list, new: list) -> None:
        for i, j in _align([s.judul for s in old], [s.judul for s in new]):
            if j is None:
                self.add(above, f"{chapter}.{i + 1}", old[i].judul, None)
            elif i is None:
                self.add(above, f"{chapter}.{j + 1}", None, new[j].judul)
            else:
                place = above + (f"{chapter}.{j + 1} {_short(new[j].judul)}",)
                if old[i].judul != new[j].judul:
                    self.add(place, "judul", old[i].judul, new[j].judul)
                self.blocks(place, old[i].isi, new[j].isi)


# --- showing them --------------------------------------------------------------------------------

def _excerpts(old: str, new: str) -> tuple[str, str]:
    """The part of two texts around where they differ, with a little context on each side."""
    prefix = len(_common(old, new))
    suffix = len(_common(old[prefix:][::-1], new[prefix:][::-1]))
    start = max(0, prefix - CONTEXT)
    # Begin and end at a space, so no word is shown cut.
    while 0 < start < prefix and not old[start - 1].isspace():
        start -= 1

    def cut(text: str) -> str:
        end = len(text) - suffix
        middle = text[prefix:end]
        if len(middle) > CHANGED:
            middle = middle[:CHANGED] + "…"
        after = text[end:end + CONTEXT]
        if end + CONTEXT < len(text):
            after = after.rsplit(" ", 1)[0] + "…" if " " in after else after + "…"
        return ("…" if start > 0 else "") + text[start:prefix] + middle + after

    return cut(old), cut(new)


def _common(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _quoted(value) -> str:
    return f"\"{value}\"" if isinstance(value, str) else _value(value)


def text_report(old: Version, new: Version, changes: list[Change]) -> str:
    lines = [_("Changes from {old} to {new}:").format(old=old.label, new=new.label)] if changes else []
    place: tuple[str, ...] = ()
    for change in changes:
        # Each part of the place once, indented under the part it belongs to, as an outline.
        shared = 0
        while shared < min(len(place), len(change.place)) and place[shared] == change.place[shared]:
            shared += 1
        lines += ["  " * level + part for level, part in enumerate(change.place[shared:], start=shared)]
        place = change.place
        indent = "  " * len(place)
        if change.old is None:
            line = _("{subject} added: {value}").format(subject=change.subject, value=_quoted(change.new))
        elif change.new is None:
            line = _("{subject} removed: {value}").format(subject=change.subject, value=_quoted(change.old))
        else:
            before, after = change.old, change.new
            if isinstance(before, str) and isinstance(after, str):
                before, after = _excerpts(before, after)
            line = _("{subject}: {old} -> {new}").format(subject=change.subject, old=_quoted(before),
                                                          new=_quoted(after))
        lines.append(indent + line)
    lines.append(_summary(old, new, changes))
    return "\n".join(lines) + "\n"


def _summary(old: Version, new: Version, changes: list[Change]) -> str:
    if changes:
        return ngettext("{count} change", "{count} changes", len(changes)).format(count=len(changes))
    if old.source.data != new.source.data:
        return _("no changes: the documents are the same (the files differ only in comments or layout)")
    return _("no changes: the documents are the same")


STYLE = """
body { font-family: Arial, "Liberation Sans", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #bbb; padding: 0.4em 0.6em; vertical-align: top; text-align: left;
         overflow-wrap: anywhere; white-space: pre-wrap; }
thead th { background: #eee; }
tr.place th { background: #f6f6f6; font-weight: bold; }
col.subject { width: 18%; }
del { background: #fcc; text-decoration: line-through; }
ins { background: #cfc; text-decoration: none; }
.absent { color: #888; font-style: italic; }
"""


def html_report(old: Version, new: Version, changes: list[Change]) -> str:
    """A page for reviewers: each change in a row, before on the left and after on the right,
    the changed words marked. Everything is escaped and nothing is fetched (no link, no script)."""
    e = html.escape
    title = _("Changes from {old} to {new}").format(old=old.label, new=new.label)
    out = ["<!DOCTYPE html>", f"<html lang=\"{e(language())}\">", "<head>", "<meta charset=\"utf-8\">",
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           f"<title>{e(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
           f"<h1>{e(title)}</h1>", f"<p>{e(_summary(old, new, changes))}</p>"]
    if changes:
        out += ["<table>", "<colgroup><col class=\"subject\"><col><col></colgroup>",
                f"<thead><tr><th></th><th>{e(_('Before: {label}').format(label=old.label))}</th>"
                f"<th>{e(_('After: {label}').format(label=new.label))}</th></tr></thead>", "<tbody>"]
        place = None
        for change in changes:
            if change.place != place:
                place = change.place
                if place:
                    out.append(f"<tr class=\"place\"><th colspan=\"3\">{e(' > '.join(place))}</th></tr>")
            before, after = _marked(change.old, change.new)
            out.append(f"<tr><td>{e(change.subject)}</td><td>{before}</td><td>{after}</td></tr>")
        out += ["</tbody>", "</table>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _marked(old, new) -> tuple[str, str]:
    """Escaped HTML of both values, the words that differ in <del> and <ins>."""
    absent = f"<span class=\"absent\">{html.escape(_('(none)'))}</span>"
    if old is None or new is None:
        return (absent if old is None else html.escape(_value(old)),
                absent if new is None else html.escape(_value(new)))
    before, after = re.findall(r"\s+|\S+", _value(old)), re.findall(r"\s+|\S+", _value(new))
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = html.escape("".join(before[i1:i2])), html.escape("".join(after[j1:j2]))
        if tag == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    return "".join(left), "".join(right)


# --- the command ---------------------------------------------------------------------------------

def run(args) -> int:
    """`renstra diff`: 0 no changes, 1 changes, 2 trouble (as diff(1))."""
    try:
        old = load_version(args.old, args.archive)
        new = load_version(args.new, args.archive)
        changes = compare(old.model, new.model)
        report = (html_report if args.format == "html" else text_report)(old, new, changes)
        if args.out is not None:
            write_atomic(args.out, report.encode("utf-8"))
            print(_("wrote {path}").format(path=shown_path(args.out)))
            print(_summary(old, new, changes))
        else:
            sys.stdout.write(report)
    except RenstraError as exc:
        print(exc.report(), file=sys.stderr)
        return TROUBLE
    except OSError as exc:
        where = f": {shown_path(exc.filename)}" if exc.filename else ""
        print(f"{exc.strerror or exc}{where}", file=sys.stderr)
        return TROUBLE
    return DIFFERENT if changes else SAME
