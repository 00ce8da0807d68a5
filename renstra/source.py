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
        raise SourceError(path, [Problem(at, "the file is UTF-16, not UTF-8; save it as UTF-8 "
                                                "(in Notepad: Save As, Encoding: UTF-8)")])
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
        likely = _likely_encoding(data)
        text = data.decode("utf-8", "replace")
        byte = data[exc.start]
        raise SourceError(
            path,
            [Problem(Mark(path, line, column),
                     f"the file is not UTF-8 (byte 0x{byte:02X} here; {likely}); "
                     "save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)")],
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
    control = sum(1 for b in data if b < 9 or 13 < b < 32)
    if control > len(data) // 100 + 1:
        return "it looks like a binary file, not text"
    try:
        data.decode("cp1252")
        return "it looks like Windows-1252"
    except UnicodeDecodeError:
        return "the encoding is unknown"


# Line and paragraph separators: YAML reads them as line breaks, Word and the PDF do not.
_SEPARATORS = "\u2028\u2029"


def _invisible(char: str) -> bool:
    """A control character (a tab and a line break aside) or a Unicode line separator."""
    return (unicodedata.category(char) in ("Cc", "Cs") and char not in "\t\n") or char in _SEPARATORS \
        or char in "\ufffe\uffff"


def _describe(char: str) -> str:
    if char in _SEPARATORS:
        return f"the invisible line break U+{ord(char):04X} ({unicodedata.name(char).lower()})"
    return f"control character U+{ord(char):04X}"


def _check_characters(path: str, text: str) -> list[Problem]:
    """Tabs in indentation and invisible control characters, each located."""
    problems = []
    for number, line in enumerate(text.split("\n")):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            problems.append(Problem(Mark(path, number, line.index("\t")),
                                    "a tab indents this line; indent with spaces (YAML does not "
                                    "allow tabs there)"))
        for column, char in enumerate(line):
            if char == "\t":
                continue
            if _invisible(char):
                problems.append(Problem(
                    Mark(path, number, column),
                    f"{_describe(char)} is not allowed; delete it "
                    "(it often comes with text copied from Word or a PDF)"))
                break
    return problems


def load_source(path: str | Path) -> Source:
    """Read, decode and parse one source file; raise SourceError with every problem found."""
    path = str(path)
    if os.path.islink(path) and not Path(path).resolve().is_relative_to(Path(path).parent.resolve()):
        # A shared folder must not make a build read (and embed in its PDF) a file of the machine.
        raise SourceError(path, [Problem(Mark(path, 0, 0), "this is a link to a file outside its folder; "
                                                           "copy the source here instead")])
    try:
        # Opened without waiting, then looked at: a pipe or a device named x.yaml is refused at
        # once instead of blocking the build for ever (open() waits for a pipe's writer).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as handle:
            if stat.S_ISDIR(os.fstat(descriptor).st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise SourceError(path, [Problem(Mark(path, 0, 0), "this is not a regular file (a pipe or "
                                                                   "a device); a source is a text file")])
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SourceError(path, [Problem(Mark(path, 0, 0), "no such file")]) from None
    except IsADirectoryError:
        raise SourceError(path, [Problem(Mark(path, 0, 0), "this is a folder, not a file")]) from None
    except OSError as exc:
        raise SourceError(path, [Problem(Mark(path, 0, 0), f"cannot read: {exc.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise SourceError(path, [Problem(Mark(path, 0, 0),
                                         f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB; "
                                         "a source holds text only")])
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

    def mark(self, yaml_mark) -> Mark:
        return Mark(self.path, yaml_mark.line, yaml_mark.column)

    def build(self, text: str) -> Node:
        try:
            root = self._parse(text)
        except yaml.MarkedYAMLError as exc:
            mark, problem = _syntax_message(exc, text)
            raise SourceError(self.path, [Problem(self.mark(mark), problem)], text) from None
        except yaml.YAMLError as exc:  # reader errors carry no mark of the usual kind
            raise SourceError(self.path, [Problem(Mark(self.path, 0, 0), str(exc))], text) from None
        if root is None:
            what = "the file is empty" if not text.strip() else "the file holds only comments"
            raise SourceError(self.path, [Problem(Mark(self.path, 0, 0),
                                                  f"{what}; a source starts with 'dokumen:'")], text)
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
                                                          "'---' starts a second document; a source "
                                                          "holds one: remove this line, and put what "
                                                          "follows in a file of its own")], text)
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
                    what = f"{MAX_NODES:,} values" if self.count > MAX_NODES else \
                        f"{MAX_BYTES // (1024 * 1024)} MiB of text (what a source file may hold)"
                    raise SourceError(self.path, [Problem(
                        self.mark(event.start_mark),
                        f"aliases expand the document past {what}; write the repeated parts out "
                        "instead")], text)
            else:
                node = self._open(event, text)
                if event.anchor:
                    self.anchors[event.anchor] = node
                if node.items is not None:
                    if len(stack) >= MAX_DEPTH:
                        raise SourceError(self.path, [Problem(
                            node.mark, f"nested more than {MAX_DEPTH} levels deep; a source needs only "
                                       "a few levels (check the brackets)")], text)
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
                f"'*{event.anchor}' refers to an anchor '&{event.anchor}' that is not defined above; "
                "a value starting with '*' must be in quotes")], text)
        if any(open_node is node for open_node, _ in stack):
            raise SourceError(self.path, [Problem(
                self.mark(event.start_mark),
                f"'*{event.anchor}' refers to the value it is part of, which would never end")], text)
        return node

    def _open(self, event, text: str) -> Node:
        self.count += 1
        mark = self.mark(event.start_mark)
        if self.count > MAX_NODES:
            raise SourceError(self.path, [Problem(mark, f"more than {MAX_NODES:,} values in one source")],
                              text)
        implicit = event.implicit if isinstance(event, yaml.ScalarEvent) else (event.implicit,)
        if event.tag is not None and not any(implicit):
            tag = "!!" + event.tag[len(_TAG):] if event.tag.startswith(_TAG) else event.tag
            self.problems.append(Problem(mark, f"'{tag}' is not allowed: YAML tags can make a program run "
                                               "or change a value's type; remove it and write the "
                                               "plain value"))
        if isinstance(event, yaml.MappingStartEvent):
            return Node({}, mark, {})
        if isinstance(event, yaml.SequenceStartEvent):
            return Node([], mark, [])
        return Node(self._scalar(event, mark), mark)

    def _key(self, mapping: Node, event, text: str) -> str:
        mark = self.mark(event.start_mark)
        if not isinstance(event, yaml.ScalarEvent):
            raise SourceError(self.path, [Problem(mark, "a key must be a plain word, "
                                                        "not a list, mapping or alias")], text)
        name = event.value  # keys stay text: 'no:' or '2013:' are names here, never booleans
        if name == "<<" and not event.style:
            self.problems.append(Problem(mark, "'<<' (a YAML merge key) is not allowed; write the keys out "
                                               "in full"))
        if name in mapping.key_marks:
            first = mapping.key_marks[name]
            self.problems.append(Problem(mark, f"duplicate key '{name}' (first given on line {first.line + 1}); "
                                               "a key may be given once: merge the two or remove one"))
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
                self.problems.append(Problem(mark, f"an escape in these quotes makes {_describe(hidden)}, "
                                                   "which cannot be printed; write the text without it"))
        if event.style or not event.implicit[0]:
            return value  # quoted or block scalars are text, always
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        kind = tag[len(_TAG):] if tag.startswith(_TAG) else "str"
        if kind == "null":
            return None
        if kind == "bool":
            if value in ("true", "false", "True", "False", "TRUE", "FALSE"):
                return value.lower() == "true"
            self.problems.append(Problem(mark, f"'{value}' is read as a yes/no switch, not as text; "
                                               f"if you mean the word, write it in quotes: \"{value}\" "
                                               "(for a switch, write true or false)"))
            return value
        if kind == "int":
            if _PLAIN_INT.match(value) and len(value.lstrip("+-")) > MAX_DIGITS:
                self.problems.append(Problem(mark, f"a number of {len(value.lstrip('+-'))} digits is longer "
                                                   f"than any figure of a plan (at most {MAX_DIGITS}); if it "
                                                   f"is a code, write it in quotes"))
                return value
            if _PLAIN_INT.match(value):
                return int(value)
            self.problems.append(Problem(mark, _ambiguous_number(value)))
            return value
        if kind == "float":
            if _PLAIN_FLOAT.match(value) and not math.isfinite(float(value)):
                self.problems.append(Problem(mark, f"'{value}' is too large to be a number; write the "
                                                   "figure as it is meant, or in quotes as text"))
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
                    self.problems.append(Problem(mark, f"'{value}' is not a date in the calendar; check "
                                                       "the day and the month (written year-month-day, "
                                                       "like 2013-03-03)"))
                    return value
            self.problems.append(Problem(mark, f"'{value}' has a time of day; write the date only, "
                                               "like 2013-03-03"))
            return value
        return value


def _ambiguous_number(value: str) -> str:
    """Why a plain value that looks like a number is refused: other YAML tools read it differently."""
    if "_" in value:
        why = f"other YAML tools drop the '_' and read {value.replace('_', '')}"
    elif ":" in value:
        why = "other YAML tools read digits with ':' as minutes and seconds (1:30 as 90)"
    elif value.lower().lstrip("+-").startswith(("0x", "0o", "0b")):
        why = "it is read as a number in another base, not as text"
    elif value.lower().lstrip("+-.") in ("inf", "nan"):
        why = "it is read as an infinite or undefined number, not as text"
    else:
        why = "a leading 0 makes other YAML tools read a different number (010 as 8)"
    return f"'{value}' is not a plain number: {why}; for text write it in quotes: \"{value}\""


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
        return exc.context_mark, (f"the quote {quote} that starts here is never closed; "
                                  f"end the value with {quote}")
    if "escape" in problem or "hexdecimal" in problem:
        backslash = before.rfind("\\")
        if backslash >= 0:
            mark = yaml.Mark(mark.name, mark.index, mark.line, backslash, None, None)
        return mark, ("a backslash (\\) in double quotes starts a code; use single quotes 'like this', "
                      "or write \\\\ for each backslash")
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        return exc.context_mark, ("this line has no ':' after its name; write 'name: value' (if the line "
                                  "continues the text above it, indent it further)")
    if "mapping values are not allowed" in problem:
        if ": " in before or before.rstrip().endswith(":"):
            return mark, ("a ': ' inside a value; put the whole value in quotes, "
                          "or write '>-' and the text on the lines below")
        return mark, ("this line is indented more than the line above it; "
                      "keys of the same level start in the same column")
    if problem.startswith("did not find expected key") or "expected '-' indicator" in problem:
        if not before.strip():
            return mark, ("this line is not indented like the lines above it; "
                          "keys of the same level start in the same column, and so do '- ' items")
        return mark, ("unexpected text after the value; if the value has quotes or brackets "
                      "inside, put the whole value in quotes")
    if "did not find expected ',' or" in problem and exc.context_mark is not None:
        bracket = _char_at(lines, exc.context_mark) or "["
        closing = {"[": "]", "{": "}"}.get(bracket, "]")
        return exc.context_mark, (f"the '{bracket}' that starts here is not closed with '{closing}' "
                                  "(or an item in it needs quotes)")
    if "block sequence entries are not allowed" in problem:
        return mark, ("a '- ' item cannot follow a 'name:' on the same line; start the list on the "
                      "next line, indented under the name")
    if "expected node content" in problem:
        return mark, ("a value is missing here (two commas in a row, or a ',' or ':' with nothing "
                      "after it); fill it in or remove the extra mark")
    if "block scalar" in context:
        return mark, ("after '>-' or '|' the text starts on the next line, indented under the name")
    if "anchor" in context or "alias" in context:
        return mark, ("a value starting with '&' or '*' must be in quotes")
    if "cannot start any token" in problem:
        char = _char_at(lines, mark)
        return mark, (f"a value cannot start with '{char}'; put the whole value in quotes")
    message = f"YAML syntax error: {problem}"
    if context and context not in problem:
        message += f" ({context})"
    return mark, message


def _char_at(lines: list[str], mark) -> str:
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]
