"""The page's numbers that every writer shares: paper sizes and the width of the text."""

from __future__ import annotations


PAPER = {"A4": ("210mm", "297mm"), "F4": ("215mm", "330mm")}


def text_width_cm(paper: str, left_cm: float, right_cm: float) -> float:
    """The width of the text on a portrait page of paper, between the margins."""
    return float(PAPER[paper][0].removesuffix("mm")) / 10 - left_cm - right_cm


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
    "wide-table-text": (8, "pt"),  # a table too wide for the page even at its longest words
    "wide-table-padding": (2, "pt"),  # at the sides of its cells
    "signature-room": (2.5, "cm"),  # for signature and stamp
    "footer-text": (11, "pt"),  # the page number
}


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
