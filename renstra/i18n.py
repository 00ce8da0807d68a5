"""Messages in the office's language: Indonesian by default, English when the environment asks for
it (LANG=en_US.UTF-8, or LANGUAGE=en). The English text is the message id; the Indonesian
translations are a gettext catalog (renstra/locale), kept by tools/messages.py with Babel."""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "renstra"
DEFAULT = "id"  # the staff who type the sources are Indonesian; Windows sets no LANG at all
LANGUAGES = ("id", "en")


def language() -> str:
    """'id' or 'en', from the variables gettext reads, in its order. A locale that names no
    language (unset, C, POSIX, C.UTF-8) says nothing; one we have no catalog for gets the default."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for entry in os.environ.get(variable, "").split(":"):
            code = entry.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
            if code not in ("", "c", "posix") and variable != "LANGUAGE":
                return DEFAULT
    return DEFAULT


@lru_cache(maxsize=None)
def _catalog(code: str) -> gettext.NullTranslations:
    if code == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE, languages=[code], fallback=True)


def _(message: str) -> str:
    """The message in the current language (asked each time, so a test can switch it)."""
    return _catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalog(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a message kept in a table for the catalog; `_` translates it where it is shown."""
    return message
