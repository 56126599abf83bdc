"""Reading the pages back: strict HTML5 parsing and the links and tags a test looks at."""

from __future__ import annotations

from collections import Counter
from xml.etree.ElementTree import Element

import html5lib


def parse(page: str) -> Element:
    """The page's tree; html5lib in strict mode raises on any HTML5 parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree: Element = parser.parse(page)
    ids = Counter(element.get("id") for element in tree.iter() if element.get("id"))
    assert [name for name, count in ids.items() if count > 1] == []
    return tree


def meta(tree: Element, key: str) -> str | None:
    """The content of `<meta property=key>` or `<meta name=key>`."""
    for element in tree.iter("meta"):
        if key in (element.get("property"), element.get("name")):
            return element.get("content")
    return None


def links(tree: Element) -> list[str]:
    """Every href and src on the page."""
    return [
        value
        for element in tree.iter()
        for value in (element.get("href"), element.get("src"))
        if value is not None
    ]


def text(tree: Element) -> str:
    """All the text of the body."""
    body = tree.find("body")
    assert body is not None
    return "".join(body.itertext())
