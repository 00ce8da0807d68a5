"""Convert the shipped TeX Gyre Bonum fonts from OpenType-CFF (.otf) to TrueType outlines (.ttf).

Why: WeasyPrint embeds a CFF-flavoured OpenType font as a CIDFontType0 whose CFF is not CID-keyed,
a pairing that PDF/A checkers cannot verify (pikepdf reports it "not checked"). With TrueType
outlines the same font is embedded as CIDFontType2, which they check. Cubic curves become
quadratic within 1 font unit (of 1000 per em); advance widths, kerning and every other table are
kept, so lines break exactly as before.

Run once when the fonts are updated (the .otf files are those of the TeX Gyre release, version
2.004): `.venv/bin/python tools/otf2ttf.py FONT.otf... --out renstra/templates/fonts`.
The output is the same on every run (the font's timestamps are kept).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERROR = 1.0  # font units: the largest distance between a cubic curve and its quadratic copy


def convert(source: Path, target: Path) -> None:
    font = TTFont(source, recalcTimestamp=False)
    if font.sfntVersion != "OTTO" or "CFF " not in font:
        raise SystemExit(f"{source}: not an OpenType-CFF font")
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # PostScript outlines run counter-clockwise, TrueType ones clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    # The left side bearing of each glyph is its outline's left edge, as TrueType requires.
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        glyph.recalcBounds(glyf)
        advance, _ = hmtx[name]
        hmtx[name] = advance, getattr(glyph, "xMin", 0)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fonts", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    for source in args.fonts:
        convert(source, args.out / (source.stem + ".ttf"))


if __name__ == "__main__":
    main()
