"""The PDF's structure tree (its tags), made from the HTML's elements rather than from the pages.

WeasyPrint's own tagger makes a tree per page: a table or a list that crosses a page becomes two,
a table's repeated header row is read again as content, page numbers are tagged content that no
element holds, every anonymous box is one more element (an H1 inside an H1), and a sub-list sits
beside its item instead of inside it. A screen reader, and a PDF/A level-A check, read that tree.
This module makes the tree a reader expects: one element per HTML element, whatever the pages it
crosses; running content (page numbers, a repeated header row, a TOC's leader dots) marked as
artifact; table cells joined to their header cells through a real grid; one link per TOC entry.

WeasyPrint calls its tagger with the laid-out pages and the page streams while it writes the PDF;
that is the only moment at which each piece of marked content can still be traced back to the box,
and so to the HTML element, it was drawn from. pdf.py puts tag_structure in its place.
"""

from __future__ import annotations

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

# HTML element -> structure type. Elements not named here (html, body, main, and inline
# formatting: strong, em, span) add no element of their own: their content belongs to the
# nearest named ancestor, so a bold word stays inside its paragraph's text.
STRUCTURE_TYPES = {
    "section": "Sect", "nav": "Sect", "header": "Div", "div": "Div", "p": "P",
    "h1": "H1", "h2": "H2", "h3": "H3", "h4": "H4", "h5": "H5", "h6": "H6",
    "ol": "L", "ul": "L", "dl": "L", "li": "LI", "dt": "LI",
    "table": "Table", "caption": "Caption", "thead": "THead", "tbody": "TBody", "tfoot": "TFoot",
    "tr": "TR", "th": "TH", "td": "TD", "img": "Figure", "a": "Link",
}
# The table of contents: its list and entries are TOC and TOCI instead of L and LI.
TOC_CLASS = "daftar-isi"
# Parts of a table that WeasyPrint draws again on every page the table reaches.
REPEATED_PARTS = ("thead", "tfoot")
# Artifact kinds (ISO 32000-1, 14.8.2.2.2): page numbers and repeated rows are pagination,
# generated decoration (leader dots) is layout.
PAGINATION = pydyf.Dictionary({"Type": "/Pagination"})
LAYOUT = pydyf.Dictionary({"Type": "/Layout"})


def tag_structure(pdf, document, pdf_version, page_streams):
    """WeasyPrint's add_tags, replaced: the same arguments, the tree made by StructureTree."""
    tree = StructureTree(pdf)
    for number, (page, stream) in enumerate(zip(document.pages, page_streams)):
        tree.add_page(number, page._page_box, stream)
    tree.finish()


class Node:
    """One structure element being built: its dictionary in the PDF and its kids in order."""

    def __init__(self, pdf, kind: str, parent: Node | None):
        self.kind = kind
        self.kids: list = []  # Node, ("mcid", page index, mcid) or ("objr", annotation, page index)
        self.page = None
        self.key = None  # the HTML element it stands for
        self.identifier = ""  # a header cell's ID, which data cells name in their Headers
        self.attributes = pydyf.Dictionary()
        self.dictionary = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{kind}"})
        pdf.add_object(self.dictionary)
        if parent is not None:
            self.dictionary["P"] = parent.dictionary.reference
            parent.kids.append(self)


class StructureTree:
    """Builds the tree page by page, keyed by HTML element, then writes it into the PDF."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.pages = pdf.page_references  # a property that builds its list anew on each call
        root = pydyf.Dictionary({"Type": "/StructTreeRoot"})
        pdf.add_object(root)
        self.root = root
        self.document = Node(pdf, "Document", None)
        self.document.dictionary["P"] = root.reference
        self.nodes: dict[tuple, Node] = {}  # (element, role) -> Node
        self.first_page_of: dict = {}  # element of a repeated table part -> first page drawn on
        self.page_mcids: list[dict[int, Node]] = []  # per page: MCID -> element holding it
        self.links: list[tuple] = []  # (Node, annotation, page index), in order
        self.link_kept: dict[tuple, list] = {}  # (a element, page) -> annotations kept there
        self.page_number = 0
        self.parents: dict = {}  # HTML element -> its parent element
        self.terms: dict = {}  # description (dd) -> the term (dt) it describes

    # -- walking the pages -------------------------------------------------------------------

    def add_page(self, number: int, page_box, stream) -> None:
        self.page_number = number
        self.page_reference = self.pages[number]
        self.mcids: dict[int, Node] = {}
        self.artifacts: set[int] = set()
        self.page_mcids.append(self.mcids)
        self.stream = stream
        # Where each MCID's property list sits in the content, to rewrite it as an artifact.
        self.marks = {item["MCID"]: index for index, item in enumerate(stream.stream)
                      if isinstance(item, pydyf.Dictionary) and "MCID" in item}
        self._walk(page_box, artifact=None)
        for box, mark in stream._tags.items():
            if mark["mcid"] not in self.mcids and mark["mcid"] not in self.artifacts:
                # Drawn from a box this walk did not reach: kept as text of the document, so
                # that no word is hidden from a reader (the structure tests would show where).
                self.document.kids.append(("mcid", number, mark["mcid"]))
                self.mcids[mark["mcid"]] = self.document

    def _walk(self, box, artifact) -> None:
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        element, role = box.element, _role(box)
        if element is not None and element not in self.parents:
            # The HTML root, first met at the top of a page: WeasyPrint's elements (ElementTree)
            # do not know their parents. A joined layout has two roots (front matter, body).
            self.parents.update((child, parent) for parent in element.iter() for child in parent)
            self.parents.setdefault(element, None)
        if artifact is None:
            if isinstance(box, boxes.MarginBox) or (element is None and not isinstance(box, boxes.PageBox)):
                artifact = PAGINATION  # running content: the page number in the margin
            elif role in ("before", "after"):
                artifact = LAYOUT  # generated by the stylesheet (leader dots), not the document's words
            elif element is not None and element.tag in REPEATED_PARTS:
                first = self.first_page_of.setdefault(element, self.page_number)
                if first != self.page_number:
                    artifact = PAGINATION  # the header row drawn again on a later page
        if element is not None and getattr(box, "link_annotation", None) is not None:
            self._link(box, element)
        if artifact is None and element is not None:
            self._element(element, role)  # an empty cell or paragraph is an element too
        if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) and box in self.stream._tags:
            mcid = self.stream._tags[box]["mcid"]
            if artifact is not None:
                self._make_artifact(mcid, artifact)
            else:
                holder = self.container(element, role)
                holder.kids.append(("mcid", self.page_number, mcid))
                self.mcids[mcid] = holder
                if isinstance(box, boxes.ReplacedBox) and holder.kind == "Figure":
                    _figure_box(holder, box)
        for child in getattr(box, "children", ()):
            self._walk(child, artifact)

    def _make_artifact(self, mcid: int, kind) -> None:
        """Rewrite '/Span <</MCID n>> BDC' in the page's content as '/Artifact <<...>> BDC'."""
        index = self.marks[mcid]
        self.stream.stream[index - 1] = "/Artifact"
        self.stream.stream[index] = kind
        self.artifacts.add(mcid)

    def _link(self, box, element) -> None:
        """One Link element per <a>: a box split in pieces on one line (the text, its ::after
        leader) gets one annotation, the first, which already covers the line."""
        annotation = box.link_annotation
        while element.tag != "a":  # the <a> a box belongs to (its leader is drawn by the <a> too)
            element = self.parents[element]
        link = self.container(element, None)
        kept = self.link_kept.setdefault((element, self.page_number), [])
        if any(_covers(other["Rect"], annotation["Rect"]) for other in kept):
            self._drop_annotation(annotation)
            return
        kept.append(annotation)
        annotation["Contents"] = pydyf.String(_words(element))
        link.kids.append(("objr", annotation, self.page_number))
        self.links.append((link, annotation, self.page_number))

    def _drop_annotation(self, annotation) -> None:
        page = self.pdf.objects[int(self.page_reference.split()[0])]
        page["Annots"] = pydyf.Array(
            reference for reference in page["Annots"] if reference != annotation.reference)
        if not page["Annots"]:
            del page["Annots"]
        annotation.clear()  # left unreferenced: an empty dictionary, no longer an annotation

    # -- elements ------------------------------------------------------------------------------

    def _element(self, element, role) -> None:
        """Make the element a box belongs to, before any of its content: a list item's LI
        before its label and body, so that the label comes first."""
        if role != "marker" and element.tag in ("li", "dt", "dd"):
            self._item(element)
        elif role == "marker" or _kind(element) is not None:
            self.container(element, role)

    def container(self, element, role) -> Node:
        """The element that holds what a box of this HTML element draws."""
        if role == "marker":
            return self._node((element, "Lbl"), "Lbl", lambda: self._item(element))
        if element.tag in ("li", "dd"):
            return self._body(element)
        if element.tag == "dt":
            return self._node((element, "Lbl"), "Lbl", lambda: self._item(element))
        kind = _kind(element)
        if kind is None:
            parent = self.parents[element]
            return self.document if parent is None else self.container(parent, None)
        return self._node((element, None), kind, lambda: self._parent_of(element))

    def _parent_of(self, element) -> Node:
        parent = self.parents[element]
        return self.document if parent is None else self.container(parent, None)

    def _item(self, element) -> Node:
        """The LI of a list item; a term (dt) and the description (dd) after it are one item."""
        if element.tag == "dd":
            element = self._term_of(element)
        kind = "TOCI" if _kind(self.parents[element]) == "TOC" else "LI"
        return self._node((element, "LI"), kind, lambda: self._parent_of(element))

    def _term_of(self, description):
        """The term (dt) a description (dd) belongs to: the last one before it, or itself."""
        if description not in self.terms:
            term = None
            for sibling in self.parents[description]:  # once per list, however long it is
                if sibling.tag == "dt":
                    term = sibling
                elif sibling.tag == "dd":
                    self.terms[sibling] = term if term is not None else sibling
        return self.terms[description]

    def _body(self, element) -> Node:
        item = self._item(element)
        if item.kind == "TOCI":
            return item  # an entry holds its link and page number directly
        return self._node((item.key, "LBody"), "LBody", lambda: item)

    def _node(self, key, kind, parent) -> Node:
        node = self.nodes.get(key)
        if node is None:
            node = Node(self.pdf, kind, parent())
            node.key = key[0]
            node.page = self.page_number
            self.nodes[key] = node
            if kind in ("TH", "TD"):
                node.attributes["O"] = "/Table"
            if kind == "Figure" and key[0].get("alt"):
                node.dictionary["Alt"] = pydyf.String(key[0].get("alt"))
            if key[0].get("lang"):
                node.dictionary["Lang"] = pydyf.String(key[0].get("lang"))
        return node

    # -- writing -------------------------------------------------------------------------------

    def finish(self) -> None:
        self._table_headers()
        self._write(self.document)
        self.root["K"] = pydyf.Array([self.document.dictionary.reference])
        parent_tree = pydyf.Array()
        for number, mcids in enumerate(self.page_mcids):
            references = [b"null"] * (max(mcids) + 1 if mcids else 0)
            for mcid, node in mcids.items():
                references[mcid] = node.dictionary.reference
            parent_tree.extend([number, pydyf.Array(references)])
        for key, (node, annotation, _) in enumerate(self.links, start=len(self.page_mcids)):
            annotation["StructParent"] = key
            parent_tree.extend([key, node.dictionary.reference])
        parent_tree_dictionary = pydyf.Dictionary({"Nums": parent_tree})
        self.pdf.add_object(parent_tree_dictionary)
        self.root["ParentTree"] = parent_tree_dictionary.reference
        self.root["ParentTreeNextKey"] = len(self.page_mcids) + len(self.links)
        # The IDs the Headers name, found through a name tree whose keys must be in order.
        headers = sorted((node for node in self.nodes.values() if node.identifier),
                         key=lambda node: node.identifier)
        if headers:
            names = pydyf.Array()
            for node in headers:
                names.extend([node.dictionary["ID"], node.dictionary.reference])
            self.root["IDTree"] = pydyf.Dictionary({"Names": names})
        catalog = self.pdf.catalog
        catalog["StructTreeRoot"] = self.root.reference
        catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
        catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})

    def _write(self, node: Node) -> None:
        kids = pydyf.Array()
        node.dictionary["Pg"] = self.pages[node.page or 0]
        for kid in node.kids:
            if isinstance(kid, Node):
                self._write(kid)
                kids.append(kid.dictionary.reference)
            elif kid[0] == "mcid":
                _, page, mcid = kid
                if page == (node.page or 0):
                    kids.append(mcid)
                else:
                    kids.append(pydyf.Dictionary({
                        "Type": "/MCR", "Pg": self.pages[page], "MCID": mcid}))
            else:
                _, annotation, page = kid
                reference = pydyf.Dictionary({
                    "Type": "/OBJR", "Obj": annotation.reference, "Pg": self.pages[page]})
                kids.append(reference)
        node.dictionary["K"] = kids
        if node.attributes:
            node.dictionary["A"] = node.attributes

    def _table_headers(self) -> None:
        """Scope on every header cell; on every data cell, the header cells over its columns
        (and the row headers beside its rows), found on the table's grid of merged cells."""
        tables = [key for key in self.nodes if key[1] is None and key[0].tag == "table"]
        for number, (table, _) in enumerate(tables, start=1):
            column_headers: dict[int, list] = {}
            row_headers: dict[int, list] = {}
            cells = []
            for row, column, element in _grid(table):
                node = self.nodes.get((element, None))
                if node is None:
                    continue
                width = int(element.get("colspan", 1) or 1)
                height = int(element.get("rowspan", 1) or 1)
                if width > 1:
                    node.attributes["ColSpan"] = width
                if height > 1:
                    node.attributes["RowSpan"] = height
                if element.tag == "th":
                    node.identifier = f"tabel{number:03d}-b{row:04d}-k{column:03d}"
                    identifier = node.dictionary["ID"] = pydyf.String(node.identifier)
                    by_row = element.get("scope") == "row"
                    node.attributes["Scope"] = "/Row" if by_row else "/Column"
                    spans = range(row, row + height) if by_row else range(column, column + width)
                    for index in spans:
                        (row_headers if by_row else column_headers).setdefault(index, []).append(identifier)
                else:
                    cells.append((node, row, column, width, height))
            for node, row, column, width, height in cells:
                headers = [h for r in range(row, row + height) for h in row_headers.get(r, ())]
                headers += [h for c in range(column, column + width) for h in column_headers.get(c, ())]
                if headers:
                    node.attributes["Headers"] = pydyf.Array(dict.fromkeys(headers))


def _grid(table):
    """(row, column, cell) for each cell of an HTML table, columns counted past merged cells."""
    taken: set[tuple[int, int]] = set()
    rows = [tr for part in table if part.tag in ("thead", "tbody", "tfoot") for tr in part if tr.tag == "tr"]
    rows += [tr for tr in table if tr.tag == "tr"]
    for row, tr in enumerate(rows):
        column = 0
        for cell in tr:
            if cell.tag not in ("th", "td"):
                continue
            while (row, column) in taken:
                column += 1
            width = int(cell.get("colspan", 1) or 1)
            height = int(cell.get("rowspan", 1) or 1)
            for r in range(row, row + height):
                for c in range(column, column + width):
                    taken.add((r, c))
            yield row, column, cell
            column += width


def _role(box) -> str | None:
    """The pseudo-element a box draws ('marker', 'before', 'after'), or None."""
    tag = box.element_tag or ""
    if tag == "li::before":
        return "marker"  # a list item's number: print.css draws it as ::before, to place it as Word does
    return tag.split("::", 1)[1] if "::" in tag else None


def _kind(element) -> str | None:
    if not isinstance(element.tag, str):
        return None
    if element.tag in ("ol", "ul") and TOC_CLASS in (element.get("class") or "").split():
        return "TOC"
    if element.tag in ("strong", "em", "span", "b", "i") and element.get("lang"):
        return "Span"
    return STRUCTURE_TYPES.get(element.tag)




def _words(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _covers(outer, inner) -> bool:
    """Whether an annotation rectangle holds another (both [x1 y1 x2 y2], any corner order)."""
    ox1, ox2 = sorted((outer[0], outer[2]))
    oy1, oy2 = sorted((outer[1], outer[3]))
    ix1, ix2 = sorted((inner[0], inner[2]))
    iy1, iy2 = sorted((inner[1], inner[3]))
    return ox1 <= ix1 + 0.01 and ix2 <= ox2 + 0.01 and oy1 <= iy1 + 0.01 and iy2 <= oy2 + 0.01


def _figure_box(node: Node, box) -> None:
    """The image's place on its page, which PDF/UA asks of a Figure."""
    if "BBox" not in node.attributes:
        x1, y1 = box.content_box_x(), box.content_box_y()
        node.attributes["O"] = "/Layout"
        node.attributes["BBox"] = pydyf.Array((x1, y1, x1 + box.width, y1 + box.height))
