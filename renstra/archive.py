"""The append-only archive of released PDFs, one folder and one manifest per document."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path

from . import __version__
from .errors import RenstraError
from .i18n import _
from .paths import ARCHIVE, PACKAGE, PROJECT, TEMPLATES
from .diagnostics import validate_source
from .timestamps import source_date_epoch, utc_stamp
from .outputs import TEMP_SUFFIX, WINDOWS, shown_path as shown, write_atomic, write_new
from .source import load_source

MANIFEST = "MANIFEST.tsv"
# Every archived file's SHA-256 and path, at the archive's top: `cd archive && sha256sum -c
# SHA256SUMS` checks the archive without this tool, and a document folder that disappears is
# still known by it.
SUMS = "SHA256SUMS"
LOCK = ".lock"


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
    # The code and the pinned versions count where they are part of the project (make's checkout).
    files = [*_files_in(TEMPLATES), *beside, *sorted(PACKAGE.glob("*.py")),
             PROJECT / "build.py", PROJECT / "requirements.txt"]
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
        raise ArchiveError(_("{pdf} is not a readable PDF ({error}): rebuild it (make archive does)")
                           .format(pdf=shown(pdf), error=exc)) from None


def read_manifest(path: Path) -> list[Entry]:
    """The entries of a manifest; a damaged line is an ArchiveError naming it."""
    if not path.exists():
        return []
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ArchiveError(_("{path}: not UTF-8 text; restore it from the office's copy of the archive "
                             "or from git").format(path=shown(path))) from None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != COLUMNS:
        raise ArchiveError(_("{path}:1: the first line must be the column names: {columns}")
                           .format(path=shown(path), columns=" ".join(COLUMNS)))
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        values = line.split("\t")
        if len(values) != len(COLUMNS):
            raise ArchiveError(_("{path}:{line}: expected {expected} tab-separated values, found {found}")
                               .format(path=shown(path), line=number, expected=len(COLUMNS),
                                       found=len(values)))
        entry = Entry(*values)
        if entry.file != Path(entry.file).name or entry.file in ("", ".", "..") or entry.file == MANIFEST:
            raise ArchiveError(_("{path}:{line}: names {name}, which is not a file of this folder")
                               .format(path=shown(path), line=number, name=repr(entry.file)))
        entries.append(entry)
    return entries


def append_entry(path: Path, entry: Entry) -> None:
    """Add one line to a manifest (creating it with its header): whole or not at all."""
    values = [str(getattr(entry, c)) for c in COLUMNS]
    if any(_breaks_a_line(v) for v in values):  # validation refuses such a version already
        raise ArchiveError(_("{path}: a value holds a tab or a line break: {values}")
                           .format(path=shown(path), values=repr(values)))
    append_line(path, "\t".join(values), header="\t".join(COLUMNS))


def append_line(path: Path, line: str, header: str | None = None) -> None:
    """Append a line to a text file by writing the whole file anew and renaming it into place,
    so a full disk or a killed run leaves the old file whole; a last line that lacks its line
    break (a file saved by an editor) gets it first, so the new line is never glued onto it."""
    old = path.read_bytes() if path.exists() else (header + "\n").encode("utf-8") if header else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    write_atomic(path, old + (line + "\n").encode("utf-8"))


def _breaks_a_line(value: str) -> bool:
    return any(c in value for c in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _refuse_links(*paths: Path) -> None:
    """The archive is written only into real folders and files: a link could lead anywhere."""
    for path in paths:
        if path.is_symlink():
            raise ArchiveError(_("{path} is a symbolic link; the archive is written only into real "
                                 "folders and files: replace it with a real one").format(path=shown(path)))
        if path.exists() and not path.is_file() and not path.is_dir():
            raise ArchiveError(_("{path} is neither a folder nor a regular file").format(path=shown(path)))


@contextlib.contextmanager
def _locked(archive_dir: Path):
    """One archive run at a time: a second one stops at once instead of appending beside it."""
    with open(archive_dir / LOCK, "a") as handle:
        try:
            _lock(handle)
        except OSError:  # BlockingIOError on POSIX, PermissionError from msvcrt on Windows
            raise ArchiveError(_("{folder}/ is being written by another archive run; run it again "
                                 "when that one has ended").format(folder=shown(archive_dir))) from None
        try:
            yield
        finally:
            _unlock(handle)


def _lock(handle) -> None:
    """Lock the archive's lock file without waiting; OSError if another run holds it."""
    if WINDOWS:
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(handle) -> None:
    if WINDOWS:
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_UN)


def sums_line(digest: str, relative: str) -> str:
    """A line of SHA256SUMS as sha256sum writes it."""
    return f"{digest}  {relative}"


def read_sums(path: Path) -> dict[str, str]:
    """relative path -> SHA-256 from an archive's SHA256SUMS (empty if there is none)."""
    if not path.is_file():
        return {}
    found = {}
    for line in path.read_bytes().decode("utf-8", "replace").split("\n"):
        digest, _, relative = line.partition("  ")
        if relative:
            found[relative] = digest
    return found


def archive_pdf(source_path: str | Path, out_dir: Path, archive_dir: Path = ARCHIVE) -> str:
    """Archive the current output PDF of one source; return what was done, in words."""
    source_path = Path(source_path)
    source = load_source(source_path)
    model = validate_source(source)
    stem = source_path.stem
    pdf = Path(out_dir) / f"{stem}.pdf"
    if not pdf.exists():
        raise ArchiveError(_("{pdf} does not exist: build it first (make archive does)")
                           .format(pdf=shown(pdf)))
    # The PDF carries the source it was built from, so "is it current?" has an exact answer;
    # for the templates and code only the files' times can tell.
    embedded = embedded_source(pdf, source_path.name)
    if embedded is None or sha256(embedded) != sha256(source.data):
        raise ArchiveError(_("{pdf} was not built from the current {source}: rebuild it first "
                             "(make archive does)").format(pdf=shown(pdf), source=shown(source_path)))
    newer = [p for p in shared_inputs(source_path) if p.stat().st_mtime_ns > pdf.stat().st_mtime_ns]
    if newer:
        message = (_("{pdf} is older than {input}: rebuild it first (make archive does)") if len(newer) == 1
                   else _("{pdf} is older than {input} and {count} more input(s): rebuild it first "
                          "(make archive does)"))
        raise ArchiveError(message.format(pdf=shown(pdf), input=shown(newer[0]), count=len(newer) - 1))
    data = pdf.read_bytes()
    archive_dir = Path(archive_dir)
    folder = archive_dir / stem
    _refuse_links(archive_dir, folder, folder / MANIFEST, archive_dir / SUMS)
    if archive_dir.exists() and not archive_dir.is_dir():
        raise ArchiveError(_("{path} is not a folder; the archive is a folder of folders")
                           .format(path=shown(archive_dir)))
    archive_dir.mkdir(parents=True, exist_ok=True)
    with _locked(archive_dir):
        made_folder = not folder.exists()
        try:
            return _archive(source_path, source, model, pdf, data, archive_dir, folder)
        finally:
            if made_folder and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()  # a run that failed leaves no empty folder behind


def _archive(source_path, source, model, pdf, data, archive_dir, folder) -> str:
    stem = source_path.stem
    digest = sha256(data)
    version = model.dokumen.versi
    manifest = folder / MANIFEST
    entries = read_manifest(manifest)
    sums = archive_dir / SUMS

    for entry in entries:
        if entry.version == version:
            if entry.sha256 == digest:
                relative = f"{stem}/{entry.file}"
                if relative not in read_sums(sums):  # a run stopped before its last line
                    append_line(sums, sums_line(entry.sha256, relative))
                return (_("{file}: version {version} is already archived with these bytes; nothing to do")
                        .format(file=shown(folder / entry.file), version=version))
            raise ArchiveError(
                _("{pdf}: version {version} is already archived as {file} with different content; "
                  "raise dokumen.versi in {source} to archive a new release")
                .format(pdf=shown(pdf), version=version, file=shown(folder / entry.file),
                        source=shown(source_path)))

    name = archived_name(stem, version, model.dokumen.tanggal)
    target = folder / name
    _refuse_links(target)
    if any(entry.file == name for entry in entries):
        raise ArchiveError(_("{file} is already in {manifest} under another version; raise dokumen.versi "
                             "in {source}").format(file=shown(target), manifest=shown(manifest),
                                                   source=shown(source_path)))
    if not write_new(target, data):
        # A file without a manifest line: left by an archive run stopped between its two steps.
        if sha256(target.read_bytes()) != digest:
            raise ArchiveError(_("{file} exists with different content and is not in {manifest}; it is "
                                 "never overwritten: raise dokumen.versi in {source}")
                               .format(file=shown(target), manifest=shown(manifest),
                                       source=shown(source_path)))
    append_entry(manifest, Entry(
        file=name, sha256=digest, size=str(len(data)), version=version,
        document_date=model.dokumen.tanggal.isoformat(), source_sha256=sha256(source.data),
        generator=f"renstra {__version__}", archived_at=archived_at()))
    append_line(sums, sums_line(digest, f"{stem}/{name}"))
    return _("archived {pdf} as {file}").format(pdf=shown(pdf), file=shown(target))


@dataclass(frozen=True)
class Finding:
    """One thing wrong in the archive, by file."""

    path: Path
    problem: str


def verify_archive(archive_dir: Path = ARCHIVE) -> tuple[int, list[Finding]]:
    """Re-hash every archived file against its manifest and SHA256SUMS; return (files checked,
    findings). Reads only inside archive_dir and follows no link."""
    archive_dir = Path(archive_dir)
    findings: list[Finding] = []
    checked = 0
    if archive_dir.is_symlink() or (archive_dir.exists() and not archive_dir.is_dir()):
        return 0, [Finding(archive_dir, _("is not a folder; the archive is a folder of folders"))]
    if not archive_dir.is_dir():
        return 0, findings
    sums = read_sums(archive_dir / SUMS)
    in_manifests = set()
    for item in sorted(archive_dir.iterdir()):
        if item.name in (SUMS, LOCK):
            continue
        if item.is_symlink() or not item.is_dir():
            findings.append(Finding(item, _("a link, not followed") if item.is_symlink() else
                                    _("not in any manifest (files belong in a document's folder)")))
            continue
        manifest = item / MANIFEST
        try:
            entries = read_manifest(manifest)
        except ArchiveError as exc:
            findings.append(Finding(manifest, str(exc)))
            entries = []
        if not manifest.exists():
            findings.append(Finding(manifest, _("missing")))
        elif not manifest.read_bytes().endswith(b"\n"):
            findings.append(Finding(manifest, _("its last line is incomplete (cut short, or edited by hand)")))
        listed = {MANIFEST}
        for entry in entries:
            listed.add(entry.file)
            path = item / entry.file
            relative = f"{item.name}/{entry.file}"
            in_manifests.add(relative)
            checked += 1
            if path.is_symlink() or not path.is_file():
                findings.append(Finding(path, _("a link, not followed") if path.is_symlink() else _("missing")))
                continue
            data = path.read_bytes()
            if sha256(data) != entry.sha256 or str(len(data)) != entry.size:
                findings.append(Finding(path, _("altered (sha256 {found}..., manifest says {expected}...)")
                                        .format(found=sha256(data)[:12], expected=entry.sha256[:12])))
            if sums.get(relative) != entry.sha256:
                findings.append(Finding(path, _("not listed with this SHA-256 in {sums}").format(sums=SUMS)))
        for root, folders, files in os.walk(item):  # links are listed, never followed
            for name in sorted(files + [f for f in folders if (Path(root) / f).is_symlink()]):
                path = Path(root) / name
                relative = path.relative_to(item).as_posix()
                if relative in listed:
                    continue
                findings.append(Finding(path, _("not in the manifest (left by an interrupted archive run)")
                                        if name.endswith(TEMP_SUFFIX) else _("not in the manifest")))
    for relative in sorted(set(sums) - in_manifests):
        findings.append(Finding(archive_dir / relative,
                                _("listed in {sums} but in no manifest (its folder or line is gone)")
                                .format(sums=SUMS)))
    return checked, findings
