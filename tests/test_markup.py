"""Inline markup: italics and bold only; everything else stays literal text."""

from renstra.markup import check_markup, plain_text, render_markup


def test_italic_and_bold():
    assert render_markup("masyarakat madani (*civil society*).") == \
        "masyarakat madani (<em>civil society</em>)."
    assert render_markup("**Berbasis Kondisi Lokal.** Perencanaan") == \
        "<strong>Berbasis Kondisi Lokal.</strong> Perencanaan"


def test_html_entities_and_template_syntax_stay_text():
    text = '<b>x</b> &amp; {{ a }} {% b %} \u201cq\u201d'
    assert render_markup(text) == "&lt;b&gt;x&lt;/b&gt; &amp;amp; {{ a }} {% b %} \u201cq\u201d"
    assert plain_text(text) == text


def test_escaped_asterisks_and_lone_stars_print_as_typed():
    assert render_markup(r"a \*b\* c") == "a *b* c"
    assert render_markup("2 * 3 * 4") == "2 * 3 * 4"
    assert render_markup("nama_berkas_ini") == "nama_berkas_ini"


def test_whitespace_collapses():
    assert render_markup("satu\n  dua   tiga") == "satu dua tiga"


def test_links_are_refused_with_a_reason():
    assert "link" in check_markup("[laman](http://example.org)")
    assert check_markup(r"\[1](2)") is None
    assert check_markup("teks (*civil society*)") is None
