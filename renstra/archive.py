"""The append-only archive of released PDFs, one folder and one manifest per document."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path

from . import __version__
from .errors import RenstraError
from .diagnostics import validate_source
from .timestamps import source_date_epoch, utc_stamp
from .outputs import TEMP_SUFFIX, shown_path as shown, write_new
from .source import load_source

PROJECT = Path(__file__).resolve().parent.parent
ARCHIVE = PROJECT / "archive"
MANIFEST = "MANIFEST.tsv"


class ArchiveError(RenstraError):
    """An archive request that would break the archive's rules, or an archive that is damaged."""


@dataclass(frozen=True)
class Entry:
    """One line of a manifest: an archived file and what it was made from."""

    file: str
    sha256: str
    size: str
    version: str
    document_date: str
    source_sha256: str
    generator: str
    archived_at: str


COLUMNS = [f.name for f in fields(Entry)]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archived_name(stem: str, version: str, day: datetime.date) -> str:
    """'misi_v1.0_2013-03-03.pdf': the version as a file name can carry it."""
    safe = re.sub(r"[^0-9A-Za-z.+-]+", "-", version).strip("-.") or "0"
    return f"{stem}_v{safe}_{day.isoformat()}.pdf"


def archived_at() -> str:
    """Now in UTC, or SOURCE_DATE_EPOCH when set, so tests and rebuilds can fix it."""
    return utc_stamp(source_date_epoch() or datetime.datetime.now(datetime.timezone.utc))


def shared_inputs(source: Path) -> list[Path]:
    """The files a build of this source reads besides the source, as the Makefile lists them."""
    # Emblems and other files beside the sources count; the other sources do not.
    beside = [p for p in _files_in(source.parent)
              if not (p.parent == source.parent and p.suffix == ".yaml")]
    files = [*_files_in(PROJECT / "templates"), *beside,
             *sorted((PROJECT / "renstra").glob("*.py")), PROJECT / "build.py", PROJECT / "requirements.txt"]
    return [p for p in files if p.is_file()]


def _files_in(folder: Path) -> list[Path]:
    """Files one and two levels down, hidden ones left out (as make's wildcard does)."""
    found = [*folder.glob("*"), *folder.glob("*/*")]
    return sorted(p for p in found
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def embedded_source(pdf: Path, name: str) -> bytes | None:
    """The source file of this name embedded in the PDF by its writer, or None."""
    import pikepdf  # only the archive reads PDFs back

    try:
        with pikepdf.open(pdf) as document:
            attached = document.attachments.get(name)
            return attached.get_file().read_bytes() if attached is not None else None
    except pikepdf.PdfError as exc:
        raise ArchiveError(f"{shown(pdf)} is not a readable PDF ({exc}): "
                           f"rebuild it (make archive does)") from None


def read_manifest(path: Path) -> list[Entry]:
    """The entries of a manifest; a damaged line is an ArchiveError naming it."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t") != COLUMNS:
        raise ArchiveError(f"{shown(path)}:1: the first line must be the column names: {' '.join(COLUMNS)}")
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        values = line.split("\t")
        if len(values) != len(COLUMNS):
            raise ArchiveError(f"{shown(path)}:{number}: expected {len(COLUMNS)} tab-separated values, "
                               f"found {len(values)}")
        entries.append(Entry(*values))
    return entries


def append_entry(path: Path, entry: Entry) -> None:
    """Add one line to a manifest (creating it with its header), flushed to disk."""
    values = [str(getattr(entry, c)).replace("\t", " ").replace("\n", " ") for c in COLUMNS]
    text = "\t".join(values) + "\n"
    if not path.exists():
        text = "\t".join(COLUMNS) + "\n" + text
    with open(path, "a", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


def archive_pdf(source_path: str | Path, out_dir: Path, archive_dir: Path = ARCHIVE) -> str:
    """Archive the current output PDF of one source; return what was done, in words."""
    source_path = Path(source_path)
    source = load_source(source_path)
    model = validate_source(source)
    stem = source_path.stem
    pdf = Path(out_dir) / f"{stem}.pdf"
    if not pdf.exists():
        raise ArchiveError(f"{shown(pdf)} does not exist: build it first (make archive does)")
    # The PDF carries the source it was built from, so "is it current?" has an exact answer;
    # for the templates and code only the files' times can tell.
    embedded = embedded_source(pdf, source_path.name)
    if embedded is None or sha256(embedded) != sha256(source.data):
        raise ArchiveError(f"{shown(pdf)} was not built from the current {shown(source_path)}: "
                           f"rebuild it first (make archive does)")
    newer = [p for p in shared_inputs(source_path) if p.stat().st_mtime_ns > pdf.stat().st_mtime_ns]
    if newer:
        raise ArchiveError(f"{shown(pdf)} is older than {shown(newer[0])}"
                           f"{f' and {len(newer) - 1} more input(s)' if len(newer) > 1 else ''}: "
                           f"rebuild it first (make archive does)")
    data = pdf.read_bytes()
    digest = sha256(data)
    version = model.dokumen.versi
    folder = Path(archive_dir) / stem
    manifest = folder / MANIFEST
    entries = read_manifest(manifest)

    for entry in entries:
        if entry.version == version:
            if entry.sha256 == digest:
                return (f"{shown(folder / entry.file)}: version {version} is already archived "
                        f"with these bytes; nothing to do")
            raise ArchiveError(
                f"{shown(pdf)}: version {version} is already archived as {shown(folder / entry.file)} "
                f"with different content; raise dokumen.versi in {shown(source_path)} "
                f"to archive a new release")

    name = archived_name(stem, version, model.dokumen.tanggal)
    target = folder / name
    if any(entry.file == name for entry in entries):
        raise ArchiveError(f"{shown(target)} is already in {shown(manifest)} under another version; "
                           f"raise dokumen.versi in {shown(source_path)}")
    if not write_new(target, data):
        # A file without a manifest line: left by an archive run stopped between its two steps.
        if sha256(target.read_bytes()) != digest:
            raise ArchiveError(f"{shown(target)} exists with different content and is not in "
                               f"{shown(manifest)}; it is never overwritten: "
                               f"raise dokumen.versi in {shown(source_path)}")
    append_entry(manifest, Entry(
        file=name, sha256=digest, size=str(len(data)), version=version,
        document_date=model.dokumen.tanggal.isoformat(), source_sha256=sha256(source.data),
        generator=f"renstra {__version__}", archived_at=archived_at()))
    return f"archived {shown(pdf)} as {shown(target)}"


@dataclass(frozen=True)
class Finding:
    """One thing wrong in the archive, by file."""

    path: Path
    problem: str


def verify_archive(archive_dir: Path = ARCHIVE) -> tuple[int, list[Finding]]:
    """Re-hash every archived file against its manifest; return (files checked, findings)."""
    archive_dir = Path(archive_dir)
    findings: list[Finding] = []
    checked = 0
    if not archive_dir.is_dir():
        return 0, findings
    for item in sorted(archive_dir.iterdir()):
        if not item.is_dir():
            findings.append(Finding(item, "not in any manifest (files belong in a document's folder)"))
            continue
        manifest = item / MANIFEST
        try:
            entries = read_manifest(manifest)
        except ArchiveError as exc:
            findings.append(Finding(manifest, str(exc)))
            entries = []
        if not manifest.exists():
            findings.append(Finding(manifest, "missing"))
        listed = set()
        for entry in entries:
            listed.add(entry.file)
            path = item / entry.file
            checked += 1
            if not path.is_file():
                findings.append(Finding(path, "missing"))
                continue
            data = path.read_bytes()
            if sha256(data) != entry.sha256 or str(len(data)) != entry.size:
                findings.append(Finding(path, f"altered (sha256 {sha256(data)[:12]}..., "
                                              f"manifest says {entry.sha256[:12]}...)"))
        for path in sorted(item.rglob("*")):
            relative = path.relative_to(item).as_posix()
            if path.is_dir() or relative == MANIFEST or relative in listed:
                continue
            hint = " (left by an interrupted archive run)" if path.name.endswith(TEMP_SUFFIX) else ""
            findings.append(Finding(path, f"not in the manifest{hint}"))
    return checked, findings
