"""Chapter 6 data: the files are what the seeded generators make, the loaders
reject bad files with the file and column named, and the physics is as stated."""

import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from geonn.domain.datasets import porosity as P  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WELLS = ROOT / "data" / "porosity_wells.csv"
DEPTH = ROOT / "data" / "porosity_depth_1d.csv"


def teardown_function():
    plt.close("all")


# -- the files -------------------------------------------------------------------
def test_regenerating_reproduces_the_files(tmp_path):
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "data" / "make_data.py"),
            "--only",
            "porosity",
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    pairs = [
        (P.load_porosity_wells, "porosity_wells.csv"),
        (P.load_ai_map, "ai_map.npy"),
        (P.load_porosity_map, "porosity_map.npy"),
        (P.load_porosity_depth, "porosity_depth_1d.csv"),
    ]
    for load, name in pairs:
        new, old = load(tmp_path / name), load(ROOT / "data" / name)
        if isinstance(old, dict):
            assert list(new) == list(old)
            for k in old:
                np.testing.assert_allclose(
                    new[k], old[k], rtol=0, atol=1e-12, err_msg=f"{name}:{k}"
                )
        else:
            np.testing.assert_allclose(new, old, rtol=0, atol=1e-12, err_msg=name)


def test_generator_matches_the_files_in_memory():
    d = P.generate_porosity_data(seed=6)
    np.testing.assert_allclose(d["ai_map"], P.load_ai_map(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        d["wells"]["AI"], P.load_porosity_wells()["AI"], rtol=0, atol=1e-12
    )


def test_data_folder_is_small():
    total = sum(f.stat().st_size for f in (ROOT / "data").iterdir() if f.is_file())
    assert total < 5e6


def test_shapes_ranges_and_units():
    w = P.load_porosity_wells()
    assert set(w) == {"X", "Y", "porosity", "AI", "facies"}
    assert all(v.dtype == np.float64 and v.shape == (180,) for v in w.values())
    assert (
        0 < w["X"].min()
        and w["X"].max() < 1000
        and 0 < w["Y"].min()
        and w["Y"].max() < 1000
    )
    assert len(set(zip(w["X"], w["Y"]))) == 180, "wells must sit at distinct cells"
    phi, ai = P.load_porosity_map(), P.load_ai_map()
    assert phi.shape == ai.shape == P.SHAPE
    assert 0.09 < phi.min() < 0.13 and 0.25 < phi.max() < 0.28
    assert 1800 < ai.min() < 2600 and 5500 < ai.max() < 6800
    # the wells read the maps at their cells
    ix, iy = (w["X"] // P.CELL).astype(int), (w["Y"] // P.CELL).astype(int)
    np.testing.assert_array_equal(w["porosity"], phi[iy, ix])
    np.testing.assert_array_equal(w["AI"], ai[iy, ix])
    np.testing.assert_array_equal(w["facies"], (w["porosity"] >= 0.18).astype(float))
    d = P.load_porosity_depth()
    assert d["depth"].shape == (40,) and np.all(np.diff(d["depth"]) > 0)


def test_rock_physics_is_decreasing_nonlinear_and_invertible():
    phi = np.linspace(0.10, 0.27, 50)
    ai = P.ai_from_porosity(phi)
    assert np.all(np.diff(ai) < 0), "AI must fall as porosity rises"
    assert np.all(np.diff(ai, 2) > 0), (
        "the relation must be curved (convex), not a line"
    )
    assert 5800 < ai[0] < 6300 and 2300 < ai[-1] < 2700
    np.testing.assert_allclose(P.porosity_from_ai(ai), phi, rtol=1e-12)
    # the AI map carries noise of the stated σ around the transform
    resid = P.load_ai_map() - P.ai_from_porosity(P.load_porosity_map())
    assert abs(resid.std() / P.AI_NOISE_SIGMA - 1) < 0.03 and abs(resid.mean()) < 5


def test_field_is_correlated_and_anisotropic():
    z = P.gaussian_random_field(
        np.random.default_rng(0),
        shape=(200, 200),
        range_major=600.0,
        range_minor=150.0,
        azimuth=90.0,
    )  # major axis along X
    assert abs(z.mean()) < 1e-12 and abs(z.std() - 1) < 1e-12

    def gamma(lag, axis):
        d = np.diff(z[:, ::lag] if axis == 1 else z[::lag], axis=axis)
        return 0.5 * np.mean(d**2)

    assert gamma(5, 1) < 0.6 * gamma(5, 0), (
        "correlation must last longer along the major axis"
    )
    assert gamma(1, 0) < 0.2, "neighbouring cells must be correlated"


# -- loader failures: one test each ------------------------------------------------
def _write(path, text):
    path.write_text(text)
    return path


def test_missing_column_names_file_and_column(tmp_path):
    bad = _write(
        tmp_path / "wells.csv", WELLS.read_text().replace("AI,", "impedance,", 1)
    )
    with pytest.raises(ValueError, match=r"wells\.csv.*missing column 'AI'"):
        P.load_porosity_wells(bad)


def test_nan_names_file_and_column(tmp_path):
    lines = WELLS.read_text().splitlines()
    cells = lines[3].split(",")
    cells[2] = "nan"
    lines[3] = ",".join(cells)
    bad = _write(tmp_path / "wells.csv", "\n".join(lines) + "\n")
    with pytest.raises(
        ValueError, match=r"wells\.csv: column 'porosity' has 1 NaN.*row 3"
    ):
        P.load_porosity_wells(bad)


def test_wrong_dtype_names_file_and_column(tmp_path):
    lines = DEPTH.read_text().splitlines()
    lines[5] = lines[5].split(",")[0] + ",high"
    bad = _write(tmp_path / "depth.csv", "\n".join(lines) + "\n")
    with pytest.raises(
        TypeError, match=r"depth\.csv: column 'porosity' must hold numbers"
    ):
        P.load_porosity_depth(bad)


def test_percent_porosity_is_rejected(tmp_path):
    lines = DEPTH.read_text().splitlines()
    lines[1:] = [
        f"{d},{float(p) * 100}" for d, p in (ln.split(",") for ln in lines[1:])
    ]
    bad = _write(tmp_path / "depth.csv", "\n".join(lines) + "\n")
    with pytest.raises(ValueError, match="fraction, not percent"):
        P.load_porosity_depth(bad)


def test_map_loader_failures(tmp_path):
    np.save(tmp_path / "int.npy", np.ones((4, 4), dtype=int))
    with pytest.raises(TypeError, match=r"int\.npy: the AI map must be float"):
        P.load_ai_map(tmp_path / "int.npy")
    a = np.full((4, 4), 3000.0)
    a[1, 2] = np.nan
    np.save(tmp_path / "nan.npy", a)
    with pytest.raises(ValueError, match=r"nan\.npy: the AI map has 1 NaN.*\(1, 2\)"):
        P.load_ai_map(tmp_path / "nan.npy")
    np.save(tmp_path / "pct.npy", np.full((4, 4), 18.0))
    with pytest.raises(ValueError, match="not percent"):
        P.load_porosity_map(tmp_path / "pct.npy")
    with pytest.raises(FileNotFoundError, match="make_data.py"):
        P.load_porosity_wells(tmp_path / "nope.csv")


# -- chapter 6 figures and dashboard ---------------------------------------------------
def test_map_figures_label_their_axes():
    from geonn.studies import plotting

    w = P.load_porosity_wells()
    ax = plotting.plot_well_map(w["X"], w["Y"], w["porosity"])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("X (m)", "Y (m)") and len(
        ax.figure.axes
    ) == 2
    ax = plotting.plot_map(
        P.load_ai_map(), label="AI", wells=(w["X"], w["Y"]), title="AI"
    )
    assert ax.get_images()[0].get_extent() == [0.0, 1000.0, 0.0, 1000.0]
    assert ax.get_title() == "AI" and ax.get_lines()[0].get_xdata().shape == (180,)
    ax = plotting.plot_crossplot_fit(
        w["AI"],
        w["porosity"],
        curve=([2000, 6000], [0.25, 0.1]),
        truth=([2000, 6000], [0.26, 0.1]),
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "train",
        "true relation",
        "network",
    ]


def test_porosity_dashboard_retrains_and_redraws():
    from sklearn.preprocessing import MinMaxScaler

    from geonn.studies import widgets

    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (40, 1))
    y = -x + 0.3 * x**2
    sx, sy = (
        MinMaxScaler((-1, 1)).fit(x * 1000 + 4000),
        MinMaxScaler((-1, 1)).fit(y * 0.05 + 0.2),
    )
    box = widgets.porosity_dashboard(x[:30], y[:30], x[30:], y[30:], scalers=(sx, sy))
    assert box.history.epochs == 300 and len(box.history.val_loss) == 300
    left, right = box.figure.axes[:2]
    assert right.get_legend().get_texts()[1].get_text() == "test"
    first = box.figure
    box.controls["epochs"].value, box.controls["width"].value = 20, 8
    assert box.history.epochs == 20 and box.figure is not first
    assert plt.get_fignums() == [box.figure.number], "the old figure must be closed"
    net, h = widgets.porosity_fit(
        x[:30], y[:30], x[30:], y[30:], width=4, depth=2, epochs=5
    )
    assert [layer.W.shape for layer in net.layers[::2]] == [(1, 4), (4, 4), (4, 1)]


# -- bad input: generator arguments and broken files -------------------------------
@pytest.mark.parametrize("name", ["range_major", "range_minor"])
def test_gaussian_random_field_refuses_a_zero_range(name):
    with pytest.raises(ValueError, match=f"{name} must be a positive length"):
        P.gaussian_random_field(np.random.default_rng(0), shape=(8, 8), **{name: 0})


WELLS_TEXT = "X,Y,porosity,AI,facies\n1,2,0.2,6000,1\n3,4,0.1,7000,0\n"


def _wells(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "wells.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_with_trailing_blank_lines_loads(tmp_path):
    assert len(P.load_porosity_wells(_wells(tmp_path, WELLS_TEXT + "\n\n"))["AI"]) == 2


def test_csv_short_row_names_file_and_row(tmp_path):
    with pytest.raises(
        ValueError, match=r"wells.csv: data row 2 has 3 field\(s\) but the header has 5"
    ):
        P.load_porosity_wells(
            _wells(tmp_path, WELLS_TEXT.replace("3,4,0.1,7000,0", "3,4,0.1"))
        )


def test_csv_non_number_names_the_row(tmp_path):
    with pytest.raises(
        TypeError, match="column 'AI' must hold numbers.*data row 2 has 'x'"
    ):
        P.load_porosity_wells(_wells(tmp_path, WELLS_TEXT.replace("7000", "x")))


def test_csv_with_a_utf8_bom_loads(tmp_path):
    assert len(P.load_porosity_wells(_wells(tmp_path, "\ufeff" + WELLS_TEXT))["X"]) == 2


def test_latin1_csv_names_the_encoding(tmp_path):
    with pytest.raises(ValueError, match="wells.csv is not UTF-8"):
        P.load_porosity_wells(
            _wells(tmp_path, WELLS_TEXT.replace("facies", "faciès"), "latin-1")
        )


def test_header_only_csv(tmp_path):
    with pytest.raises(ValueError, match="header but no data rows"):
        P.load_porosity_wells(_wells(tmp_path, WELLS_TEXT.splitlines()[0] + "\n"))


def test_ai_map_from_an_npz_archive(tmp_path):
    np.savez(tmp_path / "ai.npz", ai=np.ones((2, 2)))
    with pytest.raises(
        ValueError, match=r"ai.npz is an .npz archive; the AI map is one .npy"
    ):
        P.load_ai_map(tmp_path / "ai.npz")


@pytest.mark.parametrize("content", [b"garbage" * 20, b"", "truncated"])
def test_ai_map_from_a_broken_file_names_the_file(tmp_path, content):
    path = tmp_path / "ai.npy"
    np.save(path, np.ones((3, 3)))
    path.write_bytes(path.read_bytes()[:60] if content == "truncated" else content)
    with pytest.raises(ValueError, match=r"ai.npy is not a readable .npy array"):
        P.load_ai_map(path)
