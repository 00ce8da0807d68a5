"""Where the project's files are, and the one rule for reading them: only inside allowed folders."""

from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath
from urllib.parse import unquote, urlsplit

from .i18n import N_, _

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"  # inside the package, so an installed `renstra` has them too


def find_project(start: Path) -> Path:
    """The project folder a command works in: the nearest of start and its parents that holds a
    source/ folder (so a command run inside source/ still finds output/ and archive/), else start."""
    for folder in (start, *start.parents):
        if (folder / "source").is_dir():
            return folder
    return start


PROJECT = find_project(Path.cwd().resolve())
SOURCES = PROJECT / "source"
ARCHIVE = PROJECT / "archive"  # released PDFs (archive.py): append-only
TEMPLATE = "renstra.html.j2"


# Each image type the writers can embed, and the first bytes every such file starts with.
IMAGE_SIGNATURES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}


def asset_problem(source_path: str, value: str) -> str | None:
    """Why an asset path a source names may not be used, or None: only image files inside the
    source's folder or templates/ are read, so a shared source cannot make the build read or
    fetch anything else."""
    # Windows paths first: a drive letter looks like a URL's scheme ('C:'), and a backslash is a
    # character of a file's name everywhere but Windows, so the source would build there only.
    name = PureWindowsPath(value).name or "logo.png"
    if value.startswith("\\\\"):
        return _("'{value}' is a path on another computer of the network; copy the file beside the "
                 "source and give its name (e.g. '{name}')").format(value=value, name=name)
    if re.match(r"^[a-zA-Z]:", value) or value.startswith("\\"):  # C:\x.png, or \x.png on drive C:
        return _("'{value}' is an absolute Windows path; copy the file beside the source and give its "
                 "name (e.g. '{name}')").format(value=value, name=name)
    if "\\" in value and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
        return _("'{value}' separates folders with '\\'; write '/' instead: '{fixed}'").format(
            value=value, fixed=value.replace("\\", "/"))
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value) or value.startswith("//"):
        return _("'{value}' is a URL; give the path of a file beside the source instead").format(value=value)
    if Path(value).is_absolute():
        return _("'{value}' is an absolute path; give a path relative to the source file").format(value=value)
    folder = Path(source_path).resolve().parent
    target = (folder / value).resolve()
    if not any(target.is_relative_to(root) for root in (folder, TEMPLATES)):
        return _("'{value}' points outside the source's folder; copy the file beside the source and "
                 "give its name").format(value=value)
    if not target.exists():
        return _("'{value}' does not exist (looked for {path})").format(value=value, path=_shown_path(target))
    if not target.is_file():
        return _("'{value}' is not a regular file").format(value=value)
    if target.suffix.lower() not in IMAGE_SIGNATURES:
        if not target.suffix:
            return _("'{value}' must be a PNG or JPEG image, named with its type at the end "
                     "(like 'logo.png')").format(value=value)
        return _("'{value}' must be a PNG or JPEG image (Word cannot show {suffix} files)").format(
            value=value, suffix=target.suffix)
    with open(target, "rb") as image:
        start = image.read(8)
    if not start.startswith(IMAGE_SIGNATURES[target.suffix.lower()]):
        return _("'{value}' is not a {kind} image, whatever its name says").format(
            value=value, kind=target.suffix[1:].upper())
    return _image_problem(value, target)


# An emblem is printed 4.5 cm wide: 5,000 x 5,000 pixels is far more than enough, and a larger
# image only costs memory (a 20,000 x 20,000 PNG of a few kilobytes decodes to 1.6 GB).
MAX_PIXELS = 25_000_000
_PIXELS_SHOWN = f"{MAX_PIXELS:,}".replace(",", ".")  # as Indonesian writes it, in both languages


def _image_problem(value: str, path: Path) -> str | None:
    """Why an image file cannot be printed (damaged, or too many pixels), or None."""
    from PIL import Image  # only when a source names an image

    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return _("'{value}' is {width} x {height} pixels; an emblem needs far fewer (at most "
                         "{limit} pixels): save it smaller").format(value=value, width=width, height=height,
                                                                    limit=_PIXELS_SHOWN)
            image.load()  # decodes every pixel: a damaged file fails here, not silently in the PDF
    except Image.DecompressionBombError:
        return _("'{value}' has far too many pixels for an emblem (more than {limit}); save it "
                 "smaller").format(value=value, limit=_PIXELS_SHOWN)
    except Exception as exc:  # Pillow raises many kinds for a damaged file
        return _("'{value}' cannot be read as an image ({kind}); save it again as PNG or JPEG").format(
            value=value, kind=type(exc).__name__)
    return None


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return path.name


# What a caller of read_confined may name the file it asks for (the writers pass "the emblem "),
# listed for the catalog: read_confined shows it translated.
_WHAT = (N_("the emblem"),)


def read_confined(url: str, folders, what: str = "") -> tuple[Path, bytes]:
    """The path and bytes of the regular file a file: URL names inside one of folders; an image
    must be what its suffix says. Raises ValueError with the reason (what names the file in it).

    Both writers read their files only through this, so a template or a shared source cannot
    make a build fetch from the network, read a file of the machine or hang on a device.
    """
    what = _(what.strip()) + " " if what.strip() else ""
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise ValueError(_("refused to read {what}{url}: a build reads no network or other URLs, "
                           "only files in the templates folder and the source's folder").format(what=what, url=url))
    path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(folder) for folder in folders):
        shown = ", ".join(str(f) for f in folders)
        raise ValueError(_("refused to read {what}{path}: a build reads only files inside {folders}")
                         .format(what=what, path=path, folders=shown))
    if not path.is_file():
        raise ValueError(_("cannot read {what}{path}: it is missing or not a regular file")
                         .format(what=what, path=path))
    data = path.read_bytes()
    signature = IMAGE_SIGNATURES.get(path.suffix.lower())
    if signature is not None and not data.startswith(signature):
        raise ValueError(_("cannot use {what}{path}: it is not a {kind} image, whatever its name says")
                         .format(what=what, path=path, kind=path.suffix[1:].upper()))
    return path, data
