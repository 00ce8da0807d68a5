"""Indonesian formal writing: counts in figures and words, dates, numbers, ordinals, roman numerals."""

from __future__ import annotations

import datetime


def count_in_words(number: int) -> str:
    """A count as formal text writes it: figure, then words in brackets, e.g. '4 (empat)'."""
    from num2words import num2words  # imported when rendering, so `check` starts faster

    return f"{number} ({num2words(number, lang='id')})"


def indonesian_date(day: datetime.date) -> str:
    """'3 Maret 2013': month name in Indonesian, no leading zero."""
    from babel.dates import format_date  # imported when rendering, so `check` starts faster

    return format_date(day, "d MMMM y", locale="id")


def roman(number: int) -> str:
    """Roman numeral in capitals, for chapter numbers (BAB IV)."""
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


def indonesian_number(number: int | float) -> str:
    """A number as Indonesian text writes it: 1.250.000.000; 2,5; 75,25 (never 2,5e+06).

    A float is taken as it was typed (its shortest repr), so 0.1 stays 0,1 and no digit is
    rounded away or made up.
    """
    from decimal import Decimal

    from babel.numbers import format_decimal  # imported when rendering, so `check` starts faster

    value = Decimal(repr(number)) if isinstance(number, float) else number
    return format_decimal(value, locale="id", decimal_quantization=False)


def ordinal(number: int) -> str:
    """'Pertama', 'Kedua', 'Kesebelas': a mission's number in words, as headings write it."""
    from num2words import num2words

    return num2words(number, lang="id", to="ordinal").title()


def mission_label(number: int, style: str) -> str:
    """A mission heading's number as tata_letak.judul_misi asks: '1.', 'Misi 1', 'Misi Pertama'."""
    if style == "misi-nomor":
        return f"Misi {number}"
    if style == "misi-urutan":
        return f"Misi {ordinal(number)}"
    return f"{number}."
