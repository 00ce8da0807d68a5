"""The Renstra format: one pydantic definition gives validation and the editor's JSON Schema."""

from __future__ import annotations

import copy
import datetime
import functools
import re
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from .i18n import _
from .markup import MAX_WORD, check_markup
from .paths import IMAGE_SIGNATURES
from .source import MAX_DIGITS

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
# Names the shared definition of the editor's schema that an inline schema of pydantic's stands
# for (json_schema() below replaces it with a reference); check never reads it.
_MARK = "x-renstra"


def _hint(text: str, **more) -> dict:
    """What the editor shows for a key or a part: Indonesian, as the office writes. The English
    'description' beside it is what check's messages quote."""
    return {"description": text, **more}


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError(_("the text is empty; write it or remove the line"))
    why = check_markup(value)
    if why:
        raise ValueError(why)
    return value


Teks = Annotated[str, AfterValidator(_text),
                 Field(description="Text; *italic* for foreign terms, **bold** for terms.",
                       json_schema_extra={_MARK: "Teks"})]
def _one_line(value: str) -> str:
    if "\n" in value.strip() or "\t" in value:
        raise ValueError(_("must be one line: write it without line breaks or tabs"))
    return value.strip("\n")


Nama = Annotated[str, Field(min_length=1, json_schema_extra={_MARK: "Nama"}), AfterValidator(_one_line)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Periode(Strict, json_schema_extra=_hint("Periode rencana: tahun awal dan tahun akhir.")):
    """The five years the plan covers."""

    mulai: int = Field(strict=True, ge=1945, le=2200, description="First year, e.g. 2011", examples=[2011],
                       json_schema_extra=_hint("Tahun pertama periode, misalnya 2011."))
    selesai: int = Field(strict=True, ge=1945, le=2200, description="Last year, e.g. 2015", examples=[2015],
                         json_schema_extra=_hint("Tahun terakhir periode, misalnya 2015; tidak sebelum tahun "
                                                 "'mulai'."))

    @model_validator(mode="after")
    def _ordered(self):
        if self.selesai < self.mulai:
            raise ValueError(_("'selesai' ({selesai}) is before 'mulai' ({mulai})").format(
                selesai=self.selesai, mulai=self.mulai))
        return self


class Lampiran(Strict, json_schema_extra=_hint(
        "Peraturan yang menetapkan dokumen ini sebagai LAMPIRAN-nya.")):
    """The regulation that adopts this document as its attachment (LAMPIRAN)."""

    peraturan: Teks = Field(description="Kind and maker of the regulation, e.g. Peraturan Wali Kota Magelang",
                            examples=["Peraturan Bupati Temanggung"],
                            json_schema_extra=_hint("Jenis dan pembuat peraturan, misalnya Peraturan Wali Kota "
                                                    "Magelang."))
    nomor: Nama = Field(description="Its number, in quotes, e.g. \"12\"", examples=["12"],
                        json_schema_extra=_hint("Nomor peraturan, dalam tanda kutip, misalnya \"12\"."))
    tanggal: datetime.date = Field(ge=datetime.date(1945, 1, 1), le=datetime.date(2200, 12, 31),
                                   description="Date it was enacted; the year of 'NOMOR 12 TAHUN 2016' comes from it",
                                   examples=["2022-06-13"], json_schema_extra=_hint(
                                       "Tanggal penetapan peraturan, ditulis tahun-bulan-tanggal; tahun pada "
                                       "'NOMOR 12 TAHUN 2016' diambil dari sini."))
    tentang: Teks = Field(description="What it is about, as in its title",
                          examples=["Rencana Strategis Kecamatan Kledung Tahun 2022-2026"],
                          json_schema_extra=_hint("Judul peraturan sesudah kata TENTANG."))


class Dokumen(Strict, json_schema_extra=_hint(
        "Keterangan dokumen: judul, periode, tempat dan tanggal, versi.")):
    """What the document is."""

    jenis: Nama = Field(default="Rencana Strategis (Renstra)", description="Kind of document, for the cover",
                        json_schema_extra=_hint("Jenis dokumen, dicetak pada sampul."))
    judul: Teks = Field(description="Title, as printed above the text", examples=["MISI KECAMATAN MAGELANG UTARA"],
                        json_schema_extra=_hint("Judul dokumen, dicetak di atas naskah."))
    periode: Periode = Field(json_schema_extra=_hint("Periode rencana, misalnya {mulai: 2011, selesai: 2015}."))
    tempat: Nama = Field(description="Place of signing, e.g. Magelang", examples=["Magelang"],
                         json_schema_extra=_hint("Tempat penandatanganan, misalnya Magelang."))
    tanggal: datetime.date = Field(ge=datetime.date(1945, 1, 1), le=datetime.date(2200, 12, 31),
                                   description="Date of the document, e.g. 2013-03-03", examples=["2013-03-03"],
                                   json_schema_extra=_hint("Tanggal dokumen, ditulis tahun-bulan-tanggal: 2013-03-03 "
                                                           "dicetak 3 Maret 2013."))
    versi: Nama = Field(description="Version of this release, e.g. \"1.0\" (in quotes)", examples=["1.0"],
                        json_schema_extra=_hint("Versi terbitan ini, dalam tanda kutip, misalnya \"1.0\"."))
    ringkasan: Nama | None = Field(default=None, description="One-line subject for the file's properties",
                                   json_schema_extra=_hint("Pokok isi dalam satu baris, untuk properti berkas PDF "
                                                           "dan DOCX."))
    kata_kunci: list[Nama] = Field(default_factory=list, description="Keywords for the file's properties",
                                   examples=[["Renstra", "Kecamatan Magelang Utara"]],
                                   json_schema_extra=_hint("Kata kunci untuk properti berkas PDF dan DOCX."))
    lampiran: Lampiran | None = Field(default=None, description="Give it when the document is the attachment "
                                      "of a regulation: printed at the top right of the first page",
                                      json_schema_extra=_hint("Diisi bila dokumen ini lampiran suatu peraturan; "
                                                              "dicetak di kanan atas halaman pertama."))


class Instansi(Strict, json_schema_extra=_hint(
        "Instansi penyusun dan daerahnya; alamat, telepon dan lainnya dicetak hanya bila diisi.")):
    """The government unit and its region; contact lines print only when given."""

    tingkat: Literal[TINGKAT] = Field(default="kecamatan", examples=["kecamatan", "kota", "desa"], description=(
        "Level of the unit; a provinsi, kabupaten or kota is its own region (no 'daerah'), "
        "a desa or kelurahan names its 'kecamatan' too"), json_schema_extra=_hint(
        "Tingkat pemerintahan: provinsi, kabupaten atau kota (daerah itu sendiri, tanpa 'daerah'); kecamatan "
        "(bawaan) atau perangkat-daerah (dengan 'daerah'); kelurahan atau desa (dengan 'daerah' dan "
        "'kecamatan')."))
    nama: Nama = Field(description="e.g. Kecamatan Magelang Utara, or Kota Magelang for the city itself",
                       examples=["Kecamatan Magelang Utara"], json_schema_extra=_hint(
                           "Nama instansi, misalnya Kecamatan Magelang Utara; untuk kota itu sendiri: Kota "
                           "Magelang."))
    daerah: Nama | None = Field(default=None, description="The region the unit belongs to, e.g. Kota Magelang",
                                examples=["Kota Magelang"], json_schema_extra=_hint(
                                    "Daerah tempat instansi berada, misalnya Kota Magelang; tidak diisi untuk "
                                    "provinsi, kabupaten dan kota."))
    kecamatan: Nama | None = Field(default=None, examples=["Kecamatan Mertoyudan"], description=(
        "For a desa or kelurahan: its kecamatan"), json_schema_extra=_hint(
        "Untuk desa atau kelurahan: kecamatannya. Tidak diisi untuk tingkat lain."))
    alamat: Nama | None = Field(default=None, json_schema_extra=_hint("Alamat kantor, dicetak pada kop."))
    telepon: Nama | None = Field(default=None, examples=["(0293) 362813"],
                                 json_schema_extra=_hint("Nomor telepon kantor."))
    faksimile: Nama | None = Field(default=None, json_schema_extra=_hint("Nomor faksimile kantor."))
    laman: Nama | None = Field(default=None, description="Website",
                               json_schema_extra=_hint("Alamat laman (situs web) kantor."))
    surel: Nama | None = Field(default=None, description="E-mail",
                               json_schema_extra=_hint("Alamat surat elektronik (surel) kantor."))
    lambang: Nama | None = Field(default=None, description="Emblem image (PNG or JPEG) in source/ or templates/",
                                 examples=["lambang.png"], json_schema_extra=_hint(
                                     "Berkas gambar lambang daerah (PNG atau JPEG) di folder sumber, misalnya "
                                     "lambang.png; bukan alamat internet dan bukan path mutlak."))


class Penandatangan(Strict, json_schema_extra=_hint(
        "Penanda tangan dokumen; hanya yang diisi yang dicetak.")):
    """Who signs; only what is given is printed."""

    jabatan: Nama = Field(description="e.g. Camat Magelang Utara", examples=["Camat Magelang Utara"],
                          json_schema_extra=_hint("Jabatan penanda tangan, misalnya Camat Magelang Utara."))
    nama: Nama | None = Field(default=None, description="Name with academic titles",
                              json_schema_extra=_hint("Nama lengkap dengan gelar."))
    pangkat: Nama | None = Field(default=None, description="Pangkat/golongan, e.g. Pembina (IV/a)",
                                 examples=["Pembina (IV/a)"],
                                 json_schema_extra=_hint("Pangkat/golongan, misalnya Pembina (IV/a)."))
    nip: Annotated[str, Field(pattern=r"^\d{8} ?\d{6} ?\d \d{3}$|^\d{18}$")] | None = Field(
        default=None, description="18 digits, in quotes", examples=["19700101 199001 1 001"], json_schema_extra=_hint(
            "NIP 18 angka, dalam tanda kutip, misalnya \"19700101 199001 1 001\".",
            patternErrorMessage="NIP terdiri atas 18 angka, misalnya \"19700101 199001 1 001\"."))


class Margin(Strict, json_schema_extra=_hint(
        "Margin halaman dalam sentimeter; paling sedikit sesuai ketentuan naskah dinas.")):
    """Page margins in centimetres; the minimums are those of naskah dinas."""

    atas: float = Field(strict=True, default=2.0, ge=2.0, le=6.0,
                        json_schema_extra=_hint("Margin atas dalam cm, paling sedikit 2."))
    bawah: float = Field(strict=True, default=2.5, ge=2.5, le=6.0,
                         json_schema_extra=_hint("Margin bawah dalam cm, paling sedikit 2,5."))
    kiri: float = Field(strict=True, default=3.0, ge=3.0, le=6.0,
                        json_schema_extra=_hint("Margin kiri dalam cm, paling sedikit 3 (tempat jilid)."))
    kanan: float = Field(strict=True, default=2.0, ge=2.0, le=6.0,
                         json_schema_extra=_hint("Margin kanan dalam cm, paling sedikit 2."))


class TataLetak(Strict, json_schema_extra=_hint("Pengaturan tata letak PDF dan DOCX.")):
    """Layout settings shared by the PDF and the DOCX."""

    kertas: Literal["A4", "F4"] = Field(default="A4", json_schema_extra=_hint(
        "Ukuran kertas: A4 (bawaan) atau F4 (folio, 215 x 330 mm)."))
    huruf: Literal["Arial", "Bookman Old Style"] = Field(default="Arial", json_schema_extra=_hint(
        "Jenis huruf naskah: Arial (bawaan) atau Bookman Old Style."))
    ukuran_huruf: float = Field(strict=True, default=12, ge=9, le=16, description="Body size in points",
                                json_schema_extra=_hint("Ukuran huruf naskah dalam poin, 9 sampai 16 (bawaan 12)."))
    spasi_baris: float = Field(strict=True, default=1.5, ge=1.0, le=3.0,
                               json_schema_extra=_hint("Spasi antarbaris, 1 sampai 3 (bawaan 1,5)."))
    margin: Margin = Field(default_factory=Margin, json_schema_extra=_hint("Margin halaman dalam sentimeter."))
    sampul: bool = Field(default=True, description="Print a cover page",
                         json_schema_extra=_hint("Cetak halaman sampul: true (bawaan) atau false."))
    kop: bool = Field(default=False, description="Print the letterhead above the text",
                      json_schema_extra=_hint("Cetak kop di atas naskah: true atau false (bawaan)."))
    judul_misi: Literal[JUDUL_MISI] = Field(default="nomor", examples=["misi-urutan"], description=(
        "How mission headings are numbered: nomor (1.), misi-nomor (Misi 1), misi-urutan (Misi Pertama)"),
        json_schema_extra=_hint("Penomoran judul misi: nomor (1.), misi-nomor (Misi 1) atau misi-urutan "
                                "(Misi Pertama)."))
    bahasa_asing: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|[0-9]{3}))?$",
                              max_length=16, examples=["nl"], description=(
        "Language of the foreign terms written in italics (*...*), a BCP 47 tag: en (default), nl, "
        "ar, la, en-GB ..."), json_schema_extra=_hint(
        "Bahasa istilah asing yang ditulis miring (*...*), dengan kode bahasa BCP 47: en (bawaan, "
        "Inggris), nl (Belanda), ar (Arab), la (Latin), en-GB ...; dipakai pemeriksa ejaan Word dan "
        "pembaca layar."))


class SelRinci(Strict, json_schema_extra=_hint("Sel tabel yang menggabungkan beberapa kolom atau baris.")):
    """A table cell that spans columns or rows."""

    teks: Teks = Field(json_schema_extra=_hint("Isi sel."))
    gabung_kolom: int = Field(strict=True, default=1, ge=1, le=50, description="Columns this cell spans",
                              examples=[2], json_schema_extra=_hint("Jumlah kolom yang digabung sel ini (bawaan 1)."))
    gabung_baris: int = Field(strict=True, default=1, ge=1, le=1000, description="Rows this cell spans",
                              examples=[2], json_schema_extra=_hint(
                                  "Jumlah baris yang digabung sel ini ke bawah (bawaan 1), tidak melewati baris "
                                  "terakhir."))


Sel = Union[Teks, int, float, SelRinci]

# A table's number is the tool's to give, by chapter and place ("Tabel 3.1"; render.py): one typed
# into the title would print twice, and go wrong as soon as a chapter or a table is added.
TYPED_TABLE_NUMBER = re.compile(r"\W*(?:tabel|gambar)[\s\-]+[0-9IVXLCDM]+(?:[.\-][0-9]+)*\.?(?=[\s*:)]|$)",
                                re.IGNORECASE)


def _without_typed_number(value: str) -> str:
    found = TYPED_TABLE_NUMBER.match(value)
    if found:
        raise ValueError(_("starts with a table number ({number}); write only the title: the tool numbers "
                           "tables by chapter (Tabel 3.1, 3.2, ...) and lists them in the DAFTAR TABEL")
                         .format(number=found.group(0).strip(" *")))
    return value


class Tabel(Strict, json_schema_extra=_hint(
        "Tabel; baris kepala diulang pada setiap halaman. Setiap baris sama lebar, sel gabungan ikut "
        "dihitung.")):
    """A table; header rows repeat on every page it spans."""

    judul: Annotated[Teks, AfterValidator(_without_typed_number)] | None = Field(
        default=None, json_schema_extra=_hint(
            "Judul tabel, dicetak di atasnya setelah nomornya (Tabel 3.1), yang diberikan alat ini: "
            "jangan ketik nomornya."))
    kepala: list[list[Sel]] = Field(default_factory=list, description="Header rows", json_schema_extra=_hint(
        "Baris kepala tabel, diulang pada setiap halaman."))
    baris: list[list[Sel]] = Field(min_length=1, description="Body rows", json_schema_extra=_hint(
        "Baris isi tabel, masing-masing daftar sel: [a, b, c]."))


Tanda = Literal[tuple(LIST_MARKERS)]
# Word's numbering starts a list at 32767 at most: LibreOffice, opening a DOCX that asks for
# more, counts from 1 while the PDF counts from the number asked for.
Mulai = Annotated[int, Field(strict=True, ge=1, le=32_767)]


def _tanda_field():
    return Field(default=None, examples=["a)", "-", "tanpa"], description=(
        "The list's marker: 1. a. 1) a) (1) (a), - or tanpa (none); by default it follows the depth "
        "(1. a. 1) a) (1) (a))"), json_schema_extra=_hint(
        "Tanda daftar: 1. a. 1) a) (1) (a), - atau tanpa; bila tidak diisi, tanda mengikuti tingkat daftar "
        "(1. a. 1) a) (1) (a))."))


def _mulai_field():
    return Field(default=None, examples=[2], description="Number of the list's first item (default 1)",
                 json_schema_extra=_hint("Nomor butir pertama daftar (bawaan 1)."))


class ButirRinci(Strict, json_schema_extra=_hint(
        "Butir daftar dengan istilah tebal, teks, dan/atau daftar di bawahnya.")):
    """A list item with a bold term, text, and/or a nested list."""

    istilah: Teks | None = Field(default=None, description="Bold term that opens the item",
                                 examples=["Berbasis Kondisi Lokal."],
                                 json_schema_extra=_hint("Istilah yang dicetak tebal di awal butir."))
    teks: Teks | None = Field(default=None, description="The item's text",
                              json_schema_extra=_hint("Teks butir."))
    daftar: list[Butir] | None = Field(default=None, min_length=1, description="Nested list",
                                       json_schema_extra=_hint("Daftar di bawah butir ini, satu tingkat lebih "
                                                               "dalam."))
    tanda: Tanda | None = _tanda_field()
    mulai: Mulai | None = _mulai_field()

    @model_validator(mode="after")
    def _not_empty(self):
        if self.istilah is None and self.teks is None and self.daftar is None:
            raise ValueError(_("a list item needs 'istilah', 'teks' or 'daftar'"))
        if self.daftar is None and (self.tanda is not None or self.mulai is not None):
            raise ValueError(_("'tanda' and 'mulai' set the marker of the item's nested 'daftar', "
                               "which this item does not have"))
        return self


Butir = Annotated[Union[Annotated[Teks, Tag("teks")], Annotated[ButirRinci, Tag("rinci")]],
                  Discriminator(lambda v: "teks" if isinstance(v, str) else "rinci")]
ButirRinci.model_rebuild()


class BlokDaftar(Strict, json_schema_extra=_hint(
        "Daftar bernomor; tandanya mengikuti tingkat (1. a. 1) a) (1) (a)) kecuali 'tanda' diisi.",
        defaultSnippets=[
            {"label": "Daftar bernomor", "description": "Daftar butir; tanda mengikuti tingkat.",
             "body": {"daftar": ["${1:Butir pertama.}", "${2:Butir kedua.}"]}},
            {"label": "Daftar istilah", "description": "Istilah tebal dengan artinya, tanpa nomor (kata kunci, "
             "kepanjangan akronim).",
             "body": {"daftar": [{"istilah": "${1:Istilah}", "teks": "${2:artinya.}"}], "tanda": "tanpa"}}])):
    daftar: list[Butir] = Field(min_length=1, description="A list, numbered by depth unless 'tanda' says",
                                json_schema_extra=_hint("Butir-butir daftar: teks, atau {istilah, teks, daftar}."))
    tanda: Tanda | None = _tanda_field()
    mulai: Mulai | None = _mulai_field()


class BlokTabel(Strict, json_schema_extra=_hint(
        "Tabel dengan kepala dan baris.",
        defaultSnippets=[{"label": "Tabel", "description": "Tabel dengan satu baris kepala dan satu baris isi.",
                          "body": {"tabel": {"judul": "${1:Judul Tabel}", "kepala": [["No.", "Uraian", "Keterangan"]],
                                             "baris": [["1", "${2:Uraian}", "${3:Keterangan}"]]}}}])):
    tabel: Tabel = Field(json_schema_extra=_hint("Tabel: judul, kepala dan baris."))


class BlokRekap(Strict, json_schema_extra=_hint("Tabel rekap yang disusun dari data indikator.")):
    rekap: Literal[REKAP] = Field(examples=["tujuan-sasaran", "indikator"], description=(
        "A table made from the indikator data: tujuan-sasaran (form T-C.25) or indikator "
        "(unit, baseline, yearly targets, final value)"), json_schema_extra=_hint(
        "Tabel yang disusun dari data indikator: tujuan-sasaran (formulir T-C.25) atau indikator (satuan, "
        "kondisi awal, target tiap tahun, kondisi akhir)."))


class BlokBagian(Strict, json_schema_extra=_hint("Tempat visi atau misi dokumen di dalam bab.")):
    bagian: Literal["visi", "misi"] = Field(examples=["misi"], description=(
        "Prints the document's visi or misi here, inside a chapter, instead of before the chapters"),
        json_schema_extra=_hint("Mencetak visi atau misi dokumen di sini, di dalam bab, bukan sebelum bab-bab; "
                                "masing-masing sekali."))


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
                                   "{rekap: indikator} or {bagian: misi}", json_schema_extra={_MARK: "Blok"})]


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
                  Field(description="A number (75.25) or text (\"WTP\")", json_schema_extra={_MARK: "Nilai"})]


def _indikator_snippet(first: int) -> dict:
    """An indikator for the editor to insert, with five years of target; its tab stops count from first."""
    target = {f"${{{first + 3 + 2 * i}:{2025 + i}}}": f"${{{first + 4 + 2 * i}:{78 + i}}}" for i in range(5)}
    return {"nama": f"${{{first}:Indeks Kepuasan Masyarakat}}", "satuan": f"${{{first + 1}:indeks}}",
            "awal": f"${{{first + 2}:76}}", "target": target, "akhir": f"${{{first + 13}:82}}"}


class Indikator(Strict, json_schema_extra=_hint(
        "Indikator kinerja dengan target untuk setiap tahun periode.",
        defaultSnippets=[{"label": "Indikator", "description": "Indikator dengan satuan, kondisi awal, target lima "
                          "tahun dan kondisi akhir.", "body": _indikator_snippet(1)}])):
    """A performance indicator with a target for every year of the period."""

    nama: Teks = Field(description="What is measured", examples=["Indeks Kepuasan Masyarakat"],
                       json_schema_extra=_hint("Nama indikator: apa yang diukur."))
    satuan: Nama = Field(description="Unit, e.g. %, indeks, dokumen", examples=["%"],
                         json_schema_extra=_hint("Satuan ukuran, misalnya %, indeks, dokumen, rupiah."))
    awal: Nilai | None = Field(default=None, examples=[76.5, "WTP"],
                               description="Kondisi awal: the value in the year before the period",
                               json_schema_extra=_hint("Kondisi awal: nilai pada tahun sebelum periode, angka atau "
                                                       "teks."))
    target: dict[Annotated[str, Field(pattern=r"^\d{4}$")], Nilai] = Field(
        json_schema_extra=_hint("Target setiap tahun periode, satu nilai untuk tiap tahun, misalnya {2022: 80, "
                                "2023: 82, ...}.", additionalProperties=False),
        examples=[{"2022": 80, "2023": 82, "2024": 84, "2025": 86, "2026": 88}],
        description="The target of each year of the period, e.g. {2022: 80, 2023: 82, ...}")
    akhir: Nilai | None = Field(default=None, examples=[88, "WTP"],
                                description="Kondisi akhir: the value at the end of the period",
                                json_schema_extra=_hint("Kondisi akhir: nilai pada akhir periode, angka atau teks."))


class Sasaran(Strict, json_schema_extra=_hint(
        "Sasaran dari suatu tujuan, dengan indikator, strategi dan arah kebijakan.",
        defaultSnippets=[{"label": "Sasaran", "description": "Sasaran dengan indikator, strategi dan arah "
                          "kebijakan.", "body": {
                              "judul": "${1:Meningkatnya kualitas pelayanan administrasi}",
                              "indikator": [_indikator_snippet(2)],
                              "strategi": ["${16:Menyederhanakan alur pelayanan.}"],
                              "arah_kebijakan": ["${17:Menerapkan standar pelayanan.}"]}}])):
    """An objective of a goal."""

    judul: Teks = Field(description="The objective", examples=["Meningkatnya kepuasan masyarakat atas layanan"],
                        json_schema_extra=_hint("Rumusan sasaran."))
    indikator: list[Indikator] = Field(default_factory=list, description="How the objective is measured",
                                       json_schema_extra=_hint("Indikator kinerja sasaran."))
    strategi: list[Blok] = Field(default_factory=list, description="How the objective is reached",
                                 examples=[["Menyederhanakan alur pelayanan."]],
                                 json_schema_extra=_hint("Strategi untuk mencapai sasaran."))
    arah_kebijakan: list[Blok] = Field(default_factory=list, description="Policy directions",
                                       examples=[["Menerapkan standar pelayanan."]],
                                       json_schema_extra=_hint("Arah kebijakan untuk mencapai sasaran."))


class Tujuan(Strict, json_schema_extra=_hint(
        "Tujuan dari suatu misi, dengan indikator dan sasaran.",
        defaultSnippets=[{"label": "Tujuan", "description": "Tujuan dengan indikator dan satu sasaran.", "body": {
            "judul": "${1:Meningkatkan kualitas pelayanan publik}", "indikator": [_indikator_snippet(2)],
            "sasaran": [{"judul": "${16:Meningkatnya kepuasan masyarakat atas pelayanan}"}]}}])):
    """A goal of a mission."""

    judul: Teks = Field(description="The goal", examples=["Meningkatkan kualitas pelayanan publik"],
                        json_schema_extra=_hint("Rumusan tujuan."))
    indikator: list[Indikator] = Field(default_factory=list, description="How the goal is measured",
                                       json_schema_extra=_hint("Indikator kinerja tujuan."))
    sasaran: list[Sasaran] = Field(default_factory=list, description="The objectives of the goal",
                                   json_schema_extra=_hint("Sasaran dari tujuan ini."))


class Misi(Strict, json_schema_extra=_hint(
        "Satu misi: rumusannya, dengan atau tanpa makna dan tujuan.",
        defaultSnippets=[
            {"label": "Misi", "description": "Rumusan misi dengan maknanya.",
             "body": {"judul": "${1:Meningkatkan Kualitas Pelayanan Publik.}", "makna": ["${2:Makna misi.}"]}},
            {"label": "Misi dengan tujuan", "description": "Rumusan misi dengan satu tujuan dan sasarannya.",
             "body": {"judul": "${1:Meningkatkan Kualitas Pelayanan Publik.}", "tujuan": [
                 {"judul": "${2:Meningkatkan kualitas pelayanan publik}",
                  "sasaran": [{"judul": "${3:Meningkatnya kepuasan masyarakat atas pelayanan}"}]}]}}])):
    judul: Teks = Field(description="The mission statement", examples=["Meningkatkan Kualitas Pelayanan Publik."],
                        json_schema_extra=_hint("Rumusan misi."))
    makna: list[Blok] = Field(default_factory=list, description="What the mission means: paragraphs, lists, tables",
                              json_schema_extra=_hint("Makna misi: paragraf, daftar (mulai dari tingkat a.), "
                                                      "tabel."))
    tujuan: list[Tujuan] = Field(default_factory=list, description="The goals of the mission",
                                 json_schema_extra=_hint("Tujuan dari misi ini."))

    @property
    def has_section(self) -> bool:
        """Whether the mission gets a heading of its own (it has more than its statement)."""
        return bool(self.makna or self.tujuan)


class BagianMisi(Strict, json_schema_extra=_hint(
        "Misi dengan judul, pengantar dan nomor pertamanya sendiri.")):
    """The missions with their own introduction and first number."""

    judul: Teks | None = Field(default=None, examples=["MISI"], description="Heading above the missions",
                              json_schema_extra=_hint("Judul di atas misi, misalnya MISI."))
    pengantar: list[Blok] | None = Field(default=None, description=(
        "Replaces 'Rumusan Misi ... adalah sebagai berikut :'; [] leaves it out"), json_schema_extra=_hint(
        "Pengganti kalimat 'Rumusan Misi ... adalah sebagai berikut :'; [] berarti tanpa pengantar."))
    mulai: Mulai = Field(default=1, examples=[2], description="The first mission's number",
                         json_schema_extra=_hint("Nomor misi pertama (bawaan 1)."))
    pengantar_makna: list[Blok] | None = Field(default=None, description=(
        "Replaces 'Makna 4 (empat) Misi tersebut di atas dapat dijabarkan sebagai berikut :'; [] leaves it out"),
        json_schema_extra=_hint("Pengganti kalimat 'Makna 4 (empat) Misi tersebut di atas dapat dijabarkan "
                                "sebagai berikut :'; [] berarti tanpa kalimat itu."))
    daftar: list[Misi] = Field(min_length=1, description="The missions, in order",
                               json_schema_extra=_hint("Misi-misi, berurutan."))


class Visi(Strict, json_schema_extra=_hint(
        "Visi: satu rumusan yang dicetak tersendiri, dengan pengantar dan penjelasannya.",
        defaultSnippets=[{"label": "Visi", "description": "Visi dengan rumusan dan penjelasannya.", "body": {
            "judul": "VISI", "pernyataan": "${1:Terwujudnya Pelayanan Kecamatan yang Prima}",
            "penjelasan": ["${2:Penjelasan visi.}"]}}])):
    """The vision: one statement printed set apart, with what comes before and after it."""

    judul: Teks | None = Field(default=None, examples=["VISI"], description="Heading above the vision",
                              json_schema_extra=_hint("Judul di atas visi, misalnya VISI."))
    pengantar: list[Blok] = Field(default_factory=list, description="Before the statement",
                                  json_schema_extra=_hint("Paragraf sebelum rumusan visi."))
    pernyataan: Teks = Field(description="The vision statement, printed centred and bold in quotes",
                             examples=["Terwujudnya Pelayanan Kecamatan yang Prima"],
                             json_schema_extra=_hint("Rumusan visi, dicetak di tengah, tebal, dalam tanda petik."))
    penjelasan: list[Blok] = Field(default_factory=list, description=(
        "After the statement: its key words, an acronym's letters, their meaning"), json_schema_extra=_hint(
        "Penjelasan sesudah rumusan visi: kata kunci, kepanjangan akronim, dan maknanya."))


class Subbab(Strict, json_schema_extra=_hint("Subbab: judul dan isinya.")):
    judul: Teks = Field(json_schema_extra=_hint("Judul subbab."))
    isi: list[Blok] = Field(min_length=1, json_schema_extra=_hint("Isi subbab."))


class Bab(Strict, json_schema_extra=_hint("Bab Renstra lengkap: judul, isi dan subbab.")):
    judul: Teks = Field(description="e.g. PENDAHULUAN (the 'BAB I' is added)", examples=["PENDAHULUAN"],
                        json_schema_extra=_hint("Judul bab, misalnya PENDAHULUAN (kata 'BAB I' ditambahkan)."))
    isi: list[Blok] = Field(default_factory=list, json_schema_extra=_hint("Isi bab sebelum subbab pertama."))
    subbab: list[Subbab] = Field(default_factory=list, json_schema_extra=_hint("Subbab-subbab bab ini."))


MisiSumber = Annotated[Union[Annotated[list[Misi], Tag("misi-daftar")], Annotated[BagianMisi, Tag("misi-bagian")]],
                       Discriminator(lambda v: "misi-bagian" if isinstance(v, dict) else "misi-daftar"),
                       Field(description="The missions: a list, or {pengantar, mulai, daftar}")]


class Renstra(Strict, json_schema_extra=_hint(
        "Sumber Renstra: satu berkas YAML berisi dokumen, instansi, visi, misi dan/atau bab.",
        title="Sumber Renstra", defaultSnippets=[{
            "label": "Renstra baru", "description": "Kerangka sumber: dokumen, instansi, penanda tangan dan misi.",
            "body": {"dokumen": {"judul": "${1:MISI KECAMATAN CONTOH}",
                                 "periode": {"mulai": "${2:2025}", "selesai": "${3:2029}"},
                                 "tempat": "${4:Magelang}", "tanggal": "${5:2025-01-02}", "versi": "^\"${6:1.0}\""},
                     "instansi": {"nama": "${7:Kecamatan Contoh}", "daerah": "${8:Kota Magelang}"},
                     "penandatangan": {"jabatan": "${9:Camat Contoh}"},
                     "misi": [{"judul": "${10:Meningkatkan Kualitas Pelayanan Publik.}"}]}}])):
    """One Renstra document."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Renstra source")

    dokumen: Dokumen = Field(json_schema_extra=_hint("Keterangan dokumen: judul, periode, tempat, tanggal, versi."))
    instansi: Instansi = Field(json_schema_extra=_hint("Instansi penyusun: tingkat, nama, daerah."))
    penandatangan: Penandatangan | None = Field(default=None, json_schema_extra=_hint(
        "Penanda tangan; hanya yang diisi yang dicetak."))
    tata_letak: TataLetak = Field(default_factory=TataLetak, json_schema_extra=_hint(
        "Pengaturan tata letak: kertas, huruf, margin, sampul, kop."))
    visi: Visi | None = Field(default=None, json_schema_extra=_hint("Visi: rumusan, pengantar dan penjelasannya."))
    misi: MisiSumber | None = Field(default=None, json_schema_extra=_hint(
        "Misi: daftar misi, atau {judul, pengantar, mulai, pengantar_makna, daftar}."))
    bab: list[Bab] = Field(default_factory=list, json_schema_extra=_hint(
        "Bab-bab Renstra lengkap (BAB I Pendahuluan ... BAB VIII Penutup); memberi daftar isi."))
    rekap: list[Literal[REKAP]] = Field(default_factory=list, description=(
        "Generated tables printed after the missions: tujuan-sasaran, indikator"), examples=[["tujuan-sasaran",
                                                                                              "indikator"]],
        json_schema_extra=_hint("Tabel rekap yang dicetak sesudah misi: tujuan-sasaran, indikator."))

    @model_validator(mode="after")
    def _has_content(self):
        if not self.visi and not self.misi and not self.bab:
            raise ValueError(_("the document has no content: add 'visi', 'misi' (the missions) or 'bab' "
                               "(the chapters)"))
        return self

    @functools.cached_property
    def missions(self) -> BagianMisi | None:
        """The missions in their one resolved form, whichever way the source wrote them."""
        if self.misi is None or isinstance(self.misi, BagianMisi):
            return self.misi
        return BagianMisi(daftar=self.misi)


# --- the editor's JSON Schema ------------------------------------------------------------------
# pydantic gives the shape of a source; check (renstra.diagnostics) applies rules beyond one field.
# json_schema() writes those rules into the schema as far as JSON Schema can say them, so that the
# editor underlines what check refuses. It never refuses what a person would write and check
# accepts; it does refuse coercions of pydantic's that no source should lean on (a switch written 1
# or "yes", a date with a zero time of day or as a count of seconds, a figure past 18 digits written
# as a float). It keeps to the keywords of draft 7, which VS Code's YAML extension checks:
# maxContains (2019-09) stands only where an editor that ignores it checks less, never more.
# tests/test_schema.py names each rule of check's that JSON Schema cannot say.

_REF = "#/$defs/"
# What check refuses anywhere in a source (renstra.source._invisible): control characters but the
# tab and the line break, the line and paragraph separators, and two non-characters.
_INVISIBLE = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
# The very end of the text: '$' also matches before a final line break in Python's dialect.
_END = r"(?![\s\S])"
# The years and days check accepts (Periode, Dokumen.tanggal): 1945 to 2200, leap days included.
_YEAR = r"(?:19(?:4[5-9]|[5-9][0-9])|2(?:[01][0-9]{2}|200))"
_LEAP_YEAR = (r"(?:19(?:48|[57][26]|[68][048]|9[26])|20(?:[02468][048]|[13579][26])"
              r"|21(?:0[48]|[2468][048]|[13579][26]))")
_MONTH_DAY = (r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
              r"|02-(?:0[1-9]|1[0-9]|2[0-8]))")
# The widest table whose rows the schema compares, one branch per width; wider ones are check's.
_WIDEST_TABLE = 30
# Lists of blocks that are not plain 'Blok': a mission's first list is level 2 (a.), and only a
# chapter places the visi or misi (block_lists below, diagnostics._check_placed).
_BLOCK_PLACES = {("Misi", "makna"): "BlokMisi", ("Sasaran", "strategi"): "BlokMisi",
                 ("Sasaran", "arah_kebijakan"): "BlokMisi", ("Bab", "isi"): "BlokBab", ("Subbab", "isi"): "BlokBab"}
_ANNOTATIONS = ("title", "description", "examples", "default")


def json_schema() -> dict:
    """The JSON Schema that editors use to complete and check sources: pydantic's, with check's
    other rules written in as far as JSON Schema can say them."""
    schema = _refer(Renstra.model_json_schema())
    defs = schema["$defs"]
    defs.update(_shared_definitions())
    for (part, key), blocks in _BLOCK_PLACES.items():
        _array(defs[part]["properties"][key])["items"] = {"$ref": _REF + blocks}
    _unroll_lists(defs)
    for rows in ("kepala", "baris"):
        defs["Tabel"]["properties"][rows]["items"]["items"] = {"$ref": _REF + "Sel"}
    defs["Tabel"]["allOf"] = [_rows_rule()]
    target = defs["Indikator"]["properties"]["target"]
    target["patternProperties"] = {f"^{_YEAR}{_END}": {"$ref": _REF + "Nilai"}}
    target["minProperties"] = 1
    defs["Instansi"]["properties"]["lambang"]["anyOf"][0] = {"$ref": _REF + "Lambang"}
    defs["Instansi"]["allOf"] = _instansi_rules()
    for part in ("visi", "misi"):
        block = _key("bagian", {"const": part})
        defs["Bab"].setdefault("allOf", []).extend([
            {"not": {"allOf": [_key("isi", _some(block)), _key("subbab", _some(_key("isi", _some(block))))]}},
            {"properties": {"isi": _at_most_one(block), "subbab": _at_most_one(_key("isi", _some(block)))}}])
        defs["Subbab"].setdefault("allOf", []).append({"properties": {"isi": _at_most_one(block)}})
    schema["allOf"] = _document_rules()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _refer(node, field: bool = False):
    """pydantic's schema with each marked type (Teks, Nama, Nilai, Blok) and each date replaced by
    a reference to its one definition; a field keeps its own title, description and examples."""
    if isinstance(node, list):
        return [_refer(item) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get(_MARK) or ("Tanggal" if node.get("format") == "date" else None)
    if kind:
        return {"$ref": _REF + kind, **({k: node[k] for k in _ANNOTATIONS if k in node} if field else {})}
    referred = {}
    for key, value in node.items():
        if key in ("properties", "patternProperties", "$defs"):
            referred[key] = {name: _refer(sub, field=key == "properties") for name, sub in value.items()}
        elif key in _ANNOTATIONS or key == "defaultSnippets":
            referred[key] = value
        else:
            referred[key] = _refer(value)
    return referred


def _array(field: dict) -> dict:
    """The array schema of a field that may also be null."""
    return field if "items" in field else next(s for s in field["anyOf"] if s.get("type") == "array")


def _key(key: str, schema: dict) -> dict:
    """An object whose key holds a value matching schema."""
    return {"type": "object", "required": [key], "properties": {key: schema}}


def _some(schema: dict) -> dict:
    """A list with an item matching schema."""
    return {"type": "array", "contains": schema}


def _given(key: str) -> dict:
    return {"required": [key], "properties": {key: {"not": {"type": "null"}}}}


def _at_most_one(schema: dict) -> dict:
    """A list with at most one item matching schema; an editor without maxContains checks nothing."""
    return {"if": {"contains": schema}, "then": {"contains": schema, "maxContains": 1}}


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in word)


def _nowhere(pattern: str) -> str:
    return rf"(?![\s\S]*{pattern})"


def _link_pattern() -> str:
    """A link or image that markdown-it surely makes of a text, which check_markup refuses:
    '[text](address)' after an even number of backslashes, without brackets in the text or a
    space, bracket or backslash in the address, and not to one of the protocols markdown-it leaves
    as text. Rarer forms (a title, nested brackets) are left to check."""
    unsafe = "|".join(_any_case(protocol) + ":" for protocol in ("javascript", "vbscript", "file", "data"))
    return rf"(?:^|[^\\])(?:\\\\)*!?\[[^\[\]\\]*\]\((?!{unsafe})[^\s()<>\\]*\)"


def _shared_definitions() -> dict:
    suffixes = "|".join(_any_case(suffix[1:]) for suffix in IMAGE_SIGNATURES)
    largest = 10 ** MAX_DIGITS - 1
    return {
        "Teks": {"type": "string", "description": (
            "Teks. *miring* untuk istilah asing, **tebal** untuk penegasan; garis miring terbalik (\\) sebelum "
            "suatu tanda mencetak tanda itu apa adanya."),
            "pattern": "^" + _nowhere(f"[{_INVISIBLE}]") + _nowhere(rf"\S{{{MAX_WORD + 1}}}")
                       + _nowhere(_link_pattern()) + r"[\s\S]*\S",
            "patternErrorMessage": (
                "Teks tidak boleh kosong dan tidak boleh memuat karakter kendali, pemisah baris tak terlihat, "
                f"tautan [teks](alamat), atau kata lebih dari {MAX_WORD} huruf tanpa spasi.")},
        "Nama": {"type": "string", "minLength": 1, "description": "Teks satu baris.",
                 "pattern": "^" + _nowhere(rf"[\t{_INVISIBLE}]") + r"\s*(?:\S+(?:[^\S\n]+\S+)*)?\s*" + _END,
                 "patternErrorMessage": "Ditulis dalam satu baris, tanpa pindah baris, tab atau karakter kendali."},
        "Lambang": {"type": "string", "allOf": [{"$ref": _REF + "Nama"}], "description": (
            "Nama berkas gambar PNG atau JPEG di samping sumber, misalnya lambang.png."),
            "pattern": rf"^(?![A-Za-z][A-Za-z0-9+.\-]*:)(?!/)[\s\S]*[^/]\.(?:{suffixes}){_END}",
            "patternErrorMessage": ("Tulis nama berkas PNG atau JPEG di folder sumber (misalnya lambang.png), "
                                    "bukan alamat internet atau path mutlak.")},
        "Tanggal": {"type": "string", "format": "date", "examples": ["2013-03-03"],
                    "description": "Tanggal, ditulis tahun-bulan-tanggal, misalnya 2013-03-03.",
                    "pattern": rf"^(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29){_END}",
                    "patternErrorMessage": ("Tanggal ditulis tahun-bulan-tanggal (2013-03-03) dan ada di "
                                            "kalender, antara tahun 1945 dan 2200.")},
        "Angka": {"type": "number", "minimum": -largest, "maximum": largest, "description": (
            "Angka, misalnya 1250000000 atau 2.5; tabel mencetaknya 1.250.000.000 dan 2,5. Tahun bukan "
            "besaran: tulis dalam tanda kutip (\"2022\").")},
        "Nilai": {"description": "Nilai: angka (75.25) atau teks (\"WTP\").",
                  "anyOf": [{"$ref": _REF + "Angka"}, {"$ref": _REF + "Teks"}]},
        "Sel": {"description": "Sel tabel: teks, angka, atau {teks, gabung_kolom, gabung_baris} untuk sel gabungan.",
                "anyOf": [{"$ref": _REF + "Teks"}, {"$ref": _REF + "Angka"}, {"$ref": _REF + "SelRinci"}]},
        "Blok": _blocks("BlokDaftar", "Blok isi: paragraf (teks), daftar {daftar: [...]}, tabel {tabel: {...}} atau "
                                      "tabel rekap {rekap: indikator}."),
        "BlokMisi": _blocks("BlokDaftar2", "Blok isi di dalam misi: paragraf, daftar (dimulai dari tingkat 2, a.), "
                                           "tabel atau tabel rekap."),
        "BlokBab": _blocks("BlokDaftar", "Blok isi bab: paragraf, daftar, tabel, tabel rekap, atau tempat visi "
                                         "atau misi dokumen {bagian: misi}.", bagian=True),
    }


def _blocks(daftar: str, description: str, bagian: bool = False) -> dict:
    kinds = ["Teks", daftar, "BlokTabel", "BlokRekap"] + ["BlokBagian"] * bagian
    return {"description": description, "anyOf": [{"$ref": _REF + kind} for kind in kinds]}


def _unroll_lists(defs: dict) -> None:
    """One definition per list level, so that the schema counts the depth check counts
    (diagnostics._check_list): Butir is an item of a level-1 list, ButirRinci6's has no 'daftar'."""
    base = defs.pop("ButirRinci")
    for level in range(1, MAX_LIST_LEVEL + 1):
        suffix = "" if level == 1 else str(level)
        item = copy.deepcopy(base)
        item["title"] = f"ButirRinci{suffix}"
        if level < MAX_LIST_LEVEL:
            _array(item["properties"]["daftar"])["items"] = {"$ref": f"{_REF}Butir{level + 1}"}
        else:
            item["properties"]["daftar"] = {
                "type": "null", "title": "Daftar", "description": (
                    f"Daftar bertingkat paling dalam {MAX_LIST_LEVEL} tingkat ({' '.join(DEFAULT_MARKERS)}); "
                    "butir tingkat ini tidak lagi memuat daftar."),
                "errorMessage": (f"Daftar ini akan menjadi tingkat {MAX_LIST_LEVEL + 1}; daftar bertingkat paling "
                                 f"dalam {MAX_LIST_LEVEL} tingkat (di dalam misi, daftar pertama sudah tingkat 2). "
                                 "Gabungkan dengan tingkat di atasnya atau pecah butirnya.")}
        item["allOf"] = [{"anyOf": [_given("istilah"), _given("teks"), _given("daftar")]},
                         {"if": {"anyOf": [_given("tanda"), _given("mulai")]}, "then": _given("daftar")}]
        defs[f"ButirRinci{suffix}"] = item
        defs[f"Butir{suffix}"] = {
            "description": f"Butir daftar tingkat {level} ({DEFAULT_MARKERS[level - 1]}): teks, atau "
                           "{istilah, teks, daftar}.",
            "anyOf": [{"$ref": _REF + "Teks"}, {"$ref": f"{_REF}ButirRinci{suffix}"}]}
    first = defs["BlokDaftar"]
    first["properties"]["daftar"]["items"] = {"$ref": _REF + "Butir"}
    second = copy.deepcopy(first)
    second["title"] = "BlokDaftar2"
    second["properties"]["daftar"]["items"] = {"$ref": _REF + "Butir2"}
    defs["BlokDaftar2"] = second


def _rows_rule() -> dict:
    """Rows of one width (diagnostics._check_table), said for a table without merged cells, whose
    row is as wide as it has cells."""
    parts = ("kepala", "baris")
    merged = {"type": "object", "anyOf": [{"required": [key], "properties": {key: {"not": {"const": 1}}}}
                                          for key in ("gabung_kolom", "gabung_baris")]}
    widths = [{"properties": {part: {"items": {"minItems": n, "maxItems": n}} for part in parts}}
              for n in range(_WIDEST_TABLE + 1)]
    widths.append({"properties": {part: {"items": {"minItems": _WIDEST_TABLE + 1}} for part in parts}})
    return {"if": {"properties": {part: {"items": {"items": {"not": merged}}} for part in parts}},
            "then": {"anyOf": widths}}


def _instansi_rules() -> list:
    """A region names no 'daerah' and every other unit does; a desa or kelurahan, and only they,
    name their kecamatan (diagnostics._check_instansi)."""
    def level(levels):
        return {"required": ["tingkat"], "properties": {"tingkat": {"enum": list(levels)}}}

    def text(key):
        return {"required": [key], "properties": {key: {"type": "string"}}}

    def none(key, message):
        return {"properties": {key: {"type": "null", "errorMessage": message}}}

    return [{"if": level(REGIONS), "then": none("daerah", "Provinsi, kabupaten atau kota adalah daerah itu sendiri: "
                                                           "hapus 'daerah'."), "else": text("daerah")},
            {"if": level(VILLAGES), "then": text("kecamatan"),
             "else": none("kecamatan", "'kecamatan' hanya untuk desa atau kelurahan: hapus, atau ubah 'tingkat'.")}]


def _in_chapter(block: dict) -> dict:
    """A chapter with block in its 'isi' or in the 'isi' of one of its subbab."""
    return {"anyOf": [_key("isi", _some(block)), _key("subbab", _some(_key("isi", _some(block))))]}


def _in_blocks(block: dict) -> dict:
    """A document with block in one of its lists of blocks (block_lists)."""
    some = _some(block)
    sasaran = {"anyOf": [_key("strategi", some), _key("arah_kebijakan", some)]}
    misi = {"anyOf": [_key("makna", some), _key("tujuan", _some(_key("sasaran", _some(sasaran))))]}
    return {"anyOf": [
        _key("visi", {"anyOf": [_key("pengantar", some), _key("penjelasan", some)]}),
        _key("misi", {"anyOf": [_some(misi), _key("daftar", _some(misi)), _key("pengantar", some),
                                _key("pengantar_makna", some)]}),
        _key("bab", _some(_in_chapter(block)))]}


def _document_rules() -> list:
    """Rules about the whole document: it has content (Renstra._has_content); generated tables need
    indikator, and indikator need 'rekap: indikator'; a part is placed only if the document has it,
    and once (diagnostics._check_placed)."""
    listed = {"type": "array", "minItems": 1}
    tujuan = {"anyOf": [_key("indikator", listed), _key("sasaran", _some(_key("indikator", listed)))]}
    mission = _key("tujuan", _some(tujuan))
    indicators = _key("misi", {"anyOf": [_some(mission), _key("daftar", _some(mission))]})
    tables = {"anyOf": [_key("rekap", listed), _in_blocks({"type": "object", "required": ["rekap"]})]}
    indicator_table = {"anyOf": [_key("rekap", _some({"const": "indikator"})),
                                 _in_blocks(_key("rekap", {"const": "indikator"}))]}
    rules = [{"anyOf": [_key("visi", {"type": "object"}),
                        _key("misi", {"anyOf": [listed, {"type": "object"}]}), _key("bab", listed)]},
             {"if": tables, "then": indicators},
             {"if": indicators, "then": indicator_table}]
    for part in ("visi", "misi"):
        placed = _key("bab", _some(_in_chapter(_key("bagian", {"const": part}))))
        rules.append({"if": placed, "then": _key(part, {"not": {"type": "null"}})})
        rules.append({"properties": {"bab": _at_most_one(_in_chapter(_key("bagian", {"const": part})))}})
    return rules


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


