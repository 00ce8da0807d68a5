"""The command line: check, build, archive, verify-archive and schema (renstra, python -m renstra
and build.py all call main)."""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .engine import PdfEngine
from .errors import Problem, RenstraError, UsageError
from .i18n import N_, _, ngettext
from .fonts import check_fonts, glyph_warnings
from .outputs import WRITERS, failure_report, shown_path, write_atomic
from .paths import ARCHIVE, PROJECT, SOURCES, TEMPLATES

if TYPE_CHECKING:
    from .model import Renstra
    from .source import Source

# The model, the templates and validation (pydantic, Jinja, PyYAML) are loaded by the functions
# that use them, not here: a build forks its PDF engine first (engine.py), and each process then
# loads only what it needs, at the same time.

SCHEMA_FILE = PROJECT / "schema" / "renstra.schema.json"
OUTPUT = PROJECT / "output"
MAX_NAME = 150  # bytes of a source's name without .yaml


class InternalError(RenstraError):
    """An unexpected exception inside the code or an engine: a bug to report, not the user's to fix."""

    def __init__(self, path: str, doing: str, exc: BaseException):
        self.path, self.doing, self.exc = path, doing, exc
        super().__init__(self.report())

    def report(self) -> str:
        # An error in the PDF engine's process comes described as it was raised there.
        error = getattr(self.exc, "described", None) or f"{type(self.exc).__name__}: {self.exc}"
        head = _("{path}: internal error while {doing}: {error}; nothing was written for it").format(
            path=self.path, doing=_(self.doing), error=error)
        # The traceback helps whoever fixes the bug and only confuses whoever typed the command.
        if os.environ.get("RENSTRA_DEBUG") == "1":
            trace = getattr(self.exc, "remote_traceback", None) or "".join(traceback.format_exception(self.exc))
            return head + "\n" + trace.rstrip()
        return head + " " + _("(set RENSTRA_DEBUG=1 to see the traceback, and report it with the source)")


def check(path: str) -> tuple[Source, Renstra]:
    """Load and validate one source; raise SourceError with every problem."""
    from .diagnostics import validate_source
    from .source import load_source

    source = load_source(path)
    return source, validate_source(source)


def warnings(source: Source, model: Renstra, completeness: bool = False) -> list[Problem]:
    """Located warnings that do not stop a build: characters the document's font cannot print,
    and with completeness (check) what a signed document lacks: emblem, the signer's name, NIP.

    A build leaves the latter out: a draft without them is normal, and `make` stays quiet.
    """
    found = glyph_warnings(source.root, TEMPLATES / "fonts", model.tata_letak.huruf)
    if completeness:
        from .diagnostics import model_warnings

        found += model_warnings(source, model)
    return sorted(found, key=lambda p: (p.mark.line, p.mark.column))


def build(path: str, out_dir: Path, formats: list[str], on_written=None, on_warning=None,
          engine: PdfEngine | None = None) -> list[Path]:
    """Build the chosen formats of one source into out_dir; return the files written.

    on_written(path) is called after each file, so a later format's failure still shows what was
    written; on_warning(text) gets each warning, already formatted with its place in the source.
    With an engine (engine.py) the PDF is laid out in its process while this one makes the rest;
    the files are written here, in the same order and with the same bytes as without.
    """
    doing = N_("reading the source")
    if len(Path(path).stem.encode("utf-8")) > MAX_NAME:
        # The outputs and their temporary files (".NAME.docx.PID.xxxxxxxx.part") add to the name,
        # and most file systems stop at 255 bytes.
        raise RenstraError(_("{path}: the file name is {length} characters long; at most {most}: give "
                             "the source a shorter name").format(path=path, length=len(Path(path).stem),
                                                                 most=MAX_NAME))
    try:
        source, model = check(path)
        for problem in warnings(source, model):
            if on_warning:
                on_warning(problem.format(source.text))
        if "pdf" in formats or "docx" in formats:
            # Before anything is written: WeasyPrint would quietly fall back to a system font,
            # and the DOCX's table of contents takes its page numbers from the PDF's layout.
            check_fonts(TEMPLATES / "fonts", model.tata_letak.huruf)
        doing = N_("rendering the HTML")
        from .render import render_html

        rendered = as_rendered = render_html(model, source, out_dir)
        made = None
        if engine is not None and "pdf" in formats:
            made = _made_with_engine(engine, rendered, formats)
        elif "pdf" in formats or ("docx" in formats and model.bab):
            # One layout for the build: the PDF is written from it and the DOCX's table of
            # contents takes its page numbers; a DOCX alone needs the numbers only.
            doing = DOING[("pdf" if "pdf" in formats else "docx")]  # what the user asked for
            from .pdf import lay_out  # WeasyPrint is loaded only when a format needs it

            rendered = lay_out(rendered, pages_only="pdf" not in formats)
        written = []
        for name in formats:
            doing = DOING[name]
            writer = WRITERS[name]
            target = out_dir / (Path(path).stem + writer.suffix)
            if made is not None:
                if isinstance(made[name], BaseException):
                    raise made[name]  # in its turn: the formats before it are written, as without
                write_atomic(target, made[name])
            else:
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


def _made_with_engine(engine: PdfEngine, rendered, formats: list[str]) -> dict:
    """Each format's bytes, or the exception that stopped it: the engine lays out and writes the
    PDF meanwhile, and the DOCX waits only for its table of contents' page numbers."""
    engine.submit(rendered.pdf_job())
    made = {}
    for name in formats:
        if name != "pdf":
            try:
                if name == "docx" and rendered.model.bab:
                    made[name] = WRITERS[name].make(rendered.with_toc_pages(engine.toc_pages()))
                else:
                    made[name] = WRITERS[name].make(rendered)
            except Exception as exc:
                made[name] = exc
    try:
        made["pdf"] = engine.pdf_bytes()
    except Exception as exc:
        made["pdf"] = exc
    return made


# What a build was doing when an engine failed, by format, for the internal error's message.
DOING = {"html": N_("writing the HTML"), "pdf": N_("writing the PDF"), "docx": N_("writing the DOCX")}


def schema_text() -> str:
    from .model import json_schema

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _formats(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in WRITERS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(_("unknown format {name}; choose from {choices}").format(
            name=repr(", ".join(unknown) or value), choices=", ".join(WRITERS)))
    return names


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(_("a port is a whole number from 0 to 65535, not {value}").format(
            value=repr(value)))
    return int(value)


# argparse's own words (usage, options, its errors) as the catalog carries them: argparse asks
# gettext's default domain, which knows nothing of ours, so its two lookups are pointed here.
ARGPARSE_WORDS = [
    N_("usage: "), N_("options"), N_("positional arguments"), N_("show this help message and exit"),
    N_("show program's version number and exit"), N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("expected one argument"), N_("expected at least one argument"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
]


# Commands whose options stand beside their code (NAME.add_options). Those modules load the model
# and the archive (0.2 s), which a build must not wait for before it forks its PDF engine, so a
# module is loaded only when its command is the one given (its options then parse, and its
# --help shows them); the list of commands shows each with its help either way.
COMMANDS_WITH_OWN_MODULE = {
    "new": ("scaffold", N_("start a new source: asks for the unit, its region, the period and the signer")),
    "extract": ("extract", N_("write the source a PDF carries, and say whether the PDF is archived")),
    "diff": ("compare", N_("what changed between two versions of a document (exit 0 same, 1 changed, "
                           "2 trouble)")),
}


def _parser(prog: str, command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; command, the one given, loads its module's options if it has one."""
    argparse._ = _
    argparse.ngettext = ngettext
    parser = argparse.ArgumentParser(prog=prog, description=_(
        "Renstra documents from one YAML source: an archival PDF to print and sign, an editable "
        "DOCX and an HTML preview, in the layout of official documents (naskah dinas)."),
        epilog=_("Messages are in Indonesian; set LANG=en_US.UTF-8 for English."))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help=_("show program's version number and exit"))
    commands = parser.add_subparsers(dest="command", required=True, metavar=_("COMMAND"),
                                     title=_("commands"))
    source, sources = _("SOURCE"), _("SOURCES")
    p = commands.add_parser("check", help=_("check sources only, with every problem and warning"))
    p.add_argument("sources", nargs="+", metavar=source)
    p = commands.add_parser("build", help=_("build sources into output files (many in one process)"))
    p.add_argument("sources", nargs="+", metavar=source)
    p.add_argument("--formats", type=_formats, default=list(WRITERS), metavar=_("FORMATS"),
                   help=_("comma-separated, from {choices} (default: all)").format(choices=", ".join(WRITERS)))
    p.add_argument("--out", type=Path, default=OUTPUT, metavar=_("FOLDER"),
                   help=_("output folder (default: output/)"))
    p = commands.add_parser("archive", help=_("store the current output PDFs in the archive (append-only)"))
    p.add_argument("sources", nargs="*", metavar=sources, help=_("default: every source/*.yaml"))
    p.add_argument("--out", type=Path, default=OUTPUT, metavar=_("FOLDER"),
                   help=_("where the built PDFs are (default: output/)"))
    p.add_argument("--archive", type=Path, default=ARCHIVE, metavar=_("FOLDER"),
                   help=_("archive folder (default: archive/)"))
    p = commands.add_parser("verify-archive", help=_("re-hash every archived file against its manifest"))
    p.add_argument("--archive", type=Path, default=ARCHIVE, metavar=_("FOLDER"),
                   help=_("archive folder (default: archive/)"))
    p = commands.add_parser("schema", help=_("print the JSON Schema of the source format"))
    p.add_argument("--write", action="store_true",
                   help=_("write it to {path}").format(path="schema/renstra.schema.json"))
    p = commands.add_parser("preview", help=_("rebuild a source's PDF on every save and show its pages in a "
                                              "browser; the DOCX on request and when stopped"))
    p.add_argument("source", metavar=source)
    p.add_argument("--port", type=_port, default=8000, metavar=_("PORT"),
                   help=_("port on 127.0.0.1 (default: 8000; 0 takes any free port)"))
    for name, (module, what) in COMMANDS_WITH_OWN_MODULE.items():
        p = commands.add_parser(name, help=_(what))
        if name == command:
            importlib.import_module(f".{module}", __package__).add_options(p)
    return parser


def run() -> None:
    """The `renstra` command installed by pip."""
    sys.exit(main(prog="renstra", whole_process=True))


# Python's cyclic garbage collector runs after every 700 new objects by default; a layout makes
# millions (boxes, then the PDF's objects), nearly all alive until the PDF is written, and each
# run walks them again: a tenth of a build's time. Collecting a hundred times less often costs
# a few MiB at most (bench: "garbage collection").
COLLECT_AFTER = (70_000, 10, 10)


def main(argv: list[str] | None = None, prog: str = "build.py", whole_process: bool = False) -> int:
    """Run one command; 0 ok, 1 bad input, 2 usage error.

    whole_process: the process is this command's own (build.py, `renstra`), not a host that
    calls main() among other work (the tests, the preview); it may then fork the PDF engine and
    tune the garbage collector for one build.
    """
    for stream in (sys.stdout, sys.stderr):
        # A Windows console redirected to a file writes cp1252: a character of the source it cannot
        # hold is shown escaped rather than ending the run in a UnicodeEncodeError.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        argv = sys.argv[1:] if argv is None else argv
        # No option before the command takes a value, so the first word that is no option is it.
        command = next((word for word in argv if not word.startswith("-")), None)
        args = _parser(prog, command).parse_args(argv)
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
        if args.command == "preview":
            from .preview import preview  # the server and the file watcher load for this command only

            return preview(str(args.source), args.port, build, OUTPUT)
        if args.command in COMMANDS_WITH_OWN_MODULE:
            module, _what = COMMANDS_WITH_OWN_MODULE[args.command]
            return importlib.import_module(f".{module}", __package__).run(args)
        sources = _sources(args)
        engine = None
        if whole_process and args.command == "build":
            gc.set_threshold(*COLLECT_AFTER)
            if "pdf" in args.formats:
                engine = PdfEngine.start()
        try:
            return _run_all(args, sources, engine)
        finally:
            if engine is not None:
                engine.close()
            if whole_process:
                # The process ends next. Python's shutdown collects garbage over every object
                # still alive (the model, the documents, the engines' modules): 0.1 s of a 1 s
                # build. Frozen objects are left to the operating system; exit handlers and
                # buffers still run as usual.
                gc.freeze()
    except RenstraError as exc:
        print(exc.report(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def _run_all(args, sources: list[str], engine: PdfEngine | None) -> int:
    """Run the command on each source; 1 if any failed."""
    failures = 0
    # One bad source must not stop the others: report it, go on, and exit 1 at the end.
    for path in sources:
        try:
            _run_one(args, path, engine)
        except UsageError:
            raise
        except RenstraError as exc:
            print(exc.report(), file=sys.stderr)
            failures += 1
        except OSError as exc:  # an output folder that cannot be written, a full disk
            print(failure_report(path, exc), file=sys.stderr)
            failures += 1
        except Exception as exc:  # a bug: say so in one line, then go on with the next source
            doing = _("running {command}").format(command=args.command)
            print(InternalError(path, doing, exc).report(), file=sys.stderr)
            failures += 1
    if failures and len(sources) > 1:
        print(_("{failed} of {count} sources failed").format(failed=failures, count=len(sources)),
              file=sys.stderr)
    return 1 if failures else 0


def _sources(args) -> list[str]:
    """The sources named on the command line, once each; archive defaults to every source/*.yaml."""
    sources = list(dict.fromkeys(str(s) for s in args.sources))
    if not sources:
        sources = [shown_path(p) for p in sorted(SOURCES.glob("*.yaml"))]
        if not sources:
            raise RenstraError(_("no sources in {folder}/: nothing to {command}").format(
                folder=shown_path(SOURCES), command=args.command))
    if args.command in ("build", "archive"):
        by_name: dict[str, str] = {}
        for path in sources:
            other = by_name.setdefault(Path(path).stem, path)
            if other != path:
                raise UsageError(_("{one} and {other} have the same name and would share {outputs}; "
                                   "give them different names").format(
                    one=other, other=path, outputs=f"{shown_path(args.out)}/{Path(path).stem}.*"))
    return sources


def _run_one(args, path: str, engine: PdfEngine | None = None) -> None:
    if args.command == "check":
        source, model = check(path)
        for problem in warnings(source, model, completeness=True):
            print(problem.format(source.text), file=sys.stderr)
        print(_("{path}: ok").format(path=path))
    elif args.command == "archive":
        from .archive import archive_pdf

        print(archive_pdf(path, args.out, args.archive))
    else:
        build(path, args.out, args.formats,
              on_written=lambda target: print(_("wrote {path}").format(path=shown_path(target))),
              on_warning=lambda text: print(text, file=sys.stderr), engine=engine)


def _verify(folder: Path) -> int:
    from .archive import verify_archive

    checked, findings = verify_archive(folder)
    for finding in findings:
        print(f"{shown_path(finding.path)}: {finding.problem}", file=sys.stderr)
    files = ngettext("{count} archived file", "{count} archived files", checked).format(count=checked)
    if findings:
        print(_("{folder}/: {problems} problem(s), {files} listed in manifests").format(
            folder=shown_path(folder), problems=len(findings), files=files), file=sys.stderr)
        return 1
    if not checked:
        print(_("{folder}/ holds no archived files yet; nothing to verify").format(folder=shown_path(folder)))
    else:
        print(_("{folder}/: {files} checked, all match their manifests").format(
            folder=shown_path(folder), files=files))
    return 0
