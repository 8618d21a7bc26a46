"""What a reader's browser shows: every page of the built book in headless Chromium,
offline.

``make test`` builds ``_build/html`` first, then runs this file (see the
Makefile). Per page, at 1400 px and 400 px (``tests/_browser.py``): no console
error or failed request, every image loaded, every internal link and anchor
resolves, MathJax typeset everything with no error and no raw TeX left,
nothing wider than the text column, no horizontal scroll on a phone, solutions
hidden until clicked and holding executed code, output never shown without its code,
and a well-formed Binder launch URL for the page's own notebook; no id used twice; at
both widths, every figure at its own aspect ratio, no equation cut off, no value broken
from its interval over two lines, and the course map's text at reading size
(phones get a narrow map). The fixture pages at the end show that each check fails when
it should.

Without Chromium the test skips with the install command, except under CI
(``CI`` set), where it fails.
"""

import os
import shutil
import sys
import time
from pathlib import Path

import _browser
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def driver():
    found = _browser.find_browser()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs headless Chromium: " + _browser.INSTALL_HINT)
        pytest.skip(_browser.INSTALL_HINT)
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail("selenium is not installed: pip install -r requirements.txt")
    d = _browser.start_driver(*found)
    yield d
    d.quit()


def book_notebooks():
    """{page path: notebook path} for the chapters in _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [
        f
        for part in toc["parts"]
        for c in part["chapters"]
        for f in [c["file"]] + [s["file"] for s in c.get("sections", [])]
    ]
    return {
        f + ".html": f + ".ipynb" for f in files if (ROOT / (f + ".ipynb")).is_file()
    }


def repository():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    return config["url"].removeprefix("https://github.com/").strip("/"), config.get(
        "branch", "main"
    )


def test_every_page_of_the_book(driver, capsys):
    if not (HTML / "index.html").is_file():
        pytest.fail(
            "no built book in _build/html: run `make book` first (make test does)"
        )
    repo, branch = repository()
    server = _browser.Server(HTML)
    start = time.perf_counter()
    try:
        with capsys.disabled():
            print()
            result = _browser.crawl(
                driver,
                server,
                HTML,
                notebooks=book_notebooks(),
                repo=repo,
                branch=branch,
            )
            print(f"{len(result)} pages checked in {time.perf_counter() - start:.1f} s")
    finally:
        server.close()
    missing = set(book_notebooks()) - set(result)
    assert not missing, (
        f"chapters not reachable from the landing page: {sorted(missing)}"
    )
    bad = {p: probs for p, probs in result.items() if probs}
    assert not bad, "\n".join(
        f"{p}:\n  " + "\n  ".join(probs) for p, probs in bad.items()
    )


# What the MathJax menu's accessibility options fetch on demand: components
# _ext/reader_pages.py must ship, though no page loads them by itself.
A11Y_JS = """
const done = arguments[arguments.length - 1];
const menu = MathJax.startup.document.menu.menu;
['explorer', 'collapsible'].forEach(option => menu.pool.lookup(option).setValue(true));
const wanted = ['a11y/explorer.js', 'a11y/complexity.js', 'sre/mathmaps/en.json'];
const t0 = Date.now();
(function poll() {
  const got = performance.getEntriesByType('resource').map(e => e.name);
  const missing = wanted.filter(w => !got.some(name => name.endsWith('/mathjax/' + w)));
  if (!missing.length || Date.now() - t0 > 20000) return done(missing);
  setTimeout(poll, 100);
})();
"""


def test_mathjax_accessibility_options_work_offline(driver):
    """The explorer, speech and collapsible math of MathJax's menu, on a chapter."""
    if not (HTML / "index.html").is_file():
        pytest.fail(
            "no built book in _build/html: run `make book` first (make test does)"
        )
    server = _browser.Server(HTML)
    try:
        driver.get(server.url + "book/03_backprop.html")
        assert driver.execute_async_script(_browser.SETTLE_JS) == "ok"
        missing = driver.execute_async_script(A11Y_JS)
    finally:
        server.close()
    assert not server.failed, f"MathJax files missing from the build: {server.failed}"
    assert not missing, f"never loaded: {missing}"


def test_figures_keep_their_shape_and_load_lazily():
    """Notebook figures have a width and height, not a fixed inline size (which the
    theme squashes on a phone); every image after a page's first loads lazily."""
    import re

    if not (HTML / "index.html").is_file():
        pytest.fail(
            "no built book in _build/html: run `make book` first (make test does)"
        )
    for page in sorted(HTML.glob("book/*.html")):
        article = page.read_text().split('<article class="bd-article">', 1)[-1]
        images = re.findall(r"<img [^>]*>", article)
        assert not [i for i in images if re.search(r'style="[^"]*height:', i)], (
            page.name
        )
        assert all('loading="lazy"' in i for i in images[1:]), page.name


# ---------------------------------------------------------------- fixture pages
# A page shaped like the book's: Sphinx's MathJax set-up, served from _static/.
MATHJAX_CONFIG = (
    "<style>img { max-width: 100%; }</style>\n"  # as the theme does
    '<script>window.MathJax = {"options": {"processHtmlClass": '
    '"tex2jax_process|mathjax_process|math|output_area"}}</script>\n'
    '<script defer src="_static/mathjax/tex-chtml.js"></script>'
)
# A long inline equation with pydata-sphinx-theme's style (it hides what overflows)
# and the book's fix (it scrolls); a figure with its phone variant (the course map).
THEME_MATH = "display: inline-flex; max-width: 100%; overflow: hidden"
LONG_SUM = " + ".join(f"w_{i} x_{i}" for i in range(1, 10)) + " + b = 5{,}251"
LONG_MATH = (
    '<span class="math notranslate nohighlight" style="{}; overflow-x: auto">'
    "\\({}\\)</span>"
).format(THEME_MATH, LONG_SUM)
PHONE_SOURCE = '<source media="(max-width: 576px)" srcset="map_narrow.svg">'
MAP = f'<figure><picture>{PHONE_SOURCE}<img src="map.svg" alt="map"></picture></figure>'
GOOD_BODY = r"""<article class="bd-article" style="max-width: 772px">
<h1 id="top">Title</h1>
<p>Inline <span class="math notranslate nohighlight">\(a = \sigma(z)\)</span>.</p>
<p>A long one scrolls: __LONG_MATH__.</p>
__MAP__
<div class="math notranslate nohighlight">\[z = W a + b\]</div>
<p><a href="#top">back to the top</a></p>
<div class="solution dropdown admonition" id="good-solution"><p class="admonition-title"
onclick="this.nextElementSibling.style.display = 'block'">Solution</p><section
style="display: none">
<div class="cell tag_solution"><div class="cell_input"><pre>print(332)</pre></div>
<div class="cell_output"><div
class="output stream"><pre>332</pre></div></div></div></section></div>
</article>""".replace("__LONG_MATH__", LONG_MATH).replace("__MAP__", MAP)

SIZED_FIGURE = '<img src="wide.png" alt="figure" style="width: 1500px; height: 100px;">'
BROKEN = {
    "raw TeX in the text": GOOD_BODY.replace(
        '<a href="#top">back to the top</a>',
        r'<a href="#top"><span class="std std-ref">\partial L/\partial b_4: -0.13 or '
        r"-0.32?</span></a>",
    ),
    "wider than the": GOOD_BODY.replace(
        r"z = W a + b",
        " + ".join(
            rf"\frac{{\partial L}}{{\partial \lambda_{{{i}}}}}" for i in range(40)
        ),
    ),
    "image not loaded": GOOD_BODY + '<img src="missing.png" alt="a figure">',
    "failed request": GOOD_BODY + '<img src="missing.png" alt="a figure">',
    "console": GOOD_BODY + "<script>undefined_function();</script>",
    "console: net::ERR_NAME_NOT_RESOLVED": GOOD_BODY
    + '<script src="https://cdn.example.org/lib.js"></script>',
    "MathJax error nodes": GOOD_BODY.replace(r"z = W a + b", r"z = \left( W a + b"),
    "broken anchor": GOOD_BODY.replace('href="#top"', 'href="#nowhere"'),
    "broken link": GOOD_BODY.replace('href="#top"', 'href="nowhere.html"'),
    "horizontal page scroll": GOOD_BODY + '<div style="width: 900px">wide</div>',
    "solution": GOOD_BODY
    + (
        '<div class="solution admonition"><p class="admonition-title">Solution</p>'
        "<p>always visible</p></div>"
    ),
    # the old, never executed form: a Markdown code fence in a closed dropdown
    "solution: holds no executed code cell": GOOD_BODY.replace(
        "</article>",
        (
            '<div class="solution dropdown admonition" id="fenced">'
            '<p class="admonition-title" onclick='
            "\"this.nextElementSibling.style.display = 'block'\">Solution</p>"
            '<section style="display: none">'
            '<div class="highlight-python notranslate"><pre>print(332)</pre></div>'
            "</section></div></article>"
        ),
    ),
    "output shown without its code": GOOD_BODY
    + (
        '<div class="cell tag_remove-input">'
        '<div class="cell_output docutils container">'
        '<div class="output stream highlight-myst-ansi"><pre>Check passed</pre></div>'
        "</div></div>"
    ),
    "figure shrunk": GOOD_BODY.replace(
        "</article>",
        (
            '<div class="cell"><div class="cell_output">'
            '<img src="wide.png" alt="a wide figure"></div></div>'
            "</article>"
        ),
    ),
    # a notebook figure sized as myst-nb writes it, in a column narrower than it
    "figure squashed at 400 px": GOOD_BODY + SIZED_FIGURE,
    "figure squashed at 1400 px": GOOD_BODY + SIZED_FIGURE,
    "math cut off at 400 px": GOOD_BODY.replace("; overflow-x: auto", ""),
    "value and interval broken over lines at 400 px": GOOD_BODY.replace(
        "</article>",
        (
            "<table><tr><th>W1</th>"
            + "<td>0.019 [0.010, 0.021]</td>" * 4
            + "</tr></table>"
            "</article>"
        ),
    ),
    "figure text shrunk at 400 px": GOOD_BODY.replace(PHONE_SOURCE, ""),
    "duplicate id": GOOD_BODY + '<section id="exercise-content"></section>' * 2,
    # a MathJax component that _ext/reader_pages.py does not ship, loaded on demand (the
    # menu's SVG renderer)
    "failed request: /_static/mathjax/output/svg.js": GOOD_BODY
    + (
        "<script>MathJax.startup = {pageReady: () => MathJax.startup.defaultPageReady()"
        ".then(() => MathJax.startup.document.menu.menu.pool.lookup('renderer')"
        ".setValue('SVG'))}</script>"
    ),
    "Binder URL": GOOD_BODY
    + (
        '<a href="https://mybinder.org/v2/gh/nn-subsurface/nn-subsurface/main'
        '?urlpath=lab/tree/./book/page.ipynb">launch</a>'
    ),
}


def reader_pages():
    """The book's Sphinx extension _ext/reader_pages.py, as a module."""
    sys.path.insert(0, str(ROOT / "_ext"))
    try:
        import reader_pages
    finally:
        sys.path.pop(0)
    return reader_pages


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    shutil.copytree(
        Path(spec.origin).parent / "static" / "mathjax", site / "_static" / "mathjax"
    )
    reader_pages().ship_mathjax(site / "_static" / "mathjax")  # what the book ships
    # a map drawn 720 px wide with 10 pt text, and its phone variant 336 px wide
    for name, width in (("map.svg", 540), ("map_narrow.svg", 252)):
        (site / name).write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="100pt" '
            f'viewBox="0 0 {width} 100"><text y="50" font-size="10">1.</text></svg>'
        )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<link rel='icon' href='data:,'>{}</head><body>{}</body></html>"
    )
    (site / "index.html").write_text(page.format(MATHJAX_CONFIG, GOOD_BODY))
    # a 1500 px figure (15 inches at 100 dpi), shown in the 772 px column
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(15, 1), dpi=100)
    fig.savefig(site / "wide.png")
    plt.close(fig)
    for i, body in enumerate(BROKEN.values()):
        (site / f"broken{i}.html").write_text(page.format(MATHJAX_CONFIG, body))
    server = _browser.Server(site)
    yield site, server
    server.close()


def fixture_problems(driver, fixture_site, name, notebook=None):
    site, server = fixture_site
    try:
        return _browser.crawl(
            driver,
            server,
            site,
            start=name,
            notebooks={name: notebook} if notebook else None,
            repo="nn-subsurface/nn-subsurface",
            report=lambda line: None,
        )[name]
    finally:
        # MathJax keeps its menu settings in localStorage: a fixture that switches the
        # renderer to SVG (not shipped) would otherwise hang every later fixture page
        driver.execute_script("localStorage.clear(); sessionStorage.clear();")


def test_a_good_fixture_page_passes(driver, fixture_site):
    assert fixture_problems(driver, fixture_site, "index.html") == []


@pytest.mark.parametrize("expected", list(BROKEN))
def test_each_check_fails_on_a_broken_page(driver, fixture_site, expected):
    name = f"broken{list(BROKEN).index(expected)}.html"
    notebook = "book/page.ipynb" if expected == "Binder URL" else None
    problems = fixture_problems(driver, fixture_site, name, notebook)
    prefix, _, detail = expected.partition(": ")
    assert any(p.startswith(prefix) and detail in p for p in problems), problems


def test_chapters_and_their_exercises_are_numbered_appendices_are_not():
    """_toc.yml numbers the chapter parts (continuously, across parts) and not
    the appendices; exercises and figures then read "Exercise 7.1", "Figure 6.3"."""
    import re

    if not (HTML / "index.html").is_file():
        pytest.fail(
            "no built book in _build/html: run `make book` first (make test does)"
        )
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    # a chapter named by a label ("6b", _ext/chapter_labels.py) does not take a number
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    labels = config["sphinx"]["config"]["chapter_labels"]
    n = 0
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            html = (HTML / (chapter["file"] + ".html")).read_text()
            number = re.search(r'<h1><span class="section-number">(\w+)\. ', html)
            if part.get("numbered"):
                n += chapter["file"] not in labels
                name = labels.get(chapter["file"], str(n))
                assert number and number[1] == name, f"{chapter['file']} is not {name}"
                captions = r'caption-number">(?:Exercise|Figure|Table) ([\w.]+)'
                for label in re.findall(captions, html):
                    assert label.split(".")[0] == name, (
                        f"{chapter['file']}: {label} is not numbered {name}.k"
                    )
            else:
                assert number is None, (
                    f"appendix {chapter['file']} is numbered as a chapter"
                )
