"""The command line: check, build, archive, verify-archive and schema (build.py wraps main)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path

from . import __version__
from .archive import ARCHIVE, archive_pdf, verify_archive
from .errors import Problem, RenstraError, UsageError
from .fonts import check_fonts, glyph_warnings
from .diagnostics import model_warnings, validate_source
from .model import Renstra, json_schema
from .outputs import WRITERS, shown_path, write_atomic
from .paths import PROJECT, SOURCES, TEMPLATES
from .render import render_html
from .source import Source, load_source

SCHEMA_FILE = PROJECT / "schema" / "renstra.schema.json"
OUTPUT = PROJECT / "output"
MAX_NAME = 150  # bytes of a source's name without .yaml


class InternalError(RenstraError):
    """An unexpected exception inside the code or an engine: a bug to report, not the user's to fix."""

    def __init__(self, path: str, doing: str, exc: BaseException):
        self.path, self.doing, self.exc = path, doing, exc
        super().__init__(self.report())

    def report(self) -> str:
        head = (f"{self.path}: internal error while {self.doing}: {type(self.exc).__name__}: {self.exc}; "
                "nothing was written for it")
        # The traceback helps whoever fixes the bug and only confuses whoever typed the command.
        if os.environ.get("RENSTRA_DEBUG") == "1":
            return head + "\n" + "".join(traceback.format_exception(self.exc)).rstrip()
        return head + " (set RENSTRA_DEBUG=1 to see the traceback, and report it with the source)"


def check(path: str) -> tuple[Source, Renstra]:
    """Load and validate one source; raise SourceError with every problem."""
    source = load_source(path)
    return source, validate_source(source)


def warnings(source: Source, model: Renstra, completeness: bool = False) -> list[Problem]:
    """Located warnings that do not stop a build: characters the document's font cannot print,
    and with completeness (check) what a signed document lacks: emblem, the signer's name, NIP.

    A build leaves the latter out: a draft without them is normal, and `make` stays quiet.
    """
    found = glyph_warnings(source.root, TEMPLATES / "fonts", model.tata_letak.huruf)
    if completeness:
        found += model_warnings(source, model)
    return sorted(found, key=lambda p: (p.mark.line, p.mark.column))


def build(path: str, out_dir: Path, formats: list[str], on_written=None, on_warning=None) -> list[Path]:
    """Build the chosen formats of one source into out_dir; return the files written.

    on_written(path) is called after each file, so a later format's failure still shows what was
    written; on_warning(text) gets each warning, already formatted with its place in the source.
    """
    doing = "reading the source"
    if len(Path(path).stem.encode("utf-8")) > MAX_NAME:
        # The outputs and their temporary files (".NAME.docx.PID.xxxxxxxx.part") add to the name,
        # and most file systems stop at 255 bytes.
        raise RenstraError(f"{path}: the file name is {len(Path(path).stem)} characters long; at most "
                           f"{MAX_NAME}: give the source a shorter name")
    try:
        source, model = check(path)
        for problem in warnings(source, model):
            if on_warning:
                on_warning(problem.format(source.text))
        if "pdf" in formats or "docx" in formats:
            # Before anything is written: WeasyPrint would quietly fall back to a system font,
            # and the DOCX's table of contents takes its page numbers from the PDF's layout.
            check_fonts(TEMPLATES / "fonts", model.tata_letak.huruf)
        doing = "rendering the HTML"
        rendered = as_rendered = render_html(model, source, out_dir)
        if "pdf" in formats or ("docx" in formats and model.bab):
            # One layout for the build: the PDF is written from it and the DOCX's table of
            # contents takes its page numbers; a DOCX alone needs the numbers only.
            doing = "writing the PDF" if "pdf" in formats else "writing the DOCX"  # what the user asked for
            from .pdf import lay_out  # WeasyPrint is loaded only when a format needs it

            rendered = lay_out(rendered, pages_only="pdf" not in formats)
        written = []
        for name in formats:
            doing = f"writing the {name.upper()}"
            writer = WRITERS[name]
            target = out_dir / (Path(path).stem + writer.suffix)
            # The HTML preview is the HTML as rendered, whichever formats are built with it.
            writer.write(as_rendered if name == "html" else rendered, target)
            if name == "pdf":
                rendered = replace(rendered, layout=None)  # the DOCX does not need it held in memory
            written.append(target)
            if on_written:
                on_written(target)
        return written
    except (RenstraError, OSError):
        raise
    except Exception as exc:
        raise InternalError(path, doing, exc) from exc


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _formats(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in WRITERS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(WRITERS)}")
    return names


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = commands.add_parser("check", help="validate sources only")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p = commands.add_parser("build", help="build sources into output files (many in one process)")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--formats", type=_formats, default=list(WRITERS),
                   help=f"comma-separated, from {', '.join(WRITERS)} (default: all)")
    p.add_argument("--out", type=Path, default=OUTPUT, help="output folder (default: output/)")
    p = commands.add_parser("archive", help="store the current output PDFs in the archive (append-only)")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="default: every source/*.yaml")
    p.add_argument("--out", type=Path, default=OUTPUT, help="where the built PDFs are (default: output/)")
    p.add_argument("--archive", type=Path, default=ARCHIVE, help="archive folder (default: archive/)")
    p = commands.add_parser("verify-archive", help="re-hash every archived file against its manifest")
    p.add_argument("--archive", type=Path, default=ARCHIVE, help="archive folder (default: archive/)")
    p = commands.add_parser("schema", help="print the JSON Schema of the source format")
    p.add_argument("--write", action="store_true", help=f"write it to {SCHEMA_FILE.relative_to(PROJECT)}")
    return parser


def run() -> None:
    """The `renstra` command installed by pip."""
    sys.exit(main(prog="renstra"))


def main(argv: list[str] | None = None, prog: str = "build.py") -> int:
    """Run one command; 0 ok, 1 bad input, 2 usage error."""
    try:
        args = _parser(prog).parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error, or the help
        return exc.code if isinstance(exc.code, int) else 2
    try:
        if args.command == "schema":
            if args.write:
                write_atomic(SCHEMA_FILE, schema_text().encode("utf-8"))
            else:
                sys.stdout.write(schema_text())
            return 0
        if args.command == "verify-archive":
            return _verify(args.archive)
        sources = _sources(args)
        failures = 0
        # One bad source must not stop the others: report it, go on, and exit 1 at the end.
        for path in sources:
            try:
                _run_one(args, path)
            except UsageError:
                raise
            except RenstraError as exc:
                print(exc.report(), file=sys.stderr)
                failures += 1
            except OSError as exc:  # an output folder that cannot be written, a full disk
                where = f": {shown_path(exc.filename)}" if exc.filename else ""
                print(f"{path}: {exc.strerror or exc}{where}", file=sys.stderr)
                failures += 1
            except Exception as exc:  # a bug: say so in one line, then go on with the next source
                print(InternalError(path, f"running {args.command}", exc).report(), file=sys.stderr)
                failures += 1
        if failures and len(sources) > 1:
            print(f"{failures} of {len(sources)} sources failed", file=sys.stderr)
        return 1 if failures else 0
    except RenstraError as exc:
        print(exc.report(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def _sources(args) -> list[str]:
    """The sources named on the command line, once each; archive defaults to every source/*.yaml."""
    sources = list(dict.fromkeys(str(s) for s in args.sources))
    if not sources:
        sources = [shown_path(p) for p in sorted(SOURCES.glob("*.yaml"))]
        if not sources:
            raise RenstraError(f"no sources in {shown_path(SOURCES)}/: nothing to {args.command}")
    if args.command in ("build", "archive"):
        by_name: dict[str, str] = {}
        for path in sources:
            other = by_name.setdefault(Path(path).stem, path)
            if other != path:
                raise UsageError(f"{other} and {path} have the same name and would share "
                                 f"{shown_path(args.out)}/{Path(path).stem}.*; give them different names")
    return sources


def _run_one(args, path: str) -> None:
    if args.command == "check":
        source, model = check(path)
        for problem in warnings(source, model, completeness=True):
            print(problem.format(source.text), file=sys.stderr)
        print(f"{path}: ok")
    elif args.command == "archive":
        print(archive_pdf(path, args.out, args.archive))
    else:
        build(path, args.out, args.formats, on_written=lambda target: print(f"wrote {shown_path(target)}"),
              on_warning=lambda text: print(text, file=sys.stderr))


def _verify(folder: Path) -> int:
    checked, findings = verify_archive(folder)
    for finding in findings:
        print(f"{shown_path(finding.path)}: {finding.problem}", file=sys.stderr)
    files = "1 archived file" if checked == 1 else f"{checked} archived files"
    if findings:
        print(f"{shown_path(folder)}/: {len(findings)} problem(s), {files} listed in manifests",
              file=sys.stderr)
        return 1
    if not checked:
        print(f"{shown_path(folder)}/ holds no archived files yet; nothing to verify")
    else:
        print(f"{shown_path(folder)}/: {files} checked, all match their manifests")
    return 0
