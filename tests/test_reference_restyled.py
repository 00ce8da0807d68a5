"""templates/reference.docx restyled by an office: saved again by LibreOffice or by Word in
another shape, it still builds every document, and the documents come out the same.

LibreOffice drops the list definition's name on saving and writes Word's built-in style names
capitalised ("toc 1" becomes "TOC 1", "heading 1" "Heading 1") with new style ids, beside
styles of its own ("Caption"); the writer finds styles and the list by what they are."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import REAL_SOURCE, ROOT, pdf_pages, require
from renstra import docx as docx_writer
from renstra.cli import build

SOURCES = [REAL_SOURCE] + sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))


def libreoffice(arguments: list[str], profile: Path) -> None:
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", *arguments],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def built_with(reference: Path, out: Path) -> dict[str, Path]:
    """Every source's DOCX, written with the given reference document."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(docx_writer, "REFERENCE", reference)
        return {source.stem: build(str(source), out, ["docx"])[0] for source in SOURCES}


def rewritten(reference: Path, target: Path, change) -> Path:
    """A copy of reference with change(name, text) applied to each XML part's text."""
    with zipfile.ZipFile(reference) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename.endswith(".xml"):
                data = change(item.filename, data.decode("utf-8")).encode("utf-8")
            copy.writestr(item, data)
    return target


def as_libreoffice_writes_it(name: str, text: str) -> str:
    """What LibreOffice does to the reference, done by hand: the list loses its name, built-in
    styles are capitalised and get ids of LibreOffice's own."""
    if name == "word/numbering.xml":
        text = re.sub(r"<w:name [^>]*/>", "", text)
    renamed = {"TOC1": "Contents1", "TOC2": "Contents2", "Heading1": "Berjudul1", "Caption": "Caption1"}
    for old, new in renamed.items():
        text = text.replace(f'w:styleId="{old}"', f'w:styleId="{new}"')
        text = text.replace(f'<w:pStyle w:val="{old}"/>', f'<w:pStyle w:val="{new}"/>')
        text = text.replace(f'<w:basedOn w:val="{old}"/>', f'<w:basedOn w:val="{new}"/>')
    for old in ("toc 1", "toc 2", "heading 1", "heading 2", "footer"):
        text = text.replace(f'<w:name w:val="{old}"/>', f'<w:name w:val="{old.title().replace("Toc", "TOC")}"/>')
    if name == "word/styles.xml":  # LibreOffice's own caption style, beside Word's
        text = text.replace("</w:styles>", '<w:style w:type="paragraph" w:styleId="Caption"><w:name '
                            'w:val="Caption"/><w:rPr><w:i/></w:rPr></w:style></w:styles>')
    return text


def styles_of(path: Path) -> dict[str, str]:
    """Each paragraph style id used in the document's body and the name it stands for."""
    with zipfile.ZipFile(path) as package:
        styles = package.read("word/styles.xml").decode("utf-8")
        body = package.read("word/document.xml").decode("utf-8")
    names = dict(re.findall(r'w:styleId="([^"]+)"[^>]*>\s*<w:name w:val="([^"]+)"', styles))
    return {used: names[used] for used in set(re.findall(r'<w:pStyle w:val="([^"]+)"/>', body))}


def list_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        return re.findall(r'<w:name w:val="([^"]+)"', package.read("word/numbering.xml").decode("utf-8"))


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    return built_with(docx_writer.REFERENCE, tmp_path_factory.mktemp("original"))


def test_a_reference_renamed_as_libreoffice_does_builds_the_same_documents(original, tmp_path):
    reference = rewritten(docx_writer.REFERENCE, tmp_path / "reference.docx", as_libreoffice_writes_it)
    assert list_names(reference) == []
    renamed = built_with(reference, tmp_path / "out")
    for name, path in renamed.items():
        used = styles_of(path)
        before = styles_of(original[name])
        # The same styles by name (in Word's case-blind sense), and the same numbering.
        assert sorted(n.casefold() for n in used.values()) == sorted(n.casefold() for n in before.values()), name
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(original[name]) as old:
            new_body = new.read("word/document.xml").decode("utf-8")
            old_body = old.read("word/document.xml").decode("utf-8")
        assert new_body.count("<w:numPr>") == old_body.count("<w:numPr>"), name
        assert re.sub(r'<w:pStyle w:val="[^"]+"/>', "", new_body) == \
            re.sub(r'<w:pStyle w:val="[^"]+"/>', "", old_body), name
    chaptered = styles_of(renamed["bab-lengkap"])
    assert {"Contents1", "Contents2", "Berjudul1"} <= set(chaptered)


@pytest.mark.parametrize("lost", ["the list", "a style"])
def test_a_reference_missing_what_the_writer_needs_is_named(tmp_path, lost):
    def take_away(name, text):
        if lost == "the list" and name == "word/numbering.xml":
            text = re.sub(r"<w:name [^>]*/>", "", text)
        if lost == "the list" and name == "word/document.xml":
            text = re.sub(r"<w:numPr>.*?</w:numPr>", "", text)
        if lost == "a style" and name == "word/styles.xml":
            text = re.sub(r'<w:style [^>]*w:styleId="SampulJudul".*?</w:style>', "", text, flags=re.S)
        return text
    reference = rewritten(docx_writer.REFERENCE, tmp_path / "reference.docx", take_away)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(docx_writer, "REFERENCE", reference)
        with pytest.raises(docx_writer.TemplateError) as raised:
            build(str(REAL_SOURCE), tmp_path / "out", ["docx"])
    assert str(reference) in str(raised.value)
    assert ("Daftar Renstra" if lost == "the list" else "'Sampul Judul'") in str(raised.value)
    assert not (tmp_path / "out" / f"{REAL_SOURCE.stem}.docx").exists()


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory):
    """templates/reference.docx opened and saved by LibreOffice, as an office restyling it would."""
    require("soffice", "libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("saved")
    shutil.copy(docx_writer.REFERENCE, folder / "opened.docx")
    libreoffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "saved"),
                 str(folder / "opened.docx")], tmp_path_factory.mktemp("profile"))
    return folder / "saved" / "opened.docx"


def test_a_reference_saved_by_libreoffice_builds_documents_that_look_the_same(
        original, saved_by_libreoffice, tmp_path_factory):
    restyled = built_with(saved_by_libreoffice, tmp_path_factory.mktemp("restyled"))
    profile = tmp_path_factory.mktemp("profile")
    pages = {}
    for label, built in (("original", original), ("restyled", restyled)):
        out = tmp_path_factory.mktemp(label)
        libreoffice(["--convert-to", "pdf", "--outdir", str(out), *map(str, built.values())], profile)
        pages[label] = {name: pdf_pages(out / f"{name}.pdf") for name in built}
    for name in original:
        before, after = pages["original"][name], pages["restyled"][name]
        assert len(after) == len(before), f"{name}: {len(after)} pages against {len(before)}"
        for number, (old, new) in enumerate(zip(before, after), start=1):
            assert new == old, f"{name}, page {number}: the text differs"
