"""Messages are Indonesian by default and English with LANG=en: the catalog holds every message of
the code, translated, with the same placeholders, compiled as committed."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import REAL_SOURCE, ROOT
from renstra import i18n
from tools import messages

BAD = sorted((ROOT / "tests" / "bad").glob("*.yaml"))
HEAD = re.compile(r"^(?P<where>[^\s:]+:\d+:\d+): (?P<message>\S.*)$", re.M)
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def test_the_catalog_has_every_message_of_the_code_translated():
    assert messages.problems() == [], "run: .venv/bin/python tools/messages.py update, translate, compile"


def test_the_compiled_catalog_is_the_committed_one():
    assert messages.COMPILED.read_bytes() == messages.compiled_bytes(messages.read_catalog()), (
        "run: .venv/bin/python tools/messages.py compile")


@pytest.mark.parametrize("environment, expected", [
    ({}, "id"),                                            # Windows sets none of them
    ({"LANG": "C.UTF-8"}, "id"),                           # a container or CI names no language
    ({"LANG": "id_ID.UTF-8"}, "id"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_GB"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "id"),                       # no French catalog: the office's language
    ({"LANG": "id_ID.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "id"}, "id"),
    ({"LANG": "id_ID.UTF-8", "LANGUAGE": "fr:en"}, "en"),  # LANGUAGE is a list of choices
    ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "en"),
    # Whatever the variables hold, only a known code reaches gettext: never a path to a catalog.
    ({"LANG": "../../../../etc/passwd"}, "id"),
    ({"LANGUAGE": "../en:/tmp/x", "LANG": "en_US.UTF-8"}, "en"),
    ({"LANGUAGE": "id_ID@../../x"}, "id"),
])
def test_the_language_comes_from_the_environment(monkeypatch, environment, expected):
    for variable in LANGUAGE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert i18n.language() == expected


def command(*argv, language: str | None) -> subprocess.CompletedProcess:
    """build.py run as an office machine would, with LANG set to language or unset."""
    environment = {k: v for k, v in __import__("os").environ.items() if k not in LANGUAGE_VARIABLES}
    if language:
        environment["LANG"] = language
    return subprocess.run([sys.executable, "build.py", *argv], cwd=ROOT, capture_output=True,
                          text=True, env=environment)


def test_messages_are_indonesian_by_default_and_english_on_request():
    case = "tests/bad/32-period-reversed.yaml"
    default, indonesian, english = (command("check", case, language=lang)
                                    for lang in (None, "id_ID.UTF-8", "en_US.UTF-8"))
    assert default.stderr == indonesian.stderr
    assert default.returncode == english.returncode == 1
    assert default.stderr.rstrip().endswith(f"1 kesalahan di {case}")
    assert english.stderr.rstrip().endswith(f"1 error in {case}")
    assert command("check", str(REAL_SOURCE), language=None).stdout.endswith(": tidak ada kesalahan\n")


def test_help_is_indonesian_by_default():
    shown = command("--help", language=None).stdout
    assert shown.startswith("cara pakai: build.py")
    assert "tampilkan bantuan ini lalu keluar" in shown and "perintah" in shown
    assert "show this help" not in shown and "usage:" not in shown
    shown = command("build", "--help", language=None).stdout
    assert "folder keluaran (bawaan: output/)" in shown
    wrong = command("bangun", language=None)
    assert wrong.returncode == 2 and "pilihan tidak sah: 'bangun'" in wrong.stderr


def located(output: str) -> list[tuple[str, str]]:
    return [(m["where"], m["message"]) for m in HEAD.finditer(output)]


def test_every_message_for_bad_input_is_translated(run, monkeypatch):
    """Each located message of the whole tests/bad corpus reads differently in Indonesian: no
    English sentence slips through a path the catalog does not cover."""
    monkeypatch.chdir(ROOT)
    shown = {}
    for language in ("en", "id"):
        monkeypatch.setenv("LANGUAGE", language)
        shown[language] = [located(run("check", case.relative_to(ROOT).as_posix())[2]) for case in BAD]
    untranslated = []
    for case, english, indonesian in zip(BAD, shown["en"], shown["id"]):
        assert [w for w, _ in english] == [w for w, _ in indonesian], case.name
        untranslated += [f"{case.name}: {e}" for (_, e), (_, i) in zip(english, indonesian) if e == i]
    assert untranslated == []
