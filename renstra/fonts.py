"""The fonts shipped in templates/fonts: which file serves which Word font, and what they cover."""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache
from pathlib import Path

from .errors import Problem, TemplateError
from .i18n import _

# Word font named in the DOCX -> free font embedded in the PDF, and its four files.
FAMILIES = {
    "Arial": ("Liberation Sans", {
        "regular": "LiberationSans-Regular.ttf", "bold": "LiberationSans-Bold.ttf",
        "italic": "LiberationSans-Italic.ttf", "bolditalic": "LiberationSans-BoldItalic.ttf"}),
    "Bookman Old Style": ("TeX Gyre Bonum", {
        "regular": "texgyrebonum-regular.ttf", "bold": "texgyrebonum-bold.ttf",
        "italic": "texgyrebonum-italic.ttf", "bolditalic": "texgyrebonum-bolditalic.ttf"}),
}


# What Word's font table says of each Word font, so that a machine without it picks the nearest:
# Word looks for the alternative name first (the free font the PDF embeds, metric-compatible or
# near), then matches the PANOSE classification and the family (roman: a serif; swiss: a sans)
# and the pitch. Values as Windows' own fonts report them.
WORD_FONT_TABLE = {
    "Arial": {"panose1": "020B0604020202020204", "family": "swiss", "pitch": "variable"},
    "Bookman Old Style": {"panose1": "02050604050505020204", "family": "roman", "pitch": "variable"},
}


def pdf_family(word_font: str) -> str:
    """The embedded font that stands in for a Word font."""
    return FAMILIES[word_font][0]


# The family name print.css's @font-face gives the shipped files. Under the fonts' own names a
# machine that has them installed too (fonts-liberation2, fonts-texgyre: TeX Gyre as CFF) could
# lend its copies instead, and the PDF would depend on the machine; this name only ours carry.
SHIPPED = "Renstra {family}"


def css_family(word_font: str) -> str:
    """The CSS font-family of the shipped files standing in for a Word font."""
    return SHIPPED.format(family=pdf_family(word_font))


def check_fonts(folder: Path, word_font: str) -> None:
    """Refuse to build with a missing or unreadable font file: WeasyPrint would silently fall
    back to whatever the machine has, and the PDF would differ from machine to machine."""
    for name in FAMILIES[word_font][1].values():
        _cmap(str(folder / name))


def _cmap(path: str) -> frozenset[int]:
    try:
        state = os.stat(path)
    except FileNotFoundError:
        raise TemplateError(_("{path}: font file missing; restore it from the repository "
                              "(git checkout -- renstra/templates/fonts)").format(path=path)) from None
    # Keyed by size and time too: a font replaced or damaged while the process runs is read again.
    return _read_cmap(path, state.st_size, state.st_mtime_ns)


@lru_cache(maxsize=16)
def _read_cmap(path: str, size: int, modified: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # not at start-up: `schema` and an invalid source need none

    try:
        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception as exc:  # fontTools meets a damaged file with many kinds of exception
        # fontTools's reason is English only; the path and the verdict are what a person acts on.
        raise TemplateError(_("{path}: not a usable font file ({reason})").format(path=path, reason=exc)) from None


def _ignorable(char: str) -> bool:
    # Line breaks and the like are layout, not glyphs; format characters (ZWJ, ZWNJ) have none.
    return char in "\n\t " or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def missing_characters(text: str, covered: frozenset[int]) -> list[str]:
    """Characters of text that a font covering these code points lacks, in first-seen order."""
    seen: dict[str, None] = {}
    for char in text:
        if ord(char) not in covered and not _ignorable(char):
            seen.setdefault(char)
    return list(seen)


def describe(char: str) -> str:
    """'U+0627 ARABIC LETTER ALEF' for a warning a person can search for."""
    name = unicodedata.name(char, None) or _("unnamed character")
    return f"U+{ord(char):04X} {name}"


def _worth_naming(missing: list[str], limit: int = 6) -> list[str]:
    """Up to limit of the missing characters, one of each script first, in first-seen order:
    a line mixing Arabic, Javanese and emoji names all three, not five Arabic letters."""
    picked: list[str] = []
    scripts = set()
    for char in missing:
        script = unicodedata.name(char, "?").split()[0]
        if script not in scripts:
            scripts.add(script)
            picked.append(char)
    picked = picked[:limit]
    picked += [c for c in missing if c not in picked][: limit - len(picked)]
    return sorted(picked, key=missing.index)


def glyph_warnings(root, folder: Path, word_font: str) -> list[Problem]:
    """One located warning per text value that holds characters the font cannot print."""
    covered = _cmap(str(folder / FAMILIES[word_font][1]["regular"]))
    warnings = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node.items, dict):
            stack.extend(reversed(list(node.items.values())))
        elif isinstance(node.items, list):
            stack.extend(reversed(node.items))
        elif isinstance(node.value, str):
            missing = missing_characters(node.value, covered)
            if missing:
                named = _worth_naming(missing)
                shown = ", ".join(describe(c) for c in named)
                if len(missing) > len(named):
                    message = _("warning: {font} has no glyph for {characters} and {count} more; they "
                                "print in a fallback font or as empty boxes")
                else:
                    message = _("warning: {font} has no glyph for {characters}; they print in a "
                                "fallback font or as empty boxes")
                warnings.append(Problem(node.mark, message.format(
                    font=pdf_family(word_font), characters=shown, count=len(missing) - len(named))))
    return sorted(warnings, key=lambda p: (p.mark.line, p.mark.column))




@lru_cache(maxsize=4)
def word_line(word_font: str, folder: str) -> float:
    """The height of Word's single line for a font, in ems: Windows ascent + descent + line gap.

    Word's "1.5 lines" is 1.5 times this (13.8 pt x 1.5 for Arial 12 pt), not CSS's 1.5 em;
    the PDF uses the same height so that its pages break where Word's do.
    """
    from fontTools.ttLib import TTFont  # not at start-up: `schema` and `check` of bad input need none

    with TTFont(os.path.join(folder, FAMILIES[word_font][1]["regular"]), lazy=True) as font:
        os2, hhea = font["OS/2"], font["hhea"]
        return (os2.usWinAscent + os2.usWinDescent + max(hhea.lineGap, 0)) / font["head"].unitsPerEm


@lru_cache(maxsize=16)
def advance_widths(word_font: str, folder: str, style: str) -> tuple[dict[int, float], float]:
    """Each character's advance width, in ems, in the shipped font standing in for a Word font
    in one style (regular, bold, italic, bolditalic), and the width of a character the font
    lacks (its .notdef glyph)."""
    from fontTools.ttLib import TTFont

    with TTFont(os.path.join(folder, FAMILIES[word_font][1][style]), lazy=True) as font:
        em = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] / em for code, glyph in (font.getBestCmap() or {}).items()}
        return widths, metrics[font.getGlyphOrder()[0]][0] / em


def text_width_pt(text: str, word_font: str, folder: str, size_pt: float, bold: bool = False,
                  italic: bool = False) -> float:
    """The width of a line of text set in the shipped font, without kerning: what a table column
    needs to hold it unbroken, as the PDF's automatic table layout measures it."""
    style = ("bold" if bold else "") + ("italic" if italic else "") or "regular"
    widths, missing = advance_widths(word_font, folder, style)
    return sum(widths.get(ord(char), missing) for char in text) * size_pt
