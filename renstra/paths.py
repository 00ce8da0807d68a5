"""Where the project's files are, and the one rule for reading them: only inside allowed folders."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

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
TEMPLATE = "renstra.html.j2"


# Each image type the writers can embed, and the first bytes every such file starts with.
IMAGE_SIGNATURES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}


def asset_problem(source_path: str, value: str) -> str | None:
    """Why an asset path a source names may not be used, or None: only image files inside the
    source's folder or templates/ are read, so a shared source cannot make the build read or
    fetch anything else."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value) or value.startswith("//"):
        return f"'{value}' is a URL; give the path of a file beside the source instead"
    if Path(value).is_absolute():
        return f"'{value}' is an absolute path; give a path relative to the source file"
    folder = Path(source_path).resolve().parent
    target = (folder / value).resolve()
    if not any(target.is_relative_to(root) for root in (folder, TEMPLATES)):
        return f"'{value}' points outside the source's folder and templates/; copy the file beside the source"
    if not target.exists():
        return f"'{value}' does not exist (looked for {_shown_path(target)})"
    if not target.is_file():
        return f"'{value}' is not a regular file"
    if target.suffix.lower() not in IMAGE_SIGNATURES:
        return f"'{value}' must be a PNG or JPEG image (Word cannot show {target.suffix or 'this'} files)"
    with open(target, "rb") as image:
        start = image.read(8)
    if not start.startswith(IMAGE_SIGNATURES[target.suffix.lower()]):
        return f"'{value}' is not a {target.suffix[1:].upper()} image, whatever its name says"
    return _image_problem(value, target)


# An emblem is printed 4.5 cm wide: 5,000 x 5,000 pixels is far more than enough, and a larger
# image only costs memory (a 20,000 x 20,000 PNG of a few kilobytes decodes to 1.6 GB).
MAX_PIXELS = 25_000_000


def _image_problem(value: str, path: Path) -> str | None:
    """Why an image file cannot be printed (damaged, or too many pixels), or None."""
    from PIL import Image  # only when a source names an image

    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return (f"'{value}' is {width} x {height} pixels; an emblem needs far fewer (at most "
                        f"{MAX_PIXELS:,} pixels): save it smaller".replace(",", "."))
            image.load()  # decodes every pixel: a damaged file fails here, not silently in the PDF
    except Image.DecompressionBombError:
        return (f"'{value}' has far too many pixels for an emblem (more than {MAX_PIXELS:,}); save it "
                "smaller").replace(",", ".")
    except Exception as exc:  # Pillow raises many kinds for a damaged file
        return f"'{value}' cannot be read as an image ({type(exc).__name__}); save it again as PNG or JPEG"
    return None


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return path.name


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
