"""`renstra new`: the first source of a new document, from questions or options. It passes check
and builds, and holds short Indonesian comments and sample blocks (marked CONTOH) to replace."""

from __future__ import annotations

import datetime
import json
import os
import re
import string
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import validate_source
from .errors import RenstraError, SourceError
from .i18n import N_, _
from .model import REGIONS, TINGKAT, VILLAGES
from .outputs import shown_path, write_new
from .paths import PROJECT, SOURCES
from .source import parse_source

SCHEMA = PROJECT / "schema" / "renstra.schema.json"
DEFAULT_MODELINE = "../schema/renstra.schema.json"
# A name or an office's title is one line; longer than this is a paste gone wrong.
MAX_ANSWER = 200
FIRST_YEAR, LAST_YEAR = 1945, 2200  # what the model accepts (Periode)
USUAL_YEARS = 5
MAX_YEARS = 30  # the sample indicator gets a target for every year: more is no plan
MAX_NAME = 150  # bytes of a source's name without .yaml, as build refuses longer ones
# Names make can carry (Makefile, SAFE): letters, digits, '.', '-' and '_'.
SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+\.yaml$")
TRIES = 5  # wrong answers to one question before giving up (a pipe would otherwise loop for ever)

# The word a unit's name starts with, and the title of its head: "Kecamatan Magelang Utara" is
# signed by the "Camat Magelang Utara". Only a suggestion: the answer or --jabatan decides.
HEADS = {"provinsi": "Gubernur", "kabupaten": "Bupati", "kota": "Wali Kota", "kecamatan": "Camat",
         "kelurahan": "Lurah", "desa": "Kepala Desa"}


class NewSourceError(RenstraError):
    """An answer or option that cannot make a source; said plainly, exit 1."""


@dataclass
class Answers:
    tingkat: str
    nama: str
    daerah: str | None
    kecamatan: str | None
    mulai: int
    selesai: int
    tempat: str
    tanggal: datetime.date
    jabatan: str
    penandatangan: str | None


def add_options(parser) -> None:
    """The options of `renstra new` (cli._parser adds the subcommand)."""
    parser.add_argument("--nama", help=_("name of the unit, e.g. \"Kecamatan Magelang Utara\""))
    parser.add_argument("--tingkat", help=_("level of the unit: {choices} (default: kecamatan)")
                        .format(choices=", ".join(TINGKAT)))
    parser.add_argument("--daerah", help=_("the region the unit belongs to, e.g. \"Kota Magelang\""))
    parser.add_argument("--kecamatan", help=_("for a desa or kelurahan: its kecamatan"))
    parser.add_argument("--mulai", help=_("first year of the period, e.g. 2025"))
    parser.add_argument("--selesai", help=_("last year of the period (default: four years after --mulai)"))
    parser.add_argument("--tempat", help=_("place of signing (default: from the region's name)"))
    parser.add_argument("--tanggal", help=_("date of the document, year-month-day (default: today)"))
    parser.add_argument("--jabatan", help=_("the signer's office, e.g. \"Camat Magelang Utara\""))
    parser.add_argument("--penandatangan", help=_("the signer's name with academic titles (may be left out)"))
    parser.add_argument("--keluar", type=Path, metavar=_("FILE"),
                        help=_("the file to write (default: source/renstra-NAME-PERIOD.yaml); an "
                               "existing file is never overwritten"))
    parser.add_argument("--non-interaktif", "--yes", dest="non_interactive", action="store_true",
                        help=_("ask nothing: use the options and their defaults only"))


def run(args, ask=None) -> int:
    """`renstra new`: ask what the options leave open, write the source, say what to do next."""
    options = {key: getattr(args, key) for key in ("nama", "tingkat", "daerah", "kecamatan", "mulai", "selesai",
                                                    "tempat", "tanggal", "jabatan", "penandatangan")}
    answers = gather(options, interactive=not args.non_interactive, ask=ask or input)
    target = Path(args.keluar) if args.keluar else SOURCES / default_name(answers)
    try:
        path = write_source(answers, target)
    except OSError as exc:  # a folder that cannot be written, a full disk
        where = f": {shown_path(exc.filename)}" if exc.filename else ""
        print(f"{exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    print(_("wrote {path}").format(path=shown_path(path)))
    print(_("Replace every CONTOH with the document's own text, then check it: renstra check {path}")
          .format(path=shown_path(path)))
    return 0


# --- the answers ---------------------------------------------------------------------------------

def _refuse(message: str) -> None:
    raise NewSourceError(message)


def check_text(value: str, what: str) -> str:
    """One line of text: not empty, not too long, no invisible character or line break."""
    value = value.strip(" ")
    if not value.strip():
        _refuse(_("{what} is empty; write it").format(what=what))
    if len(value) > MAX_ANSWER:
        _refuse(_("{what} is {length} characters long; at most {most}").format(
            what=what, length=len(value), most=MAX_ANSWER))
    hidden = next((c for c in value if _invisible(c)), None)
    if hidden is not None:
        # check would refuse it in a one-line field (and an escape in quotes that makes one).
        _refuse(_("{what} holds a line break, a tab or the invisible character U+{code:04X}; write it on "
                  "one line without it").format(what=what, code=ord(hidden)))
    return value


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") or char in "\ufffe\uffff"


def check_year(value: str, what: str) -> int:
    value = value.strip()
    if not re.fullmatch(r"[0-9]{4}", value):
        _refuse(_("{what}: '{value}' is not a year; write four digits, e.g. 2025").format(what=what, value=value))
    year = int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        _refuse(_("{what}: {year} is not between {first} and {last}").format(
            what=what, year=year, first=FIRST_YEAR, last=LAST_YEAR))
    return year


def check_tingkat(value: str, what: str) -> str:
    value = value.strip().lower()
    if value not in TINGKAT:
        _refuse(_("{what}: '{value}' is not a level; choose one of {choices}").format(
            what=what, value=value, choices=", ".join(TINGKAT)))
    return value


def check_date(value: str, what: str) -> datetime.date:
    value = value.strip()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except ValueError:
        _refuse(_("{what}: '{value}' is not a date; write year-month-day, e.g. 2025-03-21")
                .format(what=what, value=value))
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        _refuse(_("{what}: {year} is not between {first} and {last}").format(
            what=what, year=day.year, first=FIRST_YEAR, last=LAST_YEAR))
    return day


def _optional(value: str, what: str) -> str | None:
    return check_text(value, what) if value.strip() else None


@dataclass(frozen=True)
class Question:
    key: str  # the option's name without --
    prompt: str  # English, marked with N_(), shown through _()
    check: object  # (value, what) -> the value
    needed: object = None  # (answers so far) -> bool; None: always
    default: object = None  # (answers so far) -> str | None
    optional: bool = False  # an empty answer is allowed (and means: not given)


def _stem(name: str) -> str | None:
    """The name without the level word it starts with: "Kota Magelang" -> "Magelang"."""
    first, _space, rest = name.partition(" ")
    return rest.strip() if first.lower() in HEADS and rest.strip() else None


def suggested_jabatan(answers: dict) -> str | None:
    nama = answers["nama"]
    first = nama.partition(" ")[0].lower()
    if first in HEADS and _stem(nama):
        return f"{HEADS[first]} {_stem(nama)}"
    if answers["tingkat"] == "perangkat-daerah":
        return f"Kepala {nama}"
    return None


def suggested_tempat(answers: dict) -> str | None:
    """Where such a unit signs: a region or a village in its own name, a kecamatan or an office
    in its region's (Magelang for Kecamatan Magelang Utara, Kota Magelang)."""
    if answers["tingkat"] in REGIONS + VILLAGES:
        return _stem(answers["nama"])
    return _stem(answers["daerah"] or "")


QUESTIONS = (
    Question("tingkat", N_("Level of the unit ({choices})"), check_tingkat, default=lambda a: "kecamatan"),
    Question("nama", N_("Name of the unit (e.g. Kecamatan Magelang Utara)"), check_text),
    Question("daerah", N_("The region it belongs to (e.g. Kota Magelang)"), check_text,
             needed=lambda a: a["tingkat"] not in REGIONS),
    Question("kecamatan", N_("Its kecamatan (e.g. Kecamatan Mertoyudan)"), check_text,
             needed=lambda a: a["tingkat"] in VILLAGES),
    Question("mulai", N_("First year of the period (e.g. 2025)"), check_year),
    Question("selesai", N_("Last year of the period"), check_year, default=lambda a: str(a["mulai"] + USUAL_YEARS - 1)),
    Question("tempat", N_("Place of signing"), check_text, default=suggested_tempat),
    Question("tanggal", N_("Date of the document, year-month-day"), check_date,
             default=lambda a: datetime.date.today().isoformat()),
    Question("jabatan", N_("The signer's office (e.g. Camat Magelang Utara)"), check_text, default=suggested_jabatan),
    Question("penandatangan", N_("The signer's name with academic titles (Enter: leave it out)"), _optional,
             optional=True),
)


def gather(options: dict, interactive: bool, ask=None) -> Answers:
    """The answers: each option given is taken as it is; what is left is asked, or takes its
    default without --non-interaktif; a wrong option stops with exit 1, a wrong answer is asked again."""
    answers: dict = {}
    for question in QUESTIONS:
        given = options.get(question.key)
        what = f"--{question.key}"
        if question.needed is not None and not question.needed(answers):
            if given is not None:
                _refuse(_not_needed(question.key, answers["tingkat"]))
            answers[question.key] = None
            continue
        default = question.default(answers) if question.default else None
        if given is not None:
            answers[question.key] = _checked(question, given, what, answers)
        elif interactive:
            answers[question.key] = _ask(question, default, ask or input, answers)
        elif default is not None:
            answers[question.key] = _checked(question, default, what, answers)
        elif question.optional:
            answers[question.key] = None
        else:
            _refuse(_("{option} is needed (or leave out --non-interaktif to be asked)").format(option=what))
    return Answers(**answers)


def _checked(question: Question, value: str, what: str, answers: dict) -> object:
    checked = question.check(value, what)
    if question.key == "selesai":
        _check_period(answers["mulai"], checked)
    return checked


def _ask(question: Question, default: str | None, ask, answers: dict) -> object:
    prompt = _(question.prompt).format(choices=", ".join(TINGKAT))
    prompt += f" [{default}]: " if default else ": "
    for attempt in range(TRIES):
        try:
            reply = ask(prompt)
        except EOFError:
            _refuse(_("no answer to \"{question}\"; give the options instead (renstra new --help)")
                    .format(question=_(question.prompt).format(choices=", ".join(TINGKAT))))
        if not reply.strip() and default is not None:
            reply = default
        try:
            return _checked(question, reply, question.key, answers)
        except NewSourceError as exc:
            if attempt == TRIES - 1:
                raise
            print(exc, file=sys.stderr)
    raise AssertionError("unreachable")


def _not_needed(key: str, tingkat: str) -> str:
    if key == "daerah":
        return _("a {tingkat} is its own region: leave out --daerah").format(tingkat=tingkat)
    return _("--kecamatan is for a desa or kelurahan, not a {tingkat}: leave it out").format(tingkat=tingkat)


def _check_period(mulai: int, selesai: int) -> None:
    if selesai < mulai:
        _refuse(_("the period ends in {selesai}, before it starts in {mulai}; give the last year after "
                  "the first").format(selesai=selesai, mulai=mulai))
    years = selesai - mulai + 1
    if years > MAX_YEARS:
        _refuse(_("the period {mulai}-{selesai} is {years} years long; at most {most} (a Renstra "
                  "usually covers {usual})").format(mulai=mulai, selesai=selesai, years=years,
                                                   most=MAX_YEARS, usual=USUAL_YEARS))
    if years != USUAL_YEARS:
        print(_("note: the period {mulai}-{selesai} is {years} year(s) long; a Renstra usually covers "
                "{usual}").format(mulai=mulai, selesai=selesai, years=years, usual=USUAL_YEARS),
              file=sys.stderr)


# --- the file ------------------------------------------------------------------------------------

def default_name(answers: Answers) -> str:
    """'renstra-kecamatan-magelang-utara-2025-2029.yaml': letters, digits and '-' only."""
    ascii_name = unicodedata.normalize("NFKD", answers.nama).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80].strip("-")
    return "-".join(part for part in ("renstra", slug, str(answers.mulai), str(answers.selesai)) if part) + ".yaml"


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar: JSON's string form is one, and keeps ':', '#' and quotes as text.
    (Answers hold no control character or line break: check_text refuses them.)"""
    return json.dumps(value, ensure_ascii=False)


def _as_text(value: str) -> str:
    """A name placed in a text field, where '*' and '_' would make italics: printed as typed."""
    return re.sub(r"([\\*_\[\]`])", r"\\\1", value)


def _modeline(target: Path) -> str:
    """The schema's path as seen from the new file's folder inside the project; a file written
    elsewhere is meant for some project's source/ folder, where the usual path holds."""
    folder = target.resolve().parent
    if not folder.is_relative_to(SCHEMA.parent.parent):
        return DEFAULT_MODELINE
    return Path(os.path.relpath(SCHEMA, folder)).as_posix()


def _targets(years: list[int], start: int, rise: int) -> tuple[str, int]:
    """A flow mapping with a whole-number target for every year, and the last of them."""
    values = [start + (i + 1) * rise // len(years) for i in range(len(years))]
    return "{" + ", ".join(f"{year}: {value}" for year, value in zip(years, values)) + "}", values[-1]


# The new source. Texts the office gives are quoted (a ':' or '#' in a name stays text); sample
# texts start with CONTOH so that none is left in a signed document unnoticed.
TEMPLATE = string.Template("""\
# yaml-language-server: $$schema=$modeline
#
# Renstra tahun $mulai-$selesai, dibuat dengan "renstra new". Ganti setiap teks CONTOH dengan isi
# dokumen, hapus yang tidak perlu, lalu periksa dengan "renstra check" dan buat dengan "make".

# Keterangan dokumen. Judul dicetak di sampul dan di atas teks.
dokumen:
  judul: $judul
  periode:
    mulai: $mulai
    selesai: $selesai
  tempat: $tempat    # tempat penandatanganan
  tanggal: $tanggal    # tanggal dokumen: tahun-bulan-hari
  versi: "1.0"    # dalam tanda kutip; naikkan untuk setiap versi baru yang diarsipkan

# Instansi penyusun. Alamat, telepon, laman, surel dan lambang dicetak hanya bila diisi.
instansi:
  tingkat: $tingkat
  nama: $nama
$region  # alamat: "Jalan ..."
  # telepon: "(0293) ..."
  # laman: "https://..."
  # surel: "...@..."
  # lambang: lambang.png    # gambar PNG atau JPEG di folder berkas ini

# Penanda tangan: hanya yang diisi yang dicetak.
penandatangan:
  jabatan: $jabatan
$signer  # pangkat: "Pembina (IV/a)"
  # nip: "19700101 199001 1 001"    # 18 angka, dalam tanda kutip

# Visi: satu rumusan, dicetak di tengah dengan huruf tebal dalam tanda kutip.
visi:
  judul: VISI
  pernyataan: "CONTOH: Terwujudnya Pelayanan Publik yang Prima"
  penjelasan:
    - "CONTOH: paragraf yang menjelaskan makna visi; hapus bila tidak perlu."

# Misi: setiap butir satu misi. "makna" menjelaskan misi dengan paragraf, daftar dan tabel;
# "tujuan" memuat tujuan, sasaran dan indikatornya. Hapus bagian yang tidak perlu.
misi:
  - judul: "CONTOH: Meningkatkan Kualitas Pelayanan Publik."
    makna:
      - "CONTOH: paragraf yang menjelaskan makna misi pertama."
      # Daftar: tandanya mengikuti tingkat (1. a. 1) a)) kecuali "tanda" diisi.
      - daftar:
          - "CONTOH: butir pertama."
          - "CONTOH: butir kedua."
      # Tabel: "kepala" berisi baris judul kolom; setiap baris sama banyak selnya.
      - tabel:
          judul: "CONTOH: Judul Tabel"
          kepala: [["No.", "Uraian", "Keterangan"]]
          baris:
            - ["1", "CONTOH: uraian", "CONTOH: keterangan"]

  - judul: "CONTOH: Meningkatkan Pemberdayaan Masyarakat."
    tujuan:
      - judul: "CONTOH: Meningkatkan kualitas pelayanan kepada masyarakat."
        # Indikator: satuan wajib; target diisi untuk setiap tahun periode, angka atau teks.
        indikator:
          - nama: "CONTOH: Indeks Kepuasan Masyarakat"
            satuan: indeks
            awal: 70    # kondisi awal: tahun sebelum periode
            target: $target_tujuan
            akhir: $akhir_tujuan    # kondisi akhir
        sasaran:
          - judul: "CONTOH: Meningkatnya kepuasan masyarakat atas pelayanan."
            indikator:
              - nama: "CONTOH: Persentase permohonan layanan yang selesai tepat waktu"
                satuan: "%"
                awal: 80
                target: $target_sasaran
                akhir: $akhir_sasaran
            strategi:
              - "CONTOH: Menyederhanakan alur pelayanan."
            arah_kebijakan:
              - "CONTOH: Menerapkan standar pelayanan yang diumumkan secara terbuka."

# Tabel yang disusun dari indikator: tujuan-sasaran (formulir T-C.25) dan indikator.
rekap: [tujuan-sasaran, indikator]
""")


def source_text(answers: Answers, target: Path) -> str:
    years = list(range(answers.mulai, answers.selesai + 1))
    target_tujuan, akhir_tujuan = _targets(years, 70, 10)
    target_sasaran, akhir_sasaran = _targets(years, 80, 10)
    region = ""
    if answers.daerah is not None:
        region += f"  daerah: {_quoted(answers.daerah)}\n"
    if answers.kecamatan is not None:
        region += f"  kecamatan: {_quoted(answers.kecamatan)}\n"
    signer = (f"  nama: {_quoted(answers.penandatangan)}\n" if answers.penandatangan
              else "  # nama: \"...\"    # nama lengkap dengan gelar\n")
    title = f"RENCANA STRATEGIS {answers.nama.upper()} TAHUN {answers.mulai}-{answers.selesai}"
    return TEMPLATE.substitute(
        modeline=_modeline(target), judul=_quoted(_as_text(title)), mulai=answers.mulai,
        selesai=answers.selesai, tempat=_quoted(answers.tempat), tanggal=answers.tanggal.isoformat(),
        tingkat=answers.tingkat, nama=_quoted(answers.nama), region=region, jabatan=_quoted(answers.jabatan),
        signer=signer, target_tujuan=target_tujuan, akhir_tujuan=akhir_tujuan,
        target_sasaran=target_sasaran, akhir_sasaran=akhir_sasaran)


def write_source(answers: Answers, target: Path) -> Path:
    """Write the new source, checked as `check` would, never over an existing file."""
    if not SAFE_NAME.match(target.name):
        _refuse(_("{path}: a source's name has only letters, digits, '.', '-' and '_' and ends in "
                  ".yaml (make builds no other); choose another with --keluar").format(path=target))
    if len(target.stem.encode("utf-8")) > MAX_NAME:
        _refuse(_("{path}: the file name is {length} characters long; at most {most}: give the source a "
                  "shorter name").format(path=target.name, length=len(target.stem), most=MAX_NAME))
    if target.exists() or target.is_symlink():
        _refuse(_("{path} exists already and is never overwritten; choose another name with --keluar")
                .format(path=shown_path(target)))
    data = source_text(answers, target).encode("utf-8")
    _validate(target.name, data)
    if not write_new(target, data):  # made meanwhile by someone else
        _refuse(_("{path} exists already and is never overwritten; choose another name with --keluar")
                .format(path=shown_path(target)))
    return target


def _validate(name: str, data: bytes) -> None:
    """The new text through the parser and validator: a source that fails check is never written."""
    try:
        validate_source(parse_source(name, data))
    except SourceError as exc:
        raise NewSourceError(_("the new source would not pass check; nothing was written:\n{report}")
                             .format(report=exc.report())) from None
