"""The code paths that differ on Windows, exercised on Linux by standing in for the platform calls:
no signal 0, no hard links on FAT/exFAT/network shares, files that Word holds open, msvcrt locks."""

from __future__ import annotations

import errno
import os
import sys
import types

import pytest

from renstra import archive, outputs
from renstra.outputs import OutputError, write_atomic, write_new

from test_archive import archive_cmd, office, pdf_of, snapshot  # noqa: F401  (fixtures)


def no_links(*args):
    raise PermissionError(errno.EPERM, "Operation not permitted")


def test_write_new_without_hard_links_writes_the_whole_file(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "a.pdf"
    assert write_new(target, b"first") is True
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]  # no temporary left beside it


def test_write_new_without_hard_links_never_replaces_a_file(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "a.pdf"
    target.write_bytes(b"archived")
    assert write_new(target, b"other") is False
    assert target.read_bytes() == b"archived"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_an_output_open_in_another_program_is_named_and_left_as_it_was(tmp_path, monkeypatch):
    target = tmp_path / "misi.docx"
    target.write_bytes(b"previous")

    def held_open(source, destination):  # what Windows does while Word has the file open
        raise PermissionError(errno.EACCES, "Permission denied", str(destination))

    monkeypatch.setattr(os, "replace", held_open)
    with pytest.raises(OutputError) as caught:
        write_atomic(target, b"new")
    message = caught.value.report()
    assert "misi.docx" in message and "open in another program" in message
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["misi.docx"]


def test_the_cli_names_the_open_docx_and_still_writes_the_pdf(run, tmp_path, monkeypatch):
    from conftest import REAL_SOURCE

    real_replace = os.replace

    def word_holds_docx(source, destination):
        if str(destination).endswith(".docx"):
            raise PermissionError(errno.EACCES, "Permission denied", str(destination))
        return real_replace(source, destination)

    (tmp_path / "misi.docx").write_bytes(b"previous")
    monkeypatch.setattr(os, "replace", word_holds_docx)
    code, out, err = run("build", REAL_SOURCE, "--formats", "pdf,docx", "--out", tmp_path)
    assert code == 1
    assert "misi-magelang-utara.docx cannot be replaced: it is open in another program" in err
    assert "Traceback" not in err
    assert (tmp_path / "misi-magelang-utara.pdf").exists()


def test_stale_temporaries_on_windows_are_tested_by_removing_never_by_signals(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "WINDOWS", True)

    def no_signal_zero(pid, signal):  # on Windows this would send CTRL_C_EVENT
        raise AssertionError("os.kill called on Windows")

    monkeypatch.setattr(os, "kill", no_signal_zero)
    target = tmp_path / "misi.pdf"
    left = tmp_path / f".misi.pdf.{os.getpid() + 1}.abc{outputs.TEMP_SUFFIX}"
    in_use = tmp_path / f".misi.pdf.{os.getpid() + 2}.def{outputs.TEMP_SUFFIX}"
    left.write_bytes(b"x")
    in_use.write_bytes(b"y")
    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):
        if str(path) == str(in_use):  # still open in the process writing it
            raise PermissionError(errno.EACCES, "in use", str(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    write_atomic(target, b"pdf")
    assert target.read_bytes() == b"pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["misi.pdf", in_use.name])


class FakeMsvcrt(types.ModuleType):
    """msvcrt.locking as Windows behaves: a byte locked by one handle refuses another at once."""

    LK_NBLCK, LK_UNLCK = 2, 0

    def __init__(self):
        super().__init__("msvcrt")
        self.holder = None
        self.calls = []

    def locking(self, fd, mode, count):
        self.calls.append(mode)
        if mode == self.LK_NBLCK:
            if self.holder is not None:
                raise PermissionError(errno.EACCES, "Permission denied")
            self.holder = fd
        else:
            self.holder = None


def test_the_archive_lock_on_windows_stops_a_second_run(run, office, monkeypatch):  # noqa: F811
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(archive, "WINDOWS", True)
    (office / "archive").mkdir()
    fake.holder = -1  # another run holds it
    code, _, err = archive_cmd(run, office)
    assert code == 1 and "is being written by another archive run" in err
    assert sorted(p.name for p in (office / "archive").iterdir()) == [".lock"]
    fake.holder = None
    code, out, err = archive_cmd(run, office)
    assert code == 0, err
    assert fake.calls[-2:] == [fake.LK_NBLCK, fake.LK_UNLCK] and fake.holder is None
    assert any(name.endswith(".pdf") for name in snapshot(office / "archive"))


def test_a_console_that_cannot_hold_a_character_gets_it_escaped(tmp_path):
    """Windows writes cp1252 to a redirected console; a source's character outside it must not
    turn a located message into a UnicodeEncodeError."""
    import subprocess

    from conftest import ROOT

    bad = tmp_path / "misi.yaml"
    bad.write_text("dokumen:\n  judull: Misi \u2713 \u6f22\n", encoding="utf-8")
    for encoding in ("cp1252", "ascii"):
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", str(bad)],
                              capture_output=True, env={**os.environ, "PYTHONIOENCODING": encoding})
        err = done.stderr.decode(encoding)
        assert done.returncode == 1 and "Traceback" not in err
        assert "judull" in err and "\\u2713" in err
