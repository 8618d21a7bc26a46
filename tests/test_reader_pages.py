"""_ext/reader_pages.py on a fresh build: the phone variant of a figure is copied into
an image folder Sphinx has not made yet (pages are written before images are copied)."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location(
    "reader_pages", ROOT / "_ext" / "reader_pages.py"
)
reader_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reader_pages)


def test_phone_variant_is_copied_on_a_fresh_build(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    (src / "images").mkdir(parents=True)
    (src / "images" / "map.svg").write_text("<svg/>")
    (src / "images" / "map_narrow.svg").write_text("<svg id='narrow'/>")
    app = SimpleNamespace(
        srcdir=str(src),
        outdir=str(out),  # no _images folder yet
        builder=SimpleNamespace(
            images={"images/map.svg": "map.svg"}, imagedir="_images"
        ),
    )
    body = (
        '<p><img alt="map" src="../_images/map.svg" style="width: 10px; height: 5px;"/>'
    )
    context = {"body": body}
    reader_pages.rewrite_body(app, "intro", "page.html", context, None)
    assert (out / "_images" / "map_narrow.svg").read_text() == "<svg id='narrow'/>"
    assert (
        '<source media="(max-width: 576px)" srcset="../_images/map_narrow.svg">'
        in (context["body"])
    )
    assert 'width="10" height="5"' in context["body"]
