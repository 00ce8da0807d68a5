"""The model rendered by Jinja into the one semantic HTML that both writers read."""

from __future__ import annotations

import hashlib
import os
import re
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from . import __version__
from .errors import TemplateError
from .i18n import _
from .fonts import css_family, word_line
from .indonesian import count_in_words, indonesian_date, indonesian_number, mission_label, roman
from .layout import LINES, PAPER, css_length, css_variables, list_css
from .markup import plain_text, render_markup
from .pdfjob import TOC_PAGE_SLOT, PdfJob, with_page_numbers
from .paths import TEMPLATE, TEMPLATES
from .model import (DEFAULT_MARKERS, LIST_MARKERS, REGIONS, VILLAGES, BlokBagian, BlokDaftar,
                    BlokRekap, BlokTabel, ButirRinci, Renstra, SelRinci)
from .rekap import generated_table, number_goals
from .source import Source
from .timestamps import created_at, modified_at, utc_stamp


@dataclass(frozen=True)
class Rendered:
    """What every writer receives: the HTML and the facts it was made from."""

    html: str
    model: Renstra
    source: Source
    base_url: str  # the folder the HTML's relative links are relative to, as a file: URL
    out_dir: Path  # that folder
    templates: Path  # the templates it was rendered with, fonts and stylesheet included
    toc_pages: tuple[int, ...] | None = None  # the page of each TOC entry, once laid out
    images: tuple[tuple[str, Path], ...] = ()  # each image's src in the HTML and the file it names
    # The PDF engine's finished layout, when the build step made one for the PDF writer.
    layout: object | None = field(default=None, compare=False, repr=False)

    @property
    def allowed_folders(self) -> tuple[Path, ...]:
        """The folders a build of this document may read: its templates and the source's folder."""
        return (self.templates.resolve(), Path(self.source.path).resolve().parent)

    def with_toc_pages(self, toc_pages) -> Rendered:
        """The same document, its table of contents holding these page numbers."""
        return replace(self, html=with_page_numbers(self.html, toc_pages), toc_pages=tuple(toc_pages))

    def pdf_job(self) -> PdfJob:
        """What the PDF engine needs, as plain data (it may run in a process without the model)."""
        model = self.model
        return PdfJob(
            html=self.html, base_url=self.base_url, allowed_folders=self.allowed_folders,
            templates=self.templates, images=self.images, font=model.tata_letak.huruf,
            toc_anchors=toc_anchors(self.html), source_file=Path(self.source.path).resolve(),
            source_data=self.source.data, created=created_at(model.dokumen.tanggal),
            modified=modified_at(model.dokumen.tanggal))


TOC_LIST = re.compile(r'<ol class="daftar-isi[^"]*">(.*?)</ol>', re.S)
TOC_TARGET = re.compile(r'<a href="#([^"]+)">')


def toc_anchors(html: str) -> tuple[str, ...]:
    """The targets of the front matter's lists (DAFTAR ISI, DAFTAR TABEL) in order, each of which
    has a page number slot: bab-1, bab-1-1, ..., tabel-3-1."""
    return tuple(anchor for found in TOC_LIST.finditer(html) for anchor in TOC_TARGET.findall(found[1]))


# Tables are numbered where the template has placed them, in the order they print: by chapter
# ("Tabel 3.1", "Tabel 3.2"), or through the document where there are no chapters ("Tabel 1").
CHAPTER_OR_CAPTION = re.compile(r'<section class="bab" id="bab-\d+">|<caption>(.*?)</caption>', re.S)
TABLE_LIST_SLOT = "<!--daftar-tabel-->\n"


def number_tables(html: str) -> str:
    """The HTML with each table caption numbered and anchored, and, in a document with chapters,
    the DAFTAR TABEL listing them after the DAFTAR ISI."""
    chapter, count, entries = 0, 0, []

    def numbered(found):
        nonlocal chapter, count
        if found[1] is None:  # a chapter starts
            chapter, count = chapter + 1, 0
            return found[0]
        count += 1
        number = f"{chapter}.{count}" if chapter else str(count)
        anchor = f"tabel-{number.replace('.', '-')}"
        entries.append(f'<li class="toc-tabel"><a href="#{anchor}">Tabel {number} {found[1]}</a>'
                       f'{TOC_PAGE_SLOT}</li>\n')
        return f'<caption id="{anchor}"><span class="nomor">Tabel {number}</span> {found[1]}</caption>'

    html = CHAPTER_OR_CAPTION.sub(numbered, html)
    listing = ('<h1 class="judul-daftar-tabel">DAFTAR TABEL</h1>\n<ol class="daftar-isi daftar-tabel">\n'
               + "".join(entries) + "</ol>\n") if entries and chapter else ""
    return html.replace(TABLE_LIST_SLOT, listing)


def cell_text(cell, foreign_language: str | None = None) -> Markup:
    """A table cell's content; numbers print the Indonesian way (1.250.000; 2,5)."""
    value = cell.teks if isinstance(cell, SelRinci) else cell
    if isinstance(value, bool):
        return Markup("Ya" if value else "Tidak")
    if isinstance(value, (int, float)):
        return Markup(indonesian_number(value))
    return render_markup(value, foreign_language)


def marker_class(tanda: str | None, level: int) -> str:
    """The class naming a list's marker: the one the source asks for, else its level's."""
    return LIST_MARKERS[tanda or DEFAULT_MARKERS[level - 1]]


def government_lines(unit) -> tuple[list[str], str | None]:
    """The lines above the unit's name on the cover and letterhead, and the unit's own line.

    A provinsi, kabupaten or kota is its own government: one line, 'PEMERINTAH KOTA X'. A
    kecamatan or office is under its region's; a desa or kelurahan under its kecamatan too.
    """
    if unit.tingkat in REGIONS:
        return [], f"PEMERINTAH {unit.nama}".upper()
    above = [f"PEMERINTAH {unit.daerah}".upper()]
    if unit.tingkat in VILLAGES:
        above.append(unit.kecamatan.upper())
    return above, unit.nama.upper()


def parts_placed(model: Renstra) -> set[str]:
    """The parts ('visi', 'misi') that a chapter places with {bagian: ...}."""
    placed = set()
    for bab in model.bab:
        for blocks in [bab.isi] + [sub.isi for sub in bab.subbab]:
            placed.update(block.bagian for block in blocks if isinstance(block, BlokBagian))
    return placed


def compiled_template_cache(jinja2, env):
    """Jinja's cache of compiled templates for env, or None where it cannot be had.

    Compiling the template costs about 0.13 s, a quarter of what a build does before the layout
    can start. Jinja keeps the compiled code in a folder of the user's own (on Unix it refuses
    one that another user owns or can write), writes it atomically, and compiles again when the
    template's text or Python's version differs. The compiled code also depends on the
    environment (how each filter is called, the whitespace options, Jinja's version), which Jinja
    does not check: that goes into the cache's file names, so code compiled for another version
    of this program is never run. A cache that cannot be made, read or written only costs the
    compile: never the build; the rendered HTML is the same either way."""

    class QuietCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket):
            try:
                super().load_bytecode(bucket)
            except Exception:  # unreadable or damaged: compile afresh (pickle raises many kinds)
                bucket.reset()

        def dump_bytecode(self, bucket):
            with suppress(OSError):
                super().dump_bytecode(bucket)

    calls = sorted((kind, name, str(getattr(function, "jinja_pass_arg", None)))
                   for kind, table in (("filter", env.filters), ("test", env.tests))
                   for name, function in table.items())
    settings = (jinja2.__version__, env.autoescape, env.trim_blocks, env.lstrip_blocks,
                env.keep_trailing_newline, env.undefined.__name__, calls)
    fingerprint = hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()[:20]
    try:
        return QuietCache(pattern=f"__renstra_{fingerprint}_%s.cache")
    except (OSError, RuntimeError):  # Jinja raises RuntimeError for a folder it finds unsafe
        return None


@lru_cache(maxsize=4)
def environment(folder: str = str(TEMPLATES)):
    """The Jinja environment with the filters and tests the template uses (one per folder)."""
    # Jinja, Babel and num2words cost about 50 ms to import; `build.py check` needs none of them.
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    def strict(function, language=False):
        # Jinja hands a filter the undefined value itself; fail as an undefined name does, so the
        # template's mistake is reported with its line instead of as a TypeError deep inside.
        # A filter of source text also gets the document's language of foreign terms.
        def apply(context, value, *args):
            if isinstance(value, jinja2.Undefined):
                value._fail_with_undefined_error()
            if language:
                args = (*args, context["layout"].bahasa_asing)
            return function(value, *args)
        return jinja2.pass_context(apply)

    filters = dict(plain=plain_text, words=count_in_words, date_id=indonesian_date, roman=roman,
                   mission_label=mission_label)
    env.filters.update({name: strict(function) for name, function in filters.items()})
    text_filters = dict(markup=render_markup, cell=cell_text)
    env.filters.update({name: strict(function, language=True) for name, function in text_filters.items()})
    env.globals.update(marker_class=marker_class)
    env.tests.update(list_block=lambda b: isinstance(b, BlokDaftar),
                     table_block=lambda b: isinstance(b, BlokTabel),
                     rekap_block=lambda b: isinstance(b, BlokRekap),
                     part_block=lambda b: isinstance(b, BlokBagian),
                     detailed_item=lambda b: isinstance(b, ButirRinci),
                     detailed_cell=lambda c: isinstance(c, SelRinci))
    env.bytecode_cache = compiled_template_cache(jinja2, env)  # after the filters it depends on
    return env


def _relative(path: Path, base: Path) -> str:
    return Path(os.path.relpath(path, base)).as_posix()


def emblem_path(model: Renstra, source: Source) -> Path | None:
    """The emblem file the source names (relative to the source), or None: no emblem is invented."""
    if model.instansi.lambang:
        return (Path(source.path).resolve().parent / model.instansi.lambang).resolve()
    return None


def render_html(model: Renstra, source: Source, out_dir: Path, toc_pages=None,
                templates: Path = TEMPLATES) -> Rendered:
    """Render the model to HTML whose links are relative to out_dir, where it will be written."""
    out_dir = Path(out_dir).resolve()
    layout = model.tata_letak
    width, height = PAPER[layout.kertas]
    goals = number_goals(model)
    emblem = emblem_path(model, source)
    above, unit_line = government_lines(model.instansi)
    word = word_line(layout.huruf, str(templates / "fonts"))  # Word's single line, in ems
    context = {
        "d": model.dokumen,
        "unit": model.instansi,
        "government": above,
        "unit_line": unit_line,
        "signer": model.penandatangan,
        "layout": layout,
        "visi": model.visi,
        "missions": model.missions,
        "goals": goals,
        "rekap": model.rekap,
        "generated": lambda kind: generated_table(kind, model, goals),
        "placed": parts_placed(model),
        "bab": model.bab,
        "paper": {"name": layout.kertas, "width": width, "height": height},
        "font": css_family(layout.huruf),
        "line_height": round(layout.spasi_baris * word, 4),
        # Word puts a line's extra spacing (1.5 lines less one) below the text, CSS half above
        # and half below. The PDF's text area starts that half higher, so the first line's
        # letters stand where Word's do, at the top margin, and ends that half lower, so the
        # last line's spacing may hang into the bottom margin as Word's does: pages then hold
        # the same lines in both outputs. The letters stay inside the margins.
        "leading_above": round((layout.spasi_baris - 1) * word * layout.ukuran_huruf / 2, 3),
        # Headings and captions keep Word's fixed line spacing of their styles (layout.LINES).
        "lines": {name: round(lines * word, 4) for name, lines in LINES.items()},
        "stylesheet": _relative(templates / "print.css", out_dir),
        "emblem": _relative(emblem, out_dir) if emblem else None,
        "created": utc_stamp(created_at(model.dokumen.tanggal)),
        "modified": utc_stamp(modified_at(model.dokumen.tanggal)),
        "generator": f"renstra {__version__}",
        "css_variables": css_variables(),
        # Quoted label texts ("(" counter(...) ")"), built from layout's constants alone.
        "list_css": Markup(list_css(LIST_MARKERS[marker] for marker in DEFAULT_MARKERS)),
        "footer_size": css_length("footer-text"),
    }
    import jinja2

    try:
        html = environment(str(templates)).get_template(TEMPLATE).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_("{file}:{line}: template error: {message}")
                            .format(file=exc.filename or exc.name, line=exc.lineno,
                                    message=exc.message)) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(_("template not found: {name} (in {folder})")
                            .format(name=exc.name, folder=templates)) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(_("{file}:{line}: template error: {message}")
                            .format(file=TEMPLATE, line=_template_line(exc), message=exc.message)) from None
    html = number_tables(html)
    images = ((context["emblem"], emblem),) if emblem else ()
    rendered = Rendered(html, model, source, out_dir.as_uri() + "/", out_dir, Path(templates), None, images)
    return rendered.with_toc_pages(toc_pages) if toc_pages else rendered


def _template_line(exc: Exception) -> str:
    """The template line of a runtime error, from Jinja's rewritten traceback."""
    tb = exc.__traceback__
    line = "?"
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = str(tb.tb_lineno)
        tb = tb.tb_next
    return line


def html_bytes(rendered: Rendered) -> bytes:
    """The HTML preview, kept in output/ for a browser and for timing WeasyPrint alone."""
    return rendered.html.encode("utf-8")

