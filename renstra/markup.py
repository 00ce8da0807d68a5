"""The small inline markup of source text: *italic* for foreign terms and **bold**."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .i18n import N_, _

# Only these inline rules run. HTML and entities stay off, so '<script>' and '&amp;' are text.
_ALLOWED = ["emphasis", "escape"]
# Parsed only to be refused by name: a person who writes a link expects one, and silently
# printing brackets would hide that it did not work.
_REFUSED = {
    "link_open": N_("a link '[text](address)' is not supported in text; write the address as plain "
                    "text, or put a backslash before the '[' to print it as it is"),
    "image": N_("an image '![text](file)' is not supported in text; write the address as plain "
                "text, or put a backslash before the '[' to print it as it is"),
}
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero")
    md.enable(_ALLOWED + ["link", "image"])
    return md


def _tokens(text: str):
    return _parser().parseInline(text)[0].children or []


# Bounds of what a page can print: italic inside bold inside italic some levels deep is already
# more than any document needs (and hundreds of levels exhaust the writers), and a "word" longer
# than this cannot be a word of text: it would only run across the page in pieces.
MAX_NESTING = 8
MAX_WORD = 1000


def check_markup(text: str) -> str | None:
    """Why the text's markup cannot be printed, or None when it can."""
    word = max(_SPACES.split(text), key=len)
    if len(word) > MAX_WORD:
        return _("a word of {length} characters ('{start}...') is longer than any line; at most "
                 "{limit} characters without a space").format(length=len(word), start=word[:20],
                                                              limit=MAX_WORD)
    depth = 0
    for token in _tokens(text):
        if token.type in _REFUSED:
            return _(_REFUSED[token.type])
        depth += token.nesting if token.type.startswith(("em_", "strong_")) else 0
        if depth > MAX_NESTING:
            return _("italic and bold are nested more than {depth} deep here; "
                     "use one '*' or '**' around a word").format(depth=MAX_NESTING)
    return None


def render_markup(text: str, foreign_language: str | None = None) -> Markup:
    """HTML for one text field: escaped text, <em> and <strong>; whitespace collapsed.

    Italic marks a foreign term, as Indonesian formal writing uses it; foreign_language (a BCP 47
    tag) goes on each <em>, so a screen reader and a spelling check take the term in that
    language, not as misspelt Indonesian."""
    em_open = f'<em lang="{escape(foreign_language)}">' if foreign_language else "<em>"
    out = []
    for token in _tokens(text):
        if token.type == "text":
            out.append(str(escape(_SPACES.sub(" ", token.content))))
        elif token.type in ("em_open", "em_close", "strong_open", "strong_close"):
            tag = "em" if token.type.startswith("em") else "strong"
            if token.type.endswith("close"):
                out.append(f"</{tag}>")
            else:
                out.append(em_open if tag == "em" else f"<{tag}>")
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        else:  # check_markup refused everything else during validation
            raise ValueError(_("unexpected inline token {kind}").format(kind=token.type))
    return Markup("".join(out).strip())


def plain_text(text: str) -> str:
    """The text without markup, for metadata such as the PDF title."""
    parts = [t.content for t in _tokens(text) if t.type == "text"]
    return _SPACES.sub(" ", "".join(parts)).strip()
