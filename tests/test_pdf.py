"""The PDF: words, pages, margins, fonts, PDF/A, the embedded source, numbering, determinism."""

from __future__ import annotations

import dataclasses
import os
import re

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pikepdf.pdfa
import pytest
from weasyprint.urls import FatalURLFetchingError

from conftest import REAL_SOURCE, ROOT, SEED, pdf_text, words
from renstra.errors import RenstraError
from renstra.diagnostics import validate_source
from renstra.pdf import ConfinedFetcher, ResourceRefused, toc_pages, write_pdf
from renstra.render import TEMPLATES, render_html
from renstra.source import load_source

CHAPTERED = ROOT / "tests" / "fixtures" / "bab-lengkap.yaml"
F4_SOURCE = ROOT / "tests" / "fixtures" / "pdf-f4.yaml"
CM = 72 / 2.54  # PDF points per centimetre
SLACK = 0.5  # points: glyph boxes may touch the margin line
A4 = (210 / 10 * CM, 297 / 10 * CM)
F4 = (215 / 10 * CM, 330 / 10 * CM)
SHIPPED_FONTS = ("Liberation-Sans", "TeX-Gyre-Bonum")


def build(source_path, out_dir):
    """Build one source's PDF the way the CLI does; return (path, rendered)."""
    source = load_source(source_path)
    rendered = render_html(validate_source(source), source, out_dir)
    target = out_dir / (source_path.stem + ".pdf")
    write_pdf(rendered, target)
    return target, rendered


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return build(REAL_SOURCE, tmp_path_factory.mktemp("real"))[0]


@pytest.fixture(scope="module")
def chaptered(tmp_path_factory):
    return build(CHAPTERED, tmp_path_factory.mktemp("chaptered"))


@pytest.fixture(scope="module")
def f4(tmp_path_factory):
    return build(F4_SOURCE, tmp_path_factory.mktemp("f4"))[0]


def body_and_footer(page, bottom_margin_cm):
    """The text above the bottom margin and the text wholly in it (the page number): a table's
    last row may end at the margin's edge (the text area reaches past it by half a line's extra
    spacing, see the README), and its letters' boxes touch the margin without standing in it."""
    limit = page.height - bottom_margin_cm * CM
    body = page.crop((0, 0, page.width, limit)).extract_text() or ""
    footer = page.within_bbox((0, limit, page.width, page.height)).extract_text() or ""
    return body, footer.strip()


def page_texts(path, bottom_margin_cm=2.5):
    with pdfplumber.open(path) as pdf:
        return [body_and_footer(page, bottom_margin_cm) for page in pdf.pages]


# --- words --------------------------------------------------------------------------------------

def seed_sentences() -> list[str]:
    """Title (line 3) and body (line 5) of the seed, cut into sentences, list markers kept:
    the PDF prints '1.', 'a.' as the seed does."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    text = words(lines[2] + " " + lines[4])
    return [s for s in re.split(r"(?<=[.:])\s+", text) if s]


def test_every_sentence_of_the_seed_in_order(real):
    text = words(" ".join(body for body, _ in page_texts(real)))
    position = 0
    for sentence in seed_sentences():
        found = text.find(sentence, position)
        assert found >= 0, f"not found after character {position}: {sentence!r}"
        position = found + len(sentence)
    # The seed's first line is the date; its last two lines are web-page furniture.
    assert "Magelang, 3 Maret 2013" in text[position:]
    assert "CAMAT MAGELANG UTARA," in text[position:]
    assert "No comments" not in text and "Post a Comment" not in text


# --- paper and margins --------------------------------------------------------------------------

def check_paper_and_margins(path, size, top, right, bottom, left):
    width, height = size
    with pdfplumber.open(path) as pdf:
        reaches_left = reaches_right = False
        for page in pdf.pages:
            assert (page.width, page.height) == pytest.approx((width, height), abs=0.1)
            for char in page.chars:
                if char["text"].isspace():
                    continue
                where = f"page {page.page_number}: {char['text']!r} at x={char['x0']:.1f}, y={char['top']:.1f}"
                assert char["x0"] >= left * CM - SLACK, where
                assert char["x1"] <= width - right * CM + SLACK, where
                if char["bottom"] > height - bottom * CM + SLACK:
                    # Only the page number sits in the bottom margin.
                    assert re.fullmatch(r"[0-9ivxlc]", char["text"]), where
                reaches_left |= abs(char["x0"] - left * CM) < 1
                reaches_right |= abs(char["x1"] - (width - right * CM)) < 1
        # Justified text runs from margin to margin, so the margins are the ones asked for.
        assert reaches_left and reaches_right
    # The top margin is checked on the ink of letters and pictures: a character's box reaches its
    # font's whole ascent, far above any letter, and the first line's letters stand at the margin,
    # where Word puts them. Rules are left out: a table continued on a new page has its top rule
    # at the top of the text area, which starts half a line's spacing above the margin.
    document = pdfium.PdfDocument(path)
    with pdfplumber.open(path) as pdf:
        for number, (page, drawn) in enumerate(zip(document, pdf.pages), start=1):
            image = page.render(scale=2).to_pil().convert("L")
            for rule in drawn.lines + drawn.rects:
                image.paste(255, tuple(round(v * 2) for v in (rule["x0"] - 1, rule["top"] - 1,
                                                               rule["x1"] + 1, rule["bottom"] + 1)))
            band = image.crop((0, 0, image.width, int((top * CM - SLACK) * 2)))
            ink = band.point(lambda value: 255 if value < 160 else 0).getbbox()
            assert ink is None, f"page {number}: ink above the top margin, at {ink} (pixels at 144 dpi)"


def test_a4_and_default_margins(real, chaptered):
    check_paper_and_margins(real, A4, top=2, right=2, bottom=2.5, left=3)
    check_paper_and_margins(chaptered[0], A4, top=2, right=2, bottom=2.5, left=3)


def test_f4_and_margins_from_the_source(f4):
    check_paper_and_margins(f4, F4, top=3, right=2.5, bottom=3, left=4)


# --- fonts --------------------------------------------------------------------------------------

def fonts_of(path):
    """(name, embedded) of every font used on any page."""
    found = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(font.BaseFont).split("+")[-1]] = embedded
    return found


def test_fonts_are_the_shipped_ones_and_all_embedded(real, f4):
    # WeasyPrint names a font by the CSS family of its @font-face; only the shipped files carry
    # "Renstra ...", so these are they, even on a machine that has Liberation or TeX Gyre installed.
    arial = fonts_of(real)
    assert set(arial) == {"Renstra-Liberation-Sans", "Renstra-Liberation-Sans-Bold", "Renstra-Liberation-Sans-Italic"}
    bookman = fonts_of(f4)
    assert set(bookman) == {"Renstra-TeX-Gyre-Bonum", "Renstra-TeX-Gyre-Bonum-Bold", "Renstra-TeX-Gyre-Bonum-Italic"}
    assert all(arial.values()) and all(bookman.values())


# --- archive ------------------------------------------------------------------------------------

def test_pdfa_claim_and_check(real, chaptered, f4):
    # f4 is set in Bookman (TeX Gyre Bonum, shipped with TrueType outlines so that its embedding
    # can be checked: a CFF font came back "not checked").
    for path in (real, chaptered[0], f4):
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata(set_pikepdf_as_editor=False)
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "A")
            assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
            assert str(pdf.Root.Lang) == "id"
            # pikepdf checks the level-b rules, which a level-a file must meet as well; it
            # takes any other claimed level as a violation, so the claim is lowered for it.
            with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as edit:
                edit["pdfaid:conformance"] = "B"
            report = pikepdf.pdfa.check(pdf, "3b")
            assert report.verdict == "pass", report.summary()
            assert not report.unsupported, report.summary()


def test_tags_carry_the_structure(chaptered):
    kinds = set()
    with pikepdf.open(chaptered[0]) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if "/S" in node:
                kinds.add(str(node.S))
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary))
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TR", "/TH", "/TD"} <= kinds


def test_metadata_from_the_source(real):
    with pikepdf.open(real) as pdf:
        info = {k: str(v) for k, v in pdf.docinfo.items()}
    assert info["/Title"] == "MISI KECAMATAN MAGELANG UTARA"
    assert info["/Author"] == "Kecamatan Magelang Utara"
    assert info["/Subject"] == "Misi Kecamatan Magelang Utara Kota Magelang Tahun 2011-2015"
    assert info["/Keywords"] == "Renstra, Misi, Kecamatan Magelang Utara, Kota Magelang"
    assert info["/CreationDate"].startswith("D:20130303000000")


def test_source_embedded_as_associated_file(real, chaptered):
    for path, source in ((real, REAL_SOURCE), (chaptered[0], CHAPTERED)):
        with pikepdf.open(path) as pdf:
            assert list(pdf.attachments) == [source.name]
            spec = pdf.attachments[source.name]
            assert spec.obj.AFRelationship == pikepdf.Name.Source
            assert spec.obj.objgen in {af.objgen for af in pdf.Root.AF}
            embedded = spec.get_file()
            assert embedded.read_bytes() == source.read_bytes()
            assert embedded.mime_type == "application/yaml"


def test_two_builds_are_identical_and_epoch_sets_moddate(real, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    again, _ = build(REAL_SOURCE, tmp_path / "again")
    assert again.read_bytes() == real.read_bytes()

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    dated, _ = build(REAL_SOURCE, tmp_path / "dated")
    with pikepdf.open(dated) as pdf:
        assert str(pdf.docinfo.ModDate).startswith("D:20231114221320")
        assert str(pdf.docinfo.CreationDate).startswith("D:20130303000000")
        assert pdf.attachments[REAL_SOURCE.name].get_file().mod_date.year == 2023


# --- page numbers and the table of contents -----------------------------------------------------

ROMAN = re.compile(r"[ivxlc]+")


def test_real_document_numbers_body_from_one(real):
    footers = [footer for _, footer in page_texts(real)]
    assert footers[0] == ""  # the cover
    assert footers[1:] == [str(n) for n in range(1, len(footers))]


def test_without_a_cover_the_first_page_is_one(f4):
    footers = [footer for _, footer in page_texts(f4, bottom_margin_cm=3)]
    assert footers == [str(n) for n in range(1, len(footers) + 1)]


def toc_entries(text):
    """(title, page) of each TOC line: 'BAB I PENDAHULUAN . . . . 1'."""
    entries = []
    for line in text.splitlines():
        match = re.fullmatch(r"(.+?)[ .]*\s(\d+)", line.strip())
        if match and line.strip() != "DAFTAR ISI":
            entries.append((match[1].strip(" ."), int(match[2])))
    return entries


def test_page_numbers_and_toc_agree_with_the_pages(chaptered):
    path, rendered = chaptered
    texts = page_texts(path)
    footers = [footer for _, footer in texts]
    assert footers[0] == ""
    assert footers[1] == "i"
    first_body = footers.index("1")
    assert all(ROMAN.fullmatch(f) for f in footers[1:first_body])
    assert footers[first_body:] == [str(n) for n in range(1, len(footers) - first_body + 1)]

    # Each TOC entry's number is the printed number of the page its heading is on,
    # found through the PDF's own link destinations, not through our layout code.
    entries = toc_entries(texts[1][0])
    assert [title for title, _ in entries][:3] == ["BAB I PENDAHULUAN", "1.1 Latar Belakang", "1.2 Landasan Hukum"]
    with pikepdf.open(path) as pdf:
        page_of = {page.objgen: index for index, page in enumerate(pdf.pages)}
        names = []  # each entry is split into several link boxes (text, leader, number)
        for annot in sorted(pdf.pages[1].get("/Annots", []), key=lambda a: -float(a.Rect[3])):
            name = str(annot.Dest if "/Dest" in annot else annot.A.D)
            if name not in names:
                names.append(name)
        targets = [page_of[named_destination(pdf, name)[0].objgen] for name in names]
    assert len(targets) == len(entries) == len(rendered.model.bab) + sum(len(b.subbab) for b in rendered.model.bab)
    assert [number for _, number in entries] == [int(footers[t]) for t in targets]
    # The DAFTAR TABEL's numbers follow the DAFTAR ISI's in the same run of page numbers.
    tables = toc_entries(texts[2][0]) if texts[2][0].startswith("DAFTAR TABEL") else []
    assert [number for _, number in entries + tables] == toc_pages(rendered)


def named_destination(pdf, name):
    return pikepdf.NameTree(pdf.Root.Names.Dests)[name.lstrip("/")]


def test_bookmarks_from_headings(chaptered):
    with pikepdf.open(chaptered[0]) as pdf, pdf.open_outline() as outline:
        top = [item.title for item in outline.root]
        assert "BAB I PENDAHULUAN" in top
        chapter_one = next(item for item in outline.root if item.title == "BAB I PENDAHULUAN")
        assert [c.title for c in chapter_one.children] == ["1.1 Latar Belakang", "1.2 Landasan Hukum"]


# --- tables -------------------------------------------------------------------------------------

def test_table_header_repeats_and_merged_cells_span(chaptered):
    with pdfplumber.open(chaptered[0]) as pdf:
        pages = [p for p in pdf.pages if any(w["text"] == "contoh" for w in p.extract_words())]
        assert len(pages) >= 2, "the 40-row table should run over two pages"
        for page in pages:
            text = page.extract_text()
            assert "Target Kinerja per Tahun" in text and "2022 2023 2024 2025 2026" in text
            words_on_page = page.extract_words()
            target = next(w for w in words_on_page if w["text"] == "Target")
            tahun = next(w for w in words_on_page if w["text"] == "Tahun" and abs(w["top"] - target["top"]) < 2)
            first = next(w for w in words_on_page if w["text"] == "2022")
            last = next(w for w in words_on_page if w["text"] == "2026")
            # The merged header cell is centred over the five year columns it spans.
            centre = (target["x0"] + tahun["x1"]) / 2
            assert first["x0"] < centre < last["x1"]
            assert abs(centre - (first["x0"] + last["x1"]) / 2) < 6
        rows = [w["text"] for w in pages[-1].extract_words() if w["text"] == "Jumlah"]
        assert rows == ["Jumlah"]


# --- what a build may read ----------------------------------------------------------------------

@pytest.fixture
def fetcher(tmp_path):
    return ConfinedFetcher([TEMPLATES, tmp_path])


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.com/lambang.png",
                                 "https://example.com/x.css", "file:///dev/urandom",
                                 "ftp://example.com/x", "data:text/css,body{}"])
def test_fetcher_refuses_outside_urls(fetcher, url):
    with pytest.raises(FatalURLFetchingError, match="refused"):
        fetcher.fetch(url)


def test_fetcher_refuses_special_files_and_escapes(fetcher, tmp_path):
    os.mkfifo(tmp_path / "pipe.css")  # a read would block for ever
    with pytest.raises(FatalURLFetchingError, match="not a regular file"):
        fetcher.fetch((tmp_path / "pipe.css").as_uri())
    (tmp_path / "random.png").symlink_to("/dev/urandom")
    with pytest.raises(FatalURLFetchingError, match="refused"):
        fetcher.fetch((tmp_path / "random.png").as_uri())
    with pytest.raises(FatalURLFetchingError, match="refused"):
        fetcher.fetch((tmp_path / ".." / ".." / "etc" / "passwd").as_uri())


def test_fetcher_serves_templates_with_their_types(fetcher):
    response = fetcher.fetch((TEMPLATES / "print.css").as_uri())
    assert response.content_type == "text/css"
    assert response.read() == (TEMPLATES / "print.css").read_bytes()


@pytest.mark.parametrize("tag", ['<img src="file:///etc/passwd">', '<img src="http://example.com/x.png">',
                                 '<link rel="stylesheet" href="file:///dev/urandom">'])
def test_html_asking_for_outside_files_fails_clearly(tmp_path, tag):
    source = load_source(REAL_SOURCE)
    rendered = render_html(validate_source(source), source, tmp_path)
    hostile = dataclasses.replace(rendered, html=rendered.html.replace("</main>", tag + "</main>"))
    target = tmp_path / "out.pdf"
    target.write_bytes(b"previous build")
    with pytest.raises(ResourceRefused) as caught:
        write_pdf(hostile, target)
    assert isinstance(caught.value, RenstraError)
    assert "refused" in caught.value.report()
    assert target.read_bytes() == b"previous build"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]  # no partial file left


def test_cli_reports_a_refused_fetch_without_traceback(run, tmp_path, monkeypatch):
    from renstra import render

    def hostile(model, source, out_dir, **kwargs):
        rendered = render_html(model, source, out_dir, **kwargs)
        return dataclasses.replace(rendered, html=rendered.html.replace(
            "</main>", '<img src="file:///etc/passwd"></main>'))

    monkeypatch.setattr(render, "render_html", hostile)
    code, _, err = run("build", "--formats", "pdf", "--out", tmp_path, REAL_SOURCE)
    assert code == 1
    assert "refused to read /etc/passwd" in err and "Traceback" not in err
    assert not (tmp_path / "misi-magelang-utara.pdf").exists()


def test_a_second_layout_for_the_toc_keeps_the_templates_it_was_given(tmp_path):
    import shutil

    from conftest import pdf_text

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "renstra" / "templates", templates)
    page = templates / "renstra.html.j2"
    page.write_text(page.read_text(encoding="utf-8").replace(">DAFTAR ISI<", ">DAFTAR ISI SALINAN<"),
                    encoding="utf-8")
    source = load_source(ROOT / "tests" / "fixtures" / "bab-lengkap.yaml")
    rendered = render_html(validate_source(source), source, tmp_path, templates=templates)
    write_pdf(rendered, tmp_path / "salinan.pdf")  # chapters: laid out, then rendered again
    assert "DAFTAR ISI SALINAN" in pdf_text(tmp_path / "salinan.pdf")


def test_a_long_title_keeps_the_cover_on_one_page_with_the_year_at_its_foot(tmp_path):
    from conftest import pdf_pages

    long_title = "MISI KECAMATAN MAGELANG UTARA " + "DENGAN JUDUL YANG SANGAT PANJANG " * 6
    path = tmp_path / "judul-panjang.yaml"
    path.write_text(REAL_SOURCE.read_text(encoding="utf-8").replace(
        "  judul: MISI KECAMATAN MAGELANG UTARA", f"  judul: {long_title.strip()}"), encoding="utf-8")
    pdf, _ = build(path, tmp_path)
    pages = pdf_pages(pdf)
    assert pages[0].split()[-1] == "2013"  # the year closes the cover page
    assert "Rumusan Misi" in pages[1]  # and the body starts on the next one
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        year = [w for w in page.extract_words() if w["text"] == "2013"][-1]
        # At the foot of the text area: within a line of the bottom margin (2.5 cm).
        assert page.height - 2.5 * CM - 20 < year["bottom"] <= page.height - 2.5 * CM + SLACK


def test_the_embedded_source_is_the_one_laid_out_even_if_saved_again_meanwhile(tmp_path):
    """A build reads its source once: an edit saved while it runs changes neither the text
    laid out nor the source embedded."""
    folder = tmp_path / "src"
    folder.mkdir()
    path = folder / REAL_SOURCE.name
    original = REAL_SOURCE.read_bytes()
    path.write_bytes(original)
    source = load_source(path)
    rendered = render_html(validate_source(source), source, tmp_path / "out")
    path.write_bytes(original.replace(b"MISI KECAMATAN MAGELANG UTARA", b"MISI YANG DIUBAH"))
    target = tmp_path / "out" / "misi.pdf"
    write_pdf(rendered, target)
    with pikepdf.open(target) as pdf:
        assert pdf.attachments[path.name].get_file().read_bytes() == original
    assert "MISI YANG DIUBAH" not in pdf_text(target)


def test_the_same_source_gives_the_same_pdf_in_any_folder(tmp_path):
    """Two clones at different paths (another machine, another user) build identical PDFs, so
    an archive copied there accepts the same release."""
    built = []
    for folder in (tmp_path / "a", tmp_path / "b" / "lebih" / "dalam"):
        (folder / "src").mkdir(parents=True)
        for name in ("kelurahan.yaml", "lambang-contoh.png"):  # a source with an emblem
            (folder / "src" / name).write_bytes((ROOT / "tests" / "fixtures" / name).read_bytes())
        source = load_source(folder / "src" / "kelurahan.yaml")
        rendered = render_html(validate_source(source), source, folder / "out")
        write_pdf(rendered, folder / "out" / "kelurahan.pdf")
        built.append((folder / "out" / "kelurahan.pdf").read_bytes())
    assert built[0] == built[1]


def test_the_pdf_is_the_same_whenever_it_is_built_even_with_fonttools_subsetting(tmp_path, monkeypatch):
    """Without libharfbuzz-subset WeasyPrint subsets fonts with fontTools, which stamps each font
    with the time: two builds at different times must still be identical."""
    import time

    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # the fontTools path
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    source = load_source(REAL_SOURCE)
    rendered = render_html(validate_source(source), source, tmp_path)
    built = []
    for clock in (1_700_000_000.0, 1_800_000_000.0):  # two builds, years apart by the clock
        monkeypatch.setattr(time, "time", lambda clock=clock: clock)
        write_pdf(rendered, tmp_path / f"{int(clock)}.pdf")
        built.append((tmp_path / f"{int(clock)}.pdf").read_bytes())
    assert built[0] == built[1]
    assert "SOURCE_DATE_EPOCH" not in os.environ  # the build's own setting does not leak
