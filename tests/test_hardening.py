"""Hardening: missing glyphs, untrusted text, reach outside the project, faults, long and odd content."""

from __future__ import annotations

import collections
import datetime
import dataclasses
import functools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import zipfile

import lxml.html
import pdfplumber
import pypdf
import pytest
import weasyprint
import yaml
from lxml import etree
from weasyprint.text.fonts import FontConfiguration

from conftest import NS, REAL_SOURCE, ROOT, W, docx_text, normal, libreoffice_pdf, paragraph_text, part, pdf_text, require
from renstra import cli, diagnostics, docx, pdf, render
from renstra.cli import build, check
from renstra.errors import TemplateError

CM = 72 / 2.54  # PDF points per centimetre


# --- making sources and looking at folders ----------------------------------------------------

def document(**parts) -> dict:
    """A small valid source; parts replace or add top-level keys."""
    data = {
        "dokumen": {"judul": "RENSTRA UJI", "periode": {"mulai": 2021, "selesai": 2025},
                    "tempat": "Magelang", "tanggal": datetime.date(2022, 1, 17), "versi": "1.0"},
        "instansi": {"nama": "Kecamatan Uji", "daerah": "Kota Magelang"},
        "penandatangan": {"jabatan": "Camat Uji"},
        "misi": [{"judul": "Misi pertama.", "makna": ["Makna misi pertama."]}],
    }
    data.update(parts)
    return {key: value for key, value in data.items() if value is not None}


def write_source(path, data: dict):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return path


def snapshot(folder) -> dict[str, bytes]:
    """Every file in the folder, hidden ones too, with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def place_of(path, needle: str) -> str:
    """'path:line:col' of the value that holds needle, as a warning or error names it."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            column = len(line) - len(line.lstrip(" -")) + 1
            return f"{path}:{number}:{column}"
    raise AssertionError(f"{needle!r} not in {path}")


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and 'File "' not in err, err


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a connection or resolve a name is recorded and refused."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("a build tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


# --- missing glyphs ---------------------------------------------------------------------------

ARABIC = "\u0628\u0633\u0645 \u0627\u0644\u0644\u0647"            # bism allah
JAVANESE = "\ua9b2\ua98f\ua9c0\ua9b1\ua9ab"                      # aksara
EMOJI = "\U0001F600\U0001F44D"                                    # grinning face, thumbs up


@pytest.fixture(scope="module")
def other_scripts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scripts")
    return write_source(folder / "aksara.yaml", document(misi=[{"judul": "Misi dengan aksara lain.", "makna": [
        f"Paragraf Arab {ARABIC} selesai.",
        {"daftar": [f"Butir Jawa {JAVANESE} selesai."]},
        {"tabel": {"kepala": [["Kolom", "Nilai"]], "baris": [[f"Sel emoji {EMOJI}", 1]]}},
    ]}]))


def test_check_warns_of_each_character_the_font_lacks_and_exits_0(run, other_scripts):
    code, out, err = run("check", other_scripts)
    assert (code, out) == (0, f"{other_scripts}: ok\n")
    no_traceback(err)
    arabic, javanese, emoji = (f"{place_of(other_scripts, s)}: warning: Liberation Sans has no glyph for "
                               for s in (ARABIC, JAVANESE, EMOJI))
    assert arabic + "U+0628 ARABIC LETTER BEH, U+0633 ARABIC LETTER SEEN, U+0645 ARABIC LETTER MEEM, " \
                    "U+0627 ARABIC LETTER ALEF, U+0644 ARABIC LETTER LAM, U+0647 ARABIC LETTER HEH; " \
                    "they print in a fallback font or as empty boxes" in err
    assert javanese + "U+A9B2 JAVANESE LETTER HA, U+A98F JAVANESE LETTER KA, U+A9C0 JAVANESE PANGKON, " \
                      "U+A9B1 JAVANESE LETTER SA, U+A9AB JAVANESE LETTER RA;" in err
    assert emoji + "U+1F600 GRINNING FACE, U+1F44D THUMBS UP SIGN;" in err
    # Each warning shows its line with a caret under the value, as errors do.
    lines = err.splitlines()
    for index in (i for i, line in enumerate(lines) if ": warning: " in line):
        column = int(lines[index].split(":")[2])
        assert lines[index + 2] == "    " + " " * (column - 1) + "^"
    assert len([line for line in lines if ": warning: " in line and "glyph" in line]) == 3


def test_build_of_other_scripts_succeeds_warns_and_keeps_the_characters(run, other_scripts, tmp_path):
    code, out, err = run("build", "--formats", "pdf,docx", "--out", tmp_path, other_scripts)
    assert code == 0, err
    assert err.count(": warning: ") == 3 and "U+A9B2 JAVANESE LETTER HA" in err
    words = docx_text(tmp_path / "aksara.docx")
    for text in (ARABIC, JAVANESE, EMOJI):
        assert text in words  # the DOCX keeps them, for a machine with a font that has them
    # Poppler, not pdfplumber: WeasyPrint writes a font that printed an empty box with an
    # embedded encoding, which pdfminer cannot read (the PDF itself shows the text).
    # Compared without spaces and bidirectional marks, which poppler adds around the Arabic.
    require("pdftotext", "poppler-utils")
    shown = subprocess.run(["pdftotext", str(tmp_path / "aksara.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    squeezed = re.sub(r"[\s\u202a-\u202e]", "", shown)
    for text in (f"Paragraf Arab {ARABIC} selesai.", f"Butir Jawa {JAVANESE} selesai.", f"Sel emoji {EMOJI}"):
        assert re.sub(r"\s", "", text) in squeezed


def test_warnings_name_the_font_the_source_chose(run, tmp_path):
    path = write_source(tmp_path / "bookman.yaml", document(tata_letak={"huruf": "Bookman Old Style"}, misi=[
        {"judul": "Misi.", "makna": [f"Teks {JAVANESE}."]}]))
    code, out, err = run("check", path)
    assert code == 0
    assert f"{place_of(path, JAVANESE)}: warning: TeX Gyre Bonum has no glyph for U+A9B2 JAVANESE LETTER HA" in err


def test_the_real_source_warns_only_of_what_the_office_must_supply(run):
    # The published text gives no emblem and no Camat's name or NIP: check says so, and passes.
    code, out, err = run("check", REAL_SOURCE)
    assert (code, out) == (0, f"{REAL_SOURCE}: ok\n")
    heads = [line for line in err.splitlines() if not line.startswith(" ")]
    assert heads == [f"{REAL_SOURCE}:18:1: warning: no emblem: the cover and letterhead print none; add "
                     "'lambang: lambang.png' (a PNG or JPEG beside the source)",
                     f"{REAL_SOURCE}:23:1: warning: the signature block has no nama and no nip; the signed "
                     "document prints nama and nip"]


def test_a_build_prints_no_completeness_warnings(run, tmp_path):
    assert run("build", "--formats", "html", "--out", tmp_path, REAL_SOURCE)[2] == ""


def test_check_loads_no_layout_or_word_engine():
    code = ("import sys; from renstra import cli; assert cli.main(['check', sys.argv[1]]) == 0; "
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('weasyprint', 'docx', 'pydyf', 'jinja2', 'PIL'))))")
    done = subprocess.run([sys.executable, "-c", code, str(REAL_SOURCE)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == ""


# --- untrusted text stays text ----------------------------------------------------------------

# What staff paste from web pages, e-mail and Word: markup of HTML, Jinja, CSS, entities, smart
# quotes, and asterisks and underscores that are not emphasis.
HOSTILE = ("<script>alert(1)</script> </p> {{ 7*7 }} {% if %} body{color:red} &amp; "
           "\u201csmart quotes\u201d \u2018single\u2019 2 * 3 snake_case_name *unclosed")


def hostile_document(text: str) -> dict:
    """The text in a title, heading, paragraph, list item, table cell, signer name and unit name.
    Text fields also get a backslash-escaped asterisk, which prints as a plain asterisk."""
    return document(
        dokumen={**document()["dokumen"], "judul": f"Judul {text}"},
        instansi={"nama": f"Unit {text}", "daerah": "Kota Magelang"},
        penandatangan={"jabatan": "Camat Uji", "nama": f"Nama {text}"},
        misi=[{"judul": f"Misi {text}", "makna": [
            f"Paragraf {text} \\*kata\\*",
            {"daftar": [f"Butir {text}", "Butir kedua."]},
            {"tabel": {"kepala": [["Kolom", "Nilai"]], "baris": [[f"Sel {text}", 1]]}},
        ]}])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile document and the same document with plain words, each built in all formats."""
    built = {}
    for name, text in (("hostile", HOSTILE), ("plain", "kata biasa")):
        folder = tmp_path_factory.mktemp(name)
        source = write_source(folder / f"{name}.yaml", hostile_document(text))
        built[name] = dict(zip(("html", "pdf", "docx"), build(str(source), folder / "out", ["html", "pdf", "docx"])))
    return built


EXPECTED = [f"{field} {HOSTILE}" for field in ("Judul", "Unit", "Misi", "Butir", "Nama")] + [
    f"Paragraf {HOSTILE} *kata*"]


def test_untrusted_text_comes_out_literally_in_the_pdf(hostile):
    seen = pdf_text(hostile["hostile"]["pdf"])
    for text in EXPECTED:
        assert normal(text) in seen
    assert "49" not in seen  # {{ 7*7 }} was never evaluated
    with pdfplumber.open(hostile["hostile"]["pdf"]) as document_pdf:
        cells = [normal(c or "") for page in document_pdf.pages
                 for table in page.extract_tables({"text_x_tolerance": 1}) for row in table for c in row]
    assert normal(f"Sel {HOSTILE}") in cells
    info = pypdf.PdfReader(hostile["hostile"]["pdf"]).metadata
    assert info.author == f"Unit {HOSTILE}" and info.title == f"Judul {HOSTILE}"


def test_untrusted_text_comes_out_literally_in_the_docx(hostile):
    seen = docx_text(hostile["hostile"]["docx"])
    for text in EXPECTED + [f"Sel {HOSTILE}"]:
        assert normal(text) in seen
    with zipfile.ZipFile(hostile["hostile"]["docx"]) as package:
        core = package.read("docProps/core.xml").decode("utf-8")
    assert "Unit &lt;script&gt;alert(1)&lt;/script&gt;" in core


def html_shape(path) -> collections.Counter:
    tree = lxml.html.parse(str(path))
    return collections.Counter((e.tag, e.get("class")) for e in tree.iter() if isinstance(e.tag, str))


def docx_shape(path) -> collections.Counter:
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    return collections.Counter(e.tag.replace(W, "w:") for e in body.iter() if isinstance(e.tag, str))


def test_untrusted_text_adds_no_element_to_the_html_or_the_docx(hostile):
    """Same elements, classes and Word parts as the same document with plain words."""
    assert html_shape(hostile["hostile"]["html"]) == html_shape(hostile["plain"]["html"])
    assert docx_shape(hostile["hostile"]["docx"]) == docx_shape(hostile["plain"]["docx"])
    assert "<script>" not in hostile["hostile"]["html"].read_text(encoding="utf-8")


# --- no reach outside the project -------------------------------------------------------------

@pytest.fixture
def emblem_folder(tmp_path):
    """A source folder holding a symlink out of it, a FIFO and a file that is not an image."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "keluar.png").symlink_to("/etc/hostname")
    os.mkfifo(folder / "pipa.png")
    (folder / "palsu.png").write_bytes(b"GIF89a\x10\x00\x10\x00 a GIF named .png" * 20)
    return folder


@pytest.mark.parametrize("value, message", [
    ("/etc/passwd", "'/etc/passwd' is an absolute path; give a path relative to the source file"),
    ("../../x.png", "'../../x.png' points outside the source's folder; copy the file beside the source and give its name"),
    ("keluar.png", "'keluar.png' points outside the source's folder; copy the file beside the source and give its name"),
    ("file:///etc/passwd", "'file:///etc/passwd' is a URL; give the path of a file beside the source instead"),
    ("http://example.org/a.png", "'http://example.org/a.png' is a URL; give the path of a file beside the source instead"),
    ("//example.org/a.png", "'//example.org/a.png' is a URL; give the path of a file beside the source instead"),
    ("/dev/urandom", "'/dev/urandom' is an absolute path; give a path relative to the source file"),
    ("pipa.png", "'pipa.png' is not a regular file"),
    # Windows paths: a drive letter is no URL scheme, and a backslash is no folder separator here.
    ("C:\\Users\\staf\\logo.png", "'C:\\Users\\staf\\logo.png' is an absolute Windows path; copy the file "
                                  "beside the source and give its name (e.g. 'logo.png')"),
    ("C:/Users/staf/logo.png", "'C:/Users/staf/logo.png' is an absolute Windows path; copy the file "
                               "beside the source and give its name (e.g. 'logo.png')"),
    ("\\\\server\\share\\x.png", "'\\\\server\\share\\x.png' is a path on another computer of the "
                                  "network; copy the file beside the source and give its name (e.g. 'x.png')"),
    ("logo\\lambang.png", "'logo\\lambang.png' separates folders with '\\'; write '/' instead: "
                          "'logo/lambang.png'"),
])
def test_emblem_outside_the_project_is_refused_before_rendering(run, emblem_folder, no_network, value, message):
    data = document()
    data["instansi"]["lambang"] = value
    source = write_source(emblem_folder / "lambang.yaml", data)
    out = emblem_folder.parent / "out"
    code, stdout, err = run("build", "--out", out, source)
    assert code == 1
    line = place_of(source, "lambang:").split(":")[1]
    assert err.startswith(f"{source}:{line}:12: {message}\n"), err
    no_traceback(err)
    assert stdout == "" and not out.exists()  # refused before anything was rendered or written
    assert no_network == []


def test_an_emblem_that_is_not_an_image_is_refused_located_and_keeps_old_outputs(run, emblem_folder):
    data = document()
    source = write_source(emblem_folder / "lambang.yaml", data)
    out = emblem_folder.parent / "out"
    assert run("build", "--formats", "pdf,docx", "--out", out, source)[0] == 0
    before = snapshot(out)
    data["instansi"]["lambang"] = "palsu.png"
    write_source(source, data)
    line = place_of(source, "lambang:").split(":")[1]
    for fmt in ("pdf", "docx"):
        code, stdout, err = run("build", "--formats", fmt, "--out", out, source)
        assert code == 1
        assert err.startswith(f"{source}:{line}:12: 'palsu.png' is not a PNG image, whatever its "
                              "name says\n"), err
    assert snapshot(out) == before


def rendered_with_emblem(tmp_path, src: str):
    """A source with an emblem (on its cover and letterhead) rendered, its emblem links pointed
    at src (as a changed template might)."""
    source, model = check(str(ROOT / "tests" / "fixtures" / "kelurahan.yaml"))
    rendered = render.render_html(model, source, tmp_path)
    html = re.sub(r'(<img class="lambang" src=")[^"]*', lambda m: m.group(1) + src, rendered.html)
    assert html != rendered.html
    return dataclasses.replace(rendered, html=html)


@pytest.mark.parametrize("src", ["/etc/passwd", "file:///etc/hostname", "http://example.org/a.png",
                                 "https://example.org/a.png", "../../../../../../../etc/hostname", "/dev/urandom"])
def test_both_writers_read_no_file_or_url_outside_the_allowed_folders(tmp_path, no_network, src):
    rendered = rendered_with_emblem(tmp_path, src)
    with pytest.raises(pdf.ResourceRefused, match="refused to (fetch|read)"):
        pdf.pdf_bytes(rendered)
    with pytest.raises(TemplateError, match="refused to read the emblem"):
        docx.DocxWriter(rendered).write()
    assert no_network == []


# --- faults: fonts, template, reference document, engines, a killed build -----------------------

@pytest.fixture
def templates_copy(tmp_path, monkeypatch):
    """A copy of templates/ that every stage uses instead of the real one, to break at will."""
    copy = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES, copy)
    for module in (render, docx, cli):
        monkeypatch.setattr(module, "TEMPLATES", copy)
    monkeypatch.setattr(docx, "REFERENCE", copy / "reference.docx")
    # The CLI has no option for another templates folder; the writers take it from Rendered.
    monkeypatch.setattr(render, "render_html", functools.partial(render.render_html, templates=copy))
    return copy


@pytest.fixture
def built_before(run, tmp_path, templates_copy):
    """The real source built in all formats with the intact copy: the outputs a fault must keep."""
    source = tmp_path / "src" / REAL_SOURCE.name
    source.parent.mkdir()
    shutil.copy(REAL_SOURCE, source)
    out = tmp_path / "out"
    assert run("build", "--out", out, source)[0] == 0
    return source, out, snapshot(out)


def break_font(copy, name, data):
    path = copy / "fonts" / name
    if data is None:
        path.unlink()
    else:
        path.write_bytes(data)
    return path


def test_the_copy_of_templates_is_what_a_build_reads(built_before, templates_copy):
    source, out, files = built_before
    assert set(files) == {"misi-magelang-utara.html", "misi-magelang-utara.pdf", "misi-magelang-utara.docx"}
    assert f'href="{os.path.relpath(templates_copy / "print.css", out)}"' in files["misi-magelang-utara.html"].decode()


@pytest.mark.parametrize("name, data, message", [
    ("LiberationSans-Regular.ttf", None, "{path}: font file missing; restore it from the repository "
                                         "(git checkout -- renstra/templates/fonts)"),
    ("LiberationSans-Bold.ttf", None, "{path}: font file missing; restore it from the repository "
                                      "(git checkout -- renstra/templates/fonts)"),
    ("LiberationSans-Italic.ttf", b"<html>not a font</html>",
     "{path}: not a usable font file (Not a TrueType or OpenType font (bad sfntVersion))"),
    ("LiberationSans-BoldItalic.ttf", b"",
     "{path}: not a usable font file (Not a TrueType or OpenType font (not enough data))"),
])
def test_missing_or_broken_font_is_one_clear_line_and_keeps_outputs(run, built_before, templates_copy,
                                                                     name, data, message):
    source, out, files = built_before
    path = break_font(templates_copy, name, data)
    code, stdout, err = run("build", "--out", out, source)
    assert (code, stdout, err) == (1, "", message.format(path=path) + "\n")
    assert snapshot(out) == files


def test_a_truncated_font_is_refused(run, built_before, templates_copy):
    source, out, files = built_before
    path = templates_copy / "fonts" / "LiberationSans-Bold.ttf"
    path.write_bytes(path.read_bytes()[:4000])
    code, stdout, err = run("build", "--formats", "pdf", "--out", out, source)
    assert code == 1 and err.startswith(f"{path}: not a usable font file (") and err.count("\n") == 1
    assert snapshot(out) == files


# The template line where the unit's name is first printed: the error names it.
FIRST_UNIT_NAME = next(number for number, line in enumerate(
    (render.TEMPLATES / "renstra.html.j2").read_text(encoding="utf-8").splitlines(), start=1) if "{{ unit.nama }}" in line)


@pytest.mark.parametrize("change, message", [
    (lambda t: t.write_text(t.read_text() + "\n{% if %}\n"),
     r"/.*/templates/renstra.html.j2:\d+: template error: Expected an expression, got 'end of statement block'"),
    (lambda t: t.write_text(t.read_text().replace("{{ d.judul | markup }}", "{{ d.judul | markup }", 1)),
     r"/.*/templates/renstra.html.j2:\d+: template error: unexpected '}'"),
    (lambda t: t.write_text(t.read_text().replace("{{ unit.nama }}", "{{ unit.nama_tidak_ada }}", 1)),
     rf"renstra.html.j2:{FIRST_UNIT_NAME}: template error: 'renstra.model.Instansi object' has no attribute "
     "'nama_tidak_ada'"),
    (lambda t: t.unlink(), r"template not found: renstra.html.j2 \(in /.*/templates\)"),
])
def test_broken_template_is_one_clear_line_and_keeps_outputs(run, built_before, templates_copy, change, message):
    source, out, files = built_before
    change(templates_copy / "renstra.html.j2")
    code, stdout, err = run("build", "--out", out, source)
    assert code == 1 and stdout == ""
    assert re.fullmatch(message + "\n", err), err
    assert snapshot(out) == files


def test_broken_template_at_the_function_level(tmp_path):
    copy = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES, copy)
    (copy / "renstra.html.j2").write_text("<html>{% for %}</html>\n")
    source, model = check(str(REAL_SOURCE))
    with pytest.raises(TemplateError, match=f"^{re.escape(str(copy))}/renstra.html.j2:1: template error: "
                                            "Expected an expression, got 'end of statement block'$"):
        render.render_html(model, source, tmp_path, templates=copy)


def test_missing_stylesheet_stops_the_pdf_and_keeps_it(run, built_before, templates_copy):
    source, out, files = built_before
    (templates_copy / "print.css").unlink()
    code, stdout, err = run("build", "--formats", "pdf", "--out", out, source)
    assert code == 1 and stdout == ""
    assert err == f"cannot read {templates_copy / 'print.css'}: it is missing or not a regular file\n"
    no_traceback(err)
    assert snapshot(out) == files


def plain_docx() -> bytes:
    import docx as python_docx
    import io

    buffer = io.BytesIO()
    python_docx.Document().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("data, message", [
    (None, "{path}: the reference document is missing; {restore}"),
    (b"PK\x03\x04 not really a zip", "{path}: not a Word document; {restore}"),
    (b"", "{path}: not a Word document; {restore}"),
    ("plain", "{path}: no list numbering named 'Daftar Renstra'; {restore}"),
])
def test_missing_or_broken_reference_docx_is_one_clear_line_and_keeps_the_docx(run, built_before, templates_copy,
                                                                               data, message):
    source, out, files = built_before
    path = templates_copy / "reference.docx"
    if data is None:
        path.unlink()
    else:
        path.write_bytes(plain_docx() if data == "plain" else data)
    code, stdout, err = run("build", "--formats", "docx", "--out", out, source)
    restore = "restore it from the repository, or run tools/make_reference_docx.py to write the original"
    assert (code, stdout, err) == (1, "", message.format(path=path, restore=restore) + "\n")
    assert snapshot(out) == files


@pytest.mark.parametrize("fmt, target", [("pdf", (weasyprint.HTML, "render")),
                                         ("docx", (docx.DocxWriter, "write")),
                                         ("html", (render, "html_bytes"))])
@pytest.mark.parametrize("debug", [False, True])
def test_an_engine_fault_is_an_internal_error_line_and_writes_nothing(run, built_before, monkeypatch,
                                                                       fmt, target, debug):
    source, out, files = built_before

    def fault(*args, **kwargs):
        raise RuntimeError("engine fault")

    monkeypatch.setattr(*target, fault)
    if debug:
        monkeypatch.setenv("RENSTRA_DEBUG", "1")
    else:
        monkeypatch.delenv("RENSTRA_DEBUG", raising=False)
    code, stdout, err = run("build", "--formats", fmt, "--out", out, source)
    assert code == 1 and stdout == ""
    head = (f"{source}: internal error while writing the {fmt.upper()}: RuntimeError: engine fault; "
            "nothing was written for it")
    if debug:
        assert err.startswith(head + "\nTraceback (most recent call last):\n")
        assert err.rstrip().endswith("RuntimeError: engine fault")
    else:
        assert err == head + " (set RENSTRA_DEBUG=1 to see the traceback, and report it with the source)\n"
    assert snapshot(out) == files


def test_an_unexpected_fault_in_check_is_an_internal_error_line(run, monkeypatch):
    def fault(*args, **kwargs):
        raise KeyError("x")

    monkeypatch.setattr(diagnostics, "validate_source", fault)
    monkeypatch.delenv("RENSTRA_DEBUG", raising=False)
    code, stdout, err = run("check", REAL_SOURCE)
    assert code == 1
    assert err.startswith(f"{REAL_SOURCE}: internal error while running check: KeyError: 'x';")
    no_traceback(err)


# A build that announces where it is and then waits there to be killed: before the temporary
# file is opened, with half of the PDF written into it, and with all of it written but not yet
# renamed into place. The test kills it at each moment on the word, never after a guessed time.
STOPS = {
    "before writing": "outputs._write_temporary = stop(outputs._write_temporary, before=True)\n",
    "half written": "outputs.os.fdopen = lambda fd, mode: Half(real_fdopen(fd, mode))\n",
    "before the rename": "outputs.os.replace = stop(outputs.os.replace, before=True)\n",
}
STOPPING_BUILD = (
    "import os, sys, time\n"
    "import renstra.outputs as outputs\n"
    "from renstra import cli\n"
    "real_fdopen = os.fdopen\n"
    "def wait_here(moment):\n"
    "    print(moment, flush=True)\n"
    "    while True: time.sleep(1)  # until killed\n"
    "def stop(function, before):\n"
    "    def stopped(*args, **kwargs):\n"
    "        wait_here(sys.argv[1])\n"
    "    return stopped\n"
    "class Half:\n"
    "    def __init__(self, out): self.out = out\n"
    "    def __enter__(self): return self\n"
    "    def __exit__(self, *exc): self.out.close()\n"
    "    def write(self, data):\n"
    "        self.out.write(data[: len(data) // 2]); self.out.flush(); wait_here(sys.argv[1])\n"
    "{stop}"
    "cli.main(sys.argv[2:])\n"
)


@pytest.mark.parametrize("moment", list(STOPS))
def test_a_build_killed_at_any_moment_leaves_the_old_file_whole(tmp_path, moment):
    """SIGKILL at each moment of writing a PDF: the output stays the old file, whole; the next
    build writes the new one and clears the temporary file the killed one left."""
    source = tmp_path / "src" / REAL_SOURCE.name
    source.parent.mkdir()
    text = REAL_SOURCE.read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    arguments = ["build", "--formats", "pdf", "--out", str(out), str(source)]
    subprocess.run([sys.executable, str(ROOT / "build.py"), *arguments], check=True, capture_output=True,
                   timeout=120)
    target = out / "misi-magelang-utara.pdf"
    old = target.read_bytes()
    source.write_text(text.replace("judul: MISI KECAMATAN", "judul: MISI BARU KECAMATAN"), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-c", STOPPING_BUILD.format(stop=STOPS[moment]), moment,
                                *arguments], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == moment
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == old
    subprocess.run([sys.executable, str(ROOT / "build.py"), *arguments], check=True, capture_output=True,
                   timeout=120)
    assert target.read_bytes() != old
    assert sorted(p.name for p in out.iterdir()) == ["misi-magelang-utara.pdf"]


# --- long and odd content ----------------------------------------------------------------------

LONG_WORD = "Pemerintahan" * 30  # 360 letters, longer than any line
COLUMNS = 40


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    folder = tmp_path_factory.mktemp("odd")
    heading = ("Judul bab yang sangat panjang " * 17)[:500].strip()
    source = write_source(folder / "ganjil.yaml", document(misi=None, bab=[
        {"judul": heading, "isi": [
            f"Kata {LONG_WORD} di tengah kalimat.",
            {"daftar": [f"Butir {LONG_WORD}", {"teks": "Butir induk.", "daftar": [f"Anak {LONG_WORD}"]}]},
            {"tabel": {"judul": "Tabel empat puluh kolom",
                       "kepala": [[f"Kolom {i}" for i in range(1, COLUMNS + 1)]],
                       "baris": [[f"nilai{i}" for i in range(1, COLUMNS + 1)]] * 3}},
            {"tabel": {"kepala": [["Uraian", "Keterangan"]],
                       "baris": [["kata " * 800, "pendek"], ["sel", LONG_WORD]]}},
        ]},
        {"judul": f"Bab {LONG_WORD}", "isi": ["Isi bab kedua."]},
    ]))
    pdf_path, docx_path = build(str(source), folder / "out", ["pdf", "docx"])
    return {"source": source, "pdf": pdf_path, "docx": docx_path, "heading": heading}


def test_nothing_runs_past_the_text_area(odd):
    """Every character of every page lies between the left (3 cm) and right (2 cm) margins."""
    outside = []
    with pdfplumber.open(odd["pdf"]) as document_pdf:
        for number, page in enumerate(document_pdf.pages, start=1):
            left, right = 3 * CM - 0.5, page.width - 2 * CM + 0.5
            for char in page.chars:
                if char["x0"] < left or char["x1"] > right or char["bottom"] > page.height:
                    outside.append((number, char["text"], round(char["x0"]), round(char["x1"])))
    assert outside == []


def table_cells(path) -> list[str]:
    """The text of every table cell on every page, whitespace removed (narrow cells wrap words)."""
    with pdfplumber.open(path) as document_pdf:
        return [re.sub(r"\s+", "", cell or "") for page in document_pdf.pages
                for table in page.extract_tables() for row in table for cell in row]


def test_long_words_headings_and_cells_are_all_printed(odd):
    squeezed = re.sub(r"\s+", "", pdf_text(odd["pdf"], tables=False))
    # The paragraph, two list items, the second chapter's heading and its entry in the contents.
    assert squeezed.count(LONG_WORD) == 5
    assert squeezed.count(re.sub(r"\s+", "", odd["heading"])) == 2  # heading and contents
    cells = table_cells(odd["pdf"])
    assert LONG_WORD in cells
    assert sum(cell.count("kata") for cell in cells) == 800
    for i in range(1, COLUMNS + 1):
        assert f"Kolom{i}" in cells and cells.count(f"nilai{i}") == 3
    words = docx_text(odd["docx"])
    assert normal(odd["heading"]) in words and words.count(LONG_WORD) == 6 and f"Kolom {COLUMNS}" in words


def first_layout(path):
    """The document laid out once, as the PDF writer's first pass does."""
    source, model = check(str(path))
    rendered = render.render_html(model, source, path.parent)
    html = weasyprint.HTML(string=rendered.html, base_url=rendered.base_url,
                           url_fetcher=pdf.ConfinedFetcher(rendered.allowed_folders))
    return rendered, html.render(font_config=FontConfiguration())


def test_only_the_tables_too_wide_are_laid_out_again(odd):
    """The 40 columns and the long word cannot fit, so those two tables get fixed, equal columns;
    the tables of the chaptered fixture fit and keep the automatic layout."""
    rendered, document_pdf = first_layout(odd["source"])
    wide = pdf._tables_wider_than_the_text(document_pdf)
    assert [len(table.findall(".//thead/tr/th")) for table in wide] == [COLUMNS, 2]
    again = pdf._lay_out(rendered, pdf.ConfinedFetcher(rendered.allowed_folders), FontConfiguration())
    assert pdf._tables_wider_than_the_text(again) == []
    _, fixture = first_layout(ROOT / "tests" / "fixtures" / "bab-lengkap.yaml")
    assert pdf._tables_wider_than_the_text(fixture) == []


def test_word_keeps_the_two_touching_tables_apart_with_narrow_cells_where_too_wide(odd):
    body = part(odd["docx"], "word/document.xml").find("w:body", NS)
    blocks = list(body)
    tables = [i for i, block in enumerate(blocks) if block.tag == W + "tbl"]
    assert len(tables) == 2 and blocks[tables[0] + 1].tag == W + "p"  # touching tables would be joined
    for index, columns in zip(tables, (COLUMNS, 2)):
        grid = [int(c.get(W + "w")) for c in blocks[index].findall("w:tblGrid/w:gridCol", NS)]
        assert len(grid) == columns and max(grid) - min(grid) <= columns  # equal, as in the PDF
        assert blocks[index].find("w:tblPr/w:tblCellMar/w:left", NS).get(W + "w") == "40"


def test_libreoffice_shows_the_odd_docx_inside_the_page(odd, tmp_path):
    libreoffice_pdf([odd["docx"]], tmp_path, tmp_path / "profile", timeout=120)
    outside = []
    with pdfplumber.open(tmp_path / "ganjil.pdf") as document_pdf:
        pages = len(document_pdf.pages)
        for number, page in enumerate(document_pdf.pages, start=1):
            outside += [(number, c["text"], round(c["x0"]), round(c["x1"])) for c in page.chars
                        if c["x0"] < 3 * CM - 1 or c["x1"] > page.width - 2 * CM + 1]
    assert outside == []
    assert pages <= len(pypdf.PdfReader(odd["pdf"]).pages) + 2  # no column squeezed to a letter's width


def long_list(folder, count: int):
    """A mission whose explanation is one list of count items (lettered a., b., ... at that level)."""
    items = [f"Butir nomor {i}" for i in range(1, count + 1)]
    return write_source(folder / "daftar.yaml", document(misi=[{"judul": "Daftar panjang.", "makna": [
        {"daftar": items}]}]))


def test_a_list_of_10000_items_builds_in_word(tmp_path):
    source = long_list(tmp_path, 10_000)
    [path] = build(str(source), tmp_path / "out", ["docx"])
    body = part(path, "word/document.xml")
    items = [paragraph_text(p) for p in body.iter(W + "p") if p.find("w:pPr/w:numPr", NS) is not None]
    assert items[-10_000:] == [f"Butir nomor {i}" for i in range(1, 10_001)]
    assert docx_text(path).endswith("Butir nomor 10000 Magelang, 17 Januari 2022 CAMAT UJI,")


@pytest.mark.slow
def test_a_list_of_10000_items_builds_in_the_pdf(tmp_path):
    source = long_list(tmp_path, 10_000)
    [path] = build(str(source), tmp_path / "out", ["pdf"])
    with pdfplumber.open(path) as document_pdf:
        last = normal(document_pdf.pages[-1].extract_text())
        assert len(document_pdf.pages) > 250
    assert re.search(r"\b[a-z]+\. Butir nomor 9999 [a-z]+\. Butir nomor 10000 Magelang, 17 Januari 2022", last)


def thousand_pages(folder, paragraphs_per_subchapter: int = 37):
    sentence = ("Kalimat uji ini ditulis untuk memeriksa tata letak dokumen yang panjang sekali, "
                "sehingga halaman demi halaman dapat dihitung dengan teliti. ")
    chapters = [{"judul": f"Bab uji {b}", "subbab": [
        {"judul": f"Subbab {b}.{s}", "isi": [sentence * 6] * paragraphs_per_subchapter} for s in range(1, 11)]}
        for b in range(1, 9)]
    return write_source(folder / "seribu.yaml", document(misi=None, bab=chapters))


@pytest.mark.slow
def test_a_thousand_page_document_builds_in_bounded_time_and_memory(tmp_path):
    source = thousand_pages(tmp_path)
    out = tmp_path / "out"
    # A fresh process whose only child is the build, so its peak memory is the build's.
    measure = ("import resource, subprocess, sys, time; start = time.monotonic(); "
               "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
               "print(time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", measure, sys.executable, str(ROOT / "build.py"), "build",
                           "--formats", "pdf,docx", "--out", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    seconds, peak_kib = done.stdout.split()
    print(f"1,000 pages: {float(seconds):.0f} s, peak {int(peak_kib) // 1024} MiB")
    assert float(seconds) < 300 and int(peak_kib) < 2 * 1024 * 1024
    pages = len(pypdf.PdfReader(out / "seribu.pdf").pages)
    assert 950 <= pages <= 1100
    assert "Subbab 8.10" in docx_text(out / "seribu.docx")
