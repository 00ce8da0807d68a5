"""The tagged PDF's structure tree as a screen reader and an archive validator read it.

Every fixture and the real source are built once; each rule runs on each document. The HTML the
build writes beside the PDF is the document's logical structure, so the counts come from it.
A struct element's /K holds MCIDs (ints on its /Pg), /MCR and /OBJR dicts, struct elements, or an
array of those.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pdfplumber
import pikepdf
import pytest
from lxml import html as lxml_html

from conftest import ROOT
from renstra import cli

DOCUMENTS = sorted([*(ROOT / "tests" / "fixtures").glob("*.yaml"), *(ROOT / "source").glob("*.yaml")])
FOOTER = 2.5 * 72 / 2.54  # the bottom margin, where the page number is printed (2.5 cm at least)
ALLOWED = {"Document", "Sect", "Div", "P", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
           "LBody", "Table", "THead", "TBody", "TFoot", "TR", "TH", "TD", "Caption", "Figure",
           "Link", "Span", "TOC", "TOCI", "Quote", "Note", "BlockQuote"}
HEADINGS = {f"H{n}" for n in range(1, 7)}
TOC_NAV = ".//nav[contains(concat(' ', @class, ' '), ' daftar-isi ')]"


# --- reading the tree ---------------------------------------------------------------------------

def kids(node) -> list:
    k = node.get("/K")
    return [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]


def is_element(obj) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") not in ("/MCR", "/OBJR")


def kind(obj) -> str:
    """'H1', 'LI', ... for an element; 'MCID' or 'OBJR' for content."""
    if is_element(obj):
        return str(obj.get("/S", "/?"))[1:]
    return "OBJR" if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/OBJR" else "MCID"


def walk(node, parents=()):
    """(element, its ancestors nearest last) of every element under node, depth first."""
    for kid in kids(node):
        if is_element(kid):
            assert kid.objgen not in {p.objgen for p in parents}, f"cycle at {kind(kid)} {kid.objgen}"
            yield kid, parents
            yield from walk(kid, parents + (kid,))


def children(element) -> list:
    return [k for k in kids(element) if is_element(k)]


def where(kid, element, pages) -> tuple:
    """(page index, MCID) of a content kid: an int on the element's /Pg, or an MCR whose own /Pg
    overrides it. Without either the page is None (the spec requires one)."""
    mcr = isinstance(kid, pikepdf.Dictionary)
    page = kid.get("/Pg", element.get("/Pg")) if mcr else element.get("/Pg")
    return pages.get(page.objgen) if page is not None else None, int(kid.MCID if mcr else kid)


def marked(element, pages) -> list:
    """(page index, MCID) of the marked content the element holds itself, in /K order."""
    return [where(kid, element, pages) for kid in kids(element) if kind(kid) == "MCID"]


def reading(node, pages) -> list:
    """(page index, MCID) of everything under node in reading order: /K order, depth first."""
    found = []
    for kid in kids(node):
        if is_element(kid):
            found += reading(kid, pages)
        elif kind(kid) == "MCID":
            found.append(where(kid, node, pages))
    return found


def tree_pairs(node, entries: str) -> list:
    """(key, value) pairs of a number tree (entries='/Nums') or a name tree ('/Names')."""
    items = node.get(entries, [])
    pairs = [(items[i], items[i + 1]) for i in range(0, len(items), 2)]
    for kid in node.get("/Kids", []):
        pairs += tree_pairs(kid, entries)
    return pairs


def table_attributes(element) -> dict:
    """The element's attributes of owner /Table (/A is one dict or an array with revisions)."""
    a = element.get("/A")
    merged = {}
    for item in (a if isinstance(a, pikepdf.Array) else [a]):
        if isinstance(item, pikepdf.Dictionary) and item.get("/O") == "/Table":
            merged.update(item.items())
    return merged


def content_mcids(page) -> list[int]:
    """MCIDs of the page's marked-content sequences (BDC with an inline or named property list)."""
    properties = page.obj.get("/Resources", {}).get("/Properties", {})
    found = []
    for instruction in pikepdf.parse_content_stream(page):
        if str(instruction.operator) == "BDC":
            props = instruction.operands[1]
            props = properties.get(props) if isinstance(props, pikepdf.Name) else props
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                found.append(int(props.MCID))
    return found


# --- reading the HTML ---------------------------------------------------------------------------

def html_grid(table) -> list[list]:
    """Each <tr> as [(cell, first column, last column, in thead)], columns taken by a rowspan
    from above skipped."""
    rows, taken = [], set()
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        row, col = [], 0
        for cell in tr.xpath("./th|./td"):
            while (r, col) in taken:
                col += 1
            across, down = int(cell.get("colspan", 1)), int(cell.get("rowspan", 1))
            taken.update((r + dr, col + dc) for dr in range(down) for dc in range(across))
            row.append((cell, col, col + across - 1, tr.getparent().tag == "thead"))
            col += across
        rows.append(row)
    return rows


def html_list_items(body) -> list[int]:
    """Item count of each list outside the TOC, in document order. A <dl> item is a term (or run of
    terms) with its description(s): counted as the dt that does not follow another dt."""
    counts = []
    for lst in body.iter("ol", "ul", "dl"):
        if lst.xpath("ancestor::nav[contains(concat(' ', @class, ' '), ' daftar-isi ')]"):
            continue
        if lst.tag == "dl":
            counts.append(len(lst.xpath("(./dt|./div/dt)[not(preceding-sibling::*[1][self::dt])]")))
        else:
            counts.append(len(lst.xpath("./li")))
    return counts


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def summary(problems: list) -> str:
    """The problems counted, the most frequent first: one bad pattern can repeat hundreds of times."""
    counted = Counter(map(str, problems)).most_common(8)
    return f"{len(problems)} problem(s): " + "; ".join(f"{n}x {p}" if n > 1 else p for p, n in counted)


class Document:
    """One built document: its PDF (pikepdf), chars (pdfplumber) and HTML body, read once."""

    def __init__(self, folder, name):
        self.name = name
        self.pdf = pikepdf.open(folder / f"{name}.pdf")
        self.body = lxml_html.parse(str(folder / f"{name}.html")).getroot().body
        self.root = self.pdf.Root.StructTreeRoot
        self.pages = {page.objgen: i for i, page in enumerate(self.pdf.pages)}
        self.elements = list(walk(self.root))
        self.text = defaultdict(str)  # (page index, MCID) -> its characters
        self.footers, self.marked_chars, self.marked_footer = [], [], []
        with pdfplumber.open(folder / f"{name}.pdf") as plumber:
            for index, page in enumerate(plumber.pages):
                footer = [c for c in page.chars if c["top"] >= page.height - FOOTER]
                self.footers.append("".join(c["text"] for c in footer).strip())
                self.marked_footer += [(index + 1, c["text"]) for c in footer if c.get("mcid") is not None]
                for c in page.chars:
                    if c.get("mcid") is not None:
                        self.text[(index, c["mcid"])] += c["text"]
                        self.marked_chars.append(((index, c["mcid"]), c["text"]))

    def of(self, *kinds) -> list:
        return [e for e, _ in self.elements if kind(e) in kinds]

    def ids(self) -> dict:
        tree = self.root.get("/IDTree")
        return {} if tree is None else {str(k): v for k, v in tree_pairs(tree, "/Names")}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """Every fixture and the real source built in one CLI run (HTML and PDF)."""
    folder = tmp_path_factory.mktemp("structure")
    code = cli.main(["build", *map(str, DOCUMENTS), "--formats", "html,pdf", "--out", str(folder)])
    assert code == 0
    return folder


@pytest.fixture(scope="module", params=[p.stem for p in DOCUMENTS])
def doc(request, out):
    document = Document(out, request.param)
    yield document
    document.pdf.close()


# --- the rules ----------------------------------------------------------------------------------

def test_one_document_root_of_allowed_types(doc):
    """A reader's tree starts at one Document; every /P names the real parent (a validator walks
    up by it); NonStruct, Part and unknown types tell the reader nothing."""
    top = kids(doc.root)
    assert [kind(k) for k in top] == ["Document"], f"StructTreeRoot /K: {[kind(k) for k in top]}"
    problems = []
    for element, parents in doc.elements:
        parent = parents[-1] if parents else doc.root
        if kind(element) not in ALLOWED:
            problems.append(f"/{kind(element)} under {kind(parent) if parents else 'root'}")
        if element.objgen == (0, 0):
            problems.append(f"{kind(element)} is a direct object")
        elif element.get("/P") is None or element.P.objgen != parent.objgen:
            problems.append(f"{kind(element)} {element.objgen}: /P is not its parent")
    twice = [g for g, n in Counter(e.objgen for e, _ in doc.elements).items() if n > 1 and g != (0, 0)]
    assert not twice, f"elements reached twice: {twice[:5]}"
    assert not problems, summary(problems)


def test_marked_content_and_parent_tree_agree(doc):
    """Each marked sequence belongs to exactly one element, and the ParentTree (how a reader goes
    from the page to the tree) says the same; it names no element outside the tree."""
    claims, objrs = defaultdict(list), defaultdict(list)
    for element, _ in doc.elements:
        for item in marked(element, doc.pages):
            claims[item].append(element)
        for kid in kids(element):
            if kind(kid) == "OBJR":
                objrs[kid.Obj.objgen].append(element)
    parent_tree = {int(k): v for k, v in tree_pairs(doc.root.get("/ParentTree", {}), "/Nums")}
    problems = [f"MCID {m} claimed with no page" for p, m in claims if p is None]
    for index, page in enumerate(doc.pdf.pages):
        mcids = content_mcids(page)
        problems += [f"page {index + 1}: MCID {m} used {n} times" for m, n in Counter(mcids).items() if n > 1]
        key = page.obj.get("/StructParents")
        row = parent_tree.get(int(key)) if key is not None else None
        for mcid in mcids:
            owners = claims.pop((index, mcid), [])
            if len(owners) != 1:
                problems.append(f"page {index + 1} MCID {mcid}: claimed by {len(owners)} elements")
            elif (row is None or mcid >= len(row) or not isinstance(row[mcid], pikepdf.Dictionary)
                  or row[mcid].objgen != owners[0].objgen):
                problems.append(f"page {index + 1} MCID {mcid}: ParentTree does not map it to its {kind(owners[0])}")
        for annot in page.obj.get("/Annots", []):
            if "/StructParent" in annot:
                owners = objrs.get(annot.objgen, [])
                mapped = parent_tree.get(int(annot.StructParent))
                if len(owners) != 1:
                    problems.append(f"page {index + 1} {annot.get('/Subtype')}: {len(owners)} OBJRs")
                elif not isinstance(mapped, pikepdf.Dictionary) or mapped.objgen != owners[0].objgen:
                    problems.append(f"page {index + 1} annotation: ParentTree key {annot.StructParent} is not its element")
    problems += [f"page {p + 1} MCID {m}: claimed by {kind(e[0])} but not in the content"
                 for (p, m), e in claims.items() if p is not None]
    reachable = {e.objgen for e, _ in doc.elements}
    for key, value in parent_tree.items():
        for element in value if isinstance(value, pikepdf.Array) else [value]:
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable:
                problems.append(f"ParentTree {key}: {kind(element)} not reachable from the root")
    assert not problems, summary(problems)


def test_headings_are_flat_and_counted(doc):
    """A heading inside a heading is read as one run-on title and lists twice in a heading
    navigator; each <h1>..<h6> of the document is one heading of its level."""
    nested = [f"{kind(e)} inside {[kind(p) for p in parents if kind(p) in HEADINGS]}"
              for e, parents in doc.elements if kind(e) in HEADINGS and any(kind(p) in HEADINGS for p in parents)]
    assert not nested, summary(nested)
    for level in sorted(HEADINGS):
        assert len(doc.of(level)) == len(list(doc.body.iter(level.lower()))), f"{level} count differs from the HTML"


def test_lists_are_well_formed_and_counted(doc):
    """A screen reader announces 'list of N items': L holds LI (label and body), a sub-list sits in
    its item's LBody, and a list crossing pages stays one list."""
    problems = []
    for element, parents in doc.elements:
        inside = [kind(k) for k in kids(element)]
        if kind(element) == "L":
            problems += [f"L has a {k}" for k in inside if k not in ("LI", "Caption")]
        elif kind(element) == "LI" and not re.fullmatch(r"(Lbl )?(LBody )+", "".join(k + " " for k in inside)):
            problems.append(f"LI holds {inside}, not a label then its body")
    assert not problems, summary(problems)
    lists = [e for e, parents in doc.elements if kind(e) == "L" and "TOC" not in map(kind, parents)]
    items = [sum(kind(k) == "LI" for k in kids(lst)) for lst in lists]
    assert items == html_list_items(doc.body), f"items per L {items}, per HTML list {html_list_items(doc.body)}"


def pdf_rows(table) -> list[list]:
    return [children(tr) for section in children(table) for tr in children(section) if kind(tr) == "TR"]


def test_tables_match_the_html(doc):
    """A reader moves by row and cell and hears each cell's header: the tables, rows, cells, header
    scope and spans are the HTML's."""
    tables, html_tables = doc.of("Table"), list(doc.body.iter("table"))
    assert len(tables) == len(html_tables), "Table count differs from the HTML"
    problems = []
    for number, (table, html_table) in enumerate(zip(tables, html_tables), start=1):
        for section in kids(table):
            if kind(section) not in {"Caption", "THead", "TBody", "TFoot"}:
                problems.append(f"table {number}: Table has a {kind(section)}")
            elif kind(section) != "Caption":
                problems += [f"table {number}: {kind(section)} has a {kind(k)}" for k in kids(section) if kind(k) != "TR"]
        rows, grid = pdf_rows(table), html_grid(html_table)
        if len(rows) != len(grid):
            problems.append(f"table {number}: {len(rows)} TR, the HTML has {len(grid)} <tr>")
            continue
        for r, (row, html_row) in enumerate(zip(rows, grid), start=1):
            if [kind(c) for c in row] != [c.tag.upper() for c, *_ in html_row]:
                problems.append(f"table {number} row {r}: {[kind(c) for c in row]}")
                continue
            for cell, (html_cell, _, _, in_head) in zip(row, html_row):
                a = table_attributes(cell)
                for key in ("ColSpan", "RowSpan"):
                    if int(a.get(f"/{key}", 1)) != int(html_cell.get(key.lower(), 1)):
                        problems.append(f"table {number} row {r}: /{key} {a.get(f'/{key}', 1)}")
                if kind(cell) == "TH" and ("/Scope" not in a or (in_head and a["/Scope"] != "/Column")):
                    problems.append(f"table {number} row {r}: TH /Scope {a.get('/Scope')}")
    assert not problems, summary(problems)


def test_ids_resolve_through_the_id_tree(doc):
    """Header associations name TH by /ID; a reader finds them only through the IDTree."""
    with_id = [e for e, _ in doc.elements if "/ID" in e]
    if not with_id:
        return
    assert "/IDTree" in doc.root, f"{len(with_id)} elements have /ID but there is no IDTree"
    names = [str(k) for k, _ in tree_pairs(doc.root.IDTree, "/Names")]
    assert len(names) == len(set(names)), "an ID is in the IDTree twice"
    ids = [str(e.ID) for e in with_id]
    assert len(ids) == len(set(ids)), "two elements share an /ID"
    tree = doc.ids()
    wrong = [i for e, i in zip(with_id, ids) if i not in tree or tree[i].objgen != e.objgen]
    assert not wrong, f"IDs not resolving to their element: {wrong[:8]}"


def test_data_cells_name_their_column_headers(doc):
    """In a table with a head, each TD's /Headers lists exactly the THs above its columns, so a
    reader hears 'Target Kinerja per Tahun, 2022: 61%'."""
    tree, problems = doc.ids(), []
    for number, (table, html_table) in enumerate(zip(doc.of("Table"), doc.body.iter("table")), start=1):
        if html_table.find("thead") is None:
            continue
        rows, grid = pdf_rows(table), html_grid(html_table)
        assert [[kind(c) for c in row] for row in rows] == [[c.tag.upper() for c, *_ in row] for row in grid], \
            f"table {number}: rows and cells differ from the HTML"
        heads = [(cell, first, last) for row, html_row in zip(rows, grid)
                 for cell, (_, first, last, in_head) in zip(row, html_row) if in_head and kind(cell) == "TH"]
        for r, (row, html_row) in enumerate(zip(rows, grid), start=1):
            for cell, (_, first, last, _) in zip(row, html_row):
                if kind(cell) != "TD":
                    continue
                named = [str(h) for h in table_attributes(cell).get("/Headers", [])]
                found = [tree[h].objgen if h in tree else h for h in named]
                expected = [h.objgen for h, f, l in heads if f <= last and l >= first]
                if len(found) != len(set(found)) or set(found) != set(expected):
                    problems.append(f"table {number} row {r} columns {first}-{last}: /Headers {named}")
    assert not problems, summary(problems)


def test_page_numbers_are_artifacts(doc):
    """The printed page number is running content: read aloud it interrupts the sentence that
    continues on the next page."""
    assert not doc.marked_footer, f"marked characters in the bottom margin (page, char): {doc.marked_footer[:10]}"


def test_repeated_table_heads_are_artifacts(doc):
    """A head row WeasyPrint repeats on a table's next page is a copy: as TH it would be a second
    header row in the middle of the table."""
    assert len(doc.of("TH")) == len(list(doc.body.iter("th"))), "TH count differs from the HTML's <th>"


def test_table_of_contents(doc):
    """The TOC is a TOC of one TOCI per entry, each with one link, and each link announces the
    entry's text, not an anchor name."""
    navs, tocs = doc.body.xpath(TOC_NAV), doc.of("TOC")
    if not navs:
        assert not tocs, "a TOC element but no table of contents in the HTML"
        return
    lists = navs[0].xpath(".//ol|.//ul")  # the DAFTAR ISI, and the DAFTAR TABEL when there are tables
    assert len(tocs) == len(lists), f"{len(tocs)} TOC elements for {len(lists)} lists"
    for toc, listing in zip(tocs, lists):
        entries = [squash(li.xpath("string(.//a)")) for li in listing.xpath("./li")]
        items = kids(toc)
        assert [kind(i) for i in items] == ["TOCI"] * len(entries), f"TOC kids: {[kind(i) for i in items]}"
        check_toc_items(doc, toc, items, entries)


def check_toc_items(doc, toc, items, entries):
    """Each TOCI reads its entry and holds one link; the list's pages carry one annotation per entry."""
    for item, entry in zip(items, entries):
        text = squash("".join(doc.text[m] for m in reading(item, doc.pages)))
        assert text.startswith(entry), f"TOCI reads {text[:40]!r}, expected the entry {entry!r}"
        assert sum(kind(e) == "Link" for e, _ in walk(item)) == 1, f"TOCI {entry!r}: not one Link"
    pages = {p for e, _ in walk(toc) for p, _ in marked(e, doc.pages)}
    links = [a for p in sorted(pages) for a in doc.pdf.pages[p].obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    # One annotation per line of an entry: an entry that wraps has one on each of its lines.
    contents = [squash(str(a.get("/Contents", ""))) for a in links]
    told = [max((e for e in entries if c.startswith(e)), key=len, default=c) for c in contents]
    assert set(told) == set(entries), f"link /Contents {contents[:6]}, entries {entries[:6]}"
    assert len(links) <= sum(len(e) // 40 + 1 for e in entries), f"{len(links)} link annotations"


def test_page_labels_are_the_printed_numbers(doc):
    """'Go to page 3' in a viewer must reach the page that prints 3."""
    assert "/PageLabels" in doc.pdf.Root, "no /PageLabels: the viewer shows 1, 2, 3 from the cover"
    labels = [page.label for page in doc.pdf.pages]
    wrong = [(i + 1, printed, label) for i, (printed, label) in enumerate(zip(doc.footers, labels))
             if printed and printed != label]
    assert not wrong, f"(page, printed, label): {wrong}"
    # WeasyPrint's named destination for main.isi's anchor: the body's first page.
    dests = {str(k): v for k, v in tree_pairs(doc.pdf.Root.get("/Names", {}).get("/Dests", {}), "/Names")}
    assert "isi" in dests, "no destination 'isi' to find the body's first page by"
    target = dests["isi"]
    first = doc.pages[(target.D if isinstance(target, pikepdf.Dictionary) else target)[0].objgen]
    assert labels[first] == "1", f"the first body page (page {first + 1}) is labelled {labels[first]!r}"
    front = [f for f in doc.footers[:first] if f]
    assert all(re.fullmatch(r"[ivxlcdm]+", f) for f in front), f"front matter prints {front}"
    repeats = [(i + 1, label) for i, label in enumerate(labels) if not doc.footers[i]
               and label in labels[:i] + labels[i + 1:]]
    assert not repeats, f"unnumbered pages whose label repeats another page's: {repeats}"


def test_attachments_are_listed_once(doc):
    """An archive validator lists the embedded source; listed twice it looks like two files."""
    af = [f.objgen for f in doc.pdf.Root.get("/AF", [])]
    assert len(af) == len(set(af)), f"catalog /AF holds an object twice: {af}"
    files = tree_pairs(doc.pdf.Root.Names.EmbeddedFiles, "/Names")
    names, specs = [str(k) for k, _ in files], [v.objgen for _, v in files]
    assert len(names) == len(set(names)) and len(specs) == len(set(specs)), f"EmbeddedFiles: {names}"


def test_reading_order_is_the_page_order(doc):
    """A screen reader reads the tree; its text must be the page's text in order, nothing lost,
    doubled or moved (whitespace aside). A list item's number is read where it stands, before its
    text. The terms of a term list (dt) are left out on both sides: WeasyPrint paints floats before
    the page's text, so their place in the content stream is no reading order; the list test
    checks that each label leads its item."""
    terms = {squash(dt.text_content()) for dt in doc.body.iter("dt")}
    labels = {m for e in doc.of("Lbl") if squash("".join(doc.text[m] for m in reading(e, doc.pages))) in terms
              for m in reading(e, doc.pages)}
    structure = squash("".join(doc.text[m] for m in reading(doc.root, doc.pages) if m not in labels))
    page = squash("".join(text for m, text in doc.marked_chars if m not in labels))
    if structure != page:
        i = next((i for i, (a, b) in enumerate(zip(structure, page)) if a != b), min(len(structure), len(page)))
        pytest.fail(f"differ at {i} of {len(page)}: structure ...{structure[max(0, i - 40):i + 40]!r}, "
                    f"pages ...{page[max(0, i - 40):i + 40]!r}")


def test_language_is_indonesian(doc):
    """The reader's voice is chosen by /Lang: Indonesian text in an English voice is unintelligible."""
    assert str(doc.pdf.Root.get("/Lang")) == "id"
