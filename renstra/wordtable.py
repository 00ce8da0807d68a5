"""The geometry of a Word table from HTML: each cell's place on the grid, and column widths."""

from __future__ import annotations

import re

from docx.shared import Pt

HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


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


def column_widths(placed, columns, total, char_width=Pt(5.5)) -> tuple[list[int], bool]:
    """Column widths as a browser's automatic table layout roughly gives them, by text length,
    and whether the table is too wide for that (its longest words alone pass the text width).

    A table too wide gets equal columns, as the PDF lays it out: sharing by longest word would
    give a column holding one very long word nearly all the width and squeeze the rest to nothing.
    """
    least = [3] * columns  # the longest word (plus padding): narrower would break words
    wanted = [3] * columns  # the whole text on one line
    for _, c, _, colspan, cell, _ in placed:
        if colspan == 1:
            text = HTML_SPACE.sub(" ", cell.text_content()).strip()
            least[c] = max(least[c], max(len(w) for w in text.split(" ")) + 2)
            wanted[c] = max(wanted[c], len(text) + 2)
    room = total / char_width
    if sum(least) > room:
        widths = [total // columns] * columns
        widths[-1] += total - sum(widths)
        return widths, True
    if sum(wanted) <= room:
        weights = wanted
    else:
        # Every column gets its longest word; the rest of the room goes by how much more each wants.
        share = max(0.0, room - sum(least)) / (sum(wanted) - sum(least) or 1)
        weights = [m + (w - m) * min(share, 1.0) for m, w in zip(least, wanted)]
    widths = [int(total * w / sum(weights)) for w in weights]
    widths[-1] += total - sum(widths)
    return widths, False
