"""Where outputs go, and how they get there: whole, or not at all."""

from __future__ import annotations

import importlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename it into place.

    A build that fails or is killed part-way leaves the previous output as it was and no
    partial file under the target's name.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


@dataclass(frozen=True)
class Writer:
    """One output format: its name, file suffix, and the function that writes it."""

    name: str
    suffix: str
    target: str  # "module:function", imported only when used so `check` and `make pdf` stay light

    def write(self, rendered, path: Path) -> None:
        module, function = self.target.split(":")
        getattr(importlib.import_module(module), function)(rendered, path)


WRITERS = {
    "html": Writer("html", ".html", "renstra.render:write_html"),
    "pdf": Writer("pdf", ".pdf", "renstra.pdf:write_pdf"),
    "docx": Writer("docx", ".docx", "renstra.docx:write_docx"),
}
