"""Synthetic Renstra sources of a chosen length, for measuring how build cost grows."""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL_SOURCE = ROOT / "source" / "misi-magelang-utara.yaml"
EMBLEM = ROOT / "renstra" / "templates" / "lambang.png"  # stands in for the emblem an office supplies

# One unit is one mission and one chapter (paragraphs, four-level lists, a 30-row table with two
# header rows and merged cells); on A4, Arial 12 pt, it lays out to about this many pages.
PAGES_PER_UNIT = 6.8
YEARS = 5


def vocabulary() -> list[str]:
    """Words of the real source's text (lower case, no punctuation), so the text wraps and
    justifies like real Indonesian prose."""
    data = yaml.safe_load(REAL_SOURCE.read_text(encoding="utf-8"))
    text = []

    def walk(value):
        if isinstance(value, str):
            text.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(data["misi"])
    words = re.findall(r"[a-z]+(?:-[a-z]+)*", " ".join(text).lower())
    return sorted(set(words))


class Writer:
    """Deterministic text from a seeded generator."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.words = vocabulary()

    def sentence(self, low: int = 8, high: int = 22) -> str:
        words = self.random.choices(self.words, k=self.random.randint(low, high))
        if self.random.random() < 0.2:  # a foreign term in italics now and then
            at = self.random.randrange(len(words))
            words[at] = f"*{words[at]}*"
        return " ".join(words).capitalize() + "."

    def paragraph(self, sentences: int = 5) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def title(self) -> str:
        return " ".join(self.random.choices(self.words, k=self.random.randint(3, 6))).title()

    def items(self, count: int, depth: int) -> list:
        """A numbered list; the first item of each level carries a nested list, down to level 4."""
        out = []
        for n in range(count):
            if n == 0 and depth < 4:
                out.append({"istilah": self.title() + ".", "teks": self.sentence(),
                            "daftar": self.items(max(2, count - 1), depth + 1)})
            else:
                out.append(self.sentence())
        return out

    def table(self, rows: int, first_year: int) -> dict:
        header = [[{"teks": "No", "gabung_baris": 2}, {"teks": "Sasaran", "gabung_baris": 2},
                   {"teks": "Indikator", "gabung_baris": 2},
                   {"teks": "Target Kinerja per Tahun", "gabung_kolom": YEARS}],
                  [str(first_year + i) for i in range(YEARS)]]
        body = []
        for n in range(1, rows + 1):
            base = self.random.randint(40, 90)
            body.append([n, self.sentence(3, 8), self.sentence(3, 6)]
                        + [round(base + i * 1.5, 1) for i in range(YEARS)])
        return {"judul": self.title(), "kepala": header, "baris": body}


def source(pages: int, seed: int = 1) -> dict:
    """A source that lays out to about `pages` A4 pages."""
    units = max(1, round(pages / PAGES_PER_UNIT))
    w = Writer(seed)
    first_year = 2021
    misi = [{"judul": w.title() + ".",
             "makna": [w.paragraph(), {"daftar": w.items(5, 2)}, w.paragraph(3)]}
            for _ in range(units)]
    bab = []
    for _ in range(units):
        bab.append({
            "judul": w.title().upper(),
            "isi": [w.paragraph()],
            "subbab": [
                {"judul": w.title(), "isi": [w.paragraph(), {"daftar": w.items(6, 1)}, w.paragraph(4)]},
                {"judul": w.title(), "isi": [w.paragraph(3), {"tabel": w.table(30, first_year)}]},
            ],
        })
    return {
        "dokumen": {
            "judul": f"RENCANA STRATEGIS SINTETIS {pages} HALAMAN",
            "periode": {"mulai": first_year, "selesai": first_year + YEARS - 1},
            "tempat": "Magelang",
            "tanggal": "2022-01-17",
            "versi": "1.0",
            "ringkasan": "Dokumen sintetis untuk mengukur kecepatan",
            "kata_kunci": ["Renstra", "Sintetis"],
        },
        "instansi": {"nama": "Kecamatan Sintetis", "daerah": "Kota Magelang", "lambang": EMBLEM.name},
        "penandatangan": {"jabatan": "Camat Sintetis", "nama": "Nama Camat, S.Sos.",
                          "pangkat": "Pembina (IV/a)", "nip": "19700101 199001 1 001"},
        "tata_letak": {"kop": True},
        "misi": misi,
        "bab": bab,
    }


def write_source(path: Path, pages: int, seed: int = 1) -> Path:
    """Write a synthetic source of about `pages` pages to path."""
    text = yaml.safe_dump(source(pages, seed), allow_unicode=True, sort_keys=False, width=100)
    # The date must load as a date, not as the quoted text safe_dump makes of a str.
    text = text.replace("tanggal: '2022-01-17'", "tanggal: 2022-01-17")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    # The emblem a real office supplies, beside the source: the cover and letterhead print it.
    shutil.copyfile(EMBLEM, path.parent / EMBLEM.name)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", type=int, nargs="+", help="approximate page counts")
    parser.add_argument("--out", type=Path, required=True, help="folder for synthetic-<pages>.yaml")
    args = parser.parse_args(argv)
    for pages in args.pages:
        print(write_source(args.out / f"synthetic-{pages}.yaml", pages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
