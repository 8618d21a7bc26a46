"""Every file in data/ is described in data/README.md, by its path under data/ or by a
pattern such as `ch9_encoder_seed<seed>.npz` or `ch12/seed<seed>/ae.npz` (<seed>
standing for any number), and every file the README names exists (a pattern: at least
once)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
README = (DATA / "README.md").read_text()
# the names in backticks that look like files of data/
# (a path with a folder names a file of data/ when data/ has that folder; the README
# also names tools and tests, elsewhere in the repository)
NAMED = {
    n
    for n in re.findall(r"`([\w<>./-]+\.(?:csv|npy|npz|py))`", README)
    if "/" not in n or (DATA / n.split("/")[0]).is_dir()
}
# every file of data/, as its path under data/
FILES = sorted(
    f.relative_to(DATA).as_posix()
    for f in DATA.rglob("*")
    if f.is_file() and f.name != "README.md" and "__pycache__" not in f.parts
)


def pattern(name):
    return re.compile(re.escape(name).replace(re.escape("<seed>"), r"\d+") + r"\Z")


def test_every_data_file_is_described():
    missing = [f for f in FILES if not any(pattern(n).match(f) for n in NAMED)]
    assert not missing, f"data/README.md does not describe {missing}"


def test_every_file_the_readme_names_exists():
    absent = [n for n in NAMED if not any(pattern(n).match(f) for f in FILES)]
    assert not absent, f"data/README.md names {absent}, which data/ does not hold"
