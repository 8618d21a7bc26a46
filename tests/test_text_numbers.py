"""Every number a chapter's prose states is printed by that chapter.

A reader who reruns a chapter must find each result the text quotes in what the
code prints, so the prose cannot drift from the outputs. Per chapter, every
*checked* number in the Markdown cells must be *supported*.

Checked numbers (after dropping what is not prose, see ``prose``):
- every decimal (``0.0087``, ``3.9``), every number in scientific notation
  (``1.1e-10``, ``$5 \\times 10^{-3}$``, ``$10^{-6}$``);
- every number followed by a unit of measurement (``%``, ``ms``, ``s``, ``Hz``,
  ``kHz``, ``dB``, ``m``, ``km``, ``m/s``, ``km/s``), integers included.
Plain integers (3 hidden nodes, 1,000 epochs, seeds 0 to 9) are counts and
set-up choices the code shows; they are not checked.

Supported by (in this order):
1. a number in a stored output of the chapter (stream, text/plain, text/html,
   text/markdown), at the text's precision: a written value ``v`` is supported by
   a printed ``x`` when ``|x - v|`` is at most half a unit of the last digit
   written (``0.0087`` by a printed ``0.00871``, ``5 \\times 10^{-3}`` by
   ``4.9e-03``; ``0.0087`` is NOT supported by a printed ``0.009``, which is less
   precise than the text). Signs are ignored: prose writes "falls by 0.3" for a
   printed -0.3, and a dash before a number is often a range.
   A percentage ``8.7 %`` is also supported by the fraction ``0.087`` (at the
   matching precision), and a duration ``3.9 ms`` by ``0.0039`` (seconds).
2. a numeric literal in the chapter's code cells: set-up values the reader sees
   being set (``Adam(0.01)``, ``f_peak = 25``), not results.
3. the context: a number after "Section", "Figure", "Table", "Exercise",
   "Equation", "Chapter" (and their abbreviations) is a cross-reference; a
   version number (``1.2.1``) is not a measurement.
4. ``ALLOWED`` below: per chapter, each entry with the reason it cannot be
   printed (a constant quoted from a source, a number in a definition).

What is not prose: code fences and inline code (role targets such as
{numref}`fig-ch1-inside` and {cite:p}`key` included), directive option lines
(``:width: 80%``), URLs and link targets, HTML tags, and LaTeX sub- and
superscripts (``\\lambda_{2,5}``, ``u^2``) apart from powers of ten.
The test prints how many numbers it checked per chapter.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))  # the chapters and the appendix

# per chapter stem: {number as written in the text: why it need not be printed}
ALLOWED = {
    "02_activations": {
        "1e-3": "arithmetic written in the same formula, 4^{-5} ≈ 10^{-3}"
    },
    "03_backprop": {
        "1e9": "arithmetic in the sentence: 2P/3 for P = a billion parameters"
    },
    "07_reflectivity": {
        "0.0005": "arithmetic in the sentence: η/2 for the tutorial's η = 0.001"
    },
}

UNITS = r"(?:%|ms|s|Hz|kHz|dB|m|km|m/s|km/s)"
SPACE = r"(?:\s|\\,|\\;|\\ |~|\u2009|\u202f|\u00a0)*"
NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+"
# a number in the text: not part of a word, an identifier or a version number
TEXT_NUMBER = re.compile(
    rf"(?<![\w.\\])(?P<num>{NUM})(?:e(?P<exp>[-\u2212]?\d+))?(?![\w.]\d|\.\d)"
    rf"(?P<unit>{SPACE}{UNITS}(?![\w/]))?"
)
REFERENCE = re.compile(
    r"(?:section|sections|§|figure|figures|fig\.|table|tables|exercise|exercises|"
    r"equation|equations|eq\.|chapter|chapters|part|step)\s*$",
    re.I,
)
PRINTED = re.compile(r"(?<![\w.])(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def prose(markdown):
    """The Markdown with everything that is not prose removed (see the module
    docstring)."""
    text = re.sub(
        r"^(```+|~~~+)(?!\{math\}).*?^\1[ \t]*$", " ", markdown, flags=re.S | re.M
    )
    text = re.sub(r"^(```+)\{math\}.*?$|^```+[ \t]*$", " ", text, flags=re.M)
    text = re.sub(r"`[^`]*`", " ", text)  # inline code, role targets
    text = re.sub(r"^:[\w-]+:.*$", " ", text, flags=re.M)  # directive options
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    # HTML tags: a name, then attributes or the end; "$j<l$ ... $a > b$" is no tag
    text = re.sub(r"</?[A-Za-z][\w-]*(?:\s[^<>\n]*)?/?>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"https?://\S+", " ", text)
    # powers of ten first: 5 \times 10^{-3} -> 5e-3, 10^{-6} -> 1e-6
    text = re.sub(
        r"(\d+(?:\.\d+)?)\s*\\(?:times|cdot)\s*10\^\{?([-\u2212]?\d+)\}?",
        r"\1e\2",
        text,
    )
    text = re.sub(r"(?<![\d.])10\^\{?([-\u2212]?\d+)\}?", r"1e\1", text)
    text = re.sub(r"[_^]\{[^{}]*\}|[_^]\\?\w", " ", text)  # other sub/superscripts
    text = re.sub(r"\\(?:label|tag|ref|eqref|cite\w*)\{[^}]*\}", " ", text)
    return text


def text_numbers(markdown):
    """[(as written, value, half a unit of its last digit, unit)] of the checked
    numbers."""
    out = []
    text = prose(markdown)
    for m in TEXT_NUMBER.finditer(text):
        num, exp, unit = (
            m["num"],
            m["exp"],
            (m["unit"] or "").strip(" \\,;~\u2009\u202f\u00a0"),
        )
        if not ("." in num or exp or unit):
            continue
        if REFERENCE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        digits = num.replace(",", "")
        decimals = len(digits.partition(".")[2])
        e = int(exp.replace("\u2212", "-")) if exp else 0
        value = float(digits) * 10.0**e
        out.append((m.group(0).strip(), value, 0.5 * 10.0 ** (e - decimals), unit))
    return out


def _output_text(cell):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            yield "".join(o["text"])
        for mime in ("text/plain", "text/html", "text/markdown", "text/latex"):
            data = o.get("data", {}).get(mime)
            if data:
                yield "".join(data)


def _numbers(text):
    return {abs(float(t)) for t in PRINTED.findall(text)}


def chapter_sources(path):
    """(Markdown, printed numbers, code literals) of a chapter notebook."""
    cells = json.loads(path.read_text())["cells"]
    markdown = "\n\n".join(
        "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
    )
    printed, literals = set(), set()
    for c in cells:
        if c["cell_type"] == "code":
            for t in _output_text(c):
                printed |= _numbers(t)
            code = re.sub(r"#.*", "", "".join(c["source"]))  # not the comments
            literals |= _numbers(code)
    return markdown, sorted(printed), literals


def supported(value, half, unit, printed, literals):
    """True when a printed number (or a code literal) agrees with the text's value."""
    candidates = [(value, half)]
    if unit == "%":
        candidates.append((value / 100, half / 100))
    if unit == "ms":
        candidates.append((value / 1000, half / 1000))
    for v, h in candidates:
        if v in literals:
            return True
        tol = h * (1 + 1e-9) + 1e-15
        lo, hi = v - tol, v + tol
        # printed is sorted: bisect for any printed number within [lo, hi]
        import bisect

        i = bisect.bisect_left(printed, lo)
        if i < len(printed) and printed[i] <= hi:
            return True
    return False


def unsupported(path):
    markdown, printed, literals = chapter_sources(path)
    allowed = ALLOWED.get(path.stem, {})
    checked = text_numbers(markdown)
    missing = [
        written
        for written, value, half, unit in checked
        if written not in allowed
        and not supported(value, half, unit, printed, literals)
    ]
    return checked, missing


def test_the_matcher():
    nums = text_numbers(
        r"MSE $5 \times 10^{-3}$ and $10^{-6}$, 8.7 %, 3.9 ms, "
        r"$\lambda_{2,5} = 0.0198$, `Dense(3, 8)` 1.2.1, Figure 6.3, "
        r"{numref}`fig-ch1-x` 25 Hz, 1,000 epochs, 0.0076–0.0081"
    )
    written = [n[0] for n in nums]
    assert written == [
        "5e-3",
        "1e-6",
        "8.7 %",
        "3.9 ms",
        "0.0198",
        "25 Hz",
        "0.0076",
        "0.0081",
    ]
    printed = sorted({0.00871, 4.9e-3, 0.087, 0.0039})
    assert supported(0.0087, 0.00005, "", printed, set())
    assert not supported(0.0087, 0.00005, "", [0.009], set())  # printed less precisely
    assert supported(5e-3, 0.5e-3, "", printed, set())
    assert supported(8.7, 0.05, "%", printed, set())
    assert supported(3.9, 0.05, "ms", printed, set())
    assert supported(25, 0.5, "Hz", [], {25.0})  # set in the code
    assert not supported(0.0198, 0.00005, "", printed, set())
    # a "<" in an equation is not the start of an HTML tag that swallows the prose up
    # to the next ">": the numbers in between are still checked
    assert [
        n[0] for n in text_numbers(r"$\prod_{j<l}$ gains 2.5 dB; then $a > b$")
    ] == ["2.5 dB"]
    assert text_numbers('<img src="x.png" width="80%"> 4.2 ms')[0][0] == "4.2 ms"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_number_in_the_text_is_printed(path, capsys):
    checked, missing = unsupported(path)
    with capsys.disabled():
        print(
            f"\n{path.stem}: {len(checked)} numbers checked, {len(missing)} not printed"
        )
    assert not missing, (
        f"{path.name}: numbers in the text that no output prints: {missing}"
    )
