"""The strategic chain resolved: numbered goals and objectives, and the tables made from their indicators."""

from __future__ import annotations

from dataclasses import dataclass

from .layout import text_width_cm
from .model import Indikator, Misi, Renstra, Sasaran, SelRinci, Tabel, Tujuan, period_years

# The narrowest a column of a generated table can be and stay readable, in cm: a running number,
# a text column (goal, objective, indicator) and a figure. A table whose columns need more than
# the portrait text width goes on a landscape page in both outputs.
MIN_COLUMN_CM = {"nomor": 1.0, "teks": 3.0, "angka": 1.6}


@dataclass(frozen=True)
class NumberedSasaran:
    number: str  # "1.2": the second objective of the first goal
    sasaran: Sasaran


@dataclass(frozen=True)
class NumberedTujuan:
    number: str  # "1": goals are numbered through the document, as form T-C.25 numbers them
    tujuan: Tujuan
    sasaran: tuple[NumberedSasaran, ...]


@dataclass(frozen=True)
class Goals:
    """Each mission's goals with their numbers."""

    by_mission: tuple[tuple[Misi, tuple[NumberedTujuan, ...]], ...]
    first_mission: int = 1  # the number of the first mission ('mulai')

    def of(self, misi: Misi) -> tuple[NumberedTujuan, ...]:
        for candidate, goals in self.by_mission:
            if candidate is misi:
                return goals
        return ()

    def mission_number(self, misi: Misi) -> int:
        for index, (candidate, _) in enumerate(self.by_mission):
            if candidate is misi:
                return self.first_mission + index
        raise KeyError(misi.judul)


def number_goals(model: Renstra) -> Goals:
    """Number every tujuan (1, 2, ...) and sasaran (1.1, 1.2, ...) in document order."""
    missions = model.missions.daftar if model.missions else []
    count = 0
    out = []
    for misi in missions:
        goals = []
        for tujuan in misi.tujuan:
            count += 1
            goals.append(NumberedTujuan(str(count), tujuan, tuple(
                NumberedSasaran(f"{count}.{s}", sasaran) for s, sasaran in enumerate(tujuan.sasaran, start=1))))
        out.append((misi, tuple(goals)))
    return Goals(tuple(out), model.missions.mulai if model.missions else 1)


@dataclass(frozen=True)
class GeneratedTable:
    """A table made from the data, in the form the template's table macro prints."""

    tabel: Tabel
    landscape: bool


def _cell(value, rows: int = 1, columns: int = 1):
    """A table cell; a plain value when it spans nothing, so numbers keep their type."""
    if rows == 1 and columns == 1:
        return value
    return SelRinci.model_construct(teks=value, gabung_kolom=columns, gabung_baris=rows)


def _needs_landscape(kinds: list[str], model: Renstra) -> bool:
    layout = model.tata_letak
    return sum(MIN_COLUMN_CM[k] for k in kinds) > text_width_cm(layout.kertas, layout.margin.kiri,
                                                                 layout.margin.kanan)


def _table(title: str, header: list[list], rows: list[list], kinds: list[str], model: Renstra) -> GeneratedTable:
    tabel = Tabel.model_construct(judul=title, kepala=header, baris=rows)
    return GeneratedTable(tabel, _needs_landscape(kinds, model))


def _targets(indikator: Indikator | None, years: list[int]) -> list:
    if indikator is None:
        return [""] * len(years)
    by_year = {int(year): value for year, value in indikator.target.items()}
    return [by_year[year] for year in years]


def goals_table(model: Renstra, goals: Goals) -> GeneratedTable:
    """Form T-C.25 of Permendagri 86/2017: each goal and objective with its indicators and a
    target for every year of the period (Tahun ke-1, 2, ...). Goal and objective cells are merged
    down the rows they cover; each mission heads its goals in a row across the table."""
    years = period_years(model.dokumen.periode)
    header = [
        [_cell("No", rows=2), _cell("Tujuan", rows=2), _cell("Sasaran", rows=2),
         _cell("Indikator Tujuan/Sasaran", rows=2),
         _cell("Target Kinerja Tujuan/Sasaran pada Tahun ke-", columns=len(years))],
        [str(n) for n in range(1, len(years) + 1)],
    ]
    width = 4 + len(years)
    rows: list[list] = []
    for misi, numbered in goals.by_mission:
        if not numbered:
            continue
        rows.append([_cell(f"Misi {goals.mission_number(misi)}: {misi.judul}", columns=width)])
        for goal in numbered:
            lines = _goal_lines(goal, years)
            lines[0][:0] = [_cell(goal.number, rows=len(lines)), _cell(goal.tujuan.judul, rows=len(lines))]
            rows.extend(lines)
    kinds = ["nomor", "teks", "teks", "teks"] + ["angka"] * len(years)
    title = f"Tujuan dan Sasaran Jangka Menengah Pelayanan {model.instansi.nama}"
    return _table(title, header, rows, kinds, model)


def _goal_lines(goal: NumberedTujuan, years: list[int]) -> list[list]:
    """The rows of one goal from the objective column on: its own indicators first (the objective
    cell left empty across them), then each objective with its indicators."""
    lines: list[list] = []
    own = goal.tujuan.indikator
    for i, indikator in enumerate(own):
        line = [_cell("", rows=len(own))] if i == 0 else []
        lines.append(line + [indikator.nama] + _targets(indikator, years))
    for numbered in goal.sasaran:
        indicators = numbered.sasaran.indikator or [None]
        for i, indikator in enumerate(indicators):
            line = [_cell(numbered.sasaran.judul, rows=len(indicators))] if i == 0 else []
            lines.append(line + [indikator.nama if indikator else ""] + _targets(indikator, years))
    if not lines:
        lines.append(["", ""] + [""] * len(years))
    return lines


def indicator_table(model: Renstra, goals: Goals) -> GeneratedTable:
    """Every indicator with its unit, the baseline (the year before the period), a target for
    every year and the value at the end of the period."""
    years = period_years(model.dokumen.periode)
    periode = model.dokumen.periode
    header = [
        [_cell("No", rows=2), _cell("Indikator Kinerja", rows=2), _cell("Satuan", rows=2), "Kondisi Awal",
         _cell("Target", columns=len(years)) if len(years) > 1 else "Target", "Kondisi Akhir"],
        [str(periode.mulai - 1)] + [str(year) for year in years] + [str(periode.selesai)],
    ]
    rows = []
    for _, numbered in goals.by_mission:
        for goal in numbered:
            indicators = list(goal.tujuan.indikator)
            for sasaran in goal.sasaran:
                indicators += sasaran.sasaran.indikator
            for indikator in indicators:
                rows.append([str(len(rows) + 1), indikator.nama, indikator.satuan, _or_empty(indikator.awal)]
                            + _targets(indikator, years) + [_or_empty(indikator.akhir)])
    kinds = ["nomor", "teks", "angka", "angka"] + ["angka"] * len(years) + ["angka"]
    title = f"Indikator Kinerja {model.instansi.nama} Tahun {periode.mulai}-{periode.selesai}"
    return _table(title, header, rows, kinds, model)


def _or_empty(value):
    return "" if value is None else value


TABLES = {"tujuan-sasaran": goals_table, "indikator": indicator_table}


def generated_table(kind: str, model: Renstra, goals: Goals) -> GeneratedTable:
    """The generated table a 'rekap' names."""
    return TABLES[kind](model, goals)
