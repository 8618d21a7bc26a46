"""The landing page and the repository's front matter: one repository address,
no placeholders, a citation file, the licences as files and in the footer, and
a course map that its committed script still draws."""

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPO_URL = CONFIG["repository"]["url"]
SLUG = REPO_URL.removeprefix("https://github.com/")
FRONT = {
    name: (ROOT / name).read_text()
    for name in ("README.md", "CITATION.cff", "book/intro.md")
}


def test_repository_url_is_defined_once_and_used_by_the_landing_page():
    assert CONFIG["parse"]["myst_substitutions"]["repository"] == REPO_URL
    assert "{{ repository }}" in FRONT["book/intro.md"]


def test_front_matter_names_the_same_repository():
    owner, name = SLUG.split("/")
    for file, text in FRONT.items():
        for slug in re.findall(
            r"(?:github\.com|mybinder\.org/v2/gh)/([\w.-]+/[\w.-]+)", text
        ):
            assert slug == SLUG, f"{file} names {slug}, _config.yml says {SLUG}"
        for site in re.findall(r"https://([\w-]+)\.github\.io/([\w.-]+)", text):
            assert site == (owner, name), (
                f"{file}: Pages address {site} is not {SLUG}'s"
            )
    assert f"https://{owner}.github.io/{name}/" in FRONT["README.md"], (
        "README: where is the book published?"
    )


def test_no_placeholders_or_stray_dot_in_launch_urls():
    for file, text in FRONT.items():
        for bad in ("<this repository>", "<the clone>", "tree/./", "in preparation"):
            assert bad not in text, f"{file} still says {bad!r}"
    assert "path_to_book" not in CONFIG["repository"] or CONFIG["repository"][
        "path_to_book"
    ] not in (".", "./")


def test_citation_file():
    cff = yaml.safe_load(FRONT["CITATION.cff"])
    assert cff["cff-version"] == "1.2.0" and cff["title"] and cff["authors"]
    assert cff["repository-code"] == REPO_URL and cff["license"] == "MIT"
    assert (
        "## How to cite" in FRONT["book/intro.md"]
        and "CITATION.cff" in FRONT["book/intro.md"]
    )


def test_licences_are_files_and_in_the_footer():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert "CC BY 4.0" in (ROOT / "LICENSE-text").read_text()
    footer = CONFIG["html"]["extra_footer"]
    assert "MIT" in footer and "CC BY 4.0" in footer and "LICENSE-text" in footer


def test_course_map_is_what_its_script_draws(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import course_map
    finally:
        sys.path.pop(0)
    course_map.main(tmp_path / "map.svg")
    for name in ("course_map.svg", "course_map_narrow.svg"):  # the wide map; phones'
        assert (tmp_path / name.replace("course_map", "map")).read_bytes() == (
            ROOT / "book" / "images" / name
        ).read_bytes(), f"book/images/{name} is stale: run python tools/course_map.py"
    assert "images/course_map.svg" in FRONT["book/intro.md"]


def test_chapter_6b_is_listed_everywhere_a_reader_or_instructor_looks():
    # a chapter between 6 and 7 in _toc.yml, numbered "6b" (test_chapter_labels.py)
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    chapters = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    six = chapters.index("book/06_porosity")
    assert chapters.index("book/06b_design_and_uncertainty") == six + 1
    assert "{doc}`06b_design_and_uncertainty`" in FRONT["book/intro.md"]
    assert "book/06b_design_and_uncertainty.ipynb" in FRONT["README.md"]
    guide = (ROOT / "book" / "instructor_guide.md").read_text()
    assert (
        "{doc}`06b_design_and_uncertainty`" in guide and "<design-ex-peeking>" in guide
    )
    assert "### Chapter 6b," in (ROOT / "book" / "notation.md").read_text()
    assert "| 6b | `book/06b_design_and_uncertainty.ipynb`" in FRONT["README.md"]


# chapter, its notebook, the chapter before it in _toc.yml, one exercise label, its
# errata heading
CHAPTERS = [
    (8, "08_convolution", "07_reflectivity", "conv-ex-matrix", None),
    (
        9,
        "09_autoencoders",
        "08_convolution",
        "ae-ex-axes",
        "## Autoencoders (chapter 9)",
    ),
    (
        10,
        "10_gans",
        "09_autoencoders",
        "gan-ex-dstar",
        "## GANs on seismic data (chapter 10)",
    ),
    (11, "11_seismic_images", "10_gans", "images-ex-params", None),
    (12, "12_seismic_dreams", "11_seismic_images", "dreams-ex-bottleneck", None),
]


@pytest.mark.parametrize(
    "n, stem, previous, exercise, errata", CHAPTERS, ids=[c[1] for c in CHAPTERS]
)
def test_chapter_is_listed_everywhere_a_reader_or_instructor_looks(
    n, stem, previous, exercise, errata
):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    chapters = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    assert chapters.index(f"book/{stem}") == chapters.index(f"book/{previous}") + 1
    assert f"{{doc}}`{stem}`" in FRONT["book/intro.md"]
    assert f"| {n} | `book/{stem}.ipynb`" in FRONT["README.md"]
    assert "planned" not in FRONT["README.md"].split(f"| {n} |")[1].split("\n")[0]
    guide = (ROOT / "book" / "instructor_guide.md").read_text()
    assert f"{{doc}}`{stem}`" in guide and f"<{exercise}>" in guide
    assert f"`{stem}`" in guide.split("## Assignments")[1]
    assert f"### Chapter {n}," in (ROOT / "book" / "notation.md").read_text()
    if errata:
        assert errata in (ROOT / "book" / "errata.md").read_text()


def test_segmentation_of_seismic_images_points_to_chapter_11():
    # chapter 8's map of deep learning in Earth science, and the course map
    cells = json.loads((ROOT / "book" / "08_convolution.ipynb").read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    earth = next(s for s in sources if "(conv-map)=" in s)
    row = next(r for r in earth.splitlines() if r.startswith("| Segmentation |"))
    assert "{doc}`11_seismic_images`" in row and "faults" in row and "gather" in row
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import course_map
    finally:
        sys.path.pop(0)
    assert 11 in course_map.CHAPTERS and (8, 11) in course_map.BUILDS_ON


def markdown(stem):
    cells = json.loads((ROOT / "book" / f"{stem}.ipynb").read_text())["cells"]
    return "\n\n".join(
        "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
    )


def test_chapter_11_leads_on_to_chapter_12_which_exists():
    text = markdown("11_seismic_images")
    whats_next = text[text.index("## What's next") : text.index("## Exercises")]
    assert "{doc}`12_seismic_dreams`" in whats_next
    assert "last chapter" not in whats_next and "planned" not in whats_next
    assert markdown("12_seismic_dreams").startswith("# Seismic dreams")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import course_map
    finally:
        sys.path.pop(0)
    assert 12 in course_map.CHAPTERS
    assert {(9, 12), (10, 12), (11, 12)} <= set(course_map.BUILDS_ON)


def test_framework_appendix_is_listed_everywhere_and_never_numbered():
    # an appendix after the last numbered chapter: chapters added later keep their
    # numbers
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    parts = toc["parts"]
    where = [
        i
        for i, part in enumerate(parts)
        if "book/frameworks" in [ch["file"] for ch in part["chapters"]]
    ]
    assert len(where) == 1, "book/frameworks is listed once in _toc.yml"
    part = parts[where[0]]
    assert not part.get("numbered", False), (
        "the appendix must not take a chapter number"
    )
    assert all(p.get("numbered") for p in parts[: where[0]]), (
        "numbered chapters come before it"
    )
    assert not any(p.get("numbered") for p in parts[where[0] :])
    assert part["chapters"][0]["file"] == "book/frameworks", "first in its part"
    assert "{doc}`frameworks`" in FRONT["book/intro.md"]
    assert "| A | {doc}`frameworks` |" in FRONT["book/intro.md"]
    assert "`book/frameworks.ipynb`" in FRONT["README.md"]
    guide = (ROOT / "book" / "instructor_guide.md").read_text()
    assert "{doc}`frameworks`" in guide and "<fw-ex-hessian>" in guide
    assert (ROOT / "assignments" / "frameworks.ipynb").exists()
    assert (
        "### Appendix, from geonn to a framework"
        in (ROOT / "book" / "notation.md").read_text()
    )
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import course_map
    finally:
        sys.path.pop(0)
    assert "JAX and Keras" in course_map.APPENDIX[0]


def test_no_chapter_is_planned_any_more():
    assert (
        "planned" not in FRONT["README.md"] and "planned" not in FRONT["book/intro.md"]
    )
