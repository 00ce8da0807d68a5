"""The page's numbers that every writer shares: paper sizes and the width of the text."""

from __future__ import annotations


PAPER = {"A4": ("210mm", "297mm"), "F4": ("215mm", "330mm")}


def text_width_cm(paper: str, left_cm: float, right_cm: float) -> float:
    """The width of the text on a portrait page of paper, between the margins."""
    return float(PAPER[paper][0].removesuffix("mm")) / 10 - left_cm - right_cm


# Line heights in Word's "lines" (multiples of the font's own line height, fonts.word_line) that
# the reference document gives its styles whatever the body's spacing, and print.css must match:
# a heading 2.7 pt shorter in the PDF than in Word shifts every page after it.
LINES = {
    "heading": 1.5,  # "Heading 1", "Heading 2", "TOC Heading"
    "caption": 1.2,  # "Caption" above a table
    "table": 1.05,  # "Table Text" and "Table Heading", the cells' text
}


def twips_line(name: str) -> int:
    """A LINES value as Word's w:spacing w:line (240 is one line)."""
    return round(LINES[name] * 240)


# Every length the layout uses in more than one of print.css, the DOCX writer and the reference
# document's builder, by name: the HTML's <style> gives each to print.css as var(--name), and the
# two Word writers read them here, so the PDF and the DOCX cannot drift apart.
LENGTHS = {
    "indent": (0.75, "cm"),  # a list level; a mission's explanation; a heading's number
    "subbab-number": (1.0, "cm"),  # room for "1.1" before a subchapter's title
    "toc-indent": (1.25, "cm"),  # a subchapter's line in the table of contents
    "emblem-cover": (4.5, "cm"),  # width of the emblem on the cover
    "emblem-kop": (2.3, "cm"),  # height of the emblem in the letterhead
    "kop-side": (2.4, "cm"),  # the letterhead's lines keep clear of the emblem on both sides
    "kop-government": (14, "pt"),
    "kop-unit": (18, "pt"),
    "kop-contact": (10, "pt"),
    "cover-top": (1.0, "cm"),  # above the cover's first line
    "cover-emblem-gap": (2.0, "cm"),  # above and below the cover's emblem
    "cover-title-gap": (3.0, "cm"),  # above the document's title on the cover
    "cover-line": (16, "pt"),  # the government, the unit and the period on the cover
    "cover-kind": (18, "pt"),
    "cover-title": (14, "pt"),
    "table-text": (10, "pt"),
    "cell-padding": (4, "pt"),  # at a table cell's sides
    "cell-padding-block": (2, "pt"),  # above and below a table cell's text
    "cell-border": (0.75, "pt"),  # a table's rules
    "wide-table-text": (8, "pt"),  # a table too wide for the page even at its longest words
    "wide-table-padding": (2, "pt"),  # at the sides of its cells
    "signature-room": (2.5, "cm"),  # for signature and stamp
    "footer-text": (11, "pt"),  # the page number
}


# Each list marker (by the class name model.LIST_MARKERS gives it) as print.css counts it (a
# counter style: CSS's decimal, or print.css's huruf) and as Word numbers it: the number format
# and the level text, where N stands for the level's number. The PDF prints the same level text.
MARKER_FORMS = {
    "angka-titik": ("decimal", "decimal", "%N."),
    "huruf-titik": ("huruf", "lowerLetter", "%N."),
    "angka-kurung": ("decimal", "decimal", "%N)"),
    "huruf-kurung": ("huruf", "lowerLetter", "%N)"),
    "kurung-angka": ("decimal", "decimal", "(%N)"),
    "kurung-huruf": ("huruf", "lowerLetter", "(%N)"),
    "strip": ("none", "bullet", "-"),
    "tanpa": ("none", "none", ""),
}


def word_marker(marker: str, level: int) -> tuple[str, str]:
    """Word's number format and level text of a marker at a 0-based list level."""
    _, fmt, text = MARKER_FORMS[marker]
    return fmt, text.replace("N", str(level + 1))


def css_label(marker: str) -> str:
    """The content of an item's ::before label for a marker: its Word level text, the number
    counted by the list-item counter ('(' counter(list-item, huruf) ') '). A no-break space ends
    it, which the label's tab-stop width hides, so that a number wider than the tab stop ("(10)"
    at 12 pt) keeps a space before its text, as Word's tab does, instead of touching it."""
    counter_style, _, text = MARKER_FORMS[marker]
    if not text:
        return "none"
    before, percent, after = text.partition("%N")
    parts = [f'"{before}"' if before else "", f"counter(list-item, {counter_style})" if percent else "",
             f'"{after}\\a0"']
    return " ".join(part for part in parts if part)


def list_css(default_markers) -> str:
    """The label of every list level (its default marker) and of every marker a list can ask
    for, for the HTML's <style>. Labels are ::before boxes, not ::marker: a marker sits right-
    aligned against the text, where Word puts the number at the margin and the text at a tab stop
    (print.css gives the label the tab's width)."""
    levels = " ".join(f"ol.tingkat-{level} > li::before {{ content: {css_label(marker)}; }}"
                      for level, marker in enumerate(default_markers, start=1))
    asked = " ".join(f"ol.tanda-{marker} > li::before {{ content: {css_label(marker)}; }}" for marker in MARKER_FORMS)
    return f"{levels} {asked}"


def css_length(name: str) -> str:
    """A length as CSS writes it: '0.75cm', '10pt'."""
    value, unit = LENGTHS[name]
    return f"{value:g}{unit}"


def css_variables() -> str:
    """Every length as a CSS custom property, and its negative (print.css has no calc())."""
    return " ".join(f"--{name}: {css_length(name)}; --minus-{name}: -{css_length(name)};" for name in LENGTHS)


def twips(name: str) -> int:
    """A length in twentieths of a point, as Word's XML writes most lengths."""
    value, unit = LENGTHS[name]
    return round(value * 20) if unit == "pt" else int(value * 567)


def emu(name: str) -> int:
    """A length in English Metric Units, as python-docx takes it."""
    value, unit = LENGTHS[name]
    return int(value * 12700) if unit == "pt" else int(value * 360000)  # as python-docx's Pt() and Cm()
