"""Reading back what the tool wrote: the source a PDF carries, and where that PDF stands in the
archive (`renstra extract`; `renstra diff` reads PDFs through it too)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .archive import ARCHIVE, MANIFEST, SUMS, ArchiveError, Entry, read_manifest, read_sums, sha256
from .errors import RenstraError
from .i18n import _
from .outputs import shown_path, write_atomic, write_new

SUFFIXES = (".yaml", ".yml")


class ExtractError(RenstraError):
    """A file that is not a PDF of the tool, or a source that cannot be written where asked."""


def add_options(parser) -> None:
    """The arguments of `renstra extract` (cli._parser adds the subcommand)."""
    parser.add_argument("pdf", type=Path, metavar=_("FILE.pdf"))
    parser.add_argument("--out", type=Path, metavar=_("FILE"),
                        help=_("where to write the source (default: its own name in the current folder, "
                               "which is never overwritten; a file named here is replaced)"))
    parser.add_argument("--archive", type=Path, metavar=_("FOLDER"),
                        help=_("archive folder (default: the archive the PDF lies in, else archive/)"))


def embedded(pdf: Path) -> tuple[str, bytes]:
    """The name and bytes of the source a PDF built by the tool carries."""
    pdf = Path(pdf)
    if not pdf.is_file():
        message = _("{pdf}: no such file") if not pdf.exists() else _("{pdf} is not a regular file")
        raise ExtractError(message.format(pdf=shown_path(pdf)))
    with open(pdf, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise ExtractError(_("{pdf} is not a PDF").format(pdf=shown_path(pdf)))
    attached = attached_sources(pdf)
    sources = list(attached)
    if not sources:
        raise ExtractError(_("{pdf} carries no source file: only PDFs built by renstra have one embedded")
                           .format(pdf=shown_path(pdf)))
    if len(sources) > 1:
        raise ExtractError(_("{pdf} carries {count} YAML files ({names}); a PDF built by renstra carries one")
                           .format(pdf=shown_path(pdf), count=len(sources), names=", ".join(sources)))
    data = attached[sources[0]]
    if data is None:  # listed, but without a file stream
        raise ExtractError(_("{pdf}: the attachment {name} holds no file").format(pdf=shown_path(pdf),
                                                                                 name=sources[0]))
    return sources[0], data


def attached_sources(pdf: Path) -> dict[str, bytes | None]:
    """The YAML files a PDF carries, name -> bytes (None for an entry without a file), read in one
    opening of the PDF."""
    import pikepdf  # only reading PDFs back needs it

    try:
        with pikepdf.open(pdf) as document:
            found = {}
            for name, attached in document.attachments.items():
                if name.lower().endswith(SUFFIXES):
                    stream = attached.get_file() if attached is not None else None
                    found[name] = stream.read_bytes() if stream is not None else None
            return found
    except (pikepdf.PdfError, ValueError, RuntimeError) as exc:
        raise ExtractError(_("{pdf} is a damaged PDF and cannot be read ({error})")
                           .format(pdf=shown_path(pdf), error=str(exc).splitlines()[0] if str(exc) else
                                   type(exc).__name__)) from None


def plain_name(name: str) -> bool:
    """Whether an attachment's name can be used as a file name here: a PDF from elsewhere must not
    make extract write into another folder ('../x.yaml', '/etc/x.yaml')."""
    return (name == Path(name).name and "\\" not in name and name not in (".", "..")
            and not name.startswith(".") and all(c.isprintable() for c in name))


# --- where the PDF stands in the archive ---------------------------------------------------------

@dataclass(frozen=True)
class Standing:
    """What the archive says of a PDF: lines to print, and whether anything disagrees."""

    lines: tuple[str, ...]
    agrees: bool


def standing(pdf: Path, data: bytes, source_name: str, source: bytes, archive_dir: Path) -> Standing:
    """Whether the PDF is archived (by its SHA-256, in SHA256SUMS or a manifest) and agrees with
    its manifest entry: size, and the SHA-256 of the source it carries."""
    archive_dir = Path(archive_dir)
    shown = shown_path(pdf)
    if not archive_dir.is_dir():
        return Standing((_("{pdf} is not archived: there is no archive ({folder}/ does not exist)")
                         .format(pdf=shown, folder=shown_path(archive_dir)),), True)
    digest = sha256(data)
    lines: list[str] = []  # a damaged manifest first: what follows may then be incomplete
    manifests = _manifests(archive_dir, lines)
    damaged = bool(lines)
    sums = read_sums(archive_dir / SUMS)
    found = [(folder, entry) for folder, entries in manifests for entry in entries if entry.sha256 == digest]
    if found:
        agrees = not damaged
        for folder, entry in found:
            agrees &= _entry_lines(shown, data, source, folder, entry, sums, lines)
        return Standing(tuple(lines), agrees)
    listed = [relative for relative, value in sums.items() if value == digest]
    if listed:
        lines.append(_("{pdf}: {sums} lists it as {file}, but no manifest does").format(
            pdf=shown, sums=SUMS, file=listed[0]))
        return Standing(tuple(lines), False)
    inside = _inside(pdf, archive_dir)
    if inside is not None:
        # A file of the archive whose bytes no manifest knows: altered, or never recorded.
        entry = next((e for folder, entries in manifests if folder.name == inside.parent.name
                      for e in entries if e.file == inside.name), None)
        if entry is None:
            lines.append(_("{pdf} is in {folder}/ but in no manifest").format(
                pdf=shown, folder=shown_path(archive_dir)))
        else:
            lines.append(_("{pdf} does not match its manifest entry: its SHA-256 is {found}, the manifest "
                           "records {recorded}; it was changed after it was archived").format(
                pdf=shown, found=digest, recorded=entry.sha256))
        return Standing(tuple(lines), False)
    lines.append(_("{pdf} is not archived: no archived file has its SHA-256").format(pdf=shown))
    source_digest = sha256(source)
    stem = Path(source_name).stem
    for folder, entries in manifests:
        for entry in entries:
            if folder.name == stem and entry.source_sha256 == source_digest:
                lines.append(_("{file} (version {version}) in the archive was built from this same source")
                             .format(file=shown_path(folder / entry.file), version=entry.version))
    return Standing(tuple(lines), not damaged)


def _manifests(archive_dir: Path, problems: list[str]) -> list[tuple[Path, list[Entry]]]:
    """Each document folder with its manifest's entries; a damaged manifest is named in problems."""
    found = []
    for folder in sorted(archive_dir.iterdir()):
        if folder.is_symlink() or not folder.is_dir():  # as verify-archive, no link is followed
            continue
        try:
            found.append((folder, read_manifest(folder / MANIFEST)))
        except ArchiveError as exc:
            problems.append(str(exc))
    return found


def _entry_lines(shown: str, data: bytes, source: bytes, folder: Path, entry: Entry,
                 sums: dict, lines: list[str]) -> bool:
    archived = shown_path(folder / entry.file)
    lines.append(_("{pdf} is archived as {file}: version {version} of {date}, archived {when}").format(
        pdf=shown, file=archived, version=entry.version, date=entry.document_date, when=entry.archived_at))
    agrees = True
    if entry.size != str(len(data)):
        lines.append(_("its size is {found} bytes, the manifest records {recorded}").format(
            found=len(data), recorded=entry.size))
        agrees = False
    else:
        lines.append(_("it matches its manifest entry (SHA-256 and size)"))
    if entry.source_sha256:
        if entry.source_sha256 == sha256(source):
            lines.append(_("the extracted source has the SHA-256 the manifest records for it"))
        else:
            lines.append(_("the extracted source's SHA-256 is {found}, the manifest records {recorded}").format(
                found=sha256(source), recorded=entry.source_sha256))
            agrees = False
    relative = f"{folder.name}/{entry.file}"
    if sums.get(relative) != entry.sha256:
        lines.append(_("{sums} does not list it with this SHA-256; run renstra verify-archive").format(sums=SUMS))
        agrees = False
    return agrees


def archive_of(pdf: Path) -> Path:
    """The archive a PDF lies in (archive/NAME/FILE.pdf, beside SHA256SUMS), else archive/ of the
    project: `renstra extract archive/x/x_v1.0_2013-03-03.pdf` checks it where it is."""
    folder = Path(pdf).resolve().parent.parent
    return folder if (folder / SUMS).is_file() else ARCHIVE


def _inside(pdf: Path, archive_dir: Path) -> Path | None:
    """The PDF's path inside the archive folder, or None when it lies elsewhere."""
    try:
        return Path(pdf).resolve().relative_to(archive_dir.resolve())
    except ValueError:
        return None


# --- the command ---------------------------------------------------------------------------------

def run(args) -> int:
    """`renstra extract`: 0 when the source is written and the archive agrees (or does not hold the
    PDF); 1 when the PDF cannot be read, the source cannot be written, or the archive disagrees."""
    try:
        return _extract(args)
    except OSError as exc:  # a folder that cannot be written, a full disk
        where = f": {shown_path(exc.filename)}" if exc.filename else ""
        print(f"{exc.strerror or exc}{where}", file=sys.stderr)
        return 1


def _extract(args) -> int:
    pdf = Path(args.pdf)
    name, source = embedded(pdf)
    if args.out is not None:
        target = Path(args.out)
        if target.is_dir():
            raise ExtractError(_("{path} is a folder; give --out the name of the file to write")
                               .format(path=shown_path(target)))
        write_atomic(target, source)
        print(_("wrote {path} ({size} bytes, SHA-256 {digest})").format(
            path=shown_path(target), size=len(source), digest=sha256(source)))
    else:
        if not plain_name(name):
            raise ExtractError(_("{pdf} names its source {name}, which is not a plain file name; give the "
                                 "file to write with --out").format(pdf=shown_path(pdf), name=repr(name)))
        target = Path.cwd() / name
        if target.exists() or target.is_symlink():
            if target.is_file() and not target.is_symlink() and target.read_bytes() == source:
                print(_("{path} already holds this source; nothing written").format(path=shown_path(target)))
            else:
                raise ExtractError(_("{path} exists and is not overwritten; give another file with --out, "
                                     "or name this one with --out to replace it").format(path=shown_path(target)))
        elif not write_new(target, source):
            raise ExtractError(_("{path} exists and is not overwritten; give another file with --out")
                               .format(path=shown_path(target)))
        else:
            print(_("wrote {path} ({size} bytes, SHA-256 {digest})").format(
                path=shown_path(target), size=len(source), digest=sha256(source)))
    found = standing(pdf, pdf.read_bytes(), name, source, args.archive or archive_of(pdf))
    for line in found.lines:
        print(line, file=sys.stdout if found.agrees else sys.stderr)
    return 0 if found.agrees else 1
