"""The rendered HTML: golden file, every word of the seed, computed counts and dates."""

from __future__ import annotations

import shutil

import datetime

import pytest
from lxml import html as lxml_html

from conftest import REAL_SOURCE, ROOT, seed_content, without_markers, words
from renstra.diagnostics import validate_source
from renstra.indonesian import count_in_words, indonesian_date, roman
from renstra.render import render_html
from renstra.source import load_source

GOLDEN = ROOT / "tests" / "golden" / "misi-magelang-utara.html"


@pytest.fixture(scope="module")
def rendered():
    source = load_source(REAL_SOURCE)
    return render_html(validate_source(source), source, ROOT / "output")


def test_html_matches_golden(rendered, refresh):
    if refresh:
        GOLDEN.write_text(rendered.html, encoding="utf-8")
    assert rendered.html == GOLDEN.read_text(encoding="utf-8"), (
        "rendered HTML differs from tests/golden/misi-magelang-utara.html; if the change is "
        "intended, run: .venv/bin/python -m pytest tests/test_render.py --refresh-golden")


def test_every_word_of_the_seed_in_order(rendered):
    tree = lxml_html.fromstring(rendered.html.encode("utf-8"))
    main = tree.xpath("//main")[0]
    assert seed_content() in without_markers(main.text_content())


def test_counts_and_dates_are_computed():
    assert count_in_words(4) == "4 (empat)"
    assert count_in_words(17) == "17 (tujuh belas)"
    assert indonesian_date(datetime.date(2013, 3, 3)) == "3 Maret 2013"
    assert indonesian_date(datetime.date(2024, 8, 17)) == "17 Agustus 2024"
    assert [roman(n) for n in (1, 4, 8, 9, 14)] == ["I", "IV", "VIII", "IX", "XIV"]


def test_mission_count_follows_the_data(tmp_path):
    text = REAL_SOURCE.read_text(encoding="utf-8")
    # Drop the fourth mission: the sentence must now say 3 (tiga).
    text = text[: text.index("  - judul: Meningkatkan Kualitas Pelayanan Publik.")]
    path = tmp_path / "tiga.yaml"
    path.write_text(text, encoding="utf-8")
    source = load_source(path)
    html = render_html(validate_source(source), source, tmp_path).html
    assert "Makna 3 (tiga) Misi tersebut di atas" in html
    assert "Makna 4" not in html


def test_signature_block(rendered):
    tree = lxml_html.fromstring(rendered.html.encode("utf-8"))
    block = tree.xpath("//div[@class='tanda-tangan']")[0]
    lines = [words(p.text_content()) for p in block.xpath("p")]
    assert lines[0] == "Magelang, 3 Maret 2013"
    assert lines[1] == "CAMAT MAGELANG UTARA,"
    # Name, pangkat and NIP are not in the source, so they are not printed (never invented).
    assert not block.xpath("p[@class='nama' or @class='pangkat' or @class='nip']")


def test_foreign_terms_italic_and_terms_bold(rendered):
    tree = lxml_html.fromstring(rendered.html.encode("utf-8"))
    italics = [words(e.text_content()) for e in tree.xpath("//main//em")]
    assert italics == ["civil society", "think globally act locally", "empowered", "competitive"]
    terms = [words(e.text_content()) for e in tree.xpath("//strong[@class='istilah']")]
    assert terms == ["Berbasis Kondisi Lokal.", "Mendukung Perencanaan Pembangunan Nasional.",
                     "Akomodatif terhadap Dinamika Global."]


def test_list_levels(rendered):
    tree = lxml_html.fromstring(rendered.html.encode("utf-8"))
    # The list of missions is level 1 (1.); the lists inside a mission's explanation are level 2 (a.).
    assert len(tree.xpath("//main/ol[@class='tingkat-1']/li")) == 4
    assert [len(ol.xpath("li")) for ol in tree.xpath("//section[@class='misi']//ol")] == [6, 3, 5]
    assert all(ol.get("class") == "tingkat-2" for ol in tree.xpath("//section[@class='misi']//ol"))


def test_untrusted_text_is_escaped(tmp_path):
    text = REAL_SOURCE.read_text(encoding="utf-8").replace(
        "Menjunjung tinggi supremasi hukum (ketaatan hukum).",
        '"<script>alert(1)</script> </p> {{ 7*7 }} {% if 1 %}x{% endif %} &amp; \u201cq\u201d"')
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    source = load_source(path)
    html = render_html(validate_source(source), source, tmp_path).html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;/p&gt; {{ 7*7 }} {% if 1 %}x{% endif %} " \
           "&amp;amp; \u201cq\u201d" in html
    assert "<script>" not in html


def test_links_are_relative_to_the_output_folder(rendered, tmp_path):
    assert 'href="../renstra/templates/print.css"' in rendered.html
    (tmp_path / "src").mkdir()
    shutil.copyfile(ROOT / "renstra" / "templates" / "lambang.png", tmp_path / "src" / "logo.png")
    text = REAL_SOURCE.read_text(encoding="utf-8").replace("  daerah: Kota Magelang\n",
                                                           "  daerah: Kota Magelang\n  lambang: logo.png\n")
    (tmp_path / "src" / "x.yaml").write_text(text, encoding="utf-8")
    source = load_source(tmp_path / "src" / "x.yaml")
    html = render_html(validate_source(source), source, tmp_path / "out").html
    assert 'src="../src/logo.png"' in html


def test_no_emblem_given_prints_no_image_at_all(rendered):
    assert "<img" not in rendered.html  # the real source names no emblem: nothing stands in for it


def test_an_undefined_name_through_a_filter_is_a_template_error_with_its_line(tmp_path):
    import shutil

    from renstra.errors import TemplateError

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "renstra" / "templates", templates)
    page = templates / "renstra.html.j2"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("<title>"))
    lines[number] = "<title>{{ d.judul_tidak_ada | plain }}</title>\n"
    page.write_text("".join(lines), encoding="utf-8")
    source = load_source(REAL_SOURCE)
    with pytest.raises(TemplateError) as caught:
        render_html(validate_source(source), source, tmp_path, templates=templates)
    assert str(caught.value).startswith(f"renstra.html.j2:{number + 1}: template error: ")
    assert "judul_tidak_ada" in str(caught.value)


# The compiled template is kept in Jinja's cache folder; whatever state that folder is in, the
# HTML is the same and the build never fails because of it.
def _cache_state_damaged(folder):
    for cached in folder.iterdir():
        cached.write_bytes(b"\x00garbage" * 100)


def _cache_state_truncated(folder):
    for cached in folder.iterdir():
        cached.write_bytes(cached.read_bytes()[:200])


def _cache_state_empty(folder):
    for cached in folder.iterdir():
        cached.write_bytes(b"")


def _cache_state_a_folder_in_place_of_the_file(folder):
    for cached in folder.iterdir():
        cached.unlink()
        cached.mkdir()


def _cache_state_a_file_in_place_of_the_folder(folder):
    shutil.rmtree(folder)
    folder.write_bytes(b"not a folder")


def _cache_state_a_folder_open_to_everyone(folder):
    folder.chmod(0o777)


@pytest.mark.parametrize("spoil", [
    _cache_state_damaged, _cache_state_truncated, _cache_state_empty,
    _cache_state_a_folder_in_place_of_the_file, _cache_state_a_file_in_place_of_the_folder,
    _cache_state_a_folder_open_to_everyone,
], ids=lambda spoil: spoil.__name__.removeprefix("_cache_state_"))
def test_the_compiled_template_cache_never_changes_or_fails_a_build(tmp_path, monkeypatch, spoil):
    import os
    import tempfile

    from renstra import render

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    source = load_source(REAL_SOURCE)
    model = validate_source(source)

    def fresh_html():
        render.environment.cache_clear()  # a new process: the cache is read again
        return render_html(model, source, ROOT / "output").html

    try:
        first = fresh_html()  # compiles and stores
        folder = tmp_path / f"_jinja2-cache-{os.getuid()}"
        assert len(list(folder.iterdir())) == 1, "the compiled template was not stored"
        assert fresh_html() == first  # read back from the cache
        spoil(folder)
        assert fresh_html() == first
        assert fresh_html() == first  # and again, after the spoiled cache was (or was not) rewritten
    finally:
        render.environment.cache_clear()
    assert first == GOLDEN.read_text(encoding="utf-8")


def test_code_compiled_for_other_filters_is_never_reused():
    """Jinja compiles a call to a filter according to how the filter takes its arguments; the
    cache's file names carry that, so a program whose filters changed compiles afresh."""
    import jinja2

    from renstra import render

    render.environment.cache_clear()
    try:
        ours = render.environment()
        other = jinja2.Environment(autoescape=ours.autoescape, undefined=ours.undefined,
                                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        other.filters.update(ours.filters)
        other.tests.update(ours.tests)
        same = render.compiled_template_cache(jinja2, other)
        other.filters["markup"] = lambda value: value  # called without the template's context
        changed = render.compiled_template_cache(jinja2, other)
    finally:
        render.environment.cache_clear()
    assert same.pattern == ours.bytecode_cache.pattern
    assert changed.pattern != ours.bytecode_cache.pattern
