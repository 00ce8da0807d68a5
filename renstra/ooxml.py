"""Word's XML where python-docx has no API: runs, fields, bookmarks, cell margins, a reproducible package."""

from __future__ import annotations

import io
import re
import zipfile

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def element_of(tag: str, **attributes):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def make_run(text: str = "", style: str | None = None, italic: bool = False, tab: bool = False,
             line_break: bool = False, language: str | None = None):
    run = OxmlElement("w:r")
    if style or italic or language:
        properties = OxmlElement("w:rPr")  # children in the schema's order: rStyle, i, lang
        if style:
            properties.append(element_of("w:rStyle", val=style))
        if italic:
            properties.append(OxmlElement("w:i"))
        if language:
            properties.append(element_of("w:lang", val=language))
        run.append(properties)
    if tab:
        run.append(OxmlElement("w:tab"))
    elif line_break:
        run.append(OxmlElement("w:br"))
    else:
        t = OxmlElement("w:t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)
    return run


def field_runs(instruction: str, result: str | None):
    """A complex field: begin, instruction, separate, [result], end (python-docx has no API)."""
    runs = [make_run(), make_run(), make_run()]
    for run in runs:
        run.remove(run[0])
    runs[0].append(element_of("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    runs[1].append(instr)
    runs[2].append(element_of("w:fldChar", fldCharType="separate"))
    if result is not None:
        runs.append(make_run(result))
    end = make_run()
    end.remove(end[0])
    end.append(element_of("w:fldChar", fldCharType="end"))
    return runs, end


def bookmark_name(anchor: str) -> str:
    # Word accepts letters, digits and "_" in bookmark names; "_Toc" ones are hidden, as Word's own.
    return "_Toc_" + re.sub(r"[^A-Za-z0-9]", "_", anchor)


def narrow_cell_margins(table, padding) -> None:
    """Cell margins of 2 pt at the sides, as the PDF's wide tables have; Word's default 0.19 cm
    would leave a column of a 40-column table no room for a single letter."""
    margins = element_of("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(element_of(f"w:{side}", w=round(padding.pt * 20), type="dxa"))
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))  # tblCellMar comes before tblLook in the schema's order
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)


def reproducible_zip(data: bytes) -> bytes:
    """The same package with fixed entry dates, order and attributes, so builds are byte-identical."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()
