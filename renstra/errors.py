"""Errors the pipeline reports to a person, with where in the source they are."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .i18n import _, ngettext


class RenstraError(Exception):
    """Base of every error that is the user's to fix; the CLI prints it, no traceback."""

    exit_code = 1

    def report(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Mark:
    """A place in a text file; line and column are 0-based, printed 1-based (as PyYAML's marks)."""

    path: str
    line: int
    column: int


@lru_cache(maxsize=2)
def _lines(text: str) -> list[str]:
    # One split per source, not one per message: a file can carry thousands of warnings. At "\n"
    # only, as the loader counts lines: splitlines() would also cut at U+2028 or a form feed.
    return text.split("\n") if text else []


def show_line(text: str | None, mark: Mark) -> str:
    """The source line of a mark with a caret under its column, or '' if unknown."""
    if text is None:
        return ""
    lines = _lines(text)
    if not 0 <= mark.line < len(lines):
        return ""
    line = lines[mark.line].replace("\t", " ")
    # Very long lines (minified junk, binary) are cut around the caret to stay readable.
    start = max(0, mark.column - 60)
    shown = line[start : start + 120]
    prefix = "..." if start else ""
    suffix = "..." if len(line) > start + 120 else ""
    caret = " " * (len(prefix) + mark.column - start) + "^"
    return f"    {prefix}{shown}{suffix}\n    {caret}"


@dataclass(frozen=True)
class Problem:
    """One located complaint about a source file."""

    mark: Mark
    message: str

    def format(self, text: str | None) -> str:
        head = f"{self.mark.path}:{self.mark.line + 1}:{self.mark.column + 1}: {self.message}"
        snippet = show_line(text, self.mark)
        return f"{head}\n{snippet}" if snippet else head


MAX_SHOWN = 50  # more buries the first mistakes; the count line still says how many


class SourceError(RenstraError):
    """Every problem found in one source file, reported together (as MkDocs does)."""

    def __init__(self, path: str, problems: list[Problem], text: str | None = None):
        self.path = path
        self.problems = sorted(problems, key=lambda p: (p.mark.line, p.mark.column))
        self.text = text
        super().__init__(path)

    def __str__(self) -> str:
        # Made when printed, not when raised: formatting every problem at once and again for
        # printing doubles the cost for a file with thousands of warnings.
        return self.report()

    def report(self) -> str:
        count = len(self.problems)
        shown = [p.format(self.text) for p in self.problems[:MAX_SHOWN]]
        if count > MAX_SHOWN:
            shown.append(_("... and {count} more").format(count=count - MAX_SHOWN))
        total = ngettext("{count} error in {path}", "{count} errors in {path}", count)
        return "\n".join(shown) + "\n" + total.format(count=count, path=self.path)


class TemplateError(RenstraError):
    """A template, stylesheet, font or reference document that cannot be used."""


class UsageError(RenstraError):
    """The command line itself is wrong."""

    exit_code = 2
