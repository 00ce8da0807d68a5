"""Strict loading of a YAML source into plain values that remember where they came from."""

from __future__ import annotations

import datetime
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Mark, Problem, SourceError
from .i18n import N_, _, language

# A full Renstra is a few hundred kilobytes; this leaves room for a 1,000-page document and
# refuses a pasted video or a runaway export before it costs memory.
MAX_BYTES = 8 * 1024 * 1024
# Expanded size of the document counted in nodes, aliases included ("billion laughs" cap).
MAX_NODES = 500_000
MAX_DEPTH = 64
# A budget of a thousand trillion rupiah has 18 digits; a longer run of digits is a code or a
# mistake, and Python refuses to even read one of 4,300 digits.
MAX_DIGITS = 18

try:  # libyaml is in PyYAML's wheels; the pure-Python parser is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

_RESOLVER = yaml.resolver.Resolver()
_TAG = "tag:yaml.org,2002:"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_PLAIN_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")


@dataclass
class Node:
    """A loaded value with its mark; mappings also keep the mark of each key."""

    value: object
    mark: Mark
    items: dict[str, Node] | list[Node] | None = None
    key_marks: dict[str, Mark] = field(default_factory=dict)

    def child(self, key: str | int) -> Node | None:
        if isinstance(self.items, dict) and isinstance(key, str):
            return self.items.get(key)
        if isinstance(self.items, list) and isinstance(key, int) and 0 <= key < len(self.items):
            return self.items[key]
        return None


@dataclass
class Source:
    """One source file: its path, text, bytes and the loaded tree."""

    path: str
    data: bytes
    text: str
    root: Node
    # Problems that did not stop loading (a duplicate key, 'no' where text is meant, ...):
    # validation reports them together with its own, so a person sees every mistake at once.
    problems: list[Problem] = field(default_factory=list)

    def error(self, problems: list[Problem]) -> SourceError:
        return SourceError(self.path, problems, self.text)


def read_text(path: str, data: bytes) -> str:
    """Decode a source as UTF-8, naming the likely encoding when it is not."""
    at = Mark(path, 0, 0)
    if _looks_utf16(data):
        raise SourceError(path, [Problem(at, _("the file is UTF-16, not UTF-8; save it as UTF-8 "
                                               "(in Notepad: Save As, Encoding: UTF-8)"))])
    if data.startswith(b"\xef\xbb\xbf"):
        # Windows editors write this mark; it is UTF-8 all the same.
        data = data[3:]
    try:
        # One line-ending convention, so that YAML's line numbers and ours agree.
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n")
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace"))
        text = data.decode("utf-8", "replace")
        byte = f"{data[exc.start]:02X}"
        raise SourceError(
            path,
            [Problem(Mark(path, line, column), _(_likely_encoding(data)).format(byte=byte))],
            text,
        ) from None


def _looks_utf16(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    # Without a byte-order mark: ASCII text in UTF-16 has a zero byte in every other place.
    head = data[:4]
    return len(head) == 4 and ((head[1] == head[3] == 0 and head[0] and head[2])
                               or (head[0] == head[2] == 0 and head[1] and head[3]))


def _likely_encoding(data: bytes) -> str:
    """The message for a file that is not UTF-8, naming what it likely is instead."""
    control = sum(1 for b in data if b < 9 or 13 < b < 32)
    if control > len(data) // 100 + 1:
        return N_("the file is not UTF-8 (byte 0x{byte} here; it looks like a binary file, not text); "
                  "save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)")
    try:
        data.decode("cp1252")
        return N_("the file is not UTF-8 (byte 0x{byte} here; it looks like Windows-1252); "
                  "save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)")
    except UnicodeDecodeError:
        return N_("the file is not UTF-8 (byte 0x{byte} here; the encoding is unknown); "
                  "save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)")


# Line and paragraph separators: YAML reads them as line breaks, Word and the PDF do not.
_SEPARATORS = "\u2028\u2029"


def _invisible(char: str) -> bool:
    """A control character (a tab and a line break aside) or a Unicode line separator."""
    return (unicodedata.category(char) in ("Cc", "Cs") and char not in "\t\n") or char in _SEPARATORS \
        or char in "\ufffe\uffff"


def _invisible_message(char: str, in_text: str, in_quotes: str) -> str:
    """in_text or in_quotes (whichever the caller passes for the place) filled in for char;
    a line separator is named, so that a person knows what to look for."""
    if char in _SEPARATORS:
        return in_text.format(code=f"{ord(char):04X}", name=unicodedata.name(char).lower())
    return in_quotes.format(code=f"{ord(char):04X}")


def _check_characters(path: str, text: str) -> list[Problem]:
    """Tabs in indentation and invisible control characters, each located."""
    problems = []
    for number, line in enumerate(text.split("\n")):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            problems.append(Problem(Mark(path, number, line.index("\t")),
                                    _("a tab indents this line; indent with spaces (YAML does not "
                                      "allow tabs there)")))
        for column, char in enumerate(line):
            if char == "\t":
                continue
            if _invisible(char):
                problems.append(Problem(Mark(path, number, column), _invisible_message(
                    char,
                    _("the invisible line break U+{code} ({name}) is not allowed; delete it "
                      "(it often comes with text copied from Word or a PDF)"),
                    _("control character U+{code} is not allowed; delete it "
                      "(it often comes with text copied from Word or a PDF)"))))
                break
    return problems


# Why a file could not be read, as the system says it (os.strerror) on Linux and Windows: listed
# so that the catalog translates them; any other reason is shown as the system gives it.
_READ_FAILURES = (N_("Permission denied"), N_("Operation not permitted"), N_("Input/output error"),
                  N_("Device or resource busy"), N_("File name too long"), N_("Invalid argument"),
                  N_("Too many levels of symbolic links"), N_("Not a directory"),
                  N_("Resource temporarily unavailable"))


def _thousands(number: int) -> str:
    """A large number with its thousands marked as the reader's language marks them."""
    grouped = f"{number:,}"
    return grouped.replace(",", ".") if language() == "id" else grouped


def load_source(path: str | Path) -> Source:
    """Read, decode and parse one source file; raise SourceError with every problem found."""
    path = str(path)
    if os.path.islink(path) and not Path(path).resolve().is_relative_to(Path(path).parent.resolve()):
        # A shared folder must not make a build read (and embed in its PDF) a file of the machine.
        raise SourceError(path, [Problem(Mark(path, 0, 0), _("this is a link to a file outside its folder; "
                                                             "copy the source here instead"))])
    try:
        # Opened without waiting, then looked at: a pipe or a device named x.yaml is refused at
        # once instead of blocking the build for ever (open() waits for a pipe's writer).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as handle:
            if stat.S_ISDIR(os.fstat(descriptor).st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise SourceError(path, [Problem(Mark(path, 0, 0), _("this is not a regular file (a pipe or "
                                                                     "a device); a source is a text file"))])
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SourceError(path, [Problem(Mark(path, 0, 0), _("no such file"))]) from None
    except IsADirectoryError:
        raise SourceError(path, [Problem(Mark(path, 0, 0), _("this is a folder, not a file"))]) from None
    except OSError as exc:
        # The system's reason is English; the common ones are in the catalog (see _READ_FAILURES).
        reason = _(exc.strerror) if exc.strerror else str(exc)
        raise SourceError(path, [Problem(Mark(path, 0, 0),
                                         _("cannot read: {reason}").format(reason=reason))]) from None
    if len(data) > MAX_BYTES:
        raise SourceError(path, [Problem(Mark(path, 0, 0),
                                         _("the file is larger than {size} MiB; a source holds text only")
                                         .format(size=MAX_BYTES // (1024 * 1024)))])
    return parse_source(path, data)


def parse_source(path: str, data: bytes) -> Source:
    """Decode and parse the bytes of a source that path names in messages (a file, or the source a
    PDF carries); raise SourceError with every problem found."""
    text = read_text(path, data)
    problems = _check_characters(path, text)
    if problems:
        raise SourceError(path, problems, text)
    builder = _Builder(path)
    root = builder.build(text)
    return Source(path, data, text, root, builder.problems)


class _Builder:
    """Builds Nodes from the parser's events, so that every rule is ours to set."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.anchors: dict[str, Node] = {}
        self.sizes: dict[int, int] = {}
        self.count = 0
        # Characters of text, aliases expanded: a value repeated by aliases costs what it prints.
        self.text_sizes: dict[int, int] = {}
        self.chars = 0
        self.lines: list[str] = []

    def mark(self, yaml_mark) -> Mark:
        return Mark(self.path, yaml_mark.line, yaml_mark.column)

    def build(self, text: str) -> Node:
        self.lines = text.split("\n")
        try:
            root = self._parse(text)
        except yaml.MarkedYAMLError as exc:
            mark, problem = _syntax_message(exc, text)
            raise SourceError(self.path, [Problem(self.mark(mark), problem)], text) from None
        except yaml.YAMLError as exc:  # reader errors carry no mark of the usual kind
            raise SourceError(self.path, [Problem(_reader_mark(self.path, exc, text), _(
                "YAML cannot read a character here; delete it (it often comes with text copied from "
                "Word or a PDF)"))], text) from None
        if root is None:
            empty = not text.strip()
            message = _("the file is empty; a source starts with 'dokumen:'") if empty else \
                _("the file holds only comments; a source starts with 'dokumen:'")
            raise SourceError(self.path, [Problem(Mark(self.path, 0, 0), message)], text)
        return root

    def _parse(self, text: str) -> Node | None:
        stack: list[list] = []  # [container Node, pending mapping key or None]
        root = None
        documents = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise SourceError(self.path, [Problem(self.mark(event.start_mark),
                                                          _("'---' starts a second document; a source "
                                                            "holds one: remove this line, and put what "
                                                            "follows in a file of its own"))], text)
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()[0]
                self.sizes[id(done)] = self.count - self.sizes[id(done)]
                self.text_sizes[id(done)] = self.chars - self.text_sizes[id(done)]
                node = done
            elif stack and isinstance(stack[-1][0].items, dict) and stack[-1][1] is None:
                stack[-1][1] = self._key(stack[-1][0], event, text)
                continue
            elif isinstance(event, yaml.AliasEvent):
                node = self._alias(event, stack, text)
                self.count += self.sizes.get(id(node), 1)
                self.chars += self.text_sizes.get(id(node), 0)
                if self.count > MAX_NODES or self.chars > MAX_BYTES:
                    if self.count > MAX_NODES:
                        message = _("aliases expand the document past {count} values; write the "
                                    "repeated parts out instead").format(count=_thousands(MAX_NODES))
                    else:
                        message = _("aliases expand the document past {size} MiB of text (what a source "
                                    "file may hold); write the repeated parts out instead"
                                    ).format(size=MAX_BYTES // (1024 * 1024))
                    raise SourceError(self.path, [Problem(self.mark(event.start_mark), message)], text)
            else:
                node = self._open(event, text)
                if event.anchor:
                    self.anchors[event.anchor] = node
                if node.items is not None:
                    if len(stack) >= MAX_DEPTH:
                        raise SourceError(self.path, [Problem(
                            node.mark, _("nested more than {depth} levels deep; a source needs only "
                                         "a few levels (check the brackets)").format(depth=MAX_DEPTH))],
                            text)
                    self.sizes[id(node)] = self.count
                    self.text_sizes[id(node)] = self.chars
                    stack.append([node, None])
                    continue
                if isinstance(event, yaml.ScalarEvent):
                    self.text_sizes[id(node)] = len(event.value)
                    self.chars += len(event.value)
            if stack:
                self._attach(stack[-1], node)
            else:
                root = node
        return root

    def _alias(self, event, stack: list, text: str) -> Node:
        node = self.anchors.get(event.anchor)
        if node is None:
            raise SourceError(self.path, [Problem(
                self.mark(event.start_mark),
                _("'*{name}' refers to an anchor '&{name}' that is not defined above; "
                  "a value starting with '*' must be in quotes").format(name=event.anchor))], text)
        if any(open_node is node for open_node, _key in stack):
            raise SourceError(self.path, [Problem(
                self.mark(event.start_mark),
                _("'*{name}' refers to the value it is part of, which would never end")
                .format(name=event.anchor))], text)
        return node

    def _open(self, event, text: str) -> Node:
        self.count += 1
        mark = self.mark(event.start_mark)
        if self.count > MAX_NODES:
            raise SourceError(self.path, [Problem(mark, _("more than {count} values in one source")
                                                  .format(count=_thousands(MAX_NODES)))], text)
        implicit = event.implicit if isinstance(event, yaml.ScalarEvent) else (event.implicit,)
        if event.tag is not None and not any(implicit):
            tag = "!!" + event.tag[len(_TAG):] if event.tag.startswith(_TAG) else event.tag
            self.problems.append(Problem(mark, _("'{tag}' is not allowed: YAML tags can make a program run "
                                                 "or change a value's type; remove it and write the "
                                                 "plain value").format(tag=tag)))
        if isinstance(event, yaml.MappingStartEvent):
            return Node({}, mark, {})
        if isinstance(event, yaml.SequenceStartEvent):
            return Node([], mark, [])
        return Node(self._scalar(event, mark), mark)

    def _key(self, mapping: Node, event, text: str) -> str:
        mark = self.mark(event.start_mark)
        if not isinstance(event, yaml.ScalarEvent):
            raise SourceError(self.path, [Problem(mark, _("a key must be a plain word, "
                                                          "not a list, mapping or alias"))], text)
        name = event.value  # keys stay text: 'no:' or '2013:' are names here, never booleans
        if name == "<<" and not event.style:
            self.problems.append(Problem(mark, _("'<<' (a YAML merge key) is not allowed; write the keys out "
                                                 "in full")))
        if name in mapping.key_marks:
            first = mapping.key_marks[name]
            self.problems.append(Problem(mark, _("duplicate key '{name}' (first given on line {line}); "
                                                 "a key may be given once: merge the two or remove one")
                                         .format(name=name, line=first.line + 1)))
            return "\0duplicate"
        mapping.key_marks[name] = mark
        return name

    @staticmethod
    def _attach(top: list, node: Node) -> None:
        parent, key = top
        if isinstance(parent.items, dict):
            if key != "\0duplicate":
                parent.items[key] = node
                parent.value[key] = node.value
            top[1] = None
        else:
            parent.items.append(node)
            parent.value.append(node.value)

    def _scalar(self, event, mark: Mark) -> object:
        value = event.value
        if event.style == '"':
            # An escape in double quotes ("\r", "\x07", "\u2028") makes a character the file does
            # not show; it would split a line of the archive's manifest or vanish from the page.
            hidden = next((c for c in value if _invisible(c)), None)
            if hidden is not None:
                self.problems.append(Problem(mark, _invisible_message(
                    hidden,
                    _("an escape in these quotes makes the invisible line break U+{code} ({name}), "
                      "which cannot be printed; write the text without it"),
                    _("an escape in these quotes makes control character U+{code}, "
                      "which cannot be printed; write the text without it"))))
        if event.style or not event.implicit[0]:
            return value  # quoted or block scalars are text, always
        # Only a value that starts its line, as a key would (after 'judul: ' it is text), and
        # with a key in small letters as the source's keys are: 'Catatan:lihat' is a sentence.
        start = self.lines[mark.line][: mark.column] if mark.line < len(self.lines) else ""
        lost = _lost_space(value, lower=True) if _LINE_START.fullmatch(start) else None
        if lost:
            column, message = lost
            self.problems.append(Problem(Mark(mark.path, mark.line, mark.column + column), message))
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        kind = tag[len(_TAG):] if tag.startswith(_TAG) else "str"
        if kind == "null":
            return None
        if kind == "bool":
            if value in ("true", "false", "True", "False", "TRUE", "FALSE"):
                return value.lower() == "true"
            self.problems.append(Problem(mark, _("'{value}' is read as a yes/no switch, not as text; "
                                                 "if you mean the word, write it in quotes: \"{value}\" "
                                                 "(for a switch, write true or false)").format(value=value)))
            return value
        if kind == "int":
            if _PLAIN_INT.match(value) and len(value.lstrip("+-")) > MAX_DIGITS:
                self.problems.append(Problem(mark, _("a number of {digits} digits is longer than any figure "
                                                     "of a plan (at most {limit}); if it is a code, write it "
                                                     "in quotes").format(digits=len(value.lstrip("+-")),
                                                                         limit=MAX_DIGITS)))
                return value
            if _PLAIN_INT.match(value):
                return int(value)
            self.problems.append(Problem(mark, _ambiguous_number(value)))
            return value
        if kind == "float":
            if _PLAIN_FLOAT.match(value) and not math.isfinite(float(value)):
                self.problems.append(Problem(mark, _("'{value}' is too large to be a number; write the "
                                                     "figure as it is meant, or in quotes as text")
                                             .format(value=value)))
                return value
            if _PLAIN_FLOAT.match(value):
                return float(value)
            self.problems.append(Problem(mark, _ambiguous_number(value)))
            return value
        if kind == "timestamp":
            if _DATE.match(value):
                try:
                    return datetime.date.fromisoformat(value)
                except ValueError:
                    self.problems.append(Problem(mark, _("'{value}' is not a date in the calendar; check "
                                                         "the day and the month (written year-month-day, "
                                                         "like 2013-03-03)").format(value=value)))
                    return value
            self.problems.append(Problem(mark, _("'{value}' has a time of day; write the date only, "
                                                 "like 2013-03-03").format(value=value)))
            return value
        return value


def _ambiguous_number(value: str) -> str:
    """Why a plain value that looks like a number is refused: other YAML tools read it differently."""
    if "_" in value:
        message = _("'{value}' is not a plain number: other YAML tools drop the '_' and read {number}; "
                    "for text write it in quotes: \"{value}\"")
    elif ":" in value:
        message = _("'{value}' is not a plain number: other YAML tools read digits with ':' as minutes "
                    "and seconds (1:30 as 90); for text write it in quotes: \"{value}\"")
    elif value.lower().lstrip("+-").startswith(("0x", "0o", "0b")):
        message = _("'{value}' is not a plain number: it is read as a number in another base, not as "
                    "text; for text write it in quotes: \"{value}\"")
    elif value.lower().lstrip("+-.") in ("inf", "nan"):
        message = _("'{value}' is not a plain number: it is read as an infinite or undefined number, "
                    "not as text; for text write it in quotes: \"{value}\"")
    else:
        message = _("'{value}' is not a plain number: a leading 0 makes other YAML tools read a "
                    "different number (010 as 8); for text write it in quotes: \"{value}\"")
    return message.format(value=value, number=value.replace("_", ""))


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> tuple:
    """Where a syntax error really is, and what to do about it, in the words of a person."""
    problem = (exc.problem or "invalid YAML").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    before = line[: mark.column]
    if "while scanning a quoted scalar" in context and "end of stream" in problem:
        quote = _char_at(lines, exc.context_mark) or '"'
        return exc.context_mark, (_("the quote {quote} that starts here is never closed; "
                                    "end the value with {quote}").format(quote=quote))
    if "document indicator" in problem:
        return mark, (_("a line starting with '{marker}' inside quotes ends the document; indent it "
                        "like the text above it, or close the quotes before it").format(marker=line[:3]))
    if ("escape" in problem and "URI" not in problem) or "hexdecimal" in problem:
        backslash = before.rfind("\\")
        if backslash >= 0:
            mark = _at(mark.line, backslash)
        return mark, _("a backslash (\\) in double quotes starts a code; use single quotes 'like this', "
                       "or write \\\\ for each backslash")
    directive = _directive_line(lines, exc, problem, context)
    if directive is not None:
        return _at(directive, 0), _("a line cannot start with '%'; delete it, or put the text in quotes")
    if "tag" in context or "tag" in problem:
        at = exc.context_mark or mark
        return at, _("'!' starts a YAML tag, which a source does not use; if it is part of the text, "
                     "put the whole value in quotes")
    if "document start" in problem:
        end = next((n for n in range(mark.line, -1, -1) if re.match(r"\.\.\.(\s|$)", lines[n])), None)
        if end is not None:
            return _at(end, 0), _("'...' on a line of its own ends the document; delete this line")
        return mark, _("unexpected text after the value; if the value has quotes or brackets "
                       "inside, put the whole value in quotes")
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        start = exc.context_mark
        lost = _lost_space(lines[start.line][start.column:].rstrip()) if start.line < len(lines) else None
        if lost:
            return _at(start.line, start.column + lost[0]), lost[1]
        return start, _("this line has no ':' after its name; write 'name: value' (if the line "
                        "continues the text above it, indent it further)")
    if "mapping values are not allowed" in problem:
        if ": " in before or before.rstrip().endswith(":"):
            return mark, _("a ': ' inside a value; put the whole value in quotes, "
                           "or write '>-' and the text on the lines below")
        lost = _lost_space_above(lines, mark.line)
        if lost:
            return _at(lost[0], lost[1]), lost[2]
        return mark, _("this line is indented more than the line above it; "
                       "keys of the same level start in the same column")
    if problem.startswith("did not find expected key") or "expected '-' indicator" in problem:
        if not before.strip():
            return mark, _("this line is not indented like the lines above it; "
                           "keys of the same level start in the same column, and so do '- ' items")
        return mark, _("unexpected text after the value; if the value has quotes or brackets "
                       "inside, put the whole value in quotes")
    if "did not find expected ',' or" in problem and exc.context_mark is not None:
        bracket = _char_at(lines, exc.context_mark) or "["
        closing = {"[": "]", "{": "}"}.get(bracket, "]")
        return exc.context_mark, (_("the '{bracket}' that starts here is not closed with '{closing}' "
                                    "(or an item in it needs quotes)").format(bracket=bracket, closing=closing))
    if "block sequence entries are not allowed" in problem:
        return mark, _("a '- ' item cannot follow a 'name:' on the same line; start the list on the "
                       "next line, indented under the name")
    if "expected node content" in problem:
        return mark, _("a value is missing here (two commas in a row, or a ',' or ':' with nothing "
                       "after it); fill it in or remove the extra mark")
    if "block scalar" in context:
        return mark, _("after '>-' or '|' the text starts on the next line, indented under the name")
    if "anchor" in context or "alias" in context:
        return mark, _("a value starting with '&' or '*' must be in quotes")
    if "cannot start any token" in problem or "mapping keys are not allowed" in problem:
        char = _char_at(lines, mark)
        if char == "\t":  # after a '- ' or a key's ':', where the check of indentation does not look
            return mark, _("a tab indents this line; indent with spaces (YAML does not allow tabs there)")
        return mark, _("a value cannot start with '{char}'; put the whole value in quotes").format(char=char)
    # Not one of the mistakes above: the parser's own (English) words are all there is to show.
    if context and context not in problem:
        return mark, _("YAML syntax error: {problem} ({context})").format(problem=problem, context=context)
    return mark, _("YAML syntax error: {problem}").format(problem=problem)


def _at(line: int, column: int):
    """A parser mark at another place (only its line and column are read)."""
    return yaml.Mark(None, 0, line, column, None, None)


def _directive_line(lines: list[str], exc, problem: str, context: str) -> int | None:
    """The line of a '%' directive that caused the error, or None: a source has no use for them,
    and a '%' at the start of a line of text makes one."""
    if "directive" in problem or "directive" in context or "incompatible YAML" in problem:
        return (exc.context_mark or exc.problem_mark).line
    if "document start" in problem:
        # "%YAML 1.1" with no '---' after it: the error is where the document's text starts.
        last = (exc.problem_mark or exc.context_mark).line
        return next((n for n in range(min(last, len(lines) - 1), -1, -1) if lines[n].startswith("%")), None)
    return None


def _reader_mark(path: str, exc: yaml.YAMLError, text: str) -> Mark:
    """Where a reader error is (libyaml counts it in bytes of UTF-8), or the file's start."""
    position = getattr(exc, "position", None)
    if not isinstance(position, int):
        return Mark(path, 0, 0)
    before = text.encode("utf-8")[:position].decode("utf-8", "replace")
    return Mark(path, before.count("\n"), len(before) - before.rfind("\n") - 1)


# A plain value that starts like 'judul:Menyelenggarakan': a key that lost the space after its
# ':', so YAML reads the whole line as text. Not a URL or a Windows path (a '/' or '\' follows
# the ':'), not a time (digits before it); a key is a word of two letters or more.
_LOST_SPACE = re.compile(r"(?P<key>[A-Za-z_]{2,30}):(?P<rest>[^\s/\\].*)", re.S)
_SCHEMES = ("http", "https", "ftp", "file", "mailto", "tel", "urn", "data")
# What may stand before such a key on its line: indentation and '- ' of list items.
_LINE_START = re.compile(r"[ \t]*(?:-[ \t]+)*")
SHOWN = 30  # characters of the value a message quotes


def _lost_space(text: str, lower: bool = False) -> tuple | None:
    """(column of the ':' in text, message) when text reads as a key missing its space, else None;
    lower: only a key in small letters counts."""
    match = _LOST_SPACE.fullmatch(text)
    if match is None or match["key"].lower() in _SCHEMES or (lower and not match["key"].islower()):
        return None
    key, rest = match["key"], match["rest"].rstrip()
    shown = rest.split()[0][:SHOWN]
    if shown != rest:
        shown += "..."
    return len(key), (_("'{text}' has no space after ':'; write '{fixed}'")
                      .format(text=f"{key}:{shown}", fixed=f"{key}: {shown}"))


def _lost_space_above(lines: list[str], number: int) -> tuple | None:
    """(line, column, message) of a 'judul:Menyelenggarakan' line above line number whose value
    runs on to it: YAML reads the lines below as more of that text until it meets a ':' it cannot
    place, and reports that ':' as if it were indented wrongly."""
    for above in range(min(number, len(lines)) - 1, -1, -1):
        line = lines[above]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        start = _LINE_START.match(line).end()
        lost = _lost_space(line[start:].rstrip())
        if lost:
            return above, start + lost[0], lost[1]
        if ": " in line or line.rstrip().endswith(":") or line.lstrip().startswith("-"):
            return None  # a key or an item starts here: the value it opens is not one of those
    return None


def _char_at(lines: list[str], mark) -> str:
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]
