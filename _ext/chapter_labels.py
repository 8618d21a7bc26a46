"""Sphinx extension: a chapter named by a label ("6b") instead of the next number.

Jupyter Book 1 numbers the top-level entries of ``_toc.yml`` 1, 2, 3, ... (the
``sphinx_multitoc_numbering`` extension continues the count across parts), so a
chapter placed between chapters 6 and 7 would become 7 and push 7-10 to 8-11.
With ``chapter_labels = {"book/06b_design_and_uncertainty": "6b"}`` in the Sphinx
config, the listed chapter keeps its place in the sidebar but is numbered "6b"
(headings 6b, 6b.1, 6b.2.1, figures and tables 6b.1, ..., exercises and equations
likewise), and every chapter after it keeps the number it would have without it.

How: Sphinx stores the numbers as tuples (``(7, 2)`` is section 7.2) in
``env.toc_secnumbers`` (headings, sidebar entries, ``{numref}`` to sections),
``env.toc_fignumbers`` (figures, tables, code, equations, and sphinx-exercise's
exercises, which it reads from there), ``env.titles`` (previous/next links) and the
``secnumber`` of the references in ``env.tocs`` (the sidebar). The toctree collector
assigns all of them on the ``env-get-updated`` event; this handler runs after it
(priority 900 > the default 500) and rewrites the leading chapter number of each:
a labelled chapter's number becomes its label, a later chapter's number drops by one
per labelled chapter before it. Every writer joins the parts with
``'.'.join(map(str, number))``, so a string part prints as it is.
"""

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

__all__ = ["setup"]


def _chapter_map(env, labels):
    """{number Sphinx gave a chapter: number or label it should show}."""
    given = {}
    for docname, label in labels.items():
        number = env.toc_secnumbers.get(docname, {}).get("")
        if number:
            given[number[0]] = label
        elif any(env.toc_secnumbers.values()):  # (not in a single-page build)
            logger.warning(
                f"chapter_labels: {docname!r} is not a numbered chapter of "
                "the table of contents (list it at the top level of a "
                "numbered part)"
            )
    chapters = {
        n[0] for secnums in env.toc_secnumbers.values() for n in secnums.values() if n
    }
    return {
        c: given[c] if c in given else c - sum(g < c for g in given)
        for c in chapters
        if isinstance(c, int)
    }


def _renumber(number, chapters):
    """``number`` (a tuple or list, or None) with its leading part replaced."""
    if not number or number[0] not in chapters:
        return number
    return type(number)([chapters[number[0]], *number[1:]])


def relabel_chapters(app, env):
    """env-get-updated handler: rewrite every stored chapter number (see the module)."""
    labels = app.config.chapter_labels
    if not labels:
        return []
    chapters = _chapter_map(env, labels)
    if not chapters:
        return []
    for docname, secnums in env.toc_secnumbers.items():
        if not secnums.get(""):
            continue  # an unnumbered page
        for anchor, number in secnums.items():
            secnums[anchor] = _renumber(number, chapters)
        for reference in env.tocs[docname].findall(nodes.reference):
            if reference.get("secnumber"):
                reference["secnumber"] = _renumber(reference["secnumber"], chapters)
        title = env.titles.get(docname)
        if title is not None and title.get("secnumber"):
            title["secnumber"] = _renumber(title["secnumber"], chapters)
        # figure numbers of a numbered page start with its chapter (numfig_secnum_depth
        # 1); an unnumbered page's figures are counted 1, 2, ... and are left alone
        for by_id in env.toc_fignumbers.get(docname, {}).values():
            for figure_id, number in by_id.items():
                by_id[figure_id] = _renumber(number, chapters)
    return []


def setup(app):
    app.add_config_value("chapter_labels", {}, "env", types=[dict])
    app.connect("env-get-updated", relabel_chapters, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
