"""The editable DOCX, written with python-docx from the rendered HTML and templates/reference.docx."""

from __future__ import annotations

import copy
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import docx
import lxml.html
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, Twips
from docx.styles import BabelFish
from docx.styles.style import StyleFactory
from docx.table import _Cell

from .errors import TemplateError
from .fonts import WORD_FONT_TABLE, pdf_family, text_width_pt
from .i18n import N_, _
from .layout import LENGTHS, MARKER_FORMS, PAPER, emu, word_marker
from .model import DEFAULT_MARKERS, LIST_MARKERS, MAX_LIST_LEVEL
from .ooxml import bookmark_name, element_of, field_runs, make_run, narrow_cell_margins, reproducible_zip
from .outputs import write_atomic
from .paths import IMAGE_SIGNATURES, TEMPLATE, TEMPLATES, read_confined
from .wordtable import HTML_SPACE, column_widths, place_cells

REFERENCE = TEMPLATES / "reference.docx"
FONTS = str(TEMPLATES / "fonts")  # the shipped fonts, whose glyph widths size table columns
W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# The HTML vocabulary this writer understands (what templates/renstra.html.j2 emits) and the
# Word style of templates/reference.docx that each element becomes. Any other element, class or
# stray text stops the build with UnknownElement: nothing is dropped silently.
#
#   HTML                                   Word
#   head: title, meta, link, style         core properties (page, font and spacing: the model's tata_letak)
#   section.sampul                         the cover, a section of its own without page number
#     p.sampul-pemerintah ... sampul-tahun "Sampul Pemerintah" ... "Sampul Tahun"
#     p.sampul-lambang > img.lambang       "Sampul Lambang" holding the emblem, 4.5 cm wide
#     p.sampul-wilayah                     "Sampul Wilayah" (a desa's kecamatan)
#   nav.daftar-isi                         front matter section, pages i, ii, ...
#     h1.judul-daftar-isi                  "TOC Heading"
#     ol.daftar-isi > li.toc-1 | li.toc-2  a TOC field; its entries in "toc 1" / "toc 2", each
#       > a[href=#id] + span.halaman       a link to the heading, a dot leader and its page number
#     h1.judul-daftar-tabel                "TOC Heading" on a new page: the DAFTAR TABEL
#     ol.daftar-tabel > li.toc-tabel       a TOC field of the "Tabel" captions, entries in "table of figures"
#   main.isi                               the body section, pages 1, 2, ...
#     header.kop > img.lambang, p.kop-*    borderless table: emblem, "Kop Pemerintah", "Kop Unit",
#                                          "Kop Alamat", "Kop Kontak"; a double rule below
#     section.misi | .bab | .subbab        (no paragraph; their id becomes the heading's bookmark;
#                                          a bab after the first starts a new page)
#     h1 (> span.nomor)                    "Heading 1" (in a bab, the number on its own line)
#     h2 > span.nomor                      "Heading 2", the number hanging before a tab
#     h2.nomor-baris > span.nomor          "Heading 2", the number ("Misi Pertama") on its own line
#     p                                    "Body Text"; inside section.misi "Body Text Indent"
#     ol.tingkat-1..6 [.tanda-*] [start] > li  "List Paragraph" numbered by the "Daftar Renstra" list
#                                          (1. a. 1) a) (1) (a) at level 1..6) or, for a marker
#                                          'tanda' asks for, a copy of it with that marker
#     dl.tingkat-1..6 > dt, dd             "List Paragraph" without number: the term ("Istilah")
#                                          and its text in one paragraph; dd may hold a list
#     section.visi > p.visi-pernyataan     "Visi" (centred, bold)
#     p.tujuan, p.sasaran                  as p (the goal's label in "Strong")
#     section.lanskap > table              a landscape section of its own
#     div.lampiran > p                     "Lampiran", at the middle of the text width
#     table > caption?, thead?, tbody      "Caption" above a "Table Grid" table (its span.nomor
#                                          "Tabel 3.1" as SEQ fields); th "Table Heading",
#       > tr > th | td [colspan, rowspan]  td "Table Text"; thead rows repeat on each page
#     div.tanda-tangan > p.tempat-tanggal  "Tanda Tangan Tempat", at the middle of the text width
#       p.jabatan, p.pangkat, p.nip        "Tanda Tangan"
#       p.ruang-tanda-tangan (empty)       "Ruang Tanda Tangan" (2.5 cm for signature and stamp)
#       p.nama                             "Tanda Tangan Nama"
#   inline: em, strong, strong.istilah     character styles "Emphasis", "Strong", "Istilah"

COVER = {f"sampul-{part}": f"Sampul {part.title()}"
         for part in ("pemerintah", "wilayah", "lambang", "jenis", "unit", "periode", "judul", "tahun")}
COVER_FOOT = "sampul-tahun"  # the year, at the foot of the cover
KOP = {"kop-pemerintah": "Kop Pemerintah", "kop-wilayah": "Kop Wilayah", "kop-unit": "Kop Unit",
       "kop-alamat": "Kop Alamat", "kop-kontak": "Kop Kontak"}
SIGNATURE = {"tempat-tanggal": "Tanda Tangan Tempat", "jabatan": "Tanda Tangan",
             "ruang-tanda-tangan": "Ruang Tanda Tangan", "nama": "Tanda Tangan Nama",
             "pangkat": "Tanda Tangan", "nip": "Tanda Tangan"}
INLINE = {("em", ""): "Emphasis", ("strong", ""): "Strong", ("strong", "istilah"): "Istilah"}
SECTIONS = {"misi", "bab", "subbab", "visi"}
# The numbers the template prints and the fields that count them in Word (DocxWriter.number_runs).
NUMBER_FIELDS = (
    (re.compile(r"BAB ([IVXLCDM]+)"), lambda m, w: ["BAB ", ("SEQ Bab \\* ROMAN", m[1])]),
    (re.compile(r"(\d+)\.(\d+)"), lambda m, w: [("SEQ Bab \\c \\* ARABIC", m[1]), ".",
                                              ("SEQ Subbab \\s 1 \\* ARABIC", m[2])]),
    (re.compile(r"(\d+)\."), lambda m, w: [w.mission_field(int(m[1])), "."]),
    (re.compile(r"Misi (\d+)"), lambda m, w: ["Misi ", w.mission_field(int(m[1]))]),
    (re.compile(r"Tabel (\d+)\.(\d+)"), lambda m, w: ["Tabel ", ("SEQ Bab \\c \\* ARABIC", m[1]), ".",
                                                    ("SEQ Tabel \\s 1 \\* ARABIC", m[2])]),
    (re.compile(r"Tabel (\d+)"), lambda m, w: ["Tabel ", ("SEQ Tabel \\* ARABIC", m[1])]),
)
# A style a reference made before it existed lacks, and the one that stands in for it there.
STAND_INS = {"table of figures": "toc 2"}
# The front matter's lists: the ol's class -> its entries' classes and Word styles, and the TOC
# field Word updates them with (chapters and subchapters; the captions numbered "Tabel").
FRONT_LISTS = {
    "daftar-isi": ({"toc-1": "toc 1", "toc-2": "toc 2"}, 'TOC \\o "1-2" \\h \\z \\u'),
    "daftar-isi daftar-tabel": ({"toc-tabel": "table of figures"}, 'TOC \\h \\z \\c "Tabel"'),
}
LIST_NAME = "Daftar Renstra"  # the w:name of the reference document's list definition
LIST_LEVELS = MAX_LIST_LEVEL
LIST_CLASS = re.compile(r"tingkat-([1-9])(?: tanda-([a-z-]+))?")

TABLE_TEXT_PT = LENGTHS["table-text"][0]
# What a cell adds to its text's width: the padding at both sides and one rule (half of each side's).
CELL_EXTRA_PT = 2 * LENGTHS["cell-padding"][0] + LENGTHS["cell-border"][0]
WIDE_TABLE_TEXT = Emu(emu("wide-table-text"))
WIDE_TABLE_PADDING = Emu(emu("wide-table-padding"))
EMBLEM_WIDTH = Emu(emu("emblem-cover"))
KOP_EMBLEM_HEIGHT = Emu(emu("emblem-kop"))
KOP_SIDE = Emu(emu("kop-side"))  # the lines keep clear of the emblem on both sides, so they centre on the page
INDENT = Emu(emu("indent"))  # a list level; a mission's explanation
SUBBAB_NUMBER = Emu(emu("subbab-number"))


@dataclass
class Context:
    """Where a block stands: its container, inside a mission or a chapter, and the bookmark its
    first heading takes."""

    container: object
    in_misi: bool = False
    anchor: str | None = None
    in_chapter: bool = False

    def take_anchor(self) -> str | None:
        anchor, self.anchor = self.anchor, None
        return anchor


# Each block element of the body and the DocxWriter method that writes it; lists (ol, dl) are
# found by tag, their classes naming level and marker.
BLOCK_HANDLERS = {
    ("header", "kop"): "kop_block",
    ("section", "lanskap"): "landscape_block",
    ("div", "lampiran"): "lampiran",
    ("h1", ""): "chapter_heading",
    ("h2", "nomor-baris"): "heading_on_own_line",
    ("h2", ""): "section_heading",
    ("p", ""): "body_paragraph",
    ("p", "tujuan"): "body_paragraph",
    ("p", "sasaran"): "body_paragraph",
    ("p", "visi-pernyataan"): "vision_statement",
    ("ol", "*"): "list_block",
    ("dl", "*"): "list_block",
    ("table", ""): "table_block",
    ("div", "tanda-tangan"): "signature_block",
    **{("section", part): "part" for part in SECTIONS},
}


class UnknownElement(TemplateError):
    """The rendered HTML holds an element, class or text the DOCX writer has no Word form for."""


def describe(element) -> str:
    """An element as it appears in the HTML, e.g. <blink class="x">."""
    classes = element.get("class")
    return f'<{element.tag} class="{classes}">' if classes else f"<{element.tag}>"


def unknown(element, problem: str | None = None) -> UnknownElement:
    """The error for an element the writer cannot take; problem is a translated predicate
    ("holds ..."), which reads right after the element in Indonesian as in English."""
    parent = element.getparent()
    if parent is None:
        message = _("{template}: {element} (rendered HTML line {line}) {problem}; use the elements "
                    "listed in renstra/docx.py or teach the DOCX writer the new one")
    else:
        message = _("{template}: {element} (rendered HTML line {line}, inside {parent}) {problem}; use "
                    "the elements listed in renstra/docx.py or teach the DOCX writer the new one")
    return UnknownElement(message.format(
        template=TEMPLATE, element=describe(element), line=element.sourceline,
        parent=describe(parent) if parent is not None else "",
        problem=problem or _("is not in the DOCX writer's vocabulary")))


# Word's spelling check knows a language by its locale: a bare language tag from the source gets
# the locale Word installs for it (en-US for en); a tag with a region is taken as written.
WORD_LOCALES = {"en": "en-US", "nl": "nl-NL", "ar": "ar-SA", "fr": "fr-FR", "de": "de-DE",
                "ja": "ja-JP", "zh": "zh-CN", "ms": "ms-MY", "jv": "jv-Latn-ID", "la": "la"}


def word_language(tag: str | None) -> str | None:
    return WORD_LOCALES.get(tag, tag) if tag else None


def kind(element) -> tuple[str, str]:
    return element.tag, (element.get("class") or "").strip()


def children(element):
    """The child elements of a block container; text between them must be blank."""
    if (element.text or "").strip():
        raise unknown(element, _("holds loose text {text}").format(text=repr(element.text.strip()[:40])))
    for child in element:
        if not isinstance(child.tag, str):  # comments and processing instructions carry no content
            continue
        yield child
        if (child.tail or "").strip():
            raise unknown(element, _("holds loose text {text} after {element}")
                          .format(text=repr(child.tail.strip()[:40]), element=describe(child)))


def collapse(segments):
    """Collapse whitespace across runs as HTML does: one space, none at the ends of a block."""
    out = []
    for text, fmt in segments:
        if fmt in ("tab", "break", "number"):
            out.append((text, fmt))
            continue
        text = HTML_SPACE.sub(" ", text)
        if text.startswith(" ") and (not out or out[-1][0].endswith(" ") or out[-1][1] in ("tab", "break")):
            text = text[1:]
        if text:
            out.append((text, fmt))
    while out and out[-1][1] not in ("tab", "break") and out[-1][0].endswith(" "):
        text, fmt = out.pop()
        if text.rstrip():
            out.append((text.rstrip(), fmt))
    return out


RESTORE = N_("restore it from the repository, or run tools/make_reference_docx.py to write the original")

def open_reference():
    """templates/reference.docx, or a TemplateError saying what is wrong with it."""
    if not REFERENCE.is_file():
        raise TemplateError(_("{path}: the reference document is missing; {restore}")
                            .format(path=REFERENCE, restore=_(RESTORE)))
    try:
        return docx.Document(str(REFERENCE))
    except Exception as exc:  # python-docx says "Package not found" of a file that is there but no zip
        message = (_("{path}: not a Word document; {restore}") if not zipfile.is_zipfile(REFERENCE)
                   else _("{path}: damaged ({error}); {restore}"))
        raise TemplateError(message.format(path=REFERENCE, error=exc, restore=_(RESTORE))) from None


# Word's core properties hold at most 255 characters (python-docx refuses more); the document's
# own text holds the whole title, the file's properties a shortened one.
PROPERTY_LIMIT = 255


def fit_property(text: str) -> str:
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1].rstrip() + "\u2026"


def parse_moment(stamp: str) -> datetime.datetime:
    """A dcterms meta's UTC time ('2013-03-03T00:00:00Z'), naive as core properties store it."""
    return datetime.datetime.fromisoformat(stamp).replace(tzinfo=None)


class DocxWriter:
    """Walks the rendered HTML once, adding Word paragraphs, tables and sections as it goes."""

    def __init__(self, rendered):
        self.rendered = rendered
        self.tree = lxml.html.document_fromstring(rendered.html)
        self.meta = self.read_head()
        # Page, font and spacing from the source's settings, the same the HTML's <style> holds.
        self.layout = rendered.model.tata_letak
        self.doc = open_reference()
        self.body = self.doc.element.body
        self.index_styles()
        self.section_ends: list[str] = []  # "sampul" / "depan" / "isi" / "lanskap", in document order
        self.bookmarks = 0
        self.toc_pages_used = 0  # page numbers of the front matter's lists taken so far
        self.last_mission = 0  # the number of the last mission heading written
        self.space_before_next = None
        self.last_paragraph = None  # the paragraph written last, which a list's last item keeps
        self.first_chapter = True
        self.landscape = False  # inside a section.lanskap: the text is as wide as the page is high
        self.list_definition = self.find_list_definition()
        self.marker_definitions: dict[str, str] = {}  # marker class -> abstractNumId of its copy
        self.clear_body()

    # --- the head: metadata and layout ------------------------------------------------------

    def read_head(self) -> dict[str, str]:
        head = self.tree.find("head")
        meta = {}
        for element in children(head):
            if element.tag == "title":
                meta["title"] = (element.text or "").strip()
            elif element.tag == "meta":
                if element.get("name"):
                    meta[element.get("name")] = element.get("content", "")
            elif element.tag not in ("link", "style"):
                raise unknown(element)
        needed = ["title", "author", "dcterms.created", "dcterms.modified"]
        missing = [name for name in needed if name not in meta]
        if missing:
            raise TemplateError(_("{template}: the head lacks {names}, which the DOCX writer needs")
                                .format(template=TEMPLATE, names=", ".join(missing)))
        return meta

    def style(self, name: str):
        """A style of the reference document, by name.

        Word stores its built-in styles under fixed English names, some in lower case ("heading 1",
        "toc 1", "caption", "footer"); LibreOffice saves them back capitalised ("Heading 1",
        "TOC 1", with new style ids) beside styles of its own ("Caption"). So the stored name Word
        uses wins, then the same name in any case, as Word itself matches its built-in names."""
        wanted = BabelFish.ui2internal(name)
        element = self.styles_named.get(wanted)
        if element is None:
            element = self.styles_named_folded.get(wanted.casefold())
        if element is None and name in STAND_INS:
            return self.style(STAND_INS[name])
        if element is None:
            raise TemplateError(_("{path}: no style named {name}; {restore}")
                                .format(path=REFERENCE, name=repr(name), restore=_(RESTORE)))
        return StyleFactory(element)

    def index_styles(self) -> None:
        self.styles_named, self.styles_named_folded = {}, {}
        for element in self.doc.styles.element.style_lst:
            if element.name_val:
                self.styles_named.setdefault(element.name_val, element)
                self.styles_named_folded.setdefault(element.name_val.casefold(), element)

    def find_list_definition(self) -> str:
        """The reference's list numbering: the definition named LIST_NAME, as Word keeps it, or
        else the one its sample "List Paragraph" paragraph is numbered by (LibreOffice drops
        the name on saving but keeps the numbering of a paragraph that uses it)."""
        numbering = self.doc.part.numbering_part.element
        for abstract in numbering.findall(qn("w:abstractNum")):
            name = abstract.find(qn("w:name"))
            if name is not None and name.get(qn("w:val")) == LIST_NAME:
                return abstract.get(qn("w:abstractNumId"))
        list_style = self.style("List Paragraph").style_id
        for paragraph in self.body.iter(qn("w:p")):
            style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            number = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            if style is None or number is None or style.get(qn("w:val")) != list_style:
                continue
            for num in numbering.findall(qn("w:num")):
                if num.get(qn("w:numId")) == number.get(qn("w:val")):
                    return num.find(qn("w:abstractNumId")).get(qn("w:val"))
        raise TemplateError(_("{path}: no list numbering named {name}; {restore}")
                            .format(path=REFERENCE, name=repr(LIST_NAME), restore=_(RESTORE)))

    def clear_body(self):
        for child in list(self.body):
            if child.tag != qn("w:sectPr"):
                self.body.remove(child)
        final = self.body.find(qn("w:sectPr"))
        for reference in final.findall(qn("w:headerReference")) + final.findall(qn("w:footerReference")):
            final.remove(reference)

    @property
    def margins_cm(self) -> list[float]:
        margin = self.layout.margin
        top, right, bottom, left = margin.atas, margin.kanan, margin.bawah, margin.kiri
        return [top, right, bottom, left]

    @property
    def page_size(self):
        width, height = PAPER[self.layout.kertas]
        return Mm(float(width.removesuffix("mm"))), Mm(float(height.removesuffix("mm")))

    @property
    def text_width(self) -> int:
        _, right, _, left = self.margins_cm
        return self.page_size[1 if self.landscape else 0] - Cm(left) - Cm(right)

    def apply_layout(self):
        """Font, size, spacing and the geometry-bound style settings from the source."""
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = element_of("w:docDefaults")
            styles.insert(0, defaults)
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = element_of("w:rPrDefault")
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = element_of("w:rPr")
            rpr_default.append(rpr)
        font = self.layout.huruf
        half_points = round(self.layout.ukuran_huruf * 2)
        for tag in ("w:rFonts", "w:sz", "w:szCs", "w:lang"):
            old = rpr.find(qn(tag))
            if old is not None:
                rpr.remove(old)
        rpr.append(element_of("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font))
        rpr.append(element_of("w:sz", val=half_points))
        rpr.append(element_of("w:szCs", val=half_points))
        # The language tag of the defaults is what Word's spelling check uses.
        rpr.append(element_of("w:lang", val="id-ID", eastAsia="id-ID", bidi="ar-SA"))
        normal = self.style("Normal")
        normal.paragraph_format.line_spacing = self.layout.spasi_baris
        # LibreOffice, saving the reference, copies the default font and size into Normal, where
        # they would override the source's: those are the source's to set, through the defaults.
        normal_rpr = normal.element.rPr
        for tag in ("w:rFonts", "w:sz", "w:szCs") if normal_rpr is not None else ():
            for old in normal_rpr.findall(qn(tag)):
                normal_rpr.remove(old)
        for name in ("toc 1", "toc 2", "table of figures"):
            stops = self.style(name).paragraph_format.tab_stops
            stops.clear_all()
            stops.add_tab_stop(Twips(round(self.text_width / 635)), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        self.style("Tanda Tangan").paragraph_format.left_indent = self.text_width // 2
        self.style("Lampiran").paragraph_format.left_indent = self.text_width // 2
        settings = self.doc.settings.element
        language = settings.find(qn("w:themeFontLang"))
        if language is None:
            language = element_of("w:themeFontLang")
            settings.append(language)
        language.set(qn("w:val"), "id-ID")
        # LibreOffice also switches on automatic hyphenation; the PDF breaks lines at spaces only
        # (print.css), and line breaks must agree.
        for hyphenation in settings.findall(qn("w:autoHyphenation")):
            settings.remove(hyphenation)

    def name_font_fallbacks(self):
        """The body font's entry in Word's font table (word/fontTable.xml): its alternative name,
        PANOSE, family and pitch, so that a machine without it substitutes a font of the same
        kind (a serif for Bookman Old Style) instead of the default sans."""
        font = self.layout.huruf
        document = self.doc.part
        table = next((rel.target_part for rel in document.rels.values()
                      if not rel.is_external and rel.reltype == RT.FONT_TABLE), None)
        if table is None:
            table = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE,
                         f'<w:fonts xmlns:w="{W_NAMESPACE}"/>'.encode("utf-8"), document.package)
            document.relate_to(table, RT.FONT_TABLE)
        fonts = parse_xml(table.blob)
        for old in fonts.findall(qn("w:font")):
            if old.get(qn("w:name")) == font:
                fonts.remove(old)
        entry = element_of("w:font", name=font)
        entry.append(element_of("w:altName", val=pdf_family(font)))
        facts = WORD_FONT_TABLE[font]
        for tag in ("panose1", "family", "pitch"):  # with charset, in the schema's order
            entry.append(element_of(f"w:{tag}", val=facts[tag]))
            if tag == "panose1":
                entry.append(element_of("w:charset", val="00"))
        fonts.append(entry)
        table._blob = serialize_part_xml(fonts)

    def apply_core_properties(self):
        meta, core = self.meta, self.doc.core_properties
        core.title = fit_property(meta["title"])
        core.author = fit_property(meta["author"])
        core.last_modified_by = fit_property(meta["author"])
        core.subject = fit_property(meta.get("description", ""))
        core.keywords = fit_property(meta.get("keywords", ""))
        core.comments = ""
        core.category = ""
        core.content_status = ""
        core.identifier = ""
        core.version = meta.get("renstra.version", "")
        core.language = "id-ID"
        core.revision = 1
        core.created = parse_moment(meta["dcterms.created"])
        core.modified = parse_moment(meta["dcterms.modified"])

    # --- paragraphs and runs -----------------------------------------------------------------

    def paragraph(self, style: str):
        paragraph = self.doc.add_paragraph(style=self.style(style))
        self.last_paragraph = paragraph
        if self.space_before_next is not None:
            paragraph.paragraph_format.space_before = self.space_before_next
            self.space_before_next = None
        return paragraph

    def segments(self, element, fmt=(), stop_at_list=False, heading=False):
        """The inline content of an element as (text, format) pairs; format is a tuple of tags."""
        out = [(element.text or "", fmt)]
        for child in element:
            if not isinstance(child.tag, str):
                out.append((child.tail or "", fmt))
                continue
            if stop_at_list and child.tag in ("ol", "dl"):
                if (child.tail or "").strip() or child.getnext() is not None:
                    raise unknown(element, _("holds content after its nested list"))
                break
            tag, classes = kind(child)
            if heading and (tag, classes) == ("span", "nomor"):
                if len(child):
                    raise unknown(child, _("holds markup; a heading number is plain text"))
                out.append((child.text or "", fmt))
                out.append(("", "number-end"))
            elif (tag, classes) in INLINE:
                inner = fmt + ((tag, classes),)
                if child.get("lang"):  # a foreign term (markup.render_markup)
                    inner += (("lang", child.get("lang")),)
                out.extend(self.segments(child, inner))
            else:
                raise unknown(child)
            out.append((child.tail or "", fmt))
        return out

    def runs(self, segments, number_separator: str = "tab"):
        """Word runs for inline segments; the end of a heading number becomes a tab or a line break."""
        marked = []
        for index, (text, fmt) in enumerate(segments):
            if fmt == "number-end":
                marked.append(("", number_separator) if number_separator in ("tab", "break")
                              else (number_separator, ()))
            elif index + 1 < len(segments) and segments[index + 1][1] == "number-end":
                marked.append((text.strip(), "number"))
            else:
                marked.append((text, fmt))
        runs = []
        for text, fmt in collapse(marked):
            if fmt == "tab":
                runs.append(make_run(tab=True))
            elif fmt == "break":
                runs.append(make_run(line_break=True))
            elif fmt == "number":
                runs.extend(self.number_runs(text))
            else:
                tags = dict(fmt)
                style = None
                if ("strong", "istilah") in fmt:
                    style = "Istilah"
                elif "strong" in tags:
                    style = "Strong"
                elif "em" in tags:
                    style = "Emphasis"
                italic = "em" in tags and style != "Emphasis"
                runs.append(make_run(text, style=self.character_style_id(style) if style else None,
                                     italic=italic, language=word_language(tags.get("lang"))))
        return runs

    def number_runs(self, text: str) -> list:
        """A printed number as Word sequence fields that count it: chapters (Bab), subchapters
        (from 1 in each chapter), missions and tables (from 1 in each chapter). Insert or move a
        chapter, a mission or a table in Word, press F9, and every number follows, the captions'
        chapter part too. Each field holds the number the tool computed, so the document reads
        right before any update. Ordinal words ("Misi Pertama") have no Indonesian field format
        and stay text."""
        parts = [text]
        for pattern, make in NUMBER_FIELDS:
            found = pattern.fullmatch(text)
            if found:
                parts = make(found, self)
                break
        runs = []
        for part in parts:
            if isinstance(part, str):
                runs.append(make_run(part))
            else:
                begin, end = field_runs(*part)
                runs += begin + [end]
        return runs

    def mission_field(self, number: int) -> tuple[str, str]:
        """A mission's number: the next in Word's count, or a restart where the source starts
        its missions elsewhere (misi.mulai)."""
        restart = f" \\r {number}" if number != self.last_mission + 1 else ""
        self.last_mission = number
        return (f"SEQ Misi \\* ARABIC{restart}", str(number))

    def character_style_id(self, name: str) -> str:
        return self.style(name).style_id

    def text_paragraph(self, style: str, element):
        paragraph = self.paragraph(style)
        for run in self.runs(self.segments(element)):
            paragraph._p.append(run)
        return paragraph

    # --- the document --------------------------------------------------------------------------

    def write(self) -> bytes:
        self.apply_layout()
        body = self.tree.find("body")
        for element in children(body):
            what = kind(element)
            if what == ("section", "sampul"):
                self.cover(element)
                self.end_section("sampul")
            elif what == ("nav", "daftar-isi"):
                self.table_of_contents(element)
                self.end_section("depan")
            elif what == ("main", "isi"):
                self.blocks(element)
            else:
                raise unknown(element)
        self.lay_out_sections()
        self.apply_core_properties()
        self.name_font_fallbacks()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return reproducible_zip(buffer.getvalue())

    def end_section(self, name: str):
        """Close the section at the last paragraph written (Word keeps a section's end in it)."""
        last = self.body[-2] if len(self.body) > 1 else None  # the body's own sectPr is last
        if last is None or last.tag != qn("w:p") or last.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None \
                or last.find(qn("w:pPr") + "/" + qn("w:framePr")) is not None:
            # After a table, a framed paragraph (or at a section's very start) a paragraph must
            # hold the break: a thin one, so it takes no room of its own.
            paragraph = self.paragraph("Body Text")
            paragraph.paragraph_format.line_spacing = Pt(1)
            paragraph.paragraph_format.space_after = Pt(0)
            last = paragraph._p
        properties = copy.deepcopy(self.body.find(qn("w:sectPr")))
        last.get_or_add_pPr().append(properties)
        self.section_ends.append(name)

    def landscape_section(self, section):
        """A table too wide for a portrait page, on landscape pages of its own, as in the PDF."""
        if self.landscape:
            raise unknown(section, _("is inside another landscape section"))
        if self.section_ends[-1:] == ["lanskap"] and self.just_ended_section():
            # Two wide tables in a row share landscape pages, as in the PDF: no empty portrait
            # page between them.
            self.reopen_section()
        else:
            self.end_section("isi")
        self.landscape = True
        for element in children(section):
            if kind(element) != ("table", ""):
                raise unknown(element, _("may stand only in a landscape section, which holds one table"))
            self.table(element)
        self.end_section("lanskap")
        self.landscape = False

    def just_ended_section(self) -> bool:
        """Whether nothing was written since the last section break."""
        last = self.body[-2] if len(self.body) > 1 else None
        return last is not None and last.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None

    def reopen_section(self):
        """Undo the last section break, dropping the empty paragraph that held it."""
        holder = self.body[-2]
        properties = holder.find(qn("w:pPr"))
        properties.remove(properties.find(qn("w:sectPr")))
        if holder.find(qn("w:r")) is None:
            self.body.remove(holder)
        self.section_ends.pop()

    def lay_out_sections(self):
        top, right, bottom, left = self.margins_cm
        width, height = self.page_size
        names = self.section_ends + ["isi"]
        first_body = names.index("isi")
        for index, (name, section) in enumerate(zip(names, self.doc.sections)):
            section.page_width, section.page_height = width, height
            section.orientation = 0  # portrait
            if name == "lanskap":
                section.page_width, section.page_height = height, width
                section.orientation = 1
            section.top_margin, section.right_margin = Cm(top), Cm(right)
            section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
            section.header_distance = Cm(1.25)
            # The number sits in the middle of the bottom margin, as in the PDF.
            section.footer_distance = Cm(max(bottom / 2 - 0.25, 0.5))
            sect_pr = section._sectPr
            for old in sect_pr.findall(qn("w:pgNumType")):
                sect_pr.remove(old)
            if name == "sampul":
                continue  # no footer reference: the cover has no page number
            # The body's pages count on through its landscape sections, as in the PDF.
            numbers = element_of("w:pgNumType", start=1) if name == "depan" or index == first_body \
                else element_of("w:pgNumType")
            if name == "depan":
                numbers.set(qn("w:fmt"), "lowerRoman")
            else:
                numbers.set(qn("w:fmt"), "decimal")
            # pgNumType sits after pgMar and before cols/titlePg in CT_SectPr's sequence.
            sect_pr.find(qn("w:pgMar")).addnext(numbers)
            footer = section.footer
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.style = self.style("Footer")
            for run in list(paragraph._p.findall(qn("w:r"))):
                paragraph._p.remove(run)
            runs, end = field_runs("PAGE", "1")
            for run in runs + [end]:
                paragraph._p.append(run)

    # --- cover, table of contents ------------------------------------------------------------

    def cover(self, section):
        for element in children(section):
            tag, classes = kind(element)
            if tag != "p" or classes not in COVER:
                raise unknown(element)
            if classes == "sampul-lambang":
                images = list(children(element))
                if len(images) != 1 or kind(images[0]) != ("img", "lambang"):
                    raise unknown(element, _('must hold exactly one <img class="lambang">'))
                paragraph = self.paragraph(COVER[classes])
                self.add_image(paragraph, images[0], width=EMBLEM_WIDTH)
            else:
                paragraph = self.text_paragraph(COVER[classes], element)
                if classes == COVER_FOOT:
                    self.at_foot_of_page(paragraph)

    def at_foot_of_page(self, paragraph):
        """Put a paragraph in a frame at the bottom of the text area, centred. Like the PDF's
        year, placed at the cover's foot (print.css), it takes no room in the flow, so a title
        of any length never pushes it onto a page of its own."""
        paragraph.paragraph_format.space_before = 0  # older references lifted it by 6 cm instead
        properties = paragraph._p.get_or_add_pPr()
        frame = element_of("w:framePr", w=round(self.text_width / 635), wrap="around", vAnchor="margin",
                           hAnchor="margin", xAlign="center", yAlign="bottom")
        if properties.pStyle is not None:
            properties.pStyle.addnext(frame)  # the schema's order: pStyle, (keep...), framePr, ...
        else:
            properties.insert(0, frame)

    def emblem(self, image) -> Path:
        """The emblem file an <img> names, read only from templates/ or the source's folder."""
        url = urljoin(self.rendered.base_url, image.get("src", ""))
        try:
            path, _data = read_confined(url, self.rendered.allowed_folders, what="the emblem ")
        except ValueError as exc:
            raise TemplateError(str(exc)) from None
        if path.suffix.lower() not in IMAGE_SIGNATURES:  # python-docx would take a GIF, Word a BMP
            raise TemplateError(_("the emblem {path} is not a PNG or JPEG image Word can show")
                                .format(path=path))
        return path

    def add_image(self, paragraph, image, **size):
        path = self.emblem(image)
        try:
            # By path, not bytes: the picture keeps its file name (lambang.png) inside the DOCX.
            paragraph.add_run().add_picture(str(path), **size)
        except UnrecognizedImageError:
            raise TemplateError(_("the emblem {path} is not a PNG or JPEG image Word can show")
                                .format(path=path)) from None
        description = image.get("alt")
        if description:
            for properties in paragraph._p.iter(qn("wp:docPr")):
                properties.set("descr", description)

    def table_of_contents(self, nav):
        for element in children(nav):
            what = kind(element)
            if what == ("h1", "judul-daftar-isi"):
                self.text_paragraph("TOC Heading", element)
            elif what == ("h1", "judul-daftar-tabel"):
                self.text_paragraph("TOC Heading", element).paragraph_format.page_break_before = True
            elif what[0] == "ol" and what[1] in FRONT_LISTS:
                self.toc_entries(list(children(element)), *FRONT_LISTS[what[1]])
            else:
                raise unknown(element)

    def toc_entries(self, entries, styles: dict[str, str], instruction: str):
        """A pre-filled TOC field: each entry a link to its bookmark, a dot leader and its page."""
        parsed = []
        for entry in entries:
            tag, classes = kind(entry)
            parts = list(children(entry))
            if tag != "li" or classes not in styles or [kind(p) for p in parts] != [("a", ""), ("span", "halaman")]:
                raise unknown(entry, _('must be <li class="{classes}"> holding <a href="#..."> and '
                                       '<span class="halaman">').format(classes="|".join(styles)))
            link, number = parts
            parsed.append((classes, link, (number.text or "").strip()))
        pages = [number for _classes, _link, number in parsed]
        if parsed and not all(pages):
            if self.rendered.toc_pages is None:
                raise TemplateError(_("{template}: the table of contents has no page numbers yet; the build "
                                      "step lays the document out first (renstra.pdf.lay_out)")
                                    .format(template=TEMPLATE))
            # The front matter's lists share one run of page numbers, in order.
            pages = [str(n) for n in self.rendered.toc_pages[self.toc_pages_used:]][:len(parsed)]
            if len(pages) != len(parsed):
                raise TemplateError(_("{template}: the table of contents has {entries} entries but the "
                                      "layout gave {pages} page numbers")
                                    .format(template=TEMPLATE, entries=len(parsed), pages=len(pages)))
        self.toc_pages_used += len(parsed)
        for index, ((classes, link, _number), page) in enumerate(zip(parsed, pages)):
            paragraph = self.paragraph(styles[classes])
            if index == 0:
                begin, _end = field_runs(instruction, None)
                for run in begin:
                    paragraph._p.append(run)
            hyperlink = element_of("w:hyperlink", anchor=bookmark_name(link.get("href", "").lstrip("#")), history=1)
            for run in self.runs(self.segments(link)) + [make_run(tab=True), make_run(page)]:
                hyperlink.append(run)
            paragraph._p.append(hyperlink)
        if parsed:
            # The field ends in a paragraph of its own, as Word writes it.
            _begin, end = field_runs("TOC", None)
            self.paragraph(styles[parsed[-1][0]])._p.append(end)
            self.paragraph("Body Text")  # LibreOffice drops a section break held inside the TOC

    # --- the body ----------------------------------------------------------------------------

    def blocks(self, container, context: Context | None = None):
        """Each block of a container through its handler in BLOCK_HANDLERS."""
        context = context or Context(container)
        for element in children(container):
            tag, classes = kind(element)
            handler = BLOCK_HANDLERS.get((tag, "*") if tag in ("ol", "dl") else (tag, classes))
            if handler is None:
                raise unknown(element)
            getattr(self, handler)(element, context)

    def part(self, section, context):
        """A mission, vision, chapter or subchapter: no paragraph of its own; its id becomes the
        bookmark of its heading, which the table of contents links to."""
        if not section.get("id"):
            raise unknown(section, _("has no id for the table of contents to link to"))
        classes = kind(section)[1]
        self.blocks(section, Context(section, in_misi=classes == "misi", anchor=section.get("id"),
                                     in_chapter=classes == "bab"))

    def lampiran(self, block, context):
        for line in children(block):
            if kind(line) != ("p", ""):
                raise unknown(line)
            self.text_paragraph("Lampiran", line)
        self.space_before_next = Pt(18)

    def chapter_heading(self, element, context):
        """h1: a chapter's number on a line of its own, each chapter after the first on a new page."""
        paragraph = self.heading("Heading 1", element, context.take_anchor(),
                                 "break" if context.in_chapter else "tab")
        if context.in_chapter and not self.first_chapter:
            paragraph.paragraph_format.page_break_before = True
        self.first_chapter = self.first_chapter and not context.in_chapter

    def heading_on_own_line(self, element, context):
        """h2.nomor-baris: "Misi Pertama" above the mission's statement."""
        paragraph = self.heading("Heading 2", element, context.take_anchor(), "break")
        paragraph.paragraph_format.left_indent = 0
        paragraph.paragraph_format.first_line_indent = 0

    def section_heading(self, element, context):
        paragraph = self.heading("Heading 2", element, context.take_anchor(), "tab")
        if context.container.get("class") == "subbab":
            # "1.1" needs more room than a mission's "1." before the title
            paragraph.paragraph_format.left_indent = SUBBAB_NUMBER
            paragraph.paragraph_format.first_line_indent = -SUBBAB_NUMBER
            stops = paragraph.paragraph_format.tab_stops
            for inherited in self.style("Heading 2").paragraph_format.tab_stops:
                stops.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
            stops.add_tab_stop(SUBBAB_NUMBER)

    def body_paragraph(self, element, context):
        self.text_paragraph("Body Text Indent" if context.in_misi else "Body Text", element)

    def vision_statement(self, element, context):
        self.text_paragraph("Visi", element)

    def list_block(self, element, context):
        self.any_list(element, expected_level=None)

    def table_block(self, element, context):
        self.table(element, indent=INDENT if context.in_misi else None)

    def kop_block(self, element, context):
        self.kop(element)

    def signature_block(self, element, context):
        self.signature(element)

    def landscape_block(self, element, context):
        self.landscape_section(element)

    def heading(self, style, element, anchor, number_separator):
        paragraph = self.paragraph(style)
        runs = self.runs(self.segments(element, heading=True), number_separator)
        if anchor:
            # A bookmark around the heading text is what the TOC's links and Word's updates point at.
            mark = self.bookmarks
            self.bookmarks += 1
            paragraph._p.append(element_of("w:bookmarkStart", id=mark, name=bookmark_name(anchor)))
            for run in runs:
                paragraph._p.append(run)
            paragraph._p.append(element_of("w:bookmarkEnd", id=mark))
        else:
            for run in runs:
                paragraph._p.append(run)
        return paragraph

    def list_level(self, element, expected_level) -> int:
        """The 0-based level of an ol or dl from its class; a nested one must be one level down."""
        found = LIST_CLASS.fullmatch(kind(element)[1])
        if not found or int(found[1]) > LIST_LEVELS:
            raise unknown(element, _("needs the class tingkat-1 ... tingkat-{last} (and tanda-*)")
                          .format(last=LIST_LEVELS))
        level = int(found[1]) - 1
        if expected_level is not None and level != expected_level:
            raise unknown(element, _("is nested at level {expected} but says tingkat-{level}")
                          .format(expected=expected_level + 1, level=level + 1))
        return level

    def any_list(self, element, expected_level):
        # A list's level sets its indent, in the PDF too: a mission's lists start at level 2.
        if element.tag == "dl":
            self.term_list(element, self.list_level(element, expected_level))
        else:
            self.numbered_list(element, expected_level)

    def numbered_list(self, ol, expected_level):
        level = self.list_level(ol, expected_level)
        marker = LIST_CLASS.fullmatch(kind(ol)[1])[2] or LIST_MARKERS[DEFAULT_MARKERS[level]]
        if marker not in MARKER_FORMS:
            raise unknown(ol, _("asks for the marker tanda-{marker}, which has no Word form")
                          .format(marker=marker))
        start = ol.get("start", "1")
        if not start.isdigit() or int(start) < 1:
            raise unknown(ol, _("has a start that is not a whole number from 1"))
        num_id = self.new_list(marker, level, int(start))
        items = list(children(ol))
        for index, item in enumerate(items):
            if kind(item) != ("li", ""):
                raise unknown(item)
            if index and index == len(items) - 1:
                # The last item is not left alone on a page: what precedes it (the item before,
                # or that item's last sub-item) keeps with it, as print.css's break-after: avoid.
                self.last_paragraph.paragraph_format.keep_with_next = True
            paragraph = self.paragraph("List Paragraph")
            properties = paragraph._p.get_or_add_pPr()
            numbering = properties.get_or_add_numPr()
            numbering.get_or_add_ilvl().val = level
            numbering.get_or_add_numId().val = num_id
            for run in self.runs(self.segments(item, stop_at_list=True)):
                paragraph._p.append(run)
            for sublist in (child for child in item if isinstance(child.tag, str) and child.tag in ("ol", "dl")):
                self.any_list(sublist, level + 1)

    def term_list(self, dl, level):
        """A term list: each term in bold and its text in one unnumbered paragraph at the level's
        indent, as the PDF floats the term before the text."""
        items = list(children(dl))
        i = 0
        while i < len(items):
            term = items[i]
            if kind(term) != ("dt", ""):
                raise unknown(term, _("must follow a <dd> or open the list; a <dl> holds <dt> and <dd> pairs"))
            detail = items[i + 1] if i + 1 < len(items) and items[i + 1].tag == "dd" else None
            i += 2 if detail is not None else 1
            paragraph = self.paragraph("List Paragraph")
            paragraph.paragraph_format.left_indent = self.level_indent(level)
            paragraph.paragraph_format.first_line_indent = 0
            segments = self.segments(term, (("strong", "istilah"),))
            if detail is not None:
                if kind(detail) != ("dd", ""):
                    raise unknown(detail)
                segments += [(" ", ())] + self.segments(detail, stop_at_list=True)
            for run in self.runs(segments):
                paragraph._p.append(run)
            if detail is None:
                continue
            for sublist in (child for child in detail if isinstance(child.tag, str) and child.tag in ("ol", "dl")):
                self.any_list(sublist, level + 1)

    def level_indent(self, level: int) -> int:
        """Where the text of a list level starts: the reference list's indent at that level."""
        numbering = self.doc.part.numbering_part.element
        for abstract in numbering.findall(qn("w:abstractNum")):
            if abstract.get(qn("w:abstractNumId")) == self.list_definition:
                for lvl in abstract.findall(qn("w:lvl")):
                    if lvl.get(qn("w:ilvl")) == str(level):
                        ind = lvl.find(qn("w:pPr") + "/" + qn("w:ind"))
                        if ind is not None and ind.get(qn("w:left")):
                            return Twips(int(ind.get(qn("w:left"))))
        return INDENT * (level + 1)

    def new_list(self, marker: str, level: int, start: int) -> int:
        """A new w:num, so each list counts from its own start: on the reference's list definition
        when the marker is its level's default, else on a copy with the marker asked for."""
        default = LIST_MARKERS[DEFAULT_MARKERS[level]] == marker
        definition = self.list_definition if default else self.marker_definition(marker)
        numbering = self.doc.part.numbering_part.element
        num = numbering.add_num(int(definition))
        for each in range(LIST_LEVELS):
            num.add_lvlOverride(ilvl=each).add_startOverride(start if each == level else 1)
        return num.numId

    def marker_definition(self, marker: str) -> str:
        """The abstractNumId of a copy of the reference list whose every level uses marker."""
        if marker in self.marker_definitions:
            return self.marker_definitions[marker]
        numbering = self.doc.part.numbering_part.element
        original = next(a for a in numbering.findall(qn("w:abstractNum"))
                        if a.get(qn("w:abstractNumId")) == self.list_definition)
        copy_of = copy.deepcopy(original)
        taken = {int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))}
        new_id = str(max(taken) + 1)
        copy_of.set(qn("w:abstractNumId"), new_id)
        for tag in ("w:nsid", "w:tmpl"):
            for old in copy_of.findall(qn(tag)):
                copy_of.remove(old)
        name = copy_of.find(qn("w:name"))
        if name is not None:
            name.set(qn("w:val"), f"{LIST_NAME} ({marker})")
        for lvl in copy_of.findall(qn("w:lvl")):
            fmt, text = word_marker(marker, int(lvl.get(qn("w:ilvl"))))
            lvl.find(qn("w:numFmt")).set(qn("w:val"), fmt)
            lvl.find(qn("w:lvlText")).set(qn("w:val"), text)
        # abstractNum elements come before every num in numbering.xml
        last = numbering.findall(qn("w:abstractNum"))[-1]
        last.addnext(copy_of)
        self.marker_definitions[marker] = new_id
        return new_id

    def kop(self, header):
        image, lines = None, []
        for element in children(header):
            tag, classes = kind(element)
            if (tag, classes) == ("img", "lambang") and image is None:
                image = element
            elif tag == "p" and classes in KOP:
                lines.append(element)
            else:
                raise unknown(element)
        table = self.doc.add_table(rows=1, cols=3)
        widths = [KOP_SIDE, self.text_width - 2 * KOP_SIDE, KOP_SIDE]
        self.fix_widths(table, widths)
        left, middle, _ = table.rows[0].cells
        if image is not None:
            paragraph = left.paragraphs[0]
            paragraph.style = self.style("Kop Pemerintah")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            self.add_image(paragraph, image, height=KOP_EMBLEM_HEIGHT)
        middle._tc.remove(middle.paragraphs[0]._p)
        for line in lines:
            paragraph = middle.add_paragraph(style=self.style(KOP[kind(line)[1]]))
            for run in self.runs(self.segments(line)):
                paragraph._p.append(run)
        # The rule under the letterhead: a double line, as naskah dinas draw it.
        borders = element_of("w:tblBorders")
        borders.append(element_of("w:bottom", val="double", sz=6, space=0, color="000000"))
        table._tbl.tblPr.append(borders)
        self.space_before_next = Pt(18)

    def styled_text(self, cell, header: bool) -> list[tuple[str, bool, bool]]:
        """A table cell's text as both outputs set it, read as its runs are written (segments,
        collapse): (character, bold, italic) each, a header cell bold throughout."""
        return [(char, header or "strong" in tags, "em" in tags)
                for text, fmt in collapse(self.segments(cell)) for tags in [dict(fmt)] for char in text]

    def table_text_width(self, text: str, bold: bool, italic: bool) -> int:
        """The width (EMU) of a line of table text as the PDF measures it: the shipped font's
        glyphs at the table's size."""
        return Pt(text_width_pt(text, self.layout.huruf, FONTS, TABLE_TEXT_PT, bold, italic))

    def fix_widths(self, table, widths):
        table.autofit = False
        grid = table._tbl.tblGrid
        for column, width in zip(grid.findall(qn("w:gridCol")), widths):
            column.set(qn("w:w"), str(round(width / 635)))
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width

    def table(self, element, indent=None):
        caption, rows = None, []
        for part in children(element):
            what = kind(part)
            if what == ("caption", "") and caption is None and not rows:
                caption = part
            elif what in (("thead", ""), ("tbody", "")):
                for row in children(part):
                    if kind(row) != ("tr", ""):
                        raise unknown(row)
                    cells = list(children(row))
                    wrong = [c for c in cells if kind(c) not in (("th", ""), ("td", ""))]
                    if wrong:
                        raise unknown(wrong[0])
                    rows.append((part.tag == "thead", cells))
            else:
                raise unknown(part)
        last = self.body[-1] if len(self.body) else None
        if last is not None and last.tag == qn("w:sectPr"):
            last = last.getprevious()
        if last is not None and last.tag == qn("w:tbl"):
            # Word and LibreOffice join two tables that touch into one; a thin empty paragraph
            # keeps them apart, as the space between them does in the PDF.
            gap = self.paragraph("Body Text")
            gap.paragraph_format.line_spacing = Pt(6)
            gap.paragraph_format.space_after = Pt(0)
        if caption is not None:
            paragraph = self.caption(caption)
            if indent:
                paragraph.paragraph_format.left_indent = indent
        self.space_before_next = None
        placed, columns = place_cells(rows)
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.style("Table Grid")
        width = self.text_width - (indent or 0)
        widths, too_wide = column_widths(placed, columns, width, self.styled_text, self.table_text_width,
                                          Pt(CELL_EXTRA_PT))
        self.fix_widths(table, widths)
        if too_wide:
            narrow_cell_margins(table, WIDE_TABLE_PADDING)
        if indent:
            table._tbl.tblPr.append(element_of("w:tblInd", w=round(indent / 635), type="dxa"))
        for (header, _cells), row in zip(rows, table.rows):
            properties = row._tr.get_or_add_trPr()
            properties.append(element_of("w:cantSplit"))  # a row stays on one page, as in the PDF
            if header:
                properties.append(element_of("w:tblHeader"))  # header rows repeat on every page
        # The cells of the unmerged grid, found once: table.cell() rebuilds the whole grid on
        # every call, which made a table cost the square of its cell count. HTML's spans never
        # overlap, so a merge only removes cells inside its own span, and the corners of every
        # later span are still in place.
        grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for (r, c, rowspan, colspan, cell, header) in placed:
            target = grid[r][c]
            if rowspan > 1 or colspan > 1:
                target = target.merge(grid[r + rowspan - 1][c + colspan - 1])
            paragraph = target.paragraphs[0]
            paragraph.style = self.style("Table Heading" if header else "Table Text")
            for run in self.runs(self.segments(cell)):
                paragraph._p.append(run)
            if too_wide:
                for run in paragraph.runs:
                    run.font.size = WIDE_TABLE_TEXT
            if header:
                target.vertical_alignment = 1  # centre, as th is in the PDF
        self.space_before_next = Pt(12)

    def caption(self, caption):
        """ "Tabel 3.1 Title", its number as sequence fields (number_runs), which the DAFTAR TABEL
        (a TOC field) collects, bookmarked for the DAFTAR TABEL's link as a heading is."""
        return self.heading("Caption", caption, caption.get("id"), " ")

    def signature(self, block):
        # The signature never stands alone at the top of a page: the text before it keeps with
        # it, as print.css's break-before: avoid (the "Tanda Tangan" styles keep together).
        if self.last_paragraph is not None:
            self.last_paragraph.paragraph_format.keep_with_next = True
        for element in children(block):
            tag, classes = kind(element)
            if tag != "p" or classes not in SIGNATURE:
                raise unknown(element)
            if classes == "ruang-tanda-tangan" and (len(element) or (element.text or "").strip()):
                raise unknown(element, _("must be empty: it is the room for signature and stamp"))
            self.text_paragraph(SIGNATURE[classes], element)


def docx_bytes(rendered) -> bytes:
    """The DOCX of a rendered document, styled by templates/reference.docx."""
    return DocxWriter(rendered).write()


def write_docx(rendered, path: Path) -> None:
    write_atomic(path, docx_bytes(rendered))
