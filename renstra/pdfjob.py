"""What the PDF engine needs of a rendered document, as plain data.

The PDF is laid out from this alone, so that it can be handed to a process that has loaded
WeasyPrint and nothing of the model (pydantic, Jinja): see engine.py. Everything here is made by
the render step, which knows the model.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

# The page number slot of each table-of-contents entry as the template writes it, empty. The
# numbers are known only once the body is laid out; they are put in by with_page_numbers.
TOC_PAGE_SLOT = '<span class="halaman"></span>'


@dataclass(frozen=True)
class PdfJob:
    html: str
    base_url: str  # the folder the HTML's relative links are relative to, as a file: URL
    allowed_folders: tuple[Path, ...]  # the only folders the engine may read
    templates: Path
    images: tuple[tuple[str, Path], ...]  # each image's src in the HTML and the file it names
    font: str  # tata_letak.huruf: checked against the shipped fonts before layout
    toc_anchors: tuple[str, ...]  # the TOC's targets in order; empty without chapters
    source_file: Path  # the source, resolved: embedded in the PDF as an associated file
    source_data: bytes  # its bytes as read for this build
    created: datetime.datetime
    modified: datetime.datetime

    def with_page_numbers(self, pages) -> PdfJob:
        """The same job whose HTML has each TOC entry's page number filled in."""
        from dataclasses import replace

        return replace(self, html=with_page_numbers(self.html, pages))


def with_page_numbers(html: str, pages) -> str:
    """The HTML with the i-th empty TOC page slot holding the i-th number."""
    parts = html.split(TOC_PAGE_SLOT)
    if len(parts) != len(pages) + 1:
        raise ValueError(f"{len(pages)} page numbers for {len(parts) - 1} table-of-contents entries")
    filled = [parts[0]]
    for number, rest in zip(pages, parts[1:]):
        filled.append(TOC_PAGE_SLOT.replace("></", f">{number}</") + rest)
    return "".join(filled)
