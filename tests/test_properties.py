"""Generated sources: every one either builds, or fails with located messages; never a traceback."""

from __future__ import annotations

import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renstra.model import MAX_LIST_LEVEL

# Text as staff paste it: letters of several scripts, punctuation that means something to
# Markdown, HTML, Jinja or CSS, smart quotes, and now and then a stray asterisk.
ALPHABET = st.sampled_from(list(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789     "
    ".,;:!?()-/'\"*_\\[]<>&{}%#$@~`|^=+" "\u201c\u201d\u2018\u2019\u2013\u2014\u00e9\u00fc"
    "\u0627\u0644\ua9a0\ua9a4\U0001F600"))
TEXT = st.text(ALPHABET, min_size=1, max_size=60).filter(lambda s: s.strip())
LOCATED = re.compile(r"^\S+\.yaml:\d+:\d+: ", re.M)


def items(level: int):
    leaf = TEXT
    if level >= MAX_LIST_LEVEL + 1:  # one level past the limit, to meet the error too
        return st.lists(leaf, min_size=1, max_size=3)
    detailed = st.fixed_dictionaries(
        {"teks": TEXT}, optional={"istilah": TEXT, "daftar": st.deferred(lambda: items(level + 1))})
    return st.lists(st.one_of(leaf, detailed), min_size=1, max_size=4)


SPAN = st.fixed_dictionaries({"teks": TEXT}, optional={"gabung_kolom": st.integers(1, 3),
                                                      "gabung_baris": st.integers(1, 2)})
CELL = st.one_of(TEXT, TEXT, TEXT, st.integers(-10, 1000), SPAN)


@st.composite
def tables(draw):
    """Mostly rectangular tables of plain cells (they build); sometimes spans that may not fit."""
    width = draw(st.integers(1, 4))
    row = st.lists(st.one_of(TEXT, st.integers(-10, 1000)), min_size=width, max_size=width)
    table = {"baris": draw(st.lists(row, min_size=1, max_size=4))}
    if draw(st.booleans()):
        table["kepala"] = [draw(row)]
    if draw(st.booleans()):
        table["judul"] = draw(TEXT)
    if draw(st.integers(0, 4)) == 0:
        table["baris"].append(draw(st.lists(CELL, min_size=1, max_size=4)))
    return table


BLOCKS = st.lists(st.one_of(TEXT, st.fixed_dictionaries({"daftar": items(2)}),
                            st.fixed_dictionaries({"tabel": tables()})), min_size=1, max_size=4)
SOURCE = st.fixed_dictionaries({
    "dokumen": st.fixed_dictionaries({
        "judul": TEXT, "periode": st.fixed_dictionaries({"mulai": st.integers(1990, 2100),
                                                         "selesai": st.integers(1990, 2100)}),
        "tempat": TEXT, "tanggal": st.dates(), "versi": st.sampled_from(["1.0", "2", "1.1-rc"])}),
    "instansi": st.fixed_dictionaries({"nama": TEXT, "daerah": TEXT}),
    "misi": st.lists(st.fixed_dictionaries({"judul": TEXT, "makna": BLOCKS}), min_size=1, max_size=3),
}, optional={
    "penandatangan": st.fixed_dictionaries({"jabatan": TEXT}, optional={"nama": TEXT, "nip": TEXT}),
    "tata_letak": st.fixed_dictionaries({}, optional={
        "kertas": st.sampled_from(["A4", "F4", "A5"]), "huruf": st.sampled_from(["Arial", "Bookman Old Style"]),
        "kop": st.booleans(), "sampul": st.booleans()}),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(document=SOURCE)
def test_generated_sources_build_html_or_fail_located(document, tmp_path_factory, run):
    folder = tmp_path_factory.mktemp("gen")
    path = folder / "gen.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, out, err = run("build", "--formats", "html", "--out", folder / "out", path)
    assert "Traceback" not in err
    if code == 0:
        assert (folder / "out" / "gen.html").exists()
    else:
        assert code == 1
        assert LOCATED.search(err), err
        assert not (folder / "out" / "gen.html").exists()
