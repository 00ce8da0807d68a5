"""Every bad input in tests/bad/ fails with exactly its expected, located messages and exit code 1."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT

BAD = ROOT / "tests" / "bad"
CASES = sorted(BAD.glob("*.yaml"))
REFRESH = "pytest tests/test_bad_inputs.py --refresh-golden"
HEAD = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<message>\S.*)$")
COUNT = re.compile(r"^(?P<n>\d+) errors? in (?P<path>\S+)$")

# Positions checked by hand against the files: (line, column, what the caret points at).
HAND_CHECKED = {
    "01-unclosed-quote": (8, 10, '"1.0'),
    "03-missing-colon": (6, 3, "tempat Magelang"),
    "06-unknown-key-judull": (2, 3, "judull:"),
    "11-number-where-text": (8, 10, "1.0"),
    "14-yaml11-no": (9, 25, "no]"),
    "19-tab-indentation": (6, 1, "\ttempat"),
    "20-windows-1252": (15, 17, "\ufffdmasyarakat"),
    "32-period-reversed": (5, 14, "2010"),
    "35-span-past-last-row": (17, 46, "3}"),
    "36-link-in-text": (15, 15, "[x](http://a)"),
    "37-control-character": (15, 19, "\x07 misi"),
    "49-backslash-in-quotes": (12, 15, "\\Users"),
    "50-colon-in-text": (2, 14, ": Kecamatan"),
}


def _lines(case) -> list[str]:
    return case.read_bytes().decode("utf-8", "replace").split("\n")


def _check_located(relative: str, case, err: str) -> None:
    """Every message is 'path:line:col: message' pointing into the file, with its line and caret."""
    lines = _lines(case)
    out = err.rstrip("\n").split("\n")
    count = COUNT.match(out[-1])
    assert count and count["path"] == relative, f"last line is not the count line: {out[-1]!r}"
    heads = 0
    i = 0
    while i < len(out) - 1:
        more = re.fullmatch(r"\.\.\. and (\d+) more", out[i])
        if more:  # the report is capped; the count line still counts every problem
            heads += int(more[1])
            i += 1
            continue
        head = HEAD.match(out[i])
        assert head, f"not a 'path:line:col: message' line: {out[i]!r}"
        assert head["path"] == relative
        line, col = int(head["line"]), int(head["col"])
        assert line >= 1 and col >= 1, "positions are printed 1-based"
        assert line <= max(len(lines), 1), f"line {line} is past the end of {relative}"
        heads += 1
        i += 1
        if i < len(out) - 1 and out[i].startswith("    "):
            shown, caret = out[i], out[i + 1]
            source_line = lines[line - 1].replace("\t", " ")
            if shown.endswith("...") and not shown.startswith("    ..."):  # a long line, cut
                assert shown == "    " + source_line[:120] + "..."
            elif not shown.startswith("    ..."):
                assert shown == "    " + source_line
                assert caret == "    " + " " * (col - 1) + "^"
            _check_quoted(head["message"], lines[line - 1][col - 1:])
            i += 2
    assert int(count["n"]) == heads, "the count line does not match the messages"


def _check_quoted(message: str, pointed: str) -> None:
    """A message that names the key or value it is about points at that key or value."""
    key = re.match(r"(?:unknown|duplicate) key '([^']+)'", message)
    if key:
        assert pointed.startswith(key[1]), f"{message!r} points at {pointed!r}"
    value = re.match(r"'([^']+)' (?:is not|is read|has a time|is a URL|is an absolute|points outside)",
                     message)
    if value:
        shown = value[1].split(": ...")[0].removesuffix("...")  # long values are shortened
        assert pointed.startswith(shown), f"{message!r} points at {pointed!r}"


def test_corpus_is_complete():
    assert len(CASES) >= 30
    for case in CASES:
        assert re.fullmatch(r"\d{2,3}-[a-z0-9-]+\.yaml", case.name), f"name {case.name} is not NN-name.yaml"
    numbers = [case.name.split("-")[0] for case in CASES]
    assert len(set(numbers)) == len(numbers), "two cases share a number"
    orphans = {p.stem for p in BAD.glob("*.expected")} - {p.stem for p in CASES}
    assert not orphans, f"expected files without a case: {sorted(orphans)}"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_bad_input(case, run, refresh, monkeypatch):
    monkeypatch.chdir(ROOT)
    relative = case.relative_to(ROOT).as_posix()
    code, out, err = run("check", relative)
    assert "Traceback" not in out + err
    assert code == 1
    assert out == ""
    expected = case.with_suffix(".expected")
    if refresh:
        expected.write_bytes(err.encode("utf-8"))
    assert expected.exists(), f"{expected.name} is missing; to write it run: {REFRESH}"
    assert err == expected.read_bytes().decode("utf-8"), (
        f"the messages for {case.name} differ from {expected.name}; if the new ones are right, "
        f"refresh the expected files with: {REFRESH}")
    _check_located(relative, case, err)
    if case.stem in HAND_CHECKED:
        line, col, pointed = HAND_CHECKED[case.stem]
        assert f"{relative}:{line}:{col}: " in err
        assert _lines(case)[line - 1][col - 1:].startswith(pointed)


def test_whole_corpus_in_one_run_without_warnings():
    """All cases in one process under Python's development mode: every one fails, no warning."""
    relative = [case.relative_to(ROOT).as_posix() for case in CASES]
    result = subprocess.run([sys.executable, "-X", "dev", "-W", "error", "build.py", "check", *relative],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "Warning" not in result.stderr
    counted = re.findall(r"^\d+ errors? in (\S+)$", result.stderr, flags=re.M)
    assert counted == relative


def test_a_failed_build_of_every_case_leaves_earlier_outputs_as_they_were(tmp_path, run, monkeypatch):
    """Through `build`, not only `check`: each case fails with its messages, writes nothing,
    and the outputs an earlier good build left under the same names stay byte-identical."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "output"
    out.mkdir()
    before = {}
    for case in CASES:
        for suffix in (".html", ".pdf", ".docx"):
            before[case.stem + suffix] = f"earlier good {suffix} of {case.stem}".encode()
            (out / (case.stem + suffix)).write_bytes(before[case.stem + suffix])
    relative = [case.relative_to(ROOT).as_posix() for case in CASES]
    code, stdout, err = run("build", "--out", out, *relative)
    assert code == 1 and stdout == ""
    assert "Traceback" not in err and "internal error" not in err
    for case in CASES:  # the same messages as `check` gives
        assert case.with_suffix(".expected").read_text(encoding="utf-8") in err, case.name
    assert err.endswith(f"{len(CASES)} of {len(CASES)} sources failed\n")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_50_mb_file_is_refused_by_its_size_before_it_is_read_whole(tmp_path, run):
    path = tmp_path / "besar.yaml"
    line = b"  - judul: " + b"x" * 80 + b"\n"
    with open(path, "wb") as out:
        out.write(b"misi:\n")
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            out.write(line)
    assert path.stat().st_size > 50 * 1024 * 1024
    code, stdout, err = run("check", path)
    assert (code, stdout) == (1, "")
    assert err == (f"{path}:1:1: the file is larger than 8 MiB; a source holds text only\n"
                   f"1 error in {path}\n")
