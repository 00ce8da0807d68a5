"""The page's numbers that every writer shares: paper sizes and the width of the text."""

from __future__ import annotations


PAPER = {"A4": ("210mm", "297mm"), "F4": ("215mm", "330mm")}


def text_width_cm(paper: str, left_cm: float, right_cm: float) -> float:
    """The width of the text on a portrait page of paper, between the margins."""
    return float(PAPER[paper][0].removesuffix("mm")) / 10 - left_cm - right_cm
