"""The command line: check, build and schema (build.py is a thin wrapper around main)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import RenstraError, UsageError
from .model import Renstra, json_schema, validate_source
from .outputs import WRITERS, write_atomic
from .render import PROJECT, render_html
from .source import Source, load_source

SCHEMA_FILE = PROJECT / "schema" / "renstra.schema.json"


def check(path: str) -> tuple[Source, Renstra]:
    """Load and validate one source; raise SourceError with every problem."""
    source = load_source(path)
    return source, validate_source(source)


def build(path: str, out_dir: Path, formats: list[str]) -> list[Path]:
    """Build the chosen formats of one source into out_dir; return the files written."""
    source, model = check(path)
    rendered = render_html(model, source, out_dir)
    written = []
    for name in formats:
        writer = WRITERS[name]
        target = out_dir / (Path(path).stem + writer.suffix)
        writer.write(rendered, target)
        written.append(target)
    return written


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _formats(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in WRITERS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(WRITERS)}")
    return names


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = commands.add_parser("check", help="validate sources only")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p = commands.add_parser("build", help="build sources into output files")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--formats", type=_formats, default=list(WRITERS),
                   help=f"comma-separated, from {', '.join(WRITERS)} (default: all)")
    p.add_argument("--out", type=Path, default=PROJECT / "output", help="output folder (default: output/)")
    p = commands.add_parser("schema", help="print the JSON Schema of the source format")
    p.add_argument("--write", action="store_true", help=f"write it to {SCHEMA_FILE.relative_to(PROJECT)}")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 ok, 1 bad input, 2 usage error."""
    args = _parser().parse_args(argv)
    failures = 0
    try:
        if args.command == "schema":
            if args.write:
                write_atomic(SCHEMA_FILE, schema_text().encode("utf-8"))
            else:
                sys.stdout.write(schema_text())
            return 0
        for path in args.sources:
            try:
                if args.command == "check":
                    check(path)
                    print(f"{path}: ok")
                else:
                    for target in build(path, args.out, args.formats):
                        print(f"wrote {_shown(target)}")
            except UsageError:
                raise
            except RenstraError as exc:
                print(exc.report(), file=sys.stderr)
                failures += 1
    except RenstraError as exc:
        print(exc.report(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return 1 if failures else 0


def _shown(path: Path) -> str:
    """A path relative to the working folder when it is inside it, so messages stay short."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
