"""Where outputs go, and how they get there: whole, or not at all."""

from __future__ import annotations

import errno
import importlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import RenstraError
from .i18n import _

# Temporary files are named ".<target>.<pid>.<random>.part": hidden, so no glob of sources or
# outputs picks them up, and carrying the writer's process id, so a later build can tell a file
# left by a killed process from one that is still being written.
TEMP_SUFFIX = ".part"

# Windows has no signal 0 (os.kill(pid, 0) sends CTRL_C_EVENT there) and no hard links on FAT,
# exFAT and many network shares; the few places that differ ask this.
WINDOWS = os.name == "nt"


class OutputError(RenstraError):
    """An output that cannot be written where it must go."""


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename it into place.

    A build that fails or is killed part-way leaves the previous output as it was and no
    partial file under the target's name.
    """
    path = Path(path)
    temporary = _write_temporary(path, data)
    try:
        os.replace(temporary, path)
    except PermissionError:
        _remove(temporary)
        # On Windows a file open in Word or a PDF viewer cannot be replaced; say which and why.
        raise OutputError(_("{path} cannot be replaced: it is open in another program (Word, a PDF "
                            "viewer) or write-protected; close it and run again (the previous file is "
                            "left as it was)").format(path=shown_path(path))) from None
    except BaseException:
        _remove(temporary)
        raise


def write_new(path: str | Path, data: bytes) -> bool:
    """Write a file that must not exist yet, atomically; return False (writing nothing) if it does.

    Used for the archive, where an existing file is never replaced.
    """
    path = Path(path)
    temporary = _write_temporary(path, data)
    try:
        # A hard link fails if the name is taken, so a file that appears meanwhile is never replaced.
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    except OSError:
        # No hard links here (FAT, exFAT, many network shares): claim the name first, exclusively,
        # then move the whole file onto it. An interruption can leave the claimed file empty,
        # never a half-written one, and never touches a file that was there before.
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            return False
        os.replace(temporary, path)
        return True
    finally:
        _remove(temporary)


def remove_stale_temporaries(path: Path) -> None:
    """Remove temporary files of this target left by processes that no longer run."""
    try:
        candidates = list(path.parent.glob(f".{_escape_glob(path.name)}.*{TEMP_SUFFIX}"))
    except OSError:
        return
    for candidate in candidates:
        middle = candidate.name[len(path.name) + 2 : -len(TEMP_SUFFIX)]
        pid = middle.split(".", 1)[0]
        if not pid.isdigit():
            continue
        if WINDOWS:
            # A file another process still writes cannot be removed there: trying is the test.
            try:
                _remove(candidate)
            except PermissionError:
                pass
        elif not _running(int(pid)):
            _remove(candidate)


def _write_temporary(path: Path, data: bytes) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where the folder should be; say so rather than "File exists"
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path.parent)) from None
    remove_stale_temporaries(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX,
                                    dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        _remove(temporary)
        raise
    return temporary


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def _escape_glob(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


@dataclass(frozen=True)
class Writer:
    """One output format: its name, file suffix, and the function that makes its bytes."""

    name: str
    suffix: str
    target: str  # "module:function", imported only when used so `check` and `make pdf` stay light

    def make(self, rendered) -> bytes:
        module, function = self.target.split(":")
        try:
            loaded = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            raise RenstraError(_("the {format} writer ({module}) is not part of this installation; "
                                 "choose other formats with --formats")
                               .format(format=self.name, module=module)) from None
        return getattr(loaded, function)(rendered)

    def write(self, rendered, path: Path) -> None:
        write_atomic(path, self.make(rendered))


WRITERS = {
    "html": Writer("html", ".html", "renstra.render:html_bytes"),
    "pdf": Writer("pdf", ".pdf", "renstra.pdf:pdf_bytes"),
    "docx": Writer("docx", ".docx", "renstra.docx:docx_bytes"),
}


def shown_path(path: str | Path) -> str:
    """A path relative to the working folder when it is inside it, so messages stay short."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def failure_report(path: str, exc: BaseException) -> str:
    """What a failed build of path prints: the located messages, or what the system said and of
    which file (an output folder that cannot be written, a full disk)."""
    if isinstance(exc, RenstraError):
        return exc.report()
    where = f": {shown_path(exc.filename)}" if getattr(exc, "filename", None) else ""
    return f"{path}: {getattr(exc, 'strerror', None) or exc}{where}"
