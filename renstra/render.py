"""The model rendered by Jinja into the one semantic HTML that both writers read."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from . import __version__
from .errors import TemplateError
from .fonts import FAMILIES, pdf_family
from .markup import plain_text, render_markup
from .outputs import write_atomic
from .model import IMAGE_SIGNATURES, ButirRinci, BlokDaftar, BlokTabel, Renstra, SelRinci
from .source import Source

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
SOURCES = PROJECT / "source"
TEMPLATE = "renstra.html.j2"

PAPER = {"A4": ("210mm", "297mm"), "F4": ("215mm", "330mm")}


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

    @property
    def allowed_folders(self) -> tuple[Path, ...]:
        """The folders a build of this document may read: its templates and the source's folder."""
        return (self.templates.resolve(), Path(self.source.path).resolve().parent)

    def with_toc_pages(self, toc_pages) -> Rendered:
        """The same document rendered again, its table of contents holding these page numbers."""
        return render_html(self.model, self.source, self.out_dir, toc_pages, self.templates)


def read_confined(url: str, folders, what: str = "") -> tuple[Path, bytes]:
    """The path and bytes of the regular file a file: URL names inside one of folders; an image
    must be what its suffix says. Raises ValueError with the reason (what names the file in it).

    Both writers read their files only through this, so a template or a shared source cannot
    make a build fetch from the network, read a file of the machine or hang on a device.
    """
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise ValueError(f"refused to read {what}{url}: a build reads no network or other URLs, "
                         "only files in the templates folder and the source's folder")
    path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(folder) for folder in folders):
        shown = ", ".join(str(f) for f in folders)
        raise ValueError(f"refused to read {what}{path}: a build reads only files inside {shown}")
    if not path.is_file():
        raise ValueError(f"cannot read {what}{path}: it is missing or not a regular file")
    data = path.read_bytes()
    signature = IMAGE_SIGNATURES.get(path.suffix.lower())
    if signature is not None and not data.startswith(signature):
        raise ValueError(f"cannot use {what}{path}: it is not a {path.suffix[1:].upper()} image, "
                         "whatever its name says")
    return path, data


def count_in_words(number: int) -> str:
    """A count as formal text writes it: figure, then words in brackets, e.g. '4 (empat)'."""
    from num2words import num2words  # imported when rendering, so `check` starts faster

    return f"{number} ({num2words(number, lang='id')})"


def indonesian_date(day: datetime.date) -> str:
    """'3 Maret 2013': month name in Indonesian, no leading zero."""
    from babel.dates import format_date  # imported when rendering, so `check` starts faster

    return format_date(day, "d MMMM y", locale="id")


def roman(number: int) -> str:
    """Roman numeral in capitals, for chapter numbers (BAB IV)."""
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


@lru_cache(maxsize=4)
def word_line(word_font: str, folder: str = str(TEMPLATES / "fonts")) -> float:
    """The height of Word's single line for a font, in ems: Windows ascent + descent + line gap.

    Word's "1.5 lines" is 1.5 times this (13.8 pt x 1.5 for Arial 12 pt), not CSS's 1.5 em;
    the PDF uses the same height so that its pages break where Word's do.
    """
    from fontTools.ttLib import TTFont  # not at start-up: `schema` and `check` of bad input need none

    with TTFont(os.path.join(folder, FAMILIES[word_font][1]["regular"]), lazy=True) as font:
        os2, hhea = font["OS/2"], font["hhea"]
        return (os2.usWinAscent + os2.usWinDescent + max(hhea.lineGap, 0)) / font["head"].unitsPerEm


def cell_text(cell) -> Markup:
    """A table cell's content; numbers print the Indonesian way (1,5)."""
    if isinstance(cell, SelRinci):
        return render_markup(cell.teks)
    if isinstance(cell, bool):
        return Markup("Ya" if cell else "Tidak")
    if isinstance(cell, float):
        return Markup(f"{cell:g}".replace(".", ","))
    if isinstance(cell, int):
        return Markup(str(cell))
    return render_markup(cell)


def source_date_epoch() -> datetime.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, when set: the fixed 'now' of reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch.isdigit() else None


def created_at(model: Renstra) -> datetime.datetime:
    """The document's own date, at midnight UTC: the creation date of both outputs."""
    return datetime.datetime.combine(model.dokumen.tanggal, datetime.time(), datetime.timezone.utc)


def modified_at(model: Renstra) -> datetime.datetime:
    """The build's fixed modification time: SOURCE_DATE_EPOCH if set, else the document date."""
    return source_date_epoch() or created_at(model)


def utc_stamp(moment: datetime.datetime) -> str:
    """'2013-03-03T00:00:00Z', as the HTML's dcterms meta and the archive's manifest write it."""
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


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
    def strict(function):
        # Jinja hands a filter the undefined value itself; fail as an undefined name does, so the
        # template's mistake is reported with its line instead of as a TypeError deep inside.
        def apply(value, *args):
            if isinstance(value, jinja2.Undefined):
                value._fail_with_undefined_error()
            return function(value, *args)
        return apply

    filters = dict(markup=render_markup, plain=plain_text, words=count_in_words,
                   date_id=indonesian_date, roman=roman, cell=cell_text)
    env.filters.update({name: strict(function) for name, function in filters.items()})
    env.tests.update(list_block=lambda b: isinstance(b, BlokDaftar),
                     table_block=lambda b: isinstance(b, BlokTabel),
                     detailed_item=lambda b: isinstance(b, ButirRinci),
                     detailed_cell=lambda c: isinstance(c, SelRinci))
    return env


def _relative(path: Path, base: Path) -> str:
    return Path(os.path.relpath(path, base)).as_posix()


def emblem_path(model: Renstra, source: Source, templates: Path = TEMPLATES) -> Path:
    """The emblem file: the source's own if given (relative to the source), else the placeholder."""
    if model.instansi.lambang:
        return (Path(source.path).resolve().parent / model.instansi.lambang).resolve()
    return Path(templates) / "lambang.png"


def render_html(model: Renstra, source: Source, out_dir: Path, toc_pages=None,
                templates: Path = TEMPLATES) -> Rendered:
    """Render the model to HTML whose links are relative to out_dir, where it will be written."""
    out_dir = Path(out_dir).resolve()
    layout = model.tata_letak
    width, height = PAPER[layout.kertas]
    context = {
        "d": model.dokumen,
        "unit": model.instansi,
        "signer": model.penandatangan,
        "layout": layout,
        "misi": model.misi,
        "bab": model.bab,
        "paper": {"name": layout.kertas, "width": width, "height": height},
        "font": pdf_family(layout.huruf),
        "line_height": round(layout.spasi_baris * word_line(layout.huruf, str(templates / "fonts")), 4),
        "stylesheet": _relative(templates / "print.css", out_dir),
        "emblem": _relative(emblem_path(model, source, templates), out_dir),
        "created": utc_stamp(created_at(model)),
        "modified": utc_stamp(modified_at(model)),
        "generator": f"renstra {__version__}",
        "toc_pages": toc_pages,
    }
    import jinja2

    try:
        html = environment(str(templates)).get_template(TEMPLATE).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name} (in {templates})") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{TEMPLATE}:{_template_line(exc)}: template error: {exc.message}") from None
    return Rendered(html, model, source, out_dir.as_uri() + "/", out_dir, Path(templates),
                    tuple(toc_pages) if toc_pages else None)


def _template_line(exc: Exception) -> str:
    """The template line of a runtime error, from Jinja's rewritten traceback."""
    tb = exc.__traceback__
    line = "?"
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = str(tb.tb_lineno)
        tb = tb.tb_next
    return line


def write_html(rendered: Rendered, path: Path) -> None:
    """The HTML preview, kept in output/ for a browser and for timing WeasyPrint alone."""
    write_atomic(path, rendered.html.encode("utf-8"))
