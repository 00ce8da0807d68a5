"""Unit tests of load_source: strict YAML into values that remember where they came from."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

from renstra import source as source_module
from renstra.errors import Mark, Problem, SourceError
from renstra.source import load_source


def _load(tmp_path, content: str | bytes, name: str = "doc.yaml"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return load_source(path)


def _fails(tmp_path, content: str | bytes) -> SourceError:
    """The loader's complaint: raised when it stops loading, else kept on the source for
    validation to report together with its own."""
    try:
        source = _load(tmp_path, content)
    except SourceError as error:
        return error
    assert source.problems, "the loader found nothing wrong"
    return source.error(source.problems)


def test_marks_are_stored_zero_based(tmp_path):
    source = _load(tmp_path, "dokumen:\n  judul: Misi\n  versi: '1.0'\n")
    dokumen = source.root.child("dokumen")
    assert source.root.key_marks["dokumen"] == Mark(source.path, 0, 0)
    assert dokumen.key_marks["versi"] == Mark(source.path, 2, 2)
    assert dokumen.child("judul").mark == Mark(source.path, 1, 9)


def test_marks_are_printed_one_based_with_the_line_and_a_caret(tmp_path):
    error = _fails(tmp_path, "dokumen:\n  versi: 010\n")
    assert [(p.mark.line, p.mark.column) for p in error.problems] == [(1, 9)]
    assert error.report() == (f"{error.path}:2:10: '010' is not a plain number: a leading 0 makes other "
                              "YAML tools read a different number (010 as 8); for text write it in "
                              "quotes: \"010\"\n"
                              "      versi: 010\n"
                              "             ^\n"
                              f"1 error in {error.path}")


def test_utf8_bom_is_accepted_and_does_not_shift_columns(tmp_path):
    plain = _load(tmp_path, "judul: Misi\n", "plain.yaml")
    with_bom = _load(tmp_path, b"\xef\xbb\xbfjudul: Misi\n", "bom.yaml")
    assert with_bom.root.value == {"judul": "Misi"}
    assert with_bom.root.child("judul").mark.column == plain.root.child("judul").mark.column == 7


def test_crlf_line_endings_are_accepted_and_lines_count_right(tmp_path):
    source = _load(tmp_path, b"a: satu\r\nb: dua\r\nc: tiga\r\n")
    assert source.root.value == {"a": "satu", "b": "dua", "c": "tiga"}
    assert source.root.key_marks["c"].line == 2
    error = _fails(tmp_path, b"a: satu\r\nb: dua\r\nc: on\r\n")
    assert error.problems[0].mark.line == 2


def test_dates_are_dates_and_quoted_dates_stay_text(tmp_path):
    source = _load(tmp_path, "a: 2013-03-03\nb: \"2013-03-03\"\n")
    assert source.root.value == {"a": datetime.date(2013, 3, 3), "b": "2013-03-03"}


@pytest.mark.parametrize("text, message", [
    ("a: 2013-02-30\n", "'2013-02-30' is not a date in the calendar"),
    ("a: 2013-03-03 10:00:00\n", "'2013-03-03 10:00:00' has a time of day"),
    ("a: 2013-03-03T10:00:00Z\n", "has a time of day"),
])
def test_impossible_dates_and_times_are_refused(tmp_path, text, message):
    assert message in _fails(tmp_path, text).problems[0].message


def test_quoted_scalars_are_always_text_plain_ones_are_typed(tmp_path):
    source = _load(tmp_path, "\n".join([
        "q1: \"010\"", "q2: 'no'", "q3: \"1.0\"", "q4: 'true'", "q5: >-\n  12",
        "p1: 12", "p2: 1.5", "p3: true", "p4: False", "p5:", "p6: ~", "p7: teks biasa", ""]))
    assert source.root.value == {
        "q1": "010", "q2": "no", "q3": "1.0", "q4": "true", "q5": "12",
        "p1": 12, "p2": 1.5, "p3": True, "p4": False, "p5": None, "p6": None, "p7": "teks biasa"}


@pytest.mark.parametrize("value", ["no", "on", "yes", "Off", "NO", "Yes"])
def test_yaml_11_booleans_in_plain_values_are_refused(tmp_path, value):
    error = _fails(tmp_path, f"tempat: {value}\n")
    assert error.problems[0].message.startswith(f"'{value}' is read as a yes/no switch")
    assert f'write it in quotes: "{value}"' in error.problems[0].message


@pytest.mark.parametrize("value, why", [
    ("010", "a leading 0"), ("1_000", "read 1000"), ("0x1F", "another base"), ("1:30", "minutes"),
    (".inf", "infinite"), ("1_000.5", "read 1000.5"),
])
def test_ambiguous_numbers_are_refused(tmp_path, value, why):
    message = _fails(tmp_path, f"a: {value}\n").problems[0].message
    assert message.startswith(f"'{value}' is not a plain number") and why in message


def test_keys_like_no_and_years_stay_text(tmp_path):
    source = _load(tmp_path, "no: 1\nyes: 2\n2013: tiga\non: 4\n")
    assert list(source.root.value) == ["no", "yes", "2013", "on"]


def test_aliases_within_the_cap_are_expanded(tmp_path):
    source = _load(tmp_path, "a: &kata [Renstra, Misi]\nb: *kata\n")
    assert source.root.value["b"] == ["Renstra", "Misi"]
    # 10 x 10 x 10 = 1,000 values: far below the cap, so a modest reuse is fine.
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in (1, 2)]
    assert len(_load(tmp_path, "\n".join(lines) + "\n").root.value["l2"]) == 10


def test_aliases_past_the_cap_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(source_module, "MAX_NODES", 50)
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]", "l1: [*l0, *l0, *l0, *l0, *l0, *l0]"]
    error = _fails(tmp_path, "\n".join(lines) + "\n")
    assert error.problems[0].message.startswith("aliases expand the document past 50 values")
    assert (error.problems[0].mark.line, error.problems[0].mark.column) == (1, 20)


@pytest.mark.parametrize("text, message", [
    ("a: *nope\n", "'*nope' refers to an anchor '&nope' that is not defined above"),
    ("a: &x [1, *x]\n", "'*x' refers to the value it is part of"),
])
def test_broken_aliases_are_refused(tmp_path, text, message):
    assert _fails(tmp_path, text).problems[0].message.startswith(message)


def test_deep_nesting_is_capped(tmp_path):
    error = _fails(tmp_path, "a: " + "[" * 80 + "]" * 80 + "\n")
    assert error.problems[0].message.startswith("nested more than 64 levels deep")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    error = _fails(tmp_path, "a: no\nb: 010\na: 3\nc: !!str x\n")
    assert [(p.mark.line + 1, p.message.split(" ")[0]) for p in error.problems] == [
        (1, "'no'"), (2, "'010'"), (3, "duplicate"), (4, "'!!str'")]
    assert error.report().endswith(f"4 errors in {error.path}")


def test_every_tab_and_control_character_is_reported(tmp_path):
    error = _fails(tmp_path, "a:\n\tb: 1\n\tc: 2\nd: x\x07y\n")
    assert [(p.mark.line, p.mark.column) for p in error.problems] == [(1, 0), (2, 0), (3, 4)]
    assert "U+0007" in error.problems[2].message


def test_a_tab_inside_text_is_allowed(tmp_path):
    assert _load(tmp_path, "a: 'x\ty'\n").root.value == {"a": "x\ty"}


def test_windows_1252_is_named_and_located(tmp_path):
    error = _fails(tmp_path, "a: satu\nb: \u201cdua\u201d\n".encode("cp1252"))
    problem = error.problems[0]
    assert (problem.mark.line, problem.mark.column) == (1, 3)
    assert "byte 0x93" in problem.message and "Windows-1252" in problem.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_named(tmp_path, encoding):
    error = _fails(tmp_path, "a: satu\n".encode(encoding))
    assert error.problems[0].message.startswith("the file is UTF-16")


def test_binary_garbage_is_called_binary(tmp_path):
    error = _fails(tmp_path, bytes(range(256)) * 4)
    assert "binary file" in error.problems[0].message


@pytest.mark.parametrize("content, message", [
    ("", "the file is empty"), ("\n  \n", "the file is empty"), ("# catatan\n", "the file holds only comments"),
])
def test_empty_files_are_refused(tmp_path, content, message):
    assert _fails(tmp_path, content).problems[0].message.startswith(message)


def test_missing_file_and_folder_are_clear(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        load_source(tmp_path / "tidak-ada.yaml")
    with pytest.raises(SourceError, match="a folder, not a file"):
        load_source(tmp_path)


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(source_module, "MAX_BYTES", 1024)
    with pytest.raises(SourceError, match="larger than"):
        _load(tmp_path, "a: " + "x" * 2000 + "\n")


def test_second_document_is_refused_where_it_starts(tmp_path):
    error = _fails(tmp_path, "a: 1\n---\nb: 2\n")
    assert error.problems[0].mark.line == 1 and "second document" in error.problems[0].message


@pytest.mark.parametrize("text, line, column, start", [
    ("a: 1\nb: \"dua\nc: 3\n", 1, 3, "the quote \" that starts here is never closed"),
    ("a:\n  b: 1\n  c d\n  e: 2\n", 2, 2, "this line has no ':'"),
    ("a: satu: dua\n", 0, 7, "a ': ' inside a value"),
    ("a: x\n  b: y\n", 1, 3, "this line is indented more"),
    ("a:\n  - b\n - c\n", 2, 1, "this line is not indented like"),
    ("a: [1, 2\n", 0, 3, "the '[' that starts here is not closed with ']'"),
    ("a: @x\n", 0, 3, "a value cannot start with '@'"),
    ("a: \"C:\\Users\"\n", 0, 6, "a backslash"),
    ("a: - b\n", 0, 3, "a '- ' item cannot follow a 'name:' on the same line"),
    ("a: [b, , c]\n", 0, 7, "a value is missing here"),
    ("a: >- teks\n", 0, 6, "after '>-' or '|' the text starts on the next line"),
    ("a: & b\n", 0, 4, "a value starting with '&' or '*' must be in quotes"),
])
def test_syntax_errors_point_at_the_mistake(tmp_path, text, line, column, start):
    problem = _fails(tmp_path, text).problems[0]
    assert (problem.mark.line, problem.mark.column) == (line, column)
    assert problem.message.startswith(start)


def test_long_lines_are_cut_around_the_caret():
    text = "a: " + "x" * 300 + "!\n"
    shown = Problem(Mark("f.yaml", 0, 303), "here").format(text).split("\n")
    assert shown[1].startswith("    ...") and len(shown[1]) < 140
    assert shown[1][shown[2].index("^")] == "!"


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_source_that_is_not_a_regular_file_is_refused_at_once(tmp_path, kind):
    """A pipe named x.yaml would make open() wait for a writer for ever; a device never ends."""
    path = {"fifo": tmp_path / "x.yaml", "device": Path("/dev/zero"), "folder": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", str(path)], capture_output=True,
                          text=True, timeout=60)  # a guard only: refused, it returns in well under a second
    assert done.returncode == 1 and "Traceback" not in done.stderr
    expected = "this is a folder, not a file" if kind == "folder" else "this is not a regular file"
    assert done.stderr.startswith(f"{path}:1:1: {expected}")


def test_a_source_linked_from_outside_its_folder_is_refused(tmp_path):
    outside = tmp_path / "rahasia.yaml"
    outside.write_text("dokumen: {}\n", encoding="utf-8")
    (tmp_path / "src").mkdir()
    link = tmp_path / "src" / "misi.yaml"
    link.symlink_to(outside)
    with pytest.raises(SourceError) as caught:
        load_source(link)
    assert caught.value.problems[0].message.startswith("this is a link to a file outside its folder")
    beside = tmp_path / "src" / "salinan.yaml"
    beside.symlink_to(REAL_SOURCE_COPY := tmp_path / "src" / "asli.yaml")
    REAL_SOURCE_COPY.write_text((ROOT / "source" / "misi-magelang-utara.yaml").read_text(encoding="utf-8"),
                                encoding="utf-8")
    assert load_source(beside).data == REAL_SOURCE_COPY.read_bytes()  # a link within the folder is fine
