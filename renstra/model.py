"""The Renstra format: one pydantic definition gives validation and the editor's JSON Schema."""

from __future__ import annotations

import datetime
import functools
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from .markup import check_markup

# The markers a list may ask for with 'tanda', and the marker of each nesting level when it does
# not: the naskah dinas hierarchy 1. a. 1) a) (1) (a). Both writers read their forms from here.
# Each marker's name is the class the HTML gives the list (print.css and the DOCX writer style it).
LIST_MARKERS = {"1.": "angka-titik", "a.": "huruf-titik", "1)": "angka-kurung", "a)": "huruf-kurung",
                "(1)": "kurung-angka", "(a)": "kurung-huruf", "-": "strip", "tanpa": "tanpa"}
DEFAULT_MARKERS = tuple(LIST_MARKERS)[:6]
MAX_LIST_LEVEL = len(DEFAULT_MARKERS)
# The levels of government a document can be of, and which of them is the region itself.
TINGKAT = ("provinsi", "kabupaten", "kota", "kecamatan", "kelurahan", "desa", "perangkat-daerah")
REGIONS = ("provinsi", "kabupaten", "kota")
VILLAGES = ("kelurahan", "desa")
# Generated tables a block or the top-level 'rekap' can ask for.
REKAP = ("tujuan-sasaran", "indikator")
# How mission headings are numbered: "1.", "Misi 1", "Misi Pertama".
JUDUL_MISI = ("nomor", "misi-nomor", "misi-urutan")


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("the text is empty; write it or remove the line")
    why = check_markup(value)
    if why:
        raise ValueError(why)
    return value


Teks = Annotated[str, AfterValidator(_text),
                 Field(description="Text; *italic* for foreign terms, **bold** for terms.")]
def _one_line(value: str) -> str:
    if "\n" in value.strip() or "\t" in value:
        raise ValueError("must be one line: write it without line breaks or tabs")
    return value.strip("\n")


Nama = Annotated[str, Field(min_length=1), AfterValidator(_one_line)]


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


class Lampiran(Strict):
    """The regulation that adopts this document as its attachment (LAMPIRAN)."""

    peraturan: Teks = Field(description="Kind and maker of the regulation, e.g. Peraturan Wali Kota Magelang",
                            examples=["Peraturan Bupati Temanggung"])
    nomor: Nama = Field(description="Its number, in quotes, e.g. \"12\"", examples=["12"])
    tanggal: datetime.date = Field(ge=datetime.date(1945, 1, 1), le=datetime.date(2200, 12, 31),
                                   description="Date it was enacted; the year of 'NOMOR 12 TAHUN 2016' comes from it")
    tentang: Teks = Field(description="What it is about, as in its title",
                          examples=["Rencana Strategis Kecamatan Kledung Tahun 2022-2026"])


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
    lampiran: Lampiran | None = Field(default=None, description="Give it when the document is the attachment "
                                      "of a regulation: printed at the top right of the first page")


class Instansi(Strict):
    """The government unit and its region; contact lines print only when given."""

    tingkat: Literal[TINGKAT] = Field(default="kecamatan", examples=["kecamatan", "kota", "desa"], description=(
        "Level of the unit; a provinsi, kabupaten or kota is its own region (no 'daerah'), "
        "a desa or kelurahan names its 'kecamatan' too"))
    nama: Nama = Field(description="e.g. Kecamatan Magelang Utara, or Kota Magelang for the city itself")
    daerah: Nama | None = Field(default=None, description="The region the unit belongs to, e.g. Kota Magelang")
    kecamatan: Nama | None = Field(default=None, examples=["Kecamatan Mertoyudan"], description=(
        "For a desa or kelurahan: its kecamatan"))
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
    judul_misi: Literal[JUDUL_MISI] = Field(default="nomor", examples=["misi-urutan"], description=(
        "How mission headings are numbered: nomor (1.), misi-nomor (Misi 1), misi-urutan (Misi Pertama)"))


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


Tanda = Literal[tuple(LIST_MARKERS)]
Mulai = Annotated[int, Field(strict=True, ge=1, le=100_000)]


def _tanda_field():
    return Field(default=None, examples=["a)", "-", "tanpa"], description=(
        "The list's marker: 1. a. 1) a) (1) (a), - or tanpa (none); by default it follows the depth "
        "(1. a. 1) a) (1) (a))"))


def _mulai_field():
    return Field(default=None, examples=[2], description="Number of the list's first item (default 1)")


class ButirRinci(Strict):
    """A list item with a bold term, text, and/or a nested list."""

    istilah: Teks | None = Field(default=None, description="Bold term that opens the item")
    teks: Teks | None = Field(default=None, description="The item's text")
    daftar: list[Butir] | None = Field(default=None, min_length=1, description="Nested list")
    tanda: Tanda | None = _tanda_field()
    mulai: Mulai | None = _mulai_field()

    @model_validator(mode="after")
    def _not_empty(self):
        if self.istilah is None and self.teks is None and self.daftar is None:
            raise ValueError("a list item needs 'istilah', 'teks' or 'daftar'")
        if self.daftar is None and (self.tanda is not None or self.mulai is not None):
            raise ValueError("'tanda' and 'mulai' set the marker of the item's nested 'daftar', "
                             "which this item does not have")
        return self


Butir = Annotated[Union[Annotated[Teks, Tag("teks")], Annotated[ButirRinci, Tag("rinci")]],
                  Discriminator(lambda v: "teks" if isinstance(v, str) else "rinci")]
ButirRinci.model_rebuild()


class BlokDaftar(Strict):
    daftar: list[Butir] = Field(min_length=1, description="A list, numbered by depth unless 'tanda' says")
    tanda: Tanda | None = _tanda_field()
    mulai: Mulai | None = _mulai_field()


class BlokTabel(Strict):
    tabel: Tabel


class BlokRekap(Strict):
    rekap: Literal[REKAP] = Field(examples=["tujuan-sasaran", "indikator"], description=(
        "A table made from the indikator data: tujuan-sasaran (form T-C.25) or indikator "
        "(unit, baseline, yearly targets, final value)"))


class BlokBagian(Strict):
    bagian: Literal["visi", "misi"] = Field(examples=["misi"], description=(
        "Prints the document's visi or misi here, inside a chapter, instead of before the chapters"))


BLOCK_KINDS = {"tabel": "tabel", "rekap": "rekap", "bagian": "bagian"}


def _block_kind(value: Any) -> str:
    if isinstance(value, str):
        return "paragraf"
    if isinstance(value, dict):
        for key, kind in BLOCK_KINDS.items():
            if key in value:
                return kind
    return "daftar"


Blok = Annotated[Union[Annotated[Teks, Tag("paragraf")], Annotated[BlokDaftar, Tag("daftar")],
                       Annotated[BlokTabel, Tag("tabel")], Annotated[BlokRekap, Tag("rekap")],
                       Annotated[BlokBagian, Tag("bagian")]],
                 Discriminator(_block_kind),
                 Field(description="A paragraph (text), {daftar: [...]}, {tabel: {...}}, "
                                   "{rekap: indikator} or {bagian: misi}")]


def _value_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return "angka"
    if isinstance(value, str):
        return "teks"
    return None


# An indicator's value: a number (printed the Indonesian way, 1.250.000; 2,5) or text ("WTP").
Nilai = Annotated[Union[Annotated[Union[int, Annotated[float, Field(allow_inf_nan=False)]], Tag("angka")],
                        Annotated[Teks, Tag("teks")]],
                  Discriminator(_value_kind, custom_error_type="nilai",
                                custom_error_message="a number or text"),
                  Field(description="A number (75.25) or text (\"WTP\")")]


class Indikator(Strict):
    """A performance indicator with a target for every year of the period."""

    nama: Teks = Field(description="What is measured", examples=["Indeks Kepuasan Masyarakat"])
    satuan: Nama = Field(description="Unit, e.g. %, indeks, dokumen", examples=["%"])
    awal: Nilai | None = Field(default=None, examples=[76.5, "WTP"],
                               description="Kondisi awal: the value in the year before the period")
    target: dict[Annotated[str, Field(pattern=r"^\d{4}$")], Nilai] = Field(
        json_schema_extra={"additionalProperties": False},
        examples=[{"2022": 80, "2023": 82, "2024": 84, "2025": 86, "2026": 88}],
        description="The target of each year of the period, e.g. {2022: 80, 2023: 82, ...}")
    akhir: Nilai | None = Field(default=None, examples=[88, "WTP"],
                                description="Kondisi akhir: the value at the end of the period")


class Sasaran(Strict):
    """An objective of a goal."""

    judul: Teks = Field(description="The objective", examples=["Meningkatnya kepuasan masyarakat atas layanan"])
    indikator: list[Indikator] = Field(default_factory=list, description="How the objective is measured")
    strategi: list[Blok] = Field(default_factory=list, description="How the objective is reached",
                                 examples=[["Menyederhanakan alur pelayanan."]])
    arah_kebijakan: list[Blok] = Field(default_factory=list, description="Policy directions",
                                       examples=[["Menerapkan standar pelayanan."]])


class Tujuan(Strict):
    """A goal of a mission."""

    judul: Teks = Field(description="The goal", examples=["Meningkatkan kualitas pelayanan publik"])
    indikator: list[Indikator] = Field(default_factory=list, description="How the goal is measured")
    sasaran: list[Sasaran] = Field(default_factory=list, description="The objectives of the goal")


class Misi(Strict):
    judul: Teks = Field(description="The mission statement", examples=["Meningkatkan Kualitas Pelayanan Publik."])
    makna: list[Blok] = Field(default_factory=list, description="What the mission means: paragraphs, lists, tables")
    tujuan: list[Tujuan] = Field(default_factory=list, description="The goals of the mission")

    @property
    def has_section(self) -> bool:
        """Whether the mission gets a heading of its own (it has more than its statement)."""
        return bool(self.makna or self.tujuan)


class BagianMisi(Strict):
    """The missions with their own introduction and first number."""

    judul: Teks | None = Field(default=None, examples=["MISI"], description="Heading above the missions")
    pengantar: list[Blok] | None = Field(default=None, description=(
        "Replaces 'Rumusan Misi ... adalah sebagai berikut :'; [] leaves it out"))
    mulai: Mulai = Field(default=1, examples=[2], description="The first mission's number")
    pengantar_makna: list[Blok] | None = Field(default=None, description=(
        "Replaces 'Makna 4 (empat) Misi tersebut di atas dapat dijabarkan sebagai berikut :'; [] leaves it out"))
    daftar: list[Misi] = Field(min_length=1, description="The missions, in order")


class Visi(Strict):
    """The vision: one statement printed set apart, with what comes before and after it."""

    judul: Teks | None = Field(default=None, examples=["VISI"], description="Heading above the vision")
    pengantar: list[Blok] = Field(default_factory=list, description="Before the statement")
    pernyataan: Teks = Field(description="The vision statement, printed centred and bold in quotes",
                             examples=["Terwujudnya Pelayanan Kecamatan yang Prima"])
    penjelasan: list[Blok] = Field(default_factory=list, description=(
        "After the statement: its key words, an acronym's letters, their meaning"))


class Subbab(Strict):
    judul: Teks
    isi: list[Blok] = Field(min_length=1)


class Bab(Strict):
    judul: Teks = Field(description="e.g. PENDAHULUAN (the 'BAB I' is added)")
    isi: list[Blok] = Field(default_factory=list)
    subbab: list[Subbab] = Field(default_factory=list)


MisiSumber = Annotated[Union[Annotated[list[Misi], Tag("misi-daftar")], Annotated[BagianMisi, Tag("misi-bagian")]],
                       Discriminator(lambda v: "misi-bagian" if isinstance(v, dict) else "misi-daftar"),
                       Field(description="The missions: a list, or {pengantar, mulai, daftar}")]


class Renstra(Strict):
    """One Renstra document."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Renstra source")

    dokumen: Dokumen
    instansi: Instansi
    penandatangan: Penandatangan | None = None
    tata_letak: TataLetak = Field(default_factory=TataLetak)
    visi: Visi | None = None
    misi: MisiSumber | None = None
    bab: list[Bab] = Field(default_factory=list)
    rekap: list[Literal[REKAP]] = Field(default_factory=list, description=(
        "Generated tables printed after the missions: tujuan-sasaran, indikator"))

    @model_validator(mode="after")
    def _has_content(self):
        if not self.visi and not self.misi and not self.bab:
            raise ValueError("the document has no content: add 'visi', 'misi' (the missions) or 'bab' "
                             "(the chapters)")
        return self

    @functools.cached_property
    def missions(self) -> BagianMisi | None:
        """The missions in their one resolved form, whichever way the source wrote them."""
        if self.misi is None or isinstance(self.misi, BagianMisi):
            return self.misi
        return BagianMisi(daftar=self.misi)


def json_schema() -> dict:
    """The JSON Schema that editors use to complete and check sources."""
    schema = Renstra.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


# --- walking the document ----------------------------------------------------------------------

def block_lists(model: Renstra):
    """Every list of blocks in the document: its location (as pydantic's errors give it), the
    blocks, and the list level its first list takes (a mission's explanation starts at a.)."""
    if model.visi is not None:
        yield ("visi", "pengantar"), model.visi.pengantar, 1
        yield ("visi", "penjelasan"), model.visi.penjelasan, 1
    missions = model.missions
    if missions is not None:
        base = ("misi", "misi-bagian") if isinstance(model.misi, BagianMisi) else ("misi", "misi-daftar")
        yield base + ("pengantar",), missions.pengantar or [], 1
        yield base + ("pengantar_makna",), missions.pengantar_makna or [], 1
        if base[1] == "misi-bagian":
            base += ("daftar",)
        for m, misi in enumerate(missions.daftar):
            yield base + (m, "makna"), misi.makna, 2
            for t, tujuan in enumerate(misi.tujuan):
                for s, sasaran in enumerate(tujuan.sasaran):
                    at = base + (m, "tujuan", t, "sasaran", s)
                    yield at + ("strategi",), sasaran.strategi, 2
                    yield at + ("arah_kebijakan",), sasaran.arah_kebijakan, 2
    for b, bab in enumerate(model.bab):
        yield ("bab", b, "isi"), bab.isi, 1
        for s, sub in enumerate(bab.subbab):
            yield ("bab", b, "subbab", s, "isi"), sub.isi, 1


def all_indicators(model: Renstra):
    """Every indikator of the document with its location, tujuan's before their sasaran's."""
    missions = model.missions
    if missions is None:
        return
    base = ("misi", "misi-bagian", "daftar") if isinstance(model.misi, BagianMisi) else ("misi", "misi-daftar")
    for m, misi in enumerate(missions.daftar):
        for t, tujuan in enumerate(misi.tujuan):
            for i, indikator in enumerate(tujuan.indikator):
                yield base + (m, "tujuan", t, "indikator", i), indikator
            for s, sasaran in enumerate(tujuan.sasaran):
                for i, indikator in enumerate(sasaran.indikator):
                    yield base + (m, "tujuan", t, "sasaran", s, "indikator", i), indikator


def period_years(periode: Periode) -> list[int]:
    return list(range(periode.mulai, periode.selesai + 1))


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


