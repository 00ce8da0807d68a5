"""The package's imports only go down the pipeline: no module imports one that comes after it."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "renstra"
# The pipeline, first to last (README, "How the code is laid out"); a module may import only
# modules listed before it, at its top or inside a function.
ORDER = ["i18n", "errors", "paths", "indonesian", "layout", "timestamps", "source", "markup", "fonts", "pdfjob", "model",
         "diagnostics", "rekap", "outputs", "render", "tagging", "pdf", "engine", "ooxml", "wordtable", "docx", "archive",
         "scaffold", "extract", "compare", "preview", "cli"]


def imports_of(path) -> set[str]:
    """The package modules a file imports, wherever in the file the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names if alias.name != "__version__")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("renstra."):
            found.add(node.module.split(".")[1])
    return found - {""}


def test_every_module_has_its_place_in_the_pipeline():
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert sorted(modules) == sorted(ORDER)


def test_imports_only_go_down_the_pipeline():
    upward = []
    for name in ORDER:
        for imported in imports_of(PACKAGE / f"{name}.py"):
            if ORDER.index(imported) >= ORDER.index(name):
                upward.append(f"{name} imports {imported}")
    assert upward == []


def test_no_writer_imports_another():
    # Each writer reads the one resolved document the build step hands it (renstra.cli.build).
    assert "docx" not in imports_of(PACKAGE / "pdf.py")
    assert "pdf" not in imports_of(PACKAGE / "docx.py")


def test_no_module_keeps_state_between_builds():
    """Module-level caches made results depend on what ran before; only constants stand there."""
    for path in PACKAGE.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                value = node.value
                assert not (isinstance(value, (ast.Dict, ast.List, ast.Set)) and not _constant(value)), \
                    f"{path.name}:{node.lineno} holds a mutable container that is not a constant table"


def _constant(value) -> bool:
    """Whether a literal container holds only constants, names and nested constant containers."""
    return all(isinstance(n, (ast.Constant, ast.Name, ast.Tuple, ast.List, ast.Dict, ast.Set, ast.Load,
                              ast.Store, ast.BinOp, ast.Attribute, ast.Add, ast.Mult, ast.Call, ast.keyword,
                              ast.DictComp, ast.comprehension, ast.JoinedStr, ast.FormattedValue))
               for n in ast.walk(value)) and not _empty(value)


def _empty(value) -> bool:
    return isinstance(value, (ast.Dict, ast.List, ast.Set)) and not (
        getattr(value, "keys", None) or getattr(value, "elts", None))


def test_regenerating_the_reference_document_gives_the_committed_one(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_reference_docx", ROOT / "tools" / "make_reference_docx.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    builder.main(tmp_path / "reference.docx")
    assert (tmp_path / "reference.docx").read_bytes() == (ROOT / "renstra" / "templates" / "reference.docx").read_bytes(), (
        "templates/reference.docx is not what tools/make_reference_docx.py writes; run it and commit the file")


def test_every_shared_length_is_used_by_the_stylesheet_and_a_word_writer():
    from renstra.layout import LENGTHS

    css = (ROOT / "renstra" / "templates" / "print.css").read_text(encoding="utf-8")
    template = (ROOT / "renstra" / "templates" / "renstra.html.j2").read_text(encoding="utf-8")
    word = (PACKAGE / "docx.py").read_text(encoding="utf-8") + (ROOT / "tools" / "make_reference_docx.py").read_text(
        encoding="utf-8")
    render = (PACKAGE / "render.py").read_text(encoding="utf-8")
    for name in LENGTHS:
        assert f"var(--{name})" in css or f"var(--minus-{name})" in css or f'"{name}"' in render + template, name
        assert f'"{name}"' in word, name
