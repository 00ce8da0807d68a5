"""The benchmark's generated inputs: synthetic sources and the Markdown for peers are valid and complete."""

from __future__ import annotations

from bench import synth, to_markdown
from conftest import REAL_SOURCE, words
from renstra.cli import check


def test_synthetic_sources_validate_and_grow(tmp_path, run):
    small = synth.write_source(tmp_path / "synthetic-10.yaml", 10)
    large = synth.write_source(tmp_path / "synthetic-100.yaml", 100)
    code, out, err = run("check", small, large)
    assert (code, err) == (0, "")
    assert out.count(": ok") == 2
    _, small_model = check(str(small))
    _, large_model = check(str(large))
    assert len(large_model.bab) >= 8 * len(small_model.bab)
    assert len(large_model.misi) == len(large_model.bab)
    table = large_model.bab[0].subbab[1].isi[1].tabel
    assert len(table.kepala) == 2 and len(table.baris) == 30


def test_synthetic_source_is_deterministic(tmp_path):
    first = synth.write_source(tmp_path / "a.yaml", 30).read_bytes()
    again = synth.write_source(tmp_path / "b.yaml", 30).read_bytes()
    other_seed = synth.write_source(tmp_path / "c.yaml", 30, seed=2).read_bytes()
    assert first == again
    assert first != other_seed


def test_markdown_for_peers_has_every_word_of_the_real_source():
    text = to_markdown.markdown(str(REAL_SOURCE))
    _, model = check(str(REAL_SOURCE))
    flat = words(text)
    for misi in model.misi:
        assert misi.judul in flat
        for block in misi.makna:
            if isinstance(block, str):
                assert words(block) in flat
            else:
                for item in block.daftar:
                    assert words(item if isinstance(item, str) else item.teks) in flat
    assert "Makna 4 (empat) Misi" in flat
    assert "Magelang, 3 Maret 2013" in flat
