"""Foreign terms, written in italics (*good governance*), carry their language in every output:
lang on the HTML, w:lang on the Word run (so Word's spelling check does not flag them as
misspelt Indonesian), Lang on the tagged PDF's span (so a screen reader says them right)."""

from __future__ import annotations

import re
import shutil
import zipfile

import pikepdf
import pytest
from lxml import html as lxml_html

from conftest import ROOT
from renstra.cli import build

FIXTURE = ROOT / "tests" / "fixtures" / "bab-lengkap.yaml"  # *good governance* in a paragraph and a list
CITY = ROOT / "tests" / "fixtures" / "visi-kota.yaml"


def with_language(tmp_path, source, code):
    """A copy of source whose tata_letak sets bahasa_asing (None: left to the default)."""
    text = source.read_text(encoding="utf-8")
    if code is not None:
        if "tata_letak:\n" in text:
            text = text.replace("tata_letak:\n", f"tata_letak:\n  bahasa_asing: {code}\n", 1)
        else:
            text += f"tata_letak:\n  bahasa_asing: {code}\n"
    copy = tmp_path / source.name
    copy.write_text(text, encoding="utf-8")
    for emblem in source.parent.glob("*.png"):  # the emblem the source names beside it
        shutil.copy(emblem, tmp_path / emblem.name)
    return copy


def italic_terms_in_html(path):
    tree = lxml_html.fromstring(path.read_bytes())
    return [(em.text_content(), em.get("lang")) for em in tree.iter("em")]


def italic_runs_in_docx(path):
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml").decode("utf-8")
    runs = re.findall(r"<w:r>(<w:rPr>.*?</w:rPr>)<w:t[^>]*>([^<]*)</w:t></w:r>", body)
    found = []
    for properties, text in runs:
        if 'w:val="Emphasis"' in properties or "<w:i/>" in properties:
            language = re.search(r'<w:lang w:val="([^"]+)"/>', properties)
            found.append((text, language[1] if language else None))
    return found


def spans_with_language_in_pdf(path):
    found = []
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if node.get("/S") == "/Span" and "/Lang" in node:
                found.append(str(node.Lang))
            kids = node.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    return found


@pytest.mark.parametrize("source", [FIXTURE, CITY], ids=lambda p: p.stem)
@pytest.mark.parametrize("code, html_lang, word_lang", [
    (None, "en", "en-US"), ("nl", "nl", "nl-NL"), ("en-GB", "en-GB", "en-GB"), ("la", "la", "la"),
])
def test_every_italic_term_carries_the_language_in_all_three_outputs(tmp_path, source, code,
                                                                     html_lang, word_lang):
    copy = with_language(tmp_path, source, code)
    html, pdf, docx = build(str(copy), tmp_path / "out", ["html", "pdf", "docx"])
    in_html = italic_terms_in_html(html)
    assert in_html and "good governance" in [text for text, _lang in in_html]
    assert {lang for _text, lang in in_html} == {html_lang}
    in_docx = italic_runs_in_docx(docx)
    assert [text for text, _lang in in_docx] == [text for text, _lang in in_html]
    assert {lang for _text, lang in in_docx} == {word_lang}
    # Every italic term is a span of its own in the structure tree, in the source's language.
    assert spans_with_language_in_pdf(pdf) == [html_lang] * len(in_html)


def test_the_document_itself_stays_indonesian(tmp_path):
    html, docx = build(str(with_language(tmp_path, FIXTURE, "nl")), tmp_path / "out", ["html", "docx"])
    assert lxml_html.fromstring(html.read_bytes()).get("lang") == "id"
    with zipfile.ZipFile(docx) as package:
        styles = package.read("word/styles.xml").decode("utf-8")
    assert '<w:lang w:val="id-ID"' in styles
