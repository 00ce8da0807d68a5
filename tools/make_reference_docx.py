"""Write renstra/templates/reference.docx, the Word styles and list numbering the DOCX writer starts from.

Run once to (re)create the file; after that the office may restyle it in Word or LibreOffice
(fonts, spacing, colours, list indents) and every DOCX built afterwards follows. Page size,
margins, body font, body size and line spacing come from each source's tata_letak instead.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renstra.layout import LENGTHS, twips, twips_line, word_marker  # noqa: E402  (the lengths print.css uses too)
from renstra.model import DEFAULT_MARKERS, LIST_MARKERS  # noqa: E402

TARGET = ROOT / "renstra" / "templates" / "reference.docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CM = 567  # twips per centimetre
INDENT = LENGTHS["indent"][0]  # cm


def points(name):
    return LENGTHS[name][0]


def paragraph_style(style_id, name, based="Normal", next_=None, ppr="", rpr="", custom=True):
    nxt = f'<w:next w:val="{next_}"/>' if next_ else ""
    base = f'<w:basedOn w:val="{based}"/>' if based else ""
    flag = ' w:customStyle="1"' if custom else ""
    return (f'<w:style w:type="paragraph" w:styleId="{style_id}"{flag}><w:name w:val="{name}"/>{base}{nxt}'
            f'<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


def character_style(style_id, name, rpr, custom=True):
    flag = ' w:customStyle="1"' if custom else ""
    return (f'<w:style w:type="character" w:styleId="{style_id}"{flag}><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/><w:rPr>{rpr}</w:rPr></w:style>')


def size(points):
    return f'<w:sz w:val="{int(points * 2)}"/><w:szCs w:val="{int(points * 2)}"/>'


BOLD = "<w:b/><w:bCs/>"
CENTER = '<w:jc w:val="center"/>'
LEFT = '<w:jc w:val="left"/>'
KEEP = "<w:keepNext/><w:keepLines/>"
TEXT_WIDTH = 16 * CM  # A4 less 3 cm and 2 cm; the writer sets the real width per source
# Word's "multiple" line spacing counts in the font's own line height (about 1.15 em for Arial),
# CSS in em: the cover's 1.3 em is 1.13 lines in Word. The body keeps Word's "1.5 lines".
COVER_LINE = 271
HEADING = twips_line("heading")


def spacing(before=0, after=0, line=240, rule="auto"):
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="{rule}"/>'


def cover(style_id, name, points, before=0, after=0):
    return paragraph_style(style_id, name, based="Sampul", ppr=spacing(before, after, COVER_LINE), rpr=size(points))


STYLES = [
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    f'<w:pPr><w:widowControl/>{spacing(0, 120, 360)}<w:jc w:val="both"/></w:pPr><w:rPr/></w:style>',
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
    '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:semiHidden/></w:style>',
    # Body text: justified, line spacing from the source (the writer sets Normal's line).
    paragraph_style("BodyText", "Body Text", custom=False),
    paragraph_style("BodyTextIndent", "Body Text Indent", based="BodyText", custom=False,
                    ppr=f'<w:ind w:left="{twips("indent")}"/>'),
    paragraph_style("Heading1", "heading 1", next_="BodyText", custom=False,
                    ppr=f"{KEEP}{spacing(0, 360, HEADING)}{CENTER}<w:outlineLvl w:val=\"0\"/>", rpr=BOLD),
    paragraph_style("Heading2", "heading 2", next_="BodyText", custom=False,
                    ppr=f'{KEEP}<w:tabs><w:tab w:val="left" w:pos="{twips("indent")}"/></w:tabs>'
                        f'{spacing(240, 120, HEADING)}<w:ind w:left="{twips("indent")}" w:hanging="{twips("indent")}"/>'
                        f'{LEFT}<w:outlineLvl w:val="1"/>', rpr=BOLD),
    paragraph_style("ListParagraph", "List Paragraph", custom=False,
                    ppr=f"{spacing(0, 120, 360)}<w:contextualSpacing/>"),
    paragraph_style("TOCHeading", "TOC Heading", custom=False, ppr=f"{KEEP}{spacing(0, 360, HEADING)}{CENTER}",
                    rpr=BOLD),
    paragraph_style("TOC1", "toc 1", custom=False,
                    ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
                        f'{spacing(120, 80, 360)}{LEFT}', rpr=BOLD),
    paragraph_style("TOC2", "toc 2", based="TOC1", custom=False,
                    ppr=f'{spacing(0, 80, 360)}<w:ind w:left="{twips("toc-indent")}"/>',
                    rpr='<w:b w:val="0"/><w:bCs w:val="0"/>'),
    # The DAFTAR TABEL's entries (Word's style for a list of captions).
    paragraph_style("TableofFigures", "table of figures", custom=False,
                    ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
                        f'{spacing(0, 80, 360)}{LEFT}'),
    paragraph_style("Caption", "caption", custom=False, ppr=f"{KEEP}{spacing(120, 120, twips_line('caption'))}{CENTER}", rpr=BOLD),
    # 1.05 lines x 1.15 em = the tables' 1.2 em.
    paragraph_style("TableText", "Table Text", ppr=f"{spacing(0, 0, twips_line('table'))}{LEFT}", rpr=size(points("table-text"))),
    paragraph_style("TableHeading", "Table Heading", based="TableText", ppr=f"<w:keepNext/>{CENTER}", rpr=BOLD),
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
    '<w:tblPr><w:tblBorders>'
    + "".join(f'<w:{side} w:val="single" w:sz="{round(LENGTHS["cell-border"][0] * 8)}" w:space="0" w:color="000000"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + f'</w:tblBorders><w:tblCellMar><w:top w:w="{twips("cell-padding-block")}" w:type="dxa"/>'
    f'<w:left w:w="{twips("cell-padding")}" w:type="dxa"/><w:bottom w:w="{twips("cell-padding-block")}" w:type="dxa"/>'
    f'<w:right w:w="{twips("cell-padding")}" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    # The cover: centred, bold; sizes and gaps as in print.css.
    paragraph_style("Sampul", "Sampul", ppr=f"{spacing(0, 0, COVER_LINE)}{CENTER}", rpr=BOLD),
    cover("SampulPemerintah", "Sampul Pemerintah", points("cover-line"), before=twips("cover-top")),
    cover("SampulLambang", "Sampul Lambang", 12, before=twips("cover-emblem-gap"), after=twips("cover-emblem-gap")),
    cover("SampulWilayah", "Sampul Wilayah", points("cover-line")),
    cover("SampulJenis", "Sampul Jenis", points("cover-kind"), after=120),
    cover("SampulUnit", "Sampul Unit", points("cover-line")),
    cover("SampulPeriode", "Sampul Periode", points("cover-line")),
    cover("SampulJudul", "Sampul Judul", points("cover-title"), before=twips("cover-title-gap")),
    # The year stands at the foot of the cover: the writer puts it in a frame at the bottom margin.
    cover("SampulTahun", "Sampul Tahun", points("cover-title")),
    # The letterhead (kop).
    paragraph_style("KopPemerintah", "Kop Pemerintah", ppr=f"{spacing(0, 0, 250)}{CENTER}", rpr=size(points("kop-government"))),
    paragraph_style("KopWilayah", "Kop Wilayah", based="KopPemerintah"),
    paragraph_style("KopUnit", "Kop Unit", based="KopPemerintah", rpr=BOLD + size(points("kop-unit"))),
    paragraph_style("KopAlamat", "Kop Alamat", based="KopPemerintah", rpr=size(points("kop-contact"))),
    paragraph_style("KopKontak", "Kop Kontak", based="KopPemerintah", rpr=size(points("kop-contact"))),
    # The signature block, indented to the middle of the text width (the writer sets the indent).
    paragraph_style("TandaTangan", "Tanda Tangan",
                    ppr=f'{KEEP}{spacing(0, 0, 360)}<w:ind w:left="{TEXT_WIDTH // 2}"/>{LEFT}'),
    paragraph_style("TandaTanganTempat", "Tanda Tangan Tempat", based="TandaTangan",
                    ppr=spacing(480, 0, 360)),
    paragraph_style("RuangTandaTangan", "Ruang Tanda Tangan", based="TandaTangan",
                    ppr=spacing(0, 0, twips("signature-room"), "exact")),
    paragraph_style("TandaTanganNama", "Tanda Tangan Nama", based="TandaTangan",
                    rpr=BOLD + '<w:u w:val="single"/>'),
    # The vision statement, set apart; the LAMPIRAN block at the right (the writer sets the indent).
    paragraph_style("Visi", "Visi", based="BodyText", ppr=f"{KEEP}{spacing(120, 240, 360)}{CENTER}", rpr=BOLD),
    paragraph_style("Lampiran", "Lampiran", ppr=f'{spacing(0, 0, 276)}<w:ind w:left="{TEXT_WIDTH // 2}"/>{LEFT}'),
    paragraph_style("Footer", "footer", custom=False, ppr=f"{spacing(0, 0, 240)}{CENTER}", rpr=size(points("footer-text"))),
    character_style("Emphasis", "Emphasis", "<w:i/><w:iCs/>", custom=False),
    character_style("Strong", "Strong", BOLD, custom=False),
    character_style("Istilah", "Istilah", BOLD),
]

STYLES_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W}">'
    '<w:docDefaults><w:rPrDefault><w:rPr>'
    '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
    f'{size(12)}<w:lang w:val="id-ID" w:eastAsia="id-ID" w:bidi="ar-SA"/>'
    '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
    f'{spacing(0, 0, 240)}</w:pPr></w:pPrDefault></w:docDefaults>'
    + "".join(STYLES) + "</w:styles>"
)

# One multilevel list, 1. / a. / 1) / a) / (1) / (a), as naskah dinas number them; the writer
# starts a new w:num on it for each list so that every list restarts at 1 (or a).
LEVELS = [word_marker(LIST_MARKERS[marker], level) for level, marker in enumerate(DEFAULT_MARKERS)]
NUMBERING_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{W}">'
    '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="multilevel"/>'
    '<w:name w:val="Daftar Renstra"/>'
    + "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="{int((i + 1) * INDENT * CM)}"/></w:tabs>'
        f'<w:ind w:left="{int((i + 1) * INDENT * CM)}" w:hanging="{twips("indent")}"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(LEVELS))
    + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
)

SETTINGS_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w="{W}">'
    '<w:defaultTabStop w:val="709"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="id-ID"/></w:settings>'
)

# A sample paragraph in each style, so whoever restyles the file sees what each style is for.
SAMPLES = [
    ("SampulPemerintah", "PEMERINTAH KOTA (Sampul Pemerintah)"), ("SampulLambang", "(Sampul Lambang: the emblem)"),
    ("SampulWilayah", "KECAMATAN (Sampul Wilayah)"), ("SampulJenis", "RENCANA STRATEGIS (Sampul Jenis)"), ("SampulUnit", "KECAMATAN (Sampul Unit)"),
    ("SampulPeriode", "TAHUN 2011-2015 (Sampul Periode)"), ("SampulJudul", "JUDUL (Sampul Judul)"),
    ("SampulTahun", "2013 (Sampul Tahun)"), ("TOCHeading", "DAFTAR ISI (TOC Heading)"),
    ("TOC1", "BAB I PENDAHULUAN (TOC 1)\t1"), ("TOC2", "1.1 Latar Belakang (TOC 2)\t1"),
    ("TableofFigures", "Tabel 3.1 Judul Tabel (Table of Figures)\t3"),
    ("KopPemerintah", "PEMERINTAH KOTA (Kop Pemerintah)"), ("KopWilayah", "KECAMATAN (Kop Wilayah)"), ("KopUnit", "KECAMATAN (Kop Unit)"),
    ("KopAlamat", "Alamat (Kop Alamat)"), ("KopKontak", "Telepon, laman (Kop Kontak)"),
    ("Heading1", "BAB I JUDUL BAB (Heading 1)"), ("Heading2", "1.1\tJudul Subbab (Heading 2)"),
    ("Lampiran", "LAMPIRAN PERATURAN (Lampiran)"),
    ("BodyText", "Isi dokumen, rata kiri-kanan, spasi 1,5 (Body Text)."),
    ("Visi", "\u201cPernyataan visi\u201d (Visi)"),
    ("BodyTextIndent", "Isi penjelasan misi, menjorok (Body Text Indent)."),
    ("ListParagraph", "Butir daftar bernomor (List Paragraph, numbering Daftar Renstra)."),
    ("Caption", "Tabel 1.1 Judul Tabel (Caption)"), ("TableHeading", "Kepala tabel (Table Heading)"),
    ("TableText", "Isi tabel (Table Text)"), ("TandaTanganTempat", "Magelang, 3 Maret 2013 (Tanda Tangan Tempat)"),
    ("TandaTangan", "CAMAT, (Tanda Tangan)"), ("RuangTandaTangan", ""),
    ("TandaTanganNama", "Nama (Tanda Tangan Nama)"),
]


def sample(style_id, text):
    runs = "".join(('<w:r><w:tab/></w:r>' if i else "") + (f'<w:r><w:t xml:space="preserve">{part}</w:t></w:r>' if part else "")
                   for i, part in enumerate(text.split("\t")))
    numbering = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if style_id == "ListParagraph" else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{numbering}</w:pPr>{runs}</w:p>'


DOCUMENT_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>'
    + "".join(sample(s, t) for s, t in SAMPLES)
    + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1417" '
    'w:left="1701" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>'
)

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
        '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
        '</Relationships>'),
    "docProps/core.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dc:title>Renstra reference styles</dc:title><dc:language>id-ID</dc:language>'
        '<cp:revision>1</cp:revision></cp:coreProperties>'),
    "docProps/app.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        '<Application>renstra</Application></Properties>'),
    "word/_rels/document.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/numbering" Target="numbering.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/settings" Target="settings.xml"/>'
        '</Relationships>'),
    "word/document.xml": DOCUMENT_XML,
    "word/styles.xml": STYLES_XML,
    "word/numbering.xml": NUMBERING_XML,
    "word/settings.xml": SETTINGS_XML,
}


def main(target: Path = TARGET) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in PARTS.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, text.encode("utf-8"))
    print(f"wrote {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
