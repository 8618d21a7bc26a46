"""The book speaks to its readers: no chapter's prose mentions how the book was made.

A reader has no use for the project's issues, tickets, pull requests, reviews or
earlier prototypes, and a sentence such as "the issue this chapter was written for"
sends them looking for something they cannot see. The words below are the ones such
sentences use; none of them is needed to teach the material (a "review" of a method is
called a survey or a summary, a framework's "session" is not in the list because the
appendix must name TensorFlow 1's ``tf.Session``). Only Markdown is checked: code and
its output may contain any identifier.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))

MAKING_OF = re.compile(
    r"\b(issues?|tickets?|pull requests?|reviews?|reviewed|reviewers?|prototypes?|"
    r"earlier drafts?|first drafts?|TODO|FIXME)\b",
    re.IGNORECASE,
)


def making_of(markdown):
    """The phrases of ``markdown`` that talk about how the book was made."""
    return [m.group(0) for m in MAKING_OF.finditer(markdown)]


def test_the_pattern_catches_making_of_sentences():
    assert making_of("The issue this chapter was written for asked for SN.") == [
        "issue"
    ]
    assert making_of("An earlier prototype gained 14 %; a reviewer disagreed.") == [
        "prototype",
        "reviewer",
    ]
    assert making_of("Ticket 24 and pull request 7 fixed it. TODO: rerun.") == [
        "Ticket",
        "pull request",
        "TODO",
    ]
    assert making_of("Moveout, statics and the mute; a TensorFlow 1 session.") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_chapter_mentions_how_the_book_was_made(path):
    cells = json.loads(path.read_text())["cells"]
    found = {
        i: making_of("".join(c["source"]))
        for i, c in enumerate(cells)
        if c["cell_type"] == "markdown"
    }
    found = {i: words for i, words in found.items() if words}
    assert not found, (
        f"{path.name}: Markdown cells talk about the making of the book: {found}"
    )
