"""The print-ready, archival PDF (PDF/A-3, tagged), laid out by WeasyPrint from the rendered HTML."""

from __future__ import annotations

import contextlib
import ctypes.util
import hashlib
import os

from dataclasses import dataclass, replace
from pathlib import Path

import pydyf


@contextlib.contextmanager
def loader_finds_libraries():
    """WeasyPrint opens Pango, HarfBuzz and fontconfig by trying several names for each; for a name
    that is no file, cffi asks ctypes.util.find_library, which on Linux runs ldconfig and then a C
    compiler and the linker, once per name: about 0.26 s of WeasyPrint's 0.45 s import here, more
    than the layout of a short document. Each of WeasyPrint's lists ends with the file name the
    system's loader finds by itself (libpango-1.0.so.0, libpango-1.0.dylib, libpango-1.0-0.dll),
    so while it imports the search answers "not found" at once and the loader does the finding."""
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


with loader_finds_libraries():
    import weasyprint
    import weasyprint.pdf
from weasyprint.formatting_structure.boxes import TableBox
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .errors import RenstraError
from .fonts import check_fonts
from .outputs import write_atomic
from .paths import read_confined
from .pdfjob import PdfJob
from .tagging import tag_structure

# PDF/A-3 keeps the source YAML as an associated file. Level "a" (tagged: headings, lists,
# tables, the language): pikepdf checks the level-b rules and tests/test_structure.py walks the
# structure tree of every fixture for the level-a ones (no full validator, veraPDF, installs here).
PDF_VARIANT = "pdf/a-3a"
# WeasyPrint has no hook for its tagger; its own makes a tree per page (see tagging.py), so ours
# takes its place, for every PDF this process writes. Pinned WeasyPrint: the structure tests
# fail if the name moves.
weasyprint.pdf.add_tags = tag_structure

# What the fetcher tells WeasyPrint each file is; WeasyPrint ignores a stylesheet that is
# not text/css, and the embedded source's MIME type must not depend on the machine's database.
MEDIA_TYPES = {
    ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
    ".woff2": "font/woff2", ".yaml": "application/yaml", ".yml": "application/yaml",
}

# The anchor print.css puts on main.isi, so the first body page can be found after layout.
BODY_ANCHOR = "isi"
# The attribute this writer puts on a table too wide for the page (print.css styles it), in
# WeasyPrint's parsed copy of the HTML only: the HTML both writers read stays as rendered.
WIDE_TABLE = "data-lebar"


class ResourceRefused(RenstraError):
    """The document asked for a file or URL that a build may not read."""


class RefusedFetch(FatalURLFetchingError):
    """Stops WeasyPrint at once; write_pdf turns it into ResourceRefused for the user."""


class ConfinedFetcher(URLFetcher):
    """Fetches only regular files inside the given folders; refuses everything else."""

    def __init__(self, folders, snapshots: dict[str, bytes] | None = None):
        # fail_on_errors: a missing font or emblem stops the build instead of a silent fallback.
        super().__init__(fail_on_errors=True)
        self.folders = tuple(Path(f).resolve() for f in folders)
        self.snapshots = snapshots or {}  # files already read, by URL: served as they were then
        self.stable_names: dict[Path, str] = {}  # images read once per build, by path

    def fetch(self, url, headers=None):
        if url in self.snapshots:
            media_type = MEDIA_TYPES.get(Path(url).suffix.lower(), "application/octet-stream")
            return URLFetcherResponse(url, self.snapshots[url], {"Content-Type": media_type})
        try:
            path, data = read_confined(url, self.folders)
        except ValueError as exc:
            raise RefusedFetch(str(exc)) from None
        media_type = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": media_type})


def _stable_images(job: PdfJob, fetcher: ConfinedFetcher) -> str:
    """The HTML with each image named after its bytes, which the fetcher then serves.

    WeasyPrint names an image in the PDF after the URL it was asked for, and the HTML's links are
    relative to the output folder: so the same emblem would give another PDF in another folder
    or on another machine, and a release copied there would not match its archived PDF.
    """
    html = job.html
    for src, path in job.images:
        if path not in fetcher.stable_names:  # the body and the front matter share one read
            try:
                _, data = read_confined(path.as_uri(), fetcher.folders, what="the emblem ")
            except ValueError as exc:
                raise RefusedFetch(str(exc)) from None
            stable = f"file:///{hashlib.sha256(data).hexdigest()}{path.suffix.lower()}"
            fetcher.snapshots[stable] = data
            fetcher.stable_names[path] = stable
        html = html.replace(f'src="{src}"', f'src="{fetcher.stable_names[path]}"')
    return html


def _lay_out(job: PdfJob, fetcher: ConfinedFetcher, fonts: FontConfiguration):
    """Lay the document out; tables wider than the text (many columns, a very long word) are
    laid out once more with words broken anywhere, so nothing runs past the page's edge.

    Only those tables: breaking anywhere in every table would split ordinary words such as
    "2022" whenever a table is merely full.
    """
    html = weasyprint.HTML(string=_stable_images(job, fetcher), base_url=job.base_url,
                           url_fetcher=fetcher)
    document = html.render(font_config=fonts, pdf_variant=PDF_VARIANT)
    wide = _tables_wider_than_the_text(document)
    if wide:
        for element in wide:
            element.set(WIDE_TABLE, "")
        document = None  # let the first layout go before the second is made: never two at once
        document = html.render(font_config=fonts, pdf_variant=PDF_VARIANT)
    return document


def _tables_wider_than_the_text(document) -> list:
    """The HTML elements of tables whose laid-out box passes the right edge of the text area."""
    found = []
    for page in document.pages:
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        stack = [page_box]
        while stack:
            box = stack.pop()
            if isinstance(box, TableBox):
                if box.border_box_x() + box.border_width() > right + 0.5 and box.element not in found:
                    found.append(box.element)
                continue
            stack.extend(getattr(box, "children", ()))
    return found


def _logical_pages(document) -> dict[str, int]:
    """Each anchor's printed page number: counted from 1 on the page where main.isi starts."""
    first_body = _first_body_page(document)
    numbers = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            numbers.setdefault(name, index - first_body + 1)
    return numbers


def lay_out_job(job: PdfJob, pages_only: bool = False, on_toc_pages=None) -> Layout | None:
    """The layout the PDF is written from (None with pages_only); on_toc_pages(pages) hears the
    page number of each TOC entry (None without chapters) as soon as they are known.

    WeasyPrint's target-counter() reads 0 after the page counter is reset for the body (its
    issue 2114), so the TOC gets literal numbers. The body is laid out once, with the TOC still
    empty; its pages are counted from the body's first page, so they do not depend on the front
    matter. Then only the cover and the TOC are laid out again, numbers filled in, and their pages
    are joined to the body's (WeasyPrint combines pages of several documents).
    """
    check_fonts(job.templates / "fonts", job.font)
    fetcher = ConfinedFetcher(job.allowed_folders)
    fonts = FontConfiguration()  # one for @font-face in the CSS and for writing, as WeasyPrint needs
    try:
        if not job.toc_anchors:
            if on_toc_pages:
                on_toc_pages(None)
            return None if pages_only else Layout(_lay_out(job, fetcher, fonts), fonts)
        document = _lay_out(job, fetcher, fonts)
        numbers = _logical_pages(document)
        pages = tuple(numbers[name] for name in job.toc_anchors)
        if on_toc_pages:
            on_toc_pages(pages)
        if pages_only:
            return None
        numbered = job.with_page_numbers(pages)
        front = _lay_out(replace(numbered, html=_front_matter(numbered.html)), fetcher, fonts)
        joined = front.copy(front.pages[:_first_body_page(front)] + document.pages[_first_body_page(document):])
        return Layout(joined, fonts)
    except FatalURLFetchingError as exc:
        raise ResourceRefused(_reason(exc)) from None


def lay_out(rendered, pages_only: bool = False):
    """A render.Rendered laid out in this process: with its TOC's page numbers and, unless
    pages_only, the layout the PDF is written from. The build step calls this once and hands
    the result to both writers; a DOCX alone needs the numbers only."""
    found = []
    layout = lay_out_job(rendered.pdf_job(), pages_only, on_toc_pages=found.append)
    if found[0] is not None:
        rendered = rendered.with_toc_pages(found[0])
    return rendered if pages_only else replace(rendered, layout=layout)


def _front_matter(html: str) -> str:
    """The document's HTML with the body left out: the cover and the table of contents only."""
    start = html.index('<main class="isi">') + len('<main class="isi">')
    return html[:start] + html[html.rindex("</main>"):]


def _first_body_page(document) -> int:
    return next(i for i, page in enumerate(document.pages) if BODY_ANCHOR in page.anchors)


@dataclass(frozen=True)
class Layout:
    """A finished layout and the font configuration it was made with, which WeasyPrint needs
    again to write it."""

    document: object
    fonts: FontConfiguration


def toc_pages(rendered) -> list[int]:
    """The printed page number of each TOC entry (chapters and subchapters, in order)."""
    return list(lay_out(rendered, pages_only=True).toc_pages or ())


def _reason(exc: BaseException) -> str:
    # WeasyPrint wraps other fetch failures ("Error fetching ...") around the real cause.
    cause = exc.__cause__
    return f"{exc}: {cause}" if cause is not None else str(exc)


def _finish(document, pdf) -> None:
    """The last touches before WeasyPrint writes the file.

    - The empty /Pattern and /Shading dictionaries WeasyPrint puts on every page go: harmless,
      but an archive checker (pikepdf) reports them as "not checked", hiding a real verdict.
    - The catalog's list of associated files names each file once (WeasyPrint's PDF/A step adds
      the embedded source twice).
    - Page labels: a viewer shows the number printed on the page ("i", "1"), not its place.
    """
    for thing in pdf.objects:
        if isinstance(thing, dict):
            for key in ("Pattern", "Shading"):
                if isinstance(thing.get(key), dict) and not thing[key]:
                    del thing[key]
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(_page_labels(document))})


# How each named page of print.css is numbered: the cover prints none and is labelled by name,
# the front matter counts i, ii from its first page, the body 1, 2 from its first (wide pages
# included, which continue the body's count).
PAGE_LABELS = {"sampul": {"P": pydyf.String("Sampul")}, "depan": {"S": "/r"}}
BODY_LABEL = {"S": "/D"}


def _page_labels(document) -> list:
    """The /PageLabels number tree: a new range wherever the kind of page changes."""
    nums, previous = [], None
    for index, page in enumerate(document.pages):
        style = PAGE_LABELS.get(page._page_box.page_type.name, BODY_LABEL)
        if style is not previous:
            nums.extend([index, pydyf.Dictionary(style)])
            previous = style
    return nums


def pdf_bytes(rendered) -> bytes:
    """The PDF of a render.Rendered, as bytes: from its layout when the build step made one."""
    if rendered.layout is None:
        rendered = lay_out(rendered)
    return job_pdf_bytes(rendered.pdf_job(), rendered.layout)


def job_pdf_bytes(job: PdfJob, layout: Layout) -> bytes:
    """The PDF of a laid-out job, with the source as it was read for this build attached."""
    # The source as it was read for this build, not as it is on disk now: an edit saved during
    # the build must not give a PDF whose text is old and whose attachment is new.
    source = job.source_file
    fetcher = ConfinedFetcher(job.allowed_folders, {source.as_uri(): job.source_data})
    try:
        attachment = weasyprint.Attachment(
            url=source.as_uri(), url_fetcher=fetcher, name=source.name,
            description=f"Source of this document ({source.name})",
            created=job.created, modified=job.modified, relationship="Source")
        # pdf_identifier=True: the file identifier is a digest of every object written (pages,
        # fonts, metadata, the embedded source), so it changes exactly when the content does.
        # A digest of the HTML would not do: its links are relative to the output folder.
        with _fixed_now(job.modified):
            return layout.document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=True,
                                             attachments=[attachment], finisher=_finish)
    except FatalURLFetchingError as exc:
        raise ResourceRefused(_reason(exc)) from None


@contextlib.contextmanager
def _fixed_now(moment):
    """SOURCE_DATE_EPOCH set to the build's fixed moment while the PDF is written: without
    HarfBuzz's subsetter WeasyPrint subsets fonts with fontTools, which writes the time of day
    into every font unless that variable is set; so a PDF is the same whenever it is built."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def write_pdf(rendered, path: Path) -> None:
    """Lay out the HTML with the print stylesheet and write the archival PDF."""
    write_atomic(path, pdf_bytes(rendered))
