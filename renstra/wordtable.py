"""The geometry of a Word table from HTML: each cell's place on the grid, and column widths."""

from __future__ import annotations

import re

HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# Where a line may break besides a space, as the PDF's line breaker (Unicode's rules) allows it:
# after a hyphen or a slash before a letter ("Rata-|rata", "Tujuan/|Sasaran"), after a dash.
BREAK_AFTER = re.compile(r"(?<=[-/])(?=[^\W\d_])|(?<=[\u2013\u2014])(?=\S)")
def unbreakable_pieces(chars) -> list[list]:
    """The stretches of a cell's text that no line break divides."""
    text = "".join(char for char, _, _ in chars)
    cuts = sorted({match.start() for match in BREAK_AFTER.finditer(text)}
                  | {i for i, char in enumerate(text) if char == " "} | {i + 1 for i, char in enumerate(text) if char == " "})
    bounds = [0, *cuts, len(text)]
    return [chars[a:b] for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()] or [[]]


def width_of(chars, measure) -> int:
    """The width of styled characters: each run of one style measured at once."""
    total, start = 0, 0
    for end in range(1, len(chars) + 1):
        if end == len(chars) or chars[end][1:] != chars[start][1:]:
            total += measure("".join(char for char, _, _ in chars[start:end]), *chars[start][1:])
            start = end
    return total


def place_cells(rows):
    """Each cell's grid position under HTML's rowspan/colspan rules, and the column count."""
    taken: set[tuple[int, int]] = set()
    placed = []
    columns = 0
    for r, (header, cells) in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            rowspan = max(1, int(cell.get("rowspan", "1") or 1))
            colspan = max(1, int(cell.get("colspan", "1") or 1))
            rowspan = min(rowspan, len(rows) - r)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            placed.append((r, c, rowspan, colspan, cell, cell.tag == "th"))
            c += colspan
            columns = max(columns, c)  # every taken column lies inside some placed span
    return placed, columns


def column_widths(placed, columns, total, styled_text, measure, cell_extra) -> tuple[list[int], bool]:
    """Column widths as the PDF's automatic table layout (CSS 2.1, as WeasyPrint does it) gives
    them, and whether the table is too wide for that (its longest words alone pass the text width).
    styled_text(cell, header) is a cell's text as set, (character, bold, italic) each;
    measure(text, bold, italic) the width of text on one line, cell_extra what a cell adds
    (padding, rule), both in the unit of total.

    Each column is at least as wide as its longest word and at most as wide as its longest text
    on one line; when all texts fit on one line, what is left goes to each column by that width.
    A table too wide gets equal columns, as the PDF lays it out: sharing by longest word would
    give a column holding one very long word nearly all the width and squeeze the rest to nothing.
    """
    least = [cell_extra] * columns  # the longest word: narrower would break words
    wanted = [cell_extra] * columns  # the whole text on one line
    spanning = []
    for _, c, _, colspan, cell, header in placed:
        chars = styled_text(cell, header)
        needs = (max(width_of(piece, measure) for piece in unbreakable_pieces(chars)) + cell_extra,
                 width_of(chars, measure) + cell_extra)
        if colspan == 1:
            least[c], wanted[c] = max(least[c], needs[0]), max(wanted[c], needs[1])
        else:
            spanning.append((range(c, c + colspan), needs))
    # A cell across columns ("Target Kinerja" over the years) widens them when they are too narrow
    # for it together, each by its share of their one-line widths.
    for spanned, needs in spanning:
        for widths, need in zip((least, wanted), needs):
            excess = need - sum(widths[i] for i in spanned)
            if excess > 0:
                shares = [wanted[i] for i in spanned]
                for i, share in zip(spanned, shares):
                    widths[i] += excess * share / sum(shares)
    if sum(least) > total:
        widths = [total // columns] * columns
        widths[-1] += total - sum(widths)
        return widths, True
    if sum(wanted) <= total:
        weights = wanted
    else:
        # Every column gets its longest word; the rest of the room goes by how much more each wants.
        share = (total - sum(least)) / (sum(wanted) - sum(least))
        weights = [m + (w - m) * share for m, w in zip(least, wanted)]
    widths = [int(total * w / sum(weights)) for w in weights]
    widths[-1] += total - sum(widths)
    return widths, False
