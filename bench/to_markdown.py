"""The same content as a source, written as Pandoc Markdown, so peers convert the same words."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renstra.cli import check  # noqa: E402
from renstra.model import BlokDaftar, BlokTabel, ButirRinci, SelRinci  # noqa: E402
from renstra.indonesian import count_in_words, indonesian_date, roman  # noqa: E402

# The template's list styles by level, as Pandoc's fancy_lists markers.
MARKERS = {1: "1.", 2: "a.", 3: "1)", 4: "a)"}
INDENT = "    "


def _items(items, level: int, indent: str) -> list[str]:
    lines = []
    marker = MARKERS[min(level, 4)]
    for item in items:
        if isinstance(item, ButirRinci):
            parts = [f"**{item.istilah}**"] if item.istilah else []
            if item.teks:
                parts.append(item.teks)
            lines.append(f"{indent}{marker} {' '.join(parts)}".rstrip())
            if item.daftar:
                lines.append("")
                lines += _items(item.daftar, level + 1, indent + INDENT)
        else:
            lines.append(f"{indent}{marker} {item}")
        lines.append("")
    return lines


def _cell(cell) -> str:
    if isinstance(cell, SelRinci):
        text = cell.teks
    elif isinstance(cell, float):
        text = f"{cell:g}".replace(".", ",")
    else:
        text = str(cell)
    return text.replace("|", "\\|")


def _row(cells) -> list[str]:
    """One table row; a merged cell keeps its text in its first column (pipe tables cannot span)."""
    out = []
    for cell in cells:
        out.append(_cell(cell))
        if isinstance(cell, SelRinci):
            out += [""] * (cell.gabung_kolom - 1)
    return out


def _table(table) -> list[str]:
    rows = [_row(r) for r in table.kepala] + [_row(r) for r in table.baris]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = rows[0] if table.kepala else [""] * width
    body = rows[1:] if table.kepala else rows
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    if table.judul:
        lines += ["", f"Table: {table.judul}"]
    return lines + [""]


def _blocks(blocks, level: int) -> list[str]:
    lines = []
    for block in blocks:
        if isinstance(block, BlokDaftar):
            lines += _items(block.daftar, level, "")
        elif isinstance(block, BlokTabel):
            lines += _table(block.tabel)
        else:
            lines += [" ".join(block.split()), ""]
    return lines


def markdown(path: str) -> str:
    """Pandoc Markdown with the words the template prints for this source."""
    _, model = check(path)
    d, unit = model.dokumen, model.instansi
    period = f"{d.periode.mulai}-{d.periode.selesai}"
    lines = ["---", f"title: \"{d.judul}\"", f"author: \"{unit.nama}\"", "lang: id", "---", ""]
    if model.misi:
        lines += [f"Rumusan Misi {unit.nama} {unit.daerah} Tahun {period} adalah sebagai berikut :", ""]
        lines += [f"1. {m.judul}" for m in model.misi] + [""]
        lines += [f"Makna {count_in_words(len(model.misi))} Misi tersebut di atas dapat dijabarkan "
                  "sebagai berikut :", ""]
        for number, misi in enumerate(model.misi, start=1):
            lines += [f"## {number}. {misi.judul}", ""] + _blocks(misi.makna, 2)
    for number, bab in enumerate(model.bab, start=1):
        lines += [f"# BAB {roman(number)} {bab.judul}", ""] + _blocks(bab.isi, 1)
        for sub, subbab in enumerate(bab.subbab, start=1):
            lines += [f"## {number}.{sub} {subbab.judul}", ""] + _blocks(subbab.isi, 1)
    if model.penandatangan:
        signer = model.penandatangan
        lines += [f"{d.tempat}, {indonesian_date(d.tanggal)}", "", f"{signer.jabatan.upper()},", ""]
        lines += [f"{line}" for line in (signer.nama, signer.pangkat) if line]
        if signer.nip:
            lines.append(f"NIP. {signer.nip}")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source")
    parser.add_argument("--out", type=Path, required=True, help="the Markdown file to write")
    args = parser.parse_args(argv)
    args.out.write_text(markdown(args.source), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
