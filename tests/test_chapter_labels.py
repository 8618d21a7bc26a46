"""Chapter 6b has one name: the local extension _ext/chapter_labels.py numbers it "6b".

A fixture book of four chapters (one of them labelled "2b"), built with the extension,
shows the label in the sidebar, the headings, the figure captions, the exercise and
equation numbers and the {numref} links from another chapter, and the chapter after it
keeps its number. The book's own table of contents lists 06b at the top level with the
label configured; after a build (`jupyter-book build .`), its pages are checked too
(skipped when _build/html does not exist).
"""

import base64
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CH6B = "book/06b_design_and_uncertainty"
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
PNG = base64.b64decode(  # one white pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4"
    "AAAAAElFTkSuQmCC"
)


def text(html):
    """The visible text of an HTML fragment, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def sidebar(html):
    """The text of each top-level entry of the sidebar's table of contents."""
    nav = html.split('class="bd-links bd-docs-nav"', 1)[1].split("</nav>", 1)[0]
    entries = re.findall(r'<li class="toctree-l1[^"]*">(.*?)</a>', nav, re.S)
    return [text(entry) for entry in entries]


def headings(html):
    """The text of the page's own headings (those with a permalink), in order."""
    return [
        text(h)
        for h in re.findall(r"<h[1-4]>(.*?)</h[1-4]>", html, re.S)
        if "headerlink" in h
    ]


def captions(html, kind="Figure"):
    """The numbers of the page's figures (or exercises: kind="Exercise"), in order."""
    numbers = re.findall(r'<span class="caption-number">(.*?)</span>', html, re.S)
    found = [text(c) for c in numbers]
    return [c for c in found if c.startswith(kind)]


FIXTURE = {
    "intro.md": "# Intro\n\nA book.\n",
    "one.md": "# One\n\n## Pointers\n\nSee {numref}`fig-b`, {numref}`sec-b`, "
    "{numref}`Chapter %s <two-b>`, {ref}`ex-b` and {numref}`fig-three`.\n",
    "two.md": "# Two\n\n## Only\n\nText.\n",
    "two_b.md": "(two-b)=\n# Two b\n\n(sec-b)=\n## First\n\n### Inner\n\n"
    "```{figure} px.png\n:name: fig-b\n\nA caption.\n```\n\n"
    "```{math}\n:label: eq-b\na = b\n```\n\n"
    ":::{exercise} Try\n:label: ex-b\n\nDo it.\n:::\n",
    "three.md": "# Three\n\n## Last\n\n"
    "```{figure} px.png\n:name: fig-three\n\nCaption.\n```\n",
    "appendix.md": "# Appendix\n\n"
    "```{figure} px.png\n:name: fig-app\n\nUnnumbered chapter.\n```\n",
}


@pytest.fixture(scope="module")
def fixture_book(tmp_path_factory):
    book = tmp_path_factory.mktemp("labels")
    for name, source in FIXTURE.items():
        (book / name).write_text(source)
    (book / "px.png").write_bytes(PNG)
    config = {
        "title": "Labels",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "sphinx": {
            "local_extensions": {"chapter_labels": str(ROOT / "_ext")},
            "extra_extensions": ["sphinx_exercise"],
            "config": {
                "chapter_labels": {"two_b": "2b"},
                "numfig_format": {"figure": "Figure %s", "section": "Section %s"},
            },
        },
    }
    toc = {
        "format": "jb-book",
        "root": "intro",
        "parts": [
            {
                "caption": "First",
                "numbered": True,
                "chapters": [{"file": "one"}, {"file": "two"}],
            },
            {
                "caption": "Second",
                "numbered": True,
                "chapters": [{"file": "two_b"}, {"file": "three"}],
            },
            {"caption": "Appendices", "chapters": [{"file": "appendix"}]},
        ],
    }
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    (book / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    run = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "-W", "--keep-going"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = book / "_build" / "html"
    return {"_root": str(book)} | {p.stem: p.read_text() for p in out.glob("*.html")}


def test_the_label_replaces_the_number_everywhere(fixture_book):
    page = fixture_book["two_b"]
    assert headings(page)[:3] == ["2b. Two b #", "2b.1. First #", "2b.1.1. Inner #"]
    assert captions(page) == ["Figure 2b.1"]
    assert captions(page, "Exercise") == ["Exercise 2b.1"]
    assert "(2b.1)" in text(page)  # the equation's number


def test_the_sidebar_lists_the_labelled_chapter_at_the_top_level(fixture_book):
    for name in ("intro", "one", "three", "appendix"):
        assert sidebar(fixture_book[name]) == [
            "Intro",
            "1. One",
            "2. Two",
            "2b. Two b",
            "3. Three",
            "Appendix",
        ], name


def test_later_chapters_keep_their_numbers(fixture_book):
    assert headings(fixture_book["three"])[:2] == ["3. Three #", "3.1. Last #"]
    assert captions(fixture_book["three"]) == ["Figure 3.1"]
    assert captions(fixture_book["appendix"]) == ["Figure 1"]  # unnumbered: left alone
    assert "previous 2b. Two b" in text(fixture_book["three"])  # previous-page link
    assert "<title>2b. Two b &#8212;" in fixture_book["two_b"]


def test_links_from_another_chapter_carry_the_label(fixture_book):
    links = text(fixture_book["one"])
    for expected in (
        "Figure 2b.1",
        "Section 2b.1",
        "Chapter 2b",
        "Exercise 2b.1",
        "Figure 3.1",
    ):
        assert expected in links


def test_a_single_page_builds_without_numbers(fixture_book, tmp_path):
    # `jupyter-book build page.md` reads the same _config.yml but has no table of
    # contents: nothing is numbered, so nothing is relabelled
    book = Path(fixture_book["_root"])
    command = [
        str(JUPYTER_BOOK),
        "build",
        str(book / "two_b.md"),
        "-W",
        "--path-output",
        str(tmp_path),
    ]
    run = subprocess.run(command, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    page = (tmp_path / "_build" / "_page" / "two_b" / "html" / "two_b.html").read_text()
    assert headings(page)[:2] == ["Two b #", "First #"]


def test_the_book_lists_6b_as_a_chapter_labelled_6b():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    chapters = [
        ch["file"]
        for part in toc["parts"]
        if part.get("numbered")
        for ch in part["chapters"]
    ]
    assert chapters.index(CH6B) == chapters.index("book/06_porosity") + 1
    assert chapters.index("book/07_reflectivity") == chapters.index(CH6B) + 1
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]
    assert config["config"]["chapter_labels"] == {CH6B: "6b"}
    assert "chapter_labels" in config["config"]["extensions"]


def built(page):
    path = HTML / page
    if not path.is_file():
        pytest.skip(
            f"no {path.relative_to(ROOT)}: build the book first (jupyter-book build .)"
        )
    return path.read_text()


def test_the_built_book_names_6b_everywhere():
    page = built(CH6B + ".html")
    assert headings(page)[0].startswith("6b. Designing and trusting a network")
    assert all(h.startswith("6b.") for h in headings(page)[1:])
    assert "6b.5.1. The bias–variance picture #" in headings(page)
    figures = captions(page)
    assert figures == [f"Figure 6b.{i}" for i in range(1, len(figures) + 1)] and figures
    assert captions(page, "Exercise") == [f"Exercise 6b.{i}" for i in (1, 2, 3)]
    assert not re.search(r"\b6\.1[0-4]\b", text(page))
    for other in ("book/01_neurons.html", "book/10_gans.html", "genindex.html"):
        entries = sidebar(built(other))
        six = entries.index("6. Porosity from acoustic impedance")
        assert entries[six + 1] == "6b. Designing and trusting a network", other
        assert entries[six + 2].startswith("7. "), other
        ten = next(i for i, e in enumerate(entries) if e.startswith("10. "))
        assert entries[ten + 1].startswith("11. "), other  # the count goes on after 6b
        assert entries[ten + 2].startswith("12. "), other
    assert headings(built("book/07_reflectivity.html"))[0].startswith("7. ")
    eleven = built("book/11_seismic_images.html")
    assert headings(eleven)[0].startswith("11. ")
    assert all(h.startswith("11.") for h in headings(eleven)[1:])
    twelve = built("book/12_seismic_dreams.html")
    assert headings(twelve)[0].startswith("12. Seismic dreams")
    assert all(h.startswith("12.") for h in headings(twelve)[1:])
    assert captions(built("book/07_reflectivity.html"))[0] == "Figure 7.1"
    links = text(built("book/06_porosity.html"))
    assert "Chapter 6b" in links and "6.14" not in links
