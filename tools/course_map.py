"""Draw the course map of the landing page: the chapters, what each builds on,
the appendix on frameworks, and the library underneath.

    python tools/course_map.py   # writes book/images/course_map{,_narrow}.svg

The narrow map (one column, same chapters and arrows) is what phones show: the
wide one would be drawn at half size there, its text at 6 px (_ext/reader_pages.py
swaps it in on narrow screens).

Deterministic (fixed SVG hash salt, no date), so a test can check that the
committed image is what this script draws today.
"""

import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "book" / "images" / "course_map.svg"

# number: (short title, (x, y) of the box centre, written?)
CHAPTERS = {
    1: ("Neurons and\nnetworks", (1.15, 3.0), True),
    2: ("Activation\nfunctions", (3.1, 3.0), True),
    3: ("Back-\npropagation", (5.05, 3.0), True),
    4: ("Optimizers", (7.0, 3.0), True),
    5: ("Mantle\nstability", (3.1, 1.9), True),
    6: ("Porosity from\nimpedance; 6b:\ndesign and trust", (5.05, 1.9), True),
    7: ("Seismic\nreflectivity", (7.0, 1.9), True),
    8: ("Convolution on\nseismic traces", (3.1, 0.8), True),
    9: ("Autoencoders", (5.05, 0.8), True),
    10: ("GANs", (7.0, 0.8), True),
    11: ("Seismic images:\npicks on gathers,\nfaults in sections", (3.1, -0.3), True),
    12: ("Seismic dreams:\nautoencoder and\nGAN on patches", (5.05, -0.3), True),
}
BUILDS_ON = [
    (1, 2),
    (2, 3),
    (3, 4),
    (4, 5),
    (4, 6),
    (4, 7),
    (7, 8),
    (8, 9),
    (9, 10),
    (8, 11),
    (9, 12),
    (10, 12),
    (11, 12),
]
# the unnumbered appendix, in the free space left of chapters 5 and 8; no arrow (it
# would cross 7 → 8): its text says what it needs
APPENDIX = (
    "A. From geonn to\na framework:\nJAX and Keras\n(after 3, 4 and 6)",
    (1.15, 1.35),
)
LIBRARY = (
    "geonn, the course library in pure NumPy, under every chapter:\n"
    "activations · losses · layers · network · init · optim · train\n"
    "gradcheck · datasets · plotting · widgets · uncertainty\n"
    "processing · picking · autoencoders · transfer · gan · faults"
)
# the rows of the map, by the height of their chapters' boxes
GROUPS = (
    (3.0, "Foundations"),
    (1.9, "Applications"),
    (0.8, "Seismic"),
    (-0.3, "Images"),
)
W, H = 1.7, 0.75


# matplotlib's defaults plus these, whatever style the caller has set; the
# fixed hash salt makes the SVG's clip-path ids the same on every run
STYLE = [
    "default",
    {"svg.hashsalt": "course-map", "svg.fonttype": "none", "font.size": 10},
]


def draw():
    fig, ax = plt.subplots(figsize=(7.5, 5.65))
    ax.set_xlim(-0.1, 8.1)
    ax.set_ylim(-2.0, 3.45)
    ax.axis("off")
    for y, label in GROUPS:
        ax.text(
            0.05,
            y,
            label,
            ha="center",
            va="center",
            rotation=90,
            style="italic",
            color="0.35",
        )
    for n, (title, (x, y), written) in CHAPTERS.items():
        ax.add_patch(
            FancyBboxPatch(
                (x - W / 2, y - H / 2),
                W,
                H,
                boxstyle="round,pad=0.04",
                fc="#fdd49e" if written else "white",
                ec="0.3",
                ls="-" if written else "--",
                lw=1.2,
            )
        )
        ax.text(
            x,
            y,
            f"{n}. {title}",
            ha="center",
            va="center",
            color="black" if written else "0.35",
        )
    for a, b in BUILDS_ON:
        (xa, ya), (xb, yb) = CHAPTERS[a][1], CHAPTERS[b][1]
        if ya == yb:
            start, end = (xa + W / 2 + 0.05, ya), (xb - W / 2 - 0.05, yb)
        else:
            # several arrows into one box from above: a slanted one lands off centre,
            # towards where it comes from, so the arrowheads do not overlap
            above = [c for c, d in BUILDS_ON if d == b and CHAPTERS[c][1][1] != yb]
            shift = 0.0 if len(above) == 1 else max(-W / 4, min(W / 4, xa - xb))
            start, end = (xa, ya - H / 2 - 0.05), (xb + shift, yb + H / 2 + 0.05)
        ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=12,
                color="0.3",
                lw=1.1,
                connectionstyle="arc3,rad=0.0",
            )
        )
    title, (x, y) = APPENDIX
    ax.add_patch(
        FancyBboxPatch(
            (x - W / 2, y - 0.5),
            W,
            1.0,
            boxstyle="round,pad=0.04",
            fc="#c7e9c0",
            ec="0.3",
            lw=1.2,
        )
    )
    ax.text(x, y, title, ha="center", va="center")
    ax.add_patch(
        FancyBboxPatch(
            (0.3, -1.9),
            7.6,
            0.85,
            boxstyle="round,pad=0.03",
            fc="#9ecae1",
            ec="0.3",
            lw=1.2,
        )
    )
    ax.text(4.1, -1.475, LIBRARY, ha="center", va="center")
    fig.tight_layout(pad=0.2)
    return fig


def one_line(title):
    """A box title of the wide map on one line ("Back-\npropagation" ->
    "Backpropagation")."""
    return title.replace("-\n", "").replace("\n", " ")


def narrow_rows(wrap):
    """[(kind, text)] from the top: group headings, chapters (kind: their number), the
    appendix and the library, each text wrapped at ``wrap`` characters."""
    rows, groups = [], dict(GROUPS)
    for n, (title, (_, y), _) in CHAPTERS.items():
        if y in groups:  # the first chapter of a row of the map
            rows.append(("group", groups.pop(y)))
        rows.append((n, textwrap.fill(f"{n}. {one_line(title)}", wrap)))
    rows.append(("appendix", textwrap.fill(one_line(APPENDIX[0]), wrap)))
    head, modules = LIBRARY.split(":\n")
    # a line never starts with "·"
    modules = modules.replace("\n", " · ").replace(" · ", "\u00a0· ")
    rows.append(
        (
            "library",
            textwrap.fill(head + ":", wrap) + "\n" + textwrap.fill(modules, wrap),
        )
    )
    return rows


def draw_narrow(width=3.5, wrap=32):
    """The map in one column, ``width`` inches wide: chapters top to bottom, an arrow
    down where a chapter's only successor is the next, and a spine on the left from any
    other chapter to its successors (each its own spine where their heights overlap);
    the appendix and the library below."""
    rows = narrow_rows(wrap)
    line, gap, left, right, spine = 0.18, 0.24, 0.45, width - 0.08, 0.22
    heights = [
        0.2 if kind == "group" else 0.16 + line * (text.count("\n") + 1)
        for kind, text in rows
    ]
    total = sum(heights) + gap * len(rows)
    fig = plt.figure(figsize=(width, total))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, width)
    ax.set_ylim(total, 0)  # y grows downwards, as the rows do
    ax.axis("off")
    top, box = gap / 2, {}  # box[kind]: (its top, its bottom)
    colour = {"appendix": "#c7e9c0", "library": "#9ecae1"}
    for (kind, text), h in zip(rows, heights):
        if kind == "group":
            ax.text(
                left,
                top + h / 2,
                text,
                ha="left",
                va="center",
                style="italic",
                color="0.35",
            )
        else:
            ax.add_patch(
                FancyBboxPatch(
                    (left, top),
                    right - left,
                    h,
                    boxstyle="round,pad=0.02",
                    lw=1.2,
                    ec="0.3",
                    fc=colour.get(kind, "#fdd49e"),
                )
            )
            ax.text((left + right) / 2, top + h / 2, text, ha="center", va="center")
            box[kind] = (top, top + h)
        top += h + gap
    arrow = dict(arrowstyle="-|>", mutation_scale=12, color="0.3", lw=1.1)
    middle = (left + right) / 2
    down = [(a, b) for a, b in BUILDS_ON if successors(a) == [a + 1]]
    for a, b in down:
        ax.add_patch(
            FancyArrowPatch(
                (middle, box[a][1] + 0.03), (middle, box[b][0] - 0.03), **arrow
            )
        )
    columns = spine_columns([a for a, b in BUILDS_ON if (a, b) not in down], box)
    for a, b in BUILDS_ON:
        if (a, b) not in down:
            x = spine - 0.08 * columns[a]
            # out near the bottom, in at the middle: a chapter's own spine never
            # runs along the arrow into it
            ya, yb = box[a][1] - 0.07, sum(box[b]) / 2
            ax.plot([left, x, x], [ya, ya, yb], color="0.3", lw=1.1)
            ax.add_patch(FancyArrowPatch((x, yb), (left - 0.03, yb), **arrow))
    return fig


def successors(a):
    return [b for c, b in BUILDS_ON if c == a]


def spine_columns(sources, box):
    """{chapter: column} for the chapters whose arrows run along a spine: the first
    column (0 nearest the boxes) where no other spine spans the same heights."""
    columns, spans = {}, []  # spans: (column, top, bottom) taken so far
    for a in dict.fromkeys(sources):
        top, bottom = box[a][0], max(box[b][1] for b in successors(a))
        taken = {c for c, t, b in spans if t < bottom and top < b}
        columns[a] = next(c for c in range(len(spans) + 1) if c not in taken)
        spans.append((columns[a], top, bottom))
    return columns


def main(out=OUT):
    """Write the map to ``out`` and the narrow map beside it (NAME_narrow.svg)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with plt.style.context(STYLE):
        for fig, path in ((draw(), out), (draw_narrow(), narrow_path(out))):
            fig.savefig(path, format="svg", metadata={"Date": None})
            plt.close(fig)
    return out


def narrow_path(out):
    return Path(out).with_name(Path(out).stem + "_narrow.svg")


if __name__ == "__main__":
    print(main(*sys.argv[1:]))
