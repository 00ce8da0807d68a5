"""The `renstra` command: `python -m renstra`, and a real `pip install .` that builds without the
checkout, byte for byte as `make` does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv

import pytest

from conftest import REAL_SOURCE, ROOT
from renstra import __version__


def test_python_m_renstra_is_the_same_command(tmp_path):
    done = subprocess.run([sys.executable, "-m", "renstra", "--version"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == f"renstra {__version__}"
    done = subprocess.run([sys.executable, "-m", "renstra", "check", str(REAL_SOURCE)], cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0 and done.stdout.endswith(": ok\n"), done.stderr


def test_the_project_is_found_from_the_working_folder(tmp_path, monkeypatch):
    from renstra.paths import find_project

    (tmp_path / "source" / "deep").mkdir(parents=True)
    assert find_project(tmp_path) == tmp_path
    assert find_project(tmp_path / "source" / "deep") == tmp_path  # run from inside source/
    bare = tmp_path / "elsewhere"
    bare.mkdir()
    assert find_project(bare) == tmp_path  # its parent holds source/


@pytest.mark.slow
def test_pip_install_gives_a_renstra_command_that_builds_as_make_does(tmp_path):
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    # The same engine versions as make's: the bytes depend on them.
    subprocess.run([python, "-m", "pip", "install", "-q", "-c", ROOT / "requirements.txt", ROOT],
                   check=True, capture_output=True)
    project = tmp_path / "kantor"
    shutil.copytree(ROOT / "source", project / "source")
    command = environment / "bin" / "renstra"
    done = subprocess.run([command, "build", "source/misi-magelang-utara.yaml"], cwd=project,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    reference = tmp_path / "make"
    subprocess.run([sys.executable, ROOT / "build.py", "build", REAL_SOURCE, "--out", reference],
                   check=True, capture_output=True, cwd=ROOT)
    for suffix in (".pdf", ".docx"):
        name = "misi-magelang-utara" + suffix
        assert (project / "output" / name).read_bytes() == (reference / name).read_bytes(), name
    done = subprocess.run([command, "--version"], capture_output=True, text=True)
    assert done.stdout.strip() == f"renstra {__version__}"
