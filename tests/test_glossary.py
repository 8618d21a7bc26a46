"""The glossary (book/glossary.md) and the {term} links to it.

Every {term} role in the book's Markdown (the notebooks' Markdown cells and the .md
pages) names an entry of the glossary, every entry is linked from at least one
chapter, each chapter links a term at most once (at its first use), and the
glossary page is listed in _toc.yml. After a build (`jupyter-book build .`), the
index page lists the glossary's terms (skipped when _build/html does not exist).
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
GLOSSARY = BOOK / "glossary.md"
TERM = re.compile(r"\{term\}`([^`]+)`")


def glossary_terms(text):
    """The terms of the ```{glossary} block of ``text``, as written."""
    block = re.search(r"^```\{glossary\}\n(.*?)^```$", text, re.S | re.M)
    assert block, "no ```{glossary} block"
    return [
        line.strip()
        for line in block.group(1).splitlines()
        if line.strip() and not line[0].isspace() and not line.startswith(":")
    ]


def target(role_text):
    """The glossary term a {term} role points to: `text <term>` or `term`."""
    m = re.fullmatch(r"(.*?)\s*<([^<>]+)>", role_text, re.S)
    return (m.group(2) if m else role_text).strip().lower()


def markdown_pages():
    """{page: its Markdown}, for the notebooks' Markdown cells and the .md pages."""
    pages = {p.name: p.read_text() for p in BOOK.glob("*.md")}
    for nb in BOOK.glob("*.ipynb"):
        cells = json.loads(nb.read_text())["cells"]
        pages[nb.name] = "\n\n".join(
            "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
        )
    return pages


def test_the_matchers():
    assert target("first breaks <first break>") == "first break"
    assert target("Adam") == "adam"
    text = "```{glossary}\n:sorted:\n\nmute\n  Zero a part.\n\nAVO\n  Amplitude.\n```\n"
    assert glossary_terms(text) == ["mute", "AVO"]


def test_every_term_link_has_an_entry_and_every_entry_a_link():
    terms = glossary_terms(GLOSSARY.read_text())
    assert len(terms) == len({t.lower() for t in terms}), "a term is defined twice"
    defined = {t.lower() for t in terms}
    used = Counter()
    for page, text in markdown_pages().items():
        for role in TERM.findall(text):
            assert target(role) in defined, f"{page}: no glossary entry for {role!r}"
            used[target(role)] += 1
    unused = sorted(defined - set(used))
    assert not unused, f"glossary entries no chapter links to: {unused}"


@pytest.mark.parametrize("notebook", sorted(BOOK.glob("*.ipynb")), ids=lambda p: p.stem)
def test_a_chapter_links_each_term_once(notebook):
    text = markdown_pages()[notebook.name]
    links = Counter(target(role) for role in TERM.findall(text))
    twice = [term for term, n in links.items() if n > 1]
    assert not twice, f"{notebook.name} links these terms more than once: {twice}"


def test_the_glossary_is_in_the_table_of_contents():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    assert "book/glossary" in files


def test_the_built_index_lists_the_terms():
    index = ROOT / "_build" / "html" / "genindex.html"
    if not index.is_file():
        pytest.skip(
            "no _build/html/genindex.html: build the book first (jupyter-book build .)"
        )
    html = index.read_text()
    entry = r'<a href="book/glossary\.html#term-[^"]*">(?:<strong>)?([^<]+)'
    listed = {re.sub(r"\s+", " ", t).strip().lower() for t in re.findall(entry, html)}
    terms = glossary_terms(GLOSSARY.read_text())
    missing = [t for t in terms if t.lower() not in listed]
    assert not missing, f"genindex.html does not list: {missing}"
