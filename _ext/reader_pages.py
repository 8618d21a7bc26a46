"""Sphinx extension: the built pages as a reader on a phone or a slow link needs them.

- **Figures keep their shape.** IPython stores a retina figure's 1x size in the
  output's metadata; myst-nb passes it on and Sphinx writes it as an inline style
  ``width: 761px; height: 351px``, so the theme's ``img {max-width: 100%}`` narrows a
  figure on a phone and keeps its height. Written as ``width``/``height``
  attributes instead, ``height: auto`` in ``_static/book.css`` keeps the aspect ratio
  and the browser still reserves the figure's space before it loads.
- **Images load lazily**, all but a page's first (``loading="lazy"``).
- **A phone variant of an SVG figure.** ``images/NAME.svg`` with a sibling
  ``images/NAME_narrow.svg`` is shown as a ``<picture>`` that switches to the narrow
  drawing on screens up to ``NARROW`` wide (the course map, ``tools/course_map.py``).
- **Unique ids.** sphinx-exercise gives the body of every exercise and solution the id
  ``exercise-content`` or ``solution-content``; each becomes its admonition's id plus
  ``-content``.
- **Only the MathJax that pages load.** sphinx-mathjax-offline copies all of MathJax
  (24 MB) into ``_static/mathjax``; ``SHIPPED`` is what pages use, see ``ship_mathjax``.
"""

import re
import shutil
from pathlib import Path

from docutils import nodes

__all__ = ["setup", "ship_mathjax", "SHIPPED"]

NARROW = "(max-width: 576px)"  # as the phone rules in _static/book.css
SIZE_STYLE = re.compile(r' style="width: ([\d.]+)px; height: ([\d.]+)px;"')
# relative to _static/mathjax: the component the pages load (Sphinx's mathjax_path),
# the TeX fonts, the TeX packages its autoload fetches for a macro (\boldsymbol,
# \cancel, ...), and what the MathJax menu's accessibility options fetch in English
# (explorer, speech, collapsible math). Not shipped: the other combined components, the
# SVG renderer, the speech rules of other languages.
SHIPPED = (
    "tex-chtml.js",
    "output/chtml/fonts/woff-v2/*.woff",
    "input/tex/extensions/**/*.js",
    "input/mml.js",
    "a11y/*.js",
    "sre/mathmaps/base.json",
    "sre/mathmaps/en.json",
    "sre/mathmaps/nemeth.json",
)


def unique_content_ids(app, doctree, docname):
    """doctree-resolved: ``exercise-content`` -> ``<its exercise's id>-content``."""
    for section in doctree.findall(nodes.section):
        if section["ids"] in (["exercise-content"], ["solution-content"]):
            owner = section.parent["ids"]
            section["ids"] = [f"{owner[0]}-content"] if owner else []


def rewrite_body(app, pagename, templatename, context, doctree):
    """html-page-context: figure sizes as attributes, lazy images, phone variants."""
    body = context.get("body")
    if not body:
        return
    body = SIZE_STYLE.sub(
        lambda m: ' width="{}" height="{}"'.format(
            *(round(float(v)) for v in m.groups())
        ),
        body,
    )
    first = body.find("<img ")
    body = body[: first + 5] + body[first + 5 :].replace(
        "<img ", '<img loading="lazy" '
    )
    for source, name in getattr(app.builder, "images", {}).items():
        narrow = Path(app.srcdir, source)
        narrow = narrow.with_name(narrow.stem + "_narrow.svg")
        if source.endswith(".svg") and narrow.is_file():
            target = Path(name).stem + "_narrow.svg"
            # pages are written before Sphinx copies the images: on a fresh build the
            # image folder does not exist yet
            images = Path(app.outdir, app.builder.imagedir)
            images.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(narrow, images / target)
            body = re.sub(
                rf'<img [^>]*src="([^"]*){re.escape(name)}"[^>]*>',
                lambda m: (
                    f'<picture><source media="{NARROW}" '
                    f'srcset="{m[1]}{target}">{m[0]}</picture>'
                ),
                body,
            )
    context["body"] = body


def ship_mathjax(mathjax):
    """Delete every file of the MathJax directory ``mathjax`` that ``SHIPPED`` omits."""
    mathjax = Path(mathjax)
    keep = {p for pattern in SHIPPED for p in mathjax.glob(pattern)}
    for path in sorted(mathjax.rglob("*"), reverse=True):  # files before their folders
        if path.is_file() and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def prune_mathjax(app, exception):
    """build-finished, after sphinx-mathjax-offline's copy (priority 900 > 500)."""
    mathjax = Path(app.outdir, "_static", "mathjax")
    if exception is None and mathjax.is_dir():
        ship_mathjax(mathjax)


def setup(app):
    app.connect("doctree-resolved", unique_content_ids)
    app.connect("html-page-context", rewrite_body)
    app.connect("build-finished", prune_mathjax, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
