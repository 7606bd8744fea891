#!/usr/bin/env python3
"""Check the built documentation site's internal links.

Usage: site-links.py SITE_DIR SOURCE_DIR

Fails (exit 1, one line per problem) when a link or anchor inside the site leads nowhere, when a
page cannot be reached by following links from index.html, or when a Markdown file of
SOURCE_DIR is not listed in its SUMMARY.md (mdBook would leave it out of the site). Links to
other sites are not followed.
"""

import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urlsplit


class Page(HTMLParser):
    """The ids and the link targets of one HTML page."""

    def __init__(self):
        super().__init__()
        self.ids = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for attr in ("href", "src"):
            if a.get(attr) and not (tag == "link" and a.get("rel") == "canonical"):
                self.links.append(a[attr])


def read_pages(site):
    pages = {}
    for dirpath, _, files in os.walk(site):
        for f in files:
            if f.endswith(".html"):
                path = os.path.join(dirpath, f)
                p = Page()
                with open(path, encoding="utf-8") as fh:
                    p.feed(fh.read())
                pages[os.path.relpath(path, site)] = p
    return pages


def resolve(site, page, link):
    """The site-relative file and anchor a link points to, or None when it leaves the site."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("//"):
        return None
    path, anchor = urldefrag(link)
    if not path:
        return page, unquote(anchor)
    target = os.path.normpath(os.path.join(os.path.dirname(page), unquote(path)))
    if target.startswith(".."):
        return target, ""
    if os.path.isdir(os.path.join(site, target)):
        target = os.path.join(target, "index.html")
    return target, unquote(anchor)


def check_links(site, pages):
    problems, edges = [], {name: set() for name in pages}
    skip = ("print.html", "404.html")
    for name, page in pages.items():
        if name in skip:
            continue
        for link in page.links:
            r = resolve(site, name, link)
            if r is None:
                continue
            target, anchor = r
            if not os.path.isfile(os.path.join(site, target)):
                problems.append(f"{name}: dead link {link}")
                continue
            if target in pages:
                edges[name].add(target)
                if anchor and anchor not in pages[target].ids:
                    problems.append(f"{name}: no anchor #{anchor} in {target} ({link})")
    return problems, edges


def unreachable(pages, edges, start="index.html"):
    seen, todo = {start}, [start]
    while todo:
        for t in edges.get(todo.pop(), ()):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return sorted(p for p in pages if p not in seen and p not in ("print.html", "404.html", "toc.html"))


def unlisted(source):
    with open(os.path.join(source, "SUMMARY.md"), encoding="utf-8") as fh:
        summary = fh.read()
    out = []
    for dirpath, _, files in os.walk(source):
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), source).replace(os.sep, "/")
            if f.endswith(".md") and f != "SUMMARY.md" and f"({rel})" not in summary:
                out.append(f"{source}/{rel}: not in SUMMARY.md (add a line for it)")
    return out


def main():
    site, source = sys.argv[1], sys.argv[2]
    pages = read_pages(site)
    if "index.html" not in pages:
        print(f"{site}: no index.html")
        return 1
    problems, edges = check_links(site, pages)
    # Reachability follows the table of contents as readers without JavaScript get it.
    if "toc.html" in pages:
        edges["index.html"] |= {t for t in edges.get("toc.html", ())}
    problems += [f"{p}: not reachable from index.html" for p in unreachable(pages, edges)]
    problems += unlisted(source)
    for p in problems:
        print(p)
    print(f"{len(pages)} pages, {sum(len(p.links) for p in pages.values())} links checked, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
