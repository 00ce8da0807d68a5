"""The print-ready, archival PDF, written by WeasyPrint from the rendered HTML."""

from __future__ import annotations

from pathlib import Path

import weasyprint

from .outputs import write_atomic


def write_pdf(rendered, path: Path) -> None:
    """Lay out the HTML and write the PDF."""
    data = weasyprint.HTML(string=rendered.html, base_url=rendered.base_url).write_pdf()
    write_atomic(path, data)
