"""Keep the Indonesian message catalog in step with the code (Babel: extract, update, compile).

    .venv/bin/python tools/messages.py update [TRANSLATIONS.json ...]   # then translate, then:
    .venv/bin/python tools/messages.py compile
    .venv/bin/python tools/messages.py pending TRANSLATIONS.json renstra/MODULE.py ...

`update` extracts every message marked _(), N_() or ngettext() in renstra/*.py, keeps the
translations the catalog has, takes new ones from JSON files ({"English": "Indonesian"}) if
given, drops messages the code no longer has, and lists what is left untranslated. `compile`
writes the .mo the program reads. tests/test_messages.py checks that both are current.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "renstra"
CATALOG = PACKAGE / "locale" / "id" / "LC_MESSAGES" / "renstra.po"
COMPILED = CATALOG.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)  # the same bytes every run


def extracted(paths=None) -> dict:
    """Every marked message in the package (or in paths): id (a str, or (singular, plural)) -> where."""
    found: dict = {}
    for path in sorted(paths or PACKAGE.glob("*.py")):
        path = Path(path).resolve()
        for line, message, _comments, _context in extract_from_file("python", path, keywords=KEYWORDS):
            found.setdefault(message, f"{path.relative_to(ROOT).as_posix()}:{line}")
    if paths is None:
        for message, where in required_descriptions().items():
            found.setdefault(message, where)
    return found


def required_descriptions() -> dict:
    """The English descriptions of the model's required keys: a message about a missing key quotes
    its description (diagnostics), so each is a message of the catalog too."""
    sys.path.insert(0, str(ROOT))
    import inspect

    from pydantic import BaseModel

    from renstra import model

    found = {}
    for name, part in vars(model).items():
        if inspect.isclass(part) and issubclass(part, BaseModel) and part.__module__ == model.__name__:
            for key, field in part.model_fields.items():
                if field.is_required() and field.description:
                    found.setdefault(field.description, f"renstra/model.py: {name}.{key}")
    return found


def read_catalog() -> Catalog:
    if not CATALOG.exists():
        return Catalog(locale="id", domain="renstra")
    with open(CATALOG, "rb") as handle:
        return read_po(handle, locale="id", domain="renstra")


def new_catalog() -> Catalog:
    return Catalog(locale="id", domain="renstra", project="renstra", version="1",
                   creation_date=FIXED_DATE, revision_date=FIXED_DATE,
                   language_team="Indonesian", last_translator="renstra",
                   charset="utf-8", fuzzy=False,
                   header_comment="# Indonesian messages of renstra; keep with tools/messages.py.")


def placeholders(text: str) -> list[str]:
    """The {name} fields and %-conversions a message fills in, which a translation must keep."""
    return sorted(re.findall(r"\{[^{}]*\}|%\([a-z_]+\)[sdr]|%[sdr]", text))


def problems(catalog: Catalog | None = None) -> list[str]:
    """What is wrong with the catalog against the code: missing, stale, untranslated, fuzzy, or
    a translation that drops or adds a placeholder."""
    catalog = catalog or read_catalog()
    code = extracted()
    found = []
    ids = {message.id for message in catalog if message.id}
    for message_id, where in code.items():
        if message_id not in ids:
            found.append(f"{where}: not in the catalog: {message_id!r}")
    for message in catalog:
        if not message.id:
            continue
        if message.id not in code:
            found.append(f"in the catalog but not in the code: {message.id!r}")
            continue
        singles = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            found.append(f"{code[message.id]}: untranslated: {message.id!r}")
            continue
        for text in strings:
            if placeholders(text) != placeholders(singles[0]):
                found.append(f"{code[message.id]}: the translation's placeholders differ: {message.id!r}")
    return found


def compiled_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update(translation_files: list[str]) -> int:
    old = read_catalog()
    given: dict[str, str] = {}
    for name in translation_files:
        given.update(json.loads(Path(name).read_text(encoding="utf-8")))
    catalog = new_catalog()
    for message_id in extracted():
        previous = old.get(message_id)
        kept = previous.string if previous is not None else ""
        if all(kept) if isinstance(kept, tuple) else kept:
            string = kept
        elif isinstance(message_id, tuple):
            # Indonesian does not inflect for number: both forms read the same.
            string = (given.get(message_id[0], ""),) * 2
        else:
            string = given.get(message_id, "")
        catalog.add(message_id, string)
    CATALOG.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    write_po(out, catalog, no_location=True, sort_output=True, width=100)
    CATALOG.write_bytes(out.getvalue())
    left = [p for p in problems(catalog) if "untranslated" in p or "placeholders" in p]
    for line in left:
        print(line)
    print(f"{CATALOG.relative_to(ROOT)}: {len(catalog)} messages, {len(left)} to fix")
    return 1 if left else 0


def pending(translation_file: str, modules: list[str]) -> int:
    """Read-only: the messages of these modules that the JSON file does not translate yet."""
    given = json.loads(Path(translation_file).read_text(encoding="utf-8"))
    left = 0
    for message_id, where in extracted(modules).items():
        key = message_id[0] if isinstance(message_id, tuple) else message_id
        if not given.get(key):
            print(f"{where}: untranslated: {key!r}")
            left += 1
        elif placeholders(given[key]) != placeholders(key):
            print(f"{where}: placeholders differ: {key!r}")
            left += 1
    print(f"{left} to translate")
    return 1 if left else 0


def compile_catalog() -> int:
    COMPILED.write_bytes(compiled_bytes(read_catalog()))
    print(f"wrote {COMPILED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "update":
        sys.exit(update(rest))
    if command == "pending":
        sys.exit(pending(rest[0], rest[1:]))
    if command == "compile":
        sys.exit(compile_catalog())
    print(__doc__)
    sys.exit(2)
